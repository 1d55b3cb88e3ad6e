/* Merged duplicates: the same real-world event reported by several documents becomes one
 * cluster. Events are assigned while they are stored (incrementally, batch by batch).
 *
 * Matching (docs/store.md, "Clusters"):
 *   key  = dyad + code family + channel + mode
 *          dyad:    source and target country (first 3 letters of the actor codes), ordered
 *                   "RUS>PRK", or unordered "PRK=RUS" for symmetric (joint) acts;
 *          family:  equivalence classes of CAMEO codes (econ, mil, agree) else the root;
 *                   statistics use "stat:<unit>";
 *          mode:    F facts (asserted, reported), P possible (hypothetical, forecast),
 *                   N negated or denied.
 *   when = the event's stated time ("when"), or, when the text states none, its document's
 *          date cut to the month ("2024-06"), must be compatible with the cluster's time:
 *          equal ("when=exact"), one a prefix of the other ("when=prefix", e.g. 2022 and
 *          2022-08; the cluster keeps the common prefix), or one of them empty
 *          ("when=one-empty"; only when neither a when nor a document date exists). Rules
 *          that used the document date are named "doc-date=exact" / "doc-date=prefix".
 *          Among several candidates the most specific match wins, then the cluster with the
 *          most mentions. An event that matches nothing starts a cluster
 *          ("new"). Events with an unknown source or target country are not clustered. */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const econ_codes[] = {"061", "0311", "0313", "014", "071",
                                         "0211", "0231", "0331"};
static const char *const mil_codes[] = {"062", "072", "074", "0312", "0332", "0212", "0232"};

static bool in_list(const char *code, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(code, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

void cluster_family(const tumen_event *ev, char out[32]) {
    if (ev->kind == TUMEN_KIND_STATISTIC) {
        snprintf(out, 32, "stat:%s", ev->quantity.present ? ev->quantity.unit : "");
    } else if (in_list(ev->code, econ_codes, sizeof econ_codes / sizeof econ_codes[0])) {
        snprintf(out, 32, "econ");
    } else if (in_list(ev->code, mil_codes, sizeof mil_codes / sizeof mil_codes[0])) {
        snprintf(out, 32, "mil");
    } else if (strcmp(ev->code, "057") == 0) {
        snprintf(out, 32, "agree");
    } else {
        snprintf(out, 32, "r%.2s", ev->code);
    }
}

static char mode_of(tumen_modality m) {
    switch (m) {
    case TUMEN_ASSERTED:
    case TUMEN_REPORTED:
        return 'F';
    case TUMEN_HYPOTHETICAL:
    case TUMEN_FORECAST:
        return 'P';
    default:
        return 'N';
    }
}

void cluster_cache_init(tumen_store *s) {
    intern_init(&s->cl_keys);
    s->cl_head = NULL;
    s->cl_head_cap = 0;
    s->cls = NULL;
    s->ncls = s->cap_cls = 0;
}

void cluster_cache_fini(tumen_store *s) {
    intern_fini(&s->cl_keys);
    free(s->cl_head);
    free(s->cls);
    s->cl_head = NULL;
    s->cls = NULL;
    s->cl_head_cap = s->ncls = s->cap_cls = 0;
}

void cluster_cache_clear(tumen_store *s) {
    cluster_cache_fini(s);
    cluster_cache_init(s);
}

static void copy_str(char *dst, size_t size, const char *src) {
    snprintf(dst, size, "%s", src ? src : "");
}

static struct cl *new_cl(tumen_store *s, uint32_t key) {
    size_t cap = s->cap_cls;
    if (!grow((void **)&s->cls, &cap, s->ncls + 1, sizeof *s->cls)) {
        return NULL;
    }
    s->cap_cls = cap;
    struct cl *c = &s->cls[s->ncls];
    memset(c, 0, sizeof *c);
    c->key = key;
    c->next = s->cl_head[key];
    s->cl_head[key] = (int32_t)s->ncls;
    s->ncls++;
    return c;
}

/* Loads the stored clusters of key k (first use of k in this batch). */
static tumen_status load_key(tumen_store *s, uint32_t k, const char *key, tumen_error *err) {
    s->cl_head[k] = -1;
    sqlite3_stmt *q = s->sel_cl;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct cl *c = new_cl(s, k);
        if (c == NULL) {
            sqlite3_reset(q);
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
        c->id = sqlite3_column_int64(q, 0);
        copy_str(c->time, sizeof c->time, (const char *)sqlite3_column_text(q, 1));
        copy_str(c->first_date, sizeof c->first_date, (const char *)sqlite3_column_text(q, 2));
        copy_str(c->last_date, sizeof c->last_date, (const char *)sqlite3_column_text(q, 3));
        c->first_key = sqlite3_column_int(q, 4);
        c->last_key = sqlite3_column_int(q, 5);
        c->mentions = sqlite3_column_int64(q, 6);
        c->sources = sqlite3_column_int64(q, 7);
        c->first_event = sqlite3_column_int64(q, 8);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        return store_db_error(s, err, "read clusters");
    }
    return TUMEN_OK;
}

static size_t common_prefix(const char *a, const char *b) {
    size_t n = 0;
    while (a[n] && a[n] == b[n]) {
        n++;
    }
    return n;
}

tumen_status cluster_assign(tumen_store *s, struct pev *p, int64_t doc_row, int64_t event_row,
                            tumen_error *err) {
    const tumen_event *e = &p->ev;
    char a[4], b[4];
    store_country(e->source, a);
    store_country(e->target, b);
    if (strcmp(a, "---") == 0 || strcmp(b, "---") == 0) {
        return TUMEN_OK;
    }
    char family[32];
    cluster_family(e, family);
    char mode = mode_of(e->modality);
    int sym = e->symmetric != 0;
    char key[160];
    if (sym) {
        bool swap = strcmp(a, b) > 0;
        snprintf(key, sizeof key, "%s=%s|%s|%s|%c", swap ? b : a, swap ? a : b, family,
                 e->channel, mode);
    } else {
        snprintf(key, sizeof key, "%s>%s|%s|%s|%c", a, b, family, e->channel, mode);
    }
    uint32_t k = intern_add(&s->cl_keys, key, strlen(key));
    if (k == TUMEN_NOID) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    if (k >= s->cl_head_cap) {
        size_t old = s->cl_head_cap, cap = old;
        if (!grow((void **)&s->cl_head, &cap, (size_t)k + 1, sizeof *s->cl_head)) {
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
        for (size_t i = old; i < cap; i++) {
            s->cl_head[i] = -2;
        }
        s->cl_head_cap = cap;
    }
    if (s->cl_head[k] == -2) {
        tumen_status st = load_key(s, k, key, err);
        if (st != TUMEN_OK) {
            return st;
        }
    }
    /* choose: exact > prefix (longest) > one-empty; ties by mentions */
    char t[11];
    int from_doc = e->when[0] == '\0';
    if (from_doc) {
        snprintf(t, sizeof t, "%.7s", p->date);
    } else {
        snprintf(t, sizeof t, "%s", e->when);
    }
    int best = -1, best_rank = 0;
    size_t best_len = 0;
    int64_t best_m = -1;
    for (int32_t i = s->cl_head[k]; i >= 0; i = s->cls[i].next) {
        const struct cl *c = &s->cls[i];
        int rank = 0;
        size_t len = 0;
        if (strcmp(c->time, t) == 0) {
            rank = 3;
            len = strlen(t);
        } else if (c->time[0] && t[0]) {
            len = common_prefix(c->time, t);
            if (len == strlen(c->time) || len == strlen(t)) {
                rank = 2;
            }
        } else {
            rank = 1;
        }
        if (rank == 0) {
            continue;
        }
        if (rank > best_rank || (rank == best_rank && len > best_len) ||
            (rank == best_rank && len == best_len && c->mentions > best_m)) {
            best = i;
            best_rank = rank;
            best_len = len;
            best_m = c->mentions;
        }
    }
    struct cl *c;
    if (best < 0) {
        c = new_cl(s, k);
        if (c == NULL) {
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
        c->id = s->next_cluster_id++;
        c->is_new = 1;
        copy_str(c->time, sizeof c->time, t);
        copy_str(c->src, sizeof c->src, a);
        copy_str(c->tgt, sizeof c->tgt, b);
        if (sym && strcmp(a, b) > 0) {
            copy_str(c->src, sizeof c->src, b);
            copy_str(c->tgt, sizeof c->tgt, a);
        }
        copy_str(c->family, sizeof c->family, family);
        copy_str(c->channel, sizeof c->channel, e->channel);
        copy_str(c->code, sizeof c->code, e->kind == TUMEN_KIND_STATISTIC ? "--" : e->code);
        c->mode[0] = mode;
        c->quad = e->kind == TUMEN_KIND_STATISTIC ? 0 : e->quad;
        c->symmetric = sym;
        c->first_event = event_row;
        p->cluster_rule = "new";
    } else {
        c = &s->cls[best];
        if (best_rank == 1) {
            p->cluster_rule = "when=one-empty";
        } else if (from_doc) {
            p->cluster_rule = best_rank == 3 ? "doc-date=exact" : "doc-date=prefix";
        } else {
            p->cluster_rule = best_rank == 3 ? "when=exact" : "when=prefix";
        }
        if (best_rank == 2) {
            c->time[best_len] = '\0';
        } else if (best_rank == 1 && c->time[0] == '\0') {
            copy_str(c->time, sizeof c->time, t);
        }
    }
    c->dirty = 1;
    c->mentions++;
    if (c->last_doc != doc_row) {
        /* a document's events are assigned together, so a change of document is a new
         * source; documents are never revisited (re-ingesting is a no-op) */
        c->sources++;
        c->last_doc = doc_row;
    }
    if (p->date_key > 0) {
        if (c->first_key == 0 || p->date_key < c->first_key) {
            c->first_key = p->date_key;
            copy_str(c->first_date, sizeof c->first_date, p->date);
        }
        if (p->date_key > c->last_key) {
            c->last_key = p->date_key;
            copy_str(c->last_date, sizeof c->last_date, p->date);
        }
    }
    p->cluster = c->id;
    return TUMEN_OK;
}

static void bind_text_or_null(sqlite3_stmt *q, int i, const char *v) {
    if (v && *v) {
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, i);
    }
}

tumen_status cluster_flush(tumen_store *s, tumen_error *err) {
    sqlite3_stmt *q = s->up_cl;
    for (size_t i = 0; i < s->ncls; i++) {
        const struct cl *c = &s->cls[i];
        if (!c->dirty) {
            continue;
        }
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, c->id);
        sqlite3_bind_text(q, 2, intern_str(&s->cl_keys, c->key), -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, c->src, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, c->tgt, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 5, c->symmetric);
        sqlite3_bind_text(q, 6, c->family, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 7, c->channel, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 8, c->mode, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 9, c->code, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 10, c->quad);
        bind_text_or_null(q, 11, c->time);
        bind_text_or_null(q, 12, c->first_date);
        bind_text_or_null(q, 13, c->last_date);
        sqlite3_bind_int(q, 14, c->first_key);
        sqlite3_bind_int(q, 15, c->last_key);
        sqlite3_bind_int64(q, 16, c->mentions);
        sqlite3_bind_int64(q, 17, c->sources);
        sqlite3_bind_int64(q, 18, c->first_event);
        if (sqlite3_step(q) != SQLITE_DONE) {
            return store_db_error(s, err, "write cluster");
        }
    }
    for (size_t i = 0; i < s->ncls; i++) {
        s->cls[i].dirty = 0;
        s->cls[i].is_new = 0;
    }
    return TUMEN_OK;
}
