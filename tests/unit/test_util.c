/* Unit tests for src/lib/util.c: arena, grow, capped buffer, interning, dates, err_set,
 * sorted key tables. */
#include "harness.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

TEST(arena_alloc_zeroed_and_aligned) {
    struct arena a;
    arena_init(&a);
    for (size_t n = 0; n < 100; n++) {
        unsigned char *p = arena_alloc(&a, n);
        ASSERT_NOT_NULL(p);
        ASSERT_EQ_UINT((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < n; i++) {
            ASSERT_EQ_INT(p[i], 0);
        }
        memset(p, 0xAB, n);
    }
    arena_fini(&a);
}

TEST(arena_distinct_blocks_do_not_overlap) {
    struct arena a;
    arena_init(&a);
    char *x = arena_alloc(&a, 10);
    char *y = arena_alloc(&a, 10);
    ASSERT_NOT_NULL(x);
    ASSERT_NOT_NULL(y);
    ASSERT_TRUE(y >= x + 10 || x >= y + 10);
    memset(x, 'x', 10);
    memset(y, 'y', 10);
    ASSERT_EQ_INT(x[9], 'x');
    ASSERT_EQ_INT(y[0], 'y');
    arena_fini(&a);
}

TEST(arena_large_block_beyond_first_chunk) {
    struct arena a;
    arena_init(&a);
    ASSERT_NOT_NULL(arena_alloc(&a, 100));
    size_t big = 3u * 1024 * 1024; /* larger than any default chunk */
    unsigned char *p = arena_alloc(&a, big);
    ASSERT_NOT_NULL(p);
    ASSERT_EQ_INT(p[0], 0);
    ASSERT_EQ_INT(p[big - 1], 0);
    memset(p, 1, big);
    ASSERT_TRUE(a.used_total >= big + 100);
    arena_fini(&a);
}

TEST(arena_many_chunks_then_reset_reuses) {
    struct arena a;
    arena_init(&a);
    for (int i = 0; i < 10000; i++) {
        char *p = arena_alloc(&a, 100);
        ASSERT_NOT_NULL(p);
        p[0] = 'a';
    }
    ASSERT_TRUE(a.used_total >= 10000u * 100u);
    arena_reset(&a);
    ASSERT_EQ_UINT(a.used_total, 0);
    unsigned char *p = arena_alloc(&a, 32);
    ASSERT_NOT_NULL(p);
    for (int i = 0; i < 32; i++) {
        ASSERT_EQ_INT(p[i], 0); /* reused memory is zeroed again */
    }
    arena_reset(&a);
    arena_reset(&a); /* twice is harmless */
    arena_fini(&a);
    arena_fini(&a); /* fini after fini is harmless */
}

TEST(arena_reset_and_fini_on_empty) {
    struct arena a;
    arena_init(&a);
    arena_reset(&a);
    arena_fini(&a);
    ASSERT_NULL(a.head);
}

TEST(arena_strndup_copies_and_terminates) {
    struct arena a;
    arena_init(&a);
    const char src[] = "Pyongyang\0hidden";
    char *s = arena_strndup(&a, src, 4);
    ASSERT_EQ_STR(s, "Pyon");
    char *e = arena_strndup(&a, src, 0);
    ASSERT_EQ_STR(e, "");
    char *n = arena_strndup(&a, src, sizeof src - 1); /* embedded NUL is copied */
    ASSERT_EQ_MEM(n, src, sizeof src - 1);
    ASSERT_EQ_INT(n[sizeof src - 1], '\0');
    arena_fini(&a);
}

/* ---- grow ---- */

TEST(grow_from_zero_and_doubling) {
    int *v = NULL;
    size_t cap = 0;
    ASSERT_TRUE(grow((void **)&v, &cap, 1, sizeof *v));
    ASSERT_EQ_UINT(cap, 8);
    ASSERT_TRUE(grow((void **)&v, &cap, 8, sizeof *v)); /* already enough */
    ASSERT_EQ_UINT(cap, 8);
    ASSERT_TRUE(grow((void **)&v, &cap, 9, sizeof *v));
    ASSERT_EQ_UINT(cap, 16);
    ASSERT_TRUE(grow((void **)&v, &cap, 1000, sizeof *v));
    ASSERT_EQ_UINT(cap, 1024);
    for (int i = 0; i < 1000; i++) {
        v[i] = i;
    }
    ASSERT_TRUE(grow((void **)&v, &cap, 5000, sizeof *v));
    ASSERT_EQ_INT(v[999], 999); /* content survives */
    free(v);
}

TEST(grow_need_zero_is_noop) {
    void *p = NULL;
    size_t cap = 0;
    ASSERT_TRUE(grow(&p, &cap, 0, 4));
    ASSERT_NULL(p);
    ASSERT_EQ_UINT(cap, 0);
}

TEST(grow_overflow_fails_and_keeps_state) {
    char *p = NULL;
    size_t cap = 0;
    ASSERT_TRUE(grow((void **)&p, &cap, 16, 1));
    p[0] = 'k';
    size_t before = cap;
    /* capacity doubling would overflow size_t */
    ASSERT_FALSE(grow((void **)&p, &cap, SIZE_MAX, 1));
    ASSERT_EQ_UINT(cap, before);
    /* element count fits, bytes do not */
    ASSERT_FALSE(grow((void **)&p, &cap, SIZE_MAX / 8 + 2, 16));
    ASSERT_EQ_UINT(cap, before);
    ASSERT_EQ_INT(p[0], 'k');
    free(p);
}

/* ---- buf ---- */

TEST(buf_add_keeps_nul_termination) {
    struct buf b;
    buf_init(&b, 0);
    ASSERT_EQ_UINT(b.max, SIZE_MAX);
    ASSERT_EQ_INT(buf_adds(&b, "North"), TUMEN_OK);
    ASSERT_EQ_INT(buf_addc(&b, ' '), TUMEN_OK);
    ASSERT_EQ_INT(buf_add(&b, "Korea!!", 5), TUMEN_OK);
    ASSERT_EQ_UINT(b.len, 11);
    ASSERT_EQ_STR(b.data, "North Korea");
    ASSERT_EQ_INT(buf_add(&b, "", 0), TUMEN_OK);
    ASSERT_EQ_STR(b.data, "North Korea");
    buf_reset(&b);
    ASSERT_EQ_UINT(b.len, 0);
    ASSERT_EQ_STR(b.data, "");
    buf_fini(&b);
    ASSERT_NULL(b.data);
    buf_fini(&b); /* twice is harmless */
}

TEST(buf_reset_before_any_add) {
    struct buf b;
    buf_init(&b, 0);
    buf_reset(&b);
    ASSERT_NULL(b.data);
    ASSERT_EQ_UINT(b.len, 0);
    buf_fini(&b);
}

TEST(buf_hard_cap_returns_limit) {
    struct buf b;
    buf_init(&b, 8);
    ASSERT_EQ_INT(buf_adds(&b, "12345"), TUMEN_OK);
    ASSERT_EQ_INT(buf_adds(&b, "6789"), TUMEN_LIMIT); /* would be 9 > 8 */
    ASSERT_EQ_UINT(b.len, 5);                         /* nothing half-appended */
    ASSERT_EQ_STR(b.data, "12345");
    ASSERT_EQ_INT(buf_adds(&b, "678"), TUMEN_OK); /* exactly at the cap */
    ASSERT_EQ_UINT(b.len, 8);
    ASSERT_EQ_INT(buf_addc(&b, 'x'), TUMEN_LIMIT);
    ASSERT_EQ_INT(buf_add(&b, "", 0), TUMEN_OK); /* adding nothing at the cap is fine */
    ASSERT_EQ_INT(buf_printf(&b, "%d", 1), TUMEN_LIMIT);
    ASSERT_EQ_STR(b.data, "12345678");
    buf_reset(&b); /* the cap is on content, so a reset makes room again */
    ASSERT_EQ_INT(buf_adds(&b, "abcdefgh"), TUMEN_OK);
    buf_fini(&b);
}

TEST(buf_add_huge_length_is_limit_not_overflow) {
    struct buf b;
    buf_init(&b, 0);
    ASSERT_EQ_INT(buf_adds(&b, "x"), TUMEN_OK);
    ASSERT_EQ_INT(buf_add(&b, "y", SIZE_MAX), TUMEN_LIMIT);
    ASSERT_EQ_INT(buf_add(&b, "y", SIZE_MAX - 1), TUMEN_LIMIT);
    ASSERT_EQ_STR(b.data, "x");
    buf_fini(&b);
}

TEST(buf_printf_small_and_large) {
    struct buf b;
    buf_init(&b, 0);
    ASSERT_EQ_INT(buf_printf(&b, "%s=%d", "troops", 14000), TUMEN_OK);
    ASSERT_EQ_STR(b.data, "troops=14000");
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ASSERT_EQ_INT(buf_printf(&b, "[%s]", big), TUMEN_OK); /* beyond the 256-byte fast path */
    ASSERT_EQ_UINT(b.len, 12 + 1000 + 1);
    ASSERT_EQ_INT(b.data[12], '[');
    ASSERT_EQ_INT(b.data[b.len - 1], ']');
    ASSERT_EQ_INT(b.data[b.len], '\0');
    buf_fini(&b);
}

TEST(buf_printf_large_respects_cap) {
    struct buf b;
    buf_init(&b, 300);
    char big[400];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ASSERT_EQ_INT(buf_printf(&b, "%s", big), TUMEN_LIMIT);
    ASSERT_EQ_UINT(b.len, 0);
    buf_fini(&b);
}

TEST(buf_grows_past_many_reallocs) {
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 100000; i++) {
        ASSERT_EQ_INT(buf_addc(&b, (char)('a' + i % 26)), TUMEN_OK);
    }
    ASSERT_EQ_UINT(b.len, 100000);
    ASSERT_EQ_INT(b.data[26], 'a');
    ASSERT_EQ_INT(b.data[99999], 'a' + 99999 % 26);
    ASSERT_EQ_INT(b.data[100000], '\0');
    buf_fini(&b);
}

/* ---- intern ---- */

TEST(intern_empty_table_finds_nothing) {
    struct intern t;
    intern_init(&t);
    ASSERT_EQ_UINT(intern_find(&t, "x", 1), TUMEN_NOID);
    ASSERT_EQ_STR(intern_str(&t, 0), "");
    ASSERT_EQ_STR(intern_str(&t, TUMEN_NOID), "");
    intern_fini(&t);
}

TEST(intern_add_find_same_id) {
    struct intern t;
    intern_init(&t);
    uint32_t a = intern_add(&t, "russia", 6);
    uint32_t b = intern_add(&t, "korea", 5);
    ASSERT_EQ_UINT(a, 0);
    ASSERT_EQ_UINT(b, 1);
    ASSERT_EQ_UINT(intern_add(&t, "russia", 6), a);
    ASSERT_EQ_UINT(intern_find(&t, "korea", 5), b);
    ASSERT_EQ_UINT(intern_find(&t, "kore", 4), TUMEN_NOID); /* prefix is not a match */
    ASSERT_EQ_UINT(intern_find(&t, "koreas", 6), TUMEN_NOID);
    ASSERT_EQ_UINT(intern_find(&t, "russia!", 6), a); /* length decides */
    ASSERT_EQ_STR(intern_str(&t, a), "russia");
    ASSERT_EQ_UINT(t.n, 2);
    intern_fini(&t);
}

TEST(intern_empty_string_and_embedded_nul) {
    struct intern t;
    intern_init(&t);
    uint32_t e = intern_add(&t, "", 0);
    ASSERT_NE_INT(e, TUMEN_NOID);
    ASSERT_EQ_UINT(intern_find(&t, "", 0), e);
    uint32_t z1 = intern_add(&t, "a\0b", 3);
    uint32_t z2 = intern_add(&t, "a\0c", 3);
    uint32_t z3 = intern_add(&t, "a", 1);
    ASSERT_NE_INT(z1, z2);
    ASSERT_NE_INT(z1, z3);
    ASSERT_EQ_UINT(intern_find(&t, "a\0b", 3), z1);
    ASSERT_EQ_UINT(t.lens[z1], 3);
    intern_fini(&t);
}

TEST(intern_survives_rehash) {
    struct intern t;
    intern_init(&t);
    enum { N = 20000 }; /* several rehashes: 1024 slots doubling to 65536 */
    char key[32];
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "word%d", i);
        uint32_t id = intern_add(&t, key, (size_t)n);
        ASSERT_EQ_UINT(id, (uint32_t)i); /* ids are dense and in order */
        if (i % 977 == 0) {
            /* everything added so far is still found after each growth step */
            for (int j = 0; j <= i; j += 131) {
                int m = snprintf(key, sizeof key, "word%d", j);
                ASSERT_EQ_UINT(intern_find(&t, key, (size_t)m), (uint32_t)j);
            }
        }
    }
    ASSERT_EQ_UINT(t.n, N);
    ASSERT_TRUE(t.nslots >= 2u * N); /* load factor stays at or under one half */
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "word%d", i);
        ASSERT_EQ_UINT(intern_find(&t, key, (size_t)n), (uint32_t)i);
        ASSERT_EQ_STR(intern_str(&t, (uint32_t)i), key);
        ASSERT_EQ_UINT(intern_add(&t, key, (size_t)n), (uint32_t)i); /* no duplicates */
    }
    ASSERT_EQ_UINT(t.n, N);
    ASSERT_EQ_UINT(intern_find(&t, "word20000", 9), TUMEN_NOID);
    ASSERT_EQ_UINT(intern_find(&t, "word-1", 6), TUMEN_NOID);
    intern_fini(&t);
    ASSERT_EQ_UINT(t.n, 0);
    ASSERT_NULL(t.slots);
}

TEST(hash_bytes_deterministic) {
    ASSERT_EQ_UINT(hash_bytes("abc", 3), hash_bytes("abc", 3));
    ASSERT_TRUE(hash_bytes("abc", 3) != hash_bytes("abd", 3));
    ASSERT_TRUE(hash_bytes("ab", 2) != hash_bytes("ab\0", 3));
}

/* ---- dates ---- */

static int32_t parse_ok(const char *s) {
    int32_t v = -1;
    if (!date_parse(s, strlen(s), &v)) {
        return -1;
    }
    return v;
}

TEST(date_parse_valid) {
    ASSERT_EQ_INT(parse_ok("2024"), 20240000);
    ASSERT_EQ_INT(parse_ok("2024-06"), 20240600);
    ASSERT_EQ_INT(parse_ok("2024-06-19"), 20240619);
    ASSERT_EQ_INT(parse_ok("20240619"), 20240619);
    ASSERT_EQ_INT(parse_ok("2019-12-31"), 20191231);
    ASSERT_EQ_INT(parse_ok("2017-01-01"), 20170101);
}

TEST(date_parse_uses_length_not_nul) {
    int32_t v = 0;
    ASSERT_TRUE(date_parse("2022-03-02T10:00:00Z", 10, &v));
    ASSERT_EQ_INT(v, 20220302);
    ASSERT_TRUE(date_parse("2022-03-02", 7, &v));
    ASSERT_EQ_INT(v, 20220300);
    ASSERT_TRUE(date_parse("2022-03-02", 4, &v));
    ASSERT_EQ_INT(v, 20220000);
}

TEST(date_parse_invalid) {
    static const char *const bad[] = {
        "",           "2",          "202",         "2024-",     "2024-6",     "2024-13",
        "2024-00",    "2024-06-00", "2024-06-32",  "2024-6-19", "2024/06/19", "2024-06-1x",
        "24-06-2019", "abcd",       "2024-06-19Z", "202406",    "2024061",    "202406190",
        "20241301",   "00000619",   "2024-06-19 ", " 2024",     "2024-0a",    "+024",
        "-024",       "2024_06",    "20240632",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t v = 0;
        if (date_parse(bad[i], strlen(bad[i]), &v)) {
            fprintf(stderr, "accepted invalid date \"%s\" as %d\n", bad[i], (int)v);
            ASSERT_TRUE(0);
        }
    }
}

/* ---- err_set ---- */

TEST(err_set_fills_fields) {
    tumen_error e;
    memset(&e, 0, sizeof e);
    tumen_status st = err_set(&e, TUMEN_UTF8, "in.jsonl", 3, 17, "bad byte %d", 0xC0);
    ASSERT_EQ_INT(st, TUMEN_UTF8);
    ASSERT_EQ_INT(e.status, TUMEN_UTF8);
    ASSERT_EQ_STR(e.file, "in.jsonl");
    ASSERT_EQ_UINT(e.line, 3);
    ASSERT_EQ_UINT(e.col, 17);
    ASSERT_EQ_STR(e.msg, "bad byte 192");
}

TEST(err_set_null_error_and_null_file) {
    ASSERT_EQ_INT(err_set(NULL, TUMEN_IO, "x", 1, 1, "%s", "ignored"), TUMEN_IO);
    tumen_error e;
    memset(&e, 0xff, sizeof e);
    ASSERT_EQ_INT(err_set(&e, TUMEN_JSON, NULL, 0, 0, "%s", "m"), TUMEN_JSON);
    ASSERT_EQ_STR(e.file, "");
}

TEST(err_set_truncates_long_text) {
    tumen_error e;
    char path[2000];
    memset(path, 'p', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    err_set(&e, TUMEN_IO, path, 1, 2, "%s", path);
    ASSERT_EQ_UINT(strlen(e.file), sizeof e.file - 1);
    ASSERT_EQ_UINT(strlen(e.msg), sizeof e.msg - 1);
}

/* ---- sorted key tables ---- */

struct kw {
    const char *w;
    int v;
};

/* ---- radix_sort_u64 ---- */

struct rec {
    uint64_t key;
    uint64_t seq; /* original position, to check stability */
};

/* Sorts n records with keys from a small generator and checks order (under mask) and
 * stability against the original positions. */
static int check_radix(size_t n, uint64_t mask, int shape) {
    struct rec *a = malloc((n ? n : 1) * sizeof *a), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (a == NULL || tmp == NULL) {
        free(a);
        free(tmp);
        return 0;
    }
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* shape 0: random 64-bit keys; 1: few distinct keys differing in one middle byte and
         * the top bit (outside a mask that drops it); 2: all equal */
        a[i].key = shape == 0 ? x : shape == 1 ? ((x % 5) << 24) | (x & 1) << 63 : 42;
        a[i].seq = i;
    }
    radix_sort_u64(a, tmp, n, sizeof *a, offsetof(struct rec, key), mask);
    int ok = 1;
    for (size_t i = 1; i < n; i++) {
        uint64_t p = a[i - 1].key & mask, q = a[i].key & mask;
        if (p > q || (p == q && a[i - 1].seq > a[i].seq)) {
            ok = 0;
        }
    }
    /* a permutation: every position appears once */
    unsigned char *seen = calloc(n ? n : 1, 1);
    for (size_t i = 0; seen && i < n; i++) {
        if (a[i].seq >= n || seen[a[i].seq]++) {
            ok = 0;
        }
    }
    free(seen);
    free(a);
    free(tmp);
    return ok;
}

TEST(radix_sort_orders_stably) {
    ASSERT_TRUE(check_radix(0, UINT64_MAX, 0));
    ASSERT_TRUE(check_radix(1, UINT64_MAX, 0));
    ASSERT_TRUE(check_radix(1000, UINT64_MAX, 0));
    ASSERT_TRUE(check_radix(1000, ~((uint64_t)1 << 63), 1)); /* masked top bit: ties stay */
    ASSERT_TRUE(check_radix(1000, UINT64_MAX, 1));
    ASSERT_TRUE(check_radix(100, UINT64_MAX, 2)); /* every byte shared: nothing moves */
}

TEST(keys_sorted_struct_and_string_tables) {
    static const struct kw ok[] = {{"alpha", 1}, {"beta", 2}, {"gamma", 3}};
    static const struct kw swapped[] = {{"alpha", 1}, {"gamma", 3}, {"beta", 2}};
    static const struct kw dup[] = {{"alpha", 1}, {"alpha", 2}};
    static const char *const words[] = {"a", "ab", "b"};
    static const char *const words_bad[] = {"b", "a"};
    ASSERT_TRUE(KEYS_SORTED(ok));
    ASSERT_FALSE(KEYS_SORTED(swapped));
    ASSERT_FALSE(KEYS_SORTED(dup)); /* strictly increasing: bsearch needs unique keys */
    ASSERT_TRUE(KEYS_SORTED(words));
    ASSERT_FALSE(KEYS_SORTED(words_bad));
    ASSERT_TRUE(keys_sorted(ok, 0, sizeof ok[0]));
    ASSERT_TRUE(keys_sorted(swapped, 1, sizeof swapped[0]));
}

int main(void) {
    RUN(arena_alloc_zeroed_and_aligned);
    RUN(radix_sort_orders_stably);
    RUN(arena_distinct_blocks_do_not_overlap);
    RUN(arena_large_block_beyond_first_chunk);
    RUN(arena_many_chunks_then_reset_reuses);
    RUN(arena_reset_and_fini_on_empty);
    RUN(arena_strndup_copies_and_terminates);
    RUN(grow_from_zero_and_doubling);
    RUN(grow_need_zero_is_noop);
    RUN(grow_overflow_fails_and_keeps_state);
    RUN(buf_add_keeps_nul_termination);
    RUN(buf_reset_before_any_add);
    RUN(buf_hard_cap_returns_limit);
    RUN(buf_add_huge_length_is_limit_not_overflow);
    RUN(buf_printf_small_and_large);
    RUN(buf_printf_large_respects_cap);
    RUN(buf_grows_past_many_reallocs);
    RUN(intern_empty_table_finds_nothing);
    RUN(intern_add_find_same_id);
    RUN(intern_empty_string_and_embedded_nul);
    RUN(intern_survives_rehash);
    RUN(hash_bytes_deterministic);
    RUN(date_parse_valid);
    RUN(date_parse_uses_length_not_nul);
    RUN(date_parse_invalid);
    RUN(err_set_fills_fields);
    RUN(err_set_null_error_and_null_file);
    RUN(err_set_truncates_long_text);
    RUN(keys_sorted_struct_and_string_tables);
    return harness_summary();
}
