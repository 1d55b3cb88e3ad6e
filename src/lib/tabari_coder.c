/* TABARI-compatible engine: placeholder until it is written (issue 4). */
#include "tabari_coder.h"

#include <stdlib.h>

tumen_status tabari_engine_new(const struct tumen_dict *d, const struct tabari_options *opt,
                               struct tabari_engine **out) {
    (void)opt;
    (void)d;
    *out = NULL;
    return TUMEN_NOTFOUND; /* not written yet: the caller falls back to the main coder */
}

tumen_status tabari_engine_code(struct tabari_engine *e, const tumen_doc *doc,
                                tumen_event_fn fn, void *ctx, uint64_t *nsentences,
                                tumen_error *err) {
    (void)e;
    (void)doc;
    (void)fn;
    (void)ctx;
    *nsentences = 0;
    return err_set(err, TUMEN_INVALID, doc->id ? doc->id : "", 0, 0,
                   "the TABARI-compatible engine is not available yet");
}

void tabari_engine_free(struct tabari_engine *e) {
    (void)e;
}
