/* Loader for tumen's own dictionary format (docs/dictionary-format.md). */
#include "cameo.h"
#include "dict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_ACTORS, K_AGENTS, K_VERBS, K_SETS, K_DISCARDS, K_ISSUES, K_ALIGN };

struct ctx {
    struct tumen_dict *d;
    const char *path;
    uint32_t file;
    const char *text; /* whole file */
    tumen_error *err;
    enum kind kind;
    /* current entry */
    uint64_t line;
};

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Column (1-based, in bytes) of pointer p within the file, and its line. */
static void position(const struct ctx *c, const char *p, uint64_t *line, uint64_t *col) {
    uint64_t l = 1;
    const char *ls = c->text;
    for (const char *q = c->text; q < p; q++) {
        if (*q == '\n') {
            l++;
            ls = q + 1;
        }
    }
    *line = l;
    *col = (uint64_t)(p - ls) + 1;
}

static tumen_status fail(const struct ctx *c, tumen_status st, const char *at, const char *fmt,
                         const char *arg) __attribute__((format(printf, 4, 0)));
static tumen_status fail(const struct ctx *c, tumen_status st, const char *at, const char *fmt,
                         const char *arg) {
    uint64_t line, col;
    position(c, at, &line, &col);
    char msg[400];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
#pragma GCC diagnostic pop
    return err_set(c->err, st, c->path, line, col, "%s", msg);
}

static bool blank(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static const char *skip_blank(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
        p++;
    }
    return p;
}

static const char *trim_end(const char *p, const char *end) {
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r')) {
        end--;
    }
    return end;
}

static bool valid_actor_code(const char *s, size_t n) {
    if (n < 3 || n >= DICT_CODE_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
            return false;
        }
    }
    return true;
}

/* Parses "FROM..TO" into from/to (0 = open). */
static bool parse_dates(const char *s, size_t n, int32_t *from, int32_t *to) {
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    }
    if (dots == NULL) {
        return false;
    }
    size_t a = (size_t)(dots - s);
    size_t b = n - a - 2;
    *from = 0;
    *to = 0;
    if (a > 0 && !date_parse(s, a, from)) {
        return false;
    }
    if (b > 0 && !date_parse(dots + 2, b, to)) {
        return false;
    }
    if (a > 0 && *from % 100 == 0) {
        /* "2011-12" from: first day; "2011": Jan 1 */
        if (*from % 10000 == 0) {
            *from += 101;
        } else {
            *from += 1;
        }
    }
    return a > 0 || b > 0;
}

/* Calls fn for every ';'-separated phrase in [p, end). */
typedef tumen_status (*phrase_fn)(struct ctx *c, const char *p, const char *end, void *arg);

static tumen_status each_phrase(struct ctx *c, const char *p, const char *end, phrase_fn fn,
                                void *arg) {
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        const char *a = skip_blank(p, stop);
        const char *b = trim_end(a, stop);
        if (b > a) {
            tumen_status st = fn(c, a, b, arg);
            if (st != TUMEN_OK) {
                return st;
            }
        } else if (semi != NULL) {
            return fail(c, TUMEN_SYNTAX, a, "empty phrase%s", NULL);
        }
        p = semi ? semi + 1 : end;
    }
    return TUMEN_OK;
}

static tumen_status make_phrase(struct ctx *c, const char *a, const char *b, struct phrase *ph) {
    /* every word must contain something other than punctuation-free nothing */
    tumen_status st = dict_phrase(c->d, a, (size_t)(b - a), false, ph);
    if (st == TUMEN_SYNTAX) {
        return fail(c, st, a, "empty phrase%s", NULL);
    }
    if (st == TUMEN_LIMIT) {
        return fail(c, st, a, "phrase has more than 256 words%s", NULL);
    }
    if (st != TUMEN_OK) {
        return fail(c, st, a, "out of memory%s", NULL);
    }
    return TUMEN_OK;
}

/* ---- actors / agents / issues / sets / discards ---- */

struct coded {
    char code[DICT_CODE_MAX];
    int32_t from, to;
    bool dated;
};

static tumen_status on_actor(struct ctx *c, const char *a, const char *b, void *arg) {
    const struct coded *k = arg;
    struct actor act;
    memset(&act, 0, sizeof act);
    tumen_status st = make_phrase(c, a, b, &act.ph);
    if (st != TUMEN_OK) {
        return st;
    }
    act.src.file = c->file;
    act.src.line = (uint32_t)c->line;
    if (k->dated) {
        act.roles = dict_alloc(c->d, sizeof *act.roles);
        if (act.roles == NULL) {
            return fail(c, TUMEN_NOMEM, a, "out of memory%s", NULL);
        }
        memcpy(act.roles[0].code, k->code, sizeof act.roles[0].code);
        act.roles[0].from = k->from;
        act.roles[0].to = k->to;
        act.nroles = 1;
    } else {
        memcpy(act.code, k->code, sizeof act.code);
    }
    st = dict_add_actor(c->d, &act);
    return st == TUMEN_OK ? st : fail(c, st, a, "out of memory%s", NULL);
}

static tumen_status on_agent(struct ctx *c, const char *a, const char *b, void *arg) {
    const struct coded *k = arg;
    struct agent ag;
    memset(&ag, 0, sizeof ag);
    tumen_status st = make_phrase(c, a, b, &ag.ph);
    if (st != TUMEN_OK) {
        return st;
    }
    memcpy(ag.code, k->code, sizeof ag.code);
    ag.src.file = c->file;
    ag.src.line = (uint32_t)c->line;
    st = dict_add_agent(c->d, &ag);
    return st == TUMEN_OK ? st : fail(c, st, a, "out of memory%s", NULL);
}

static tumen_status on_issue(struct ctx *c, const char *a, const char *b, void *arg) {
    const struct coded *k = arg;
    struct issue is;
    memset(&is, 0, sizeof is);
    tumen_status st = make_phrase(c, a, b, &is.ph);
    if (st != TUMEN_OK) {
        return st;
    }
    memcpy(is.code, k->code, sizeof k->code);
    is.src.file = c->file;
    is.src.line = (uint32_t)c->line;
    st = dict_add_issue(c->d, &is);
    return st == TUMEN_OK ? st : fail(c, st, a, "out of memory%s", NULL);
}

static tumen_status on_discard(struct ctx *c, const char *a, const char *b, void *arg) {
    (void)arg;
    struct discard x;
    memset(&x, 0, sizeof x);
    x.whole_sentence = true;
    if (*a == '!') {
        x.whole_sentence = false;
        a = skip_blank(a + 1, b);
    }
    tumen_status st = make_phrase(c, a, b, &x.ph);
    if (st != TUMEN_OK) {
        return st;
    }
    x.src.file = c->file;
    x.src.line = (uint32_t)c->line;
    st = dict_add_discard(c->d, &x);
    return st == TUMEN_OK ? st : fail(c, st, a, "out of memory%s", NULL);
}

static tumen_status on_set_member(struct ctx *c, const char *a, const char *b, void *arg) {
    struct wordset *ws = arg;
    struct phrase ph;
    tumen_status st = make_phrase(c, a, b, &ph);
    if (st != TUMEN_OK) {
        return st;
    }
    struct phrase *alts = dict_alloc(c->d, (ws->nalts + 1) * sizeof *alts);
    if (alts == NULL) {
        return fail(c, TUMEN_NOMEM, a, "out of memory%s", NULL);
    }
    if (ws->nalts) {
        memcpy(alts, ws->alts, ws->nalts * sizeof *alts);
    }
    alts[ws->nalts++] = ph;
    ws->alts = alts;
    return TUMEN_OK;
}

/* ---- verb patterns ---- */

struct vparse {
    char code[8];
    uint16_t flags;
};

static tumen_status add_velem(struct ctx *c, struct velem *buf, size_t *n, struct velem e,
                              const char *at) {
    if (*n >= 32) {
        return fail(c, TUMEN_LIMIT, at, "pattern has more than 32 elements%s", NULL);
    }
    buf[(*n)++] = e;
    return TUMEN_OK;
}

static tumen_status on_pattern(struct ctx *c, const char *a, const char *b, void *arg) {
    const struct vparse *vp = arg;
    struct velem pre[32], post[32];
    size_t npre = 0, npost = 0;
    struct vpattern v;
    memset(&v, 0, sizeof v);
    memcpy(v.code, vp->code, sizeof v.code);
    v.flags = vp->flags;
    v.src.file = c->file;
    v.src.line = (uint32_t)c->line;
    bool have_head = false, have_src = false, have_tgt = false;
    bool far = false;
    uint16_t spec = 0;
    const char *p = a;
    while (p < b) {
        p = skip_blank(p, b);
        if (p >= b) {
            break;
        }
        const char *start = p;
        struct velem e = {0};
        e.flags = PW_GAP;
        if (*p == '[' && far) {
            /* "workers ... [invite]": the element before the head may stand anywhere
             * earlier in the clause */
            if (npre == 0) {
                return fail(c, TUMEN_SYNTAX, p, "'...' before the [head] needs an element "
                                                "before it%s", NULL);
            }
            pre[npre - 1].flags = (uint8_t)(pre[npre - 1].flags | PW_FAR | PW_GAP);
            far = false;
        }
        if (*p == '[') {
            const char *close = memchr(p, ']', (size_t)(b - p));
            if (close == NULL) {
                return fail(c, TUMEN_SYNTAX, p, "unclosed '[' in pattern%s", NULL);
            }
            if (have_head) {
                return fail(c, TUMEN_SYNTAX, p, "more than one [head] in pattern%s", NULL);
            }
            tumen_status st = make_phrase(c, p + 1, close, &v.head);
            if (st != TUMEN_OK) {
                return st;
            }
            have_head = true;
            spec = (uint16_t)(spec + v.head.n);
            p = close + 1;
            if (p < b && !blank(*p)) {
                return fail(c, TUMEN_SYNTAX, p, "expected a blank after ']'%s", NULL);
            }
            continue;
        }
        while (p < b && !blank(*p)) {
            p++;
        }
        size_t n = (size_t)(p - start);
        const char *w = start;
        if (n == 3 && memcmp(w, "...", 3) == 0) {
            if (far) {
                return fail(c, TUMEN_SYNTAX, w, "'...' twice in a row%s", NULL);
            }
            far = true;
            continue;
        }
        if (n == 1 && (*w == '$' || *w == '+' || *w == '%' || *w == '^')) {
            if ((*w == '$' && have_src) || (*w == '+' && have_tgt)) {
                return fail(c, TUMEN_SYNTAX, w, "slot '%s' appears twice", *w == '$' ? "$" : "+");
            }
            e.kind = *w == '$' ? VE_SOURCE : *w == '+' ? VE_TARGET : *w == '%' ? VE_ACTOR : VE_SKIP;
            have_src |= *w == '$';
            have_tgt |= *w == '+';
        } else {
            if (*w == '=') {
                e.flags = 0;
                w++;
                n--;
                if (n == 0) {
                    return fail(c, TUMEN_SYNTAX, start, "'=' must precede a word%s", NULL);
                }
            }
            if (*w == '@' && memchr(w, '|', n) == NULL) {
                uint32_t name = dict_word(c->d, w, n);
                uint32_t set = name == TUMEN_NOID ? TUMEN_NOID : dict_find_set(c->d, name);
                if (set == TUMEN_NOID) {
                    char nm[128];
                    snprintf(nm, sizeof nm, "%.*s", (int)(n < 100 ? n : 100), w);
                    return fail(c, TUMEN_SYNTAX, w, "undefined word set '%s'", nm);
                }
                e.kind = VE_SET;
                e.value = set;
            } else if (memchr(w, '|', n) != NULL) {
                struct wordset ws = {TUMEN_NOID, NULL, 0};
                const char *q = w, *qe = w + n;
                while (q <= qe) {
                    const char *bar = memchr(q, '|', (size_t)(qe - q));
                    const char *stop = bar ? bar : qe;
                    if (stop == q) {
                        return fail(c, TUMEN_SYNTAX, q, "empty alternative in '|' list%s", NULL);
                    }
                    tumen_status st = TUMEN_OK;
                    if (*q == '@') {
                        /* a named set inside an alternative list: a|@set|b */
                        uint32_t nm = dict_word(c->d, q, (size_t)(stop - q));
                        uint32_t si = nm == TUMEN_NOID ? TUMEN_NOID : dict_find_set(c->d, nm);
                        if (si == TUMEN_NOID) {
                            char name[128];
                            snprintf(name, sizeof name, "%.*s", (int)(stop - q < 100 ? stop - q : 100), q);
                            return fail(c, TUMEN_SYNTAX, q, "undefined word set '%s'", name);
                        }
                        const struct wordset *src = &c->d->sets[si];
                        struct phrase *alts = dict_alloc(c->d, (ws.nalts + src->nalts) * sizeof *alts);
                        if (alts == NULL) {
                            return fail(c, TUMEN_NOMEM, q, "out of memory%s", NULL);
                        }
                        if (ws.nalts) {
                            memcpy(alts, ws.alts, ws.nalts * sizeof *alts);
                        }
                        memcpy(alts + ws.nalts, src->alts, src->nalts * sizeof *alts);
                        ws.alts = alts;
                        ws.nalts += src->nalts;
                    } else {
                        st = on_set_member(c, q, stop, &ws);
                    }
                    if (st != TUMEN_OK) {
                        return st;
                    }
                    if (bar == NULL) {
                        break;
                    }
                    q = bar + 1;
                }
                uint32_t idx;
                if (dict_add_set(c->d, &ws, &idx) != TUMEN_OK) {
                    return fail(c, TUMEN_NOMEM, w, "out of memory%s", NULL);
                }
                e.kind = VE_SET;
                e.value = idx;
            } else {
                uint32_t id = dict_word(c->d, w, n);
                if (id == TUMEN_NOID) {
                    return fail(c, TUMEN_NOMEM, w, "out of memory%s", NULL);
                }
                e.kind = VE_WORD;
                e.value = id;
            }
            spec++;
        }
        if (far) {
            e.flags = (uint8_t)(e.flags | PW_FAR | PW_GAP);
            far = false;
        }
        tumen_status st = have_head ? add_velem(c, post, &npost, e, start)
                                    : add_velem(c, pre, &npre, e, start);
        if (st != TUMEN_OK) {
            return st;
        }
    }
    if (!have_head) {
        return fail(c, TUMEN_SYNTAX, a, "pattern has no [head]%s", NULL);
    }
    if (far) {
        return fail(c, TUMEN_SYNTAX, b - 1, "'...' must precede an element%s", NULL);
    }
    if (npre) {
        v.pre = dict_alloc(c->d, npre * sizeof *v.pre);
        if (v.pre == NULL) {
            return fail(c, TUMEN_NOMEM, a, "out of memory%s", NULL);
        }
        memcpy(v.pre, pre, npre * sizeof *pre);
    }
    if (npost) {
        v.post = dict_alloc(c->d, npost * sizeof *v.post);
        if (v.post == NULL) {
            return fail(c, TUMEN_NOMEM, a, "out of memory%s", NULL);
        }
        memcpy(v.post, post, npost * sizeof *post);
    }
    v.npre = (uint16_t)npre;
    v.npost = (uint16_t)npost;
    v.specificity = spec;
    tumen_status st = dict_add_verb(c->d, &v);
    return st == TUMEN_OK ? st : fail(c, st, a, "out of memory%s", NULL);
}

/* ---- entries ---- */

/* Parses the part before ':' of an entry: CODE [dates] [flags]. */
static tumen_status parse_entry(struct ctx *c, const char *p, const char *end) {
    if (c->kind == K_DISCARDS) {
        return each_phrase(c, p, end, on_discard, NULL);
    }
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (colon == NULL) {
        return fail(c, TUMEN_SYNTAX, p, "expected ':' after the code%s", NULL);
    }
    /* head words */
    const char *words[4];
    size_t lens[4];
    size_t nw = 0;
    const char *q = p;
    while (q < colon) {
        q = skip_blank(q, colon);
        if (q >= colon) {
            break;
        }
        const char *s = q;
        while (q < colon && !blank(*q)) {
            q++;
        }
        if (nw >= 4) {
            return fail(c, TUMEN_SYNTAX, s, "too many words before ':'%s", NULL);
        }
        words[nw] = s;
        lens[nw] = (size_t)(q - s);
        nw++;
    }
    if (nw == 0) {
        return fail(c, TUMEN_SYNTAX, p, "missing code before ':'%s", NULL);
    }
    char code[DICT_CODE_MAX];
    if (lens[0] >= sizeof code) {
        return fail(c, TUMEN_SYNTAX, words[0], "code too long%s", NULL);
    }
    memcpy(code, words[0], lens[0]);
    code[lens[0]] = '\0';
    const char *body = colon + 1;
    switch (c->kind) {
    case K_ACTORS: {
        struct coded k;
        memset(&k, 0, sizeof k);
        if (!valid_actor_code(words[0], lens[0])) {
            return fail(c, TUMEN_SYNTAX, words[0],
                        "invalid actor code '%s' (3+ upper-case letters or digits)", code);
        }
        memcpy(k.code, code, sizeof k.code);
        if (nw >= 2) {
            if (nw > 2 || !parse_dates(words[1], lens[1], &k.from, &k.to)) {
                return fail(c, TUMEN_DATE, words[1],
                            "invalid date range (FROM..TO with YYYY[-MM[-DD]])%s", NULL);
            }
            if (k.from && k.to && k.from > k.to) {
                return fail(c, TUMEN_DATE, words[1], "date range ends before it starts%s", NULL);
            }
            k.dated = true;
        }
        return each_phrase(c, body, end, on_actor, &k);
    }
    case K_AGENTS:
    case K_ISSUES: {
        struct coded k;
        memset(&k, 0, sizeof k);
        if (nw != 1 || !valid_actor_code(words[0], lens[0])) {
            return fail(c, TUMEN_SYNTAX, words[0],
                        "invalid code '%s' (3+ upper-case letters or digits)", code);
        }
        memcpy(k.code, code, sizeof k.code);
        return each_phrase(c, body, end, c->kind == K_AGENTS ? on_agent : on_issue, &k);
    }
    case K_SETS: {
        if (nw != 1 || words[0][0] != '@' || lens[0] < 2) {
            return fail(c, TUMEN_SYNTAX, words[0], "a set is named '@name'%s", NULL);
        }
        struct wordset ws = {dict_word(c->d, words[0], lens[0]), NULL, 0};
        tumen_status st = each_phrase(c, body, end, on_set_member, &ws);
        if (st != TUMEN_OK) {
            return st;
        }
        if (ws.nalts == 0) {
            return fail(c, TUMEN_SYNTAX, words[0], "empty word set%s", NULL);
        }
        return dict_add_set(c->d, &ws, NULL) == TUMEN_OK
                   ? TUMEN_OK
                   : fail(c, TUMEN_NOMEM, words[0], "out of memory%s", NULL);
    }
    case K_ALIGN: {
        struct alignment al;
        memset(&al, 0, sizeof al);
        if (nw < 2 || nw > 3 || lens[0] != 3 || lens[1] != 3 ||
            !valid_actor_code(words[0], 3) || !valid_actor_code(words[1], 3)) {
            return fail(c, TUMEN_SYNTAX, words[0],
                        "an alignment is 'AAA BBB [DATES] : ALLY ALLY ...'%s", NULL);
        }
        memcpy(al.a, words[0], 3);
        memcpy(al.b, words[1], 3);
        if (nw == 3 && !parse_dates(words[2], lens[2], &al.from, &al.to)) {
            return fail(c, TUMEN_DATE, words[2],
                        "invalid date range (FROM..TO with YYYY[-MM[-DD]])%s", NULL);
        }
        const char *ap = body;
        while (ap < end) {
            ap = skip_blank(ap, end);
            if (ap >= end) {
                break;
            }
            const char *w0 = ap;
            while (ap < end && !blank(*ap)) {
                ap++;
            }
            if (ap - w0 != 3 || !valid_actor_code(w0, 3)) {
                return fail(c, TUMEN_SYNTAX, w0, "an ally is a 3-letter country code%s", NULL);
            }
            if (al.nallies >= 16) {
                return fail(c, TUMEN_LIMIT, w0, "more than 16 allies%s", NULL);
            }
            memcpy(al.allies[al.nallies++], w0, 3);
        }
        al.src.file = c->file;
        al.src.line = (uint32_t)c->line;
        return dict_add_alignment(c->d, &al) == TUMEN_OK
                   ? TUMEN_OK
                   : fail(c, TUMEN_NOMEM, words[0], "out of memory%s", NULL);
    }
    case K_VERBS: {
        struct vparse vp;
        memset(&vp, 0, sizeof vp);
        if (lens[0] >= sizeof vp.code) {
            return fail(c, TUMEN_CODE, words[0], "unknown CAMEO code '%s'", code);
        }
        if (strcmp(code, "---") == 0) {
            vp.flags |= VP_NULL;
        } else if (cameo_find(code) == NULL) {
            return fail(c, TUMEN_CODE, words[0], "unknown CAMEO code '%s'", code);
        }
        memcpy(vp.code, code, lens[0] + 1);
        for (size_t i = 1; i < nw; i++) {
            if (lens[i] == 3 && memcmp(words[i], "sym", 3) == 0) {
                vp.flags |= VP_SYMMETRIC;
            } else if (lens[i] == 4 && memcmp(words[i], "noun", 4) == 0) {
                vp.flags |= VP_NOUN;
            } else {
                return fail(c, TUMEN_SYNTAX, words[i], "unknown flag (sym, noun)%s", NULL);
            }
        }
        return each_phrase(c, body, end, on_pattern, &vp);
    }
    default:
        return TUMEN_INTERNAL;
    }
}

tumen_status dict_load_tumen(struct tumen_dict *d, const char *path, tumen_error *err) {
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.path = path;
    c.err = err;
    if (ends_with(path, ".actors")) {
        c.kind = K_ACTORS;
    } else if (ends_with(path, ".agents")) {
        c.kind = K_AGENTS;
    } else if (ends_with(path, ".verbs")) {
        c.kind = K_VERBS;
    } else if (ends_with(path, ".sets")) {
        c.kind = K_SETS;
    } else if (ends_with(path, ".discards")) {
        c.kind = K_DISCARDS;
    } else if (ends_with(path, ".alignments")) {
        c.kind = K_ALIGN;
    } else if (ends_with(path, ".issues")) {
        c.kind = K_ISSUES;
    } else {
        return err_set(err, TUMEN_INVALID, path, 0, 0,
                       "unknown file kind (.actors .agents .verbs .sets .discards .issues "
                       ".alignments)");
    }
    char *text = NULL;
    size_t len = 0;
    tumen_status st = dict_read_file(path, &text, &len, err);
    if (st != TUMEN_OK) {
        return st;
    }
    c.text = text;
    c.file = dict_file(d, path);
    /* blank out comments in place so entries are plain text */
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '#') {
            while (i < len && text[i] != '\n') {
                text[i++] = ' ';
            }
        }
    }
    size_t i = 0;
    uint64_t line = 1;
    while (i < len && st == TUMEN_OK) {
        /* an entry: a line not starting with a blank, plus continuation lines */
        size_t eol = i;
        while (eol < len && text[eol] != '\n') {
            eol++;
        }
        const char *ls = text + i;
        const char *le = text + eol;
        const char *content = skip_blank(ls, le);
        if (content >= le) {
            i = eol + 1;
            line++;
            continue;
        }
        if (content != ls) {
            st = fail(&c, TUMEN_SYNTAX, content,
                      "continuation line without an entry before it%s", NULL);
            break;
        }
        uint64_t entry_line = line;
        size_t end = eol;
        while (end < len) {
            size_t nx = end + 1;
            size_t nl = nx;
            while (nl < len && text[nl] != '\n') {
                nl++;
            }
            if (nx < len && (text[nx] == ' ' || text[nx] == '\t')) {
                end = nl;
                line++;
                continue;
            }
            break;
        }
        c.line = entry_line;
        st = parse_entry(&c, text + i, text + end);
        i = end + 1;
        line++;
    }
    free(text);
    return st;
}
