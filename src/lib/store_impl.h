/* Internals of the event store shared by store.c (ingest), cluster.c (merged duplicates),
 * analysis.c (dyad, actors, evidence) and report.c (HTML). */
#ifndef TUMEN_STORE_IMPL_H
#define TUMEN_STORE_IMPL_H

#include "tumen_store.h"

#include "channel.h"
#include "util.h"

#include <pthread.h>
#include <sqlite3.h>

/* Version 5 adds the year terms of doc_terms (cluster.c); a version 4 store is read and
 * written as it is, its clusters read back without them. */
#define STORE_SCHEMA_VERSION 5
#define STORE_SCHEMA_VERSION_STR "5"
#define STORE_SCHEMA_OLDEST 4

/* The code tables written from interned strings: countries, channels, pattern files. */
#define STORE_NCODES 3

/* How an event joined its cluster (events.cluster_rule, cluster.c). */
enum cluster_rule {
    CR_NEW,
    CR_WHEN_EXACT,
    CR_WHEN_PREFIX,
    CR_ONE_EMPTY,
    CR_DOC_EXACT,
    CR_DOC_PREFIX
};

/* One event of the current document, copied at tumen_store_add_event. Pointers in ev point
 * into the document (borrowed until doc_end) or into the store's per-document arena. */
struct pev {
    tumen_event ev;
    char date[11];  /* effective date: when, else the document date, "" if none */
    char sc[4], tc[4]; /* source and target country (store_country) */
    int32_t date_key; /* yyyymmdd with 0 for missing parts, 0 if no date */
    int64_t cluster;  /* 0: not clustered */
    uint32_t sent_first; /* index in the document of the first event of the same sentence */
    int cluster_rule;        /* enum cluster_rule */
    uint32_t pf_id;          /* pattern_files id of ev.pattern_file, 0 for none */
    unsigned bucket;         /* its key's bucket (cluster_bucket_term), when clustered */
    uint32_t ttag;           /* its time's bucket tag (cluster.c, time_tag), when clustered */
    int kstate;              /* cluster_prefetch: 1 kid and khash hold its key's identity,
                              * 2 as well and khint is its likely key id */
    uint32_t khint;
    uint64_t kid[2], khash;
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
    uint64_t id[2]; /* its identity as integers (cluster.c, pack_key) */
    unsigned bucket; /* its doc_terms bucket (cluster_bucket_term) */
    int32_t head;   /* first cluster of the key, -1 */
    uint32_t short_times; /* its clusters with a time of 0 to 3 bytes (bucket tags 0 and 1):
                           * most keys have none, and their assignment skips those buckets */
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
 * bits down: month code (17 bits: year*13 + month, month 0 when unknown, 0 when undated),
 * source country id (14), target country id (14), channel id (10), quad (3), modality (3).
 * The ids are those of the countries and channels tables. Month first keeps a batch of news
 * (which covers a few months) in a few pages of the table; a dyad's cells are one key range
 * per month. */
#define AGG_MONTH_SHIFT 44
#define AGG_SRC_SHIFT 30
#define AGG_TGT_SHIFT 16
#define AGG_CHANNEL_SHIFT 6
#define AGG_QUAD_SHIFT 3
#define AGG_MAX_COUNTRY 16383
#define AGG_MAX_CHANNEL 1023
/* One event's contribution to its cell, collected per batch and sorted by key (stably, so
 * that a cell sums its events' scores in event order) when the batch closes. */
#define AGG_STAT_BIT ((uint64_t)1 << 63) /* in agg_add.key: a statistic (counted, no score) */
struct agg_add {
    uint64_t key; /* cell key, | AGG_STAT_BIT for a statistic */
    double g;     /* Goldstein score */
};
_Static_assert(sizeof(struct agg_add) % 8 == 0, "radix_sort_u64 moves 8-byte words");
struct agg_cell {
    uint64_t key;
    int64_t events;
    double gsum, coop, conflict;
};

/* ---- batches and the writer thread (store_writer.c) ----
 *
 * Ingest is a pipeline of two threads. The caller's thread (the "ingest side") hashes each
 * document, checks it is new, assigns its events to clusters, encodes its event array and
 * doc_terms text, and adds its events to the aggregate cells, all in memory, into a batch.
 * A full batch goes to the writer thread, which owns the write connection and writes it in
 * one transaction, while the ingest side fills the next. The ingest side reads through its
 * own read-only connection (rdb): committed documents there, documents still in batches in
 * the `pending` set. */

/* A document of a batch, ready to write. Strings are in the batch's arena (NULL: absent). */
struct wdoc {
    char hash[65];
    const char *doc_id, *date, *title, *url;
    size_t text_off, len; /* its text in batch->texts */
    int64_t first_event, events, sentences;
    size_t data_off, data_len;   /* its event array in batch->data */
    size_t terms_off, terms_len; /* its doc_terms text in batch->terms */
};

/* A clusters row to write (a cluster of two or more mentions), strings in the arena. */
struct wcl {
    int64_t id, first_event, mentions, sources;
    int32_t first_key, last_key;
    int symmetric, quad;
    const char *key, *term, *src, *tgt, *family, *channel, *mode, *time, *code;
};

struct batch {
    struct arena arena;
    struct wdoc *docs;
    size_t ndocs, cap_docs, nevents;
    struct buf data, terms, texts; /* kept, with their capacity, when a batch is reused */
    int64_t first_event; /* the store's next event id when the batch began */
    struct agg_cell *cells; /* sorted by key (malloc) */
    size_t ncells;
    struct wcl *cls;
    size_t ncls, cap_cls;
    const char **codes[STORE_NCODES]; /* new countries, channels, pattern files: ids
                                       * code_first[k], +1, ... */
    size_t ncodes[STORE_NCODES];
    int64_t code_first[STORE_NCODES];
    struct batch *next;
};

struct tumen_store {
    sqlite3 *db;  /* the write connection (the writer thread's while it runs) */
    sqlite3 *rdb; /* the ingest side's read connection (NULL when read-only) */
    unsigned flags;
    char *path;
    size_t batch_docs, batch_events;
    int failed; /* a write failed: further writes refused */

    /* prepared statements: on rdb the ingest side's, on db the writer's (NULL read-only) */
    sqlite3_stmt *sel_doc, *sel_cl, *sel_all;
    sqlite3_stmt *ins_doc, *ins_terms, *put_cl, *up_agg;
    sqlite3_stmt *ins_code[STORE_NCODES]; /* countries, channels, pattern files */
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
     * *_saved have gone into batches, the rest go into the next one */
    struct intern countries, chans, pfiles;
    size_t countries_saved, chans_saved, pfiles_saved;
    const char *pf_last; /* the pattern file of the last event (interned), and its id */
    uint32_t pf_last_id;
    uint32_t country_memo[256]; /* direct-mapped memo of country ids: packed code + 1 */
    uint16_t country_memo_id[256];

    /* the batch being filled, and the aggregate cells of it */
    struct batch *cur;
    struct agg_add *agg, *agg_tmp; /* the batch's contributions, in event order; agg_tmp:
                                    * the sort's other buffer (same capacity) */
    size_t agg_n, agg_cap;
    struct intern pending; /* hashes of the documents in cur and in queued batches; of every
                            * document this process stored when the store was empty at open */
    int fresh;             /* the store was empty at open: every document in it is ours */
    int hash_index;        /* documents_hash exists (a fresh store builds it at the end) */
    size_t fresh_max;      /* hashes a fresh store keeps (about 100 bytes each) before it
                            * looks committed documents up like any other store */

    /* the writer thread; the queue holds batches handed over and not yet written */
    pthread_t thread;
    int thread_on, quit;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    struct batch *queue, *queue_tail, *done, *spare;
    size_t queued;
    tumen_status bg_st; /* the writer's first error, with bg_err */
    tumen_error bg_err;

    /* cluster cache */
    struct intern cl_keys;     /* key strings; a key's id indexes cl_keyinfo */
    struct intern cl_names;    /* families and channels, for the keys' integer identities */
    uint64_t *cl_kslots;       /* integer identity -> key id: id+1 | hash's high 32 bits << 32 */
    size_t cl_kslot_n, cl_kslot_cap; /* cap: power of two */
    struct cl_key *cl_keyinfo; /* per key id */
    size_t cl_keyinfo_cap;
    struct cl_bucket *cl_buckets;
    size_t cl_nbuckets, cl_bucket_cap; /* cap: power of two */
    struct cl *cls;
    size_t ncls, cap_cls;
    int32_t *cl_dirty; /* clusters changed in the open batch */
    size_t ndirty, cap_dirty;
    int cl_complete; /* the cache holds every stored cluster (the store was empty at open) */
    int schema_version;     /* of the open store */
    int clusters_table;     /* clusters is schema 4's table, not schema 5's view */
    int cl_year_mode;       /* clusters are read back by year: -1 not decided yet, 0, 1 */
    uint32_t cl_years[16];  /* the year tags read back since the last clear (year mode) */
    unsigned cl_nyears;
    unsigned char cl_bucket_loaded[4096 / 8]; /* key buckets read back since the last clear */
    unsigned bucket_loads;  /* buckets read back one by one since the last clear */
    size_t cl_cache_max;    /* clusters cached beyond this are dropped after a batch */
    int64_t next_event_id;
};

/* store_writer.c */
/* The store's next event id, as its last document says (event ids are dense: a document's
 * are first_event .. first_event + events - 1); -1 on a read error. */
int64_t store_next_event_id(tumen_store *s);
/* A batch beginning at event id first_event: s->spare (a written batch kept for its buffers)
 * when there is one, else a new one; NULL on out of memory. */
struct batch *batch_new(tumen_store *s, int64_t first_event);
void batch_free(struct batch *b);
/* Starts the writer thread. */
tumen_status writer_start(tumen_store *s, tumen_error *err);
/* Hands batch b to the writer (waiting while two are queued). */
void writer_dispatch(tumen_store *s, struct batch *b);
/* Waits until the writer has written every queued batch, frees them, rebuilds the pending
 * set, and returns the writer's first error (copied into err), if any. */
tumen_status writer_drain(tumen_store *s, tumen_error *err);
/* Frees the batches the writer has finished, rebuilds the pending set when there were any,
 * and returns the writer's first error (copied into err), if any. Does not wait. */
tumen_status writer_reap(tumen_store *s, tumen_error *err);
/* Stops the writer after it has written the queued batches, and joins it. */
void writer_stop(tumen_store *s);
/* For the read functions: the writer's connection is free (nothing queued) when this
 * returns; a no-op without a writer. */
void store_sync(tumen_store *s);

/* store_rows.c: registers on db the table-valued functions tumen_batch_cells(?1) and
 * tumen_batch_clusters(?1), which read a batch bound with sqlite3_bind_pointer (pointer
 * type "tumen_batch"; borrowed for the statement's steps). Returns an SQLite result code. */
int store_rows_register(sqlite3 *db);

/* Formats an SQLite error into err with the store path. Returns TUMEN_DB. */
tumen_status store_db_error(tumen_store *s, tumen_error *err, const char *what);

/* "YYYY[-MM[-DD]]" from a date in any date_parse form; out is "" when invalid. */
void store_norm_date(const char *in, char out[11], int32_t *key);
/* The date of a date key made by store_norm_date ("" for 0). */
void store_key_date(int32_t key, char out[11]);

/* The country part of a CAMEO actor code: its first 3 letters ("PRKMIL" -> "PRK"), the
 * organisation of a Phoenix "IGO" code ("IGOUNO" -> "UNO"), "---" when unknown. */
void store_country(const char *code, char out[4]);
/* store_country of a raw actor-code element of an event array (evscan_elems: escaped, v[-1]
 * the quote); "---" when it is not a string. */
void store_country_raw(const char *v, size_t n, char out[4]);

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
/* Computes the key identities of a document's events (n of them) and prefetches the cache
 * entries that assigning them will read, so that the cache misses of the document's events
 * overlap instead of following one another. Changes nothing in the cache. */
void cluster_prefetch(tumen_store *s, struct pev *pevs, size_t n);
/* Assigns p, the event with id event_id of the document whose first event id is doc_first, to
 * a cluster (creating one; a new cluster's id is event_id). Sets p->cluster, cluster_rule and
 * bucket. */
tumen_status cluster_assign(tumen_store *s, struct pev *p, int64_t doc_first, int64_t event_id,
                            tumen_error *err);
/* The doc_terms term of a cluster key's bucket b (0..4095, 12 bits of the key's FNV-1a
 * hash): "k" and 3 hex digits. */
void cluster_bucket_term(unsigned b, char out[5]);
/* Copies the changed clusters of two or more mentions into batch b (rows to write) and marks
 * them clean. A cluster of one mention has no row: its event is the whole story. */
tumen_status cluster_snapshot(tumen_store *s, struct batch *b, tumen_error *err);
/* The doc_terms term of a clustered event's time tag (pev.ttag): "y0" for no time, "y1"
 * for a time shorter than 4 bytes, "y" and the time's first 4 bytes when they are ASCII
 * letters or digits ("y2024"), else "y" and the tag's 8 hex digits. Returns its length. */
size_t cluster_year_term(uint32_t tag, char out[10]);
/* The code family used for matching: "econ", "mil", "agree", "r<root>" or "stat:<unit>". */
void cluster_family(const tumen_event *ev, char out[32]);

/* Byte-buffer helpers for SQL building and HTML (report.c). */
tumen_status html_escape(struct buf *b, const char *s);

#endif
