/* Dyad analytics, the actor network and the evidence list over the event store.
 *
 * Dyad summaries and the network read the agg_cells aggregate table (maintained at ingest),
 * so they cost the number of (dyad, month, channel, quad, modality) cells, not the number
 * of events; a dyad's cells are one key range per direction. The evidence list finds the
 * documents of a dyad through doc_terms and reads their events through the events view. */
#include "store_impl.h"

#include "cameo.h"

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
    /* a dyad's cells: one key range per direction, grouped by month code, channel, quad */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (key >> 16) & 131071, (key >> 6) & 1023, (key >> 3) & 7, "
                           "sum(events), sum(goldstein_sum), sum(coop), sum(conflict) "
                           "FROM agg_cells WHERE key >= ?1 AND key < ?2 AND "
                           "(?3 = 0 OR (key & 7) <= 1) GROUP BY 1, 2, 3",
                           -1, &st, NULL) != SQLITE_OK) {
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
    for (int dir = 0; rcst == TUMEN_OK && ida && idb && dir < ndir; dir++) {
        uint64_t x = (uint64_t)(dir ? idb : ida), y = (uint64_t)(dir ? ida : idb);
        uint64_t lo = x << AGG_SRC_SHIFT | y << AGG_TGT_SHIFT;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)lo);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)(lo + (1ull << AGG_TGT_SHIFT)));
        sqlite3_bind_int(st, 3, q->facts_only != 0);
        while (rcst == TUMEN_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t chid = sqlite3_column_int64(st, 1);
            const char *ch = chid > 0 && (size_t)chid < nnames && names[chid] ? names[chid]
                                                                             : "other";
            if (q->channel && strcmp(q->channel, ch) != 0) {
                continue;
            }
            if (!grow((void **)&rows, &cap_rows, nrows + 1, sizeof *rows)) {
                rcst = TUMEN_NOMEM;
                break;
            }
            struct row *r = &rows[nrows++];
            int32_t mc = sqlite3_column_int(st, 0);
            r->month = mc / 13 * 100 + mc % 13;
            r->ci = add_channel_name(d, s->channels, ch);
            r->quad = sqlite3_column_int(st, 2);
            r->n = sqlite3_column_int64(st, 3);
            r->gsum = sqlite3_column_double(st, 4);
            r->coop = sqlite3_column_double(st, 5);
            r->conflict = sqlite3_column_double(st, 6);
            if (r->ci < 0) {
                rcst = TUMEN_NOMEM;
            }
        }
        if (rcst == TUMEN_OK && rc != SQLITE_DONE) {
            rcst = store_db_error(s, err, "dyad query");
        }
    }
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
    *out = NULL;
    *n = 0;
    /* facts: modality asserted (0) or reported (1); events: quad > 0 */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT s.code, t.code, x.n, x.g, x.c, x.k FROM (SELECT key >> 47 AS "
                           "a, (key >> 33) & 16383 AS b, sum(events) AS n, sum(goldstein_sum) "
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

/* ---- evidence ---- */

static const char *col_text(sqlite3_stmt *st, int i) {
    const unsigned char *p = sqlite3_column_text(st, i);
    return p ? (const char *)p : "";
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

tumen_status tumen_store_events(tumen_store *s, const tumen_events_query *q, tumen_evidence_fn fn,
                                void *ctx, tumen_error *err) {
    struct buf sql;
    buf_init(&sql, 0);
    tumen_status st = buf_adds(
        &sql,
        "SELECT e.id, e.cluster, coalesce(e.date,''), d.doc_id, d.title, d.url, d.date, "
        "e.sentence_no, e.sentence_text, e.kind, e.source, e.target, e.code, e.channel, "
        "e.goldstein, e.quad, e.modality, e.attributed_to, e.cue_text, e.probability_words, "
        "e.verb_text, e.probability, e.qty_value, e.qty_low, e.qty_approx, e.qty_bound, "
        "e.qty_unit, e.qty_text, e.event_time, e.pattern, "
        "CASE WHEN e.cluster IS NULL THEN 0 ELSE coalesce(c.mentions, 1) END, "
        "CASE WHEN e.cluster IS NULL THEN 0 ELSE coalesce(c.sources, 1) END "
        "FROM events e JOIN documents d ON d.id=e.doc "
        "LEFT JOIN clusters c ON c.id=e.cluster WHERE 1");
    char match[64];
    if (st == TUMEN_OK && store_terms_query(q->a, q->b, q->directed, match)) {
        st = buf_adds(&sql, " AND e.doc IN (SELECT rowid FROM doc_terms WHERE doc_terms "
                            "MATCH ?6)");
    }
    if (q->a && q->b) {
        st = st ? st
                : buf_adds(&sql, q->directed
                                     ? " AND e.source_country=?1 AND e.target_country=?2"
                                     : " AND ((e.source_country=?1 AND e.target_country=?2) OR "
                                       "(e.source_country=?2 AND e.target_country=?1))");
    } else if (q->a) {
        st = st ? st
                : buf_adds(&sql, q->directed ? " AND e.source_country=?1"
                                             : " AND (e.source_country=?1 OR "
                                               "e.target_country=?1)");
    } else if (q->b) {
        st = st ? st : buf_adds(&sql, " AND e.target_country=?2");
    }
    if (q->channel) {
        st = st ? st : buf_adds(&sql, " AND e.channel=?3");
    }
    int32_t since = 0, until = 0;
    if (q->since) {
        if (!date_bound(q->since, 0, &since)) {
            buf_fini(&sql);
            return err_set(err, TUMEN_DATE, q->since, 0, 0, "invalid date (YYYY[-MM[-DD]])");
        }
        st = st ? st : buf_adds(&sql, " AND e.date_key>=?4");
    }
    if (q->until) {
        if (!date_bound(q->until, 1, &until)) {
            buf_fini(&sql);
            return err_set(err, TUMEN_DATE, q->until, 0, 0, "invalid date (YYYY[-MM[-DD]])");
        }
        st = st ? st : buf_adds(&sql, " AND e.date_key>0 AND e.date_key<=?5");
    }
    if (q->modalities) {
        st = st ? st : buf_adds(&sql, " AND e.modality IN (''");
        for (int m = TUMEN_ASSERTED; m <= TUMEN_FORECAST && st == TUMEN_OK; m++) {
            if (q->modalities & (1u << m)) {
                st = buf_printf(&sql, ",'%s'", tumen_modality_name((tumen_modality)m));
            }
        }
        st = st ? st : buf_adds(&sql, ")");
    }
    if (q->with_quantity) {
        st = st ? st : buf_adds(&sql, " AND e.qty_value IS NOT NULL");
    }
    if (q->one_per_cluster) {
        st = st ? st : buf_adds(&sql, " AND (c.id IS NULL OR e.id=c.first_event)");
    }
    st = st ? st : buf_adds(&sql, " ORDER BY e.date_key, e.id");
    if (q->limit) {
        st = st ? st : buf_printf(&sql, " LIMIT %zu", q->limit);
    }
    if (st != TUMEN_OK) {
        buf_fini(&sql);
        return err_set(err, st, s->path, 0, 0, "out of memory");
    }
    sqlite3_stmt *qs = NULL;
    if (sqlite3_prepare_v2(s->db, sql.data, -1, &qs, NULL) != SQLITE_OK) {
        buf_fini(&sql);
        return store_db_error(s, err, "events query");
    }
    buf_fini(&sql);
    if (q->a) {
        sqlite3_bind_text(qs, 1, q->a, -1, SQLITE_STATIC);
    }
    if (q->b) {
        sqlite3_bind_text(qs, 2, q->b, -1, SQLITE_STATIC);
    }
    if (q->channel) {
        sqlite3_bind_text(qs, 3, q->channel, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int(qs, 4, since);
    sqlite3_bind_int(qs, 5, until);
    if (store_terms_query(q->a, q->b, q->directed, match)) {
        sqlite3_bind_text(qs, 6, match, -1, SQLITE_TRANSIENT);
    }
    int rc;
    st = TUMEN_OK;
    while ((rc = sqlite3_step(qs)) == SQLITE_ROW) {
        tumen_evidence e;
        memset(&e, 0, sizeof e);
        e.id = sqlite3_column_int64(qs, 0);
        e.cluster = sqlite3_column_int64(qs, 1);
        e.date = col_text(qs, 2);
        e.doc_id = col_text(qs, 3);
        e.doc_title = col_text(qs, 4);
        e.doc_url = col_text(qs, 5);
        e.doc_date = col_text(qs, 6);
        e.sentence_no = (uint32_t)sqlite3_column_int(qs, 7);
        e.sentence = col_text(qs, 8);
        e.statistic = strcmp(col_text(qs, 9), "statistic") == 0;
        e.source = col_text(qs, 10);
        e.target = col_text(qs, 11);
        e.code = col_text(qs, 12);
        const struct cameo_code *cc = cameo_find(e.code);
        e.code_name = cc ? cc->name : (e.statistic ? "statistic" : "");
        e.channel = col_text(qs, 13);
        e.goldstein = sqlite3_column_double(qs, 14);
        e.quad = sqlite3_column_int(qs, 15);
        e.modality = col_text(qs, 16);
        e.attributed_to = col_text(qs, 17);
        e.cue = col_text(qs, 18);
        e.probability_words = col_text(qs, 19);
        e.verb = col_text(qs, 20);
        e.probability =
            sqlite3_column_type(qs, 21) == SQLITE_NULL ? -1.0 : sqlite3_column_double(qs, 21);
        e.has_quantity = sqlite3_column_type(qs, 22) != SQLITE_NULL;
        e.value = e.has_quantity ? sqlite3_column_double(qs, 22) : NAN;
        e.has_low = sqlite3_column_type(qs, 23) != SQLITE_NULL;
        e.low = e.has_low ? sqlite3_column_double(qs, 23) : NAN;
        e.approx = sqlite3_column_int(qs, 24);
        e.bound = col_text(qs, 25);
        e.unit = col_text(qs, 26);
        e.quantity_text = col_text(qs, 27);
        e.when = col_text(qs, 28);
        e.pattern = col_text(qs, 29);
        e.cluster_mentions = sqlite3_column_int64(qs, 30);
        e.cluster_sources = sqlite3_column_int64(qs, 31);
        if (fn(ctx, &e) != 0) {
            st = TUMEN_STOPPED;
            break;
        }
    }
    if (st == TUMEN_OK && rc != SQLITE_DONE) {
        st = store_db_error(s, err, "events query");
    }
    sqlite3_finalize(qs);
    return st;
}
