/* Event time expressions. See timex.h for the forms and the null-span convention. */
#include "timex.h"

#include "modality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cx {
    const struct text *t;
    uint32_t first, end;
    int y, m, d; /* document date parts, 0 when unknown */
};

static const char *nm(const struct cx *c, uint32_t k) {
    return tok_norm(c->t, &c->t->toks[k]);
}
static size_t nl(const struct cx *c, uint32_t k) {
    return c->t->toks[k].nlen;
}
static bool in_sent(const struct cx *c, uint32_t k) {
    return k >= c->first && k < c->end;
}
static bool is(const struct cx *c, uint32_t k, const char *w) {
    if (!in_sent(c, k)) {
        return false;
    }
    const char *n = nm(c, k);
    return n[0] == w[0] && strcmp(n, w) == 0; /* first byte first: most calls differ there */
}
static bool flag(const struct cx *c, uint32_t k, unsigned f) {
    return in_sent(c, k) && (c->t->toks[k].flags & f) != 0;
}

struct kd {
    const char *w;
    int v;
};
static int cmp_key(const void *key, const void *elt) {
    return strcmp((const char *)key, *(const char *const *)elt);
}
#define N(tab) (sizeof(tab) / sizeof((tab)[0]))
#define FIND(tab, w) bsearch((w), (tab), N(tab), sizeof((tab)[0]), cmp_key)

static const struct kd months[] = {
    {"apr", 4},  {"april", 4}, {"aug", 8},     {"august", 8},   {"dec", 12},      {"december", 12},
    {"feb", 2},  {"february", 2}, {"jan", 1},  {"january", 1},  {"jul", 7},       {"july", 7},
    {"jun", 6},  {"june", 6},  {"mar", 3},     {"march", 3},    {"may", 5},       {"nov", 11},
    {"november", 11}, {"oct", 10}, {"october", 10}, {"sep", 9}, {"sept", 9},      {"september", 9},
};

/* Words that make a following bare month name a date: "in September", "last May". */
static const char *const month_cues[] = {
    "by", "during", "early", "from", "in", "last", "late", "mid", "next", "of", "on", "since",
    "this", "until",
};

/* Nouns of events that make "during/before/after the X" a span. */
static const char *const span_nouns[] = {
    "collapse", "conflict", "crisis", "demise", "era", "fighting", "invasion", "lockdown",
    "occupation", "outbreak", "pandemic", "period", "revolution", "sanctions", "war", "wars",
    "years",
};

/* Number words for "two years ago". */
static const struct kd small_numbers[] = {
    {"a", 1},    {"eight", 8}, {"five", 5}, {"four", 4}, {"nine", 9}, {"one", 1},
    {"seven", 7}, {"six", 6},  {"ten", 10}, {"three", 3}, {"two", 2},
};

/* The present and the recent past (read_at). */
static const char *const recent[] = {
    "at present", "at the moment", "currently", "earlier this year", "in recent days",
    "in recent months", "in recent weeks", "in recent years", "in the last few months",
    "in the last few weeks", "in the past few months", "in the past few weeks",
    "later this year", "lately", "nowadays", "now", "presently", "recently", "so far",
    "these days", "this year", "to date",
};

/* Words read_at compares the first token with (besides months and recent[]). */
static const char *const start_literals[] = {
    "after", "before", "between", "during", "from", "last", "next", "past", "pre", "prior",
    "till", "this", "today", "tomorrow", "until", "yesterday",
};

/* Can an expression start at a word token w (n bytes)? A superset of what read_at accepts
 * at a token that is not a number and not followed by "ago" two tokens on, so timex_scan
 * can skip every other token at once. timex_tables_sorted checks it against months,
 * recent[] and start_literals[]: a new first word goes in one of those and here. */
static bool start_word(const char *w, size_t n) {
#define W(lit) (n == sizeof(lit) - 1 && memcmp(w, lit, sizeof(lit) - 1) == 0)
    switch (w[0]) {
    case 'a':
        return W("after") || W("at") || W("apr") || W("april") || W("aug") || W("august");
    case 'b':
        return W("before") || W("between");
    case 'c':
        return W("currently");
    case 'd':
        return W("during") || W("dec") || W("december");
    case 'e':
        return W("earlier");
    case 'f':
        return W("from") || W("feb") || W("february");
    case 'i':
        return W("in");
    case 'j':
        return W("jan") || W("january") || W("jul") || W("july") || W("jun") || W("june");
    case 'l':
        return W("last") || W("later") || W("lately");
    case 'm':
        return W("mar") || W("march") || W("may");
    case 'n':
        return W("next") || W("now") || W("nowadays") || W("nov") || W("november");
    case 'o':
        return W("oct") || W("october");
    case 'p':
        return W("prior") || W("pre") || W("past") || W("presently");
    case 'r':
        return W("recently");
    case 's':
        return W("so") || W("sep") || W("sept") || W("september");
    case 't':
        return W("till") || W("this") || W("today") || W("tomorrow") || W("to") ||
               W("these");
    case 'u':
        return W("until");
    case 'y':
        return W("yesterday");
    default:
        return false;
    }
#undef W
}

static bool start_words_complete(void) {
    for (size_t i = 0; i < N(months); i++) {
        if (!start_word(months[i].w, strlen(months[i].w))) {
            return false;
        }
    }
    for (size_t i = 0; i < N(start_literals); i++) {
        if (!start_word(start_literals[i], strlen(start_literals[i]))) {
            return false;
        }
    }
    for (size_t i = 0; i < N(recent); i++) {
        const char *sp = strchr(recent[i], ' ');
        if (!start_word(recent[i], sp ? (size_t)(sp - recent[i]) : strlen(recent[i]))) {
            return false;
        }
    }
    return true;
}


bool timex_tables_sorted(void) {
    return KEYS_SORTED(months) && KEYS_SORTED(month_cues) &&
           KEYS_SORTED(span_nouns) && KEYS_SORTED(small_numbers) &&
           start_words_complete();
}

/* ---- token readers ---- */

/* Plain integer token of 1..4 digits; -1 otherwise. */
static int int_tok(const struct cx *c, uint32_t k, size_t maxdig) {
    if (!flag(c, k, TF_NUM)) {
        return -1;
    }
    const char *s = nm(c, k);
    size_t n = nl(c, k);
    if (n == 0 || n > maxdig) {
        return -1;
    }
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int year_at(const struct cx *c, uint32_t k) {
    if (!flag(c, k, TF_NUM) || nl(c, k) != 4) {
        return -1;
    }
    int v = int_tok(c, k, 4);
    return v >= 1800 && v <= 2100 ? v : -1;
}

/* "1990s" -> 1990 */
static int decade_at(const struct cx *c, uint32_t k) {
    if (!flag(c, k, TF_NUM)) {
        return -1;
    }
    const char *s = nm(c, k);
    if (nl(c, k) != 5 || s[4] != 's' || s[3] != '0') {
        return -1;
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int month_name(const struct cx *c, uint32_t k, uint32_t *end) {
    if (!flag(c, k, TF_WORD)) {
        return 0;
    }
    const struct kd *e = FIND(months, nm(c, k));
    if (e == NULL) {
        return 0;
    }
    uint32_t j = k + 1;
    if (is(c, j, ".") && nl(c, k) <= 4) {
        j++;
    }
    *end = j;
    return e->v;
}

static int day_tok(const struct cx *c, uint32_t k) {
    int v = int_tok(c, k, 2);
    if (v < 1) {
        /* "24th" */
        if (flag(c, k, TF_NUM)) {
            const char *s = nm(c, k);
            size_t n = nl(c, k);
            if (n >= 3 && n <= 4 && s[0] >= '0' && s[0] <= '9') {
                int x = 0;
                size_t i = 0;
                while (i < n && s[i] >= '0' && s[i] <= '9') {
                    x = x * 10 + (s[i] - '0');
                    i++;
                }
                if (i == n - 2 && x >= 1 && x <= 31) {
                    return x;
                }
            }
        }
        return -1;
    }
    return v <= 31 ? v : -1;
}

/* ---- date arithmetic ---- */

static int days_in(int y, int m) {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return dm[(m - 1) % 12];
}

static void add_months(int *y, int *m, int delta) {
    int total = *y * 12 + (*m - 1) + delta;
    *y = total / 12;
    *m = total % 12 + 1;
}

static void add_days(int *y, int *m, int *d, int delta) {
    while (delta < 0) {
        if (*d + delta >= 1) {
            *d += delta;
            return;
        }
        delta += *d;
        add_months(y, m, -1);
        *d = days_in(*y, *m);
    }
    while (delta > 0) {
        int left = days_in(*y, *m) - *d;
        if (delta <= left) {
            *d += delta;
            return;
        }
        delta -= left + 1;
        add_months(y, m, 1);
        *d = 1;
    }
}

static void fmt(char when[11], int y, int m, int d) {
    m = m < 0 ? 0 : m % 100;
    d = d < 0 ? 0 : d % 100;
    if (y <= 0 || y > 9999) {
        when[0] = '\0';
    } else if (m <= 0) {
        snprintf(when, 11, "%04d", y);
    } else if (d <= 0) {
        snprintf(when, 11, "%04d-%02d", y, m);
    } else {
        snprintf(when, 11, "%04d-%02d-%02d", y, m, d);
    }
}

/* ---- expressions ---- */

/* Tries to read an expression starting at token k. Returns its end (exclusive) or k. */
static uint32_t read_at(const struct cx *c, uint32_t k, struct timex *x) {
    x->when[0] = '\0';
    x->first = k;
    uint32_t e;
    int mo, dd, yy;

    /* spans: "prior to 2020", "before 2020", "until 2020", "pre-2022" */
    {
        uint32_t j = k;
        bool span_prep = false;
        if (is(c, j, "prior") && is(c, j + 1, "to")) {
            j += 2;
            span_prep = true;
        } else if (is(c, j, "before") || is(c, j, "until") || is(c, j, "till") ||
                   is(c, j, "after")) {
            j += 1;
            span_prep = true;
        } else if (is(c, j, "pre") && flag(c, j + 1, TF_HYPHEN)) {
            j += 2;
            span_prep = true;
        } else if (is(c, j, "during")) {
            j += 1;
            span_prep = true;
        }
        if (span_prep) {
            if (year_at(c, j) > 0 && !is(c, k, "during")) {
                return j + 1;
            }
            /* "before/during the war", "during the Cold War", "before the pandemic" */
            uint32_t q = j;
            if (is(c, q, "the") || is(c, q, "this") || is(c, q, "that")) {
                q++;
                for (uint32_t w = 0; w < 3 && in_sent(c, q + w); w++) {
                    if (!flag(c, q + w, TF_WORD) && !flag(c, q + w, TF_HYPHEN)) {
                        break;
                    }
                    const char *ww = nm(c, q + w);
                    if (FIND(span_nouns, ww) != NULL) {
                        return q + w + 1;
                    }
                }
            }
            if (is(c, k, "during")) {
                return k; /* "during 2022" is read at the year */
            }
            return k;
        }
    }

    /* decades: "the 1990s and 2000s" */
    if (decade_at(c, k) > 0) {
        e = k + 1;
        while ((is(c, e, "and") || is(c, e, "-") || is(c, e, "to")) && decade_at(c, e + 1) > 0) {
            e += 2;
        }
        return e;
    }

    /* year ranges: "between 2017 and 2019", "from 2017 to 2019", "2017-2019" */
    if ((is(c, k, "between") || is(c, k, "from")) && year_at(c, k + 1) > 0 &&
        (is(c, k + 2, "and") || is(c, k + 2, "to") || is(c, k + 2, "-")) &&
        year_at(c, k + 3) > 0) {
        return k + 4;
    }
    if (year_at(c, k) > 0 && (is(c, k + 1, "-") || is(c, k + 1, "to")) && year_at(c, k + 2) > 0) {
        return k + 3;
    }

    /* day month [year]: "24 February 2022" */
    dd = day_tok(c, k);
    if (dd > 0 && (mo = month_name(c, k + 1, &e)) > 0) {
        yy = year_at(c, e);
        if (yy > 0) {
            fmt(x->when, yy, mo, dd);
            return e + 1;
        }
        if (c->y > 0) {
            fmt(x->when, c->y, mo, dd);
            return e;
        }
    }
    /* "the 24th of February 2022" */
    if (dd > 0 && is(c, k + 1, "of") && (mo = month_name(c, k + 2, &e)) > 0) {
        yy = year_at(c, e);
        if (yy > 0) {
            fmt(x->when, yy, mo, dd);
            return e + 1;
        }
        if (c->y > 0) {
            fmt(x->when, c->y, mo, dd);
            return e;
        }
    }

    /* month [day][,] [year] */
    mo = month_name(c, k, &e);
    if (mo > 0) {
        bool capital = flag(c, k, TF_CAP);
        dd = day_tok(c, e);
        if (dd > 0 && capital) {
            uint32_t f = e + 1;
            if (is(c, f, ",")) {
                f++;
            }
            yy = year_at(c, f);
            if (yy > 0) {
                fmt(x->when, yy, mo, dd);
                return f + 1;
            }
            if (c->y > 0) {
                fmt(x->when, c->y, mo, dd);
                return e + 1;
            }
        }
        uint32_t f = e;
        if (is(c, f, "of") || is(c, f, ",")) {
            f++;
        }
        yy = year_at(c, f);
        if (yy > 0 && capital) {
            fmt(x->when, yy, mo, 0);
            return f + 1;
        }
        /* bare month: "in September", "last May" (a capital, and a cue before it, so that
         * the modal "may" and the verb "march" are left alone) */
        if (capital && k > c->first && FIND(month_cues, nm(c, k - 1)) != NULL &&
            c->y > 0) {
            int y = c->y;
            if (is(c, k - 1, "last") && c->m > 0 && mo >= c->m) {
                y--;
            } else if (is(c, k - 1, "next") && c->m > 0 && mo <= c->m) {
                y++;
            }
            fmt(x->when, y, mo, 0);
            return e;
        }
        return k;
    }

    /* a year: "in 2022", "in early 2020", "by 2025", "the 2022 invasion" */
    yy = year_at(c, k);
    if (yy > 0) {
        /* not a year: quantities ("2000 troops" is read by quantity.c; here only the
         * shape matters), labels ("Resolution 2397" is out of range anyway) */
        if (flag(c, k - 1, TF_HYPHEN) || is(c, k - 1, "$") || flag(c, k + 1, TF_HYPHEN)) {
            return k;
        }
        fmt(x->when, yy, 0, 0);
        return k + 1;
    }

    /* relative to the document date */
    if (c->y <= 0) {
        return k;
    }
    const char *w = in_sent(c, k) ? nm(c, k) : "";
    if ((!strcmp(w, "last") || !strcmp(w, "this") || !strcmp(w, "next") ||
         !strcmp(w, "past")) && in_sent(c, k + 1)) {
        const char *u = nm(c, k + 1);
        int sign = !strcmp(w, "last") || !strcmp(w, "past") ? -1 : !strcmp(w, "next") ? 1 : 0;
        if (!strcmp(u, "year")) {
            if (!strcmp(w, "past") && !is(c, k - 1, "the")) {
                return k;
            }
            if (is(c, k - 1, "the")) { /* "in the last year": the recent past */
                sign = 0;
                x->first = k - 1;
            }
            fmt(x->when, c->y + sign, 0, 0);
            return k + 2;
        }
        if (!strcmp(u, "month") && c->m > 0 && strcmp(w, "past") != 0) {
            int y = c->y, m = c->m;
            add_months(&y, &m, sign);
            fmt(x->when, y, m, 0);
            return k + 2;
        }
        if (!strcmp(u, "week") && c->m > 0 && strcmp(w, "past") != 0) {
            int y = c->y, m = c->m, d = c->d > 0 ? c->d : 15;
            if (c->d > 0) {
                add_days(&y, &m, &d, sign * 7);
            }
            fmt(x->when, y, m, 0);
            return k + 2;
        }
        return k;
    }
    if (!strcmp(w, "yesterday") || !strcmp(w, "today") || !strcmp(w, "tomorrow")) {
        int y = c->y, m = c->m, d = c->d;
        if (d > 0) {
            add_days(&y, &m, &d, !strcmp(w, "yesterday") ? -1 : !strcmp(w, "tomorrow") ? 1 : 0);
        }
        fmt(x->when, y, m, d);
        return k + 1;
    }
    /* "two years ago", "a month ago" */
    if (in_sent(c, k + 2) && is(c, k + 2, "ago")) {
        const struct kd *nw = FIND(small_numbers, w);
        int n = nw ? nw->v : int_tok(c, k, 2);
        const char *u = nm(c, k + 1);
        if (n > 0) {
            if (!strcmp(u, "years") || !strcmp(u, "year")) {
                fmt(x->when, c->y - n, 0, 0);
                return k + 3;
            }
            if ((!strcmp(u, "months") || !strcmp(u, "month")) && c->m > 0) {
                int y = c->y, m = c->m;
                add_months(&y, &m, -n);
                fmt(x->when, y, m, 0);
                return k + 3;
            }
            if ((!strcmp(u, "days") || !strcmp(u, "day")) && c->d > 0) {
                int y = c->y, m = c->m, d = c->d;
                add_days(&y, &m, &d, -n);
                fmt(x->when, y, m, d);
                return k + 3;
            }
        }
        return k;
    }
    /* the present and the recent past: document year (CONVENTIONS §8) */
    for (size_t i = 0; i < N(recent); i++) {
        const char *p = recent[i];
        uint32_t j = k;
        bool ok = true;
        while (*p) {
            const char *sp = strchr(p, ' ');
            size_t l = sp ? (size_t)(sp - p) : strlen(p);
            if (!in_sent(c, j) || nl(c, j) != l || memcmp(nm(c, j), p, l) != 0) {
                ok = false;
                break;
            }
            j++;
            p += l;
            if (*p == ' ') {
                p++;
            }
        }
        if (ok) {
            /* "now that", "until now", "since now" are not points in time */
            if (!strcmp(recent[i], "now") && (is(c, k + 1, "that") || is(c, k - 1, "until"))) {
                return k;
            }
            fmt(x->when, c->y, 0, 0);
            return j;
        }
    }
    return k;
}

size_t timex_scan(const struct text *t, const struct sent *s, const char *doc,
                  const char *doc_date, struct timex *out, size_t max) {
    struct cx c = {t, s->first, s->first + s->n, 0, 0, 0};
    int32_t dv;
    if (doc_date != NULL && date_parse(doc_date, strlen(doc_date), &dv)) {
        c.y = dv / 10000;
        c.m = dv / 100 % 100;
        c.d = dv % 100;
    }
    (void)doc;
    size_t count = 0;
    for (uint32_t k = c.first; k < c.end;) {
        const struct tok *tk = &t->toks[k];
        if (!(tk->flags & TF_NUM) && !start_word(tok_norm(t, tk), tk->nlen) &&
            !(k + 2 < c.end && is(&c, k + 2, "ago"))) {
            k++; /* read_at would return k */
            continue;
        }
        struct timex x;
        uint32_t e = read_at(&c, k, &x);
        if (e > k) {
            x.n = e - x.first;
            if (count < max) {
                out[count] = x;
            }
            count++;
            k = e;
        } else {
            k++;
        }
    }
    return count;
}

bool timex_for_event(const struct text *t, const struct sent *s, const char *doc,
                     uint32_t head, const char *doc_date, char when[11], tumen_span *span) {
    struct timex xs[32];
    size_t n = timex_scan(t, s, doc, doc_date, xs, 32);
    return timex_pick(t, s, xs, n > 32 ? 32 : n, head, when, span);
}

bool timex_pick(const struct text *t, const struct sent *s, const struct timex *xs, size_t n,
                uint32_t head, char when[11], tumen_span *span) {
    when[0] = '\0';
    if (span != NULL) {
        span->offset = span->length = 0;
    }
    int best = -1;
    long best_score = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = xs[i].first, b = a + xs[i].n;
        long dist = a >= head ? (long)(a - head) : head >= b ? (long)(head - b) : 0;
        long score = dist + (prose_same_clause(t, s, head, a) ? 0 : 1000);
        if (best < 0 || score < best_score) {
            best = (int)i;
            best_score = score;
        }
    }
    if (best < 0) {
        return false;
    }
    memcpy(when, xs[best].when, 11);
    if (span != NULL) {
        const struct tok *t0 = &t->toks[xs[best].first];
        const struct tok *t1 = &t->toks[xs[best].first + xs[best].n - 1];
        span->offset = t0->off;
        span->length = (size_t)t1->off + t1->len - t0->off;
    }
    return true;
}
