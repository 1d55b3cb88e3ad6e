/* Shared machinery of the TABARI and PETRARCH loaders (dict_tabari.c, dict_petrarch.c):
 * line iteration, comments, phrases in the peers' syntax, actor entries with synonyms and
 * dated roles, word sets, and verb blocks (heads x patterns). Internal to those loaders. */
#ifndef TUMEN_DICT_PEER_H
#define TUMEN_DICT_PEER_H

#include "dict_tabari.h"

enum peer_mode { PEER_TABARI, PEER_PETRARCH };

struct peer {
    struct tumen_dict *d;
    const char *path;
    uint32_t file;
    tumen_error *err;
    enum peer_mode mode;
    uint64_t line;  /* current line, 1-based */
    const char *ls; /* start of the current line, for columns */
    const struct dict_warner *warn; /* may be NULL */
};

void peer_init(struct peer *p, struct tumen_dict *d, const char *path, enum peer_mode mode,
               tumen_error *err);
/* Sets err to path:line:col (col from at - p->ls) and returns st. */
tumen_status peer_err(struct peer *p, tumen_status st, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reports a recoverable defect (the entry or part of it is skipped) when a warner is set. */
void peer_warn(struct peer *p, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Turns a builder status into an error at the current line (TUMEN_OK passes through). */
tumen_status peer_add(struct peer *p, tumen_status st);

static inline char peer_upper(char c) {
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}
static inline bool peer_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
/* Letters/digits, '/' between compound parts, or one of "---", "###", "+++". */
bool peer_valid_actor_code(const char *code);

/* ---- lines ---- */

struct peer_lines {
    const char *s;
    size_t len, pos;
    uint64_t lineno;
};
void peer_lines_init(struct peer_lines *it, const char *s, size_t len);
/* Reads the file at path (peer_read_file) into *text, owned by the caller (free), and sets
 * it to iterate its lines. */
tumen_status peer_lines_open(struct peer_lines *it, const char *path, char **text,
                             tumen_error *err);
/* Next line without its newline and trailing blanks/CR. */
bool peer_lines_next(struct peer_lines *it, const char **ln, size_t *n);
/* peer_lines_next() for a loader: also records the line in p (for error positions) and
 * sets *indent to the number of leading blanks. *ln borrows from the iterated text. */
bool peer_next_line(struct peer *p, struct peer_lines *it, const char **ln, size_t *n,
                    size_t *indent);
/* "~FINISH" (any number of '~'): TABARI's end-of-file mark. */
bool peer_finish_line(const char *ln, size_t n);
/* A whole-line comment: TABARI '#', '/' or a line of '~'; PETRARCH '#'. */
bool peer_comment_line(const struct peer *p, const char *s, size_t n);
/* Length of ln without its trailing comment (TABARI ';', PETRARCH '#' or ';', both only
 * outside [...]) and trailing blanks. */
size_t peer_strip_comment(const struct peer *p, const char *ln, size_t n);
/* s starts with "<NAME" or "</NAME" (case-insensitive; NAME may be a prefix of the tag). */
bool peer_section(const char *s, size_t n, const char *name);

/* ---- phrases ---- */

/* One word of a peer phrase before interning. */
struct pword {
    const char *s;
    size_t n;
    uint8_t flags; /* PW_PREFIX, PW_GAP, TABARI_PW_EXACT */
};

#define PEER_MAX_WORDS 64

/* Splits s[0..n) into words. TABARI: '_' after a word makes it exact and, when text
 * follows directly, joins the next word; a blank allows a gap; '~' keeps the stem and joins;
 * '=' is exact without endings; a word without any of these is a stem. PETRARCH: blank and
 * '_' separate exact words ('_' joins). In both, '-' inside a word joins two words (TABARI
 * replaces hyphens by underscores). *trail_underscore tells whether the text ended in '_'.
 * Returns the number of words, or -1 (error set) on failure. */
int peer_words(struct peer *p, const char *s, size_t n, enum peer_mode mode, struct pword *out,
               int max, bool *trail_underscore);
/* Interns words into a dictionary phrase (arena). */
tumen_status peer_intern(struct peer *p, const struct pword *w, int nw, struct phrase *out);
/* peer_words + peer_intern; an empty phrase is a syntax error. */
tumen_status peer_phrase(struct peer *p, const char *s, size_t n, enum peer_mode mode,
                         struct phrase *out);
/* Copies ph with its last word replaced by word[0..n) (plural forms). */
tumen_status peer_phrase_last(struct peer *p, const struct phrase *ph, const char *word,
                              size_t n, struct phrase *out);
/* English regular plural of w (PETRARCH's rule: +S, Y->IES, SS->SSES) into buf. */
size_t peer_plural(const char *w, size_t n, char *buf, size_t size);

/* ---- actors: one primary phrase, '+' synonyms, roles ---- */

struct peer_gphrase {
    struct phrase ph;
    uint32_t line;
};

struct peer_group {
    struct peer_gphrase *phr;
    size_t nphr, cap;
    struct actor_role *roles;
    size_t nroles, caproles;
    char code[DICT_CODE_MAX]; /* default (undated) code */
    bool has_default;
};
void peer_group_init(struct peer_group *g);
void peer_group_fini(struct peer_group *g);
tumen_status peer_group_phrase(struct peer *p, struct peer_group *g, const char *s, size_t n);
tumen_status peer_group_role(struct peer *p, struct peer_group *g, const struct actor_role *r);
tumen_status peer_group_default(struct peer *p, struct peer_group *g, const char *code);
/* Adds one actor per phrase of the group (sharing its roles) and empties it. */
tumen_status peer_group_flush(struct peer *p, struct peer_group *g);
/* Every "[...]" block of s[0..n) as a role or default code (dict_tabari.c). */
tumen_status peer_role_blocks(struct peer *p, struct peer_group *g, const char *s, size_t n);
/* Reads a whole actors file (both peers share the layout). */
tumen_status peer_load_actors(struct peer *p, const char *text, size_t len);
/* Agent code "~GOV" / "NGO~" into a->code and a->prefix. */
tumen_status peer_agent_code(struct peer *p, const char *s, size_t n, struct agent *a);

/* ---- word sets ---- */

struct peer_set {
    char *name; /* "&name" normalised, malloc; NULL when no set is open */
    bool noplural;  /* PETRARCH: label ends with '_' */
    struct phrase *alts;
    size_t nalts, cap;
    uint32_t line;
};
void peer_set_init(struct peer_set *s);
void peer_set_fini(struct peer_set *s);
/* Closes any open set and opens "&NAME" (text s[0..n), starting with '&'). */
tumen_status peer_set_begin(struct peer *p, struct peer_set *cur, const char *s, size_t n);
/* Adds "+phrase" (without '+'): words, and '&SET' references expanded (cross product). */
tumen_status peer_set_phrase(struct peer *p, struct peer_set *cur, const char *s, size_t n);
/* Stores the open set in the dictionary. An empty set is an error. */
tumen_status peer_set_end(struct peer *p, struct peer_set *cur);
/* Appends ph to the set named name ("<noun>"), creating it if needed. */
tumen_status peer_set_add(struct peer *p, const char *name, const struct phrase *ph);
/* Looks up a set by its label text ("&TIETYPES"); NOID when undefined. */
uint32_t peer_find_set(struct peer *p, const char *s, size_t n);

/* ---- verb blocks: every head gets every pattern ---- */

struct peer_head {
    struct phrase ph;
    struct phrase ph_gap; /* same words, PW_GAP on the first */
    char code[8];         /* its own code, or "" for the block's */
    uint16_t code_flags;
    uint32_t line;
};

struct peer_tpl {
    struct vpattern v; /* head unset */
    bool head_gap;     /* tokens may come between the last pre element and the head */
};

struct peer_block {
    bool open;
    char code[8]; /* the block's code ("---" when none) */
    uint16_t code_flags;
    struct peer_head *heads;
    size_t nheads, caph;
    struct peer_tpl *pats;
    size_t npats, capp;
};
void peer_block_init(struct peer_block *b);
void peer_block_fini(struct peer_block *b);
/* Starts a block with a default code and its VP_* flags (from peer_event_code). */
void peer_block_open(struct peer_block *b, const char *code, uint16_t flags);
/* Adds a head; code "" uses the block's code. */
tumen_status peer_block_head(struct peer *p, struct peer_block *b, const struct phrase *ph,
                             const char *code, uint16_t flags);
/* Adds a pattern template (head filled at flush); head_gap: tokens may come between the
 * last pre element and the head. */
tumen_status peer_block_pattern_add(struct peer *p, struct peer_block *b,
                                    const struct vpattern *t, bool head_gap);
/* Completes template t from the parsed elements el[0..nel) (el[0..verb) before the head,
 * the rest after it; post_gap: tokens may come between the head and the first element after
 * it), sets its specificity and source line, and adds it with peer_block_pattern_add. */
tumen_status peer_pattern_finish(struct peer *p, struct peer_block *b, struct vpattern *t,
                                 const struct velem *el, int nel, int verb, bool head_gap,
                                 bool post_gap, unsigned spec);
/* Emits heads x (default + patterns) into the dictionary and closes the block. */
tumen_status peer_block_flush(struct peer *p, struct peer_block *b);

/* Parses an event code "[...]" content into v->code / v->flags (VP_NULL, VP_SYMMETRIC).
 * Blanks are removed; "A:A" becomes A with VP_SYMMETRIC; a pair too long for code[8] keeps
 * its first half. */
tumen_status peer_event_code(struct peer *p, const char *s, size_t n, char code[8],
                             uint16_t *flags);

#endif
