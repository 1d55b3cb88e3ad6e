/* Dictionary lint ("tumen dict check"): unknown CAMEO codes, duplicate or conflicting verb
 * patterns, patterns that can never fire, overlapping dated actor roles, unknown agent
 * codes. Runs on a loaded (not necessarily finished) dictionary; reports through a
 * callback, never prints. */
#ifndef TUMEN_DICT_CHECK_H
#define TUMEN_DICT_CHECK_H

#include "dict_tabari.h"

enum lint_severity { LINT_WARNING = 0, LINT_ERROR };

/* file and msg are borrowed for the call. line is 1-based (0 when unknown). */
typedef void (*lint_fn)(void *ctx, enum lint_severity sev, const char *file, uint64_t line,
                        uint64_t col, const char *msg);

struct lint_counts {
    size_t errors, warnings;
};

/* Checks d and calls fn for each finding (in entry order per check). Returns TUMEN_NOMEM
 * when it cannot allocate its work tables. */
tumen_status dict_lint(const struct tumen_dict *d, lint_fn fn, void *ctx, struct lint_counts *n);

/* Loads path (file or directory, as tumen_dict_load does: sets first, then names in order)
 * passing recoverable defects of peer dictionaries to w as warnings. A file that fails is
 * reported to on_error and rolled back, and loading goes on with the next file. Returns
 * TUMEN_OK, or the status of the last failure. */
tumen_status dict_check_load(struct tumen_dict *d, const char *path, const struct dict_warner *w,
                             void (*on_error)(void *ctx, const tumen_error *e), void *ctx);

/* True for the CAMEO role/agent codes (GOV, MIL, REB, ...) that actor codes combine. */
bool cameo_role_known(const char *code3);

#endif
