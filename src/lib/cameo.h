/* CAMEO 1.1b3 code table (generated into cameo_table.c by tools/gen_cameo.py). */
#ifndef TUMEN_CAMEO_H
#define TUMEN_CAMEO_H

#include <stddef.h>

struct cameo_code {
    const char *code;
    double goldstein;
    int quad;
    const char *name;
};

extern const struct cameo_code cameo_codes[]; /* sorted by code */
extern const size_t cameo_ncodes;

/* Returns the entry for code, or NULL. */
const struct cameo_code *cameo_find(const char *code);

#endif
