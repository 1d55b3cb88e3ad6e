/* Event store, ingest side: schema, documents keyed by content hash, batched transactions,
 * events copied per document and written whole, dyad_month aggregates. Schema: docs/store.md. */
#include "store_impl.h"

#include "cameo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SHA-256 (FIPS 180-4), for document content hashes ---------------------------------- */

struct sha256 {
    uint32_t h[8];
    uint64_t n;
    unsigned char blk[64];
    size_t used;
};

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static uint32_t ror(uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
}

static void sha_block(struct sha256 *c, const unsigned char *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4], f = c->h[5],
             g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) +
                      sha_k[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
    c->h[5] += f;
    c->h[6] += g;
    c->h[7] += h;
}

static void sha256_hex(const void *data, size_t len, char out[65]) {
    struct sha256 c = {{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
                        0x1f83d9ab, 0x5be0cd19},
                       0,
                       {0},
                       0};
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        sha_block(&c, p + i);
    }
    unsigned char tail[128] = {0};
    size_t rest = len - i;
    memcpy(tail, p + i, rest);
    tail[rest] = 0x80;
    size_t tl = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (size_t k = 0; k < 8; k++) {
        tail[tl - 1 - k] = (unsigned char)(bits >> (8 * k));
    }
    sha_block(&c, tail);
    if (tl == 128) {
        sha_block(&c, tail + 64);
    }
    static const char hex[] = "0123456789abcdef";
    for (int k = 0; k < 32; k++) {
        unsigned char byte = (unsigned char)(c.h[k / 4] >> (24 - 8 * (k % 4)));
        out[2 * k] = hex[byte >> 4];
        out[2 * k + 1] = hex[byte & 15];
    }
    out[64] = '\0';
}

/* ---- schema ---------------------------------------------------------------------------- */

/* Span texts are not stored twice: the views below cut them out of documents.text by their
 * byte offsets. SPAN(x) is the text of span x of event row e. */
#define SPAN(x)                                                                                 \
    "(SELECT CAST(substr(CAST(d.text AS BLOB), e." x "_start + 1, e." x "_end - e." x          \
    "_start) AS TEXT) FROM documents d WHERE d.id = e.doc)"

static const char *const schema_sql[] = {
    "CREATE TABLE IF NOT EXISTS documents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash TEXT NOT NULL UNIQUE,\n"
    "  doc_id TEXT, date TEXT, title TEXT, url TEXT,\n"
    "  text TEXT NOT NULL, bytes INTEGER NOT NULL,\n"
    "  events INTEGER NOT NULL, sentences INTEGER NOT NULL,\n"
    "  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "CREATE TABLE IF NOT EXISTS event_rows(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  doc INTEGER NOT NULL REFERENCES documents(id),\n"
    "  sentence INTEGER NOT NULL,\n"
    "  sentence_no INTEGER NOT NULL, seq INTEGER NOT NULL,\n"
    "  sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  source TEXT NOT NULL, target TEXT NOT NULL,\n"
    "  source_country TEXT NOT NULL, target_country TEXT NOT NULL,\n"
    "  source_start INTEGER, source_end INTEGER, target_start INTEGER, target_end INTEGER,\n"
    "  code TEXT NOT NULL, goldstein REAL, quad INTEGER NOT NULL, symmetric INTEGER NOT NULL,\n"
    "  verb_start INTEGER, verb_end INTEGER,\n"
    "  modality TEXT NOT NULL, attributed_to TEXT, cue_start INTEGER, cue_end INTEGER,\n"
    "  probability REAL, probability_start INTEGER, probability_end INTEGER,\n"
    "  qty_value REAL, qty_low REAL, qty_approx INTEGER, qty_bound TEXT, qty_unit TEXT,\n"
    "  qty_start INTEGER, qty_end INTEGER,\n"
    "  event_time TEXT, time_start INTEGER, time_end INTEGER,\n"
    "  date TEXT, date_key INTEGER NOT NULL,\n"
    "  pattern TEXT, channel TEXT NOT NULL,\n"
    "  cluster INTEGER, cluster_rule TEXT);\n",
    "CREATE TABLE IF NOT EXISTS clusters(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  key TEXT NOT NULL,\n"
    "  source_country TEXT NOT NULL, target_country TEXT NOT NULL, symmetric INTEGER NOT "
    "NULL,\n"
    "  family TEXT NOT NULL, channel TEXT NOT NULL, mode TEXT NOT NULL,\n"
    "  code TEXT NOT NULL, quad INTEGER NOT NULL,\n"
    "  event_time TEXT, first_date TEXT, last_date TEXT,\n"
    "  first_key INTEGER, last_key INTEGER,\n"
    "  mentions INTEGER NOT NULL, sources INTEGER NOT NULL, first_event INTEGER);\n"
    "CREATE TABLE IF NOT EXISTS dyad_month(\n"
    "  source_country TEXT NOT NULL, target_country TEXT NOT NULL, month INTEGER NOT NULL,\n"
    "  channel TEXT NOT NULL, quad INTEGER NOT NULL, modality TEXT NOT NULL,\n"
    "  events INTEGER NOT NULL, goldstein_sum REAL NOT NULL, coop REAL NOT NULL,\n"
    "  conflict REAL NOT NULL,\n"
    "  PRIMARY KEY(source_country, target_country, month, channel, quad, modality))\n"
    "  WITHOUT ROWID;\n",
    "CREATE VIEW IF NOT EXISTS events AS SELECT\n"
    "  e.id, e.doc, e.sentence, e.sentence_no, e.seq, e.kind, e.source, e.target,\n"
    "  e.source_country, e.target_country,\n"
    "  e.source_start, e.source_end, " SPAN("source") " AS source_text,\n"
    "  e.target_start, e.target_end, " SPAN("target") " AS target_text,\n"
    "  e.code, substr(e.code, 1, 2) AS root, e.goldstein, e.quad, e.symmetric,\n"
    "  e.verb_start, e.verb_end, " SPAN("verb") " AS verb_text,\n"
    "  e.modality, e.attributed_to, e.cue_start, e.cue_end, " SPAN("cue") " AS cue_text,\n"
    "  e.probability, " SPAN("probability") " AS probability_words,\n"
    "  e.qty_value, e.qty_low, e.qty_approx, e.qty_bound, e.qty_unit, e.qty_start, e.qty_end,\n"
    "  " SPAN("qty") " AS qty_text,\n"
    "  e.event_time, e.time_start, e.time_end, " SPAN("time") " AS time_text,\n"
    "  e.date, e.date_key, e.pattern, e.channel, e.cluster, e.cluster_rule\n"
    "  FROM event_rows e;\n",
    "CREATE VIEW IF NOT EXISTS sentences AS SELECT\n"
    "  e.id, e.doc, e.sentence_no AS n, e.sentence_start AS start, e.sentence_end AS end,\n"
    "  " SPAN("sentence") " AS text\n"
    "  FROM event_rows e WHERE e.id = e.sentence;\n"
    "CREATE VIEW IF NOT EXISTS cluster_members AS\n"
    "  SELECT cluster AS cluster_id, id AS event_id, doc, cluster_rule AS rule FROM event_rows\n"
    "  WHERE cluster IS NOT NULL;\n"};

/* Secondary indexes: built with the schema when the store already holds documents, else
 * after the bulk load (tumen_store_flush), which is faster than maintaining them per row. */
static const char index_sql[] =
    "CREATE INDEX IF NOT EXISTS events_dyad ON event_rows(source_country, target_country, "
    "date_key);\n"
    "CREATE INDEX IF NOT EXISTS events_cluster ON event_rows(cluster);\n"
    "CREATE INDEX IF NOT EXISTS clusters_key ON clusters(key);\n";
static const char drop_index_sql[] = "DROP INDEX IF EXISTS events_dyad;\n"
                                     "DROP INDEX IF EXISTS events_cluster;\n"
                                     "DROP INDEX IF EXISTS clusters_key;\n";

static const char ins_ev_sql[] =
    "INSERT INTO event_rows(id,doc,sentence,sentence_no,seq,sentence_start,sentence_end,kind,"
    "source,target,source_country,target_country,source_start,source_end,target_start,"
    "target_end,code,goldstein,quad,symmetric,verb_start,verb_end,modality,attributed_to,"
    "cue_start,cue_end,probability,probability_start,probability_end,qty_value,qty_low,"
    "qty_approx,qty_bound,qty_unit,qty_start,qty_end,event_time,time_start,time_end,date,"
    "date_key,pattern,channel,cluster,cluster_rule) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
    "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

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

/* Creates the schema (inside a write transaction). An empty store starts a bulk load: its
 * secondary indexes wait for end_bulk. A store left by a killed bulk load gets them now. */
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
    s->bulk = query_int(s, "SELECT count(*) FROM (SELECT 1 FROM documents LIMIT 1)") == 0;
    st = exec(s, s->bulk ? drop_index_sql : index_sql, err);
    if (st == TUMEN_OK) {
        st = exec(s, "PRAGMA user_version=" STORE_SCHEMA_VERSION_STR, err);
    }
    s->cl_complete = s->bulk;
    return st;
}

/* Ends a bulk load: builds the secondary indexes (inside the open write transaction). */
static tumen_status end_bulk(tumen_store *s, tumen_error *err) {
    if (!s->bulk) {
        return TUMEN_OK;
    }
    tumen_status st = exec(s, index_sql, err);
    if (st == TUMEN_OK) {
        s->bulk = 0;
    }
    return st;
}

tumen_status tumen_store_new(const char *path, unsigned flags, tumen_store **out,
                             tumen_error *err) {
    *out = NULL;
    tumen_store *s = calloc(1, sizeof *s);
    if (s == NULL || (s->path = xstrdup(path)) == NULL) {
        free(s);
        return err_set(err, TUMEN_NOMEM, path, 0, 0, "out of memory");
    }
    s->flags = flags;
    s->batch_docs = 1000;
    s->batch_events = 200000;
    arena_init(&s->arena);
    intern_init(&s->strs);
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
        st = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                     "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144; "
                     "PRAGMA wal_autocheckpoint=8192;",
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
        if (st == TUMEN_OK) {
            s->data_version = query_int(s, "PRAGMA data_version");
            st = prepare(s, &s->sel_doc, "SELECT id FROM documents WHERE hash=?", err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->ins_doc,
                         "INSERT INTO documents(hash,doc_id,date,title,url,text,bytes,events,"
                         "sentences) VALUES(?,?,?,?,?,?,?,?,?)",
                         err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->ins_ev, ins_ev_sql, err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->sel_cl,
                         "SELECT id,event_time,first_key,last_key,mentions,sources,first_event "
                         "FROM clusters WHERE key=? ORDER BY id",
                         err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->ins_cl,
                         "INSERT INTO clusters(id,key,source_country,target_country,symmetric,"
                         "family,channel,mode,code,quad,event_time,first_date,last_date,"
                         "first_key,last_key,mentions,sources,first_event) "
                         "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
                         err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->up_cl,
                         "UPDATE clusters SET event_time=?11,first_date=?12,last_date=?13,"
                         "first_key=?14,last_key=?15,mentions=?16,sources=?17 WHERE id=?1",
                         err);
        }
        if (st == TUMEN_OK) {
            st = prepare(s, &s->up_agg,
                         "INSERT INTO dyad_month(source_country,target_country,month,channel,"
                         "quad,modality,events,goldstein_sum,coop,conflict) "
                         "VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET "
                         "events=events+excluded.events,"
                         "goldstein_sum=goldstein_sum+excluded.goldstein_sum,"
                         "coop=coop+excluded.coop,conflict=conflict+excluded.conflict",
                         err);
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

static void agg_clear(tumen_store *s) {
    if (s->agg) {
        memset(s->agg, 0, s->agg_cap * sizeof *s->agg);
    }
    s->agg_n = 0;
}

void tumen_store_free(tumen_store *s) {
    if (s == NULL) {
        return;
    }
    if (s->db && s->in_txn) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_finalize(s->sel_doc);
    sqlite3_finalize(s->ins_doc);
    sqlite3_finalize(s->ins_ev);
    sqlite3_finalize(s->sel_cl);
    sqlite3_finalize(s->ins_cl);
    sqlite3_finalize(s->up_cl);
    sqlite3_finalize(s->up_agg);
    sqlite3_close(s->db);
    free(s->pevs);
    arena_fini(&s->arena);
    intern_fini(&s->strs);
    cluster_cache_fini(s);
    channel_table_free(s->channels);
    free(s->agg);
    free(s->path);
    free(s);
}

/* ---- batches ------------------------------------------------------------------------------ */

static void txn_abort(tumen_store *s);

/* Clusters cached beyond this are dropped at the next batch and read again as needed. */
#define CLUSTER_CACHE_MAX 4000000

static tumen_status txn_begin(tumen_store *s, tumen_error *err) {
    if (s->in_txn) {
        return TUMEN_OK;
    }
    tumen_status st = exec(s, "BEGIN IMMEDIATE", err);
    if (st != TUMEN_OK) {
        return st;
    }
    s->in_txn = 1;
    s->txn_docs = s->txn_events = 0;
    s->next_cluster_id = query_int(s, "SELECT coalesce(max(id),0) FROM clusters") + 1;
    s->next_event_id = query_int(s, "SELECT coalesce(max(id),0) FROM event_rows") + 1;
    /* the cluster cache stays valid across our batches unless another connection wrote
     * (data_version changes only for other connections' commits) or it grew large; reading
     * clusters back needs the key index, so that ends a bulk load */
    int64_t dv = query_int(s, "PRAGMA data_version");
    if (dv != s->data_version || s->ncls > CLUSTER_CACHE_MAX) {
        st = end_bulk(s, err);
        if (st != TUMEN_OK) {
            txn_abort(s);
            return st;
        }
        cluster_cache_clear(s);
        s->data_version = dv;
    }
    agg_clear(s);
    return TUMEN_OK;
}

static void txn_abort(tumen_store *s) {
    if (s->in_txn) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    s->in_txn = 0;
    s->failed = 1;
    cluster_cache_clear(s);
    agg_clear(s);
}

/* A batch's aggregate cell with its key strings, sorted in dyad_month's key order so that
 * the upserts walk the table's B-tree in order. */
struct agg_ref {
    const struct agg_cell *c;
    const char *channel, *modality;
};

static int cmp_agg_ref(const void *a, const void *b) {
    const struct agg_ref *x = a, *y = b;
    int d = strcmp(x->c->k.src, y->c->k.src);
    if (d == 0) {
        d = strcmp(x->c->k.tgt, y->c->k.tgt);
    }
    if (d == 0) {
        d = (x->c->k.month > y->c->k.month) - (x->c->k.month < y->c->k.month);
    }
    if (d == 0) {
        d = strcmp(x->channel, y->channel);
    }
    if (d == 0) {
        d = (x->c->k.quad > y->c->k.quad) - (x->c->k.quad < y->c->k.quad);
    }
    if (d == 0) {
        d = strcmp(x->modality, y->modality);
    }
    return d;
}

static tumen_status agg_flush(tumen_store *s, tumen_error *err) {
    sqlite3_stmt *q = s->up_agg;
    struct agg_ref *refs = s->agg_n ? malloc(s->agg_n * sizeof *refs) : NULL;
    if (s->agg_n && refs == NULL) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < s->agg_cap && n < s->agg_n; i++) {
        if (s->agg[i].used) {
            refs[n].c = &s->agg[i];
            refs[n].channel = intern_str(&s->strs, s->agg[i].k.channel);
            refs[n].modality = tumen_modality_name((tumen_modality)s->agg[i].k.modality);
            n++;
        }
    }
    if (n > 1) {
        qsort(refs, n, sizeof *refs, cmp_agg_ref);
    }
    for (size_t i = 0; i < n; i++) {
        const struct agg_cell *c = refs[i].c;
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, c->k.src, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, c->k.tgt, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 3, c->k.month);
        sqlite3_bind_text(q, 4, refs[i].channel, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 5, c->k.quad);
        sqlite3_bind_text(q, 6, refs[i].modality, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 7, c->events);
        sqlite3_bind_double(q, 8, c->gsum);
        sqlite3_bind_double(q, 9, c->coop);
        sqlite3_bind_double(q, 10, c->conflict);
        if (sqlite3_step(q) != SQLITE_DONE) {
            free(refs);
            return store_db_error(s, err, "update dyad_month");
        }
    }
    free(refs);
    return TUMEN_OK;
}

static tumen_status txn_commit(tumen_store *s, tumen_error *err) {
    if (!s->in_txn) {
        return TUMEN_OK;
    }
    tumen_status st = agg_flush(s, err);
    if (st == TUMEN_OK) {
        st = cluster_flush(s, err);
    }
    if (st == TUMEN_OK) {
        st = exec(s, "COMMIT", err);
    }
    if (st != TUMEN_OK) {
        txn_abort(s);
        return st;
    }
    s->in_txn = 0;
    agg_clear(s);
    return TUMEN_OK;
}

tumen_status tumen_store_flush(tumen_store *s, tumen_error *err) {
    if (s->failed) {
        return err_set(err, TUMEN_DB, s->path, 0, 0, "an earlier write failed");
    }
    tumen_status st = txn_commit(s, err);
    if (st == TUMEN_OK && s->bulk && !(s->flags & TUMEN_STORE_READONLY)) {
        /* the bulk load is over: build the indexes in one transaction of their own */
        st = exec(s, "BEGIN IMMEDIATE", err);
        if (st == TUMEN_OK) {
            st = end_bulk(s, err);
            if (st == TUMEN_OK) {
                st = exec(s, "COMMIT", err);
            }
            if (st != TUMEN_OK) {
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            }
        }
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
    tumen_status st = txn_begin(s, err);
    if (st != TUMEN_OK) {
        return st;
    }
    s->doc = *doc;
    s->doc_open = 1;
    s->npevs = 0;
    s->ev_status = TUMEN_OK;
    arena_reset(&s->arena);
    store_norm_date(doc->date, s->doc_date, &s->doc_date_key);
    sha256_hex(doc->text ? doc->text : "", doc->text ? doc->len : 0, s->hash);
    sqlite3_reset(s->sel_doc);
    sqlite3_bind_text(s->sel_doc, 1, s->hash, 64, SQLITE_STATIC);
    int rc = sqlite3_step(s->sel_doc);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        s->doc_open = 0;
        return store_db_error(s, err, "look up document");
    }
    s->doc_new = rc == SQLITE_DONE;
    sqlite3_reset(s->sel_doc);
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

/* Binds start and end of a span at columns i, i+1 (NULL when absent). */
static void bind_span(tumen_store *s, sqlite3_stmt *q, int i, const tumen_span *sp) {
    if (span_ok(sp, s->doc.len)) {
        sqlite3_bind_int64(q, i, (sqlite3_int64)sp->offset);
        sqlite3_bind_int64(q, i + 1, (sqlite3_int64)(sp->offset + sp->length));
    } else {
        sqlite3_bind_null(q, i);
        sqlite3_bind_null(q, i + 1);
    }
}

static void bind_str_or_null(sqlite3_stmt *q, int i, const char *v) {
    if (v && *v) {
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, i);
    }
}

static tumen_status agg_add(tumen_store *s, const struct pev *p) {
    struct agg_key k;
    memset(&k, 0, sizeof k);
    store_country(p->ev.source, k.src);
    store_country(p->ev.target, k.tgt);
    k.month = p->date_key / 100;
    k.channel = intern_add(&s->strs, p->ev.channel, strlen(p->ev.channel));
    if (k.channel == TUMEN_NOID) {
        return TUMEN_NOMEM;
    }
    int stat = p->ev.kind == TUMEN_KIND_STATISTIC;
    k.quad = (int8_t)(stat ? 0 : p->ev.quad);
    k.modality = (int8_t)p->ev.modality;
    if ((s->agg_n + 1) * 2 > s->agg_cap) {
        size_t ncap = s->agg_cap ? s->agg_cap * 2 : 1024;
        struct agg_cell *na = calloc(ncap, sizeof *na);
        if (na == NULL) {
            return TUMEN_NOMEM;
        }
        for (size_t i = 0; i < s->agg_cap; i++) {
            if (s->agg[i].used) {
                size_t j = hash_bytes(&s->agg[i].k, sizeof s->agg[i].k) & (ncap - 1);
                while (na[j].used) {
                    j = (j + 1) & (ncap - 1);
                }
                na[j] = s->agg[i];
            }
        }
        free(s->agg);
        s->agg = na;
        s->agg_cap = ncap;
    }
    size_t j = hash_bytes(&k, sizeof k) & (s->agg_cap - 1);
    while (s->agg[j].used && memcmp(&s->agg[j].k, &k, sizeof k) != 0) {
        j = (j + 1) & (s->agg_cap - 1);
    }
    struct agg_cell *c = &s->agg[j];
    if (!c->used) {
        c->used = 1;
        c->k = k;
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

static tumen_status insert_event(tumen_store *s, struct pev *p, int64_t doc_row, int64_t id,
                                 int seq, tumen_error *err) {
    const tumen_event *e = &p->ev;
    sqlite3_stmt *q = s->ins_ev;
    char sc[4], tc[4];
    store_country(e->source, sc);
    store_country(e->target, tc);
    int stat = e->kind == TUMEN_KIND_STATISTIC;
    if (!(s->flags & TUMEN_STORE_NO_CLUSTERS)) {
        tumen_status st = cluster_assign(s, p, doc_row, id, err);
        if (st != TUMEN_OK) {
            return st;
        }
    }
    char pattern[600] = "";
    if (e->pattern_file) {
        snprintf(pattern, sizeof pattern, "%s:%u", e->pattern_file, (unsigned)e->pattern_line);
    }
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, doc_row);
    sqlite3_bind_int64(q, 3, p->sent_row);
    sqlite3_bind_int(q, 4, (int)e->sentence);
    sqlite3_bind_int(q, 5, seq);
    if (span_ok(&e->sent, s->doc.len)) {
        sqlite3_bind_int64(q, 6, (sqlite3_int64)e->sent.offset);
        sqlite3_bind_int64(q, 7, (sqlite3_int64)(e->sent.offset + e->sent.length));
    } else {
        sqlite3_bind_int(q, 6, 0);
        sqlite3_bind_int(q, 7, 0);
    }
    sqlite3_bind_text(q, 8, stat ? "statistic" : "event", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, e->source[0] ? e->source : "---", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 10, e->target[0] ? e->target : "---", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 11, sc, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 12, tc, -1, SQLITE_STATIC);
    bind_span(s, q, 13, &e->source_span);
    bind_span(s, q, 15, &e->target_span);
    sqlite3_bind_text(q, 17, stat ? "--" : e->code, -1, SQLITE_STATIC);
    if (stat) {
        sqlite3_bind_null(q, 18);
    } else {
        sqlite3_bind_double(q, 18, e->goldstein);
    }
    sqlite3_bind_int(q, 19, stat ? 0 : e->quad);
    sqlite3_bind_int(q, 20, e->symmetric != 0);
    bind_span(s, q, 21, &e->verb);
    sqlite3_bind_text(q, 23, tumen_modality_name(e->modality), -1, SQLITE_STATIC);
    bind_str_or_null(q, 24, e->attributed_to);
    bind_span(s, q, 25, &e->cue);
    if (e->probability >= 0 && !isnan(e->probability)) {
        sqlite3_bind_double(q, 27, e->probability);
    } else {
        sqlite3_bind_null(q, 27);
    }
    bind_span(s, q, 28, &e->probability_words);
    const tumen_quantity *qt = &e->quantity;
    if (qt->present) {
        sqlite3_bind_double(q, 30, qt->value);
        if (qt->has_low) {
            sqlite3_bind_double(q, 31, qt->low);
        } else {
            sqlite3_bind_null(q, 31);
        }
        sqlite3_bind_int(q, 32, qt->approx != 0);
        bind_str_or_null(q, 33, qt->bound == TUMEN_BOUND_MAX   ? "max"
                                : qt->bound == TUMEN_BOUND_MIN ? "min"
                                                               : NULL);
        bind_str_or_null(q, 34, qt->unit);
        bind_span(s, q, 35, &qt->span);
    } else {
        for (int i = 30; i <= 36; i++) {
            sqlite3_bind_null(q, i);
        }
    }
    bind_str_or_null(q, 37, e->when);
    bind_span(s, q, 38, &e->when_span);
    bind_str_or_null(q, 40, p->date);
    sqlite3_bind_int(q, 41, p->date_key);
    bind_str_or_null(q, 42, pattern);
    sqlite3_bind_text(q, 43, e->channel, -1, SQLITE_STATIC);
    if (p->cluster) {
        sqlite3_bind_int64(q, 44, p->cluster);
        sqlite3_bind_text(q, 45, p->cluster_rule, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, 44);
        sqlite3_bind_null(q, 45);
    }
    if (sqlite3_step(q) != SQLITE_DONE) {
        return store_db_error(s, err, "insert event");
    }
    tumen_status st = agg_add(s, p);
    if (st != TUMEN_OK) {
        return err_set(err, st, s->path, 0, 0, "out of memory");
    }
    return TUMEN_OK;
}

static tumen_status write_doc(tumen_store *s, tumen_error *err) {
    const tumen_doc *d = &s->doc;
    /* a sentence is identified by its first event (the sentences view): sent_row is the id
     * of that event */
    int64_t first_id = s->next_event_id;
    size_t nsent = 0;
    for (size_t i = 0; i < s->npevs; i++) {
        struct pev *p = &s->pevs[i];
        p->sent_row = 0;
        if (i > 0 && s->pevs[i - 1].ev.sentence == p->ev.sentence) {
            p->sent_row = s->pevs[i - 1].sent_row;
        }
        for (size_t j = 0; j < i && p->sent_row == 0; j++) {
            if (s->pevs[j].ev.sentence == p->ev.sentence) {
                p->sent_row = s->pevs[j].sent_row;
            }
        }
        if (p->sent_row == 0) {
            p->sent_row = first_id + (int64_t)i;
            nsent++;
        }
    }
    sqlite3_stmt *q = s->ins_doc;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, s->hash, 64, SQLITE_STATIC);
    bind_str_or_null(q, 2, d->id);
    bind_str_or_null(q, 3, s->doc_date[0] ? s->doc_date : d->date);
    bind_str_or_null(q, 4, d->title);
    bind_str_or_null(q, 5, d->url);
    sqlite3_bind_text(q, 6, d->text ? d->text : "", d->text ? (int)d->len : 0, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, (sqlite3_int64)d->len);
    sqlite3_bind_int64(q, 8, (sqlite3_int64)s->npevs);
    sqlite3_bind_int64(q, 9, (sqlite3_int64)nsent);
    if (sqlite3_step(q) != SQLITE_DONE) {
        return store_db_error(s, err, "insert document");
    }
    int64_t doc_row = sqlite3_last_insert_rowid(s->db);
    for (size_t i = 0; i < s->npevs; i++) {
        tumen_status st = insert_event(s, &s->pevs[i], doc_row, s->next_event_id++, (int)i + 1,
                                       err);
        if (st != TUMEN_OK) {
            return st;
        }
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
    tumen_status st = write_doc(s, err);
    if (st != TUMEN_OK) {
        txn_abort(s);
        return st;
    }
    s->txn_docs++;
    s->txn_events += s->npevs;
    if (s->txn_docs >= s->batch_docs || s->txn_events >= s->batch_events) {
        return txn_commit(s, err);
    }
    return TUMEN_OK;
}

tumen_status tumen_store_counts(tumen_store *s, uint64_t *docs, uint64_t *events,
                                uint64_t *clusters, tumen_error *err) {
    static const char *const sql[3] = {"SELECT count(*) FROM documents",
                                       "SELECT count(*) FROM events",
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
