/* A tiny assert harness for tumen's unit tests (in the spirit of libuv's test/task.h).
 *
 * Usage:
 *
 *     #include "harness.h"
 *
 *     TEST(arena_zeroes) {
 *         ASSERT_EQ_INT(1 + 1, 2);
 *     }
 *
 *     int main(void) {
 *         RUN(arena_zeroes);
 *         return harness_summary();
 *     }
 *
 * A failing assert prints "file:line: ASSERT_EQ_INT(a, b) failed: 1 != 2" and ends the
 * current test (the others still run). SKIP_TEST("why") ends the current test as skipped;
 * SKIP_ALL("why") ends the whole executable with status 77 (CTest "skipped").
 * harness_summary() prints "N passed, N failed[, N skipped]" and returns the exit status:
 * 1 if any test failed, 77 if every test was skipped, 0 otherwise.
 *
 * Tests that need files use a scratch folder: harness_path("x.verbs") is a path in
 * $TMPDIR/tumen_test_XXXXXX (made at the first call), harness_write_file(name, text) writes
 * one there and returns its path, and harness_summary() removes the folder.
 *
 * Everything is static: include this header from exactly one .c file per executable.
 */
#ifndef TUMEN_TEST_HARNESS_H
#define TUMEN_TEST_HARNESS_H

#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct harness_state {
    int passed, failed, skipped;
    int current_failed;
    int current_skipped;
    const char *current;
    jmp_buf jump;
};

static struct harness_state harness_g; /* test-only state; the library has no globals */
static char harness_scratch[512];       /* the scratch folder, "" until made */

/* Ends the current test. failed: 1 fail, 0 skip. */
static inline _Noreturn void harness_end_test(int failed) {
    if (failed) {
        harness_g.current_failed = 1;
    } else {
        harness_g.current_skipped = 1;
    }
    longjmp(harness_g.jump, 1);
}

static inline void harness_run(const char *name, void (*fn)(void)) {
    harness_g.current = name;
    harness_g.current_failed = 0;
    harness_g.current_skipped = 0;
    if (setjmp(harness_g.jump) == 0) {
        fn();
    }
    if (harness_g.current_failed) {
        harness_g.failed++;
        fprintf(stderr, "FAIL %s\n", name);
    } else if (harness_g.current_skipped) {
        harness_g.skipped++;
        fprintf(stderr, "SKIP %s\n", name);
    } else {
        harness_g.passed++;
        fprintf(stderr, "ok   %s\n", name);
    }
    fflush(stderr);
}

/* A path in the scratch folder (a static buffer: the next call overwrites it). Exits the test
 * executable when the folder cannot be made. */
static inline const char *harness_path(const char *name) {
    static char path[1024];
    if (harness_scratch[0] == '\0') {
        const char *tmp = getenv("TMPDIR");
        snprintf(harness_scratch, sizeof harness_scratch, "%s/tumen_test_XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (mkdtemp(harness_scratch) == NULL) {
            perror("mkdtemp");
            exit(1);
        }
    }
    snprintf(path, sizeof path, "%s/%s", harness_scratch, name);
    return path;
}

/* Writes text to name in the scratch folder; returns its path (as harness_path), NULL when
 * the file cannot be written. */
static inline const char *harness_write_file(const char *name, const char *text) {
    const char *path = harness_path(name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return NULL;
    }
    fputs(text, f);
    return fclose(f) == 0 ? path : NULL;
}

static inline int harness_summary(void) {
    if (harness_scratch[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", harness_scratch);
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", harness_scratch);
        }
    }
    printf("%d passed, %d failed", harness_g.passed, harness_g.failed);
    if (harness_g.skipped) {
        printf(", %d skipped", harness_g.skipped);
    }
    printf("\n");
    fflush(stdout);
    if (harness_g.failed) {
        return 1;
    }
    if (harness_g.passed == 0 && harness_g.skipped > 0) {
        return 77;
    }
    return 0;
}

/* Prints a string value for a failure message, showing NULL and escaping control bytes. */
static inline void harness_put_str(const char *s) {
    if (s == NULL) {
        fputs("NULL", stderr);
        return;
    }
    fputc('"', stderr);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            fprintf(stderr, "\\x%02x", *p);
        } else {
            fputc(*p, stderr);
        }
    }
    fputc('"', stderr);
}

#define TEST(name) static void test_##name(void)
#define RUN(name) harness_run(#name, test_##name)

#define HARNESS_FAIL_HEAD(what) fprintf(stderr, "%s:%d: %s failed: ", __FILE__, __LINE__, what)

#define ASSERT_TRUE(x)                                                                             \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            HARNESS_FAIL_HEAD("ASSERT_TRUE(" #x ")");                                              \
            fprintf(stderr, "false\n");                                                            \
            harness_end_test(1);                                                                   \
        }                                                                                          \
    } while (0)

#define ASSERT_FALSE(x)                                                                            \
    do {                                                                                           \
        if (x) {                                                                                   \
            HARNESS_FAIL_HEAD("ASSERT_FALSE(" #x ")");                                             \
            fprintf(stderr, "true\n");                                                             \
            harness_end_test(1);                                                                   \
        }                                                                                          \
    } while (0)

/* Integers are compared as long long (or unsigned long long for ASSERT_EQ_UINT). */
#define ASSERT_EQ_INT(a, b)                                                                        \
    do {                                                                                           \
        long long harness_a = (long long)(a), harness_b = (long long)(b);                          \
        if (harness_a != harness_b) {                                                              \
            HARNESS_FAIL_HEAD("ASSERT_EQ_INT(" #a ", " #b ")");                                    \
            fprintf(stderr, "%lld != %lld\n", harness_a, harness_b);                               \
            harness_end_test(1);                                                                   \
        }                                                                                          \
    } while (0)

#define ASSERT_NE_INT(a, b)                                                                        \
    do {                                                                                           \
        long long harness_a = (long long)(a), harness_b = (long long)(b);                          \
        if (harness_a == harness_b) {                                                              \
            HARNESS_FAIL_HEAD("ASSERT_NE_INT(" #a ", " #b ")");                                    \
            fprintf(stderr, "both %lld\n", harness_a);                                             \
            harness_end_test(1);                                                                   \
        }                                                                                          \
    } while (0)

#define ASSERT_EQ_UINT(a, b)                                                                       \
    do {                                                                                           \
        unsigned long long harness_a = (unsigned long long)(a);                                    \
        unsigned long long harness_b = (unsigned long long)(b);                                    \
        if (harness_a != harness_b) {                                                              \
            HARNESS_FAIL_HEAD("ASSERT_EQ_UINT(" #a ", " #b ")");                                   \
            fprintf(stderr, "%llu != %llu\n", harness_a, harness_b);                               \
            harness_end_test(1);                                                                   \
        }                                                                                          \
    } while (0)

#define ASSERT_EQ_STR(a, b)                                                                        \
    do {                                                                                           \
        const char *harness_a = (a), *harness_b = (b);                                             \
        if (harness_a == NULL || harness_b == NULL ? harness_a != harness_b                        \
                                                   : strcmp(harness_a, harness_b) != 0) {          \
            HARNESS_FAIL_HEAD("ASSERT_EQ_STR(" #a ", " #b ")");                                    \
            harness_put_str(harness_a);                                                            \
            fputs(" != ", stderr);                                                                 \
            harness_put_str(harness_b);                                                            \
            fputc('\n', stderr);                                                                   \
            harness_end_test(1);                                                                   \
        }                                                                                          \
    } while (0)

/* Compares the first n bytes; prints both as strings of n bytes. */
#define ASSERT_EQ_MEM(a, b, n)                                                                     \
    do {                                                                                           \
        const char *harness_a = (const char *)(a), *harness_b = (const char *)(b);                 \
        size_t harness_n = (n);                                                                    \
        if (memcmp(harness_a, harness_b, harness_n) != 0) {                                        \
            HARNESS_FAIL_HEAD("ASSERT_EQ_MEM(" #a ", " #b ", " #n ")");                            \
            fprintf(stderr, "\"%.*s\" != \"%.*s\"\n", (int)harness_n, harness_a, (int)harness_n,   \
                    harness_b);                                                                    \
            harness_end_test(1);                                                                   \
        }                                                                                          \
    } while (0)

#define ASSERT_NEAR(a, b, eps)                                                                     \
    do {                                                                                           \
        double harness_a = (double)(a), harness_b = (double)(b);                                   \
        if (!(fabs(harness_a - harness_b) <= (double)(eps))) {                                     \
            HARNESS_FAIL_HEAD("ASSERT_NEAR(" #a ", " #b ", " #eps ")");                            \
            fprintf(stderr, "%.17g != %.17g (eps %g)\n", harness_a, harness_b, (double)(eps));     \
            harness_end_test(1);                                                                   \
        }                                                                                          \
    } while (0)

#define ASSERT_NULL(p) ASSERT_TRUE((p) == NULL)
#define ASSERT_NOT_NULL(p) ASSERT_TRUE((p) != NULL)

/* Ends the current test as skipped. */
#define SKIP_TEST(why)                                                                             \
    do {                                                                                           \
        fprintf(stderr, "SKIP: %s: %s\n", harness_g.current, why);                                 \
        harness_end_test(0);                                                                       \
    } while (0)

/* Ends the whole executable as skipped (CTest SKIP_RETURN_CODE 77). */
#define SKIP_ALL(why)                                                                              \
    do {                                                                                           \
        fprintf(stderr, "SKIP: %s\n", why);                                                        \
        exit(77);                                                                                  \
    } while (0)

#endif
