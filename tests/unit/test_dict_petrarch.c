/* PETRARCH loader: verb blocks with synsets and plurals, multiword verbs, patterns with noun
 * and prepositional phrases, paired codes; actors with tab-indented dates; agents with
 * plurals and substitution markers; discards; issues; warnings and errors with positions;
 * the Phoenix set in ../shared when present. */
#include "dict_tabari.h"
#include "harness.h"

#include <unistd.h>

static tumen_dict *load(const char *name, const char *text, tumen_status *st, tumen_error *e,
                        const struct dict_warner *w) {
    const char *path = harness_write_file(name, text);
    if (path == NULL) {
        return NULL;
    }
    tumen_dict *d = NULL;
    if (tumen_dict_new(&d) != TUMEN_OK) {
        return NULL;
    }
    memset(e, 0, sizeof *e);
    *st = dict_load_petrarch_ex(d, path, w, e);
    return d;
}

static const char *word(const tumen_dict *d, uint32_t id) {
    return intern_str(&d->words, id);
}

TEST(verbs) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("CAMEO.test.txt",
                         "&CURRENCY\n+DOLLAR\n+CASH_\n\n&AUX_\n+WILL\n\n"
                         "---  ACCELERATE   [---]  ---\n"
                         "ACCELERATE\n"
                         "HURRY {HURRIES HURRYING HURRIED }\n"
                         "+BEEF_UP\n"
                         "- * (TO)                [042:043]     # RUSH\n"
                         "- * {RELIEF ASSISTANCE}  [073]\n"
                         "- * POLICE (TO BORDER)   [153]\n"
                         "- &AUX * &CURRENCY       [070]\n"
                         "- * (TO/FOR PROTEST)     [141]\n"
                         "~ a (a b ATTACK) SAY = a b 015\n",
                         &st, &e, NULL);
    ASSERT_EQ_INT(st, TUMEN_OK);
    ASSERT_EQ_UINT(d->nsets, 3); /* two synsets, one "TO/FOR" */
    ASSERT_EQ_UINT(d->sets[0].nalts, 3); /* dollar, dollars, cash (no plural: '_') */
    ASSERT_EQ_UINT(d->sets[1].nalts, 1); /* label ends with '_': no plurals */
    ASSERT_EQ_UINT(d->nforms, 3);        /* hurry's irregular forms */
    ASSERT_EQ_STR(word(d, d->forms[0].surface), "hurries");
    /* heads: accelerate, hurry, beef up + beefs/beefed/beefing up = 6; each 1 + 5 patterns */
    ASSERT_EQ_UINT(d->nverbs, 6 * 6);
    const struct vpattern *v = &d->verbs[1];
    ASSERT_EQ_STR(v->code, "042:043");
    ASSERT_EQ_UINT(v->npost, 1);
    ASSERT_EQ_STR(word(d, v->post[0].value), "to");
    v = &d->verbs[2];
    ASSERT_EQ_UINT(v->npost, 2);
    ASSERT_FALSE(v->post[1].flags & PW_GAP); /* {RELIEF ASSISTANCE}: consecutive */
    v = &d->verbs[4];
    ASSERT_EQ_UINT(v->npre, 1);
    ASSERT_EQ_INT(v->pre[0].kind, VE_SET);
    ASSERT_EQ_INT(v->post[0].kind, VE_SET);
    const struct vpattern *beef = &d->verbs[2 * 6];
    ASSERT_EQ_UINT(beef->head.n, 2);
    ASSERT_EQ_STR(word(d, beef->head.w[0]), "beef");
    ASSERT_EQ_STR(word(d, d->verbs[3 * 6].head.w[0]), "beefs");
    ASSERT_TRUE(d->verbs[0].flags & VP_NULL);
    tumen_dict_free(d);
}

TEST(verb_errors) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("x.verbs.txt", "ACCELERATE\n", &st, &e, NULL);
    ASSERT_EQ_INT(st, TUMEN_SYNTAX);
    ASSERT_EQ_UINT(e.line, 1);
    ASSERT_EQ_UINT(e.col, 1);
    tumen_dict_free(d);
    d = load("y.verbs.txt", "--- X [010] ---\nX [0101010101]\n", &st, &e, NULL);
    ASSERT_EQ_INT(st, TUMEN_LIMIT);
    ASSERT_EQ_UINT(e.line, 2);
    tumen_dict_free(d);
}

static void count_warn(void *ctx, const char *file, uint64_t line, uint64_t col,
                       const char *msg) {
    (void)file, (void)col, (void)msg;
    uint64_t *w = ctx;
    w[0]++;
    w[1] = line;
}

TEST(pattern_warnings) {
    tumen_status st;
    tumen_error e;
    uint64_t w[2] = {0, 0};
    struct dict_warner wr = {count_warn, w};
    tumen_dict *d = load("z.verbs.txt", "--- X [010] ---\nX\n- * &NOPE [020]\n- * A [030]\n",
                         &st, &e, &wr);
    ASSERT_EQ_INT(st, TUMEN_OK); /* PETRARCH ignores a pattern with an undefined synset */
    ASSERT_EQ_UINT(w[0], 1);
    ASSERT_EQ_UINT(w[1], 3);
    ASSERT_EQ_UINT(d->nverbs, 2);
    tumen_dict_free(d);
}

TEST(actors) {
    tumen_status st;
    tumen_error e;
    uint64_t w[2] = {0, 0};
    struct dict_warner wr = {count_warn, w};
    tumen_dict *d = load("t.actors.txt",
                         "# comment\nAFGHANISTAN_  [AFG]\n+AFGHAN_\n\n"
                         "ABDUL_QADIR_  # CountryInfo.txt\n"
                         "\t[AFGELI 620101-780427]\n\t[AFGGOV 19780427-19780430]\n\t[AFGELI]\n"
                         "U.N._\n"
                         "X_\n\t[ARMUNR 9008223-911221]\n",
                         &st, &e, &wr);
    ASSERT_EQ_INT(st, TUMEN_OK);
    ASSERT_EQ_UINT(d->nactors, 5);
    ASSERT_EQ_STR(d->actors[1].code, "AFG");
    ASSERT_EQ_STR(word(d, d->actors[1].ph.w[0]), "afghan");
    ASSERT_FALSE(d->actors[1].ph.f[0] & PW_PREFIX); /* PETRARCH has no stems */
    const struct actor *a = &d->actors[2];
    ASSERT_EQ_UINT(a->nroles, 2);
    ASSERT_EQ_INT(a->roles[0].from, 19620101);
    ASSERT_EQ_INT(a->roles[1].to, 19780430);
    ASSERT_EQ_STR(a->code, "AFGELI");
    ASSERT_EQ_STR(d->actors[3].code, "");
    ASSERT_EQ_UINT(d->actors[4].nroles, 0); /* bad date: role skipped, warned */
    ASSERT_EQ_UINT(w[0], 1);
    ASSERT_EQ_UINT(w[1], 11);
    tumen_dict_free(d);
}

TEST(agents) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("t.agents.txt",
                         "!PERSON! = MAN, WOMAN\n"
                         "CONGRESS [~LEG]\n"
                         "ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]\n"
                         "POLICE {} [~COP]\n"
                         "CONGRESS!PERSON! [~LEG]\n"
                         "HUMAN_RIGHTS_BODY [NGO~]\n",
                         &st, &e, NULL);
    ASSERT_EQ_INT(st, TUMEN_OK);
    /* congress, congresses; attorney general, attorneys general; police; congressman,
     * congresswoman; human rights body, human rights bodies */
    ASSERT_EQ_UINT(d->nagents, 9);
    ASSERT_EQ_STR(word(d, d->agents[1].ph.w[0]), "congresses");
    ASSERT_EQ_STR(word(d, d->agents[3].ph.w[0]), "attorneys");
    ASSERT_EQ_STR(word(d, d->agents[5].ph.w[0]), "congressman");
    ASSERT_EQ_STR(word(d, d->agents[8].ph.w[2]), "bodies");
    ASSERT_TRUE(d->agents[8].prefix);
    tumen_dict_free(d);
    d = load("u.agents.txt", "X!NOPE! [~GOV]\n", &st, &e, NULL);
    ASSERT_EQ_INT(st, TUMEN_SYNTAX);
    ASSERT_EQ_UINT(e.col, 2);
    tumen_dict_free(d);
}

TEST(discards_and_issues) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("t.discards.txt", "MONTHS LATER\n+World Golf Championships # x\n",
                         &st, &e, NULL);
    ASSERT_EQ_INT(st, TUMEN_OK);
    ASSERT_EQ_UINT(d->ndiscards, 2);
    ASSERT_EQ_UINT(d->discards[1].ph.n, 3);
    ASSERT_TRUE(d->discards[1].ph.f[2] & PW_PREFIX);
    ASSERT_FALSE(d->discards[0].whole_story);
    ASSERT_TRUE(d->discards[1].whole_story); /* "+" drops the whole story */
    tumen_dict_free(d);
    d = load("t.issues.txt",
             "<ISSUE CATEGORY=\"X\">\nn:atrocity [ATROCITY]\nethnic v:purge [PURGE]\n"
             "pre+k [EDU]\n~a head start\n</ISSUE>\n",
             &st, &e, NULL);
    ASSERT_EQ_INT(st, TUMEN_OK);
    /* atrocity, atrocities; ethnic purge/purges/purged/purging; pre k; ignore phrase */
    ASSERT_EQ_UINT(d->nissues, 2 + 4 + 1 + 1);
    ASSERT_EQ_STR(word(d, d->issues[1].ph.w[0]), "atrocities");
    ASSERT_EQ_STR(word(d, d->issues[4].ph.w[1]), "purged");
    ASSERT_EQ_UINT(d->issues[6].ph.n, 2);
    ASSERT_EQ_STR(d->issues[7].code, "~");
    tumen_dict_free(d);
}

TEST(phoenix) {
    const char *dir = TUMEN_SHARED_DIR "/dictionaries/phoenix";
    if (access(dir, R_OK) != 0) {
        SKIP_TEST("../shared/dictionaries/phoenix is absent");
    }
    tumen_dict *d = NULL;
    ASSERT_EQ_INT(tumen_dict_new(&d), TUMEN_OK);
    tumen_error e;
    memset(&e, 0, sizeof e);
    ASSERT_EQ_INT(tumen_dict_load(d, dir, TUMEN_DICT_AUTO, &e), TUMEN_OK);
    ASSERT_TRUE(d->nactors > 30000);
    ASSERT_TRUE(d->nverbs > 50000);
    ASSERT_TRUE(d->nagents > 5000);
    ASSERT_TRUE(d->nissues > 3000);
    tumen_dict_free(d);
}

int main(void) {
    RUN(verbs);
    RUN(verb_errors);
    RUN(pattern_warnings);
    RUN(actors);
    RUN(agents);
    RUN(discards_and_issues);
    RUN(phoenix);
    return harness_summary();
}
