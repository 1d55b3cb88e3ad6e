/* Quantities: the numbers analysts care about ("around 14,000 troops", "$20bn", "49%",
 * "tens of thousands", "between 20,000 and 50,000 workers") and the event they measure.
 *
 * Forms: digits with separators, decimals, number words ("two hundred"), scale words
 * (thousand, million, billion, bn, m, k), vague plurals ("thousands", "tens of thousands"
 * = 10,000 bound min), ranges ("20,000 to 50,000", "between ... and ...", "20-30"),
 * currency ("$", "US$", "euros", "rubles", "yuan" -> unit), percent ("49%", "49 percent",
 * "one third" = 33.3 percent) and modifiers (around/about/approximately/nearly/some ->
 * approx; up to/as many as/less than -> bound max; at least/more than/over -> bound min).
 * Years, dates, decades, ordinals, labels ("Resolution 2397", "F-16") are not quantities.
 *
 * Reentrant, no allocation. */
#ifndef TUMEN_QUANTITY_H
#define TUMEN_QUANTITY_H

#include "text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qty {
    tumen_quantity q;
    uint32_t first, n;  /* token range of the quantity phrase (modifiers .. number/scale/%) */
    uint32_t unit_tok;  /* token the unit comes from (noun, currency word), TUMEN_NOID if none */
};

/* Every quantity in sentence s, in order. Writes at most max entries to out and returns
 * the number found (which may exceed max: like snprintf, the return value is the count
 * that would have been written). out may be NULL when max is 0. */
size_t quantity_scan(const struct text *t, const struct sent *s, const char *doc,
                     struct qty *out, size_t max);

/* The quantity that measures the event whose head words are toks[head .. head+head_n) and
 * whose CAMEO code is code ("072", "--" for statistics, may be NULL): the quantity nearest
 * the head, preferring the head's clause and units that fit the code (troops for 072, 074,
 * 19x; workers for 061; usd for 07x, ...). Durations ("two years") never attach. Returns
 * false and clears *out when none fits. */
bool quantity_for_event(const struct text *t, const struct sent *s, const char *doc,
                        uint32_t head, uint32_t head_n, const char *code,
                        tumen_quantity *out);

/* True if the unit is a duration (years, months, weeks, days, hours, decades). */
bool quantity_unit_is_duration(const char *unit);

/* True when the static word tables of quantity.c are strictly sorted. For the unit tests. */
bool quantity_tables_sorted(void);

/* The choice quantity_for_event makes, over quantities already found by quantity_scan (a
 * caller coding several events in one sentence scans it once). */
bool quantity_pick(const struct text *t, const struct sent *s, const struct qty *qs, size_t n,
                   uint32_t head, uint32_t head_n, const char *code, tumen_quantity *out);

#endif
