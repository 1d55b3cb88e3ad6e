/* libFuzzer target: the store's event_data scanner (evscan) on arbitrary bytes. Every event
 * span it returns lies inside the input and starts with '[' and ends with ']'; every element
 * evscan_elems returns lies inside its event; the number and string readers stay within
 * their element and output; nothing reads past the input.
 *
 *     clang -fsanitize=fuzzer,address,undefined ... fuzz/fuzz_evscan.c libtumen.a */
#include "evscan.h"
#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* an exact-size copy, so ASan sees any read past the end */
    char *p = malloc(size ? size : 1);
    if (p == NULL) {
        return 0;
    }
    memcpy(p, data, size);
    size_t pos = 0, a = 0, b = 0;
    int r;
    while ((r = evscan_next(p, size, &pos, &a, &b)) == 1) {
        FUZZ_CHECK(a < b && b <= size && p[a] == '[' && p[b - 1] == ']' && pos <= size);
        const char *v[EV_COUNT];
        size_t l[EV_COUNT];
        int n = evscan_elems(p + a, b - a, v, l, EV_COUNT);
        FUZZ_CHECK(n >= -1);
        for (size_t k = 0; n >= 0 && k < EV_COUNT; k++) {
            if (v[k] == NULL) {
                FUZZ_CHECK((int)k >= n);
                continue;
            }
            FUZZ_CHECK(v[k] > p + a && v[k] + l[k] < p + b);
            (void)evscan_intv(v[k], l[k], 0);
            (void)evscan_num(v[k], l[k], 0);
            char out[16];
            FUZZ_CHECK(evscan_unescape(v[k], l[k], out, sizeof out) < sizeof out);
            (void)evscan_str_eq(v[k], l[k], "RUS", 3);
        }
    }
    FUZZ_CHECK(r == 0 || r == -1);
    free(p);
    return 0;
}
