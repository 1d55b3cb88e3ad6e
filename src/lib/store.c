/* Event store, ingest side: schema, documents keyed by content hash, batched transactions,
 * events copied per document and written whole, dyad_month aggregates. Schema: docs/store.md. */
#include "store_impl.h"

#include "cameo.h"
#include "sink.h"

#include <openssl/evp.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- document content hashes: SHA-256 through libcrypto (OpenSSL; SHA extensions when the
 * CPU has them) ---- */

/* Writes the lower-case hex SHA-256 of data; false when libcrypto fails (out of memory). */
static bool sha256_hex(const void *data, size_t len, char out[65]) {
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32) {
        return false;
    }
    for (int k = 0; k < 32; k++) {
        out[2 * k] = hex[md[k] >> 4];
        out[2 * k + 1] = hex[md[k] & 15];
    }
    out[64] = '\0';
    return true;
}

/* ---- schema ---------------------------------------------------------------------------- */

/* Events are stored per document, as one JSON array in documents.event_data (keys in
 * docs/store.md), not as one SQLite row each: a row per event costs about 2 us of SQLite time
 * (bench/store.sh), a document's array costs a few hundred ns per event. The events view
 * turns the arrays into rows with json_each; doc_terms (a contentless FTS5 index) finds the
 * documents of a dyad, a country or a cluster key without scanning, and dyad_month holds
 * the aggregates the dyad and actors commands read. Span texts are not stored twice: the
 * view cuts them out of documents.text by their byte offsets. */
#define JV(k) "(j.value->>'" k "')"
#define SPAN(k)                                                                                 \
    "CAST(substr(CAST(d.text AS BLOB), (j.value->>'$." k "[0]') + 1, (j.value->>'$." k         \
    "[1]') - (j.value->>'$." k "[0]')) AS TEXT)"
#define SPAN_COLS(k, name)                                                                      \
    "(j.value->>'$." k "[0]') AS " name "_start, (j.value->>'$." k "[1]') AS " name "_end, "

static const char *const schema_sql[] = {
    "CREATE TABLE IF NOT EXISTS documents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash TEXT NOT NULL UNIQUE,\n"
    "  doc_id TEXT, date TEXT, title TEXT, url TEXT,\n"
    "  text TEXT NOT NULL, bytes INTEGER NOT NULL,\n"
    "  events INTEGER NOT NULL, sentences INTEGER NOT NULL,\n"
    "  first_event INTEGER NOT NULL, event_data TEXT NOT NULL,\n"
    "  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "CREATE VIRTUAL TABLE IF NOT EXISTS doc_terms USING fts5(terms, content='', "
    "detail=none, columnsize=0, tokenize='ascii');\n"
    "CREATE TABLE IF NOT EXISTS clusters(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  key TEXT NOT NULL, term TEXT NOT NULL,\n"
    "  source_country TEXT NOT NULL, target_country TEXT NOT NULL, symmetric INTEGER NOT "
    "NULL,\n"
    "  family TEXT NOT NULL, channel TEXT NOT NULL, mode TEXT NOT NULL,\n"
    "  code TEXT NOT NULL, quad INTEGER NOT NULL,\n"
    "  event_time TEXT, first_date TEXT, last_date TEXT,\n"
    "  first_key INTEGER, last_key INTEGER,\n"
    "  mentions INTEGER NOT NULL, sources INTEGER NOT NULL, first_event INTEGER);\n"
    "CREATE TABLE IF NOT EXISTS countries(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE IF NOT EXISTS channels(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE IF NOT EXISTS agg_cells(\n"
    "  key INTEGER PRIMARY KEY, events INTEGER NOT NULL, goldstein_sum REAL NOT NULL,\n"
    "  coop REAL NOT NULL, conflict REAL NOT NULL);\n",
    "CREATE VIEW IF NOT EXISTS dyad_month AS SELECT\n"
    "  s.code AS source_country, t.code AS target_country,\n"
    "  (a.key >> 44) / 13 * 100 + (a.key >> 44) % 13 AS month,\n"
    "  c.name AS channel, (a.key >> 3) & 7 AS quad,\n"
    "  CASE a.key & 7 WHEN 0 THEN 'asserted' WHEN 1 THEN 'reported' WHEN 2 THEN "
    "'hypothetical'\n"
    "    WHEN 3 THEN 'negated' WHEN 4 THEN 'denied' ELSE 'forecast' END AS modality,\n"
    "  a.events, a.goldstein_sum, a.coop, a.conflict\n"
    "  FROM agg_cells a JOIN countries s ON s.id = (a.key >> 30) & 16383\n"
    "  JOIN countries t ON t.id = (a.key >> 16) & 16383 JOIN channels c ON c.id = (a.key >> 6) & "
    "1023;\n",
    "CREATE VIEW IF NOT EXISTS events AS SELECT\n"
    "  d.first_event + j.key AS id, d.id AS doc,\n"
    "  d.first_event + coalesce(" JV("sf") ", j.key) AS sentence,\n"
    "  " JV("n") " AS sentence_no, j.key + 1 AS seq,\n"
    "  " SPAN_COLS("S", "sentence") SPAN("S") " AS sentence_text,\n"
    "  CASE WHEN " JV("k") " = 1 THEN 'statistic' ELSE 'event' END AS kind,\n"
    "  " JV("src") " AS source, " JV("tgt") " AS target,\n"
    "  " JV("sc") " AS source_country, " JV("tc") " AS target_country,\n"
    "  " SPAN_COLS("ss", "source") SPAN("ss") " AS source_text,\n"
    "  " SPAN_COLS("ts", "target") SPAN("ts") " AS target_text,\n"
    "  " JV("c") " AS code, substr(" JV("c") ", 1, 2) AS root,\n"
    "  CAST(" JV("g") " AS REAL) AS goldstein, " JV("q") " AS quad,\n"
    "  coalesce(" JV("sym") ", 0) AS symmetric,\n"
    "  " SPAN_COLS("v", "verb") SPAN("v") " AS verb_text,\n"
    "  " JV("m") " AS modality, " JV("at") " AS attributed_to,\n"
    "  " SPAN_COLS("cu", "cue") SPAN("cu") " AS cue_text,\n"
    "  CAST(" JV("p") " AS REAL) AS probability,\n"
    "  " SPAN_COLS("ps", "probability") SPAN("ps") " AS probability_words,\n"
    "  CAST(" JV("qv") " AS REAL) AS qty_value, CAST(" JV("ql") " AS REAL) AS qty_low,\n"
    "  " JV("qa") " AS qty_approx, " JV("qb") " AS qty_bound, " JV("qu") " AS qty_unit,\n"
    "  " SPAN_COLS("qs", "qty") SPAN("qs") " AS qty_text,\n"
    "  " JV("w") " AS event_time, " SPAN_COLS("ws", "time") SPAN("ws") " AS time_text,\n"
    "  CASE WHEN coalesce(" JV("dk") ", 0) <= 0 THEN NULL\n"
    "    WHEN " JV("dk") " / 100 % 100 = 0 THEN printf('%04d', " JV("dk") " / 10000)\n"
    "    WHEN " JV("dk") " % 100 = 0 THEN printf('%04d-%02d', " JV("dk") " / 10000, " JV("dk")
    " / 100 % 100)\n"
    "    ELSE printf('%04d-%02d-%02d', " JV("dk") " / 10000, " JV("dk") " / 100 % 100, " JV("dk")
    " % 100) END AS date,\n"
    "  coalesce(" JV("dk") ", 0) AS date_key,\n"
    "  " JV("pt") " AS pattern, " JV("ch") " AS channel,\n"
    "  " JV("cl") " AS cluster,\n"
    "  CASE WHEN " JV("cl") " IS NULL THEN NULL ELSE coalesce(" JV("cr") ", 'new') END AS "
    "cluster_rule\n"
    "  FROM documents d, json_each(d.event_data) j;\n",
    "CREATE VIEW IF NOT EXISTS sentences AS SELECT\n"
    "  id, doc, sentence_no AS n, sentence_start AS start, sentence_end AS end,\n"
    "  sentence_text AS text FROM events WHERE id = sentence;\n"
    "CREATE VIEW IF NOT EXISTS cluster_members AS\n"
    "  SELECT e.cluster AS cluster_id, e.id AS event_id, e.doc, e.cluster_rule AS rule\n"
    "  FROM clusters c JOIN events e ON e.doc IN (SELECT rowid FROM doc_terms WHERE "
    "doc_terms MATCH c.term) AND e.cluster = c.id;\n"};

tumen_status store_db_error(tumen_store *s, tumen_error *err, const char *what) {
    return err_set(err, TUMEN_DB, s && s->path ? s->path : "", 0, 0, "%s: %s", what,
                   s && s->db ? sqlite3_errmsg(s->db) : "cannot open database");
}

void store_key_date(int32_t key, char out[11]) {
    out[0] = '\0';
    if (key <= 0) {
        return;
    }
    unsigned y = (unsigned)(key / 10000) % 10000u, m = (unsigned)(key / 100) % 100u,
             d = (unsigned)key % 100u;
    if (m == 0) {
        snprintf(out, 11, "%04u", y);
    } else if (d == 0) {
        snprintf(out, 11, "%04u-%02u", y, m);
    } else {
        snprintf(out, 11, "%04u-%02u-%02u", y, m, d);
    }
}

void store_norm_date(const char *in, char out[11], int32_t *key) {
    int32_t k = 0;
    out[0] = '\0';
    if (in && date_parse(in, strlen(in), &k) && k > 0) {
        unsigned y = (unsigned)(k / 10000) % 10000u, m = (unsigned)(k / 100) % 100u,
                 d = (unsigned)k % 100u;
        if (m == 0) {
            snprintf(out, 11, "%04u", y);
            k = (int32_t)y * 10000;
        } else if (d == 0) {
            snprintf(out, 11, "%04u-%02u", y, m);
        } else {
            snprintf(out, 11, "%04u-%02u-%02u", y, m, d);
        }
    } else {
        k = 0;
    }
    *key = k;
}

static tumen_status exec(tumen_store *s, const char *sql, tumen_error *err) {
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        return store_db_error(s, err, sql);
    }
    return TUMEN_OK;
}

static tumen_status prepare(tumen_store *s, sqlite3_stmt **st, const char *sql,
                            tumen_error *err) {
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        return store_db_error(s, err, "prepare");
    }
    return TUMEN_OK;
}

static tumen_status prepare_on(tumen_store *s, sqlite3 *db, sqlite3_stmt **st, const char *sql,
                               tumen_error *err) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        return err_set(err, TUMEN_DB, s->path, 0, 0, "prepare: %s", sqlite3_errmsg(db));
    }
    return TUMEN_OK;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) {
        memcpy(p, s, n);
    }
    return p;
}

static int64_t query_int(tumen_store *s, const char *sql) {
    sqlite3_stmt *q = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        v = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    return v;
}

/* Creates the schema (inside a write transaction). */
static tumen_status create_schema(tumen_store *s, tumen_error *err) {
    int64_t version = query_int(s, "PRAGMA user_version");
    if (version != 0 && version != STORE_SCHEMA_VERSION) {
        return err_set(err, TUMEN_DB, s->path, 0, 0,
                       "unsupported store schema version %d (this tumen writes version %d; "
                       "ingest into a new store)",
                       (int)version, STORE_SCHEMA_VERSION);
    }
    tumen_status st = TUMEN_OK;
    for (size_t i = 0; i < sizeof schema_sql / sizeof schema_sql[0] && st == TUMEN_OK; i++) {
        st = exec(s, schema_sql[i], err);
    }
    if (st != TUMEN_OK) {
        return st;
    }
    /* an empty store: every cluster that will exist is made (and cached) by this process */
    s->cl_complete = query_int(s, "SELECT count(*) FROM (SELECT 1 FROM documents LIMIT 1)") == 0;
    s->fresh = s->cl_complete;
    return exec(s, "PRAGMA user_version=" STORE_SCHEMA_VERSION_STR, err);
}

static tumen_status load_codes(tumen_store *s, tumen_error *err);

tumen_status tumen_store_new(const char *path, unsigned flags, tumen_store **out,
                             tumen_error *err) {
    *out = NULL;
    tumen_store *s = calloc(1, sizeof *s);
    if (s == NULL || (s->path = xstrdup(path)) == NULL) {
        free(s);
        return err_set(err, TUMEN_NOMEM, path, 0, 0, "out of memory");
    }
    s->flags = flags;
    s->batch_docs = 10000;
    s->batch_events = 50000;
    s->fresh_max = 4000000;
    s->cl_cache_max = 4000000; /* about 100 bytes each */
    arena_init(&s->arena);
    intern_init(&s->countries);
    intern_init(&s->pending);
    intern_init(&s->chans);
    cluster_cache_init(s);
    int ro = (flags & TUMEN_STORE_READONLY) != 0;
    /* a tumen_store belongs to one thread: no connection mutex */
    int oflags = (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                 SQLITE_OPEN_NOMUTEX;
    tumen_status st = TUMEN_OK;
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        if (ro && rc == SQLITE_CANTOPEN) {
            st = err_set(err, TUMEN_NOTFOUND, path, 0, 0,
                         "no event store here (create it with 'tumen ingest')");
        } else {
            st = store_db_error(s, err, "open");
        }
        tumen_store_free(s);
        return st;
    }
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_extended_result_codes(s->db, 1);
    if (!ro) {
        /* 64 KiB pages: a document with its event array is one or two pages, and the write
         * path makes far fewer system calls than with 4 KiB (only a new file takes it) */
        st = exec(s, "PRAGMA page_size=65536; PRAGMA journal_mode=WAL; "
                     "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
                     "PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=1024;",
                  err);
        if (st == TUMEN_OK) {
            st = exec(s, "BEGIN IMMEDIATE", err);
        }
        if (st == TUMEN_OK) {
            st = create_schema(s, err);
            if (st == TUMEN_OK) {
                st = exec(s, "COMMIT", err);
            } else {
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            }
        }
        /* the ingest side's read connection (store_impl.h) */
        if (st == TUMEN_OK &&
            sqlite3_open_v2(path, &s->rdb, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
                SQLITE_OK) {
            st = err_set(err, TUMEN_DB, path, 0, 0, "open for reading: %s",
                         s->rdb ? sqlite3_errmsg(s->rdb) : "out of memory");
        }
        if (st == TUMEN_OK) {
            sqlite3_busy_timeout(s->rdb, 10000);
            st = prepare_on(s, s->rdb, &s->sel_doc, "SELECT id FROM documents WHERE hash=?",
                            err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->ins_doc,
                         "INSERT INTO documents(hash,doc_id,date,title,url,text,bytes,events,"
                         "sentences,first_event,event_data) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                         err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->ins_terms, "INSERT INTO doc_terms(rowid,terms) VALUES(?,?)",
                         err);
        }
        if (st == TUMEN_OK) {
            /* a key bucket's events, to rebuild its clusters (cluster.c, load_bucket) */
            st = prepare_on(s, s->rdb, &s->sel_cl,
                            "SELECT d.first_event, d.event_data FROM doc_terms t JOIN documents "
                            "d ON d.id = t.rowid WHERE doc_terms MATCH ?1",
                            err);
        }
        if (st == TUMEN_OK) {
            /* every stored event, to rebuild all clusters at once (cluster.c, load_all) */
            st = prepare_on(s, s->rdb, &s->sel_all,
                            "SELECT first_event, event_data FROM documents ORDER BY id", err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->put_cl,
                         "INSERT OR REPLACE INTO clusters(id,key,term,source_country,"
                         "target_country,symmetric,family,channel,mode,code,quad,event_time,"
                         "first_date,last_date,first_key,last_key,mentions,sources,first_event) "
                         "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,"
                         "?19)",
                         err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->up_agg,
                         "INSERT INTO agg_cells(key,events,goldstein_sum,coop,conflict) "
                         "VALUES(?,?,?,?,?) ON CONFLICT DO UPDATE SET "
                         "events=events+excluded.events,"
                         "goldstein_sum=goldstein_sum+excluded.goldstein_sum,"
                         "coop=coop+excluded.coop,conflict=conflict+excluded.conflict",
                         err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->ins_code[0], "INSERT INTO countries(id,code) VALUES(?,?)", err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->ins_code[1], "INSERT INTO channels(id,name) VALUES(?,?)", err);
        }
        if (st == TUMEN_OK) {
            st = load_codes(s, err);
        }
        if (st == TUMEN_OK) {
            s->next_event_id = store_next_event_id(s);
            if (s->next_event_id < 1) {
                st = store_db_error(s, err, "read the next event id");
            }
        }
        if (st == TUMEN_OK) {
            st = writer_start(s, err);
        }
    } else {
        sqlite3_stmt *q = NULL;
        int version = -1;
        if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW) {
            version = sqlite3_column_int(q, 0);
        } else {
            st = store_db_error(s, err, "read schema version");
        }
        sqlite3_finalize(q);
        if (st == TUMEN_OK && version != STORE_SCHEMA_VERSION) {
            st = err_set(err, TUMEN_DB, path, 0, 0,
                         version == 0 ? "not a tumen event store (run 'tumen ingest' first)"
                                      : "unsupported store schema version %d",
                         version);
        }
    }
    if (st != TUMEN_OK) {
        tumen_store_free(s);
        return st;
    }
    *out = s;
    return TUMEN_OK;
}

tumen_status tumen_store_load_channels(tumen_store *s, const char *path, tumen_error *err) {
    struct channel_table *t = NULL;
    tumen_status st = channel_table_load(path, &t, err);
    if (st != TUMEN_OK) {
        return st;
    }
    channel_table_free(s->channels);
    s->channels = t;
    return TUMEN_OK;
}

void tumen_store_set_batch(tumen_store *s, size_t docs, size_t events) {
    if (docs) {
        s->batch_docs = docs;
    }
    if (events) {
        s->batch_events = events;
    }
}

void tumen_store_free(tumen_store *s) {
    if (s == NULL) {
        return;
    }
    /* batches handed to the writer are written; the one being filled is dropped */
    writer_stop(s);
    batch_free(s->cur);
    batch_free(s->spare);
    sqlite3_finalize(s->sel_doc);
    sqlite3_finalize(s->ins_doc);
    sqlite3_finalize(s->ins_terms);
    sqlite3_finalize(s->sel_cl);
    sqlite3_finalize(s->sel_all);
    sqlite3_finalize(s->put_cl);
    sqlite3_finalize(s->up_agg);
    sqlite3_finalize(s->ins_code[0]);
    sqlite3_finalize(s->ins_code[1]);
    sqlite3_close(s->rdb);
    sqlite3_close(s->db);
    free(s->pevs);
    arena_fini(&s->arena);
    free(s->term_set);
    intern_fini(&s->countries);
    intern_fini(&s->chans);
    intern_fini(&s->pending);
    cluster_cache_fini(s);
    channel_table_free(s->channels);
    free(s->agg);
    free(s->path);
    free(s);
}

/* ---- batches ------------------------------------------------------------------------------ */

/* Reads the countries and channels tables into s->countries and s->chans (ids dense from 1,
 * as this code writes them). */
static tumen_status load_codes(tumen_store *s, tumen_error *err) {
    static const char *const sql[2] = {"SELECT id, code FROM countries ORDER BY id",
                                       "SELECT id, name FROM channels ORDER BY id"};
    struct intern *t[2] = {&s->countries, &s->chans};
    size_t *saved[2] = {&s->countries_saved, &s->chans_saved};
    for (int k = 0; k < 2; k++) {
        intern_fini(t[k]);
        intern_init(t[k]);
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(s->db, sql[k], -1, &q, NULL) != SQLITE_OK) {
            return store_db_error(s, err, "read code tables");
        }
        int rc;
        tumen_status st = TUMEN_OK;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(q, 1);
            int64_t id = sqlite3_column_int64(q, 0);
            if (code == NULL || id != (int64_t)t[k]->n + 1) {
                st = err_set(err, TUMEN_DB, s->path, 0, 0,
                             "corrupt store: ids of table %s are not 1, 2, 3, ...",
                             k ? "channels" : "countries");
                break;
            }
            if (intern_add(t[k], code, strlen(code)) == TUMEN_NOID) {
                st = err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
                break;
            }
        }
        sqlite3_finalize(q);
        if (st != TUMEN_OK) {
            return st;
        }
        if (rc != SQLITE_DONE) {
            return store_db_error(s, err, "read code tables");
        }
        *saved[k] = t[k]->n;
    }
    return TUMEN_OK;
}


static int cmp_cell(const void *a, const void *b) {
    uint64_t x = ((const struct agg_cell *)a)->key, y = ((const struct agg_cell *)b)->key;
    return (x > y) - (x < y);
}

/* Moves the batch's aggregate cells (sorted by key, so that the upserts walk the table's
 * B-tree in order) and the countries and channels first met in it into s->cur. */
static tumen_status agg_snapshot(tumen_store *s, tumen_error *err) {
    struct batch *b = s->cur;
    struct intern *t[2] = {&s->countries, &s->chans};
    size_t *saved[2] = {&s->countries_saved, &s->chans_saved};
    for (int k = 0; k < 2; k++) {
        size_t n = t[k]->n - *saved[k];
        if (n == 0) {
            continue;
        }
        b->codes[k] = malloc(n * sizeof *b->codes[k]);
        if (b->codes[k] == NULL) {
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            const char *c = intern_str(t[k], (uint32_t)(*saved[k] + i));
            b->codes[k][i] = arena_strndup(&b->arena, c, strlen(c));
            if (b->codes[k][i] == NULL) {
                return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
            }
        }
        b->ncodes[k] = n;
        b->code_first[k] = (int64_t)*saved[k] + 1;
        *saved[k] = t[k]->n;
    }
    size_t n = 0;
    b->cells = malloc((s->agg_n ? s->agg_n : 1) * sizeof *b->cells);
    if (b->cells == NULL) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < s->agg_cap && n < s->agg_n; i++) {
        if (s->agg[i].key) {
            b->cells[n++] = s->agg[i];
        }
    }
    if (n > 1) {
        qsort(b->cells, n, sizeof *b->cells, cmp_cell);
    }
    b->ncells = n;
    if (s->agg) {
        memset(s->agg, 0, s->agg_cap * sizeof *s->agg);
    }
    s->agg_n = 0;
    return TUMEN_OK;
}

/* Ends the batch being filled: its cells, codes and changed clusters go into it and it goes
 * to the writer. */
static tumen_status batch_close(tumen_store *s, tumen_error *err) {
    if (s->cur == NULL) {
        return TUMEN_OK;
    }
    tumen_status st = agg_snapshot(s, err);
    if (st == TUMEN_OK) {
        st = cluster_snapshot(s, s->cur, err);
    }
    if (st != TUMEN_OK) {
        s->failed = 1;
        return st;
    }
    writer_dispatch(s, s->cur);
    s->cur = NULL;
    if (s->ncls > s->cl_cache_max) {
        /* read back what is needed later, once everything is written */
        st = writer_drain(s, err);
        cluster_cache_clear(s);
    }
    return st;
}

tumen_status tumen_store_flush(tumen_store *s, tumen_error *err) {
    if (s->failed) {
        return err_set(err, TUMEN_DB, s->path, 0, 0, "an earlier write failed");
    }
    tumen_status st = batch_close(s, err);
    if (st == TUMEN_OK) {
        st = writer_drain(s, err);
    }
    return st;
}

/* ---- documents ------------------------------------------------------------------------------ */

tumen_status tumen_store_doc_begin(tumen_store *s, const tumen_doc *doc, int *is_new,
                                   tumen_error *err) {
    *is_new = 0;
    if (s->flags & TUMEN_STORE_READONLY) {
        return err_set(err, TUMEN_INVALID, s->path, 0, 0, "store opened read-only");
    }
    if (s->failed) {
        return err_set(err, TUMEN_DB, s->path, 0, 0, "an earlier write failed");
    }
    if (s->doc_open) {
        return err_set(err, TUMEN_INVALID, s->path, 0, 0, "document already open");
    }
    tumen_status st = writer_reap(s, err);
    if (st != TUMEN_OK) {
        return st;
    }
    s->doc = *doc;
    s->doc_open = 1;
    s->npevs = 0;
    s->ev_status = TUMEN_OK;
    arena_reset(&s->arena);
    store_norm_date(doc->date, s->doc_date, &s->doc_date_key);
    if (!sha256_hex(doc->text ? doc->text : "", doc->text ? doc->len : 0, s->hash)) {
        s->doc_open = 0;
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "SHA-256 of the document failed");
    }
    /* new unless committed already (rdb) or waiting in a batch (pending); a store that was
     * empty at open holds only what pending has seen, so it needs no read (another process
     * storing the same text meanwhile makes a batch fail on documents.hash UNIQUE) */
    if (intern_find(&s->pending, s->hash, 64) != TUMEN_NOID) {
        s->doc_new = 0;
    } else if (s->fresh) {
        s->doc_new = 1;
    } else {
        sqlite3_reset(s->sel_doc);
        sqlite3_bind_text(s->sel_doc, 1, s->hash, 64, SQLITE_STATIC);
        int rc = sqlite3_step(s->sel_doc);
        sqlite3_reset(s->sel_doc);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            s->doc_open = 0;
            return err_set(err, TUMEN_DB, s->path, 0, 0, "look up document: %s",
                           sqlite3_errmsg(s->rdb));
        }
        s->doc_new = rc == SQLITE_DONE;
    }
    *is_new = s->doc_new;
    return TUMEN_OK;
}

int tumen_store_add_event(void *store, const tumen_event *ev) {
    tumen_store *s = store;
    if (!s->doc_open || !s->doc_new) {
        return 0;
    }
    size_t cap = s->cap_pevs;
    if (!grow((void **)&s->pevs, &cap, s->npevs + 1, sizeof *s->pevs)) {
        s->ev_status = TUMEN_NOMEM;
        return 1;
    }
    s->cap_pevs = cap;
    struct pev *p = &s->pevs[s->npevs];
    memset(p, 0, sizeof *p);
    p->ev = *ev;
    p->ev.doc_id = s->doc.id;
    p->ev.doc_text = s->doc.text;
    p->ev.date = s->doc.date;
    p->ev.pattern_file = NULL;
    if (ev->pattern_file) {
        p->ev.pattern_file = arena_strndup(&s->arena, ev->pattern_file, strlen(ev->pattern_file));
        if (p->ev.pattern_file == NULL) {
            s->ev_status = TUMEN_NOMEM;
            return 1;
        }
    }
    const char *ch = ev->channel;
    if (ch == NULL && s->channels) {
        ch = channel_classify(s->channels, ev, NULL);
    }
    if (ch == NULL) {
        ch = "other";
    }
    p->ev.channel = arena_strndup(&s->arena, ch, strlen(ch));
    if (p->ev.channel == NULL) {
        s->ev_status = TUMEN_NOMEM;
        return 1;
    }
    /* NUL-terminate the fixed-size strings defensively */
    p->ev.source[sizeof p->ev.source - 1] = '\0';
    p->ev.target[sizeof p->ev.target - 1] = '\0';
    p->ev.code[sizeof p->ev.code - 1] = '\0';
    p->ev.root[sizeof p->ev.root - 1] = '\0';
    p->ev.attributed_to[sizeof p->ev.attributed_to - 1] = '\0';
    p->ev.quantity.unit[sizeof p->ev.quantity.unit - 1] = '\0';
    p->ev.when[sizeof p->ev.when - 1] = '\0';
    int32_t k = 0;
    if (p->ev.when[0]) {
        store_norm_date(p->ev.when, p->date, &k);
    }
    if (p->date[0] == '\0') {
        memcpy(p->date, s->doc_date, sizeof p->date);
        k = s->doc_date_key;
    }
    p->date_key = k;
    store_country(p->ev.source, p->sc);
    store_country(p->ev.target, p->tc);
    s->npevs++;
    return 0;
}

/* ---- writing a document ---- */

void store_country(const char *code, char out[4]) {
    if (strncmp(code, "IGO", 3) == 0 && strlen(code) >= 6) {
        code += 3;
    }
    size_t n = 0;
    while (n < 3 && code[n]) {
        out[n] = code[n];
        n++;
    }
    out[n] = '\0';
    if (n < 3 || strcmp(out, "---") == 0) {
        memcpy(out, "---", 4);
    }
}

static bool span_ok(const tumen_span *sp, size_t doclen) {
    return sp->length > 0 && sp->offset <= doclen && sp->length <= doclen - sp->offset;
}

/* The table id (intern id + 1) of a country or channel, or 0 when the id space is full
 * (*st = TUMEN_LIMIT) or memory is out (*st = TUMEN_NOMEM). */
static uint64_t code_id(struct intern *t, const char *code, uint64_t max, tumen_status *st) {
    uint32_t id = intern_add(t, code, strlen(code));
    if (id == TUMEN_NOID) {
        *st = TUMEN_NOMEM;
        return 0;
    }
    if ((uint64_t)id + 1 > max) {
        *st = TUMEN_LIMIT;
        return 0;
    }
    return (uint64_t)id + 1;
}

/* code_id for a country (3 bytes), through a small memo: most events name a few countries. */
static uint64_t country_id(tumen_store *s, const char c[4], tumen_status *st) {
    uint32_t packed = (uint32_t)(unsigned char)c[0] << 16 | (uint32_t)(unsigned char)c[1] << 8 |
                      (uint32_t)(unsigned char)c[2];
    unsigned slot = (packed ^ packed >> 7 ^ packed >> 15) & 255;
    if (s->country_memo[slot] == packed + 1) {
        return s->country_memo_id[slot];
    }
    uint64_t id = code_id(&s->countries, c, AGG_MAX_COUNTRY, st);
    if (id) {
        s->country_memo[slot] = packed + 1; /* 0: empty slot */
        s->country_memo_id[slot] = (uint16_t)id;
    }
    return id;
}

static tumen_status agg_add(tumen_store *s, const struct pev *p) {
    tumen_status st = TUMEN_OK;
    uint64_t src = country_id(s, p->sc, &st);
    uint64_t tgt = src ? country_id(s, p->tc, &st) : 0;
    uint64_t ch = tgt ? code_id(&s->chans, p->ev.channel, AGG_MAX_CHANNEL, &st) : 0;
    if (ch == 0) {
        return st;
    }
    int stat = p->ev.kind == TUMEN_KIND_STATISTIC;
    int32_t y = p->date_key / 10000, m = p->date_key / 100 % 100;
    uint64_t month = y > 0 && y <= 9999 && m <= 12 ? (uint64_t)(y * 13 + m) : 0;
    uint64_t quad = stat ? 0 : (uint64_t)(p->ev.quad & 7);
    uint64_t key = src << AGG_SRC_SHIFT | tgt << AGG_TGT_SHIFT | month << AGG_MONTH_SHIFT |
                   ch << AGG_CHANNEL_SHIFT | quad << AGG_QUAD_SHIFT |
                   (uint64_t)(p->ev.modality & 7);
    if ((s->agg_n + 1) * 2 > s->agg_cap) {
        size_t ncap = s->agg_cap ? s->agg_cap * 2 : 1024;
        struct agg_cell *na = calloc(ncap, sizeof *na);
        if (na == NULL) {
            return TUMEN_NOMEM;
        }
        for (size_t i = 0; i < s->agg_cap; i++) {
            if (s->agg[i].key) {
                size_t j = hash_bytes(&s->agg[i].key, sizeof s->agg[i].key) & (ncap - 1);
                while (na[j].key) {
                    j = (j + 1) & (ncap - 1);
                }
                na[j] = s->agg[i];
            }
        }
        free(s->agg);
        s->agg = na;
        s->agg_cap = ncap;
    }
    size_t j = hash_bytes(&key, sizeof key) & (s->agg_cap - 1);
    while (s->agg[j].key && s->agg[j].key != key) {
        j = (j + 1) & (s->agg_cap - 1);
    }
    struct agg_cell *c = &s->agg[j];
    if (!c->key) {
        c->key = key;
        s->agg_n++;
    }
    c->events++;
    if (!stat) {
        double g = p->ev.goldstein;
        c->gsum += g;
        if (g > 0) {
            c->coop += g;
        } else {
            c->conflict -= g;
        }
    }
    return TUMEN_OK;
}

/* ---- the event array (keys: docs/store.md) ---- */

static tumen_status put_int(struct buf *b, int64_t v) {
    char tmp[24];
    size_t n = sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        tmp[--n] = '-';
    }
    return buf_add(b, tmp + n, sizeof tmp - n);
}

/* A double in the shortest of integer, 1 to 4 decimals, or %.17g that reads back exactly;
 * null when not finite. */
static tumen_status put_num(struct buf *b, double v) {
    if (!isfinite(v)) {
        return buf_add(b, "null", 4);
    }
    static const double scale[5] = {1, 10, 100, 1000, 10000};
    for (int k = 0; k < 5; k++) {
        double r = nearbyint(v * scale[k]);
        if (fabs(r) < 1e15 && r / scale[k] == v) {
            int64_t n = (int64_t)r;
            if (k == 0) {
                return put_int(b, n);
            }
            uint64_t u = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
            char frac[8];
            for (int i = k - 1; i >= 0; i--) {
                frac[i] = (char)('0' + u % 10);
                u /= 10;
            }
            tumen_status st = n < 0 ? buf_addc(b, '-') : TUMEN_OK;
            st = st ? st : put_int(b, (int64_t)(u));
            st = st ? st : buf_addc(b, '.');
            return st ? st : buf_add(b, frac, (size_t)k);
        }
    }
    return buf_printf(b, "%.17g", v);
}

/* ,"k": */
static tumen_status put_key(struct buf *b, const char *k) {
    size_t n = strlen(k);
    char tmp[16];
    tmp[0] = ',';
    tmp[1] = '"';
    memcpy(tmp + 2, k, n);
    tmp[n + 2] = '"';
    tmp[n + 3] = ':';
    return buf_add(b, tmp, n + 4);
}

static tumen_status put_str(struct buf *b, const char *k, const char *v) {
    if (v == NULL || v[0] == '\0') {
        return TUMEN_OK;
    }
    tumen_status st = put_key(b, k);
    return st ? st : sink_json_string(b, v, strlen(v));
}

static tumen_status put_span(tumen_store *s, struct buf *b, const char *k,
                             const tumen_span *sp) {
    if (!span_ok(sp, s->doc.len)) {
        return TUMEN_OK;
    }
    tumen_status st = put_key(b, k);
    st = st ? st : buf_addc(b, '[');
    st = st ? st : put_int(b, (int64_t)sp->offset);
    st = st ? st : buf_addc(b, ',');
    st = st ? st : put_int(b, (int64_t)(sp->offset + sp->length));
    return st ? st : buf_addc(b, ']');
}

/* Appends event p, the document's event number idx, to the document's event array. The date
 * is kept as its key only ("dk"; the events view and readers make "YYYY[-MM[-DD]]" of it). */
static tumen_status put_event(tumen_store *s, struct buf *b, const struct pev *p, size_t idx) {
    const tumen_event *e = &p->ev;
    const char *sc = p->sc, *tc = p->tc;
    int stat = e->kind == TUMEN_KIND_STATISTIC;
    tumen_status st = buf_add(b, "{\"n\":", 5);
    st = st ? st : put_int(b, (int64_t)e->sentence);
    if (p->sent_first != idx) { /* absent: the event is the first of its sentence */
        st = st ? st : put_key(b, "sf");
        st = st ? st : put_int(b, (int64_t)p->sent_first);
    }
    if (span_ok(&e->sent, s->doc.len)) {
        st = st ? st : put_span(s, b, "S", &e->sent);
    }
    if (stat) {
        st = st ? st : buf_add(b, ",\"k\":1", 6);
    }
    st = st ? st : put_str(b, "src", e->source[0] ? e->source : "---");
    st = st ? st : put_str(b, "tgt", e->target[0] ? e->target : "---");
    st = st ? st : put_str(b, "sc", sc);
    st = st ? st : put_str(b, "tc", tc);
    st = st ? st : put_span(s, b, "ss", &e->source_span);
    st = st ? st : put_span(s, b, "ts", &e->target_span);
    st = st ? st : put_str(b, "c", stat ? "--" : e->code);
    if (!stat) {
        st = st ? st : put_key(b, "g");
        st = st ? st : put_num(b, e->goldstein);
    }
    st = st ? st : put_key(b, "q");
    st = st ? st : put_int(b, stat ? 0 : e->quad);
    if (e->symmetric) {
        st = st ? st : buf_add(b, ",\"sym\":1", 8);
    }
    st = st ? st : put_span(s, b, "v", &e->verb);
    st = st ? st : put_str(b, "m", tumen_modality_name(e->modality));
    st = st ? st : put_str(b, "at", e->attributed_to);
    st = st ? st : put_span(s, b, "cu", &e->cue);
    if (e->probability >= 0 && !isnan(e->probability)) {
        st = st ? st : put_key(b, "p");
        st = st ? st : put_num(b, e->probability);
    }
    st = st ? st : put_span(s, b, "ps", &e->probability_words);
    const tumen_quantity *qt = &e->quantity;
    if (qt->present) {
        st = st ? st : put_key(b, "qv");
        st = st ? st : put_num(b, qt->value);
        if (qt->has_low) {
            st = st ? st : put_key(b, "ql");
            st = st ? st : put_num(b, qt->low);
        }
        st = st ? st : put_key(b, "qa");
        st = st ? st : put_int(b, qt->approx != 0);
        st = st ? st : put_str(b, "qb", qt->bound == TUMEN_BOUND_MAX   ? "max"
                                        : qt->bound == TUMEN_BOUND_MIN ? "min"
                                                                       : NULL);
        st = st ? st : put_str(b, "qu", qt->unit);
        st = st ? st : put_span(s, b, "qs", &qt->span);
    }
    st = st ? st : put_str(b, "w", e->when);
    st = st ? st : put_span(s, b, "ws", &e->when_span);
    if (p->date_key) {
        st = st ? st : put_key(b, "dk");
        st = st ? st : put_int(b, p->date_key);
    }
    if (e->pattern_file) {
        /* "file:line" */
        st = st ? st : put_key(b, "pt");
        st = st ? st : sink_json_string(b, e->pattern_file, strlen(e->pattern_file));
        if (st == TUMEN_OK) {
            b->len--; /* reopen the string: append ":line" */
            st = buf_addc(b, ':');
            st = st ? st : put_int(b, (int64_t)e->pattern_line);
            st = st ? st : buf_addc(b, '"');
        }
    }
    st = st ? st : put_str(b, "ch", e->channel);
    if (p->cluster) {
        st = st ? st : put_key(b, "cl");
        st = st ? st : put_int(b, p->cluster);
        st = st ? st : put_key(b, "kb"); /* the key's bucket, for load_bucket's filter */
        st = st ? st : put_int(b, (int64_t)p->bucket);
        if (strcmp(p->cluster_rule, "new") != 0) { /* absent: "new" */
            st = st ? st : put_str(b, "cr", p->cluster_rule);
        }
    }
    return st ? st : buf_addc(b, '}');
}

static bool term_code(const char *c) {
    if (c == NULL || strlen(c) != 3 || strcmp(c, "---") == 0) {
        return false;
    }
    for (int i = 0; i < 3; i++) {
        unsigned char ch = (unsigned char)c[i];
        if (!((ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))) {
            return false;
        }
    }
    return true;
}

/* Appends " <term>" to the doc_terms text unless the document has it already (a set of term
 * hashes, cleared per document). */
static tumen_status put_term(tumen_store *s, struct buf *b, const char *term, size_t n) {
    uint64_t h = hash_bytes(term, n) | 1; /* 0 marks a free slot */
    size_t mask = s->term_cap - 1;
    size_t j = (size_t)h & mask;
    while (s->term_set[j] && s->term_set[j] != h) {
        j = (j + 1) & mask;
    }
    if (s->term_set[j] == h) {
        return TUMEN_OK;
    }
    s->term_set[j] = h;
    tumen_status st = buf_addc(b, ' ');
    return st ? st : buf_add(b, term, n);
}

/* Appends " OR " (unless first) and "d<x><y>". */
static tumen_status or_dyad(struct buf *b, const char *x, const char *y) {
    tumen_status st = b->len ? buf_add(b, " OR ", 4) : TUMEN_OK;
    st = st ? st : buf_addc(b, 'd');
    st = st ? st : buf_add(b, x, 3);
    return st ? st : buf_add(b, y, 3);
}

bool store_terms_query(tumen_store *s, const char *a, const char *b, int directed,
                       struct buf *out) {
    buf_reset(out);
    if ((a && !term_code(a)) || (b && !term_code(b)) || (!a && !b)) {
        return false;
    }
    tumen_status st = TUMEN_OK;
    if (a && b) {
        st = or_dyad(out, a, b);
        if (!directed) {
            st = st ? st : or_dyad(out, b, a);
        }
    } else {
        /* one side: every dyad of it with a country of the store */
        const char *x = a ? a : b;
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(s->db, "SELECT code FROM countries", -1, &q, NULL) != SQLITE_OK) {
            return false;
        }
        while (st == TUMEN_OK && sqlite3_step(q) == SQLITE_ROW) {
            const char *y = (const char *)sqlite3_column_text(q, 0);
            if (!term_code(y)) {
                continue;
            }
            if (a) {
                st = or_dyad(out, x, y);
            }
            if (b || !directed) {
                st = st ? st : or_dyad(out, y, x);
            }
        }
        sqlite3_finalize(q);
        if (st == TUMEN_OK && out->len == 0) {
            st = buf_addc(out, 'x'); /* no such dyad: a term no document has */
        }
    }
    return st == TUMEN_OK;
}

/* Copies v (n bytes, or a string when n is SIZE_MAX) into the batch arena; NULL stays NULL. */
static bool copy_in(struct batch *b, const char *v, size_t n, const char **out) {
    *out = NULL;
    if (v == NULL) {
        return true;
    }
    *out = arena_strndup(&b->arena, v, n == SIZE_MAX ? strlen(v) : n);
    return *out != NULL;
}

/* Adds the open document, with its events, to the batch being filled. */
static tumen_status batch_add(tumen_store *s, tumen_error *err) {
    const tumen_doc *d = &s->doc;
    if (s->cur == NULL && (s->cur = batch_new(s, s->next_event_id)) == NULL) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    struct batch *bt = s->cur;
    size_t cap = bt->cap_docs;
    if (!grow((void **)&bt->docs, &cap, bt->ndocs + 1, sizeof *bt->docs)) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    bt->cap_docs = cap;
    struct wdoc *w = &bt->docs[bt->ndocs];
    memset(w, 0, sizeof *w);
    memcpy(w->hash, s->hash, sizeof w->hash);
    int64_t first_id = s->next_event_id;
    size_t nsent = 0;
    for (size_t i = 0; i < s->npevs; i++) {
        struct pev *p = &s->pevs[i];
        p->sent_first = (uint32_t)i;
        if (i > 0 && s->pevs[i - 1].ev.sentence == p->ev.sentence) {
            p->sent_first = s->pevs[i - 1].sent_first;
        } else {
            for (size_t j = 0; j < i; j++) {
                if (s->pevs[j].ev.sentence == p->ev.sentence) {
                    p->sent_first = s->pevs[j].sent_first;
                    break;
                }
            }
        }
        nsent += p->sent_first == i;
    }
    struct buf *b = &bt->data, *t = &bt->terms;
    w->data_off = b->len;
    w->terms_off = t->len;
    /* the term set: at most two terms per event, at most half full */
    size_t need = 16;
    while (need < 4 * s->npevs + 16) {
        need *= 2;
    }
    if (need > s->term_cap) {
        uint64_t *ns = realloc(s->term_set, need * sizeof *ns);
        if (ns == NULL) {
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
        s->term_set = ns;
        s->term_cap = need;
    }
    memset(s->term_set, 0, s->term_cap * sizeof *s->term_set);
    tumen_status st = buf_addc(b, '[');
    for (size_t i = 0; i < s->npevs && st == TUMEN_OK; i++) {
        struct pev *p = &s->pevs[i];
        if (!(s->flags & TUMEN_STORE_NO_CLUSTERS)) {
            st = cluster_assign(s, p, first_id, first_id + (int64_t)i, err);
            if (st != TUMEN_OK) {
                return st;
            }
        }
        if (i > 0) {
            st = buf_addc(b, ',');
        }
        st = st ? st : put_event(s, b, p, i);
        if (st == TUMEN_OK && term_code(p->sc) && term_code(p->tc)) {
            char term[8] = {'d'};
            memcpy(term + 1, p->sc, 3);
            memcpy(term + 4, p->tc, 3);
            st = put_term(s, t, term, 7);
        }
        if (st == TUMEN_OK && p->cluster_key) {
            char term[5];
            cluster_bucket_term(p->bucket, term);
            st = put_term(s, t, term, 4);
        }
        st = st ? st : agg_add(s, p);
    }
    st = st ? st : buf_addc(b, ']');
    w->data_len = b->len - w->data_off;
    w->terms_len = t->len - w->terms_off;
    if (st == TUMEN_OK && w->terms_len) {
        w->terms_off++; /* the leading space */
        w->terms_len--;
    }
    if (st == TUMEN_OK && (w->data_len > 1000000000 || d->len > 1000000000)) {
        st = TUMEN_LIMIT; /* SQLite's default limit on one value */
    }
    if (st == TUMEN_OK &&
        (!copy_in(bt, d->id, SIZE_MAX, &w->doc_id) ||
         !copy_in(bt, s->doc_date[0] ? s->doc_date : d->date, SIZE_MAX, &w->date) ||
         !copy_in(bt, d->title, SIZE_MAX, &w->title) || !copy_in(bt, d->url, SIZE_MAX, &w->url) ||
         buf_add(&bt->texts, d->text ? d->text : "", d->text ? d->len : 0) != TUMEN_OK ||
         intern_add(&s->pending, s->hash, 64) == TUMEN_NOID)) {
        st = TUMEN_NOMEM;
    }
    if (st != TUMEN_OK) {
        return err_set(err, st, s->path, 0, 0,
                       st == TUMEN_LIMIT ? "document or its events too large, or more than "
                                           "16383 countries or 1023 channels in the store"
                                         : "out of memory");
    }
    w->len = d->text ? d->len : 0;
    w->text_off = bt->texts.len - w->len;
    w->first_event = first_id;
    w->events = (int64_t)s->npevs;
    w->sentences = (int64_t)nsent;
    bt->ndocs++;
    bt->nevents += s->npevs;
    s->next_event_id += (int64_t)s->npevs;
    if (s->fresh && s->pending.n > s->fresh_max) {
        /* memory: from here on, committed documents are looked up in the store, and the set
         * shrinks to the batches in flight at the next reap */
        s->fresh = 0;
    }
    return TUMEN_OK;
}

tumen_status tumen_store_doc_end(tumen_store *s, int keep, tumen_error *err) {
    if (!s->doc_open) {
        return err_set(err, TUMEN_INVALID, s->path, 0, 0, "no document open");
    }
    s->doc_open = 0;
    if (s->ev_status != TUMEN_OK) {
        return err_set(err, s->ev_status, s->doc.id ? s->doc.id : "-", 0, 0,
                       "storing events: %s", tumen_strerror(s->ev_status));
    }
    if (!keep || !s->doc_new) {
        return TUMEN_OK;
    }
    tumen_status st = batch_add(s, err);
    if (st != TUMEN_OK) {
        s->failed = 1; /* the batch being filled is no longer whole */
        return st;
    }
    if (s->cur->ndocs >= s->batch_docs || s->cur->nevents >= s->batch_events) {
        return batch_close(s, err);
    }
    return TUMEN_OK;
}

tumen_status tumen_store_counts(tumen_store *s, uint64_t *docs, uint64_t *events,
                                uint64_t *clusters, tumen_error *err) {
    store_sync(s);
    static const char *const sql[3] = {"SELECT count(*) FROM documents",
                                       "SELECT coalesce(sum(events),0) FROM documents",
                                       "SELECT count(*) FROM clusters"};
    uint64_t *out[3] = {docs, events, clusters};
    for (int i = 0; i < 3; i++) {
        if (out[i] == NULL) {
            continue;
        }
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(s->db, sql[i], -1, &q, NULL) != SQLITE_OK ||
            sqlite3_step(q) != SQLITE_ROW) {
            sqlite3_finalize(q);
            return store_db_error(s, err, sql[i]);
        }
        *out[i] = (uint64_t)sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    return TUMEN_OK;
}
