/* tumen code: documents in, CAMEO events out (JSONL or TSV on stdout, flushed per document). */
#include "channel.h"
#include "cli.h"
#include "reader.h"
#include "sink.h"
#include "store_cli.h"

#include <unistd.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void help(void) {
    printf(
        "usage: tumen code [OPTIONS] [FILE...|-]\n"
        "\n"
        "Codes each document into CAMEO events and writes one JSON object per event to\n"
        "stdout, flushed after every document. FILE is a .txt file (one document; its id is\n"
        "the file name without extension) or a .jsonl file (one document per line with\n"
        "\"id\" and \"text\", optionally \"date\" YYYY[-MM[-DD]], \"url\", \"title\").\n"
        "Without FILE, or with -, reads standard input.\n"
        "\n"
        "options:\n"
        "  --dict PATH          dictionary file or directory (repeatable; tumen, TABARI or\n"
        "                       PETRARCH format). Default: tumen's own data/\n"
        "  --input text|jsonl   how to read stdin or files without a known extension\n"
        "  --date YYYY[-MM[-DD]] date of documents that have none (text input)\n"
        "  --format jsonl|tsv   output format (default jsonl; tsv has a header line)\n"
        "  --facts-only         keep only asserted and reported events\n"
        "  --statistics         also write statistic records (kind \"statistic\", code \"--\"):\n"
        "                       counts and flows of people that are not acts\n"
        "  --explain            per sentence: tokens, actors, heads, patterns and why each\n"
        "                       event was or was not produced (human-readable, on stdout)\n"
        "  --stats              one closing line on stderr with documents, sentences, events,\n"
        "                       bytes, seconds and sentences/s\n"
        "  --max-doc-bytes N    largest document accepted (default 33554432)\n"
        "  --channels FILE      analyst channel table (default data/channels.tsv when the\n"
        "                       default dictionaries are used; none otherwise)\n"
        "  --tabari             TABARI-compatible matching semantics\n"
        "  --tabari-options F   a TABARI .options file for --tabari (default: TABARI's defaults)\n"
        "  -h, --help           this help\n"
        "\n"
        "exit codes: 0 ok; 1 failure (unreadable file, I/O); 2 usage; 3 some documents were\n"
        "invalid (reported on stderr as FILE:LINE:COL, the others were coded); 4 dictionary\n"
        "error.\n");
}

struct out_ctx {
    struct buf buf;
    bool tsv;
    tumen_status st;
    const struct channel_table *channels; /* may be NULL */
};

static int on_event(void *ctx, const tumen_event *ev) {
    struct out_ctx *o = ctx;
    const tumen_event *out = ev;
    tumen_event copy;
    if (o->channels != NULL) {
        copy = *ev;
        copy.channel = channel_classify(o->channels, ev, NULL);
        out = &copy;
    }
    o->st = o->tsv ? sink_tsv(&o->buf, out) : sink_json(&o->buf, out);
    return o->st != TUMEN_OK;
}

static void on_explain(void *ctx, const char *line) {
    (void)ctx;
    fputs(line, stdout);
    fputc('\n', stdout);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_code(int argc, char **argv) {
    const char **dicts = calloc((size_t)argc, sizeof *dicts);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (dicts == NULL || files == NULL) {
        cli_errorf("out of memory");
        free(dicts);
        free(files);
        return EXIT_FAIL;
    }
    size_t ndicts = 0, nfiles = 0;
    enum reader_kind kind = READER_AUTO;
    const char *date = NULL;
    const char *tabari_opts = NULL;
    const char *channels_path = NULL;
    bool tsv = false, stats = false, explain = false;
    size_t max_doc = 0;
    tumen_coder_options opt = {0, 0};
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help();
            free(dicts);
            free(files);
            return 0;
        } else if (strcmp(a, "--dict") == 0 && has_next) {
            dicts[ndicts++] = argv[++i];
        } else if (strcmp(a, "--input") == 0 && has_next) {
            const char *v = argv[++i];
            if (strcmp(v, "text") == 0 || strcmp(v, "txt") == 0) {
                kind = READER_TEXT;
            } else if (strcmp(v, "jsonl") == 0) {
                kind = READER_JSONL;
            } else {
                cli_errorf("code: --input takes text or jsonl, not '%s'", v);
                rc = EXIT_USAGE;
            }
        } else if (strcmp(a, "--date") == 0 && has_next) {
            date = argv[++i];
        } else if (strcmp(a, "--format") == 0 && has_next) {
            const char *v = argv[++i];
            if (strcmp(v, "tsv") == 0) {
                tsv = true;
            } else if (strcmp(v, "jsonl") != 0 && strcmp(v, "json") != 0) {
                cli_errorf("code: --format takes jsonl or tsv, not '%s'", v);
                rc = EXIT_USAGE;
            }
        } else if (strcmp(a, "--max-doc-bytes") == 0 && has_next) {
            char *end = NULL;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (end == NULL || *end != '\0' || v == 0) {
                cli_errorf("code: --max-doc-bytes takes a positive number");
                rc = EXIT_USAGE;
            }
            max_doc = (size_t)v;
        } else if (strcmp(a, "--facts-only") == 0) {
            opt.flags |= TUMEN_OPT_FACTS_ONLY;
        } else if (strcmp(a, "--statistics") == 0) {
            opt.flags |= TUMEN_OPT_STATISTICS;
        } else if (strcmp(a, "--channels") == 0 && has_next) {
            channels_path = argv[++i];
        } else if (strcmp(a, "--tabari-options") == 0 && has_next) {
            tabari_opts = argv[++i];
            opt.flags |= TUMEN_OPT_TABARI;
        } else if (strcmp(a, "--tabari") == 0) {
            opt.flags |= TUMEN_OPT_TABARI;
        } else if (strcmp(a, "--stats") == 0) {
            stats = true;
        } else if (strcmp(a, "--explain") == 0) {
            explain = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_errorf("code: unknown option '%s' (try 'tumen code --help')", a);
            rc = EXIT_USAGE;
        } else {
            files[nfiles++] = a;
        }
        if (rc) {
            free(dicts);
            free(files);
            return rc;
        }
    }
    if (date != NULL) {
        int32_t v;
        size_t n = strlen(date);
        if (!((n == 4 || n == 7 || n == 10) && date_parse(date, n, &v))) {
            cli_errorf("code: --date takes YYYY, YYYY-MM or YYYY-MM-DD, not '%s'", date);
            free(dicts);
            free(files);
            return EXIT_USAGE;
        }
    }
    if (nfiles == 0) {
        files[nfiles++] = "-";
    }
    double t0 = now();
    tumen_dict *d = cli_load_dicts(dicts, ndicts);
    free(dicts);
    if (d == NULL) {
        free(files);
        return EXIT_DICT;
    }
    double t_dict = now() - t0;
    tumen_coder *coder = NULL;
    if (tumen_coder_new(d, &opt, &coder) != TUMEN_OK) {
        cli_errorf("out of memory");
        tumen_dict_free(d);
        free(files);
        return EXIT_FAIL;
    }
    if (explain) {
        tumen_coder_set_explain(coder, on_explain, NULL);
    }
    if (tabari_opts != NULL) {
        tumen_error oerr;
        memset(&oerr, 0, sizeof oerr);
        if (tumen_coder_tabari_options(coder, tabari_opts, &oerr) != TUMEN_OK) {
            cli_error(&oerr);
            tumen_coder_free(coder);
            tumen_dict_free(d);
            free(files);
            return EXIT_DICT;
        }
    }
    struct out_ctx out;
    buf_init(&out.buf, 0);
    out.tsv = tsv;
    out.st = TUMEN_OK;
    out.channels = NULL;
    struct channel_table *chan = NULL;
    if (channels_path == NULL && ndicts == 0 && access(cli_channels_path(), R_OK) == 0) {
        channels_path = cli_channels_path(); /* tumen's own data: its channel table */
    }
    if (channels_path != NULL) {
        tumen_error cerr;
        memset(&cerr, 0, sizeof cerr);
        if (channel_table_load(channels_path, &chan, &cerr) != TUMEN_OK) {
            cli_error(&cerr);
            buf_fini(&out.buf);
            tumen_coder_free(coder);
            tumen_dict_free(d);
            free(files);
            return EXIT_DICT;
        }
        out.channels = chan;
    }
    if (tsv) {
        sink_tsv_header(&out.buf);
        fwrite(out.buf.data, 1, out.buf.len, stdout);
        buf_reset(&out.buf);
    }
    bool progress = cli_progress_enabled() && !explain;
    double t1 = now(), last_progress = t1;
    for (size_t fi = 0; fi < nfiles && rc != EXIT_FAIL; fi++) {
        struct reader *r = NULL;
        tumen_error err;
        memset(&err, 0, sizeof err);
        if (reader_open(&r, files[fi], kind, max_doc, date, &err) != TUMEN_OK) {
            cli_error(&err);
            rc = EXIT_FAIL;
            break;
        }
        for (;;) {
            tumen_doc doc;
            memset(&err, 0, sizeof err);
            tumen_status st = reader_next(r, &doc, &err);
            if (st == TUMEN_NOTFOUND) {
                break;
            }
            if (st == TUMEN_IO || st == TUMEN_NOMEM) {
                cli_error(&err);
                rc = EXIT_FAIL;
                break;
            }
            if (st != TUMEN_OK) {
                cli_error(&err);
                rc = EXIT_DATA;
                if (st == TUMEN_LIMIT && strcmp(files[fi], "-") != 0 &&
                    reader_line(r) == 0) {
                    break;
                }
                continue;
            }
            buf_reset(&out.buf);
            out.st = TUMEN_OK;
            st = tumen_coder_code(coder, &doc, on_event, &out, &err);
            if (st != TUMEN_OK) {
                /* position inside the document -> position in the input file */
                tumen_error fe = err;
                snprintf(fe.file, sizeof fe.file, "%s", files[fi]);
                if (reader_line(r) > 0 && strcmp(err.file, doc.id ? doc.id : "") == 0 &&
                    st != TUMEN_UTF8) {
                    fe.line = reader_line(r);
                }
                if (st == TUMEN_UTF8 && strstr(files[fi], ".jsonl") != NULL) {
                    snprintf(fe.msg, sizeof fe.msg, "document '%.100s' (text line %llu, column %llu): %.300s",
                             doc.id ? doc.id : "", (unsigned long long)err.line,
                             (unsigned long long)err.col, err.msg);
                    fe.line = reader_line(r);
                    fe.col = 0;
                }
                cli_error(&fe);
                rc = (st == TUMEN_NOMEM || st == TUMEN_STOPPED) ? EXIT_FAIL : EXIT_DATA;
                continue; /* nothing of this document was written */
            }
            if (out.buf.len > 0) {
                fwrite(out.buf.data, 1, out.buf.len, stdout);
            }
            if (fflush(stdout) != 0) {
                cli_errorf("code: cannot write to stdout");
                rc = EXIT_FAIL;
                break;
            }
            if (progress) {
                double t = now();
                if (t - last_progress > 0.5) {
                    uint64_t nd, ns, ne;
                    tumen_coder_stats(coder, &nd, &ns, &ne, NULL);
                    fprintf(stderr, "\rtumen: %llu documents, %llu sentences, %llu events",
                            (unsigned long long)nd, (unsigned long long)ns,
                            (unsigned long long)ne);
                    last_progress = t;
                }
            }
        }
        reader_close(r);
    }
    if (progress) {
        fputs("\r\033[K", stderr);
    }
    if (stats) {
        uint64_t nd, ns, ne, nb;
        tumen_coder_stats(coder, &nd, &ns, &ne, &nb);
        double secs = now() - t1;
        fprintf(stderr,
                "tumen: stats: documents=%llu sentences=%llu events=%llu bytes=%llu "
                "seconds=%.3f sentences_per_s=%.0f dict_seconds=%.3f\n",
                (unsigned long long)nd, (unsigned long long)ns, (unsigned long long)ne,
                (unsigned long long)nb, secs, secs > 0 ? (double)ns / secs : 0.0, t_dict);
    }
    buf_fini(&out.buf);
    channel_table_free(chan);
    tumen_coder_free(coder);
    tumen_dict_free(d);
    free(files);
    return rc;
}
