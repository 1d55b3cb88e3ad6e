/* tumen actors: the actor network, country pairs by volume and net cooperation. */
#include "store_cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: tumen actors [options]\n"
            "\n"
            "Lists the dyad network: pairs of countries (first 3 letters of the CAMEO actor\n"
            "codes, unordered) with their event volume, each direction's share, summed\n"
            "Goldstein and net cooperation (the cooperation index of 'tumen dyad --help').\n"
            "Statistics and events with an unknown actor are not counted.\n"
            "\n"
            "options:\n"
            "  --top N        the N largest pairs (default 20; 0 = all)\n"
            "  --around C     only pairs that involve C (or either of \"RUS,PRK\")\n"
            "  --facts-only   only asserted and reported events\n"
            "  --db FILE      event store (default tumen.db)\n"
            "  --json, --csv  machine-readable output instead of the table\n"
            "  -h, --help     this help\n");
}

int cmd_actors(int argc, char **argv) {
    const char *db = "tumen.db", *top_s = "20", *around = NULL;
    int facts = 0;
    enum out_format fmt = OUT_TABLE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m = 0;
        if (opt_is_help(a)) {
            usage(stdout);
            return 0;
        } else if ((m = opt_value(argc, argv, &i, "--db", &db)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--top", &top_s)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--around", &around)) != 0) {
        } else if (strcmp(a, "--facts-only") == 0) {
            facts = 1;
        } else if (strcmp(a, "--json") == 0) {
            fmt = OUT_JSON;
        } else if (strcmp(a, "--csv") == 0) {
            fmt = OUT_CSV;
        } else {
            cli_errorf("actors: unexpected argument '%s' (try 'tumen actors --help')", a);
            return EXIT_USAGE;
        }
        if (m < 0) {
            return EXIT_USAGE;
        }
    }
    char *end = NULL;
    long top = strtol(top_s, &end, 10);
    if (end == top_s || *end != '\0' || top < 0) {
        cli_errorf("actors: --top takes a number >= 0");
        return EXIT_USAGE;
    }
    tumen_store *s = cli_open_store(db, TUMEN_STORE_READONLY, NULL, false);
    if (s == NULL) {
        return EXIT_FAIL;
    }
    tumen_actor_edge *e = NULL;
    size_t n = 0;
    tumen_error err = {0};
    if (tumen_store_actors(s, (size_t)top, around, facts, &e, &n, &err) != TUMEN_OK) {
        cli_error(&err);
        tumen_store_free(s);
        return EXIT_FAIL;
    }
    if (fmt == OUT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(
                arr, json_pack("{s:s, s:s, s:I, s:I, s:I, s:f, s:f, s:f, s:f}", "a", e[i].a,
                               "b", e[i].b, "events", (json_int_t)e[i].events, "a_to_b",
                               (json_int_t)e[i].a_to_b, "b_to_a", (json_int_t)e[i].b_to_a,
                               "goldstein_sum", e[i].goldstein_sum, "coop", e[i].coop,
                               "conflict", e[i].conflict, "coop_index", e[i].index));
        }
        json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        putchar('\n');
        json_decref(arr);
    } else if (fmt == OUT_CSV) {
        printf("a,b,events,a_to_b,b_to_a,goldstein_sum,coop,conflict,coop_index\n");
        for (size_t i = 0; i < n; i++) {
            printf("%s,%s,%llu,%llu,%llu,%.4f,%.4f,%.4f,%.4f\n", e[i].a, e[i].b,
                   (unsigned long long)e[i].events, (unsigned long long)e[i].a_to_b,
                   (unsigned long long)e[i].b_to_a, e[i].goldstein_sum, e[i].coop,
                   e[i].conflict, e[i].index);
        }
    } else if (n == 0) {
        printf("no events between two known countries\n");
    } else {
        printf("%-4s %-4s %7s %6s %6s %9s %7s\n", "a", "b", "events", "a->b", "b->a",
               "gold_sum", "coop_i");
        for (size_t i = 0; i < n; i++) {
            printf("%-4s %-4s %7llu %6llu %6llu %9.1f %+7.2f\n", e[i].a, e[i].b,
                   (unsigned long long)e[i].events, (unsigned long long)e[i].a_to_b,
                   (unsigned long long)e[i].b_to_a, e[i].goldstein_sum, e[i].index);
        }
    }
    free(e);
    tumen_store_free(s);
    return 0;
}
