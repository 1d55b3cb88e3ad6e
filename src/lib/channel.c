/* Analyst channels: loading data/channels.tsv and classifying events (grammar in that file's
 * header and in docs/store.md). */
#include "channel.h"

#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum actor_side { SIDE_EITHER = 0, SIDE_SOURCE, SIDE_TARGET };

struct word_pat {
    char *s; /* lower case */
    size_t n;
    int prefix; /* "touris*": any word starting with s */
};

struct actor_pat {
    enum actor_side side;
    char *s;
    int contains; /* "*MIL": s anywhere after the first 3 letters */
};

struct channel_rule {
    int channel;
    uint32_t line;
    char **codes; /* prefixes; "stat" = statistic records */
    size_t ncodes;
    struct word_pat *words;
    size_t nwords;
    struct actor_pat *actors;
    size_t nactors;
};

static char *xstrndup(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void rule_fini(struct channel_rule *r) {
    for (size_t i = 0; i < r->ncodes; i++) {
        free(r->codes[i]);
    }
    free(r->codes);
    for (size_t i = 0; i < r->nwords; i++) {
        free(r->words[i].s);
    }
    free(r->words);
    for (size_t i = 0; i < r->nactors; i++) {
        free(r->actors[i].s);
    }
    free(r->actors);
}

void channel_table_free(struct channel_table *t) {
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->nchannels; i++) {
        free(t->ids[i]);
        free(t->labels[i]);
    }
    free(t->ids);
    free(t->labels);
    for (size_t i = 0; i < t->nrules; i++) {
        rule_fini(&t->rules[i]);
    }
    free(t->rules);
    free(t);
}

int channel_index(const struct channel_table *t, const char *id) {
    for (size_t i = 0; t && i < t->nchannels; i++) {
        if (strcmp(t->ids[i], id) == 0) {
            return (int)i;
        }
    }
    return -1;
}

const char *channel_label(const struct channel_table *t, const char *id) {
    int i = channel_index(t, id);
    return i < 0 ? id : t->labels[i];
}

/* ---- parsing ---- */

struct field {
    const char *p;
    size_t n;
    size_t col; /* 1-based */
};

struct parser {
    struct channel_table *t;
    const char *name;
    uint32_t line;
    tumen_error *err;
};

static tumen_status add_channel(struct channel_table *t, const char *id, size_t idn,
                                const char *label, size_t labeln) {
    size_t cap = t->nchannels;
    if (!grow((void **)&t->ids, &cap, t->nchannels + 1, sizeof *t->ids)) {
        return TUMEN_NOMEM;
    }
    cap = t->nchannels;
    if (!grow((void **)&t->labels, &cap, t->nchannels + 1, sizeof *t->labels)) {
        return TUMEN_NOMEM;
    }
    char *a = xstrndup(id, idn);
    char *b = xstrndup(label, labeln);
    if (a == NULL || b == NULL) {
        free(a);
        free(b);
        return TUMEN_NOMEM;
    }
    t->ids[t->nchannels] = a;
    t->labels[t->nchannels] = b;
    t->nchannels++;
    return TUMEN_OK;
}

static int find_channel_n(const struct channel_table *t, const char *s, size_t n) {
    for (size_t i = 0; i < t->nchannels; i++) {
        if (strlen(t->ids[i]) == n && memcmp(t->ids[i], s, n) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static bool valid_id(const char *s, size_t n) {
    if (n == 0 || n > 40) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(islower(c) || isdigit(c) || c == '-' || c == '_')) {
            return false;
        }
    }
    return true;
}

/* Splits f into comma-separated items (trimmed) and calls fn for each. */
typedef tumen_status (*item_fn)(struct parser *ps, struct channel_rule *r, const char *s,
                                size_t n, size_t col);

static tumen_status each_item(struct parser *ps, struct channel_rule *r, struct field f,
                              item_fn fn) {
    if (f.n == 1 && f.p[0] == '*') {
        return TUMEN_OK;
    }
    size_t i = 0;
    while (i <= f.n) {
        size_t j = i;
        while (j < f.n && f.p[j] != ',') {
            j++;
        }
        size_t a = i, b = j;
        while (a < b && f.p[a] == ' ') {
            a++;
        }
        while (b > a && f.p[b - 1] == ' ') {
            b--;
        }
        if (b == a) {
            return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line, f.col + i,
                           "empty item in list");
        }
        tumen_status st = fn(ps, r, f.p + a, b - a, f.col + a);
        if (st != TUMEN_OK) {
            return st;
        }
        i = j + 1;
    }
    return TUMEN_OK;
}

static tumen_status code_item(struct parser *ps, struct channel_rule *r, const char *s, size_t n,
                              size_t col) {
    bool ok = (n == 4 && memcmp(s, "stat", 4) == 0);
    if (!ok) {
        ok = n >= 1 && n <= 4;
        for (size_t i = 0; i < n && ok; i++) {
            ok = isdigit((unsigned char)s[i]) != 0;
        }
    }
    if (!ok) {
        return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line, col,
                       "bad CAMEO code prefix '%.*s' (digits, or 'stat')", (int)n, s);
    }
    size_t cap = r->ncodes;
    if (!grow((void **)&r->codes, &cap, r->ncodes + 1, sizeof *r->codes)) {
        return TUMEN_NOMEM;
    }
    r->codes[r->ncodes] = xstrndup(s, n);
    if (r->codes[r->ncodes] == NULL) {
        return TUMEN_NOMEM;
    }
    r->ncodes++;
    return TUMEN_OK;
}

static tumen_status word_item(struct parser *ps, struct channel_rule *r, const char *s, size_t n,
                              size_t col) {
    int prefix = 0;
    if (s[n - 1] == '*') {
        prefix = 1;
        n--;
    }
    if (n == 0) {
        return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line, col, "empty word");
    }
    size_t cap = r->nwords;
    if (!grow((void **)&r->words, &cap, r->nwords + 1, sizeof *r->words)) {
        return TUMEN_NOMEM;
    }
    char *w = xstrndup(s, n);
    if (w == NULL) {
        return TUMEN_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        w[i] = (char)tolower((unsigned char)w[i]);
    }
    r->words[r->nwords].s = w;
    r->words[r->nwords].n = n;
    r->words[r->nwords].prefix = prefix;
    r->nwords++;
    return TUMEN_OK;
}

static tumen_status actor_item(struct parser *ps, struct channel_rule *r, const char *s,
                               size_t n, size_t col) {
    enum actor_side side = SIDE_EITHER;
    static const struct {
        const char *k;
        enum actor_side side;
    } sides[] = {{"source=", SIDE_SOURCE}, {"target=", SIDE_TARGET}, {"either=", SIDE_EITHER}};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        size_t kn = strlen(sides[i].k);
        if (n > kn && memcmp(s, sides[i].k, kn) == 0) {
            side = sides[i].side;
            s += kn;
            n -= kn;
            col += kn;
            break;
        }
    }
    int contains = 0;
    if (n > 1 && s[0] == '*') {
        contains = 1;
        s++;
        n--;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i])) {
            return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line, col + i,
                           "actor pattern must be upper-case CAMEO letters: '%.*s'", (int)n,
                           s);
        }
    }
    size_t cap = r->nactors;
    if (!grow((void **)&r->actors, &cap, r->nactors + 1, sizeof *r->actors)) {
        return TUMEN_NOMEM;
    }
    r->actors[r->nactors].s = xstrndup(s, n);
    if (r->actors[r->nactors].s == NULL) {
        return TUMEN_NOMEM;
    }
    r->actors[r->nactors].side = side;
    r->actors[r->nactors].contains = contains;
    r->nactors++;
    return TUMEN_OK;
}

static size_t split_fields(const char *line, size_t n, struct field *f, size_t max) {
    size_t nf = 0, i = 0;
    while (i < n && nf < max) {
        while (i < n && line[i] == '\t') {
            i++;
        }
        if (i >= n) {
            break;
        }
        size_t j = i;
        while (j < n && line[j] != '\t') {
            j++;
        }
        size_t b = j;
        while (b > i && (line[b - 1] == ' ' || line[b - 1] == '\r')) {
            b--;
        }
        f[nf].p = line + i;
        f[nf].n = b - i;
        f[nf].col = i + 1;
        nf++;
        i = j;
    }
    return nf;
}

static tumen_status parse_line(struct parser *ps, const char *line, size_t n) {
    struct channel_table *t = ps->t;
    struct field f[7];
    size_t nf = split_fields(line, n, f, 7);
    if (nf == 0 || f[0].p[0] == '#') {
        return TUMEN_OK;
    }
    if (f[0].n == 7 && memcmp(f[0].p, "channel", 7) == 0) {
        if (nf < 2 || nf > 3 || !valid_id(f[1].p, f[1].n)) {
            return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line,
                           nf >= 2 ? f[1].col : f[0].col,
                           "expected 'channel<TAB>id<TAB>label' with an id of a-z 0-9 - _");
        }
        if (find_channel_n(t, f[1].p, f[1].n) >= 0) {
            return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line, f[1].col,
                           "channel '%.*s' declared twice", (int)f[1].n, f[1].p);
        }
        return add_channel(t, f[1].p, f[1].n, nf == 3 ? f[2].p : f[1].p,
                           nf == 3 ? f[2].n : f[1].n);
    }
    if (!(f[0].n == 4 && memcmp(f[0].p, "rule", 4) == 0)) {
        return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line, f[0].col,
                       "unknown line kind '%.*s' (expected 'channel' or 'rule')", (int)f[0].n,
                       f[0].p);
    }
    if (nf != 5) {
        return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line, f[0].col,
                       "a rule has 5 fields: rule, channel, codes, words, actors (got %zu)",
                       nf);
    }
    int ch = find_channel_n(t, f[1].p, f[1].n);
    if (ch < 0) {
        return err_set(ps->err, TUMEN_SYNTAX, ps->name, ps->line, f[1].col,
                       "rule for undeclared channel '%.*s'", (int)f[1].n, f[1].p);
    }
    size_t cap = t->nrules;
    if (!grow((void **)&t->rules, &cap, t->nrules + 1, sizeof *t->rules)) {
        return TUMEN_NOMEM;
    }
    struct channel_rule *r = &t->rules[t->nrules];
    memset(r, 0, sizeof *r);
    r->channel = ch;
    r->line = ps->line;
    t->nrules++;
    tumen_status st = each_item(ps, r, f[2], code_item);
    if (st == TUMEN_OK) {
        st = each_item(ps, r, f[3], word_item);
    }
    if (st == TUMEN_OK) {
        st = each_item(ps, r, f[4], actor_item);
    }
    return st;
}

tumen_status channel_table_parse(const char *text, size_t len, const char *name,
                                 struct channel_table **out, tumen_error *err) {
    *out = NULL;
    struct channel_table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return err_set(err, TUMEN_NOMEM, name, 0, 0, "out of memory");
    }
    struct parser ps = {t, name, 0, err};
    size_t i = 0;
    tumen_status st = TUMEN_OK;
    while (i < len && st == TUMEN_OK) {
        size_t j = i;
        while (j < len && text[j] != '\n') {
            j++;
        }
        ps.line++;
        st = parse_line(&ps, text + i, j - i);
        i = j + 1;
    }
    if (st == TUMEN_OK && channel_index(t, "other") < 0) {
        st = add_channel(t, "other", 5, "Other", 5);
    }
    if (st != TUMEN_OK) {
        if (st == TUMEN_NOMEM) {
            err_set(err, st, name, ps.line, 0, "out of memory");
        }
        channel_table_free(t);
        return st;
    }
    *out = t;
    return TUMEN_OK;
}

tumen_status channel_table_load(const char *path, struct channel_table **out, tumen_error *err) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return err_set(err, TUMEN_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    struct buf b;
    buf_init(&b, 16u << 20);
    char chunk[8192];
    size_t n;
    tumen_status st = TUMEN_OK;
    while (st == TUMEN_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        st = buf_add(&b, chunk, n);
    }
    if (st == TUMEN_OK && ferror(f)) {
        st = TUMEN_IO;
    }
    fclose(f);
    if (st != TUMEN_OK) {
        buf_fini(&b);
        return err_set(err, st, path, 0, 0, "cannot read: %s", tumen_strerror(st));
    }
    st = channel_table_parse(b.data ? b.data : "", b.len, path, out, err);
    buf_fini(&b);
    return st;
}

/* ---- classification ---- */

static bool is_wordc(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

/* ASCII lower case without the locale (tolower() costs a call per byte). */
static unsigned char lower(unsigned char c) {
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Word starts of a text, bucketed by their lower-cased first byte, so a word pattern is
 * compared only where a word with its first letter begins. */
struct word_index {
    const char *s;
    size_t n;
    uint16_t head[27];   /* first start in each bucket, UINT16_MAX = none */
    uint16_t next[1024]; /* next start in the same bucket */
    bool full;           /* text too long to index: fall back to scanning */
};

static int bucket_of(unsigned char c) {
    c = lower(c);
    return (c >= 'a' && c <= 'z') ? c - 'a' : 26;
}

static void index_words(struct word_index *x, const char *s, size_t n) {
    x->s = s;
    x->n = n;
    x->full = n >= sizeof x->next / sizeof x->next[0];
    for (int b = 0; b < 27; b++) {
        x->head[b] = UINT16_MAX;
    }
    if (x->full) {
        return;
    }
    for (size_t i = n; i-- > 0;) {
        if (is_wordc((unsigned char)s[i]) && (i == 0 || !is_wordc((unsigned char)s[i - 1]))) {
            int b = bucket_of((unsigned char)s[i]);
            x->next[i] = x->head[b];
            x->head[b] = (uint16_t)i;
        }
    }
}

static bool word_at(const struct word_pat *w, const char *s, size_t n, size_t i) {
    if (i + w->n > n) {
        return false;
    }
    for (size_t k = 0; k < w->n; k++) {
        if (lower((unsigned char)s[i + k]) != (unsigned char)w->s[k]) {
            return false;
        }
    }
    return w->prefix || i + w->n == n || !is_wordc((unsigned char)s[i + w->n]);
}

static bool word_in(const struct word_pat *w, const char *s, size_t n) {
    if (w->n > n || w->n == 0) {
        return false;
    }
    for (size_t i = 0; i + w->n <= n; i++) {
        if ((i == 0 || !is_wordc((unsigned char)s[i - 1])) && word_at(w, s, n, i)) {
            return true;
        }
    }
    return false;
}

static bool word_in_index(const struct word_pat *w, const struct word_index *x) {
    if (x->full || w->n == 0 || !is_wordc((unsigned char)w->s[0])) {
        return word_in(w, x->s, x->n);
    }
    for (uint16_t i = x->head[bucket_of((unsigned char)w->s[0])]; i != UINT16_MAX; i = x->next[i]) {
        if (word_at(w, x->s, x->n, i)) {
            return true;
        }
    }
    return false;
}

static bool actor_matches(const struct actor_pat *a, const char *code) {
    if (a->contains) {
        return strlen(code) > 3 && strstr(code + 3, a->s) != NULL;
    }
    return strncmp(code, a->s, strlen(a->s)) == 0;
}

static bool rule_matches(const struct channel_rule *r, const tumen_event *ev,
                         const struct word_index *x) {
    if (r->ncodes) {
        bool ok = false;
        for (size_t i = 0; i < r->ncodes && !ok; i++) {
            if (strcmp(r->codes[i], "stat") == 0) {
                ok = ev->kind == TUMEN_KIND_STATISTIC;
            } else {
                ok = ev->kind == TUMEN_KIND_EVENT &&
                     strncmp(ev->code, r->codes[i], strlen(r->codes[i])) == 0;
            }
        }
        if (!ok) {
            return false;
        }
    }
    if (r->nactors) {
        bool ok = false;
        for (size_t i = 0; i < r->nactors && !ok; i++) {
            const struct actor_pat *a = &r->actors[i];
            ok = (a->side != SIDE_TARGET && actor_matches(a, ev->source)) ||
                 (a->side != SIDE_SOURCE && actor_matches(a, ev->target));
        }
        if (!ok) {
            return false;
        }
    }
    if (r->nwords) {
        bool ok = false;
        const char *unit = ev->quantity.present ? ev->quantity.unit : "";
        for (size_t i = 0; i < r->nwords && !ok; i++) {
            ok = word_in_index(&r->words[i], x) || word_in(&r->words[i], unit, strlen(unit));
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

const char *channel_classify_n(const struct channel_table *t, const tumen_event *ev,
                               const char *text, size_t len) {
    if (text == NULL) {
        text = "";
        len = 0;
    }
    struct word_index x;
    index_words(&x, text, len);
    for (size_t i = 0; i < t->nrules; i++) {
        if (rule_matches(&t->rules[i], ev, &x)) {
            return t->ids[t->rules[i].channel];
        }
    }
    int o = channel_index(t, "other");
    return o >= 0 ? t->ids[o] : "other";
}

const char *channel_classify(const struct channel_table *t, const tumen_event *ev,
                             const char *sentence_text) {
    if (sentence_text != NULL) {
        return channel_classify_n(t, ev, sentence_text, strlen(sentence_text));
    }
    if (ev->doc_text != NULL && ev->sent.length > 0) {
        return channel_classify_n(t, ev, ev->doc_text + ev->sent.offset, ev->sent.length);
    }
    return channel_classify_n(t, ev, "", 0);
}
