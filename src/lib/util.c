#include "util.h"

#include <dirent.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char mem[];
};

void arena_init(struct arena *a) {
    a->head = NULL;
    a->used_total = 0;
}

void *arena_alloc(struct arena *a, size_t n) {
    n = (n + 15u) & ~(size_t)15u;
    if (n == 0) {
        n = 16;
    }
    struct arena_chunk *c = a->head;
    if (c == NULL || c->size - c->used < n) {
        size_t size = 64 * 1024;
        if (c != NULL && c->size < 16u * 1024 * 1024) {
            size = c->size * 2;
        }
        if (size < n) {
            size = n;
        }
        struct arena_chunk *nc = malloc(sizeof *nc + size);
        if (nc == NULL) {
            return NULL;
        }
        nc->size = size;
        nc->used = 0;
        nc->next = c;
        a->head = nc;
        c = nc;
    }
    void *p = c->mem + c->used;
    c->used += n;
    a->used_total += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void arena_reset(struct arena *a) {
    struct arena_chunk *c = a->head;
    if (c == NULL) {
        return;
    }
    struct arena_chunk *rest = c->next;
    while (rest != NULL) {
        struct arena_chunk *next = rest->next;
        free(rest);
        rest = next;
    }
    c->next = NULL;
    c->used = 0;
    a->used_total = 0;
}

void arena_fini(struct arena *a) {
    struct arena_chunk *c = a->head;
    while (c != NULL) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

bool grow(void **p, size_t *cap, size_t need, size_t elt) {
    if (need <= *cap) {
        return true;
    }
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            return false;
        }
        ncap *= 2;
    }
    if (elt != 0 && ncap > SIZE_MAX / elt) {
        return false;
    }
    void *np = realloc(*p, ncap * elt);
    if (np == NULL) {
        return false;
    }
    *p = np;
    *cap = ncap;
    return true;
}

void buf_init(struct buf *b, size_t max) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : SIZE_MAX;
}

tumen_status buf_add_grow(struct buf *b, const void *p, size_t n) {
    if (n > b->max - b->len || b->len + n == SIZE_MAX) {
        return TUMEN_LIMIT;
    }
    if (!grow((void **)&b->data, &b->cap, b->len + n + 1, 1)) {
        return TUMEN_NOMEM;
    }
    if (n) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return TUMEN_OK;
}

tumen_status buf_reserve(struct buf *b, size_t n) {
    if (n > b->max - b->len || b->len + n >= SIZE_MAX - 1) {
        return TUMEN_LIMIT;
    }
    if (b->data && n < b->cap - b->len) {
        return TUMEN_OK;
    }
    if (!grow((void **)&b->data, &b->cap, b->len + n + 1, 1)) {
        return TUMEN_NOMEM;
    }
    b->data[b->len] = '\0';
    return TUMEN_OK;
}

tumen_status buf_adds(struct buf *b, const char *s) {
    return buf_add(b, s, strlen(s));
}

tumen_status buf_printf(struct buf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return TUMEN_INTERNAL;
    }
    if ((size_t)n < sizeof small) {
        return buf_add(b, small, (size_t)n);
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        return TUMEN_NOMEM;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tumen_status st = buf_add(b, big, (size_t)n);
    free(big);
    return st;
}

void buf_reset(struct buf *b) {
    b->len = 0;
    if (b->data) {
        b->data[0] = '\0';
    }
}

void buf_fini(struct buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

uint64_t hash_bytes(const void *p, size_t n) {
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

void intern_init(struct intern *t) {
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
}

/* A slot: the id + 1 in the low 32 bits (0: empty) and the string's hash's high 32 bits in
 * the high ones, so that a probe rejects another string without reading it. */
static inline uint64_t intern_slot(uint64_t h, uint32_t id) {
    return (h & 0xffffffff00000000ull) | ((uint64_t)id + 1);
}

static bool intern_rehash(struct intern *t, size_t nslots) {
    uint64_t *slots = calloc(nslots, sizeof *slots);
    if (slots == NULL) {
        return false;
    }
    for (size_t id = 0; id < t->n; id++) {
        uint64_t h = hash_bytes(t->strs[id], t->lens[id]);
        size_t i = (size_t)h & (nslots - 1);
        while (slots[i] != 0) {
            i = (i + 1) & (nslots - 1);
        }
        slots[i] = intern_slot(h, (uint32_t)id);
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return true;
}

/* The slot index of s[0..n) (hash h): where it is, or the empty slot where it would go. */
static size_t intern_probe(const struct intern *t, const char *s, size_t n, uint64_t h) {
    uint64_t tag = h & 0xffffffff00000000ull;
    size_t i = (size_t)h & (t->nslots - 1);
    for (;;) {
        uint64_t v = t->slots[i];
        if (v == 0) {
            return i;
        }
        uint32_t id = (uint32_t)v - 1;
        if ((v & 0xffffffff00000000ull) == tag && t->lens[id] == n &&
            memcmp(t->strs[id], s, n) == 0) {
            return i;
        }
        i = (i + 1) & (t->nslots - 1);
    }
}

uint32_t intern_find(const struct intern *t, const char *s, size_t n) {
    if (t->nslots == 0) {
        return TUMEN_NOID;
    }
    uint64_t v = t->slots[intern_probe(t, s, n, hash_bytes(s, n))];
    return v ? (uint32_t)v - 1 : TUMEN_NOID;
}

uint32_t intern_add(struct intern *t, const char *s, size_t n) {
    uint64_t h = hash_bytes(s, n);
    if (t->nslots) {
        uint64_t v = t->slots[intern_probe(t, s, n, h)];
        if (v) {
            return (uint32_t)v - 1;
        }
    }
    if (t->n >= UINT32_MAX - 1 || n > UINT32_MAX) {
        return TUMEN_NOID;
    }
    if ((t->n + 1) * 2 > t->nslots) {
        if (!intern_rehash(t, t->nslots ? t->nslots * 2 : 1024)) {
            return TUMEN_NOID;
        }
    }
    size_t cap = t->cap;
    if (!grow((void **)&t->strs, &cap, t->n + 1, sizeof *t->strs)) {
        return TUMEN_NOID;
    }
    size_t cap2 = t->cap;
    if (!grow((void **)&t->lens, &cap2, t->n + 1, sizeof *t->lens)) {
        return TUMEN_NOID;
    }
    t->cap = cap < cap2 ? cap : cap2;
    char *copy = arena_strndup(&t->arena, s, n);
    if (copy == NULL) {
        return TUMEN_NOID;
    }
    uint32_t id = (uint32_t)t->n;
    t->strs[id] = copy;
    t->lens[id] = (uint32_t)n;
    t->n++;
    t->slots[intern_probe(t, s, n, h)] = intern_slot(h, id);
    return id;
}

void intern_fini(struct intern *t) {
    free(t->slots);
    free(t->strs);
    free(t->lens);
    arena_fini(&t->arena);
    memset(t, 0, sizeof *t);
}

static bool digits(const char *s, size_t n, int32_t *v) {
    int32_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return n > 0;
}

bool date_parse(const char *s, size_t n, int32_t *out) {
    int32_t y = 0, m = 0, d = 0;
    if (n == 8 && digits(s, 8, &y)) {
        *out = y;
        return y / 10000 > 0 && (y / 100) % 100 <= 12 && y % 100 <= 31;
    }
    if (n < 4 || !digits(s, 4, &y)) {
        return false;
    }
    if (n >= 7) {
        if (s[4] != '-' || !digits(s + 5, 2, &m) || m < 1 || m > 12) {
            return false;
        }
    }
    if (n == 10) {
        if (s[7] != '-' || !digits(s + 8, 2, &d) || d < 1 || d > 31) {
            return false;
        }
    } else if (n != 4 && n != 7) {
        return false;
    }
    *out = y * 10000 + m * 100 + d;
    return true;
}

tumen_status err_set(tumen_error *e, tumen_status st, const char *file, uint64_t line,
                     uint64_t col, const char *fmt, ...) {
    if (e == NULL) {
        return st;
    }
    e->status = st;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return st;
}

bool keys_sorted(const void *tab, size_t n, size_t size) {
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *k;
        memcpy(&k, (const char *)tab + i * size, sizeof k);
        if (prev != NULL && strcmp(prev, k) >= 0) {
            return false;
        }
        prev = k;
    }
    return true;
}

/* ---- directories ---- */

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

tumen_status dir_list(const char *path, char ***names, size_t *n) {
    *names = NULL;
    *n = 0;
    DIR *dir = opendir(path);
    if (dir == NULL) {
        return TUMEN_IO;
    }
    char **v = NULL;
    size_t nn = 0, cap = 0;
    tumen_status st = TUMEN_OK;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        size_t pl = strlen(path) + strlen(e->d_name) + 2;
        char *p = malloc(pl);
        if (p == NULL || !grow((void **)&v, &cap, nn + 1, sizeof *v)) {
            free(p);
            st = TUMEN_NOMEM;
            break;
        }
        snprintf(p, pl, "%s/%s", path, e->d_name);
        v[nn++] = p;
    }
    closedir(dir);
    if (st != TUMEN_OK) {
        dir_list_free(v, nn);
        return st;
    }
    if (nn > 1) {
        qsort(v, nn, sizeof *v, cmp_str);
    }
    *names = v;
    *n = nn;
    return TUMEN_OK;
}

void dir_list_free(char **names, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}

static uint64_t radix_key(const unsigned char *rec, size_t key_off, uint64_t mask) {
    uint64_t k;
    memcpy(&k, rec + key_off, sizeof k);
    return k & mask;
}

void radix_sort_u64(void *a, void *tmp, size_t n, size_t size, size_t key_off, uint64_t mask) {
    if (n < 2) {
        return;
    }
    size_t count[8][256];
    memset(count, 0, sizeof count);
    const unsigned char *p = a;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = radix_key(p + i * size, key_off, mask);
        for (int d = 0; d < 8; d++) {
            count[d][(k >> (8 * d)) & 255]++;
        }
    }
    uint64_t first = radix_key(p, key_off, mask);
    unsigned char *src = a, *dst = tmp;
    size_t words = size / 8;
    for (int d = 0; d < 8; d++) {
        if (count[d][(first >> (8 * d)) & 255] == n) {
            continue; /* one value of this byte: nothing moves */
        }
        size_t off[256], sum = 0;
        for (int v = 0; v < 256; v++) {
            off[v] = sum;
            sum += count[d][v];
        }
        for (size_t i = 0; i < n; i++) {
            const unsigned char *r = src + i * size;
            unsigned char *w = dst + off[(radix_key(r, key_off, mask) >> (8 * d)) & 255]++ * size;
            for (size_t j = 0; j < words; j++) {
                memcpy(w + 8 * j, r + 8 * j, 8);
            }
        }
        unsigned char *t = src;
        src = dst;
        dst = t;
    }
    if (src != (unsigned char *)a) {
        memcpy(a, src, n * size);
    }
}
