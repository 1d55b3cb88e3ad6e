/* Event time: the date an event happened (or is predicted for), never more precise than
 * the text, resolved against the document date.
 *
 * Absolute: "on 24 February 2022", "February 24, 2022" -> 2022-02-24; "in November 2024",
 * "December 2017" -> 2024-11; "in 2022", "in early 2020", "the 2022 invasion", "by 2025",
 * "since 2022" -> the year. Relative to the document date (YYYY, YYYY-MM or YYYY-MM-DD):
 * "last year"/"this year"/"next year", "last month"/"this month" (needs the month),
 * "in September" (document year), "recently", "in recent months", "now", "currently",
 * "so far" (document year), "N years ago". Spans give an explicit null: "prior to 2020",
 * "before 2020", "during the war", "in the 1990s", "between 2017 and 2019", "2017-2019".
 *
 * Reentrant, no allocation. */
#ifndef TUMEN_TIMEX_H
#define TUMEN_TIMEX_H

#include "text.h"

#include <stdbool.h>
#include <stdint.h>

struct timex {
    uint32_t first, n; /* token range of the expression */
    char when[11];     /* "YYYY", "YYYY-MM", "YYYY-MM-DD", or "" for a span (explicit null) */
};

/* Every time expression in sentence s, in order; same return convention as
 * quantity_scan. doc_date may be NULL: relative expressions then resolve to nothing and
 * are skipped. */
size_t timex_scan(const struct text *t, const struct sent *s, const char *doc,
                  const char *doc_date, struct timex *out, size_t max);

/* The time of the event whose head is token head: the expression in the head's clause
 * nearest the head, else the nearest in the sentence. Returns true and fills when (NUL-
 * terminated) and *span (may be NULL) when one is found. A span expression ("prior to
 * 2020", "during the war") returns true with when = "": the text says the time is not a
 * point, so the coder must not fall back to another date. Returns false (when = "",
 * span zeroed) when the sentence has no time expression. */
bool timex_for_event(const struct text *t, const struct sent *s, const char *doc,
                     uint32_t head, const char *doc_date, char when[11], tumen_span *span);

/* True when the static word tables of timex.c are strictly sorted. For the unit tests. */
bool timex_tables_sorted(void);

/* The choice timex_for_event makes, over expressions already found by timex_scan (so a
 * caller coding several events in one sentence scans it once). */
bool timex_pick(const struct text *t, const struct sent *s, const struct timex *xs, size_t n,
                uint32_t head, char when[11], tumen_span *span);

#endif
