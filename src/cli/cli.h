/* tumen CLI: shared helpers and the command table. Each command lives in cmd_<name>.c. */
#ifndef TUMEN_CLI_H
#define TUMEN_CLI_H

#include "tumen.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (documented in the README). */
enum {
    EXIT_OK_ = 0,      /* success */
    EXIT_FAIL = 1,     /* a runtime failure: bad input file, I/O, database */
    EXIT_USAGE = 2,    /* wrong command line */
    EXIT_DATA = 3,     /* input data error (invalid UTF-8, bad JSON) but other documents done */
    EXIT_DICT = 4      /* dictionary error */
};

/* Every command: argc/argv start at the command name. Returns the exit code. */
typedef int (*cli_fn)(int argc, char **argv);

struct cli_command {
    const char *name;
    cli_fn fn;
    const char *summary;
};

int cmd_code(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_dyad(int argc, char **argv);
int cmd_actors(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_dict(int argc, char **argv);
int cmd_conform(int argc, char **argv);

/* Prints "tumen: " + message to stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a tumen_error as "tumen: file:line:col: msg". */
void cli_error(const tumen_error *e);

/* Default dictionary directory: $TUMEN_DATA, else the source tree's data/ when it exists,
 * else the installed share/tumen. Returns a static string. */
const char *cli_default_dict(void);

/* Loads dictionaries: each path in paths (n of them), or the default data dir when n == 0.
 * On failure prints the error and returns NULL. Caller frees with tumen_dict_free. */
tumen_dict *cli_load_dicts(const char *const *paths, size_t n);

/* True when stderr is a terminal (progress output allowed). */
bool cli_progress_enabled(void);

#endif
