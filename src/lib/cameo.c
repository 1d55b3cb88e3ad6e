#include "cameo.h"
#include "tumen.h"

#include <string.h>

const struct cameo_code *cameo_find(const char *code) {
    size_t lo = 0, hi = cameo_ncodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(cameo_codes[mid].code, code);
        if (c == 0) {
            return &cameo_codes[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

tumen_status tumen_cameo_lookup(const char *code, double *goldstein, int *quad,
                                const char **name) {
    const struct cameo_code *c = code ? cameo_find(code) : NULL;
    if (c == NULL) {
        return TUMEN_CODE;
    }
    if (goldstein) {
        *goldstein = c->goldstein;
    }
    if (quad) {
        *quad = c->quad;
    }
    if (name) {
        *name = c->name;
    }
    return TUMEN_OK;
}
