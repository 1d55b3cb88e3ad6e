/* A scanner for documents.event_data, the JSON array of events the store writes (store.c,
 * put_event): each event is a flat JSON array of scalars at fixed positions (enum ev_pos
 * below; docs/store.md). It finds the events and the raw tokens of their elements without
 * building them, so that the evidence list and the cluster read-back can filter millions of
 * events at memory speed.
 *
 * It relies on two properties of what the store writes: events do not nest (their elements
 * are strings and numbers), and inside a JSON string a quote is always escaped. On anything
 * else it returns an error rather than guessing. */
#ifndef TUMEN_EVSCAN_H
#define TUMEN_EVSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Positions of an event's fields in its array. A field that is absent is 0 (numbers, strings,
 * span lengths), -1 (EV_P) or null (EV_QL); trailing absent fields are left out, so an array
 * may be shorter than EV_COUNT. Spans are (start, length) byte pairs into documents.text. */
enum ev_pos {
    EV_N,        /* sentence number (1-based) */
    EV_S_START,  /* sentence span */
    EV_S_LEN,
    EV_SRC,      /* actor codes */
    EV_TGT,
    EV_CODE,     /* CAMEO code; "--" for a statistic */
    EV_G,        /* Goldstein score (0 for a statistic) */
    EV_Q,        /* quad class */
    EV_M,        /* modality: tumen_modality (0 asserted ... 5 forecast) */
    EV_DK,       /* date key yyyymmdd, 0 when undated */
    EV_CH,       /* channel name */
    EV_PF,       /* pattern file: pattern_files.id, 0 for none */
    EV_PL,       /* pattern line */
    EV_SS_START, /* source actor span */
    EV_SS_LEN,
    EV_TS_START, /* target actor span */
    EV_TS_LEN,
    EV_V_START,  /* verb span */
    EV_V_LEN,
    EV_CL,       /* cluster id, 0 when not clustered */
    EV_KB,       /* the cluster key's bucket (0..4095) */
    EV_CR,       /* cluster rule: enum cluster_rule (cluster.c) */
    EV_SF,       /* 1 + index in the array of the sentence's first event; 0: this event */
    EV_K,        /* 1 for a statistic */
    EV_SYM,      /* 1 for a symmetric (joint) act */
    EV_W,        /* the event's stated time */
    EV_WS_START, /* its words */
    EV_WS_LEN,
    EV_AT,       /* attributed to */
    EV_CU_START, /* cue span */
    EV_CU_LEN,
    EV_P,        /* probability 0..1, -1 for none */
    EV_PS_START, /* probability words */
    EV_PS_LEN,
    EV_QP,       /* 1 when a quantity is present */
    EV_QV,       /* value (upper end of a range) */
    EV_QL,       /* lower end, null for none */
    EV_QA,       /* approximate: 1 */
    EV_QB,       /* bound: 0 none, 1 max ("up to"), 2 min ("at least") */
    EV_QU,       /* unit */
    EV_QS_START, /* quantity span */
    EV_QS_LEN,
    EV_COUNT
};

/* Finds the next event (a flat array) of the array p[0..n) from *pos (0 to start). Returns 1
 * and its span [*start, *end) (brackets included), 0 at the end of the array, -1 when the
 * text is not an array of flat arrays. */
int evscan_next(const char *p, size_t n, size_t *pos, size_t *start, size_t *end);

/* Splits the event e[0..n) (as evscan_next gives it) into the raw tokens of its first max
 * elements: for a string the bytes between its quotes (still escaped; v[i][-1] is then the
 * opening quote), else the token (a number, null). Elements past the end of the array get
 * v[i] = NULL. Returns the number of elements, or -1 when e is not a flat array. */
int evscan_elems(const char *e, size_t n, const char **v, size_t *l, size_t max);

/* The element is a string (evscan_elems): its first byte follows an opening quote. */
bool evscan_is_str(const char *v);

/* A raw number token (v[0..vn), NULL for absent) as an integer of at most 18 digits: false
 * when it is not one. */
bool evscan_toint(const char *v, size_t vn, long long *out);

/* An integer element, or dflt when it is absent or not an integer. */
long long evscan_intv(const char *v, size_t vn, long long dflt);

/* A number element (integer or decimal), or dflt when absent or not a number. */
double evscan_num(const char *v, size_t vn, double dflt);

/* Copies the raw JSON string value v[0..n) (as evscan_elems returns it: v[n] is the closing
 * quote) into out, decoded (reader_json_string), NUL-terminated and cut to cap - 1 bytes.
 * Returns the length written; 0 (and "") for a value that is not a string (absent fields are
 * the number 0). */
size_t evscan_unescape(const char *v, size_t n, char *out, size_t cap);

/* The string element v[0..vn) equals want[0..wn) (raw: JSON-escaped, without quotes). */
bool evscan_str_eq(const char *v, size_t vn, const char *want, size_t wn);

#endif
