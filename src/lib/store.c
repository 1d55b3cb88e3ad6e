/* Event store, ingest side: schema, documents keyed by content hash, batched transactions,
 * events copied per document and written whole, dyad_month aggregates. Schema: docs/store.md. */
#include "store_impl.h"

#include "cameo.h"
#include "evscan.h"
#include "sink.h"

#include <openssl/evp.h>

#include <math.h>
#include <stdio.h>
#include <stddef.h>
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
#define EV(i) "(j.value->>" #i ")"
/* span columns from a (start, length) pair at positions a and a+1: start, end, and the text
 * cut out of documents.text (NULL when the length is 0) */
#define SPAN_COLS(a, l, name)                                                                   \
    "CASE WHEN " EV(l) " > 0 THEN " EV(a) " END AS " name "_start, CASE WHEN " EV(l)          \
    " > 0 THEN " EV(a) " + " EV(l) " END AS " name "_end, CASE WHEN " EV(l)                   \
    " > 0 THEN CAST(substr(CAST(d.text AS BLOB), " EV(a) " + 1, " EV(l) ") AS TEXT) END"
/* the country of an actor code at position i: its first 3 characters, or the 3 after "IGO";
 * "---" when shorter or unknown (store_country) */
#define COUNTRY(i)                                                                              \
    "CASE WHEN substr(" EV(i) ", 1, 3) = 'IGO' AND length(" EV(i) ") >= 6 THEN substr(" EV(i)   \
    ", 4, 3) WHEN length(" EV(i) ") >= 3 AND substr(" EV(i) ", 1, 3) <> '---' THEN substr("    \
    EV(i) ", 1, 3) ELSE '---' END"
#define MODALITY(x)                                                                             \
    "CASE " x " WHEN 0 THEN 'asserted' WHEN 1 THEN 'reported' WHEN 2 THEN 'hypothetical' "     \
    "WHEN 3 THEN 'negated' WHEN 4 THEN 'denied' ELSE 'forecast' END"

/* A date key (yyyymmdd, 0 parts for unknown) as store_key_date writes it, NULL for 0. */
#define KEY_DATE(k)                                                                            \
    "CASE WHEN " k " IS NULL OR " k " <= 0 THEN NULL WHEN " k " / 100 % 100 = 0 THEN "        \
    "printf('%04d', " k " / 10000) WHEN " k " % 100 = 0 THEN printf('%04d-%02d', " k          \
    " / 10000, " k " / 100 % 100) ELSE printf('%04d-%02d-%02d', " k " / 10000, " k            \
    " / 100 % 100, " k " % 100) END"

/* Clusters of schema 5: the table holds what the key does not say; the view gives the
 * columns of schema 4's table (key: "<src><'>' or '='><tgt>|<family>|<channel>|<mode>"). */
static const char clusters_v5_sql[] =
    "CREATE TABLE IF NOT EXISTS cluster_rows(\n"
    "  id INTEGER PRIMARY KEY, key TEXT NOT NULL, term TEXT NOT NULL,\n"
    "  code TEXT NOT NULL, quad INTEGER NOT NULL, event_time TEXT,\n"
    "  first_key INTEGER, last_key INTEGER,\n"
    "  mentions INTEGER NOT NULL, sources INTEGER NOT NULL);\n"
    "CREATE VIEW IF NOT EXISTS clusters AS SELECT\n"
    "  id, key, term, substr(key, 1, 3) AS source_country, substr(key, 5, 3) AS "
    "target_country,\n"
    "  substr(key, 4, 1) = '=' AS symmetric,\n"
    "  substr(key, 9, instr(substr(key, 9), '|') - 1) AS family,\n"
    "  substr(key, 9 + instr(substr(key, 9), '|'), length(key) - 9 - instr(substr(key, 9), "
    "'|') - 1) AS channel,\n"
    "  substr(key, -1) AS mode, code, quad, event_time,\n"
    "  " KEY_DATE("first_key") " AS first_date,\n"
    "  " KEY_DATE("last_key") " AS last_date,\n"
    "  first_key, last_key, mentions, sources, id AS first_event\n"
    "  FROM cluster_rows;\n";

static const char *const schema_sql[] = {
    "CREATE TABLE IF NOT EXISTS documents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash TEXT NOT NULL,\n"
    "  doc_id TEXT, date TEXT, title TEXT, url TEXT,\n"
    "  text TEXT NOT NULL, bytes INTEGER NOT NULL,\n"
    "  events INTEGER NOT NULL, sentences INTEGER NOT NULL,\n"
    "  first_event INTEGER NOT NULL, event_data TEXT NOT NULL,\n"
    "  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "CREATE VIRTUAL TABLE IF NOT EXISTS doc_terms USING fts5(terms, content='', "
    "detail=none, columnsize=0, tokenize='ascii');\n"

    "CREATE TABLE IF NOT EXISTS countries(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE IF NOT EXISTS channels(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE IF NOT EXISTS pattern_files(id INTEGER PRIMARY KEY, path TEXT NOT NULL "
    "UNIQUE);\n"
    "CREATE TABLE IF NOT EXISTS agg_cells(\n"
    "  key INTEGER PRIMARY KEY, events INTEGER NOT NULL, goldstein_sum REAL NOT NULL,\n"
    "  coop REAL NOT NULL, conflict REAL NOT NULL);\n",
    "CREATE VIEW IF NOT EXISTS dyad_month AS SELECT\n"
    "  s.code AS source_country, t.code AS target_country,\n"
    "  (a.key >> 44) / 13 * 100 + (a.key >> 44) % 13 AS month,\n"
    "  c.name AS channel, (a.key >> 3) & 7 AS quad,\n"
    "  " MODALITY("a.key & 7") " AS modality,\n"
    "  a.events, a.goldstein_sum, a.coop, a.conflict\n"
    "  FROM agg_cells a JOIN countries s ON s.id = (a.key >> 30) & 16383\n"
    "  JOIN countries t ON t.id = (a.key >> 16) & 16383 JOIN channels c ON c.id = (a.key >> 6) & "
    "1023;\n",
    "CREATE VIEW IF NOT EXISTS events AS SELECT\n"
    "  d.first_event + j.key AS id, d.id AS doc,\n"
    "  d.first_event + CASE WHEN coalesce(" EV(22) ", 0) > 0 THEN " EV(22) " - 1 ELSE j.key "
    "END AS sentence,\n"
    "  " EV(0) " AS sentence_no, j.key + 1 AS seq,\n"
    "  " SPAN_COLS(1, 2, "sentence") " AS sentence_text,\n"
    "  CASE WHEN " EV(23) " = 1 THEN 'statistic' ELSE 'event' END AS kind,\n"
    "  " EV(3) " AS source, " EV(4) " AS target,\n"
    "  " COUNTRY(3) " AS source_country,\n"
    "  " COUNTRY(4) " AS target_country,\n"
    "  " SPAN_COLS(13, 14, "source") " AS source_text,\n"
    "  " SPAN_COLS(15, 16, "target") " AS target_text,\n"
    "  " EV(5) " AS code, substr(" EV(5) ", 1, 2) AS root,\n"
    "  CASE WHEN " EV(23) " = 1 THEN NULL ELSE CAST(" EV(6) " AS REAL) END AS goldstein,\n"
    "  " EV(7) " AS quad, coalesce(" EV(24) ", 0) AS symmetric,\n"
    "  " SPAN_COLS(17, 18, "verb") " AS verb_text,\n"
    "  " MODALITY(EV(8)) " AS modality,\n"
    "  nullif(" EV(28) ", 0) AS attributed_to,\n"
    "  " SPAN_COLS(29, 30, "cue") " AS cue_text,\n",
    "  CASE WHEN " EV(31) " >= 0 THEN CAST(" EV(31) " AS REAL) END AS probability,\n"
    "  " SPAN_COLS(32, 33, "probability") " AS probability_words,\n"
    "  CASE WHEN " EV(34) " = 1 THEN CAST(" EV(35) " AS REAL) END AS qty_value,\n"
    "  CASE WHEN " EV(34) " = 1 THEN CAST(" EV(36) " AS REAL) END AS qty_low,\n"
    "  CASE WHEN " EV(34) " = 1 THEN " EV(37) " END AS qty_approx,\n"
    "  CASE " EV(38) " WHEN 1 THEN 'max' WHEN 2 THEN 'min' END AS qty_bound,\n"
    "  CASE WHEN " EV(34) " = 1 THEN nullif(" EV(39) ", 0) END AS qty_unit,\n"
    "  " SPAN_COLS(40, 41, "qty") " AS qty_text,\n"
    "  nullif(" EV(25) ", 0) AS event_time, " SPAN_COLS(26, 27, "time") " AS time_text,\n"
    "  CASE WHEN coalesce(" EV(9) ", 0) <= 0 THEN NULL\n"
    "    WHEN " EV(9) " / 100 % 100 = 0 THEN printf('%04d', " EV(9) " / 10000)\n"
    "    WHEN " EV(9) " % 100 = 0 THEN printf('%04d-%02d', " EV(9) " / 10000, " EV(9)
    " / 100 % 100)\n"
    "    ELSE printf('%04d-%02d-%02d', " EV(9) " / 10000, " EV(9) " / 100 % 100, " EV(9)
    " % 100) END AS date,\n"
    "  coalesce(" EV(9) ", 0) AS date_key,\n"
    "  CASE WHEN " EV(11) " > 0 THEN (SELECT path FROM pattern_files WHERE id = " EV(11)
    ") || ':' || " EV(12) " END AS pattern,\n"
    "  nullif(" EV(10) ", 0) AS channel,\n"
    "  nullif(coalesce(" EV(19) ", 0), 0) AS cluster,\n"
    "  CASE WHEN coalesce(" EV(19) ", 0) = 0 THEN NULL ELSE CASE coalesce(" EV(21) ", 0) "
    "WHEN 0 THEN 'new' WHEN 1 THEN 'when=exact' WHEN 2 THEN 'when=prefix' WHEN 3 THEN "
    "'when=one-empty' WHEN 4 THEN 'doc-date=exact' ELSE 'doc-date=prefix' END END AS "
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

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (m or d 0: left out) into out; y, m, d below 10000,
 * 100, 100. By hand: it runs for every event stored. */
static void put_date(char out[11], unsigned y, unsigned m, unsigned d) {
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    size_t n = 4;
    if (m != 0) {
        out[4] = '-';
        out[5] = (char)('0' + m / 10);
        out[6] = (char)('0' + m % 10);
        n = 7;
        if (d != 0) {
            out[7] = '-';
            out[8] = (char)('0' + d / 10);
            out[9] = (char)('0' + d % 10);
            n = 10;
        }
    }
    out[n] = '\0';
}

void store_key_date(int32_t key, char out[11]) {
    out[0] = '\0';
    if (key <= 0) {
        return;
    }
    put_date(out, (unsigned)(key / 10000) % 10000u, (unsigned)(key / 100) % 100u,
             (unsigned)key % 100u);
}

void store_norm_date(const char *in, char out[11], int32_t *key) {
    int32_t k = 0;
    out[0] = '\0';
    if (in && date_parse(in, strlen(in), &k) && k > 0) {
        unsigned y = (unsigned)(k / 10000) % 10000u, m = (unsigned)(k / 100) % 100u,
                 d = (unsigned)k % 100u;
        if (m == 0) {
            d = 0;
            k = (int32_t)y * 10000;
        }
        put_date(out, y, m, d);
    } else {
        k = 0;
    }
    *key = k;
}

/* The index documents are looked up by (doc_begin, sel_doc): the first 16 hex digits of the
 * content hash are as selective as the whole and a quarter of its size. */
#define HASH_INDEX_SQL                                                                         \
    "CREATE INDEX IF NOT EXISTS documents_hash ON documents(substr(hash, 1, 16))"

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
    if (version != 0 && (version < STORE_SCHEMA_OLDEST || version > STORE_SCHEMA_VERSION)) {
        return err_set(err, TUMEN_DB, s->path, 0, 0,
                       "unsupported store schema version %d (this tumen reads versions %d to "
                       "%d; ingest into a new store)",
                       (int)version, STORE_SCHEMA_OLDEST, STORE_SCHEMA_VERSION);
    }
    /* the pieces make one script (a piece may end mid-statement: C strings over 4095 bytes
     * are not portable) */
    struct buf sql;
    buf_init(&sql, 0);
    tumen_status st = TUMEN_OK;
    /* a version 4 store has its clusters table; a new or version 5 one the table and view
     * (first: cluster_members reads it) */
    if (version == 0 || version >= 5) {
        st = buf_adds(&sql, clusters_v5_sql);
    }
    for (size_t i = 0; i < sizeof schema_sql / sizeof schema_sql[0] && st == TUMEN_OK; i++) {
        st = buf_adds(&sql, schema_sql[i]);
    }
    if (st != TUMEN_OK) {
        buf_fini(&sql);
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    st = exec(s, sql.data, err);
    buf_fini(&sql);
    if (st != TUMEN_OK) {
        return st;
    }
    /* an empty store: every cluster that will exist is made (and cached) by this process */
    s->cl_complete = query_int(s, "SELECT count(*) FROM (SELECT 1 FROM documents LIMIT 1)") == 0;
    s->fresh = s->cl_complete;
    /* the hash index of a store being filled from empty is built when the ingest ends
     * (hash_index): content hashes are random, so keeping it up to date would rewrite most of
     * its pages in every batch */
    st = exec(s, s->fresh ? "DROP INDEX IF EXISTS documents_hash" : HASH_INDEX_SQL, err);
    s->hash_index = !s->fresh;
    if (st != TUMEN_OK) {
        return st;
    }
    /* a store keeps the version it was made with (an older one lacks what newer ones add) */
    s->schema_version = version == 0 ? STORE_SCHEMA_VERSION : (int)version;
    /* schema 4 keeps clusters in a table of all the columns, 5 in cluster_rows */
    s->clusters_table =
        query_int(s, "SELECT count(*) FROM sqlite_master WHERE name = 'clusters' AND type = "
                     "'table'") > 0;
    return version == 0 ? exec(s, "PRAGMA user_version=" STORE_SCHEMA_VERSION_STR, err)
                        : TUMEN_OK;
}

/* Builds the documents' hash index if this store has put it off (a fresh store), once the
 * writer has written every queued batch. */
static tumen_status hash_index(tumen_store *s, tumen_error *err) {
    if (s->hash_index || (s->flags & TUMEN_STORE_READONLY)) {
        return TUMEN_OK;
    }
    tumen_status st = writer_drain(s, err);
    if (st == TUMEN_OK) {
        st = exec(s, HASH_INDEX_SQL, err);
    }
    s->hash_index = st == TUMEN_OK;
    return st;
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
    /* a batch rewrites the pages its clusters, cells and index entries fall on, whatever its
     * size: at 10M bench events, batches of 200,000 events ingest about 1.3x faster than of
     * 50,000, and hold about 100 MB (three in flight) */
    s->batch_docs = 10000;
    s->batch_events = 200000;
    s->fresh_max = 4000000;
    s->hash_index = 1; /* until create_schema finds the store empty */
    s->cl_cache_max = 4000000; /* about 100 bytes each */
    arena_init(&s->arena);
    intern_init(&s->countries);
    intern_init(&s->pending);
    intern_init(&s->chans);
    intern_init(&s->pfiles);
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
         * path makes far fewer system calls than with 4 KiB (only a new file takes it). A
         * 32 MB page cache holds the pages a batch touches; at 256 MB the writer spent more
         * time faulting in and managing the cache than it saved (1M bench events: writer
         * thread 1.45 s of CPU, 1.05 s at 32 MB; random dates the same at both) */
        st = exec(s, "PRAGMA page_size=65536; PRAGMA journal_mode=WAL; "
                     "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
                     "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=1024;",
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
            /* "+hash": with a plain "hash = ?1" SQLite substitutes ?1 into the indexed
             * expression and then cannot use the index */
            st = prepare_on(s, s->rdb, &s->sel_doc,
                            "SELECT id FROM documents WHERE substr(hash, 1, 16) = "
                            "substr(?1, 1, 16) AND +hash = ?1",
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
            /* a batch's rows go in with one statement each (store_rows.c) */
            if (store_rows_register(s->db) != SQLITE_OK) {
                st = store_db_error(s, err, "register the batch tables");
            }
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->put_cl,
                         !s->clusters_table
                             ? "INSERT OR REPLACE INTO cluster_rows(id,key,term,code,quad,"
                               "event_time,first_key,last_key,mentions,sources) SELECT id,key,"
                               "term,code,quad,event_time,first_key,last_key,mentions,sources "
                               "FROM tumen_batch_clusters(?1)"
                             : "INSERT OR REPLACE INTO clusters(id,key,term,source_country,"
                               "target_country,symmetric,family,channel,mode,code,quad,"
                               "event_time,first_date,last_date,first_key,last_key,mentions,"
                               "sources,first_event) SELECT * FROM tumen_batch_clusters(?1)",
                         err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->up_agg,
                         "INSERT INTO agg_cells(key,events,goldstein_sum,coop,conflict) "
                         "SELECT * FROM tumen_batch_cells(?1) WHERE true ON CONFLICT DO UPDATE "
                         "SET "
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
            st = prepare(s, &s->ins_code[2], "INSERT INTO pattern_files(id,path) VALUES(?,?)",
                         err);
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
        s->schema_version = version;
        if (st == TUMEN_OK &&
            (version < STORE_SCHEMA_OLDEST || version > STORE_SCHEMA_VERSION)) {
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
    if (s->db && !s->failed) {
        /* an ingest that ended without a flush; if this fails too, the next writable open
         * builds the index */
        (void)hash_index(s, NULL);
    }
    batch_free(s->cur);
    batch_free(s->spare);
    sqlite3_finalize(s->sel_doc);
    sqlite3_finalize(s->ins_doc);
    sqlite3_finalize(s->ins_terms);
    sqlite3_finalize(s->sel_cl);
    sqlite3_finalize(s->sel_all);
    sqlite3_finalize(s->put_cl);
    sqlite3_finalize(s->up_agg);
    for (int k = 0; k < STORE_NCODES; k++) {
        sqlite3_finalize(s->ins_code[k]);
    }
    sqlite3_close(s->rdb);
    sqlite3_close(s->db);
    free(s->pevs);
    arena_fini(&s->arena);
    free(s->term_set);
    intern_fini(&s->countries);
    intern_fini(&s->chans);
    intern_fini(&s->pfiles);
    intern_fini(&s->pending);
    cluster_cache_fini(s);
    channel_table_free(s->channels);
    free(s->agg);
    free(s->agg_tmp);
    free(s->path);
    free(s);
}

/* ---- batches ------------------------------------------------------------------------------ */

/* Reads the code tables into s->countries, s->chans and s->pfiles (ids dense from 1,
 * as this code writes them). */
static tumen_status load_codes(tumen_store *s, tumen_error *err) {
    static const char *const sql[STORE_NCODES] = {"SELECT id, code FROM countries ORDER BY id",
                                                  "SELECT id, name FROM channels ORDER BY id",
                                                  "SELECT id, path FROM pattern_files ORDER BY id"};
    static const char *const names[STORE_NCODES] = {"countries", "channels", "pattern_files"};
    struct intern *t[STORE_NCODES] = {&s->countries, &s->chans, &s->pfiles};
    size_t *saved[STORE_NCODES] = {&s->countries_saved, &s->chans_saved, &s->pfiles_saved};
    s->pf_last = NULL;
    for (int k = 0; k < STORE_NCODES; k++) {
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
                             "corrupt store: ids of table %s are not 1, 2, 3, ...", names[k]);
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


/* Moves the batch's aggregate cells (sorted by key, so that the upserts walk the table's
 * B-tree in order) and the countries and channels first met in it into s->cur. */
static tumen_status agg_snapshot(tumen_store *s, tumen_error *err) {
    struct batch *b = s->cur;
    struct intern *t[STORE_NCODES] = {&s->countries, &s->chans, &s->pfiles};
    size_t *saved[STORE_NCODES] = {&s->countries_saved, &s->chans_saved, &s->pfiles_saved};
    for (int k = 0; k < STORE_NCODES; k++) {
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
    b->cells = malloc((s->agg_n ? s->agg_n : 1) * sizeof *b->cells);
    if (b->cells == NULL) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    /* stably, so that each cell sums its events in event order, as a running total would */
    radix_sort_u64(s->agg, s->agg_tmp, s->agg_n, sizeof *s->agg, offsetof(struct agg_add, key),
                   ~AGG_STAT_BIT);
    size_t n = 0;
    for (size_t i = 0; i < s->agg_n; i++) {
        uint64_t key = s->agg[i].key & ~AGG_STAT_BIT;
        if (n == 0 || b->cells[n - 1].key != key) {
            memset(&b->cells[n], 0, sizeof b->cells[n]);
            b->cells[n++].key = key;
        }
        struct agg_cell *c = &b->cells[n - 1];
        c->events++;
        if (!(s->agg[i].key & AGG_STAT_BIT)) {
            double g = s->agg[i].g;
            c->gsum += g;
            if (g > 0) {
                c->coop += g;
            } else {
                c->conflict -= g;
            }
        }
    }
    b->ncells = n;
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
    if (st == TUMEN_OK) {
        st = hash_index(s, err);
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

static uint32_t pattern_file_id(tumen_store *s, const char *f, tumen_status *st);

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
    p->ev.pattern_file = NULL; /* the caller's string; the event keeps its id */
    if (ev->pattern_file) {
        tumen_status pst = TUMEN_OK;
        p->pf_id = pattern_file_id(s, ev->pattern_file, &pst);
        if (p->pf_id == 0) {
            s->ev_status = pst;
            return 1;
        }
    }
    /* an empty channel is none (a stored event reads back without one as "other") */
    const char *ch = ev->channel && *ev->channel ? ev->channel : NULL;
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

void store_country_raw(const char *v, size_t n, char out[4]) {
    char actor[64];
    if (!evscan_is_str(v)) {
        memcpy(out, "---", 4);
        return;
    }
    if (n < sizeof actor && memchr(v, '\\', n) == NULL) {
        memcpy(actor, v, n);
        actor[n] = '\0';
    } else {
        evscan_unescape(v, n, actor, sizeof actor);
    }
    store_country(actor, out);
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
    if (s->agg_n == s->agg_cap) {
        size_t ncap = s->agg_cap ? s->agg_cap * 2 : 4096;
        struct agg_add *na = realloc(s->agg, ncap * sizeof *na);
        if (na == NULL) {
            return TUMEN_NOMEM;
        }
        s->agg = na;
        struct agg_add *nt = realloc(s->agg_tmp, ncap * sizeof *nt);
        if (nt == NULL) {
            return TUMEN_NOMEM;
        }
        s->agg_tmp = nt;
        s->agg_cap = ncap;
    }
    s->agg[s->agg_n].key = key | (stat ? AGG_STAT_BIT : 0);
    s->agg[s->agg_n].g = stat ? 0 : p->ev.goldstein;
    s->agg_n++;
    return TUMEN_OK;
}

/* ---- the event array (positions: evscan.h, docs/store.md) ----
 *
 * put_event writes straight into the batch's buffer after one buf_reserve for the event's
 * worst case: the encoder runs for every event stored, and per-piece appends cost more than
 * the bytes. */

static char *w_int(char *w, int64_t v) {
    char tmp[24];
    size_t n = sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        *w++ = '-';
    }
    memcpy(w, tmp + n, sizeof tmp - n);
    return w + (sizeof tmp - n);
}

/* A double in the shortest of integer, 1 to 4 decimals, or %.17g that reads back exactly
 * (at most 32 bytes); null when not finite. */
static char *w_num(char *w, double v) {
    if (!isfinite(v)) {
        memcpy(w, "null", 4);
        return w + 4;
    }
    static const double scale[5] = {1, 10, 100, 1000, 10000};
    for (int k = 0; k < 5; k++) {
        double r = nearbyint(v * scale[k]);
        if (fabs(r) < 1e15 && r / scale[k] == v) {
            int64_t n = (int64_t)r;
            if (k == 0) {
                return w_int(w, n);
            }
            uint64_t u = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
            char frac[8];
            for (int i = k - 1; i >= 0; i--) {
                frac[i] = (char)('0' + u % 10);
                u /= 10;
            }
            if (n < 0) {
                *w++ = '-';
            }
            w = w_int(w, (int64_t)u);
            *w++ = '.';
            memcpy(w, frac, (size_t)k);
            return w + k;
        }
    }
    int n = snprintf(w, 32, "%.17g", v);
    return w + (n > 0 && n < 32 ? n : 0);
}

/* A JSON string (at most 6 bytes per input byte, plus the quotes; sink_json_escape). */
static char *w_str(char *w, const char *v, size_t n) {
    *w++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (SINK_JSON_ESCAPED(c)) {
            w += sink_json_escape(c, w);
        } else {
            *w++ = (char)c;
        }
    }
    *w++ = '"';
    return w;
}

/* A string field, or 0 when empty. */
static char *w_opt(char *w, const char *v, size_t n) {
    if (n == 0) {
        *w++ = '0';
        return w;
    }
    return w_str(w, v, n);
}

/* A span as start,length; 0,0 when absent or outside the document. */
static char *w_span(char *w, const tumen_span *sp, size_t doclen) {
    if (!span_ok(sp, doclen)) {
        memcpy(w, "0,0", 3);
        return w + 3;
    }
    w = w_int(w, (int64_t)sp->offset);
    *w++ = ',';
    return w_int(w, (int64_t)sp->length);
}

/* The id (1, 2, ...) of pattern file f in pattern_files, 0 on failure (*st set). */
static uint32_t pattern_file_id(tumen_store *s, const char *f, tumen_status *st) {
    if (s->pf_last && strcmp(s->pf_last, f) == 0) {
        return s->pf_last_id; /* the coder's events mostly come from a few files in a row */
    }
    uint64_t id = code_id(&s->pfiles, f, UINT32_MAX - 1, st);
    if (id) {
        s->pf_last = intern_str(&s->pfiles, (uint32_t)(id - 1));
        s->pf_last_id = (uint32_t)id;
    }
    return (uint32_t)id;
}

/* Appends event p, the document's event number idx, to the document's event array: the fields
 * at their positions (evscan.h), trailing absent ones left out. */
static tumen_status put_event(tumen_store *s, struct buf *b, const struct pev *p, size_t idx) {
    const tumen_event *e = &p->ev;
    const tumen_quantity *qt = &e->quantity;
    int stat = e->kind == TUMEN_KIND_STATISTIC;
    const char *src = e->source[0] ? e->source : "---";
    const char *tgt = e->target[0] ? e->target : "---";
    const char *code = stat ? "--" : e->code;
    const char *chan = e->channel ? e->channel : "";
    size_t lsrc = strlen(src), ltgt = strlen(tgt), lcode = strlen(code), lch = strlen(chan);
    size_t lw = strlen(e->when), lat = strlen(e->attributed_to);
    size_t lqu = qt->present ? strlen(qt->unit) : 0;
    uint32_t pf = p->pf_id;
    size_t need = 1024 + 6 * (lsrc + ltgt + lcode + lch + lw + lat + lqu);
    tumen_status st = buf_reserve(b, need);
    if (st != TUMEN_OK) {
        return st;
    }
    size_t doclen = s->doc.len;
    char *w0 = b->data + b->len, *w = w0;
    char *keep = NULL; /* the end of the last field that is not absent */
    *w++ = '[';
    w = w_int(w, (int64_t)e->sentence);
    *w++ = ',';
    w = w_span(w, &e->sent, doclen);
    *w++ = ',';
    w = w_str(w, src, lsrc);
    *w++ = ',';
    w = w_str(w, tgt, ltgt);
    *w++ = ',';
    w = w_str(w, code, lcode);
    *w++ = ',';
    if (stat) {
        *w++ = '0';
    } else {
        w = w_num(w, e->goldstein);
    }
    *w++ = ',';
    w = w_int(w, stat ? 0 : e->quad);
    *w++ = ',';
    w = w_int(w, (int64_t)e->modality);
    *w++ = ',';
    w = w_int(w, p->date_key);
    *w++ = ',';
    w = w_opt(w, chan, lch);
    *w++ = ',';
    w = w_int(w, (int64_t)pf);
    *w++ = ',';
    w = w_int(w, pf ? (int64_t)e->pattern_line : 0);
    *w++ = ',';
    w = w_span(w, &e->source_span, doclen);
    *w++ = ',';
    w = w_span(w, &e->target_span, doclen);
    *w++ = ',';
    w = w_span(w, &e->verb, doclen);
    keep = w;
#define W_SEP() (*w++ = ',')
#define W_KEEP(absent)                                                                          \
    do {                                                                                        \
        if (!(absent)) {                                                                        \
            keep = w;                                                                           \
        }                                                                                       \
    } while (0)
    W_SEP();
    w = w_int(w, p->cluster);
    W_SEP();
    w = w_int(w, p->cluster ? (int64_t)p->bucket : 0);
    W_SEP();
    w = w_int(w, p->cluster ? p->cluster_rule : 0);
    W_KEEP(p->cluster == 0);
    W_SEP();
    w = w_int(w, p->sent_first != idx ? (int64_t)p->sent_first + 1 : 0);
    W_KEEP(p->sent_first == idx);
    W_SEP();
    *w++ = stat ? '1' : '0';
    W_KEEP(!stat);
    W_SEP();
    *w++ = e->symmetric ? '1' : '0';
    W_KEEP(!e->symmetric);
    W_SEP();
    w = w_opt(w, e->when, lw);
    W_SEP();
    w = w_span(w, &e->when_span, doclen);
    W_KEEP(lw == 0 && !span_ok(&e->when_span, doclen));
    W_SEP();
    w = w_opt(w, e->attributed_to, lat);
    W_SEP();
    w = w_span(w, &e->cue, doclen);
    W_KEEP(lat == 0 && !span_ok(&e->cue, doclen));
    int has_p = e->probability >= 0 && !isnan(e->probability);
    W_SEP();
    w = has_p ? w_num(w, e->probability) : (memcpy(w, "-1", 2), w + 2);
    W_SEP();
    w = w_span(w, &e->probability_words, doclen);
    W_KEEP(!has_p && !span_ok(&e->probability_words, doclen));
    if (qt->present) {
        W_SEP();
        *w++ = '1';
        W_SEP();
        w = w_num(w, qt->value);
        W_SEP();
        w = qt->has_low ? w_num(w, qt->low) : (memcpy(w, "null", 4), w + 4);
        W_SEP();
        *w++ = qt->approx ? '1' : '0';
        W_SEP();
        *w++ = qt->bound == TUMEN_BOUND_MAX ? '1' : qt->bound == TUMEN_BOUND_MIN ? '2' : '0';
        W_SEP();
        w = w_opt(w, qt->unit, lqu);
        W_SEP();
        w = w_span(w, &qt->span, doclen);
        keep = w;
    }
#undef W_SEP
#undef W_KEEP
    w = keep;
    *w++ = ']';
    b->len += (size_t)(w - w0);
    b->data[b->len] = '\0';
    return TUMEN_OK;
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
    if (!(s->flags & TUMEN_STORE_NO_CLUSTERS)) {
        cluster_prefetch(s, s->pevs, s->npevs);
    }
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
        if (st == TUMEN_OK && p->cluster > 0) {
            char term[10];
            cluster_bucket_term(p->bucket, term);
            st = put_term(s, t, term, 4);
            size_t n = cluster_year_term(p->ttag, term);
            st = st ? st : put_term(s, t, term, n);
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
        /* memory: from here on, committed documents are looked up in the store (by its hash
         * index, built now), and the set shrinks to the batches in flight at the next reap */
        tumen_status hs = hash_index(s, err);
        if (hs != TUMEN_OK) {
            return hs;
        }
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
