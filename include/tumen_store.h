/* tumen event store: SQLite storage of coded documents, merged duplicate events
 * (clusters), analyst channels, dyad analytics and the HTML report.
 *
 * The schema is documented in docs/store.md so that sqlite3, Datasette or pandas users can
 * query the file directly. The store never prints and never exits.
 *
 * Ownership:
 *   - tumen_store_new / tumen_store_free; tumen_store_free(NULL) is a no-op.
 *   - A tumen_store belongs to one thread.
 *   - Strings inside a tumen_evidence are borrowed and valid only during the callback.
 *   - Results returned through an out pointer (summaries, edge lists, HTML) are owned by
 *     the caller and released with the matching _free function (or free() for HTML).
 */
#ifndef TUMEN_STORE_H
#define TUMEN_STORE_H

#include "tumen.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tumen_store tumen_store;

enum {
    TUMEN_STORE_READONLY = 1u << 0, /* analytics only; fails with TUMEN_NOTFOUND if absent */
    TUMEN_STORE_NO_CLUSTERS = 1u << 1 /* do not merge events into clusters while ingesting */
};

/* Opens (creating if needed, unless TUMEN_STORE_READONLY) the store at path, e.g. "tumen.db".
 * Sets WAL mode, synchronous=NORMAL and (for a new file) 64 KiB pages, and creates the
 * schema. The caller owns *out. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_new(const char *path, unsigned flags,
                                                          tumen_store **out, tumen_error *err);

/* Loads an analyst channel table (data/channels.tsv format, documented in that file).
 * Events whose tumen_event.channel is NULL are classified with it; without a table they
 * get "other". On a syntax error err names file:line:col and the previous table is kept. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_load_channels(tumen_store *s,
                                                                    const char *path,
                                                                    tumen_error *err);

/* Batch size: a transaction is committed after this many documents or events, whichever
 * comes first (defaults 10000 and 200000). 0 keeps the current value. */
TUMEN_EXPORT void tumen_store_set_batch(tumen_store *s, size_t docs, size_t events);

/* ---- ingest: doc_begin, events, doc_end ------------------------------------------------ */

/* Starts a document. Its content hash (SHA-256 of the text) decides whether it is new;
 * *is_new receives 1 if so, 0 if the store already has it (then its events are ignored and
 * coding it can be skipped). doc and the strings it points to are borrowed until
 * tumen_store_doc_end. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_doc_begin(tumen_store *s,
                                                                const tumen_doc *doc,
                                                                int *is_new, tumen_error *err);

/* Adds one event of the current document; a tumen_event_fn, so it can be passed straight to
 * tumen_coder_code with ctx = the store. The event is copied. Returns non-zero (stop) on
 * out of memory; tumen_store_doc_end then reports the error. */
TUMEN_EXPORT int tumen_store_add_event(void *store, const tumen_event *ev);

/* Ends the current document. keep = 0 drops it (e.g. the coder failed on it); keep = 1 adds
 * it, whole, to the current batch, which is committed when full. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_doc_end(tumen_store *s, int keep,
                                                              tumen_error *err);

/* Commits the current batch. Call it before tumen_store_free: free discards (rolls back) an
 * uncommitted batch. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_flush(tumen_store *s, tumen_error *err);

/* Counts in the store: documents, events, and merged clusters (two or more mentions; an
 * event alone is its own cluster and has no clusters row). Any pointer may be NULL. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_counts(tumen_store *s, uint64_t *docs,
                                                             uint64_t *events,
                                                             uint64_t *clusters,
                                                             tumen_error *err);

/* Closes the store (rolling back an uncommitted batch). NULL is a no-op. */
TUMEN_EXPORT void tumen_store_free(tumen_store *s);

/* ---- analytics --------------------------------------------------------------------------- */

typedef enum tumen_period { TUMEN_BY_QUARTER = 0, TUMEN_BY_MONTH, TUMEN_BY_YEAR } tumen_period;

/* Parses "month", "quarter", "year". Returns TUMEN_INVALID otherwise. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_period_parse(const char *s, tumen_period *out);

typedef struct tumen_dyad_query {
    const char *a, *b;  /* countries (first 3 letters of actor codes), e.g. "RUS", "PRK" */
    tumen_period by;
    const char *channel; /* NULL: all channels */
    int facts_only;      /* only asserted and reported events */
    int directed;        /* only a -> b; default both directions */
} tumen_dyad_query;

/* One period of a dyad. The cooperation index is (coop - conflict) / (coop + conflict),
 * where coop sums the positive and conflict the absolute negative Goldstein scores; it lies
 * in [-1, 1] and is 0 when both are 0 (docs/store.md). */
typedef struct tumen_dyad_period {
    char period[16];     /* "2022", "2022-Q3", "2022-08"; "2022" also holds month-less dates */
    int32_t key;         /* sortable: yyyymm (month), yyyy*100+q*10 (quarter), yyyy*100 */
    uint64_t events;     /* coded events (statistics excluded) */
    uint64_t statistics; /* statistic records */
    uint64_t quad[5];    /* quad[1..4]: events per quad class */
    double goldstein_sum, goldstein_mean;
    double coop, conflict, index;
    uint64_t *by_channel; /* nchannels counts (events and statistics) */
} tumen_dyad_period;

typedef struct tumen_dyad_summary {
    size_t nchannels;
    char **channels;       /* channel ids, in the order of the channel table */
    char **channel_labels; /* their display labels ("Military & arms") */
    size_t nperiods;
    tumen_dyad_period *periods; /* sorted by key */
    tumen_dyad_period total;
} tumen_dyad_summary;

/* Summarises a dyad per period. The caller frees *out with tumen_dyad_summary_free. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_dyad(tumen_store *s,
                                                           const tumen_dyad_query *q,
                                                           tumen_dyad_summary **out,
                                                           tumen_error *err);
TUMEN_EXPORT void tumen_dyad_summary_free(tumen_dyad_summary *d);

/* One edge of the actor network: an unordered pair of countries a < b. */
typedef struct tumen_actor_edge {
    char a[8], b[8];
    uint64_t events;         /* both directions, statistics excluded */
    uint64_t a_to_b, b_to_a;
    double goldstein_sum, coop, conflict;
    double index;            /* net cooperation, as in tumen_dyad_period */
} tumen_actor_edge;

/* The top edges by volume (top 0: all); around != NULL keeps edges touching that country
 * (or either of two countries given as "RUS,PRK"). The caller frees *out with free(). */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_actors(tumen_store *s, size_t top,
                                                             const char *around, int facts_only,
                                                             tumen_actor_edge **out, size_t *n,
                                                             tumen_error *err);

/* One stored event with its evidence. Strings are borrowed for the callback; absent values
 * are "" (never NULL); numbers absent are NAN where stated. */
typedef struct tumen_evidence {
    int64_t id, cluster;
    const char *date; /* the event's date: when, else the document date ("" if none) */
    const char *doc_id, *doc_title, *doc_url, *doc_date;
    uint32_t sentence_no;
    const char *sentence;
    int statistic; /* 1 for a statistic record */
    const char *source, *target, *code, *code_name, *channel;
    double goldstein;
    int quad;
    const char *modality, *attributed_to, *cue, *probability_words, *verb;
    double probability; /* negative when none */
    int has_quantity, has_low, approx;
    double value, low;
    const char *unit, *bound, *quantity_text; /* bound: "", "max", "min" */
    const char *when, *pattern;
    int64_t cluster_mentions, cluster_sources; /* 0 when not clustered */
} tumen_evidence;

typedef int (*tumen_evidence_fn)(void *ctx, const tumen_evidence *e);

typedef struct tumen_events_query {
    const char *a, *b;     /* countries; NULL matches any */
    int directed;          /* only a -> b */
    const char *channel;   /* NULL: any */
    const char *since;     /* "YYYY[-MM[-DD]]", inclusive; NULL: no bound */
    const char *until;     /* inclusive */
    unsigned modalities;   /* bit (1u << tumen_modality) per accepted modality; 0: all */
    int with_quantity;     /* only events with a quantity */
    int one_per_cluster;   /* the first mention of each cluster only */
    size_t limit;          /* 0: no limit */
} tumen_events_query;

/* Calls fn for each matching event in date order. fn returns non-zero to stop (then
 * TUMEN_STOPPED is returned). */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_events(tumen_store *s,
                                                             const tumen_events_query *q,
                                                             tumen_evidence_fn fn, void *ctx,
                                                             tumen_error *err);

/* ---- report -------------------------------------------------------------------------------- */

typedef struct tumen_report_options {
    const char *a, *b;  /* the dyad */
    const char *title;  /* NULL: "<A>–<B> relations" */
    tumen_period by;    /* chart period, default quarter */
} tumen_report_options;

/* Writes a self-contained HTML report (inline CSS and SVG, no script, no external resource).
 * *html is NUL-terminated and owned by the caller (free()); *len may be NULL. */
TUMEN_EXPORT TUMEN_NODISCARD tumen_status tumen_store_report(tumen_store *s,
                                                             const tumen_report_options *o,
                                                             char **html, size_t *len,
                                                             tumen_error *err);

#ifdef __cplusplus
}
#endif
#endif /* TUMEN_STORE_H */
