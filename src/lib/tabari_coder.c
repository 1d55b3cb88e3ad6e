/* TABARI-compatible coding engine (TABARI manual 0.8.4, chapters 5-8).
 *
 * A record is read the way TABARI reads it: hyphens are blanks, "'s" is an ending of the word
 * before it, clitics ("n't") stay with their word. Words are then classified (actors, agents,
 * nouns, adjectives, verbs, determiners, pronouns, conjunctions, commas), agents are combined
 * with actors, parsed compounds are built, pronouns are coreferenced, comma-delimited
 * nonrestrictive clauses are dropped and the record is cut into clauses at the conjunctions
 * that are not inside a compound. In each clause the verbs are tried left to right, every
 * verb's patterns longest first; the first non-null match codes the clause. Sources and
 * targets come from the pattern's $ + % slots or from TABARI's default searches. */
#include "tabari_coder.h"

#include "dict_tabari.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CODES 16   /* codes of one unit (coded compounds) */
#define MAX_EVENTS 256 /* per record (TABARI allows 64) */

/* word flags */
enum {
    W_CAP = 1u << 0,   /* capitalised in the text */
    W_POSS = 1u << 1,  /* "'s" followed */
    W_UPPER = 1u << 2, /* all capitals */
    W_NUM = 1u << 3
};

/* word types (manual section 7.1) */
enum wtype {
    WT_NULL = 0,
    WT_ACTOR,
    WT_AGENT,
    WT_VERB,
    WT_NOUN,
    WT_ADJ,
    WT_DET,
    WT_PRON,
    WT_CONJ,
    WT_COMMA,
    WT_BY,
    WT_AUX,
    WT_NUM
};

struct tw {
    uint32_t s, n;       /* text in e->wtext */
    uint32_t tok0, tok1; /* tokens covered (inclusive) */
    uint16_t f;
    uint8_t type;
    int32_t unit; /* actor unit covering the word, -1 */
    int32_t root; /* verb: index into e->roots, -1 */
    uint32_t vend; /* verb: one past the last word of its root */
};

/* An actor occurrence: an actor phrase with its agents, a converted agent, or a pronoun. */
struct unit {
    uint32_t first, last; /* words (inclusive) */
    char code[DICT_CODE_MAX * 2];
    int32_t group;        /* first unit of its parsed compound (itself when alone) */
    int32_t next;         /* next unit of the same compound, -1 */
    bool pronoun;
    bool gone;   /* inside a dropped comma clause */
    int32_t ref; /* pronoun: the unit it stands for, -1 */
};

/* A verb root found at a word: the vpatterns of the root, longest first. */
struct root {
    uint32_t *pats;
    uint32_t npats;
};

struct tabari_engine {
    const struct tumen_dict *d;
    struct tabari_options opt;
    struct text text;
    struct buf wtext;
    struct tw *w;
    size_t nw, capw;
    struct unit *u;
    size_t nu, capu;
    uint32_t *pat_buf;
    size_t npat_buf, cap_pat_buf;
    struct root *roots;
    size_t nroots, caproots;
    uint32_t noun_set, adj_set;
    int32_t date;
    bool ended; /* the words end with a sentence-final . ? ! */
    /* events of the current record */
    struct tev {
        char src[DICT_CODE_MAX * 2], tgt[DICT_CODE_MAX * 2], code[8];
        bool sub, dom;
        uint32_t v0, v1; /* verb words */
        const struct vpattern *vp;
    } ev[MAX_EVENTS];
    size_t nev;
    bool complex, discard;
    /* FORWARD: the first actor of the previous record */
    char fwd_code[DICT_CODE_MAX * 2];
    bool fwd_compound;
    bool fwd_valid;
};

/* ---- life cycle ---- */

static uint32_t find_set(const struct tumen_dict *d, const char *name) {
    uint32_t id = intern_find(&d->words, name, strlen(name));
    return id == TUMEN_NOID ? TUMEN_NOID : dict_find_set(d, id);
}

tumen_status tabari_engine_new(const struct tumen_dict *d, const struct tabari_options *opt,
                               struct tabari_engine **out) {
    *out = NULL;
    if (d == NULL || !d->finished) {
        return TUMEN_INVALID;
    }
    struct tabari_engine *e = calloc(1, sizeof *e);
    if (e == NULL) {
        return TUMEN_NOMEM;
    }
    e->d = d;
    if (opt) {
        e->opt = *opt;
    } else {
        tabari_options_init(&e->opt);
    }
    text_init(&e->text);
    buf_init(&e->wtext, 0);
    e->noun_set = find_set(d, "<noun>");
    e->adj_set = find_set(d, "<adjective>");
    *out = e;
    return TUMEN_OK;
}

void tabari_engine_set_options(struct tabari_engine *e, const struct tabari_options *opt) {
    if (opt) {
        e->opt = *opt;
    } else {
        tabari_options_init(&e->opt);
    }
}

void tabari_engine_free(struct tabari_engine *e) {
    if (e == NULL) {
        return;
    }
    text_fini(&e->text);
    buf_fini(&e->wtext);
    free(e->w);
    free(e->u);
    free(e->pat_buf);
    free(e->roots);
    free(e);
}

/* ---- words ---- */

static const char *wstr(const struct tabari_engine *e, const struct tw *w) {
    return e->wtext.data + w->s;
}

static bool wis(const struct tabari_engine *e, size_t i, const char *s) {
    size_t n = strlen(s);
    return i < e->nw && e->w[i].n == n && memcmp(wstr(e, &e->w[i]), s, n) == 0;
}

static bool is_clitic(const char *s, size_t n) {
    return (n == 3 && memcmp(s, "n't", 3) == 0) || (n == 3 && memcmp(s, "'ll", 3) == 0) ||
           (n == 3 && memcmp(s, "'re", 3) == 0) || (n == 3 && memcmp(s, "'ve", 3) == 0) ||
           (n == 2 && memcmp(s, "'d", 2) == 0) || (n == 2 && memcmp(s, "'m", 2) == 0);
}

static tumen_status push_word(struct tabari_engine *e, const char *s, size_t n, uint32_t tok,
                              uint16_t f) {
    if (!grow((void **)&e->w, &e->capw, e->nw + 1, sizeof *e->w)) {
        return TUMEN_NOMEM;
    }
    struct tw *w = &e->w[e->nw++];
    memset(w, 0, sizeof *w);
    w->s = (uint32_t)e->wtext.len;
    w->n = (uint32_t)n;
    w->tok0 = w->tok1 = tok;
    w->f = f;
    w->unit = -1;
    w->root = -1;
    if (buf_add(&e->wtext, s, n) != TUMEN_OK || buf_addc(&e->wtext, '\0') != TUMEN_OK) {
        return TUMEN_NOMEM;
    }
    return TUMEN_OK;
}

/* TABARI's input filter over tokens [first, end): hyphens, periods, quotes and brackets are
 * blanks; ';' is a comma; "'s" marks the word before; clitics join it. */
static tumen_status build_words(struct tabari_engine *e, size_t first, size_t end) {
    e->nw = 0;
    e->ended = false;
    buf_reset(&e->wtext);
    for (size_t k = end; k-- > first;) {
        const struct tok *t = &e->text.toks[k];
        const char *s = tok_norm(&e->text, t);
        if (t->flags & TF_QUOTE) {
            continue;
        }
        e->ended = t->nlen >= 1 && (s[0] == '.' || s[0] == '?' || s[0] == '!');
        break;
    }
    for (size_t k = first; k < end; k++) {
        const struct tok *t = &e->text.toks[k];
        const char *s = tok_norm(&e->text, t);
        size_t n = t->nlen;
        if (t->flags & TF_POSS) {
            if (e->nw > 0 && !(t->flags & TF_SPACE_BEFORE)) {
                e->w[e->nw - 1].f |= W_POSS;
                e->w[e->nw - 1].tok1 = (uint32_t)k;
            }
            continue;
        }
        if ((t->flags & TF_WORD) && is_clitic(s, n) && e->nw > 0 &&
            !(t->flags & TF_SPACE_BEFORE)) {
            /* "didn't": one word as TABARI sees it */
            struct tw *p = &e->w[e->nw - 1];
            e->wtext.len--; /* the NUL */
            if (buf_add(&e->wtext, s, n) != TUMEN_OK || buf_addc(&e->wtext, '\0') != TUMEN_OK) {
                return TUMEN_NOMEM;
            }
            p->n += (uint32_t)n;
            p->tok1 = (uint32_t)k;
            continue;
        }
        tumen_status st = TUMEN_OK;
        if (t->flags & TF_WORD) {
            uint16_t f = 0;
            if (t->flags & TF_CAP) {
                f |= W_CAP;
            }
            if (t->flags & TF_UPPER) {
                f |= W_UPPER;
            }
            st = push_word(e, s, n, (uint32_t)k, f);
        } else if (t->flags & TF_NUM) {
            char nb[64];
            size_t m = 0;
            for (size_t i = 0; i < n && m + 1 < sizeof nb; i++) {
                if (s[i] != ',') {
                    nb[m++] = s[i];
                }
            }
            st = push_word(e, nb, m, (uint32_t)k, W_NUM);
        } else if (n == 1 && (s[0] == ',' || s[0] == ';')) {
            st = push_word(e, ",", 1, (uint32_t)k, 0);
        }
        if (st != TUMEN_OK) {
            return st;
        }
    }
    return TUMEN_OK;
}

/* ---- matching dictionary words against text words ---- */

static bool ends_e(const char *s, size_t n) {
    return n > 0 && s[n - 1] == 'e';
}

/* Regular endings (manual 5.2.3): -S -ED -ES -EN -ING, also after a final E. */
static bool regular_ending(const char *stem, size_t sn, const char *x, size_t xn) {
    if (xn <= sn || memcmp(x, stem, sn) != 0) {
        /* "deploring": the stem's final e dropped */
        if (ends_e(stem, sn) && xn > sn - 1 && memcmp(x, stem, sn - 1) == 0) {
            const char *r = x + sn - 1;
            size_t rn = xn - (sn - 1);
            return (rn == 3 && memcmp(r, "ing", 3) == 0);
        }
        return false;
    }
    const char *r = x + sn;
    size_t rn = xn - sn;
    static const char *const ends[] = {"s", "ed", "es", "en", "ing"};
    for (size_t i = 0; i < 5; i++) {
        if (strlen(ends[i]) == rn && memcmp(r, ends[i], rn) == 0) {
            return true;
        }
    }
    if (ends_e(stem, sn) && rn == 1 && (r[0] == 'd' || r[0] == 'n')) {
        return true;
    }
    return false;
}

enum mkind { MK_PHRASE_LAST, MK_PHRASE_INNER, MK_VERB, MK_PATTERN };

/* Does dictionary word id (flags f) match text word i? */
static bool word_match(const struct tabari_engine *e, uint32_t id, uint8_t f, size_t i,
                       enum mkind kind) {
    if (i >= e->nw) {
        return false;
    }
    const struct tw *w = &e->w[i];
    if (w->n == 1 && wstr(e, w)[0] == ',') {
        return false;
    }
    const char *ds = intern_str(&e->d->words, id);
    size_t dn = e->d->words.lens[id];
    const char *x = wstr(e, w);
    size_t xn = w->n;
    bool poss = (w->f & W_POSS) != 0;
    if (poss && (kind == MK_VERB || kind == MK_PHRASE_INNER)) {
        return false; /* "donate's" is no verb; "ithilen's government radio" no phrase */
    }
    if (f & PW_PREFIX) {
        return dn <= xn && memcmp(x, ds, dn) == 0;
    }
    if (dn == xn && memcmp(x, ds, dn) == 0) {
        return true;
    }
    if (f & PW_EXACT) {
        return false;
    }
    if (kind == MK_PHRASE_LAST || kind == MK_VERB) {
        return regular_ending(ds, dn, x, xn);
    }
    return false;
}

/* A dictionary phrase (actor, agent, noun, synset alternative) at word i, within [i, lim).
 * Blanks in the phrase (PW_GAP) let other words come between. Returns the words used. */
static size_t phrase_match(const struct tabari_engine *e, const struct phrase *ph, size_t i,
                           size_t lim, enum mkind last_kind) {
    size_t pos = i;
    for (uint16_t k = 0; k < ph->n; k++) {
        enum mkind mk = k + 1 == ph->n ? last_kind : MK_PHRASE_INNER;
        if (last_kind == MK_PATTERN) {
            mk = MK_PATTERN;
        }
        if (k > 0 && (ph->f[k] & PW_GAP)) {
            size_t q = pos;
            while (q < lim && !word_match(e, ph->w[k], ph->f[k], q, mk)) {
                if (e->w[q].n == 1 && wstr(e, &e->w[q])[0] == ',') {
                    return 0;
                }
                q++;
            }
            if (q >= lim) {
                return 0;
            }
            pos = q + 1;
            continue;
        }
        if (pos >= lim || !word_match(e, ph->w[k], ph->f[k], pos, mk)) {
            return 0;
        }
        pos++;
    }
    return pos - i;
}

/* Calls fn for every dictionary word id that could start a phrase matching word i: the
 * word itself and each of its prefixes (stems). */
static size_t key_ids(const struct tabari_engine *e, size_t i, uint32_t *ids, size_t max) {
    const struct tw *w = &e->w[i];
    const char *x = wstr(e, w);
    size_t nk = 0;
    for (size_t len = w->n; len >= 1 && nk < max; len--) {
        uint32_t id = intern_find(&e->d->words, x, len);
        if (id != TUMEN_NOID) {
            ids[nk++] = id;
        }
    }
    /* "deploring" -> "deplore" */
    if (w->n > 4 && nk < max && memcmp(x + w->n - 3, "ing", 3) == 0) {
        char tmp[128];
        size_t b = w->n - 3;
        if (b + 1 < sizeof tmp) {
            memcpy(tmp, x, b);
            tmp[b] = 'e';
            uint32_t id = intern_find(&e->d->words, tmp, b + 1);
            if (id != TUMEN_NOID) {
                ids[nk++] = id;
            }
        }
    }
    return nk;
}

/* ---- dates and actor codes ---- */

static int32_t doc_date(const char *s) {
    int32_t v = 0;
    if (s == NULL || !date_parse(s, strlen(s), &v)) {
        return 0;
    }
    return v;
}

/* TABARI: the first satisfied restriction in listed order, then the default; a phrase with
 * restrictions and no default is null outside them. */
static const char *tab_actor_code(const struct actor *a, int32_t date) {
    for (uint32_t r = 0; r < a->nroles && date != 0; r++) {
        const struct actor_role *ro = &a->roles[r];
        if ((ro->from == 0 || date >= ro->from) && (ro->to == 0 || date <= ro->to)) {
            return ro->code;
        }
    }
    if (a->code[0]) {
        return a->code;
    }
    if (date == 0 && a->nroles > 0) {
        return a->roles[a->nroles - 1].code;
    }
    return "---";
}

/* Longest actor phrase at word i: its length, the actor. */
static size_t actor_at(const struct tabari_engine *e, size_t i, const struct actor **out) {
    const struct tumen_dict *d = e->d;
    uint32_t ids[48];
    size_t nk = key_ids(e, i, ids, 48);
    size_t best = 0;
    size_t best_chars = 0;
    for (size_t ki = 0; ki < nk; ki++) {
        uint32_t id = ids[ki];
        if (id >= d->actor_ix.nwords) {
            continue;
        }
        for (uint32_t j = d->actor_ix.start[id]; j < d->actor_ix.start[id + 1]; j++) {
            const struct actor *a = &d->actors[d->actor_ix.idx[j]];
            size_t n = phrase_match(e, &a->ph, i, e->nw, MK_PHRASE_LAST);
            if (n == 0) {
                continue;
            }
            size_t chars = 0;
            for (uint16_t k = 0; k < a->ph.n; k++) {
                chars += d->words.lens[a->ph.w[k]];
            }
            if (n > best || (n == best && chars > best_chars)) {
                best = n;
                best_chars = chars;
                *out = a;
            }
        }
    }
    return best;
}

static size_t agent_at(const struct tabari_engine *e, size_t i, size_t lim,
                       const struct agent **out) {
    const struct tumen_dict *d = e->d;
    uint32_t ids[48];
    size_t nk = key_ids(e, i, ids, 48);
    size_t best = 0;
    for (size_t ki = 0; ki < nk; ki++) {
        uint32_t id = ids[ki];
        if (id >= d->agent_ix.nwords) {
            continue;
        }
        for (uint32_t j = d->agent_ix.start[id]; j < d->agent_ix.start[id + 1]; j++) {
            const struct agent *a = &d->agents[d->agent_ix.idx[j]];
            size_t n = phrase_match(e, &a->ph, i, lim, MK_PHRASE_LAST);
            if (n > best) {
                best = n;
                *out = a;
            }
        }
    }
    return best;
}

/* Longest phrase of word set si at word i. */
static size_t set_at(const struct tabari_engine *e, uint32_t si, size_t i, size_t lim,
                     enum mkind kind) {
    if (si == TUMEN_NOID || si >= e->d->nsets) {
        return 0;
    }
    const struct wordset *s = &e->d->sets[si];
    size_t best = 0;
    for (uint32_t k = 0; k < s->nalts; k++) {
        size_t n = phrase_match(e, &s->alts[k], i, lim, kind);
        if (n > best) {
            best = n;
        }
    }
    return best;
}

/* ---- verbs ---- */

static size_t head_chars(const struct tumen_dict *d, const struct phrase *h) {
    size_t c = 0;
    for (uint16_t k = 0; k < h->n; k++) {
        c += d->words.lens[h->w[k]];
    }
    return c;
}

static bool same_head(const struct phrase *a, const struct phrase *b) {
    if (a->n != b->n) {
        return false;
    }
    for (uint16_t k = 0; k < a->n; k++) {
        if (a->w[k] != b->w[k]) {
            return false;
        }
    }
    return true;
}

/* Matches a verb head at word i; returns one past its last word, 0 if none. The first word
 * takes the regular verb endings; later words of a multiword root may have gaps. */
static size_t head_match(const struct tabari_engine *e, const struct phrase *h, size_t i) {
    if (!word_match(e, h->w[0], h->f[0] & (uint8_t)~PW_GAP, i, MK_VERB)) {
        return 0;
    }
    size_t pos = i + 1;
    for (uint16_t k = 1; k < h->n; k++) {
        if (h->f[k] & PW_GAP) {
            size_t q = pos;
            while (q < e->nw && !word_match(e, h->w[k], h->f[k], q, MK_VERB)) {
                if (e->w[q].type == WT_CONJ || e->w[q].type == WT_COMMA) {
                    return 0;
                }
                q++;
            }
            if (q >= e->nw) {
                return 0;
            }
            pos = q + 1;
        } else {
            if (!word_match(e, h->w[k], h->f[k], pos, MK_VERB)) {
                return 0;
            }
            pos++;
        }
    }
    return pos;
}

static int cmp_spec(const void *a, const void *b, const struct tumen_dict *d) {
    const struct vpattern *x = &d->verbs[*(const uint32_t *)a];
    const struct vpattern *y = &d->verbs[*(const uint32_t *)b];
    if (x->specificity != y->specificity) {
        return x->specificity > y->specificity ? -1 : 1;
    }
    bool xr = x->npre == 0 && x->npost == 0, yr = y->npre == 0 && y->npost == 0;
    if (xr != yr) {
        return xr ? 1 : -1; /* the root itself is tried last */
    }
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* insertion sort (pattern lists are short), stable, longest first */
static void sort_pats(uint32_t *p, size_t n, const struct tumen_dict *d) {
    for (size_t i = 1; i < n; i++) {
        uint32_t x = p[i];
        size_t j = i;
        while (j > 0 && cmp_spec(&x, &p[j - 1], d) < 0) {
            p[j] = p[j - 1];
            j--;
        }
        p[j] = x;
    }
}

/* Finds the root at word i (longest root whose head matches) and records its patterns. */
static tumen_status find_root(struct tabari_engine *e, size_t i) {
    const struct tumen_dict *d = e->d;
    uint32_t ids[48];
    size_t nk = key_ids(e, i, ids, 48);
    const struct vpattern *best = NULL;
    size_t best_chars = 0, best_end = 0;
    for (size_t ki = 0; ki < nk; ki++) {
        uint32_t id = ids[ki];
        if (id >= d->verb_ix.nwords) {
            continue;
        }
        for (uint32_t j = d->verb_ix.start[id]; j < d->verb_ix.start[id + 1]; j++) {
            const struct vpattern *v = &d->verbs[d->verb_ix.idx[j]];
            if (v->head.w[0] != id) {
                continue;
            }
            size_t c = head_chars(d, &v->head);
            if (best != NULL && (c < best_chars || same_head(&v->head, &best->head))) {
                continue;
            }
            size_t end = head_match(e, &v->head, i);
            if (end == 0) {
                continue;
            }
            best = v;
            best_chars = c;
            best_end = end;
        }
    }
    if (best == NULL) {
        return TUMEN_OK;
    }
    /* every pattern of that root */
    size_t start = e->npat_buf;
    bool any_code = false;
    uint32_t id = best->head.w[0];
    for (uint32_t j = d->verb_ix.start[id]; j < d->verb_ix.start[id + 1]; j++) {
        uint32_t vi = d->verb_ix.idx[j];
        const struct vpattern *v = &d->verbs[vi];
        if (!same_head(&v->head, &best->head)) {
            continue;
        }
        if (!grow((void **)&e->pat_buf, &e->cap_pat_buf, e->npat_buf + 1, sizeof *e->pat_buf)) {
            return TUMEN_NOMEM;
        }
        e->pat_buf[e->npat_buf++] = vi;
        if (!(v->flags & VP_NULL) || v->npre || v->npost) {
            any_code = true;
        }
    }
    if (!any_code) {
        e->npat_buf = start; /* null-coded root without patterns: not a verb */
        return TUMEN_OK;
    }
    sort_pats(e->pat_buf + start, e->npat_buf - start, d);
    if (!grow((void **)&e->roots, &e->caproots, e->nroots + 1, sizeof *e->roots)) {
        return TUMEN_NOMEM;
    }
    /* pats are an offset for now: pat_buf may still move */
    e->roots[e->nroots].pats = (uint32_t *)(uintptr_t)start;
    e->roots[e->nroots].npats = (uint32_t)(e->npat_buf - start);
    e->w[i].type = WT_VERB;
    e->w[i].root = (int32_t)e->nroots;
    e->w[i].vend = (uint32_t)best_end;
    e->nroots++;
    return TUMEN_OK;
}

/* ---- classification ---- */

static bool in_list(const struct tabari_engine *e, size_t i, const char *const *list) {
    for (size_t k = 0; list[k]; k++) {
        if (wis(e, i, list[k])) {
            return true;
        }
    }
    return false;
}

static const char *const DETS[] = {"the", "a", "an", NULL};
static const char *const PRONS[] = {"he", "she", "it", "its", "his", "her", "they", "them",
                                    "their", "him", NULL};
static const char *const CONJS[] = {"and", "but", "or", "nor", NULL};
static const char *const AUXS[] = {"was", "were", "been", NULL};

static tumen_status add_unit(struct tabari_engine *e, size_t first, size_t last,
                             const char *code_in, bool pronoun) {
    char code[DICT_CODE_MAX * 2];
    snprintf(code, sizeof code, "%s", code_in); /* code_in may point into e->u */
    if (!grow((void **)&e->u, &e->capu, e->nu + 1, sizeof *e->u)) {
        return TUMEN_NOMEM;
    }
    struct unit *u = &e->u[e->nu];
    memset(u, 0, sizeof *u);
    u->first = (uint32_t)first;
    u->last = (uint32_t)last;
    snprintf(u->code, sizeof u->code, "%s", code);
    u->group = (int32_t)e->nu;
    u->next = -1;
    u->pronoun = pronoun;
    u->ref = -1;
    for (size_t k = first; k <= last; k++) {
        e->w[k].unit = (int32_t)e->nu;
        e->w[k].type = pronoun ? WT_PRON : WT_ACTOR;
    }
    e->nu++;
    return TUMEN_OK;
}

/* Adds an agent code to an actor code (manual 5.4): not when the actor code already holds
 * it on a 3-character boundary. */
static void compose(char *code, size_t size, const char *ag, bool prefix) {
    size_t n = strlen(code), an = strlen(ag);
    if (an == 0) {
        return;
    }
    for (size_t k = 0; k + an <= n; k += 3) {
        if (memcmp(code + k, ag, an) == 0) {
            return;
        }
    }
    if (n + an + 1 > size) {
        return;
    }
    if (prefix) {
        memmove(code + an, code, n + 1);
        memcpy(code, ag, an);
    } else {
        memcpy(code + n, ag, an + 1);
    }
}

static bool former_before(const struct tabari_engine *e, size_t i) {
    return i > 0 && wis(e, i - 1, "former");
}

static const char *agent_code(const struct agent *a, bool former) {
    return former ? "ELI" : a->code;
}

/* Actors, agents and their combination, nouns and adjectives, closed-class words. */
static tumen_status classify(struct tabari_engine *e) {
    size_t nw = e->nw;
    /* pass 1: actors (longest phrase first, left to right) */
    struct agent_hit {
        uint32_t first, n;
        const struct agent *a;
    } *ag = NULL;
    size_t nag = 0, capag = 0;
    tumen_status st = TUMEN_OK;
    for (size_t i = 0; i < nw && st == TUMEN_OK;) {
        const struct tw *w = &e->w[i];
        if (w->n == 1 && wstr(e, w)[0] == ',') {
            e->w[i].type = WT_COMMA;
            i++;
            continue;
        }
        const struct actor *a = NULL;
        size_t n = actor_at(e, i, &a);
        if (n > 0) {
            const char *code = tab_actor_code(a, e->date);
            if (strcmp(code, "###") == 0) {
                e->discard = true;
            } else if (strcmp(code, "+++") == 0) {
                e->complex = true;
            }
            if (strcmp(code, "---") == 0 || strcmp(code, "###") == 0 ||
                strcmp(code, "+++") == 0) {
                for (size_t k = i; k < i + n; k++) {
                    e->w[k].type = WT_NOUN;
                }
            } else {
                st = add_unit(e, i, i + n - 1, code, false);
            }
            i += n;
            continue;
        }
        const struct agent *g = NULL;
        n = agent_at(e, i, nw, &g);
        if (n > 0) {
            if (!grow((void **)&ag, &capag, nag + 1, sizeof *ag)) {
                st = TUMEN_NOMEM;
                break;
            }
            ag[nag].first = (uint32_t)i;
            ag[nag].n = (uint32_t)n;
            ag[nag].a = g;
            nag++;
            for (size_t k = i; k < i + n; k++) {
                e->w[k].type = WT_AGENT;
            }
            i += n;
            continue;
        }
        size_t m = set_at(e, e->noun_set, i, nw, MK_PHRASE_LAST);
        if (m > 0) {
            for (size_t k = i; k < i + m; k++) {
                e->w[k].type = WT_NOUN;
            }
            i += m;
            continue;
        }
        m = set_at(e, e->adj_set, i, nw, MK_PHRASE_LAST);
        if (m > 0) {
            for (size_t k = i; k < i + m; k++) {
                e->w[k].type = WT_ADJ;
            }
            i += m;
            continue;
        }
        i++;
    }
    if (st != TUMEN_OK) {
        free(ag);
        return st;
    }
    /* closed-class words */
    for (size_t i = 0; i < nw; i++) {
        struct tw *w = &e->w[i];
        if (w->type != WT_NULL) {
            continue;
        }
        if (w->f & W_NUM) {
            w->type = WT_NUM;
        } else if (in_list(e, i, DETS)) {
            w->type = WT_DET;
        } else if (in_list(e, i, CONJS)) {
            w->type = WT_CONJ;
        } else if (in_list(e, i, AUXS)) {
            w->type = WT_AUX;
        } else if (wis(e, i, "by")) {
            w->type = WT_BY;
        }
    }
    /* agents meet actors: AGENT ACTOR, ACTOR ['s] AGENT, AGENT IN|OF [THE] ACTOR */
    for (size_t k = 0; k < nag; k++) {
        size_t a0 = ag[k].first, a1 = ag[k].first + ag[k].n; /* [a0, a1) */
        bool former = former_before(e, a0);
        const struct agent *g = ag[k].a;
        int32_t target = -1;
        /* actor right before: "Bree Prime Minister", "Arnor former security officials" */
        size_t b = a0;
        if (b > 0 && wis(e, b - 1, "former")) {
            b--;
        }
        if (b > 0 && e->w[b - 1].unit >= 0 && !e->u[e->w[b - 1].unit].pronoun &&
            e->u[e->w[b - 1].unit].last == b - 1) {
            target = e->w[b - 1].unit;
        } else if (a1 < nw && e->w[a1].unit >= 0 && !e->u[e->w[a1].unit].pronoun &&
                   e->u[e->w[a1].unit].first == a1) {
            target = e->w[a1].unit; /* "President Peres", "human rights activists Gondor" */
        } else if (a1 + 1 < nw && (wis(e, a1, "of") || wis(e, a1, "in"))) {
            size_t q = a1 + 1;
            if (q < nw && e->w[q].type == WT_DET) {
                q++;
            }
            if (q < nw && e->w[q].unit >= 0 && e->u[e->w[q].unit].first == q) {
                target = e->w[q].unit;
            }
        }
        if (target >= 0 && !former) {
            former = former_before(e, e->u[target].first);
        }
        if (target < 0 && a0 > 0) {
            /* actor before: "Arnor security officials", "Minas Tirith border police" */
            size_t q = a0;
            size_t gap = 0;
            while (q > 0 && gap <= 2) {
                const struct tw *p = &e->w[q - 1];
                if (p->unit >= 0) {
                    break;
                }
                if (p->type != WT_NULL || wis(e, q - 1, "former") || (p->f & W_CAP)) {
                    if (!wis(e, q - 1, "former")) {
                        q = 0;
                        break;
                    }
                } else {
                    gap++;
                }
                q--;
            }
            if (q > 0 && gap <= 2 && e->w[q - 1].unit >= 0 && !e->u[e->w[q - 1].unit].pronoun &&
                e->u[e->w[q - 1].unit].last == q - 1) {
                target = e->w[q - 1].unit;
            }
        }
        if (target >= 0) {
            struct unit *u = &e->u[target];
            compose(u->code, sizeof u->code, agent_code(g, former), g->prefix);
            if (u->first > a0) {
                u->first = (uint32_t)a0;
            }
            if (u->last < a1 - 1) {
                u->last = (uint32_t)(a1 - 1);
            }
            for (size_t q = u->first; q <= u->last; q++) {
                e->w[q].unit = target;
                e->w[q].type = WT_ACTOR;
            }
        } else if (e->opt.convert_agents) {
            char code[DICT_CODE_MAX * 2];
            snprintf(code, sizeof code, "~%s", agent_code(g, former));
            st = add_unit(e, a0, a1 - 1, code, false);
            if (st != TUMEN_OK) {
                break;
            }
        }
    }
    free(ag);
    if (st != TUMEN_OK) {
        return st;
    }
    /* units must be in text order (converted agents were appended) */
    for (size_t i = 1; i < e->nu; i++) {
        struct unit x = e->u[i];
        size_t j = i;
        while (j > 0 && e->u[j - 1].first > x.first) {
            e->u[j] = e->u[j - 1];
            j--;
        }
        e->u[j] = x;
    }
    for (size_t i = 0; i < e->nu; i++) {
        e->u[i].group = (int32_t)i;
        e->u[i].next = -1;
        for (size_t q = e->u[i].first; q <= e->u[i].last; q++) {
            e->w[q].unit = (int32_t)i;
        }
    }
    return TUMEN_OK;
}

/* Verbs: a word not taken by an actor, agent, noun or adjective that starts a root; a verb
 * after THE/A/AN, or capitalised inside a mixed-case record, is a noun (manual 7.4). */
static tumen_status find_verbs(struct tabari_engine *e) {
    bool all_caps = true;
    for (size_t i = 0; i < e->nw && all_caps; i++) {
        const struct tw *w = &e->w[i];
        if ((w->f & W_CAP) && !(w->f & W_UPPER)) {
            all_caps = false;
        }
        if (!(w->f & W_CAP) && !(w->f & W_NUM) && !(w->n == 1 && wstr(e, w)[0] == ',')) {
            all_caps = false;
        }
    }
    e->nroots = 0;
    e->npat_buf = 0;
    for (size_t i = 0; i < e->nw; i++) {
        struct tw *w = &e->w[i];
        if (w->type != WT_NULL && w->type != WT_AUX && w->type != WT_BY && w->type != WT_CONJ) {
            continue;
        }
        tumen_status st = find_root(e, i);
        if (st != TUMEN_OK) {
            return st;
        }
        if (w->type != WT_VERB) {
            continue;
        }
        bool det = i > 0 && e->w[i - 1].type == WT_DET;
        bool cap = i > 0 && (w->f & W_CAP) && !all_caps;
        if (det || cap) {
            w->type = WT_NOUN;
            w->root = -1;
        }
    }
    for (size_t r = 0; r < e->nroots; r++) {
        e->roots[r].pats = e->pat_buf + (size_t)(uintptr_t)e->roots[r].pats;
    }
    return TUMEN_OK;
}

/* Parsed compounds: np (, np)* AND np, np = [det|adj]* actor (manual 7.5). */
static void compounds(struct tabari_engine *e) {
    for (size_t i = 0; i + 1 < e->nu; i++) {
        struct unit *a = &e->u[i];
        if (a->pronoun) {
            continue;
        }
        /* a chain starting at i */
        size_t j = i;
        bool saw_and = false;
        size_t members[64];
        size_t nm = 0;
        members[nm++] = i;
        while (j + 1 < e->nu && nm < 64) {
            struct unit *b = &e->u[j + 1];
            if (b->pronoun) {
                break;
            }
            size_t q = e->u[j].last + 1;
            bool comma = false, conj = false, ok = true;
            while (q < b->first) {
                const struct tw *w = &e->w[q];
                if (w->type == WT_COMMA && !conj) {
                    comma = true;
                } else if (wis(e, q, "and") || wis(e, q, "nor") || wis(e, q, "or")) {
                    if (conj) {
                        ok = false;
                    }
                    conj = true;
                } else if ((w->type == WT_DET || w->type == WT_ADJ) && (comma || conj)) {
                    /* np = det/adj* actor */
                } else {
                    ok = false;
                }
                if (!ok) {
                    break;
                }
                q++;
            }
            if (!ok || (!comma && !conj)) {
                break;
            }
            members[nm++] = j + 1;
            j++;
            if (conj) {
                saw_and = true;
                break;
            }
        }
        if (!saw_and || nm < 2) {
            continue;
        }
        for (size_t k = 0; k < nm; k++) {
            e->u[members[k]].group = (int32_t)i;
            e->u[members[k]].next = k + 1 < nm ? (int32_t)members[k + 1] : -1;
        }
        i = j;
    }
}

static bool is_compound(const struct tabari_engine *e, int32_t g) {
    return e->u[g].next >= 0 || strchr(e->u[g].code, '/') != NULL;
}

/* Pronoun coreference (manual 7.7): a pronoun becomes a unit carrying its referent's code. */
static tumen_status pronouns(struct tabari_engine *e) {
    size_t nu0 = e->nu;
    for (size_t i = 0; i < e->nw; i++) {
        if (e->w[i].type != WT_NULL || !in_list(e, i, PRONS)) {
            continue;
        }
        bool plural = wis(e, i, "they") || wis(e, i, "them") || wis(e, i, "their");
        int32_t ref = -1;
        for (size_t k = 0; k < nu0; k++) {
            if (e->u[k].first >= i) {
                break;
            }
            if (plural) {
                if (ref < 0) {
                    ref = (int32_t)k;
                }
                if (is_compound(e, e->u[k].group)) {
                    ref = (int32_t)k;
                    break;
                }
            } else if (ref < 0) {
                ref = (int32_t)k;
                break;
            }
        }
        const char *fwd = NULL;
        if (ref < 0 && e->opt.forward && e->fwd_valid) {
            if (!plural || e->fwd_compound) {
                fwd = e->fwd_code;
            }
        }
        if (ref < 0 && fwd == NULL) {
            e->w[i].type = WT_PRON;
            continue;
        }
        int32_t g = ref >= 0 ? e->u[ref].group : -1;
        /* a compound referent: the pronoun stands for every member */
        tumen_status st = add_unit(e, i, i, fwd ? fwd : e->u[g].code, true);
        if (st != TUMEN_OK) {
            return st;
        }
        size_t me = e->nu - 1;
        e->u[me].group = (int32_t)me;
        e->u[me].ref = ref;
        if (g >= 0) {
            int32_t prev = (int32_t)me;
            for (int32_t m = e->u[g].next; m >= 0; m = e->u[m].next) {
                st = add_unit(e, i, i, e->u[m].code, true);
                if (st != TUMEN_OK) {
                    return st;
                }
                e->u[e->nu - 1].group = (int32_t)me;
                e->u[prev].next = (int32_t)(e->nu - 1);
                prev = (int32_t)(e->nu - 1);
            }
            e->w[i].unit = (int32_t)me;
        }
    }
    /* keep text order; pronoun groups reference indexes, so sort with a remap */
    size_t n = e->nu;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    int32_t *pos = malloc((n ? n : 1) * sizeof *pos);
    struct unit *nu = malloc((n ? n : 1) * sizeof *nu);
    if (order == NULL || pos == NULL || nu == NULL) {
        free(order);
        free(pos);
        free(nu);
        return TUMEN_NOMEM;
    }
    for (size_t k = 0; k < n; k++) {
        order[k] = k;
    }
    for (size_t k = 1; k < n; k++) {
        size_t x = order[k];
        size_t j = k;
        while (j > 0 && e->u[order[j - 1]].first > e->u[x].first) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    for (size_t k = 0; k < n; k++) {
        pos[order[k]] = (int32_t)k;
    }
    for (size_t k = 0; k < n; k++) {
        nu[k] = e->u[order[k]];
        nu[k].group = pos[nu[k].group];
        nu[k].next = nu[k].next >= 0 ? pos[nu[k].next] : -1;
        nu[k].ref = nu[k].ref >= 0 ? pos[nu[k].ref] : -1;
    }
    if (n > 0) {
        memcpy(e->u, nu, n * sizeof *nu);
    }
    for (size_t i = 0; i < e->nw; i++) {
        if (e->w[i].unit >= 0) {
            e->w[i].unit = pos[e->w[i].unit];
        }
    }
    /* a word's unit is the group head for pronouns */
    for (size_t k = 0; k < n; k++) {
        if (e->u[k].pronoun && e->u[k].group == (int32_t)k) {
            e->w[e->u[k].first].unit = (int32_t)k;
        }
    }
    free(order);
    free(pos);
    free(nu);
    return TUMEN_OK;
}

/* ---- comma clauses, compound nouns, clauses ---- */

/* A comma inside a parsed compound actor list does not delimit a clause. */
static bool comma_in_compound(const struct tabari_engine *e, size_t i) {
    for (size_t k = 0; k < e->nu; k++) {
        const struct unit *u = &e->u[k];
        if (u->next >= 0 && !u->pronoun) {
            const struct unit *v = &e->u[u->next];
            if (u->last < i && i < v->first) {
                return true;
            }
        }
    }
    return false;
}

/* Drops comma-delimited nonrestrictive clauses (manual 7.8, 8.6) by marking their words. */
static void drop_comma_clauses(struct tabari_engine *e, bool *gone) {
    if (e->opt.comma_off) {
        return;
    }
    size_t commas[512];
    size_t nc = 0;
    for (size_t i = 0; i < e->nw && nc < 512; i++) {
        if (e->w[i].type == WT_COMMA && !comma_in_compound(e, i)) {
            commas[nc++] = i;
        }
    }
    if (nc == 0) {
        return;
    }
    /* beginning: [0, c0) */
    size_t len = commas[0];
    if (e->opt.comma_bmin < e->opt.comma_bmax && (int)len > e->opt.comma_bmin &&
        (int)len <= e->opt.comma_bmax) {
        for (size_t q = 0; q <= commas[0]; q++) {
            gone[q] = true;
        }
    }
    for (size_t k = 0; k + 1 < nc; k++) {
        len = commas[k + 1] - commas[k] - 1;
        if ((int)len > e->opt.comma_min && (int)len <= e->opt.comma_max) {
            for (size_t q = commas[k]; q < commas[k + 1]; q++) {
                gone[q] = true;
            }
        }
    }
    len = e->nw - commas[nc - 1] - 1;
    if (e->ended && (int)len > e->opt.comma_emin && (int)len <= e->opt.comma_emax) {
        for (size_t q = commas[nc - 1]; q < e->nw; q++) {
            gone[q] = true;
        }
    }
}

/* Removes the dropped words; units touching them go too. */
static void compact(struct tabari_engine *e, const bool *gone) {
    for (size_t k = 0; k < e->nu; k++) {
        struct unit *u = &e->u[k];
        for (size_t q = u->first; q <= u->last; q++) {
            if (gone[q]) {
                u->gone = true;
            }
        }
    }
    /* a pronoun whose referent was dropped refers to nothing */
    for (size_t k = 0; k < e->nu; k++) {
        struct unit *u = &e->u[k];
        if (u->pronoun && u->ref >= 0 && e->u[u->ref].gone) {
            u->gone = true;
        }
    }
    for (size_t k = 0; k < e->nu; k++) {
        struct unit *u = &e->u[k];
        if (u->pronoun && !u->gone && e->u[u->group].gone) {
            u->gone = true;
        }
    }
    /* compounds lose their dropped members */
    for (size_t k = 0; k < e->nu; k++) {
        struct unit *u = &e->u[k];
        while (u->next >= 0 && e->u[u->next].gone) {
            u->next = e->u[u->next].next;
        }
    }
    for (size_t k = 0; k < e->nu; k++) {
        struct unit *u = &e->u[k];
        if (!u->gone && e->u[u->group].gone) {
            /* the head went: the first surviving member leads */
            int32_t lead = (int32_t)k;
            for (size_t m = k; m < e->nu; m++) {
                if (e->u[m].group == u->group && !e->u[m].gone) {
                    e->u[m].group = lead;
                }
            }
        }
    }
    size_t *map = malloc((e->nw + 1) * sizeof *map);
    if (map == NULL) {
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < e->nw; i++) {
        map[i] = o;
        if (!gone[i]) {
            e->w[o++] = e->w[i];
        }
    }
    map[e->nw] = o;
    for (size_t i = 0; i < o; i++) {
        if (e->w[i].unit >= 0 && e->u[e->w[i].unit].gone) {
            e->w[i].unit = -1;
            if (e->w[i].type == WT_ACTOR || e->w[i].type == WT_PRON) {
                e->w[i].type = WT_NULL;
            }
        }
        if (e->w[i].type == WT_VERB) {
            e->w[i].vend = (uint32_t)map[e->w[i].vend];
        }
    }
    for (size_t k = 0; k < e->nu; k++) {
        struct unit *u = &e->u[k];
        if (!u->gone) {
            u->first = (uint32_t)map[u->first];
            u->last = (uint32_t)map[u->last];
        }
    }
    e->nw = o;
    free(map);
}

/* A conjunction that joins nouns or adjectives (manual 7.5.1) or actors does not split. */
static bool conj_splits(const struct tabari_engine *e, size_t i) {
    /* inside a parsed compound actor */
    for (size_t k = 0; k < e->nu; k++) {
        const struct unit *u = &e->u[k];
        if (u->next >= 0 && !u->gone && !u->pronoun && u->last < i &&
            i < e->u[u->next].first) {
            return false;
        }
    }
    if (i == 0 || i + 1 >= e->nw) {
        return true;
    }
    uint8_t pt = e->w[i - 1].type;
    size_t q = i + 1;
    while (q < e->nw && e->w[q].type == WT_ADJ) {
        q++;
    }
    if (pt == WT_NOUN && q < e->nw && e->w[q].type == WT_NOUN) {
        return false;
    }
    if (pt == WT_ADJ && e->w[i + 1].type == WT_ADJ) {
        return false;
    }
    /* inside a verb root ("SHOT_AND_WOUND") */
    for (size_t k = 0; k < i; k++) {
        if (e->w[k].type == WT_VERB && e->w[k].vend > i) {
            return false;
        }
    }
    return true;
}

/* ---- pattern matching ---- */

struct slots {
    int32_t src, tgt, both; /* unit groups, -1 */
};

/* The unit group whose first word is at or after p (before lim) and unit starts there. */
static int32_t unit_at(const struct tabari_engine *e, size_t p) {
    if (p >= e->nw || e->w[p].unit < 0) {
        return -1;
    }
    const struct unit *u = &e->u[e->w[p].unit];
    if (u->first != p) {
        return -1;
    }
    return e->w[p].unit;
}

/* One element at position p; returns words used (>0) or 0. */
static size_t elem_at(const struct tabari_engine *e, const struct velem *el, size_t p, size_t lim,
                      struct slots *s) {
    if (p >= lim) {
        return 0;
    }
    switch (el->kind) {
    case VE_WORD:
        return word_match(e, el->value, el->flags & (uint8_t)(PW_PREFIX | PW_EXACT), p,
                          MK_PATTERN)
                   ? 1
                   : 0;
    case VE_SET:
        return set_at(e, el->value, p, lim, MK_PATTERN);
    case VE_SOURCE:
    case VE_TARGET:
    case VE_ACTOR:
    case VE_SKIP: {
        int32_t u = unit_at(e, p);
        if (u < 0) {
            return 0;
        }
        int32_t g = e->u[u].group;
        if (el->kind == VE_ACTOR && !is_compound(e, g)) {
            return 0;
        }
        /* a compound is taken whole */
        size_t end = e->u[u].last + 1;
        for (int32_t m = g; m >= 0; m = e->u[m].next) {
            if (e->u[m].last + 1 > end && e->u[m].first >= p) {
                end = e->u[m].last + 1;
            }
        }
        if (end > lim) {
            end = lim;
        }
        if (el->kind == VE_SOURCE) {
            s->src = g;
        } else if (el->kind == VE_TARGET) {
            s->tgt = g;
        } else if (el->kind == VE_ACTOR) {
            s->both = g;
        }
        return end - p;
    }
    default:
        return 0;
    }
}

/* Elements els[0..n) from p within [p, lim); gap allowed before element k when k == 0 and
 * gap0, or its PW_GAP. The last element must end at lim when !end_gap. */
static bool elems_match(const struct tabari_engine *e, const struct velem *els, size_t n,
                        size_t p, size_t lim, bool gap0, bool end_gap, struct slots *s) {
    size_t pos = p;
    for (size_t k = 0; k < n; k++) {
        bool gap = k == 0 ? gap0 : (els[k].flags & PW_GAP) != 0;
        size_t used = 0;
        if (gap) {
            size_t q = pos;
            while (q < lim && (used = elem_at(e, &els[k], q, lim, s)) == 0) {
                q++;
            }
            if (used == 0) {
                return false;
            }
            pos = q + used;
        } else {
            used = elem_at(e, &els[k], pos, lim, s);
            if (used == 0) {
                return false;
            }
            pos += used;
        }
    }
    return end_gap || pos == lim;
}

static bool pattern_match(const struct tabari_engine *e, const struct vpattern *v, size_t cs,
                          size_t ce, size_t vs, size_t ve, struct slots *s) {
    s->src = s->tgt = s->both = -1;
    if (v->npre) {
        bool head_gap = (v->head.f[0] & PW_GAP) != 0;
        if (!elems_match(e, v->pre, v->npre, cs, vs, true, head_gap, s)) {
            return false;
        }
    }
    if (v->npost) {
        bool g0 = (v->post[0].flags & PW_GAP) != 0;
        if (!elems_match(e, v->post, v->npost, ve, ce, g0, true, s)) {
            return false;
        }
    }
    return true;
}

/* ---- coding ---- */

static bool same_code(const struct tabari_engine *e, int32_t a, int32_t b) {
    return strcmp(e->u[a].code, e->u[b].code) == 0;
}

static void add_event(struct tabari_engine *e, const char *src, const char *tgt,
                      const char *code, bool sub, bool dom, size_t v0, size_t v1,
                      const struct vpattern *vp) {
    if (code[0] == '\0' || strcmp(src, tgt) == 0 || e->nev >= MAX_EVENTS) {
        return;
    }
    for (size_t k = 0; k < e->nev; k++) {
        if (strcmp(e->ev[k].src, src) == 0 && strcmp(e->ev[k].tgt, tgt) == 0 &&
            strcmp(e->ev[k].code, code) == 0) {
            return;
        }
    }
    struct tev *t = &e->ev[e->nev++];
    snprintf(t->src, sizeof t->src, "%s", src);
    snprintf(t->tgt, sizeof t->tgt, "%s", tgt);
    snprintf(t->code, sizeof t->code, "%s", code);
    t->sub = sub;
    t->dom = dom;
    t->v0 = (uint32_t)v0;
    t->v1 = (uint32_t)v1;
    t->vp = vp;
}

/* Codes of a group, expanded over coded compounds ("ELR/GAL"). */
static size_t group_codes(const struct tabari_engine *e, int32_t g, const char *dflt,
                          char out[][DICT_CODE_MAX * 2], size_t max, bool single) {
    size_t n = 0;
    if (g < 0) {
        if (dflt && dflt[0] && max > 0) {
            snprintf(out[n++], DICT_CODE_MAX * 2, "%s", dflt);
        }
        return n;
    }
    for (int32_t m = g; m >= 0 && n < max; m = single ? -1 : e->u[m].next) {
        const char *c = e->u[m].code;
        while (*c && n < max) {
            const char *sl = strchr(c, '/');
            size_t len = sl ? (size_t)(sl - c) : strlen(c);
            if (len > 0 && len < DICT_CODE_MAX * 2) {
                bool dup = false;
                for (size_t k = 0; k < n; k++) {
                    dup = dup || (strlen(out[k]) == len && memcmp(out[k], c, len) == 0);
                }
                if (!dup) {
                    memcpy(out[n], c, len);
                    out[n][len] = '\0';
                    n++;
                }
            }
            c += len + (sl ? 1 : 0);
        }
    }
    return n;
}

struct clause_ctx {
    size_t cs, ce;
    int32_t carried; /* source of the previous clause */
    bool first;
};

/* First unit group in [a, b) (whole groups), optionally with a code unlike `unlike`. */
static int32_t first_unit(const struct tabari_engine *e, size_t a, size_t b, int32_t unlike,
                          int32_t not_group) {
    for (size_t i = a; i < b; i++) {
        int32_t u = e->w[i].unit;
        if (u < 0 || e->u[u].first != i) {
            continue;
        }
        int32_t g = e->u[u].group;
        if (g == not_group) {
            continue;
        }
        if (unlike >= 0 && same_code(e, g, unlike)) {
            continue;
        }
        return g;
    }
    return -1;
}

/* Tries the verb at word v in the clause; on a non-null match fills the event parts. */
struct vres {
    bool matched;
    const struct vpattern *vp;
    struct vcode vc;
    struct slots s;
    bool passive;
};

static void try_verb(const struct tabari_engine *e, const struct clause_ctx *c, size_t v,
                     struct vres *r) {
    memset(r, 0, sizeof *r);
    const struct root *rt = &e->roots[e->w[v].root];
    size_t ve = e->w[v].vend;
    for (uint32_t k = 0; k < rt->npats; k++) {
        const struct vpattern *vp = &e->d->verbs[rt->pats[k]];
        struct slots s;
        if (!pattern_match(e, vp, c->cs, c->ce, v, ve, &s)) {
            continue;
        }
        r->matched = true;
        r->vp = vp;
        vcode_parse(vp->code, &r->vc);
        if (vp->flags & VP_SYMMETRIC) {
            snprintf(r->vc.paired, sizeof r->vc.paired, "%s", r->vc.primary);
        }
        r->s = s;
        return;
    }
}

/* Assigns source and target by the default rules and adds the events. */
static int32_t code_event(struct tabari_engine *e, const struct clause_ctx *c, size_t v,
                          const struct vres *r) {
    size_t ve = e->w[v].vend;
    int32_t src = r->s.src, tgt = r->s.tgt;
    bool set_by_pattern = src >= 0 || tgt >= 0 || r->s.both >= 0;
    if (r->s.both >= 0) {
        src = tgt = r->s.both;
    }
    bool src_default = false, tgt_default = false;
    int32_t src_one = -1, tgt_one = -1; /* single members of a compound */
    if (src < 0) {
        bool fresh = c->first;
        if (!fresh) {
            fresh = first_unit(e, c->cs, v, -1, -1) >= 0;
        }
        if (fresh || c->carried < 0) {
            src = first_unit(e, c->cs, v, tgt, -1);
        } else {
            src = c->carried;
        }
        if (src < 0 && e->opt.default_source[0] && e->opt.default_source_prior) {
            src_default = true;
        }
        if (src < 0 && !src_default) {
            /* greedy (manual 8.5 note): the first actor after the verb */
            for (size_t q = ve; q < c->ce && src_one < 0; q++) {
                int32_t u = unit_at(e, q);
                if (u >= 0 && (tgt < 0 || strcmp(e->u[u].code, e->u[tgt].code) != 0)) {
                    src_one = u;
                }
            }
            if (src_one >= 0) {
                src = e->u[src_one].group;
            } else if (e->opt.default_source[0]) {
                src_default = true;
            }
        }
    }
    if (tgt < 0 && src_one >= 0) {
        /* the next actor after that one, a member of the same compound included */
        for (size_t q = e->u[src_one].last + 1; q < c->ce && tgt < 0; q++) {
            int32_t u = unit_at(e, q);
            if (u >= 0 && strcmp(e->u[u].code, e->u[src_one].code) != 0) {
                tgt = e->u[u].group;
                if (tgt == src) {
                    tgt_one = u;
                }
            }
        }
        if (tgt < 0 && e->opt.default_target[0]) {
            tgt_default = true;
        }
    }
    bool ordered = false;
    if (tgt < 0 && !tgt_default) {
        tgt = first_unit(e, ve, c->ce, src, src);
        if (tgt < 0 && e->opt.default_target[0] && e->opt.default_target_after) {
            tgt_default = true;
        }
        if (tgt < 0 && !tgt_default) {
            tgt = first_unit(e, c->cs, v, src, src);
        }
        if (tgt < 0 && !tgt_default && src >= 0 && is_compound(e, src)) {
            tgt = src;
            ordered = true; /* each pair of members once, in text order */
        }
        if (tgt < 0 && !tgt_default && e->opt.default_target[0]) {
            tgt_default = true;
        }
    }
    /* passive voice: WAS/WERE/BEEN one or two words before, BY right after */
    size_t byw = ve;
    if (byw + 1 < c->ce && e->w[byw].type == WT_NULL && e->w[byw + 1].type == WT_BY) {
        byw++; /* "was opposed earlier by" */
    }
    if (!set_by_pattern && byw < e->nw && e->w[byw].type == WT_BY &&
        ((v >= 1 && e->w[v - 1].type == WT_AUX) || (v >= 2 && e->w[v - 2].type == WT_AUX))) {
        int32_t by = byw + 1 < c->ce ? unit_at(e, byw + 1) : -1;
        if (by >= 0) {
            tgt = src;
            src = e->u[by].group;
            tgt_default = false;
            src_one = tgt_one = -1;
            ordered = false;
        }
    }
    char sc[MAX_CODES][DICT_CODE_MAX * 2], tc[MAX_CODES][DICT_CODE_MAX * 2];
    size_t ns = group_codes(e, src, src_default ? e->opt.default_source : NULL, sc, MAX_CODES,
                            src_one >= 0);
    size_t nt = group_codes(e, tgt_one >= 0 ? tgt_one : tgt,
                            tgt_default ? e->opt.default_target : NULL, tc, MAX_CODES,
                            tgt_one >= 0 || (src_one >= 0 && tgt >= 0 && tgt != src));
    if (src_one >= 0) {
        ns = group_codes(e, src_one, NULL, sc, MAX_CODES, true);
    }
    for (size_t a = 0; a < ns; a++) {
        for (size_t b = ordered ? a + 1 : 0; b < nt; b++) {
            add_event(e, sc[a], tc[b], r->vc.primary, r->vc.subordinate, r->vc.dominant, v, ve,
                      r->vp);
            if (r->vc.paired[0]) {
                add_event(e, tc[b], sc[a], r->vc.paired, r->vc.subordinate, r->vc.dominant, v,
                          ve, r->vp);
            }
        }
    }
    return src;
}

/* Codes one clause; returns the source used (for the next clause) or -1. */
static int32_t code_clause(struct tabari_engine *e, struct clause_ctx *c, bool *stop) {
    int32_t used = -1;
    bool coded = false;
    for (size_t v = c->cs; v < c->ce; v++) {
        if (e->w[v].type != WT_VERB) {
            continue;
        }
        struct vres r;
        try_verb(e, c, v, &r);
        if (!r.matched) {
            continue;
        }
        if (r.vc.kind == VC_DISCARD) {
            e->discard = true;
            *stop = true;
            return used;
        }
        if (r.vc.kind == VC_COMPLEX) {
            e->complex = true;
            *stop = true;
            return used;
        }
        if (r.vc.kind == VC_NULL) {
            continue;
        }
        bool all = e->opt.code_by == TABARI_BY_ALL;
        if (coded && !all && !r.vc.dominant) {
            continue;
        }
        size_t before = e->nev;
        int32_t s = code_event(e, c, v, &r);
        if (e->nev == before) {
            continue; /* no source or target: the next verb may code */
        }
        if (used < 0 || !coded) {
            used = s;
        }
        if (r.vc.subordinate && !all) {
            continue; /* a later event in the clause replaces it */
        }
        coded = true;
        if (e->opt.code_by == TABARI_BY_SENTENCE) {
            *stop = true;
            return used;
        }
    }
    if (used < 0) {
        /* no event: the clause's first actor is the subject of the next */
        used = first_unit(e, c->cs, c->ce, -1, -1);
    }
    return used;
}

/* Final filter: dominant events exclude the others; subordinate events only when nothing
 * else was coded (in the clause for CODE BY CLAUSE, in the sentence otherwise). */
static void filter_events(struct tabari_engine *e, const size_t *clause_of, size_t nclauses) {
    bool any_dom = false;
    for (size_t k = 0; k < e->nev; k++) {
        any_dom = any_dom || e->ev[k].dom;
    }
    size_t o = 0;
    for (size_t k = 0; k < e->nev; k++) {
        bool keep = true;
        if (any_dom && !e->ev[k].dom) {
            keep = false;
        }
        if (keep && e->ev[k].sub) {
            for (size_t j = 0; j < e->nev && keep; j++) {
                if (e->ev[j].sub) {
                    continue;
                }
                if (e->opt.code_by == TABARI_BY_CLAUSE && clause_of != NULL &&
                    clause_of[j] != clause_of[k]) {
                    continue;
                }
                keep = false;
            }
        }
        if (keep) {
            e->ev[o++] = e->ev[k];
        }
    }
    (void)nclauses;
    e->nev = o;
}

static size_t count_words(const struct tabari_engine *e) {
    return e->nw;
}

/* Codes the words of one record/sentence into e->ev. */
static tumen_status code_words(struct tabari_engine *e) {
    e->nev = 0;
    e->nu = 0;
    e->complex = e->discard = false;
    if (e->opt.minimum_words > 0 && count_words(e) < (size_t)e->opt.minimum_words) {
        return TUMEN_OK;
    }
    tumen_status st = classify(e);
    if (st == TUMEN_OK) {
        st = find_verbs(e);
    }
    if (st != TUMEN_OK) {
        return st;
    }
    compounds(e);
    st = pronouns(e);
    if (st != TUMEN_OK) {
        return st;
    }
    /* FORWARD: remember this record's first actor (before a verb) for the next one */
    bool have_fwd = false;
    char fwd_code[DICT_CODE_MAX * 2] = "";
    bool fwd_comp = false;
    for (size_t i = 0; i < e->nw; i++) {
        if (e->w[i].type == WT_VERB) {
            break;
        }
        if (e->w[i].unit >= 0) {
            int32_t g = e->u[e->w[i].unit].group;
            snprintf(fwd_code, sizeof fwd_code, "%s", e->u[g].code);
            fwd_comp = is_compound(e, g);
            have_fwd = true;
            break;
        }
    }
    bool *gone = calloc(e->nw + 1, sizeof *gone);
    if (gone == NULL) {
        return TUMEN_NOMEM;
    }
    drop_comma_clauses(e, gone);
    compact(e, gone);
    free(gone);
    if (e->discard) {
        e->nev = 0;
        return TUMEN_OK;
    }
    /* complexity conditions (manual 8.7) */
    size_t nverbs = 0, nconj = 0;
    size_t first_verb = e->nw;
    for (size_t i = 0; i < e->nw; i++) {
        if (e->w[i].type == WT_VERB) {
            nverbs++;
            /* a root coded null (its patterns aside) does not count as the first verb */
            const struct root *rt = &e->roots[e->w[i].root];
            const struct vpattern *last = &e->d->verbs[rt->pats[rt->npats - 1]];
            bool null_root = last->npre == 0 && last->npost == 0 && (last->flags & VP_NULL);
            if (first_verb == e->nw && !null_root) {
                first_verb = i;
            }
        }
        if (e->w[i].type == WT_CONJ) {
            nconj++;
        }
    }
    bool cx = e->complex;
    if (e->opt.complex_verbs > 0 && nverbs >= (size_t)e->opt.complex_verbs) {
        cx = true;
    }
    if (e->opt.complex_conj > 0 && nconj >= (size_t)e->opt.complex_conj) {
        cx = true;
    }
    if (e->opt.complex_noactprior && first_verb < e->nw &&
        first_unit(e, 0, first_verb, -1, -1) < 0 && !e->opt.default_source[0]) {
        cx = true;
    }
    if (e->opt.complex_noverb && nverbs == 0) {
        cx = true;
    }
    if (cx) {
        e->nev = 0;
        e->complex = true;
        return TUMEN_OK;
    }
    /* clauses */
    size_t bounds[256];
    size_t nb = 0;
    bounds[nb++] = 0;
    for (size_t i = 0; i < e->nw && nb < 255; i++) {
        if (e->w[i].type == WT_CONJ && conj_splits(e, i)) {
            bounds[nb++] = i + 1;
        }
    }
    bounds[nb] = e->nw + 1;
    size_t clause_of[MAX_EVENTS];
    struct clause_ctx c = {0, 0, -1, true};
    bool stop = false;
    for (size_t k = 0; k < nb && !stop; k++) {
        c.cs = bounds[k];
        c.ce = bounds[k + 1] - 1;
        if (c.ce > e->nw) {
            c.ce = e->nw;
        }
        c.first = k == 0;
        size_t before = e->nev;
        int32_t s = code_clause(e, &c, &stop);
        for (size_t j = before; j < e->nev; j++) {
            clause_of[j] = k;
        }
        if (s >= 0) {
            c.carried = s;
        }
    }
    if (e->discard || e->complex) {
        e->nev = 0;
        return TUMEN_OK;
    }
    filter_events(e, clause_of, nb);
    if (have_fwd) {
        snprintf(e->fwd_code, sizeof e->fwd_code, "%s", fwd_code);
        e->fwd_compound = fwd_comp;
        e->fwd_valid = true;
    }
    return TUMEN_OK;
}

/* ---- entry ---- */

static void span_of(const struct text *t, uint32_t a, uint32_t b, tumen_span *sp) {
    if (a >= t->ntoks || b >= t->ntoks || b < a) {
        sp->offset = 0;
        sp->length = 0;
        return;
    }
    sp->offset = t->toks[a].off;
    sp->length = t->toks[b].off + t->toks[b].len - t->toks[a].off;
}

tumen_status tabari_engine_code_ex(struct tabari_engine *e, const tumen_doc *doc, bool whole,
                                   tumen_event_fn fn, void *ctx, uint64_t *nsentences,
                                   tumen_error *err, int *outcome) {
    const char *id = doc->id ? doc->id : "";
    *nsentences = 0;
    if (outcome) {
        *outcome = 0;
    }
    e->date = doc_date(doc->date);
    tumen_status st = text_split(&e->text, doc->len ? doc->text : "", doc->len);
    if (st != TUMEN_OK) {
        return err_set(err, st, id, 0, 0, "cannot tokenize: %s", tumen_strerror(st));
    }
    size_t nsent = whole ? (e->text.ntoks ? 1 : 0) : e->text.nsents;
    for (size_t si = 0; si < nsent; si++) {
        size_t first = whole ? 0 : e->text.sents[si].first;
        size_t end = whole ? e->text.ntoks : first + e->text.sents[si].n;
        st = build_words(e, first, end);
        if (st == TUMEN_OK) {
            st = code_words(e);
        }
        if (st != TUMEN_OK) {
            return err_set(err, st, id, 0, 0, "%s", tumen_strerror(st));
        }
        (*nsentences)++;
        if (outcome && e->discard) {
            *outcome = 1;
        } else if (outcome && e->complex) {
            *outcome = 2;
        }
        tumen_span sent;
        span_of(&e->text, (uint32_t)first, (uint32_t)(end ? end - 1 : 0), &sent);
        for (size_t k = 0; k < e->nev; k++) {
            const struct tev *t = &e->ev[k];
            tumen_event ev;
            memset(&ev, 0, sizeof ev);
            ev.doc_id = id;
            ev.doc_text = doc->text;
            ev.date = doc->date;
            ev.sentence = (uint32_t)(si + 1);
            ev.sent = sent;
            snprintf(ev.source, sizeof ev.source, "%s", t->src);
            snprintf(ev.target, sizeof ev.target, "%s", t->tgt);
            ev.kind = TUMEN_KIND_EVENT;
            snprintf(ev.code, sizeof ev.code, "%s", t->code);
            snprintf(ev.root, sizeof ev.root, "%.2s", t->code);
            double g = 0;
            int quad = 0;
            if (tumen_cameo_lookup(t->code, &g, &quad, NULL) == TUMEN_OK) {
                ev.goldstein = g;
                ev.quad = quad;
            }
            if (t->v0 < e->nw) {
                uint32_t last = t->v1 > t->v0 ? t->v1 - 1 : t->v0;
                if (last >= e->nw) {
                    last = (uint32_t)e->nw - 1;
                }
                span_of(&e->text, e->w[t->v0].tok0, e->w[last].tok1, &ev.verb);
            }
            ev.modality = TUMEN_ASSERTED;
            ev.probability = -1;
            if (t->vp) {
                ev.pattern_file = t->vp->src.file < e->d->files_tab.n
                                      ? e->d->files[t->vp->src.file]
                                      : NULL;
                ev.pattern_line = t->vp->src.line;
            }
            if (fn && fn(ctx, &ev) != 0) {
                return err_set(err, TUMEN_STOPPED, id, 0, 0, "stopped by callback");
            }
        }
    }
    return TUMEN_OK;
}

tumen_status tabari_engine_code(struct tabari_engine *e, const tumen_doc *doc,
                                tumen_event_fn fn, void *ctx, uint64_t *nsentences,
                                tumen_error *err) {
    return tabari_engine_code_ex(e, doc, false, fn, ctx, nsentences, err, NULL);
}
