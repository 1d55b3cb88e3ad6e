/* Dictionary store: builder API for the loaders, indexes, and the public dict functions. */
#include "dict.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

tumen_status tumen_dict_new(tumen_dict **out) {
    tumen_dict *d = calloc(1, sizeof *d);
    if (d == NULL) {
        return TUMEN_NOMEM;
    }
    arena_init(&d->arena);
    intern_init(&d->words);
    intern_init(&d->files_tab);
    /* closed-class words always have ids, so tokens carry their class */
    for (size_t i = 0; text_class_word(i) != NULL; i++) {
        const char *w = text_class_word(i);
        if (intern_add(&d->words, w, strlen(w)) == TUMEN_NOID) {
            tumen_dict_free(d);
            return TUMEN_NOMEM;
        }
    }
    *out = d;
    return TUMEN_OK;
}

static void windex_free(struct windex *x) {
    free(x->start);
    free(x->idx);
    memset(x, 0, sizeof *x);
}

void tumen_dict_free(tumen_dict *d) {
    if (d == NULL) {
        return;
    }
    free(d->actors);
    free(d->agents);
    free(d->verbs);
    free(d->sets);
    free(d->named_sets);
    free(d->discards);
    free(d->issues);
    free(d->forms);
    free(d->aligns);
    free(d->lemma_of);
    free(d->lemma_of2);
    free(d->wclass);
    windex_free(&d->actor_ix);
    windex_free(&d->agent_ix);
    windex_free(&d->verb_ix);
    windex_free(&d->discard_ix);
    windex_free(&d->issue_ix);
    intern_fini(&d->words);
    intern_fini(&d->files_tab);
    arena_fini(&d->arena);
    free(d);
}

void tumen_dict_stats(const tumen_dict *d, size_t *actors, size_t *agents, size_t *verbs,
                      size_t *discards) {
    if (actors) {
        *actors = d->nactors;
    }
    if (agents) {
        *agents = d->nagents;
    }
    if (verbs) {
        *verbs = d->nverbs;
    }
    if (discards) {
        *discards = d->ndiscards;
    }
}

void *dict_alloc(struct tumen_dict *d, size_t n) {
    return arena_alloc(&d->arena, n);
}

uint32_t dict_file(struct tumen_dict *d, const char *path) {
    if (d->label != NULL) {
        path = d->label;
    }
    uint32_t id = intern_add(&d->files_tab, path, strlen(path));
    d->files = d->files_tab.strs;
    return id;
}

uint32_t dict_word(struct tumen_dict *d, const char *s, size_t n) {
    struct buf b;
    buf_init(&b, 0);
    if (text_normalize(s, n, &b) != TUMEN_OK) {
        buf_fini(&b);
        return TUMEN_NOID;
    }
    uint32_t id = intern_add(&d->words, b.data ? b.data : "", b.len);
    buf_fini(&b);
    return id;
}

tumen_status dict_phrase(struct tumen_dict *d, const char *s, size_t n, bool tabari,
                         struct phrase *out) {
    uint32_t w[256];
    uint8_t f[256];
    size_t nw = 0;
    size_t i = 0;
    bool gap = false;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
                         (s[i] == '_' && !tabari))) {
            if (tabari && nw > 0) {
                gap = true;
            }
            i++;
        }
        if (i >= n) {
            break;
        }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' &&
               s[j] != '_') {
            j++;
        }
        bool stem = false;
        bool acronym = false;
        if (tabari) {
            stem = !(j < n && s[j] == '_');
        } else if (j - i >= 2 && j - i <= 5) {
            acronym = true;
            for (size_t x = i; x < j; x++) {
                if (!(s[x] >= 'A' && s[x] <= 'Z')) {
                    acronym = false;
                }
            }
        }
        if (nw >= 256) {
            return TUMEN_LIMIT;
        }
        uint32_t id = dict_word(d, s + i, j - i);
        if (id == TUMEN_NOID) {
            return TUMEN_NOMEM;
        }
        w[nw] = id;
        f[nw] = (uint8_t)((stem ? PW_PREFIX : 0) | (gap ? PW_GAP : 0) | (acronym ? PW_CASE : 0));
        if (stem) {
            d->has_prefix_words = true;
        }
        nw++;
        gap = false;
        i = j;
        if (tabari && i < n && s[i] == '_') {
            i++; /* consecutive */
        }
    }
    if (nw == 0) {
        return TUMEN_SYNTAX;
    }
    out->w = dict_alloc(d, nw * sizeof *out->w);
    out->f = dict_alloc(d, nw);
    if (out->w == NULL || out->f == NULL) {
        return TUMEN_NOMEM;
    }
    memcpy(out->w, w, nw * sizeof *w);
    memcpy(out->f, f, nw);
    out->n = (uint16_t)nw;
    return TUMEN_OK;
}

#define ADD_ENTRY(arr, count, cap, item)                                                     \
    do {                                                                                     \
        if (d->finished) {                                                                   \
            return TUMEN_INVALID;                                                            \
        }                                                                                    \
        if (!grow((void **)&d->arr, &d->cap, d->count + 1, sizeof *d->arr)) {                \
            return TUMEN_NOMEM;                                                              \
        }                                                                                    \
        d->arr[d->count++] = *(item);                                                        \
        return TUMEN_OK;                                                                     \
    } while (0)

tumen_status dict_add_actor(struct tumen_dict *d, const struct actor *a) {
    ADD_ENTRY(actors, nactors, cap_actors, a);
}
tumen_status dict_add_agent(struct tumen_dict *d, const struct agent *a) {
    ADD_ENTRY(agents, nagents, cap_agents, a);
}
tumen_status dict_add_verb(struct tumen_dict *d, const struct vpattern *v) {
    ADD_ENTRY(verbs, nverbs, cap_verbs, v);
}
tumen_status dict_add_discard(struct tumen_dict *d, const struct discard *x) {
    ADD_ENTRY(discards, ndiscards, cap_discards, x);
}
tumen_status dict_add_issue(struct tumen_dict *d, const struct issue *x) {
    ADD_ENTRY(issues, nissues, cap_issues, x);
}
tumen_status dict_add_alignment(struct tumen_dict *d, const struct alignment *a) {
    ADD_ENTRY(aligns, naligns, cap_aligns, a);
}

tumen_status dict_add_form(struct tumen_dict *d, uint32_t surface, uint32_t lemma) {
    struct form fm = {surface, lemma};
    ADD_ENTRY(forms, nforms, cap_forms, &fm);
}

tumen_status dict_add_set(struct tumen_dict *d, const struct wordset *s, uint32_t *idx) {
    if (d->finished) {
        return TUMEN_INVALID;
    }
    if (!grow((void **)&d->sets, &d->cap_sets, d->nsets + 1, sizeof *d->sets)) {
        return TUMEN_NOMEM;
    }
    if (s->name != TUMEN_NOID) {
        if (!grow((void **)&d->named_sets, &d->cap_named, d->nnamed + 1, sizeof *d->named_sets)) {
            return TUMEN_NOMEM;
        }
        d->named_sets[d->nnamed++] = (uint32_t)d->nsets;
    }
    d->sets[d->nsets] = *s;
    if (idx) {
        *idx = (uint32_t)d->nsets;
    }
    d->nsets++;
    return TUMEN_OK;
}

uint32_t dict_find_set(const struct tumen_dict *d, uint32_t name) {
    for (size_t i = d->nnamed; i-- > 0;) {
        uint32_t si = d->named_sets[i];
        if (si < d->nsets && d->sets[si].name == name) {
            return si; /* the latest definition wins */
        }
    }
    return TUMEN_NOID;
}

void dict_mark(const struct tumen_dict *d, struct dict_mark *m) {
    m->nactors = d->nactors;
    m->nagents = d->nagents;
    m->nverbs = d->nverbs;
    m->nsets = d->nsets;
    m->ndiscards = d->ndiscards;
    m->nissues = d->nissues;
    m->nforms = d->nforms;
    m->naligns = d->naligns;
}

void dict_rollback(struct tumen_dict *d, const struct dict_mark *m) {
    d->nactors = m->nactors;
    d->nagents = m->nagents;
    d->nverbs = m->nverbs;
    d->nsets = m->nsets;
    d->ndiscards = m->ndiscards;
    d->nissues = m->nissues;
    d->nforms = m->nforms;
    d->naligns = m->naligns;
}

const char *actor_code_at(const struct actor *a, int32_t date) {
    const char *best = NULL;
    int32_t best_from = -1;
    for (uint32_t i = 0; i < a->nroles; i++) {
        const struct actor_role *r = &a->roles[i];
        if (date == 0) {
            /* unknown date: the role that is still open, else the latest */
            if (r->to == 0 && r->from >= best_from) {
                best = r->code;
                best_from = r->from;
            }
            continue;
        }
        int32_t to = r->to;
        /* partial dates: "2011" as an end covers the whole year */
        if (to != 0 && to % 100 == 0) {
            to += (to % 10000 == 0) ? 1231 : 31;
        }
        if ((r->from == 0 || date >= r->from) && (to == 0 || date <= to)) {
            if (r->from >= best_from) {
                best = r->code;
                best_from = r->from;
            }
        }
    }
    if (best != NULL) {
        return best;
    }
    return a->code;
}

/* ---- file reading ---- */

tumen_status dict_read_raw(const char *path, char **out, size_t *len, tumen_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return err_set(err, TUMEN_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    char chunk[65536];
    size_t n;
    tumen_status st = TUMEN_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        st = buf_add(&b, chunk, n);
        if (st != TUMEN_OK) {
            break;
        }
    }
    int ioerr = ferror(f) ? errno : 0;
    fclose(f);
    if (st == TUMEN_OK && ioerr == 0 && b.data == NULL) {
        st = buf_add(&b, "", 0);
    }
    if (st != TUMEN_OK || ioerr != 0) {
        buf_fini(&b);
        return err_set(err, st != TUMEN_OK ? st : TUMEN_IO, path, 0, 0, "cannot read: %s",
                       st != TUMEN_OK ? tumen_strerror(st)
                                      : ioerr > 0 ? strerror(ioerr) : "read error");
    }
    *out = b.data;
    *len = b.len;
    return TUMEN_OK;
}

tumen_status dict_read_file(const char *path, char **out, size_t *len, tumen_error *err) {
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    tumen_status st = dict_read_raw(path, &b.data, &b.len, err);
    if (st != TUMEN_OK) {
        return st;
    }
    size_t bad = 0;
    if (tumen_utf8_check(b.data, b.len, &bad) != TUMEN_OK) {
        /* Old dictionaries are often Latin-1: accept bytes >= 0x80 only if valid UTF-8. */
        uint64_t line = 1, col = 1;
        for (size_t i = 0; i < bad; i++) {
            if (b.data[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        buf_fini(&b);
        if (err) {
            err->byte = bad;
        }
        return err_set(err, TUMEN_UTF8, path, line, col, "invalid UTF-8 or NUL byte (byte %zu)",
                       bad);
    }
    *out = b.data;
    *len = b.len;
    return TUMEN_OK;
}

/* ---- format detection ---- */

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static bool has_tag(const char *s, size_t n, const char *tag) {
    size_t tl = strlen(tag);
    for (size_t i = 0; i + tl <= n; i++) {
        if (memcmp(s + i, tag, tl) == 0) {
            return true;
        }
    }
    return false;
}

tumen_dict_format dict_detect(const char *path, const char *head, size_t n) {
    if (ends_with(path, ".sets") || ends_with(path, ".discards") || ends_with(path, ".issues") ||
        ends_with(path, ".alignments")) {
        return TUMEN_DICT_TUMEN; /* extensions only tumen uses */
    }
    if (ends_with(path, ".actors") || ends_with(path, ".agents") || ends_with(path, ".verbs")) {
        /* TABARI uses .actors/.verbs/.agents too: ours has "CODE :" lines or '@'. */
        for (size_t i = 0; i + 1 < n; i++) {
            if (head[i] == '\n' || i == 0) {
                size_t j = head[i] == '\n' ? i + 1 : i;
                if (j < n && (head[j] == '#' || head[j] == '\n')) {
                    continue;
                }
                /* first content line */
                size_t k = j;
                while (k < n && head[k] != '\n') {
                    k++;
                }
                bool colon = memchr(head + j, ':', k - j) != NULL;
                bool bracket = memchr(head + j, '[', k - j) != NULL;
                bool tdf_head = j < n && (head[j] == '@' || (colon && !bracket) ||
                                          (colon && head[j] >= '0' && head[j] <= '9'));
                if (ends_with(path, ".verbs") && has_tag(head, n, "<SYNSETS>")) {
                    return TUMEN_DICT_TABARI;
                }
                return tdf_head ? TUMEN_DICT_TUMEN : TUMEN_DICT_TABARI;
            }
        }
        return TUMEN_DICT_TUMEN;
    }
    if (ends_with(path, ".txt")) {
        return TUMEN_DICT_PETRARCH;
    }
    if (ends_with(path, ".options") || ends_with(path, ".project")) {
        return TUMEN_DICT_TABARI;
    }
    return TUMEN_DICT_AUTO;
}

static tumen_status load_file(tumen_dict *d, const char *path, const char *label,
                              tumen_dict_format fmt, tumen_error *err) {
    if (fmt == TUMEN_DICT_AUTO) {
        char head[4096];
        size_t n = 0;
        FILE *f = fopen(path, "rb");
        if (f == NULL) {
            return err_set(err, TUMEN_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        }
        n = fread(head, 1, sizeof head, f);
        fclose(f);
        fmt = dict_detect(path, head, n);
        if (fmt == TUMEN_DICT_AUTO) {
            return TUMEN_NOTFOUND; /* not a dictionary file: skipped in directories */
        }
    }
    struct dict_mark m;
    dict_mark(d, &m);
    tumen_status st;
    d->label = label;
    switch (fmt) {
    case TUMEN_DICT_TUMEN:
        st = dict_load_tumen(d, path, err);
        break;
    case TUMEN_DICT_TABARI:
        st = dict_load_tabari(d, path, err);
        break;
    case TUMEN_DICT_PETRARCH:
        st = dict_load_petrarch(d, path, err);
        break;
    default:
        st = err_set(err, TUMEN_INVALID, path, 0, 0, "unknown dictionary format");
        break;
    }
    d->label = NULL;
    if (st != TUMEN_OK) {
        dict_rollback(d, &m);
    }
    return st;
}

static const char *base_name(const char *p) {
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') {
        n--;
    }
    const char *b = p;
    for (size_t i = 0; i + 1 < n; i++) {
        if (p[i] == '/') {
            b = p + i + 1;
        }
    }
    return b;
}

static tumen_status load_path(tumen_dict *d, const char *path, const char *label,
                             tumen_dict_format fmt, tumen_error *err);

tumen_status tumen_dict_load(tumen_dict *d, const char *path, tumen_dict_format fmt,
                             tumen_error *err) {
    if (path == NULL) {
        return err_set(err, TUMEN_INVALID, "", 0, 0, "no dictionary");
    }
    /* entries are labelled relative to the directory given: data/verbs/07-aid.verbs */
    char label[1024];
    const char *b = base_name(path);
    size_t bl = strlen(b);
    while (bl > 1 && b[bl - 1] == '/') {
        bl--;
    }
    snprintf(label, sizeof label, "%.*s", (int)bl, b);
    return load_path(d, path, label, fmt, err);
}

static tumen_status load_path(tumen_dict *d, const char *path, const char *label,
                             tumen_dict_format fmt, tumen_error *err) {
    if (d == NULL || path == NULL) {
        return err_set(err, TUMEN_INVALID, path ? path : "", 0, 0, "no dictionary");
    }
    if (d->finished) {
        return err_set(err, TUMEN_INVALID, path, 0, 0, "dictionary already finished");
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        return err_set(err, TUMEN_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode)) {
        tumen_status st = load_file(d, path, label, fmt, err);
        if (st == TUMEN_NOTFOUND) {
            return err_set(err, TUMEN_INVALID, path, 0, 0,
                           "cannot tell the dictionary format from the file name");
        }
        return st;
    }
    char **names = NULL;
    size_t nn = 0;
    tumen_status st = dir_list(path, &names, &nn);
    if (st == TUMEN_IO) {
        return err_set(err, TUMEN_IO, path, 0, 0, "cannot open directory: %s", strerror(errno));
    }
    if (st == TUMEN_OK) {
        /* sets first (verbs use them), then everything else in name order */
        for (int pass = 0; pass < 2 && st == TUMEN_OK; pass++) {
            for (size_t i = 0; i < nn; i++) {
                bool is_set = ends_with(names[i], ".sets");
                if ((pass == 0) != is_set) {
                    continue;
                }
                struct stat fs;
                if (stat(names[i], &fs) != 0) {
                    continue;
                }
                char sub[1024];
                snprintf(sub, sizeof sub, "%s/%s", label, base_name(names[i]));
                if (S_ISDIR(fs.st_mode)) {
                    if (pass == 1) {
                        st = load_path(d, names[i], sub, fmt, err);
                    }
                } else {
                    st = load_file(d, names[i], sub, fmt, err);
                    if (st == TUMEN_NOTFOUND) {
                        st = TUMEN_OK; /* README, LICENSE, ... */
                    }
                }
                if (st != TUMEN_OK) {
                    break;
                }
            }
        }
    }
    dir_list_free(names, nn);
    if (st == TUMEN_NOMEM) {
        return err_set(err, st, path, 0, 0, "out of memory");
    }
    return st;
}

/* ---- indexes ---- */

struct keyed {
    uint32_t key, len, idx;
};

static int cmp_keyed(const void *a, const void *b) {
    const struct keyed *x = a, *y = b;
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    if (x->len != y->len) {
        return x->len > y->len ? -1 : 1; /* longest first */
    }
    return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

static tumen_status build_index(struct windex *x, size_t nwords, struct keyed *k, size_t n) {
    qsort(k, n, sizeof *k, cmp_keyed);
    x->nwords = nwords;
    x->start = calloc(nwords + 1, sizeof *x->start);
    x->idx = malloc((n ? n : 1) * sizeof *x->idx);
    if (x->start == NULL || x->idx == NULL) {
        return TUMEN_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        x->start[k[i].key + 1]++;
        x->idx[i] = k[i].idx;
    }
    for (size_t w = 0; w < nwords; w++) {
        x->start[w + 1] += x->start[w];
    }
    return TUMEN_OK;
}

static tumen_status index_phrases(struct tumen_dict *d, struct windex *x, const void *base,
                                  size_t n, size_t stride, size_t phrase_off) {
    struct keyed *k = malloc((n ? n : 1) * sizeof *k);
    if (k == NULL) {
        return TUMEN_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct phrase *p =
            (const struct phrase *)((const char *)base + i * stride + phrase_off);
        k[i].key = p->n ? p->w[0] : 0;
        k[i].len = p->n;
        k[i].idx = (uint32_t)i;
    }
    tumen_status st = build_index(x, d->words.n, k, n);
    free(k);
    return st;
}

static int cmp_alt(const void *a, const void *b) {
    const struct phrase *x = a, *y = b;
    uint32_t fx = x->n ? x->w[0] : 0, fy = y->n ? y->w[0] : 0;
    if (fx != fy) {
        return fx < fy ? -1 : 1;
    }
    return x->n > y->n ? -1 : (x->n < y->n);
}

tumen_status tumen_dict_finish(tumen_dict *d, tumen_error *err) {
    if (d == NULL) {
        return err_set(err, TUMEN_INVALID, "", 0, 0, "no dictionary");
    }
    if (d->finished) {
        return TUMEN_OK;
    }
    tumen_status st = lexicon_generate(d, err);
    if (st != TUMEN_OK) {
        return st;
    }
    size_t nw = d->words.n;
    d->lemma_of = malloc((nw ? nw : 1) * sizeof *d->lemma_of);
    d->lemma_of2 = malloc((nw ? nw : 1) * sizeof *d->lemma_of2);
    if (d->lemma_of == NULL || d->lemma_of2 == NULL) {
        return err_set(err, TUMEN_NOMEM, "", 0, 0, "out of memory");
    }
    for (size_t i = 0; i < nw; i++) {
        d->lemma_of[i] = TUMEN_NOID;
        d->lemma_of2[i] = TUMEN_NOID;
    }
    for (size_t i = 0; i < d->nforms; i++) {
        const struct form *f = &d->forms[i];
        if (f->surface == f->lemma) {
            continue;
        }
        if (d->lemma_of[f->surface] == TUMEN_NOID) {
            d->lemma_of[f->surface] = f->lemma;
        } else if (d->lemma_of[f->surface] != f->lemma) {
            d->lemma_of2[f->surface] = f->lemma;
        }
    }
    d->nlemma = nw;
    d->wclass = calloc(nw ? nw : 1, sizeof *d->wclass);
    if (d->wclass == NULL) {
        return err_set(err, TUMEN_NOMEM, "", 0, 0, "out of memory");
    }
    for (size_t i = 0; i < nw; i++) {
        d->wclass[i] = text_word_class(d->words.strs[i], d->words.lens[i]);
    }
    for (size_t i = 0; i < d->nsets; i++) {
        qsort(d->sets[i].alts, d->sets[i].nalts, sizeof *d->sets[i].alts, cmp_alt);
    }
    st = index_phrases(d, &d->actor_ix, d->actors, d->nactors, sizeof *d->actors,
                       offsetof(struct actor, ph));
    if (st == TUMEN_OK) {
        st = index_phrases(d, &d->agent_ix, d->agents, d->nagents, sizeof *d->agents,
                           offsetof(struct agent, ph));
    }
    if (st == TUMEN_OK) {
        st = index_phrases(d, &d->verb_ix, d->verbs, d->nverbs, sizeof *d->verbs,
                           offsetof(struct vpattern, head));
    }
    if (st == TUMEN_OK) {
        st = index_phrases(d, &d->discard_ix, d->discards, d->ndiscards, sizeof *d->discards,
                           offsetof(struct discard, ph));
    }
    if (st == TUMEN_OK) {
        st = index_phrases(d, &d->issue_ix, d->issues, d->nissues, sizeof *d->issues,
                           offsetof(struct issue, ph));
    }
    if (st != TUMEN_OK) {
        return err_set(err, st, "", 0, 0, "out of memory while indexing dictionaries");
    }
    d->finished = true;
    return TUMEN_OK;
}
