/* A scanner for documents.event_data, the JSON array of event objects the store writes
 * (store.c, put_event). It finds the objects and the raw values of their top-level keys
 * without building them, so that the evidence list can filter millions of events at memory
 * speed and hand only the chosen ones to jansson.
 *
 * It relies on two properties of what the store writes: objects do not nest (values are
 * strings, numbers and arrays of numbers), and inside a JSON string a quote is always escaped,
 * so the bytes ,"key": or {"key": cannot occur inside a string value. On anything else it
 * returns an error rather than guessing. */
#ifndef TUMEN_EVSCAN_H
#define TUMEN_EVSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Finds the next object of the array p[0..n) from *pos (0 to start). Returns 1 and its span
 * [*start, *end) (braces included), 0 at the end of the array, -1 when the text is not an
 * array of flat objects. */
int evscan_next(const char *p, size_t n, size_t *pos, size_t *start, size_t *end);

/* The raw value of top-level key k in the object o[0..n) as *v, *vn (not NUL-terminated):
 * for a string its bytes between the quotes (still escaped), else the token up to the next
 * ',' or '}' (an array with its brackets). Returns false when the key is absent. */
bool evscan_get(const char *o, size_t n, const char *k, const char **v, size_t *vn);

/* The raw value of key k equals want[0..wn) (raw: JSON-escaped, without quotes). */
bool evscan_eq(const char *o, size_t n, const char *k, const char *want, size_t wn);

/* A raw value (v[0..vn), NULL for absent) as an integer of at most 18 digits: false when it is
 * not one. */
bool evscan_toint(const char *v, size_t vn, long long *out);

/* evscan_get for an integer value of at most 18 digits: false when absent or not one. */
bool evscan_int(const char *o, size_t n, const char *k, long long *out);

/* The raw values (as evscan_get gives them) of the keys keys[0..nkeys) (at most 32) of object
 * o[0..n), in one pass: vals[k] is NULL when key k is absent. Returns how many were found. */
size_t evscan_fields(const char *o, size_t n, const char *const *keys, size_t nkeys,
                     const char **vals, size_t *lens);

/* Copies the raw JSON string value v[0..n) (as evscan_get returns it: v[n] is the closing
 * quote) into out, decoded (reader_json_string), NUL-terminated and cut to cap - 1 bytes.
 * Returns the length written; 0 (and "") for a value that is not a valid string. */
size_t evscan_unescape(const char *v, size_t n, char *out, size_t cap);

#endif
