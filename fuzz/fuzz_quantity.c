/* libFuzzer target: tokenizes the input with text_split and runs the prose readers
 * (quantity_scan, quantity_for_event, timex_scan, timex_for_event, modality_classify) on
 * every sentence, with a bounded number of heads per sentence so a run stays linear-ish.
 *
 *     clang -fsanitize=fuzzer,address,undefined ... fuzz/fuzz_quantity.c libtumen.a */
#include "modality.h"
#include "quantity.h"
#include "text.h"
#include "timex.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > (1u << 20) || tumen_utf8_check((const char *)data, size, NULL) != TUMEN_OK) {
        return 0;
    }
    const char *doc = (const char *)data;
    struct text t;
    text_init(&t);
    if (text_split(&t, doc, size) != TUMEN_OK) {
        text_fini(&t);
        return 0;
    }
    static const char *const dates[] = {NULL, "2022", "2024-01", "2024-03-01"};
    static const char *const codes[] = {"072", "061", "190", "--", "112", NULL};
    for (size_t i = 0; i < t.nsents; i++) {
        const struct sent *s = &t.sents[i];
        struct qty qs[16];
        size_t nq = quantity_scan(&t, s, doc, qs, 16);
        for (size_t j = 0; j < nq && j < 16; j++) {
            if (qs[j].first < s->first || qs[j].first + qs[j].n > s->first + s->n ||
                qs[j].q.span.offset + qs[j].q.span.length > size ||
                memchr(qs[j].q.unit, '\0', sizeof qs[j].q.unit) == NULL) {
                __builtin_trap();
            }
        }
        struct timex xs[8];
        size_t nx = timex_scan(&t, s, doc, dates[i % 4], xs, 8);
        for (size_t j = 0; j < nx && j < 8; j++) {
            if (xs[j].first + xs[j].n > s->first + s->n || strlen(xs[j].when) > 10) {
                __builtin_trap();
            }
        }
        /* at most 24 heads per sentence, spread over it */
        uint32_t step = s->n / 24 + 1;
        struct mod_actor actors[2];
        size_t na = 0;
        if (s->n >= 2) {
            actors[na++] = (struct mod_actor){s->first, 1, "AAA"};
            actors[na++] = (struct mod_actor){s->first + s->n - 1, 1, "BBB"};
        }
        for (uint32_t h = s->first; h < s->first + s->n; h += step) {
            const char *code = codes[h % 6];
            tumen_quantity q;
            if (quantity_for_event(&t, s, doc, h, 1, code, &q) &&
                q.span.offset + q.span.length > size) {
                __builtin_trap();
            }
            char when[11];
            tumen_span sp;
            if (timex_for_event(&t, s, doc, h, dates[h % 4], when, &sp) &&
                (strlen(when) > 10 || sp.offset + sp.length > size)) {
                __builtin_trap();
            }
            struct mod_input in = {&t, s, doc, h, 1, TUMEN_NOID, TUMEN_NOID, actors, na, code, NULL};
            struct mod_result r;
            modality_classify(&in, &r);
            if (r.cue.offset + r.cue.length > size ||
                r.prob_words.offset + r.prob_words.length > size || r.probability > 1 ||
                memchr(r.attributed_to, '\0', sizeof r.attributed_to) == NULL) {
                __builtin_trap();
            }
        }
    }
    text_fini(&t);
    return 0;
}
