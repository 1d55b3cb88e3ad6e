/* TABARI dictionaries: .actors, .agents, .verbs, .options and .project files, read
 * unchanged (TABARI manual 0.8.4, chapters 4-6 and 8). Conventions for what lands in
 * struct tumen_dict are in dict_tabari.h. Every syntax error names file:line:col; the
 * caller (dict.c) rolls the dictionary back when a file fails. */
#include "dict_tabari.h"
#include "dict_peer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- event codes ---- */

void vcode_parse(const char *code, struct vcode *out) {
    memset(out, 0, sizeof *out);
    if (strcmp(code, "---") == 0) {
        out->kind = VC_NULL;
        return;
    }
    if (strcmp(code, "###") == 0) {
        out->kind = VC_DISCARD;
        return;
    }
    if (strcmp(code, "+++") == 0) {
        out->kind = VC_COMPLEX;
        return;
    }
    size_t n = strlen(code);
    if (n > 0 && code[n - 1] == '!') {
        out->dominant = true;
        n--;
    } else if (n > 0 && code[n - 1] == '?') {
        out->subordinate = true;
        n--;
    }
    const char *colon = memchr(code, ':', n);
    size_t a = colon ? (size_t)(colon - code) : n;
    if (a >= sizeof out->primary) {
        a = sizeof out->primary - 1;
    }
    memcpy(out->primary, code, a);
    if (colon) {
        size_t b = n - a - 1;
        if (b >= sizeof out->paired) {
            b = sizeof out->paired - 1;
        }
        memcpy(out->paired, colon + 1, b);
    }
}

/* ---- .options ---- */

void tabari_options_init(struct tabari_options *o) {
    memset(o, 0, sizeof *o);
    o->comma_min = 2;
    o->comma_max = 10;
    o->comma_emin = 2;
    o->comma_emax = 10;
    o->comma_bmin = 128;
    o->comma_bmax = 0;
    o->minimum_words = 8;
    o->time_shift = false;
}

/* Case-insensitive search of word w in s[0..n); returns its offset or -1. */
static long find_word(const char *s, size_t n, const char *w) {
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++) {
        size_t k = 0;
        while (k < wl && peer_upper(s[i + k]) == w[k]) {
            k++;
        }
        if (k == wl) {
            return (long)i;
        }
    }
    return -1;
}

static int num_after(const char *s, size_t n, const char *key, int dflt) {
    long at = find_word(s, n, key);
    if (at < 0) {
        return dflt;
    }
    size_t i = (size_t)at + strlen(key);
    while (i < n && (s[i] == ' ' || s[i] == '=' || s[i] == '[' || s[i] == '\t')) {
        i++;
    }
    int v = 0;
    bool any = false;
    while (i < n && s[i] >= '0' && s[i] <= '9' && v < 100000) {
        v = v * 10 + (s[i] - '0');
        i++;
        any = true;
    }
    return any ? v : dflt;
}

static bool flag_value(const char *s, size_t n) {
    long eq = -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=') {
            eq = (long)i;
            break;
        }
    }
    size_t i = eq < 0 ? n : (size_t)eq + 1;
    while (i < n && s[i] == ' ') {
        i++;
    }
    return i < n && peer_upper(s[i]) == 'T';
}

/* Code in [...] after key, copied into out (upper case, blanks removed). */
static void code_after(const char *s, size_t n, const char *key, char *out, size_t outsz) {
    out[0] = '\0';
    long at = find_word(s, n, key);
    if (at < 0) {
        return;
    }
    size_t i = (size_t)at + strlen(key);
    while (i < n && s[i] != '[') {
        i++;
    }
    size_t k = 0;
    for (i++; i < n && s[i] != ']'; i++) {
        if (s[i] != ' ' && s[i] != '\t' && k + 1 < outsz) {
            out[k++] = peer_upper(s[i]);
        }
    }
    out[k] = '\0';
}

tumen_status tabari_options_line(struct tabari_options *o, const char *line, size_t n,
                                 size_t *col) {
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) {
        i++;
    }
    *col = i + 1;
    if (i >= n || line[i] == '#' || (line[i] == '/' && i + 1 < n && line[i + 1] == '/') ||
        line[i] == '~') {
        return TUMEN_OK; /* comments and "~~~~~" / "~FINISH" marks */
    }
    /* drop trailing comments */
    for (size_t k = i; k < n; k++) {
        if (line[k] == '#' || (line[k] == '/' && k + 1 < n && line[k + 1] == '/')) {
            n = k;
            break;
        }
    }
    const char *s = line + i;
    size_t m = n - i;
    char cmd[8] = {0};
    for (size_t k = 0; k < 4 && k < m; k++) {
        cmd[k] = peer_upper(s[k]);
    }
    if (memchr(s, ':', m) == NULL) {
        return TUMEN_SYNTAX;
    }
    if (strcmp(cmd, "COMP") == 0) {
        o->complex_verbs = num_after(s, m, "VERBS", o->complex_verbs);
        o->complex_actors = num_after(s, m, "ACTORS", o->complex_actors);
        o->complex_pronouns = num_after(s, m, "PRONOUNS", o->complex_pronouns);
        o->complex_conj = num_after(s, m, "CONJ", o->complex_conj);
        o->complex_comma = num_after(s, m, "COMMA", o->complex_comma);
        o->complex_lateverb = num_after(s, m, "LATEVERB", o->complex_lateverb);
        o->complex_noactprior = find_word(s, m, "NOACTPRIOR") >= 0;
        o->complex_noactafter = find_word(s, m, "NOACTAFTER") >= 0;
        o->complex_noverb = find_word(s, m, "NOVERB") >= 0;
        o->complex_nosource = find_word(s, m, "NOSOURCE") >= 0;
        o->complex_notarget = find_word(s, m, "NOTARGET") >= 0;
        o->complex_noevent = find_word(s, m, "NOEVENT") >= 0;
        return TUMEN_OK;
    }
    if (strcmp(cmd, "DEFA") == 0) {
        if (find_word(s, m, "OFF") >= 0 && find_word(s, m, "SOURCE") < 0) {
            o->default_source[0] = o->default_target[0] = '\0';
            o->default_source_prior = o->default_target_after = false;
            return TUMEN_OK;
        }
        if (find_word(s, m, "SOURCE") >= 0) {
            code_after(s, m, "SOURCE", o->default_source, sizeof o->default_source);
            o->default_source_prior = find_word(s, m, "PRIOR") >= 0;
        }
        if (find_word(s, m, "TARGET") >= 0) {
            code_after(s, m, "TARGET", o->default_target, sizeof o->default_target);
            o->default_target_after = find_word(s, m, "AFTER") >= 0;
        }
        return TUMEN_OK;
    }
    if (strcmp(cmd, "COMM") == 0) {
        if (find_word(s, m, "OFF") >= 0) {
            o->comma_off = true;
            return TUMEN_OK;
        }
        o->comma_off = false;
        /* EMIN/BMIN contain MIN: read the prefixed ones first, then blank them out */
        char tmp[256];
        size_t tl = m < sizeof tmp - 1 ? m : sizeof tmp - 1;
        for (size_t k = 0; k < tl; k++) {
            tmp[k] = peer_upper(s[k]);
        }
        tmp[tl] = '\0';
        o->comma_emin = num_after(tmp, tl, "EMIN", o->comma_emin);
        o->comma_emax = num_after(tmp, tl, "EMAX", o->comma_emax);
        o->comma_bmin = num_after(tmp, tl, "BMIN", o->comma_bmin);
        o->comma_bmax = num_after(tmp, tl, "BMAX", o->comma_bmax);
        for (size_t k = 0; k + 4 <= tl; k++) {
            if ((tmp[k] == 'E' || tmp[k] == 'B') && tmp[k + 1] == 'M') {
                tmp[k] = tmp[k + 1] = tmp[k + 2] = tmp[k + 3] = 'x';
            }
        }
        o->comma_min = num_after(tmp, tl, "MIN", o->comma_min);
        o->comma_max = num_after(tmp, tl, "MAX", o->comma_max);
        return TUMEN_OK;
    }
    if (strcmp(cmd, "SET:") == 0 || strcmp(cmd, "SET ") == 0) {
        if (find_word(s, m, "CODE BY SENT") >= 0) {
            o->code_by = TABARI_BY_SENTENCE;
        } else if (find_word(s, m, "CODE BY CLAUSE") >= 0) {
            o->code_by = TABARI_BY_CLAUSE;
        } else if (find_word(s, m, "CODE ALL") >= 0) {
            o->code_by = TABARI_BY_ALL;
        } else if (find_word(s, m, "MINIMUM WORDS") >= 0) {
            o->minimum_words = num_after(s, m, "MINIMUM WORDS", o->minimum_words);
        } else if (find_word(s, m, "CONVERT AGENT") >= 0) {
            o->convert_agents = flag_value(s, m);
        } else if (find_word(s, m, "YYYY") >= 0) {
            o->yyyy = flag_value(s, m);
        } else if (find_word(s, m, "TIME SHIFT") >= 0) {
            o->time_shift = flag_value(s, m);
        } else if (find_word(s, m, "FBIS") >= 0) {
            o->fbis = flag_value(s, m);
        } else if (find_word(s, m, "NONRESTRICTIVE") >= 0) {
            o->code_nonrestrictive = flag_value(s, m);
        }
        return TUMEN_OK; /* LABEL, usage files, haiku, ...: no effect on coding */
    }
    if (strcmp(cmd, "NONE") == 0) {
        o->nonevents = find_word(s, m, "ONLY") >= 0 ? 2 : find_word(s, m, "TRUE") >= 0 ? 1 : 0;
        return TUMEN_OK;
    }
    if (strcmp(cmd, "FORW") == 0) {
        o->forward = find_word(s, m, "OFF") < 0;
        return TUMEN_OK;
    }
    if (strcmp(cmd, "LABE") == 0 || strcmp(cmd, "OUTP") == 0 || strcmp(cmd, "ISSU") == 0 ||
        strcmp(cmd, "FREQ") == 0) {
        return TUMEN_OK;
    }
    return TUMEN_SYNTAX;
}

tumen_status tabari_options_load(struct tabari_options *o, const char *path, tumen_error *err) {
    char *text = NULL;
    struct peer_lines it;
    tumen_status st = peer_lines_open(&it, path, &text, err);
    if (st != TUMEN_OK) {
        return st;
    }
    const char *ln;
    size_t n;
    while (peer_lines_next(&it, &ln, &n)) {
        size_t col = 0;
        if (tabari_options_line(o, ln, n, &col) != TUMEN_OK) {
            st = err_set(err, TUMEN_SYNTAX, path, it.lineno, col,
                         "unknown .options command (expected COMPLEX:, DEFAULT:, COMMA:, SET:, "
                         "LABEL:, OUTPUT:, NONEVENTS:, FORWARD:)");
            break;
        }
    }
    free(text);
    return st;
}

/* ---- .project ---- */

static char *resolve(const char *base, const char *name, size_t n) {
    const char *slash = strrchr(base, '/');
    size_t dl = (name[0] == '/' || slash == NULL) ? 0 : (size_t)(slash - base) + 1;
    char *p = malloc(dl + n + 1);
    if (p != NULL) {
        memcpy(p, base, dl);
        memcpy(p + dl, name, n);
        p[dl + n] = '\0';
    }
    return p;
}

static bool push_path(char ***arr, size_t *cnt, char *p) {
    if (p == NULL) {
        return false;
    }
    char **na = realloc(*arr, (*cnt + 1) * sizeof *na);
    if (na == NULL) {
        free(p);
        return false;
    }
    na[(*cnt)++] = p;
    *arr = na;
    return true;
}

tumen_status tabari_project_load(struct tabari_project *p, const char *path, tumen_error *err) {
    memset(p, 0, sizeof *p);
    char *text = NULL;
    struct peer_lines it;
    tumen_status st = peer_lines_open(&it, path, &text, err);
    if (st != TUMEN_OK) {
        return st;
    }
    const char *ln;
    size_t n;
    while (peer_lines_next(&it, &ln, &n) && st == TUMEN_OK) {
        if (n < 3 || ln[0] != '<') {
            continue; /* "Any line that does not begin with < will be ignored" */
        }
        const char *gt = memchr(ln, '>', n);
        if (gt == NULL) {
            st = err_set(err, TUMEN_SYNTAX, path, it.lineno, n + 1, "missing '>' in tag");
            break;
        }
        char t0 = peer_upper(ln[1]), t1 = peer_upper(ln[2]);
        size_t a = (size_t)(gt - ln) + 1;
        while (a < n && (ln[a] == ' ' || ln[a] == '\t')) {
            a++;
        }
        size_t b = a;
        while (b < n && ln[b] != ' ' && ln[b] != '\t') {
            b++;
        }
        char ***arr = NULL;
        size_t *cnt = NULL;
        if (t0 == 'A' && t1 == 'C') {
            arr = &p->actors, cnt = &p->nactors;
        } else if (t0 == 'V' && t1 == 'E') {
            arr = &p->verbs, cnt = &p->nverbs;
        } else if (t0 == 'A' && t1 == 'G') {
            arr = &p->agents, cnt = &p->nagents;
        } else if (t0 == 'T' && t1 == 'E') {
            arr = &p->texts, cnt = &p->ntexts;
        } else if (t0 == 'O' && t1 == 'P') {
            if (b > a && p->options == NULL) {
                p->options = resolve(path, ln + a, b - a);
                if (p->options == NULL) {
                    st = err_set(err, TUMEN_NOMEM, path, it.lineno, 0, "out of memory");
                }
            }
            continue;
        } else {
            continue; /* eventfile, coder, session, ... */
        }
        if (b == a) {
            st = err_set(err, TUMEN_SYNTAX, path, it.lineno, a + 1, "missing file name");
        } else if (!push_path(arr, cnt, resolve(path, ln + a, b - a))) {
            st = err_set(err, TUMEN_NOMEM, path, it.lineno, 0, "out of memory");
        }
    }
    free(text);
    if (st != TUMEN_OK) {
        tabari_project_fini(p);
    }
    return st;
}

static void free_list(char **a, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(a[i]);
    }
    free(a);
}

void tabari_project_fini(struct tabari_project *p) {
    free_list(p->actors, p->nactors);
    free_list(p->verbs, p->nverbs);
    free_list(p->agents, p->nagents);
    free_list(p->texts, p->ntexts);
    free(p->options);
    memset(p, 0, sizeof *p);
}

/* ---- .actors ---- */

/* TABARI stops on a bad date; PETRARCH's own reader goes on, so the role is skipped. */
static tumen_status bad_date(struct peer *p, const char *at) {
    if (p->mode == PEER_PETRARCH) {
        peer_warn(p, at, "invalid date (expected YYMMDD or YYYYMMDD): role skipped");
        return TUMEN_OK;
    }
    return peer_err(p, TUMEN_DATE, at,
                    "invalid date (expected <DATE, >DATE or DATE-DATE with YYMMDD or YYYYMMDD)");
}

/* Parses one "[CODE]" / "[CODE <DATE]" / "[CODE >DATE]" / "[CODE D1-D2]" block whose content
 * is s[0..n). Adds a dated role to g or sets its default code. */
static tumen_status role_block(struct peer *p, struct peer_group *g, const char *s, size_t n) {
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    /* the code: up to a blank, '<', '>' or a digit run that starts a date */
    char code[DICT_CODE_MAX];
    size_t k = 0;
    size_t code_col = i;
    while (i < n && s[i] != '<' && s[i] != '>') {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            /* "- - -" is the null code written with blanks */
            size_t j = i;
            while (j < n && (s[j] == ' ' || s[j] == '\t')) {
                j++;
            }
            if (j < n && s[j] == '-' && k > 0 && code[k - 1] == '-') {
                i = j;
                continue;
            }
            break;
        }
        if (k == 0 && c >= '0' && c <= '9') {
            break; /* a date where the code should be */
        }
        if (k + 1 >= sizeof code) {
            return peer_err(p, TUMEN_LIMIT, s + i, "actor code longer than %d characters",
                            DICT_CODE_MAX - 1);
        }
        code[k++] = c;
        i++;
    }
    code[k] = '\0';
    if (k == 0) {
        return peer_err(p, TUMEN_SYNTAX, s + code_col, "missing code in [...]");
    }
    if (!peer_valid_actor_code(code)) {
        return peer_err(p, TUMEN_SYNTAX, s + code_col,
                        "invalid code '%s' (letters and digits, '/' between compound codes)",
                        code);
    }
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i >= n) {
        return peer_group_default(p, g, code);
    }
    struct actor_role r;
    memset(&r, 0, sizeof r);
    memcpy(r.code, code, k + 1);
    char op = s[i];
    if (op == '<' || op == '>') {
        i++;
        while (i < n && (s[i] == ' ' || s[i] == '\t')) {
            i++;
        }
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9') {
            j++;
        }
        int32_t dt;
        if (!peer_date(s + i, j - i, &dt)) {
            return bad_date(p, s + i);
        }
        if (op == '<') {
            r.to = dt;
        } else {
            r.from = dt;
        }
        i = j;
    } else {
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9') {
            j++;
        }
        int32_t d1, d2;
        if (!peer_date(s + i, j - i, &d1)) {
            return bad_date(p, s + i);
        }
        while (j < n && (s[j] == ' ' || s[j] == '\t')) {
            j++;
        }
        if (j >= n || s[j] != '-') {
            return peer_err(p, TUMEN_SYNTAX, s + j, "expected '-' between the two dates");
        }
        j++;
        while (j < n && (s[j] == ' ' || s[j] == '\t')) {
            j++;
        }
        size_t e = j;
        while (e < n && s[e] >= '0' && s[e] <= '9') {
            e++;
        }
        if (!peer_date(s + j, e - j, &d2)) {
            return bad_date(p, s + j);
        }
        if (d2 < d1) {
            if (p->mode == PEER_PETRARCH) {
                peer_warn(p, s + j, "date range ends before it starts: role skipped");
                return TUMEN_OK;
            }
            return peer_err(p, TUMEN_DATE, s + j, "date range ends before it starts");
        }
        r.from = d1;
        r.to = d2;
        i = e;
    }
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i < n) {
        return peer_err(p, TUMEN_SYNTAX, s + i, "unexpected text in date restriction");
    }
    return peer_group_role(p, g, &r);
}

/* Reads every "[...]" block of s[0..n) as a role. */
tumen_status peer_role_blocks(struct peer *p, struct peer_group *g, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) {
            i++;
        }
        if (i >= n) {
            break;
        }
        if (s[i] != '[') {
            if (p->mode == PEER_PETRARCH) {
                peer_warn(p, s + i, "text after the code ignored");
                return TUMEN_OK;
            }
            return peer_err(p, TUMEN_SYNTAX, s + i, "expected '[' to start a code");
        }
        const char *close = memchr(s + i, ']', n - i);
        if (close == NULL) {
            return peer_err(p, TUMEN_SYNTAX, s + n, "missing ']'");
        }
        tumen_status st;
        if (p->mode == PEER_PETRARCH) {
            /* PETRARCH skips what it cannot read: the role is dropped with a warning */
            tumen_error local;
            memset(&local, 0, sizeof local);
            tumen_error *keep = p->err;
            p->err = &local;
            st = role_block(p, g, s + i + 1, (size_t)(close - s) - i - 1);
            p->err = keep;
            if (st != TUMEN_OK && st != TUMEN_NOMEM) {
                const char *at = p->ls && local.col ? p->ls + local.col - 1 : s + i;
                peer_warn(p, at, "%s: role skipped", local.msg);
                st = TUMEN_OK;
            }
        } else {
            st = role_block(p, g, s + i + 1, (size_t)(close - s) - i - 1);
        }
        if (st != TUMEN_OK) {
            return st;
        }
        i = (size_t)(close - s) + 1;
    }
    return TUMEN_OK;
}

/* <NOUN> / <ADJECTIVE> lists: one phrase per line, no code. */
/* A <NOUN>/<ADJECTIVE> section tag or its closer (t starts with '<'): sets *section to
 * "<noun>", "<adjective>" or NULL (closed) and returns true; false for any other tag. */
static bool noun_adj_tag(const char *t, size_t n, const char **section) {
    bool noun = peer_section(t, n, "NOUN");
    if (!noun && !peer_section(t, n, "ADJECTIVE")) {
        return false;
    }
    *section = t[1] == '/' ? NULL : noun ? "<noun>" : "<adjective>";
    return true;
}

static tumen_status list_word(struct peer *p, const char *name, const char *s, size_t n) {
    struct phrase ph;
    tumen_status st = peer_phrase(p, s, n, p->mode, &ph);
    if (st != TUMEN_OK) {
        return st;
    }
    return peer_set_add(p, name, &ph);
}

tumen_status peer_load_actors(struct peer *p, const char *text, size_t len) {
    struct peer_lines it;
    peer_lines_init(&it, text, len);
    struct peer_group g;
    peer_group_init(&g);
    const char *ln;
    size_t n;
    const char *section = NULL;
    tumen_status st = TUMEN_OK;
    size_t b;
    while (st == TUMEN_OK && peer_next_line(p, &it, &ln, &n, &b)) {
        if (peer_finish_line(ln, n)) {
            break;
        }
        if (b == n || peer_comment_line(p, ln + b, n - b)) {
            continue;
        }
        if (ln[b] == '<') {
            if (noun_adj_tag(ln + b, n - b, &section)) {
                st = peer_group_flush(p, &g);
                continue;
            }
            if (p->mode == PEER_PETRARCH) {
                continue; /* <!-- comments --> */
            }
            st = peer_err(p, TUMEN_SYNTAX, ln + b, "unknown section tag");
            break;
        }
        size_t m = peer_strip_comment(p, ln, n);
        if (section != NULL) {
            if (m > b) {
                st = list_word(p, section, ln + b, m - b);
            }
            continue;
        }
        if (b > 0) {
            /* indented: a date restriction line of the current entry */
            if (m <= b) {
                continue;
            }
            if (g.nphr == 0) {
                st = peer_err(p, TUMEN_SYNTAX, ln + b, "date restriction without an actor");
                break;
            }
            if (ln[b] != '[' && p->mode == PEER_PETRARCH) {
                /* "\tJOHN_MCCLOY_\t[CODE]": an indented synonym without '+' */
                peer_warn(p, ln + b, "indented line read as a '+' synonym");
                const char *br2 = memchr(ln + b, '[', m - b);
                size_t pe2 = br2 ? (size_t)(br2 - ln) : m;
                st = peer_group_phrase(p, &g, ln + b, pe2 - b);
                if (st == TUMEN_OK && br2 != NULL) {
                    st = peer_role_blocks(p, &g, br2, m - pe2);
                }
                continue;
            }
            st = peer_role_blocks(p, &g, ln + b, m - b);
            continue;
        }
        if (m == 0) {
            continue;
        }
        bool syn = ln[0] == '+';
        if (!syn) {
            st = peer_group_flush(p, &g);
            if (st != TUMEN_OK) {
                break;
            }
        } else if (g.nphr == 0) {
            st = peer_err(p, TUMEN_SYNTAX, ln, "synonym '+' without a primary actor phrase");
            break;
        }
        const char *ph = ln + (syn ? 1 : 0);
        const char *br = memchr(ph, '[', m - (size_t)(ph - ln));
        size_t pe = br ? (size_t)(br - ln) : m;
        st = peer_group_phrase(p, &g, ph, pe - (size_t)(ph - ln));
        if (st == TUMEN_OK && br != NULL) {
            st = peer_role_blocks(p, &g, br, m - pe);
        }
    }
    if (st == TUMEN_OK) {
        st = peer_group_flush(p, &g);
    }
    peer_group_fini(&g);
    return st;
}

/* ---- .agents (TABARI) ---- */

/* "[~GOV]" or "[NGO~]" content -> agent code and placement. */
tumen_status peer_agent_code(struct peer *p, const char *s, size_t n, struct agent *a) {
    size_t i = 0, k = 0;
    char code[DICT_CODE_MAX];
    int tilde = 0; /* 1 before, 2 after */
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    const char *start = s + i;
    for (; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            continue;
        }
        if (c == '~') {
            tilde = k == 0 ? 1 : 2;
            continue;
        }
        if (!peer_alnum(c)) {
            return peer_err(p, TUMEN_SYNTAX, s + i, "invalid character '%c' in agent code", c);
        }
        if (k + 1 >= sizeof code) {
            return peer_err(p, TUMEN_LIMIT, s + i, "agent code too long");
        }
        code[k++] = peer_upper(c);
    }
    code[k] = '\0';
    if (k == 0) {
        return peer_err(p, TUMEN_SYNTAX, start, "missing agent code in [...]");
    }
    if (tilde == 0) {
        return peer_err(p, TUMEN_SYNTAX, start,
                        "missing '~' connector in agent code (write [~%s] or [%s~])", code, code);
    }
    memcpy(a->code, code, k + 1);
    a->prefix = tilde == 2;
    return TUMEN_OK;
}

static tumen_status tabari_agents(struct peer *p, const char *text, size_t len) {
    struct peer_lines it;
    peer_lines_init(&it, text, len);
    const char *ln;
    size_t n;
    const char *section = NULL;
    tumen_status st = TUMEN_OK;
    size_t b;
    while (st == TUMEN_OK && peer_next_line(p, &it, &ln, &n, &b)) {
        if (peer_finish_line(ln, n)) {
            break;
        }
        if (b == n || peer_comment_line(p, ln + b, n - b)) {
            continue;
        }
        if (ln[b] == '<') {
            if (noun_adj_tag(ln + b, n - b, &section)) {
                continue;
            }
            st = peer_err(p, TUMEN_SYNTAX, ln + b, "unknown section tag");
            break;
        }
        size_t m = peer_strip_comment(p, ln, n);
        if (m <= b) {
            continue;
        }
        if (section != NULL) {
            st = list_word(p, section, ln + b, m - b);
            continue;
        }
        const char *br = memchr(ln + b, '[', m - b);
        if (br == NULL) {
            st = peer_err(p, TUMEN_SYNTAX, ln + m, "missing '[' code after the agent phrase");
            break;
        }
        const char *close = memchr(br, ']', m - (size_t)(br - ln));
        if (close == NULL) {
            st = peer_err(p, TUMEN_SYNTAX, ln + m, "missing ']'");
            break;
        }
        struct agent a;
        memset(&a, 0, sizeof a);
        a.src.file = p->file;
        a.src.line = (uint32_t)p->line;
        st = peer_phrase(p, ln + b, (size_t)(br - ln) - b, p->mode, &a.ph);
        if (st == TUMEN_OK) {
            st = peer_agent_code(p, br + 1, (size_t)(close - br) - 1, &a);
        }
        if (st == TUMEN_OK) {
            st = peer_add(p, dict_add_agent(p->d, &a));
        }
    }
    return st;
}

/* ---- .verbs (TABARI) ---- */

/* Synset definitions: "&NAME" then "+phrase" lines; phrases may use earlier synsets. */
static tumen_status synset_line(struct peer *p, struct peer_set *cur, const char *s, size_t n) {
    if (s[0] == '&') {
        size_t e = 1;
        while (e < n && s[e] != ' ' && s[e] != '\t') {
            e++;
        }
        if (e == 1) {
            return peer_err(p, TUMEN_SYNTAX, s, "missing synset name after '&'");
        }
        return peer_set_begin(p, cur, s, e);
    }
    if (s[0] == '+') {
        if (cur->name == NULL) {
            return peer_err(p, TUMEN_SYNTAX, s, "synset phrase before any '&NAME' line");
        }
        return peer_set_phrase(p, cur, s + 1, n - 1);
    }
    return peer_err(p, TUMEN_SYNTAX, s, "expected '&NAME' or '+phrase' in <SYNSETS>");
}

/* Root line: "PHRASE [CODE]". Opens a block whose head is the phrase. */
static tumen_status tabari_root(struct peer *p, struct peer_block *blk, const char *s, size_t n) {
    const char *br = memchr(s, '[', n);
    size_t pe = br ? (size_t)(br - s) : n;
    char code[8] = "---";
    uint16_t flags = VP_NULL;
    if (br != NULL) {
        const char *close = memchr(br, ']', n - pe);
        if (close == NULL) {
            return peer_err(p, TUMEN_SYNTAX, s + n, "missing ']'");
        }
        tumen_status st = peer_event_code(p, br + 1, (size_t)(close - br) - 1, code, &flags);
        if (st != TUMEN_OK) {
            return st;
        }
        for (const char *q = close + 1; q < s + n; q++) {
            if (*q != ' ' && *q != '\t') {
                return peer_err(p, TUMEN_SYNTAX, q, "unexpected text after the code");
            }
        }
    }
    struct phrase ph;
    tumen_status st = peer_phrase(p, s, pe, PEER_TABARI, &ph);
    if (st != TUMEN_OK) {
        return st;
    }
    if (memchr(s, '*', pe) != NULL) {
        return peer_err(p, TUMEN_SYNTAX, memchr(s, '*', pe), "'*' in a verb root");
    }
    peer_block_open(blk, code, flags);
    return peer_block_head(p, blk, &ph, "", 0);
}

/* "{ BROKE_ BROKEN_ }": irregular forms; each becomes another head of the block. */
static tumen_status tabari_forms(struct peer *p, struct peer_block *blk, const char *s,
                                 size_t n) {
    if (blk->nheads == 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "verb forms before any verb");
    }
    const char *close = memchr(s, '}', n);
    if (close == NULL) {
        return peer_err(p, TUMEN_SYNTAX, s + n, "missing '}' after verb forms");
    }
    size_t e = (size_t)(close - s);
    for (size_t q = e + 1; q < n; q++) {
        if (s[q] != ' ' && s[q] != '\t') {
            return peer_err(p, TUMEN_SYNTAX, s + q, "unexpected text after '}'");
        }
    }
    size_t i = 1, count = 0;
    while (i < e) {
        while (i < e && (s[i] == ' ' || s[i] == '\t')) {
            i++;
        }
        size_t j = i;
        while (j < e && s[j] != ' ' && s[j] != '\t') {
            j++;
        }
        if (j > i) {
            struct phrase ph;
            tumen_status st = peer_phrase(p, s + i, j - i, PEER_TABARI, &ph);
            if (st == TUMEN_OK) {
                st = peer_block_head(p, blk, &ph, "", 0);
            }
            if (st != TUMEN_OK) {
                return st;
            }
            count++;
        }
        i = j;
    }
    if (count == 0) {
        return peer_err(p, TUMEN_SYNTAX, s, "no verb forms inside {...}");
    }
    return TUMEN_OK;
}

#define ALT_MAX 1024

/* Expands "{ A | B }" alternatives textually ("X_{ A | B }_Y" -> "X_A_Y", "X_B_Y"). The
 * caller frees the strings and the array. */
static tumen_status expand_alts(struct peer *p, const char *s, size_t n, char ***out,
                                size_t *nout) {
    char **list = malloc(sizeof *list);
    size_t cnt = 1;
    if (list == NULL || (list[0] = malloc(n + 1)) == NULL) {
        free(list);
        return peer_add(p, TUMEN_NOMEM);
    }
    memcpy(list[0], s, n);
    list[0][n] = '\0';
    tumen_status st = TUMEN_OK;
    for (size_t i = 0; i < cnt && st == TUMEN_OK;) {
        char *open = strchr(list[i], '{');
        if (open == NULL) {
            i++;
            continue;
        }
        char *close = strchr(open, '}');
        char *nested = strchr(open + 1, '{');
        if (close == NULL || (nested != NULL && nested < close)) {
            st = peer_err(p, TUMEN_SYNTAX, p->ls, close ? "nested '{' in alternatives"
                                                        : "missing '}' in alternatives");
            break;
        }
        size_t nalt = 1;
        for (char *q = open; q < close; q++) {
            nalt += *q == '|';
        }
        if (cnt - 1 + nalt > ALT_MAX) {
            st = peer_err(p, TUMEN_LIMIT, p->ls, "more than %d alternative patterns", ALT_MAX);
            break;
        }
        char **nl = realloc(list, (cnt - 1 + nalt) * sizeof *nl);
        if (nl == NULL) {
            st = peer_add(p, TUMEN_NOMEM);
            break;
        }
        list = nl;
        char *src = list[i];
        size_t pre = (size_t)(open - src);
        const char *suf = close + 1;
        size_t sl = strlen(suf);
        const char *a = open + 1;
        char **made = malloc(nalt * sizeof *made);
        size_t k = 0;
        if (made == NULL) {
            st = peer_add(p, TUMEN_NOMEM);
            break;
        }
        while (k < nalt) {
            const char *b = a;
            while (*b != '|' && *b != '}') {
                b++;
            }
            const char *x = a, *y = b;
            while (x < y && (*x == ' ' || *x == '\t')) {
                x++;
            }
            while (y > x && (y[-1] == ' ' || y[-1] == '\t')) {
                y--;
            }
            size_t al = (size_t)(y - x);
            char *m = malloc(pre + al + sl + 1);
            if (m == NULL) {
                st = peer_add(p, TUMEN_NOMEM);
                break;
            }
            memcpy(m, src, pre);
            memcpy(m + pre, x, al);
            memcpy(m + pre + al, suf, sl + 1);
            made[k++] = m;
            a = b + 1;
        }
        if (st != TUMEN_OK) {
            for (size_t q = 0; q < k; q++) {
                free(made[q]);
            }
            free(made);
            break;
        }
        free(src);
        list[i] = made[0];
        for (size_t q = 1; q < nalt; q++) {
            list[cnt++] = made[q];
        }
        free(made);
    }
    if (st != TUMEN_OK) {
        for (size_t i = 0; i < cnt; i++) {
            free(list[i]);
        }
        free(list);
        return st;
    }
    *out = list;
    *nout = cnt;
    return TUMEN_OK;
}

#define PAT_MAX 64

/* One pattern without alternatives. errat: where errors point (the pattern's start when
 * t is an expansion of the original text). */
static tumen_status tabari_elements(struct peer *p, struct peer_block *blk, const char *t,
                                    size_t n, const char *errat, const char *code,
                                    uint16_t cflags) {
#define AT(q) (errat ? errat : (q))
    struct velem el[PAT_MAX];
    int nel = 0, verb = -1;
    bool gap = false, head_gap = false, post_gap = false, lock = false;
    unsigned spec = 0;
    size_t i = 0;
    while (i < n) {
        char c = t[i];
        if (c == ' ' || c == '\t') {
            gap = gap || !lock; /* "BACK~ POLICY": '~' joins across the blank */
            i++;
            continue;
        }
        if (c == '_') {
            gap = false;
            i++;
            continue;
        }
        if (nel >= PAT_MAX) {
            return peer_err(p, TUMEN_LIMIT, AT(t + i), "pattern longer than %d elements",
                            PAT_MAX);
        }
        struct velem e = {0, 0, 0};
        size_t j = i + 1;
        bool is_word = false, force_join = false;
        if (c == '*' || c == '$' || c == '+' || c == '%' || c == '^' || c == '@') {
            if (j < n && t[j] == '~') {
                j++; /* "*~_CLOSELY": joined like '_' */
                force_join = true;
            } else if (j < n && t[j] != ' ' && t[j] != '\t' && t[j] != '_') {
                return peer_err(p, TUMEN_SYNTAX, AT(t + j),
                                "'%c' must be followed by '_' or a blank", c);
            }
            e.kind = c == '$' ? VE_SOURCE : c == '+' ? VE_TARGET : c == '%' ? VE_ACTOR
                                                                            : VE_SKIP;
        } else if (c == '&') {
            while (j < n && t[j] != ' ' && t[j] != '\t' && t[j] != '_') {
                j++;
            }
            uint32_t si = peer_find_set(p, t + i, j - i);
            if (si == TUMEN_NOID) {
                return peer_err(p, TUMEN_SYNTAX, AT(t + i), "undefined synset '%.*s'",
                                (int)(j - i), t + i);
            }
            e.kind = VE_SET;
            e.value = si;
            spec += (unsigned)(j - i - 1);
        } else if (c == '{' || c == '|' || c == '}' || c == '[' || c == ']') {
            return peer_err(p, TUMEN_SYNTAX, AT(t + i), "unexpected '%c'", c);
        } else {
            is_word = true;
            j = i;
            while (j < n && t[j] != ' ' && t[j] != '\t' && t[j] != '_' && t[j] != '-' &&
                   t[j] != '~' && t[j] != '=') {
                if (t[j] == '*' || t[j] == '$' || t[j] == '%' || t[j] == '^') {
                    return peer_err(p, TUMEN_SYNTAX, AT(t + j),
                                    "'%c' must be separated from a word by '_' or a blank",
                                    t[j]);
                }
                j++;
            }
            if (j == i) { /* a lone '-', '~' or '=' */
                i++;
                continue;
            }
            uint32_t id = dict_word(p->d, t + i, j - i);
            if (id == TUMEN_NOID) {
                return peer_add(p, TUMEN_NOMEM);
            }
            e.kind = VE_WORD;
            e.value = id;
            for (size_t q = i; q < j; q++) {
                spec += peer_alnum(t[q]);
            }
            if (j >= n || t[j] == ' ' || t[j] == '\t') {
                e.flags |= PW_PREFIX;
            } else if (t[j] == '~') {
                e.flags |= PW_PREFIX;
                force_join = true;
                j++;
            } else if (t[j] == '=') {
                e.flags |= TABARI_PW_EXACT;
                j++;
            }
        }
        /* connector after the unit: a '_' run joins the next unit when text follows it */
        while (j < n && (t[j] == '_' || (is_word && t[j] == '-'))) {
            j++;
        }
        bool prev_gap = gap;
        size_t end = j;
        bool next_gap = !force_join && (end >= n || t[end] == ' ' || t[end] == '\t');
        if (e.flags & PW_PREFIX) {
            p->d->has_prefix_words = true;
        }
        if (c == '*' && !is_word) {
            if (verb >= 0) {
                return peer_err(p, TUMEN_SYNTAX, AT(t + i), "more than one '*' in a pattern");
            }
            verb = nel;
            head_gap = prev_gap;
            post_gap = next_gap;
        } else if (c == '@' && !is_word) {
            /* attribution slot: not coded here */
        } else {
            e.flags |= (uint8_t)(prev_gap ? PW_GAP : 0);
            el[nel++] = e;
        }
        gap = next_gap;
        lock = force_join;
        i = end;
    }
#undef AT
    if (verb < 0) {
        return peer_err(p, TUMEN_SYNTAX, errat ? errat : t, "missing verb marker '*' in pattern");
    }
    struct vpattern v;
    memset(&v, 0, sizeof v);
    snprintf(v.code, sizeof v.code, "%s", code);
    v.flags = cflags;
    return peer_pattern_finish(p, blk, &v, el, nel, verb, head_gap, post_gap, spec);
}

/* "- PATTERN [CODE] ; comment" (s starts after the '-'). */
static tumen_status tabari_pattern(struct peer *p, struct peer_block *blk, const char *s,
                                   size_t n) {
    if (blk->nheads == 0) {
        return peer_err(p, TUMEN_SYNTAX, s - 1, "pattern before any verb");
    }
    const char *br = NULL;
    for (size_t i = n; i-- > 0;) {
        if (s[i] == '[') {
            br = s + i;
            break;
        }
    }
    if (br == NULL) {
        return peer_err(p, TUMEN_SYNTAX, s + n, "missing '[' code after the pattern");
    }
    const char *close = memchr(br, ']', n - (size_t)(br - s));
    if (close == NULL) {
        return peer_err(p, TUMEN_SYNTAX, s + n, "missing ']'");
    }
    for (const char *q = close + 1; q < s + n; q++) {
        if (*q != ' ' && *q != '\t') {
            return peer_err(p, TUMEN_SYNTAX, q, "unexpected text after the code");
        }
    }
    char code[8];
    uint16_t flags;
    tumen_status st = peer_event_code(p, br + 1, (size_t)(close - br) - 1, code, &flags);
    if (st != TUMEN_OK) {
        return st;
    }
    size_t pn = (size_t)(br - s);
    if (memchr(s, '{', pn) == NULL) {
        return tabari_elements(p, blk, s, pn, NULL, code, flags);
    }
    char **alts = NULL;
    size_t nalts = 0;
    st = expand_alts(p, s, pn, &alts, &nalts);
    for (size_t i = 0; i < nalts; i++) {
        if (st == TUMEN_OK) {
            st = tabari_elements(p, blk, alts[i], strlen(alts[i]), s, code, flags);
        }
        free(alts[i]);
    }
    free(alts);
    return st;
}

static tumen_status tabari_verbs(struct peer *p, const char *text, size_t len) {
    struct peer_lines it;
    peer_lines_init(&it, text, len);
    const char *ln;
    size_t n;
    enum { S_NONE, S_SYN, S_TIME, S_ATTRIB, S_NOUN, S_ADJ } sec = S_NONE;
    struct peer_set cur;
    peer_set_init(&cur);
    struct peer_block blk;
    peer_block_init(&blk);
    tumen_status st = TUMEN_OK;
    size_t b;
    while (st == TUMEN_OK && peer_next_line(p, &it, &ln, &n, &b)) {
        if (peer_finish_line(ln, n)) {
            break;
        }
        if (b == n || peer_comment_line(p, ln + b, n - b)) {
            continue;
        }
        if (ln[b] == '<') {
            const char *t = ln + b;
            size_t tn = n - b;
            bool close = tn > 1 && t[1] == '/';
            int ns = peer_section(t, tn, "SYNSET")      ? S_SYN
                     : peer_section(t, tn, "TIME")      ? S_TIME
                     : peer_section(t, tn, "ATTRIB")    ? S_ATTRIB
                     : peer_section(t, tn, "NOUN")      ? S_NOUN
                     : peer_section(t, tn, "ADJECTIVE") ? S_ADJ
                                                        : -1;
            if (ns < 0) {
                st = peer_err(p, TUMEN_SYNTAX, t, "unknown section tag");
                break;
            }
            st = peer_block_flush(p, &blk);
            if (st == TUMEN_OK) {
                st = peer_set_end(p, &cur);
            }
            sec = close ? S_NONE : ns;
            continue;
        }
        size_t m = peer_strip_comment(p, ln, n);
        if (m <= b) {
            continue;
        }
        const char *s = ln + b;
        size_t sn = m - b;
        switch (sec) {
        case S_SYN:
            st = synset_line(p, &cur, s, sn);
            continue;
        case S_NOUN:
        case S_ADJ:
            st = list_word(p, sec == S_NOUN ? "<noun>" : "<adjective>", s, sn);
            continue;
        case S_TIME:
        case S_ATTRIB:
            /* time-shift and attribution phrases: checked for syntax, not coded */
            if (s[0] != '-' && memchr(s, '[', sn) == NULL && sec == S_TIME) {
                st = peer_err(p, TUMEN_SYNTAX, s + sn, "missing '[' code");
            }
            continue;
        case S_NONE:
            break;
        }
        if (s[0] == '-') {
            st = tabari_pattern(p, &blk, s + 1, sn - 1);
        } else if (s[0] == '{') {
            st = tabari_forms(p, &blk, s, sn);
        } else if (s[0] == '&' || s[0] == '+') {
            st = peer_err(p, TUMEN_SYNTAX, s, "synset line outside <SYNSETS>");
        } else {
            st = peer_block_flush(p, &blk);
            if (st == TUMEN_OK) {
                st = tabari_root(p, &blk, s, sn);
            }
        }
    }
    if (st == TUMEN_OK) {
        st = peer_block_flush(p, &blk);
    }
    if (st == TUMEN_OK) {
        st = peer_set_end(p, &cur);
    }
    peer_block_fini(&blk);
    peer_set_fini(&cur);
    return st;
}

/* ---- entry points ---- */

static bool has_suffix(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    if (a < b) {
        return false;
    }
    for (size_t i = 0; i < b; i++) {
        if (peer_upper(s[a - b + i]) != peer_upper(suf[i])) {
            return false;
        }
    }
    return true;
}

tumen_status dict_load_tabari_project(struct tumen_dict *d, const char *path, tumen_error *err) {
    struct tabari_project pr;
    tumen_status st = tabari_project_load(&pr, path, err);
    if (st != TUMEN_OK) {
        return st;
    }
    char **lists[3] = {pr.verbs, pr.actors, pr.agents};
    size_t counts[3] = {pr.nverbs, pr.nactors, pr.nagents};
    for (int k = 0; k < 3 && st == TUMEN_OK; k++) {
        for (size_t i = 0; i < counts[k] && st == TUMEN_OK; i++) {
            st = dict_load_tabari(d, lists[k][i], err);
        }
    }
    if (st == TUMEN_OK && pr.options != NULL) {
        struct tabari_options o;
        tabari_options_init(&o);
        st = tabari_options_load(&o, pr.options, err);
    }
    tabari_project_fini(&pr);
    return st;
}

tumen_status dict_load_tabari(struct tumen_dict *d, const char *path, tumen_error *err) {
    return dict_load_tabari_ex(d, path, NULL, err);
}

tumen_status dict_load_tabari_ex(struct tumen_dict *d, const char *path,
                                 const struct dict_warner *w, tumen_error *err) {
    if (has_suffix(path, ".project")) {
        return dict_load_tabari_project(d, path, err);
    }
    if (has_suffix(path, ".options")) {
        struct tabari_options o;
        tabari_options_init(&o);
        return tabari_options_load(&o, path, err); /* validated; settings are per run */
    }
    char *text = NULL;
    size_t len = 0;
    tumen_status st = peer_read_file(path, &text, &len, err);
    if (st != TUMEN_OK) {
        return st;
    }
    struct peer p;
    peer_init(&p, d, path, PEER_TABARI, err);
    p.warn = w;
    if (has_suffix(path, ".verbs")) {
        st = tabari_verbs(&p, text, len);
    } else if (has_suffix(path, ".agents")) {
        st = tabari_agents(&p, text, len);
    } else if (has_suffix(path, ".actors")) {
        st = peer_load_actors(&p, text, len);
    } else {
        st = err_set(err, TUMEN_INVALID, path, 0, 0,
                     "not a TABARI dictionary (expected .actors, .agents, .verbs, .options "
                     "or .project)");
    }
    free(text);
    return st;
}
