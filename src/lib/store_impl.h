/* Internals of the event store shared by store.c (ingest), cluster.c (merged duplicates),
 * analysis.c (dyad, actors, evidence) and report.c (HTML). */
#ifndef TUMEN_STORE_IMPL_H
#define TUMEN_STORE_IMPL_H

#include "tumen_store.h"

#include "channel.h"
#include "util.h"

#include <sqlite3.h>

#define STORE_SCHEMA_VERSION 1

/* One event of the current document, copied at tumen_store_add_event. Pointers in ev point
 * into the document (borrowed until doc_end) or into the store's per-document arena. */
struct pev {
    tumen_event ev;
    char date[11];  /* effective date: when, else the document date, "" if none */
    int32_t date_key; /* yyyymmdd with 0 for missing parts, 0 if no date */
    int64_t cluster;  /* 0: not clustered */
    int64_t sent_row;
    const char *cluster_rule;
};

/* A cluster as cached during a batch (cluster.c). */
struct cl {
    int64_t id;
    uint32_t key;  /* intern id of the key */
    int32_t next;  /* next cluster with the same key, -1 */
    char time[11]; /* the cluster's when: common prefix of its mentions' when, "" if none */
    char first_date[11], last_date[11];
    int32_t first_key, last_key;
    int64_t mentions, sources, last_doc, first_event;
    int is_new, dirty;
    /* descriptive, set at creation */
    char src[8], tgt[8], family[32], channel[40], code[8], mode[2];
    int quad, symmetric;
};

/* A dyad_month aggregate cell. */
struct agg_key {
    char src[4], tgt[4];
    int32_t month; /* yyyymm; mm = 00 when the month is unknown; 0 when no date */
    uint32_t channel; /* intern id */
    int8_t quad;
    int8_t modality;
};
struct agg_cell {
    struct agg_key k;
    int used;
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
    sqlite3_stmt *sel_doc, *ins_doc, *ins_sent, *ins_ev, *sel_cl, *up_cl, *up_agg;

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
    struct intern strs; /* channel names (agg keys) */

    /* batch aggregates */
    struct agg_cell *agg;
    size_t agg_n, agg_cap; /* cap: power of two */

    /* cluster cache for the batch */
    struct intern cl_keys;
    int32_t *cl_head; /* per key id: first cluster index, -1; -2 = not loaded yet */
    size_t cl_head_cap;
    struct cl *cls;
    size_t ncls, cap_cls;
    int64_t next_cluster_id;
    int64_t next_event_id;
    int64_t data_version; /* PRAGMA data_version when the cluster cache was last valid */
};

/* Formats an SQLite error into err with the store path. Returns TUMEN_DB. */
tumen_status store_db_error(tumen_store *s, tumen_error *err, const char *what);

/* "YYYY[-MM[-DD]]" from a date in any date_parse form; out is "" when invalid. */
void store_norm_date(const char *in, char out[11], int32_t *key);

/* The country part of a CAMEO actor code: its first 3 letters ("PRKMIL" -> "PRK"), the
 * organisation of a Phoenix "IGO" code ("IGOUNO" -> "UNO"), "---" when unknown. */
void store_country(const char *code, char out[4]);

/* Clusters (cluster.c). */
void cluster_cache_init(tumen_store *s);
void cluster_cache_clear(tumen_store *s);
void cluster_cache_fini(tumen_store *s);
/* Assigns p to a cluster (creating one), given the stored document row id. */
tumen_status cluster_assign(tumen_store *s, struct pev *p, int64_t doc_row, int64_t event_row,
                            tumen_error *err);
/* Writes new and changed clusters (inside the batch transaction) and marks them clean. */
tumen_status cluster_flush(tumen_store *s, tumen_error *err);
/* The code family used for matching: "econ", "mil", "agree", "r<root>" or "stat:<unit>". */
void cluster_family(const tumen_event *ev, char out[32]);

/* Byte-buffer helpers for SQL building and HTML (report.c). */
tumen_status html_escape(struct buf *b, const char *s);

#endif
