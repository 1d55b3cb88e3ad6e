/* Dictionary store: the one in-memory form that every loader fills (tumen's own format,
 * TABARI, PETRARCH) and that the matcher reads. Loaders call the dict_add_* builder
 * functions; tumen_dict_finish then builds the indexes and verb forms, after which the
 * dictionary is immutable.
 *
 * Words are interned in d->words as their normalized form (NFKC, case-folded, typographic
 * quotes and dashes folded to ASCII): exactly what text.c produces for a token. */
#ifndef TUMEN_DICT_H
#define TUMEN_DICT_H

#include "util.h"

#include <stdbool.h>

#define DICT_CODE_MAX 24

/* Per-word flags in a phrase. */
enum {
    PW_PREFIX = 1u << 0, /* TABARI stem: matches any token that starts with the word */
    PW_GAP = 1u << 1,    /* other tokens may come between the previous word and this one */
    PW_OPTIONAL = 1u << 2,
    PW_CASE = 1u << 3, /* written as an acronym (UN, US): the token must be upper case too */
    PW_FAR = 1u << 4,  /* verb patterns: "..." before the element, any distance in the clause */
    PW_EXACT = 1u << 5 /* TABARI "WORD=": exact, without the regular endings -S -ED -ING ... */
};

struct phrase {
    uint32_t *w;      /* word ids (arena) */
    uint8_t *f;       /* PW_* per word (arena) */
    uint16_t n;
};

struct src {
    uint32_t file; /* index into d->files */
    uint32_t line;
};

struct actor_role {
    char code[DICT_CODE_MAX];
    int32_t from, to; /* yyyymmdd inclusive; 0 = open */
};

struct actor {
    struct phrase ph;
    struct actor_role *roles; /* arena */
    uint32_t nroles;
    char code[DICT_CODE_MAX]; /* default when no dated role applies; "" = none */
    struct src src;
};

/* An agent combines with an actor: "Russian" + "troops" -> RUS + MIL = RUSMIL. */
struct agent {
    struct phrase ph;
    char code[DICT_CODE_MAX]; /* "GOV", "MIL", ... */
    bool prefix;              /* TABARI "NGO~": code goes before the actor code */
    struct src src;
};

/* Verb pattern elements. */
enum velem_kind {
    VE_WORD,    /* literal word (matches surface or lemma) */
    VE_SET,     /* any phrase of a word set (synset / alternatives) */
    VE_SOURCE,  /* $ : the source actor */
    VE_TARGET,  /* + : the target actor */
    VE_ACTOR,   /* % : compound / any actor (TABARI) */
    VE_SKIP     /* ^ : skip the next actor (TABARI) */
};

struct velem {
    uint8_t kind;
    uint8_t flags;  /* PW_GAP: tokens may intervene before this element */
    uint32_t value; /* word id or set index */
};

enum {
    VP_NOUN = 1u << 0,      /* head may be a noun ("invasion of") */
    VP_SYMMETRIC = 1u << 1, /* joint act */
    VP_NULL = 1u << 2,      /* code "---": matches but yields no event */
    VP_PASSIVE_OK = 1u << 3
};

struct vpattern {
    char code[8];    /* CAMEO code, or "---" */
    struct phrase head; /* head lemma(s); multiword heads are consecutive */
    struct velem *pre;  /* elements before the head, in text order */
    struct velem *post; /* elements after the head, in text order */
    uint16_t npre, npost;
    uint16_t specificity; /* literal elements matched; higher wins */
    uint16_t flags;
    struct src src;
};

struct wordset {
    uint32_t name; /* word id of the label ("&TIETYPES" or "@arms"), or NOID */
    struct phrase *alts; /* sorted by first word id by tumen_dict_finish */
    uint32_t nalts;
};

struct discard {
    struct phrase ph;
    bool whole_sentence; /* drops the sentence (false: only the actor reading, "! phrase") */
    bool whole_story;    /* PETRARCH "+" discards: drops every event of the document */
    struct src src;
};

#define DICT_ISSUE_MAX 48 /* Phoenix issue codes run to 40 characters */

struct issue {
    struct phrase ph;
    char code[DICT_ISSUE_MAX];
    struct src src;
};

/* A war and the states aligned with its first party: "RUS UKR 2022-02-24.. : PRK BLR IRN".
 * Military aid an ally sends into the war's theatre (the second party) is aid to the first
 * party (the gold conventions code the side supported as the target). */
struct alignment {
    char a[4], b[4];
    int32_t from, to;   /* yyyymmdd inclusive; 0 = open */
    char allies[16][4];
    uint32_t nallies;
    struct src src;
};

/* Surface form -> lemma (verb forms generated via WordNet, or listed irregulars). */
struct form {
    uint32_t surface, lemma;
};

/* CSR index: for word id w, entries idx[start[w] .. start[w+1]). */
struct windex {
    uint32_t *start; /* nwords + 1 */
    uint32_t *idx;
    size_t nwords;
};

struct tumen_dict {
    struct arena arena;
    struct intern words;
    struct intern files_tab; /* file paths */
    const char **files;      /* alias of files_tab.strs */

    struct actor *actors;
    size_t nactors, cap_actors;
    struct agent *agents;
    size_t nagents, cap_agents;
    struct vpattern *verbs;
    size_t nverbs, cap_verbs;
    struct wordset *sets;
    size_t nsets, cap_sets;
    uint32_t *named_sets; /* indexes of the sets that have a name (anonymous ones are many) */
    size_t nnamed, cap_named;
    struct discard *discards;
    size_t ndiscards, cap_discards;
    struct issue *issues;
    size_t nissues, cap_issues;
    struct form *forms;
    size_t nforms, cap_forms;
    struct alignment *aligns;
    size_t naligns, cap_aligns;

    const char *label;   /* display name of the file being loaded (set by tumen_dict_load) */
    bool finished;
    bool has_prefix_words; /* some phrase uses PW_PREFIX */

    /* built by tumen_dict_finish */
    struct windex actor_ix, agent_ix, verb_ix, discard_ix, issue_ix;
    uint32_t *lemma_of; /* word id -> lemma id (NOID = itself) */
    uint32_t *lemma_of2; /* second reading (noun vs verb), NOID if none */
    uint16_t *wclass;    /* word id -> enum word_class */
    size_t nlemma;
};

/* Builder API for loaders. Strings are copied. Words are normalized by dict_word. */

/* Registers a source file path; returns its index (for struct src). */
uint32_t dict_file(struct tumen_dict *d, const char *path);
/* Interns one word after normalizing (case fold, quote folding); NOID on OOM. */
uint32_t dict_word(struct tumen_dict *d, const char *s, size_t n);
/* Splits a phrase on blanks and '_' (consecutive words) into a struct phrase. With
 * tabari_syntax, '_' joins consecutive words, a blank allows gaps (agents), and a word not
 * ending in '_' is a stem (PW_PREFIX). Without it, words are blank-separated and exact. */
tumen_status dict_phrase(struct tumen_dict *d, const char *s, size_t n, bool tabari_syntax,
                         struct phrase *out);

tumen_status dict_add_actor(struct tumen_dict *d, const struct actor *a);
tumen_status dict_add_agent(struct tumen_dict *d, const struct agent *a);
tumen_status dict_add_verb(struct tumen_dict *d, const struct vpattern *v);
/* Returns the new set's index in *idx. */
tumen_status dict_add_set(struct tumen_dict *d, const struct wordset *s, uint32_t *idx);
/* Looks a set up by label; NOID when absent. */
uint32_t dict_find_set(const struct tumen_dict *d, uint32_t name);
tumen_status dict_add_discard(struct tumen_dict *d, const struct discard *x);
tumen_status dict_add_issue(struct tumen_dict *d, const struct issue *x);
tumen_status dict_add_form(struct tumen_dict *d, uint32_t surface, uint32_t lemma);
tumen_status dict_add_alignment(struct tumen_dict *d, const struct alignment *a);
/* Snapshot of entry counts, so a loader can drop everything one file added on error. */
struct dict_mark {
    size_t nactors, nagents, nverbs, nsets, ndiscards, nissues, nforms, naligns;
};
void dict_mark(const struct tumen_dict *d, struct dict_mark *m);
void dict_rollback(struct tumen_dict *d, const struct dict_mark *m);

/* Detects a file's dictionary format from its path and first bytes. */
tumen_dict_format dict_detect(const char *path, const char *head, size_t n);

/* Arena allocation owned by the dictionary. */
void *dict_alloc(struct tumen_dict *d, size_t n);

/* Picks the code of an actor for a date (yyyymmdd, 0 = unknown: the latest open role).
 * Returns "" when none applies. */
const char *actor_code_at(const struct actor *a, int32_t date);

/* Loaders (dict_tumen.c, dict_tabari.c, dict_petrarch.c). path is the file to read. */
tumen_status dict_load_tumen(struct tumen_dict *d, const char *path, tumen_error *err);
tumen_status dict_load_tabari(struct tumen_dict *d, const char *path, tumen_error *err);
tumen_status dict_load_petrarch(struct tumen_dict *d, const char *path, tumen_error *err);

/* Reads a whole file into a NUL-terminated malloc'd buffer (caller frees *out), without
 * checking its bytes. An empty file gives an empty buffer. */
tumen_status dict_read_raw(const char *path, char **out, size_t *len, tumen_error *err);

/* dict_read_raw(), then rejects NUL bytes and invalid UTF-8 with file:line:col. */
tumen_status dict_read_file(const char *path, char **out, size_t *len, tumen_error *err);

/* Verb forms via WordNet (lexicon.c): adds surface->lemma forms for every head lemma. */
tumen_status lexicon_generate(struct tumen_dict *d, tumen_error *err);

#endif
