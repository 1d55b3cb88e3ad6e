/* Where tokens meet dictionaries: actor mentions (with agents composed onto countries),
 * discards, and verb-pattern matching at a head token. */
#ifndef TUMEN_MATCH_H
#define TUMEN_MATCH_H

#include "dict.h"
#include "text.h"

/* An actor mention in a sentence. Token indexes are absolute (into text->toks). */
struct mention {
    uint32_t first, n;         /* tokens covered, including a composed agent */
    char code[DICT_CODE_MAX];  /* resolved at the document date */
    uint32_t actor;            /* dict actor index, TUMEN_NOID for agent-only */
    uint32_t group;            /* compound group id ("Russia and North Korea") */
    uint32_t line_file, line;  /* dictionary entry, for --explain */
    bool after_prep;           /* directly governed by a preposition (not a subject) */
    uint8_t prep_cls;          /* which: WC_PREP / WC_BY / WC_BETWEEN */
    uint32_t prep_tok;         /* the preposition's token, TUMEN_NOID */
    bool possessive;           /* followed by 's */
    bool adjective;            /* "Russian" used before a noun */
    bool modifier;             /* "Russian-backed entities": names something else */
};

/* Fills tok.id / lemma / lemma2 / pfx for tokens [first, first+n). */
void match_lookup(const struct tumen_dict *d, const struct text *t, struct tok *toks, size_t first,
                  size_t n);

/* True if the sentence contains a whole-sentence discard phrase. */
bool match_discarded(const struct tumen_dict *d, const struct text *t, const struct sent *s,
                     uint32_t *entry);

/* Finds actor mentions in a sentence, left to right, longest match first, composing agents.
 * Writes at most max mentions to out and returns the count. date is yyyymmdd or 0. */
size_t match_actors(const struct tumen_dict *d, const struct text *t, const struct sent *s,
                    int32_t date, struct mention *out, size_t max);

/* Longest agent phrase at token k (within [k, end)): its length, and its code in *code
 * (borrowed from the dictionary). 0 when none. */
uint32_t match_agent_at(const struct tumen_dict *d, const struct text *t, size_t k, size_t end,
                        const char **code);

/* Does token k match dictionary word w (surface, lemma or stem)? */
bool tok_is(const struct tok *k, uint32_t w, uint8_t flags, const struct tumen_dict *d,
            const struct text *t);

/* Does the phrase ph match at token k (within [k, end))? Returns the tokens used or 0. */
uint32_t phrase_at(const struct tumen_dict *d, const struct text *t, const struct phrase *ph,
                   size_t k, size_t end);

#endif
