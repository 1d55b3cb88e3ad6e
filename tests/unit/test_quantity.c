/* Unit tests for src/lib/quantity.c: every quantity form, units, non-quantities (years,
 * dates, ordinals, labels) and attachment to events. Sentences are our own. */
#include "harness.h"
#include "quantity.h"
#include "text.h"

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

/* Token index of the nth (0-based) token whose normalised form is w. */
static uint32_t tok(const struct doc *d, const char *w, int nth) {
    for (size_t k = 0; k < d->t.ntoks; k++) {
        if (strcmp(tok_norm(&d->t, &d->t.toks[k]), w) == 0 && nth-- == 0) {
            return (uint32_t)k;
        }
    }
    return TUMEN_NOID;
}

/* Scans sentence 0 of s; returns the count and the first n quantities in qs. */
static size_t scan(struct doc *d, const char *s, struct qty *qs, size_t max) {
    load(d, s);
    return quantity_scan(&d->t, &d->t.sents[0], s, qs, max);
}

static void span_is(const struct doc *d, tumen_span sp, const char *want) {
    ASSERT_EQ_UINT(sp.length, strlen(want));
    ASSERT_EQ_MEM(d->s + sp.offset, want, sp.length);
}

/* One quantity expected: value, unit, approx, bound, low (<0: none), span text. */
static void one(const char *s, double v, const char *unit, int approx, tumen_bound bound,
                double low, const char *span) {
    struct doc d;
    struct qty qs[8];
    size_t n = scan(&d, s, qs, 8);
    if (n != 1) {
        fprintf(stderr, "sentence: %s\n", s);
    }
    ASSERT_EQ_UINT(n, 1);
    ASSERT_NEAR(qs[0].q.value, v, 1e-6 * (v > 1 ? v : 1));
    ASSERT_EQ_STR(qs[0].q.unit, unit);
    ASSERT_EQ_INT(qs[0].q.approx, approx);
    ASSERT_EQ_INT(qs[0].q.bound, bound);
    if (low < 0) {
        ASSERT_EQ_INT(qs[0].q.has_low, 0);
    } else {
        ASSERT_EQ_INT(qs[0].q.has_low, 1);
        ASSERT_NEAR(qs[0].q.low, low, 1e-6 * (low > 1 ? low : 1));
    }
    span_is(&d, qs[0].q.span, span);
    text_fini(&d.t);
}

static void none(const char *s) {
    struct doc d;
    struct qty qs[4];
    size_t n = scan(&d, s, qs, 4);
    if (n != 0) {
        fprintf(stderr, "sentence: %s\nfound: %g %s\n", s, qs[0].q.value, qs[0].q.unit);
    }
    ASSERT_EQ_UINT(n, 0);
    text_fini(&d.t);
}

TEST(tables_sorted) {
    ASSERT_TRUE(quantity_tables_sorted());
}

TEST(digits_with_separators) {
    one("Moscow moved 12,500 soldiers to the border.", 12500, "troops", 0, TUMEN_BOUND_NONE, -1,
        "12,500");
    one("The ministry counted 3400 students from abroad.", 3400, "students", 0,
        TUMEN_BOUND_NONE, -1, "3400");
}

TEST(decimals_and_scales) {
    one("The fund paid 2.5 million euros to Minsk.", 2.5e6, "euros", 0, TUMEN_BOUND_NONE, -1,
        "2.5 million euros");
    one("Beijing lent Caracas $20 billion last spring.", 2e10, "usd", 0, TUMEN_BOUND_NONE, -1,
        "$20 billion");
    one("Tokyo pledged $7bn for the port.", 7e9, "usd", 0, TUMEN_BOUND_NONE, -1, "$7bn");
    one("The deal is worth 300 million rubles.", 3e8, "rubles", 0, TUMEN_BOUND_NONE, -1,
        "300 million rubles");
}

TEST(number_words) {
    one("Hanoi sent fifty labourers north.", 50, "workers", 0, TUMEN_BOUND_NONE,
        -1, "fifty");
    one("Officials expect two hundred tourists a week.", 200, "tourists", 0, TUMEN_BOUND_NONE,
        -1, "two hundred");
    one("Seoul delivered twenty-five tanks to Warsaw.", 25, "tanks", 0, TUMEN_BOUND_NONE, -1,
        "twenty-five");
}

TEST(approx_modifiers) {
    one("Kyiv says around 3,000 troops crossed the river.", 3000, "troops", 1,
        TUMEN_BOUND_NONE, -1, "around 3,000");
    one("The army fired approximately 8,000 shells that week.", 8000, "shells", 1,
        TUMEN_BOUND_NONE, -1, "approximately 8,000");
    one("Some 600 visitors arrived by train.", 600, "tourists", 1, TUMEN_BOUND_NONE, -1,
        "Some 600");
    one("Nearly 90 missiles hit the grid.", 90, "missiles", 1, TUMEN_BOUND_NONE, -1,
        "Nearly 90");
}

TEST(bounds) {
    one("Pyongyang could deploy up to 40,000 troops.", 40000, "troops", 0, TUMEN_BOUND_MAX, -1,
        "up to 40,000");
    one("As many as 700 workers left the site.", 700, "workers", 0, TUMEN_BOUND_MAX, -1,
        "As many as 700");
    one("At least 150 civilians fled the town.", 150, "civilians", 0, TUMEN_BOUND_MIN, -1,
        "At least 150");
    one("More than 2,000 soldiers joined the drill.", 2000, "troops", 0, TUMEN_BOUND_MIN, -1,
        "More than 2,000");
    one("Exports fell to less than 5,000 tonnes.", 5000, "tonnes", 0, TUMEN_BOUND_MAX, -1,
        "less than 5,000");
    one("Over 1,200 students enrolled in Kazan.", 1200, "students", 0, TUMEN_BOUND_MIN, -1,
        "Over 1,200");
}

TEST(vague_plurals) {
    one("Tens of thousands of soldiers massed near the border.", 10000, "troops", 0,
        TUMEN_BOUND_MIN, -1, "Tens of thousands");
    one("Hundreds of workers protested in the capital.", 100, "workers", 0, TUMEN_BOUND_MIN,
        -1, "Hundreds");
    one("Thousands of rockets were stored there.", 1000, "missiles", 0, TUMEN_BOUND_MIN, -1,
        "Thousands");
    one("Hundreds of thousands of people left the city.", 100000, "people", 0,
        TUMEN_BOUND_MIN, -1, "Hundreds of thousands");
}

TEST(vague_unit_borrowed_across_ellipsis) {
    struct doc d;
    struct qty qs[4];
    size_t n = scan(&d, "Minsk needs not hundreds of soldiers, but thousands.", qs, 4);
    ASSERT_EQ_UINT(n, 2);
    ASSERT_EQ_STR(qs[1].q.unit, "troops");
    ASSERT_NEAR(qs[1].q.value, 1000, 0);
    ASSERT_EQ_INT(qs[1].q.bound, TUMEN_BOUND_MIN);
    text_fini(&d.t);
    n = scan(&d, "They sent hundreds and thousands of troops.", qs, 4);
    ASSERT_EQ_UINT(n, 2);
    ASSERT_EQ_STR(qs[0].q.unit, "troops");
    text_fini(&d.t);
}

TEST(ranges) {
    one("Between 3,000 and 8,000 labourers may be hired.", 8000, "workers", 0,
        TUMEN_BOUND_NONE, 3000, "Between 3,000 and 8,000");
    one("The plan foresees 10,000 to 30,000 workers in the region.", 30000, "workers", 0,
        TUMEN_BOUND_NONE, 10000, "10,000 to 30,000");
    one("The loan is worth $2-4bn, officials said.", 4e9, "usd", 0, TUMEN_BOUND_NONE, 2e9,
        "$2-4bn");
    one("Estimates range from 5 to 7 million barrels.", 7e6, "barrels", 0, TUMEN_BOUND_NONE,
        5e6, "5 to 7 million");
}

TEST(percent_and_fractions) {
    one("Turkey bought 38% of the gas.", 38, "percent", 0, TUMEN_BOUND_NONE, -1, "38%");
    one("Tariffs rose by 12.5 percent last year.", 12.5, "percent", 0, TUMEN_BOUND_NONE, -1,
        "12.5 percent");
    one("Wheat made up 7 per cent of sales.", 7, "percent", 0, TUMEN_BOUND_NONE, -1,
        "7 per cent");
    one("India took one third of the crude.", 33.3, "percent", 0, TUMEN_BOUND_NONE, -1,
        "one third");
    one("Almaty sells a third of its grain abroad.", 33.3, "percent", 0, TUMEN_BOUND_NONE, -1,
        "a third");
    one("Two thirds of the cargo went by sea.", 66.7, "percent", 0, TUMEN_BOUND_NONE, -1,
        "Two thirds");
    one("Half of the shipments were delayed.", 50, "percent", 0, TUMEN_BOUND_NONE, -1, "Half");
}

TEST(units) {
    one("The port handled 900 barrels a day.", 900, "barrels", 0, TUMEN_BOUND_NONE, -1, "900");
    one("The brigade has 4,000 servicemen.", 4000, "troops", 0, TUMEN_BOUND_NONE, -1, "4,000");
    one("They shipped 12,000 tons of rice.", 12000, "tonnes", 0, TUMEN_BOUND_NONE, -1,
        "12,000");
    one("A fund of 40 billion yuan was set up.", 4e10, "yuan", 0, TUMEN_BOUND_NONE, -1,
        "40 billion yuan");
    one("Some 5,000 North Korean construction workers arrived.", 5000, "workers", 1,
        TUMEN_BOUND_NONE, -1, "Some 5,000");
    one("The factory makes 300 rounds an hour.", 300, "shells", 0, TUMEN_BOUND_NONE, -1, "300");
}

TEST(unit_after_quote) {
    one("Pundits floated \"up to 60,000\" soldiers for the front.", 60000, "troops", 0,
        TUMEN_BOUND_MAX, -1, "up to 60,000");
}

TEST(unit_from_anaphora) {
    one("Tehran sent drones to the front, reportedly about 400 of them.", 400, "drones", 1,
        TUMEN_BOUND_NONE, -1, "about 400");
}

TEST(not_quantities) {
    none("In 2022 the border closed.");
    none("The treaty was signed on 19 June 2024.");
    none("Talks resumed on March 3.");
    none("It was the 14th round of talks since the 1990s.");
    none("The council adopted Resolution 2397 unanimously.");
    none("Poland bought F-16 jets.");
    none("Trade recovered after COVID-19 ended.");
    none("One of the five countries abstained.");
    none("The two countries signed a pact.");
    none("Prices stayed at pre-2022 levels.");
    none("Analysts call it Detente 2.0 for now.");
    none("The blog 21 Signals covered the launch.");
}

TEST(several_in_order) {
    struct doc d;
    struct qty qs[4];
    size_t n = scan(&d, "Arrivals fell from 30,000 in 2017 to under 9,000 in 2019.", qs, 4);
    ASSERT_EQ_UINT(n, 2);
    ASSERT_NEAR(qs[0].q.value, 30000, 0);
    ASSERT_NEAR(qs[1].q.value, 9000, 0);
    ASSERT_EQ_INT(qs[1].q.bound, TUMEN_BOUND_MAX);
    text_fini(&d.t);
    /* the count is returned even past max */
    n = scan(&d, "They sent 10 tanks, 20 drones and 30 missiles.", qs, 1);
    ASSERT_EQ_UINT(n, 3);
    ASSERT_EQ_STR(qs[0].q.unit, "tanks");
    text_fini(&d.t);
}

/* ---- attachment ---- */

static bool attach(struct doc *d, const char *s, const char *headword, const char *code,
                   tumen_quantity *q) {
    load(d, s);
    uint32_t h = tok(d, headword, 0);
    ASSERT_NE_INT(h, TUMEN_NOID);
    return quantity_for_event(&d->t, &d->t.sents[0], s, h, 1, code, q);
}

TEST(attach_nearest_in_clause) {
    struct doc d;
    tumen_quantity q;
    ASSERT_TRUE(attach(&d, "Russia deployed about 7,000 troops to Belarus.", "deployed", "074",
                       &q));
    ASSERT_NEAR(q.value, 7000, 0);
    ASSERT_EQ_STR(q.unit, "troops");
    ASSERT_EQ_INT(q.approx, 1);
    text_fini(&d.t);
}

TEST(attach_prefers_fitting_unit) {
    struct doc d;
    tumen_quantity q;
    ASSERT_TRUE(attach(&d,
                       "After paying $3bn in fees, Moscow hired 20,000 workers from Hanoi.",
                       "hired", "061", &q));
    ASSERT_EQ_STR(q.unit, "workers");
    text_fini(&d.t);
    ASSERT_TRUE(attach(&d, "Iran sent 500 drones to Russia, worth $200 million.", "sent", "072",
                       &q));
    ASSERT_EQ_STR(q.unit, "drones");
    text_fini(&d.t);
}

TEST(attach_across_comma_to_anaphora) {
    struct doc d;
    tumen_quantity q;
    ASSERT_TRUE(attach(&d, "Belgrade sent medics to the front, perhaps 300 of them.", "sent",
                       "073", &q));
    ASSERT_NEAR(q.value, 300, 0);
    text_fini(&d.t);
}

TEST(attach_none) {
    struct doc d;
    tumen_quantity q;
    ASSERT_FALSE(attach(&d, "Russia condemned the strike in 2022.", "condemned", "111", &q));
    ASSERT_EQ_INT(q.present, 0);
    text_fini(&d.t);
    /* durations never attach */
    ASSERT_FALSE(attach(&d, "The two sides talked for three years.", "talked", "040", &q));
    text_fini(&d.t);
    /* a unit that does not fit and is far away */
    ASSERT_FALSE(attach(&d,
                        "Tourism brought in 40% of revenue; separately, the army shelled the "
                        "village at dawn.",
                        "shelled", "195", &q));
    text_fini(&d.t);
}

TEST(attach_statistic) {
    struct doc d;
    tumen_quantity q;
    ASSERT_TRUE(attach(&d, "In 2021, Norway exported 31% of its gas to Germany.", "exported",
                       "--", &q));
    ASSERT_NEAR(q.value, 31, 0);
    ASSERT_EQ_STR(q.unit, "percent");
    text_fini(&d.t);
}

int main(void) {
    RUN(tables_sorted);
    RUN(digits_with_separators);
    RUN(decimals_and_scales);
    RUN(number_words);
    RUN(approx_modifiers);
    RUN(bounds);
    RUN(vague_plurals);
    RUN(vague_unit_borrowed_across_ellipsis);
    RUN(ranges);
    RUN(percent_and_fractions);
    RUN(units);
    RUN(unit_after_quote);
    RUN(unit_from_anaphora);
    RUN(not_quantities);
    RUN(several_in_order);
    RUN(attach_nearest_in_clause);
    RUN(attach_prefers_fitting_unit);
    RUN(attach_across_comma_to_anaphora);
    RUN(attach_none);
    RUN(attach_statistic);
    return harness_summary();
}
