/* TABARI-compatible coding engine: TABARI's own shallow-parsing semantics (one event per
 * clause, paired codes, ^ % slots, stems, comma-clause dropping, options), used when a
 * coder is created with TUMEN_OPT_TABARI and by `tumen conform tabari`. It shares the
 * tokenizer (text.c) and the dictionary store (dict.h) with the main coder. */
#ifndef TUMEN_TABARI_CODER_H
#define TUMEN_TABARI_CODER_H

#include "dict.h"

struct tabari_options; /* dict_tabari.h; NULL = TABARI's defaults */
struct tabari_engine;

/* Creates an engine over a finished dictionary (borrowed). opt may be NULL. Returns
 * TUMEN_NOTFOUND when this build has no TABARI engine (the coder then falls back). */
tumen_status tabari_engine_new(const struct tumen_dict *d, const struct tabari_options *opt,
                               struct tabari_engine **out);
/* Codes one document (valid UTF-8 already checked by the caller); fn gets each event. */
tumen_status tabari_engine_code(struct tabari_engine *e, const tumen_doc *doc,
                                tumen_event_fn fn, void *ctx, uint64_t *nsentences,
                                tumen_error *err);
/* Replaces the engine's options (NULL = TABARI's defaults); used between validation records. */
void tabari_engine_set_options(struct tabari_engine *e, const struct tabari_options *opt);
/* tabari_engine_code with control for the conformance runner: whole codes the document as one
 * TABARI record (no sentence split); *outcome (may be NULL) receives 1 when the record was
 * discarded ([###]), 2 when it was complex ([+++]), else 0. */
tumen_status tabari_engine_code_ex(struct tabari_engine *e, const tumen_doc *doc, bool whole,
                                   tumen_event_fn fn, void *ctx, uint64_t *nsentences,
                                   tumen_error *err, int *outcome);
/* Frees e; NULL is a no-op. */
void tabari_engine_free(struct tabari_engine *e);

#endif
