/* libFuzzer target: the TABARI loader (src/lib/dict_tabari.c) on arbitrary bytes.
 *
 * The first byte picks the file kind (by its name); the rest is written to a temporary
 * file, loaded through tumen_dict_load, finished and freed. A failed load must name a
 * position inside the input and leave nothing of the file in the dictionary. */
#include "dict.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                                             \
    do {                                                                                     \
        if (!(x)) {                                                                          \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

static const char *const names[] = {"fuzz.actors", "fuzz.verbs", "fuzz.agents", "fuzz.options"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    char dir[] = "/tmp/tumen_fuzz_dict_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        return 0;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, names[data[0] % 4]);
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        fwrite(data + 1, 1, size - 1, f);
        fclose(f);
        tumen_dict *d = NULL;
        CHECK(tumen_dict_new(&d) == TUMEN_OK);
        tumen_error e;
        memset(&e, 0, sizeof e);
        tumen_status st = tumen_dict_load(d, path, TUMEN_DICT_TABARI, &e);
        if (st != TUMEN_OK) {
            CHECK(d->nactors == 0 && d->nagents == 0 && d->nverbs == 0 && d->nissues == 0 &&
                  d->ndiscards == 0);
            CHECK(e.line <= size + 1);
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
