/* Text stage: tokens and sentences with byte offsets into the original document.
 *
 * Tokens: words (letters, digits, inner apostrophes), numbers ("14,000", "1.5", "1990s"),
 * initialisms kept whole ("U.S.", "D.P.R.K."), clitics split off ("'s", "n't", "'ll"),
 * hyphens split ("Russia-DPRK" = russia - dprk), every other punctuation mark alone,
 * "..." and "…" as one token. Normalised forms: NFKC + case fold + marks stripped, with
 * typographic quotes and dashes folded to ASCII (utf8proc leaves those alone).
 *
 * Sentences end at . ! ? ... when what follows starts a sentence (capital, digit, quote,
 * bracket, end of text) and the period does not belong to an abbreviation or an initial;
 * closing quotes and brackets stay with the sentence they close. A line break ends a
 * sentence unless the next line continues it (starts in lower case after a line that does
 * not end a sentence), which keeps hard-wrapped text together. */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void text_init(struct text *t) {
    memset(t, 0, sizeof *t);
    buf_init(&t->norm, 0);
}

void text_fini(struct text *t) {
    free(t->toks);
    free(t->sents);
    buf_fini(&t->norm);
    memset(t, 0, sizeof *t);
}

/* ---- code points ---- */

static inline int32_t decode(const unsigned char *s, size_t len, size_t i, size_t *n) {
    if (s[i] < 0x80) { /* ASCII: most of the text */
        *n = 1;
        return s[i];
    }
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (k <= 0) {
        *n = 1;
        return -1;
    }
    *n = (size_t)k;
    return cp;
}

static bool is_space_cp(int32_t c) {
    if (c < 0x80) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F ||
           c == 0x3000 || c == 0xFEFF || c == 0x2028 || c == 0x2029 || c == 0x85;
}

static bool is_letter_cp(int32_t c) {
    if (c < 0x80) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO ? true
           : cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC;
}

static bool is_digit_cp(int32_t c) {
    return c >= '0' && c <= '9';
}

static bool is_upper_cp(int32_t c) {
    if (c < 0x80) {
        return c >= 'A' && c <= 'Z';
    }
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LU ||
           utf8proc_category(c) == UTF8PROC_CATEGORY_LT;
}

static bool is_apostrophe_cp(int32_t c) {
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x2032;
}

static bool is_dquote_cp(int32_t c) {
    return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x201F ||
           c == 0x00AB || c == 0x00BB || c == 0x2033 || c == 0x301D || c == 0x301E;
}

static bool is_dash_cp(int32_t c) {
    return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63 ||
           c == 0xFF0D;
}

/* utf8proc custom mapping: fold typographic quotes and dashes to ASCII. */
static utf8proc_int32_t fold_punct(utf8proc_int32_t c, void *data) {
    (void)data;
    if (c < 0x80) {
        return c;
    }
    if (is_apostrophe_cp(c) || c == 0x201A || c == 0x201B) {
        return '\'';
    }
    if (is_dquote_cp(c)) {
        return '"';
    }
    if (is_dash_cp(c)) {
        return '-';
    }
    if (c == 0x2026) {
        return c; /* NFKC turns it into "..." */
    }
    return c;
}

tumen_status text_normalize(const char *s, size_t n, struct buf *out) {
    bool ascii = true;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        size_t start = out->len;
        tumen_status st = buf_add(out, s, n);
        if (st != TUMEN_OK) {
            return st;
        }
        for (size_t i = start; i < out->len; i++) {
            char c = out->data[i];
            if (c >= 'A' && c <= 'Z') {
                out->data[i] = (char)(c + 32);
            }
        }
        return TUMEN_OK;
    }
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t r = utf8proc_map_custom(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
            UTF8PROC_STRIPMARK | UTF8PROC_IGNORE,
        fold_punct, NULL);
    if (r < 0) {
        free(dst);
        return r == UTF8PROC_ERROR_NOMEM ? TUMEN_NOMEM : TUMEN_UTF8;
    }
    tumen_status st = buf_add(out, dst, (size_t)r);
    free(dst);
    return st;
}

/* ---- tokens ---- */

struct wc_entry {
    const char *w;
    uint16_t cls;
};

/* Sorted by word for bsearch. */
static const struct wc_entry word_classes[] = {
    {"a", WC_DET}, {"aboard", WC_PREP}, {"about", WC_PREP}, {"across", WC_PREP},
    {"after", WC_SUB}, {"against", WC_PREP}, {"along", WC_PREP}, {"alongside", WC_PREP},
    {"although", WC_SUB}, {"am", WC_BE}, {"amid", WC_PREP}, {"amidst", WC_PREP},
    {"among", WC_PREP}, {"an", WC_DET}, {"and", WC_AND}, {"any", WC_DET}, {"are", WC_BE},
    {"around", WC_PREP}, {"as", WC_SUB}, {"at", WC_PREP}, {"atop", WC_PREP}, {"be", WC_BE},
    {"because", WC_SUB}, {"been", WC_BE}, {"before", WC_SUB}, {"behind", WC_PREP},
    {"being", WC_BE}, {"beneath", WC_PREP}, {"beside", WC_PREP}, {"between", WC_BETWEEN},
    {"beyond", WC_PREP}, {"but", WC_SUB}, {"by", WC_BY}, {"can", WC_MODAL},
    {"concerning", WC_PREP}, {"could", WC_MODAL}, {"despite", WC_PREP}, {"during", WC_PREP},
    {"except", WC_PREP}, {"for", WC_PREP}, {"from", WC_PREP}, {"had", WC_HAVE},
    {"has", WC_HAVE}, {"have", WC_HAVE}, {"having", WC_HAVE}, {"he", WC_PRON}, {"her", WC_DET},
    {"him", WC_PRON}, {"his", WC_DET}, {"i", WC_PRON}, {"if", WC_SUB}, {"in", WC_PREP},
    {"inside", WC_PREP}, {"into", WC_PREP}, {"is", WC_BE}, {"it", WC_PRON}, {"its", WC_DET},
    {"may", WC_MODAL}, {"might", WC_MODAL}, {"must", WC_MODAL}, {"n't", WC_NOT},
    {"near", WC_PREP}, {"never", WC_NOT}, {"no", WC_NOT}, {"nor", WC_OR}, {"not", WC_NOT},
    {"of", WC_PREP}, {"on", WC_PREP}, {"onto", WC_PREP}, {"or", WC_OR}, {"outside", WC_PREP},
    {"over", WC_PREP}, {"per", WC_PREP}, {"regarding", WC_PREP}, {"shall", WC_MODAL},
    {"she", WC_PRON}, {"should", WC_MODAL}, {"since", WC_SUB}, {"some", WC_DET},
    {"such", WC_DET}, {"than", WC_PREP}, {"that", WC_REL}, {"the", WC_DET}, {"their", WC_DET},
    {"them", WC_PRON}, {"these", WC_DET}, {"they", WC_PRON}, {"this", WC_DET},
    {"those", WC_DET}, {"though", WC_SUB}, {"through", WC_PREP}, {"throughout", WC_PREP},
    {"to", WC_PREP}, {"toward", WC_PREP}, {"towards", WC_PREP}, {"under", WC_PREP},
    {"underneath", WC_PREP}, {"unless", WC_SUB}, {"upon", WC_PREP}, {"us", WC_PRON},
    {"versus", WC_PREP}, {"via", WC_PREP}, {"was", WC_BE}, {"we", WC_PRON}, {"were", WC_BE},
    {"when", WC_SUB}, {"whereas", WC_SUB}, {"which", WC_REL}, {"while", WC_SUB},
    {"who", WC_REL}, {"whom", WC_REL}, {"whose", WC_REL}, {"will", WC_MODAL}, {"with", WC_PREP},
    {"within", WC_PREP}, {"without", WC_PREP}, {"would", WC_MODAL}, {"you", WC_PRON},
};

static int cmp_wc(const void *key, const void *elt) {
    return strcmp((const char *)key, ((const struct wc_entry *)elt)->w);
}

uint16_t text_word_class(const char *w, size_t n) {
    if (n == 0 || n > 10) {
        return WC_NONE;
    }
    const struct wc_entry *e = bsearch(w, word_classes, sizeof word_classes / sizeof word_classes[0],
                                       sizeof word_classes[0], cmp_wc);
    return e ? e->cls : WC_NONE;
}

const char *text_class_word(size_t i) {
    return i < sizeof word_classes / sizeof word_classes[0] ? word_classes[i].w : NULL;
}

static tumen_status push_tok(struct text *t, const char *doc, size_t off, size_t len,
                             uint16_t flags) {
    if (off > UINT32_MAX || len > UINT32_MAX) {
        return TUMEN_LIMIT;
    }
    if (t->ntoks == t->cap_toks &&
        !grow((void **)&t->toks, &t->cap_toks, t->ntoks + 1, sizeof *t->toks)) {
        return TUMEN_NOMEM;
    }
    struct tok *k = &t->toks[t->ntoks];
    memset(k, 0, sizeof *k);
    k->off = (uint32_t)off;
    k->len = (uint32_t)len;
    k->flags = flags;
    k->id = k->lemma = k->lemma2 = k->pfx = TUMEN_NOID;
    size_t start = t->norm.len;
    tumen_status st = TUMEN_OK;
    /* fast path: ASCII token, lower-cased straight into the buffer */
    if (!(flags & (TF_QUOTE | TF_HYPHEN)) && t->norm.cap - t->norm.len > len + 1) {
        const unsigned char *src = (const unsigned char *)doc + off;
        char *dst = t->norm.data + t->norm.len;
        size_t i = 0;
        for (; i < len; i++) {
            unsigned char ch = src[i];
            if (ch >= 0x80) {
                break;
            }
            dst[i] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
        }
        if (i == len) {
            dst[len] = '\0';
            t->norm.len += len + 1;
            k->norm = (uint32_t)start;
            k->nlen = (uint32_t)len;
            k->cls = WC_NONE;
            t->ntoks++;
            return TUMEN_OK;
        }
    }
    if (flags & TF_QUOTE) {
        st = buf_addc(&t->norm, '"');
    } else if (flags & TF_HYPHEN) {
        st = buf_addc(&t->norm, '-');
    } else {
        st = text_normalize(doc + off, len, &t->norm);
    }
    if (st == TUMEN_OK) {
        st = buf_addc(&t->norm, '\0');
    }
    if (st != TUMEN_OK) {
        return st;
    }
    if (start > UINT32_MAX || t->norm.len - start - 1 > UINT32_MAX) {
        return TUMEN_LIMIT;
    }
    k->norm = (uint32_t)start;
    k->nlen = (uint32_t)(t->norm.len - start - 1);
    k->cls = WC_NONE; /* set from the dictionary's table in match_lookup */
    t->ntoks++;
    return TUMEN_OK;
}

/* Length of a clitic starting at s[i] (an apostrophe) inside a word: 's 're 've 'll 'd 'm,
 * or 0. after is the byte after the clitic. */
static size_t clitic_len(const unsigned char *s, size_t len, size_t i, size_t alen) {
    size_t j = i + alen;
    static const char *const cl[] = {"s", "re", "ve", "ll", "d", "m"};
    for (size_t c = 0; c < sizeof cl / sizeof cl[0]; c++) {
        size_t m = strlen(cl[c]);
        if (j + m <= len) {
            bool same = true;
            for (size_t x = 0; x < m; x++) {
                unsigned char ch = s[j + x];
                if (ch >= 'A' && ch <= 'Z') {
                    ch = (unsigned char)(ch + 32);
                }
                if (ch != (unsigned char)cl[c][x]) {
                    same = false;
                    break;
                }
            }
            if (same) {
                size_t n2;
                int32_t next = j + m < len ? decode(s, len, j + m, &n2) : ' ';
                if (!is_letter_cp(next) && !is_digit_cp(next)) {
                    return alen + m;
                }
            }
        }
    }
    return 0;
}

static bool word_char(int32_t c) {
    return is_letter_cp(c) || is_digit_cp(c);
}

/* Scans a word starting at i (a letter). Returns its end; sets *initialism for "U.S.". */
static size_t scan_word(const unsigned char *s, size_t len, size_t i, bool *initialism) {
    *initialism = false;
    /* initialisms: L.L.(L.)* */
    {
        size_t j = i, letters = 0;
        for (;;) {
            size_t n;
            int32_t c = j < len ? decode(s, len, j, &n) : -1;
            if (!is_letter_cp(c) || j + n >= len || s[j + n] != '.') {
                break;
            }
            size_t n2;
            int32_t after = j + n + 1 < len ? decode(s, len, j + n + 1, &n2) : -1;
            (void)n2;
            letters++;
            j += n + 1;
            if (!is_letter_cp(after)) {
                break;
            }
            /* the next letter must itself be a single letter followed by '.' */
            size_t n3;
            decode(s, len, j, &n3);
            if (j + n3 >= len || s[j + n3] != '.') {
                /* "U.Sx" — not an initialism continuation; stop before it */
                break;
            }
        }
        if (letters >= 2) {
            *initialism = true;
            return j;
        }
    }
    /* the clitic "n't" on its own (after scan_word backed up over its 'n') */
    if ((s[i] == 'n' || s[i] == 'N') && i + 1 < len) {
        size_t an;
        int32_t ap = decode(s, len, i + 1, &an);
        if (is_apostrophe_cp(ap) && i + 1 + an < len &&
            (s[i + 1 + an] == 't' || s[i + 1 + an] == 'T')) {
            size_t n2;
            int32_t after = i + 2 + an < len ? decode(s, len, i + 2 + an, &n2) : ' ';
            if (!word_char(after)) {
                return i + 2 + an;
            }
        }
    }
    size_t j = i;
    while (j < len) {
        size_t n;
        int32_t c = decode(s, len, j, &n);
        if (word_char(c)) {
            j += n;
            continue;
        }
        if (is_apostrophe_cp(c)) {
            /* n't: the apostrophe is preceded by 'n' which belongs to the clitic */
            if (clitic_len(s, len, j, n) > 0) {
                break;
            }
            if (j > i && (s[j - 1] == 'n' || s[j - 1] == 'N') && j + n < len &&
                (s[j + n] == 't' || s[j + n] == 'T')) {
                size_t n2;
                int32_t after = j + n + 1 < len ? decode(s, len, j + n + 1, &n2) : ' ';
                if (!word_char(after)) {
                    /* back up over the 'n' unless it is the whole word ("n't") */
                    if (j - 1 > i) {
                        return j - 1;
                    }
                    break;
                }
            }
            size_t n2;
            int32_t after = j + n < len ? decode(s, len, j + n, &n2) : -1;
            if (is_letter_cp(after)) { /* o'brien, d'ivoire */
                j += n;
                continue;
            }
            break;
        }
        break;
    }
    return j;
}

static size_t scan_number(const unsigned char *s, size_t len, size_t i) {
    size_t j = i;
    while (j < len) {
        unsigned char c = s[j];
        if (c >= '0' && c <= '9') {
            j++;
            continue;
        }
        if ((c == ',' || c == '.') && j + 1 < len && s[j + 1] >= '0' && s[j + 1] <= '9') {
            j++;
            continue;
        }
        break;
    }
    /* decades "1990s", ordinals "14th" stay attached; other letters are split ("20bn") */
    if (j < len) {
        size_t k = j;
        while (k < len && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) {
            k++;
        }
        size_t m = k - j;
        bool next_word = k < len && ((s[k] >= '0' && s[k] <= '9') || s[k] >= 0x80);
        if (!next_word && m > 0 && m <= 2) {
            char a = (char)(s[j] | 0x20), b = m == 2 ? (char)(s[j + 1] | 0x20) : 0;
            if ((m == 1 && a == 's') || (m == 2 && ((a == 's' && b == 't') ||
                                                    (a == 'n' && b == 'd') ||
                                                    (a == 'r' && b == 'd') ||
                                                    (a == 't' && b == 'h')))) {
                return k;
            }
        }
    }
    return j;
}

/* ---- sentence boundaries ---- */

static bool is_abbrev(const char *w, size_t n) {
    static const char *const ab[] = {
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt",
        "adm", "cmdr", "gov", "sen", "rep", "rev", "st", "jr", "sr", "messrs", "hon",
        "pres", "amb", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "no", "nos", "vs", "v", "etc", "approx", "est", "fig", "vol", "pp",
        "inc", "ltd", "co", "corp", "dept", "univ", "assn", "bros", "mt", "ft", "e.g", "i.e",
        "cf", "al", "ca"};
    for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++) {
        if (ab[i][0] == w[0] && strlen(ab[i]) == n && memcmp(ab[i], w, n) == 0) {
            return true;
        }
    }
    return false;
}

/* Words after "U.S." that begin a new sentence rather than continue the noun phrase. */
static bool is_sentence_starter(const char *w, size_t n) {
    static const char *const st[] = {"the", "it", "in", "but", "this", "that", "he", "she",
                                     "they", "we", "a", "an", "on", "at", "however",
                                     "meanwhile", "its", "their", "his", "her", "there",
                                     "since", "after", "before", "when", "while", "as",
                                     "moscow", "pyongyang", "north", "south", "russia"};
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        if (st[i][0] == w[0] && strlen(st[i]) == n && memcmp(st[i], w, n) == 0) {
            return true;
        }
    }
    return false;
}

static bool is_closer(const struct text *t, const struct tok *k) {
    const char *w = tok_norm(t, k);
    return k->nlen == 1 && (w[0] == ')' || w[0] == ']' || w[0] == '}' || w[0] == '"' ||
                            w[0] == '\'');
}

static tumen_status push_sent(struct text *t, size_t first, size_t end) {
    if (end <= first) {
        return TUMEN_OK;
    }
    size_t max = t->max_tokens ? t->max_tokens : 4096;
    for (size_t a = first; a < end; a += max) {
        size_t b = end - a > max ? a + max : end;
        if (!grow((void **)&t->sents, &t->cap_sents, t->nsents + 1, sizeof *t->sents)) {
            return TUMEN_NOMEM;
        }
        struct sent *s = &t->sents[t->nsents++];
        s->first = (uint32_t)a;
        s->n = (uint32_t)(b - a);
        s->off = t->toks[a].off;
        s->len = t->toks[b - 1].off + t->toks[b - 1].len - s->off;
        t->toks[a].flags |= TF_SENT_START;
    }
    return TUMEN_OK;
}

/* Does a line break between token k-1 and k end the sentence? */
static bool newline_breaks(const struct text *t, const char *doc, size_t k) {
    const struct tok *prev = &t->toks[k - 1];
    const struct tok *next = &t->toks[k];
    /* count newlines between them */
    int nl = 0;
    for (size_t i = prev->off + prev->len; i < next->off; i++) {
        if (doc[i] == '\n') {
            nl++;
        }
    }
    if (nl == 0) {
        return false;
    }
    if (nl >= 2) {
        return true;
    }
    const char *pw = tok_norm(t, prev);
    bool prev_ends = prev->nlen == 1 && (pw[0] == '.' || pw[0] == '!' || pw[0] == '?' ||
                                         pw[0] == ':' || pw[0] == '"');
    bool next_lower = (next->flags & TF_WORD) && !(next->flags & TF_CAP);
    if (!prev_ends && (next_lower || (prev->nlen == 1 && pw[0] == ','))) {
        return false; /* hard-wrapped line */
    }
    return true;
}

static tumen_status split_sentences(struct text *t, const char *doc) {
    size_t first = 0;
    for (size_t k = 0; k < t->ntoks; k++) {
        if (k > first && newline_breaks(t, doc, k)) {
            tumen_status st = push_sent(t, first, k);
            if (st != TUMEN_OK) {
                return st;
            }
            first = k;
        }
        const struct tok *tk = &t->toks[k];
        const char *w = tok_norm(t, tk);
        bool terminal = (tk->nlen == 1 && (w[0] == '.' || w[0] == '!' || w[0] == '?')) ||
                        (tk->nlen == 3 && memcmp(w, "...", 3) == 0);
        bool initialism_end = (tk->flags & TF_WORD) && tk->nlen > 2 && w[tk->nlen - 1] == '.';
        if (!terminal && !initialism_end) {
            continue;
        }
        /* closing quotes / brackets glued to the mark attach to this sentence */
        size_t end = k + 1;
        while (end < t->ntoks && is_closer(t, &t->toks[end]) &&
               !(t->toks[end].flags & TF_SPACE_BEFORE)) {
            end++;
        }
        if (end >= t->ntoks) {
            continue; /* end of text closes it below */
        }
        const struct tok *nx = &t->toks[end];
        const char *nw = tok_norm(t, nx);
        bool starts = (nx->flags & TF_SPACE_BEFORE) &&
                      ((nx->flags & (TF_CAP | TF_NUM | TF_QUOTE)) ||
                       (nx->nlen == 1 && (nw[0] == '(' || nw[0] == '[')));
        if (!starts) {
            continue;
        }
        if (terminal && w[0] == '.' && k > first) {
            const struct tok *pv = &t->toks[k - 1];
            const char *pw = tok_norm(t, pv);
            if (!(tk->flags & TF_SPACE_BEFORE) && (pv->flags & TF_WORD)) {
                if (is_abbrev(pw, pv->nlen)) {
                    continue;
                }
                /* single-letter initial: "John F. Kennedy" */
                if (pv->nlen == 1 && (pv->flags & TF_CAP)) {
                    continue;
                }
            }
        }
        if (initialism_end && !terminal) {
            /* "the U.S. The next..." splits only before a typical sentence starter */
            if (!is_sentence_starter(nw, nx->nlen) || !(nx->flags & TF_CAP)) {
                continue;
            }
        }
        tumen_status st = push_sent(t, first, end);
        if (st != TUMEN_OK) {
            return st;
        }
        first = end;
        k = end - 1;
    }
    return push_sent(t, first, t->ntoks);
}

tumen_status text_split(struct text *t, const char *doc, size_t len) {
    t->ntoks = 0;
    t->nsents = 0;
    buf_reset(&t->norm);
    /* normalised forms take about as many bytes as the text plus a NUL per token */
    if (len + len / 2 + 64 > t->norm.cap && len < ((size_t)1 << 31)) {
        if (!grow((void **)&t->norm.data, &t->norm.cap, len + len / 2 + 64, 1)) {
            return TUMEN_NOMEM;
        }
    }

    if (len > UINT32_MAX) {
        return TUMEN_LIMIT;
    }
    const unsigned char *s = (const unsigned char *)doc;
    size_t i = 0;
    bool space_before = true;
    while (i < len) {
        size_t n;
        int32_t c = decode(s, len, i, &n);
        if (c < 0 || is_space_cp(c) || (c < 0x20) || c == 0x7F) {
            i += n;
            space_before = true;
            continue;
        }
        uint16_t sp = space_before ? TF_SPACE_BEFORE : 0;
        space_before = false;
        tumen_status st;
        if (is_letter_cp(c)) {
            bool init;
            size_t end = scan_word(s, len, i, &init);
            if (end == i) {
                end = i + n;
            }
            uint16_t f = TF_WORD | sp;
            if (is_upper_cp(c)) {
                f |= TF_CAP;
                bool all = true;
                for (size_t j = i; j < end;) {
                    size_t m;
                    int32_t cc = decode(s, len, j, &m);
                    if (is_letter_cp(cc) && !is_upper_cp(cc)) {
                        all = false;
                        break;
                    }
                    j += m;
                }
                if (all) {
                    f |= TF_UPPER;
                }
            }
            st = push_tok(t, doc, i, end - i, f);
            i = end;
        } else if (is_digit_cp(c)) {
            size_t end = scan_number(s, len, i);
            st = push_tok(t, doc, i, end - i, TF_NUM | sp);
            i = end;
        } else if (is_apostrophe_cp(c)) {
            size_t cl = (t->ntoks > 0 && !sp) ? clitic_len(s, len, i, n) : 0;
            if (cl > 0) {
                uint16_t f = TF_WORD;
                if (cl == n + 1 && (s[i + n] == 's' || s[i + n] == 'S')) {
                    f |= TF_POSS;
                }
                st = push_tok(t, doc, i, cl, f);
                i += cl;
            } else if (t->ntoks > 0 && !sp && i >= 1 && (s[i - 1] == 's' || s[i - 1] == 'S')) {
                size_t n2;
                int32_t after = i + n < len ? decode(s, len, i + n, &n2) : ' ';
                if (!word_char(after)) { /* countries' */
                    st = push_tok(t, doc, i, n, TF_WORD | TF_POSS);
                } else {
                    st = push_tok(t, doc, i, n, TF_PUNCT | TF_QUOTE | sp);
                }
                i += n;
            } else {
                st = push_tok(t, doc, i, n, TF_PUNCT | TF_QUOTE | sp);
                i += n;
            }
        } else if (is_dquote_cp(c)) {
            st = push_tok(t, doc, i, n, TF_PUNCT | TF_QUOTE | sp);
            i += n;
        } else if (is_dash_cp(c)) {
            /* "--" and "—" runs are one token */
            size_t end = i + n;
            while (end < len) {
                size_t m;
                int32_t cc = decode(s, len, end, &m);
                if (!is_dash_cp(cc)) {
                    break;
                }
                end += m;
            }
            uint16_t f = TF_PUNCT | sp;
            bool glued = !sp && end < len && t->ntoks > 0;
            if (glued) {
                size_t m;
                int32_t cc = decode(s, len, end, &m);
                if (word_char(cc)) {
                    f |= TF_HYPHEN;
                }
            }
            st = push_tok(t, doc, i, end - i, f);
            i = end;
        } else if (c == '.' && i + 2 < len && s[i + 1] == '.' && s[i + 2] == '.') {
            size_t end = i + 3;
            while (end < len && s[end] == '.') {
                end++;
            }
            st = push_tok(t, doc, i, end - i, TF_PUNCT | sp);
            i = end;
        } else {
            st = push_tok(t, doc, i, n, TF_PUNCT | sp);
            i += n;
        }
        if (st != TUMEN_OK) {
            return st;
        }
    }
    return split_sentences(t, doc);
}
