/* tumen CLI entry: dispatch through a {name, fn, summary} table. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cli_command commands[] = {
    {"code", cmd_code, "code documents into CAMEO events (JSONL or TSV on stdout)"},
    {"ingest", cmd_ingest, "code documents and store them in the event store (tumen.db)"},
    {"dyad", cmd_dyad, "per-period channels, quad classes and cooperation index of a dyad"},
    {"actors", cmd_actors, "the actor network: dyads by volume and net cooperation"},
    {"events", cmd_events, "the evidence list: events with sentences, modality, quantities"},
    {"report", cmd_report, "write a self-contained HTML report for a dyad"},
    {"dict", cmd_dict, "dictionary tools: check (lint), stats, compile"},
    {"conform", cmd_conform, "run a peer's conformance suite (tabari, petrarch)"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: tumen <command> [options] [FILE...|-]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\nRun 'tumen <command> --help' for a command's options.\n"
               "Exit codes: 0 ok, 1 failure, 2 usage, 3 some input was invalid, "
               "4 dictionary error.\n");
}

void cli_errorf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("tumen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_error(const tumen_error *e) {
    char buf[1200];
    tumen_error_format(e, buf, sizeof buf);
    fprintf(stderr, "tumen: %s\n", buf);
}

bool cli_progress_enabled(void) {
    return isatty(STDERR_FILENO) != 0;
}

const char *cli_default_dict(void) {
    const char *env = getenv("TUMEN_DATA");
    if (env && *env) {
        return env;
    }
    if (access(TUMEN_DATA_DIR_BUILD, R_OK) == 0) {
        return TUMEN_DATA_DIR_BUILD;
    }
    return TUMEN_DATA_DIR_INSTALL;
}

tumen_dict *cli_load_dicts(const char *const *paths, size_t n) {
    tumen_dict *d = NULL;
    if (tumen_dict_new(&d) != TUMEN_OK) {
        cli_errorf("out of memory");
        return NULL;
    }
    const char *def = cli_default_dict();
    const char *const *list = n ? paths : &def;
    size_t count = n ? n : 1;
    for (size_t i = 0; i < count; i++) {
        tumen_error err = {0};
        if (tumen_dict_load(d, list[i], TUMEN_DICT_AUTO, &err) != TUMEN_OK) {
            cli_error(&err);
            tumen_dict_free(d);
            return NULL;
        }
    }
    tumen_error err = {0};
    if (tumen_dict_finish(d, &err) != TUMEN_OK) {
        cli_error(&err);
        tumen_dict_free(d);
        return NULL;
    }
    return d;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("tumen %s\n", TUMEN_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].fn(argc - 1, argv + 1);
        }
    }
    cli_errorf("unknown command '%s' (try 'tumen --help')", argv[1]);
    return EXIT_USAGE;
}
