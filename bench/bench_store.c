/* Store benchmark: ingest rate of synthetic events through the store API (the coder is not
 * involved), then the time of a dyad summary over the result.
 *   usage: bench_store DB [EVENTS [no-clusters] [random-dates] [skewed] [batch=N] [append]]
 *   (default 2,000,000 events; DB is replaced). Documents come in date order unless
 *   random-dates; actors, codes, modalities and channels are uniform unless skewed (Zipf);
 *   no-clusters stores without merging duplicates; batch=N commits every N documents or
 *   events (the store's defaults otherwise); append adds EVENTS to an existing DB (an
 *   incremental ingest: the clusters of the stored documents are read back as needed).
 * Prints "ingest: N events in S s = R events/s" (from the first document to the store closed,
 * its log checkpointed) and "dyad: ... ms". */
#include "tumen_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static const char *const countries[] = {"RUS", "PRK", "CHN", "USA", "KOR", "JPN", "UKR",
                                        "IRN", "SYR", "TUR", "IND", "PAK", "DEU", "FRA",
                                        "GBR", "UNO", "EUR", "BLR", "ISR", "SAU"};
static const char *const codes[] = {"010", "020", "0311", "036", "040", "042", "043", "051",
                                    "057", "061", "062", "072", "111", "112", "120", "130",
                                    "163", "172", "190", "195"};
static const char *const channels[] = {"diplomacy", "military", "labour", "energy-trade",
                                       "troops", "sanctions", "un", "treaties", "tourism"};

/* An index in [0, n) from the random bits r: uniform, or (skewed) with probability
 * proportional to 1/(i+1), a Zipf law like that of actors and codes in news. */
static int pick(uint64_t r, int n, int skewed) {
    if (!skewed) {
        return (int)(r % (uint64_t)n);
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
        total += 1.0 / (i + 1);
    }
    double u = (double)(r % 1000003) / 1000003.0 * total;
    for (int i = 0; i < n; i++) {
        u -= 1.0 / (i + 1);
        if (u < 0) {
            return i;
        }
    }
    return n - 1;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_store DB [EVENTS]\n");
        return 2;
    }
    const char *path = argv[1];
    long long total = argc > 2 ? atoll(argv[2]) : 2000000;
    int append = 0;
    for (int i = 3; i < argc; i++) {
        append |= strcmp(argv[i], "append") == 0;
    }
    char side[4096];
    if (!append) {
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    tumen_store *s = NULL;
    tumen_error err = {0};
    unsigned flags = 0;
    int random_dates = 0, skewed = 0;
    size_t batch = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "no-clusters") == 0) {
            flags |= TUMEN_STORE_NO_CLUSTERS;
        } else if (strcmp(argv[i], "random-dates") == 0) {
            random_dates = 1;
        } else if (strcmp(argv[i], "skewed") == 0) {
            skewed = 1;
        } else if (strcmp(argv[i], "append") == 0) {
            /* handled above */
        } else if (strncmp(argv[i], "batch=", 6) == 0) {
            batch = (size_t)atol(argv[i] + 6);
        } else {
            fprintf(stderr, "bench_store: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (tumen_store_new(path, flags, &s, &err) != TUMEN_OK) {
        fprintf(stderr, "open: %s\n", err.msg);
        return 1;
    }
    tumen_store_set_batch(s, batch, batch);
    /* A pool of documents made before the clock starts, so that the figure is the store's:
     * each stored document is a pool document with its own number written into the text
     * (a new content hash), its own date, and its events' "when" years set from that date. */
    enum { PER_DOC = 20, POOL = 4096 };
    struct pool_doc {
        char text[2048];
        size_t len;
        tumen_event ev[PER_DOC];
        int when_back[PER_DOC]; /* -1: no when; else years before the document's */
    };
    struct pool_doc *pool = calloc(POOL, sizeof *pool);
    if (pool == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int k = 0; k < POOL; k++) {
        struct pool_doc *pd = &pool[k];
        int len = snprintf(pd->text, sizeof pd->text, "Synthetic document 0000000000000000. ");
        for (int i = 0; i < PER_DOC; i++) {
            size_t off = (size_t)len;
            int n = snprintf(pd->text + len, sizeof pd->text - (size_t)len,
                             "Country %d acted toward country %d, some %d workers. ", i,
                             (int)(rnd() % 100), (int)(rnd() % 50000));
            len += n;
            tumen_event *e = &pd->ev[i];
            e->sentence = (uint32_t)i + 1;
            e->sent.offset = off;
            e->sent.length = (size_t)n - 1;
            /* a third of the events are Russia-North Korea, both ways */
            uint64_t r = rnd();
            const char *a = countries[pick(r, 20, skewed)];
            const char *b = countries[pick(r >> 20, 20, skewed)];
            if (r % 3 == 0) {
                a = (r >> 16) & 1 ? "RUS" : "PRK";
                b = (r >> 16) & 1 ? "PRK" : "RUS";
            }
            snprintf(e->source, sizeof e->source, "%sGOV", a);
            snprintf(e->target, sizeof e->target, "%s", b);
            e->source_span.offset = off;
            e->source_span.length = 7;
            const char *code = codes[pick(rnd(), 20, skewed)];
            snprintf(e->code, sizeof e->code, "%s", code);
            snprintf(e->root, sizeof e->root, "%.2s", code);
            if (tumen_cameo_lookup(code, &e->goldstein, &e->quad, NULL) != TUMEN_OK) {
                e->quad = 1;
            }
            e->modality = (tumen_modality)pick(rnd(), 6, skewed);
            e->probability = -1;
            if ((r >> 40) % 4 == 0) {
                e->quantity.present = 1;
                e->quantity.value = (double)((r >> 44) % 50000);
                snprintf(e->quantity.unit, sizeof e->quantity.unit, "workers");
            }
            pd->when_back[i] = (r >> 50) % 2 == 0 ? (int)((r >> 52) % 3) : -1;
            e->verb.offset = off + 8;
            e->verb.length = 5;
            e->pattern_file = "data/verbs/bench.verbs";
            e->pattern_line = (uint32_t)(r % 1000);
            e->channel = channels[pick(rnd(), 9, skewed)];
        }
        pd->len = (size_t)len;
    }
    char text[2048];
    char id[32], date[16];
    double t0 = now();
    long long done = 0, docno = 0;
    if (append) {
        /* number the new documents after the stored ones; their dates continue in order */
        uint64_t have = 0;
        if (tumen_store_counts(s, &have, NULL, NULL, &err) != TUMEN_OK) {
            fprintf(stderr, "counts: %s\n", err.msg);
            return 1;
        }
        docno = (long long)have;
        total += (long long)have * PER_DOC;
        done = (long long)have * PER_DOC;
    }
    long long done0 = done, docno0 = docno;
    while (done < total) {
        struct pool_doc *pd = &pool[docno % POOL];
        memcpy(text, pd->text, pd->len);
        for (long long v = docno, i = 34; i >= 19; i--, v /= 10) {
            text[i] = (char)('0' + v % 10); /* "Synthetic document " is 19 bytes */
        }
        /* documents arrive in date order, 2000-01 to 2025-12, as a news stream does; with
         * random-dates each one gets a random month of those 26 years */
        int mi = random_dates ? (int)(rnd() % 312)
                              : (int)((docno * PER_DOC * 312) / (total + PER_DOC));
        int y = 2000 + mi / 12, m = 1 + mi % 12, dd = 1 + (int)(docno % 28);
        memcpy(date, "0000-00-00", 11);
        date[0] = (char)('0' + y / 1000);
        date[1] = (char)('0' + y / 100 % 10);
        date[2] = (char)('0' + y / 10 % 10);
        date[3] = (char)('0' + y % 10);
        date[5] = (char)('0' + m / 10);
        date[6] = (char)('0' + m % 10);
        date[8] = (char)('0' + dd / 10);
        date[9] = (char)('0' + dd % 10);
        memcpy(id, "d", 2);
        memcpy(id + 1, text + 19, 16);
        id[17] = '\0';
        tumen_doc doc = {id, text, pd->len, date, "https://example.org/x", "Synthetic"};
        int is_new = 0;
        if (tumen_store_doc_begin(s, &doc, &is_new, &err) != TUMEN_OK) {
            fprintf(stderr, "doc_begin: %s\n", err.msg);
            return 1;
        }
        for (int i = 0; i < PER_DOC && done < total; i++, done++) {
            tumen_event e = pd->ev[i];
            e.doc_text = text;
            if (pd->when_back[i] >= 0) {
                int wy = y - pd->when_back[i];
                e.when[0] = (char)('0' + wy / 1000);
                e.when[1] = (char)('0' + wy / 100 % 10);
                e.when[2] = (char)('0' + wy / 10 % 10);
                e.when[3] = (char)('0' + wy % 10);
                e.when[4] = '\0';
            }
            tumen_store_add_event(s, &e);
        }
        if (tumen_store_doc_end(s, 1, &err) != TUMEN_OK) {
            fprintf(stderr, "doc_end: %s\n", err.msg);
            return 1;
        }
        docno++;
    }
    if (tumen_store_flush(s, &err) != TUMEN_OK) {
        fprintf(stderr, "flush: %s\n", err.msg);
        return 1;
    }
    /* the clock stops when the store is closed: closing checkpoints what the log still holds */
    tumen_store_free(s);
    double t1 = now();
    printf("ingest: %lld events (%lld documents) in %.2f s = %.0f events/s\n", done - done0,
           docno - docno0, t1 - t0, (double)(done - done0) / (t1 - t0));
    free(pool);

    if (tumen_store_new(path, TUMEN_STORE_READONLY, &s, &err) != TUMEN_OK) {
        fprintf(stderr, "open: %s\n", err.msg);
        return 1;
    }
    tumen_dyad_query q = {"RUS", "PRK", TUMEN_BY_QUARTER, NULL, 0, 0};
    double t2 = now();
    tumen_dyad_summary *d = NULL;
    if (tumen_store_dyad(s, &q, &d, &err) != TUMEN_OK) {
        fprintf(stderr, "dyad: %s\n", err.msg);
        return 1;
    }
    double t3 = now();
    printf("dyad RUS PRK by quarter: %llu events in %zu periods, %.1f ms\n",
           (unsigned long long)d->total.events, d->nperiods, (t3 - t2) * 1e3);
    tumen_dyad_summary_free(d);
    tumen_store_free(s);
    return 0;
}
