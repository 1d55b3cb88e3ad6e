/* The store's writer thread: writes each batch the ingest side hands over in one transaction
 * (store_impl.h explains the pipeline). The ingest side owns batches; the writer only reads a
 * queued batch and marks it done. All shared fields are guarded by s->mu. */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

struct batch *batch_new(tumen_store *s, int64_t first_event) {
    struct batch *b = s->spare;
    if (b) {
        s->spare = NULL;
        arena_reset(&b->arena);
        buf_reset(&b->data);
        buf_reset(&b->terms);
        buf_reset(&b->texts);
        free(b->cells);
        for (int k = 0; k < STORE_NCODES; k++) {
            free(b->codes[k]);
            b->codes[k] = NULL;
            b->ncodes[k] = 0;
        }
        b->cells = NULL;
        b->ndocs = b->nevents = b->ncells = b->ncls = 0;
        b->next = NULL;
    } else if ((b = calloc(1, sizeof *b)) != NULL) {
        arena_init(&b->arena);
        buf_init(&b->data, 0);
        buf_init(&b->terms, 0);
        buf_init(&b->texts, 0);
    }
    if (b) {
        b->first_event = first_event;
    }
    return b;
}

void batch_free(struct batch *b) {
    if (b == NULL) {
        return;
    }
    arena_fini(&b->arena);
    buf_fini(&b->data);
    buf_fini(&b->terms);
    buf_fini(&b->texts);
    free(b->docs);
    free(b->cells);
    free(b->cls);
    for (int k = 0; k < STORE_NCODES; k++) {
        free(b->codes[k]);
    }
    free(b);
}

static void bind_opt(sqlite3_stmt *q, int i, const char *v) {
    if (v && *v) {
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, i);
    }
}

static tumen_status step_done(tumen_store *s, sqlite3_stmt *q, const char *what,
                              tumen_error *err) {
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? TUMEN_OK : store_db_error(s, err, what);
}

int64_t store_next_event_id(tumen_store *s) {
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT coalesce((SELECT first_event+events FROM documents ORDER BY "
                           "id DESC LIMIT 1),1)",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        v = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    return v;
}

static tumen_status write_rows(tumen_store *s, const struct batch *b, tumen_error *err) {
    int64_t next = store_next_event_id(s);
    if (next != b->first_event) {
        return err_set(err, TUMEN_DB, s->path, 0, 0,
                       "another process wrote to the store during this ingest (next event "
                       "id %lld, expected %lld); nothing of this batch was written: run the "
                       "ingest again",
                       (long long)next, (long long)b->first_event);
    }
    tumen_status st = TUMEN_OK;
    for (size_t i = 0; i < b->ndocs && st == TUMEN_OK; i++) {
        const struct wdoc *d = &b->docs[i];
        sqlite3_stmt *q = s->ins_doc;
        sqlite3_bind_text(q, 1, d->hash, 64, SQLITE_STATIC);
        bind_opt(q, 2, d->doc_id);
        bind_opt(q, 3, d->date);
        bind_opt(q, 4, d->title);
        bind_opt(q, 5, d->url);
        sqlite3_bind_text(q, 6, b->texts.data ? b->texts.data + d->text_off : "", (int)d->len,
                          SQLITE_STATIC);
        sqlite3_bind_int64(q, 7, (sqlite3_int64)d->len);
        sqlite3_bind_int64(q, 8, d->events);
        sqlite3_bind_int64(q, 9, d->sentences);
        sqlite3_bind_int64(q, 10, d->first_event);
        sqlite3_bind_text(q, 11, b->data.data + d->data_off, (int)d->data_len, SQLITE_STATIC);
        st = step_done(s, q, "insert document", err);
        if (st == TUMEN_OK && d->terms_len) {
            q = s->ins_terms;
            sqlite3_bind_int64(q, 1, sqlite3_last_insert_rowid(s->db));
            sqlite3_bind_text(q, 2, b->terms.data + d->terms_off, (int)d->terms_len,
                              SQLITE_STATIC);
            st = step_done(s, q, "index document", err);
        }
    }
    for (int k = 0; k < STORE_NCODES && st == TUMEN_OK; k++) {
        for (size_t i = 0; i < b->ncodes[k] && st == TUMEN_OK; i++) {
            sqlite3_stmt *q = s->ins_code[k];
            sqlite3_bind_int64(q, 1, b->code_first[k] + (int64_t)i);
            sqlite3_bind_text(q, 2, b->codes[k][i], -1, SQLITE_STATIC);
            st = step_done(s, q, "write code tables", err);
        }
    }
    /* cells and clusters: one statement each over the batch (store_rows.c) */
    sqlite3_stmt *rows[2] = {s->up_agg, s->put_cl};
    static const char *const what[2] = {"update agg_cells", "write clusters"};
    for (int k = 0; k < 2 && st == TUMEN_OK; k++) {
        sqlite3_bind_pointer(rows[k], 1, (void *)b, "tumen_batch", NULL);
        st = step_done(s, rows[k], what[k], err);
        sqlite3_clear_bindings(rows[k]);
    }
    return st;
}

/* Writes batch b in one transaction (the writer thread, or the caller after a drain). */
static tumen_status batch_write(tumen_store *s, const struct batch *b, tumen_error *err) {
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        return store_db_error(s, err, "begin");
    }
    tumen_status st = write_rows(s, b, err);
    if (st == TUMEN_OK && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        st = store_db_error(s, err, "commit");
    }
    if (st != TUMEN_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return st;
}

static void *writer_main(void *arg) {
    tumen_store *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->queue == NULL && !s->quit) {
            pthread_cond_wait(&s->cv_work, &s->mu);
        }
        struct batch *b = s->queue;
        if (b == NULL) {
            break; /* quit, and nothing left */
        }
        int skip = s->bg_st != TUMEN_OK; /* after an error nothing more is written */
        pthread_mutex_unlock(&s->mu);
        tumen_error e = {0};
        tumen_status st = skip ? TUMEN_OK : batch_write(s, b, &e);
        pthread_mutex_lock(&s->mu);
        s->queue = b->next;
        if (s->queue == NULL) {
            s->queue_tail = NULL;
        }
        s->queued--;
        b->next = s->done;
        s->done = b;
        if (st != TUMEN_OK && s->bg_st == TUMEN_OK) {
            s->bg_st = st;
            s->bg_err = e;
        }
        pthread_cond_broadcast(&s->cv_done);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

tumen_status writer_start(tumen_store *s, tumen_error *err) {
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "cannot create a mutex");
    }
    if (pthread_cond_init(&s->cv_work, NULL) != 0) {
        pthread_mutex_destroy(&s->mu);
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "cannot create a condition variable");
    }
    if (pthread_cond_init(&s->cv_done, NULL) != 0) {
        pthread_cond_destroy(&s->cv_work);
        pthread_mutex_destroy(&s->mu);
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "cannot create a condition variable");
    }
    if (pthread_create(&s->thread, NULL, writer_main, s) != 0) {
        pthread_cond_destroy(&s->cv_done);
        pthread_cond_destroy(&s->cv_work);
        pthread_mutex_destroy(&s->mu);
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "cannot start the writer thread");
    }
    s->thread_on = 1;
    return TUMEN_OK;
}

void writer_dispatch(tumen_store *s, struct batch *b) {
    b->next = NULL;
    pthread_mutex_lock(&s->mu);
    while (s->queued >= 2) {
        pthread_cond_wait(&s->cv_done, &s->mu); /* back pressure: two batches in flight */
    }
    if (s->queue_tail) {
        s->queue_tail->next = b;
    } else {
        s->queue = b;
    }
    s->queue_tail = b;
    s->queued++;
    pthread_cond_signal(&s->cv_work);
    pthread_mutex_unlock(&s->mu);
}

/* With s->mu held: takes the finished batches, rebuilds the pending set from the queued
 * ones and the batch being filled. Returns the finished list. */
static struct batch *take_done(tumen_store *s) {
    struct batch *d = s->done;
    s->done = NULL;
    if (d == NULL || s->fresh) {
        return d; /* a fresh store keeps every hash: the set is all its documents */
    }
    intern_fini(&s->pending);
    intern_init(&s->pending);
    for (struct batch *b = s->queue; b; b = b->next) {
        for (size_t i = 0; i < b->ndocs; i++) {
            /* out of memory here loses a pending hash: a repeated document in a queued batch
             * then fails that batch on documents.hash UNIQUE, loudly, instead of being kept
             * twice */
            (void)intern_add(&s->pending, b->docs[i].hash, 64);
        }
    }
    for (size_t i = 0; s->cur && i < s->cur->ndocs; i++) {
        (void)intern_add(&s->pending, s->cur->docs[i].hash, 64);
    }
    return d;
}

static tumen_status finish(tumen_store *s, struct batch *d, tumen_error *err) {
    tumen_status st = s->bg_st;
    tumen_error e = s->bg_err;
    pthread_mutex_unlock(&s->mu);
    while (d) {
        struct batch *next = d->next;
        if (s->spare == NULL) {
            s->spare = d; /* its buffers serve the next batch */
        } else {
            batch_free(d);
        }
        d = next;
    }
    if (st != TUMEN_OK) {
        s->failed = 1;
        if (err) {
            *err = e;
        }
    }
    return st;
}

tumen_status writer_reap(tumen_store *s, tumen_error *err) {
    if (!s->thread_on) {
        return TUMEN_OK;
    }
    pthread_mutex_lock(&s->mu);
    return finish(s, take_done(s), err);
}

tumen_status writer_drain(tumen_store *s, tumen_error *err) {
    if (!s->thread_on) {
        return TUMEN_OK;
    }
    pthread_mutex_lock(&s->mu);
    while (s->queued > 0) {
        pthread_cond_wait(&s->cv_done, &s->mu);
    }
    return finish(s, take_done(s), err);
}

void writer_stop(tumen_store *s) {
    if (!s->thread_on) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->quit = 1;
    pthread_cond_signal(&s->cv_work);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    s->thread_on = 0;
    for (struct batch *d = s->done; d;) {
        struct batch *next = d->next;
        batch_free(d);
        d = next;
    }
    s->done = NULL;
    pthread_cond_destroy(&s->cv_done);
    pthread_cond_destroy(&s->cv_work);
    pthread_mutex_destroy(&s->mu);
}

void store_sync(tumen_store *s) {
    (void)writer_drain(s, NULL);
}
