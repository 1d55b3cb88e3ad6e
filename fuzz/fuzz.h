/* Shared by the libFuzzer targets: FUZZ_CHECK(x) aborts (a crash libFuzzer reports) when an
 * invariant of the code under test does not hold. */
#ifndef TUMEN_FUZZ_H
#define TUMEN_FUZZ_H

#include <stdlib.h>

#define FUZZ_CHECK(x)                                                                        \
    do {                                                                                     \
        if (!(x)) {                                                                          \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

#endif
