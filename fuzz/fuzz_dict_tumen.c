/* libFuzzer target: the tumen-format loader (src/lib/dict_tumen.c); see fuzz_dict.h. */
#include "fuzz_dict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {"fuzz.actors", "fuzz.verbs",    "fuzz.agents",
                                    "fuzz.sets",   "fuzz.discards", "fuzz.issues", "fuzz.alignments"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return fuzz_dict_one(data, size, names, sizeof names / sizeof names[0], TUMEN_DICT_TUMEN);
}
