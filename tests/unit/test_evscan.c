/* Unit tests for src/lib/evscan.c: the scanner of the store's event arrays. */
#include "evscan.h"
#include "harness.h"

#include <string.h>

static int count_events(const char *s) {
    size_t pos = 0, a = 0, b = 0;
    int n = 0, r;
    while ((r = evscan_next(s, strlen(s), &pos, &a, &b)) == 1) {
        n++;
    }
    return r < 0 ? -1 : n;
}

/* Element i of the first event of s as text ("<absent>" past its end, "<bad>" on error). */
static const char *elem(const char *s, size_t i, char *out, size_t cap) {
    size_t pos = 0, a = 0, b = 0;
    if (evscan_next(s, strlen(s), &pos, &a, &b) != 1) {
        return "<bad>";
    }
    const char *v[8];
    size_t l[8];
    if (evscan_elems(s + a, b - a, v, l, 8) < 0) {
        return "<bad>";
    }
    if (v[i] == NULL) {
        return "<absent>";
    }
    size_t n = l[i] < cap ? l[i] : cap - 1;
    memcpy(out, v[i], n);
    out[n] = '\0';
    return out;
}

TEST(evscan_events) {
    ASSERT_EQ_INT(count_events("[]"), 0);
    ASSERT_EQ_INT(count_events("[[1,2],[3]]"), 2);
    /* brackets inside strings do not count */
    ASSERT_EQ_INT(count_events("[[\"a]][b\"],[\"c\\\"]\"]]"), 2);
    ASSERT_EQ_INT(count_events(""), -1);
    ASSERT_EQ_INT(count_events("{}"), -1);         /* not an array */
    ASSERT_EQ_INT(count_events("[[1]"), -1);       /* unterminated */
    ASSERT_EQ_INT(count_events("[[\"x]]"), -1);    /* unterminated string */
    ASSERT_EQ_INT(count_events("[[1,[2]]]"), -1);  /* nested: not ours */
    ASSERT_EQ_INT(count_events("[[{\"a\":1}]]"), -1);
    ASSERT_EQ_INT(count_events("[1,2]"), -1);      /* events are arrays */
}

TEST(evscan_elements) {
    static const char a[] = "[[3,10,20,\"RUSGOV\",\"x,\\\"y\\\"]\",-7.5,null,0]]";
    char buf[64];
    ASSERT_EQ_STR(elem(a, 0, buf, sizeof buf), "3");
    ASSERT_EQ_STR(elem(a, 3, buf, sizeof buf), "RUSGOV");
    /* a string keeps its escapes; commas and brackets inside it are not separators */
    ASSERT_EQ_STR(elem(a, 4, buf, sizeof buf), "x,\\\"y\\\"]");
    ASSERT_EQ_STR(elem(a, 5, buf, sizeof buf), "-7.5");
    ASSERT_EQ_STR(elem(a, 6, buf, sizeof buf), "null");
    ASSERT_EQ_STR(elem(a, 7, buf, sizeof buf), "0");
    size_t pos = 0, s = 0, e = 0;
    ASSERT_EQ_INT(evscan_next(a, strlen(a), &pos, &s, &e), 1);
    const char *v[10];
    size_t l[10];
    ASSERT_EQ_INT(evscan_elems(a + s, e - s, v, l, 10), 8);
    ASSERT_NULL(v[8]); /* past the end: absent */
    ASSERT_TRUE(evscan_is_str(v[3]));
    ASSERT_FALSE(evscan_is_str(v[0]));
    ASSERT_FALSE(evscan_is_str(v[8]));
    ASSERT_EQ_INT((int)evscan_intv(v[0], l[0], -1), 3);
    ASSERT_EQ_INT((int)evscan_intv(v[3], l[3], -1), -1); /* a string is not a number */
    ASSERT_EQ_INT((int)evscan_intv(v[5], l[5], -1), -1); /* not an integer */
    ASSERT_EQ_INT((int)evscan_intv(v[9], l[9], -2), -2); /* absent */
    ASSERT_TRUE(evscan_num(v[5], l[5], 0) == -7.5);
    ASSERT_TRUE(evscan_num(v[6], l[6], 42) == 42); /* null */
    ASSERT_TRUE(evscan_str_eq(v[3], l[3], "RUSGOV", 6));
    ASSERT_FALSE(evscan_str_eq(v[3], l[3], "RUS", 3));
    ASSERT_FALSE(evscan_str_eq(v[0], l[0], "3", 1)); /* the number 3 is not the string "3" */
    /* the count goes on past max */
    ASSERT_EQ_INT(evscan_elems(a + s, e - s, v, l, 2), 8);
    ASSERT_EQ_INT(evscan_next(a, strlen(a), &pos, &s, &e), 0);
    /* malformed events */
    static const char *const bad[] = {"[1,,2]", "[1,]", "[,1]", "[1 2\"x\"]", "[\"a\"1]", "[1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ASSERT_EQ_INT(evscan_elems(bad[i], strlen(bad[i]), v, l, 10), -1);
    }
    ASSERT_EQ_INT(evscan_elems("[]", 2, v, l, 10), 0);
}

TEST(evscan_unescape_strings) {
    static const char e[] = "[\"a\\\"b\\n\\u0001c\",5]";
    const char *v[2];
    size_t l[2];
    ASSERT_EQ_INT(evscan_elems(e, strlen(e), v, l, 2), 2);
    char out[32];
    ASSERT_EQ_UINT(evscan_unescape(v[0], l[0], out, sizeof out), 6);
    ASSERT_EQ_STR(out, "a\"b\n\001c");
    /* cut to the output size, NUL-terminated */
    ASSERT_EQ_UINT(evscan_unescape(v[0], l[0], out, 3), 2);
    ASSERT_EQ_STR(out, "a\"");
    /* a number is not a string: "" */
    ASSERT_EQ_UINT(evscan_unescape(v[1], l[1], out, sizeof out), 0);
    ASSERT_EQ_STR(out, "");
}

int main(void) {
    RUN(evscan_events);
    RUN(evscan_elements);
    RUN(evscan_unescape_strings);
    return harness_summary();
}
