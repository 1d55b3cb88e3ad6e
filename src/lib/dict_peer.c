/* Shared machinery of the TABARI and PETRARCH loaders: see dict_peer.h. */
#include "dict_peer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void peer_init(struct peer *p, struct tumen_dict *d, const char *path, enum peer_mode mode,
               tumen_error *err) {
    memset(p, 0, sizeof *p);
    p->d = d;
    p->path = path;
    p->file = dict_file(d, path);
    p->err = err;
    p->mode = mode;
}

tumen_status peer_err(struct peer *p, tumen_status st, const char *at, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    uint64_t col = (p->ls != NULL && at != NULL && at >= p->ls) ? (uint64_t)(at - p->ls) + 1 : 0;
    return err_set(p->err, st, p->path, p->line, col, "%s", msg);
}

void peer_warn(struct peer *p, const char *at, const char *fmt, ...) {
    if (p->warn == NULL || p->warn->fn == NULL) {
        return;
    }
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    uint64_t col = (p->ls != NULL && at != NULL && at >= p->ls) ? (uint64_t)(at - p->ls) + 1 : 0;
    p->warn->fn(p->warn->ctx, p->path, p->line, col, msg);
}

tumen_status peer_add(struct peer *p, tumen_status st) {
    if (st == TUMEN_OK) {
        return st;
    }
    return err_set(p->err, st, p->path, p->line, 0, "%s", tumen_strerror(st));
}

bool peer_valid_actor_code(const char *code) {
    if (strcmp(code, "---") == 0 || strcmp(code, "###") == 0 || strcmp(code, "+++") == 0) {
        return true;
    }
    size_t part = 0;
    for (const char *c = code; *c; c++) {
        if (*c == '/') {
            if (part == 0) {
                return false;
            }
            part = 0;
        } else if (peer_alnum(*c)) {
            part++;
        } else {
            return false;
        }
    }
    return part > 0;
}

/* ---- files ---- */

tumen_status peer_read_file(const char *path, char **out, size_t *len, tumen_error *err) {
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    tumen_status st = dict_read_raw(path, &b.data, &b.len, err);
    if (st != TUMEN_OK) {
        return st;
    }
    uint64_t line = 1, col = 1;
    for (size_t i = 0; i < b.len; i++) {
        if (b.data[i] == '\0') {
            buf_fini(&b);
            if (err) {
                err->byte = i;
            }
            return err_set(err, TUMEN_UTF8, path, line, col, "NUL byte in a dictionary file");
        }
        if (b.data[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    size_t bad;
    if (tumen_utf8_check(b.data, b.len, &bad) != TUMEN_OK) {
        /* Latin-1: every byte >= 0x80 becomes two UTF-8 bytes */
        struct buf u;
        buf_init(&u, (size_t)1 << 31);
        for (size_t i = 0; i < b.len && st == TUMEN_OK; i++) {
            unsigned char c = (unsigned char)b.data[i];
            if (c < 0x80) {
                st = buf_addc(&u, (char)c);
            } else {
                char two[2] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F))};
                st = buf_add(&u, two, 2);
            }
        }
        buf_fini(&b);
        if (st != TUMEN_OK) {
            buf_fini(&u);
            return err_set(err, st, path, 0, 0, "cannot read: %s", tumen_strerror(st));
        }
        b = u;
    }
    *out = b.data;
    *len = b.len;
    return TUMEN_OK;
}

bool peer_date(const char *s, size_t n, int32_t *out) {
    if (n != 6 && n != 7 && n != 8) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    int32_t y, m, d;
    if (n == 6) {
        y = (s[0] - '0') * 10 + (s[1] - '0');
        y += y <= 30 ? 2000 : 1900;
        m = (s[2] - '0') * 10 + (s[3] - '0');
        d = (s[4] - '0') * 10 + (s[5] - '0');
    } else {
        y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        m = (s[4] - '0') * 10 + (s[5] - '0');
        d = n == 8 ? (s[6] - '0') * 10 + (s[7] - '0') : s[6] - '0';
    }
    if (m < 1 || m > 12 || d < 1 || d > 31) {
        return false;
    }
    *out = y * 10000 + m * 100 + d;
    return true;
}

/* ---- lines and comments ---- */

void peer_lines_init(struct peer_lines *it, const char *s, size_t len) {
    it->s = s;
    it->len = len;
    it->pos = 0;
    it->lineno = 0;
}

tumen_status peer_lines_open(struct peer_lines *it, const char *path, char **text,
                             tumen_error *err) {
    size_t len = 0;
    tumen_status st = peer_read_file(path, text, &len, err);
    if (st == TUMEN_OK) {
        peer_lines_init(it, *text, len);
    }
    return st;
}

bool peer_lines_next(struct peer_lines *it, const char **ln, size_t *n) {
    if (it->pos >= it->len) {
        return false;
    }
    const char *start = it->s + it->pos;
    const char *nl = memchr(start, '\n', it->len - it->pos);
    size_t m = nl ? (size_t)(nl - start) : it->len - it->pos;
    it->pos += m + (nl ? 1 : 0);
    it->lineno++;
    while (m > 0 && (start[m - 1] == '\r' || start[m - 1] == ' ' || start[m - 1] == '\t')) {
        m--;
    }
    *ln = start;
    *n = m;
    return true;
}

bool peer_next_line(struct peer *p, struct peer_lines *it, const char **ln, size_t *n,
                    size_t *indent) {
    if (!peer_lines_next(it, ln, n)) {
        return false;
    }
    p->line = it->lineno;
    p->ls = *ln;
    size_t b = 0;
    while (b < *n && ((*ln)[b] == ' ' || (*ln)[b] == '\t')) {
        b++;
    }
    *indent = b;
    return true;
}

bool peer_finish_line(const char *ln, size_t n) {
    size_t i = 0;
    while (i < n && ln[i] == '~') {
        i++;
    }
    return i > 0 && n - i >= 6 && memcmp(ln + i, "FINISH", 6) == 0;
}

bool peer_comment_line(const struct peer *p, const char *s, size_t n) {
    if (n == 0) {
        return true;
    }
    if (s[0] == '#') {
        return true;
    }
    if (p->mode == PEER_TABARI) {
        if (s[0] == '/' || s[0] == ';') {
            return true;
        }
        size_t i = 0;
        while (i < n && s[i] == '~') {
            i++;
        }
        return i == n;
    }
    return false;
}

size_t peer_strip_comment(const struct peer *p, const char *ln, size_t n) {
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        char c = ln[i];
        if (c == '[') {
            depth++;
        } else if (c == ']' && depth > 0) {
            depth--;
        } else if (depth == 0 && (c == ';' || (p->mode == PEER_PETRARCH && c == '#'))) {
            n = i;
            break;
        }
    }
    while (n > 0 && (ln[n - 1] == ' ' || ln[n - 1] == '\t')) {
        n--;
    }
    return n;
}

bool peer_section(const char *s, size_t n, const char *name) {
    size_t i = 1;
    if (n < 2 || s[0] != '<') {
        return false;
    }
    if (s[1] == '/') {
        i = 2;
    }
    size_t k = 0;
    while (name[k] && i + k < n && peer_upper(s[i + k]) == name[k]) {
        k++;
    }
    return name[k] == '\0';
}

/* ---- phrases ---- */

static bool word_stop(char c, enum peer_mode mode) {
    if (c == ' ' || c == '\t' || c == '_' || c == '-') {
        return true;
    }
    return mode == PEER_TABARI && (c == '~' || c == '=');
}

int peer_words(struct peer *p, const char *s, size_t n, enum peer_mode mode, struct pword *out,
               int max, bool *trail_underscore) {
    int nw = 0;
    bool gap = false, lock = false;
    size_t i = 0;
    if (trail_underscore) {
        *trail_underscore = false;
    }
    while (i < n) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            if (nw > 0 && !lock) {
                gap = true; /* "BACK~ POLICY": '~' joins across the blank */
            }
            i++;
            continue;
        }
        if (c == '_' || c == '-' || (mode == PEER_TABARI && (c == '~' || c == '='))) {
            i++; /* a stray connector joins */
            if (i == n && trail_underscore) {
                *trail_underscore = true;
            }
            continue;
        }
        size_t j = i;
        while (j < n && !word_stop(s[j], mode)) {
            j++;
        }
        if (nw >= max) {
            peer_err(p, TUMEN_LIMIT, s + i, "phrase longer than %d words", max);
            return -1;
        }
        uint8_t fl = gap && nw > 0 ? PW_GAP : 0;
        bool next_gap = true;
        lock = false;
        if (mode == PEER_TABARI) {
            if (j >= n || s[j] == ' ' || s[j] == '\t') {
                fl |= PW_PREFIX;
            } else if (s[j] == '~') {
                fl |= PW_PREFIX;
                j++;
                while (j < n && s[j] == '_') {
                    j++;
                }
                next_gap = false;
                lock = true;
            } else if (s[j] == '=') {
                fl |= TABARI_PW_EXACT;
                j++;
                size_t k = j;
                while (j < n && (s[j] == '_' || s[j] == '-')) {
                    j++;
                }
                next_gap = j == k || j >= n || s[j] == ' ' || s[j] == '\t';
            } else { /* '_' or '-' run: exact */
                while (j < n && (s[j] == '_' || s[j] == '-')) {
                    j++;
                }
                next_gap = j >= n || s[j] == ' ' || s[j] == '\t';
            }
        } else {
            if (j < n && (s[j] == '_' || s[j] == '-')) {
                while (j < n && (s[j] == '_' || s[j] == '-')) {
                    j++;
                }
                next_gap = j >= n || s[j] == ' ' || s[j] == '\t';
            }
        }
        out[nw].s = s + i;
        size_t e = i;
        while (e < j && !word_stop(s[e], mode)) {
            e++;
        }
        out[nw].n = e - i;
        out[nw].flags = fl;
        nw++;
        if (j >= n && j > e && trail_underscore) {
            *trail_underscore = true;
        }
        gap = next_gap;
        i = j;
    }
    return nw;
}

tumen_status peer_intern(struct peer *p, const struct pword *w, int nw, struct phrase *out) {
    out->w = dict_alloc(p->d, (size_t)nw * sizeof *out->w);
    out->f = dict_alloc(p->d, (size_t)nw);
    if (out->w == NULL || out->f == NULL) {
        return peer_add(p, TUMEN_NOMEM);
    }
    for (int i = 0; i < nw; i++) {
        uint32_t id = dict_word(p->d, w[i].s, w[i].n);
        if (id == TUMEN_NOID) {
            return peer_add(p, TUMEN_NOMEM);
        }
        out->w[i] = id;
        out->f[i] = w[i].flags;
        if (w[i].flags & PW_PREFIX) {
            p->d->has_prefix_words = true;
        }
    }
    out->n = (uint16_t)nw;
    return TUMEN_OK;
}

tumen_status peer_phrase(struct peer *p, const char *s, size_t n, enum peer_mode mode,
                         struct phrase *out) {
    struct pword w[PEER_MAX_WORDS];
    int nw = peer_words(p, s, n, mode, w, PEER_MAX_WORDS, NULL);
    if (nw < 0) {
        return p->err ? p->err->status : TUMEN_LIMIT;
    }
    if (nw == 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "missing phrase");
    }
    return peer_intern(p, w, nw, out);
}

tumen_status peer_phrase_last(struct peer *p, const struct phrase *ph, const char *word,
                              size_t n, struct phrase *out) {
    out->n = ph->n;
    out->w = dict_alloc(p->d, ph->n * sizeof *out->w);
    out->f = dict_alloc(p->d, ph->n);
    if (out->w == NULL || out->f == NULL || ph->n == 0) {
        return peer_add(p, TUMEN_NOMEM);
    }
    memcpy(out->w, ph->w, ph->n * sizeof *out->w);
    memcpy(out->f, ph->f, ph->n);
    uint32_t id = dict_word(p->d, word, n);
    if (id == TUMEN_NOID) {
        return peer_add(p, TUMEN_NOMEM);
    }
    out->w[ph->n - 1] = id;
    return TUMEN_OK;
}

size_t peer_plural(const char *w, size_t n, char *buf, size_t size) {
    if (n + 3 >= size) {
        return 0;
    }
    memcpy(buf, w, n);
    char last = n ? peer_upper(w[n - 1]) : 0;
    char prev = n > 1 ? peer_upper(w[n - 2]) : 0;
    bool lower = n && w[n - 1] >= 'a' && w[n - 1] <= 'z';
    if (last == 'Y' && prev != 'A' && prev != 'E' && prev != 'O' && prev != 'U') {
        memcpy(buf + n - 1, lower ? "ies" : "IES", 3);
        return n + 2;
    }
    if (last == 'S' && prev == 'S') {
        memcpy(buf + n, lower ? "es" : "ES", 2);
        return n + 2;
    }
    buf[n] = lower ? 's' : 'S';
    return n + 1;
}

/* ---- actor groups ---- */

void peer_group_init(struct peer_group *g) {
    memset(g, 0, sizeof *g);
}

void peer_group_fini(struct peer_group *g) {
    free(g->phr);
    free(g->roles);
    memset(g, 0, sizeof *g);
}

tumen_status peer_group_phrase(struct peer *p, struct peer_group *g, const char *s, size_t n) {
    if (!grow((void **)&g->phr, &g->cap, g->nphr + 1, sizeof *g->phr)) {
        return peer_add(p, TUMEN_NOMEM);
    }
    struct peer_gphrase *gp = &g->phr[g->nphr];
    tumen_status st = peer_phrase(p, s, n, p->mode, &gp->ph);
    if (st != TUMEN_OK) {
        return st;
    }
    gp->line = (uint32_t)p->line;
    g->nphr++;
    return TUMEN_OK;
}

tumen_status peer_group_role(struct peer *p, struct peer_group *g, const struct actor_role *r) {
    if (!grow((void **)&g->roles, &g->caproles, g->nroles + 1, sizeof *g->roles)) {
        return peer_add(p, TUMEN_NOMEM);
    }
    g->roles[g->nroles++] = *r;
    return TUMEN_OK;
}

tumen_status peer_group_default(struct peer *p, struct peer_group *g, const char *code) {
    if (!g->has_default) { /* TABARI: only the first undated code is the default */
        snprintf(g->code, sizeof g->code, "%s", code);
        g->has_default = true;
    }
    (void)p;
    return TUMEN_OK;
}

tumen_status peer_group_flush(struct peer *p, struct peer_group *g) {
    if (g->nphr == 0) {
        g->nroles = 0;
        g->has_default = false;
        g->code[0] = '\0';
        return TUMEN_OK;
    }
    struct actor_role *roles = NULL;
    if (g->nroles > 0) {
        roles = dict_alloc(p->d, g->nroles * sizeof *roles);
        if (roles == NULL) {
            return peer_add(p, TUMEN_NOMEM);
        }
        memcpy(roles, g->roles, g->nroles * sizeof *roles);
    }
    for (size_t i = 0; i < g->nphr; i++) {
        struct actor a;
        memset(&a, 0, sizeof a);
        a.ph = g->phr[i].ph;
        a.roles = roles;
        a.nroles = (uint32_t)g->nroles;
        memcpy(a.code, g->code, sizeof a.code);
        a.src.file = p->file;
        a.src.line = g->phr[i].line;
        tumen_status st = dict_add_actor(p->d, &a);
        if (st != TUMEN_OK) {
            return peer_add(p, st);
        }
    }
    g->nphr = 0;
    g->nroles = 0;
    g->has_default = false;
    g->code[0] = '\0';
    return TUMEN_OK;
}

/* ---- word sets ---- */

void peer_set_init(struct peer_set *s) {
    memset(s, 0, sizeof *s);
}

void peer_set_fini(struct peer_set *s) {
    free(s->name);
    free(s->alts);
    memset(s, 0, sizeof *s);
}

tumen_status peer_set_begin(struct peer *p, struct peer_set *cur, const char *s, size_t n) {
    tumen_status st = peer_set_end(p, cur);
    if (st != TUMEN_OK) {
        return st;
    }
    bool noplural = n > 1 && s[n - 1] == '_';
    while (n > 1 && s[n - 1] == '_') {
        n--;
    }
    cur->name = malloc(n + 1);
    if (cur->name == NULL) {
        return peer_add(p, TUMEN_NOMEM);
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        cur->name[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    cur->name[n] = '\0';
    cur->noplural = noplural;
    cur->nalts = 0;
    cur->line = (uint32_t)p->line;
    return TUMEN_OK;
}

static tumen_status set_push(struct peer *p, struct peer_set *cur, const struct phrase *ph) {
    if (cur->nalts >= 65536) {
        return peer_err(p, TUMEN_LIMIT, NULL, "synset has more than 65536 phrases");
    }
    if (!grow((void **)&cur->alts, &cur->cap, cur->nalts + 1, sizeof *cur->alts)) {
        return peer_add(p, TUMEN_NOMEM);
    }
    cur->alts[cur->nalts++] = *ph;
    return TUMEN_OK;
}

uint32_t peer_find_set(struct peer *p, const char *s, size_t n) {
    char name[128];
    while (n > 1 && s[n - 1] == '_') {
        n--;
    }
    if (n >= sizeof name) {
        return TUMEN_NOID;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        name[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    uint32_t id = intern_find(&p->d->words, name, n);
    if (id == TUMEN_NOID) {
        return TUMEN_NOID;
    }
    return dict_find_set(p->d, id);
}

#define EXPAND_MAX 4096

tumen_status peer_set_phrase(struct peer *p, struct peer_set *cur, const char *s, size_t n) {
    struct pword w[PEER_MAX_WORDS];
    bool trail = false;
    int nw = peer_words(p, s, n, p->mode, w, PEER_MAX_WORDS, &trail);
    if (nw < 0) {
        return p->err->status;
    }
    if (nw == 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "missing phrase after '+'");
    }
    /* expansions: sequences of (word id, flags), built breadth-first */
    struct seq {
        uint32_t w[PEER_MAX_WORDS];
        uint8_t f[PEER_MAX_WORDS];
        uint16_t n;
    };
    struct seq *cur_s = malloc(sizeof *cur_s);
    size_t ncur = 1;
    if (cur_s == NULL) {
        return peer_add(p, TUMEN_NOMEM);
    }
    cur_s[0].n = 0;
    tumen_status st = TUMEN_OK;
    for (int i = 0; i < nw && st == TUMEN_OK; i++) {
        if (w[i].s[0] == '&') {
            uint32_t si = peer_find_set(p, w[i].s, w[i].n);
            if (si == TUMEN_NOID) {
                st = peer_err(p, TUMEN_SYNTAX, w[i].s, "undefined synset '%.*s'", (int)w[i].n,
                              w[i].s);
                break;
            }
            const struct wordset *ws = &p->d->sets[si];
            size_t nn = ncur * ws->nalts;
            if (nn > EXPAND_MAX || nn == 0) {
                st = peer_err(p, TUMEN_LIMIT, w[i].s, "synset expansion too large or empty");
                break;
            }
            struct seq *next = malloc(nn * sizeof *next);
            if (next == NULL) {
                st = peer_add(p, TUMEN_NOMEM);
                break;
            }
            size_t k = 0;
            for (size_t a = 0; a < ncur && st == TUMEN_OK; a++) {
                for (size_t b = 0; b < ws->nalts; b++) {
                    const struct phrase *alt = &ws->alts[b];
                    next[k] = cur_s[a];
                    if (next[k].n + alt->n > PEER_MAX_WORDS) {
                        st = peer_err(p, TUMEN_LIMIT, w[i].s, "expanded phrase too long");
                        break;
                    }
                    for (uint16_t x = 0; x < alt->n; x++) {
                        next[k].w[next[k].n] = alt->w[x];
                        next[k].f[next[k].n] =
                            (uint8_t)(x == 0 ? (alt->f[0] & ~PW_GAP) | (w[i].flags & PW_GAP)
                                             : alt->f[x]);
                        next[k].n++;
                    }
                    k++;
                }
            }
            free(cur_s);
            cur_s = next;
            ncur = k;
            continue;
        }
        uint32_t id = dict_word(p->d, w[i].s, w[i].n);
        if (id == TUMEN_NOID) {
            st = peer_add(p, TUMEN_NOMEM);
            break;
        }
        if (w[i].flags & PW_PREFIX) {
            p->d->has_prefix_words = true;
        }
        for (size_t a = 0; a < ncur; a++) {
            cur_s[a].w[cur_s[a].n] = id;
            cur_s[a].f[cur_s[a].n] = w[i].flags;
            cur_s[a].n++;
        }
    }
    bool plural = p->mode == PEER_PETRARCH && !cur->noplural && !trail && w[nw - 1].s[0] != '&';
    uint32_t plural_id = TUMEN_NOID;
    if (st == TUMEN_OK && plural) {
        char buf[256];
        size_t pl = peer_plural(w[nw - 1].s, w[nw - 1].n, buf, sizeof buf);
        if (pl > 0) {
            plural_id = dict_word(p->d, buf, pl);
        }
    }
    for (size_t a = 0; a < ncur && st == TUMEN_OK; a++) {
        for (int v = 0; v < (plural_id != TUMEN_NOID ? 2 : 1) && st == TUMEN_OK; v++) {
            struct phrase ph;
            ph.n = cur_s[a].n;
            ph.w = dict_alloc(p->d, ph.n * sizeof *ph.w);
            ph.f = dict_alloc(p->d, ph.n);
            if (ph.w == NULL || ph.f == NULL) {
                st = peer_add(p, TUMEN_NOMEM);
                break;
            }
            memcpy(ph.w, cur_s[a].w, ph.n * sizeof *ph.w);
            memcpy(ph.f, cur_s[a].f, ph.n);
            if (v == 1) {
                ph.w[ph.n - 1] = plural_id;
            }
            st = set_push(p, cur, &ph);
        }
    }
    free(cur_s);
    return st;
}

tumen_status peer_set_end(struct peer *p, struct peer_set *cur) {
    if (cur->name == NULL) {
        return TUMEN_OK;
    }
    tumen_status st = TUMEN_OK;
    if (cur->nalts == 0) {
        uint64_t line = p->line;
        p->line = cur->line;
        st = err_set(p->err, TUMEN_SYNTAX, p->path, cur->line, 1, "synset '%s' has no phrases",
                     cur->name);
        p->line = line;
    } else {
        struct wordset ws;
        memset(&ws, 0, sizeof ws);
        ws.name = dict_word(p->d, cur->name, strlen(cur->name));
        ws.alts = dict_alloc(p->d, cur->nalts * sizeof *ws.alts);
        if (ws.name == TUMEN_NOID || ws.alts == NULL) {
            st = peer_add(p, TUMEN_NOMEM);
        } else {
            memcpy(ws.alts, cur->alts, cur->nalts * sizeof *ws.alts);
            ws.nalts = (uint32_t)cur->nalts;
            st = peer_add(p, dict_add_set(p->d, &ws, NULL));
        }
    }
    free(cur->name);
    cur->name = NULL;
    cur->nalts = 0;
    return st;
}

tumen_status peer_set_add(struct peer *p, const char *name, const struct phrase *ph) {
    uint32_t nid = dict_word(p->d, name, strlen(name));
    if (nid == TUMEN_NOID) {
        return peer_add(p, TUMEN_NOMEM);
    }
    uint32_t si = dict_find_set(p->d, nid);
    if (si == TUMEN_NOID) {
        struct wordset ws;
        memset(&ws, 0, sizeof ws);
        ws.name = nid;
        ws.alts = dict_alloc(p->d, sizeof *ws.alts);
        if (ws.alts == NULL) {
            return peer_add(p, TUMEN_NOMEM);
        }
        ws.alts[0] = *ph;
        ws.nalts = 1;
        return peer_add(p, dict_add_set(p->d, &ws, NULL));
    }
    struct wordset *ws = &p->d->sets[si];
    /* arena arrays cannot grow: double into a new one at powers of two */
    uint32_t n = ws->nalts;
    if ((n & (n - 1)) == 0) {
        struct phrase *na = dict_alloc(p->d, (size_t)n * 2 * sizeof *na);
        if (na == NULL) {
            return peer_add(p, TUMEN_NOMEM);
        }
        memcpy(na, ws->alts, n * sizeof *na);
        ws->alts = na;
    }
    ws->alts[n] = *ph;
    ws->nalts = n + 1;
    return TUMEN_OK;
}

/* ---- event codes ---- */

tumen_status peer_event_code(struct peer *p, const char *s, size_t n, char code[8],
                             uint16_t *flags) {
    char buf[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            continue;
        }
        if (!peer_alnum(c) && c != ':' && c != '!' && c != '?' && c != '-' && c != '#' &&
            c != '+') {
            return peer_err(p, TUMEN_SYNTAX, s + i, "invalid character '%c' in event code", c);
        }
        if (k + 1 >= sizeof buf) {
            return peer_err(p, TUMEN_LIMIT, s + i, "event code too long");
        }
        buf[k++] = c;
    }
    buf[k] = '\0';
    *flags = 0;
    if (k == 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "missing code in [...]");
    }
    if (strcmp(buf, "---") == 0) {
        memcpy(code, "---", 4);
        *flags = VP_NULL;
        return TUMEN_OK;
    }
    char *colon = strchr(buf, ':');
    if (colon != NULL) {
        *colon = '\0';
        const char *a = buf, *b = colon + 1;
        if (strcmp(a, b) == 0 && *a) {
            size_t al = strlen(a);
            if (al > 7) {
                return peer_err(p, TUMEN_LIMIT, s, "event code longer than 7 characters");
            }
            memcpy(code, a, al + 1);
            *flags = VP_SYMMETRIC;
            return TUMEN_OK;
        }
        *colon = ':';
        if (k <= 7) {
            memcpy(code, buf, k + 1);
            return TUMEN_OK;
        }
        /* too long for code[8]: keep the first half (the second needs a code2 field) */
        *colon = '\0';
        const char *keep = *a ? a : b;
        size_t kl = strlen(keep);
        if (kl > 7) {
            return peer_err(p, TUMEN_LIMIT, s, "event code longer than 7 characters");
        }
        memcpy(code, keep, kl + 1);
        return TUMEN_OK;
    }
    if (k > 7) {
        return peer_err(p, TUMEN_LIMIT, s, "event code longer than 7 characters");
    }
    memcpy(code, buf, k + 1);
    return TUMEN_OK;
}

/* ---- verb blocks ---- */

void peer_block_init(struct peer_block *b) {
    memset(b, 0, sizeof *b);
}

void peer_block_fini(struct peer_block *b) {
    free(b->heads);
    free(b->pats);
    memset(b, 0, sizeof *b);
}

void peer_block_open(struct peer_block *b, const char *code, uint16_t flags) {
    b->open = true;
    b->nheads = 0;
    b->npats = 0;
    snprintf(b->code, sizeof b->code, "%s", code);
    b->code_flags = flags;
}

tumen_status peer_block_head(struct peer *p, struct peer_block *b, const struct phrase *ph,
                             const char *code, uint16_t flags) {
    if (!grow((void **)&b->heads, &b->caph, b->nheads + 1, sizeof *b->heads)) {
        return peer_add(p, TUMEN_NOMEM);
    }
    struct peer_head *h = &b->heads[b->nheads];
    memset(h, 0, sizeof *h);
    h->ph = *ph;
    h->ph_gap = *ph;
    h->ph_gap.f = dict_alloc(p->d, ph->n ? ph->n : 1);
    if (h->ph_gap.f == NULL) {
        return peer_add(p, TUMEN_NOMEM);
    }
    memcpy(h->ph_gap.f, ph->f, ph->n);
    if (ph->n) {
        h->ph_gap.f[0] |= PW_GAP;
        h->ph.f[0] &= (uint8_t)~PW_GAP;
    }
    snprintf(h->code, sizeof h->code, "%s", code ? code : "");
    h->code_flags = flags;
    h->line = (uint32_t)p->line;
    b->nheads++;
    b->open = true;
    return TUMEN_OK;
}

tumen_status peer_pattern_finish(struct peer *p, struct peer_block *b, struct vpattern *v,
                                 const struct velem *el, int nel, int verb, bool head_gap,
                                 bool post_gap, unsigned spec) {
    v->npre = (uint16_t)verb;
    v->npost = (uint16_t)(nel - verb);
    if (v->npre) {
        v->pre = dict_alloc(p->d, v->npre * sizeof *v->pre);
        if (v->pre == NULL) {
            return peer_add(p, TUMEN_NOMEM);
        }
        memcpy(v->pre, el, v->npre * sizeof *v->pre);
    }
    if (v->npost) {
        v->post = dict_alloc(p->d, v->npost * sizeof *v->post);
        if (v->post == NULL) {
            return peer_add(p, TUMEN_NOMEM);
        }
        memcpy(v->post, el + verb, v->npost * sizeof *v->post);
        v->post[0].flags = (uint8_t)((v->post[0].flags & ~PW_GAP) | (post_gap ? PW_GAP : 0));
    }
    v->specificity = (uint16_t)(spec > 65535 ? 65535 : spec);
    v->src.file = p->file;
    v->src.line = (uint32_t)p->line;
    return peer_block_pattern_add(p, b, v, head_gap);
}

tumen_status peer_block_pattern_add(struct peer *p, struct peer_block *b,
                                    const struct vpattern *t, bool head_gap) {
    if (b->nheads == 0) {
        return peer_err(p, TUMEN_SYNTAX, p->ls, "pattern before any verb");
    }
    if (!grow((void **)&b->pats, &b->capp, b->npats + 1, sizeof *b->pats)) {
        return peer_add(p, TUMEN_NOMEM);
    }
    b->pats[b->npats].v = *t;
    b->pats[b->npats].head_gap = head_gap;
    b->npats++;
    return TUMEN_OK;
}

tumen_status peer_block_flush(struct peer *p, struct peer_block *b) {
    if (!b->open) {
        return TUMEN_OK;
    }
    for (size_t h = 0; h < b->nheads; h++) {
        const struct peer_head *hd = &b->heads[h];
        struct vpattern v;
        memset(&v, 0, sizeof v);
        v.head = hd->ph;
        if (hd->code[0]) {
            memcpy(v.code, hd->code, sizeof v.code);
            v.flags = hd->code_flags;
        } else {
            memcpy(v.code, b->code, sizeof v.code);
            v.flags = b->code_flags;
        }
        v.src.file = p->file;
        v.src.line = hd->line;
        tumen_status st = dict_add_verb(p->d, &v);
        if (st != TUMEN_OK) {
            return peer_add(p, st);
        }
        for (size_t k = 0; k < b->npats; k++) {
            v = b->pats[k].v;
            v.head = b->pats[k].head_gap ? hd->ph_gap : hd->ph;
            st = dict_add_verb(p->d, &v);
            if (st != TUMEN_OK) {
                return peer_add(p, st);
            }
        }
    }
    b->open = false;
    b->nheads = 0;
    b->npats = 0;
    return TUMEN_OK;
}
