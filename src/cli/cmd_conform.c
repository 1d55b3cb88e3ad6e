/* tumen conform: run a peer's validation suite and print pass rates by category. */
#include "cli.h"

#include "../lib/conform.h"

#include <stdlib.h>
#include <string.h>

static void help(void) {
    printf("usage: tumen conform tabari PROJECT | petrarch RECORDS [OPTIONS]\n"
           "\n"
           "Runs a peer's conformance suite with its own dictionaries and prints a table of\n"
           "pass rates by record category, then a closing line 'N passed, N failed'.\n"
           "\n"
           "  tabari PROJECT     a TABARI .project (e.g. Validate.project): its dictionaries,\n"
           "                     .options and text files with {SRC / TGT / CODE} expectations;\n"
           "                     the coder runs in TABARI mode\n"
           "  petrarch RECORDS   PETRARCH unit-test records (.jsonl, or the .xml with its\n"
           "                     .jsonl beside it) coded with the PETR.Validate.* dictionaries\n"
           "                     of the same directory\n"
           "\n"
           "options:\n"
           "  --failures         list every failing record: id, expected and produced events\n"
           "  --standard         count only the standard records (TABARI: before FINAL-01;\n"
           "                     PETRARCH: 'included')\n"
           "  --min-pass N       exit 1 when fewer than N records pass (regression floor)\n"
           "  -h, --help         this help\n"
           "\n"
           "exit codes: 0 ok; 1 the suite could not be read or run, or fewer than --min-pass\n"
           "records passed; 2 usage; 4 a dictionary failed to load.\n");
}

int cmd_conform(int argc, char **argv) {
    const char *which = NULL, *path = NULL;
    bool failures = false, standard = false;
    long min_pass = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help();
            return 0;
        } else if (strcmp(a, "--failures") == 0) {
            failures = true;
        } else if (strcmp(a, "--standard") == 0) {
            standard = true;
        } else if (strcmp(a, "--min-pass") == 0 && i + 1 < argc) {
            char *end;
            min_pass = strtol(argv[++i], &end, 10);
            if (*end != '\0' || min_pass < 0) {
                cli_errorf("conform: --min-pass needs a number");
                return EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_errorf("conform: unknown option '%s' (try 'tumen conform --help')", a);
            return EXIT_USAGE;
        } else if (which == NULL) {
            which = a;
        } else if (path == NULL) {
            path = a;
        } else {
            cli_errorf("conform: too many arguments");
            return EXIT_USAGE;
        }
    }
    if (which == NULL || path == NULL ||
        (strcmp(which, "tabari") != 0 && strcmp(which, "petrarch") != 0)) {
        cli_errorf("conform: expected 'tabari PROJECT' or 'petrarch RECORDS' "
                   "(try 'tumen conform --help')");
        return EXIT_USAGE;
    }
    struct conform_suite suite;
    tumen_error err;
    memset(&err, 0, sizeof err);
    tumen_status st = strcmp(which, "tabari") == 0 ? conform_tabari_load(&suite, path, &err)
                                                   : conform_petrarch_load(&suite, path, &err);
    if (st != TUMEN_OK) {
        cli_error(&err);
        return EXIT_FAIL;
    }
    if (standard) {
        size_t k = 0;
        for (size_t i = 0; i < suite.nrecs; i++) {
            if (suite.recs[i].standard) {
                suite.recs[k++] = suite.recs[i];
            } else {
                struct conform_record *r = &suite.recs[i];
                free(r->text);
                free(r->expected);
                for (size_t o = 0; o < r->noptions; o++) {
                    free(r->options[o]);
                }
                free(r->options);
            }
        }
        suite.nrecs = k;
    }
    struct conform_report rep;
    st = conform_run(&suite, 0, &rep, &err);
    if (st != TUMEN_OK) {
        cli_error(&err);
        conform_suite_fini(&suite);
        return err.line > 0 ? EXIT_DICT : EXIT_FAIL;
    }
    if (failures) {
        for (size_t i = 0; i < suite.nrecs; i++) {
            if (!rep.res[i].pass) {
                printf("FAIL %-16s want %s\n     %-16s got  %s\n", suite.recs[i].id,
                       rep.res[i].want, "", rep.res[i].got);
            }
        }
        printf("\n");
    }
    printf("%-12s %6s %6s %6s %7s\n", "category", "total", "pass", "fail", "rate");
    for (size_t i = 0; i < rep.ncats; i++) {
        const struct conform_category *c = &rep.cats[i];
        size_t tot = c->passed + c->failed;
        printf("%-12s %6zu %6zu %6zu %6.1f%%\n", c->name, tot, c->passed, c->failed,
               tot ? 100.0 * (double)c->passed / (double)tot : 0.0);
    }
    size_t tot = rep.passed + rep.failed;
    printf("%-12s %6zu %6zu %6zu %6.1f%%\n", "all", tot, rep.passed, rep.failed,
           tot ? 100.0 * (double)rep.passed / (double)tot : 0.0);
    printf("(dictionaries %.3f s, coding %.3f s)\n", rep.load_seconds, rep.code_seconds);
    printf("%zu passed, %zu failed\n", rep.passed, rep.failed);
    int rc = 0;
    if (min_pass >= 0 && rep.passed < (size_t)min_pass) {
        cli_errorf("conform: %zu passed, fewer than the floor of %ld", rep.passed, min_pass);
        rc = EXIT_FAIL;
    }
    conform_report_fini(&rep, suite.nrecs);
    conform_suite_fini(&suite);
    return rc;
}
