/* TABARI and PETRARCH compatibility: what their dictionaries put into struct tumen_dict
 * beyond tumen's own format, the TABARI .options settings, and the event-code notation
 * both peers use. The loaders live in dict_tabari.c and dict_petrarch.c.
 *
 * Conventions the loaders follow (the coder relies on them in TUMEN_OPT_TABARI mode):
 *   - struct phrase flags: PW_PREFIX marks a TABARI stem (a word not ending in '_');
 *     PW_GAP on word k means other tokens may come between words k-1 and k (a blank in
 *     the source, as in "AL GORE"); TABARI_PW_EXACT marks a word ending in '=' (no regular
 *     endings -S -ED -ES -EN -ING may be added).
 *   - Verb patterns: pre[] and post[] in text order. PW_GAP on pre[0] has no meaning;
 *     PW_GAP on head.f[0] means tokens may come between the last pre element and the
 *     head; PW_GAP on post[0] means tokens may come between the head and post[0].
 *     Word elements carry PW_PREFIX when they are stems. specificity is TABARI's pattern
 *     length (letters and digits of the literal text; longer patterns are tried first).
 *   - vpattern.code holds the peer's code text as written, blanks removed: "032",
 *     "032:033" (paired event: the second is coded target->source), "031!" (dominant),
 *     "023?" (subordinate), "---" (null, also flagged VP_NULL), "###" (discard the
 *     sentence), "+++" (complex sentence). Pairs with equal halves ("031:031") are stored
 *     as the single code with VP_SYMMETRIC. vcode_parse() splits the notation.
 *   - Actor roles keep the order of the source; the first role whose dates contain the
 *     document date wins, then the undated default (actor.code). Role and actor codes may
 *     be "---", "###", "+++" or compounds "ELR/GAL" (one actor per '/'-separated code).
 *   - <NOUN> and <ADJECTIVE> lists become word sets named "<noun>" and "<adjective>".
 *   - PETRARCH issue "ignore" phrases (~phrase) are issues with code "~". */
#ifndef TUMEN_DICT_TABARI_H
#define TUMEN_DICT_TABARI_H

#include "dict.h"

/* Phrase word flag: TABARI '=' ending (exact word, no regular endings); dict.h's PW_EXACT. */
#define TABARI_PW_EXACT PW_EXACT

/* ---- event codes ---- */

enum vcode_kind { VC_EVENT = 0, VC_NULL, VC_DISCARD, VC_COMPLEX };

struct vcode {
    enum vcode_kind kind;
    char primary[8]; /* "032"; "" when the pair's first half is empty ("[:190]") */
    char paired[8];  /* "033" for "032:033", else "" */
    bool dominant;   /* "!" */
    bool subordinate; /* "?" */
};

/* Splits a vpattern.code string into its parts. Never fails: unknown text is VC_EVENT. */
void vcode_parse(const char *code, struct vcode *out);

/* ---- TABARI .options ---- */

enum tabari_codeby { TABARI_BY_CLAUSE = 0, TABARI_BY_SENTENCE, TABARI_BY_ALL };

struct tabari_options {
    /* COMPLEX: conditions (0 = inactive) */
    int complex_verbs, complex_actors, complex_pronouns, complex_conj, complex_comma;
    int complex_lateverb;
    bool complex_noactprior, complex_noactafter, complex_noverb, complex_nosource;
    bool complex_notarget, complex_noevent;
    /* DEFAULT: source/target codes ("" = off) */
    char default_source[24], default_target[24];
    bool default_source_prior, default_target_after;
    /* COMMA: limits of comma-delimited clauses that are dropped before coding */
    bool comma_off;
    int comma_min, comma_max, comma_emin, comma_emax, comma_bmin, comma_bmax;
    /* SET: */
    enum tabari_codeby code_by;
    int minimum_words;       /* default 8 */
    bool convert_agents;     /* agents without actors become actors ("~COP") */
    bool yyyy;               /* 4-digit years in text record dates */
    bool time_shift;         /* <TIME> phrases shift the event date */
    bool fbis;
    bool code_nonrestrictive;
    /* NONEVENTS: 0 false, 1 true, 2 only */
    int nonevents;
    /* FORWARD: pronoun forwarding across records is active */
    bool forward;
};

/* TABARI's defaults (section 8 of the manual). */
void tabari_options_init(struct tabari_options *o);
/* Applies one .options line ("COMPLEX: VERBS[5] NOACTPRIOR", "DEFAULT: OFF", ...).
 * Comments ('#', '//') and blank lines are accepted. Returns TUMEN_SYNTAX for a line that
 * names no known command, with *col (1-based) at the offending text. Unknown SET:
 * parameters and LABEL:/OUTPUT: lines are accepted and ignored. */
tumen_status tabari_options_line(struct tabari_options *o, const char *line, size_t n,
                                 size_t *col);
/* Reads a whole .options file. */
tumen_status tabari_options_load(struct tabari_options *o, const char *path, tumen_error *err);

/* ---- TABARI .project ---- */

struct tabari_project {
    char **actors, **verbs, **agents, **texts; /* resolved paths (malloc) */
    size_t nactors, nverbs, nagents, ntexts;
    char *options; /* NULL when absent */
};

/* Parses a .project file; relative paths are resolved against its directory. */
tumen_status tabari_project_load(struct tabari_project *p, const char *path, tumen_error *err);
void tabari_project_fini(struct tabari_project *p);

/* ---- shared helpers of the two loaders (dict_tabari.c) ---- */

/* Reads a peer dictionary file: NUL bytes are rejected; a file that is not valid UTF-8 is
 * read as Latin-1 (TABARI's files predate UTF-8); CR before LF is dropped. The caller frees
 * *out. */
tumen_status peer_read_file(const char *path, char **out, size_t *len, tumen_error *err);

/* Parses a date of 6 (YYMMDD, years 00-30 are 20xx) or 8 (YYYYMMDD) digits, also 7
 * (YYYYMMD, seen in Phoenix) into yyyymmdd. Returns false when it is not a date. */
bool peer_date(const char *s, size_t n, int32_t *out);

/* Recoverable defects found while loading (PETRARCH data errors that PETRARCH itself
 * tolerates: an unreadable date, an agent or issue line without a code). The entry or the
 * part concerned is skipped and fn is called; loading goes on. */
struct dict_warner {
    void (*fn)(void *ctx, const char *file, uint64_t line, uint64_t col, const char *msg);
    void *ctx;
};

/* dict_load_tabari / dict_load_petrarch with a warning sink (w may be NULL). */
tumen_status dict_load_tabari_ex(struct tumen_dict *d, const char *path,
                                 const struct dict_warner *w, tumen_error *err);
tumen_status dict_load_petrarch_ex(struct tumen_dict *d, const char *path,
                                   const struct dict_warner *w, tumen_error *err);

/* Loads a .project: every dictionary it names, in order. */
tumen_status dict_load_tabari_project(struct tumen_dict *d, const char *path, tumen_error *err);

#endif
