/* Runs tests/spec/*.spec: sentences with the events the coder must produce (see the header
 * of tests/spec/coder.spec). Uses tumen's own dictionaries in data/. */
#include "harness.h"
#include "tumen.h"

#include <dirent.h>

struct expect {
    char src[24], tgt[24], code[8], mod[16];
};

struct spec_case {
    char date[16];
    char *text;
    struct expect ex[16];
    int nex;
    int none;
    int line;
    const char *file;
};

struct got {
    tumen_event ev[64];
    int n;
};

static int collect(void *ctx, const tumen_event *ev) {
    struct got *g = ctx;
    if (g->n < 64) {
        g->ev[g->n++] = *ev;
    }
    return 0;
}

static tumen_dict *D;
static tumen_coder *C;
static int cases_failed;

static int same_event(const struct expect *e, const tumen_event *ev) {
    size_t cl = strlen(e->code);
    int code_ok = cl == 2 ? strncmp(ev->code, e->code, 2) == 0 : strcmp(ev->code, e->code) == 0;
    return strcmp(e->src, ev->source) == 0 && strcmp(e->tgt, ev->target) == 0 && code_ok &&
           strcmp(e->mod, tumen_modality_name(ev->modality)) == 0;
}

static void run_case(const struct spec_case *sc) {
    tumen_doc doc = {"spec", sc->text, strlen(sc->text), sc->date[0] ? sc->date : NULL, NULL,
                     NULL};
    struct got g;
    g.n = 0;
    tumen_error err;
    memset(&err, 0, sizeof err);
    tumen_status st = tumen_coder_code(C, &doc, collect, &g, &err);
    int bad = st != TUMEN_OK;
    int used[64] = {0};
    for (int i = 0; i < sc->nex && !bad; i++) {
        int found = 0;
        for (int j = 0; j < g.n; j++) {
            if (!used[j] && same_event(&sc->ex[i], &g.ev[j])) {
                used[j] = 1;
                found = 1;
                break;
            }
        }
        if (!found) {
            fprintf(stderr, "%s:%d: missing %s %s %s %s\n", sc->file, sc->line, sc->ex[i].src,
                    sc->ex[i].tgt, sc->ex[i].code, sc->ex[i].mod);
            bad = 1;
        }
    }
    for (int j = 0; j < g.n; j++) {
        if (!used[j]) {
            fprintf(stderr, "%s:%d: unexpected %s %s %s %s\n", sc->file, sc->line,
                    g.ev[j].source, g.ev[j].target, g.ev[j].code,
                    tumen_modality_name(g.ev[j].modality));
            bad = 1;
        }
    }
    if (bad) {
        fprintf(stderr, "%s:%d: case failed: %s\n", sc->file, sc->line, sc->text);
        cases_failed++;
    }
}

static void run_file(const char *path, const char *label) {
    FILE *f = fopen(path, "r");
    ASSERT_NOT_NULL(f);
    char line[8192];
    struct spec_case sc;
    memset(&sc, 0, sizeof sc);
    sc.file = label;
    int lineno = 0, ncases = 0;
    for (;;) {
        char *r = fgets(line, sizeof line, f);
        lineno++;
        size_t n = r ? strlen(line) : 0;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
            line[--n] = '\0';
        }
        if (r == NULL || n == 0) {
            if (sc.text != NULL) {
                run_case(&sc);
                ncases++;
                free(sc.text);
            }
            memset(&sc, 0, sizeof sc);
            sc.file = label;
            if (r == NULL) {
                break;
            }
            continue;
        }
        if (line[0] == '#') {
            continue;
        }
        if (strncmp(line, "date: ", 6) == 0) {
            snprintf(sc.date, sizeof sc.date, "%s", line + 6);
        } else if (strncmp(line, "text: ", 6) == 0) {
            sc.text = strdup(line + 6);
            sc.line = lineno;
        } else if (strcmp(line, "expect: none") == 0) {
            sc.none = 1;
        } else if (strncmp(line, "expect: ", 8) == 0 && sc.nex < 16) {
            struct expect *e = &sc.ex[sc.nex++];
            if (sscanf(line + 8, "%23s %23s %7s %15s", e->src, e->tgt, e->code, e->mod) != 4) {
                fprintf(stderr, "%s:%d: bad expect line\n", label, lineno);
                cases_failed++;
            }
        } else {
            fprintf(stderr, "%s:%d: unknown line\n", label, lineno);
            cases_failed++;
        }
    }
    fclose(f);
    ASSERT_TRUE(ncases > 0);
}

TEST(spec_files) {
    const char *dir = TUMEN_SOURCE_DIR "/tests/spec";
    DIR *d = opendir(dir);
    ASSERT_NOT_NULL(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".spec") == 0) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            run_file(path, e->d_name);
            files++;
        }
    }
    closedir(d);
    ASSERT_TRUE(files > 0);
    ASSERT_EQ_INT(cases_failed, 0);
}

int main(void) {
    tumen_error err;
    memset(&err, 0, sizeof err);
    if (tumen_dict_new(&D) != TUMEN_OK ||
        tumen_dict_load(D, TUMEN_SOURCE_DIR "/data", TUMEN_DICT_AUTO, &err) != TUMEN_OK ||
        tumen_dict_finish(D, &err) != TUMEN_OK) {
        fprintf(stderr, "cannot load data/: %s:%llu:%llu: %s\n", err.file,
                (unsigned long long)err.line, (unsigned long long)err.col, err.msg);
        return 1;
    }
    if (tumen_coder_new(D, NULL, &C) != TUMEN_OK) {
        return 1;
    }
    RUN(spec_files);
    tumen_coder_free(C);
    tumen_dict_free(D);
    return harness_summary();
}
