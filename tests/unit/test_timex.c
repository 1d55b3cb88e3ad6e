/* Unit tests for src/lib/timex.c: absolute and relative expressions, spans (explicit
 * null), precision, clause preference. Sentences are our own. */
#include "harness.h"
#include "text.h"
#include "timex.h"

#include <string.h>

struct doc {
    struct text t;
    const char *s;
};

static void load(struct doc *d, const char *s) {
    text_init(&d->t);
    d->s = s;
    ASSERT_EQ_INT(text_split(&d->t, s, strlen(s)), TUMEN_OK);
    ASSERT_TRUE(d->t.nsents >= 1);
}

static uint32_t tok(const struct doc *d, const char *w) {
    for (size_t k = 0; k < d->t.ntoks; k++) {
        if (strcmp(tok_norm(&d->t, &d->t.toks[k]), w) == 0) {
            return (uint32_t)k;
        }
    }
    return TUMEN_NOID;
}

/* The time of the event headed by headword in s, against doc_date. found: expected
 * return value; when: expected string; span: expected words (NULL: don't check). */
static void check(const char *s, const char *headword, const char *doc_date, bool found,
                  const char *when, const char *span) {
    struct doc d;
    load(&d, s);
    uint32_t h = tok(&d, headword);
    ASSERT_NE_INT(h, TUMEN_NOID);
    char w[11];
    tumen_span sp;
    memset(w, 'x', sizeof w);
    bool ok = timex_for_event(&d.t, &d.t.sents[0], s, h, doc_date, w, &sp);
    if (ok != found || strcmp(w, when) != 0) {
        fprintf(stderr, "sentence: %s (doc %s)\n", s, doc_date ? doc_date : "NULL");
    }
    ASSERT_EQ_INT(ok, found);
    ASSERT_EQ_STR(w, when);
    if (span != NULL) {
        ASSERT_EQ_UINT(sp.length, strlen(span));
        ASSERT_EQ_MEM(s + sp.offset, span, sp.length);
    }
    text_fini(&d.t);
}

TEST(tables_sorted) {
    ASSERT_TRUE(timex_tables_sorted());
}

TEST(month_and_year) {
    check("In October 2023, Hanoi and Seoul signed a trade pact.", "signed", "2025", true,
          "2023-10", "October 2023");
    check("The summit of March 2019 ended without a deal.", "ended", "2025-05-01", true,
          "2019-03", "March 2019");
    check("Warsaw bought the tanks in Dec. 2022.", "bought", "2024", true, "2022-12", NULL);
}

TEST(year_only) {
    check("In 2019, Minsk expelled two diplomats.", "expelled", "2024-06-01", true, "2019",
          "2019");
    check("Trade collapsed in early 2020.", "collapsed", "2022", true, "2020", "2020");
    check("By 2030, Ankara plans to double its imports.", "plans", "2025", true, "2030", NULL);
    check("The 2014 annexation changed everything.", "annexation", "2022", true, "2014", NULL);
    check("Exports have grown since 2016.", "grown", "2022", true, "2016", NULL);
}

TEST(full_dates) {
    check("Fighting has raged since March 5, 2021 in the east.", "raged", "2023", true,
          "2021-03-05", "March 5, 2021");
    check("The envoys met on 9 November 2023 in Geneva.", "met", "2024", true, "2023-11-09",
          "9 November 2023");
    check("The ministers spoke on June 3.", "spoke", "2024-07-01", true, "2024-06-03", NULL);
    check("The talks opened on the 4th of July 2018.", "opened", NULL, true, "2018-07-04",
          NULL);
}

TEST(relative_years) {
    check("Last year, Baku sold gas to Rome.", "sold", "2025-03-10", true, "2024", "Last year");
    check("This year Cairo hosted the forum.", "hosted", "2023", true, "2023", NULL);
    check("Oslo will reopen the embassy next year.", "reopen", "2023-09", true, "2024", NULL);
    check("Lima broke off ties two years ago.", "broke", "2021", true, "2019", "two years ago");
    check("Lima broke off ties last year.", "broke", NULL, false, "", NULL);
}

TEST(relative_months) {
    check("Last month, Riga closed the crossing.", "closed", "2024-01-15", true, "2023-12",
          NULL);
    check("Last month, Riga closed the crossing.", "closed", "2024", false, "", NULL);
    check("The ferry resumes in September.", "resumes", "2022-08", true, "2022-09",
          "September");
    check("The ferry resumed last April.", "resumed", "2022-08", true, "2022-04", NULL);
    check("The ferry resumed last October.", "resumed", "2022-08", true, "2021-10", NULL);
    check("Kabul recalled its envoy yesterday.", "recalled", "2024-03-01", true, "2024-02-29",
          NULL);
}

TEST(present_and_recent) {
    check("In recent months, Hanoi has courted Moscow.", "courted", "2022-08", true, "2022",
          "In recent months");
    check("Seoul recently sold shells to Warsaw.", "sold", "2023-05-02", true, "2023",
          "recently");
    check("Ankara now buys more oil from Baghdad.", "buys", "2021", true, "2021", "now");
    check("Riga currently imports no gas.", "imports", "2020-02", true, "2020", NULL);
    check("In the last few months, the two navies have drilled together.", "drilled", "2019",
          true, "2019", NULL);
}

TEST(spans_are_explicit_null) {
    check("Prior to 2020, Tbilisi traded freely with Yerevan.", "traded", "2024", true, "",
          "Prior to 2020");
    check("Before 2015 the pipeline carried oil.", "carried", "2024", true, "", "Before 2015");
    check("During the war, Belgrade sold arms to both sides.", "sold", "2024", true, "",
          "During the war");
    check("Libya bought rifles from Kyiv in the 1990s and 2000s.", "bought", "2024", true, "",
          "1990s and 2000s");
    check("Between 2017 and 2019 the two states fought.", "fought", "2024", true, "",
          "Between 2017 and 2019");
    check("Before the pandemic, flights linked the two capitals.", "linked", "2024", true, "",
          "Before the pandemic");
}

TEST(no_expression) {
    check("Quito condemned the raid.", "condemned", "2024-01-01", false, "", NULL);
    /* the modal "may" and the verb "march" are not months */
    check("Troops may march on the capital.", "march", "2024-01-01", false, "", NULL);
}

TEST(prefers_head_clause) {
    check("In 2017 the talks failed, but in 2019 Havana signed the deal.", "signed", "2024",
          true, "2019", NULL);
    check("In 2017 the talks failed, but in 2019 Havana signed the deal.", "failed", "2024",
          true, "2017", NULL);
    /* nothing in the head's clause: the sentence's expression */
    check("In 2021, as prices rose, Bogota raised tariffs.", "raised", "2024", true, "2021",
          NULL);
}

TEST(never_more_precise_than_text) {
    /* a full document date does not make "this year" more precise */
    check("This year Cairo hosted the forum.", "hosted", "2023-04-05", true, "2023", NULL);
}

int main(void) {
    RUN(tables_sorted);
    RUN(month_and_year);
    RUN(year_only);
    RUN(full_dates);
    RUN(relative_years);
    RUN(relative_months);
    RUN(present_and_recent);
    RUN(spans_are_explicit_null);
    RUN(no_expression);
    RUN(prefers_head_clause);
    RUN(never_more_precise_than_text);
    return harness_summary();
}
