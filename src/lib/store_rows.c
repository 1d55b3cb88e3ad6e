/* A batch's aggregate cells and cluster rows as SQL tables, so that the writer thread stores
 * each kind with one INSERT ... SELECT per batch instead of one statement per row: at a
 * cell per event (news spread over many dyads, channels and months) the per-statement work
 * of binding, stepping and resetting was about half of the cells' cost.
 *
 * Both are eponymous table-valued functions over a batch passed with sqlite3_bind_pointer
 * (pointer type "tumen_batch"), so they hold no state of their own and cannot be reached from
 * plain SQL, which cannot make such a pointer:
 *   tumen_batch_cells(?1):    key, events, goldstein_sum, coop, conflict
 *   tumen_batch_clusters(?1): the columns of the clusters view (schema 5) or table (4), in
 *                             their order; schema 5 stores a subset in cluster_rows
 * The batch is borrowed: it must outlive the statement's steps. Strings are those of the
 * batch's arena (SQLITE_STATIC); an empty optional string is NULL, as in the table. */
#include "store_impl.h"

#include <string.h>

enum rows_kind { ROWS_CELLS, ROWS_CLUSTERS };

static const enum rows_kind kinds[2] = {ROWS_CELLS, ROWS_CLUSTERS};

/* Each declaration ends with the hidden column that takes the batch. */
#define CELLS_NCOLS 5
#define CLUSTERS_NCOLS 19
static const char *const declarations[2] = {
    "CREATE TABLE x(key INTEGER, events INTEGER, goldstein_sum REAL, coop REAL, conflict "
    "REAL, batch HIDDEN)",
    "CREATE TABLE x(id INTEGER, key TEXT, term TEXT, source_country TEXT, target_country "
    "TEXT, symmetric INTEGER, family TEXT, channel TEXT, mode TEXT, code TEXT, quad INTEGER, "
    "event_time TEXT, first_date TEXT, last_date TEXT, first_key INTEGER, last_key INTEGER, "
    "mentions INTEGER, sources INTEGER, first_event INTEGER, batch HIDDEN)"};

struct rows_vtab {
    sqlite3_vtab base;
    enum rows_kind kind;
};

struct rows_cursor {
    sqlite3_vtab_cursor base;
    enum rows_kind kind;
    const struct batch *b;
    size_t i, n;
};

static int rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **errmsg) {
    (void)argc;
    (void)argv;
    (void)errmsg;
    enum rows_kind kind = *(const enum rows_kind *)aux;
    int rc = sqlite3_declare_vtab(db, declarations[kind]);
    if (rc != SQLITE_OK) {
        return rc;
    }
    struct rows_vtab *v = sqlite3_malloc(sizeof *v);
    if (v == NULL) {
        return SQLITE_NOMEM;
    }
    memset(v, 0, sizeof *v);
    v->kind = kind;
    *out = &v->base;
    return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *v) {
    sqlite3_free(v);
    return SQLITE_OK;
}

/* The only plan: the batch argument given (idxNum 1); without it the table is empty. */
static int rows_best_index(sqlite3_vtab *vt, sqlite3_index_info *info) {
    const struct rows_vtab *v = (const struct rows_vtab *)vt;
    int hidden = v->kind == ROWS_CELLS ? CELLS_NCOLS : CLUSTERS_NCOLS;
    info->idxNum = 0;
    info->estimatedCost = 1e9;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn == hidden && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
            if (!c->usable) {
                return SQLITE_CONSTRAINT;
            }
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->idxNum = 1;
            info->estimatedCost = 1;
        }
    }
    return SQLITE_OK;
}

static int rows_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
    struct rows_cursor *c = sqlite3_malloc(sizeof *c);
    if (c == NULL) {
        return SQLITE_NOMEM;
    }
    memset(c, 0, sizeof *c);
    c->kind = ((const struct rows_vtab *)vt)->kind;
    *out = &c->base;
    return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *c) {
    sqlite3_free(c);
    return SQLITE_OK;
}

static int rows_filter(sqlite3_vtab_cursor *cur, int idx_num, const char *idx_str, int argc,
                       sqlite3_value **argv) {
    (void)idx_str;
    struct rows_cursor *c = (struct rows_cursor *)cur;
    c->b = idx_num == 1 && argc == 1 ? sqlite3_value_pointer(argv[0], "tumen_batch") : NULL;
    c->i = 0;
    c->n = c->b == NULL ? 0 : c->kind == ROWS_CELLS ? c->b->ncells : c->b->ncls;
    return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *cur) {
    ((struct rows_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int rows_eof(sqlite3_vtab_cursor *cur) {
    const struct rows_cursor *c = (const struct rows_cursor *)cur;
    return c->i >= c->n;
}

static int rows_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid) {
    *rowid = (sqlite3_int64)((const struct rows_cursor *)cur)->i;
    return SQLITE_OK;
}

static void result_opt(sqlite3_context *ctx, const char *v) {
    if (v && *v) {
        sqlite3_result_text(ctx, v, -1, SQLITE_STATIC);
    } else {
        sqlite3_result_null(ctx);
    }
}

static void cell_column(sqlite3_context *ctx, const struct agg_cell *a, int col) {
    switch (col) {
    case 0:
        sqlite3_result_int64(ctx, (sqlite3_int64)a->key);
        break;
    case 1:
        sqlite3_result_int64(ctx, a->events);
        break;
    case 2:
        sqlite3_result_double(ctx, a->gsum);
        break;
    case 3:
        sqlite3_result_double(ctx, a->coop);
        break;
    case 4:
        sqlite3_result_double(ctx, a->conflict);
        break;
    default:
        sqlite3_result_null(ctx);
    }
}

static void cluster_column(sqlite3_context *ctx, const struct wcl *w, int col) {
    char date[11];
    switch (col) {
    case 0:
        sqlite3_result_int64(ctx, w->id);
        break;
    case 1:
        sqlite3_result_text(ctx, w->key, -1, SQLITE_STATIC);
        break;
    case 2:
        sqlite3_result_text(ctx, w->term, -1, SQLITE_STATIC);
        break;
    case 3:
        sqlite3_result_text(ctx, w->src, -1, SQLITE_STATIC);
        break;
    case 4:
        sqlite3_result_text(ctx, w->tgt, -1, SQLITE_STATIC);
        break;
    case 5:
        sqlite3_result_int(ctx, w->symmetric);
        break;
    case 6:
        sqlite3_result_text(ctx, w->family, -1, SQLITE_STATIC);
        break;
    case 7:
        sqlite3_result_text(ctx, w->channel, -1, SQLITE_STATIC);
        break;
    case 8:
        sqlite3_result_text(ctx, w->mode, -1, SQLITE_STATIC);
        break;
    case 9:
        sqlite3_result_text(ctx, w->code, -1, SQLITE_STATIC);
        break;
    case 10:
        sqlite3_result_int(ctx, w->quad);
        break;
    case 11:
        result_opt(ctx, w->time);
        break;
    case 12:
    case 13:
        store_key_date(col == 12 ? w->first_key : w->last_key, date);
        if (date[0]) {
            sqlite3_result_text(ctx, date, -1, SQLITE_TRANSIENT);
        } else {
            sqlite3_result_null(ctx);
        }
        break;
    case 14:
        sqlite3_result_int(ctx, w->first_key);
        break;
    case 15:
        sqlite3_result_int(ctx, w->last_key);
        break;
    case 16:
        sqlite3_result_int64(ctx, w->mentions);
        break;
    case 17:
        sqlite3_result_int64(ctx, w->sources);
        break;
    case 18:
        sqlite3_result_int64(ctx, w->first_event);
        break;
    default:
        sqlite3_result_null(ctx);
    }
}

static int rows_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
    const struct rows_cursor *c = (const struct rows_cursor *)cur;
    if (c->kind == ROWS_CELLS) {
        cell_column(ctx, &c->b->cells[c->i], col);
    } else {
        cluster_column(ctx, &c->b->cls[c->i], col);
    }
    return SQLITE_OK;
}

/* Eponymous-only (no xCreate): the functions exist on the connection, not in the schema. */
static const sqlite3_module rows_module = {
    .iVersion = 0,
    .xConnect = rows_connect,
    .xBestIndex = rows_best_index,
    .xDisconnect = rows_disconnect,
    .xOpen = rows_open,
    .xClose = rows_close,
    .xFilter = rows_filter,
    .xNext = rows_next,
    .xEof = rows_eof,
    .xColumn = rows_column,
    .xRowid = rows_rowid,
};

int store_rows_register(sqlite3 *db) {
    int rc = sqlite3_create_module_v2(db, "tumen_batch_cells", &rows_module,
                                      (void *)&kinds[ROWS_CELLS], NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_module_v2(db, "tumen_batch_clusters", &rows_module,
                                      (void *)&kinds[ROWS_CLUSTERS], NULL);
    }
    return rc;
}
