/* Compiled dictionary cache: see dict_cache.h. The image is little-endian-as-built (it is a
 * cache, never shipped): a 48-byte header, then sections in a fixed order. */
#include "dict_cache.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char magic[8] = {'T', 'U', 'M', 'E', 'N', 'D', 'C', '1'};

/* word-at-a-time hash for the payload checksum */
static uint64_t fast_hash(const unsigned char *p, size_t n) {
    uint64_t h = 0x243f6a8885a308d3ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        h = (h ^ v) * 0x100000001b3ull;
        h ^= h >> 31;
    }
    for (; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h ^ (h >> 29);
}

static uint64_t layout_hash(void) {
    size_t v[] = {DICT_CACHE_FORMAT,
                  sizeof(struct tumen_dict),
                  sizeof(struct actor),
                  sizeof(struct actor_role),
                  sizeof(struct agent),
                  sizeof(struct vpattern),
                  sizeof(struct velem),
                  sizeof(struct wordset),
                  sizeof(struct discard),
                  sizeof(struct issue),
                  sizeof(struct form),
                  sizeof(struct phrase),
                  DICT_CODE_MAX};
    uint64_t h = hash_bytes(v, sizeof v);
    return h ^ hash_bytes(TUMEN_VERSION, strlen(TUMEN_VERSION));
}

/* ---- writing ---- */

struct w {
    struct buf *b;
    tumen_status st;
};

static void put(struct w *w, const void *p, size_t n) {
    if (w->st == TUMEN_OK) {
        w->st = buf_add(w->b, p, n);
    }
}
static void put32(struct w *w, uint32_t v) {
    put(w, &v, 4);
}
static void put64(struct w *w, uint64_t v) {
    put(w, &v, 8);
}
static void put_phrase(struct w *w, const struct phrase *p) {
    put32(w, p->n);
    put(w, p->w, p->n * sizeof *p->w);
    put(w, p->f, p->n);
}
static void put_src(struct w *w, const struct src *s) {
    put32(w, s->file);
    put32(w, s->line);
}
static void put_elems(struct w *w, const struct velem *e, uint16_t n) {
    put32(w, n);
    for (uint16_t i = 0; i < n; i++) {
        put(w, &e[i].kind, 1);
        put(w, &e[i].flags, 1);
        put32(w, e[i].value);
    }
}
static void put_index(struct w *w, const struct windex *x) {
    put64(w, x->nwords);
    if (x->start == NULL) {
        put64(w, 0);
        return;
    }
    put64(w, x->start[x->nwords]);
    put(w, x->start, (x->nwords + 1) * sizeof *x->start);
    put(w, x->idx, x->start[x->nwords] * sizeof *x->idx);
}

tumen_status dict_cache_write(const struct tumen_dict *d, uint64_t key, struct buf *b) {
    if (!d->finished) {
        return TUMEN_INVALID;
    }
    struct w w = {b, TUMEN_OK};
    put(&w, magic, 8);
    put64(&w, layout_hash());
    put64(&w, key);
    put64(&w, 0); /* payload length, patched below */
    put64(&w, 0); /* payload checksum */
    put64(&w, 0); /* reserved */
    size_t start = b->len;
    put64(&w, d->words.n);
    for (size_t i = 0; i < d->words.n; i++) {
        put32(&w, d->words.lens[i]);
        put(&w, d->words.strs[i], d->words.lens[i]);
    }
    put64(&w, d->files_tab.n);
    for (size_t i = 0; i < d->files_tab.n; i++) {
        put32(&w, d->files_tab.lens[i]);
        put(&w, d->files_tab.strs[i], d->files_tab.lens[i]);
    }
    put32(&w, d->has_prefix_words);
    put64(&w, d->nactors);
    for (size_t i = 0; i < d->nactors; i++) {
        const struct actor *a = &d->actors[i];
        put_phrase(&w, &a->ph);
        put(&w, a->code, DICT_CODE_MAX);
        put_src(&w, &a->src);
        put32(&w, a->nroles);
        for (uint32_t r = 0; r < a->nroles; r++) {
            put(&w, a->roles[r].code, DICT_CODE_MAX);
            put32(&w, (uint32_t)a->roles[r].from);
            put32(&w, (uint32_t)a->roles[r].to);
        }
    }
    put64(&w, d->nagents);
    for (size_t i = 0; i < d->nagents; i++) {
        const struct agent *a = &d->agents[i];
        put_phrase(&w, &a->ph);
        put(&w, a->code, DICT_CODE_MAX);
        put32(&w, a->prefix);
        put_src(&w, &a->src);
    }
    put64(&w, d->nsets);
    for (size_t i = 0; i < d->nsets; i++) {
        put32(&w, d->sets[i].name);
        put32(&w, d->sets[i].nalts);
        for (uint32_t k = 0; k < d->sets[i].nalts; k++) {
            put_phrase(&w, &d->sets[i].alts[k]);
        }
    }
    put64(&w, d->nverbs);
    for (size_t i = 0; i < d->nverbs; i++) {
        const struct vpattern *v = &d->verbs[i];
        put(&w, v->code, sizeof v->code);
        put_phrase(&w, &v->head);
        put_elems(&w, v->pre, v->npre);
        put_elems(&w, v->post, v->npost);
        put32(&w, v->specificity);
        put32(&w, v->flags);
        put_src(&w, &v->src);
    }
    put64(&w, d->ndiscards);
    for (size_t i = 0; i < d->ndiscards; i++) {
        put_phrase(&w, &d->discards[i].ph);
        put32(&w, d->discards[i].whole_sentence);
        put32(&w, d->discards[i].whole_story);
        put_src(&w, &d->discards[i].src);
    }
    put64(&w, d->nissues);
    for (size_t i = 0; i < d->nissues; i++) {
        put_phrase(&w, &d->issues[i].ph);
        put(&w, d->issues[i].code, DICT_ISSUE_MAX);
        put_src(&w, &d->issues[i].src);
    }
    put64(&w, d->nforms);
    put(&w, d->forms, d->nforms * sizeof *d->forms);
    put_index(&w, &d->actor_ix);
    put_index(&w, &d->agent_ix);
    put_index(&w, &d->verb_ix);
    put_index(&w, &d->discard_ix);
    put_index(&w, &d->issue_ix);
    put64(&w, d->nlemma);
    put(&w, d->lemma_of, d->nlemma * sizeof *d->lemma_of);
    put(&w, d->lemma_of2, d->nlemma * sizeof *d->lemma_of2);
    put(&w, d->wclass, d->nlemma * sizeof *d->wclass);
    if (w.st != TUMEN_OK) {
        return w.st;
    }
    uint64_t plen = b->len - start;
    uint64_t sum = fast_hash((const unsigned char *)b->data + start, plen);
    memcpy(b->data + start - 24, &plen, 8);
    memcpy(b->data + start - 16, &sum, 8);
    return TUMEN_OK;
}

/* ---- reading: every read is bounds-checked; any failure means "not a valid image" ---- */

struct r {
    const unsigned char *p;
    size_t len, pos;
    bool bad;
    struct tumen_dict *d;
};

static const void *take(struct r *r, size_t n) {
    if (r->bad || n > r->len - r->pos) {
        r->bad = true;
        return NULL;
    }
    const void *q = r->p + r->pos;
    r->pos += n;
    return q;
}
static uint32_t get32(struct r *r) {
    uint32_t v = 0;
    const void *q = take(r, 4);
    if (q) {
        memcpy(&v, q, 4);
    }
    return v;
}
static uint64_t get64(struct r *r) {
    uint64_t v = 0;
    const void *q = take(r, 8);
    if (q) {
        memcpy(&v, q, 8);
    }
    return v;
}
/* a count whose elements take at least min bytes each: bounded by what is left */
static size_t get_count(struct r *r, size_t min) {
    uint64_t n = get64(r);
    if (r->bad || (min > 0 && n > (r->len - r->pos) / min)) {
        r->bad = true;
        return 0;
    }
    return (size_t)n;
}
static void get_bytes(struct r *r, void *dst, size_t n) {
    const void *q = take(r, n);
    if (q) {
        memcpy(dst, q, n);
    }
}
static void get_code(struct r *r, char *dst) {
    get_bytes(r, dst, DICT_CODE_MAX);
    dst[DICT_CODE_MAX - 1] = '\0';
}
static void get_phrase(struct r *r, struct phrase *p) {
    uint32_t n = get32(r);
    if (r->bad || n > 0xFFFF || n > (r->len - r->pos) / 5) {
        r->bad = true;
        return;
    }
    p->n = (uint16_t)n;
    p->w = dict_alloc(r->d, (n ? n : 1) * sizeof *p->w);
    p->f = dict_alloc(r->d, n ? n : 1);
    if (p->w == NULL || p->f == NULL) {
        r->bad = true;
        return;
    }
    get_bytes(r, p->w, n * sizeof *p->w);
    get_bytes(r, p->f, n);
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        if (p->w[i] >= r->d->words.n) {
            r->bad = true;
        }
    }
}
static void get_src(struct r *r, struct src *s) {
    s->file = get32(r);
    s->line = get32(r);
    if (s->file >= r->d->files_tab.n && r->d->files_tab.n > 0) {
        r->bad = true;
    }
}
static struct velem *get_elems(struct r *r, uint16_t *n) {
    uint32_t c = get32(r);
    if (r->bad || c > 0xFFFF || c > (r->len - r->pos) / 6) {
        r->bad = true;
        return NULL;
    }
    *n = (uint16_t)c;
    if (c == 0) {
        return NULL;
    }
    struct velem *e = dict_alloc(r->d, c * sizeof *e);
    if (e == NULL) {
        r->bad = true;
        return NULL;
    }
    for (uint32_t i = 0; i < c && !r->bad; i++) {
        get_bytes(r, &e[i].kind, 1);
        get_bytes(r, &e[i].flags, 1);
        e[i].value = get32(r);
        if (e[i].kind > VE_SKIP || (e[i].kind == VE_WORD && e[i].value >= r->d->words.n)) {
            r->bad = true;
        }
    }
    return e;
}
static void get_index(struct r *r, struct windex *x, size_t nentries) {
    x->nwords = get_count(r, 4);
    size_t total = get_count(r, 4);
    if (r->bad) {
        return;
    }
    if (x->nwords == 0 && total == 0 && r->pos <= r->len) {
        /* an index that was never built */
        return;
    }
    x->start = malloc((x->nwords + 1) * sizeof *x->start);
    x->idx = malloc((total ? total : 1) * sizeof *x->idx);
    if (x->start == NULL || x->idx == NULL) {
        r->bad = true;
        return;
    }
    get_bytes(r, x->start, (x->nwords + 1) * sizeof *x->start);
    get_bytes(r, x->idx, total * sizeof *x->idx);
    if (r->bad || x->start[x->nwords] != total) {
        r->bad = true;
        return;
    }
    for (size_t i = 0; i < x->nwords; i++) {
        if (x->start[i] > x->start[i + 1]) {
            r->bad = true;
            return;
        }
    }
    for (size_t i = 0; i < total; i++) {
        if (x->idx[i] >= nentries) {
            r->bad = true;
            return;
        }
    }
}

#define ALLOC_ARRAY(field, count, capfield)                                                   \
    do {                                                                                       \
        d->capfield = 0;                                                                       \
        if ((count) > 0 && !grow((void **)&d->field, &d->capfield, (count), sizeof *d->field)) { \
            r.bad = true;                                                                      \
        }                                                                                      \
    } while (0)

tumen_status dict_cache_read(const void *data, size_t len, uint64_t key, struct tumen_dict **out) {
    *out = NULL;
    const unsigned char *p = data;
    if (len < 48 || memcmp(p, magic, 8) != 0) {
        return TUMEN_INVALID;
    }
    uint64_t lay, k, plen, sum;
    memcpy(&lay, p + 8, 8);
    memcpy(&k, p + 16, 8);
    memcpy(&plen, p + 24, 8);
    memcpy(&sum, p + 32, 8);
    if (lay != layout_hash() || k != key || plen != len - 48 ||
        fast_hash(p + 48, (size_t)plen) != sum) {
        return TUMEN_INVALID;
    }
    struct tumen_dict *d = NULL;
    if (tumen_dict_new(&d) != TUMEN_OK) {
        return TUMEN_NOMEM;
    }
    struct r r = {p + 48, (size_t)plen, 0, false, d};
    size_t nw = get_count(&r, 4);
    for (size_t i = 0; i < nw && !r.bad; i++) {
        uint32_t l = get32(&r);
        const char *s = take(&r, l);
        if (s != NULL && intern_add(&d->words, s, l) != i) {
            r.bad = true; /* duplicate word or out of memory */
        }
    }
    size_t nf = get_count(&r, 4);
    for (size_t i = 0; i < nf && !r.bad; i++) {
        uint32_t l = get32(&r);
        const char *s = take(&r, l);
        char *z = s ? malloc(l + 1) : NULL;
        if (z == NULL) {
            r.bad = true;
            break;
        }
        memcpy(z, s, l);
        z[l] = '\0';
        if (dict_file(d, z) != i) {
            r.bad = true;
        }
        free(z);
    }
    d->has_prefix_words = get32(&r) != 0;
    d->nactors = get_count(&r, 16);
    ALLOC_ARRAY(actors, d->nactors, cap_actors);
    for (size_t i = 0; i < d->nactors && !r.bad; i++) {
        struct actor *a = &d->actors[i];
        memset(a, 0, sizeof *a);
        get_phrase(&r, &a->ph);
        get_code(&r, a->code);
        get_src(&r, &a->src);
        a->nroles = get32(&r);
        if (a->nroles > (r.len - r.pos) / (DICT_CODE_MAX + 8)) {
            r.bad = true;
            break;
        }
        if (a->nroles) {
            a->roles = dict_alloc(d, a->nroles * sizeof *a->roles);
            if (a->roles == NULL) {
                r.bad = true;
                break;
            }
            for (uint32_t q = 0; q < a->nroles; q++) {
                get_code(&r, a->roles[q].code);
                a->roles[q].from = (int32_t)get32(&r);
                a->roles[q].to = (int32_t)get32(&r);
            }
        }
    }
    d->nagents = r.bad ? 0 : get_count(&r, 16);
    ALLOC_ARRAY(agents, d->nagents, cap_agents);
    for (size_t i = 0; i < d->nagents && !r.bad; i++) {
        struct agent *a = &d->agents[i];
        memset(a, 0, sizeof *a);
        get_phrase(&r, &a->ph);
        get_code(&r, a->code);
        a->prefix = get32(&r) != 0;
        get_src(&r, &a->src);
    }
    d->nsets = r.bad ? 0 : get_count(&r, 8);
    ALLOC_ARRAY(sets, d->nsets, cap_sets);
    for (size_t i = 0; i < d->nsets && !r.bad; i++) {
        struct wordset *s = &d->sets[i];
        memset(s, 0, sizeof *s);
        s->name = get32(&r);
        s->nalts = get32(&r);
        if ((s->name != TUMEN_NOID && s->name >= d->words.n) ||
            s->nalts > (r.len - r.pos) / 4) {
            r.bad = true;
            break;
        }
        s->alts = dict_alloc(d, (s->nalts ? s->nalts : 1) * sizeof *s->alts);
        if (s->alts == NULL) {
            r.bad = true;
            break;
        }
        for (uint32_t q = 0; q < s->nalts && !r.bad; q++) {
            get_phrase(&r, &s->alts[q]);
        }
    }
    d->nverbs = r.bad ? 0 : get_count(&r, 24);
    ALLOC_ARRAY(verbs, d->nverbs, cap_verbs);
    for (size_t i = 0; i < d->nverbs && !r.bad; i++) {
        struct vpattern *v = &d->verbs[i];
        memset(v, 0, sizeof *v);
        get_bytes(&r, v->code, sizeof v->code);
        v->code[sizeof v->code - 1] = '\0';
        get_phrase(&r, &v->head);
        v->pre = get_elems(&r, &v->npre);
        v->post = get_elems(&r, &v->npost);
        v->specificity = (uint16_t)get32(&r);
        v->flags = (uint16_t)get32(&r);
        get_src(&r, &v->src);
        for (int side = 0; side < 2 && !r.bad; side++) {
            const struct velem *e = side ? v->post : v->pre;
            uint16_t n = side ? v->npost : v->npre;
            for (uint16_t q = 0; q < n; q++) {
                if (e[q].kind == VE_SET && e[q].value >= d->nsets) {
                    r.bad = true;
                }
            }
        }
    }
    d->ndiscards = r.bad ? 0 : get_count(&r, 12);
    ALLOC_ARRAY(discards, d->ndiscards, cap_discards);
    for (size_t i = 0; i < d->ndiscards && !r.bad; i++) {
        memset(&d->discards[i], 0, sizeof d->discards[i]);
        get_phrase(&r, &d->discards[i].ph);
        d->discards[i].whole_sentence = get32(&r) != 0;
        d->discards[i].whole_story = get32(&r) != 0;
        get_src(&r, &d->discards[i].src);
    }
    d->nissues = r.bad ? 0 : get_count(&r, 16);
    ALLOC_ARRAY(issues, d->nissues, cap_issues);
    for (size_t i = 0; i < d->nissues && !r.bad; i++) {
        memset(&d->issues[i], 0, sizeof d->issues[i]);
        get_phrase(&r, &d->issues[i].ph);
        get_bytes(&r, d->issues[i].code, DICT_ISSUE_MAX);
        d->issues[i].code[DICT_ISSUE_MAX - 1] = '\0';
        get_src(&r, &d->issues[i].src);
    }
    d->nforms = r.bad ? 0 : get_count(&r, sizeof(struct form));
    ALLOC_ARRAY(forms, d->nforms, cap_forms);
    if (!r.bad && d->nforms) {
        get_bytes(&r, d->forms, d->nforms * sizeof *d->forms);
        for (size_t i = 0; i < d->nforms && !r.bad; i++) {
            if (d->forms[i].surface >= d->words.n || d->forms[i].lemma >= d->words.n) {
                r.bad = true;
            }
        }
    }
    get_index(&r, &d->actor_ix, d->nactors);
    get_index(&r, &d->agent_ix, d->nagents);
    get_index(&r, &d->verb_ix, d->nverbs);
    get_index(&r, &d->discard_ix, d->ndiscards);
    get_index(&r, &d->issue_ix, d->nissues);
    d->nlemma = r.bad ? 0 : get_count(&r, 10);
    if (!r.bad) {
        size_t nl = d->nlemma ? d->nlemma : 1;
        d->lemma_of = malloc(nl * sizeof *d->lemma_of);
        d->lemma_of2 = malloc(nl * sizeof *d->lemma_of2);
        d->wclass = malloc(nl * sizeof *d->wclass);
        if (d->lemma_of == NULL || d->lemma_of2 == NULL || d->wclass == NULL) {
            r.bad = true;
        } else {
            get_bytes(&r, d->lemma_of, d->nlemma * sizeof *d->lemma_of);
            get_bytes(&r, d->lemma_of2, d->nlemma * sizeof *d->lemma_of2);
            get_bytes(&r, d->wclass, d->nlemma * sizeof *d->wclass);
        }
        for (size_t i = 0; i < d->nlemma && !r.bad; i++) {
            if ((d->lemma_of[i] != TUMEN_NOID && d->lemma_of[i] >= d->words.n) ||
                (d->lemma_of2[i] != TUMEN_NOID && d->lemma_of2[i] >= d->words.n)) {
                r.bad = true;
            }
        }
    }
    if (r.bad || r.pos != r.len) {
        tumen_dict_free(d);
        return TUMEN_INVALID;
    }
    d->finished = true;
    *out = d;
    return TUMEN_OK;
}

/* ---- keys and files ---- */

struct keyer {
    uint64_t h;
    tumen_status st;
};

static void key_file(struct keyer *k, const char *path, const struct stat *sb) {
    k->h = hash_bytes(path, strlen(path)) ^ (k->h * 0x100000001b3ull);
    uint64_t meta[3] = {(uint64_t)sb->st_size, (uint64_t)sb->st_mtim.tv_sec,
                        (uint64_t)sb->st_mtim.tv_nsec};
    k->h = hash_bytes(meta, sizeof meta) ^ (k->h * 0x100000001b3ull);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        k->st = TUMEN_IO;
        return;
    }
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        k->h = fast_hash(chunk, n) ^ (k->h * 0x100000001b3ull);
    }
    fclose(f);
}

static void key_path(struct keyer *k, const char *path, int depth) {
    struct stat sb;
    if (k->st != TUMEN_OK || stat(path, &sb) != 0) {
        k->st = TUMEN_IO;
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        key_file(k, path, &sb);
        return;
    }
    if (depth > 8) {
        return;
    }
    char **names = NULL;
    size_t nn = 0;
    tumen_status st = dir_list(path, &names, &nn);
    if (st != TUMEN_OK) {
        k->st = st;
        return;
    }
    for (size_t i = 0; i < nn; i++) {
        key_path(k, names[i], depth + 1);
    }
    dir_list_free(names, nn);
}

static tumen_status build(struct tumen_dict **out, const char *const *paths, size_t n,
                          tumen_error *err) {
    struct tumen_dict *d = NULL;
    tumen_status st = tumen_dict_new(&d);
    if (st != TUMEN_OK) {
        return err_set(err, st, "", 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n && st == TUMEN_OK; i++) {
        st = tumen_dict_load(d, paths[i], TUMEN_DICT_AUTO, err);
    }
    if (st == TUMEN_OK) {
        st = tumen_dict_finish(d, err);
    }
    if (st != TUMEN_OK) {
        tumen_dict_free(d);
        return st;
    }
    *out = d;
    return TUMEN_OK;
}

static bool mkdirs(const char *dir) {
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf) {
        return false;
    }
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                return false;
            }
            buf[i] = c;
        }
    }
    return true;
}

tumen_status dict_cache_load_or_build(struct tumen_dict **out, const char *const *paths,
                                      size_t n, const char *cache_dir, bool *from_cache,
                                      tumen_error *err) {
    *out = NULL;
    if (from_cache) {
        *from_cache = false;
    }
    char dirbuf[4096];
    if (cache_dir == NULL) {
        const char *xdg = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");
        if (xdg && *xdg) {
            snprintf(dirbuf, sizeof dirbuf, "%s/tumen", xdg);
        } else if (home && *home) {
            snprintf(dirbuf, sizeof dirbuf, "%s/.cache/tumen", home);
        } else {
            dirbuf[0] = '\0';
        }
        cache_dir = dirbuf;
    }
    if (cache_dir[0] == '\0') {
        return build(out, paths, n, err);
    }
    struct keyer k = {layout_hash(), TUMEN_OK};
    for (size_t i = 0; i < n; i++) {
        k.h = hash_bytes(paths[i], strlen(paths[i])) ^ (k.h * 31);
        key_path(&k, paths[i], 0);
    }
    if (k.st != TUMEN_OK) {
        return build(out, paths, n, err); /* the loader reports what cannot be read */
    }
    char file[4200];
    snprintf(file, sizeof file, "%s/dict-%016llx.bin", cache_dir, (unsigned long long)k.h);
    FILE *f = fopen(file, "rb");
    if (f != NULL) {
        struct buf b;
        buf_init(&b, (size_t)1 << 31);
        char chunk[65536];
        size_t got;
        tumen_status st = TUMEN_OK;
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && st == TUMEN_OK) {
            st = buf_add(&b, chunk, got);
        }
        fclose(f);
        if (st == TUMEN_OK && b.data != NULL &&
            dict_cache_read(b.data, b.len, k.h, out) == TUMEN_OK) {
            buf_fini(&b);
            if (from_cache) {
                *from_cache = true;
            }
            return TUMEN_OK;
        }
        buf_fini(&b); /* corrupt or stale: rebuilt below */
    }
    tumen_status st = build(out, paths, n, err);
    if (st != TUMEN_OK) {
        return st;
    }
    struct buf b;
    buf_init(&b, (size_t)1 << 31);
    if (mkdirs(cache_dir) && dict_cache_write(*out, k.h, &b) == TUMEN_OK) {
        char tmp[4300];
        snprintf(tmp, sizeof tmp, "%s.%ld.tmp", file, (long)getpid());
        FILE *o = fopen(tmp, "wb");
        if (o != NULL) {
            bool ok = fwrite(b.data, 1, b.len, o) == b.len;
            ok = fclose(o) == 0 && ok;
            if (!ok || rename(tmp, file) != 0) {
                remove(tmp);
            }
        }
    }
    buf_fini(&b);
    return TUMEN_OK;
}
