/* Modality, attribution and forecasts. See modality.h and docs/modality.md.
 *
 * 1. Find the cues in a window around the head (at most WINDOW tokens each side).
 * 2. Keep the cues whose scope contains the head (and that are not the head itself; for
 *    speech acts and verbal conflict, cues after the head govern the content, not the act).
 * 3. The strongest modality wins (denied > negated > forecast > hypothetical > reported);
 *    attribution and denial also give attributed_to and cue. */
#include "modality.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW 160u

/* ---- words of estimative probability: compiled from data/wep.tsv (same rows, same
 * order; test_modality.c checks that they are equal) ---- */
static const struct wep_entry wep[] = {
    {"'ll", 0.9},
    {"about to", 0.9},
    {"almost certain", 0.95},
    {"almost certainly", 0.95},
    {"almost certainly not", 0.05},
    {"certain to", 0.99},
    {"certainly", 0.99},
    {"doubtful", 0.2},
    {"expected to", 0.75},
    {"extremely likely", 0.95},
    {"extremely unlikely", 0.05},
    {"far more likely", 0.75},
    {"going to", 0.9},
    {"highly doubtful", 0.05},
    {"highly improbable", 0.1},
    {"highly likely", 0.85},
    {"highly probable", 0.85},
    {"highly unlikely", 0.1},
    {"improbable", 0.2},
    {"in all likelihood", 0.85},
    {"increasingly likely", 0.75},
    {"less likely", 0.35},
    {"likely", 0.7},
    {"may", 0.4},
    {"may well", 0.55},
    {"might", 0.4},
    {"more likely", 0.6},
    {"most likely", 0.85},
    {"much more likely", 0.75},
    {"nearly certain", 0.95},
    {"on the verge of", 0.85},
    {"poised to", 0.85},
    {"probable", 0.7},
    {"probably", 0.7},
    {"probably not", 0.2},
    {"quite likely", 0.7},
    {"reasons to believe", 0.6},
    {"set to", 0.9},
    {"shall", 0.9},
    {"unlikely", 0.2},
    {"very likely", 0.85},
    {"very probable", 0.85},
    {"very unlikely", 0.1},
    {"virtually certain", 0.95},
    {"will", 0.9},
    {"will have to", 0.9},
    {"will need to", 0.9},
};

const struct wep_entry *modality_wep_table(size_t *n) {
    *n = sizeof wep / sizeof wep[0];
    return wep;
}

static int cmp_key(const void *key, const void *elt) {
    return strcmp((const char *)key, *(const char *const *)elt);
}
#define N(tab) (sizeof(tab) / sizeof((tab)[0]))
#define FIND(tab, w) bsearch((w), (tab), N(tab), sizeof((tab)[0]), cmp_key)
#define HAS(tab, w) (FIND(tab, w) != NULL)

double modality_wep_lookup(const char *phrase) {
    /* small table: a linear search keeps the phrase order free */
    for (size_t i = 0; i < N(wep); i++) {
        if (strcmp(wep[i].phrase, phrase) == 0) {
            return wep[i].p;
        }
    }
    return -1;
}

/* ---- word lists (sorted; binary-searched) ---- */

static const char *const reporting_verbs[] = {
    "acknowledged", "added",     "admits",    "admitted",  "allege",    "alleged",  "alleges",
    "alleging",     "announced", "announces", "argue",     "argued",    "argues",   "asserted",
    "asserts",      "believe",   "believed",  "believes",  "claim",     "claimed",  "claiming",
    "claims",       "confirmed", "confirms",  "contend",   "contended", "contends", "estimate",
    "estimated",    "estimates", "expect",    "expects",   "indicated", "insisted", "insists",
    "noted",        "opined",    "opines",    "predict",   "predicted", "predicts", "reported",
    "revealed",     "reveals",   "said",      "say",       "saying",    "says",     "stated",
    "suggest",      "suggested", "suggesting", "suggests", "think",     "thinks",   "told",
    "warned",       "warns",     "wrote",
};

static const char *const attrib_adverbs[] = {
    "allegedly", "purportedly", "reportedly", "reputedly", "supposedly",
};

static const char *const unnamed_nouns[] = {
    "analysts", "commentators", "critics", "experts", "insiders", "observers", "report",
    "reports",  "rumors",       "rumours",  "some",    "sources",
};

static const char *const deny_words[] = {
    "denial", "denials", "denied", "denies", "deny", "denying", "rebuffed", "refute",
    "refuted", "refutes", "repudiated",
};

static const char *const deny_adjectives[] = {
    "baseless", "fabricated", "fabrication", "groundless", "unfounded", "untrue",
};

static const char *const calling_verbs[] = {
    "branded", "brands", "call", "called", "calling", "calls", "characterised",
    "characterized", "characterizes", "described", "describes", "dismissed", "dismisses",
    "labeled", "labelled", "termed",
};

static const char *const fake_words[] = {
    "absurd", "baseless", "disinformation", "fabricated", "fabrication", "fake", "false",
    "groundless", "hoax", "lie", "lies", "nonsense", "provocation", "slander", "unfounded",
    "untrue",
};

static const char *const claim_nouns[] = {
    "accusation", "accusations", "allegation", "allegations", "assertions", "claim",
    "claims", "report", "reports", "rumors", "rumours", "speculation", "speculations",
    "suggestions",
};

static const char *const possibility_nouns[] = {
    "possibilities", "possibility", "prospect", "prospects", "scenario", "scenarios",
    "speculation", "speculations",
};

static const char *const possibility_adjs[] = {
    "conceivable", "conceivably", "hypothetical", "hypothetically", "maybe", "perhaps",
    "possible", "possibly", "potential", "potentially", "theoretically",
};

static const char *const question_adjs[] = {
    "uncertain", "unclear", "unknown",
};

static const char *const forecast_adjs[] = {
    "certainly", "doubtful", "improbable", "likely", "probable", "probably", "unlikely",
};

static const char *const intensifiers[] = {
    "almost", "extremely", "fairly", "far", "highly", "increasingly", "less", "more", "most",
    "much", "nearly", "quite", "rather", "very", "virtually",
};

static const char *const hypo_modals[] = {
    "can", "cannot", "could", "must", "should", "would",
};

static const char *const be_forms[] = {
    "'re", "'s", "am", "are", "be", "been", "being", "is", "seem", "seems", "was", "were",
};

static const char *const subordinators[] = {
    "after", "although", "as", "because", "before", "even", "if", "once", "since", "though",
    "unless", "when", "whereas", "while",
};

static const char *const clause_words[] = {
    "although", "because", "but", "however", "if", "though", "unless", "when", "where",
    "whereas", "whether", "which", "while", "who", "whom", "whose",
};

static const char *const strong_words[] = {
    "although", "but", "however", "though", "whereas", "while",
};

static const char *const finite_after_and[] = {
    "are", "can", "could", "did", "do", "does", "had", "has", "have", "he", "i", "is", "it",
    "may", "might", "must", "shall", "she", "should", "they", "was", "we", "were", "will",
    "would",
};

static const char *const prepositions[] = {
    "about", "against", "among", "at", "between", "by", "for", "from", "in", "into", "of",
    "on", "over", "to", "toward", "towards", "with",
};

static const char *const pronouns[] = {
    "he", "her", "him", "i", "it", "she", "them", "they", "we",
};

static const char *const will_noun_before[] = {
    "a", "an", "free", "good", "her", "his", "ill", "its", "my", "our", "own", "political",
    "popular", "the", "their", "your",
};

/* ---- which words can start a cue ----
 *
 * cue_at compares the token with many words and tables; cue_word is a superset of the
 * words it can return true for, so it can skip every other token with one switch.
 * modality_tables_sorted checks cue_word against every cue table, cue_literals (the
 * words cue_at compares w with) and cue_prefixes (its strncmp prefixes): a new cue word
 * goes in one of those and in the switch. */
static const char *const cue_literals[] = {
    "'ll", "about", "absence", "according", "assuming", "blamed", "blames", "cannot", "certain",
    "expected", "going", "if", "in", "lack", "lacking", "lacks", "may", "might", "n't", "neither",
    "never", "no", "nobody", "none", "nor", "not", "nothing", "on", "pointed", "poised",
    "probably", "provided", "reasons", "set", "shall", "should", "think", "unable", "unless",
    "whether", "will", "without",
};

static const char *const cue_prefixes[] = {
    "accus", "declin", "fail", "refus", "reject",
};

static bool cue_word(const char *w, size_t n) {
#define W(lit) (n == sizeof(lit) - 1 && memcmp(w, lit, sizeof(lit) - 1) == 0)
#define P(lit) (n >= sizeof(lit) - 1 && memcmp(w, lit, sizeof(lit) - 1) == 0)
    switch (w[0]) {
    case '\'':
        return W("'ll");
    case 'a':
        return W("about") || W("absence") || W("according") || W("acknowledged") || W("added") ||
               W("admits") || W("admitted") || W("allege") || W("alleged") || W("allegedly") ||
               W("alleges") || W("alleging") || W("announced") || W("announces") || W("argue") ||
               W("argued") || W("argues") || W("asserted") || W("asserts") || W("assuming") ||
               P("accus");
    case 'b':
        return W("baseless") || W("believe") || W("believed") || W("believes") || W("blamed") ||
               W("blames") || W("branded") || W("brands");
    case 'c':
        return W("call") || W("called") || W("calling") || W("calls") || W("can") || W("cannot") ||
               W("certain") || W("certainly") || W("characterised") || W("characterized") ||
               W("characterizes") || W("claim") || W("claimed") || W("claiming") || W("claims") ||
               W("conceivable") || W("conceivably") || W("confirmed") || W("confirms") ||
               W("contend") || W("contended") || W("contends") || W("could");
    case 'd':
        return W("denial") || W("denials") || W("denied") || W("denies") || W("deny") ||
               W("denying") || W("described") || W("describes") || W("dismissed") ||
               W("dismisses") || W("doubtful") || P("declin");
    case 'e':
        return W("estimate") || W("estimated") || W("estimates") || W("expect") || W("expected") ||
               W("expects");
    case 'f':
        return W("fabricated") || W("fabrication") || P("fail");
    case 'g':
        return W("going") || W("groundless");
    case 'h':
        return W("hypothetical") || W("hypothetically");
    case 'i':
        return W("if") || W("improbable") || W("in") || W("indicated") || W("insisted") ||
               W("insists");
    case 'l':
        return W("labeled") || W("labelled") || W("lack") || W("lacking") || W("lacks") ||
               W("likely");
    case 'm':
        return W("may") || W("maybe") || W("might") || W("must");
    case 'n':
        return W("n't") || W("neither") || W("never") || W("no") || W("nobody") || W("none") ||
               W("nor") || W("not") || W("noted") || W("nothing");
    case 'o':
        return W("on") || W("opined") || W("opines");
    case 'p':
        return W("perhaps") || W("pointed") || W("poised") || W("possibilities") ||
               W("possibility") || W("possible") || W("possibly") || W("potential") ||
               W("potentially") || W("predict") || W("predicted") || W("predicts") ||
               W("probable") || W("probably") || W("prospect") || W("prospects") ||
               W("provided") || W("purportedly");
    case 'r':
        return W("reasons") || W("rebuffed") || W("refute") || W("refuted") || W("refutes") ||
               W("reported") || W("reportedly") || W("repudiated") || W("reputedly") ||
               W("revealed") || W("reveals") || P("refus") || P("reject");
    case 's':
        return W("said") || W("say") || W("saying") || W("says") || W("scenario") ||
               W("scenarios") || W("set") || W("shall") || W("should") || W("speculation") ||
               W("speculations") || W("stated") || W("suggest") || W("suggested") ||
               W("suggesting") || W("suggests") || W("supposedly");
    case 't':
        return W("termed") || W("theoretically") || W("think") || W("thinks") || W("told");
    case 'u':
        return W("unable") || W("uncertain") || W("unclear") || W("unfounded") || W("unknown") ||
               W("unless") || W("unlikely") || W("untrue");
    case 'w':
        return W("warned") || W("warns") || W("whether") || W("will") || W("without") ||
               W("would") || W("wrote");
    default:
        return false;
    }
#undef W
#undef P
}

static bool cue_word_all(const char *const *t, size_t n, bool prefix) {
    for (size_t i = 0; i < n; i++) {
        char w[64];
        size_t l = strlen(t[i]);
        if (l + 3 > sizeof w) {
            return false;
        }
        memcpy(w, t[i], l);
        if (prefix) { /* any word starting with the prefix */
            memcpy(w + l, "zz", 2);
            l += 2;
        }
        w[l] = '\0';
        if (!cue_word(w, l)) {
            return false;
        }
    }
    return true;
}

static bool cue_words_complete(void) {
#define C(tab) cue_word_all(tab, N(tab), false)
    return C(forecast_adjs) && C(deny_words) && C(deny_adjectives) && C(calling_verbs) &&
           C(hypo_modals) && C(possibility_nouns) && C(possibility_adjs) && C(question_adjs) &&
           C(attrib_adverbs) && C(reporting_verbs) && C(cue_literals) &&
           cue_word_all(cue_prefixes, N(cue_prefixes), true);
#undef C
}


bool modality_tables_sorted(void) {
#define S(tab) KEYS_SORTED(tab)
    return S(reporting_verbs) && S(attrib_adverbs) && S(unnamed_nouns) && S(deny_words) &&
           S(deny_adjectives) && S(calling_verbs) && S(fake_words) && S(claim_nouns) &&
           S(possibility_nouns) && S(possibility_adjs) && S(question_adjs) &&
           S(forecast_adjs) && S(intensifiers) && S(hypo_modals) && S(be_forms) &&
           S(subordinators) && S(clause_words) && S(strong_words) && S(finite_after_and) &&
           S(prepositions) && S(pronouns) && S(will_noun_before) && cue_words_complete();
#undef S
}

/* ---- tokens ---- */

struct cx {
    const struct text *t;
    const struct sent *s;
    uint32_t first, end;
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
#define IN(tab, c, k) (in_sent((c), (k)) && HAS(tab, nm((c), (k))))

/* ---- clause structure ---- */

static bool is_dash(const struct cx *c, uint32_t k) {
    if (!in_sent(c, k) || flag(c, k, TF_HYPHEN) || !flag(c, k, TF_PUNCT)) {
        return false;
    }
    const char *w = nm(c, k);
    return w[0] == '-' && strspn(w, "-") == strlen(w);
}

static bool ends_in_ed(const char *w) {
    size_t n = strlen(w);
    return n > 4 && w[n - 2] == 'e' && w[n - 1] == 'd';
}

static bool clause_start(const struct cx *c, uint32_t k) {
    if (k <= c->first) {
        return true;
    }
    if (!in_sent(c, k)) {
        return false;
    }
    const char *w = nm(c, k);
    if (flag(c, k, TF_PUNCT)) {
        return !strcmp(w, ",") || !strcmp(w, ";") || !strcmp(w, ":") || !strcmp(w, "(") ||
               !strcmp(w, ")") || !strcmp(w, "?") || is_dash(c, k);
    }
    if (HAS(clause_words, w)) {
        /* "even if", "as if", "whether or not": the clause starts at the first word */
        return !(is(c, k - 1, "even") || is(c, k - 1, "as") || is(c, k - 1, "whether"));
    }
    if (!strcmp(w, "should")) { /* inverted conditional: "should Russia and Ukraine agree" */
        return flag(c, k + 1, TF_CAP) || is(c, k + 1, "the");
    }
    if (!strcmp(w, "and") || !strcmp(w, "or")) {
        uint32_t j = k + 1;
        while (in_sent(c, j) && j < k + 3 &&
               (is(c, j, "also") || is(c, j, "then") || is(c, j, "still") ||
                is(c, j, "even") || is(c, j, "so") ||
                (strlen(nm(c, j)) > 4 && !strcmp(nm(c, j) + strlen(nm(c, j)) - 2, "ly")))) {
            j++;
        }
        if (!flag(c, j, TF_WORD)) {
            return false;
        }
        const char *x = nm(c, j);
        return HAS(finite_after_and, x) || (ends_in_ed(x) && !flag(c, j, TF_CAP));
    }
    return false;
}

static bool strong_start(const struct cx *c, uint32_t k) {
    if (!in_sent(c, k)) {
        return false;
    }
    const char *w = nm(c, k);
    if (flag(c, k, TF_PUNCT)) {
        return !strcmp(w, ";") || !strcmp(w, ":") || !strcmp(w, "?");
    }
    return HAS(strong_words, w) && !is(c, k - 1, "even");
}

bool prose_clause_start(const struct text *t, const struct sent *s, uint32_t k) {
    struct cx c = {t, s, s->first, s->first + s->n};
    return clause_start(&c, k);
}

bool prose_strong_start(const struct text *t, const struct sent *s, uint32_t k) {
    struct cx c = {t, s, s->first, s->first + s->n};
    return strong_start(&c, k);
}

/* No clause starts in (lo, hi]. */
static bool same_clause(const struct cx *c, uint32_t a, uint32_t b) {
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    for (uint32_t k = lo + 1; k <= hi; k++) {
        if (clause_start(c, k)) {
            return false;
        }
    }
    return true;
}

static bool same_segment(const struct cx *c, uint32_t a, uint32_t b) {
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    for (uint32_t k = lo + 1; k <= hi; k++) {
        if (strong_start(c, k)) {
            return false;
        }
    }
    return true;
}

bool prose_same_clause(const struct text *t, const struct sent *s, uint32_t a, uint32_t b) {
    struct cx c = {t, s, s->first, s->first + s->n};
    return same_clause(&c, a, b);
}

/* First token of the clause containing k. */
static uint32_t clause_first(const struct cx *c, uint32_t k) {
    while (k > c->first && !clause_start(c, k)) {
        k--;
    }
    return k;
}

/* End (exclusive) of the clause containing k. */
static uint32_t clause_end(const struct cx *c, uint32_t k) {
    uint32_t j = k + 1;
    while (j < c->end && !clause_start(c, j)) {
        j++;
    }
    return j;
}

/* The clause of k is a fronted subordinate clause ("Whereas officials deny ...,",
 * "As the diplomat suggested,"): its scope stops at its own end. */
static bool in_subordinate(const struct cx *c, uint32_t k) {
    uint32_t f = clause_first(c, k);
    if (flag(c, f, TF_PUNCT)) {
        f++;
    }
    return IN(subordinators, c, f);
}

/* ---- cues ---- */

enum kind { K_NONE = 0, K_ATTRIB, K_HYPO, K_QWORD, K_MAY, K_FORECAST, K_NEG, K_DENY };
enum scope { SC_CLAUSE, SC_RIGHT, SC_COMPL, SC_SEGMENT, SC_ADVERB, SC_DENY, SC_PASSIVE };

struct cue {
    uint32_t a, b;   /* cue tokens [a, b) */
    uint32_t pa, pb; /* probability words [pa, pb) for forecasts */
    enum kind kind;
    enum scope scope;
    uint32_t ga, gb; /* tokens [ga, gb) inside the cue that are not cue words (the gap in
                      * "called ... fake"); the head may be there */
    uint32_t spk;    /* for "according to": first token after "to" */
    bool unnamed;    /* adverbs, passives: the source is unnamed */
};

static void set(struct cue *q, uint32_t a, uint32_t b, enum kind k, enum scope s) {
    memset(q, 0, sizeof *q);
    q->a = q->pa = a;
    q->b = q->pb = b;
    q->kind = k;
    q->scope = s;
    q->spk = TUMEN_NOID;
}

static bool is_month_may(const struct cx *c, uint32_t k) {
    if (!flag(c, k, TF_CAP) || k == c->first) {
        return false;
    }
    return flag(c, k + 1, TF_NUM) || is(c, k - 1, "in") || is(c, k - 1, "since") ||
           is(c, k - 1, "of") || is(c, k - 1, "last") || is(c, k - 1, "early") ||
           is(c, k - 1, "late") || is(c, k - 1, "until") || is(c, k - 1, "by");
}

/* Extends a forecast cue left over intensifiers ("extremely unlikely"). */
static void intensify(const struct cx *c, struct cue *q) {
    while (q->pa > c->first && IN(intensifiers, c, q->pa - 1)) {
        q->pa--;
    }
    q->a = q->pa;
}

/* Finds a cue starting at token k. */
static bool cue_at(const struct cx *c, uint32_t k, struct cue *q) {
    if (!flag(c, k, TF_WORD)) {
        /* a denial in quotes: "fake" etc. handled with their verb */
        return false;
    }
    const char *w = nm(c, k);
    if (!cue_word(w, c->t->toks[k].nlen)) {
        return false; /* none of the words below */
    }

    /* ---- prediction ---- */
    if (!strcmp(w, "will") || !strcmp(w, "'ll") || !strcmp(w, "shall")) {
        if (!strcmp(w, "will") && (IN(will_noun_before, c, k - 1) || is(c, k + 1, "of"))) {
            return false;
        }
        set(q, k, k + 1, K_FORECAST, SC_CLAUSE);
        if ((is(c, k + 1, "need") || is(c, k + 1, "have")) && is(c, k + 2, "to")) {
            q->pb = k + 3;
        }
        return true;
    }
    if ((!strcmp(w, "going") || !strcmp(w, "set") || !strcmp(w, "about") ||
         !strcmp(w, "poised")) &&
        is(c, k + 1, "to") && IN(be_forms, c, k - 1) && !flag(c, k + 2, TF_NUM)) {
        set(q, k, k + 2, K_FORECAST, SC_CLAUSE);
        q->pa = k - 1;
        return true;
    }
    if (!strcmp(w, "expected") && (is(c, k + 1, "to") || is(c, k + 1, "that"))) {
        set(q, k, k + 2, K_FORECAST, SC_CLAUSE);
        if (IN(be_forms, c, k - 1)) {
            q->pa = k - 1;
        }
        return true;
    }
    if (!strcmp(w, "certain") && is(c, k + 1, "to")) {
        set(q, k, k + 2, K_FORECAST, SC_CLAUSE);
        return true;
    }
    if (!strcmp(w, "on") && is(c, k + 1, "the") && is(c, k + 2, "verge") && is(c, k + 3, "of")) {
        set(q, k, k + 4, K_FORECAST, SC_CLAUSE);
        return true;
    }
    if (!strcmp(w, "in") && is(c, k + 1, "all") && is(c, k + 2, "likelihood")) {
        set(q, k, k + 3, K_FORECAST, SC_CLAUSE);
        return true;
    }
    if (!strcmp(w, "reasons") && is(c, k + 1, "to") && is(c, k + 2, "believe")) {
        set(q, k, k + 3, K_FORECAST, SC_COMPL);
        if (is(c, k - 1, "are") && is(c, k - 2, "there")) {
            q->a = k - 2;
        }
        return true;
    }
    if (HAS(forecast_adjs, w)) {
        set(q, k, k + 1, K_FORECAST, SC_CLAUSE);
        if (!strcmp(w, "probably") && is(c, k + 1, "not")) {
            q->pb = k + 2;
        }
        intensify(c, q);
        return true;
    }
    if (!strcmp(w, "may") || !strcmp(w, "might")) {
        if (is_month_may(c, k) || (!strcmp(w, "might") && (IN(will_noun_before, c, k - 1) ||
                                                           is(c, k - 1, "military")))) {
            return false;
        }
        set(q, k, k + 1, K_MAY, SC_CLAUSE);
        if (is(c, k + 1, "well")) {
            q->pb = k + 2;
        }
        return true;
    }

    /* ---- denial ---- */
    if (HAS(deny_words, w)) {
        set(q, k, k + 1, K_DENY, SC_DENY);
        return true;
    }
    if (HAS(deny_adjectives, w)) {
        set(q, k, k + 1, K_DENY, SC_CLAUSE);
        return true;
    }
    if (HAS(calling_verbs, w)) {
        for (uint32_t j = k + 1; j < c->end && j <= k + 12; j++) {
            if (strong_start(c, j)) {
                break;
            }
            if (IN(fake_words, c, j)) {
                set(q, k, j + 1, K_DENY, SC_DENY);
                q->ga = k + 1;
                q->gb = j;
                if (flag(c, j + 1, TF_QUOTE)) {
                    q->b = j + 2;
                }
                return true;
            }
        }
        if (!strncmp(w, "dismiss", 7)) {
            if (IN(claim_nouns, c, k + 1) ||
                (IN(claim_nouns, c, k + 2) && flag(c, k + 1, TF_WORD))) {
                set(q, k, k + 1, K_DENY, SC_DENY);
                return true;
            }
            for (uint32_t j = k + 1; j < c->end && j <= k + 8; j++) {
                if (is(c, j, "as")) {
                    set(q, k, j + 1, K_DENY, SC_DENY);
                    q->ga = k + 1;
                    q->gb = j;
                    return true;
                }
            }
        }
    }
    if (!strncmp(w, "reject", 6)) {
        for (uint32_t j = k + 1; j < c->end && j <= k + 3; j++) {
            if (IN(claim_nouns, c, j)) {
                set(q, k, j + 1, K_DENY, SC_DENY);
                q->ga = k + 1;
                q->gb = j;
                return true;
            }
        }
    }

    /* ---- negation ---- */
    if (!strcmp(w, "not") || !strcmp(w, "n't") || !strcmp(w, "never")) {
        if (is(c, k + 1, "only") || is(c, k + 1, "just") || is(c, k + 1, "least") ||
            is(c, k + 1, "merely") || is(c, k + 1, "unlike") || is(c, k + 1, "without") ||
            (is(c, k + 1, "more") && is(c, k + 2, "than")) ||
            (is(c, k + 1, "less") && is(c, k + 2, "than")) ||
            (is(c, k - 1, "or") && is(c, k - 2, "whether")) || is(c, k - 1, "if")) {
            return false;
        }
        for (uint32_t j = k + 1; j <= k + 2; j++) {
            if (is(c, j, "reluctant") || is(c, j, "unwilling") || is(c, j, "hesitate") ||
                is(c, j, "hesitant") || is(c, j, "averse") || is(c, j, "fail")) {
                return false;
            }
        }
        /* rhetorical "why can't": a question, not a negation */
        for (uint32_t j = k; j > c->first && j + 4 > k; j--) {
            if (is(c, j - 1, "why")) {
                set(q, k, k + 1, K_HYPO, SC_CLAUSE);
                return true;
            }
        }
        set(q, k, k + 1, K_NEG, SC_CLAUSE);
        return true;
    }
    if (!strcmp(w, "no")) {
        if (is(c, k + 1, "doubt") || is(c, k + 1, "matter") || is(c, k + 1, "choice") ||
            is(c, k + 1, "less") || is(c, k + 1, "more") || is(c, k + 1, "fewer") ||
            is(c, k + 1, "sooner") || is(c, k + 1, "wonder") || is(c, k + 1, "exception")) {
            return false;
        }
        set(q, k, is(c, k + 1, "longer") ? k + 2 : k + 1, K_NEG,
            is(c, k + 1, "longer") ? SC_CLAUSE : SC_RIGHT);
        return true;
    }
    if (!strcmp(w, "neither") || !strcmp(w, "nor") || !strcmp(w, "none") ||
        !strcmp(w, "nothing") || !strcmp(w, "nobody") || !strcmp(w, "without") ||
        !strcmp(w, "lacks") || !strcmp(w, "lacking")) {
        set(q, k, k + 1, K_NEG, SC_RIGHT);
        return true;
    }
    if (!strcmp(w, "cannot")) {
        set(q, k, k + 1, K_NEG, SC_CLAUSE);
        return true;
    }
    if ((!strcmp(w, "absence") || !strcmp(w, "lack")) && is(c, k + 1, "of")) {
        set(q, k, k + 2, K_NEG, SC_RIGHT);
        return true;
    }
    if ((!strncmp(w, "fail", 4) || !strncmp(w, "refus", 5) || !strncmp(w, "declin", 6) ||
         !strcmp(w, "unable")) &&
        is(c, k + 1, "to") && strcmp(w, "failure") != 0) {
        set(q, k, k + 2, K_NEG, SC_RIGHT);
        return true;
    }

    /* ---- hypothetical ---- */
    if (HAS(hypo_modals, w)) {
        if (!strcmp(w, "should") && (flag(c, k + 1, TF_CAP) || is(c, k + 1, "the"))) {
            set(q, k, k + 1, K_HYPO, SC_RIGHT); /* inverted conditional */
            return true;
        }
        set(q, k, k + 1, K_HYPO, SC_CLAUSE);
        return true;
    }
    if (!strcmp(w, "if") || !strcmp(w, "unless") || !strcmp(w, "whether")) {
        if (!strcmp(w, "if") && (is(c, k + 1, "only") || is(c, k + 1, "any") ||
                                 is(c, k + 1, "not"))) {
            return false;
        }
        set(q, k, k + 1, K_HYPO, SC_RIGHT);
        return true;
    }
    if (!strcmp(w, "in") && is(c, k + 1, "case")) {
        set(q, k, is(c, k + 2, "of") ? k + 3 : k + 2, K_HYPO, SC_RIGHT);
        return true;
    }
    if (!strcmp(w, "in") && is(c, k + 1, "the") && is(c, k + 2, "event") &&
        (is(c, k + 3, "of") || is(c, k + 3, "that"))) {
        set(q, k, k + 4, K_HYPO, SC_RIGHT);
        return true;
    }
    if ((!strcmp(w, "provided") || !strcmp(w, "assuming")) && is(c, k + 1, "that")) {
        set(q, k, k + 2, K_HYPO, SC_RIGHT);
        return true;
    }
    if (HAS(possibility_nouns, w)) {
        set(q, k, k + 1, K_HYPO, SC_RIGHT);
        return true;
    }
    if (HAS(possibility_adjs, w)) {
        set(q, k, k + 1, K_HYPO, SC_CLAUSE);
        return true;
    }
    if (HAS(question_adjs, w) || ((!strcmp(w, "not")) && 0)) {
        set(q, k, k + 1, K_QWORD, SC_ADVERB);
        return true;
    }

    /* ---- attribution ---- */
    if (!strcmp(w, "according") && is(c, k + 1, "to")) {
        set(q, k, k + 2, K_ATTRIB, SC_SEGMENT);
        q->spk = k + 2;
        uint32_t j = k + 2;
        while (j < c->end && j < k + 14 && !is(c, j, ",") && !strong_start(c, j)) {
            j++;
        }
        /* "according to the ambassador, Alexander Matsegora," keeps the apposition */
        if (is(c, j, ",") && flag(c, j + 1, TF_CAP)) {
            uint32_t m = j + 1;
            while (m < c->end && m < j + 5 && flag(c, m, TF_CAP)) {
                m++;
            }
            if (is(c, m, ",")) {
                j = m;
            }
        }
        q->b = j;
        return true;
    }
    if (HAS(attrib_adverbs, w)) {
        set(q, k, k + 1, K_ATTRIB, SC_ADVERB);
        q->unnamed = true;
        return true;
    }
    if (HAS(reporting_verbs, w) || (!strcmp(w, "pointed") && is(c, k + 1, "out"))) {
        if (!strcmp(w, "think") && is(c, k + 1, "tank")) {
            return false;
        }
        set(q, k, !strcmp(w, "pointed") ? k + 2 : k + 1, K_ATTRIB, SC_COMPL);
        if (is(c, q->b, "that")) {
            q->b++;
        }
        /* passive: "is said to", "was reported that", "are believed to" */
        if (IN(be_forms, c, k - 1) || (is(c, k - 1, "widely") && IN(be_forms, c, k - 2))) {
            q->unnamed = true;
            q->scope = is(c, k + 1, "to") ? SC_PASSIVE : SC_COMPL;
        }
        /* "as some reports allege": a parenthetical attribution */
        return true;
    }
    if (!strncmp(w, "accus", 5) || !strcmp(w, "blamed") || !strcmp(w, "blames")) {
        const char *prep = w[0] == 'a' ? "of" : "for";
        for (uint32_t j = k + 1; j < c->end && j <= k + 8; j++) {
            if (is(c, j, prep)) {
                set(q, k, k + 1, K_ATTRIB, SC_COMPL);
                q->pa = j; /* the content starts after the preposition */
                return true;
            }
            if (clause_start(c, j)) {
                break;
            }
        }
    }
    return false;
}

/* ---- scope ---- */

static bool governs(const struct cx *c, const struct cue *q, uint32_t head, uint32_t he) {
    /* "sent no troops", "sent neither troops nor money": the object's negation negates the act */
    if (q->kind == K_NEG && q->scope == SC_RIGHT && q->a >= he && q->a <= he + 1) {
        return true;
    }
    switch (q->scope) {
    case SC_CLAUSE:
        return same_clause(c, q->a, head);
    case SC_RIGHT:
        return head >= q->b && same_clause(c, q->a, head);
    case SC_PASSIVE:
        return same_clause(c, q->a, head) || (head >= q->b && same_segment(c, q->a, head));
    case SC_SEGMENT:
        return same_segment(c, q->a, head);
    case SC_ADVERB:
        return same_clause(c, q->a, head) || (head > q->a && same_segment(c, q->a, head) &&
                                              !in_subordinate(c, q->a));
    case SC_DENY:
        if (same_clause(c, q->a, head)) {
            return true;
        }
        return head >= q->b && same_segment(c, q->a, head) && !in_subordinate(c, q->a);
    case SC_COMPL: {
        uint32_t start = q->kind == K_ATTRIB && q->pa > q->a ? q->pa : q->b;
        if (head >= start) {
            if (!same_segment(c, q->a, head)) {
                return false;
            }
            if (in_subordinate(c, q->a)) {
                /* "As the diplomat suggested, X could ...": a fronted "as" clause governs
                 * the main clause after it; other fronted clauses only themselves */
                uint32_t f = clause_first(c, q->a);
                if (flag(c, f, TF_PUNCT)) {
                    f++;
                }
                if (is(c, f, "as") && is(c, clause_end(c, q->a), ",")) {
                    return true;
                }
                return same_clause(c, q->a, head);
            }
            return true;
        }
        if (head >= q->a) {
            return false;
        }
        /* postposed: "Russia sent troops, the ministry said (on Monday)." */
        uint32_t cf = clause_first(c, q->a);
        uint32_t after = 0;
        for (uint32_t j = q->b; j < c->end; j++) {
            if (flag(c, j, TF_WORD) || flag(c, j, TF_NUM)) {
                after++;
            }
            if (strong_start(c, j) || is(c, j, "that")) {
                return false;
            }
        }
        return cf > head && q->a - cf <= 7 && after <= 6 && same_segment(c, head, q->a);
    }
    }
    return false;
}

/* ---- speakers ---- */

static bool in_relative(const struct cx *c, uint32_t k) {
    uint32_t f = clause_first(c, k);
    if (is(c, f, ",")) {
        f++;
    }
    return is(c, f, "who") || is(c, f, "which") || is(c, f, "whose") || is(c, f, "whom");
}

/* The actor that says/claims/denies: for "according to", the first actor after "to";
 * otherwise the nearest actor before the cue (outside relative clauses and prepositional
 * phrases) unless an unnamed source noun ("analysts", "reports") or a pronoun is closer. */
static void speaker(const struct cx *c, const struct mod_input *in, const struct cue *q,
                    struct mod_result *out) {
    out->attrib_tok = TUMEN_NOID;
    if (q->unnamed) {
        memcpy(out->attributed_to, "---", 4);
        return;
    }
    const struct mod_actor *best = NULL;
    if (q->spk != TUMEN_NOID) {
        for (size_t i = 0; i < in->nactors; i++) {
            const struct mod_actor *a = &in->actors[i];
            if (a->first >= q->spk && a->first < q->b && (best == NULL || a->first < best->first)) {
                best = a;
            }
        }
        if (best == NULL && IN(pronouns, c, q->spk)) {
            out->attrib_pronoun = true;
        }
    } else {
        uint32_t lo = c->first;
        for (uint32_t j = q->a; j > c->first; j--) {
            if (strong_start(c, j) && j < q->a) {
                lo = j;
                break;
            }
        }
        /* postposed inverted: ", said the ministry" -> the actor right after the verb */
        uint32_t cf = clause_first(c, q->a);
        uint32_t words_after = 0;
        for (uint32_t j = q->b; j < c->end; j++) {
            words_after += flag(c, j, TF_WORD) ? 1u : 0u;
        }
        if (cf + 1 >= q->a && cf > c->first && words_after <= 5 && !in_relative(c, cf - 1)) {
            for (size_t i = 0; i < in->nactors; i++) {
                const struct mod_actor *a = &in->actors[i];
                if (a->first >= q->b && a->first <= q->b + 3 &&
                    (best == NULL || a->first < best->first)) {
                    best = a;
                }
            }
        }
        for (int pass = 0; pass < 2 && best == NULL; pass++) {
            for (size_t i = 0; i < in->nactors; i++) {
                const struct mod_actor *a = &in->actors[i];
                if (a->first < lo || a->first + a->n > q->a) {
                    continue;
                }
                if (pass == 0 && (in_relative(c, a->first) || IN(prepositions, c, a->first - 1))) {
                    continue;
                }
                if (best == NULL || a->first > best->first) {
                    best = a;
                }
            }
        }
        /* closer unnamed source or pronoun in the cue's clause */
        uint32_t stop = best ? best->first + best->n : clause_first(c, q->a);
        if (stop < lo) {
            stop = lo;
        }
        for (uint32_t j = q->a; j > stop; j--) {
            uint32_t i = j - 1;
            if (IN(unnamed_nouns, c, i) && q->a - i <= 3) {
                best = NULL;
                memcpy(out->attributed_to, "---", 4);
                return;
            }
            if (IN(pronouns, c, i) && !flag(c, i, TF_POSS) && same_clause(c, i, q->a)) {
                best = NULL;
                out->attrib_pronoun = true;
                break;
            }
            if (in_relative(c, i)) {
                continue;
            }
        }
    }
    if (best != NULL && best->code != NULL) {
        size_t n = strlen(best->code);
        if (n >= sizeof out->attributed_to) {
            n = sizeof out->attributed_to - 1;
        }
        memcpy(out->attributed_to, best->code, n);
        out->attributed_to[n] = '\0';
        out->attrib_tok = best->first;
    } else {
        memcpy(out->attributed_to, "---", 4);
    }
}

/* ---- classify ---- */

static tumen_span span_of(const struct cx *c, uint32_t a, uint32_t b) {
    tumen_span sp = {0, 0};
    if (b > a && b <= c->end) {
        const struct tok *t0 = &c->t->toks[a], *t1 = &c->t->toks[b - 1];
        sp.offset = t0->off;
        sp.length = (size_t)t1->off + t1->len - t0->off;
    }
    return sp;
}

static int rank(enum kind k) {
    switch (k) {
    case K_DENY:
        return 5;
    case K_NEG:
        return 4;
    case K_FORECAST:
        return 3;
    case K_HYPO:
    case K_QWORD:
        return 2;
    case K_ATTRIB:
        return 1;
    default:
        return 0;
    }
}

static uint32_t cue_dist(const struct cue *q, uint32_t head) {
    return q->a > head ? q->a - head + 1 : head - q->a;
}

/* "will" alone: any other hedge governing the same head says more. */
static bool plain_will(const struct cx *c, const struct cue *q) {
    return q->pb == q->pa + 1 && (is(c, q->pa, "will") || is(c, q->pa, "'ll") ||
                                  is(c, q->pa, "shall"));
}

static bool speech_act(const char *code) {
    if (code == NULL || strlen(code) < 2 || code[0] < '0' || code[0] > '9') {
        return false;
    }
    int r = (code[0] - '0') * 10 + (code[1] - '0');
    return (r >= 1 && r <= 5) || (r >= 10 && r <= 13);
}

/* Per-sentence memo of cue_at: a cue depends only on the sentence and the token, so the
 * coder, which classifies several events per sentence, computes each once. */
struct mod_cache {
    uint32_t first, n; /* the sentence the entries describe */
    bool valid;
    uint8_t *state;    /* 0 unknown, 1 no cue, 2 cue */
    struct cue *cues;
    size_t cap;
};

struct mod_cache *mod_cache_new(void) {
    return calloc(1, sizeof(struct mod_cache));
}

void mod_cache_free(struct mod_cache *mc) {
    if (mc == NULL) {
        return;
    }
    free(mc->state);
    free(mc->cues);
    free(mc);
}

void mod_cache_reset(struct mod_cache *mc) {
    if (mc != NULL) {
        mc->valid = false;
    }
}

static bool cue_cached(const struct cx *c, struct mod_cache *mc, uint32_t k, struct cue *q) {
    if (mc == NULL) {
        return cue_at(c, k, q);
    }
    if (!mc->valid || mc->first != c->first || mc->n != c->end - c->first) {
        size_t n = c->end - c->first;
        if (n > mc->cap) {
            uint8_t *st = realloc(mc->state, n);
            if (st == NULL) {
                return cue_at(c, k, q);
            }
            mc->state = st;
            struct cue *cs = realloc(mc->cues, n * sizeof *cs);
            if (cs == NULL) {
                return cue_at(c, k, q);
            }
            mc->cues = cs;
            mc->cap = n;
        }
        memset(mc->state, 0, n);
        mc->first = c->first;
        mc->n = (uint32_t)n;
        mc->valid = true;
    }
    uint32_t i = k - c->first;
    if (mc->state[i] == 0) {
        mc->state[i] = cue_at(c, k, &mc->cues[i]) ? 2 : 1;
    }
    if (mc->state[i] == 2) {
        *q = mc->cues[i];
        return true;
    }
    return false;
}

void modality_classify(const struct mod_input *in, struct mod_result *out) {
    memset(out, 0, sizeof *out);
    out->modality = TUMEN_ASSERTED;
    out->probability = -1;
    out->attrib_tok = TUMEN_NOID;
    const struct sent *s = in->s;
    struct cx c = {in->t, s, s->first, s->first + s->n};
    if (s->n == 0 || in->head < c.first || in->head >= c.end) {
        return;
    }
    uint32_t head = in->head, hn = in->head_n ? in->head_n : 1, he = head + hn;
    uint32_t wa = head - c.first > WINDOW ? head - WINDOW : c.first;
    uint32_t wb = c.end - head > WINDOW ? head + WINDOW : c.end;
    bool speech = speech_act(in->code);
    bool question = c.end > c.first && is(&c, c.end - 1, "?");
    if (!question && c.end >= c.first + 2 && is(&c, c.end - 2, "?") &&
        flag(&c, c.end - 1, TF_QUOTE)) {
        question = true;
    }

    struct cue best = {0}, attrib = {0}, forecast = {0}, qword = {0};
    bool have_best = false, have_attrib = false, have_fc = false, have_q = false;
    struct cue cands[64];
    size_t ncand = 0;
    for (uint32_t k = wa; k < wb; k++) {
        struct cue q;
        if (!cue_cached(&c, in->cache, k, &q)) {
            continue;
        }
        if (q.a < he && q.b > head && !(head >= q.ga && he <= q.gb)) {
            continue; /* the head itself ("accused", "denied" coded as the event) */
        }
        if (speech && q.a >= he) {
            continue; /* "X proposed talks that would ..." : the proposal is asserted */
        }
        if (!governs(&c, &q, head, he)) {
            continue;
        }
        if (ncand < 64) {
            cands[ncand++] = q;
        }
        if (q.kind == K_QWORD && (!have_q || cue_dist(&q, head) < cue_dist(&qword, head))) {
            qword = q;
            have_q = true;
        }
    }
    for (size_t i = 0; i < ncand; i++) {
        struct cue q = cands[i];
        if (q.kind == K_ATTRIB || q.kind == K_DENY) {
            if (!have_attrib || (q.kind == K_DENY && attrib.kind != K_DENY) ||
                (q.kind == attrib.kind && cue_dist(&q, head) < cue_dist(&attrib, head))) {
                attrib = q;
                have_attrib = true;
            }
        }
    }
    for (size_t i = 0; i < ncand; i++) {
        struct cue q = cands[i];
        if (q.kind == K_MAY) {
            bool perfect = is(&c, q.b, "have") || (is(&c, q.b, "well") && is(&c, q.b + 1, "have"));
            q.kind = (have_attrib && attrib.kind == K_ATTRIB) || perfect || question ? K_HYPO
                                                                                   : K_FORECAST;
        }
        if (q.kind == K_FORECAST && (question || (have_q && q.a > qword.a))) {
            q.kind = K_HYPO; /* "Will Russia ...?", "it is unknown when ... will" */
        }
        /* the leftmost hedge governs the others: "unlikely that X will" -> "unlikely" */
        if (q.kind == K_FORECAST &&
            (!have_fc || (plain_will(&c, &forecast) && !plain_will(&c, &q)) ||
             (plain_will(&c, &forecast) == plain_will(&c, &q) && q.a < forecast.a))) {
            forecast = q;
            have_fc = true;
        }
        if (!have_best || rank(q.kind) > rank(best.kind) ||
            (rank(q.kind) == rank(best.kind) && cue_dist(&q, head) < cue_dist(&best, head))) {
            best = q;
            have_best = true;
        }
    }
    if (question && (!have_best || rank(best.kind) < rank(K_HYPO))) {
        /* a question: the last clause of the sentence is open */
        uint32_t cf = clause_first(&c, c.end - 1);
        if (head >= cf) {
            set(&best, c.end - 1, c.end, K_HYPO, SC_CLAUSE);
            have_best = true;
        }
    }
    if (!have_best) {
        return;
    }
    switch (best.kind) {
    case K_DENY:
        out->modality = TUMEN_DENIED;
        break;
    case K_NEG:
        out->modality = TUMEN_NEGATED;
        break;
    case K_FORECAST:
        out->modality = TUMEN_FORECAST;
        break;
    case K_HYPO:
    case K_QWORD:
        out->modality = TUMEN_HYPOTHETICAL;
        break;
    case K_ATTRIB:
        out->modality = TUMEN_REPORTED;
        break;
    default:
        break;
    }
    out->mod_cue = span_of(&c, best.a, best.b);
    out->cue = out->mod_cue;
    {
        uint32_t lo = best.a < head ? best.a : head, hi = best.a < head ? he : best.b;
        out->scope = span_of(&c, lo, hi);
    }
    if (have_attrib) {
        out->cue = span_of(&c, attrib.a, attrib.b);
        speaker(&c, in, &attrib, out);
    }
    if (out->modality == TUMEN_FORECAST) {
        const struct cue *f = have_fc ? &forecast : &best;
        out->prob_words = span_of(&c, f->pa, f->pb);
        /* look up the words, leaving out "is"/"are" and "there are" */
        uint32_t a = f->pa;
        while (a < f->pb && (IN(be_forms, &c, a) || is(&c, a, "there"))) {
            a++;
        }
        for (; a < f->pb && out->probability < 0; a++) {
            char phrase[96];
            size_t len = 0;
            bool fits = true;
            for (uint32_t j = a; j < f->pb; j++) {
                const char *w = nm(&c, j);
                size_t l = strlen(w);
                if (len + l + 2 > sizeof phrase) {
                    fits = false;
                    break;
                }
                if (len > 0) {
                    phrase[len++] = ' ';
                }
                memcpy(phrase + len, w, l);
                len += l;
            }
            phrase[len] = '\0';
            if (fits) {
                out->probability = modality_wep_lookup(phrase);
            }
        }
    }
}
