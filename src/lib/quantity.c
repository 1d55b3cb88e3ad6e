/* Quantities in a sentence and the event they measure. See quantity.h for the forms.
 *
 * A quantity is read around a number core:
 *
 *     [modifier] [currency] CORE [scale] [% | percent | currency word]
 *                [to | - | and(after "between") [currency] CORE [scale]] [of] [unit noun]
 *
 * CORE is a number token ("14,000", "1.5"), number words ("two hundred"), a vague plural
 * ("tens of thousands", "hundreds") or a fraction followed by "of" ("one third of"). */
#include "quantity.h"

#include "modality.h"

#include <stdlib.h>
#include <string.h>

/* ---- tokens ---- */

struct cx {
    const struct text *t;
    uint32_t first, end; /* sentence tokens [first, end) */
};

static const char *nm(const struct cx *c, uint32_t k) {
    return tok_norm(c->t, &c->t->toks[k]);
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

/* Phrase of space-separated words ending at token k (inclusive). Returns its token count
 * or 0. */
static uint32_t ends_with(const struct cx *c, uint32_t k, const char *phrase) {
    const char *words[6];
    size_t lens[6], n = 0;
    const char *p = phrase;
    while (*p && n < 6) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        words[n] = p;
        lens[n++] = l;
        p += l;
        if (*p == ' ') {
            p++;
        }
    }
    if (n == 0 || k + 1 < c->first + n || !in_sent(c, k)) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const char *w = nm(c, k - (uint32_t)i);
        size_t j = n - 1 - i;
        if (strlen(w) != lens[j] || memcmp(w, words[j], lens[j]) != 0) {
            return 0;
        }
    }
    return (uint32_t)n;
}

/* ---- sorted tables (binary-searched; quantity_tables_sorted checks the order) ---- */

struct kv {
    const char *w;
    const char *v;
};

struct kd {
    const char *w;
    double v;
};

static int cmp_key(const void *key, const void *elt) {
    return strcmp((const char *)key, *(const char *const *)elt);
}

#define FIND(tab, w) bsearch((w), (tab), sizeof(tab) / sizeof((tab)[0]), sizeof((tab)[0]), cmp_key)

/* Number words: value; 100 is "hundred"; >= 1000 are scales. */
static const struct kd number_words[] = {
    {"billion", 1e9},  {"dozen", 12},     {"eight", 8},     {"eighteen", 18}, {"eighty", 80},
    {"eleven", 11},    {"fifteen", 15},   {"fifty", 50},    {"five", 5},      {"forty", 40},
    {"four", 4},       {"fourteen", 14},  {"hundred", 100}, {"million", 1e6}, {"nine", 9},
    {"nineteen", 19},  {"ninety", 90},    {"one", 1},       {"seven", 7},     {"seventeen", 17},
    {"seventy", 70},   {"six", 6},        {"sixteen", 16},  {"sixty", 60},    {"ten", 10},
    {"thirteen", 13},  {"thirty", 30},    {"thousand", 1e3}, {"three", 3},    {"trillion", 1e12},
    {"twelve", 12},    {"twenty", 20},    {"two", 2},
};

/* Scale words after a number: "1.5 million", "20 bn". */
static const struct kd scale_words[] = {
    {"billion", 1e9}, {"billions", 1e9}, {"bn", 1e9},       {"k", 1e3},     {"m", 1e6},
    {"million", 1e6}, {"millions", 1e6}, {"mln", 1e6},      {"mn", 1e6},    {"thousand", 1e3},
    {"tn", 1e12},     {"trillion", 1e12}, {"trn", 1e12},
};

/* Vague plurals: "thousands" (bound min 1000), "tens" (x10 of what follows "of"). */
static const struct kd vague_words[] = {
    {"billions", 1e9}, {"dozens", 12}, {"hundreds", 100}, {"millions", 1e6},
    {"scores", 20},    {"tens", 10},   {"thousands", 1e3},
};

/* Fractions, as percent: "one third of" = 33.3. */
static const struct kd fraction_words[] = {
    {"fifth", 20},     {"fifths", 20},  {"half", 50},     {"quarter", 25},
    {"quarters", 25},  {"tenth", 10},   {"third", 33.3},  {"thirds", 33.3},
};

/* Unit nouns after the number. */
static const struct kv unit_words[] = {
    {"aircraft", "aircraft"},   {"barrel", "barrels"},      {"barrels", "barrels"},
    {"casualties", "casualties"}, {"civilian", "civilians"}, {"civilians", "civilians"},
    {"day", "days"},            {"days", "days"},           {"deaths", "deaths"},
    {"decade", "decades"},      {"decades", "decades"},     {"dollar", "usd"},
    {"dollars", "usd"},         {"drone", "drones"},        {"drones", "drones"},
    {"euro", "euros"},          {"euros", "euros"},         {"fighters", "troops"},
    {"hour", "hours"},          {"hours", "hours"},         {"jets", "aircraft"},
    {"laborer", "workers"},     {"laborers", "workers"},    {"labourer", "workers"},
    {"labourers", "workers"},    {"mercenaries", "troops"},  {"migrants", "migrants"},
    {"missile", "missiles"},    {"missiles", "missiles"},   {"month", "months"},
    {"months", "months"},       {"people", "people"},       {"person", "people"},
    {"personnel", "troops"},    {"refugees", "refugees"},   {"rocket", "missiles"},
    {"rockets", "missiles"},    {"roubles", "rubles"},      {"rounds", "shells"},
    {"rubles", "rubles"},       {"servicemen", "troops"},   {"shell", "shells"},
    {"shells", "shells"},       {"soldier", "troops"},      {"soldiers", "troops"},
    {"student", "students"},    {"students", "students"},   {"tank", "tanks"},
    {"tanks", "tanks"},         {"ton", "tonnes"},          {"tonne", "tonnes"},
    {"tonnes", "tonnes"},       {"tons", "tonnes"},         {"tourist", "tourists"},
    {"tourists", "tourists"},   {"troops", "troops"},       {"usd", "usd"},
    {"visitors", "tourists"},   {"week", "weeks"},          {"weeks", "weeks"},
    {"worker", "workers"},      {"workers", "workers"},     {"year", "years"},
    {"years", "years"},         {"yen", "yen"},             {"yuan", "yuan"},
};

/* Currency before the number. */
static const struct kv currency_before[] = {
    {"$", "usd"}, {"cny", "yuan"}, {"eur", "euros"}, {"rmb", "yuan"}, {"rub", "rubles"},
    {"us$", "usd"}, {"usd", "usd"}, {"£", "gbp"}, {"¥", "yen"}, {"₩", "won"},
    {"€", "euros"}, {"₽", "rubles"},
};

/* Modifiers before the number (longest match wins). */
enum { MOD_APPROX = 1, MOD_MAX, MOD_MIN, MOD_BETWEEN };
struct modifier {
    const char *phrase;
    int kind;
};
static const struct modifier modifiers[] = {
    {"a maximum of", MOD_MAX},  {"a minimum of", MOD_MIN},   {"about", MOD_APPROX},
    {"above", MOD_MIN},         {"almost", MOD_APPROX},      {"an estimated", MOD_APPROX},
    {"approx", MOD_APPROX},     {"approximately", MOD_APPROX}, {"around", MOD_APPROX},
    {"as many as", MOD_MAX},    {"as much as", MOD_MAX},     {"at least", MOD_MIN},
    {"at most", MOD_MAX},       {"below", MOD_MAX},          {"between", MOD_BETWEEN},
    {"circa", MOD_APPROX},      {"close to", MOD_APPROX},    {"estimated", MOD_APPROX},
    {"fewer than", MOD_MAX},    {"in excess of", MOD_MIN},   {"just over", MOD_MIN},
    {"just under", MOD_MAX},    {"less than", MOD_MAX},      {"more than", MOD_MIN},
    {"nearly", MOD_APPROX},     {"no fewer than", MOD_MIN},  {"no less than", MOD_MIN},
    {"no more than", MOD_MAX},  {"not less than", MOD_MIN},  {"not more than", MOD_MAX},
    {"over", MOD_MIN},          {"roughly", MOD_APPROX},     {"some", MOD_APPROX},
    {"under", MOD_MAX},         {"up to", MOD_MAX},          {"upwards of", MOD_MIN},
    {"well over", MOD_MIN},     {"~", MOD_APPROX},
};

/* Words before a number that make it a label, not a quantity: "Resolution 2397". */
static const char *const label_words[] = {
    "article", "chapter", "code", "flight", "grade", "level", "no", "number", "page",
    "paragraph", "phase", "resolution", "resolutions", "room", "route", "section", "version",
};

/* Words that end the search for a unit noun after the number. */
static const char *const unit_stoppers[] = {
    "a",    "after", "against", "an",   "and",   "are",  "as",    "at",   "be",    "been",
    "but",  "by",    "for",     "from", "had",   "has",  "have",  "in",   "into",  "is",
    "it",   "its",   "of",      "on",   "or",    "than", "that",  "the",  "their", "them",
    "they", "this",  "those",   "to",   "was",   "were", "which", "while", "who",  "will",
    "with", "would",
};

static const char *const month_words[] = {
    "apr",  "april", "aug",  "august", "dec",   "december", "feb",  "february", "jan",
    "january", "jul", "july", "jun",   "june",  "mar",      "march", "may",     "nov",
    "november", "oct", "october", "sep", "sept", "september",
};

#define HAS(tab, w) (FIND(tab, w) != NULL)

/* Can a quantity start at word token w (n bytes)? A superset of the words read_core
 * accepts first (vague plurals, number words, "a", "one", "several", "many", "half"), so
 * quantity_scan skips every other word with one switch. quantity_tables_sorted checks it
 * against number_words, vague_words and qty_literals: a new first word goes in one of
 * those and in the switch. */
static const char *const qty_literals[] = {"a", "half", "many", "one", "several"};

static bool qty_word(const char *w, size_t n) {
#define W(lit) (n == sizeof(lit) - 1 && memcmp(w, lit, sizeof(lit) - 1) == 0)
    switch (w[0]) {
    case 'a':
        return W("a");
    case 'b':
        return W("billion") || W("billions");
    case 'd':
        return W("dozen") || W("dozens");
    case 'e':
        return W("eight") || W("eighteen") || W("eighty") || W("eleven");
    case 'f':
        return W("fifteen") || W("fifty") || W("five") || W("forty") || W("four") || W("fourteen");
    case 'h':
        return W("half") || W("hundred") || W("hundreds");
    case 'm':
        return W("many") || W("million") || W("millions");
    case 'n':
        return W("nine") || W("nineteen") || W("ninety");
    case 'o':
        return W("one");
    case 's':
        return W("scores") || W("seven") || W("seventeen") || W("seventy") || W("several") ||
               W("six") || W("sixteen") || W("sixty");
    case 't':
        return W("ten") || W("tens") || W("thirteen") || W("thirty") || W("thousand") ||
               W("thousands") || W("three") || W("trillion") || W("twelve") || W("twenty") ||
               W("two");
    default:
        return false;
    }
#undef W
}

#define N(tab) (sizeof(tab) / sizeof((tab)[0]))

static bool qty_words_complete(void) {
    for (size_t i = 0; i < N(number_words); i++) {
        if (!qty_word(number_words[i].w, strlen(number_words[i].w))) {
            return false;
        }
    }
    for (size_t i = 0; i < N(vague_words); i++) {
        if (!qty_word(vague_words[i].w, strlen(vague_words[i].w))) {
            return false;
        }
    }
    for (size_t i = 0; i < N(qty_literals); i++) {
        if (!qty_word(qty_literals[i], strlen(qty_literals[i]))) {
            return false;
        }
    }
    return true;
}

bool quantity_tables_sorted(void) {
    return KEYS_SORTED(number_words) && KEYS_SORTED(scale_words) &&
           KEYS_SORTED(vague_words) &&
           KEYS_SORTED(fraction_words) && KEYS_SORTED(unit_words) &&
           KEYS_SORTED(currency_before) && KEYS_SORTED(label_words) &&
           KEYS_SORTED(unit_stoppers) && KEYS_SORTED(month_words) &&
           qty_words_complete();
}

bool quantity_unit_is_duration(const char *u) {
    static const char *const d[] = {"days", "decades", "hours", "months", "weeks", "years"};
    return u != NULL && HAS(d, u);
}

/* ---- number cores ---- */

/* Value of a number token: digits, optional thousands separators, optional decimals.
 * Tokens with letters (decades "1990s", ordinals "14th") are not numbers. */
static bool num_token(const char *s, double *v, bool *plain) {
    double x = 0, scale = 0.1;
    bool dot = false, sep = false, any = false;
    size_t ndig = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (dot) {
                x += (*p - '0') * scale;
                scale /= 10;
            } else {
                x = x * 10 + (*p - '0');
            }
            any = true;
            ndig++;
        } else if (*p == ',' && !dot) {
            sep = true;
        } else if (*p == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    *v = x;
    *plain = any && !sep && !dot && ndig == 4;
    return any;
}

enum core_kind { CORE_NUM, CORE_WORDS, CORE_VAGUE, CORE_FRACTION };

struct core {
    double v;
    uint32_t first, end; /* tokens [first, end) */
    enum core_kind kind;
    bool yearlike;   /* plain 4-digit 1800..2100 */
    bool scaled;     /* a scale word followed */
    bool small_word; /* number words worth 1..10 */
};

static bool number_word(const struct cx *c, uint32_t k, double *v) {
    if (!flag(c, k, TF_WORD)) {
        return false;
    }
    const struct kd *e = FIND(number_words, nm(c, k));
    if (e == NULL) {
        return false;
    }
    *v = e->v;
    return true;
}

/* "two hundred and fifty thousand", "twenty-five", "a million". */
static bool read_words(const struct cx *c, uint32_t k, struct core *r) {
    double total = 0, cur = 0, v;
    uint32_t j = k;
    bool any = false;
    if ((is(c, j, "a") || is(c, j, "one")) && number_word(c, j + 1, &v) &&
        (v == 100 || v >= 1000 || v == 12)) {
        cur = 1;
        j++;
    }
    while (in_sent(c, j)) {
        if (number_word(c, j, &v)) {
            if (v == 100) {
                cur = (cur == 0 ? 1 : cur) * 100;
            } else if (v == 12 && is(c, j, "dozen")) {
                cur = (cur == 0 ? 1 : cur) * 12;
            } else if (v >= 1000) {
                total += (cur == 0 ? 1 : cur) * v;
                cur = 0;
            } else {
                cur += v;
            }
            any = true;
            j++;
            continue;
        }
        /* "twenty-five", "hundred and fifty" */
        if (any && (flag(c, j, TF_HYPHEN) || is(c, j, "and")) && number_word(c, j + 1, &v) &&
            v < 100 && !(is(c, j, "and") && !ends_with(c, j - 1, "hundred"))) {
            j++;
            continue;
        }
        break;
    }
    if (!any) {
        return false;
    }
    r->v = total + cur;
    r->first = k;
    r->end = j;
    r->kind = CORE_WORDS;
    r->small_word = r->v <= 10;
    return true;
}

static bool read_core(const struct cx *c, uint32_t k, struct core *r) {
    memset(r, 0, sizeof *r);
    if (!in_sent(c, k)) {
        return false;
    }
    const char *w = nm(c, k);
    if (flag(c, k, TF_NUM)) {
        bool plain;
        if (!num_token(w, &r->v, &plain)) {
            return false;
        }
        r->first = k;
        r->end = k + 1;
        r->kind = CORE_NUM;
        r->yearlike = plain && r->v >= 1800 && r->v <= 2100;
        return true;
    }
    if (!flag(c, k, TF_WORD)) {
        return false;
    }
    /* vague: "tens of thousands", "thousands", "hundreds of" */
    const struct kd *vg = FIND(vague_words, w);
    if (vg != NULL) {
        double v = vg->v;
        uint32_t j = k + 1;
        if (is(c, j, "of") && in_sent(c, j + 1)) {
            const struct kd *inner = FIND(vague_words, nm(c, j + 1));
            if (inner != NULL && inner->v >= 100) {
                v *= inner->v;
                j += 2;
            }
        }
        if (v == 10 || v == 20) { /* bare "tens", "scores" without "of thousands" */
            if (j == k + 1) {
                return false;
            }
        }
        r->v = v;
        r->first = k;
        r->end = j;
        r->kind = CORE_VAGUE;
        return true;
    }
    /* "several thousand", "a few hundred", "many thousands" */
    uint32_t j = k;
    if (is(c, j, "several") || is(c, j, "many")) {
        j++;
    } else if (is(c, j, "a") && is(c, j + 1, "few")) {
        j += 2;
    }
    if (j > k) {
        double v;
        if (number_word(c, j, &v) && (v == 100 || v >= 1000)) {
            r->v = v;
            r->first = k;
            r->end = j + 1;
            r->kind = CORE_VAGUE;
            return true;
        }
        const struct kd *vv = in_sent(c, j) ? FIND(vague_words, nm(c, j)) : NULL;
        if (vv != NULL && vv->v >= 100) {
            r->v = vv->v;
            r->first = k;
            r->end = j + 1;
            r->kind = CORE_VAGUE;
            return true;
        }
        return false;
    }
    /* fractions: "one third of", "a third of", "two thirds of", "half of" */
    {
        double mult = 0;
        uint32_t f = k;
        double v;
        if (is(c, f, "a") || is(c, f, "one")) {
            mult = 1;
            f++;
        } else if (number_word(c, f, &v) && v >= 2 && v <= 9) {
            mult = v;
            f++;
        }
        const struct kd *fr = in_sent(c, f) ? FIND(fraction_words, nm(c, f)) : NULL;
        if (fr != NULL && is(c, f + 1, "of") && (mult > 0 || is(c, f, "half"))) {
            if (mult == 0) {
                mult = 1;
            }
            double pct = fr->v * mult;
            if (fr->v > 33 && fr->v < 34) {
                pct = mult == 1 ? 33.3 : mult == 2 ? 66.7 : 33.3 * mult;
            }
            /* "the first half of" is a period, not a share */
            if (f == k && (is(c, k - 1, "first") || is(c, k - 1, "second") ||
                           is(c, k - 1, "the"))) {
                return false;
            }
            r->v = pct;
            r->first = k;
            r->end = f + 1;
            r->kind = CORE_FRACTION;
            return true;
        }
    }
    return read_words(c, k, r);
}

/* Scale word after a number core: "million", "bn"; single letters only when glued ("20m"). */
static bool scale_at(const struct cx *c, uint32_t k, double *v) {
    if (!flag(c, k, TF_WORD)) {
        return false;
    }
    const char *w = nm(c, k);
    const struct kd *e = FIND(scale_words, w);
    if (e == NULL) {
        return false;
    }
    if (strlen(w) == 1 && flag(c, k, TF_SPACE_BEFORE)) {
        return false;
    }
    *v = e->v;
    return true;
}

/* After the core (and scale): percent or currency word. Returns tokens consumed. */
static uint32_t percent_at(const struct cx *c, uint32_t k) {
    if (is(c, k, "%") || is(c, k, "percent") || is(c, k, "pct")) {
        return 1;
    }
    if (is(c, k, "per") && is(c, k + 1, "cent")) {
        return 2;
    }
    return 0;
}

static const char *currency_word_at(const struct cx *c, uint32_t k) {
    static const struct kv after[] = {
        {"dollars", "usd"}, {"euros", "euros"}, {"renminbi", "yuan"}, {"rmb", "yuan"},
        {"roubles", "rubles"}, {"rubles", "rubles"}, {"usd", "usd"}, {"yen", "yen"},
        {"yuan", "yuan"},
    };
    if (!flag(c, k, TF_WORD)) {
        return NULL;
    }
    const struct kv *e = FIND(after, nm(c, k));
    return e ? e->v : NULL;
}

static const char *currency_before_at(const struct cx *c, uint32_t k) {
    if (!in_sent(c, k)) {
        return NULL;
    }
    const struct kv *e = FIND(currency_before, nm(c, k));
    return e ? e->v : NULL;
}

static bool month_at(const struct cx *c, uint32_t k) {
    return flag(c, k, TF_WORD) && HAS(month_words, nm(c, k));
}

static void set_unit(tumen_quantity *q, const char *u) {
    size_t n = strlen(u);
    if (n >= sizeof q->unit) {
        n = sizeof q->unit - 1;
    }
    memcpy(q->unit, u, n);
    q->unit[n] = '\0';
}

/* Nearest unit noun before token k in the sentence, within lim tokens. */
static uint32_t unit_before(const struct cx *c, uint32_t k, uint32_t lim) {
    for (uint32_t j = k; j > c->first && k - j < lim; j--) {
        uint32_t i = j - 1;
        if (flag(c, i, TF_WORD) && FIND(unit_words, nm(c, i)) != NULL) {
            const struct kv *e = FIND(unit_words, nm(c, i));
            if (!quantity_unit_is_duration(e->v)) {
                return i;
            }
        }
    }
    return TUMEN_NOID;
}

/* The unit noun after the quantity: up to 3 modifier words may come between ("50,000 North
 * Korean workers"); function words and punctuation other than hyphens end the search. */
static uint32_t unit_after(const struct cx *c, uint32_t k, bool allow_of, bool *verbatim) {
    *verbatim = false;
    if (allow_of && is(c, k, "of")) {
        k++;
    }
    uint32_t words = 0;
    for (uint32_t j = k; in_sent(c, j) && words < 4; j++) {
        if (flag(c, j, TF_HYPHEN) || flag(c, j, TF_QUOTE)) {
            continue; /* "air-defence", the closing quote in "up to 100,000" troops */
        }
        if (!flag(c, j, TF_WORD)) {
            break;
        }
        const char *w = nm(c, j);
        if (FIND(unit_words, w) != NULL) {
            return j;
        }
        if (HAS(unit_stoppers, w)) {
            break;
        }
        words++;
    }
    /* verbatim fallback: the next word if it looks like a plural noun */
    if (flag(c, k, TF_WORD) && !flag(c, k, TF_CAP)) {
        const char *w = nm(c, k);
        size_t n = strlen(w);
        if (n >= 4 && w[n - 1] == 's' && w[n - 2] != 's' && !HAS(unit_stoppers, w)) {
            *verbatim = true;
            return k;
        }
    }
    return TUMEN_NOID;
}

/* Tries to read one quantity whose core starts at token k. */
static bool read_quantity(const struct cx *c, const char *doc, uint32_t k, struct qty *out,
                          uint32_t *next) {
    struct core a;
    if (!read_core(c, k, &a)) {
        return false;
    }
    *next = a.end;
    /* not quantities: parts of words or labels ("F-16", "COVID-19", "pre-2022",
     * "Resolution 2397"), times ("10:30"), days of months ("February 24", "24 February") */
    if (a.kind == CORE_NUM) {
        if (flag(c, k - 1, TF_HYPHEN) ||
            (flag(c, k + 1, TF_HYPHEN) && flag(c, k + 2, TF_WORD) &&
             currency_word_at(c, k + 2) == NULL && !scale_at(c, k + 2, &(double){0}))) {
            return false;
        }
        if (in_sent(c, k - 1) && HAS(label_words, nm(c, k - 1))) {
            return false;
        }
        if ((is(c, k + 1, ":") && flag(c, k + 2, TF_NUM)) ||
            (is(c, k - 1, ":") && flag(c, k - 2, TF_NUM))) {
            return false;
        }
        if (a.v >= 1 && a.v <= 31 && a.v == (double)(long)a.v &&
            (month_at(c, k - 1) || month_at(c, k + 1) ||
             (is(c, k + 1, "of") && month_at(c, k + 2)))) {
            return false;
        }
    }
    memset(out, 0, sizeof *out);
    tumen_quantity *q = &out->q;
    q->present = 1;
    out->unit_tok = TUMEN_NOID;
    const char *unit = NULL;
    bool known_unit = false;

    /* currency and modifiers before */
    uint32_t start = a.first;
    const char *cur = currency_before_at(c, a.first - 1);
    if (a.first > c->first && cur != NULL) {
        unit = cur;
        known_unit = true;
        out->unit_tok = a.first - 1;
        start = a.first - 1;
        if (is(c, start - 1, "us") && strcmp(cur, "usd") == 0) {
            start--;
        }
    }
    int mod = 0;
    if (start > c->first) {
        uint32_t best = 0;
        for (size_t i = 0; i < N(modifiers); i++) {
            uint32_t m = ends_with(c, start - 1, modifiers[i].phrase);
            if (m > best) {
                best = m;
                mod = modifiers[i].kind;
            }
        }
        start -= best;
    }

    /* scale, percent, currency word */
    uint32_t e = a.end;
    double sc;
    if (a.kind != CORE_FRACTION && scale_at(c, e, &sc)) {
        a.v *= sc;
        a.scaled = true;
        e++;
    }
    uint32_t pc = a.kind == CORE_FRACTION ? 0 : percent_at(c, e);
    if (a.kind == CORE_FRACTION) {
        unit = "percent";
        known_unit = true;
    } else if (pc > 0) {
        unit = "percent";
        known_unit = true;
        e += pc;
    } else if (currency_word_at(c, e) != NULL) {
        unit = currency_word_at(c, e);
        known_unit = true;
        out->unit_tok = e;
        e++;
    }

    /* range: "20,000 to 50,000", "20-30bn", "between 20,000 and 50,000" */
    bool ranged = false;
    if (a.kind == CORE_NUM || a.kind == CORE_WORDS) {
        bool conn = is(c, e, "to") || (is(c, e, "-") && !flag(c, e, TF_SPACE_BEFORE)) ||
                    is(c, e, "-") || (mod == MOD_BETWEEN && is(c, e, "and"));
        uint32_t b0 = e + 1;
        if (conn && currency_before_at(c, b0) != NULL) {
            b0++;
        }
        struct core b;
        if (conn && read_core(c, b0, &b) && (b.kind == CORE_NUM || b.kind == CORE_WORDS) &&
            !(a.yearlike && b.yearlike)) {
            uint32_t be = b.end;
            double bsc;
            if (scale_at(c, be, &bsc)) {
                b.v *= bsc;
                be++;
                if (!a.scaled && a.v * bsc <= b.v) {
                    a.v *= bsc;
                }
            }
            uint32_t bpc = percent_at(c, be);
            if (bpc > 0) {
                unit = "percent";
                known_unit = true;
                be += bpc;
            } else if (currency_word_at(c, be) != NULL) {
                unit = currency_word_at(c, be);
                known_unit = true;
                out->unit_tok = be;
                be++;
            }
            if (b.v > a.v) {
                q->low = a.v;
                q->has_low = 1;
                a.v = b.v;
                a.yearlike = false;
                e = be;
                ranged = true;
            }
        }
    }
    if (mod == MOD_BETWEEN && !ranged) {
        mod = 0;
        start = a.first;
        if (cur != NULL) {
            start = out->unit_tok;
        }
    }

    /* unit noun */
    bool verbatim = false;
    uint32_t ut = TUMEN_NOID;
    if (!known_unit) {
        bool anaphor = is(c, e, "of") && (is(c, e + 1, "them") || is(c, e + 1, "those") ||
                                          is(c, e + 1, "these"));
        if (anaphor) {
            ut = unit_before(c, a.first, 64);
        } else {
            ut = unit_after(c, e, a.kind == CORE_VAGUE || a.scaled, &verbatim);
        }
        if (ut != TUMEN_NOID && !verbatim) {
            unit = ((const struct kv *)FIND(unit_words, nm(c, ut)))->v;
            known_unit = true;
            out->unit_tok = ut;
        } else if (ut != TUMEN_NOID && verbatim && !a.small_word && !a.yearlike) {
            unit = nm(c, ut);
            out->unit_tok = ut;
        }
    }

    /* filters */
    if (a.yearlike && !known_unit && !a.scaled && cur == NULL) {
        return false;
    }
    if (a.small_word && !known_unit && mod == 0) {
        return false;
    }
    /* a bare number next to a name is a label: "Alliance 2.0", "38 North", "Hwasong 15" */
    if (a.kind == CORE_NUM && unit == NULL && mod == 0 && cur == NULL && !ranged &&
        ((flag(c, a.first - 1, TF_CAP) && a.first - 1 > c->first) ||
         flag(c, e, TF_CAP))) {
        return false;
    }

    q->value = a.v;
    if (a.kind == CORE_VAGUE) {
        q->bound = TUMEN_BOUND_MIN;
    }
    if (mod == MOD_APPROX) {
        q->approx = 1;
    } else if (mod == MOD_MAX) {
        q->bound = TUMEN_BOUND_MAX;
    } else if (mod == MOD_MIN) {
        q->bound = TUMEN_BOUND_MIN;
    }
    set_unit(q, unit ? unit : "");
    out->first = start;
    out->n = e - start;
    const struct tok *t0 = &c->t->toks[start], *t1 = &c->t->toks[e - 1];
    q->span.offset = t0->off;
    q->span.length = (size_t)t1->off + t1->len - t0->off;
    (void)doc;
    *next = e;
    return true;
}

size_t quantity_scan(const struct text *t, const struct sent *s, const char *doc,
                     struct qty *out, size_t max) {
    struct cx c = {t, s->first, s->first + s->n};
    size_t count = 0;
    /* small local batch so unitless quantities can borrow units from neighbours */
    for (uint32_t k = c.first; k < c.end;) {
        const struct tok *tk = &t->toks[k];
        if (!(tk->flags & TF_NUM) &&
            (!(tk->flags & TF_WORD) || !qty_word(tok_norm(t, tk), tk->nlen))) {
            k++; /* read_core would say no */
            continue;
        }
        struct qty q;
        uint32_t next;
        if (read_quantity(&c, doc, k, &q, &next)) {
            if (q.q.unit[0] == '\0') {
                /* ellipsis: "hundreds and thousands of troops", "not hundreds ... but tens
                 * of thousands": borrow the unit of a close neighbour */
                uint32_t ub = unit_before(&c, q.first, 12);
                struct qty q2;
                uint32_t n2;
                uint32_t j = next;
                if ((is(&c, j, "and") || is(&c, j, "or")) &&
                    read_quantity(&c, doc, j + 1, &q2, &n2) && q2.q.unit[0] != '\0' &&
                    !quantity_unit_is_duration(q2.q.unit)) {
                    set_unit(&q.q, q2.q.unit);
                    q.unit_tok = q2.unit_tok;
                } else if (ub != TUMEN_NOID) {
                    set_unit(&q.q, ((const struct kv *)FIND(unit_words, nm(&c, ub)))->v);
                    q.unit_tok = ub;
                }
            }
            if (count < max) {
                out[count] = q;
            }
            count++;
            k = next > k ? next : k + 1;
        } else {
            k++;
        }
    }
    return count;
}

/* ---- attaching a quantity to an event ---- */

/* +1 the unit fits the code, 0 neutral, -1 it does not. */
static int unit_fit(const char *code, const char *unit) {
    if (unit[0] == '\0') {
        return 0;
    }
    if (code == NULL || code[0] == '\0' || code[0] == '-') {
        return 1; /* statistics take any measure */
    }
    char r[3] = {code[0], code[1] ? code[1] : '0', '\0'};
    bool money = !strcmp(unit, "usd") || !strcmp(unit, "euros") || !strcmp(unit, "rubles") ||
                 !strcmp(unit, "yuan") || !strcmp(unit, "gbp") || !strcmp(unit, "yen") ||
                 !strcmp(unit, "won");
    bool military = !strcmp(unit, "troops") || !strcmp(unit, "shells") ||
                    !strcmp(unit, "missiles") || !strcmp(unit, "tanks") ||
                    !strcmp(unit, "drones") || !strcmp(unit, "aircraft");
    bool people = !strcmp(unit, "people") || !strcmp(unit, "civilians") ||
                  !strcmp(unit, "refugees") || !strcmp(unit, "casualties") ||
                  !strcmp(unit, "deaths") || !strcmp(unit, "migrants");
    bool economic = !strcmp(unit, "workers") || !strcmp(unit, "tourists") ||
                    !strcmp(unit, "students") || !strcmp(unit, "tonnes") ||
                    !strcmp(unit, "barrels") || !strcmp(unit, "percent");
    if (!strcmp(r, "07")) { /* aid: 072 military, 071 economic, 073 humanitarian */
        if (code[2] == '2' || code[2] == '4') {
            return military || money ? 1 : people ? 0 : -1;
        }
        return money || economic || people ? 1 : military ? 0 : -1;
    }
    if (!strcmp(r, "06")) { /* 061 economic, 062 military cooperation */
        if (code[2] == '2') {
            return military || money ? 1 : -1;
        }
        return economic || money || people ? 1 : -1;
    }
    if (r[0] == '1' && r[1] >= '5') { /* 15-19 force posture, coercion, assault, fight */
        return military || people ? 1 : money ? 0 : -1;
    }
    if (r[0] == '2') { /* 20 mass violence */
        return people || military ? 1 : -1;
    }
    if (!strcmp(r, "16")) { /* reduce relations, sanctions */
        return money || economic ? 1 : -1;
    }
    if (!strcmp(r, "03") || !strcmp(r, "05") || !strcmp(r, "04")) {
        return military || money || economic || people ? 0 : -1;
    }
    return 0;
}

bool quantity_for_event(const struct text *t, const struct sent *s, const char *doc,
                        uint32_t head, uint32_t head_n, const char *code,
                        tumen_quantity *out) {
    struct qty qs[64];
    size_t n = quantity_scan(t, s, doc, qs, 64);
    return quantity_pick(t, s, qs, n > 64 ? 64 : n, head, head_n, code, out);
}

bool quantity_pick(const struct text *t, const struct sent *s, const struct qty *qs, size_t n,
                   uint32_t head, uint32_t head_n, const char *code, tumen_quantity *out) {
    memset(out, 0, sizeof *out);
    uint32_t hn = head_n ? head_n : 1, he = head + hn;
    long best_score = 0;
    int best = -1;
    struct cx c = {t, s->first, s->first + s->n};
    for (size_t i = 0; i < n; i++) {
        const struct qty *q = &qs[i];
        if (quantity_unit_is_duration(q->q.unit)) {
            continue;
        }
        uint32_t qe = q->first + q->n;
        if (q->first < he && qe > head) {
            continue; /* the quantity is the head itself */
        }
        long dist = q->first >= he ? (long)(q->first - he) : (long)(head - qe) + 2;
        long score = dist;
        uint32_t lo = q->first < head ? q->first : head, hi = q->first < head ? head : q->first;
        if (!prose_same_clause(t, s, head, q->first)) {
            score += 12;
        }
        for (uint32_t k = lo + 1; k <= hi && k < c.end; k++) {
            if (prose_strong_start(t, s, k)) {
                score += 25;
                break;
            }
        }
        int fit = unit_fit(code, q->q.unit);
        if (fit > 0) {
            score -= 10;
        } else if (fit < 0) {
            score += 40;
        }
        if (q->q.unit[0] == '\0') {
            score += 6;
        }
        if (best < 0 || score < best_score) {
            best = (int)i;
            best_score = score;
        }
    }
    if (best < 0 || best_score > 40) {
        return false;
    }
    *out = qs[best].q;
    return true;
}
