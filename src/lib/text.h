/* Text stage: a document becomes sentences and tokens, every piece keeping byte offsets
 * into the original document. Normalised forms (NFKC + case fold + ASCII quotes/dashes)
 * are what dictionaries match against. */
#ifndef TUMEN_TEXT_H
#define TUMEN_TEXT_H

#include "util.h"

enum tok_flag {
    TF_WORD = 1u << 0,   /* letters (may contain inner ' - . as in "u.s.", "o'brien") */
    TF_NUM = 1u << 1,    /* starts with a digit: "14,000", "20", "1.5", "2022" */
    TF_PUNCT = 1u << 2,  /* anything else: , . ; : ( ) " ' - $ % ... */
    TF_CAP = 1u << 3,    /* first letter is upper case in the original */
    TF_UPPER = 1u << 4,  /* all letters upper case ("DPRK", "UN") */
    TF_POSS = 1u << 5,   /* the clitic "'s" / "'" split off a word */
    TF_QUOTE = 1u << 6,  /* a quotation mark (any style, folded to '"') */
    TF_HYPHEN = 1u << 7, /* token is a '-' that joined two words without spaces */
    TF_SPACE_BEFORE = 1u << 8, /* whitespace precedes the token in the original */
    TF_SENT_START = 1u << 9
};

struct tok {
    uint32_t off, len;   /* bytes in the document */
    uint32_t norm, nlen; /* normalised form: text->norm.data + norm, nlen bytes */
    uint32_t id;         /* dictionary word id of the normalised form, TUMEN_NOID if unknown */
    uint32_t lemma;      /* dictionary lemma id (verb/noun base form), TUMEN_NOID if none */
    uint32_t lemma2;     /* second base-form reading, TUMEN_NOID if none */
    uint32_t pfx;        /* id of the longest dictionary stem word that prefixes the token */
    uint16_t flags;      /* enum tok_flag */
    uint16_t cls;        /* enum word_class, set by match_lookup */
};

/* Closed-class words the coder's syntax rules look for. */
enum word_class {
    WC_NONE = 0,
    WC_BE,      /* is are was were be been being am */
    WC_HAVE,    /* has have had having */
    WC_PREP,    /* to with of for against from on in into toward(s) at over about among ... */
    WC_BY,      /* by */
    WC_BETWEEN, /* between */
    WC_AND,     /* and, as well as */
    WC_OR,      /* or, nor */
    WC_REL,     /* which who whom whose that */
    WC_SUB,     /* but while whereas although though because since if unless when after ... */
    WC_DET,     /* the a an its their his her this these those such any some */
    WC_MODAL,   /* will would may might could can should must shall */
    WC_NOT,     /* not n't never no */
    WC_PRON     /* it they he she we i you them him her us */
};

struct sent {
    uint32_t off, len;   /* bytes in the document, trimmed of surrounding blanks */
    uint32_t first, n;   /* tokens text->toks[first .. first+n) */
};

struct text {
    struct tok *toks;
    size_t ntoks, cap_toks;
    struct sent *sents;
    size_t nsents, cap_sents;
    struct buf norm;     /* normalised token forms, NUL-separated */
    size_t max_tokens;   /* sentences longer than this are cut into windows (0: 4096) */
};

void text_init(struct text *t);
void text_fini(struct text *t);

/* Splits doc[0..len) into sentences and tokens. doc must be valid UTF-8 (check first).
 * Replaces the previous content of t. Returns TUMEN_NOMEM or TUMEN_LIMIT on failure. */
tumen_status text_split(struct text *t, const char *doc, size_t len);

/* The normalised form of token k as a pointer into t->norm (NUL-terminated). */
static inline const char *tok_norm(const struct text *t, const struct tok *k) {
    return t->norm.data + k->norm;
}

/* The closed-class word table: class of a normalised word (WC_NONE if not listed), and
 * its i-th word (NULL past the end), so dictionaries can pre-intern them. */
uint16_t text_word_class(const char *w, size_t n);
const char *text_class_word(size_t i);

/* Normalises one UTF-8 string (NFKC, case fold, quotes/dashes folded) into out (appended).
 * Used by dictionary loaders so their words equal token forms. */
tumen_status text_normalize(const char *s, size_t n, struct buf *out);

#endif
