/* Unit tests for src/lib/evscan.c: the scanner of the store's event arrays. */
#include "evscan.h"
#include "harness.h"

#include <string.h>

/* The value of key k of object number idx of array s as a string ("<absent>" if none). */
static const char *value_of(const char *s, size_t idx, const char *k, char *out, size_t cap) {
    size_t pos = 0, a = 0, b = 0;
    for (size_t i = 0; i <= idx; i++) {
        if (evscan_next(s, strlen(s), &pos, &a, &b) != 1) {
            return "<no object>";
        }
    }
    const char *v;
    size_t vn;
    if (!evscan_get(s + a, b - a, k, &v, &vn)) {
        return "<absent>";
    }
    if (vn >= cap) {
        vn = cap - 1;
    }
    memcpy(out, v, vn);
    out[vn] = '\0';
    return out;
}

static int count_objects(const char *s) {
    size_t pos = 0, a = 0, b = 0;
    int n = 0, r;
    while ((r = evscan_next(s, strlen(s), &pos, &a, &b)) == 1) {
        n++;
    }
    return r < 0 ? -1 : n;
}

TEST(evscan_objects) {
    ASSERT_EQ_INT(count_objects("[]"), 0);
    ASSERT_EQ_INT(count_objects("[{\"n\":1},{\"n\":2}]"), 2);
    /* braces and brackets inside strings do not count */
    ASSERT_EQ_INT(count_objects("[{\"pt\":\"a}{b]\"},{\"pt\":\"c\\\"}\"}]"), 2);
    ASSERT_EQ_INT(count_objects(""), -1);
    ASSERT_EQ_INT(count_objects("{}"), -1);           /* not an array */
    ASSERT_EQ_INT(count_objects("[{\"n\":1}"), -1);  /* unterminated */
    ASSERT_EQ_INT(count_objects("[{\"n\":\"x}]"), -1); /* unterminated string */
    ASSERT_EQ_INT(count_objects("[{\"o\":{\"n\":1}}]"), -1); /* nested object: not ours */
    ASSERT_EQ_INT(count_objects("[1,2]"), -1);
}

TEST(evscan_values) {
    static const char a[] =
        "[{\"n\":3,\"S\":[10,20],\"src\":\"RUSGOV\",\"sc\":\"RUS\",\"g\":-7.5,"
        "\"at\":\"x,\\\"sc\\\":\\\"PRK\",\"tc\":\"PRK\",\"dk\":20240619}]";
    char buf[64];
    ASSERT_EQ_STR(value_of(a, 0, "sc", buf, sizeof buf), "RUS");
    /* a key-like text inside a string value is not a key */
    ASSERT_EQ_STR(value_of(a, 0, "tc", buf, sizeof buf), "PRK");
    ASSERT_EQ_STR(value_of(a, 0, "at", buf, sizeof buf), "x,\\\"sc\\\":\\\"PRK");
    ASSERT_EQ_STR(value_of(a, 0, "S", buf, sizeof buf), "[10,20]");
    ASSERT_EQ_STR(value_of(a, 0, "g", buf, sizeof buf), "-7.5");
    ASSERT_EQ_STR(value_of(a, 0, "c", buf, sizeof buf), "<absent>"); /* "c" is not "sc" */
    ASSERT_EQ_STR(value_of(a, 0, "src", buf, sizeof buf), "RUSGOV");
    size_t pos = 0, s = 0, e = 0;
    ASSERT_EQ_INT(evscan_next(a, strlen(a), &pos, &s, &e), 1);
    long long x = 0;
    ASSERT_TRUE(evscan_int(a + s, e - s, "dk", &x));
    ASSERT_EQ_INT((int)(x - 20240619), 0);
    ASSERT_TRUE(evscan_int(a + s, e - s, "n", &x));
    ASSERT_EQ_INT((int)x, 3);
    ASSERT_FALSE(evscan_int(a + s, e - s, "g", &x));   /* not an integer */
    ASSERT_FALSE(evscan_int(a + s, e - s, "sc", &x));  /* a string */
    ASSERT_FALSE(evscan_int(a + s, e - s, "cl", &x));  /* absent */
    ASSERT_EQ_INT(evscan_next(a, strlen(a), &pos, &s, &e), 0);
}

TEST(evscan_fields_and_unescape) {
    static const char o[] = "{\"n\":3,\"S\":[10,20],\"at\":\"a\\\"b\\n\\u0001c\",\"sc\":\"RUS\"}";
    static const char *const keys[4] = {"sc", "S", "at", "zz"};
    const char *v[4];
    size_t l[4];
    ASSERT_EQ_INT((int)evscan_fields(o, strlen(o), keys, 4, v, l), 3);
    ASSERT_EQ_MEM(v[0], "RUS", 3);
    ASSERT_EQ_UINT(l[0], 3);
    ASSERT_EQ_MEM(v[1], "[10,20]", 7);
    ASSERT_NULL(v[3]);
    char out[32];
    ASSERT_EQ_UINT(evscan_unescape(v[2], l[2], out, sizeof out), 6);
    ASSERT_EQ_STR(out, "a\"b\n\001c");
    /* cut to the output size, NUL-terminated */
    ASSERT_EQ_UINT(evscan_unescape(v[2], l[2], out, 3), 2);
    ASSERT_EQ_STR(out, "a\"");
}

int main(void) {
    RUN(evscan_objects);
    RUN(evscan_values);
    RUN(evscan_fields_and_unescape);
    return harness_summary();
}
