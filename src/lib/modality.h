/* Modality, attribution and forecasts: how the text commits to an event.
 *
 * The coder calls modality_classify once per candidate event with the tokenized sentence
 * and the event's head words. The result says whether the event is asserted, reported,
 * hypothetical, negated, denied or forecast (precedence in ../shared/gold/CONVENTIONS.md
 * §6: denied > negated > forecast > hypothetical > reported > asserted), which words say so,
 * who the content is attributed to and, for forecasts, the hedge words and their
 * probability from the words-of-estimative-probability table (data/wep.tsv, documented in
 * docs/modality.md).
 *
 * Cues are found by comparing normalised token strings (never dictionary ids). Each cue
 * governs a scope: the clause it stands in, the rest of its clause, or (reporting verbs,
 * "according to", "reportedly") its complement. Clause boundaries are shared with
 * quantity.c and timex.c through prose_clause_start/prose_strong_start below.
 *
 * Nothing here allocates, prints or keeps state: every function is reentrant. */
#ifndef TUMEN_MODALITY_H
#define TUMEN_MODALITY_H

#include "text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An actor mention in the sentence: tokens toks[first .. first+n) (absolute indexes) and
 * its CAMEO code (borrowed). */
struct mod_actor {
    uint32_t first, n;
    const char *code;
};

struct mod_input {
    const struct text *t;
    const struct sent *s;
    const char *doc;
    uint32_t head, head_n;     /* token range of the event's head words (verb or noun) */
    uint32_t src_tok, tgt_tok; /* first token of the source / target mention, TUMEN_NOID if none */
    const struct mod_actor *actors;
    size_t nactors;
    const char *code; /* the event's CAMEO code ("072"), "--" for statistics, may be NULL */
    struct mod_cache *cache; /* optional per-sentence memo (mod_cache_new), may be NULL */
};

/* A memo of cue positions for one sentence at a time, owned by the caller: reset it
 * (mod_cache_reset) whenever the sentence or the document changes. */
struct mod_cache;
struct mod_cache *mod_cache_new(void);
void mod_cache_reset(struct mod_cache *mc);
void mod_cache_free(struct mod_cache *mc);

struct mod_result {
    tumen_modality modality;
    tumen_span cue;          /* attribution/denial words if any, else the modality cue; length 0 if none */
    char attributed_to[24];  /* "" none, "---" unnamed source, else the speaker's actor code */
    tumen_span prob_words;   /* forecasts: the hedge words */
    double probability;      /* forecasts: 0..1 from data/wep.tsv; -1 if none */
    /* Added fields, for --explain and for the coder: */
    tumen_span mod_cue;      /* the words that decided the modality (length 0 if asserted) */
    tumen_span scope;        /* byte span of the deciding cue's scope (length 0 if none) */
    uint32_t attrib_tok;     /* first token of the speaker mention, TUMEN_NOID if none */
    bool attrib_pronoun;     /* the speaker is a pronoun ("according to him"): the coder may
                              * resolve it from the previous sentence; attributed_to is "---" */
};

/* Classifies one event. in and out must not be NULL; out is fully overwritten. Tokens
 * outside in->s are never read. Cost is linear in the size of the window around the head
 * (at most ~2 x 160 tokens), so long sentences stay cheap. */
void modality_classify(const struct mod_input *in, struct mod_result *out);

/* ---- words of estimative probability ---- */

struct wep_entry {
    const char *phrase; /* normalised words separated by single spaces: "very likely" */
    double p;           /* 0..1 */
};

/* The compiled table (sorted by phrase); *n receives its length. Static storage. */
const struct wep_entry *modality_wep_table(size_t *n);

/* Probability of a normalised phrase ("extremely unlikely"), or -1 if not in the table. */
double modality_wep_lookup(const char *phrase);

/* True when every static word table in modality.c is strictly sorted (they are
 * binary-searched). For the unit tests. */
bool modality_tables_sorted(void);

/* ---- clause structure shared by modality.c, quantity.c and timex.c ---- */

/* True if a new clause starts at token k of sentence s: after , ; : ( ) or a dash, at a
 * subordinator or relative (but, while, whereas, although, though, if, unless, whether,
 * which, who, where, because, ...), at an inverted conditional "should", or at "and"/"or"
 * followed by a new finite verb (a modal, an auxiliary, a pronoun subject or an -ed verb). */
bool prose_clause_start(const struct text *t, const struct sent *s, uint32_t k);

/* True if a strong boundary starts at token k: ; : a dash, but, yet, however, whereas,
 * while, although, though. Attribution scope stops there. */
bool prose_strong_start(const struct text *t, const struct sent *s, uint32_t k);

/* True if tokens a and b (either order) are in the same clause. */
bool prose_same_clause(const struct text *t, const struct sent *s, uint32_t a, uint32_t b);

#endif
