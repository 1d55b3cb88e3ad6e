/* Verb and noun forms through WordNet's morphology.
 *
 * WordNet's morphy() finds a base form by (1) its exception lists (verb.exc, noun.exc:
 * "sent send", "fought fight", "abetted abet") and (2) regular detachment rules
 * (-s, -es, -ies, -ed, -ing ...). We run the same knowledge in the generating direction
 * once, when a dictionary is finished: for each head lemma we add its regular inflections
 * and every exception-list form whose base is that lemma. Matching then needs one hash
 * lookup per token and no WordNet call, so it is fast and thread-safe (libwordnet keeps
 * global state and prints on errors, so we read its data files rather than calling it).
 *
 * The data directory is $WNSEARCHDIR, else /usr/share/wordnet (Debian wordnet-base). */
#include "dict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static tumen_status add_form(struct tumen_dict *d, const char *s, size_t n, uint32_t lemma) {
    uint32_t id = intern_add(&d->words, s, n);
    if (id == TUMEN_NOID) {
        return TUMEN_NOMEM;
    }
    if (id == lemma) {
        return TUMEN_OK;
    }
    return dict_add_form(d, id, lemma);
}

static tumen_status add_suffixed(struct tumen_dict *d, const char *w, size_t keep,
                                 const char *suf, uint32_t lemma) {
    char tmp[256];
    size_t sl = strlen(suf);
    if (keep + sl >= sizeof tmp) {
        return TUMEN_OK;
    }
    memcpy(tmp, w, keep);
    memcpy(tmp + keep, suf, sl);
    return add_form(d, tmp, keep + sl, lemma);
}

/* Regular inflections of w (verb: -s, -ed, -ing; noun: plural). */
static tumen_status regular_forms(struct tumen_dict *d, const char *w, size_t n, uint32_t lemma) {
    if (n < 2) {
        return TUMEN_OK;
    }
    for (size_t i = 0; i < n; i++) {
        char c = w[i];
        if (!((c >= 'a' && c <= 'z') || c == '-')) {
            return TUMEN_OK; /* numbers, punctuation: no inflection */
        }
    }
    char last = w[n - 1], prev = w[n - 2];
    tumen_status st = TUMEN_OK;
    /* third person singular / plural */
    if (last == 's' || last == 'x' || last == 'z' || last == 'o' ||
        (last == 'h' && (prev == 'c' || prev == 's'))) {
        st = add_suffixed(d, w, n, "es", lemma);
    } else if (last == 'y' && !is_vowel(prev)) {
        st = add_suffixed(d, w, n - 1, "ies", lemma);
    } else {
        st = add_suffixed(d, w, n, "s", lemma);
    }
    /* past / participle */
    if (st == TUMEN_OK) {
        if (last == 'e') {
            st = add_suffixed(d, w, n, "d", lemma);
        } else if (last == 'y' && !is_vowel(prev)) {
            st = add_suffixed(d, w, n - 1, "ied", lemma);
        } else {
            st = add_suffixed(d, w, n, "ed", lemma);
        }
    }
    /* gerund */
    if (st == TUMEN_OK) {
        if (n >= 3 && last == 'e' && prev == 'i') {
            char tmp[256];
            if (n + 2 < sizeof tmp) {
                memcpy(tmp, w, n - 2);
                memcpy(tmp + n - 2, "ying", 4);
                st = add_form(d, tmp, n + 2, lemma);
            }
        } else if (last == 'e' && prev != 'e' && prev != 'y' && prev != 'o') {
            st = add_suffixed(d, w, n - 1, "ing", lemma);
        } else {
            st = add_suffixed(d, w, n, "ing", lemma);
        }
    }
    return st;
}

struct exc {
    char *data;
    size_t len;
};

static bool read_exc(const char *dir, const char *name, struct exc *out) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return false;
    }
    struct buf b;
    buf_init(&b, (size_t)64 << 20);
    char chunk[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (buf_add(&b, chunk, n) != TUMEN_OK) {
            ok = false;
            break;
        }
    }
    fclose(f);
    if (!ok || b.data == NULL) {
        buf_fini(&b);
        return false;
    }
    out->data = b.data;
    out->len = b.len;
    return true;
}

/* For each exception line "inflected base [base2]" whose base is a head lemma (is_head),
 * add inflected -> base. Words are lower case with '_' for blanks in WordNet; we skip
 * multiword entries. */
static tumen_status apply_exc(struct tumen_dict *d, const struct exc *x, const uint8_t *is_head,
                              size_t nheads) {
    size_t i = 0;
    while (i < x->len) {
        size_t eol = i;
        while (eol < x->len && x->data[eol] != '\n') {
            eol++;
        }
        size_t a = i;
        while (a < eol && x->data[a] != ' ') {
            a++;
        }
        const char *infl = x->data + i;
        size_t ninfl = a - i;
        size_t p = a;
        while (p < eol) {
            while (p < eol && x->data[p] == ' ') {
                p++;
            }
            size_t q = p;
            while (q < eol && x->data[q] != ' ') {
                q++;
            }
            if (q > p && memchr(infl, '_', ninfl) == NULL) {
                uint32_t base = intern_find(&d->words, x->data + p, q - p);
                if (base != TUMEN_NOID && base < nheads && is_head[base]) {
                    tumen_status st = add_form(d, infl, ninfl, base);
                    if (st != TUMEN_OK) {
                        return st;
                    }
                }
            }
            p = q;
        }
        i = eol + 1;
    }
    return TUMEN_OK;
}

tumen_status lexicon_generate(struct tumen_dict *d, tumen_error *err) {
    if (d->nverbs == 0) {
        return TUMEN_OK;
    }
    size_t nheads = d->words.n;
    uint8_t *is_head = calloc(nheads ? nheads : 1, 1);
    if (is_head == NULL) {
        return err_set(err, TUMEN_NOMEM, "", 0, 0, "out of memory");
    }
    for (size_t i = 0; i < d->nverbs; i++) {
        const struct vpattern *v = &d->verbs[i];
        if (v->head.n > 0 && v->head.w[0] < nheads) {
            is_head[v->head.w[0]] = 1;
        }
    }
    tumen_status st = TUMEN_OK;
    for (size_t w = 0; w < nheads && st == TUMEN_OK; w++) {
        if (is_head[w]) {
            const char *s = d->words.strs[w];
            st = regular_forms(d, s, d->words.lens[w], (uint32_t)w);
        }
    }
    const char *dir = getenv("WNSEARCHDIR");
    if (dir == NULL || *dir == '\0') {
        dir = "/usr/share/wordnet";
    }
    struct exc verb = {0}, noun = {0};
    if (st == TUMEN_OK) {
        if (!read_exc(dir, "verb.exc", &verb) || !read_exc(dir, "noun.exc", &noun)) {
            st = err_set(err, TUMEN_NOTFOUND, dir, 0, 0,
                         "WordNet exception lists (verb.exc, noun.exc) not found; install "
                         "Debian's wordnet-base or set WNSEARCHDIR");
        }
    }
    if (st == TUMEN_OK) {
        st = apply_exc(d, &verb, is_head, nheads);
    }
    if (st == TUMEN_OK) {
        st = apply_exc(d, &noun, is_head, nheads);
    }
    free(verb.data);
    free(noun.data);
    free(is_head);
    if (st == TUMEN_NOMEM) {
        return err_set(err, st, "", 0, 0, "out of memory");
    }
    return st;
}
