/* Where tokens meet dictionaries. */
#include "match.h"

#include <stdio.h>
#include <string.h>

void match_lookup(const struct tumen_dict *d, const struct text *t, struct tok *toks, size_t first,
                  size_t n) {
    for (size_t i = first; i < first + n; i++) {
        struct tok *k = &toks[i];
        const char *w = tok_norm(t, k);
        k->id = intern_find(&d->words, w, k->nlen);
        k->lemma = TUMEN_NOID;
        k->lemma2 = TUMEN_NOID;
        k->pfx = TUMEN_NOID;
        k->cls = WC_NONE;
        if (k->id != TUMEN_NOID && k->id < d->nlemma) {
            k->lemma = d->lemma_of[k->id];
            k->lemma2 = d->lemma_of2[k->id];
            if (k->flags & TF_WORD) {
                k->cls = d->wclass[k->id];
            }
        }
        if (d->has_prefix_words && (k->flags & TF_WORD)) {
            /* longest dictionary word that prefixes this token (TABARI stems) */
            for (size_t len = k->nlen; len >= 2; len--) {
                uint32_t id = intern_find(&d->words, w, len);
                if (id != TUMEN_NOID) {
                    k->pfx = id;
                    break;
                }
            }
        }
    }
}

bool tok_is(const struct tok *k, uint32_t w, uint8_t flags, const struct tumen_dict *d,
            const struct text *t) {
    if (k->id == w || k->lemma == w || k->lemma2 == w) {
        return true;
    }
    if ((flags & PW_PREFIX) && (k->flags & TF_WORD)) {
        const char *ws = intern_str(&d->words, w);
        size_t wl = d->words.lens[w];
        return wl <= k->nlen && memcmp(tok_norm(t, k), ws, wl) == 0;
    }
    return false;
}

uint32_t phrase_at(const struct tumen_dict *d, const struct text *t, const struct phrase *ph,
                   size_t k, size_t end) {
    size_t pos = k;
    for (uint16_t i = 0; i < ph->n; i++) {
        if (pos >= end) {
            return 0;
        }
        const struct tok *tk = &t->toks[pos];
        /* surface identity for actor phrases; lemma readings are only for verb heads, but
         * they are harmless here because forms exist only for heads */
        if (tk->id == ph->w[i] || ((ph->f[i] & PW_PREFIX) && tok_is(tk, ph->w[i], PW_PREFIX, d, t))) {
            if ((ph->f[i] & PW_CASE) && !(tk->flags & TF_UPPER)) {
                return 0; /* "UN" must not match "Un" in "Kim Jong Un", nor "US" "us" */
            }
            pos++;
            continue;
        }
        if ((ph->f[i] & PW_GAP) && i > 0) {
            /* TABARI agents: blank allows intervening words (at most 3) */
            size_t look = pos;
            bool found = false;
            for (size_t g = 0; g < 3 && look + 1 < end; g++) {
                look++;
                if (t->toks[look].id == ph->w[i]) {
                    found = true;
                    break;
                }
            }
            if (found) {
                pos = look + 1;
                continue;
            }
        }
        return 0;
    }
    return (uint32_t)(pos - k);
}

bool match_discarded(const struct tumen_dict *d, const struct text *t, const struct sent *s,
                     uint32_t *entry) {
    if (d->ndiscards == 0) {
        return false;
    }
    size_t end = s->first + s->n;
    for (size_t k = s->first; k < end; k++) {
        uint32_t w = t->toks[k].id;
        if (w == TUMEN_NOID || w >= d->discard_ix.nwords) {
            continue;
        }
        for (uint32_t j = d->discard_ix.start[w]; j < d->discard_ix.start[w + 1]; j++) {
            const struct discard *x = &d->discards[d->discard_ix.idx[j]];
            if (x->whole_sentence && phrase_at(d, t, &x->ph, k, end) > 0) {
                if (entry) {
                    *entry = d->discard_ix.idx[j];
                }
                return true;
            }
        }
    }
    return false;
}

/* Actor-level discards ("! Georgia Tech"): longest discard phrase at k, 0 if none. */
static uint32_t actor_discard_at(const struct tumen_dict *d, const struct text *t, size_t k,
                                 size_t end) {
    uint32_t w = t->toks[k].id;
    if (w == TUMEN_NOID || w >= d->discard_ix.nwords) {
        return 0;
    }
    uint32_t best = 0;
    for (uint32_t j = d->discard_ix.start[w]; j < d->discard_ix.start[w + 1]; j++) {
        const struct discard *x = &d->discards[d->discard_ix.idx[j]];
        if (!x->whole_sentence) {
            uint32_t n = phrase_at(d, t, &x->ph, k, end);
            if (n > best) {
                best = n;
            }
        }
    }
    return best;
}

/* Longest actor phrase at k; among equally long entries, the one whose role applies at the
 * date (dated role containing the date beats an undated default). */
static uint32_t actor_at(const struct tumen_dict *d, const struct text *t, size_t k, size_t end,
                         int32_t date, uint32_t *which, const char **code) {
    const struct tok *tk = &t->toks[k];
    uint32_t keys[2] = {tk->id, tk->pfx};
    uint32_t best_n = 0;
    const char *best_code = NULL;
    uint32_t best_idx = TUMEN_NOID;
    bool best_dated = false;
    for (int ki = 0; ki < 2; ki++) {
        uint32_t w = keys[ki];
        if (w == TUMEN_NOID || w >= d->actor_ix.nwords || (ki == 1 && keys[1] == keys[0])) {
            continue;
        }
        for (uint32_t j = d->actor_ix.start[w]; j < d->actor_ix.start[w + 1]; j++) {
            uint32_t ai = d->actor_ix.idx[j];
            const struct actor *a = &d->actors[ai];
            if (a->ph.n < best_n) {
                break; /* sorted longest first */
            }
            uint32_t n = phrase_at(d, t, &a->ph, k, end);
            if (n == 0 || n < best_n) {
                continue;
            }
            const char *c = actor_code_at(a, date);
            bool dated = false;
            for (uint32_t r = 0; r < a->nroles; r++) {
                if (c == a->roles[r].code) {
                    dated = true;
                }
            }
            if (c == NULL || c[0] == '\0') {
                continue;
            }
            if (n > best_n || (dated && !best_dated)) {
                best_n = n;
                best_code = c;
                best_idx = ai;
                best_dated = dated;
            }
        }
    }
    if (best_n) {
        *which = best_idx;
        *code = best_code;
    }
    return best_n;
}

/* Longest agent phrase at k: returns its length and the agent. */
static uint32_t agent_at(const struct tumen_dict *d, const struct text *t, size_t k, size_t end,
                         const struct agent **out) {
    const struct tok *tk = &t->toks[k];
    uint32_t keys[2] = {tk->id, tk->pfx};
    uint32_t best = 0;
    for (int ki = 0; ki < 2; ki++) {
        uint32_t w = keys[ki];
        if (w == TUMEN_NOID || w >= d->agent_ix.nwords || (ki == 1 && keys[1] == keys[0])) {
            continue;
        }
        for (uint32_t j = d->agent_ix.start[w]; j < d->agent_ix.start[w + 1]; j++) {
            const struct agent *a = &d->agents[d->agent_ix.idx[j]];
            uint32_t n = phrase_at(d, t, &a->ph, k, end);
            if (n > best) {
                best = n;
                *out = a;
            }
        }
    }
    return best;
}

uint32_t match_agent_at(const struct tumen_dict *d, const struct text *t, size_t k, size_t end,
                        const char **code) {
    const struct agent *ag = NULL;
    uint32_t n = agent_at(d, t, k, end, &ag);
    if (n > 0 && code != NULL) {
        *code = ag->code;
    }
    return n;
}

static void compose(char *code, const struct agent *ag) {
    size_t n = strlen(code);
    size_t an = strlen(ag->code);
    if (n != 3 || n + an >= DICT_CODE_MAX) {
        return; /* already has a role (RUSGOV) or an IGO code: keep it */
    }
    if (ag->prefix) {
        char tmp[DICT_CODE_MAX];
        memcpy(tmp, ag->code, an);
        memcpy(tmp + an, code, n + 1);
        memcpy(code, tmp, an + n + 1);
    } else {
        memcpy(code + n, ag->code, an + 1);
    }
}

static bool is_word(const struct text *t, const struct tok *k, const char *w) {
    size_t n = strlen(w);
    return k->nlen == n && memcmp(tok_norm(t, k), w, n) == 0;
}

/* Words allowed inside a compound besides "and", "," and determiners:
 * "Russia itself, Belarus", "the Soviet Union and then Russia", "both X and Y". */
static bool list_filler(const struct text *t, const struct tok *k) {
    return is_word(t, k, "itself") || is_word(t, k, "themselves") || is_word(t, k, "then") ||
           is_word(t, k, "also") || is_word(t, k, "both") || is_word(t, k, "later");
}

size_t match_actors(const struct tumen_dict *d, const struct text *t, const struct sent *s,
                    int32_t date, struct mention *out, size_t max) {
    size_t nm = 0;
    size_t end = s->first + s->n;
    size_t k = s->first;
    while (k < end && nm < max) {
        uint32_t skip = actor_discard_at(d, t, k, end);
        if (skip) {
            k += skip;
            continue;
        }
        uint32_t which = TUMEN_NOID;
        const char *code = NULL;
        uint32_t n = actor_at(d, t, k, end, date, &which, &code);
        if (n == 0) {
            k++;
            continue;
        }
        struct mention *m = &out[nm];
        memset(m, 0, sizeof *m);
        m->first = (uint32_t)k;
        m->n = n;
        m->actor = which;
        m->prep_tok = TUMEN_NOID;
        str_copy(m->code, sizeof m->code, code);
        m->line_file = d->actors[which].src.file;
        m->line = d->actors[which].src.line;
        size_t after = k + n;
        /* "the DPRK's ambassador": possessive then agent */
        size_t ag_pos = after;
        if (ag_pos < end && (t->toks[ag_pos].flags & TF_POSS)) {
            m->possessive = true;
            ag_pos++;
        }
        /* agent right after, allowing up to two lower-case modifiers
         * ("North Korean construction workers", "Russian foreign ministry") */
        const struct agent *ag = NULL;
        for (size_t gap = 0; gap <= 2 && ag_pos + gap < end; gap++) {
            const struct tok *g = &t->toks[ag_pos + gap];
            uint32_t an = agent_at(d, t, ag_pos + gap, end, &ag);
            if (an) {
                /* do not swallow an agent that starts another actor ("Russian officials
                 * and North Korean workers" is fine; "Russia's Kim" is not an agent) */
                compose(m->code, ag);
                m->n = (uint32_t)(ag_pos + gap + an - k);
                break;
            }
            bool verbish = g->lemma != TUMEN_NOID;
            if (!(g->flags & TF_WORD) || (g->flags & TF_CAP) || g->cls != WC_NONE || verbish) {
                break;
            }
        }
        /* agent before: "officials of Russia" is handled by the agent-first rule below */
        /* "Russian oil": a country word before a plain noun. A following verb form
         * ("Russia withdraw", "Russia sent") makes it a subject, not a modifier. */
        if (!m->possessive && m->n == n && after < end) {
            const struct tok *nx = &t->toks[after];
            bool verbish = nx->lemma != TUMEN_NOID ||
                           (nx->id != TUMEN_NOID && nx->id < d->verb_ix.nwords &&
                            d->verb_ix.start[nx->id + 1] > d->verb_ix.start[nx->id]);
            /* adverbs after a subject: "Russia also", "Moscow now", "Seoul quickly" */
            static const char *const adverbs[] = {"also", "again", "now", "still", "already",
                                                  "then", "often", "too", "even", "just",
                                                  "soon", "later", "thus", "therefore",
                                                  "however", "yet", "ever", "once", NULL};
            bool adverb = nx->nlen > 3 && memcmp(tok_norm(t, nx) + nx->nlen - 2, "ly", 2) == 0;
            for (size_t q = 0; adverbs[q] != NULL && !adverb; q++) {
                adverb = is_word(t, nx, adverbs[q]);
            }
            m->adjective = (nx->flags & TF_WORD) && nx->cls == WC_NONE &&
                           !(nx->flags & TF_CAP) && !verbish && !adverb;
        }
        /* "Russian-backed", "Moscow-based", "US-led": the phrase names another party */
        {
            size_t e2 = m->first + m->n;
            if (e2 + 1 < end && (t->toks[e2].flags & TF_HYPHEN)) {
                static const char *const mods[] = {"backed",    "based",     "installed",
                                                   "sponsored", "funded",    "supported",
                                                   "appointed", "controlled", "occupied",
                                                   "held",      "allied",
                                                   "aligned",   "friendly",  "made",
                                                   "built",     "owned",     "run", NULL};
                for (size_t q = 0; mods[q] != NULL; q++) {
                    if (is_word(t, &t->toks[e2 + 1], mods[q])) {
                        m->modifier = true;
                    }
                }
            }
        }
        /* governing preposition */
        if (k > s->first) {
            size_t p = k - 1;
            if (t->toks[p].cls == WC_DET && p > s->first) {
                p--;
            }
            uint16_t c = t->toks[p].cls;
            if (c == WC_SUB && (is_word(t, &t->toks[p], "after") || is_word(t, &t->toks[p], "before") ||
                                is_word(t, &t->toks[p], "since") || is_word(t, &t->toks[p], "like"))) {
                c = WC_PREP; /* "after Syria": a preposition here */
            }
            if (is_word(t, &t->toks[p], "alongside") || is_word(t, &t->toks[p], "beside") ||
                is_word(t, &t->toks[p], "including") || is_word(t, &t->toks[p], "unlike") ||
                is_word(t, &t->toks[p], "like") || is_word(t, &t->toks[p], "than")) {
                c = WC_PREP;
            }
            if (c == WC_PREP || c == WC_BY || c == WC_BETWEEN) {
                m->after_prep = true;
                m->prep_cls = (uint8_t)c;
                m->prep_tok = (uint32_t)p;
            }
        }
        k = m->first + m->n;
        nm++;
    }
    /* agent-first: "officials of Russia", "the ambassador of North Korea", "troops from PRK" */
    for (size_t i = 0; i < nm; i++) {
        struct mention *m = &out[i];
        if (strlen(m->code) != 3 || !m->after_prep || m->prep_tok == TUMEN_NOID) {
            continue;
        }
        const struct tok *p = &t->toks[m->prep_tok];
        if (!(is_word(t, p, "of") || is_word(t, p, "from"))) {
            continue;
        }
        size_t a = m->prep_tok;
        /* find an agent ending right before the preposition */
        for (size_t back = 1; back <= 3 && a >= s->first + back; back++) {
            const struct agent *ag = NULL;
            size_t st = a - back;
            uint32_t an = agent_at(d, t, st, a, &ag);
            if (an == back) {
                compose(m->code, ag);
                break;
            }
        }
    }
    /* compound groups: "A and B", "A, B and C", "A and the B". A comma alone is an
     * apposition ("the ambassador to Russia, Sin Hong Chol,"), not a list, and a member
     * followed by a finite verb starts a new clause ("to Ukraine and South Korea strikes"). */
    uint32_t g = 0;
    for (size_t i = 0; i < nm; i++) {
        if (i > 0) {
            const struct mention *p = &out[i - 1];
            size_t gap_first = p->first + p->n, gap_end = out[i].first;
            bool joined = gap_end > gap_first && gap_end - gap_first <= 4;
            bool saw_and = false;
            for (size_t x = gap_first; joined && x < gap_end; x++) {
                const struct tok *tk = &t->toks[x];
                if (tk->cls == WC_AND || tk->cls == WC_OR) {
                    saw_and = true;
                } else if (tk->cls == WC_DET || list_filler(t, tk) ||
                           (tk->nlen == 1 && tok_norm(t, tk)[0] == ',')) {
                    continue;
                } else {
                    joined = false;
                }
            }
            if (joined && !saw_and) {
                /* a comma joins only inside a list that ends in "and"/"or" + mention */
                size_t j = i;
                bool list = false;
                while (j + 1 < nm) {
                    size_t a = out[j].first + out[j].n, b = out[j + 1].first;
                    if (b <= a || b - a > 3) {
                        break;
                    }
                    bool sep_ok = true, sep_and = false;
                    for (size_t x = a; x < b; x++) {
                        const struct tok *tk = &t->toks[x];
                        if (tk->cls == WC_AND || tk->cls == WC_OR) {
                            sep_and = true;
                        } else if (!(tk->cls == WC_DET ||
                                     (tk->nlen == 1 && tok_norm(t, tk)[0] == ','))) {
                            sep_ok = false;
                        }
                    }
                    if (!sep_ok) {
                        break;
                    }
                    if (sep_and) {
                        list = true;
                        break;
                    }
                    j++;
                }
                joined = list;
            }
            if (joined && saw_and && p->after_prep && p->prep_cls != WC_BETWEEN) {
                /* "... to Ukraine and South Korea strikes ...": after an object, a member
                 * followed by a verb starts a new clause */
                size_t after = out[i].first + out[i].n;
                if (after < end && (t->toks[after].flags & TF_WORD) &&
                    (t->toks[after].cls == WC_MODAL || t->toks[after].cls == WC_HAVE ||
                     (t->toks[after].lemma != TUMEN_NOID && t->toks[after].cls == WC_NONE &&
                      !(t->toks[after].flags & TF_CAP)))) {
                    joined = false;
                }
            }
            if (!joined) {
                g++;
            }
        }
        out[i].group = g;
    }
    return nm;
}
