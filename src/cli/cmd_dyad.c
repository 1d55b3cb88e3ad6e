/* tumen dyad A B: per-period channels, quad classes, Goldstein and cooperation index. */
#include "store_cli.h"

#include <jansson.h>
#include <string.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: tumen dyad A B [options]\n"
            "\n"
            "Summarises the relations of two countries (CAMEO country codes such as RUS PRK),\n"
            "both directions, per period: events by quad class (verbal/material cooperation,\n"
            "verbal/material conflict) and by channel, statistics, summed and mean Goldstein,\n"
            "and the cooperation index (coop - conflict) / (coop + conflict), where coop sums\n"
            "the positive and conflict the absolute negative Goldstein scores (-1..1).\n"
            "An event's period is its stated time (when), else its document's date.\n"
            "\n"
            "options:\n"
            "  --by P         month, quarter or year (default quarter)\n"
            "  --channel C    only one channel (e.g. labour; see data/channels.tsv)\n"
            "  --facts-only   only asserted and reported events\n"
            "  --directed     only A -> B\n"
            "  --db FILE      event store (default tumen.db)\n"
            "  --all-channels table: show channels without events too\n"
            "  --json, --csv  machine-readable output instead of the table\n"
            "  -h, --help     this help\n");
}

static void print_table(const tumen_dyad_query *q, const tumen_dyad_summary *d, bool all_ch) {
    /* only channels that have events somewhere */
    printf("%s%s%s, by %s (%s%s%s)\n", q->a, q->directed ? " -> " : " - ", q->b,
           q->by == TUMEN_BY_MONTH ? "month" : q->by == TUMEN_BY_YEAR ? "year" : "quarter",
           q->directed ? "one direction" : "both directions",
           q->facts_only ? ", facts only" : ", all modalities",
           q->channel ? ", one channel" : "");
    if (d->nperiods == 0) {
        printf("no events\n");
        return;
    }
    printf("%-8s %6s %5s %5s %5s %5s %5s %8s %6s %6s", "period", "events", "stats", "vcoop",
           "mcoop", "vconf", "mconf", "gold_sum", "gold_m", "coop_i");
    for (size_t c = 0; c < d->nchannels; c++) {
        if (all_ch || d->total.by_channel[c]) {
            int w = (int)strlen(d->channels[c]);
            printf(" %*s", w < 5 ? 5 : w, d->channels[c]);
        }
    }
    printf("\n");
    for (size_t i = 0; i <= d->nperiods; i++) {
        const tumen_dyad_period *p = i < d->nperiods ? &d->periods[i] : &d->total;
        printf("%-8s %6llu %5llu %5llu %5llu %5llu %5llu %8.1f %6.2f %+6.2f", p->period,
               (unsigned long long)p->events, (unsigned long long)p->statistics,
               (unsigned long long)p->quad[1], (unsigned long long)p->quad[2],
               (unsigned long long)p->quad[3], (unsigned long long)p->quad[4],
               p->goldstein_sum, p->goldstein_mean, p->index);
        for (size_t c = 0; c < d->nchannels; c++) {
            if (all_ch || d->total.by_channel[c]) {
                int w = (int)strlen(d->channels[c]);
                printf(" %*llu", w < 5 ? 5 : w, (unsigned long long)p->by_channel[c]);
            }
        }
        printf("\n");
    }
}

static void print_csv(const tumen_dyad_summary *d) {
    printf("period,events,statistics,verbal_coop,material_coop,verbal_conflict,"
           "material_conflict,goldstein_sum,goldstein_mean,coop,conflict,coop_index");
    for (size_t c = 0; c < d->nchannels; c++) {
        putchar(',');
        csv_field(stdout, d->channels[c]);
    }
    printf("\n");
    for (size_t i = 0; i <= d->nperiods; i++) {
        const tumen_dyad_period *p = i < d->nperiods ? &d->periods[i] : &d->total;
        printf("%s,%llu,%llu,%llu,%llu,%llu,%llu,%.4f,%.4f,%.4f,%.4f,%.4f", p->period,
               (unsigned long long)p->events, (unsigned long long)p->statistics,
               (unsigned long long)p->quad[1], (unsigned long long)p->quad[2],
               (unsigned long long)p->quad[3], (unsigned long long)p->quad[4],
               p->goldstein_sum, p->goldstein_mean, p->coop, p->conflict, p->index);
        for (size_t c = 0; c < d->nchannels; c++) {
            printf(",%llu", (unsigned long long)p->by_channel[c]);
        }
        printf("\n");
    }
}

static json_t *period_json(const tumen_dyad_summary *d, const tumen_dyad_period *p) {
    json_t *ch = json_object();
    for (size_t c = 0; c < d->nchannels; c++) {
        json_object_set_new(ch, d->channels[c], json_integer((json_int_t)p->by_channel[c]));
    }
    return json_pack("{s:s, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:f, s:f, s:f, s:f, s:f, s:o}",
                     "period", p->period, "events", (json_int_t)p->events, "statistics",
                     (json_int_t)p->statistics, "quad", "verbal_coop", (json_int_t)p->quad[1],
                     "material_coop", (json_int_t)p->quad[2], "verbal_conflict",
                     (json_int_t)p->quad[3], "material_conflict", (json_int_t)p->quad[4],
                     "goldstein_sum", p->goldstein_sum, "goldstein_mean", p->goldstein_mean,
                     "coop", p->coop, "conflict", p->conflict, "coop_index", p->index,
                     "channels", ch);
}

static int print_json(const tumen_dyad_query *q, const tumen_dyad_summary *d) {
    json_t *periods = json_array();
    for (size_t i = 0; i < d->nperiods; i++) {
        json_array_append_new(periods, period_json(d, &d->periods[i]));
    }
    json_t *labels = json_object();
    for (size_t c = 0; c < d->nchannels; c++) {
        json_object_set_new(labels, d->channels[c], json_string(d->channel_labels[c]));
    }
    json_t *root = json_pack(
        "{s:[s,s], s:b, s:s, s:b, s:s?, s:o, s:o, s:o}", "dyad", q->a, q->b, "directed",
        q->directed, "by",
        q->by == TUMEN_BY_MONTH ? "month" : q->by == TUMEN_BY_YEAR ? "year" : "quarter",
        "facts_only", q->facts_only, "channel", q->channel, "channel_labels", labels, "periods",
        periods, "total", period_json(d, &d->total));
    if (root == NULL) {
        cli_errorf("out of memory");
        return EXIT_FAIL;
    }
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    putchar('\n');
    json_decref(root);
    return 0;
}

int cmd_dyad(int argc, char **argv) {
    const char *db = "tumen.db", *by = "quarter";
    tumen_dyad_query q;
    memset(&q, 0, sizeof q);
    enum out_format fmt = OUT_TABLE;
    const char *pos[2];
    int npos = 0;
    bool all_ch = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m = 0;
        if (opt_is_help(a)) {
            usage(stdout);
            return 0;
        } else if ((m = opt_value(argc, argv, &i, "--db", &db)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--by", &by)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--channel", &q.channel)) != 0) {
        } else if (strcmp(a, "--facts-only") == 0) {
            q.facts_only = 1;
        } else if (strcmp(a, "--directed") == 0) {
            q.directed = 1;
        } else if (strcmp(a, "--all-channels") == 0) {
            all_ch = true;
        } else if (strcmp(a, "--json") == 0) {
            fmt = OUT_JSON;
        } else if (strcmp(a, "--csv") == 0) {
            fmt = OUT_CSV;
        } else if (a[0] == '-') {
            cli_errorf("dyad: unknown option '%s' (try 'tumen dyad --help')", a);
            return EXIT_USAGE;
        } else if (npos < 2) {
            pos[npos++] = a;
        } else {
            cli_errorf("dyad: takes two countries (try 'tumen dyad --help')");
            return EXIT_USAGE;
        }
        if (m < 0) {
            return EXIT_USAGE;
        }
    }
    if (npos != 2) {
        cli_errorf("dyad: takes two countries, e.g. 'tumen dyad RUS PRK'");
        return EXIT_USAGE;
    }
    q.a = pos[0];
    q.b = pos[1];
    if (tumen_period_parse(by, &q.by) != TUMEN_OK) {
        cli_errorf("dyad: --by takes month, quarter or year");
        return EXIT_USAGE;
    }
    tumen_store *s = cli_open_store(db, TUMEN_STORE_READONLY, NULL, false);
    if (s == NULL) {
        return EXIT_FAIL;
    }
    tumen_dyad_summary *d = NULL;
    tumen_error err = {0};
    int rc = 0;
    if (tumen_store_dyad(s, &q, &d, &err) != TUMEN_OK) {
        cli_error(&err);
        rc = EXIT_FAIL;
    } else if (fmt == OUT_JSON) {
        rc = print_json(&q, d);
    } else if (fmt == OUT_CSV) {
        print_csv(d);
    } else {
        print_table(&q, d, all_ch);
    }
    tumen_dyad_summary_free(d);
    tumen_store_free(s);
    return rc;
}
