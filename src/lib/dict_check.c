/* Dictionary lint: see dict_check.h. */
#include "dict_check.h"
#include "cameo.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* CAMEO 1.1b3 role and sector codes (manual, chapter 2), plus the religion and
 * organisation codes actor dictionaries combine with them. Sorted. */
static const char *const roles[] = {
    "AGR", "AMN", "ATH", "BAH", "BUD", "BUS", "CHR", "CON", "COP", "CRM", "CTH", "CVL",
    "DEV", "DOX", "EDU", "ELI", "ENV", "GOV", "GRP", "HIN", "HLH", "HRI", "IGO", "IMG",
    "INS", "INT", "IRC", "ITR", "JAN", "JEW", "JUD", "LAB", "LEG", "MAR", "MED", "MIL",
    "MNC", "MOD", "MOS", "MUS", "NGM", "NGO", "NRM", "OPP", "PKO", "PPL", "PRO", "PTY",
    "RAD", "REB", "REF", "REL", "SEP", "SET", "SHI", "SIK", "SPY", "SUN", "TAO", "UAF",
    "UIS", "UNO", "ZRO"};

bool cameo_role_known(const char *code3) {
    size_t lo = 0, hi = sizeof roles / sizeof roles[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(roles[mid], code3, 3);
        if (c == 0) {
            return true;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

struct lint {
    const struct tumen_dict *d;
    lint_fn fn;
    void *ctx;
    struct lint_counts *n;
};

__attribute__((format(printf, 4, 5))) static void report(struct lint *l, enum lint_severity sev,
                                                          const struct src *at, const char *fmt,
                                                          ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file = at->file < l->d->files_tab.n ? l->d->files[at->file] : "";
    if (sev == LINT_ERROR) {
        l->n->errors++;
    } else {
        l->n->warnings++;
    }
    l->fn(l->ctx, sev, file, at->line, 0, msg);
}

static const char *file_of(const struct tumen_dict *d, const struct src *s) {
    return s->file < d->files_tab.n ? d->files[s->file] : "";
}

/* ---- hashing of phrases and patterns ---- */

static uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

static uint64_t phrase_hash(const struct phrase *p, uint64_t h) {
    for (uint16_t i = 0; i < p->n; i++) {
        h = mix(h, ((uint64_t)p->w[i] << 8) | (p->f[i] & (PW_PREFIX | PW_GAP | TABARI_PW_EXACT)));
    }
    return mix(h, p->n);
}

static bool phrase_eq(const struct phrase *a, const struct phrase *b) {
    if (a->n != b->n) {
        return false;
    }
    for (uint16_t i = 0; i < a->n; i++) {
        uint8_t m = PW_PREFIX | PW_GAP | TABARI_PW_EXACT;
        if (a->w[i] != b->w[i] || (a->f[i] & m) != (b->f[i] & m)) {
            return false;
        }
    }
    return true;
}

static uint64_t elems_hash(const struct velem *e, uint16_t n, uint64_t h) {
    for (uint16_t i = 0; i < n; i++) {
        h = mix(h, ((uint64_t)e[i].value << 16) | ((uint64_t)e[i].kind << 8) | e[i].flags);
    }
    return mix(h, n);
}

static bool elems_eq(const struct velem *a, const struct velem *b, uint16_t n) {
    for (uint16_t i = 0; i < n; i++) {
        if (a[i].kind != b[i].kind || a[i].value != b[i].value || a[i].flags != b[i].flags) {
            return false;
        }
    }
    return true;
}

static uint64_t verb_hash(const struct vpattern *v) {
    uint64_t h = phrase_hash(&v->head, 1469598103934665603ull);
    h = elems_hash(v->pre, v->npre, h);
    return elems_hash(v->post, v->npost, mix(h, 77));
}

static bool verb_eq(const struct vpattern *a, const struct vpattern *b) {
    return a->npre == b->npre && a->npost == b->npost && phrase_eq(&a->head, &b->head) &&
           elems_eq(a->pre, b->pre, a->npre) && elems_eq(a->post, b->post, a->npost);
}

/* open addressing over entry indices; returns the first equal entry or inserts i */
struct table {
    uint32_t *slot; /* index + 1 */
    uint64_t *hash;
    size_t size;
};

static bool table_init(struct table *t, size_t n) {
    t->size = 16;
    while (t->size < n * 2) {
        t->size *= 2;
    }
    t->slot = calloc(t->size, sizeof *t->slot);
    t->hash = calloc(t->size, sizeof *t->hash);
    return t->slot != NULL && t->hash != NULL;
}

static void table_fini(struct table *t) {
    free(t->slot);
    free(t->hash);
}

/* ---- checks ---- */

static bool has_letter(const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) {
            return true;
        }
    }
    return false;
}

static void check_code(struct lint *l, const struct vpattern *v, const char *code) {
    if (code[0] != '\0' && cameo_find(code) == NULL) {
        report(l, LINT_ERROR, &v->src, "unknown CAMEO code %s", code);
    }
}

static void check_verbs(struct lint *l) {
    const struct tumen_dict *d = l->d;
    for (size_t i = 0; i < d->nverbs; i++) {
        const struct vpattern *v = &d->verbs[i];
        struct vcode vc;
        vcode_parse(v->code, &vc);
        if (vc.kind == VC_EVENT) {
            check_code(l, v, vc.primary);
            check_code(l, v, vc.paired);
            if (vc.primary[0] == '\0' && vc.paired[0] == '\0') {
                report(l, LINT_ERROR, &v->src, "empty event code");
            }
        }
        bool letters = false;
        for (uint16_t k = 0; k < v->head.n; k++) {
            letters = letters || has_letter(intern_str(&d->words, v->head.w[k]));
        }
        if (!letters) {
            report(l, LINT_ERROR, &v->src, "pattern can never fire: its head has no letters");
        }
        int src = 0, tgt = 0, act = 0;
        for (int side = 0; side < 2; side++) {
            const struct velem *e = side ? v->post : v->pre;
            uint16_t n = side ? v->npost : v->npre;
            for (uint16_t k = 0; k < n; k++) {
                src += e[k].kind == VE_SOURCE;
                tgt += e[k].kind == VE_TARGET;
                act += e[k].kind == VE_ACTOR;
                if (e[k].kind == VE_SET) {
                    if (e[k].value >= d->nsets) {
                        report(l, LINT_ERROR, &v->src, "pattern uses an undefined word set");
                    } else if (d->sets[e[k].value].nalts == 0) {
                        report(l, LINT_ERROR, &v->src,
                               "pattern can never fire: word set %s is empty",
                               intern_str(&d->words, d->sets[e[k].value].name));
                    }
                }
                if (e[k].kind == VE_SKIP) {
                    bool slot = false;
                    for (uint16_t q = k + 1; q < n && !slot; q++) {
                        slot = e[q].kind == VE_SOURCE || e[q].kind == VE_TARGET;
                    }
                    if (!slot) {
                        report(l, LINT_WARNING, &v->src, "'^' is not followed by a $ or + slot");
                    }
                }
            }
        }
        if (src > 1 || tgt > 1) {
            report(l, LINT_ERROR, &v->src,
                   "pattern can never fire: more than one %s slot", src > 1 ? "$" : "+");
        }
        if (act > 0 && (src > 0 || tgt > 0)) {
            report(l, LINT_WARNING, &v->src, "'%%' (both source and target) with a $ or + slot");
        }
    }
    /* duplicates and conflicts */
    struct table t;
    if (!table_init(&t, d->nverbs)) {
        table_fini(&t);
        return;
    }
    for (size_t i = 0; i < d->nverbs; i++) {
        const struct vpattern *v = &d->verbs[i];
        uint64_t h = verb_hash(v);
        size_t s = (size_t)h & (t.size - 1);
        while (t.slot[s] != 0) {
            const struct vpattern *o = &d->verbs[t.slot[s] - 1];
            if (t.hash[s] == h && verb_eq(v, o)) {
                break;
            }
            s = (s + 1) & (t.size - 1);
        }
        if (t.slot[s] == 0) {
            t.slot[s] = (uint32_t)i + 1;
            t.hash[s] = h;
            continue;
        }
        const struct vpattern *o = &d->verbs[t.slot[s] - 1];
        if (o->src.file == v->src.file && o->src.line == v->src.line) {
            continue; /* one source line expanded into several entries */
        }
        if (strcmp(o->code, v->code) == 0) {
            report(l, LINT_WARNING, &v->src, "duplicate pattern (also at %s:%u)", file_of(d, &o->src),
                   o->src.line);
        } else {
            report(l, LINT_ERROR, &v->src, "conflicting pattern: coded %s here and %s at %s:%u",
                   v->code, o->code, file_of(d, &o->src), o->src.line);
        }
    }
    table_fini(&t);
}

static int32_t role_end(int32_t to) {
    if (to == 0) {
        return INT32_MAX;
    }
    if (to % 10000 == 0) {
        return to + 1231;
    }
    if (to % 100 == 0) {
        return to + 31;
    }
    return to;
}

/* Ranges that share more than a boundary day (one role ending the day the next begins is
 * the usual way to write a succession). */
static bool overlap(const struct actor_role *a, const struct actor_role *b) {
    return a->from < role_end(b->to) && b->from < role_end(a->to);
}

static bool valid_actor_code(const char *c) {
    size_t part = 0;
    if (strcmp(c, "---") == 0 || strcmp(c, "###") == 0 || strcmp(c, "+++") == 0) {
        return true;
    }
    for (; *c; c++) {
        if (*c == '/') {
            if (part == 0) {
                return false;
            }
            part = 0;
        } else if ((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')) {
            part++;
        } else {
            return false;
        }
    }
    return part > 0;
}

static void check_actors(struct lint *l) {
    const struct tumen_dict *d = l->d;
    for (size_t i = 0; i < d->nactors; i++) {
        const struct actor *a = &d->actors[i];
        if (a->code[0] && !valid_actor_code(a->code)) {
            report(l, LINT_WARNING, &a->src, "actor code '%s' is not upper-case letters and digits",
                   a->code);
        }
        for (uint32_t r = 0; r < a->nroles; r++) {
            if (!valid_actor_code(a->roles[r].code)) {
                report(l, LINT_WARNING, &a->src,
                       "actor code '%s' is not upper-case letters and digits", a->roles[r].code);
            }
        }
    }
    /* roles of the same phrase (one entry's roles, or several entries with that phrase) */
    struct table t;
    if (!table_init(&t, d->nactors)) {
        table_fini(&t);
        return;
    }
    uint32_t *next = malloc((d->nactors ? d->nactors : 1) * sizeof *next);
    if (next == NULL) {
        table_fini(&t);
        return;
    }
    for (size_t i = 0; i < d->nactors; i++) {
        const struct actor *a = &d->actors[i];
        next[i] = UINT32_MAX;
        uint64_t h = phrase_hash(&a->ph, 7);
        size_t s = (size_t)h & (t.size - 1);
        while (t.slot[s] != 0) {
            const struct actor *o = &d->actors[t.slot[s] - 1];
            if (t.hash[s] == h && phrase_eq(&a->ph, &o->ph)) {
                break;
            }
            s = (s + 1) & (t.size - 1);
        }
        if (t.slot[s] == 0) {
            t.slot[s] = (uint32_t)i + 1;
            t.hash[s] = h;
        } else {
            /* chain i after the first entry with this phrase */
            uint32_t k = t.slot[s] - 1;
            while (next[k] != UINT32_MAX) {
                k = next[k];
            }
            next[k] = (uint32_t)i;
        }
    }
    for (size_t s = 0; s < t.size; s++) {
        if (t.slot[s] == 0) {
            continue;
        }
        size_t reported = 0;
        for (uint32_t i = t.slot[s] - 1; i != UINT32_MAX && reported < 3; i = next[i]) {
            const struct actor *a = &d->actors[i];
            for (uint32_t j = i; j != UINT32_MAX && reported < 3; j = next[j]) {
                const struct actor *b = &d->actors[j];
                for (uint32_t x = 0; x < a->nroles && reported < 3; x++) {
                    for (uint32_t y = (i == j ? x + 1 : 0); y < b->nroles && reported < 3; y++) {
                        const struct actor_role *ra = &a->roles[x], *rb = &b->roles[y];
                        if (overlap(ra, rb) && strcmp(ra->code, rb->code) != 0) {
                            report(l, LINT_ERROR, &b->src,
                                   "dated roles overlap for the same phrase: %s %d-%d and %s "
                                   "%d-%d (%s:%u)",
                                   ra->code, ra->from, ra->to, rb->code, rb->from, rb->to,
                                   file_of(d, &a->src), a->src.line);
                            reported++;
                        }
                    }
                }
                if (i != j && a->nroles == 0 && b->nroles == 0 && a->code[0] && b->code[0] &&
                    strcmp(a->code, b->code) != 0 && reported < 3) {
                    report(l, LINT_WARNING, &b->src,
                           "phrase coded %s here and %s at %s:%u (the first one wins)", b->code,
                           a->code, file_of(d, &a->src), a->src.line);
                    reported++;
                }
            }
        }
    }
    free(next);
    table_fini(&t);
}

static void check_agents(struct lint *l) {
    const struct tumen_dict *d = l->d;
    for (size_t i = 0; i < d->nagents; i++) {
        const struct agent *a = &d->agents[i];
        size_t n = strlen(a->code);
        if (n == 0 || n % 3 != 0) {
            report(l, LINT_ERROR, &a->src, "agent code '%s' is not a sequence of 3-letter codes",
                   a->code);
            continue;
        }
        for (size_t k = 0; k < n; k += 3) {
            if (!cameo_role_known(a->code + k)) {
                report(l, LINT_ERROR, &a->src, "unknown agent code %.3s in '%s'", a->code + k,
                       a->code);
                break;
            }
        }
    }
}

static void check_sets(struct lint *l) {
    const struct tumen_dict *d = l->d;
    for (size_t i = 0; i < d->nsets; i++) {
        if (d->sets[i].nalts == 0) {
            struct src none = {0, 0};
            report(l, LINT_ERROR, &none, "word set %s is empty",
                   intern_str(&d->words, d->sets[i].name));
        }
    }
}

tumen_status dict_lint(const struct tumen_dict *d, lint_fn fn, void *ctx, struct lint_counts *n) {
    struct lint_counts local = {0, 0};
    struct lint l = {d, fn, ctx, n ? n : &local};
    check_verbs(&l);
    check_actors(&l);
    check_agents(&l);
    check_sets(&l);
    return TUMEN_OK;
}

/* ---- loading with warnings ---- */

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static tumen_status load_one(struct tumen_dict *d, const char *path, bool in_dir,
                             const struct dict_warner *w,
                             void (*on_error)(void *ctx, const tumen_error *e), void *ctx) {
    tumen_error err;
    memset(&err, 0, sizeof err);
    char head[4096];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        err_set(&err, TUMEN_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        on_error(ctx, &err);
        return TUMEN_IO;
    }
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    tumen_dict_format fmt = dict_detect(path, head, n);
    if (fmt == TUMEN_DICT_AUTO) {
        if (in_dir) {
            return TUMEN_OK;
        }
        err_set(&err, TUMEN_INVALID, path, 0, 0,
                "cannot tell the dictionary format from the file name");
        on_error(ctx, &err);
        return TUMEN_INVALID;
    }
    struct dict_mark m;
    dict_mark(d, &m);
    tumen_status st;
    if (fmt == TUMEN_DICT_TABARI) {
        st = dict_load_tabari_ex(d, path, w, &err);
    } else if (fmt == TUMEN_DICT_PETRARCH) {
        st = dict_load_petrarch_ex(d, path, w, &err);
    } else {
        st = dict_load_tumen(d, path, &err);
    }
    if (st != TUMEN_OK) {
        dict_rollback(d, &m);
        on_error(ctx, &err);
    }
    return st;
}

tumen_status dict_check_load(struct tumen_dict *d, const char *path, const struct dict_warner *w,
                             void (*on_error)(void *ctx, const tumen_error *e), void *ctx) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        tumen_error err;
        memset(&err, 0, sizeof err);
        err_set(&err, TUMEN_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        on_error(ctx, &err);
        return TUMEN_IO;
    }
    if (!S_ISDIR(sb.st_mode)) {
        return load_one(d, path, false, w, on_error, ctx);
    }
    char **names = NULL;
    size_t nn = 0;
    tumen_status last = dir_list(path, &names, &nn);
    if (last == TUMEN_IO) {
        tumen_error err;
        memset(&err, 0, sizeof err);
        err_set(&err, TUMEN_IO, path, 0, 0, "cannot open directory: %s", strerror(errno));
        on_error(ctx, &err);
        return TUMEN_IO;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nn; i++) {
            if ((pass == 0) != ends_with(names[i], ".sets")) {
                continue;
            }
            struct stat fs;
            if (stat(names[i], &fs) != 0) {
                continue;
            }
            tumen_status st = TUMEN_OK;
            if (S_ISDIR(fs.st_mode)) {
                if (pass == 1) {
                    st = dict_check_load(d, names[i], w, on_error, ctx);
                }
            } else {
                st = load_one(d, names[i], true, w, on_error, ctx);
            }
            if (st != TUMEN_OK) {
                last = st;
            }
        }
    }
    dir_list_free(names, nn);
    return last;
}
