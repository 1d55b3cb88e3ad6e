/* Conformance runners for TABARI's validation suite and PETRARCH's unit-test records:
 * record parsing, coding through the public API, comparison. See conform.h. */
#include "conform.h"
#include "dict_peer.h"
#include "tabari_coder.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *xstrndup(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static bool push_str(char ***arr, size_t *n, const char *s, size_t len) {
    char *c = xstrndup(s, len);
    char **na = c ? realloc(*arr, (*n + 1) * sizeof *na) : NULL;
    if (na == NULL) {
        free(c);
        return false;
    }
    na[(*n)++] = c;
    *arr = na;
    return true;
}

static struct conform_record *new_record(struct conform_suite *s) {
    struct conform_record *nr = realloc(s->recs, (s->nrecs + 1) * sizeof *nr);
    if (nr == NULL) {
        return NULL;
    }
    s->recs = nr;
    struct conform_record *r = &s->recs[s->nrecs++];
    memset(r, 0, sizeof *r);
    r->standard = true;
    return r;
}

static void set_category(struct conform_record *r) {
    const char *dash = strchr(r->id, '-');
    size_t n = dash ? (size_t)(dash - r->id) : 0;
    bool alpha = n > 0;
    for (size_t i = 0; i < n; i++) {
        char c = r->id[i];
        alpha = alpha && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    }
    if (!alpha || n >= sizeof r->category) {
        snprintf(r->category, sizeof r->category, "MISC");
    } else {
        memcpy(r->category, r->id, n);
        r->category[n] = '\0';
    }
}

static bool add_expected(struct conform_record *r, const char *src, const char *tgt,
                         const char *code) {
    struct conform_event *ne = realloc(r->expected, (r->nexpected + 1) * sizeof *ne);
    if (ne == NULL) {
        return false;
    }
    r->expected = ne;
    struct conform_event *e = &r->expected[r->nexpected++];
    snprintf(e->source, sizeof e->source, "%s", src);
    snprintf(e->target, sizeof e->target, "%s", tgt);
    snprintf(e->code, sizeof e->code, "%s", code);
    return true;
}

/* Trims blanks off s[a..b) and copies into out. */
static void trim_copy(const char *a, const char *b, char *out, size_t size) {
    while (a < b && (*a == ' ' || *a == '\t')) {
        a++;
    }
    while (b > a && (b[-1] == ' ' || b[-1] == '\t')) {
        b--;
    }
    size_t n = (size_t)(b - a) < size - 1 ? (size_t)(b - a) : size - 1;
    memcpy(out, a, n);
    out[n] = '\0';
}

/* The {...} validation fields of a record's comment. */
static bool parse_expectations(struct conform_record *r, const char *c, size_t n) {
    bool any_active = false, any_disabled = false;
    for (size_t i = 0; i < n; i++) {
        if (c[i] != '{') {
            continue;
        }
        const char *close = memchr(c + i, '}', n - i);
        if (close == NULL) {
            close = c + n; /* an unclosed "{ OPTION: ..." runs to the end of the comment */
        }
        bool disabled = i > 0 && c[i - 1] == '-';
        const char *a = c + i + 1, *b = close;
        while (a < b && (*a == ' ' || *a == '\t')) {
            a++;
        }
        size_t len = (size_t)(b - a);
        if (len >= 7 && strncmp(a, "OPTION:", 7) == 0) {
            const char *o = a + 7;
            while (o < b && *o == ' ') {
                o++;
            }
            const char *e = b;
            while (e > o && e[-1] == ' ') {
                e--;
            }
            if (!push_str(&r->options, &r->noptions, o, (size_t)(e - o))) {
                return false;
            }
        } else if (disabled) {
            any_disabled = true;
        } else {
            char compact[64];
            size_t k = 0;
            for (const char *q = a; q < b && k + 1 < sizeof compact; q++) {
                if (*q != ' ' && *q != '\t') {
                    compact[k++] = *q;
                }
            }
            compact[k] = '\0';
            if (strcmp(compact, "---") == 0) {
                r->expect_none = true;
                any_active = true;
            } else if (strcmp(compact, "###") == 0) {
                r->expect_discard = true;
                any_active = true;
            } else if (strcmp(compact, "+++") == 0) {
                r->expect_complex = true;
                any_active = true;
            } else {
                const char *s1 = memchr(a, '/', (size_t)(b - a));
                const char *s2 = s1 ? memchr(s1 + 1, '/', (size_t)(b - s1 - 1)) : NULL;
                if (s2 != NULL) {
                    const char *s3 = memchr(s2 + 1, '/', (size_t)(b - s2 - 1));
                    char src[24], tgt[24], code[8];
                    trim_copy(a, s1, src, sizeof src);
                    trim_copy(s1 + 1, s2, tgt, sizeof tgt);
                    trim_copy(s2 + 1, s3 ? s3 : b, code, sizeof code);
                    if (!add_expected(r, src, tgt, code)) {
                        return false;
                    }
                    any_active = true;
                }
            }
        }
        i = (size_t)(close - c);
    }
    r->unchecked = any_disabled && !any_active;
    return true;
}

/* Validate.text: records separated by blank lines (even inside an unclosed comment, as
 * TABARI reads them); a record starts with a line whose first character is a digit
 * ("950101  DEMO-01"); the text runs until the comment opener, the comment to its closer. */
static tumen_status parse_tabari_text(struct conform_suite *s, const char *path, bool yyyy,
                                      tumen_error *err) {
    char *text = NULL;
    struct peer_lines it;
    tumen_status st = peer_lines_open(&it, path, &text, err);
    if (st != TUMEN_OK) {
        return st;
    }
    const char *ln;
    size_t n;
    struct conform_record *r = NULL;
    struct buf body, comment;
    buf_init(&body, 0);
    buf_init(&comment, 0);
    bool in_comment = false, past_final = false;
    for (;;) {
        bool more = peer_lines_next(&it, &ln, &n);
        bool blank = more && n == 0;
        if (r != NULL && (!more || blank)) {
            /* close the record */
            r->text = xstrndup(body.data ? body.data : "", body.len);
            if (r->text == NULL ||
                !parse_expectations(r, comment.data ? comment.data : "", comment.len)) {
                st = err_set(err, TUMEN_NOMEM, path, it.lineno, 0, "out of memory");
                break;
            }
            r->standard = !past_final;
            if (strcmp(r->id, "FINAL-01") == 0) {
                past_final = true;
                r->standard = false;
            }
            r = NULL;
            buf_reset(&body);
            buf_reset(&comment);
        }
        if (!more) {
            break;
        }
        if (r == NULL) {
            if (n > 0 && ln[0] >= '0' && ln[0] <= '9') {
                r = new_record(s);
                if (r == NULL) {
                    st = err_set(err, TUMEN_NOMEM, path, it.lineno, 0, "out of memory");
                    break;
                }
                size_t i = 0;
                while (i < n && ln[i] >= '0' && ln[i] <= '9') {
                    i++;
                }
                int y = 0, m = 0, d = 0;
                if (i >= 6) {
                    /* YYMMDD, or YYYYMMDD in SET: YYYY mode; extra digits are ignored */
                    int yl = i >= 8 && (ln[0] == '1' || ln[0] == '2') &&
                                     (ln[1] == '9' || ln[1] == '0')
                                 ? 4
                                 : 2;
                    for (int k = 0; k < yl; k++) {
                        y = y * 10 + (ln[k] - '0');
                    }
                    if (yl == 2) {
                        y += y <= 30 ? 2000 : 1900;
                    }
                    m = (ln[yl] - '0') * 10 + (ln[yl + 1] - '0');
                    d = (ln[yl + 2] - '0') * 10 + (ln[yl + 3] - '0');
                    snprintf(r->date, sizeof r->date, "%04d-%02d-%02d", (y % 10000 + 10000) % 10000,
                             (m % 100 + 100) % 100, (d % 100 + 100) % 100);
                }
                (void)yyyy;
                while (i < n && (ln[i] == ' ' || ln[i] == '\t')) {
                    i++;
                }
                size_t j = i;
                while (j < n && ln[j] != ' ' && ln[j] != '\t') {
                    j++;
                }
                if (j == i) { /* "950101" alone: the date is the id */
                    i = 0;
                    j = 0;
                    while (j < n && ln[j] != ' ') {
                        j++;
                    }
                }
                trim_copy(ln + i, ln + j, r->id, sizeof r->id);
                set_category(r);
                in_comment = false;
            }
            continue;
        }
        /* a line of the current record */
        size_t i = 0;
        while (i < n) {
            if (!in_comment) {
                const char *open = NULL;
                for (size_t k = i; k + 1 < n; k++) {
                    if (ln[k] == '/' && ln[k + 1] == '*') {
                        open = ln + k;
                        break;
                    }
                }
                size_t e = open ? (size_t)(open - ln) : n;
                if (e > i) {
                    if (body.len > 0) {
                        buf_addc(&body, ' ');
                    }
                    buf_add(&body, ln + i, e - i);
                }
                if (open == NULL) {
                    break;
                }
                in_comment = true;
                i = e + 2;
            } else {
                const char *close = NULL;
                for (size_t k = i; k + 1 < n; k++) {
                    if (ln[k] == '*' && ln[k + 1] == '/') {
                        close = ln + k;
                        break;
                    }
                }
                size_t e = close ? (size_t)(close - ln) : n;
                buf_add(&comment, ln + i, e - i);
                buf_addc(&comment, ' ');
                if (close == NULL) {
                    break;
                }
                in_comment = false;
                i = e + 2;
            }
        }
    }
    buf_fini(&body);
    buf_fini(&comment);
    free(text);
    return st;
}

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

tumen_status conform_tabari_load(struct conform_suite *s, const char *project, tumen_error *err) {
    memset(s, 0, sizeof *s);
    s->tabari = true;
    struct tabari_project pr;
    tumen_status st = tabari_project_load(&pr, project, err);
    if (st != TUMEN_OK) {
        return st;
    }
    char **lists[3] = {pr.verbs, pr.actors, pr.agents};
    size_t counts[3] = {pr.nverbs, pr.nactors, pr.nagents};
    for (int k = 0; k < 3 && st == TUMEN_OK; k++) {
        for (size_t i = 0; i < counts[k]; i++) {
            if (!push_str(&s->dicts, &s->ndicts, lists[k][i], strlen(lists[k][i]))) {
                st = err_set(err, TUMEN_NOMEM, project, 0, 0, "out of memory");
                break;
            }
        }
    }
    if (st == TUMEN_OK && pr.options != NULL) {
        s->options = xstrndup(pr.options, strlen(pr.options));
    }
    for (size_t i = 0; i < pr.ntexts && st == TUMEN_OK; i++) {
        st = parse_tabari_text(s, pr.texts[i], false, err);
    }
    if (st == TUMEN_OK && pr.ntexts == 0) {
        st = err_set(err, TUMEN_INVALID, project, 0, 0, "the project names no <textfile>");
    }
    tabari_project_fini(&pr);
    if (st != TUMEN_OK) {
        conform_suite_fini(s);
    }
    return st;
}

tumen_status conform_petrarch_load(struct conform_suite *s, const char *records,
                                   tumen_error *err) {
    memset(s, 0, sizeof *s);
    char *path = NULL;
    if (ends_with(records, ".xml")) {
        size_t n = strlen(records);
        path = malloc(n + 3);
        if (path == NULL) {
            return err_set(err, TUMEN_NOMEM, records, 0, 0, "out of memory");
        }
        memcpy(path, records, n - 4);
        memcpy(path + n - 4, ".jsonl", 7);
    } else {
        path = xstrndup(records, strlen(records));
        if (path == NULL) {
            return err_set(err, TUMEN_NOMEM, records, 0, 0, "out of memory");
        }
    }
    json_error_t je;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        tumen_status st = err_set(err, TUMEN_IO, path, 0, 0,
                                  "cannot open (the runner reads the .jsonl form of the records)");
        free(path);
        return st;
    }
    tumen_status st = TUMEN_OK;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    uint64_t lineno = 0;
    while ((got = getline(&line, &cap, f)) > 0 && st == TUMEN_OK) {
        lineno++;
        json_t *o = json_loadb(line, (size_t)got, 0, &je);
        if (o == NULL) {
            st = err_set(err, TUMEN_JSON, path, lineno, (uint64_t)je.column, "%s", je.text);
            break;
        }
        struct conform_record *r = new_record(s);
        if (r == NULL) {
            json_decref(o);
            st = err_set(err, TUMEN_NOMEM, path, lineno, 0, "out of memory");
            break;
        }
        const char *id = json_string_value(json_object_get(o, "id"));
        const char *cat = json_string_value(json_object_get(o, "category"));
        const char *date = json_string_value(json_object_get(o, "date"));
        const char *text = json_string_value(json_object_get(o, "text"));
        snprintf(r->id, sizeof r->id, "%s", id ? id : "");
        if (cat) {
            snprintf(r->category, sizeof r->category, "%s", cat);
        } else {
            set_category(r);
        }
        if (date && strlen(date) == 8) {
            snprintf(r->date, sizeof r->date, "%.4s-%.2s-%.2s", date, date + 4, date + 6);
        }
        r->text = xstrndup(text ? text : "", text ? strlen(text) : 0);
        r->standard = json_is_true(json_object_get(o, "included")) ||
                      json_object_get(o, "included") == NULL;
        json_t *ex = json_object_get(o, "expected");
        size_t k;
        json_t *e;
        json_array_foreach(ex, k, e) {
            const char *a = json_string_value(json_object_get(e, "source"));
            const char *b = json_string_value(json_object_get(e, "target"));
            const char *c = json_string_value(json_object_get(e, "code"));
            if (!add_expected(r, a ? a : "", b ? b : "", c ? c : "")) {
                st = err_set(err, TUMEN_NOMEM, path, lineno, 0, "out of memory");
            }
        }
        if (json_is_true(json_object_get(o, "noevents")) && r->nexpected == 0) {
            r->expect_none = true;
        }
        json_decref(o);
        if (r->text == NULL) {
            st = err_set(err, TUMEN_NOMEM, path, lineno, 0, "out of memory");
        }
    }
    free(line);
    fclose(f);
    /* the PETR.Validate.* dictionaries beside the records */
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    static const char *const names[] = {"PETR.Validate.verbs.txt", "PETR.Validate.actors.txt",
                                        "PETR.Validate.agents.txt",
                                        "PETR.Validate.discards.txt"};
    for (size_t i = 0; i < 4 && st == TUMEN_OK; i++) {
        char buf[4096];
        snprintf(buf, sizeof buf, "%.*s%s", (int)dl, path, names[i]);
        if (!push_str(&s->dicts, &s->ndicts, buf, strlen(buf))) {
            st = err_set(err, TUMEN_NOMEM, path, 0, 0, "out of memory");
        }
    }
    free(path);
    if (st != TUMEN_OK) {
        conform_suite_fini(s);
    }
    return st;
}

void conform_suite_fini(struct conform_suite *s) {
    for (size_t i = 0; i < s->nrecs; i++) {
        struct conform_record *r = &s->recs[i];
        free(r->text);
        free(r->expected);
        for (size_t k = 0; k < r->noptions; k++) {
            free(r->options[k]);
        }
        free(r->options);
    }
    free(s->recs);
    for (size_t i = 0; i < s->ndicts; i++) {
        free(s->dicts[i]);
    }
    free(s->dicts);
    free(s->options);
    memset(s, 0, sizeof *s);
}

/* ---- running ---- */

struct got {
    struct conform_event *ev;
    size_t n, cap;
    bool oom;
};

static int on_event(void *ctx, const tumen_event *e) {
    struct got *g = ctx;
    if (e->kind != TUMEN_KIND_EVENT) {
        return 0;
    }
    for (size_t i = 0; i < g->n; i++) { /* TABARI codes each event once */
        if (strcmp(g->ev[i].source, e->source) == 0 && strcmp(g->ev[i].target, e->target) == 0 &&
            strcmp(g->ev[i].code, e->code) == 0) {
            return 0;
        }
    }
    if (!grow((void **)&g->ev, &g->cap, g->n + 1, sizeof *g->ev)) {
        g->oom = true;
        return 1;
    }
    struct conform_event *c = &g->ev[g->n++];
    snprintf(c->source, sizeof c->source, "%s", e->source);
    snprintf(c->target, sizeof c->target, "%s", e->target);
    snprintf(c->code, sizeof c->code, "%s", e->code);
    return 0;
}

static char *events_str(const struct conform_event *ev, size_t n, const char *none) {
    struct buf b;
    buf_init(&b, 0);
    if (n == 0) {
        buf_adds(&b, none);
    }
    for (size_t i = 0; i < n; i++) {
        buf_printf(&b, "%s%s/%s/%s", i ? "; " : "", ev[i].source, ev[i].target, ev[i].code);
    }
    if (b.data == NULL) {
        buf_add(&b, "", 0);
    }
    return b.data;
}

static bool same_events(const struct conform_event *a, size_t na, const struct conform_event *b,
                        size_t nb) {
    /* set equality (expected lists have no duplicates; produced ones are deduplicated) */
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t k = 0; k < nb && !found; k++) {
            found = strcmp(a[i].source, b[k].source) == 0 &&
                    strcmp(a[i].target, b[k].target) == 0 && strcmp(a[i].code, b[k].code) == 0;
        }
        if (!found) {
            return false;
        }
    }
    for (size_t k = 0; k < nb; k++) {
        bool found = false;
        for (size_t i = 0; i < na && !found; i++) {
            found = strcmp(a[i].source, b[k].source) == 0 &&
                    strcmp(a[i].target, b[k].target) == 0 && strcmp(a[i].code, b[k].code) == 0;
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct conform_category *category(struct conform_report *r, const char *name) {
    for (size_t i = 0; i < r->ncats; i++) {
        if (strcmp(r->cats[i].name, name) == 0) {
            return &r->cats[i];
        }
    }
    struct conform_category *nc = realloc(r->cats, (r->ncats + 1) * sizeof *nc);
    if (nc == NULL) {
        return NULL;
    }
    r->cats = nc;
    struct conform_category *c = &r->cats[r->ncats++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    return c;
}

tumen_status conform_run(const struct conform_suite *s, unsigned flags, struct conform_report *r,
                         tumen_error *err) {
    memset(r, 0, sizeof *r);
    double t0 = now();
    tumen_dict *d = NULL;
    tumen_status st = tumen_dict_new(&d);
    if (st != TUMEN_OK) {
        return err_set(err, st, "", 0, 0, "out of memory");
    }
    for (size_t i = 0; i < s->ndicts && st == TUMEN_OK; i++) {
        st = tumen_dict_load(d, s->dicts[i], s->tabari ? TUMEN_DICT_TABARI : TUMEN_DICT_PETRARCH,
                             err);
    }
    if (st == TUMEN_OK) {
        st = tumen_dict_finish(d, err);
    }
    /* TABARI .options: validated here; the coder takes its settings from the dictionary's
     * TABARI mode (see docs/peer-dictionaries.md for what it must honour) */
    struct tabari_options opts;
    tabari_options_init(&opts);
    if (st == TUMEN_OK && s->options != NULL) {
        st = tabari_options_load(&opts, s->options, err);
    }
    /* TABARI suites run through the TABARI-compatible engine, which takes each record's
     * {OPTION: ...} lines; PETRARCH records use it too, with TABARI's default options */
    tumen_coder *c = NULL;
    struct tabari_engine *eng = NULL;
    if (st == TUMEN_OK) {
        st = tabari_engine_new(d, &opts, &eng);
        if (st == TUMEN_NOTFOUND) {
            tumen_coder_options co = {flags | (s->tabari ? TUMEN_OPT_TABARI : 0), 0};
            st = tumen_coder_new(d, &co, &c);
        }
        if (st != TUMEN_OK) {
            err_set(err, st, "", 0, 0, "cannot create the coder");
        }
    }
    r->load_seconds = now() - t0;
    r->res = st == TUMEN_OK ? calloc(s->nrecs ? s->nrecs : 1, sizeof *r->res) : NULL;
    if (st == TUMEN_OK && r->res == NULL) {
        st = err_set(err, TUMEN_NOMEM, "", 0, 0, "out of memory");
    }
    double t1 = now();
    struct got g = {NULL, 0, 0, false};
    for (size_t i = 0; i < s->nrecs && st == TUMEN_OK; i++) {
        const struct conform_record *rec = &s->recs[i];
        for (size_t k = 0; k < rec->noptions; k++) {
            size_t col;
            (void)tabari_options_line(&opts, rec->options[k], strlen(rec->options[k]), &col);
        }
        if (eng != NULL) {
            tabari_engine_set_options(eng, &opts);
        }
        g.n = 0;
        tumen_doc doc = {rec->id, rec->text, strlen(rec->text), rec->date[0] ? rec->date : NULL,
                         NULL, NULL};
        tumen_error cerr;
        memset(&cerr, 0, sizeof cerr);
        tumen_status cs;
        if (eng != NULL) {
            uint64_t ns = 0;
            cs = tabari_engine_code_ex(eng, &doc, s->tabari, on_event, &g, &ns, &cerr, NULL);
        } else {
            cs = tumen_coder_code(c, &doc, on_event, &g, &cerr);
        }
        if (g.oom) {
            st = err_set(err, TUMEN_NOMEM, "", 0, 0, "out of memory");
            break;
        }
        struct conform_result *res = &r->res[i];
        res->got = events_str(g.ev, g.n, cs == TUMEN_OK ? "(none)" : "(error)");
        if (rec->expect_discard) {
            res->want = events_str(NULL, 0, "{###} discard");
        } else if (rec->expect_complex) {
            res->want = events_str(NULL, 0, "{+++} complex");
        } else {
            res->want = events_str(rec->expected, rec->nexpected, "(none)");
        }
        if (rec->unchecked) {
            res->pass = true;
            res->skipped = true;
        } else if (rec->expect_discard || rec->expect_complex || rec->expect_none ||
                   rec->nexpected == 0) {
            res->pass = g.n == 0;
        } else {
            res->pass = cs == TUMEN_OK && same_events(rec->expected, rec->nexpected, g.ev, g.n);
        }
        struct conform_category *cat = category(r, rec->category);
        if (cat == NULL || res->got == NULL || res->want == NULL) {
            st = err_set(err, TUMEN_NOMEM, "", 0, 0, "out of memory");
            break;
        }
        if (res->pass) {
            cat->passed++;
            r->passed++;
        } else {
            cat->failed++;
            r->failed++;
        }
    }
    r->code_seconds = now() - t1;
    free(g.ev);
    tabari_engine_free(eng);
    tumen_coder_free(c);
    tumen_dict_free(d);
    if (st != TUMEN_OK) {
        conform_report_fini(r, s->nrecs);
    }
    return st;
}

void conform_report_fini(struct conform_report *r, size_t nrecs) {
    if (r->res != NULL) {
        for (size_t i = 0; i < nrecs; i++) {
            free(r->res[i].got);
            free(r->res[i].want);
        }
    }
    free(r->res);
    free(r->cats);
    memset(r, 0, sizeof *r);
}
