/* Unit tests for src/lib/modality.c: every modality, cue scope per clause, precedence,
 * attribution (named, unnamed, pronoun), speech acts, forecasts with WEP probabilities, and
 * the C table against data/wep.tsv. Sentences are our own. */
#include "harness.h"
#include "modality.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doc {
    struct text t;
    const char *s;
    struct mod_actor actors[8];
    size_t nactors;
};

static void load(struct doc *d, const char *s) {
    memset(d, 0, sizeof *d);
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
    fprintf(stderr, "no token \"%s\" in: %s\n", w, d->s);
    return TUMEN_NOID;
}

/* Adds an actor mention: the first occurrence of word w, n tokens long. */
static void actor(struct doc *d, const char *w, uint32_t n, const char *code) {
    uint32_t k = tok(d, w, 0);
    ASSERT_NE_INT(k, TUMEN_NOID);
    d->actors[d->nactors++] = (struct mod_actor){k, n, code};
}

static struct mod_result classify(struct doc *d, const char *headword, const char *code) {
    uint32_t h = tok(d, headword, 0);
    ASSERT_NE_INT(h, TUMEN_NOID);
    struct mod_input in = {&d->t, &d->t.sents[0], d->s, h, 1, TUMEN_NOID, TUMEN_NOID,
                           d->actors, d->nactors, code};
    struct mod_result r;
    modality_classify(&in, &r);
    return r;
}

static void span_is(const struct doc *d, tumen_span sp, const char *want) {
    if (sp.length != strlen(want) || memcmp(d->s + sp.offset, want, sp.length) != 0) {
        fprintf(stderr, "span \"%.*s\" != \"%s\"\n", (int)sp.length, d->s + sp.offset, want);
    }
    ASSERT_EQ_UINT(sp.length, strlen(want));
    ASSERT_EQ_MEM(d->s + sp.offset, want, sp.length);
}

#define MOD(r) tumen_modality_name((r).modality)

/* Shorthand: sentence, head word, code -> modality name. */
static void expect(const char *s, const char *head, const char *code, const char *modality) {
    struct doc d;
    load(&d, s);
    struct mod_result r = classify(&d, head, code);
    if (strcmp(MOD(r), modality) != 0) {
        fprintf(stderr, "sentence: %s  head: %s\n", s, head);
    }
    ASSERT_EQ_STR(MOD(r), modality);
    text_fini(&d.t);
}

/* ---- tables ---- */

TEST(tables_sorted) {
    ASSERT_TRUE(modality_tables_sorted());
}

TEST(wep_table_equals_tsv) {
    const char *path = TUMEN_SOURCE_DIR "/data/wep.tsv";
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        SKIP_TEST("data/wep.tsv not readable");
    }
    size_t n;
    const struct wep_entry *tab = modality_wep_table(&n);
    char line[512];
    size_t i = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        char *tab1 = strchr(line, '\t');
        ASSERT_NOT_NULL(tab1);
        *tab1 = '\0';
        char *end;
        double p = strtod(tab1 + 1, &end);
        ASSERT_TRUE(end != tab1 + 1);
        ASSERT_TRUE(i < n);
        ASSERT_EQ_STR(tab[i].phrase, line);
        ASSERT_NEAR(tab[i].p, p, 1e-12);
        ASSERT_TRUE(p >= 0 && p <= 1);
        i++;
    }
    fclose(f);
    ASSERT_EQ_UINT(i, n);
}

TEST(wep_lookup) {
    ASSERT_NEAR(modality_wep_lookup("almost certainly"), 0.95, 1e-12);
    ASSERT_NEAR(modality_wep_lookup("very likely"), 0.85, 1e-12);
    ASSERT_NEAR(modality_wep_lookup("likely"), 0.7, 1e-12);
    ASSERT_NEAR(modality_wep_lookup("unlikely"), 0.2, 1e-12);
    ASSERT_NEAR(modality_wep_lookup("highly unlikely"), 0.1, 1e-12);
    ASSERT_NEAR(modality_wep_lookup("extremely unlikely"), 0.05, 1e-12);
    ASSERT_NEAR(modality_wep_lookup("will"), 0.9, 1e-12);
    ASSERT_NEAR(modality_wep_lookup("no such words"), -1, 0);
}

/* ---- per clause ---- */

TEST(per_clause) {
    struct doc d;
    load(&d, "Iran has shipped drones to Russia and may send missiles.");
    struct mod_result r = classify(&d, "shipped", "072");
    ASSERT_EQ_STR(MOD(r), "asserted");
    ASSERT_EQ_UINT(r.cue.length, 0);
    ASSERT_NEAR(r.probability, -1, 0);
    r = classify(&d, "send", "072");
    ASSERT_EQ_STR(MOD(r), "forecast");
    span_is(&d, r.prob_words, "may");
    ASSERT_NEAR(r.probability, 0.4, 1e-12);
    text_fini(&d.t);

    expect("Minsk hosted the drills, but Astana could send observers.", "hosted", "042",
           "asserted");
    expect("Minsk hosted the drills, but Astana could send observers.", "send", "042",
           "hypothetical");
    /* a relative clause keeps its modal to itself */
    expect("Moscow's invasion created a world in which Pyongyang may become an ally.",
           "invasion", "190", "asserted");
}

/* ---- hypothetical ---- */

TEST(hypothetical_modals_and_conditions) {
    expect("Belgrade can supply the spare parts.", "supply", "062", "hypothetical");
    expect("Any arms sale to Yangon would breach the embargo.", "breach", "128",
           "hypothetical");
    expect("If Ankara buys the jets, Washington will impose sanctions.", "buys", "062",
           "hypothetical");
    expect("If Ankara buys the jets, Washington will impose sanctions.", "impose", "163",
           "forecast");
    expect("Seoul would respond in case Pyongyang attacks the island.", "attacks", "190",
           "hypothetical");
    expect("Hanoi will not sign unless Beijing withdraws its ships.", "withdraws", "0874",
           "hypothetical");
    expect("The pact may collapse should Kyiv and Moscow sign a truce.", "sign", "057",
           "hypothetical");
    expect("The pact may collapse should Kyiv and Moscow sign a truce.", "collapse", "16",
           "forecast");
    expect("Iran may have supplied the drones.", "supplied", "072", "hypothetical");
    expect("Another possible option is a barter of oil for labour.", "barter", "061",
           "hypothetical");
}

TEST(hypothetical_possibility_nouns) {
    /* the noun governs what follows it, not the verb before it */
    expect("Officials discussed the possibility of Tehran sending engineers.", "sending",
           "061", "hypothetical");
    expect("Officials discussed the possibility of Tehran sending engineers.", "discussed",
           "040", "asserted");
    expect("Diplomats weighed the prospect of Baku joining the bloc.", "joining", "057",
           "hypothetical");
}

TEST(hypothetical_questions) {
    expect("Will Tokyo lift the sanctions?", "lift", "081", "hypothetical");
    expect("Why can't Havana buy oil from Caracas?", "buy", "061", "hypothetical");
    expect("It is unclear whether Cairo will buy the wheat.", "buy", "061", "hypothetical");
    expect("It remains unknown when the ferries will resume.", "resume", "061",
           "hypothetical");
}

/* ---- negation ---- */

TEST(negated) {
    struct doc d;
    load(&d, "Baku did not recognize the vote.");
    struct mod_result r = classify(&d, "recognize", "054");
    ASSERT_EQ_STR(MOD(r), "negated");
    span_is(&d, r.cue, "not");
    text_fini(&d.t);
    expect("Baku doesn't recognize the vote.", "recognize", "054", "negated");
    expect("Baku never recognized the vote.", "recognized", "054", "negated");
    expect("Yerevan refused to sign the accord.", "sign", "057", "negated");
    expect("Yerevan failed to ratify the accord.", "ratify", "057", "negated");
    expect("Analysts noted the complete absence of joint patrols.", "patrols", "062",
           "negated");
    expect("Mongolia lacks any defence ties with Tokyo.", "ties", "062", "negated");
    expect("Tbilisi acted without consulting Brussels.", "consulting", "040", "negated");
    expect("Tbilisi acted without consulting Brussels.", "acted", "010", "asserted");
    expect("Kazakhstan sent neither troops nor money.", "sent", "072", "negated");
    expect("Oslo sent no troops to the mission.", "sent", "074", "negated");
    expect("Qatar is no longer a partner of Riyadh.", "partner", "050", "negated");
}

TEST(not_negation) {
    expect("Lithuania was not reluctant to back the sanctions.", "back", "163", "asserted");
    expect("Georgia not only condemned the strike but also expelled the envoy.", "condemned",
           "111", "asserted");
    expect("Minsk had no choice but to host the troops.", "host", "074", "asserted");
    expect("Compliance may end, if only because Hanoi itself faces sanctions.", "faces",
           "163", "asserted");
    expect("The letters expressed the will to deepen ties.", "deepen", "032", "asserted");
}

/* ---- denial ---- */

TEST(denied) {
    struct doc d;
    load(&d, "The Kremlin denied sending mercenaries to Mali.");
    actor(&d, "kremlin", 1, "RUSGOV");
    struct mod_result r = classify(&d, "sending", "074");
    ASSERT_EQ_STR(MOD(r), "denied");
    ASSERT_EQ_STR(r.attributed_to, "RUSGOV");
    span_is(&d, r.cue, "denied");
    text_fini(&d.t);

    load(&d, "Tehran called the reports of arms shipments a \"pure fabrication\".");
    actor(&d, "tehran", 1, "IRN");
    r = classify(&d, "shipments", "072");
    ASSERT_EQ_STR(MOD(r), "denied");
    ASSERT_EQ_STR(r.attributed_to, "IRN");
    span_is(&d, r.cue, "called the reports of arms shipments a \"pure fabrication\"");
    text_fini(&d.t);

    load(&d, "Caracas rejected claims that it hosted the fighters.");
    actor(&d, "caracas", 1, "VEN");
    r = classify(&d, "hosted", "074");
    ASSERT_EQ_STR(MOD(r), "denied");
    ASSERT_EQ_STR(r.attributed_to, "VEN");
    text_fini(&d.t);

    load(&d, "Beijing dismissed the story of a naval base as Western propaganda.");
    actor(&d, "beijing", 1, "CHN");
    r = classify(&d, "base", "062");
    ASSERT_EQ_STR(MOD(r), "denied");
    text_fini(&d.t);

    /* the denial stays in its fronted clause */
    load(&d, "Whereas Moscow denies sending troops, it openly trains the pilots.");
    actor(&d, "moscow", 1, "RUS");
    r = classify(&d, "sending", "074");
    ASSERT_EQ_STR(MOD(r), "denied");
    r = classify(&d, "trains", "062");
    ASSERT_EQ_STR(MOD(r), "asserted");
    text_fini(&d.t);
}

/* ---- attribution ---- */

TEST(reported_named) {
    struct doc d;
    load(&d, "According to Ukrainian intelligence, Belarus has moved 900 tanks north.");
    actor(&d, "ukrainian", 2, "UKRMIL");
    actor(&d, "belarus", 1, "BLR");
    struct mod_result r = classify(&d, "moved", "154");
    ASSERT_EQ_STR(MOD(r), "reported");
    ASSERT_EQ_STR(r.attributed_to, "UKRMIL");
    span_is(&d, r.cue, "According to Ukrainian intelligence");
    text_fini(&d.t);

    load(&d, "The Pentagon claims Moscow has asked Pyongyang for shells.");
    actor(&d, "pentagon", 1, "USAMIL");
    actor(&d, "moscow", 1, "RUS");
    actor(&d, "pyongyang", 1, "PRK");
    r = classify(&d, "asked", "0232");
    ASSERT_EQ_STR(MOD(r), "reported");
    ASSERT_EQ_STR(r.attributed_to, "USAMIL");
    /* the claim itself is the Pentagon's asserted act */
    r = classify(&d, "claims", "112");
    ASSERT_EQ_STR(MOD(r), "asserted");
    ASSERT_EQ_STR(r.attributed_to, "");
    text_fini(&d.t);

    /* the speaker, not the actor in its relative clause */
    load(&d, "The minister, who visited Cairo last week, said Jordan will buy the gas.");
    actor(&d, "minister", 1, "ISRGOV");
    actor(&d, "cairo", 1, "EGY");
    actor(&d, "jordan", 1, "JOR");
    r = classify(&d, "buy", "061");
    ASSERT_EQ_STR(MOD(r), "forecast");
    ASSERT_EQ_STR(r.attributed_to, "ISRGOV");
    text_fini(&d.t);

    /* postposed speaker */
    load(&d, "Ankara supplied the rifles, the ministry said on Monday.");
    actor(&d, "ankara", 1, "TUR");
    actor(&d, "ministry", 1, "TURGOV");
    r = classify(&d, "supplied", "072");
    ASSERT_EQ_STR(MOD(r), "reported");
    ASSERT_EQ_STR(r.attributed_to, "TURGOV");
    text_fini(&d.t);

    /* accusation: the act is asserted, the content reported */
    load(&d, "Ukraine accused Russia of shelling the plant.");
    actor(&d, "ukraine", 1, "UKR");
    actor(&d, "russia", 1, "RUS");
    r = classify(&d, "shelling", "195");
    ASSERT_EQ_STR(MOD(r), "reported");
    ASSERT_EQ_STR(r.attributed_to, "UKR");
    r = classify(&d, "accused", "112");
    ASSERT_EQ_STR(MOD(r), "asserted");
    text_fini(&d.t);
}

TEST(reported_unnamed) {
    struct doc d;
    load(&d, "Reportedly, Tehran has delivered drones and trained the crews.");
    actor(&d, "tehran", 1, "IRN");
    struct mod_result r = classify(&d, "delivered", "072");
    ASSERT_EQ_STR(MOD(r), "reported");
    ASSERT_EQ_STR(r.attributed_to, "---");
    span_is(&d, r.cue, "Reportedly");
    r = classify(&d, "trained", "062");
    ASSERT_EQ_STR(MOD(r), "reported");
    text_fini(&d.t);

    load(&d, "Hungary allegedly blocked the loan, but the vote went ahead.");
    actor(&d, "hungary", 1, "HUN");
    r = classify(&d, "blocked", "163");
    ASSERT_EQ_STR(MOD(r), "reported");
    ASSERT_EQ_STR(r.attributed_to, "---");
    r = classify(&d, "went", "010");
    ASSERT_EQ_STR(MOD(r), "asserted");
    text_fini(&d.t);

    load(&d, "Some analysts say Riyadh is buying Chinese missiles.");
    actor(&d, "riyadh", 1, "SAU");
    r = classify(&d, "buying", "062");
    ASSERT_EQ_STR(MOD(r), "reported");
    ASSERT_EQ_STR(r.attributed_to, "---");
    text_fini(&d.t);

    /* the adverb in a later clause does not govern the main verb */
    expect("Minsk sent troops to the border, reportedly about 2,000 of them.", "sent", "074",
           "asserted");
}

TEST(reported_pronoun_and_hypothetical_attribution) {
    struct doc d;
    load(&d, "According to him, Laotian workers may be invited to Kazan.");
    struct mod_result r = classify(&d, "invited", "061");
    ASSERT_EQ_STR(MOD(r), "hypothetical"); /* a possibility voiced by someone else */
    ASSERT_EQ_STR(r.attributed_to, "---");
    ASSERT_TRUE(r.attrib_pronoun);
    text_fini(&d.t);

    load(&d, "As the envoy suggested, Vietnamese workers could rebuild the plant.");
    actor(&d, "envoy", 1, "RUSGOV");
    r = classify(&d, "rebuild", "061");
    ASSERT_EQ_STR(MOD(r), "hypothetical");
    ASSERT_EQ_STR(r.attributed_to, "RUSGOV");
    span_is(&d, r.cue, "suggested");
    text_fini(&d.t);
}

TEST(speech_acts_are_asserted) {
    expect("Seoul proposed talks that would ease tensions.", "proposed", "036", "asserted");
    expect("Warsaw condemned the strike and would expel diplomats.", "condemned", "111",
           "asserted");
    /* but a cue before the speech act governs it */
    expect("Seoul will propose talks.", "propose", "036", "forecast");
}

/* ---- forecasts ---- */

static void forecast(const char *s, const char *head, const char *words, double p) {
    struct doc d;
    load(&d, s);
    struct mod_result r = classify(&d, head, "050");
    if (strcmp(MOD(r), "forecast") != 0) {
        fprintf(stderr, "sentence: %s\n", s);
    }
    ASSERT_EQ_STR(MOD(r), "forecast");
    span_is(&d, r.prob_words, words);
    ASSERT_NEAR(r.probability, p, 1e-12);
    text_fini(&d.t);
}

TEST(forecasts_with_probability) {
    forecast("Moscow is unlikely to cut ties with Pyongyang.", "cut", "unlikely", 0.2);
    forecast("It is extremely unlikely that Sofia would expel the envoy.", "expel",
             "extremely unlikely", 0.05);
    forecast("It is highly unlikely Rome will host the talks.", "host", "highly unlikely", 0.1);
    forecast("Minsk is set to host the drills.", "host", "is set to", 0.9);
    forecast("Warsaw will need to buy more shells.", "buy", "will need to", 0.9);
    forecast("Quito is expected to sign the pact.", "sign", "is expected to", 0.75);
    forecast("Hanoi is very likely to join the bloc.", "join", "very likely", 0.85);
    forecast("Lima will almost certainly recall its envoy.", "recall", "almost certainly",
             0.95);
    forecast("The two navies are on the verge of a clash.", "clash", "on the verge of", 0.85);
    forecast("Their bond is more likely to be a loose alignment.", "alignment", "more likely",
             0.6);
    forecast("There are reasons to believe the border will reopen soon.", "reopen",
             "reasons to believe", 0.6);
    forecast("Tokyo probably will lift the ban.", "lift", "probably", 0.7);
    forecast("Ottawa is going to expand the mission.", "expand", "is going to", 0.9);
}

TEST(precedence) {
    /* denied > negated > forecast > hypothetical > reported */
    expect("Officials said Kabul will not reopen the crossing.", "reopen", "081", "negated");
    expect("Officials said Kabul will reopen the crossing.", "reopen", "081", "forecast");
    expect("Officials said Kabul could reopen the crossing.", "reopen", "081", "hypothetical");
    expect("Officials said Kabul reopened the crossing.", "reopened", "081", "reported");
    expect("Kabul denied it would never reopen the crossing.", "reopen", "081", "denied");
}

TEST(robust_inputs) {
    struct doc d;
    load(&d, "Russia sent troops.");
    struct mod_input in = {&d.t, &d.t.sents[0], d.s, 999, 1, TUMEN_NOID, TUMEN_NOID,
                           NULL, 0, NULL};
    struct mod_result r;
    modality_classify(&in, &r); /* head outside the sentence */
    ASSERT_EQ_STR(MOD(r), "asserted");
    in.head = tok(&d, "sent", 0);
    modality_classify(&in, &r);
    ASSERT_EQ_STR(MOD(r), "asserted");
    ASSERT_EQ_STR(r.attributed_to, "");
    text_fini(&d.t);
}

int main(void) {
    RUN(tables_sorted);
    RUN(wep_table_equals_tsv);
    RUN(wep_lookup);
    RUN(per_clause);
    RUN(hypothetical_modals_and_conditions);
    RUN(hypothetical_possibility_nouns);
    RUN(hypothetical_questions);
    RUN(negated);
    RUN(not_negation);
    RUN(denied);
    RUN(reported_named);
    RUN(reported_unnamed);
    RUN(reported_pronoun_and_hypothetical_attribution);
    RUN(speech_acts_are_asserted);
    RUN(forecasts_with_probability);
    RUN(precedence);
    RUN(robust_inputs);
    return harness_summary();
}
