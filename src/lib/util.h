/* Internal utilities: arena, growable arrays, byte buffer with a cap, string interning. */
#ifndef TUMEN_UTIL_H
#define TUMEN_UTIL_H

#include "tumen.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <stdint.h>

#define TUMEN_NOID UINT32_MAX

/* ---- arena: bump allocator in chunks; everything freed at once ---- */
struct arena_chunk;
struct arena {
    struct arena_chunk *head;
    size_t used_total;
};
void arena_init(struct arena *a);
/* Returns zeroed memory aligned to 16, or NULL on out of memory. Owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies s[0..n) plus a NUL into the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Frees all chunks but the first and rewinds (memory is reused). */
void arena_reset(struct arena *a);
void arena_fini(struct arena *a);

/* ---- sorted word tables ---- */
/* True if the n elements of `size` bytes at tab, each starting with a `const char *` key,
 * are in strictly increasing strcmp order (what bsearch on them needs). */
bool keys_sorted(const void *tab, size_t n, size_t size);
#define KEYS_SORTED(tab) keys_sorted((tab), sizeof(tab) / sizeof((tab)[0]), sizeof((tab)[0]))

/* ---- growable array: ensures *cap >= need (elements of size elt); false on overflow/OOM ---- */
bool grow(void **p, size_t *cap, size_t need, size_t elt);

/* ---- byte buffer with a hard cap (curl dynbuf style) ---- */
struct buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* hard cap; 0 = SIZE_MAX */
};
void buf_init(struct buf *b, size_t max);
/* Appends; returns TUMEN_LIMIT past the cap, TUMEN_NOMEM on allocation failure. The data
 * stays NUL-terminated. buf_add and buf_addc are inline when the bytes fit (the JSON
 * writers call them for every key and value); buf_add_grow is the rest. */
tumen_status buf_add_grow(struct buf *b, const void *p, size_t n);
static inline tumen_status buf_add(struct buf *b, const void *p, size_t n) {
    if (b->data && n < b->cap - b->len && n <= b->max - b->len) {
        if (n) {
            memcpy(b->data + b->len, p, n);
        }
        b->len += n;
        b->data[b->len] = '\0';
        return TUMEN_OK;
    }
    return buf_add_grow(b, p, n);
}
static inline tumen_status buf_addc(struct buf *b, char c) {
    if (b->data && b->cap - b->len > 1 && b->len < b->max) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return TUMEN_OK;
    }
    return buf_add_grow(b, &c, 1);
}
/* Makes room for n more bytes (and the NUL) without changing the contents, for writers that
 * fill b->data + b->len directly and then advance b->len; TUMEN_LIMIT past the cap. */
tumen_status buf_reserve(struct buf *b, size_t n);
tumen_status buf_adds(struct buf *b, const char *s);
tumen_status buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_fini(struct buf *b);

/* ---- string interning: bytes -> dense uint32 id ---- */
struct intern {
    uint64_t *slots; /* id+1 | hash's high 32 bits << 32; 0 = empty */
    size_t nslots;
    const char **strs; /* id -> NUL-terminated string (arena) */
    uint32_t *lens;
    size_t n, cap;
    struct arena arena;
};
void intern_init(struct intern *t);
/* Returns the id of s[0..n), adding it; TUMEN_NOID on out of memory. */
uint32_t intern_add(struct intern *t, const char *s, size_t n);
/* Returns the id or TUMEN_NOID when absent. */
uint32_t intern_find(const struct intern *t, const char *s, size_t n);
static inline const char *intern_str(const struct intern *t, uint32_t id) {
    return id < t->n ? t->strs[id] : "";
}
void intern_fini(struct intern *t);

uint64_t hash_bytes(const void *p, size_t n);

/* Sorts the n records of `size` bytes at a (size a multiple of 8, records 8-byte aligned) by
 * the uint64_t at byte offset key_off ANDed with mask, stably: a least-significant-digit radix
 * sort by bytes that skips the bytes every key shares. tmp (caller's) holds n records; the
 * result is in a. */
void radix_sort_u64(void *a, void *tmp, size_t n, size_t size, size_t key_off, uint64_t mask);

/* ---- dates: "YYYY", "YYYY-MM", "YYYY-MM-DD" or YYYYMMDD -> yyyymmdd int (missing parts 0) ---- */
bool date_parse(const char *s, size_t n, int32_t *out);

/* Copies the string src into dst (size bytes), always NUL-terminated; returns false when it
 * had to cut (callers size dst for the longest legal value). Cheaper than snprintf. */
static inline bool str_copy(char *dst, size_t size, const char *src) {
    size_t n = 0;
    while (n + 1 < size && src[n] != '\0') {
        dst[n] = src[n];
        n++;
    }
    dst[n] = '\0';
    return src[n] == '\0';
}

/* ---- directories ---- */
/* The entries of directory path, dot files left out, as "path/name" strings sorted by name
 * (strcmp). The caller frees them with dir_list_free. Returns TUMEN_IO when the directory
 * cannot be opened (errno says why), TUMEN_NOMEM (nothing is returned then). */
tumen_status dir_list(const char *path, char ***names, size_t *n);
void dir_list_free(char **names, size_t n);

/* ---- error helper ---- */
tumen_status err_set(tumen_error *e, tumen_status st, const char *file, uint64_t line,
                     uint64_t col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
