/* tumen: code English news and analysis into CAMEO events with evidence.
 *
 * The library reads raw text, finds actors and verb patterns through dictionaries
 * (tumen's own, TABARI's or PETRARCH's), assembles events with modality, quantity and
 * time, and stores them. It never prints, never exits and keeps no mutable globals.
 *
 * Ownership conventions, stated again on every function:
 *   - Handles made by tumen_X_new are released with tumen_X_free; _free(NULL) is a no-op.
 *   - Pointers inside a tumen_event are borrowed: valid only during the callback that
 *     receives the event.
 *   - A tumen_dict is immutable once tumen_dict_finish succeeds and may then be shared by
 *     any number of coders on any number of threads. A tumen_coder belongs to one thread.
 */
#ifndef TUMEN_H
#define TUMEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TUMEN_BUILDING) && defined(__GNUC__)
#define TUMEN_EXPORT __attribute__((visibility("default")))
#else
#define TUMEN_EXPORT
#endif

#if defined(__GNUC__)
#define TUMEN_NODISCARD __attribute__((warn_unused_result))
#else
#define TUMEN_NODISCARD
#endif

#define TUMEN_VERSION "0.1.0"

/* ---- status ------------------------------------------------------------------------- */

/* X-macro: name, message. Generates the enum, tumen_strerror and tumen_status_name. */
#define TUMEN_STATUS_MAP(XX)                                                                 \
    XX(OK, "success")                                                                        \
    XX(NOMEM, "out of memory")                                                               \
    XX(IO, "input/output error")                                                             \
    XX(UTF8, "invalid UTF-8")                                                                \
    XX(SYNTAX, "syntax error")                                                               \
    XX(LIMIT, "size limit exceeded")                                                         \
    XX(INVALID, "invalid argument")                                                          \
    XX(NOTFOUND, "not found")                                                                \
    XX(CODE, "unknown CAMEO code")                                                           \
    XX(DATE, "invalid date")                                                                 \
    XX(JSON, "invalid JSON")                                                                 \
    XX(DB, "database error")                                                                 \
    XX(STOPPED, "stopped by callback")                                                       \
    XX(INTERNAL, "internal error")

typedef enum tumen_status {
#define TUMEN_XX_ENUM(name, msg) TUMEN_##name,
    TUMEN_STATUS_MAP(TUMEN_XX_ENUM)
#undef TUMEN_XX_ENUM
        TUMEN_STATUS_COUNT
} tumen_status;

/* Human-readable message for a status. Returns a static string; never NULL. */
TUMEN_EXPORT const char *tumen_strerror(tumen_status s);
/* Symbolic name ("NOMEM") for a status. Returns a static string; never NULL. */
TUMEN_EXPORT const char *tumen_status_name(tumen_status s);

/* Error detail with position. Filled by functions that take a tumen_error *; any of those
 * accept NULL. file is the path of the input (or "-" / a document id), line and col are
 * 1-based (0 when unknown), byte is the 0-based byte offset in that input. */
typedef struct tumen_error {
    tumen_status status;
    char file[512];
    uint64_t line;
    uint64_t col;
    uint64_t byte;
    char msg[512];
} tumen_error;

/* Formats "file:line:col: msg" into buf (always NUL-terminated, truncated with "..." if
 * buf is too small). Returns the length the full message needs, like snprintf. */
TUMEN_EXPORT size_t tumen_error_format(const tumen_error *e, char *buf, size_t size);

/* ---- CAMEO ---------------------------------------------------------------------------- */

/* Goldstein score and quad class of a CAMEO code ("0311", "190"). Returns TUMEN_OK or
 * TUMEN_CODE if the code is not in CAMEO 1.1b3. quad: 1 verbal cooperation (01-05),
 * 2 material cooperation (06-09), 3 verbal conflict (10-14), 4 material conflict (15-20).
 * name receives a static string (the code's short name); any out pointer may be NULL. */
TUMEN_EXPORT tumen_status tumen_cameo_lookup(const char *code, double *goldstein, int *quad,
                                             const char **name);

/* ---- dictionaries ------------------------------------------------------------------------ */

typedef struct tumen_dict tumen_dict;

typedef enum tumen_dict_format {
    TUMEN_DICT_AUTO = 0, /* by extension and content */
    TUMEN_DICT_TUMEN,    /* tumen's own format (docs/dictionary-format.md) */
    TUMEN_DICT_TABARI,   /* TABARI .actors/.verbs/.agents/.options */
    TUMEN_DICT_PETRARCH  /* PETRARCH/Phoenix actors, agents, CAMEO verbs, discards, issues */
} tumen_dict_format;

/* Creates an empty dictionary set. The caller owns *out and frees it with tumen_dict_free.
 * Returns TUMEN_NOMEM on allocation failure. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_dict_new(tumen_dict **out);

/* Loads a dictionary file, or every dictionary file in a directory (sorted by name), into d.
 * d must not be finished yet. On a syntax error nothing of that file is kept and err names
 * file:line:col; the dictionary set stays usable. path is borrowed. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_dict_load(tumen_dict *d, const char *path,
                                                          tumen_dict_format fmt,
                                                          tumen_error *err);

/* Compiles the loaded entries (verb forms, indexes). After success d is immutable and may
 * be shared across threads. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_dict_finish(tumen_dict *d, tumen_error *err);

/* Counts of loaded entries; any pointer may be NULL. */
TUMEN_EXPORT void tumen_dict_stats(const tumen_dict *d, size_t *actors, size_t *agents,
                                   size_t *verb_patterns, size_t *discards);

/* Frees d and everything it owns. NULL is a no-op. */
TUMEN_EXPORT void tumen_dict_free(tumen_dict *d);

/* ---- documents and events ------------------------------------------------------------------ */

/* A document to code. All pointers are borrowed for the duration of the call that takes it.
 * text need not be NUL-terminated; len is its size in bytes. date is "YYYY", "YYYY-MM" or
 * "YYYY-MM-DD" or NULL; url and title may be NULL. */
typedef struct tumen_doc {
    const char *id;
    const char *text;
    size_t len;
    const char *date;
    const char *url;
    const char *title;
} tumen_doc;

typedef enum tumen_modality {
    TUMEN_ASSERTED = 0,
    TUMEN_REPORTED,
    TUMEN_HYPOTHETICAL,
    TUMEN_NEGATED,
    TUMEN_DENIED,
    TUMEN_FORECAST
} tumen_modality;

/* "asserted", "reported", ...; static string. */
TUMEN_EXPORT const char *tumen_modality_name(tumen_modality m);

/* A byte range [offset, offset+length) in the document text. length 0 means absent. */
typedef struct tumen_span {
    size_t offset;
    size_t length;
} tumen_span;

typedef enum tumen_bound { TUMEN_BOUND_NONE = 0, TUMEN_BOUND_MAX, TUMEN_BOUND_MIN } tumen_bound;

typedef struct tumen_quantity {
    int present;       /* 0: the event carries no quantity */
    double value;      /* the number (upper end of a range) */
    double low;        /* lower end of a range, when has_low */
    int has_low;
    int approx;        /* "around", "about", "some" */
    tumen_bound bound; /* "up to" = MAX, "at least"/"tens of thousands" = MIN */
    char unit[24];     /* troops, workers, tourists, usd, percent, ... */
    tumen_span span;   /* the words that state it */
} tumen_quantity;

typedef enum tumen_event_kind { TUMEN_KIND_EVENT = 0, TUMEN_KIND_STATISTIC } tumen_event_kind;

/* One coded event. Every pointer is borrowed and valid only during the callback. */
typedef struct tumen_event {
    const char *doc_id;
    const char *doc_text; /* the whole document, for the spans below */
    const char *date;     /* the document's date, may be NULL */
    uint32_t sentence;    /* 1-based sentence number in the document */
    tumen_span sent;      /* the sentence's bytes */

    char source[48]; /* CAMEO actor code, "---" when unknown */
    char target[48];
    tumen_span source_span;
    tumen_span target_span;

    tumen_event_kind kind;
    char code[8]; /* "0311"; "--" for statistics */
    char root[3]; /* "03" */
    double goldstein;
    int quad;          /* 1..4, 0 for statistics */
    int symmetric;     /* joint act: coded in both directions */
    tumen_span verb;   /* the words the pattern matched on */

    tumen_modality modality;
    tumen_span cue;          /* modality / attribution words */
    char attributed_to[48];  /* "" when not attributed, "---" for unnamed sources */
    tumen_span probability_words;
    double probability;      /* 0..1, or negative when the words give none */

    tumen_quantity quantity;
    char when[11]; /* "YYYY", "YYYY-MM", "YYYY-MM-DD" or "" */
    tumen_span when_span;

    const char *pattern_file; /* dictionary entry that fired */
    uint32_t pattern_line;
    const char *channel; /* analyst channel, may be NULL */
} tumen_event;

/* Receives each event. Return 0 to continue, non-zero to stop coding (the coder then
 * returns TUMEN_STOPPED). */
typedef int (*tumen_event_fn)(void *ctx, const tumen_event *ev);

/* ---- coder ----------------------------------------------------------------------------------- */

typedef struct tumen_coder tumen_coder;

enum {
    TUMEN_OPT_FACTS_ONLY = 1u << 0, /* drop all but asserted and reported events */
    TUMEN_OPT_STATISTICS = 1u << 1, /* also emit statistic records (kind "statistic",
                                     * code "--"): counts and flows that are not acts */
    TUMEN_OPT_TABARI = 1u << 2      /* TABARI-compatible matching semantics */
};

typedef struct tumen_coder_options {
    unsigned flags;
    size_t max_sentence_tokens; /* 0: default 4096; longer sentences are coded in windows */
} tumen_coder_options;

/* Creates a coder over a finished dictionary. d is borrowed and must outlive the coder.
 * opt may be NULL for defaults. The caller owns *out. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_coder_new(const tumen_dict *d,
                                                          const tumen_coder_options *opt,
                                                          tumen_coder **out);

/* Codes one document and calls fn for each event in document order. The document's text
 * must be valid UTF-8: otherwise TUMEN_UTF8 is returned with err->byte/line/col set and no
 * event of that document is emitted. Memory is reused across calls. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_coder_code(tumen_coder *c, const tumen_doc *doc,
                                                           tumen_event_fn fn, void *ctx,
                                                           tumen_error *err);

/* Per-sentence trace for dictionary maintainers: tokens, actors, verbs, and why each event
 * was or was not produced. fn receives NUL-terminated lines, borrowed for the call. */
typedef void (*tumen_explain_fn)(void *ctx, const char *line);
TUMEN_EXPORT void tumen_coder_set_explain(tumen_coder *c, tumen_explain_fn fn, void *ctx);

/* For a coder made with TUMEN_OPT_TABARI: reads a TABARI .options file (path borrowed)
 * and applies it to later documents. Returns TUMEN_INVALID for a coder without the TABARI
 * engine, or the file's error with file:line:col in err. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_coder_tabari_options(tumen_coder *c,
                                                                     const char *path,
                                                                     tumen_error *err);

/* Counters since creation; any pointer may be NULL. */
TUMEN_EXPORT void tumen_coder_stats(const tumen_coder *c, uint64_t *docs, uint64_t *sentences,
                                    uint64_t *events, uint64_t *bytes);

/* Frees c. NULL is a no-op. */
TUMEN_EXPORT void tumen_coder_free(tumen_coder *c);

/* Serialises ev as one JSON object plus '\n' (the `tumen code` JSONL line). Returns a
 * malloc'd NUL-terminated string the caller frees, or NULL on out of memory; *len (may be
 * NULL) receives its length. */
TUMEN_EXPORT char *tumen_event_json(const tumen_event *ev, size_t *len);

/* ---- UTF-8 ----------------------------------------------------------------------------------- */

/* Validates s[0..len). Returns TUMEN_OK or TUMEN_UTF8 with *bad set to the offset of the
 * first invalid byte (bad may be NULL). NUL bytes are valid UTF-8 but rejected as TUMEN_UTF8
 * too, since no text document contains them. */
TUMEN_EXPORT tumen_status tumen_utf8_check(const char *s, size_t len, size_t *bad);

#ifdef __cplusplus
}
#endif

#include "tumen_store.h" /* the event store, analytics and report */

#endif /* TUMEN_H */
