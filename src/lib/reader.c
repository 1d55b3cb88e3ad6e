/* Document readers. JSONL lines take a fast path (below) that understands the common,
 * valid case; anything it is unsure of goes to jansson, which stays the reference: its
 * result and its error messages (file:line:col) are the ones the caller sees. */
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
    struct buf dec; /* fast path: decoded strings, NUL-separated */
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
    buf_init(&r->dec, 0);
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
    buf_fini(&r->dec);
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


/* ---- fast path for JSONL lines ----
 *
 * A strict parser for one JSON object per line that keeps only the fields the reader
 * uses. It accepts exactly what jansson (flags 0) accepts and returns the same values, or
 * gives up (returns false) so that jansson parses the line instead: on anything invalid,
 * on reals and integers of 19 digits or more (jansson may report overflow), on
 * surrogates it cannot pair, on \u0000 and on nesting deeper than FAST_DEPTH. Duplicate
 * keys: the last one wins, as in jansson. */

#define FAST_DEPTH 64

enum fast_kind { FV_NONE = 0, FV_STRING, FV_INT, FV_OTHER };

struct fast_val {
    enum fast_kind kind;
    size_t off, len; /* FV_STRING: r->dec.data + off, len bytes, NUL-terminated */
    long long ival;  /* FV_INT */
};

enum { FF_TEXT, FF_ID, FF_DATE, FF_PUBDATE, FF_URL, FF_TITLE, FF_N };

struct fast {
    const unsigned char *p, *end;
    char *out;            /* decode buffer (capacity checked by the caller) */
    size_t olen;
    struct fast_val f[FF_N];
};

static void fast_ws(struct fast *x) {
    while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' || *x->p == '\n' || *x->p == '\r')) {
        x->p++;
    }
}

static int hexval(unsigned char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = (unsigned char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool fast_hex4(struct fast *x, uint32_t *v) {
    if (x->end - x->p < 4) {
        return false;
    }
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(x->p[i]);
        if (h < 0) {
            return false;
        }
        r = r << 4 | (uint32_t)h;
    }
    x->p += 4;
    *v = r;
    return true;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 if invalid (RFC 3629:
 * no overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end) {
    unsigned char c = p[0];
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n;
}

static const uint64_t ONES = 0x0101010101010101ull, HIGHS = 0x8080808080808080ull;

/* Some byte of v is < 0x20, '"', '\\' or >= 0x80. */
static bool swar_special(uint64_t v) {
    uint64_t lt20 = (v - ONES * 0x20) & ~v;
    uint64_t q = v ^ (ONES * '"'), b = v ^ (ONES * '\\');
    uint64_t zq = (q - ONES) & ~q, zb = (b - ONES) & ~b;
    return ((lt20 | zq | zb | v) & HIGHS) != 0;
}

/* Decodes the string whose opening quote was just consumed into x->out (NUL-terminated).
 * On success *off and *len locate it. */
static bool fast_string(struct fast *x, size_t *off, size_t *len) {
    size_t o = x->olen;
    char *out = x->out;
    const unsigned char *p = x->p, *end = x->end;
    for (;;) {
        while (end - p >= 8) {
            uint64_t v;
            memcpy(&v, p, 8);
            if (swar_special(v)) {
                break;
            }
            memcpy(out + o, p, 8);
            o += 8;
            p += 8;
        }
        if (p >= end) {
            return false;
        }
        unsigned char c = *p;
        if (c == '"') {
            p++;
            break;
        }
        if (c < 0x20) {
            return false;
        }
        if (c < 0x80 && c != '\\') {
            out[o++] = (char)c;
            p++;
            continue;
        }
        if (c >= 0x80) {
            size_t n = utf8_seq(p, end);
            if (n == 0) {
                return false;
            }
            memcpy(out + o, p, n);
            o += n;
            p += n;
            continue;
        }
        /* escape */
        if (end - p < 2) {
            return false;
        }
        unsigned char e = p[1];
        p += 2;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            out[o++] = (char)e;
            continue;
        case 'b':
            out[o++] = '\b';
            continue;
        case 'f':
            out[o++] = '\f';
            continue;
        case 'n':
            out[o++] = '\n';
            continue;
        case 'r':
            out[o++] = '\r';
            continue;
        case 't':
            out[o++] = '\t';
            continue;
        case 'u':
            break;
        default:
            return false;
        }
        x->p = p;
        uint32_t cp;
        if (!fast_hex4(x, &cp) || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
            return false;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (x->end - x->p < 2 || x->p[0] != '\\' || x->p[1] != 'u') {
                return false;
            }
            x->p += 2;
            if (!fast_hex4(x, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                return false;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        p = x->p;
        if (cp < 0x80) {
            out[o++] = (char)cp;
        } else if (cp < 0x800) {
            out[o++] = (char)(0xC0 | (cp >> 6));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[o++] = (char)(0xE0 | (cp >> 12));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | (cp >> 18));
            out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[o] = '\0';
    x->p = p;
    *off = x->olen;
    *len = o - x->olen;
    x->olen = o + 1;
    return true;
}

bool reader_json_string(const char *s, size_t n, char *out, size_t *len) {
    struct fast x;
    memset(&x, 0, sizeof x);
    x.p = (const unsigned char *)s;
    x.end = x.p + n + 1; /* the closing quote */
    x.out = out;
    size_t off = 0;
    return fast_string(&x, &off, len) && x.p == x.end;
}

static bool fast_value(struct fast *x, struct fast_val *v, int depth);

static bool fast_number(struct fast *x, struct fast_val *v) {
    const unsigned char *p = x->p;
    bool neg = false;
    if (p < x->end && *p == '-') {
        neg = true;
        p++;
    }
    const unsigned char *d = p;
    while (p < x->end && *p >= '0' && *p <= '9') {
        p++;
    }
    size_t nd = (size_t)(p - d);
    if (nd == 0 || nd > 18 || (nd > 1 && d[0] == '0')) {
        return false;
    }
    if (p < x->end && (*p == '.' || *p == 'e' || *p == 'E')) {
        return false; /* reals: jansson */
    }
    long long r = 0;
    for (size_t i = 0; i < nd; i++) {
        r = r * 10 + (d[i] - '0');
    }
    v->kind = FV_INT;
    v->ival = neg ? -r : r;
    x->p = p;
    return true;
}

static bool fast_lit(struct fast *x, const char *w, size_t n, struct fast_val *v) {
    if ((size_t)(x->end - x->p) < n || memcmp(x->p, w, n) != 0) {
        return false;
    }
    x->p += n;
    v->kind = FV_OTHER;
    return true;
}

/* Skips an array or object (its opening bracket consumed). Strings in it are decoded
 * and dropped. */
static bool fast_container(struct fast *x, unsigned char close, int depth) {
    if (depth > FAST_DEPTH) {
        return false;
    }
    fast_ws(x);
    if (x->p < x->end && *x->p == close) {
        x->p++;
        return true;
    }
    for (;;) {
        struct fast_val v = {0};
        size_t keep = x->olen;
        if (close == '}') {
            size_t off, len;
            if (x->p >= x->end || *x->p != '"') {
                return false;
            }
            x->p++;
            if (!fast_string(x, &off, &len)) {
                return false;
            }
            x->olen = keep;
            fast_ws(x);
            if (x->p >= x->end || *x->p != ':') {
                return false;
            }
            x->p++;
            fast_ws(x);
        }
        if (!fast_value(x, &v, depth + 1)) {
            return false;
        }
        x->olen = keep;
        fast_ws(x);
        if (x->p >= x->end) {
            return false;
        }
        if (*x->p == ',') {
            x->p++;
            fast_ws(x);
            continue;
        }
        if (*x->p == close) {
            x->p++;
            return true;
        }
        return false;
    }
}

static bool fast_value(struct fast *x, struct fast_val *v, int depth) {
    if (x->p >= x->end) {
        return false;
    }
    switch (*x->p) {
    case '"':
        x->p++;
        v->kind = FV_STRING;
        return fast_string(x, &v->off, &v->len);
    case '{':
        x->p++;
        v->kind = FV_OTHER;
        return fast_container(x, '}', depth);
    case '[':
        x->p++;
        v->kind = FV_OTHER;
        return fast_container(x, ']', depth);
    case 't':
        return fast_lit(x, "true", 4, v);
    case 'f':
        return fast_lit(x, "false", 5, v);
    case 'n':
        return fast_lit(x, "null", 4, v);
    default:
        return fast_number(x, v);
    }
}

static int field_of(const char *k, size_t n) {
    static const char *const names[FF_N] = {"text", "id", "date", "pubdate", "url", "title"};
    for (int i = 0; i < FF_N; i++) {
        if (strlen(names[i]) == n && memcmp(names[i], k, n) == 0) {
            return i;
        }
    }
    return -1;
}

/* Parses the top-level object of s[0..n) into x->f. */
static bool fast_object(struct fast *x) {
    fast_ws(x);
    if (x->p >= x->end || *x->p != '{') {
        return false;
    }
    x->p++;
    fast_ws(x);
    if (x->p < x->end && *x->p == '}') {
        x->p++;
    } else {
        for (;;) {
            size_t off, len;
            if (x->p >= x->end || *x->p != '"') {
                return false;
            }
            x->p++;
            size_t keep = x->olen;
            if (!fast_string(x, &off, &len)) {
                return false;
            }
            int fi = field_of(x->out + off, len);
            x->olen = keep;
            fast_ws(x);
            if (x->p >= x->end || *x->p != ':') {
                return false;
            }
            x->p++;
            fast_ws(x);
            struct fast_val v = {0};
            if (!fast_value(x, &v, 1)) {
                return false;
            }
            if (fi >= 0) {
                x->f[fi] = v;
            } else {
                x->olen = keep; /* strings of other fields are not kept */
            }
            fast_ws(x);
            if (x->p >= x->end) {
                return false;
            }
            if (*x->p == ',') {
                x->p++;
                fast_ws(x);
                continue;
            }
            if (*x->p == '}') {
                x->p++;
                break;
            }
            return false;
        }
    }
    fast_ws(x);
    return x->p == x->end;
}

/* YYYYMMDD -> YYYY-MM-DD; no date -> the default. */
static void fix_date(struct reader *r, tumen_doc *doc) {
    if (doc->date != NULL && strlen(doc->date) == 8 && doc->date[4] != '-') {
        snprintf(r->date_buf, sizeof r->date_buf, "%.4s-%.2s-%.2s", doc->date, doc->date + 4,
                 doc->date + 6);
        doc->date = r->date_buf;
    }
    if (doc->date == NULL || doc->date[0] == '\0') {
        doc->date = r->default_date;
    }
}

/* The fields of a document parsed by the fast path; false sends the line to jansson. */
static bool fast_doc(struct reader *r, const char *s, size_t n, tumen_doc *doc) {
    if (n + 16 > r->dec.cap && !grow((void **)&r->dec.data, &r->dec.cap, n + 16, 1)) {
        return false;
    }
    struct fast x;
    memset(&x, 0, sizeof x);
    x.p = (const unsigned char *)s;
    x.end = x.p + n;
    x.out = r->dec.data;
    if (!fast_object(&x) || x.f[FF_TEXT].kind != FV_STRING) {
        return false;
    }
    const char *base = r->dec.data;
#define FSTR(i) (x.f[i].kind == FV_STRING ? base + x.f[i].off : NULL)
    memset(doc, 0, sizeof *doc);
    doc->text = base + x.f[FF_TEXT].off;
    doc->len = x.f[FF_TEXT].len;
    if (x.f[FF_ID].kind == FV_STRING) {
        doc->id = base + x.f[FF_ID].off;
    } else if (x.f[FF_ID].kind == FV_INT) {
        snprintf(r->id_buf, sizeof r->id_buf, "%lld", x.f[FF_ID].ival);
        doc->id = r->id_buf;
    } else {
        snprintf(r->id_buf, sizeof r->id_buf, "%s:%llu", r->text_id,
                 (unsigned long long)r->line);
        doc->id = r->id_buf;
    }
    doc->date = FSTR(FF_DATE);
    if (doc->date == NULL) {
        doc->date = FSTR(FF_PUBDATE);
    }
    fix_date(r, doc);
    doc->url = FSTR(FF_URL);
    doc->title = FSTR(FF_TITLE);
#undef FSTR
    return true;
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
        if (fast_doc(r, s, n, doc)) {
            return TUMEN_OK;
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
        fix_date(r, doc);
        doc->url = opt_string(o, "url");
        doc->title = opt_string(o, "title");
        return TUMEN_OK;
    }
}

tumen_status reader_next(struct reader *r, tumen_doc *doc, tumen_error *err) {
    return r->kind == READER_JSONL ? next_jsonl(r, doc, err) : next_text(r, doc, err);
}
