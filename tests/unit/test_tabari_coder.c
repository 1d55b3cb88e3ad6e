/* TABARI-compatible engine: default source/target, paired codes, verb endings, nouns after
 * determiners, agents, compounds, passive voice, comma clauses, subordinate codes, and the
 * per-record options (DEFAULT, CODE BY). Tiny dictionaries written to a temporary folder. */
#include "dict_tabari.h"
#include "harness.h"
#include "tabari_coder.h"

#include <unistd.h>

static const char *ACTORS = "ARNOR [ARN]\n"
                            "GONDOR [GON]\n"
                            "ROHAN_ [ROH]\n"
                            "LORIEN [ELR/GAL]\n"
                            "SOCCER [###]\n"
                            "<ADJECTIVE>\nEVIL\n</ADJECTIVE>\n";
static const char *AGENTS = "PRESIDENT_ [~GOVPRS]\nPOLICE_ [~COP]\n";
static const char *VERBS = "ACCUSE_ [112]\n"
                           "ATTACK [190]\n"
                           "- * PLANES [195]\n"
                           "LEFT_ [032:033]\n"
                           "MEET [031:031]\n"
                           "SAID [023?]\n"
                           "- * $ ACCUSE [111]\n"
                           "OPPOS [120]\n";

static tumen_dict *dict;

static struct tabari_engine *engine(const char *const *lines, size_t n) {
    struct tabari_options o;
    tabari_options_init(&o);
    for (size_t i = 0; i < n; i++) {
        size_t col;
        ASSERT_EQ_INT(tabari_options_line(&o, lines[i], strlen(lines[i]), &col), TUMEN_OK);
    }
    struct tabari_engine *e = NULL;
    ASSERT_EQ_INT(tabari_engine_new(dict, &o, &e), TUMEN_OK);
    return e;
}

struct got {
    char s[512];
};

static int on_event(void *ctx, const tumen_event *ev) {
    struct got *g = ctx;
    size_t n = strlen(g->s);
    snprintf(g->s + n, sizeof g->s - n, "%s%s/%s/%s", n ? " " : "", ev->source, ev->target,
             ev->code);
    return 0;
}

static const char *code(struct tabari_engine *e, const char *text) {
    static struct got g;
    g.s[0] = '\0';
    tumen_doc doc = {"t", text, strlen(text), "1995-01-01", NULL, NULL};
    uint64_t ns = 0;
    tumen_error err;
    ASSERT_EQ_INT(tabari_engine_code_ex(e, &doc, true, on_event, &g, &ns, &err, NULL), TUMEN_OK);
    return g.s;
}

TEST(basic_rules) {
    struct tabari_engine *e = engine(NULL, 0);
    ASSERT_EQ_STR(code(e, "Arnor accused Gondor of many things on Monday in the capital."),
                  "ARN/GON/112");
    /* paired code; the agent after the actor */
    ASSERT_EQ_STR(code(e, "Arnor President Tom left for Gondor on Monday for long talks."),
                  "ARNGOVPRS/GON/032 GON/ARNGOVPRS/033");
    /* a verb after a determiner is a noun: no event from "the attack" */
    ASSERT_EQ_STR(code(e, "Arnor saw the attack on Gondor on Monday in the capital city."), "");
    /* longer pattern first */
    ASSERT_EQ_STR(code(e, "Arnor attacked planes of Gondor on Monday in the capital city."),
                  "ARN/GON/195");
    /* endings: ACCUSE_ takes -S, not -X */
    ASSERT_EQ_STR(code(e, "Arnor accusex Gondor of many things on Monday in the capital."), "");
    /* coded compound target */
    ASSERT_EQ_STR(code(e, "Arnor accused Lorien of many things on Monday in the capital."),
                  "ARN/ELR/112 ARN/GAL/112");
    /* parsed compound source with adjective */
    ASSERT_EQ_STR(code(e, "Arnor and evil Rohan accused Gondor of many things on Monday."),
                  "ARN/GON/112 ROH/GON/112");
    /* passive voice */
    ASSERT_EQ_STR(code(e, "Arnor was opposed by Gondor on Monday in the capital city."),
                  "GON/ARN/120");
    /* subordinate SAID gives way; $ slot takes the pronoun */
    ASSERT_EQ_STR(code(e, "Arnor said it would accuse Gondor of many things on Monday."),
                  "ARN/GON/111");
    /* discard actor */
    ASSERT_EQ_STR(code(e, "Arnor accused Gondor of cheating at soccer on Monday night."), "");
    /* comma clause dropped: Rohan is not the target */
    ASSERT_EQ_STR(code(e, "Arnor, which some say sided with Rohan, accused Gondor of many "
                          "serious crimes on Monday in the capital city."),
                  "ARN/GON/112");
    tabari_engine_free(e);
}

TEST(options) {
    const char *def[] = {"DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER"};
    struct tabari_engine *e = engine(def, 1);
    ASSERT_EQ_STR(code(e, "They accused everyone of many things on Monday in the capital."),
                  "DEFSRC/DEFTAR/112");
    const char *all[] = {"SET: CODE ALL"};
    struct tabari_options o;
    tabari_options_init(&o);
    size_t col;
    ASSERT_EQ_INT(tabari_options_line(&o, all[0], strlen(all[0]), &col), TUMEN_OK);
    tabari_engine_set_options(e, &o);
    ASSERT_EQ_STR(code(e, "Arnor accused Gondor and opposed Rohan on Monday in the capital."),
                  "ARN/GON/112 ARN/ROH/120");
    const char *minw[] = {"SET: MINIMUM WORDS = 20"};
    tabari_options_init(&o);
    ASSERT_EQ_INT(tabari_options_line(&o, minw[0], strlen(minw[0]), &col), TUMEN_OK);
    tabari_engine_set_options(e, &o);
    ASSERT_EQ_STR(code(e, "Arnor accused Gondor of many things on Monday in the capital."), "");
    tabari_engine_free(e);
}

int main(void) {
    tumen_error err;
    if (tumen_dict_new(&dict) != TUMEN_OK ||
        tumen_dict_load(dict, harness_write_file("t.actors", ACTORS), TUMEN_DICT_TABARI, &err) !=
            TUMEN_OK ||
        tumen_dict_load(dict, harness_write_file("t.agents", AGENTS), TUMEN_DICT_TABARI, &err) !=
            TUMEN_OK ||
        tumen_dict_load(dict, harness_write_file("t.verbs", VERBS), TUMEN_DICT_TABARI, &err) !=
            TUMEN_OK ||
        tumen_dict_finish(dict, &err) != TUMEN_OK) {
        fprintf(stderr, "cannot load the test dictionaries: %s\n", err.msg);
        return 1;
    }
    RUN(basic_rules);
    RUN(options);
    tumen_dict_free(dict);
    return harness_summary();
}
