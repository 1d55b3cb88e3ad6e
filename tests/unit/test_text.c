/* Text stage: UTF-8 validation, normalisation, tokens, sentences. */
#include "harness.h"
#include "text.h"

static struct text T;

static void split(const char *s) {
    ASSERT_EQ_INT(text_split(&T, s, strlen(s)), TUMEN_OK);
}

static const char *norm_at(size_t k) {
    return tok_norm(&T, &T.toks[k]);
}

/* The i-th sentence as text. */
static char sent_buf[1024];
static const char *sent_text(const char *doc, size_t i) {
    const struct sent *s = &T.sents[i];
    snprintf(sent_buf, sizeof sent_buf, "%.*s", (int)s->len, doc + s->off);
    return sent_buf;
}

TEST(utf8_valid_and_invalid) {
    size_t bad = 99;
    ASSERT_EQ_INT(tumen_utf8_check("Pyongyang\xe2\x80\x99s", 13, &bad), TUMEN_OK);
    ASSERT_EQ_INT(tumen_utf8_check("ab\xc0\xaf", 4, &bad), TUMEN_UTF8); /* overlong */
    ASSERT_EQ_UINT(bad, 2);
    ASSERT_EQ_INT(tumen_utf8_check("x\xed\xa0\x80", 4, &bad), TUMEN_UTF8); /* surrogate */
    ASSERT_EQ_UINT(bad, 1);
    ASSERT_EQ_INT(tumen_utf8_check("abc\xe2\x80", 5, &bad), TUMEN_UTF8); /* truncated */
    ASSERT_EQ_UINT(bad, 3);
    ASSERT_EQ_INT(tumen_utf8_check("a\0b", 3, &bad), TUMEN_UTF8); /* NUL */
    ASSERT_EQ_UINT(bad, 1);
    ASSERT_EQ_INT(tumen_utf8_check("0123456789abcdef\xf4\x90\x80\x80", 20, &bad), TUMEN_UTF8);
    ASSERT_EQ_UINT(bad, 16);
}

TEST(normalize_quotes_dashes_case) {
    struct buf b;
    buf_init(&b, 0);
    ASSERT_EQ_INT(text_normalize("Pyongyang\xe2\x80\x99s", 13, &b), TUMEN_OK);
    ASSERT_EQ_STR(b.data, "pyongyang's");
    buf_reset(&b);
    ASSERT_EQ_INT(text_normalize("\xe2\x80\x94", 3, &b), TUMEN_OK);
    ASSERT_EQ_STR(b.data, "-");
    buf_reset(&b);
    ASSERT_EQ_INT(text_normalize("ERDO\xc4\x9e" "AN", 8, &b), TUMEN_OK);
    ASSERT_EQ_STR(b.data, "erdogan");
    buf_fini(&b);
}

TEST(tokens_clitics_hyphens_initialisms) {
    split("North Korea\xe2\x80\x99s troops didn't go to the U.S. Russia-DPRK ties.");
    const char *want[] = {"north", "korea", "'s", "troops", "did", "n't", "go", "to", "the",
                          "u.s.", "russia", "-", "dprk", "ties", "."};
    ASSERT_EQ_UINT(T.ntoks, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < T.ntoks; i++) {
        ASSERT_EQ_STR(norm_at(i), want[i]);
    }
    ASSERT_TRUE(T.toks[2].flags & TF_POSS);
    ASSERT_TRUE(T.toks[11].flags & TF_HYPHEN);
    ASSERT_TRUE(T.toks[12].flags & TF_UPPER);
    ASSERT_EQ_INT(text_word_class("to", 2), WC_PREP);
    ASSERT_EQ_INT(text_word_class("which", 5), WC_REL);
    ASSERT_EQ_INT(text_word_class("troops", 6), WC_NONE);
}

TEST(tokens_numbers) {
    split("About 14,000 troops, $20bn, 1.5 million and the 1990s; 49%.");
    const char *want[] = {"about", "14,000", "troops", ",", "$",  "20", "bn", ",", "1.5",
                          "million", "and", "the", "1990s", ";", "49", "%", "."};
    ASSERT_EQ_UINT(T.ntoks, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < T.ntoks; i++) {
        ASSERT_EQ_STR(norm_at(i), want[i]);
    }
    ASSERT_TRUE(T.toks[1].flags & TF_NUM);
}

TEST(offsets_point_into_original) {
    const char *doc = "  \xe2\x80\x9cSeoul\xe2\x80\x9d said.";
    split(doc);
    ASSERT_EQ_STR(norm_at(0), "\"");
    ASSERT_EQ_UINT(T.toks[1].off, 5);
    ASSERT_EQ_UINT(T.toks[1].len, 5);
    ASSERT_EQ_MEM(doc + T.toks[1].off, "Seoul", 5);
}

TEST(sentences_abbreviations_initials_decimals) {
    const char *doc = "Gen. Kim met the U.S. envoy on Jan. 5. He left. John F. Kennedy said "
                      "growth was 1.5 percent... Then it ended.";
    split(doc);
    ASSERT_EQ_UINT(T.nsents, 4);
    ASSERT_EQ_STR(sent_text(doc, 0), "Gen. Kim met the U.S. envoy on Jan. 5.");
    ASSERT_EQ_STR(sent_text(doc, 1), "He left.");
    ASSERT_EQ_STR(sent_text(doc, 2), "John F. Kennedy said growth was 1.5 percent...");
}

TEST(sentences_us_at_end_and_quotes) {
    const char *doc = "Pyongyang criticised the U.S. The talks failed. \"We will win,\" he "
                      "said. \"It is fake.\" Moscow denied it.";
    split(doc);
    ASSERT_EQ_UINT(T.nsents, 5);
    ASSERT_EQ_STR(sent_text(doc, 0), "Pyongyang criticised the U.S.");
    ASSERT_EQ_STR(sent_text(doc, 2), "\"We will win,\" he said.");
    ASSERT_EQ_STR(sent_text(doc, 3), "\"It is fake.\"");
}

TEST(sentences_lines) {
    const char *doc = "A title without a period\n\nFirst paragraph starts here\nand wraps. "
                      "Second.\nThird line";
    split(doc);
    ASSERT_EQ_UINT(T.nsents, 4);
    ASSERT_EQ_STR(sent_text(doc, 0), "A title without a period");
    ASSERT_EQ_STR(sent_text(doc, 1), "First paragraph starts here\nand wraps.");
    ASSERT_EQ_STR(sent_text(doc, 3), "Third line");
}

TEST(long_sentence_windows) {
    T.max_tokens = 100;
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 1000; i++) {
        buf_adds(&b, "word ");
    }
    ASSERT_EQ_INT(text_split(&T, b.data, b.len), TUMEN_OK);
    ASSERT_EQ_UINT(T.ntoks, 1000);
    ASSERT_EQ_UINT(T.nsents, 10);
    T.max_tokens = 0;
    buf_fini(&b);
}

TEST(empty_and_blank) {
    split("");
    ASSERT_EQ_UINT(T.ntoks, 0);
    ASSERT_EQ_UINT(T.nsents, 0);
    split(" \n\t \xc2\xa0 ");
    ASSERT_EQ_UINT(T.nsents, 0);
}

int main(void) {
    text_init(&T);
    RUN(utf8_valid_and_invalid);
    RUN(normalize_quotes_dashes_case);
    RUN(tokens_clitics_hyphens_initialisms);
    RUN(tokens_numbers);
    RUN(offsets_point_into_original);
    RUN(sentences_abbreviations_initials_decimals);
    RUN(sentences_us_at_end_and_quotes);
    RUN(sentences_lines);
    RUN(long_sentence_windows);
    RUN(empty_and_blank);
    text_fini(&T);
    return harness_summary();
}
