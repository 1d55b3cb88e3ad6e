/* PETRARCH / Phoenix dictionaries read unchanged (PETRARCH docs, "Dictionary Formats"):
 * CAMEO.2.0-style verb files (synsets, "--- NAME [code] ---" synonym blocks, patterns with
 * noun phrases {..} and prepositional phrases (..)), actors with '+' synonyms and tab-indented
 * dated codes, agents with {plurals} and !SUBSTITUTION! markers, discards ('+' = whole
 * story) and issues (n: v: + expansions). What lands where is described in dict_tabari.h. */
#include "dict_peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum pkind { PK_ACTORS, PK_AGENTS, PK_VERBS, PK_DISCARDS, PK_ISSUES };

static bool icontains(const char *s, const char *w) {
    size_t wl = strlen(w);
    for (; *s; s++) {
        size_t k = 0;
        while (k < wl && s[k] && peer_upper(s[k]) == peer_upper(w[k])) {
            k++;
        }
        if (k == wl) {
            return true;
        }
    }
    return false;
}

static enum pkind detect_kind(const char *path, const char *text, size_t len) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (icontains(base, "verb") || icontains(base, "cameo")) {
        return PK_VERBS;
    }
    if (icontains(base, "agent")) {
        return PK_AGENTS;
    }
    if (icontains(base, "discard")) {
        return PK_DISCARDS;
    }
    if (icontains(base, "issue")) {
        return PK_ISSUES;
    }
    if (icontains(base, "actor")) {
        return PK_ACTORS;
    }
    /* by content */
    size_t lim = len < 65536 ? len : 65536;
    for (size_t i = 0; i + 3 < lim; i++) {
        if ((i == 0 || text[i - 1] == '\n')) {
            if (memcmp(text + i, "---", 3) == 0 || text[i] == '&') {
                return PK_VERBS;
            }
            if (memcmp(text + i, "<ISSUE", 6 <= lim - i ? 6 : lim - i) == 0) {
                return PK_ISSUES;
            }
        }
        if (text[i] == '[' && text[i + 1] == '~') {
            return PK_AGENTS;
        }
    }
    return PK_ACTORS;
}

/* ---- agents ---- */

struct subst {
    char name[64]; /* "!PERSON!" */
    char *items;   /* NUL-separated */
    size_t nitems;
};

struct substs {
    struct subst *v;
    size_t n, cap;
};

static void substs_fini(struct substs *s) {
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].items);
    }
    free(s->v);
}

/* "!PERSON! = MAN, MEN, WOMAN" */
static tumen_status subst_def(struct peer *p, struct substs *ss, const char *s, size_t n) {
    const char *bang = memchr(s + 1, '!', n - 1);
    const char *eq = memchr(s, '=', n);
    if (bang == NULL || eq == NULL || eq < bang) {
        return peer_err(p, TUMEN_SYNTAX, s, "expected '!NAME! = item, item, ...'");
    }
    size_t nl = (size_t)(bang - s) + 1;
    if (nl >= sizeof ss->v[0].name) {
        return peer_err(p, TUMEN_LIMIT, s, "substitution marker too long");
    }
    if (!grow((void **)&ss->v, &ss->cap, ss->n + 1, sizeof *ss->v)) {
        return peer_add(p, TUMEN_NOMEM);
    }
    struct subst *x = &ss->v[ss->n];
    memset(x, 0, sizeof *x);
    memcpy(x->name, s, nl);
    size_t rest = n - (size_t)(eq + 1 - s);
    x->items = malloc(rest + 1);
    if (x->items == NULL) {
        return peer_add(p, TUMEN_NOMEM);
    }
    size_t k = 0;
    for (const char *q = eq + 1; q < s + n; q++) {
        if (*q == ',') {
            if (k > 0 && x->items[k - 1] != '\0') {
                x->items[k++] = '\0';
                x->nitems++;
            }
        } else if (*q != ' ' && *q != '\t') {
            x->items[k++] = *q;
        }
    }
    if (k > 0 && x->items[k - 1] != '\0') {
        x->items[k++] = '\0';
        x->nitems++;
    }
    if (x->nitems == 0) {
        free(x->items);
        return peer_err(p, TUMEN_SYNTAX, eq, "empty substitution list");
    }
    ss->n++;
    return TUMEN_OK;
}

static tumen_status add_agent(struct peer *p, const char *s, size_t n, const struct agent *tpl,
                              bool plural) {
    struct agent a = *tpl;
    struct pword w[PEER_MAX_WORDS];
    bool trail = false;
    int nw = peer_words(p, s, n, PEER_PETRARCH, w, PEER_MAX_WORDS, &trail);
    if (nw < 0) {
        return p->err->status;
    }
    if (nw == 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "missing agent phrase");
    }
    tumen_status st = peer_intern(p, w, nw, &a.ph);
    if (st == TUMEN_OK) {
        st = peer_add(p, dict_add_agent(p->d, &a));
    }
    if (st == TUMEN_OK && plural && !trail) {
        char buf[256];
        size_t pl = peer_plural(w[nw - 1].s, w[nw - 1].n, buf, sizeof buf);
        if (pl > 0) {
            struct agent b = a;
            st = peer_phrase_last(p, &a.ph, buf, pl, &b.ph);
            if (st == TUMEN_OK) {
                st = peer_add(p, dict_add_agent(p->d, &b));
            }
        }
    }
    return st;
}

/* Expands the first !MARKER! of s (recursively) and adds each agent. */
static tumen_status agent_variants(struct peer *p, const struct substs *ss, const char *s,
                                   size_t n, const struct agent *tpl, bool plural, int depth) {
    const char *b1 = memchr(s, '!', n);
    const char *b2 = b1 ? memchr(b1 + 1, '!', n - (size_t)(b1 + 1 - s)) : NULL;
    if (b1 == NULL || b2 == NULL || depth > 4) {
        return add_agent(p, s, n, tpl, plural);
    }
    size_t ml = (size_t)(b2 - b1) + 1;
    const struct subst *x = NULL;
    for (size_t i = 0; i < ss->n; i++) {
        if (strlen(ss->v[i].name) == ml && memcmp(ss->v[i].name, b1, ml) == 0) {
            x = &ss->v[i];
        }
    }
    if (x == NULL) {
        return peer_err(p, TUMEN_SYNTAX, b1, "undefined substitution marker '%.*s'", (int)ml,
                        b1);
    }
    const char *it = x->items;
    for (size_t k = 0; k < x->nitems; k++) {
        size_t il = strlen(it);
        size_t pre = (size_t)(b1 - s), post = n - pre - ml;
        char *buf = malloc(pre + il + post + 1);
        if (buf == NULL) {
            return peer_add(p, TUMEN_NOMEM);
        }
        memcpy(buf, s, pre);
        memcpy(buf + pre, it, il);
        memcpy(buf + pre + il, b2 + 1, post);
        buf[pre + il + post] = '\0';
        const char *save = p->ls;
        tumen_status st = agent_variants(p, ss, buf, pre + il + post, tpl, false, depth + 1);
        p->ls = save;
        free(buf);
        if (st != TUMEN_OK) {
            return st;
        }
        it += il + 1;
    }
    return TUMEN_OK;
}

/* Advances it to the next PETRARCH content line, recording it in p for error positions:
 * skips blank lines, '#' comments and lines starting with a byte of `skip`. On true,
 * (*s, *sn) is the line without leading blanks and trailing comment (borrowed from the
 * iterated text); false at the end. */
static bool petr_next(struct peer *p, struct peer_lines *it, const char *skip, const char **s,
                      size_t *sn) {
    const char *ln;
    size_t n, b;
    while (peer_next_line(p, it, &ln, &n, &b)) {
        if (b == n || ln[b] == '#' || memchr(skip, ln[b], strlen(skip)) != NULL) {
            continue;
        }
        size_t m = peer_strip_comment(p, ln, n);
        if (m > b) {
            *s = ln + b;
            *sn = m - b;
            return true;
        }
    }
    return false;
}

static tumen_status petr_agents(struct peer *p, const char *text, size_t len) {
    struct peer_lines it;
    peer_lines_init(&it, text, len);
    struct substs ss = {0};
    tumen_status st = TUMEN_OK;
    const char *s;
    size_t sn;
    while (st == TUMEN_OK && petr_next(p, &it, "<", &s, &sn)) {
        if (peer_finish_line(s, sn)) {
            continue;
        }
        const char *eq = memchr(s, '=', sn);
        if (s[0] == '!' && eq != NULL && memchr(s, '[', sn) == NULL) {
            st = subst_def(p, &ss, s, sn);
            continue;
        }
        const char *br = memchr(s, '[', sn);
        if (br == NULL) {
            peer_warn(p, s + sn, "agent phrase without a [~CODE]: skipped");
            continue;
        }
        const char *close = memchr(br, ']', sn - (size_t)(br - s));
        if (close == NULL) {
            close = memchr(br, '}', sn - (size_t)(br - s)); /* "[~LEG}" in the docs */
        }
        if (close == NULL) {
            st = peer_err(p, TUMEN_SYNTAX, s + sn, "missing ']'");
            break;
        }
        struct agent a;
        memset(&a, 0, sizeof a);
        a.src.file = p->file;
        a.src.line = (uint32_t)p->line;
        st = peer_agent_code(p, br + 1, (size_t)(close - br) - 1, &a);
        if (st != TUMEN_OK) {
            break;
        }
        size_t pe = (size_t)(br - s);
        const char *ob = memchr(s, '{', pe);
        size_t phe = ob ? (size_t)(ob - s) : pe;
        bool plural = ob == NULL;
        st = agent_variants(p, &ss, s, phe, &a, plural, 0);
        if (st == TUMEN_OK && ob != NULL) {
            const char *cb = memchr(ob, '}', pe - phe);
            if (cb == NULL) {
                st = peer_err(p, TUMEN_SYNTAX, ob, "missing '}' after the plural");
                break;
            }
            /* explicit plural forms, blank-separated; "{}" means none */
            const char *q = ob + 1;
            while (q < cb && st == TUMEN_OK) {
                while (q < cb && (*q == ' ' || *q == '\t')) {
                    q++;
                }
                const char *e = q;
                while (e < cb && *e != ' ' && *e != '\t') {
                    e++;
                }
                if (e > q) {
                    st = agent_variants(p, &ss, q, (size_t)(e - q), &a, false, 0);
                }
                q = e;
            }
        }
    }
    substs_fini(&ss);
    return st;
}

/* ---- discards ---- */

static tumen_status petr_discards(struct peer *p, const char *text, size_t len) {
    struct peer_lines it;
    peer_lines_init(&it, text, len);
    tumen_status st = TUMEN_OK;
    const char *s;
    size_t sn;
    while (st == TUMEN_OK && petr_next(p, &it, "<", &s, &sn)) {
        bool story = s[0] == '+';
        if (story) {
            s++;
            sn--;
        }
        struct pword w[PEER_MAX_WORDS];
        bool trail = false;
        int nw = peer_words(p, s, sn, PEER_PETRARCH, w, PEER_MAX_WORDS, &trail);
        if (nw < 0) {
            return p->err->status;
        }
        if (nw == 0) {
            st = peer_err(p, TUMEN_SYNTAX, s, "missing discard phrase");
            break;
        }
        /* a string match: consecutive words, the last one a stem unless it ends in '_' */
        for (int i = 0; i < nw; i++) {
            w[i].flags = 0;
        }
        if (!trail) {
            w[nw - 1].flags = PW_PREFIX;
        }
        struct discard x;
        memset(&x, 0, sizeof x);
        x.whole_sentence = true;
        x.whole_story = story;
        x.src.file = p->file;
        x.src.line = (uint32_t)p->line;
        st = peer_intern(p, w, nw, &x.ph);
        if (st == TUMEN_OK) {
            st = peer_add(p, dict_add_discard(p->d, &x));
        }
    }
    return st;
}

/* ---- issues ---- */

#define ISSUE_VARIANTS 64

/* Variants of one blank-separated issue word: '+' splits parts (joined as consecutive
 * words), "n:" adds the plural, "v:" the regular verb forms. Writes up to max strings
 * (each a blank-separated word sequence) into out (NUL-separated, in buf). */
static size_t issue_word_variants(const char *s, size_t n, char out[][128], size_t max) {
    size_t cnt = 1;
    out[0][0] = '\0';
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != '+') {
            j++;
        }
        const char *part = s + i;
        size_t pl = j - i;
        int kind = 0;
        if (pl > 2 && part[1] == ':' && (part[0] == 'n' || part[0] == 'N')) {
            kind = 1;
        } else if (pl > 2 && part[1] == ':' && (part[0] == 'v' || part[0] == 'V')) {
            kind = 2;
        }
        if (kind) {
            part += 2;
            pl -= 2;
        }
        char forms[4][64];
        size_t nf = 0;
        if (pl > 0 && pl < 60) {
            memcpy(forms[nf], part, pl);
            forms[nf++][pl] = '\0';
            if (kind == 1) {
                size_t ql = peer_plural(part, pl, forms[nf], sizeof forms[nf]);
                if (ql > 0) {
                    forms[nf++][ql] = '\0';
                }
            } else if (kind == 2) {
                bool e = part[pl - 1] == 'e' || part[pl - 1] == 'E';
                snprintf(forms[nf++], 64, "%.*ss", (int)pl, part);
                snprintf(forms[nf++], 64, "%.*s%s", (int)pl, part, e ? "d" : "ed");
                snprintf(forms[nf++], 64, "%.*sing", (int)(e ? pl - 1 : pl), part);
            }
        }
        if (nf > 0) {
            size_t newcnt = cnt * nf;
            if (newcnt > max) {
                newcnt = max;
            }
            /* fill from the back so that out[a] is read before it is overwritten */
            for (size_t k = newcnt; k-- > 0;) {
                size_t a = k / nf, f = k % nf;
                char tmp[128];
                snprintf(tmp, sizeof tmp, "%s%s%s", out[a], out[a][0] ? " " : "", forms[f]);
                memcpy(out[k], tmp, sizeof tmp);
            }
            cnt = newcnt;
        }
        i = j + 1;
    }
    return cnt;
}

static tumen_status petr_issues(struct peer *p, const char *text, size_t len) {
    struct peer_lines it;
    peer_lines_init(&it, text, len);
    tumen_status st = TUMEN_OK;
    static const size_t codemax = sizeof(((struct issue *)0)->code);
    const char *s;
    size_t sn;
    while (st == TUMEN_OK && petr_next(p, &it, "<", &s, &sn)) {
        struct issue x;
        memset(&x, 0, sizeof x);
        x.src.file = p->file;
        x.src.line = (uint32_t)p->line;
        size_t pe = sn;
        if (s[0] == '~') {
            /* "~phrase" / "~~phrase": ignore phrases cancel the sentence's issues */
            while (sn > 0 && s[0] == '~') {
                s++;
                sn--;
            }
            memcpy(x.code, "~", 2);
            pe = sn;
        } else {
            const char *br = memchr(s, '[', sn);
            const char *close = br ? memchr(br, ']', sn - (size_t)(br - s)) : NULL;
            if (br == NULL || close == NULL) {
                peer_warn(p, s + sn, "issue phrase without a [CODE]: skipped");
                continue;
            }
            size_t k = 0;
            bool cut = false;
            for (const char *q = br + 1; q < close; q++) {
                if (*q != ' ' && *q != '\t') {
                    if (k + 1 < codemax) {
                        x.code[k++] = *q;
                    } else {
                        cut = true;
                    }
                }
            }
            if (cut) {
                peer_warn(p, br, "issue code longer than %zu characters: cut", codemax - 1);
            }
            x.code[k] = '\0';
            if (k == 0) {
                st = peer_err(p, TUMEN_SYNTAX, br, "missing code in [...]");
                break;
            }
            pe = (size_t)(br - s);
        }
        /* expand word by word */
        static const size_t maxv = ISSUE_VARIANTS;
        char(*acc)[128] = malloc(maxv * sizeof *acc);
        char(*wv)[128] = malloc(maxv * sizeof *wv);
        if (acc == NULL || wv == NULL) {
            free(acc);
            free(wv);
            return peer_add(p, TUMEN_NOMEM);
        }
        size_t nacc = 1;
        acc[0][0] = '\0';
        size_t i = 0;
        while (i < pe) {
            while (i < pe && (s[i] == ' ' || s[i] == '\t')) {
                i++;
            }
            size_t j = i;
            while (j < pe && s[j] != ' ' && s[j] != '\t') {
                j++;
            }
            if (j > i) {
                size_t nv = issue_word_variants(s + i, j - i, wv, maxv);
                size_t newn = nacc * nv > maxv ? maxv : nacc * nv;
                for (size_t k = newn; k-- > 0;) {
                    size_t a = k / nv, v = k % nv;
                    char tmp[128];
                    snprintf(tmp, sizeof tmp, "%s%s%s", acc[a], acc[a][0] ? " " : "", wv[v]);
                    memcpy(acc[k], tmp, sizeof tmp);
                }
                nacc = newn;
            }
            i = j;
        }
        for (size_t k = 0; k < nacc && st == TUMEN_OK; k++) {
            struct pword w[PEER_MAX_WORDS];
            int nw = peer_words(p, acc[k], strlen(acc[k]), PEER_PETRARCH, w, PEER_MAX_WORDS,
                                NULL);
            if (nw < 0) {
                st = p->err->status;
                break;
            }
            if (nw == 0) {
                st = peer_err(p, TUMEN_SYNTAX, s, "missing issue phrase");
                break;
            }
            for (int q = 0; q < nw; q++) {
                w[q].flags = 0; /* string match: consecutive */
            }
            struct issue y = x;
            st = peer_intern(p, w, nw, &y.ph);
            if (st == TUMEN_OK) {
                st = peer_add(p, dict_add_issue(p->d, &y));
            }
        }
        free(acc);
        free(wv);
    }
    return st;
}

/* ---- verbs ---- */

/* Regular forms of a verb word (PETRARCH generates S, ED, ING). */
static size_t verb_forms(const char *w, size_t n, char out[3][80]) {
    if (n == 0 || n > 70) {
        return 0;
    }
    char last = peer_upper(w[n - 1]);
    char prev = n > 1 ? peer_upper(w[n - 2]) : 0;
    bool lower = w[n - 1] >= 'a' && w[n - 1] <= 'z';
    const char *S = lower ? "s" : "S", *ES = lower ? "es" : "ES", *ED = lower ? "ed" : "ED",
               *D = lower ? "d" : "D", *ING = lower ? "ing" : "ING", *IES = lower ? "ies" : "IES",
               *IED = lower ? "ied" : "IED";
    bool vowel_before = prev == 'A' || prev == 'E' || prev == 'I' || prev == 'O' || prev == 'U';
    if (last == 'Y' && !vowel_before) {
        snprintf(out[0], 80, "%.*s%s", (int)n - 1, w, IES);
        snprintf(out[1], 80, "%.*s%s", (int)n - 1, w, IED);
    } else if (last == 'S' || last == 'X' || last == 'Z' || (last == 'H' && (prev == 'C' ||
                                                                             prev == 'S'))) {
        snprintf(out[0], 80, "%.*s%s", (int)n, w, ES);
        snprintf(out[1], 80, "%.*s%s", (int)n, w, ED);
    } else if (last == 'E') {
        snprintf(out[0], 80, "%.*s%s", (int)n, w, S);
        snprintf(out[1], 80, "%.*s%s", (int)n, w, D);
    } else {
        snprintf(out[0], 80, "%.*s%s", (int)n, w, S);
        snprintf(out[1], 80, "%.*s%s", (int)n, w, ED);
    }
    if (last == 'E' && n > 2 && prev != 'E') {
        snprintf(out[2], 80, "%.*s%s", (int)n - 1, w, ING);
    } else {
        snprintf(out[2], 80, "%.*s%s", (int)n, w, ING);
    }
    return 3;
}

/* A verb phrase "WIRE_+TAP" into a head phrase; *verb_word = index of the '+' word. */
static tumen_status verb_phrase(struct peer *p, const char *s, size_t n, struct phrase *ph,
                                struct pword *w, int *nw, int *verb_word) {
    char buf[512];
    if (n >= sizeof buf) {
        return peer_err(p, TUMEN_LIMIT, s, "verb phrase too long");
    }
    /* drop the '+' markers, remembering which word they precede */
    size_t k = 0;
    int plus_at = -1, words = 0;
    bool in_word = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool sep = c == ' ' || c == '\t' || c == '_' || c == '-';
        if (c == '+') {
            plus_at = words;
            continue;
        }
        if (!sep && !in_word) {
            in_word = true;
        } else if (sep && in_word) {
            in_word = false;
            words++;
        }
        buf[k++] = c;
    }
    const char *save = p->ls;
    *nw = peer_words(p, buf, k, PEER_PETRARCH, w, PEER_MAX_WORDS, NULL);
    p->ls = save;
    if (*nw < 0) {
        return p->err->status;
    }
    if (*nw == 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "missing verb");
    }
    *verb_word = plus_at < 0 ? 0 : plus_at;
    if (*verb_word >= *nw) {
        *verb_word = *nw - 1;
    }
    for (int i = 0; i < *nw; i++) {
        w[i].flags &= (uint8_t)~PW_GAP; /* a multiword verb's words are consecutive */
    }
    tumen_status st = peer_intern(p, w, *nw, ph);
    /* w pointed into buf: point it at the interned (normalised) words instead */
    for (int i = 0; i < *nw && st == TUMEN_OK; i++) {
        w[i].s = intern_str(&p->d->words, ph->w[i]);
        w[i].n = strlen(w[i].s);
    }
    return st;
}

/* "VERB {FORMS} [CODE]" inside a block. */
static tumen_status petr_verb_line(struct peer *p, struct peer_block *blk, const char *s,
                                   size_t n) {
    const char *ob = memchr(s, '{', n);
    const char *br = memchr(s, '[', n);
    size_t pe = n;
    if (ob && (size_t)(ob - s) < pe) {
        pe = (size_t)(ob - s);
    }
    if (br && (size_t)(br - s) < pe) {
        pe = (size_t)(br - s);
    }
    char code[8] = "";
    uint16_t flags = 0;
    if (br != NULL) {
        const char *close = memchr(br, ']', n - (size_t)(br - s));
        if (close == NULL) {
            return peer_err(p, TUMEN_SYNTAX, s + n, "missing ']'");
        }
        tumen_status st = peer_event_code(p, br + 1, (size_t)(close - br) - 1, code, &flags);
        if (st != TUMEN_OK) {
            return st;
        }
    }
    struct phrase ph;
    struct pword w[PEER_MAX_WORDS];
    int nw = 0, vw = 0;
    tumen_status st = verb_phrase(p, s, pe, &ph, w, &nw, &vw);
    if (st != TUMEN_OK) {
        return st;
    }
    st = peer_block_head(p, blk, &ph, code, flags);
    if (st != TUMEN_OK) {
        return st;
    }
    if (ob != NULL) {
        const char *cb = memchr(ob, '}', n - (size_t)(ob - s));
        if (cb == NULL) {
            return peer_err(p, TUMEN_SYNTAX, s + n, "missing '}' after verb forms");
        }
        const char *q = ob + 1;
        while (q < cb) {
            while (q < cb && (*q == ' ' || *q == '\t' || *q == ',')) {
                q++;
            }
            const char *e = q;
            while (e < cb && *e != ' ' && *e != '\t' && *e != ',') {
                e++;
            }
            if (e > q) {
                struct phrase fph;
                struct pword fw[PEER_MAX_WORDS];
                int fn = 0, fv = 0;
                st = verb_phrase(p, q, (size_t)(e - q), &fph, fw, &fn, &fv);
                if (st != TUMEN_OK) {
                    return st;
                }
                if (nw == 1 && fn == 1) {
                    st = peer_add(p, dict_add_form(p->d, fph.w[0], ph.w[0]));
                } else {
                    st = peer_block_head(p, blk, &fph, code, flags);
                }
                if (st != TUMEN_OK) {
                    return st;
                }
            }
            q = e;
        }
        return TUMEN_OK;
    }
    if (nw > 1) {
        /* regular forms of the marked word of a multiword verb, each another head */
        char forms[3][80];
        size_t nf = verb_forms(w[vw].s, w[vw].n, forms);
        for (size_t k = 0; k < nf; k++) {
            struct phrase fph = ph;
            fph.w = dict_alloc(p->d, ph.n * sizeof *fph.w);
            if (fph.w == NULL) {
                return peer_add(p, TUMEN_NOMEM);
            }
            memcpy(fph.w, ph.w, ph.n * sizeof *fph.w);
            fph.w[vw] = dict_word(p->d, forms[k], strlen(forms[k]));
            if (fph.w[vw] == TUMEN_NOID) {
                return peer_add(p, TUMEN_NOMEM);
            }
            st = peer_block_head(p, blk, &fph, code, flags);
            if (st != TUMEN_OK) {
                return st;
            }
        }
    }
    return TUMEN_OK;
}

/* An anonymous set for "TO/FOR". */
static tumen_status slash_set(struct peer *p, const char *s, size_t n, uint32_t *idx) {
    struct wordset ws;
    memset(&ws, 0, sizeof ws);
    ws.name = TUMEN_NOID;
    size_t cnt = 1;
    for (size_t i = 0; i < n; i++) {
        cnt += s[i] == '/';
    }
    ws.alts = dict_alloc(p->d, cnt * sizeof *ws.alts);
    if (ws.alts == NULL) {
        return peer_add(p, TUMEN_NOMEM);
    }
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != '/') {
            j++;
        }
        if (j > i) {
            tumen_status st = peer_phrase(p, s + i, j - i, PEER_PETRARCH, &ws.alts[ws.nalts]);
            if (st != TUMEN_OK) {
                return st;
            }
            ws.nalts++;
        }
        i = j + 1;
    }
    if (ws.nalts == 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "empty alternative");
    }
    return peer_add(p, dict_add_set(p->d, &ws, idx));
}

#define PAT_MAX 64

/* "- [pre] * [post] [CODE]" (s after the '-'). Noun phrases {A B} are consecutive words,
 * prepositional phrases (P noun) a preposition then its noun; other elements may have words
 * between them. */
static tumen_status petr_pattern(struct peer *p, struct peer_block *blk, const char *s,
                                 size_t n) {
    if (blk->nheads == 0) {
        return peer_err(p, TUMEN_SYNTAX, s - 1, "pattern before any verb");
    }
    const char *br = NULL;
    for (size_t i = n; i-- > 0;) {
        if (s[i] == '[') {
            br = s + i;
            break;
        }
    }
    if (br == NULL) {
        return peer_err(p, TUMEN_SYNTAX, s + n, "missing '[' code after the pattern");
    }
    const char *close = memchr(br, ']', n - (size_t)(br - s));
    if (close == NULL) {
        return peer_err(p, TUMEN_SYNTAX, s + n, "missing ']'");
    }
    struct vpattern v;
    memset(&v, 0, sizeof v);
    tumen_status st = peer_event_code(p, br + 1, (size_t)(close - br) - 1, v.code, &v.flags);
    if (st != TUMEN_OK) {
        return st;
    }
    size_t pn = (size_t)(br - s);
    struct velem el[PAT_MAX];
    int nel = 0, verb = -1, brace = 0, paren = 0, in_brace = 0;
    bool head_gap = true, post_gap = true, gap = true;
    unsigned spec = 0;
    size_t i = 0;
    while (i < pn) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            gap = true;
            i++;
            continue;
        }
        if (c == '_') { /* TABARI-style connector kept in some PETRARCH files: joins */
            gap = false;
            i++;
            continue;
        }
        if (c == '{' || c == '(') {
            if ((c == '{' && brace) || (c == '(' && paren)) {
                return peer_err(p, TUMEN_SYNTAX, s + i, "nested '%c'", c);
            }
            if (c == '{') {
                brace = 1;
                in_brace = 0;
            } else {
                paren = 1;
            }
            i++;
            continue;
        }
        if (c == '}' || c == ')') {
            if ((c == '}' && !brace) || (c == ')' && !paren)) {
                return peer_err(p, TUMEN_SYNTAX, s + i, "unmatched '%c'", c);
            }
            if (c == '}') {
                brace = 0;
            } else {
                paren = 0;
            }
            gap = true;
            i++;
            continue;
        }
        if (nel >= PAT_MAX) {
            return peer_err(p, TUMEN_LIMIT, s + i, "pattern longer than %d elements", PAT_MAX);
        }
        bool special = c == '*' || c == '$' || c == '+' || c == '%' || c == '^';
        size_t j = i + 1;
        if (!special) {
            while (j < pn && s[j] != ' ' && s[j] != '\t' && s[j] != '{' && s[j] != '}' &&
                   s[j] != '(' && s[j] != ')') {
                if (s[j] == '_' && (j + 1 >= pn || strchr("*$+%^&", s[j + 1]) != NULL)) {
                    break; /* "IN_*", "DEMAND_&SET" */
                }
                if (c == '&' && s[j] == '_') {
                    break; /* "&GENINT_CONVENTIONS" */
                }
                j++;
            }
        }
        if (brace && in_brace++ > 0) {
            gap = false; /* words of a noun phrase {A B} are consecutive */
        }
        struct velem e = {0, 0, 0};
        if (special) {
            if (c == '*') {
                if (verb >= 0) {
                    return peer_err(p, TUMEN_SYNTAX, s + i, "more than one '*' in a pattern");
                }
                verb = nel;
                head_gap = gap;
                i = j;
                gap = !(j < pn && s[j] == '_');
                post_gap = gap;
                continue;
            }
            e.kind = c == '$' ? VE_SOURCE : c == '+' ? VE_TARGET : c == '%' ? VE_ACTOR : VE_SKIP;
        } else if (c == '&') {
            uint32_t si = peer_find_set(p, s + i, j - i);
            if (si == TUMEN_NOID) {
                return peer_err(p, TUMEN_SYNTAX, s + i, "undefined synset '%.*s'",
                                (int)(j - i), s + i);
            }
            e.kind = VE_SET;
            e.value = si;
            spec += (unsigned)(j - i - 1);
        } else if (memchr(s + i, '/', j - i) != NULL) {
            uint32_t si;
            st = slash_set(p, s + i, j - i, &si);
            if (st != TUMEN_OK) {
                return st;
            }
            e.kind = VE_SET;
            e.value = si;
            spec += (unsigned)(j - i) / 2;
        } else {
            struct pword w[PEER_MAX_WORDS];
            int nw = peer_words(p, s + i, j - i, PEER_PETRARCH, w, PEER_MAX_WORDS, NULL);
            if (nw < 0) {
                return p->err->status;
            }
            for (int q = 0; q < nw; q++) {
                if (nel >= PAT_MAX) {
                    return peer_err(p, TUMEN_LIMIT, s + i, "pattern too long");
                }
                uint32_t id = dict_word(p->d, w[q].s, w[q].n);
                if (id == TUMEN_NOID) {
                    return peer_add(p, TUMEN_NOMEM);
                }
                for (size_t z = 0; z < w[q].n; z++) {
                    spec += peer_alnum(w[q].s[z]);
                }
                bool g = q == 0 ? gap : (w[q].flags & PW_GAP) != 0;
                struct velem we = {VE_WORD, (uint8_t)(g ? PW_GAP : 0), id};
                if (nel == verb) {
                    post_gap = g;
                }
                el[nel++] = we;
            }
            gap = true;
            i = j;
            continue;
        }
        e.flags = gap ? PW_GAP : 0;
        if (nel == verb) {
            post_gap = gap;
        }
        el[nel++] = e;
        gap = true;
        i = j;
    }
    if (brace || paren) {
        return peer_err(p, TUMEN_SYNTAX, s + pn, "missing '%c'", brace ? '}' : ')');
    }
    if (verb < 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "missing verb marker '*' in pattern");
    }
    return peer_pattern_finish(p, blk, &v, el, nel, verb, head_gap, post_gap, spec);
}

/* "---  NAME   [code]  ---" */
static tumen_status petr_block_line(struct peer *p, struct peer_block *blk, const char *s,
                                    size_t n) {
    tumen_status st = peer_block_flush(p, blk);
    if (st != TUMEN_OK) {
        return st;
    }
    char code[8] = "---";
    uint16_t flags = VP_NULL;
    const char *br = memchr(s + 3, '[', n - 3);
    if (br != NULL) {
        const char *close = memchr(br, ']', n - (size_t)(br - s));
        if (close == NULL) {
            return peer_err(p, TUMEN_SYNTAX, s + n, "missing ']'");
        }
        st = peer_event_code(p, br + 1, (size_t)(close - br) - 1, code, &flags);
        if (st != TUMEN_OK) {
            return st;
        }
    }
    peer_block_open(blk, code, flags);
    return TUMEN_OK;
}

static tumen_status petr_verbs(struct peer *p, const char *text, size_t len) {
    struct peer_lines it;
    peer_lines_init(&it, text, len);
    struct peer_set cur;
    peer_set_init(&cur);
    struct peer_block blk;
    peer_block_init(&blk);
    tumen_status st = TUMEN_OK;
    const char *s;
    size_t sn;
    while (st == TUMEN_OK && petr_next(p, &it, "<~", &s, &sn)) {
        if (sn >= 3 && memcmp(s, "---", 3) == 0) {
            st = peer_set_end(p, &cur);
            if (st == TUMEN_OK) {
                st = petr_block_line(p, &blk, s, sn);
            }
        } else if (s[0] == '&') {
            st = peer_block_flush(p, &blk);
            if (st == TUMEN_OK) {
                size_t e = 1;
                while (e < sn && s[e] != ' ' && s[e] != '\t') {
                    e++;
                }
                st = peer_set_begin(p, &cur, s, e);
            }
        } else if (s[0] == '+' && cur.name != NULL) {
            st = peer_set_phrase(p, &cur, s + 1, sn - 1);
        } else if (s[0] == '-') {
            /* PETRARCH ignores a pattern it cannot read (e.g. an undefined synset) */
            tumen_error local;
            memset(&local, 0, sizeof local);
            tumen_error *keep = p->err;
            p->err = &local;
            st = petr_pattern(p, &blk, s + 1, sn - 1);
            p->err = keep;
            if (st != TUMEN_OK && st != TUMEN_NOMEM) {
                const char *at = local.col ? p->ls + local.col - 1 : s;
                peer_warn(p, at, "%s: pattern skipped", local.msg);
                st = TUMEN_OK;
            } else if (st == TUMEN_NOMEM) {
                st = peer_add(p, st);
            }
        } else {
            if (!blk.open) {
                st = peer_err(p, TUMEN_SYNTAX, s,
                              "verb outside a '--- NAME [code] ---' block");
                break;
            }
            st = petr_verb_line(p, &blk, s, sn);
        }
    }
    if (st == TUMEN_OK) {
        st = peer_set_end(p, &cur);
    }
    if (st == TUMEN_OK) {
        st = peer_block_flush(p, &blk);
    }
    peer_set_fini(&cur);
    peer_block_fini(&blk);
    return st;
}

tumen_status dict_load_petrarch(struct tumen_dict *d, const char *path, tumen_error *err) {
    return dict_load_petrarch_ex(d, path, NULL, err);
}

tumen_status dict_load_petrarch_ex(struct tumen_dict *d, const char *path,
                                   const struct dict_warner *w, tumen_error *err) {
    char *text = NULL;
    size_t len = 0;
    tumen_status st = peer_read_file(path, &text, &len, err);
    if (st != TUMEN_OK) {
        return st;
    }
    struct peer p;
    peer_init(&p, d, path, PEER_PETRARCH, err);
    p.warn = w;
    switch (detect_kind(path, text, len)) {
    case PK_VERBS:
        st = petr_verbs(&p, text, len);
        break;
    case PK_AGENTS:
        st = petr_agents(&p, text, len);
        break;
    case PK_DISCARDS:
        st = petr_discards(&p, text, len);
        break;
    case PK_ISSUES:
        st = petr_issues(&p, text, len);
        break;
    case PK_ACTORS:
        st = peer_load_actors(&p, text, len);
        break;
    }
    free(text);
    return st;
}
