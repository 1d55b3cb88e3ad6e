/* Shared body of the dictionary-loader fuzz targets (fuzz_dict_*.c).
 *
 * The first byte picks the file kind (by its name); the rest is written to a temporary
 * file under $TMPDIR (default /tmp), loaded through tumen_dict_load, finished and freed. A
 * failed load must name a position inside the input and leave nothing of the file in the
 * dictionary. */
#ifndef TUMEN_FUZZ_DICT_H
#define TUMEN_FUZZ_DICT_H

#include "dict.h"

#include "fuzz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int fuzz_dict_one(const uint8_t *data, size_t size, const char *const *names,
                                size_t nnames, tumen_dict_format fmt) {
    if (size < 1) {
        return 0;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tumen_fuzz_dict_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        return 0;
    }
    char path[640];
    snprintf(path, sizeof path, "%s/%s", dir, names[data[0] % nnames]);
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        fwrite(data + 1, 1, size - 1, f);
        fclose(f);
        tumen_dict *d = NULL;
        FUZZ_CHECK(tumen_dict_new(&d) == TUMEN_OK);
        tumen_error e;
        memset(&e, 0, sizeof e);
        tumen_status st = tumen_dict_load(d, path, fmt, &e);
        if (st != TUMEN_OK) {
            FUZZ_CHECK(d->nactors == 0 && d->nagents == 0 && d->nverbs == 0 &&
                       d->nissues == 0 && d->ndiscards == 0);
            FUZZ_CHECK(e.line <= size + 1);
        } else {
            tumen_error fe;
            memset(&fe, 0, sizeof fe);
            (void)tumen_dict_finish(d, &fe);
        }
        tumen_dict_free(d);
        remove(path);
    }
    rmdir(dir);
    return 0;
}

#endif
