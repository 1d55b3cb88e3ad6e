/* tumen events: the evidence list, events with their sentences, modality, quantities. */
#include "store_cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: tumen events [options]\n"
            "\n"
            "Lists stored events with their evidence: date, actors, CAMEO code, channel,\n"
            "modality (and who it is attributed to), quantity, the sentence and the document.\n"
            "Events merged into a cluster show how many mentions and sources it has.\n"
            "\n"
            "options:\n"
            "  --dyad A B       events between two countries (both directions)\n"
            "  --actor A        events with country A on either side\n"
            "  --directed       only A -> B\n"
            "  --channel C      one channel (e.g. labour; see data/channels.tsv)\n"
            "  --since DATE     from DATE (YYYY[-MM[-DD]]), inclusive\n"
            "  --until DATE     up to DATE, inclusive\n"
            "  --modality LIST  comma list of asserted, reported, hypothetical, negated,\n"
            "                   denied, forecast; 'facts' = asserted,reported\n"
            "  --quantities     only events with a quantity\n"
            "  --clusters       one line per cluster (its first mention)\n"
            "  --limit N        at most N events\n"
            "  --db FILE        event store (default tumen.db)\n"
            "  --json, --csv    JSON lines or CSV instead of the listing\n"
            "  -h, --help       this help\n");
}

static const char *fmt_qty(const tumen_evidence *e, char *buf, size_t size) {
    if (!e->has_quantity) {
        buf[0] = '\0';
        return buf;
    }
    char v[40], lo[40];
    fmt_num(e->value, v, sizeof v);
    const char *pre = strcmp(e->bound, "max") == 0   ? "up to "
                      : strcmp(e->bound, "min") == 0 ? "at least "
                      : e->approx                    ? "~"
                                                     : "";
    if (e->has_low) {
        fmt_num(e->low, lo, sizeof lo);
        snprintf(buf, size, "%s%s-%s %s", e->approx ? "~" : "", lo, v, e->unit);
    } else {
        snprintf(buf, size, "%s%s %s", pre, v, e->unit);
    }
    return buf;
}

struct ctx {
    enum out_format fmt;
    uint64_t n;
};

static int print_one(void *vctx, const tumen_evidence *e) {
    struct ctx *c = vctx;
    char q[120];
    fmt_qty(e, q, sizeof q);
    c->n++;
    if (c->fmt == OUT_JSON) {
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
            (json_int_t)e->id, "date", e->date, "source", e->source, "target", e->target,
            "code", e->code, "code_name", e->code_name, "channel", e->channel, "modality",
            e->modality, "attributed_to", e->attributed_to, "cue", e->cue, "when", e->when,
            "sentence", e->sentence);
        if (o == NULL) {
            return 1;
        }
        if (e->statistic) {
            json_object_set_new(o, "kind", json_string("statistic"));
        } else {
            json_object_set_new(o, "goldstein", json_real(e->goldstein));
            json_object_set_new(o, "quad", json_integer(e->quad));
        }
        if (e->probability_words[0]) {
            json_object_set_new(o, "probability_words", json_string(e->probability_words));
        }
        if (e->probability >= 0) {
            json_object_set_new(o, "probability", json_real(e->probability));
        }
        if (e->has_quantity) {
            json_t *qo = json_pack("{s:f, s:s}", "value", e->value, "unit", e->unit);
            if (e->has_low) {
                json_object_set_new(qo, "low", json_real(e->low));
            }
            if (e->approx) {
                json_object_set_new(qo, "approx", json_true());
            }
            if (e->bound[0]) {
                json_object_set_new(qo, "bound", json_string(e->bound));
            }
            if (e->quantity_text[0]) {
                json_object_set_new(qo, "text", json_string(e->quantity_text));
            }
            json_object_set_new(o, "quantity", qo);
        }
        json_object_set_new(o, "doc", json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", e->doc_id,
                                                "title", e->doc_title, "url", e->doc_url,
                                                "date", e->doc_date, "sentence",
                                                (json_int_t)e->sentence_no));
        if (e->cluster) {
            json_object_set_new(o, "cluster",
                                json_pack("{s:I, s:I, s:I}", "id", (json_int_t)e->cluster,
                                          "mentions", (json_int_t)e->cluster_mentions,
                                          "sources", (json_int_t)e->cluster_sources));
        }
        if (e->pattern[0]) {
            json_object_set_new(o, "pattern", json_string(e->pattern));
        }
        json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        putchar('\n');
        json_decref(o);
    } else if (c->fmt == OUT_CSV) {
        char num[64];
        printf("%lld,", (long long)e->id);
        csv_field(stdout, e->date);
        printf(",%s,%s,%s,", e->source, e->target, e->code);
        csv_field(stdout, e->channel);
        printf(",%s,%s,", e->modality, e->attributed_to);
        csv_field(stdout, e->probability_words);
        putchar(',');
        if (e->has_quantity) {
            snprintf(num, sizeof num, "%.15g", e->value);
            fputs(num, stdout);
        }
        putchar(',');
        if (e->has_low) {
            snprintf(num, sizeof num, "%.15g", e->low);
            fputs(num, stdout);
        }
        putchar(',');
        csv_field(stdout, e->unit);
        printf(",%s,", e->bound);
        if (e->cluster) {
            printf("%lld", (long long)e->cluster);
        }
        printf(",%lld,%lld,", (long long)e->cluster_mentions, (long long)e->cluster_sources);
        csv_field(stdout, e->doc_id);
        putchar(',');
        csv_field(stdout, e->doc_title);
        putchar(',');
        csv_field(stdout, e->doc_url);
        putchar(',');
        csv_field(stdout, e->sentence);
        putchar('\n');
    } else {
        char mod[80];
        if (e->attributed_to[0]) {
            snprintf(mod, sizeof mod, "%s (%s)", e->modality, e->attributed_to);
        } else {
            snprintf(mod, sizeof mod, "%s", e->modality);
        }
        if (e->probability_words[0]) {
            size_t l = strlen(mod);
            snprintf(mod + l, sizeof mod - l, " \"%s\"", e->probability_words);
        }
        printf("%-10s %-8s -> %-8s %-4s %-12s %-22s %s\n", e->date[0] ? e->date : "undated",
               e->source, e->target, e->code, e->channel, mod, q);
        printf("           %s [%s]", e->code_name, e->doc_title[0] ? e->doc_title : e->doc_id);
        if (e->cluster_sources > 1 || e->cluster_mentions > 1) {
            printf(" (cluster %lld: %lld mentions, %lld sources)", (long long)e->cluster,
                   (long long)e->cluster_mentions, (long long)e->cluster_sources);
        }
        printf("\n           \"%s\"\n\n", e->sentence);
    }
    return 0;
}

static int parse_modalities(const char *s, unsigned *out) {
    static const char *const names[] = {"asserted", "reported", "hypothetical",
                                        "negated",  "denied",   "forecast"};
    *out = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        bool found = false;
        if (n == 5 && strncmp(s, "facts", 5) == 0) {
            *out |= 1u << TUMEN_ASSERTED | 1u << TUMEN_REPORTED;
            found = true;
        }
        for (unsigned i = 0; i < 6 && !found; i++) {
            if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0) {
                *out |= 1u << i;
                found = true;
            }
        }
        if (!found) {
            return -1;
        }
        s += n;
        if (*s == ',') {
            s++;
        }
    }
    return 0;
}

int cmd_events(int argc, char **argv) {
    const char *db = "tumen.db", *mods = NULL, *limit = NULL, *actor = NULL;
    tumen_events_query q;
    memset(&q, 0, sizeof q);
    struct ctx c = {OUT_TABLE, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m = 0;
        if (opt_is_help(a)) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--dyad") == 0) {
            if (i + 2 >= argc) {
                cli_errorf("events: --dyad takes two countries");
                return EXIT_USAGE;
            }
            q.a = argv[++i];
            q.b = argv[++i];
        } else if ((m = opt_value(argc, argv, &i, "--actor", &actor)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--db", &db)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--channel", &q.channel)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--since", &q.since)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--until", &q.until)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--modality", &mods)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--limit", &limit)) != 0) {
        } else if (strcmp(a, "--directed") == 0) {
            q.directed = 1;
        } else if (strcmp(a, "--quantities") == 0) {
            q.with_quantity = 1;
        } else if (strcmp(a, "--clusters") == 0) {
            q.one_per_cluster = 1;
        } else if (strcmp(a, "--json") == 0) {
            c.fmt = OUT_JSON;
        } else if (strcmp(a, "--csv") == 0) {
            c.fmt = OUT_CSV;
        } else {
            cli_errorf("events: unexpected argument '%s' (try 'tumen events --help')", a);
            return EXIT_USAGE;
        }
        if (m < 0) {
            return EXIT_USAGE;
        }
    }
    if (actor) {
        if (q.a) {
            cli_errorf("events: use either --dyad or --actor");
            return EXIT_USAGE;
        }
        q.a = actor;
    }
    if (mods && parse_modalities(mods, &q.modalities) != 0) {
        cli_errorf("events: bad --modality list '%s'", mods);
        return EXIT_USAGE;
    }
    if (limit) {
        char *end = NULL;
        long n = strtol(limit, &end, 10);
        if (end == limit || *end != '\0' || n < 0) {
            cli_errorf("events: --limit takes a number >= 0");
            return EXIT_USAGE;
        }
        q.limit = (size_t)n;
    }
    tumen_store *s = cli_open_store(db, TUMEN_STORE_READONLY, NULL, false);
    if (s == NULL) {
        return EXIT_FAIL;
    }
    if (c.fmt == OUT_CSV) {
        printf("id,date,source,target,code,channel,modality,attributed_to,probability_words,"
               "value,low,unit,bound,cluster,cluster_mentions,cluster_sources,doc_id,"
               "doc_title,doc_url,sentence\n");
    }
    tumen_error err = {0};
    tumen_status st = tumen_store_events(s, &q, print_one, &c, &err);
    int rc = 0;
    if (st != TUMEN_OK) {
        if (st == TUMEN_DATE) {
            cli_error(&err);
            rc = EXIT_USAGE;
        } else {
            cli_error(&err);
            rc = EXIT_FAIL;
        }
    } else if (c.fmt == OUT_TABLE && c.n == 0) {
        printf("no events\n");
    }
    tumen_store_free(s);
    return rc;
}
