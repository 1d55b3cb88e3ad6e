/* libFuzzer target: the store's event_data scanner (evscan) on arbitrary bytes. Every object
 * span it returns lies inside the input and starts with '{' and ends with '}'; every value it
 * returns (evscan_get, evscan_fields) lies inside its object; evscan_unescape stays within
 * its output; nothing reads past the input.
 *
 *     clang -fsanitize=fuzzer,address,undefined ... fuzz/fuzz_evscan.c libtumen.a */
#include "evscan.h"

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
    static const char *const keys[] = {"sc", "tc", "ch", "dk", "m", "qv", "cl", "S", ""};
    size_t pos = 0, a = 0, b = 0;
    int r;
    while ((r = evscan_next(p, size, &pos, &a, &b)) == 1) {
        if (a >= b || b > size || p[a] != '{' || p[b - 1] != '}' || pos > size) {
            __builtin_trap();
        }
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const char *v;
            size_t vn;
            if (evscan_get(p + a, b - a, keys[k], &v, &vn) &&
                (v < p + a || v + vn > p + b)) {
                __builtin_trap();
            }
            long long x;
            (void)evscan_int(p + a, b - a, keys[k], &x);
            char out[16];
            if (evscan_get(p + a, b - a, keys[k], &v, &vn) &&
                evscan_unescape(v, vn, out, sizeof out) >= sizeof out) {
                __builtin_trap();
            }
        }
        const char *vals[9];
        size_t lens[9];
        (void)evscan_fields(p + a, b - a, keys, 9, vals, lens);
        for (size_t k = 0; k < 9; k++) {
            if (vals[k] && (vals[k] < p + a || vals[k] + lens[k] > p + b)) {
                __builtin_trap();
            }
        }
    }
    if (r != 0 && r != -1) {
        __builtin_trap();
    }
    free(p);
    return 0;
}
