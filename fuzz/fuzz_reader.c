/* libFuzzer target: the document reader (src/lib/reader.c) on arbitrary bytes.
 *
 * The input is written to a temporary file (the reader reads FILE streams) and read as
 * JSONL or, when the first byte is odd, as one text document, with a small document cap
 * taken from the second byte so the size limit is hit often. Every document returned is
 * read in full (so ASan sees any out-of-bounds pointer), its id is never NULL and a JSONL
 * document never exceeds the cap; errors must name a position. The loop ends at end of
 * input or on a fatal error, and never takes more iterations than there are bytes. */
#include "tumen.h"
#include "reader.h"

#include "fuzz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char path_jsonl[512];

static void cleanup(void) {
    if (path_jsonl[0] != '\0') {
        unlink(path_jsonl);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(path_jsonl, sizeof path_jsonl, "%s/tumen-fuzz-reader-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path_jsonl);
    if (fd < 0) {
        abort();
    }
    close(fd);
    atexit(cleanup);
    return 0;
}

static size_t touch(const char *s, size_t n) {
    size_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += (unsigned char)s[i];
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *f = fopen(path_jsonl, "wb");
    FUZZ_CHECK(f != NULL);
    if (size > 0) {
        FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    }
    FUZZ_CHECK(fclose(f) == 0);

    enum reader_kind kind = (size > 0 && (data[0] & 1)) ? READER_TEXT : READER_JSONL;
    size_t max_doc = size > 1 ? (size_t)data[1] * 16 + 1 : 0; /* 0: the default cap */

    struct reader *r = NULL;
    tumen_error err;
    memset(&err, 0, sizeof err);
    FUZZ_CHECK(reader_open(&r, path_jsonl, kind, max_doc, "2024-06-19", &err) == TUMEN_OK);
    volatile size_t sink = 0;
    for (size_t iter = 0; iter <= size + 1; iter++) {
        tumen_doc doc;
        memset(&doc, 0, sizeof doc);
        tumen_status st = reader_next(r, &doc, &err);
        if (st == TUMEN_NOTFOUND) {
            break;
        }
        if (st == TUMEN_OK) {
            FUZZ_CHECK(doc.id != NULL);
            FUZZ_CHECK(doc.text != NULL);
            if (kind == READER_JSONL && max_doc != 0) {
                FUZZ_CHECK(doc.len <= max_doc);
            }
            sink += touch(doc.text, doc.len) + strlen(doc.id);
            sink += doc.date ? strlen(doc.date) : 0;
            sink += doc.url ? strlen(doc.url) : 0;
            sink += doc.title ? strlen(doc.title) : 0;
            size_t bad = 0;
            sink += tumen_utf8_check(doc.text, doc.len, &bad) == TUMEN_OK ? 0 : bad;
            continue;
        }
        FUZZ_CHECK(err.status == st);
        FUZZ_CHECK(err.file[0] != '\0');
        if (kind == READER_JSONL && (st == TUMEN_JSON || st == TUMEN_LIMIT)) {
            FUZZ_CHECK(err.line >= 1);
        }
        if (st == TUMEN_IO || st == TUMEN_NOMEM) {
            break;
        }
        if (kind == READER_TEXT) {
            break; /* one document only; an error ends it */
        }
    }
    (void)sink;
    reader_close(r);
    return 0;
}
