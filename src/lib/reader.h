/* Document readers: .txt (one document), .jsonl (one document per line), stdin. */
#ifndef TUMEN_READER_H
#define TUMEN_READER_H

#include "util.h"

#include <stdio.h>

enum reader_kind { READER_AUTO = 0, READER_TEXT, READER_JSONL };

struct reader;

/* Opens path ("-" = stdin). kind AUTO picks JSONL for *.jsonl / *.json, text otherwise
 * (stdin defaults to text). max_doc caps one document's bytes (0: 32 MiB). default_date
 * (may be NULL, borrowed) is used for documents without a date. The caller owns *out. */
tumen_status reader_open(struct reader **out, const char *path, enum reader_kind kind,
                         size_t max_doc, const char *default_date, tumen_error *err);

/* Next document into *doc (all pointers borrowed until the next call or close).
 * Returns TUMEN_OK, TUMEN_NOTFOUND at the end, or an error for this document only
 * (TUMEN_JSON, TUMEN_UTF8, TUMEN_LIMIT, TUMEN_DATE: err has file:line:col; the caller may
 * call again to continue with the next document) or TUMEN_IO / TUMEN_NOMEM (fatal). */
tumen_status reader_next(struct reader *r, tumen_doc *doc, tumen_error *err);

/* 1-based line of the last document returned (JSONL), for messages. */
uint64_t reader_line(const struct reader *r);

void reader_close(struct reader *r);

/* Decodes the body of a JSON string: s[0..n) are the bytes after its opening quote and s[n]
 * is its closing quote. Writes the decoded bytes, NUL-terminated, to out (capacity n + 1:
 * decoding never lengthens) and their count to *len. false when the body is not a valid
 * JSON string of valid UTF-8 (the JSONL fast path's rules). */
bool reader_json_string(const char *s, size_t n, char *out, size_t *len);

#endif
