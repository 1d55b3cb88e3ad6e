/* Internals of the event store shared by store.c (ingest), cluster.c (merged duplicates),
 * analysis.c (dyad, actors, evidence) and report.c (HTML). */
#ifndef TUMEN_STORE_IMPL_H
#define TUMEN_STORE_IMPL_H

#include "tumen_store.h"

#include "channel.h"
#include "util.h"

#include <sqlite3.h>

#define STORE_SCHEMA_VERSION 3
#define STORE_SCHEMA_VERSION_STR "3"

/* One event of the current document, copied at tumen_store_add_event. Pointers in ev point
 * into the document (borrowed until doc_end) or into the store's per-document arena. */
struct pev {
    tumen_event ev;
    char date[11];  /* effective date: when, else the document date, "" if none */
    char sc[4], tc[4]; /* source and target country (store_country) */
    int32_t date_key; /* yyyymmdd with 0 for missing parts, 0 if no date */
    int64_t cluster;  /* 0: not clustered */
    uint32_t sent_first; /* index in the document of the first event of the same sentence */
    const char *cluster_rule;
    const char *cluster_key; /* interned (s->cl_keys), NULL when not clustered */
};

/* A cluster as cached across batches (cluster.c). The dyad, family, channel and mode are
 * those of its key (struct cl_key). Dates are kept as date keys (yyyymmdd, store_key_date). */
struct cl {
    int64_t id, first_event, mentions, sources;
    int64_t last_doc; /* the first event id of the last document that mentioned it */
    uint32_t key;     /* intern id of the key (index into cl_keyinfo) */
    int32_t next_k;   /* next cluster of the same key, -1 */
    int32_t next_b;   /* next cluster in the same (key, year) bucket, -1 */
    int32_t first_key, last_key;
    char time[11];    /* the cluster's when: common prefix of its mentions' when, "" if none */
    char code[7];     /* the first mention's code ("--" for statistics) */
    int8_t quad;
    uint8_t dirty;
};

/* What a cluster key stands for, once per distinct key. */
struct cl_key {
    int32_t head;   /* first cluster of the key, -1 */
    char src[4], tgt[4], family[32], channel[40], mode[2];
    int symmetric;
};

/* (key, year) bucket of the cluster cache: open addressing, tag = first 4 bytes of the
 * time, 0 for no time and 1 for times shorter than 4 bytes. */
struct cl_bucket {
    uint32_t key, tag;
    int32_t head; /* first cluster; -2: no cluster; -1: free slot */
};

/* Aggregate cells (table agg_cells, view dyad_month). A cell's key packs, from the high
 * bits down: source country id (14 bits), target country id (14), month code (17: year*13 +
 * month, month 0 when unknown, 0 when undated), channel id (10), quad (3), modality (3). The
 * ids are those of the countries and channels tables. A dyad's cells are one key range. */
#define AGG_SRC_SHIFT 47
#define AGG_TGT_SHIFT 33
#define AGG_MONTH_SHIFT 16
#define AGG_CHANNEL_SHIFT 6
#define AGG_QUAD_SHIFT 3
#define AGG_MAX_COUNTRY 16383
#define AGG_MAX_CHANNEL 1023
struct agg_cell {
    uint64_t key; /* 0: free slot (a used key has a source id >= 1) */
    int64_t events;
    double gsum, coop, conflict;
};

struct tumen_store {
    sqlite3 *db;
    unsigned flags;
    char *path;
    size_t batch_docs, batch_events;
    int in_txn;
    int failed; /* a write failed: the batch was rolled back; further writes refused */
    size_t txn_docs, txn_events;

    /* prepared statements (NULL in read-only mode for the write ones) */
    sqlite3_stmt *sel_doc, *ins_doc, *ins_terms, *sel_cl, *put_cl, *up_agg;
    sqlite3_stmt *ins_code[2]; /* countries, channels */
    struct buf evbuf, termbuf; /* the current document's event array and doc_terms text */
    uint64_t *term_set;        /* hashes of the document's terms (put_term) */
    size_t term_cap;           /* power of two */

    /* current document */
    int doc_open, doc_new;
    tumen_doc doc;
    char doc_date[11];
    int32_t doc_date_key;
    char hash[65];
    struct pev *pevs;
    size_t npevs, cap_pevs;
    struct arena arena; /* per document */
    tumen_status ev_status;

    struct channel_table *channels;
    /* country and channel ids of aggregate keys: intern id i is table id i+1; the first
     * *_saved are in the tables, the rest are written at the next commit */
    struct intern countries, chans;
    size_t countries_saved, chans_saved;
    int codes_loaded;

    /* batch aggregates */
    struct agg_cell *agg;
    size_t agg_n, agg_cap; /* cap: power of two */

    /* cluster cache, kept across batches while no other connection writes */
    struct intern cl_keys;
    struct cl_key *cl_keyinfo; /* per key id */
    size_t cl_keyinfo_cap;
    struct cl_bucket *cl_buckets;
    size_t cl_nbuckets, cl_bucket_cap; /* cap: power of two */
    struct cl *cls;
    size_t ncls, cap_cls;
    int32_t *cl_dirty; /* clusters changed in the open batch */
    size_t ndirty, cap_dirty;
    int cl_complete; /* the cache holds every stored cluster (the store was empty at open) */
    unsigned char cl_bucket_loaded[4096 / 8]; /* key buckets read back since the last clear */
    int64_t next_event_id;
    int64_t data_version; /* PRAGMA data_version when the cluster cache was last valid */
};

/* Formats an SQLite error into err with the store path. Returns TUMEN_DB. */
tumen_status store_db_error(tumen_store *s, tumen_error *err, const char *what);

/* "YYYY[-MM[-DD]]" from a date in any date_parse form; out is "" when invalid. */
void store_norm_date(const char *in, char out[11], int32_t *key);
/* The date of a date key made by store_norm_date ("" for 0). */
void store_key_date(int32_t key, char out[11]);

/* The country part of a CAMEO actor code: its first 3 letters ("PRKMIL" -> "PRK"), the
 * organisation of a Phoenix "IGO" code ("IGOUNO" -> "UNO"), "---" when unknown. */
void store_country(const char *code, char out[4]);

/* The doc_terms query (FTS5 MATCH) for documents with events of source a and target b
 * (either may be NULL; undirected: either way round) into out. doc_terms holds one term per
 * dyad, "d<source><target>", so one side alone becomes the dyads of it with every country in
 * the store. Returns false when there is nothing to restrict (no country), for a code
 * doc_terms cannot hold (not 3 ASCII letters or digits) and on out of memory; then the caller
 * scans. */
bool store_terms_query(tumen_store *s, const char *a, const char *b, int directed,
                       struct buf *out);

/* Clusters (cluster.c). */
void cluster_cache_init(tumen_store *s);
/* Drops the cache; the stored clusters are read again as keys are met. */
void cluster_cache_clear(tumen_store *s);
void cluster_cache_fini(tumen_store *s);
/* Assigns p, the event with id event_id of the document whose first event id is doc_first, to
 * a cluster (creating one; a new cluster's id is event_id). Sets p->cluster, cluster_rule and
 * cluster_key. */
tumen_status cluster_assign(tumen_store *s, struct pev *p, int64_t doc_first, int64_t event_id,
                            tumen_error *err);
/* The doc_terms term of a cluster key's bucket: "k" and 3 hex digits (12 bits of its FNV-1a
 * hash). */
void cluster_term(const char *key, char out[5]);
/* Writes the changed clusters of two or more mentions (inside the batch transaction) and
 * marks them clean. A cluster of one mention has no row: its event is the whole story. */
tumen_status cluster_flush(tumen_store *s, tumen_error *err);
/* The code family used for matching: "econ", "mil", "agree", "r<root>" or "stat:<unit>". */
void cluster_family(const tumen_event *ev, char out[32]);

/* Byte-buffer helpers for SQL building and HTML (report.c). */
tumen_status html_escape(struct buf *b, const char *s);

#endif
