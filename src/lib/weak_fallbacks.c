/* TEMPORARY: weak stand-ins until modality.c lands (removed then). */
#include "modality.h"

#include <string.h>

__attribute__((weak)) void modality_classify(const struct mod_input *in, struct mod_result *out) {
    (void)in;
    memset(out, 0, sizeof *out);
    out->probability = -1;
    out->attrib_tok = TUMEN_NOID;
}
__attribute__((weak)) bool prose_same_clause(const struct text *t, const struct sent *s, uint32_t a,
                                             uint32_t b) {
    (void)t;
    (void)s;
    (void)a;
    (void)b;
    return true;
}
__attribute__((weak)) bool prose_strong_start(const struct text *t, const struct sent *s,
                                              uint32_t k) {
    (void)t;
    (void)s;
    (void)k;
    return false;
}
__attribute__((weak)) bool prose_clause_start(const struct text *t, const struct sent *s,
                                              uint32_t k) {
    (void)t;
    (void)s;
    (void)k;
    return false;
}
