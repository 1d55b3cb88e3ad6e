/* tumen dict: dictionary tools. check = lint, stats = counts and load time. */
#include "cli.h"

#include "dict_cache.h"
#include "dict_check.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void help(void) {
    printf("usage: tumen dict check [OPTIONS] DIR|FILE...\n"
           "       tumen dict stats [--dict PATH]... [--cache DIR | --no-cache]\n"
           "\n"
           "check  loads each dictionary (tumen, TABARI or PETRARCH format) and reports, as\n"
           "       'file:line: warning|error: message': syntax errors, unknown CAMEO codes,\n"
           "       duplicate or conflicting verb patterns, patterns that can never fire,\n"
           "       dated actor roles that overlap for one phrase, unknown agent codes, and\n"
           "       defects of peer files that their own readers skip (as warnings).\n"
           "         -q, --quiet       print errors only\n"
           "         --max N           print at most N messages (default: all)\n"
           "stats  loads the dictionaries (default: tumen's data/) through the compiled\n"
           "       cache and prints entry counts and the load time.\n"
           "         --dict PATH       dictionary file or directory (repeatable)\n"
           "         --cache DIR       cache directory (default $XDG_CACHE_HOME/tumen or\n"
           "                           ~/.cache/tumen)\n"
           "         --no-cache        load the sources directly\n"
           "\n"
           "exit codes: 0 clean (warnings allowed); 2 usage; 4 errors found or a dictionary\n"
           "failed to load.\n");
}

struct check_ctx {
    bool quiet;
    long max, shown;
    size_t errors, warnings;
};

static void emit(struct check_ctx *c, bool error, const char *file, uint64_t line, uint64_t col,
                 const char *msg) {
    if (error) {
        c->errors++;
    } else {
        c->warnings++;
    }
    if ((c->quiet && !error) || (c->max >= 0 && c->shown >= c->max)) {
        return;
    }
    c->shown++;
    if (col > 0) {
        printf("%s:%llu:%llu: %s: %s\n", file, (unsigned long long)line, (unsigned long long)col,
               error ? "error" : "warning", msg);
    } else {
        printf("%s:%llu: %s: %s\n", file, (unsigned long long)line, error ? "error" : "warning",
               msg);
    }
}

static void on_warn(void *ctx, const char *file, uint64_t line, uint64_t col, const char *msg) {
    emit(ctx, false, file, line, col, msg);
}

static void on_error(void *ctx, const tumen_error *e) {
    emit(ctx, true, e->file, e->line, e->col, e->msg);
}

static void on_lint(void *ctx, enum lint_severity sev, const char *file, uint64_t line,
                    uint64_t col, const char *msg) {
    emit(ctx, sev == LINT_ERROR, file, line, col, msg);
}

static int check(int argc, char **argv) {
    struct check_ctx c = {false, -1, 0, 0, 0};
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t np = 0;
    if (paths == NULL) {
        cli_errorf("out of memory");
        return EXIT_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            help();
            free(paths);
            return 0;
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            c.quiet = true;
        } else if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
            c.max = strtol(argv[++i], NULL, 10);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_errorf("dict check: unknown option '%s'", argv[i]);
            free(paths);
            return EXIT_USAGE;
        } else {
            paths[np++] = argv[i];
        }
    }
    if (np == 0) {
        cli_errorf("dict check: no dictionary given (try 'tumen dict check --help')");
        free(paths);
        return EXIT_USAGE;
    }
    tumen_dict *d = NULL;
    if (tumen_dict_new(&d) != TUMEN_OK) {
        cli_errorf("out of memory");
        free(paths);
        return EXIT_FAIL;
    }
    struct dict_warner w = {on_warn, &c};
    for (size_t i = 0; i < np; i++) {
        (void)dict_check_load(d, paths[i], &w, on_error, &c);
    }
    struct lint_counts n = {0, 0};
    if (dict_lint(d, on_lint, &c, &n) != TUMEN_OK) {
        cli_errorf("dict check: out of memory");
    }
    size_t a, g, v, x;
    tumen_dict_stats(d, &a, &g, &v, &x);
    fprintf(stderr, "tumen: %zu actors, %zu agents, %zu verb patterns, %zu discards: %zu errors, "
                    "%zu warnings\n",
            a, g, v, x, c.errors, c.warnings);
    tumen_dict_free(d);
    free(paths);
    return c.errors ? EXIT_DICT : 0;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int stats(int argc, char **argv) {
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t np = 0;
    const char *cache = NULL;
    bool no_cache = false;
    if (paths == NULL) {
        cli_errorf("out of memory");
        return EXIT_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            help();
            free(paths);
            return 0;
        } else if (strcmp(argv[i], "--dict") == 0 && i + 1 < argc) {
            paths[np++] = argv[++i];
        } else if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc) {
            cache = argv[++i];
        } else if (strcmp(argv[i], "--no-cache") == 0) {
            no_cache = true;
        } else if (argv[i][0] != '-') {
            paths[np++] = argv[i];
        } else {
            cli_errorf("dict stats: unknown option '%s'", argv[i]);
            free(paths);
            return EXIT_USAGE;
        }
    }
    const char *def = cli_default_dict();
    if (np == 0) {
        paths[np++] = def;
    }
    double t0 = now();
    tumen_dict *d = NULL;
    tumen_error err;
    memset(&err, 0, sizeof err);
    bool from_cache = false;
    tumen_status st = dict_cache_load_or_build(&d, paths, np, no_cache ? "" : cache, &from_cache,
                                               &err);
    double t1 = now();
    free(paths);
    if (st != TUMEN_OK) {
        cli_error(&err);
        return EXIT_DICT;
    }
    size_t a, g, v, x;
    tumen_dict_stats(d, &a, &g, &v, &x);
    printf("actors          %zu\n", a);
    printf("agents          %zu\n", g);
    printf("verb patterns   %zu\n", v);
    printf("word sets       %zu\n", d->nsets);
    printf("discards        %zu\n", x);
    printf("issues          %zu\n", d->nissues);
    printf("verb forms      %zu\n", d->nforms);
    printf("words           %zu\n", d->words.n);
    printf("load time       %.3f s (%s)\n", t1 - t0, from_cache ? "compiled cache" : "sources");
    tumen_dict_free(d);
    return 0;
}

int cmd_dict(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        help();
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "check") == 0) {
        return check(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "stats") == 0) {
        return stats(argc - 1, argv + 1);
    }
    cli_errorf("dict: unknown subcommand '%s' (try 'tumen dict --help')", argv[1]);
    return EXIT_USAGE;
}
