/* Dyad analytics, the actor network and the evidence list over the event store.
 *
 * Dyad summaries and the network read the agg_cells aggregate table (maintained at ingest),
 * so they cost the number of (dyad, month, channel, quad, modality) cells, not the number
 * of events; a dyad's cells are one key range per direction. The evidence list finds the
 * documents of a dyad through doc_terms and reads their events through the events view. */
#include "store_impl.h"

#include "cameo.h"
#include "evscan.h"
#include "sink.h"


#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tumen_status tumen_period_parse(const char *s, tumen_period *out) {
    if (strcmp(s, "month") == 0) {
        *out = TUMEN_BY_MONTH;
    } else if (strcmp(s, "quarter") == 0) {
        *out = TUMEN_BY_QUARTER;
    } else if (strcmp(s, "year") == 0) {
        *out = TUMEN_BY_YEAR;
    } else {
        return TUMEN_INVALID;
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

void tumen_dyad_summary_free(tumen_dyad_summary *d) {
    if (d == NULL) {
        return;
    }
    for (size_t i = 0; i < d->nchannels; i++) {
        free(d->channels[i]);
        free(d->channel_labels[i]);
    }
    free(d->channels);
    free(d->channel_labels);
    for (size_t i = 0; i < d->nperiods; i++) {
        free(d->periods[i].by_channel);
    }
    free(d->periods);
    free(d->total.by_channel);
    free(d);
}

/* Period of a dyad_month month value (yyyymm, mm 00 unknown, 0 undated). */
static int32_t period_of(int32_t month, tumen_period by, char label[16]) {
    if (month <= 0) {
        snprintf(label, 16, "undated");
        return 0;
    }
    int y = (month / 100) % 10000, m = month % 100;
    if (m == 0 || by == TUMEN_BY_YEAR) {
        snprintf(label, 16, "%04d", y);
        return y * 100;
    }
    if (by == TUMEN_BY_MONTH) {
        snprintf(label, 16, "%04d-%02d", y, m);
        return y * 100 + m;
    }
    int q = (m - 1) / 3 + 1;
    snprintf(label, 16, "%04d-Q%d", y, q);
    return y * 100 + q * 10;
}

static int add_channel_name(tumen_dyad_summary *d, const struct channel_table *t,
                            const char *id) {
    for (size_t i = 0; i < d->nchannels; i++) {
        if (strcmp(d->channels[i], id) == 0) {
            return (int)i;
        }
    }
    size_t cap = d->nchannels;
    if (!grow((void **)&d->channels, &cap, d->nchannels + 1, sizeof *d->channels)) {
        return -1;
    }
    cap = d->nchannels;
    if (!grow((void **)&d->channel_labels, &cap, d->nchannels + 1, sizeof *d->channel_labels)) {
        return -1;
    }
    char *a = xstrdup(id);
    char *b = xstrdup(t ? channel_label(t, id) : id);
    if (a == NULL || b == NULL) {
        free(a);
        free(b);
        return -1;
    }
    d->channels[d->nchannels] = a;
    d->channel_labels[d->nchannels] = b;
    return (int)d->nchannels++;
}

static void finish_period(tumen_dyad_period *p) {
    p->goldstein_mean = p->events ? p->goldstein_sum / (double)p->events : 0.0;
    double t = p->coop + p->conflict;
    p->index = t > 0 ? (p->coop - p->conflict) / t : 0.0;
}

static int cmp_period(const void *a, const void *b) {
    const tumen_dyad_period *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* The id of a country in the countries table, 0 when the store has none. */
static int64_t country_id(tumen_store *s, const char *code) {
    sqlite3_stmt *q = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM countries WHERE code=?", -1, &q, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) {
            id = sqlite3_column_int64(q, 0);
        }
    }
    sqlite3_finalize(q);
    return id;
}

/* The channels table as an array indexed by id (names owned by the array; free with
 * free_names). */
static tumen_status channel_names(tumen_store *s, char ***out, size_t *n, tumen_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT id, name FROM channels ORDER BY id", -1, &q, NULL) !=
        SQLITE_OK) {
        return store_db_error(s, err, "read channels");
    }
    char **names = NULL;
    size_t cap = 0, len = 0;
    tumen_status st = TUMEN_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        if (id < 1 || id > AGG_MAX_CHANNEL || name == NULL) {
            continue;
        }
        if (!grow((void **)&names, &cap, (size_t)id + 1, sizeof *names)) {
            st = TUMEN_NOMEM;
            break;
        }
        while (len <= (size_t)id) {
            names[len++] = NULL;
        }
        if ((names[id] = xstrdup(name)) == NULL) {
            st = TUMEN_NOMEM;
            break;
        }
    }
    sqlite3_finalize(q);
    if (st == TUMEN_OK && rc != SQLITE_DONE) {
        st = store_db_error(s, err, "read channels");
    } else if (st != TUMEN_OK) {
        st = err_set(err, st, s->path, 0, 0, "out of memory");
    }
    *out = names;
    *n = len;
    return st;
}

static void free_names(char **names, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}

tumen_status tumen_store_dyad(tumen_store *s, const tumen_dyad_query *q, tumen_dyad_summary **out,
                              tumen_error *err) {
    store_sync(s);
    *out = NULL;
    if (q->a == NULL || q->b == NULL) {
        return err_set(err, TUMEN_INVALID, s->path, 0, 0, "a dyad needs two countries");
    }
    char **names = NULL;
    size_t nnames = 0;
    tumen_status cst = channel_names(s, &names, &nnames, err);
    if (cst != TUMEN_OK) {
        return cst;
    }
    int64_t ida = country_id(s, q->a), idb = country_id(s, q->b);
    /* a dyad's cells: per month present in the table (found by skipping from month to month),
     * one key range per direction, grouped by channel and quad */
    sqlite3_stmt *st = NULL, *next = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (key >> 6) & 1023, (key >> 3) & 7, sum(events), "
                           "sum(goldstein_sum), sum(coop), sum(conflict) FROM agg_cells WHERE "
                           "key >= ?1 AND key < ?2 AND (?3 = 0 OR (key & 7) <= 1) GROUP BY 1, 2",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT key >> 44 FROM agg_cells WHERE key >= ?1 ORDER BY key LIMIT 1",
                           -1, &next, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        free_names(names, nnames);
        return store_db_error(s, err, "dyad query");
    }
    int ndir = q->directed || ida == idb ? 1 : 2;
    /* pass 1: rows, and the channel list (the table's channels first, in its order) */
    struct row {
        int32_t month;
        int ci, quad;
        int64_t n;
        double gsum, coop, conflict;
    } *rows = NULL;
    size_t nrows = 0, cap_rows = 0;
    tumen_dyad_summary *d = calloc(1, sizeof *d);
    tumen_status rcst = d ? TUMEN_OK : TUMEN_NOMEM;
    for (size_t i = 0; rcst == TUMEN_OK && s->channels && i < s->channels->nchannels; i++) {
        if (add_channel_name(d, s->channels, s->channels->ids[i]) < 0) {
            rcst = TUMEN_NOMEM;
        }
    }
    int rc = SQLITE_DONE;
    for (uint64_t m = 0; rcst == TUMEN_OK && ida && idb && m < (1u << 17); m++) {
        sqlite3_reset(next);
        sqlite3_bind_int64(next, 1, (sqlite3_int64)(m << AGG_MONTH_SHIFT));
        rc = sqlite3_step(next);
        if (rc != SQLITE_ROW) {
            break;
        }
        m = (uint64_t)sqlite3_column_int64(next, 0);
        for (int dir = 0; rcst == TUMEN_OK && dir < ndir; dir++) {
            uint64_t x = (uint64_t)(dir ? idb : ida), y = (uint64_t)(dir ? ida : idb);
            uint64_t lo = m << AGG_MONTH_SHIFT | x << AGG_SRC_SHIFT | y << AGG_TGT_SHIFT;
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, (sqlite3_int64)lo);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)(lo + (1ull << AGG_TGT_SHIFT)));
            sqlite3_bind_int(st, 3, q->facts_only != 0);
            while (rcst == TUMEN_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                int64_t chid = sqlite3_column_int64(st, 0);
                const char *ch = chid > 0 && (size_t)chid < nnames && names[chid]
                                     ? names[chid]
                                     : "other";
                if (q->channel && strcmp(q->channel, ch) != 0) {
                    continue;
                }
                if (!grow((void **)&rows, &cap_rows, nrows + 1, sizeof *rows)) {
                    rcst = TUMEN_NOMEM;
                    break;
                }
                struct row *r = &rows[nrows++];
                r->month = (int32_t)(m / 13 * 100 + m % 13);
                r->ci = add_channel_name(d, s->channels, ch);
                r->quad = sqlite3_column_int(st, 1);
                r->n = sqlite3_column_int64(st, 2);
                r->gsum = sqlite3_column_double(st, 3);
                r->coop = sqlite3_column_double(st, 4);
                r->conflict = sqlite3_column_double(st, 5);
                if (r->ci < 0) {
                    rcst = TUMEN_NOMEM;
                }
            }
            if (rcst == TUMEN_OK && rc != SQLITE_DONE) {
                rcst = store_db_error(s, err, "dyad query");
            }
        }
    }
    if (rcst == TUMEN_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rcst = store_db_error(s, err, "dyad query");
    }
    sqlite3_finalize(next);
    sqlite3_finalize(st);
    free_names(names, nnames);
    /* pass 2: periods */
    size_t nch = d && d->nchannels ? d->nchannels : 1;
    size_t cap_periods = 0;
    if (rcst == TUMEN_OK && (d->total.by_channel = calloc(nch, sizeof(uint64_t))) == NULL) {
        rcst = TUMEN_NOMEM;
    }
    for (size_t i = 0; rcst == TUMEN_OK && i < nrows; i++) {
        const struct row *r = &rows[i];
        char label[16];
        int32_t key = period_of(r->month, q->by, label);
        tumen_dyad_period *p = NULL;
        for (size_t j = 0; j < d->nperiods && p == NULL; j++) {
            if (d->periods[j].key == key) {
                p = &d->periods[j];
            }
        }
        if (p == NULL) {
            size_t cap = cap_periods;
            if (!grow((void **)&d->periods, &cap, d->nperiods + 1, sizeof *d->periods)) {
                rcst = TUMEN_NOMEM;
                break;
            }
            cap_periods = cap;
            p = &d->periods[d->nperiods];
            memset(p, 0, sizeof *p);
            if ((p->by_channel = calloc(nch, sizeof(uint64_t))) == NULL) {
                rcst = TUMEN_NOMEM;
                break;
            }
            d->nperiods++;
            p->key = key;
            memcpy(p->period, label, sizeof p->period);
        }
        tumen_dyad_period *targets[2] = {p, &d->total};
        for (int t = 0; t < 2; t++) {
            tumen_dyad_period *x = targets[t];
            x->by_channel[r->ci] += (uint64_t)r->n;
            if (r->quad >= 1 && r->quad <= 4) {
                x->events += (uint64_t)r->n;
                x->quad[r->quad] += (uint64_t)r->n;
                x->goldstein_sum += r->gsum;
                x->coop += r->coop;
                x->conflict += r->conflict;
            } else {
                x->statistics += (uint64_t)r->n;
            }
        }
    }
    free(rows);
    if (rcst != TUMEN_OK) {
        tumen_dyad_summary_free(d);
        return rcst == TUMEN_NOMEM ? err_set(err, rcst, s->path, 0, 0, "out of memory") : rcst;
    }
    for (size_t i = 0; i < d->nperiods; i++) {
        finish_period(&d->periods[i]);
    }
    finish_period(&d->total);
    snprintf(d->total.period, sizeof d->total.period, "total");
    qsort(d->periods, d->nperiods, sizeof *d->periods, cmp_period);
    *out = d;
    return TUMEN_OK;
}

/* ---- actor network ---- */

static int cmp_edge(const void *a, const void *b) {
    const tumen_actor_edge *x = a, *y = b;
    if (x->events != y->events) {
        return x->events < y->events ? 1 : -1;
    }
    int c = strcmp(x->a, y->a);
    return c ? c : strcmp(x->b, y->b);
}

static bool touches(const char *around, const char *a, const char *b) {
    if (around == NULL || *around == '\0') {
        return true;
    }
    const char *p = around;
    while (*p) {
        size_t n = strcspn(p, ",");
        if ((strlen(a) == n && strncmp(a, p, n) == 0) || (strlen(b) == n && strncmp(b, p, n) == 0)) {
            return true;
        }
        p += n;
        if (*p == ',') {
            p++;
        }
    }
    return false;
}

tumen_status tumen_store_actors(tumen_store *s, size_t top, const char *around, int facts_only,
                                tumen_actor_edge **out, size_t *n, tumen_error *err) {
    store_sync(s);
    *out = NULL;
    *n = 0;
    /* facts: modality asserted (0) or reported (1); events: quad > 0 */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT s.code, t.code, x.n, x.g, x.c, x.k FROM (SELECT (key >> 30) & "
                           "16383 AS a, (key >> 16) & 16383 AS b, sum(events) AS n, "
                           "sum(goldstein_sum) "
                           "AS g, sum(coop) AS c, sum(conflict) AS k FROM agg_cells WHERE "
                           "(key >> 3) & 7 > 0 AND (?1 = 0 OR (key & 7) <= 1) GROUP BY 1, 2) x "
                           "JOIN countries s ON s.id = x.a JOIN countries t ON t.id = x.b "
                           "WHERE s.code <> '---' AND t.code <> '---' AND x.a <> x.b",
                           -1, &st, NULL) != SQLITE_OK) {
        return store_db_error(s, err, "actors query");
    }
    sqlite3_bind_int(st, 1, facts_only != 0);
    tumen_actor_edge *e = NULL;
    size_t ne = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *x = (const char *)sqlite3_column_text(st, 0);
        const char *y = (const char *)sqlite3_column_text(st, 1);
        if (x == NULL || y == NULL || !touches(around, x, y)) {
            continue;
        }
        bool fwd = strcmp(x, y) < 0;
        const char *a = fwd ? x : y, *b = fwd ? y : x;
        tumen_actor_edge *ed = NULL;
        for (size_t i = 0; i < ne && ed == NULL; i++) {
            if (strcmp(e[i].a, a) == 0 && strcmp(e[i].b, b) == 0) {
                ed = &e[i];
            }
        }
        if (ed == NULL) {
            if (!grow((void **)&e, &cap, ne + 1, sizeof *e)) {
                free(e);
                sqlite3_finalize(st);
                return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
            }
            ed = &e[ne++];
            memset(ed, 0, sizeof *ed);
            snprintf(ed->a, sizeof ed->a, "%s", a);
            snprintf(ed->b, sizeof ed->b, "%s", b);
        }
        uint64_t cnt = (uint64_t)sqlite3_column_int64(st, 2);
        ed->events += cnt;
        if (fwd) {
            ed->a_to_b += cnt;
        } else {
            ed->b_to_a += cnt;
        }
        ed->goldstein_sum += sqlite3_column_double(st, 3);
        ed->coop += sqlite3_column_double(st, 4);
        ed->conflict += sqlite3_column_double(st, 5);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(e);
        return store_db_error(s, err, "actors query");
    }
    for (size_t i = 0; i < ne; i++) {
        double t = e[i].coop + e[i].conflict;
        e[i].index = t > 0 ? (e[i].coop - e[i].conflict) / t : 0.0;
    }
    qsort(e, ne, sizeof *e, cmp_edge);
    if (top && ne > top) {
        ne = top;
    }
    *out = e;
    *n = ne;
    return TUMEN_OK;
}


/* Inclusive bounds as date keys: since "2023" -> 20230000, until "2023" -> 20231299. */
static bool date_bound(const char *s, int upper, int32_t *key) {
    int32_t k = 0;
    if (!date_parse(s, strlen(s), &k)) {
        return false;
    }
    if (upper) {
        if (k % 10000 == 0) {
            k += 1299;
        } else if (k % 100 == 0) {
            k += 99;
        }
    }
    *key = k;
    return true;
}

/* ---- evidence ----
 *
 * The evidence list reads documents.event_data itself rather than the events view: the view
 * extracts every column with its own JSON parse, which costs tens of microseconds per event
 * when all columns are wanted. Pass 1 reads the candidate documents (those of the dyad,
 * through doc_terms), filters their events on the raw text (evscan) and sorts references to
 * them by date; pass 2 reads the documents of the first `limit` references again and decodes
 * only those events. */

struct ev_ref {
    int32_t date_key;
    uint32_t idx; /* index in the document's array */
    int64_t id, doc;
};

static int cmp_ev_ref(const void *a, const void *b) {
    const struct ev_ref *x = a, *y = b;
    if (x->date_key != y->date_key) {
        return x->date_key < y->date_key ? -1 : 1;
    }
    return (x->id > y->id) - (x->id < y->id);
}

/* The pass-1 filter, on the raw event e[0..n) (evscan). */
struct ev_filter {
    const tumen_events_query *q;
    int32_t since, until;
    struct buf channel; /* q->channel JSON-escaped, without quotes */
};

/* Sets out to the JSON escape of v without the quotes (as put_event writes it). */
static tumen_status escaped(struct buf *out, const char *v) {
    buf_init(out, 0);
    if (v == NULL) {
        return TUMEN_OK;
    }
    tumen_status st = sink_json_string(out, v, strlen(v));
    if (st == TUMEN_OK) {
        memmove(out->data, out->data + 1, out->len - 2);
        out->len -= 2;
    }
    return st;
}

static bool event_matches(const struct ev_filter *f, const char *e, size_t n, int64_t id,
                          int32_t *date_key, bool *bad) {
    const tumen_events_query *q = f->q;
    const char *v[EV_COUNT];
    size_t l[EV_COUNT];
    if (evscan_elems(e, n, v, l, EV_COUNT) < 0) {
        *bad = true;
        return false;
    }
    if (q->a || q->b) {
        char sc[4], tc[4];
        store_country_raw(v[EV_SRC], l[EV_SRC], sc);
        store_country_raw(v[EV_TGT], l[EV_TGT], tc);
        if (q->a && q->b) {
            bool fwd = strcmp(sc, q->a) == 0 && strcmp(tc, q->b) == 0;
            bool back = !fwd && !q->directed && strcmp(sc, q->b) == 0 && strcmp(tc, q->a) == 0;
            if (!fwd && !back) {
                return false;
            }
        } else if (q->a) {
            if (strcmp(sc, q->a) != 0 && (q->directed || strcmp(tc, q->a) != 0)) {
                return false;
            }
        } else if (strcmp(tc, q->b) != 0) {
            return false;
        }
    }
    if (q->channel && !evscan_str_eq(v[EV_CH], l[EV_CH], f->channel.data, f->channel.len)) {
        return false;
    }
    long long dk = evscan_intv(v[EV_DK], l[EV_DK], 0);
    if ((q->since && dk < f->since) || (q->until && (dk <= 0 || dk > f->until))) {
        return false;
    }
    if (q->modalities) {
        long long m = evscan_intv(v[EV_M], l[EV_M], -1);
        if (m < TUMEN_ASSERTED || m > TUMEN_FORECAST || !(q->modalities & (1u << m))) {
            return false;
        }
    }
    if (q->with_quantity && evscan_intv(v[EV_QP], l[EV_QP], 0) != 1) {
        return false;
    }
    long long cl = evscan_intv(v[EV_CL], l[EV_CL], 0);
    if (q->one_per_cluster && cl > 0 && cl != id) {
        return false;
    }
    *date_key = (int32_t)dk;
    return true;
}

/* The text of the span at elements [k, k+1] (start, length) in text (len bytes), copied
 * NUL-terminated into the arena; "" when absent or out of range. */
static const char *span_text(struct arena *ar, const char *const *v, const size_t *l, int k,
                             const char *text, size_t len) {
    long long a = evscan_intv(v[k], l[k], -1), n = evscan_intv(v[k + 1], l[k + 1], 0);
    if (a < 0 || n <= 0 || (unsigned long long)a > len || (unsigned long long)n > len - (size_t)a) {
        return "";
    }
    char *t = arena_strndup(ar, text + a, (size_t)n);
    return t ? t : "";
}

/* A string element decoded into the arena; "" when absent. */
static const char *str_el(struct arena *ar, const char *v, size_t n) {
    if (!evscan_is_str(v)) {
        return "";
    }
    char *t = arena_alloc(ar, n + 1);
    if (t == NULL) {
        return "";
    }
    evscan_unescape(v, n, t, n + 1);
    return t;
}

/* Pass 2 reads a document once for all its events in a while: a direct-mapped cache of
 * documents by id (events in date order come from documents that interleave). */
#define DOC_CACHE 256
struct doc_cache {
    int64_t id; /* 0: empty */
    struct buf text, data, meta[4]; /* meta: doc_id, title, url, date */
};

static void doc_cache_free(struct doc_cache *c) {
    for (size_t i = 0; c && i < DOC_CACHE; i++) {
        buf_fini(&c[i].text);
        buf_fini(&c[i].data);
        for (int k = 0; k < 4; k++) {
            buf_fini(&c[i].meta[k]);
        }
    }
    free(c);
}

/* Sets c to document doc (reading it when it is not there); false on a read error. */
static bool doc_cache_get(struct doc_cache *c, sqlite3_stmt *qd, int64_t doc) {
    if (c->id == doc) {
        return true;
    }
    c->id = 0;
    sqlite3_reset(qd);
    sqlite3_bind_int64(qd, 1, doc);
    if (sqlite3_step(qd) != SQLITE_ROW) {
        sqlite3_reset(qd);
        return false;
    }
    bool ok = true;
    struct buf *b[6] = {&c->meta[0], &c->meta[1], &c->meta[2], &c->meta[3], &c->text, &c->data};
    for (int k = 0; k < 6 && ok; k++) {
        buf_reset(b[k]);
        const char *v = (const char *)sqlite3_column_blob(qd, k);
        size_t n = (size_t)sqlite3_column_bytes(qd, k);
        ok = buf_add(b[k], v ? v : "", v ? n : 0) == TUMEN_OK;
    }
    sqlite3_reset(qd);
    if (ok) {
        c->id = doc;
    }
    return ok;
}

/* The path of pattern_files row id, through a memo of the last one (an export names the
 * same few dictionary files millions of times); NULL for none or on a read error. */
struct pattern_names {
    sqlite3_stmt *q; /* SELECT path FROM pattern_files WHERE id = ?1 */
    long long id;    /* of path; 0: none yet */
    struct buf path;
};

static const char *pattern_path(struct pattern_names *pn, long long id) {
    if (id <= 0) {
        return NULL;
    }
    if (id == pn->id) {
        return pn->path.data;
    }
    pn->id = 0;
    buf_reset(&pn->path);
    sqlite3_reset(pn->q);
    sqlite3_bind_int64(pn->q, 1, id);
    if (sqlite3_step(pn->q) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(pn->q, 0);
        if (p != NULL && buf_adds(&pn->path, p) == TUMEN_OK) {
            pn->id = id;
        }
    }
    sqlite3_reset(pn->q);
    return pn->id ? pn->path.data : NULL;
}

/* Calls fn with the evidence of event ref r (pass 2). */
static tumen_status emit(tumen_store *s, sqlite3_stmt *qd, sqlite3_stmt *qc,
                         struct pattern_names *pn,
                         struct doc_cache *cache, const struct ev_ref *r, struct arena *ar,
                         tumen_evidence_fn fn, void *ctx, tumen_error *err) {
    struct doc_cache *dc = &cache[(uint64_t)r->doc % DOC_CACHE];
    if (!doc_cache_get(dc, qd, r->doc)) {
        return store_db_error(s, err, "events query");
    }
    const char *text = dc->text.data ? dc->text.data : "";
    size_t len = dc->text.len;
    const char *data = dc->data.data ? dc->data.data : "";
    size_t dn = dc->data.len, pos = 0, a = 0, b = 0;
    int got = 0;
    for (uint32_t i = 0; i <= r->idx && (got = evscan_next(data, dn, &pos, &a, &b)) == 1; i++) {
    }
    const char *v[EV_COUNT];
    size_t l[EV_COUNT];
    if (got != 1 || evscan_elems(data + a, b - a, v, l, EV_COUNT) < 0) {
        return err_set(err, TUMEN_DB, s->path, 0, 0,
                       "corrupt store: document %lld has no event %u",
                       (long long)r->doc, (unsigned)r->idx);
    }
    arena_reset(ar);
    tumen_evidence e;
    memset(&e, 0, sizeof e);
    e.id = r->id;
    e.cluster = evscan_intv(v[EV_CL], l[EV_CL], 0);
    char date[11];
    store_key_date((int32_t)evscan_intv(v[EV_DK], l[EV_DK], 0), date);
    e.date = date;
    e.doc_id = dc->meta[0].data ? dc->meta[0].data : "";
    e.doc_title = dc->meta[1].data ? dc->meta[1].data : "";
    e.doc_url = dc->meta[2].data ? dc->meta[2].data : "";
    e.doc_date = dc->meta[3].data ? dc->meta[3].data : "";
    e.sentence_no = (uint32_t)evscan_intv(v[EV_N], l[EV_N], 0);
    e.sentence = span_text(ar, v, l, EV_S_START, text, len);
    e.statistic = evscan_intv(v[EV_K], l[EV_K], 0) == 1;
    e.source = str_el(ar, v[EV_SRC], l[EV_SRC]);
    e.target = str_el(ar, v[EV_TGT], l[EV_TGT]);
    e.code = str_el(ar, v[EV_CODE], l[EV_CODE]);
    const struct cameo_code *cc = cameo_find(e.code);
    e.code_name = cc ? cc->name : (e.statistic ? "statistic" : "");
    e.channel = str_el(ar, v[EV_CH], l[EV_CH]);
    e.goldstein = e.statistic ? 0.0 : evscan_num(v[EV_G], l[EV_G], 0.0);
    e.quad = (int)evscan_intv(v[EV_Q], l[EV_Q], 0);
    long long m = evscan_intv(v[EV_M], l[EV_M], -1);
    e.modality = m >= TUMEN_ASSERTED && m <= TUMEN_FORECAST
                     ? tumen_modality_name((tumen_modality)m)
                     : "";
    e.attributed_to = str_el(ar, v[EV_AT], l[EV_AT]);
    e.cue = span_text(ar, v, l, EV_CU_START, text, len);
    e.probability_words = span_text(ar, v, l, EV_PS_START, text, len);
    e.verb = span_text(ar, v, l, EV_V_START, text, len);
    e.probability = evscan_num(v[EV_P], l[EV_P], -1.0);
    e.has_quantity = evscan_intv(v[EV_QP], l[EV_QP], 0) == 1;
    e.value = e.has_quantity ? evscan_num(v[EV_QV], l[EV_QV], NAN) : NAN;
    e.low = e.has_quantity ? evscan_num(v[EV_QL], l[EV_QL], NAN) : NAN;
    e.has_low = !isnan(e.low);
    e.approx = e.has_quantity && evscan_intv(v[EV_QA], l[EV_QA], 0) == 1;
    long long qb = evscan_intv(v[EV_QB], l[EV_QB], 0);
    e.bound = qb == 1 ? "max" : qb == 2 ? "min" : "";
    e.unit = e.has_quantity ? str_el(ar, v[EV_QU], l[EV_QU]) : "";
    e.quantity_text = span_text(ar, v, l, EV_QS_START, text, len);
    e.when = str_el(ar, v[EV_W], l[EV_W]);
    e.pattern = "";
    const char *path = pattern_path(pn, evscan_intv(v[EV_PF], l[EV_PF], 0));
    if (path != NULL) {
        size_t pl = strlen(path);
        char *t = arena_alloc(ar, pl + 24);
        if (t != NULL) {
            snprintf(t, pl + 24, "%s:%lld", path, evscan_intv(v[EV_PL], l[EV_PL], 0));
            e.pattern = t;
        }
    }
    if (e.cluster) {
        /* a merged cluster has a row; an event alone is a cluster of one */
        e.cluster_mentions = e.cluster_sources = 1;
        sqlite3_reset(qc);
        sqlite3_bind_int64(qc, 1, e.cluster);
        if (sqlite3_step(qc) == SQLITE_ROW) {
            e.cluster_mentions = sqlite3_column_int64(qc, 0);
            e.cluster_sources = sqlite3_column_int64(qc, 1);
        }
        sqlite3_reset(qc);
    }
    int stop = fn(ctx, &e);
    return stop ? TUMEN_STOPPED : TUMEN_OK;
}

tumen_status tumen_store_events(tumen_store *s, const tumen_events_query *q, tumen_evidence_fn fn,
                                void *ctx, tumen_error *err) {
    store_sync(s);
    int32_t since = 0, until = 0;
    if (q->since && !date_bound(q->since, 0, &since)) {
        return err_set(err, TUMEN_DATE, q->since, 0, 0, "invalid date (YYYY[-MM[-DD]])");
    }
    if (q->until && !date_bound(q->until, 1, &until)) {
        return err_set(err, TUMEN_DATE, q->until, 0, 0, "invalid date (YYYY[-MM[-DD]])");
    }
    struct buf match;
    buf_init(&match, 0);
    bool restrict_docs = store_terms_query(s, q->a, q->b, q->directed, &match);
    sqlite3_stmt *qs = NULL, *qd = NULL, *qc = NULL, *qp = NULL;
    tumen_status st = TUMEN_OK;
    if (sqlite3_prepare_v2(s->db,
                           restrict_docs
                               ? "SELECT id, first_event, event_data FROM documents WHERE id IN "
                                 "(SELECT rowid FROM doc_terms WHERE doc_terms MATCH ?1) "
                                 "ORDER BY id"
                               : "SELECT id, first_event, event_data FROM documents ORDER BY id",
                           -1, &qs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT doc_id, title, url, date, text, event_data FROM documents "
                           "WHERE id = ?1",
                           -1, &qd, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT mentions, sources FROM clusters WHERE id = ?1", -1,
                           &qc, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT path FROM pattern_files WHERE id = ?1", -1, &qp,
                           NULL) != SQLITE_OK) {
        st = store_db_error(s, err, "events query");
    }
    if (st == TUMEN_OK && restrict_docs) {
        sqlite3_bind_text(qs, 1, match.data, (int)match.len, SQLITE_TRANSIENT);
    }
    buf_fini(&match);
    /* pass 1: references to the matching events */
    struct ev_filter f;
    f.q = q;
    f.since = since;
    f.until = until;
    tumen_status est = escaped(&f.channel, q->channel);
    if (st == TUMEN_OK && est != TUMEN_OK) {
        st = err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    /* one read transaction for both passes: one snapshot, and no lock round trip per
     * statement (each cluster lookup would take and drop the WAL read lock) */
    int txn = st == TUMEN_OK && sqlite3_get_autocommit(s->db) &&
              sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    struct ev_ref *refs = NULL;
    size_t nrefs = 0, cap = 0;
    int rc = SQLITE_DONE;
    while (st == TUMEN_OK && (rc = sqlite3_step(qs)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(qs, 0), first = sqlite3_column_int64(qs, 1);
        const char *data = (const char *)sqlite3_column_blob(qs, 2);
        size_t dn = (size_t)sqlite3_column_bytes(qs, 2), pos = 0, a = 0, b = 0;
        int got;
        for (uint32_t i = 0; (got = evscan_next(data, dn, &pos, &a, &b)) == 1; i++) {
            int64_t id = first + (int64_t)i;
            int32_t dk = 0;
            bool bad = false;
            if (!event_matches(&f, data + a, b - a, id, &dk, &bad)) {
                if (bad) {
                    got = -1;
                    break;
                }
                continue;
            }
            if (!grow((void **)&refs, &cap, nrefs + 1, sizeof *refs)) {
                st = err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
                break;
            }
            refs[nrefs].date_key = dk;
            refs[nrefs].idx = i;
            refs[nrefs].id = id;
            refs[nrefs].doc = doc;
            nrefs++;
        }
        if (st == TUMEN_OK && got < 0) {
            st = err_set(err, TUMEN_DB, s->path, 0, 0,
                         "corrupt store: event_data of document %lld is not an array of "
                         "events",
                         (long long)doc);
        }
    }
    buf_fini(&f.channel);
    if (st == TUMEN_OK && rc != SQLITE_DONE) {
        st = store_db_error(s, err, "events query");
    }
    sqlite3_finalize(qs);
    /* pass 2: in date order */
    if (st == TUMEN_OK && nrefs > 1) {
        qsort(refs, nrefs, sizeof *refs, cmp_ev_ref);
    }
    size_t n = q->limit && q->limit < nrefs ? q->limit : nrefs;
    struct arena ar;
    arena_init(&ar);
    struct doc_cache *cache = n ? calloc(DOC_CACHE, sizeof *cache) : NULL;
    if (n && cache == NULL) {
        st = err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    for (size_t i = 0; cache && i < DOC_CACHE; i++) {
        buf_init(&cache[i].text, 0);
        buf_init(&cache[i].data, 0);
        for (int k = 0; k < 4; k++) {
            buf_init(&cache[i].meta[k], 0);
        }
    }
    struct pattern_names pn = {qp, 0, {0}};
    buf_init(&pn.path, 0);
    for (size_t i = 0; st == TUMEN_OK && i < n; i++) {
        st = emit(s, qd, qc, &pn, cache, &refs[i], &ar, fn, ctx, err);
    }
    buf_fini(&pn.path);
    doc_cache_free(cache);
    arena_fini(&ar);
    if (txn) {
        sqlite3_reset(qd);
        sqlite3_reset(qc);
        sqlite3_reset(qp);
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    }
    free(refs);
    sqlite3_finalize(qd);
    sqlite3_finalize(qc);
    sqlite3_finalize(qp);
    return st;
}
