/* tumen ingest: code documents and store documents, sentences, events and clusters. */
#include "store_cli.h"

#include "../lib/reader.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: tumen ingest [options] [FILE...|-]\n"
            "\n"
            "Codes documents and stores documents, sentences, events and merged duplicate\n"
            "events (clusters) in an SQLite event store. A document is keyed by the SHA-256 of\n"
            "its text: ingesting it again is a no-op. Documents land whole or not at all.\n"
            "Input: *.jsonl (one {\"id\",\"text\",\"date\",\"title\",\"url\"} object per line) or\n"
            "plain text (one document per file); '-' or no FILE reads standard input.\n"
            "\n"
            "options:\n"
            "  --db FILE        event store (default tumen.db)\n"
            "  --dict PATH      dictionary file or directory (repeatable; default: shipped)\n"
            "  --channels FILE  channel table (default data/channels.tsv)\n"
            "  --format F       text or jsonl (default: by extension)\n"
            "  --date DATE      date for documents that have none (YYYY[-MM[-DD]])\n"
            "  --batch N        documents per transaction (default 10000, at most 200000 events)\n"
            "  --no-clusters    do not merge duplicate events\n"
            "  -q, --quiet      no progress or summary on stderr\n"
            "  -h, --help       this help\n"
            "\n"
            "Progress goes to stderr when it is a terminal. Schema: docs/store.md.\n"
            "Exit: 0 ok, 1 failure, 2 usage, 3 some documents were invalid, 4 dictionary.\n");
}

struct ingest {
    tumen_store *store;
    tumen_coder *coder;
    const char *default_date;
    enum reader_kind kind;
    bool progress, quiet;
    uint64_t docs, new_docs, events, bad;
    double t0, last;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(struct ingest *g, bool final) {
    double t = now();
    if (!final && t - g->last < 0.2) {
        return;
    }
    g->last = t;
    double dt = t - g->t0 > 1e-9 ? t - g->t0 : 1e-9;
    fprintf(stderr, "\rtumen: ingest: %llu documents (%llu new), %llu events, %.0f docs/s   %s",
            (unsigned long long)g->docs, (unsigned long long)g->new_docs,
            (unsigned long long)g->events, (double)g->docs / dt, final ? "\n" : "");
    fflush(stderr);
}

/* Returns 0 ok, EXIT_FAIL on a fatal error; counts invalid documents in g->bad. */
static int ingest_file(struct ingest *g, const char *path) {
    struct reader *r = NULL;
    tumen_error err = {0};
    if (reader_open(&r, path, g->kind, 0, g->default_date, &err) != TUMEN_OK) {
        cli_error(&err);
        return EXIT_FAIL;
    }
    for (;;) {
        tumen_doc doc;
        memset(&doc, 0, sizeof doc);
        memset(&err, 0, sizeof err);
        tumen_status st = reader_next(r, &doc, &err);
        if (st == TUMEN_NOTFOUND) {
            break;
        }
        if (st == TUMEN_IO || st == TUMEN_NOMEM) {
            cli_error(&err);
            reader_close(r);
            return EXIT_FAIL;
        }
        if (st != TUMEN_OK) {
            cli_error(&err);
            g->bad++;
            continue;
        }
        int is_new = 0;
        if (tumen_store_doc_begin(g->store, &doc, &is_new, &err) != TUMEN_OK) {
            cli_error(&err);
            reader_close(r);
            return EXIT_FAIL;
        }
        g->docs++;
        int keep = 1;
        if (is_new) {
            uint64_t before = 0, after = 0;
            tumen_coder_stats(g->coder, NULL, NULL, &before, NULL);
            st = tumen_coder_code(g->coder, &doc, tumen_store_add_event, g->store, &err);
            tumen_coder_stats(g->coder, NULL, NULL, &after, NULL);
            if (st != TUMEN_OK && st != TUMEN_STOPPED) {
                if (err.file[0] == '\0') {
                    snprintf(err.file, sizeof err.file, "%s", path);
                    err.line = reader_line(r);
                }
                cli_error(&err);
                g->bad++;
                keep = 0;
            } else {
                g->new_docs++;
                g->events += after - before;
            }
        }
        if (tumen_store_doc_end(g->store, keep, &err) != TUMEN_OK) {
            cli_error(&err);
            reader_close(r);
            return EXIT_FAIL;
        }
        if (g->progress) {
            show_progress(g, false);
        }
    }
    reader_close(r);
    return 0;
}

int cmd_ingest(int argc, char **argv) {
    const char *db = "tumen.db", *channels = NULL, *format = NULL, *batch = NULL;
    const char *dicts[64];
    size_t ndicts = 0;
    const char *files[4096];
    size_t nfiles = 0;
    struct ingest g;
    memset(&g, 0, sizeof g);
    bool clusters = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int m;
        if (opt_is_help(a)) {
            usage(stdout);
            return 0;
        } else if ((m = opt_value(argc, argv, &i, "--db", &db)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--channels", &channels)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--format", &format)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--date", &g.default_date)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--batch", &batch)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--dict", &v)) != 0) {
            if (m > 0) {
                if (ndicts == sizeof dicts / sizeof dicts[0]) {
                    cli_errorf("too many --dict options");
                    return EXIT_USAGE;
                }
                dicts[ndicts++] = v;
            }
        } else if (strcmp(a, "--no-clusters") == 0) {
            clusters = false;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            g.quiet = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_errorf("ingest: unknown option '%s' (try 'tumen ingest --help')", a);
            return EXIT_USAGE;
        } else {
            if (nfiles == sizeof files / sizeof files[0]) {
                cli_errorf("ingest: too many files");
                return EXIT_USAGE;
            }
            files[nfiles++] = a;
            m = 0;
        }
        if (m < 0) {
            return EXIT_USAGE;
        }
    }
    g.kind = READER_AUTO;
    if (format) {
        if (strcmp(format, "jsonl") == 0) {
            g.kind = READER_JSONL;
        } else if (strcmp(format, "text") == 0) {
            g.kind = READER_TEXT;
        } else {
            cli_errorf("ingest: --format takes text or jsonl");
            return EXIT_USAGE;
        }
    }
    long nbatch = 0;
    if (batch) {
        char *end = NULL;
        nbatch = strtol(batch, &end, 10);
        if (end == batch || *end != '\0' || nbatch < 1) {
            cli_errorf("ingest: --batch takes a positive number");
            return EXIT_USAGE;
        }
    }
    if (nfiles == 0) {
        files[nfiles++] = "-";
    }
    tumen_dict *d = cli_load_dicts(dicts, ndicts);
    if (d == NULL) {
        return EXIT_DICT;
    }
    /* the store keeps statistic records too (counts and flows of people) */
    tumen_coder_options copt = {TUMEN_OPT_STATISTICS, 0};
    if (tumen_coder_new(d, &copt, &g.coder) != TUMEN_OK) {
        cli_errorf("out of memory");
        tumen_dict_free(d);
        return EXIT_FAIL;
    }
    g.store = cli_open_store(db, clusters ? 0 : TUMEN_STORE_NO_CLUSTERS, channels,
                             channels != NULL);
    if (g.store == NULL) {
        tumen_coder_free(g.coder);
        tumen_dict_free(d);
        return EXIT_FAIL;
    }
    if (nbatch > 0) {
        tumen_store_set_batch(g.store, (size_t)nbatch, 0);
    }
    g.progress = !g.quiet && cli_progress_enabled();
    g.t0 = now();
    int rc = 0;
    for (size_t i = 0; i < nfiles && rc == 0; i++) {
        rc = ingest_file(&g, files[i]);
    }
    tumen_error err = {0};
    if (rc == 0 && tumen_store_flush(g.store, &err) != TUMEN_OK) {
        cli_error(&err);
        rc = EXIT_FAIL;
    }
    if (g.progress) {
        show_progress(&g, true);
    }
    if (rc == 0 && !g.quiet) {
        uint64_t docs = 0, events = 0, ncl = 0;
        if (tumen_store_counts(g.store, &docs, &events, &ncl, &err) == TUMEN_OK) {
            fprintf(stderr,
                    "tumen: ingest: %llu new of %llu documents, %llu events; %s now holds "
                    "%llu documents, %llu events, %llu merged clusters\n",
                    (unsigned long long)g.new_docs, (unsigned long long)g.docs,
                    (unsigned long long)g.events, db, (unsigned long long)docs,
                    (unsigned long long)events, (unsigned long long)ncl);
        }
    }
    tumen_store_free(g.store);
    tumen_coder_free(g.coder);
    tumen_dict_free(d);
    if (rc == 0 && g.bad > 0) {
        rc = EXIT_DATA;
    }
    return rc;
}
