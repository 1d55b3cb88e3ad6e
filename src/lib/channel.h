/* Analyst channels: a user-editable table (data/channels.tsv) maps an event to a channel
 * such as "labour" or "sanctions" from its CAMEO code, words of its sentence and its actors.
 * The table is immutable after loading and may be shared across threads. */
#ifndef TUMEN_CHANNEL_H
#define TUMEN_CHANNEL_H

#include "tumen.h"

#include <stddef.h>

struct channel_rule;

struct channel_table {
    size_t nchannels;
    char **ids;    /* "labour", ...; always ends with "other" if the file does not name it */
    char **labels; /* "Labour", ... (id when the file gives no label) */
    size_t nrules;
    struct channel_rule *rules;
};

/* Loads a channel table. The caller owns *out (channel_table_free). On a syntax error err
 * names file:line:col and *out is left NULL. */
tumen_status channel_table_load(const char *path, struct channel_table **out, tumen_error *err);

/* Parses a table from memory; name is used in error positions. */
tumen_status channel_table_parse(const char *text, size_t len, const char *name,
                                 struct channel_table **out, tumen_error *err);

void channel_table_free(struct channel_table *t);

/* The channel of ev: the first rule that matches wins, "other" when none does.
 * sentence_text is the event's sentence, NUL-terminated; NULL means the span ev->sent of
 * ev->doc_text. Returns a string owned by the table (never NULL). */
const char *channel_classify(const struct channel_table *t, const tumen_event *ev,
                             const char *sentence_text);

/* Same with an explicit length (text need not be NUL-terminated). */
const char *channel_classify_n(const struct channel_table *t, const tumen_event *ev,
                               const char *text, size_t len);

/* Index of channel id in t->ids, or -1. */
int channel_index(const struct channel_table *t, const char *id);

/* Display label of a channel id (the id itself when unknown). */
const char *channel_label(const struct channel_table *t, const char *id);

#endif
