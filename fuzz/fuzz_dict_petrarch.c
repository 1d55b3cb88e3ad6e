/* libFuzzer target: the PETRARCH loader (src/lib/dict_petrarch.c); see fuzz_dict.h. */
#include "fuzz_dict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {"CAMEO.fuzz.txt", "fuzz.actors.txt", "fuzz.agents.txt", "fuzz.discards.txt",
                                    "fuzz.issues.txt"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return fuzz_dict_one(data, size, names, sizeof names / sizeof names[0], TUMEN_DICT_PETRARCH);
}
