/* Event assembly: heads meet patterns, slots get actors, clauses and voice decide who did
 * what to whom, and each event gets modality, quantity and time.
 *
 * Per sentence:
 *   1. discards: a sentence with a discard phrase is not coded;
 *   2. actor mentions (match.c), with agents composed and compound groups marked;
 *   3. every token whose surface or lemma heads a verb pattern is a candidate head; the
 *      most specific pattern that matches at it wins (literal elements, then length, then
 *      dictionary order);
 *   4. slots: the source is the subject (nearest actor before the head in its clause that
 *      is not the object of a preposition; the antecedent of "which/who"), the target the
 *      pattern's "+" or the first actor after the match; passive voice with "by X" swaps
 *      them and an agentless passive yields nothing; "between A and B" fills both;
 *   5. compounds: every member of a compound source or target gets its own event, and a
 *      joint act inside one compound ("Russia and North Korea signed") is coded both ways;
 *   6. modality, attribution, quantity and time (modality.c, quantity.c, timex.c);
 *   7. duplicates within the sentence (same dyad and root) are dropped, keeping the most
 *      specific pattern. */
#include "cameo.h"
#include "channel.h"
#include "match.h"
#include "modality.h"
#include "quantity.h"
#include "dict_tabari.h"
#include "tabari_coder.h"
#include "timex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MENTIONS 256
#define MAX_CANDS 256
#define GAP 6
#define TARGET_REACH 8

struct cand {
    const struct vpattern *v;
    uint32_t vidx;
    uint32_t head, head_n;
    uint32_t first, last;   /* token span of the whole match */
    int32_t src, tgt;       /* mention indexes, -1 none */
    bool passive;
    bool between;           /* "between A and B" filled both slots */
    uint16_t spec;
};

struct out_ev {
    tumen_event ev;
    uint16_t spec;
    uint32_t head;
};

struct tumen_coder {
    const tumen_dict *d;
    tumen_coder_options opt;
    struct text text;
    struct mention ments[MAX_MENTIONS];
    struct mod_actor mod_actors[MAX_MENTIONS];
    size_t nments;
    struct out_ev *evs;
    size_t nevs, cap_evs;
    size_t sent_evs;          /* index of the current sentence's first event */
    uint32_t cur_first, cur_n; /* the sentence tok_ment describes */
    int16_t *tok_ment;        /* token (relative to the sentence) -> mention, -1 none */
    size_t cap_tok_ment;
    tumen_explain_fn explain;
    void *explain_ctx;
    struct buf xbuf;
    uint64_t ndocs, nsents, nevents, nbytes;
    int32_t date;
    bool seen_prk, seen_kor;  /* the document has named North / South Korea */
    bool story_discarded;     /* a story-level discard matched: no event of the document */
    struct {
        char cc[4];
        uint32_t n;
    } dyad_counts[32];        /* country codes named so far in the document */
    size_t ndyad_counts;
    char quote_speaker[DICT_CODE_MAX]; /* "According to X:" introduces the next sentences */
    uint32_t quote_left;      /* how many more sentences the quotation covers */
    struct ante {
        char code[DICT_CODE_MAX];
        char unit[16];    /* "tourists", "workers", "troops" when the mention names them */
        bool plural;
        uint32_t sno;
        uint32_t group;   /* compound group within its sentence */
    } antes[16];              /* recent mentions, for pronouns (most recent last) */
    size_t nantes;
    char pron_unit[16];       /* unit of the antecedent of the current pronoun subject */
    struct mod_cache *mcache; /* modality cues of the current sentence */
    struct tabari_engine *tabari; /* TUMEN_OPT_TABARI: TABARI-compatible semantics */
    uint32_t *anchor;         /* pattern -> a literal word it needs (NOID: none) */
    uint32_t *seen;           /* word id -> stamp of the last sentence containing it */
    uint32_t stamp;
    uint32_t *set_stamp;      /* word set -> stamp when set_seen was computed */
    uint8_t *set_seen;        /* word set -> some alternative's first word is in the sentence */
    struct cand pending[8];   /* heads of this sentence with a source but no target */
    size_t npending;
    struct qty qtys[64];      /* quantities of the current sentence (when qty_done) */
    size_t nqty;
    bool qty_done;
    struct timex timexes[32]; /* time expressions of the current sentence */
    size_t ntimex;
    bool timex_done;          /* timexes hold the current sentence */
    const char *prev_subject; /* subject code of the previous sentence, for pronouns */
    char prev_subject_buf[DICT_CODE_MAX];
};

tumen_status tumen_coder_new(const tumen_dict *d, const tumen_coder_options *opt,
                             tumen_coder **out) {
    if (d == NULL || out == NULL || !d->finished) {
        return TUMEN_INVALID;
    }
    tumen_coder *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return TUMEN_NOMEM;
    }
    c->d = d;
    if (opt) {
        c->opt = *opt;
    }
    text_init(&c->text);
    c->text.max_tokens = c->opt.max_sentence_tokens;
    c->mcache = mod_cache_new();
    if (c->mcache == NULL) {
        free(c);
        return TUMEN_NOMEM;
    }
    /* Pattern prefilter: a pattern that needs a literal word absent from the sentence
     * cannot match, so it is skipped without scanning. */
    c->anchor = malloc((d->nverbs ? d->nverbs : 1) * sizeof *c->anchor);
    c->seen = calloc(d->words.n ? d->words.n : 1, sizeof *c->seen);
    c->set_stamp = calloc(d->nsets ? d->nsets : 1, sizeof *c->set_stamp);
    c->set_seen = calloc(d->nsets ? d->nsets : 1, 1);
    if (c->anchor == NULL || c->seen == NULL || c->set_stamp == NULL || c->set_seen == NULL) {
        tumen_coder_free(c);
        return TUMEN_NOMEM;
    }
    for (size_t i = 0; i < d->nverbs; i++) {
        const struct vpattern *v = &d->verbs[i];
        c->anchor[i] = TUMEN_NOID;
        for (uint16_t j = 0; j < v->npost && c->anchor[i] == TUMEN_NOID; j++) {
            if (v->post[j].kind == VE_WORD && !(v->post[j].flags & PW_PREFIX) &&
                v->post[j].value < d->words.n) {
                c->anchor[i] = v->post[j].value;
            }
        }
        for (uint16_t j = 0; j < v->npre && c->anchor[i] == TUMEN_NOID; j++) {
            if (v->pre[j].kind == VE_WORD && !(v->pre[j].flags & PW_PREFIX) &&
                v->pre[j].value < d->words.n) {
                c->anchor[i] = v->pre[j].value;
            }
        }
    }
    if (c->opt.flags & TUMEN_OPT_TABARI) {
        /* TUMEN_NOTFOUND: no TABARI engine in this build; the main coder serves */
        tumen_status ts = tabari_engine_new(d, NULL, &c->tabari);
        if (ts != TUMEN_OK && ts != TUMEN_NOTFOUND) {
            mod_cache_free(c->mcache);
            free(c);
            return ts;
        }
    }
    buf_init(&c->xbuf, 0);
    *out = c;
    return TUMEN_OK;
}

void tumen_coder_free(tumen_coder *c) {
    if (c == NULL) {
        return;
    }
    text_fini(&c->text);
    mod_cache_free(c->mcache);
    tabari_engine_free(c->tabari);
    free(c->anchor);
    free(c->seen);
    free(c->set_stamp);
    free(c->set_seen);
    free(c->evs);
    free(c->tok_ment);
    buf_fini(&c->xbuf);
    free(c);
}

tumen_status tumen_coder_tabari_options(tumen_coder *c, const char *path, tumen_error *err) {
    if (c == NULL || c->tabari == NULL) {
        return err_set(err, TUMEN_INVALID, path ? path : "", 0, 0,
                       "TABARI options need a coder made with the TABARI engine (--tabari)");
    }
    struct tabari_options o;
    tabari_options_init(&o);
    tumen_status st = tabari_options_load(&o, path, err);
    if (st == TUMEN_OK) {
        tabari_engine_set_options(c->tabari, &o);
    }
    return st;
}

void tumen_coder_set_explain(tumen_coder *c, tumen_explain_fn fn, void *ctx) {
    c->explain = fn;
    c->explain_ctx = ctx;
}

void tumen_coder_stats(const tumen_coder *c, uint64_t *docs, uint64_t *sentences,
                       uint64_t *events, uint64_t *bytes) {
    if (docs) {
        *docs = c->ndocs;
    }
    if (sentences) {
        *sentences = c->nsents;
    }
    if (events) {
        *events = c->nevents;
    }
    if (bytes) {
        *bytes = c->nbytes;
    }
}

/* ---- explain ---- */

static void xline(tumen_coder *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xline(tumen_coder *c, const char *fmt, ...) {
    if (c->explain == NULL) {
        return;
    }
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    c->explain(c->explain_ctx, small);
}

static const char *file_of(const tumen_coder *c, uint32_t file) {
    return file < c->d->files_tab.n ? c->d->files_tab.strs[file] : "?";
}

static void explain_tokens(tumen_coder *c, const struct sent *s) {
    if (c->explain == NULL) {
        return;
    }
    buf_reset(&c->xbuf);
    buf_adds(&c->xbuf, "  tokens:");
    for (uint32_t k = s->first; k < s->first + s->n; k++) {
        const struct tok *tk = &c->text.toks[k];
        buf_addc(&c->xbuf, ' ');
        buf_adds(&c->xbuf, tok_norm(&c->text, tk));
        if (tk->lemma != TUMEN_NOID) {
            buf_printf(&c->xbuf, "/%s", intern_str(&c->d->words, tk->lemma));
        }
    }
    c->explain(c->explain_ctx, c->xbuf.data);
}

/* ---- helpers ---- */

static const char *norm(const tumen_coder *c, uint32_t k) {
    return tok_norm(&c->text, &c->text.toks[k]);
}

static bool norm_is(const tumen_coder *c, uint32_t k, const char *w) {
    const struct tok *tk = &c->text.toks[k];
    const char *t = tok_norm(&c->text, tk);
    if (t[0] != w[0]) {
        return false; /* most calls differ in the first byte */
    }
    size_t n = strlen(w);
    return tk->nlen == n && memcmp(t, w, n) == 0;
}

/* Hard clause boundary at token k (exclusive region separator). */
static bool hard_boundary(const tumen_coder *c, uint32_t k) {
    const struct tok *tk = &c->text.toks[k];
    if (tk->flags & TF_PUNCT) {
        const char *w = norm(c, k);
        return tk->nlen == 1 && (w[0] == ';' || w[0] == ':' || w[0] == '(' || w[0] == ')');
    }
    return false;
}

/* A new clause begins at k: subordinators, relatives, "but". */
static bool clause_word(const tumen_coder *c, uint32_t k) {
    uint16_t cls = c->text.toks[k].cls;
    return cls == WC_SUB || cls == WC_REL;
}

/* Mention index covering token k of the current sentence, or -1. */
static int32_t mention_at(const tumen_coder *c, uint32_t k) {
    if (k < c->cur_first || k - c->cur_first >= c->cur_n) {
        return -1;
    }
    return c->tok_ment[k - c->cur_first];
}

static tumen_status index_mentions(tumen_coder *c, const struct sent *s) {
    if (!grow((void **)&c->tok_ment, &c->cap_tok_ment, s->n + 1, sizeof *c->tok_ment)) {
        return TUMEN_NOMEM;
    }
    c->cur_first = s->first;
    c->cur_n = s->n;
    for (uint32_t i = 0; i < s->n; i++) {
        c->tok_ment[i] = -1;
    }
    for (size_t m = 0; m < c->nments; m++) {
        for (uint32_t k = c->ments[m].first; k < c->ments[m].first + c->ments[m].n; k++) {
            if (k >= s->first && k - s->first < s->n) {
                c->tok_ment[k - s->first] = (int16_t)m;
            }
        }
    }
    return TUMEN_OK;
}

/* End (exclusive) of the clause region that starts after token from. */
static uint32_t clause_end(const tumen_coder *c, const struct sent *s, uint32_t from) {
    uint32_t end = s->first + s->n;
    for (uint32_t k = from; k < end; k++) {
        if (hard_boundary(c, k)) {
            return k;
        }
        if (k > from && k + 1 < end && c->text.toks[k].nlen == 1 && norm(c, k)[0] == ',') {
            /* ", blaming Turkey", ", saying ...": a participial clause starts */
            const struct tok *nx = &c->text.toks[k + 1];
            if (nx->lemma != TUMEN_NOID && nx->nlen > 4 &&
                memcmp(tok_norm(&c->text, nx) + nx->nlen - 3, "ing", 3) == 0) {
                return k;
            }
        }
        if (k > from && clause_word(c, k)) {
            /* "that" after a reporting verb or as a determiner is not a new clause for our
             * purposes; "between X and Y" keeps going. */
            if (norm_is(c, k, "that") || norm_is(c, k, "as") || norm_is(c, k, "since") ||
                norm_is(c, k, "after") || norm_is(c, k, "before")) {
                continue;
            }
            return k;
        }
    }
    return end;
}

/* Is the mention starting at k the object of the verb right before it ("to defeat Islamic
 * State")? Verbs of saying and thinking introduce a clause instead ("said Russia sent"). */
static bool object_of_verb(const tumen_coder *c, uint32_t k) {
    uint32_t p = k - 1;
    if (c->text.toks[p].cls == WC_DET && p > 0) {
        p--;
    }
    const struct tok *pt = &c->text.toks[p];
    if (!(pt->flags & TF_WORD) || pt->cls != WC_NONE || pt->lemma == TUMEN_NOID) {
        return false;
    }
    static const char *const saying[] = {
        "said",  "says",   "say",    "told",     "tells",    "claimed",  "claims", "added",
        "stated", "noted", "insisted", "argued", "believed", "believes", "warned", "warns",
        "announced", "reported", "confirmed", "denied", "hoped", "hopes", "feared", "fears",
        "thinks", "thought", "suggested", "alleged", "insists", "expects", "expected", NULL};
    for (size_t i = 0; saying[i] != NULL; i++) {
        if (norm_is(c, p, saying[i])) {
            return false;
        }
    }
    const char *w = tok_norm(&c->text, pt);
    /* a gerund or participle before a name is often an adjective ("leading", "united") */
    return !(pt->nlen > 4 && memcmp(w + pt->nlen - 3, "ing", 3) == 0);
}

/* The subject of the head at h: nearest eligible mention before h in its clause. */
static int32_t find_subject(const tumen_coder *c, const struct sent *s, uint32_t h,
                            bool allow_by) {
    uint32_t start = s->first;
    int32_t best = -1;
    for (uint32_t k = h; k-- > start;) {
        const struct tok *tk = &c->text.toks[k];
        if (hard_boundary(c, k)) {
            break;
        }
        if (tk->cls == WC_REL) {
            /* "X, which/who ... HEAD": the subject is the antecedent X, which stands right
             * before the relative (even inside a prepositional phrase: "the importance of
             * the DPRK, which is ready to partner"); "firms that trade" has no actor */
            uint32_t j = k;
            if (j > start && c->text.toks[j - 1].nlen == 1 && norm(c, j - 1)[0] == ',') {
                j--;
            }
            if (j > start && (c->text.toks[j - 1].flags & TF_POSS)) {
                j--;
            }
            int32_t am = j > start ? mention_at(c, j - 1) : -1;
            if (am >= 0) {
                return am;
            }
            /* "The DPRK was among the five countries that voted": through a copula the
             * subject of the main clause is the antecedent */
            bool be = false;
            for (uint32_t b = j; b-- > start;) {
                if (hard_boundary(c, b)) {
                    break;
                }
                be |= c->text.toks[b].cls == WC_BE;
                int32_t m = mention_at(c, b);
                if (m >= 0) {
                    return be && !c->ments[m].after_prep ? m : -1;
                }
            }
            return -1;
        }
        if (tk->cls == WC_SUB) {
            /* "..., but HEAD", "even though the X resolutions ban": the clause ends at the
             * subordinator */
            if (!norm_is(c, k, "as") && !norm_is(c, k, "since") && !norm_is(c, k, "after") &&
                !norm_is(c, k, "before") && !norm_is(c, k, "when")) {
                break;
            }
        }
        int32_t m = mention_at(c, k);
        if (m < 0) {
            continue;
        }
        const struct mention *mm = &c->ments[m];
        k = mm->first; /* skip over the mention */
        if (mm->modifier) {
            continue;
        }
        if (mm->after_prep && !(allow_by && mm->prep_cls == WC_BY)) {
            /* "of X" inside the subject noun phrase: "the ambassador of X" is composed
             * already; skip objects of prepositions */
            continue;
        }
        if (mm->first > start && object_of_verb(c, mm->first)) {
            /* "forces fighting to defeat Islamic State has resigned": an object of a
             * verb is not the subject of a later one */
            continue;
        }
        if (mm->adjective) {
            /* "the second UN member state": a country word modifying a plain noun is a
             * weak subject; keep looking but remember it */
            if (best < 0) {
                best = m;
            }
            continue;
        }
        return m;
    }
    return best;
}

/* First eligible mention starting in [from, limit), outside not_m's compound group. */
static int32_t find_object(const tumen_coder *c, uint32_t from, uint32_t limit, int32_t not_m) {
    for (size_t i = 0; i < c->nments; i++) {
        const struct mention *m = &c->ments[i];
        if (m->prep_tok != TUMEN_NOID && (norm_is(c, m->prep_tok, "alongside") ||
                                          norm_is(c, m->prep_tok, "beside"))) {
            continue; /* "fought alongside the US": an ally, not a target */
        }
        if (m->modifier) {
            continue; /* "the Russian-backed entities" are not Russia */
        }
        if (m->first >= from && m->first < limit && (int32_t)i != not_m &&
            (not_m < 0 || m->group != c->ments[not_m].group)) {
            return (int32_t)i;
        }
    }
    return -1;
}

static bool locative(const tumen_coder *c, const struct mention *m) {
    return m->prep_tok != TUMEN_NOID &&
           (norm_is(c, m->prep_tok, "in") || norm_is(c, m->prep_tok, "at") ||
            norm_is(c, m->prep_tok, "near") || norm_is(c, m->prep_tok, "inside"));
}

/* A target candidate m found from pos: a place after in/at that the pattern did not ask
 * for is where, not whom ("meet in Zurich"), and an owner is replaced by what it owns
 * ("the US military's Kurdish partners"). */
static int32_t refine_target(const tumen_coder *c, int32_t m, uint32_t pos, uint32_t lim,
                             int32_t not_m) {
    while (m >= 0 && locative(c, &c->ments[m]) && c->ments[m].prep_tok >= pos) {
        const struct mention *lm = &c->ments[m];
        m = find_object(c, lm->first + lm->n, lim, not_m);
    }
    if (m >= 0 && c->ments[m].possessive) {
        uint32_t after = c->ments[m].first + c->ments[m].n + 1;
        int32_t nx = after < lim ? find_object(c, after, after + 1, not_m) : -1;
        if (nx >= 0) {
            m = nx;
        }
    }
    return m;
}

/* Can word set idx match anywhere in the current sentence? (its alternatives' first words) */
static bool set_in_sentence(tumen_coder *c, uint32_t idx) {
    const struct tumen_dict *d = c->d;
    if (idx >= d->nsets) {
        return false;
    }
    if (c->set_stamp[idx] != c->stamp) {
        const struct wordset *ws = &d->sets[idx];
        bool any = false;
        for (uint32_t a = 0; a < ws->nalts && !any; a++) {
            const struct phrase *ph = &ws->alts[a];
            any = ph->n == 0 || (ph->f[0] & PW_PREFIX) ||
                  (ph->w[0] < d->words.n && c->seen[ph->w[0]] == c->stamp);
        }
        c->set_seen[idx] = any;
        c->set_stamp[idx] = c->stamp;
    }
    return c->set_seen[idx] != 0;
}

static bool elem_word_at(const tumen_coder *c, const struct velem *e, uint32_t k, uint32_t *len) {
    const struct tumen_dict *d = c->d;
    if (e->kind == VE_WORD) {
        if (tok_is(&c->text.toks[k], e->value, 0, d, &c->text)) {
            *len = 1;
            return true;
        }
        return false;
    }
    if (e->kind == VE_SET && e->value < d->nsets) {
        const struct wordset *ws = &d->sets[e->value];
        uint32_t best = 0;
        const struct tok *tk = &c->text.toks[k];
        uint32_t keys[4] = {tk->id, tk->lemma, tk->lemma2, tk->pfx};
        for (int ki = 0; ki < 4; ki++) {
        uint32_t key = keys[ki];
        bool dup = key == TUMEN_NOID;
        for (int kj = 0; kj < ki; kj++) {
            dup |= keys[kj] == key;
        }
        if (dup) {
            continue;
        }
        /* alternatives are sorted by first word: binary search the first one */
        uint32_t lo = 0, hi = ws->nalts;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (ws->alts[mid].w[0] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (uint32_t a = lo; a < ws->nalts && ws->alts[a].w[0] == key; a++) {
            const struct phrase *ph = &ws->alts[a];
            /* phrase match with lemma readings on each word */
            uint32_t pos = k;
            bool ok = true;
            for (uint16_t i = 0; i < ph->n; i++) {
                if (pos >= c->text.ntoks ||
                    !tok_is(&c->text.toks[pos], ph->w[i], ph->f[i], d, &c->text)) {
                    ok = false;
                    break;
                }
                pos++;
            }
            if (ok && pos - k > best) {
                best = pos - k;
            }
        }
        }
        if (best) {
            *len = best;
            return true;
        }
    }
    return false;
}

/* Is the head at h in the passive voice ("was attacked", "have been sent", "Emwazi,
 * killed by a drone")? noun: the pattern reads the head as a noun, so only an explicit
 * be-form makes it a participle. */
static bool is_passive(const tumen_coder *c, const struct sent *s, uint32_t h, bool noun) {
    const struct tok *tk = &c->text.toks[h];
    const char *w = tok_norm(&c->text, tk);
    static const char *const stative[] = {"engaged",  "involved", "stationed", "based",
                                          "embroiled", "present",  "active",    "deployed",
                                          "locked",   "caught",   NULL};
    for (size_t i = 0; stative[i] != NULL; i++) {
        if (norm_is(c, h, stative[i])) {
            return false; /* "troops were engaged in fighting": a state, not a passive */
        }
    }
    bool participle = (tk->nlen > 2 && memcmp(w + tk->nlen - 2, "ed", 2) == 0) ||
                      (tk->lemma != TUMEN_NOID && !(tk->nlen > 3 &&
                                                     memcmp(w + tk->nlen - 3, "ing", 3) == 0) &&
                       !(tk->nlen > 1 && w[tk->nlen - 1] == 's'));
    if (!participle) {
        return false;
    }
    uint32_t end = s->first + s->n;
    if (!noun && h + 2 < end && c->text.toks[h + 1].cls == WC_BY && h > s->first &&
        c->text.toks[h - 1].cls != WC_HAVE) {
        /* reduced relative: "the rebels, backed by Ankara"; not "has backed by far" */
        const struct tok *pv = &c->text.toks[h - 1];
        bool after_noun = (pv->nlen == 1 && tok_norm(&c->text, pv)[0] == ',') ||
                          mention_at(c, h - 1) >= 0 || (pv->flags & TF_WORD);
        if (after_noun) {
            return true;
        }
    }
    for (uint32_t back = 1; back <= 3 && h >= s->first + back; back++) {
        const struct tok *p = &c->text.toks[h - back];
        if (p->cls == WC_BE) {
            return true;
        }
        if (!(p->flags & TF_WORD) || p->cls == WC_HAVE || p->cls == WC_MODAL ||
            p->cls == WC_PREP) {
            return false;
        }
        /* adverbs ("was reportedly sent") may intervene */
        size_t n = p->nlen;
        if (!(n > 2 && memcmp(tok_norm(&c->text, p) + n - 2, "ly", 2) == 0) &&
            p->cls != WC_NOT) {
            return false;
        }
    }
    return false;
}

/* Tries pattern v at head h. Fills *cd and returns true on a match. */
static bool try_pattern(tumen_coder *c, const struct sent *s, uint32_t h, uint32_t vidx,
                        struct cand *cd) {
    const struct tumen_dict *d = c->d;
    const struct vpattern *v = &d->verbs[vidx];
    uint32_t send = s->first + s->n;
    /* head words */
    uint32_t pos = h;
    for (uint16_t i = 0; i < v->head.n; i++) {
        if (pos >= send || !tok_is(&c->text.toks[pos], v->head.w[i], v->head.f[i], d, &c->text)) {
            return false;
        }
        pos++;
    }
    memset(cd, 0, sizeof *cd);
    cd->v = v;
    cd->vidx = vidx;
    cd->head = h;
    cd->head_n = (uint32_t)(pos - h);
    cd->first = h;
    cd->src = cd->tgt = -1;
    cd->spec = v->specificity;
    for (uint16_t i = 0; i < v->npost; i++) {
        if (v->post[i].kind == VE_SET && !set_in_sentence(c, v->post[i].value)) {
            return false;
        }
    }
    for (uint16_t i = 0; i < v->npre; i++) {
        if (v->pre[i].kind == VE_SET && !set_in_sentence(c, v->pre[i].value)) {
            return false;
        }
    }
    uint32_t cend = clause_end(c, s, pos);
    /* post elements */
    for (uint16_t i = 0; i < v->npost; i++) {
        const struct velem *e = &v->post[i];
        if (e->kind == VE_TARGET || e->kind == VE_SOURCE || e->kind == VE_ACTOR) {
            uint32_t lim = (e->flags & PW_FAR) ? cend : (pos + GAP < cend ? pos + GAP : cend);
            int32_t m = find_object(c, pos, lim, -1);
            if (e->kind == VE_TARGET) {
                m = refine_target(c, m, pos, cend, -1);
            }
            if (m < 0) {
                return false;
            }
            if (e->kind == VE_TARGET) {
                cd->tgt = m;
            } else if (e->kind == VE_SOURCE) {
                cd->src = m;
            }
            pos = c->ments[m].first + c->ments[m].n;
            continue;
        }
        if (e->kind == VE_SKIP) {
            int32_t m = find_object(c, pos, cend, -1);
            if (m >= 0) {
                pos = c->ments[m].first + c->ments[m].n;
            }
            continue;
        }
        uint32_t limit = (e->flags & PW_FAR) ? cend : (e->flags & PW_GAP) ? pos + GAP + 1 : pos + 1;
        if (limit > cend) {
            limit = cend;
        }
        bool found = false;
        for (uint32_t k = pos; k < limit; k++) {
            uint32_t len;
            if (elem_word_at(c, e, k, &len)) {
                pos = k + len;
                found = true;
                break;
            }
        }
        if (!found) {
            return false;
        }
    }
    cd->last = pos;
    /* pre elements, right to left */
    uint32_t bpos = h;
    for (uint16_t i = v->npre; i-- > 0;) {
        const struct velem *e = &v->pre[i];
        if (e->kind == VE_SOURCE || e->kind == VE_TARGET || e->kind == VE_ACTOR) {
            int32_t m = find_subject(c, s, bpos, false);
            if (m < 0 && e->kind == VE_SOURCE) {
                continue; /* the subject rules of emit_cand (pronouns, openers) may find it */
            }
            if (m < 0) {
                return false;
            }
            if (e->kind == VE_SOURCE) {
                cd->src = m;
            } else if (e->kind == VE_TARGET) {
                cd->tgt = m;
            }
            bpos = c->ments[m].first;
            continue;
        }
        if (e->kind == VE_SKIP) {
            continue;
        }
        bool found = false;
        uint32_t lo = (e->flags & PW_FAR)   ? s->first
                      : (e->flags & PW_GAP) ? (bpos >= s->first + GAP + 1 ? bpos - GAP - 1 : s->first)
                                            : (bpos > s->first ? bpos - 1 : s->first);
        for (uint32_t k = bpos; k-- > lo;) {
            if (hard_boundary(c, k)) {
                break;
            }
            uint32_t len;
            if (elem_word_at(c, e, k, &len) && k + len <= bpos) {
                bpos = k;
                found = true;
                break;
            }
        }
        if (!found) {
            return false;
        }
    }
    cd->first = bpos;
    return true;
}

static bool better(const struct cand *a, const struct cand *b) {
    if (a->spec != b->spec) {
        return a->spec > b->spec;
    }
    bool an = (a->v->flags & VP_NULL) != 0, bn = (b->v->flags & VP_NULL) != 0;
    if (an != bn) {
        return an; /* an explicit "not an event" reading wins a tie */
    }
    uint32_t la = a->last - a->first, lb = b->last - b->first;
    if (la != lb) {
        return la > lb;
    }
    return a->vidx < b->vidx;
}

/* Best pattern at head h, or false. */
static bool best_at(tumen_coder *c, const struct sent *s, uint32_t h, struct cand *best) {
    const struct tumen_dict *d = c->d;
    const struct tok *tk = &c->text.toks[h];
    if (!(tk->flags & TF_WORD)) {
        return false;
    }
    uint32_t keys[4] = {tk->id, tk->lemma, tk->lemma2, tk->pfx};
    bool have = false;
    /* after a possessive determiner (his, its, their) the word is a noun */
    bool after_det = false;
    for (uint32_t b = 1; b <= 2 && h >= s->first + b; b++) {
        const struct tok *p = &c->text.toks[h - b];
        const char *pw = tok_norm(&c->text, p);
        if (p->cls == WC_DET) {
            after_det = strcmp(pw, "his") == 0 || strcmp(pw, "its") == 0 ||
                        strcmp(pw, "their") == 0 || strcmp(pw, "her") == 0 ||
                        strcmp(pw, "our") == 0;
            break;
        }
        if (!(p->flags & TF_WORD) || p->cls != WC_NONE || mention_at(c, h - b) >= 0) {
            break;
        }
    }
    for (int ki = 0; ki < 4; ki++) {
        uint32_t w = keys[ki];
        if (w == TUMEN_NOID || w >= d->verb_ix.nwords) {
            continue;
        }
        bool dup = false;
        for (int kj = 0; kj < ki; kj++) {
            dup |= keys[kj] == w;
        }
        if (dup) {
            continue;
        }
        for (uint32_t j = d->verb_ix.start[w]; j < d->verb_ix.start[w + 1]; j++) {
            struct cand cd;
            if (after_det && !(d->verbs[d->verb_ix.idx[j]].flags & (VP_NOUN | VP_NULL))) {
                continue; /* "aboard his armoured train": a noun, not the verb "train" */
            }
            uint32_t a = c->anchor[d->verb_ix.idx[j]];
            if (a != TUMEN_NOID && c->seen[a] != c->stamp) {
                continue;
            }
            if (try_pattern(c, s, h, d->verb_ix.idx[j], &cd)) {
                if (!have || better(&cd, best)) {
                    *best = cd;
                    have = true;
                }
            }
        }
    }
    return have;
}

/* ---- events ---- */

static int32_t date_of(const char *s) {
    if (s == NULL) {
        return 0;
    }
    int32_t v;
    if (!date_parse(s, strlen(s), &v)) {
        return 0;
    }
    if (v % 10000 == 0) {
        return v + 701; /* a year: mid-year */
    }
    if (v % 100 == 0) {
        return v + 15; /* a month: mid-month */
    }
    return v;
}

static bool same_country(const char *a, const char *b) {
    return strncmp(a, b, 3) == 0;
}

static tumen_span span_of(const tumen_coder *c, uint32_t first, uint32_t n) {
    tumen_span sp = {0, 0};
    if (n == 0) {
        return sp;
    }
    const struct tok *a = &c->text.toks[first];
    const struct tok *b = &c->text.toks[first + n - 1];
    sp.offset = a->off;
    sp.length = b->off + b->len - a->off;
    return sp;
}

/* Agent suffixes of private people (CAMEO: civilians, refugees, labour, education). */
static bool private_people(const char *code) {
    size_t n = strlen(code);
    if (n < 6) {
        return false;
    }
    const char *ag = code + n - 3;
    return strcmp(ag, "CVL") == 0 || strcmp(ag, "REF") == 0 || strcmp(ag, "LAB") == 0;
}

/* Military aid (troops, arms) that an ally of a belligerent sends into the war's theatre
 * is aid to that belligerent (data/wars.alignments; CONVENTIONS: the target is the side
 * supported). Returns the alignment, or NULL. */
static const struct alignment *aid_alignment(const tumen_coder *c, const char *code,
                                             const char *src, const char *tgt) {
    if (!(strncmp(code, "07", 2) == 0 || strcmp(code, "0332") == 0)) {
        return NULL;
    }
    for (size_t i = 0; i < c->d->naligns; i++) {
        const struct alignment *a = &c->d->aligns[i];
        if (strncmp(tgt, a->b, 3) != 0) {
            continue;
        }
        if (c->date != 0 && ((a->from && c->date < a->from) || (a->to && c->date > a->to))) {
            continue;
        }
        for (uint32_t j = 0; j < a->nallies; j++) {
            if (strncmp(src, a->allies[j], 3) == 0) {
                return a;
            }
        }
    }
    return NULL;
}

static void make_statistic(tumen_event *e) {
    e->kind = TUMEN_KIND_STATISTIC;
    snprintf(e->code, sizeof e->code, "--");
    snprintf(e->root, sizeof e->root, "--");
    e->goldstein = 0.0;
    e->quad = 0;
    e->symmetric = 0;
}

/* --explain: the event with its modality cue and scope, attribution, quantity, time. */
static void explain_event(tumen_coder *c, const tumen_event *e, const struct mod_result *mr) {
    const char *t = e->doc_text;
    xline(c, "    event %s -> %s %s %s", e->source, e->target, e->code,
          tumen_modality_name(e->modality));
    if (mr->mod_cue.length) {
        xline(c, "      cue '%.*s' scope '%.*s'", (int)mr->mod_cue.length, t + mr->mod_cue.offset,
              (int)(mr->scope.length > 160 ? 160 : mr->scope.length), t + mr->scope.offset);
    }
    if (e->attributed_to[0]) {
        xline(c, "      attributed to %s ('%.*s')", e->attributed_to, (int)e->cue.length,
              t + e->cue.offset);
    }
    if (e->probability_words.length) {
        xline(c, "      probability words '%.*s' = %.2f", (int)e->probability_words.length,
              t + e->probability_words.offset, e->probability);
    }
    if (e->quantity.present) {
        xline(c, "      quantity %.10g %s%s%s attached from '%.*s'", e->quantity.value,
              e->quantity.unit, e->quantity.approx ? " approx" : "",
              e->quantity.bound == TUMEN_BOUND_MAX   ? " max"
              : e->quantity.bound == TUMEN_BOUND_MIN ? " min"
                                                     : "",
              (int)e->quantity.span.length, t + e->quantity.span.offset);
    }
    if (e->when_span.length) {
        xline(c, "      when %s from '%.*s'", e->when[0] ? e->when : "(a span, not a point)",
              (int)e->when_span.length, t + e->when_span.offset);
    }
}

/* A new output event of sentence s (number sno) of doc: zeroed but for the document and the
 * sentence. NULL on out of memory. */
static struct out_ev *new_out_ev(tumen_coder *c, const tumen_doc *doc, uint32_t sno,
                                 const struct sent *s) {
    if (!grow((void **)&c->evs, &c->cap_evs, c->nevs + 1, sizeof *c->evs)) {
        return NULL;
    }
    struct out_ev *oe = &c->evs[c->nevs++];
    memset(oe, 0, sizeof *oe);
    tumen_event *e = &oe->ev;
    e->doc_id = doc->id;
    e->doc_text = doc->text;
    e->date = doc->date;
    e->sentence = sno;
    e->sent.offset = s->off;
    e->sent.length = s->len;
    return oe;
}

static tumen_status push_event(tumen_coder *c, const tumen_doc *doc, uint32_t sno,
                               const struct sent *s, const struct cand *cd, int32_t sm,
                               int32_t tm, bool symmetric) {
    const struct mention *src = &c->ments[sm];
    const struct mention *tgt = tm >= 0 ? &c->ments[tm] : NULL;
    if (tgt == NULL || same_country(src->code, tgt->code)) {
        return TUMEN_OK;
    }
    /* in-sentence duplicate (same dyad and root) */
    const char *code = cd->v->code;
    const struct alignment *al = aid_alignment(c, code, src->code, tgt->code);
    const char *final_tgt = al ? al->a : tgt->code;
    for (size_t i = c->sent_evs; i < c->nevs; i++) {
        tumen_event *o = &c->evs[i].ev;
        if (o->sentence == sno && strcmp(o->source, src->code) == 0 &&
            strcmp(o->target, final_tgt) == 0 && strncmp(o->code, code, 2) == 0) {
            if (cd->spec > c->evs[i].spec && c->evs[i].head == cd->head) {
                str_copy(o->code, sizeof o->code, code);
            }
            return TUMEN_OK;
        }
    }
    struct out_ev *oe = new_out_ev(c, doc, sno, s);
    if (oe == NULL) {
        return TUMEN_NOMEM;
    }
    oe->spec = cd->spec;
    oe->head = cd->head;
    tumen_event *e = &oe->ev;
    str_copy(e->source, sizeof e->source, src->code);
    str_copy(e->target, sizeof e->target, final_tgt); /* troops sent to Ukraine: Russia */
    e->source_span = span_of(c, src->first, src->n);
    e->target_span = span_of(c, tgt->first, tgt->n);
    e->kind = TUMEN_KIND_EVENT;
    str_copy(e->code, sizeof e->code, code);
    memcpy(e->root, code, 2);
    e->root[2] = '\0';
    /* "an obligation on both states to provide military assistance", "pledged to send
     * troops": material aid or cooperation that is only promised is an intent (03x) */
    static const char *const intent[] = {
        "obligation", "obligations", "commitment", "commitments", "pledge",  "pledged",
        "promise",    "promised",    "vowed",      "readiness",   "willingness", "intends",
        "intend",     "undertook",   "undertaking", NULL};
    for (uint32_t k = cd->head; k-- > s->first && cd->head - k <= 8;) {
        if (hard_boundary(c, k)) {
            break;
        }
        bool hit = false;
        for (size_t i = 0; intent[i] != NULL && !hit; i++) {
            hit = norm_is(c, k, intent[i]);
        }
        if (!hit) {
            continue;
        }
        static const char *const map[][2] = {{"070", "033"},  {"071", "0331"}, {"072", "0332"},
                                             {"073", "0333"}, {"074", "0334"}, {"061", "0311"},
                                             {"062", "0312"}};
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
            if (strcmp(e->code, map[i][0]) == 0) {
                str_copy(e->code, sizeof e->code, map[i][1]);
                memcpy(e->root, "03", 3);
                code = e->code;
                break;
            }
        }
        break;
    }
    const struct cameo_code *cc = cameo_find(code);
    e->goldstein = cc ? cc->goldstein : 0.0;
    e->quad = cc ? cc->quad : 0;
    if (strncmp(code, "04", 2) == 0 && private_people(src->code)) {
        /* tourists, refugees or workers travelling are a flow, not a diplomatic visit */
        make_statistic(e);
    }
    e->symmetric = symmetric;
    e->verb = span_of(c, cd->head, cd->head_n);
    e->probability = -1.0;
    e->pattern_file = file_of(c, cd->v->src.file);
    e->pattern_line = cd->v->src.line;

    /* modality, attribution, forecasts */
    struct mod_input mi;
    memset(&mi, 0, sizeof mi);
    mi.t = &c->text;
    mi.s = s;
    mi.doc = doc->text;
    mi.head = cd->head;
    mi.head_n = cd->head_n;
    mi.src_tok = src->first;
    mi.tgt_tok = tgt->first;
    mi.actors = c->mod_actors;
    mi.nactors = c->nments;
    mi.code = code;
    mi.cache = c->mcache;
    struct mod_result mr;
    modality_classify(&mi, &mr);
    e->modality = mr.modality;
    e->cue = mr.cue;
    if (mr.modality == TUMEN_ASSERTED || mr.modality == TUMEN_REPORTED) {
        /* "Obama wants to attack", "Seoul hopes Pyongyang will return to talks": a wish is
         * not an act */
        static const char *const wish[] = {"want",   "wants", "wanted", "wish", "wishes",
                                           "wished", "hope",  "hopes",  "hoped", NULL};
        for (uint32_t k = cd->head; k-- > s->first && cd->head - k <= 6;) {
            if (hard_boundary(c, k) || c->text.toks[k].cls == WC_SUB) {
                break;
            }
            bool w = false;
            for (size_t i = 0; wish[i] != NULL && !w; i++) {
                w = norm_is(c, k, wish[i]);
            }
            if (w) {
                e->modality = TUMEN_HYPOTHETICAL;
                if (mr.modality == TUMEN_ASSERTED) {
                    e->cue = span_of(c, k, 1);
                }
                break;
            }
        }
    }
    str_copy(e->attributed_to, sizeof e->attributed_to, mr.attributed_to);
    if (mr.attrib_pronoun && c->prev_subject) {
        str_copy(e->attributed_to, sizeof e->attributed_to, c->prev_subject);
    }
    if (mr.modality == TUMEN_FORECAST) {
        e->probability_words = mr.prob_words;
        e->probability = mr.probability;
    }
    /* quantity and time */
    tumen_quantity q;
    if (!c->qty_done) {
        c->nqty = quantity_scan(&c->text, s, doc->text, c->qtys, 64);
        c->nqty = c->nqty > 64 ? 64 : c->nqty;
        c->qty_done = true;
    }
    if (quantity_pick(&c->text, s, c->qtys, c->nqty, cd->head, cd->head_n, code, &q)) {
        if (q.unit[0] == '\0' && c->pron_unit[0] != '\0' && src->actor == TUMEN_NOID) {
            str_copy(q.unit, sizeof q.unit, c->pron_unit); /* "1500 of them" */
        }
        e->quantity = q;
    }
    char when[11] = "";
    tumen_span wsp = {0, 0};
    if (!c->timex_done) {
        c->ntimex = timex_scan(&c->text, s, doc->text, doc->date, c->timexes, 32);
        if (c->ntimex > 32) {
            c->ntimex = 32;
        }
        c->timex_done = true;
    }
    if (timex_pick(&c->text, s, c->timexes, c->ntimex, cd->head, when, &wsp)) {
        memcpy(e->when, when, sizeof e->when);
        e->when_span = wsp;
    }
    if (e->kind == TUMEN_KIND_EVENT && strncmp(code, "06", 2) == 0 && e->quantity.present &&
        strcmp(e->quantity.unit, "percent") == 0) {
        /* "Russia exported 49% of its crude oil to Europe": a share of trade is a
         * statistic, not an act; it runs from exporter to importer */
        make_statistic(e);
        if (norm_is(c, cd->head, "imported") || norm_is(c, cd->head, "imports") ||
            norm_is(c, cd->head, "import") || norm_is(c, cd->head, "bought") ||
            norm_is(c, cd->head, "buys") || norm_is(c, cd->head, "purchased")) {
            char tmp[sizeof e->source];
            memcpy(tmp, e->source, sizeof tmp);
            memcpy(e->source, e->target, sizeof tmp);
            memcpy(e->target, tmp, sizeof tmp);
            tumen_span sp = e->source_span;
            e->source_span = e->target_span;
            e->target_span = sp;
        }
    }
    if (c->explain) {
        explain_event(c, e, &mr);
    }
    return TUMEN_OK;
}

static const char *unit_of_word(const char *w, size_t n) {
    static const char *const map[][2] = {
        {"tourists", "tourists"}, {"visitors", "tourists"},  {"travellers", "tourists"},
        {"workers", "workers"},   {"labourers", "workers"},  {"laborers", "workers"},
        {"troops", "troops"},     {"soldiers", "troops"},    {"servicemen", "troops"},
        {"students", "students"}, {"refugees", "refugees"},  {"migrants", "migrants"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strlen(map[i][0]) == n && memcmp(map[i][0], w, n) == 0) {
            return map[i][1];
        }
    }
    return NULL;
}

/* Remembers this sentence's mentions as antecedents for pronouns in later sentences. */
static void remember_antecedents(tumen_coder *c, uint32_t sno) {
    for (size_t i = 0; i < c->nments; i++) {
        const struct mention *m = &c->ments[i];
        if (m->actor == TUMEN_NOID && m->n == 1 && c->text.toks[m->first].cls == WC_PRON) {
            continue; /* a resolved pronoun is not a new antecedent */
        }
        const struct tok *last = &c->text.toks[m->first + m->n - 1];
        const char *w = tok_norm(&c->text, last);
        if (c->nantes == sizeof c->antes / sizeof c->antes[0]) {
            memmove(&c->antes[0], &c->antes[1], (c->nantes - 1) * sizeof c->antes[0]);
            c->nantes--;
        }
        struct ante *a = &c->antes[c->nantes++];
        str_copy(a->code, sizeof a->code, m->code);
        const char *u = unit_of_word(w, last->nlen);
        str_copy(a->unit, sizeof a->unit, u ? u : "");
        a->plural = (last->flags & TF_WORD) && !(last->flags & TF_POSS) && last->nlen > 2 &&
                    w[last->nlen - 1] == 's';
        a->sno = sno;
        a->group = m->group;
    }
}

/* Inserts count blank mentions over tokens [first, first+n) at their place in position
 * order and returns the first; the caller fills the codes. c->nments grows by count. */
static struct mention *insert_mentions(tumen_coder *c, uint32_t first, uint32_t n, size_t count,
                                       uint32_t group) {
    size_t at = 0;
    while (at < c->nments && c->ments[at].first < first) {
        at++;
    }
    memmove(&c->ments[at + count], &c->ments[at], (c->nments - at) * sizeof c->ments[0]);
    for (size_t i = 0; i < count; i++) {
        struct mention *m = &c->ments[at + i];
        memset(m, 0, sizeof *m);
        m->first = first;
        m->n = n;
        m->actor = TUMEN_NOID;
        m->group = group;
        m->prep_tok = TUMEN_NOID;
    }
    c->nments += count;
    return &c->ments[at];
}

/* Marks m as governed by the preposition at token p ("on the DPRK"), if it is one. */
static void governing_prep(const tumen_coder *c, const struct sent *s, struct mention *m,
                           uint32_t p) {
    if (p < s->first) {
        return;
    }
    uint16_t pc = c->text.toks[p].cls;
    if (pc == WC_PREP || pc == WC_BY || pc == WC_BETWEEN) {
        m->after_prep = true;
        m->prep_cls = (uint8_t)pc;
        m->prep_tok = p;
    }
}

/* "Their diplomats have discussed": a possessive pronoun with an agent names the agents of
 * the actors spoken of last (a compound: each member; "its": the last state). */
static void add_possessive_agents(tumen_coder *c, const struct sent *s, uint32_t sno) {
    uint32_t end = s->first + s->n;
    for (uint32_t k = s->first; k + 1 < end && c->nments + 4 <= MAX_MENTIONS; k++) {
        bool their = norm_is(c, k, "their"), its = norm_is(c, k, "its");
        if ((!their && !its) || mention_at(c, k + 1) >= 0) {
            continue;
        }
        const char *ag = NULL;
        uint32_t an = match_agent_at(c->d, &c->text, k + 1, end, &ag);
        if (an == 0 || ag == NULL) {
            continue;
        }
        /* antecedents: the last compound of earlier sentences, or the last state */
        const struct ante *members[4];
        size_t nmem = 0;
        for (size_t i = c->nantes; i-- > 0 && nmem == 0;) {
            const struct ante *a = &c->antes[i];
            if (a->sno + 2 < sno || strlen(a->code) != 3) {
                continue;
            }
            if (its) {
                members[nmem++] = a;
                break;
            }
            for (size_t j = c->nantes; j-- > 0 && nmem < 4;) {
                const struct ante *b = &c->antes[j];
                if (b->sno == a->sno && b->group == a->group && strlen(b->code) == 3) {
                    members[nmem++] = b;
                }
            }
            if (nmem < 2) {
                nmem = 0;
            }
        }
        if (nmem == 0) {
            continue;
        }
        struct mention *m = insert_mentions(c, k, an + 1, nmem, UINT32_MAX / 8 + k);
        for (size_t i = 0; i < nmem; i++) {
            snprintf(m[i].code, sizeof m[i].code, "%.3s%s", members[i]->code, ag);
        }
        k += an;
    }
}

/* "1500 of them visited North Korea", "they signed": a pronoun subject before the head
 * takes the most recent fitting mention of the last three sentences. Adds a mention for
 * the pronoun and returns its index, or -1. */
static int32_t resolve_pronoun(tumen_coder *c, const struct sent *s, uint32_t sno, uint32_t h) {
    c->pron_unit[0] = '\0';
    for (uint32_t back = 1; back <= 4 && h >= s->first + back; back++) {
        uint32_t k = h - back;
        const struct tok *tk = &c->text.toks[k];
        if (hard_boundary(c, k) || mention_at(c, k) >= 0) {
            return -1;
        }
        if (tk->cls != WC_PRON) {
            continue;
        }
        bool plural = norm_is(c, k, "they") || norm_is(c, k, "them");
        bool it = norm_is(c, k, "it");
        if (!plural && !it) {
            return -1;
        }
        /* "once it achieves a ceasefire, Russia will need to": a pronoun in an opening
         * subordinate clause points forward to the main clause's subject */
        if (c->text.toks[s->first].cls == WC_SUB && k > s->first) {
            uint32_t comma = 0;
            for (uint32_t q = k + 1; q < s->first + s->n; q++) {
                if (c->text.toks[q].nlen == 1 && norm(c, q)[0] == ',') {
                    comma = q;
                    break;
                }
            }
            if (comma) {
                uint32_t j = comma + 1;
                while (j < s->first + s->n && c->text.toks[j].cls == WC_DET) {
                    j++;
                }
                int32_t m = j < s->first + s->n ? mention_at(c, j) : -1;
                if (m >= 0 && !c->ments[m].after_prep) {
                    c->tok_ment[k - c->cur_first] = (int16_t)m;
                    xline(c, "  pronoun '%s' -> %s (main clause)", norm(c, k), c->ments[m].code);
                    return m;
                }
            }
        }
        /* "Moscow denied that it had supplied": the subject earlier in the sentence */
        for (size_t i = c->nments; i-- > 0;) {
            const struct mention *m = &c->ments[i];
            if (m->first + m->n > k || m->after_prep || m->actor == TUMEN_NOID) {
                continue;
            }
            const struct tok *last = &c->text.toks[m->first + m->n - 1];
            bool mplural = (last->flags & TF_WORD) && !(last->flags & TF_POSS) &&
                           last->nlen > 2 && tok_norm(&c->text, last)[last->nlen - 1] == 's';
            if (mplural == plural) {
                const char *u = unit_of_word(tok_norm(&c->text, last), last->nlen);
                str_copy(c->pron_unit, sizeof c->pron_unit, u ? u : "");
                c->tok_ment[k - c->cur_first] = (int16_t)i;
                xline(c, "  pronoun '%s' -> %s (same sentence)", norm(c, k), m->code);
                return (int32_t)i;
            }
        }
        int best = -1;
        for (size_t i = c->nantes; i-- > 0;) {
            const struct ante *a = &c->antes[i];
            if (a->sno + 3 < sno) {
                break;
            }
            if (plural && a->plural && (best < 0 || (a->unit[0] && !c->antes[best].unit[0]))) {
                best = (int)i;
                if (a->unit[0]) {
                    break;
                }
            } else if (it && !a->plural && strlen(a->code) == 3 && best < 0) {
                best = (int)i;
                break;
            }
        }
        if (best < 0 || c->nments >= MAX_MENTIONS) {
            return -1;
        }
        struct mention *m = &c->ments[c->nments];
        memset(m, 0, sizeof *m);
        m->first = k;
        m->n = 1;
        m->actor = TUMEN_NOID;
        m->prep_tok = TUMEN_NOID;
        m->group = UINT32_MAX - (uint32_t)c->nments;
        str_copy(m->code, sizeof m->code, c->antes[best].code);
        str_copy(c->pron_unit, sizeof c->pron_unit, c->antes[best].unit);
        c->mod_actors[c->nments].first = k;
        c->mod_actors[c->nments].n = 1;
        c->mod_actors[c->nments].code = m->code;
        c->tok_ment[k - c->cur_first] = (int16_t)c->nments;
        xline(c, "  pronoun '%s' -> %s", norm(c, k), m->code);
        return (int32_t)c->nments++;
    }
    return -1;
}

/* Codes whose complement ("to X", "that X") is appealed for, intended, demanded or
 * threatened rather than done. */
static bool governing_code(const char *code) {
    return strncmp(code, "02", 2) == 0 || strncmp(code, "03", 2) == 0 ||
           strncmp(code, "10", 2) == 0 || strncmp(code, "13", 2) == 0;
}

static tumen_status emit_cand(tumen_coder *c, const tumen_doc *doc, uint32_t sno,
                              const struct sent *s, struct cand *cd) {
    const struct vpattern *v = cd->v;
    if (v->flags & VP_NULL) {
        xline(c, "  head '%s' %s:%u: null pattern (---), no event", norm(c, cd->head),
              file_of(c, v->src.file), v->src.line);
        return TUMEN_OK;
    }
    bool sym = (v->flags & VP_SYMMETRIC) != 0;
    uint32_t send = s->first + s->n;
    uint32_t cend = clause_end(c, s, cd->last);
    /* "between A and B" right after the head, or inside the words the pattern matched
     * ("[possibility] for cooperation between"), fills both slots */
    {
        uint32_t blim = cd->last > cd->head + cd->head_n ? cd->last : cd->head + cd->head_n + 1;
        for (uint32_t k = cd->head + cd->head_n; k < cend && k < blim; k++) {
            bool of_list = (v->flags & VP_SYMMETRIC) && (v->flags & VP_NOUN) &&
                           k == cd->head + cd->head_n && norm_is(c, k, "of");
            if (c->text.toks[k].cls == WC_BETWEEN || of_list) {
                /* "the alignment of China, Russia and the DPRK": the first member with
                 * each of the others */
                int32_t a = find_object(c, k + 1, k + 4, -1);
                if (a >= 0) {
                    for (size_t j = (size_t)a + 1; j < c->nments; j++) {
                        if (c->ments[j].group == c->ments[a].group) {
                            cd->src = a;
                            cd->tgt = (int32_t)j;
                            cd->between = true;
                            sym = true;
                            break;
                        }
                    }
                }
                break;
            }
        }
    }
    cd->passive = !cd->between && is_passive(c, s, cd->head, (v->flags & VP_NOUN) != 0);
    if (cd->passive) {
        /* "X was attacked by Y": source after "by", target is the subject */
        int32_t by = -1;
        for (size_t i = 0; i < c->nments; i++) {
            const struct mention *m = &c->ments[i];
            if (m->first >= cd->head && m->first < cend && m->prep_cls == WC_BY) {
                by = (int32_t)i;
                break;
            }
        }
        if (by < 0) {
            /* "workers may be invited to Russia": the host of an invitation is its source */
            static const char *const hosts[] = {"invited", "welcomed", "hosted", "admitted",
                                                "accepted", NULL};
            bool host = false;
            for (size_t i = 0; hosts[i] != NULL; i++) {
                host |= norm_is(c, cd->head, hosts[i]);
            }
            for (size_t i = 0; host && i < c->nments; i++) {
                const struct mention *m = &c->ments[i];
                if (m->first > cd->head && m->first < cend && m->prep_tok != TUMEN_NOID &&
                    norm_is(c, m->prep_tok, "to")) {
                    by = (int32_t)i;
                    break;
                }
            }
        }
        if (by < 0) {
            xline(c, "  head '%s': agentless passive, not coded", norm(c, cd->head));
            return TUMEN_OK;
        }
        int32_t subj = find_subject(c, s, cd->head, false);
        if (subj >= 0 && c->ments[subj].adjective) {
            subj = -1; /* "the Geneva agreement was signed by": a place naming a thing */
        }
        cd->src = by;
        if (subj >= 0) {
            cd->tgt = subj;
        } else if (cd->tgt == by) {
            cd->tgt = -1;
        }
    }
    if (cd->head > s->first) {
        /* gerund with its own subject: "the possibility of North Korea sending troops" */
        const struct tok *hk = &c->text.toks[cd->head];
        uint32_t b = cd->head - 1;
        if (b > s->first && (c->text.toks[b].flags & TF_POSS)) {
            b--;
        }
        int32_t m = mention_at(c, b);
        if (m >= 0 && hk->nlen > 4 && memcmp(tok_norm(&c->text, hk) + hk->nlen - 3, "ing", 3) == 0 &&
            c->ments[m].first + c->ments[m].n == b + 1) {
            cd->src = m;
        }
    }
    const struct tok *head_tok = &c->text.toks[cd->head];
    bool nominal = (v->flags & VP_NOUN) ||
                   (head_tok->nlen > 3 && tok_norm(&c->text, head_tok)[head_tok->nlen - 1] == 's' &&
                    head_tok->lemma != TUMEN_NOID && cd->head > s->first &&
                    (c->text.toks[cd->head - 1].cls == WC_DET ||
                     (c->text.toks[cd->head - 1].flags & TF_WORD) == 0 ||
                     c->text.toks[cd->head - 1].lemma == TUMEN_NOID));
    if (nominal && cd->head + cd->head_n + 1 < cend) {
        /* "sanctions imposed on the DPRK": a nominal act with an agentless participle has
         * no source we can name */
        const struct tok *pk = &c->text.toks[cd->head + cd->head_n];
        const struct tok *nk = &c->text.toks[cd->head + cd->head_n + 1];
        if (pk->nlen > 3 && memcmp(tok_norm(&c->text, pk) + pk->nlen - 2, "ed", 2) == 0 &&
            nk->cls == WC_PREP) {
            xline(c, "  head '%s': nominal act with an agentless participle, not coded",
                  norm(c, cd->head));
            return TUMEN_OK;
        }
    }
    if (nominal) {
        /* "sanctions imposed by the EU on Russia", "sanctions initiated by the US" */
        for (uint32_t k = cd->head + cd->head_n; k + 1 < cend && k < cd->head + cd->head_n + 4; k++) {
            const struct tok *pk = &c->text.toks[k];
            if (pk->nlen == 1 && norm(c, k)[0] == ',') {
                break;
            }
            if (pk->nlen > 2 && memcmp(tok_norm(&c->text, pk) + pk->nlen - 2, "ed", 2) == 0 &&
                c->text.toks[k + 1].cls == WC_BY) {
                int32_t m = mention_at(c, k + 2);
                if (m < 0 && k + 3 < cend && c->text.toks[k + 2].cls == WC_DET) {
                    m = mention_at(c, k + 3);
                }
                if (m >= 0) {
                    bool had_src = cd->src >= 0 && cd->src != m;
                    int32_t old_src = cd->src;
                    cd->src = m;
                    if (had_src && (cd->tgt < 0 || cd->tgt == m)) {
                        cd->tgt = old_src; /* "Russia has been subjected to sanctions initiated by" */
                    } else if (cd->tgt == m || cd->tgt < 0) {
                        uint32_t after = c->ments[m].first + c->ments[m].n;
                        int32_t t2 = find_object(c, after, after + 6 < cend ? after + 6 : cend, m);
                        if (t2 < 0) {
                            t2 = find_subject(c, s, cd->head, false);
                        }
                        cd->tgt = t2 == m ? -1 : t2;
                    }
                }
                break;
            }
        }
    }
    if (cd->src < 0 && cd->first == cd->head && cd->head > s->first) {
        /* nominal event with its owner right before it, even inside a prepositional
         * phrase: "concerns about a Russian attack on Kyiv", "Pyongyang's recognition" */
        uint32_t b = cd->head - 1;
        const struct tok *bt = &c->text.toks[b];
        if (b > s->first && (bt->flags & TF_WORD) && !(bt->flags & TF_CAP) &&
            bt->cls == WC_NONE && mention_at(c, b) < 0) {
            b--; /* one modifier: "Pyongyang's diplomatic recognition" */
        }
        if (b > s->first && (c->text.toks[b].flags & TF_POSS)) {
            b--;
        }
        int32_t m = mention_at(c, b);
        if (m >= 0 && c->ments[m].first + c->ments[m].n == b + 1 && (v->flags & VP_NOUN) &&
            m != cd->tgt) {
            cd->src = m;
        }
    }
    if (cd->head >= s->first + 3 && norm_is(c, cd->head - 1, "to")) {
        /* the subject of an infinitive: "a conduit for Russia to import", "an obligation
         * on both states to provide", "Obama wants Putin to attack" */
        int32_t m = mention_at(c, cd->head - 2);
        if (m >= 0 && c->ments[m].first + c->ments[m].n == cd->head - 1) {
            const struct mention *mm = &c->ments[m];
            bool prep_subject = mm->prep_tok != TUMEN_NOID &&
                                (norm_is(c, mm->prep_tok, "for") || norm_is(c, mm->prep_tok, "on") ||
                                 norm_is(c, mm->prep_tok, "upon"));
            /* "wants Putin to", "asked China to": a plain word right before the actor */
            bool verb_object = false;
            if (mm->first > s->first) {
                const struct tok *pv = &c->text.toks[mm->first - 1];
                verb_object = (pv->flags & TF_WORD) && !(pv->flags & TF_CAP) &&
                              pv->cls == WC_NONE && mention_at(c, mm->first - 1) < 0;
            }
            if ((cd->src < 0 && prep_subject) || verb_object) {
                cd->src = m;
            }
        }
    }
    if (cd->src < 0) {
        cd->src = find_subject(c, s, cd->first, false);
    }
    if (cd->src < 0 && cd->head > s->first + 1) {
        /* "North Korea benefited from its military support to Russia": the owner named
         * by a possessive pronoun is the actor the sentence spoke of last */
        for (uint32_t b = 1; b <= 3 && cd->head >= s->first + b; b++) {
            uint32_t k = cd->head - b;
            if (norm_is(c, k, "its") || norm_is(c, k, "their")) {
                for (size_t i = c->nments; i-- > 0;) {
                    const struct mention *m = &c->ments[i];
                    if (m->first < k && !m->modifier && (int32_t)i != cd->tgt) {
                        cd->src = (int32_t)i;
                        break;
                    }
                }
                break;
            }
            if (!(c->text.toks[k].flags & TF_WORD) || c->text.toks[k].cls != WC_NONE) {
                break;
            }
        }
    }
    if (cd->src < 0 && (v->flags & VP_NOUN)) {
        /* copular subject after the head noun: "the other opponents were Russia, Belarus" */
        for (uint32_t k = cd->last; k < cend && k < cd->last + 6; k++) {
            if (c->text.toks[k].cls == WC_BE) {
                int32_t m = find_object(c, k + 1, k + 3 < cend ? k + 3 : cend, -1);
                if (m >= 0) {
                    cd->src = m;
                    if (cd->tgt == m) {
                        cd->tgt = -1;
                    }
                }
                break;
            }
        }
    }
    if (cd->src < 0 && !cd->passive) {
        /* "Meeting with X in Y, the ambassador of Z announced ...": a sentence-initial
         * participle takes the subject of the main clause after its comma */
        const struct tok *hk = &c->text.toks[cd->head];
        bool ing = hk->nlen > 4 && memcmp(tok_norm(&c->text, hk) + hk->nlen - 3, "ing", 3) == 0;
        /* "Meeting with ...,", "In addition to invading Ukraine, ...", "As well as sending
         * students, ...": an opening phrase with no actor of its own before the head */
        bool opener = ing && cd->head <= s->first + 1;
        if (ing && !opener && cd->head <= s->first + 5) {
            opener = true;
            for (uint32_t k = s->first; k < cd->head; k++) {
                const struct tok *t = &c->text.toks[k];
                if (mention_at(c, k) >= 0 || hard_boundary(c, k) ||
                    (t->nlen == 1 && norm(c, k)[0] == ',') || t->cls == WC_BE ||
                    t->cls == WC_MODAL || t->cls == WC_HAVE || t->cls == WC_PRON) {
                    opener = false;
                    break;
                }
            }
        }
        for (uint32_t k = cd->last; opener && k < send && cd->src < 0; k++) {
            if (!(c->text.toks[k].nlen == 1 && norm(c, k)[0] == ',')) {
                continue;
            }
            /* the main clause: ", Russia also strengthened", ", the ambassador said" */
            uint32_t j = k + 1;
            while (j < send && c->text.toks[j].cls == WC_DET) {
                j++;
            }
            int32_t m = j < send ? mention_at(c, j) : -1;
            if (m < 0 || c->ments[m].after_prep) {
                continue;
            }
            uint32_t after = c->ments[m].first + c->ments[m].n;
            while (after < send && c->text.toks[after].nlen > 2 &&
                   memcmp(tok_norm(&c->text, &c->text.toks[after]) +
                              c->text.toks[after].nlen - 2, "ly", 2) == 0) {
                after++; /* adverbs: "Russia also strengthened" */
            }
            const struct tok *v2 = after < send ? &c->text.toks[after] : NULL;
            if (v2 != NULL && (v2->lemma != TUMEN_NOID || v2->cls == WC_MODAL ||
                               v2->cls == WC_HAVE || v2->cls == WC_BE ||
                               norm_is(c, after, "also") || norm_is(c, after, "has"))) {
                cd->src = m;
            } else if (v2 != NULL && v2->nlen == 1 && norm(c, after)[0] == ',') {
                cd->src = m; /* "the DPRK's ambassador to Russia, Sin Hong Chol, announced" */
            }
        }
    }
    if (cd->tgt < 0) {
        uint32_t lim = cd->last + TARGET_REACH < cend ? cd->last + TARGET_REACH : cend;
        /* "welcomed the report and called on the Kremlin": a coordinated verb ends the
         * object of the first */
        for (uint32_t k = cd->last; k + 1 < lim; k++) {
            const struct tok *nx = &c->text.toks[k + 1];
            if (c->text.toks[k].cls == WC_AND && mention_at(c, k + 1) < 0 &&
                (nx->lemma != TUMEN_NOID || nx->cls == WC_MODAL || nx->cls == WC_HAVE) &&
                nx->cls != WC_DET) {
                lim = k;
                break;
            }
        }
        cd->tgt = refine_target(c, find_object(c, cd->last, lim, cd->src), cd->last, lim,
                                cd->src);
        if (cd->tgt >= 0 && c->ments[cd->tgt].prep_cls == WC_BY) {
            cd->tgt = -1;
        }
        if (cd->tgt < 0) {
            /* "[employ] @trade" matched the last word of "North Korean labor": the actor
             * the pattern's words ran into is the target */
            for (uint32_t k = cd->last; k-- > cd->head + cd->head_n;) {
                int32_t m = mention_at(c, k);
                if (m >= 0 && m != cd->src && c->ments[m].first >= cd->head + cd->head_n) {
                    cd->tgt = m;
                    break;
                }
            }
        }
    }
    c->pron_unit[0] = '\0';
    if (cd->src < 0 && !cd->passive) {
        cd->src = resolve_pronoun(c, s, sno, cd->first);
    }
    if (cd->src < 0 && !cd->passive) {
        /* "only 1,500 of them visited, compared with 200,000 who travelled to South Korea":
         * a number as the antecedent of "who" counts the people named before it */
        for (uint32_t back = 1; back <= 3 && cd->first >= s->first + back + 1; back++) {
            uint32_t r = cd->first - back;
            if (c->text.toks[r].cls != WC_REL) {
                continue;
            }
            if (!(c->text.toks[r - 1].flags & TF_NUM)) {
                break;
            }
            for (size_t i = c->nments; i-- > 0;) {
                const struct mention *m = &c->ments[i];
                if (m->first >= r - 1) {
                    continue;
                }
                const struct tok *last = &c->text.toks[m->first + m->n - 1];
                const char *u = unit_of_word(tok_norm(&c->text, last), last->nlen);
                if (m->actor == TUMEN_NOID || u != NULL) {
                    cd->src = (int32_t)i;
                    for (size_t a = c->nantes; u == NULL && a-- > 0;) {
                        if (strcmp(c->antes[a].code, m->code) == 0 && c->antes[a].unit[0]) {
                            u = c->antes[a].unit;
                        }
                    }
                    str_copy(c->pron_unit, sizeof c->pron_unit, u ? u : "");
                    break;
                }
            }
            break;
        }
    }
    if (cd->tgt < 0 && cd->src >= 0) {
        /* "to make a difference in the Ukraine war, North Korea needs to send troops": an
         * ally's aid with the war's theatre named in the sentence */
        for (size_t i = 0; i < c->nments && cd->tgt < 0; i++) {
            if ((int32_t)i != cd->src &&
                aid_alignment(c, v->code, c->ments[cd->src].code, c->ments[i].code) != NULL) {
                cd->tgt = (int32_t)i;
            }
        }
    }
    if (cd->tgt < 0 && governing_code(v->code)) {
        /* "working on arrangements to employ North Korean labor": the target of an intent,
         * appeal, demand or threat is the object of the act in its complement */
        for (uint32_t k = cd->last; k < cend && k < cd->last + 6; k++) {
            if (norm_is(c, k, "to") || norm_is(c, k, "that")) {
                uint32_t ce = clause_end(c, s, k + 1);
                cd->tgt = find_object(c, k + 1, ce, cd->src);
                break;
            }
        }
    }
    if (cd->src < 0) {
        /* a joint act whose compound is the object: "talks between A and B" handled above;
         * "A and B signed" has the compound before the head */
        xline(c, "  head '%s' %s:%u [%s]: no source actor, not coded", norm(c, cd->head),
              file_of(c, v->src.file), v->src.line, v->code);
        return TUMEN_OK;
    }
    const struct mention *sm = &c->ments[cd->src];
    /* joint act within one compound: "Russia and North Korea signed a treaty" */
    bool compound_src = false;
    for (size_t i = 0; i < c->nments; i++) {
        if (i != (size_t)cd->src && c->ments[i].group == sm->group) {
            compound_src = true;
        }
    }
    tumen_status st = TUMEN_OK;
    bool reciprocal = false;
    if (cd->tgt < 0 && compound_src && !sym && strncmp(v->code, "10", 2) < 0) {
        /* "an obligation on both states to provide military assistance in case of an
         * attack on the other": each to the other */
        for (uint32_t k = cd->last; k < s->first + s->n; k++) {
            if ((norm_is(c, k, "other") && k > s->first && (norm_is(c, k - 1, "the") ||
                                                             norm_is(c, k - 1, "each"))) ||
                norm_is(c, k, "mutual") || norm_is(c, k, "mutually") ||
                (norm_is(c, k, "another") && k > s->first && norm_is(c, k - 1, "one"))) {
                reciprocal = true;
                break;
            }
        }
    }
    if (cd->tgt < 0 && compound_src && (sym || reciprocal)) {
        for (size_t i = 0; i < c->nments && st == TUMEN_OK; i++) {
            for (size_t j = 0; j < c->nments && st == TUMEN_OK; j++) {
                if (i != j && c->ments[i].group == sm->group && c->ments[j].group == sm->group) {
                    st = push_event(c, doc, sno, s, cd, (int32_t)i, (int32_t)j, true);
                }
            }
        }
        xline(c, "  head '%s' %s:%u [%s]: joint act within the compound subject",
              norm(c, cd->head), file_of(c, v->src.file), v->src.line, v->code);
        return st;
    }
    if (cd->tgt < 0) {
        xline(c, "  head '%s' %s:%u [%s]: source %s but no target, not coded", norm(c, cd->head),
              file_of(c, v->src.file), v->src.line, v->code, sm->code);
        if (c->npending < sizeof c->pending / sizeof c->pending[0]) {
            c->pending[c->npending++] = *cd; /* a later coordinated verb may name the target */
        }
        return TUMEN_OK;
    }
    const struct mention *tm = &c->ments[cd->tgt];
    xline(c, "  head '%s' %s:%u [%s]%s: %s -> %s", norm(c, cd->head), file_of(c, v->src.file),
          v->src.line, v->code, cd->passive ? " (passive)" : "", sm->code, tm->code);
    for (size_t i = 0; i < c->nments && st == TUMEN_OK; i++) {
        if (c->ments[i].group != sm->group) {
            continue;
        }
        for (size_t j = 0; j < c->nments && st == TUMEN_OK; j++) {
            if (c->ments[j].group != tm->group || i == j ||
                (c->ments[j].group == sm->group && !cd->between)) {
                continue;
            }
            st = push_event(c, doc, sno, s, cd, (int32_t)i, (int32_t)j, sym);
            if (st == TUMEN_OK && (sym && cd->between)) {
                st = push_event(c, doc, sno, s, cd, (int32_t)j, (int32_t)i, sym);
            }
        }
    }
    return st;
}

static bool any_norm(const tumen_coder *c, uint32_t k, const char *const *words);

/* "According to an article on the foreign ministry's website:" — the sentences that follow
 * are the quotation: their asserted events become reported, attributed to the speaker.
 * Called after the sentence is coded: first applies a running quotation to this
 * sentence's events, then starts a new one if this sentence introduces it. */
static void quotation(tumen_coder *c, const struct sent *s) {
    static const char *const intro[] = {"according", "said", "says", "stated", "wrote",
                                        "declared", "statement", "article", "added", NULL};
    uint32_t end = s->first + s->n;
    bool colon = s->n > 0 && norm_is(c, end - 1, ":");
    if (c->quote_left > 0 && !colon) {
        for (size_t i = c->sent_evs; i < c->nevs; i++) {
            tumen_event *e = &c->evs[i].ev;
            if (e->modality == TUMEN_ASSERTED) {
                e->modality = TUMEN_REPORTED;
                str_copy(e->attributed_to, sizeof e->attributed_to, c->quote_speaker);
            }
        }
        c->quote_left--;
    }
    if (!colon || c->nments == 0) {
        return;
    }
    bool cue = false;
    for (uint32_t k = s->first; k < end; k++) {
        cue |= any_norm(c, k, intro);
    }
    if (cue) {
        str_copy(c->quote_speaker, sizeof c->quote_speaker, c->ments[c->nments - 1].code);
        c->quote_left = 3;
    }
}

static bool any_norm(const tumen_coder *c, uint32_t k, const char *const *words) {
    for (size_t i = 0; words[i] != NULL; i++) {
        if (norm_is(c, k, words[i])) {
            return true;
        }
    }
    return false;
}

/* A denial that points back at claims: "The foreign ministry called such speculations
 * fake", "X characterized it as another fake, while Y issued an emphatic denial". The
 * claims (reported or hypothetical events of the last two sentences) are coded again in
 * this sentence as denied, once per denier, with the denier in attributed_to. */
static tumen_status deny_previous_claims(tumen_coder *c, uint32_t sno,
                                         const struct sent *s) {
    static const char *const deny_words[] = {
        "deny",  "denied", "denies", "denial", "denials", "fake",      "fakes",     "groundless",
        "baseless", "fabrication", "fabricated", "untrue", "false", "nonsense", "slander",
        "refuted", "rejected", "dismissed", "lies", NULL};
    static const char *const anaphora[] = {
        "it",       "this",      "such",       "these",      "those",       "claim",
        "claims",   "allegation", "allegations", "speculation", "speculations", "report",
        "reports",  "accusation", "accusations", "remarks",    "rumours",     "rumors", NULL};
    if (sno < 2 || c->sent_evs == 0 || c->evs[c->sent_evs - 1].ev.sentence + 2 < sno) {
        return TUMEN_OK; /* no recent claims: the common case, decided without scanning */
    }
    for (size_t i = c->sent_evs; i < c->nevs; i++) {
        if (c->evs[i].ev.modality == TUMEN_DENIED) {
            return TUMEN_OK; /* the sentence codes its own denial */
        }
    }
    uint32_t end = s->first + s->n;
    int32_t cue = -1;
    bool ana = false;
    for (uint32_t k = s->first; k < end; k++) {
        if (cue < 0 && any_norm(c, k, deny_words)) {
            cue = (int32_t)k;
        }
        ana |= any_norm(c, k, anaphora);
    }
    if (cue < 0 || !ana || sno < 2) {
        return TUMEN_OK;
    }
    /* the claims: reported / hypothetical events of the last two sentences */
    size_t first = c->sent_evs;
    while (first > 0 && c->evs[first - 1].ev.sentence + 2 >= sno) {
        first--;
    }
    size_t nclaims = 0;
    for (size_t i = first; i < c->sent_evs; i++) {
        tumen_modality m = c->evs[i].ev.modality;
        nclaims += (m == TUMEN_REPORTED || m == TUMEN_HYPOTHETICAL) &&
                   c->evs[i].ev.kind == TUMEN_KIND_EVENT;
    }
    if (nclaims == 0) {
        return TUMEN_OK;
    }
    for (size_t mi = 0; mi < c->nments; mi++) {
        const struct mention *dm = &c->ments[mi];
        if (dm->after_prep) {
            continue;
        }
        for (size_t i = c->sent_evs; i-- > first;) { /* the most recent claim first */
            if (!grow((void **)&c->evs, &c->cap_evs, c->nevs + 1, sizeof *c->evs)) {
                return TUMEN_NOMEM;
            }
            struct out_ev *src = &c->evs[i];
            tumen_modality m = src->ev.modality;
            if (!(m == TUMEN_REPORTED || m == TUMEN_HYPOTHETICAL) ||
                src->ev.kind != TUMEN_KIND_EVENT) {
                continue;
            }
            bool dup = false;
            for (size_t j = c->sent_evs; j < c->nevs; j++) {
                const tumen_event *o = &c->evs[j].ev;
                dup |= strcmp(o->source, src->ev.source) == 0 &&
                       strcmp(o->target, src->ev.target) == 0 &&
                       strcmp(o->code, src->ev.code) == 0 &&
                       strncmp(o->attributed_to, dm->code, 3) == 0;
            }
            if (dup) {
                continue;
            }
            struct out_ev *ne = &c->evs[c->nevs++];
            *ne = *src;
            ne->ev.sentence = sno;
            ne->ev.sent.offset = s->off;
            ne->ev.sent.length = s->len;
            ne->ev.modality = TUMEN_DENIED;
            ne->ev.cue = span_of(c, (uint32_t)cue, 1);
            str_copy(ne->ev.attributed_to, sizeof ne->ev.attributed_to, dm->code);
            ne->ev.probability = -1;
            memset(&ne->ev.probability_words, 0, sizeof ne->ev.probability_words);
            xline(c, "  denial of the claim in sentence %u by %s: %s -> %s %s denied",
                  src->ev.sentence, dm->code, ne->ev.source, ne->ev.target, ne->ev.code);
        }
    }
    return TUMEN_OK;
}

static void count_countries(tumen_coder *c) {
    for (size_t i = 0; i < c->nments; i++) {
        const struct mention *m = &c->ments[i];
        if (m->actor == TUMEN_NOID || strlen(m->code) < 3 || strncmp(m->code, "IGO", 3) == 0) {
            continue;
        }
        size_t j = 0;
        while (j < c->ndyad_counts && strncmp(c->dyad_counts[j].cc, m->code, 3) != 0) {
            j++;
        }
        if (j == c->ndyad_counts) {
            if (j == sizeof c->dyad_counts / sizeof c->dyad_counts[0]) {
                continue;
            }
            memcpy(c->dyad_counts[j].cc, m->code, 3);
            c->dyad_counts[j].cc[3] = '\0';
            c->dyad_counts[j].n = 0;
            c->ndyad_counts++;
        }
        c->dyad_counts[j].n++;
    }
}

/* "the two countries", "both sides", "bilateral": the document's main dyad (the two
 * countries it has named most), as a compound of two mentions over those words. */
static void add_dyad_mentions(tumen_coder *c, const struct sent *s) {
    if (c->ndyad_counts < 2) {
        return;
    }
    int a = -1, b = -1;
    for (size_t i = 0; i < c->ndyad_counts; i++) {
        if (a < 0 || c->dyad_counts[i].n > c->dyad_counts[a].n) {
            b = a;
            a = (int)i;
        } else if (b < 0 || c->dyad_counts[i].n > c->dyad_counts[b].n) {
            b = (int)i;
        }
    }
    if (b < 0 || c->dyad_counts[b].n < 2) {
        return;
    }
    uint32_t end = s->first + s->n;
    for (uint32_t k = s->first; k < end && c->nments + 2 <= MAX_MENTIONS; k++) {
        uint32_t n = 0;
        if (k + 1 < end && (norm_is(c, k, "two") || norm_is(c, k, "both")) &&
            (norm_is(c, k + 1, "countries") || norm_is(c, k + 1, "sides") ||
             norm_is(c, k + 1, "nations") || norm_is(c, k + 1, "neighbours") ||
             norm_is(c, k + 1, "neighbors") || norm_is(c, k + 1, "states"))) {
            n = 2;
        } else if (norm_is(c, k, "bilateral")) {
            n = 1;
        }
        if (n == 0 || mention_at(c, k) >= 0) {
            continue;
        }
        struct mention *m = insert_mentions(c, k, n, 2, UINT32_MAX / 2 + k);
        for (int i = 0; i < 2; i++) {
            str_copy(m[i].code, sizeof m[i].code, c->dyad_counts[i == 0 ? a : b].cc);
            if (k > s->first + 1) {
                governing_prep(c, s, &m[i], c->text.toks[k - 1].cls == WC_DET ? k - 2 : k - 1);
            }
        }
        k += n;
    }
}

/* "accusing the Arab nation of", "the country", "the regime": a definite description of a
 * state takes the most recent state named before it (in this sentence, else the last
 * three). "the regime" is that state's government. */
static void add_anaphor_mentions(tumen_coder *c, const struct sent *s) {
    static const char *const nouns[] = {"country", "nation", "kingdom", "republic", "regime",
                                        "emirate", "state", NULL};
    uint32_t end = s->first + s->n;
    for (uint32_t k = s->first + 1; k < end && c->nments < MAX_MENTIONS; k++) {
        const struct tok *tk = &c->text.toks[k];
        if (tk->nlen < 5 || tk->nlen > 8 || !(tk->flags & TF_WORD)) {
            continue; /* country nation kingdom republic regime emirate state */
        }
        const char *hit = NULL;
        for (size_t i = 0; nouns[i] != NULL && hit == NULL; i++) {
            if (norm_is(c, k, nouns[i])) {
                hit = nouns[i];
            }
        }
        if (hit == NULL || mention_at(c, k) >= 0) {
            continue;
        }
        /* "the country", "the Arab nation", "the secretive state"; not "a nation", not
         * "the country's" as a possessive of something named later, not "state media" */
        uint32_t b = k - 1;
        if (strcmp(hit, "regime") != 0 && !norm_is(c, b, "the") && b > s->first &&
            norm_is(c, b - 1, "the") &&
            (c->text.toks[b].flags & TF_WORD) && c->text.toks[b].cls == WC_NONE &&
            mention_at(c, b) < 0) {
            b--;
        }
        if (!norm_is(c, b, "the")) {
            continue;
        }
        if (k + 1 < end && (c->text.toks[k + 1].flags & TF_WORD) &&
            (c->text.toks[k + 1].cls == WC_NONE ||
             (strcmp(hit, "state") == 0 && norm_is(c, k + 1, "of")))) {
            continue; /* "the state media", "the nation state", "the state of emergency" */
        }
        const char *code = NULL;
        for (size_t i = c->nments; i-- > 0;) {
            const struct mention *m = &c->ments[i];
            if (m->first < b && m->actor != TUMEN_NOID && strlen(m->code) >= 3 &&
                strncmp(m->code, "IGO", 3) != 0) {
                code = m->code;
                break;
            }
        }
        for (size_t i = c->nantes; code == NULL && i-- > 0;) {
            if (strlen(c->antes[i].code) >= 3 && strncmp(c->antes[i].code, "IGO", 3) != 0 &&
                !c->antes[i].plural) {
                code = c->antes[i].code;
            }
        }
        if (code == NULL) {
            continue;
        }
        struct mention *m = insert_mentions(c, b + 1, k - b, 1, UINT32_MAX / 4 + k);
        char cc[DICT_CODE_MAX];
        memcpy(cc, code, 3);
        cc[3] = '\0';
        if (strcmp(hit, "regime") == 0) {
            memcpy(cc + 3, "GOV", 4);
        }
        str_copy(m->code, sizeof m->code, cc);
        if (k + 1 < end && (c->text.toks[k + 1].flags & TF_POSS)) {
            m->possessive = true;
        }
        if (b > s->first) {
            governing_prep(c, s, m, b - 1);
        }
    }
}

/* "the North" / "the South" stand for North / South Korea in a document that has named
 * them (analysis prose uses them constantly); elsewhere they are not actors. */
static void add_context_mentions(tumen_coder *c, const struct sent *s) {
    for (size_t i = 0; i < c->nments; i++) {
        if (strncmp(c->ments[i].code, "PRK", 3) == 0) {
            c->seen_prk = true;
        } else if (strncmp(c->ments[i].code, "KOR", 3) == 0) {
            c->seen_kor = true;
        }
    }
    if (!c->seen_prk && !c->seen_kor) {
        return;
    }
    uint32_t end = s->first + s->n;
    uint32_t maxg = 0;
    for (size_t i = 0; i < c->nments; i++) {
        maxg = c->ments[i].group > maxg ? c->ments[i].group : maxg;
    }
    for (uint32_t k = s->first + 1; k < end && c->nments < MAX_MENTIONS; k++) {
        bool north = norm_is(c, k, "north") && c->seen_prk;
        bool south = norm_is(c, k, "south") && c->seen_kor;
        if (!(north || south) || !norm_is(c, k - 1, "the") || mention_at(c, k) >= 0) {
            continue;
        }
        if (k + 1 < end) {
            const struct tok *nx = &c->text.toks[k + 1];
            if ((nx->flags & TF_CAP) || (nx->flags & TF_HYPHEN) || norm_is(c, k + 1, "korea") ||
                norm_is(c, k + 1, "korean")) {
                continue;
            }
        }
        struct mention *m = insert_mentions(c, k, 1, 1, ++maxg);
        str_copy(m->code, sizeof m->code, north ? "PRK" : "KOR");
        if (k + 1 < end && (c->text.toks[k + 1].flags & TF_POSS)) {
            m->possessive = true;
        }
        if (k >= s->first + 2) {
            governing_prep(c, s, m, k - 2);
        }
    }
}

/* Counts of people that are not acts ("some 13,000 North Korean workers arrived in
 * Russia"): a statistic record from the people's actor to the place they are in or go to,
 * when the quantity measures no event of the sentence. */
static tumen_status sentence_statistics(tumen_coder *c, const tumen_doc *doc, uint32_t sno,
                                        const struct sent *s) {
    struct qty qs[16];
    size_t nq = quantity_scan(&c->text, s, doc->text, qs, 16);
    if (nq > 16) {
        nq = 16;
    }
    for (size_t i = 0; i < nq; i++) {
        const struct qty *q = &qs[i];
        if (unit_of_word(q->q.unit, strlen(q->q.unit)) == NULL) {
            continue; /* people only: tourists, workers, troops, students, ... */
        }
        bool used = false;
        for (size_t j = c->sent_evs; j < c->nevs; j++) {
            used |= c->evs[j].ev.quantity.present &&
                    c->evs[j].ev.quantity.span.offset == q->q.span.offset;
        }
        if (used || q->unit_tok == TUMEN_NOID) {
            continue;
        }
        int32_t src = mention_at(c, q->unit_tok);
        if (src < 0) {
            continue;
        }
        uint32_t from = c->ments[src].first + c->ments[src].n;
        uint32_t ce = clause_end(c, s, from);
        int32_t tgt = find_object(c, from, ce, src);
        if (tgt < 0 || same_country(c->ments[src].code, c->ments[tgt].code)) {
            continue;
        }
        struct out_ev *oe = new_out_ev(c, doc, sno, s);
        if (oe == NULL) {
            return TUMEN_NOMEM;
        }
        tumen_event *e = &oe->ev;
        str_copy(e->source, sizeof e->source, c->ments[src].code);
        str_copy(e->target, sizeof e->target, c->ments[tgt].code);
        e->source_span = span_of(c, c->ments[src].first, c->ments[src].n);
        e->target_span = span_of(c, c->ments[tgt].first, c->ments[tgt].n);
        make_statistic(e);
        e->verb = span_of(c, q->first, q->n);
        e->probability = -1.0;
        e->quantity = q->q;
        char when[11] = "";
        tumen_span wsp = {0, 0};
        if (!c->timex_done) {
            c->ntimex = timex_scan(&c->text, s, doc->text, doc->date, c->timexes, 32);
            c->ntimex = c->ntimex > 32 ? 32 : c->ntimex;
            c->timex_done = true;
        }
        if (timex_pick(&c->text, s, c->timexes, c->ntimex, q->first, when, &wsp)) {
            memcpy(e->when, when, sizeof e->when);
            e->when_span = wsp;
        }
        xline(c, "  statistic: %s -> %s %g %s", e->source, e->target, q->q.value, q->q.unit);
    }
    return TUMEN_OK;
}

/* "Russia has provided technologies for ICBMs and agreed to supply North Korea with jets":
 * coordinated verbs of one subject share the target the last of them names. A head left
 * without a target takes the target of a later event of the same source in the sentence
 * when only commas and "and" separate them. */
static tumen_status share_targets(tumen_coder *c, const tumen_doc *doc, uint32_t sno,
                                  const struct sent *s) {
    tumen_status st = TUMEN_OK;
    size_t nev = c->nevs;
    for (size_t p = 0; p < c->npending && st == TUMEN_OK; p++) {
        struct cand cd = c->pending[p];
        const struct mention *sm = &c->ments[cd.src];
        for (size_t i = c->sent_evs; i < nev; i++) {
            const tumen_event *e = &c->evs[i].ev;
            uint32_t eh = c->evs[i].head;
            if (eh <= cd.last || e->kind != TUMEN_KIND_EVENT ||
                e->source_span.offset != c->text.toks[sm->first].off) {
                continue;
            }
            bool coordinated = true;
            for (uint32_t k = cd.last; k < eh && coordinated; k++) {
                const struct tok *t = &c->text.toks[k];
                if (hard_boundary(c, k) || t->cls == WC_SUB || t->cls == WC_REL) {
                    coordinated = false;
                }
            }
            if (!coordinated) {
                continue;
            }
            int32_t tgt = -1;
            for (size_t m = 0; m < c->nments; m++) {
                if (c->text.toks[c->ments[m].first].off == e->target_span.offset &&
                    e->target_span.length > 0) {
                    tgt = (int32_t)m;
                    break;
                }
            }
            if (tgt >= 0 && tgt != cd.src) {
                xline(c, "  head '%s' [%s]: shares the target %s of a coordinated verb",
                      norm(c, cd.head), cd.v->code, c->ments[tgt].code);
                st = push_event(c, doc, sno, s, &cd, cd.src, tgt, false);
            }
            break;
        }
    }
    return st;
}

static tumen_status code_sentence(tumen_coder *c, const tumen_doc *doc, uint32_t sno,
                                  const struct sent *s) {
    const struct tumen_dict *d = c->d;
    if (c->explain) {
        xline(c, "sentence %u [%u+%u]: %.*s", sno, s->off, s->len, (int)(s->len > 600 ? 600 : s->len),
              doc->text + s->off);
        explain_tokens(c, s);
    }
    uint32_t disc;
    if (match_discarded(d, &c->text, s, &disc)) {
        c->story_discarded |= d->discards[disc].whole_story;
        xline(c, "  discarded by %s:%u%s", file_of(c, d->discards[disc].src.file),
              d->discards[disc].src.line, d->discards[disc].whole_story ? " (whole story)" : "");
        return TUMEN_OK;
    }
    c->sent_evs = c->nevs;
    c->timex_done = false;
    c->qty_done = false;
    c->npending = 0;
    if (++c->stamp == 0) {
        memset(c->seen, 0, d->words.n * sizeof *c->seen);
        memset(c->set_stamp, 0, (d->nsets ? d->nsets : 1) * sizeof *c->set_stamp);
        c->stamp = 1;
    }
    for (uint32_t k = s->first; k < s->first + s->n; k++) {
        const struct tok *tk = &c->text.toks[k];
        uint32_t ids[4] = {tk->id, tk->lemma, tk->lemma2, tk->pfx};
        for (int i = 0; i < 4; i++) {
            if (ids[i] < d->words.n) {
                c->seen[ids[i]] = c->stamp;
            }
        }
    }
    mod_cache_reset(c->mcache);
    c->nments = match_actors(d, &c->text, s, c->date, c->ments, MAX_MENTIONS);
    if (index_mentions(c, s) != TUMEN_OK) {
        return TUMEN_NOMEM;
    }
    count_countries(c);
    size_t before = c->nments;
    add_context_mentions(c, s);
    add_dyad_mentions(c, s);
    add_anaphor_mentions(c, s);
    add_possessive_agents(c, s, sno);
    if (c->nments != before && index_mentions(c, s) != TUMEN_OK) {
        return TUMEN_NOMEM;
    }
    for (size_t i = 0; i < c->nments; i++) {
        c->mod_actors[i].first = c->ments[i].first;
        c->mod_actors[i].n = c->ments[i].n;
        c->mod_actors[i].code = c->ments[i].code;
        if (c->explain) {
            const struct mention *m = &c->ments[i];
            xline(c, "  actor '%.*s' = %s (%s:%u) group %u%s%s", (int)span_of(c, m->first, m->n).length,
                  doc->text + c->text.toks[m->first].off, m->code, file_of(c, m->line_file), m->line,
                  m->group, m->after_prep ? " after-preposition" : "",
                  m->possessive ? " possessive" : "");
        }
    }
    if (c->nments == 0) {
        return TUMEN_OK;
    }
    tumen_status st = TUMEN_OK;
    uint32_t end = s->first + s->n;
    uint32_t zone_start = 0, zone_end = 0, consumed_end = 0;
    for (uint32_t h = s->first; h < end && st == TUMEN_OK; h++) {
        if (mention_at(c, h) >= 0) {
            continue; /* a word inside an actor name is not a head */
        }
        if (h > s->first && (c->text.toks[h - 1].flags & TF_HYPHEN)) {
            continue; /* "Moscow-backed", "long-imprisoned": an adjective, not an act */
        }
        if (h < consumed_end) {
            continue;
        }
        if (h < zone_end && h >= zone_start) {
            struct cand skip;
            if (best_at(c, s, h, &skip)) {
                xline(c, "  head '%s': inside the complement of an appeal, intent, demand or "
                      "threat, not coded", norm(c, h));
            }
            continue;
        }
        const struct tok *ht = &c->text.toks[h];
        if (h > s->first && ht->nlen > 3 &&
            memcmp(tok_norm(&c->text, ht) + ht->nlen - 2, "ed", 2) == 0 && h + 1 < end) {
            /* "the damaged infrastructure", "for resumed commerce": an adjectival participle
             * between a determiner or preposition and a noun */
            uint16_t pc = c->text.toks[h - 1].cls;
            const struct tok *nx = &c->text.toks[h + 1];
            if (pc == WC_DET || (pc == WC_PREP && (nx->flags & TF_WORD) && nx->cls == WC_NONE &&
                                 mention_at(c, h + 1) < 0 && !(nx->flags & TF_CAP))) {
                continue;
            }
        }
        struct cand cd;
        if (!best_at(c, s, h, &cd)) {
            continue;
        }
        if ((cd.v->flags & VP_NOUN) && cd.v->npost == 0 && cd.head + cd.head_n < end) {
            /* "the sanctions enforcement", "the trade figures": a bare noun head that
             * modifies the next noun names a topic, not an act */
            const struct tok *nx = &c->text.toks[cd.head + cd.head_n];
            if ((nx->flags & TF_WORD) && !(nx->flags & TF_CAP) && nx->cls == WC_NONE &&
                mention_at(c, cd.head + cd.head_n) < 0 && nx->lemma == TUMEN_NOID) {
                xline(c, "  head '%s': modifies the noun '%s', not coded", norm(c, h),
                      norm(c, cd.head + cd.head_n));
                continue;
            }
        }
        size_t evs_before = c->nevs;
        st = emit_cand(c, doc, sno, s, &cd);
        bool produced = c->nevs > evs_before;
        /* "called on Seoul to lift sanctions", "agreed to supply", "threatened to strike":
         * the act in the complement is what is appealed for, intended, demanded or
         * threatened, and the pattern's code already says so */
        bool governs = !(cd.v->flags & VP_NULL) && governing_code(cd.v->code);
        if (!(cd.v->flags & VP_NULL) && strncmp(cd.v->code, "17", 2) == 0 &&
            (norm_is(c, cd.head, "ban") || norm_is(c, cd.head, "bans") ||
             norm_is(c, cd.head, "banned") || norm_is(c, cd.head, "prohibit") ||
             norm_is(c, cd.head, "prohibits") || norm_is(c, cd.head, "prohibited") ||
             norm_is(c, cd.head, "forbid") || norm_is(c, cd.head, "forbids") ||
             norm_is(c, cd.head, "forbade") || norm_is(c, cd.head, "outlaw") ||
             norm_is(c, cd.head, "outlawed"))) {
            /* "resolutions ban the use of North Korean workers": what is banned is not done */
            zone_start = cd.head + cd.head_n;
            zone_end = clause_end(c, s, zone_start);
        }
        /* "strikes major arms deals with Poland": heads inside a short match are words
         * of this event, not events of their own */
        bool far = false;
        for (uint16_t i = 0; i < cd.v->npost; i++) {
            far |= (cd.v->post[i].flags & PW_FAR) != 0;
        }
        if (!(cd.v->flags & VP_NULL) && produced && cd.last > cd.head + cd.head_n && !far &&
            cd.last - cd.head <= 12) {
            consumed_end = cd.last;
            for (uint32_t k = cd.head + cd.head_n; k < cd.last; k++) {
                if (c->text.toks[k].cls == WC_AND && k + 1 < end &&
                    c->text.toks[k + 1].lemma != TUMEN_NOID && mention_at(c, k + 1) < 0) {
                    consumed_end = k; /* "provided weapons and agreed to supply": a new verb */
                    break;
                }
                if (mention_at(c, k) >= 0) {
                    consumed_end = k; /* "claims Russia has approached": the act after an
                                       * actor is an event of its own */
                    break;
                }
            }
        }
        if (governs) {
            uint32_t from = cd.head + cd.head_n;
            bool noun_head = (cd.v->flags & VP_NOUN) != 0;
            for (uint32_t k = from; k < end && k < cd.last + 6; k++) {
                if (norm_is(c, k, "to") || norm_is(c, k, "that") ||
                    (noun_head && (norm_is(c, k, "for") || norm_is(c, k, "of")))) {
                    zone_start = k + 1;
                    zone_end = clause_end(c, s, k + 1);
                    break;
                }
                if (hard_boundary(c, k)) {
                    break;
                }
            }
        }
    }
    if (st == TUMEN_OK) {
        st = share_targets(c, doc, sno, s);
    }
    if (st == TUMEN_OK) {
        st = deny_previous_claims(c, sno, s);
    }
    if (st == TUMEN_OK && (c->opt.flags & TUMEN_OPT_STATISTICS)) {
        st = sentence_statistics(c, doc, sno, s);
    }
    quotation(c, s);
    remember_antecedents(c, sno);
    /* remember the subject for pronoun attribution in the next sentence */
    int32_t first_subject = -1;
    for (size_t i = 0; i < c->nments; i++) {
        if (!c->ments[i].after_prep) {
            first_subject = (int32_t)i;
            break;
        }
    }
    if (first_subject >= 0) {
        snprintf(c->prev_subject_buf, sizeof c->prev_subject_buf, "%s",
                 c->ments[first_subject].code);
        c->prev_subject = c->prev_subject_buf;
    }
    return st;
}

static void utf8_position(const char *s, size_t bad, uint64_t *line, uint64_t *col) {
    uint64_t l = 1, cl = 1;
    for (size_t i = 0; i < bad; i++) {
        if (s[i] == '\n') {
            l++;
            cl = 1;
        } else {
            cl++;
        }
    }
    *line = l;
    *col = cl;
}

struct count_ctx {
    tumen_event_fn fn;
    void *ctx;
    uint64_t n;
};

static int count_event(void *ctx, const tumen_event *ev) {
    struct count_ctx *cc = ctx;
    cc->n++;
    return cc->fn ? cc->fn(cc->ctx, ev) : 0;
}

tumen_status tumen_coder_code(tumen_coder *c, const tumen_doc *doc, tumen_event_fn fn, void *ctx,
                              tumen_error *err) {
    if (c == NULL || doc == NULL || (doc->text == NULL && doc->len > 0)) {
        return err_set(err, TUMEN_INVALID, doc && doc->id ? doc->id : "", 0, 0, "no document");
    }
    const char *id = doc->id ? doc->id : "";
    size_t bad = 0;
    if (doc->len > 0 && tumen_utf8_check(doc->text, doc->len, &bad) != TUMEN_OK) {
        uint64_t line, col;
        utf8_position(doc->text, bad, &line, &col);
        tumen_status st = err_set(err, TUMEN_UTF8, id, line, col,
                                  "invalid UTF-8 or NUL byte at byte %zu", bad);
        if (err) {
            err->byte = bad;
        }
        return st;
    }
    if (doc->date != NULL && doc->date[0] != '\0') {
        int32_t v;
        if (!date_parse(doc->date, strlen(doc->date), &v)) {
            return err_set(err, TUMEN_DATE, id, 0, 0,
                           "invalid date '%.40s' (YYYY, YYYY-MM or YYYY-MM-DD)", doc->date);
        }
    }
    if (c->tabari != NULL) {
        uint64_t ns = 0;
        struct count_ctx cc = {fn, ctx, 0};
        tumen_status ts = tabari_engine_code(c->tabari, doc, count_event, &cc, &ns, err);
        if (ts == TUMEN_OK) {
            c->ndocs++;
            c->nsents += ns;
            c->nbytes += doc->len;
            c->nevents += cc.n;
        }
        return ts;
    }
    c->date = date_of(doc->date);
    c->prev_subject = NULL;
    c->seen_prk = c->seen_kor = false;
    c->story_discarded = false;
    c->quote_left = 0;
    c->nantes = 0;
    c->ndyad_counts = 0;
    tumen_status st = text_split(&c->text, doc->len ? doc->text : "", doc->len);
    if (st != TUMEN_OK) {
        return err_set(err, st, id, 0, 0, "cannot tokenize: %s", tumen_strerror(st));
    }
    match_lookup(c->d, &c->text, c->text.toks, 0, c->text.ntoks);
    c->nevs = 0;
    for (size_t i = 0; i < c->text.nsents && st == TUMEN_OK; i++) {
        st = code_sentence(c, doc, (uint32_t)(i + 1), &c->text.sents[i]);
    }
    if (st != TUMEN_OK) {
        return err_set(err, st, id, 0, 0, "%s", tumen_strerror(st));
    }
    c->ndocs++;
    c->nsents += c->text.nsents;
    c->nbytes += doc->len;
    if (c->story_discarded) {
        c->nevs = 0; /* PETRARCH "+" discard: the whole story is not coded */
    }
    for (size_t i = 0; i < c->nevs; i++) {
        tumen_event *e = &c->evs[i].ev;
        if ((c->opt.flags & TUMEN_OPT_FACTS_ONLY) && e->modality != TUMEN_ASSERTED &&
            e->modality != TUMEN_REPORTED) {
            continue;
        }
        if (e->kind == TUMEN_KIND_STATISTIC && !(c->opt.flags & TUMEN_OPT_STATISTICS)) {
            continue;
        }
        c->nevents++;
        if (fn && fn(ctx, e) != 0) {
            return err_set(err, TUMEN_STOPPED, id, 0, 0, "stopped by callback");
        }
    }
    return TUMEN_OK;
}
