/* Store benchmark: ingest rate of synthetic events through the store API (the coder is not
 * involved), then the time of a dyad summary over the result.
 *   usage: bench_store DB [EVENTS [no-clusters]]   (default 2,000,000 events; DB is replaced)
 * Prints "ingest: N events in S s = R events/s" and "dyad: ... ms". */
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

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_store DB [EVENTS]\n");
        return 2;
    }
    const char *path = argv[1];
    long long total = argc > 2 ? atoll(argv[2]) : 2000000;
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    tumen_store *s = NULL;
    tumen_error err = {0};
    unsigned flags = argc > 3 && strcmp(argv[3], "no-clusters") == 0 ? TUMEN_STORE_NO_CLUSTERS : 0;
    if (tumen_store_new(path, flags, &s, &err) != TUMEN_OK) {
        fprintf(stderr, "open: %s\n", err.msg);
        return 1;
    }
    const int per_doc = 20;
    char text[2048];
    char id[32], date[16];
    double t0 = now();
    long long done = 0, docno = 0;
    while (done < total) {
        int len = snprintf(text, sizeof text, "Synthetic document %lld. ", docno);
        size_t sent_off[per_doc], sent_len[per_doc];
        for (int i = 0; i < per_doc; i++) {
            sent_off[i] = (size_t)len;
            int n = snprintf(text + len, sizeof text - (size_t)len,
                             "Country %d acted toward country %d, some %d workers. ", i,
                             (int)(rnd() % 100), (int)(rnd() % 50000));
            sent_len[i] = (size_t)n - 1;
            len += n;
        }
        snprintf(id, sizeof id, "d%lld", docno);
        int y = 2000 + (int)(rnd() % 26), m = 1 + (int)(rnd() % 12);
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, 1 + (int)(rnd() % 28));
        tumen_doc doc = {id, text, (size_t)len, date, "https://example.org/x", "Synthetic"};
        int is_new = 0;
        if (tumen_store_doc_begin(s, &doc, &is_new, &err) != TUMEN_OK) {
            fprintf(stderr, "doc_begin: %s\n", err.msg);
            return 1;
        }
        for (int i = 0; i < per_doc && done < total; i++, done++) {
            tumen_event e;
            memset(&e, 0, sizeof e);
            e.doc_text = text;
            e.sentence = (uint32_t)i + 1;
            e.sent.offset = sent_off[i];
            e.sent.length = sent_len[i];
            /* a third of the events are Russia-North Korea, both ways */
            uint64_t r = rnd();
            const char *a = countries[r % 20], *b = countries[(r >> 8) % 20];
            if (r % 3 == 0) {
                a = (r >> 16) & 1 ? "RUS" : "PRK";
                b = (r >> 16) & 1 ? "PRK" : "RUS";
            }
            snprintf(e.source, sizeof e.source, "%sGOV", a);
            snprintf(e.target, sizeof e.target, "%s", b);
            e.source_span.offset = sent_off[i];
            e.source_span.length = 7;
            const char *code = codes[(r >> 24) % 20];
            snprintf(e.code, sizeof e.code, "%s", code);
            snprintf(e.root, sizeof e.root, "%.2s", code);
            if (tumen_cameo_lookup(code, &e.goldstein, &e.quad, NULL) != TUMEN_OK) {
                e.quad = 1;
            }
            e.modality = (tumen_modality)((r >> 32) % 6);
            e.probability = -1;
            if ((r >> 40) % 4 == 0) {
                e.quantity.present = 1;
                e.quantity.value = (double)((r >> 44) % 50000);
                snprintf(e.quantity.unit, sizeof e.quantity.unit, "workers");
            }
            if ((r >> 50) % 2 == 0) {
                snprintf(e.when, sizeof e.when, "%04d", y - (int)((r >> 52) % 3));
            }
            e.verb.offset = sent_off[i] + 8;
            e.verb.length = 5;
            e.pattern_file = "data/verbs/bench.verbs";
            e.pattern_line = (uint32_t)(r % 1000);
            e.channel = channels[(r >> 56) % 9];
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
    double t1 = now();
    printf("ingest: %lld events (%lld documents) in %.2f s = %.0f events/s\n", done, docno,
           t1 - t0, (double)done / (t1 - t0));
    tumen_store_free(s);

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
