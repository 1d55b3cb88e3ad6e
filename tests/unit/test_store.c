/* Unit tests of the event store (store.c, cluster.c), channels (channel.c) and analytics
 * (analysis.c, report.c), with tumen_event structs filled by hand. */
#include "harness.h"

#include "channel.h"
#include "store_impl.h" /* white-box: fresh_max */
#include "tumen_store.h"

#include <sqlite3.h>
#include <unistd.h>

static void db_path(char *out, size_t n, const char *name) {
    snprintf(out, n, "%s", harness_path(name));
    unlink(out);
}

/* A document text with three sentences; events point into it by offsets. */
static const char doc_a[] = "Moscow proposed to bring in some 50,000 workers from Pyongyang. "
                            "Russian tourists visited North Korea. "
                            "Moscow sent troops.";

static tumen_span find_span(const char *text, const char *needle) {
    const char *p = strstr(text, needle);
    tumen_span sp = {0, 0};
    if (p) {
        sp.offset = (size_t)(p - text);
        sp.length = strlen(needle);
    }
    return sp;
}

static tumen_event make_event(const char *text, uint32_t sentence, const char *sent_text,
                              const char *src, const char *tgt, const char *code,
                              const char *when) {
    tumen_event e;
    memset(&e, 0, sizeof e);
    e.doc_text = text;
    e.sentence = sentence;
    e.sent = find_span(text, sent_text);
    snprintf(e.source, sizeof e.source, "%s", src);
    snprintf(e.target, sizeof e.target, "%s", tgt);
    if (strcmp(code, "--") == 0) {
        e.kind = TUMEN_KIND_STATISTIC;
        snprintf(e.code, sizeof e.code, "--");
        snprintf(e.root, sizeof e.root, "--");
    } else {
        snprintf(e.code, sizeof e.code, "%s", code);
        snprintf(e.root, sizeof e.root, "%.2s", code);
        if (tumen_cameo_lookup(code, &e.goldstein, &e.quad, NULL) != TUMEN_OK) {
            fprintf(stderr, "unknown code %s in test\n", code);
            exit(1);
        }
    }
    e.probability = -1;
    snprintf(e.when, sizeof e.when, "%s", when);
    e.pattern_file = "test.verbs";
    e.pattern_line = 7;
    return e;
}

static int64_t query_int(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
        v = sqlite3_column_int64(q, 0);
    } else {
        fprintf(stderr, "query failed: %s: %s\n", sql, sqlite3_errmsg(db));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static void query_str(const char *path, const char *sql, char *out, size_t n) {
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    out[0] = '\0';
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static struct channel_table *load_channels(void) {
    struct channel_table *t = NULL;
    tumen_error err = {0};
    tumen_status st = channel_table_load(TUMEN_SOURCE_DIR "/data/channels.tsv", &t, &err);
    if (st != TUMEN_OK) {
        char buf[1200];
        tumen_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
    return t;
}

/* ---- channels ---- */

static const char *classify(const struct channel_table *t, const char *code, const char *src,
                            const char *tgt, const char *sentence) {
    tumen_event e = make_event(sentence, 1, sentence, src, tgt, code, "");
    return channel_classify(t, &e, sentence);
}

TEST(channels_shipped_table) {
    struct channel_table *t = load_channels();
    ASSERT_TRUE(t != NULL);
    ASSERT_EQ_STR(classify(t, "061", "RUS", "PRKLAB", "Russia will employ 20,000 workers."),
                  "labour");
    ASSERT_EQ_STR(classify(t, "061", "RUS", "PRK", "They expect more Russian tourists."),
                  "tourism");
    ASSERT_EQ_STR(classify(t, "072", "PRK", "RUS", "Pyongyang sent troops to Kursk."), "troops");
    ASSERT_EQ_STR(classify(t, "072", "RUS", "PRK", "Moscow sent air-defence systems."),
                  "military");
    ASSERT_EQ_STR(classify(t, "163", "USA", "PRK", "Washington imposed new measures."),
                  "sanctions");
    ASSERT_EQ_STR(classify(t, "128", "RUS", "UNO", "Russia ignores the rules."), "sanctions");
    ASSERT_EQ_STR(classify(t, "120", "PRK", "UNO", "North Korea voted against it."), "un");
    ASSERT_EQ_STR(classify(t, "057", "RUS", "PRK", "The two signed a deal."), "treaties");
    ASSERT_EQ_STR(classify(t, "042", "PRKGOV", "RUS", "A delegation came to Moscow."),
                  "diplomacy");
    ASSERT_EQ_STR(classify(t, "061", "PRK", "RUSEDU", "Joint projects with Russian universities."),
                  "academia");
    ASSERT_EQ_STR(classify(t, "061", "RUS", "PRK", "Trade in oil grew."), "energy-trade");
    ASSERT_EQ_STR(classify(t, "--", "RUSCVL", "PRK", "Only 1500 visited."), "energy-trade");
    /* quantity unit counts as a word */
    tumen_event e = make_event("Only 1500 visited.", 1, "Only 1500 visited.", "RUSCVL", "PRK",
                               "--", "2024");
    e.quantity.present = 1;
    e.quantity.value = 1500;
    snprintf(e.quantity.unit, sizeof e.quantity.unit, "tourists");
    ASSERT_EQ_STR(channel_classify(t, &e, NULL), "tourism");
    ASSERT_EQ_STR(channel_label(t, "un"), "UN & multilateral");
    ASSERT_TRUE(channel_index(t, "other") >= 0);
    /* whole words only: "arms" must not match "farms" */
    ASSERT_EQ_STR(classify(t, "043", "RUS", "PRK", "They toured farms."), "diplomacy");
    channel_table_free(t);
}

TEST(channels_grammar_errors) {
    struct channel_table *t = NULL;
    tumen_error err = {0};
    static const char bad_code[] = "channel\tx\tX\nrule\tx\t06a\t*\t*\n";
    ASSERT_EQ_INT(channel_table_parse(bad_code, strlen(bad_code), "t.tsv", &t, &err),
                  TUMEN_SYNTAX);
    ASSERT_NULL(t);
    ASSERT_EQ_UINT(err.line, 2);
    ASSERT_EQ_UINT(err.col, 8);
    static const char undeclared[] = "rule\ty\t06\t*\t*\n";
    ASSERT_EQ_INT(channel_table_parse(undeclared, strlen(undeclared), "t.tsv", &t, &err),
                  TUMEN_SYNTAX);
    ASSERT_EQ_UINT(err.line, 1);
    static const char fields[] = "channel\tx\n\nrule\tx\t06\t*\n";
    ASSERT_EQ_INT(channel_table_parse(fields, strlen(fields), "t.tsv", &t, &err), TUMEN_SYNTAX);
    ASSERT_EQ_UINT(err.line, 3);
    static const char good[] = "# c\nchannel\tx\tThe X\n\nrule\tx\t06\t*\tsource=*MIL\n";
    ASSERT_EQ_INT(channel_table_parse(good, strlen(good), "t.tsv", &t, &err), TUMEN_OK);
    ASSERT_EQ_UINT(t->nchannels, 2); /* x and the implicit other */
    tumen_event e = make_event("x", 1, "x", "PRKMIL", "RUS", "062", "");
    ASSERT_EQ_STR(channel_classify(t, &e, "x"), "x");
    snprintf(e.source, sizeof e.source, "PRK");
    ASSERT_EQ_STR(channel_classify(t, &e, "x"), "other");
    channel_table_free(t);
    channel_table_free(NULL);
}

/* ---- store ---- */

static tumen_store *open_store(const char *path) {
    tumen_store *s = NULL;
    tumen_error err = {0};
    if (tumen_store_new(path, 0, &s, &err) != TUMEN_OK) {
        char buf[1200];
        tumen_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
        return NULL;
    }
    if (tumen_store_load_channels(s, TUMEN_SOURCE_DIR "/data/channels.tsv", &err) != TUMEN_OK) {
        tumen_store_free(s);
        return NULL;
    }
    return s;
}

/* Adds one document with n events; returns is_new. */
static int add_doc(tumen_store *s, const char *id, const char *date, const char *text,
                   const tumen_event *evs, size_t n) {
    tumen_doc d = {id, text, strlen(text), date, "https://example.org/a", "Title <A&B>"};
    int is_new = -1;
    tumen_error err = {0};
    if (tumen_store_doc_begin(s, &d, &is_new, &err) != TUMEN_OK) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        tumen_event e = evs[i];
        e.doc_text = text;
        if (tumen_store_add_event(s, &e) != 0) {
            return -1;
        }
    }
    if (tumen_store_doc_end(s, 1, &err) != TUMEN_OK) {
        return -1;
    }
    return is_new;
}

static size_t doc_a_events(tumen_event *ev) {
    size_t n = 0;
    ev[n] = make_event(doc_a, 1, "Moscow proposed to bring in some 50,000 workers from Pyongyang.",
                       "RUSGOV", "PRK", "0311", "2022");
    ev[n].quantity.present = 1;
    ev[n].quantity.value = 50000;
    ev[n].quantity.approx = 1;
    snprintf(ev[n].quantity.unit, sizeof ev[n].quantity.unit, "workers");
    ev[n].quantity.span = find_span(doc_a, "some 50,000 workers");
    ev[n].source_span = find_span(doc_a, "Moscow");
    ev[n].verb = find_span(doc_a, "proposed");
    n++;
    ev[n] = make_event(doc_a, 2, "Russian tourists visited North Korea.", "RUSCVL", "PRK", "--",
                       "2024");
    ev[n].quantity.present = 1;
    ev[n].quantity.value = 1500;
    snprintf(ev[n].quantity.unit, sizeof ev[n].quantity.unit, "tourists");
    n++;
    ev[n] = make_event(doc_a, 3, "Moscow sent troops.", "RUS", "PRK", "072", "");
    ev[n].modality = TUMEN_FORECAST;
    ev[n].probability_words = find_span(doc_a, "sent");
    ev[n].probability = 0.7;
    n++;
    return n;
}

/* Whether the query plan of the ingest side's document lookup uses the hash index. */
static bool lookup_uses_hash_index(const char *path, tumen_store *s) {
    char sql[512], plan[256];
    snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(s->sel_doc));
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    plan[0] = '\0';
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
        snprintf(plan, sizeof plan, "%s", (const char *)sqlite3_column_text(q, 3));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return strstr(plan, "USING INDEX documents_hash") != NULL;
}

TEST(store_ingest_dedup) {
    char path[512];
    db_path(path, sizeof path, "dedup.db");
    tumen_store *s = open_store(path);
    ASSERT_TRUE(s != NULL);
    tumen_event ev[8];
    size_t n = doc_a_events(ev);
    ASSERT_EQ_INT(add_doc(s, "a", "2025-01-02", doc_a, ev, n), 1);
    ASSERT_EQ_INT(add_doc(s, "a-again", "2025", doc_a, ev, n), 0); /* same text: no-op */
    /* dropped document (keep = 0) leaves nothing */
    tumen_doc d = {"dropped", "Other text.", 11, NULL, NULL, NULL};
    int is_new = 0;
    tumen_error err = {0};
    ASSERT_EQ_INT(tumen_store_doc_begin(s, &d, &is_new, &err), TUMEN_OK);
    ASSERT_EQ_INT(is_new, 1);
    ASSERT_EQ_INT(tumen_store_add_event(s, &ev[0]), 0);
    ASSERT_EQ_INT(tumen_store_doc_end(s, 0, &err), TUMEN_OK);
    ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
    uint64_t docs = 0, events = 0, clusters = 0;
    ASSERT_EQ_INT(tumen_store_counts(s, &docs, &events, &clusters, &err), TUMEN_OK);
    ASSERT_EQ_UINT(docs, 1);
    ASSERT_EQ_UINT(events, 3);
    ASSERT_EQ_UINT(clusters, 0); /* three events, each its own story: nothing merged */
    tumen_store_free(s);

    /* re-open: still a no-op (found by the hash index, built when the first ingest ended),
     * and the columns hold what we stored */
    s = open_store(path);
    ASSERT_TRUE(s != NULL);
    ASSERT_TRUE(lookup_uses_hash_index(path, s));
    ASSERT_EQ_INT(add_doc(s, "a", "2025-01-02", doc_a, ev, n), 0);
    ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
    tumen_store_free(s);
    char str[256];
    query_str(path, "SELECT hash FROM documents", str, sizeof str);
    ASSERT_EQ_INT((int)strlen(str), 64);
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM sentences"), 3);
    ASSERT_EQ_INT(query_int(path, "SELECT events FROM documents"), 3);
    query_str(path, "SELECT channel FROM events WHERE code='0311'", str, sizeof str);
    ASSERT_EQ_STR(str, "labour");
    query_str(path, "SELECT qty_text FROM events WHERE code='0311'", str, sizeof str);
    ASSERT_EQ_STR(str, "some 50,000 workers");
    query_str(path, "SELECT source_country||'>'||target_country FROM events WHERE seq=1", str,
              sizeof str);
    ASSERT_EQ_STR(str, "RUS>PRK");
    query_str(path, "SELECT pattern FROM events WHERE seq=1", str, sizeof str);
    ASSERT_EQ_STR(str, "test.verbs:7");
    query_str(path, "SELECT date FROM events WHERE seq=3", str, sizeof str);
    ASSERT_EQ_STR(str, "2025-01-02"); /* no when: the document date */
    query_str(path, "SELECT channel FROM events WHERE kind='statistic'", str, sizeof str);
    ASSERT_EQ_STR(str, "tourism");
    query_str(path, "SELECT probability_words FROM events WHERE seq=3", str, sizeof str);
    ASSERT_EQ_STR(str, "sent");
    ASSERT_EQ_INT(query_int(path, "SELECT sum(events) FROM dyad_month"), 3);
    ASSERT_EQ_INT(query_int(path, "SELECT month FROM dyad_month WHERE quad=2"), 202501);
    /* span texts come from documents.text through the views */
    query_str(path, "SELECT text FROM sentences WHERE n=2", str, sizeof str);
    ASSERT_EQ_STR(str, "Russian tourists visited North Korea.");
    query_str(path, "SELECT s.text FROM events e JOIN sentences s ON s.id=e.sentence WHERE e.seq=3",
              str, sizeof str);
    ASSERT_EQ_STR(str, "Moscow sent troops.");
    query_str(path, "SELECT source_text||'/'||verb_text||'/'||root FROM events WHERE seq=1", str,
              sizeof str);
    ASSERT_EQ_STR(str, "Moscow/proposed/03");
    ASSERT_EQ_INT(query_int(path, "SELECT count(DISTINCT cluster) FROM events"), 3);
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM events WHERE cluster = id"), 3);
    /* doc_terms finds the document by dyad, by either side, and not by a dyad it lacks */
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM doc_terms WHERE doc_terms MATCH "
                                  "'dRUSPRK'"),
                  1);
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM doc_terms WHERE doc_terms MATCH 'dPRKRUS OR dRUSPRK'"),
                  1);
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM doc_terms WHERE doc_terms MATCH "
                                  "'dPRKRUS'"),
                  0);
    query_str(path, "SELECT group_concat(modality, ',') FROM (SELECT modality FROM dyad_month "
                    "ORDER BY modality)",
              str, sizeof str);
    ASSERT_EQ_STR(str, "asserted,asserted,forecast");
}

TEST(store_modalities) {
    /* the aggregate cells keep each modality apart and dyad_month names it */
    char path[512];
    db_path(path, sizeof path, "modal.db");
    tumen_store *s = open_store(path);
    ASSERT_TRUE(s != NULL);
    static const char t[] = "Russia met North Korea.";
    tumen_event ev[6];
    for (int m = TUMEN_ASSERTED; m <= TUMEN_FORECAST; m++) {
        ev[m] = make_event(t, 1, t, "RUS", "PRK", "040", ""); /* the document date */
        ev[m].modality = (tumen_modality)m;
    }
    ASSERT_EQ_INT(add_doc(s, "m", "2023-05-01", t, ev, 6), 1);
    tumen_error err = {0};
    ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
    tumen_store_free(s);
    for (int m = TUMEN_ASSERTED; m <= TUMEN_FORECAST; m++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM dyad_month WHERE modality='%s' AND month=202305 AND "
                 "source_country='RUS' AND target_country='PRK' AND events=1",
                 tumen_modality_name((tumen_modality)m));
        ASSERT_EQ_INT(query_int(path, sql), 1);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE modality='%s'",
                 tumen_modality_name((tumen_modality)m));
        ASSERT_EQ_INT(query_int(path, sql), 1);
    }
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM dyad_month"), 6);
}

TEST(store_read_while_writing) {
    /* the read functions wait for the writer thread: what doc_end handed over is counted */
    char path[512];
    db_path(path, sizeof path, "sync.db");
    tumen_store *s = open_store(path);
    ASSERT_TRUE(s != NULL);
    tumen_store_set_batch(s, 1, 0);
    static const char t[] = "Russia met North Korea.";
    static const char u[] = "North Korea met Russia.";
    tumen_event e = make_event(t, 1, t, "RUS", "PRK", "040", "");
    ASSERT_EQ_INT(add_doc(s, "t", "2023-05-01", t, &e, 1), 1);
    e = make_event(u, 1, u, "PRK", "RUS", "040", "");
    ASSERT_EQ_INT(add_doc(s, "u", "2023-05-02", u, &e, 1), 1);
    uint64_t docs = 0, events = 0;
    tumen_error err = {0};
    ASSERT_EQ_INT(tumen_store_counts(s, &docs, &events, NULL, &err), TUMEN_OK);
    ASSERT_EQ_UINT(docs, 2);
    ASSERT_EQ_UINT(events, 2);
    /* and the ingest side's read connection sees them: the same text is not new */
    ASSERT_EQ_INT(add_doc(s, "t-again", "2023-05-01", t, &e, 1), 0);
    tumen_store_free(s);
}

TEST(store_fresh_limit) {
    /* a store empty at open deduplicates from memory until fresh_max hashes, then through
     * the store, by the hash index it builds at that point; documents before and after the
     * switch are both recognised */
    char path[512];
    db_path(path, sizeof path, "fresh.db");
    tumen_store *s = open_store(path);
    ASSERT_TRUE(s != NULL);
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = "
                                  "'documents_hash'"),
                  0); /* put off while the store fills from empty */
    s->fresh_max = 2;
    tumen_store_set_batch(s, 1, 0);
    static const char *const texts[5] = {"Russia met North Korea.", "China met Russia.",
                                          "Japan met Korea.", "India met Iran.",
                                          "Turkey met Syria."};
    for (int i = 0; i < 5; i++) {
        tumen_event e = make_event(texts[i], 1, texts[i], "RUS", "PRK", "040", "");
        char id[8];
        snprintf(id, sizeof id, "f%d", i);
        ASSERT_EQ_INT(add_doc(s, id, "2023-05-01", texts[i], &e, 1), 1);
    }
    ASSERT_FALSE(s->fresh);
    ASSERT_TRUE(lookup_uses_hash_index(path, s));
    for (int i = 0; i < 5; i++) {
        tumen_event e = make_event(texts[i], 1, texts[i], "RUS", "PRK", "040", "");
        ASSERT_EQ_INT(add_doc(s, "again", "2023-05-01", texts[i], &e, 1), 0);
    }
    tumen_error err = {0};
    ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
    tumen_store_free(s);
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM documents"), 5);
    /* a store whose first ingest was killed before it built the index gets it at the next
     * writable open */
    sqlite3 *db = NULL;
    ASSERT_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    ASSERT_EQ_INT(sqlite3_exec(db, "DROP INDEX documents_hash", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    s = open_store(path);
    ASSERT_TRUE(s != NULL);
    ASSERT_TRUE(lookup_uses_hash_index(path, s));
    tumen_event e = make_event(texts[0], 1, texts[0], "RUS", "PRK", "040", "");
    ASSERT_EQ_INT(add_doc(s, "again", "2023-05-01", texts[0], &e, 1), 0);
    tumen_store_free(s);
}

TEST(store_other_writer) {
    /* a batch whose event ids another process took first is refused whole, and a second run
     * stores it */
    char path[512];
    db_path(path, sizeof path, "two.db");
    static const char t[] = "Russia met North Korea.";
    static const char u[] = "China met Russia.";
    tumen_store *s1 = open_store(path);
    ASSERT_TRUE(s1 != NULL);
    tumen_store *s2 = open_store(path);
    ASSERT_TRUE(s2 != NULL);
    tumen_event e = make_event(t, 1, t, "RUS", "PRK", "040", "");
    ASSERT_EQ_INT(add_doc(s1, "t", "2023-05-01", t, &e, 1), 1);
    tumen_event f = make_event(u, 1, u, "CHN", "RUS", "040", "");
    ASSERT_EQ_INT(add_doc(s2, "u", "2023-05-02", u, &f, 1), 1);
    tumen_error err = {0};
    ASSERT_EQ_INT(tumen_store_flush(s2, &err), TUMEN_OK);
    ASSERT_EQ_INT(tumen_store_flush(s1, &err), TUMEN_DB);
    ASSERT_TRUE(strstr(err.msg, "another process wrote") != NULL);
    tumen_store_free(s1);
    tumen_store_free(s2);
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM documents"), 1);
    s1 = open_store(path);
    ASSERT_TRUE(s1 != NULL);
    ASSERT_EQ_INT(add_doc(s1, "t", "2023-05-01", t, &e, 1), 1);
    ASSERT_EQ_INT(add_doc(s1, "u", "2023-05-02", u, &f, 1), 0);
    ASSERT_EQ_INT(tumen_store_flush(s1, &err), TUMEN_OK);
    tumen_store_free(s1);
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM documents"), 2);
    /* event ids stay dense and distinct: 1 (u, first stored) and 2 (t) */
    ASSERT_EQ_INT(query_int(path, "SELECT count(DISTINCT id) FROM events"), 2);
    ASSERT_EQ_INT(query_int(path, "SELECT id FROM events WHERE source_country='RUS'"), 2);
}

TEST(store_reopen_clusters) {
    /* a cluster made by one process is found again by the next (rebuilt from its events) */
    char path[512];
    db_path(path, sizeof path, "reopen.db");
    static const char t1[] = "In 2022 Khusnullin proposed to invite 50,000 workers.";
    static const char t2[] = "In August 2022 Russia said it would bring in workers.";
    static const char t3[] = "Russia later proposed more workers.";
    /* each document in a process (a store opened and closed) of its own */
    const struct {
        const char *text, *src, *when, *doc_date;
    } docs[3] = {{t1, "RUSGOV", "2022", "2025"},
                 {t2, "RUS", "2022-08", "2022-08-30"},
                 {t3, "RUS", "2022-08-15", "2022-09-01"}};
    for (int i = 0; i < 3; i++) {
        tumen_store *s = open_store(path);
        ASSERT_TRUE(s != NULL);
        tumen_event e = make_event(docs[i].text, 1, docs[i].text, docs[i].src, "PRK", "0311",
                                   docs[i].when);
        char id[8];
        snprintf(id, sizeof id, "d%d", i + 1);
        ASSERT_EQ_INT(add_doc(s, id, docs[i].doc_date, docs[i].text, &e, 1), 1);
        tumen_error err = {0};
        ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
        tumen_store_free(s);
    }
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM clusters"), 1);
    ASSERT_EQ_INT(query_int(path, "SELECT mentions FROM clusters"), 3);
    ASSERT_EQ_INT(query_int(path, "SELECT sources FROM clusters"), 3);
    ASSERT_EQ_INT(query_int(path, "SELECT id FROM clusters"), 1); /* its first event */
    char str[128];
    query_str(path, "SELECT event_time||' '||first_date||' '||last_date FROM clusters", str,
              sizeof str);
    ASSERT_EQ_STR(str, "2022 2022 2022-08-15");
    /* the view's columns come from the key */
    query_str(path,
              "SELECT key||' '||source_country||' '||target_country||' '||symmetric||' '||"
              "family||' '||channel||' '||mode||' '||first_event||' '||first_key FROM clusters",
              str, sizeof str);
    ASSERT_EQ_STR(str, "RUS>PRK|econ|labour|F RUS PRK 0 econ labour F 1 20220000");
    query_str(path, "SELECT type FROM sqlite_master WHERE name = 'clusters'", str, sizeof str);
    ASSERT_EQ_STR(str, "view");
    query_str(path, "SELECT group_concat(cluster_rule, ',') FROM events", str, sizeof str);
    ASSERT_EQ_STR(str, "new,when=prefix,when=prefix");
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM cluster_members"), 3);
}

TEST(store_reopen_by_year) {
    /* an incremental ingest reads back only the clusters of the years its events name (year
     * mode) and merges with them; an undated document (variant 1) or a store of schema 4
     * (variant 2) makes it read clusters back by key bucket instead, with the same result */
    static const char t1[] = "In 2019 Russia proposed to invite workers.";
    static const char t2[] = "In March 2024 Russia proposed to invite workers.";
    static const char t3[] = "On 10 March 2024 Russia proposed to invite workers again.";
    static const char tu[] = "Russia once proposed to invite workers.";
    for (int variant = 0; variant < 3; variant++) {
        char name[32], path[512];
        snprintf(name, sizeof name, "year%d.db", variant);
        db_path(path, sizeof path, name);
        tumen_store *s = open_store(path);
        ASSERT_TRUE(s != NULL);
        tumen_event e1 = make_event(t1, 1, t1, "RUS", "PRK", "0311", "2019");
        tumen_event e2 = make_event(t2, 1, t2, "RUS", "PRK", "0311", "2024-03");
        ASSERT_EQ_INT(add_doc(s, "a", "2019-05-01", t1, &e1, 1), 1);
        ASSERT_EQ_INT(add_doc(s, "b", "2024-03-02", t2, &e2, 1), 1);
        if (variant == 1) {
            tumen_event eu = make_event(tu, 1, tu, "RUS", "PRK", "0311", "");
            ASSERT_EQ_INT(add_doc(s, "u", NULL, tu, &eu, 1), 1);
        }
        tumen_error err = {0};
        ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
        tumen_store_free(s);
        if (variant == 2) {
            sqlite3 *db = NULL;
            ASSERT_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
            ASSERT_EQ_INT(sqlite3_exec(db, "PRAGMA user_version=4", NULL, NULL, NULL),
                          SQLITE_OK);
            sqlite3_close(db);
        }
        ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM doc_terms WHERE doc_terms MATCH "
                                      "'y2024'"),
                      1); /* the year term of 2024 */

        s = open_store(path);
        ASSERT_TRUE(s != NULL);
        tumen_event e3 = make_event(t3, 1, t3, "RUS", "PRK", "0311", "2024-03-10");
        ASSERT_EQ_INT(add_doc(s, "c", "2024-03-12", t3, &e3, 1), 1);
        ASSERT_EQ_INT(s->cl_complete, 0);
        ASSERT_EQ_INT(s->cl_year_mode, variant == 0 ? 1 : 0);
        if (variant == 0) {
            ASSERT_EQ_UINT(s->cl_nyears, 1); /* 2024 only */
            ASSERT_EQ_UINT(s->ncls, 1); /* the 2024 cluster, read back and merged into; the
                                         * 2019 one stays unread */
        }
        ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
        tumen_store_free(s);
        ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM clusters"), 1);
        /* (the undated event joined the newer cluster by "when=one-empty") */
        ASSERT_EQ_INT(query_int(path, "SELECT mentions FROM clusters WHERE event_time = "
                                      "'2024-03'"),
                      variant == 1 ? 3 : 2);
        ASSERT_EQ_INT(query_int(path, "PRAGMA user_version"), variant == 2 ? 4 : 5);
    }
}

TEST(store_clusters_view) {
    /* schema 5's clusters view derives the key's parts and the dates: a symmetric dyad, an
     * empty channel, a month-only and a missing date */
    char path[512];
    db_path(path, sizeof path, "clview.db");
    tumen_store *s = open_store(path);
    ASSERT_TRUE(s != NULL);
    tumen_store_free(s);
    sqlite3 *db = NULL;
    ASSERT_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    ASSERT_EQ_INT(sqlite3_exec(db,
                               "INSERT INTO cluster_rows(id,key,term,code,quad,event_time,"
                               "first_key,last_key,mentions,sources) VALUES(7,'PRK=RUS|r04||P',"
                               "'k0ab','042',1,'2024-05',20240500,0,2,2)",
                               NULL, NULL, NULL),
                  SQLITE_OK);
    sqlite3_close(db);
    char str[256];
    query_str(path,
              "SELECT source_country||' '||target_country||' '||symmetric||' '||family||' ['||"
              "channel||'] '||mode||' '||first_date||' '||coalesce(last_date,'null')||' '||"
              "first_event FROM clusters",
              str, sizeof str);
    ASSERT_EQ_STR(str, "PRK RUS 1 r04 [] P 2024-05 null 7");
}

TEST(store_empty_channel) {
    /* an event whose channel is "" gets the table's channel, as one with none does, so a
     * later process that reads its cluster back makes the same key and merges */
    char path[512];
    db_path(path, sizeof path, "emptych.db");
    static const char t1[] = "In 2024 Russia proposed to invite workers.";
    static const char t2[] = "In 2024 Russia again proposed to invite workers.";
    for (int i = 0; i < 2; i++) {
        tumen_store *s = open_store(path);
        ASSERT_TRUE(s != NULL);
        const char *t = i == 0 ? t1 : t2;
        tumen_event e = make_event(t, 1, t, "RUS", "PRK", "0311", "2024");
        e.channel = "";
        ASSERT_EQ_INT(add_doc(s, i == 0 ? "a" : "b", "2024-05-01", t, &e, 1), 1);
        tumen_error err = {0};
        ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
        tumen_store_free(s);
    }
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM events WHERE channel = ''"), 0);
    ASSERT_EQ_INT(query_int(path, "SELECT mentions FROM clusters"), 2);
}

TEST(store_old_schema) {
    char path[512];
    db_path(path, sizeof path, "v1.db");
    sqlite3 *db = NULL;
    ASSERT_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    ASSERT_EQ_INT(sqlite3_exec(db, "PRAGMA user_version=1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    tumen_store *s = NULL;
    tumen_error err = {0};
    ASSERT_EQ_INT(tumen_store_new(path, 0, &s, &err), TUMEN_DB);
    ASSERT_NULL(s);
}

TEST(store_batch_rows) {
    /* the writer's table-valued functions read a batch bound as a pointer, and nothing
     * without one (plain SQL cannot make the pointer) */
    sqlite3 *db = NULL;
    ASSERT_EQ_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    ASSERT_EQ_INT(store_rows_register(db), SQLITE_OK);
    struct agg_cell cells[2] = {{7, 2, 3.5, 4.0, 0.5}, {9, 1, -2.0, 0.0, 2.0}};
    struct wcl cl = {0};
    cl.id = 42;
    cl.key = "RUS>PRK|mil|military|a";
    cl.term = "k0ab";
    cl.src = "RUS";
    cl.tgt = "PRK";
    cl.family = "mil";
    cl.channel = "military";
    cl.mode = "a";
    cl.code = "190";
    cl.time = "";
    cl.quad = 4;
    cl.first_key = 20240500;
    cl.last_key = 0;
    cl.mentions = 3;
    cl.sources = 2;
    cl.first_event = 42;
    struct batch b = {0};
    b.cells = cells;
    b.ncells = 2;
    b.cls = &cl;
    b.ncls = 1;
    sqlite3_stmt *q = NULL;
    ASSERT_EQ_INT(sqlite3_prepare_v2(db,
                                     "SELECT count(*), sum(key), sum(events), sum(goldstein_sum), "
                                     "sum(conflict) FROM tumen_batch_cells(?1)",
                                     -1, &q, NULL),
                  SQLITE_OK);
    sqlite3_bind_pointer(q, 1, &b, "tumen_batch", NULL);
    ASSERT_EQ_INT(sqlite3_step(q), SQLITE_ROW);
    ASSERT_EQ_INT(sqlite3_column_int(q, 0), 2);
    ASSERT_EQ_INT(sqlite3_column_int(q, 1), 16);
    ASSERT_EQ_INT(sqlite3_column_int(q, 2), 3);
    ASSERT_TRUE(sqlite3_column_double(q, 3) == 1.5);
    ASSERT_TRUE(sqlite3_column_double(q, 4) == 2.5);
    sqlite3_finalize(q);
    ASSERT_EQ_INT(sqlite3_prepare_v2(db,
                                     "SELECT id || ' ' || key || ' ' || quad || ' ' || "
                                     "coalesce(event_time, 'null') || ' ' || first_date || ' ' || "
                                     "coalesce(last_date, 'null') || ' ' || mentions || ' ' || "
                                     "sources FROM tumen_batch_clusters(?1)",
                                     -1, &q, NULL),
                  SQLITE_OK);
    sqlite3_bind_pointer(q, 1, &b, "tumen_batch", NULL);
    ASSERT_EQ_INT(sqlite3_step(q), SQLITE_ROW);
    ASSERT_EQ_STR((const char *)sqlite3_column_text(q, 0),
                  "42 RUS>PRK|mil|military|a 4 null 2024-05 null 3 2");
    ASSERT_EQ_INT(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    /* an integer, or a pointer of another type, is no batch */
    ASSERT_EQ_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM tumen_batch_cells(?1)", -1, &q,
                                     NULL),
                  SQLITE_OK);
    sqlite3_bind_int64(q, 1, (sqlite3_int64)(intptr_t)&b);
    ASSERT_EQ_INT(sqlite3_step(q), SQLITE_ROW);
    ASSERT_EQ_INT(sqlite3_column_int(q, 0), 0);
    sqlite3_reset(q);
    sqlite3_bind_pointer(q, 1, &b, "other", NULL);
    ASSERT_EQ_INT(sqlite3_step(q), SQLITE_ROW);
    ASSERT_EQ_INT(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

TEST(store_sha256) {
    char path[512];
    db_path(path, sizeof path, "sha.db");
    tumen_store *s = open_store(path);
    ASSERT_TRUE(s != NULL);
    ASSERT_EQ_INT(add_doc(s, "abc", NULL, "abc", NULL, 0), 1);
    /* 56 bytes: padding spills into a second block */
    ASSERT_EQ_INT(add_doc(s, "56", NULL, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                          NULL, 0),
                  1);
    tumen_error err = {0};
    ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
    tumen_store_free(s);
    char str[128];
    query_str(path, "SELECT hash FROM documents WHERE doc_id='abc'", str, sizeof str);
    ASSERT_EQ_STR(str, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    query_str(path, "SELECT hash FROM documents WHERE doc_id='56'", str, sizeof str);
    ASSERT_EQ_STR(str, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(store_clusters) {
    char path[512];
    db_path(path, sizeof path, "clusters.db");
    tumen_store *s = open_store(path);
    ASSERT_TRUE(s != NULL);
    tumen_store_set_batch(s, 1, 0); /* commit after each document: clusters cross batches */
    static const char t1[] = "In 2022 Khusnullin proposed to invite 50,000 workers.";
    static const char t2[] = "Khusnullin said Russia is working on bringing 20,000-50,000 workers.";
    static const char t3[] = "In 2024 Russia proposed to invite more workers.";
    static const char t4[] = "Russia proposed to invite workers.";
    tumen_event e = make_event(t1, 1, t1, "RUSGOV", "PRK", "0311", "2022");
    ASSERT_EQ_INT(add_doc(s, "d1", "2025", t1, &e, 1), 1);
    e = make_event(t2, 1, t2, "RUSGOV", "PRKLAB", "0311", "2022-08");
    e.modality = TUMEN_REPORTED;
    ASSERT_EQ_INT(add_doc(s, "d2", "2022-08", t2, &e, 1), 1);
    e = make_event(t3, 1, t3, "RUS", "PRK", "0311", "2024");
    ASSERT_EQ_INT(add_doc(s, "d3", "2024", t3, &e, 1), 1);
    e = make_event(t4, 1, t4, "RUS", "PRK", "061", ""); /* econ family, no time */
    ASSERT_EQ_INT(add_doc(s, "d4", "2022-09-30", t4, &e, 1), 1); /* no when: doc month */
    static const char t5[] = "Russia hosted a delegation.";
    e = make_event(t5, 1, t5, "RUS", "PRK", "061", ""); /* 2025: too late for 2022 */
    ASSERT_EQ_INT(add_doc(s, "d5", "2025-01-05", t5, &e, 1), 1);
    tumen_error err = {0};
    ASSERT_EQ_INT(tumen_store_flush(s, &err), TUMEN_OK);
    tumen_store_free(s);
    /* one merged cluster (2022); the 2024 and 2025 events stand alone */
    ASSERT_EQ_INT(query_int(path, "SELECT count(*) FROM clusters"), 1);
    ASSERT_EQ_INT(query_int(path, "SELECT count(DISTINCT cluster) FROM events"), 3);
    ASSERT_EQ_INT(query_int(path, "SELECT mentions FROM clusters WHERE event_time='2022'"), 3);
    ASSERT_EQ_INT(query_int(path, "SELECT sources FROM clusters WHERE event_time='2022'"), 3);
    char str[128];
    query_str(path, "SELECT first_date||' '||last_date FROM clusters WHERE event_time='2022'",
              str, sizeof str);
    ASSERT_EQ_STR(str, "2022 2022-09-30");
    query_str(path, "SELECT key FROM clusters WHERE event_time='2022'", str, sizeof str);
    ASSERT_EQ_STR(str, "RUS>PRK|econ|labour|F");
    query_str(path, "SELECT group_concat(cluster_rule, ',') FROM events", str, sizeof str);
    ASSERT_EQ_STR(str, "new,when=prefix,new,doc-date=prefix,new");
    query_str(path, "SELECT group_concat(rule, ',') FROM cluster_members", str, sizeof str);
    ASSERT_EQ_STR(str, "new,when=prefix,doc-date=prefix");
}

int main(void) {
    RUN(channels_shipped_table);
    RUN(channels_grammar_errors);
    RUN(store_ingest_dedup);
    RUN(store_modalities);
    RUN(store_read_while_writing);
    RUN(store_fresh_limit);
    RUN(store_batch_rows);
    RUN(store_reopen_by_year);
    RUN(store_empty_channel);
    RUN(store_clusters_view);
    RUN(store_other_writer);
    RUN(store_reopen_clusters);
    RUN(store_old_schema);
    RUN(store_sha256);
    RUN(store_clusters);
    return harness_summary();
}
