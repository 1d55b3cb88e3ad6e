/* Event serialisation: JSONL (one object per event) and GDELT-2-like TSV. */
#ifndef TUMEN_SINK_H
#define TUMEN_SINK_H

#include "util.h"

/* Appends ev as one JSON object followed by '\n'. */
tumen_status sink_json(struct buf *b, const tumen_event *ev);
/* Appends the TSV header line. */
tumen_status sink_tsv_header(struct buf *b);
/* Appends ev as one TSV line. Tabs and newlines inside fields become blanks. */
tumen_status sink_tsv(struct buf *b, const tumen_event *ev);
/* Appends s[0..n) as a JSON string literal (quoted, escaped). */
tumen_status sink_json_string(struct buf *b, const char *s, size_t n);
/* Byte c must be escaped inside a JSON string: a control byte, '"' or '\\'. */
#define SINK_JSON_ESCAPED(c) ((c) < 0x20 || (c) == '"' || (c) == '\\')
/* Writes the escape of such a byte ("\\n", "\\u0001", ...) to out; returns its length (2
 * or 6). */
size_t sink_json_escape(unsigned char c, char out[6]);

#endif
