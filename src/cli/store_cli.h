/* Helpers shared by the store commands (ingest, dyad, actors, events, report). */
#ifndef TUMEN_STORE_CLI_H
#define TUMEN_STORE_CLI_H

#include "cli.h"
#include "tumen_store.h"

/* Output format of the analytics commands. */
enum out_format { OUT_TABLE = 0, OUT_JSON, OUT_CSV };

/* Matches "--name VALUE" or "--name=VALUE" at argv[*i]; on a match stores VALUE, advances *i
 * past it and returns 1. Returns -1 (after printing a usage error) when VALUE is missing,
 * 0 when argv[*i] is another option. */
int opt_value(int argc, char **argv, int *i, const char *name, const char **val);

/* True for "--help" / "-h". */
bool opt_is_help(const char *a);

/* The channel table: $TUMEN_CHANNELS, else channels.tsv in the default data directory.
 * Returns a static buffer. */
const char *cli_channels_path(void);

/* Opens the store with TUMEN_STORE_* flags (READONLY for analytics) and loads the channel table when it exists
 * (required = 1: an error if it cannot be loaded). Prints errors; NULL on failure. */
tumen_store *cli_open_store(const char *db, unsigned flags, const char *channels, bool required);

/* Writes s as one CSV field (quoted when needed). */
void csv_field(FILE *f, const char *s);

/* "1,500" style number (no decimals when integral) into buf. */
const char *fmt_num(double v, char *buf, size_t size);

#endif
