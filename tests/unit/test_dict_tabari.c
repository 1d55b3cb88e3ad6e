/* TABARI loader: actors with synonyms and dated roles, agents, verbs (synsets, forms,
 * patterns, connectors, alternatives), .options, error positions, rollback, the compiled
 * cache round trip, and the peer files in ../shared when present. */
#include "dict_cache.h"
#include "dict_check.h"
#include "dict_tabari.h"
#include "harness.h"

#include <unistd.h>

static tumen_dict *load(const char *name, const char *text, tumen_status *st, tumen_error *e) {
    tumen_dict *d = NULL;
    if (tumen_dict_new(&d) != TUMEN_OK) {
        return NULL;
    }
    memset(e, 0, sizeof *e);
    *st = dict_load_tabari(d, harness_write_file(name, text), e);
    return d;
}

static const char *word(const tumen_dict *d, uint32_t id) {
    return intern_str(&d->words, id);
}

TEST(actor_dates_and_synonyms) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("a.actors",
                         "ALBRIGHT  [USAGOV 991201-010114] [---] ;ems\n"
                         "GOLLUM ; pas\n"
                         "+SMEAGOL\n"
                         "\t[HOB < 950601]\n"
                         "\t[HOBGOV 950601 - 990815]\n"
                         "\t[HOBREB > 990816]\n"
                         "LORIEN  [ELR/GAL]\n"
                         "~~FINISH\n"
                         "IGNORED [XXX]\n",
                         &st, &e);
    ASSERT_EQ_INT(st, TUMEN_OK);
    ASSERT_EQ_UINT(d->nactors, 4);
    const struct actor *a = &d->actors[0];
    ASSERT_EQ_STR(word(d, a->ph.w[0]), "albright");
    ASSERT_TRUE(a->ph.f[0] & PW_PREFIX);
    ASSERT_EQ_UINT(a->nroles, 1);
    ASSERT_EQ_STR(a->roles[0].code, "USAGOV");
    ASSERT_EQ_INT(a->roles[0].from, 19991201);
    ASSERT_EQ_INT(a->roles[0].to, 20010114);
    ASSERT_EQ_STR(a->code, "---");
    const struct actor *g = &d->actors[1], *s = &d->actors[2];
    ASSERT_EQ_STR(word(d, s->ph.w[0]), "smeagol");
    ASSERT_EQ_UINT(g->nroles, 3);
    ASSERT_EQ_UINT(s->nroles, 3);
    ASSERT_EQ_INT(g->roles[0].to, 19950601);
    ASSERT_EQ_INT(g->roles[0].from, 0);
    ASSERT_EQ_INT(g->roles[2].from, 19990816);
    ASSERT_EQ_STR(g->roles[1].code, "HOBGOV");
    ASSERT_EQ_STR(g->code, "");
    ASSERT_EQ_STR(d->actors[3].code, "ELR/GAL");
    ASSERT_EQ_UINT(s->src.line, 3);
    tumen_dict_free(d);
}

TEST(actor_connectors) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("b.actors",
                         "AL_GORE  [AGR]\nAL GORE  [TEN]\nESTONIA_  [EST]\nMOUSE= [MUS]\n"
                         "BARAD-DUR  [MOR]\n",
                         &st, &e);
    ASSERT_EQ_INT(st, TUMEN_OK);
    ASSERT_EQ_UINT(d->nactors, 5);
    const struct phrase *p = &d->actors[0].ph;
    ASSERT_EQ_UINT(p->n, 2);
    ASSERT_EQ_INT(p->f[0], 0);          /* AL_: exact, GORE joined */
    ASSERT_EQ_INT(p->f[1], PW_PREFIX);  /* GORE: stem */
    p = &d->actors[1].ph;
    ASSERT_EQ_INT(p->f[0], PW_PREFIX);
    ASSERT_EQ_INT(p->f[1], PW_PREFIX | PW_GAP); /* blank: words may come between */
    ASSERT_EQ_INT(d->actors[2].ph.f[0], 0);
    ASSERT_EQ_INT(d->actors[3].ph.f[0], TABARI_PW_EXACT);
    p = &d->actors[4].ph;
    ASSERT_EQ_UINT(p->n, 2);
    ASSERT_EQ_STR(word(d, p->w[1]), "dur");
    tumen_dict_free(d);
}

TEST(actor_errors) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("c.actors", "OK [AAA]\nALBRIGHZ  [991201-010114] [---]\n", &st, &e);
    ASSERT_EQ_INT(st, TUMEN_SYNTAX);
    ASSERT_EQ_UINT(e.line, 2);
    ASSERT_EQ_UINT(e.col, 12);
    ASSERT_TRUE(strstr(e.msg, "missing code") != NULL);
    tumen_dict_free(d);
    d = load("d.actors", "X [AAA 991341-000101]\n", &st, &e);
    ASSERT_EQ_INT(st, TUMEN_DATE);
    ASSERT_EQ_UINT(e.line, 1);
    ASSERT_EQ_UINT(e.col, 8);
    tumen_dict_free(d);
    d = load("e.actors", "X [AAA\n", &st, &e);
    ASSERT_EQ_INT(st, TUMEN_SYNTAX);
    ASSERT_TRUE(strstr(e.msg, "']'") != NULL);
    tumen_dict_free(d);
}

TEST(rollback_on_error) {
    tumen_dict *d = NULL;
    ASSERT_EQ_INT(tumen_dict_new(&d), TUMEN_OK);
    tumen_error e;
    memset(&e, 0, sizeof e);
    const char *p = harness_write_file("f.actors", "A [AAA]\nB [BBB]\nC [CCC 99]\n");
    ASSERT_NE_INT(tumen_dict_load(d, p, TUMEN_DICT_TABARI, &e), TUMEN_OK);
    ASSERT_EQ_UINT(d->nactors, 0);
    ASSERT_EQ_UINT(e.line, 3);
    tumen_dict_free(d);
}

TEST(agents) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("g.agents",
                         "~~~~~\nFOREIGN_MINISTER_  [ ~GOVFRM] ;jap\n"
                         "HUMAN_RIGHTS_BODY_   [  NGO~] ;BNL\n<NOUN>\nBEES\n</NOUN>\n",
                         &st, &e);
    ASSERT_EQ_INT(st, TUMEN_OK);
    ASSERT_EQ_UINT(d->nagents, 2);
    ASSERT_EQ_STR(d->agents[0].code, "GOVFRM");
    ASSERT_FALSE(d->agents[0].prefix);
    ASSERT_EQ_STR(d->agents[1].code, "NGO");
    ASSERT_TRUE(d->agents[1].prefix);
    ASSERT_EQ_UINT(d->nsets, 1);
    ASSERT_EQ_STR(word(d, d->sets[0].name), "<noun>");
    tumen_dict_free(d);
    d = load("h.agents", "POLICE_ [COP]\n", &st, &e);
    ASSERT_EQ_INT(st, TUMEN_SYNTAX);
    ASSERT_EQ_UINT(e.col, 10);
    ASSERT_TRUE(strstr(e.msg, "~") != NULL);
    tumen_dict_free(d);
}

static const struct vpattern *find_pattern(const tumen_dict *d, const char *code) {
    for (size_t i = 0; i < d->nverbs; i++) {
        if (strcmp(d->verbs[i].code, code) == 0) {
            return &d->verbs[i];
        }
    }
    return NULL;
}

TEST(verbs) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("v.verbs",
                         "<SYNSETS>\n&TIETYPES\n+MILITARY\n+ECONOMIC\n&PHRASE\n+&TIETYPES_MEMOS\n"
                         "</SYNSETS>\n<TIME>\nLAST_WEEK [-7]\n</TIME>\n"
                         "BREAK_ [171]\n{ BROKE_ BROKEN_ }\n"
                         "- + KNOWN_ * IN_ $  [076] ; comment\n"
                         "- * &TIETYPES TIES [172]\n"
                         "- * BACK~ POLICY [062]\n"
                         "- SUGGESTED_+ * DEMAND_{ GENEVA_ | INTERNATIONAL }_CONVENTIONS  [111]\n"
                         "MEET [031:031]\nARRIVE [032:033]\nATTEND [031!]\nACCORD [- - -]\n",
                         &st, &e);
    ASSERT_EQ_INT(st, TUMEN_OK);
    ASSERT_EQ_UINT(d->nsets, 2);
    ASSERT_EQ_UINT(d->sets[1].nalts, 2); /* &TIETYPES_MEMOS expanded */
    /* 3 heads (BREAK + 2 forms) x (default + 5 patterns) + 4 roots */
    ASSERT_EQ_UINT(d->nverbs, 3 * 6 + 4);
    const struct vpattern *v = find_pattern(d, "076");
    ASSERT_TRUE(v != NULL);
    ASSERT_EQ_UINT(v->npre, 2);
    ASSERT_EQ_INT(v->pre[0].kind, VE_TARGET);
    ASSERT_EQ_INT(v->pre[1].kind, VE_WORD);
    ASSERT_EQ_STR(word(d, v->pre[1].value), "known");
    ASSERT_FALSE(v->pre[1].flags & PW_PREFIX);
    ASSERT_TRUE(v->head.f[0] & PW_GAP); /* "KNOWN_ *": exact word, then a gap */
    ASSERT_EQ_UINT(v->npost, 2);
    ASSERT_TRUE(v->post[0].flags & PW_GAP);
    ASSERT_EQ_INT(v->post[1].kind, VE_SOURCE);
    ASSERT_TRUE(v->post[1].flags & PW_GAP);
    v = find_pattern(d, "172");
    ASSERT_EQ_INT(v->post[0].kind, VE_SET);
    v = find_pattern(d, "062");
    ASSERT_TRUE(v->post[0].flags & PW_PREFIX);
    ASSERT_FALSE(v->post[1].flags & PW_GAP); /* BACK~ POLICY: joined */
    size_t n111 = 0;
    for (size_t i = 0; i < d->nverbs; i++) {
        n111 += strcmp(d->verbs[i].code, "111") == 0;
    }
    ASSERT_EQ_UINT(n111, 2 * 3); /* two alternatives, three heads */
    v = find_pattern(d, "111");
    ASSERT_EQ_UINT(v->npost, 3);
    ASSERT_FALSE(v->post[1].flags & PW_GAP);
    v = find_pattern(d, "031");
    ASSERT_TRUE(v->flags & VP_SYMMETRIC);
    ASSERT_TRUE(find_pattern(d, "032:033") != NULL);
    ASSERT_TRUE(find_pattern(d, "---")->flags & VP_NULL);
    struct vcode vc;
    vcode_parse("031!", &vc);
    ASSERT_TRUE(vc.dominant);
    ASSERT_EQ_STR(vc.primary, "031");
    vcode_parse("032:033", &vc);
    ASSERT_EQ_STR(vc.paired, "033");
    tumen_dict_free(d);
}

TEST(verb_errors) {
    static const struct {
        const char *text;
        uint64_t line, col;
        const char *what;
    } cases[] = {
        {"X [010]\n- ABC [020]\n", 2, 2, "'*'"},
        {"- * ABC [020]\n", 1, 1, "before any verb"},
        {"X [010]\n- * { A | B ] C [020]\n", 2, 0, "'}'"},
        {"X [010]\n- *ABC [020]\n", 2, 4, "'*'"},
        {"X [010]\n- * &NOPE [020]\n", 2, 5, "undefined synset"},
        {"X [010]\n- * ABC\n", 2, 8, "'['"},
        {"<SYNSETS>\n&EMPTY\n</SYNSETS>\n", 2, 1, "no phrases"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tumen_status st;
        tumen_error e;
        tumen_dict *d = load("bad.verbs", cases[i].text, &st, &e);
        ASSERT_NE_INT(st, TUMEN_OK);
        ASSERT_EQ_UINT(e.line, cases[i].line);
        if (cases[i].col) {
            ASSERT_EQ_UINT(e.col, cases[i].col);
        }
        if (strstr(e.msg, cases[i].what) == NULL) {
            fprintf(stderr, "case %zu: '%s' lacks '%s'\n", i, e.msg, cases[i].what);
            ASSERT_TRUE(0);
        }
        tumen_dict_free(d);
    }
}

TEST(options) {
    struct tabari_options o;
    tabari_options_init(&o);
    size_t col;
    const char *l1 = "COMPLEX: VERBS[5] CONJ[4] NOACTPRIOR EXPLAIN";
    ASSERT_EQ_INT(tabari_options_line(&o, l1, strlen(l1), &col), TUMEN_OK);
    ASSERT_EQ_INT(o.complex_verbs, 5);
    ASSERT_EQ_INT(o.complex_conj, 4);
    ASSERT_TRUE(o.complex_noactprior);
    const char *l2 = "DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER";
    ASSERT_EQ_INT(tabari_options_line(&o, l2, strlen(l2), &col), TUMEN_OK);
    ASSERT_EQ_STR(o.default_source, "DEFSRC");
    ASSERT_TRUE(o.default_source_prior && o.default_target_after);
    const char *l3 = "COMMA: MIN = 4 MAX = 6 EMIN = 3 EMAX = 6 BMIN = 3 BMAX = 8";
    ASSERT_EQ_INT(tabari_options_line(&o, l3, strlen(l3), &col), TUMEN_OK);
    ASSERT_EQ_INT(o.comma_min, 4);
    ASSERT_EQ_INT(o.comma_emin, 3);
    ASSERT_EQ_INT(o.comma_bmax, 8);
    const char *l4 = "SET: CODE BY SENTENCE";
    ASSERT_EQ_INT(tabari_options_line(&o, l4, strlen(l4), &col), TUMEN_OK);
    ASSERT_EQ_INT(o.code_by, TABARI_BY_SENTENCE);
    const char *l5 = "  BOGUS STUFF";
    ASSERT_EQ_INT(tabari_options_line(&o, l5, strlen(l5), &col), TUMEN_SYNTAX);
    ASSERT_EQ_UINT(col, 3);
}

static void no_lint(void *ctx, enum lint_severity sev, const char *file, uint64_t line,
                    uint64_t col, const char *msg) {
    (void)file, (void)line, (void)col, (void)msg;
    int *n = ctx;
    n[sev]++;
}

TEST(lint) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("l.verbs",
                         "X [010]\n- * A [999]\n- * B [020]\n- * B [021]\n- $ $ * C [020]\n",
                         &st, &e);
    ASSERT_EQ_INT(st, TUMEN_OK);
    int n[2] = {0, 0};
    struct lint_counts c = {0, 0};
    ASSERT_EQ_INT(dict_lint(d, no_lint, n, &c), TUMEN_OK);
    ASSERT_EQ_UINT(c.errors, 3); /* unknown 999, conflicting B, two $ */
    tumen_dict_free(d);
}

TEST(cache_round_trip) {
    tumen_status st;
    tumen_error e;
    tumen_dict *d = load("r.verbs", "<SYNSETS>\n&S\n+A\n</SYNSETS>\nMEET [031]\n- * &S [032]\n",
                         &st, &e);
    ASSERT_EQ_INT(st, TUMEN_OK);
    ASSERT_EQ_INT(tumen_dict_finish(d, &e), TUMEN_OK);
    struct buf a, b;
    buf_init(&a, 0);
    buf_init(&b, 0);
    ASSERT_EQ_INT(dict_cache_write(d, 42, &a), TUMEN_OK);
    tumen_dict *d2 = NULL;
    ASSERT_EQ_INT(dict_cache_read(a.data, a.len, 42, &d2), TUMEN_OK);
    ASSERT_EQ_UINT(d2->nverbs, d->nverbs);
    ASSERT_EQ_INT(dict_cache_write(d2, 42, &b), TUMEN_OK);
    ASSERT_EQ_UINT(a.len, b.len);
    ASSERT_EQ_MEM(a.data, b.data, a.len);
    tumen_dict *d3 = NULL;
    ASSERT_EQ_INT(dict_cache_read(a.data, a.len, 43, &d3), TUMEN_INVALID); /* other key */
    ASSERT_EQ_INT(dict_cache_read(a.data, a.len - 1, 42, &d3), TUMEN_INVALID);
    a.data[a.len / 2] ^= 0x55;
    ASSERT_EQ_INT(dict_cache_read(a.data, a.len, 42, &d3), TUMEN_INVALID); /* checksum */
    buf_fini(&a);
    buf_fini(&b);
    tumen_dict_free(d2);
    tumen_dict_free(d);
}

TEST(shared_files) {
    const char *dir = TUMEN_SHARED_DIR "/conformance/tabari";
    char p[1024];
    snprintf(p, sizeof p, "%s/Validate.project", dir);
    if (access(p, R_OK) != 0) {
        SKIP_TEST("../shared/conformance/tabari is absent");
    }
    tumen_dict *d = NULL;
    ASSERT_EQ_INT(tumen_dict_new(&d), TUMEN_OK);
    tumen_error e;
    memset(&e, 0, sizeof e);
    ASSERT_EQ_INT(tumen_dict_load(d, p, TUMEN_DICT_TABARI, &e), TUMEN_OK);
    ASSERT_TRUE(d->nactors > 100);
    ASSERT_TRUE(d->nverbs > 500);
    ASSERT_TRUE(d->nagents > 80);
    tumen_dict_free(d);
}

int main(void) {
    RUN(actor_dates_and_synonyms);
    RUN(actor_connectors);
    RUN(actor_errors);
    RUN(rollback_on_error);
    RUN(agents);
    RUN(verbs);
    RUN(verb_errors);
    RUN(options);
    RUN(lint);
    RUN(cache_round_trip);
    RUN(shared_files);
    return harness_summary();
}
