/* Document readers. JSONL lines are parsed with jansson; every error names file:line:col. */
#include "reader.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    FILE *f;
    bool own;
    char *path;
    enum reader_kind kind;
    size_t max_doc;
    const char *default_date;
    uint64_t line;
    bool done;
    struct buf line_buf;
    json_t *json;
    char id_buf[64];
    char *text_id; /* txt: file name without extension */
    char date_buf[16];
    char in[65536]; /* JSONL input buffer */
    size_t in_pos, in_len;
};

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

tumen_status reader_open(struct reader **out, const char *path, enum reader_kind kind,
                         size_t max_doc, const char *default_date, tumen_error *err) {
    struct reader *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return err_set(err, TUMEN_NOMEM, path, 0, 0, "out of memory");
    }
    r->max_doc = max_doc ? max_doc : (size_t)32 << 20;
    r->default_date = default_date;
    r->path = strdup(path);
    if (r->path == NULL) {
        free(r);
        return err_set(err, TUMEN_NOMEM, path, 0, 0, "out of memory");
    }
    if (kind == READER_AUTO) {
        kind = (ends_with(path, ".jsonl") || ends_with(path, ".json") ||
                ends_with(path, ".ndjson"))
                   ? READER_JSONL
                   : READER_TEXT;
    }
    r->kind = kind;
    if (strcmp(path, "-") == 0) {
        r->f = stdin;
        r->own = false;
    } else {
        r->f = fopen(path, "rb");
        if (r->f == NULL) {
            tumen_status st = err_set(err, TUMEN_IO, path, 0, 0, "cannot open: %s", strerror(errno));
            free(r->path);
            free(r);
            return st;
        }
        r->own = true;
    }
    /* id of a text document: base name without extension */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    r->text_id = strdup(strcmp(path, "-") == 0 ? "stdin" : base);
    if (r->text_id == NULL) {
        reader_close(r);
        return err_set(err, TUMEN_NOMEM, path, 0, 0, "out of memory");
    }
    char *dot = strrchr(r->text_id, '.');
    if (dot && dot != r->text_id) {
        *dot = '\0';
    }
    buf_init(&r->line_buf, r->max_doc + 1);
    *out = r;
    return TUMEN_OK;
}

uint64_t reader_line(const struct reader *r) {
    return r->line;
}

void reader_close(struct reader *r) {
    if (r == NULL) {
        return;
    }
    if (r->own && r->f) {
        fclose(r->f);
    }
    if (r->json) {
        json_decref(r->json);
    }
    buf_fini(&r->line_buf);
    free(r->path);
    free(r->text_id);
    free(r);
}

/* Reads one line into line_buf (without the newline). Returns TUMEN_NOTFOUND at EOF,
 * TUMEN_LIMIT if the line is longer than max_doc (the rest of the line is skipped). */
static tumen_status read_line(struct reader *r) {
    buf_reset(&r->line_buf);
    bool any = false, over = false;
    for (;;) {
        if (r->in_pos == r->in_len) {
            r->in_len = fread(r->in, 1, sizeof r->in, r->f);
            r->in_pos = 0;
            if (r->in_len == 0) {
                if (ferror(r->f)) {
                    return TUMEN_IO;
                }
                if (!any) {
                    return TUMEN_NOTFOUND;
                }
                break;
            }
        }
        any = true;
        const char *p = r->in + r->in_pos;
        size_t avail = r->in_len - r->in_pos;
        const char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) : avail;
        if (!over && buf_add(&r->line_buf, p, take) != TUMEN_OK) {
            over = true; /* keep consuming the line, keep nothing more of it */
        }
        r->in_pos += take + (nl ? 1 : 0);
        if (nl) {
            break;
        }
    }
    r->line++;
    return over ? TUMEN_LIMIT : TUMEN_OK;
}

static tumen_status next_text(struct reader *r, tumen_doc *doc, tumen_error *err) {
    if (r->done) {
        return TUMEN_NOTFOUND;
    }
    r->done = true;
    buf_reset(&r->line_buf);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, r->f)) > 0) {
        tumen_status st = buf_add(&r->line_buf, chunk, n);
        if (st == TUMEN_LIMIT) {
            return err_set(err, TUMEN_LIMIT, r->path, 0, 0,
                           "document larger than %zu bytes (raise --max-doc-bytes)", r->max_doc);
        }
        if (st != TUMEN_OK) {
            return err_set(err, st, r->path, 0, 0, "%s", tumen_strerror(st));
        }
    }
    if (ferror(r->f)) {
        return err_set(err, TUMEN_IO, r->path, 0, 0, "read error: %s", strerror(errno));
    }
    memset(doc, 0, sizeof *doc);
    doc->id = r->text_id;
    doc->text = r->line_buf.data ? r->line_buf.data : "";
    doc->len = r->line_buf.len;
    doc->date = r->default_date;
    r->line = 1;
    return TUMEN_OK;
}

static const char *opt_string(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static tumen_status next_jsonl(struct reader *r, tumen_doc *doc, tumen_error *err) {
    if (r->json) {
        json_decref(r->json);
        r->json = NULL;
    }
    for (;;) {
        tumen_status st = read_line(r);
        if (st == TUMEN_NOTFOUND) {
            return st;
        }
        if (st == TUMEN_IO) {
            return err_set(err, st, r->path, r->line, 0, "read error: %s", strerror(errno));
        }
        if (st == TUMEN_LIMIT) {
            return err_set(err, TUMEN_LIMIT, r->path, r->line, 1,
                           "line longer than %zu bytes (raise --max-doc-bytes)", r->max_doc);
        }
        const char *s = r->line_buf.data ? r->line_buf.data : "";
        size_t n = r->line_buf.len;
        if (n > 0 && s[n - 1] == '\r') {
            n--;
        }
        bool blank = true;
        for (size_t i = 0; i < n; i++) {
            if (s[i] != ' ' && s[i] != '\t') {
                blank = false;
                break;
            }
        }
        if (blank) {
            continue;
        }
        json_error_t je;
        json_t *o = json_loadb(s, n, 0, &je);
        if (o == NULL) {
            return err_set(err, TUMEN_JSON, r->path, r->line, (uint64_t)(je.column > 0 ? je.column : 1),
                           "invalid JSON: %s", je.text);
        }
        if (!json_is_object(o)) {
            json_decref(o);
            return err_set(err, TUMEN_JSON, r->path, r->line, 1, "expected a JSON object");
        }
        r->json = o;
        json_t *text = json_object_get(o, "text");
        if (!json_is_string(text)) {
            return err_set(err, TUMEN_JSON, r->path, r->line, 1, "missing string field \"text\"");
        }
        memset(doc, 0, sizeof *doc);
        doc->text = json_string_value(text);
        doc->len = json_string_length(text);
        json_t *id = json_object_get(o, "id");
        if (json_is_string(id)) {
            doc->id = json_string_value(id);
        } else if (json_is_integer(id)) {
            snprintf(r->id_buf, sizeof r->id_buf, "%lld", (long long)json_integer_value(id));
            doc->id = r->id_buf;
        } else {
            snprintf(r->id_buf, sizeof r->id_buf, "%s:%llu", r->text_id,
                     (unsigned long long)r->line);
            doc->id = r->id_buf;
        }
        doc->date = opt_string(o, "date");
        if (doc->date == NULL) {
            doc->date = opt_string(o, "pubdate");
        }
        if (doc->date != NULL && strlen(doc->date) == 8 && doc->date[4] != '-') {
            /* YYYYMMDD -> YYYY-MM-DD */
            snprintf(r->date_buf, sizeof r->date_buf, "%.4s-%.2s-%.2s", doc->date, doc->date + 4,
                     doc->date + 6);
            doc->date = r->date_buf;
        }
        if (doc->date == NULL || doc->date[0] == '\0') {
            doc->date = r->default_date;
        }
        doc->url = opt_string(o, "url");
        doc->title = opt_string(o, "title");
        return TUMEN_OK;
    }
}

tumen_status reader_next(struct reader *r, tumen_doc *doc, tumen_error *err) {
    return r->kind == READER_JSONL ? next_jsonl(r, doc, err) : next_text(r, doc, err);
}
