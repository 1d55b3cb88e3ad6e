/* libFuzzer target: the text stage (src/lib/text.c) on arbitrary bytes.
 *
 * Input that tumen_utf8_check rejects is dropped, as tumen_coder_code would drop it. Valid
 * input goes through text_split twice (the second time into a used struct, with a small
 * window size taken from the first byte, so sentence windows are exercised), and every
 * offset the splitter hands out is checked against the document: tokens and sentences
 * lie inside it, in order, without overlap; a sentence's tokens lie inside the sentence;
 * normalised forms lie inside the norm buffer. text_normalize runs on the whole input too.
 * A violated invariant aborts, which libFuzzer reports as a crash. */
#include "tumen.h"
#include "text.h"

#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const struct text *t, size_t len) {
    size_t end = 0;
    for (size_t i = 0; i < t->ntoks; i++) {
        const struct tok *k = &t->toks[i];
        FUZZ_CHECK(k->len > 0);
        FUZZ_CHECK((size_t)k->off + k->len <= len);
        FUZZ_CHECK(k->off >= end); /* ordered, no overlap */
        end = (size_t)k->off + k->len;
        FUZZ_CHECK((size_t)k->norm + k->nlen <= t->norm.len);
        FUZZ_CHECK(t->norm.data[k->norm + k->nlen] == '\0');
    }
    size_t next_tok = 0, sent_end = 0;
    for (size_t i = 0; i < t->nsents; i++) {
        const struct sent *s = &t->sents[i];
        FUZZ_CHECK((size_t)s->off + s->len <= len);
        FUZZ_CHECK(s->off >= sent_end); /* ordered, no overlap (windows included) */
        sent_end = (size_t)s->off + s->len;
        FUZZ_CHECK(s->first >= next_tok);
        FUZZ_CHECK((size_t)s->first + s->n <= t->ntoks);
        if (t->max_tokens != 0) {
            FUZZ_CHECK(s->n <= t->max_tokens);
        }
        for (uint32_t j = s->first; j < s->first + s->n; j++) {
            const struct tok *k = &t->toks[j];
            FUZZ_CHECK(k->off >= s->off);
            FUZZ_CHECK((size_t)k->off + k->len <= (size_t)s->off + s->len);
        }
        next_tok = (size_t)s->first + s->n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *doc = (const char *)data;
    size_t bad = 0;
    if (tumen_utf8_check(doc, size, &bad) != TUMEN_OK) {
        FUZZ_CHECK(bad < size || size == 0);
        return 0;
    }

    struct text t;
    text_init(&t);
    if (text_split(&t, doc, size) == TUMEN_OK) {
        check_text(&t, size);
    }
    /* Reuse the struct with small windows: 1..16 tokens. */
    t.max_tokens = size ? (size_t)(data[0] % 16) + 1 : 1;
    if (text_split(&t, doc, size) == TUMEN_OK) {
        check_text(&t, size);
    }
    text_fini(&t);

    struct buf out;
    buf_init(&out, 0);
    if (text_normalize(doc, size, &out) == TUMEN_OK && out.len > 0) {
        FUZZ_CHECK(out.data[out.len] == '\0');
    }
    buf_fini(&out);
    return 0;
}
