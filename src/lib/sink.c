/* Event serialisation. The JSON writer escapes by hand (jansson's object building costs more
 * than the coding itself at 100k sentences/s). */
#include "sink.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t sink_json_escape(unsigned char c, char out[6]) {
    static const char hex[] = "0123456789abcdef";
    out[0] = '\\';
    switch (c) {
    case '"': out[1] = '"'; return 2;
    case '\\': out[1] = '\\'; return 2;
    case '\n': out[1] = 'n'; return 2;
    case '\r': out[1] = 'r'; return 2;
    case '\t': out[1] = 't'; return 2;
    case '\b': out[1] = 'b'; return 2;
    case '\f': out[1] = 'f'; return 2;
    default:
        memcpy(out + 1, "u00", 3);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
}

tumen_status sink_json_string(struct buf *b, const char *s, size_t n) {
    tumen_status st = buf_addc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n && st == TUMEN_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!SINK_JSON_ESCAPED(c)) {
            run++;
            continue;
        }
        if (run) {
            st = buf_add(b, s + i - run, run);
            run = 0;
            if (st != TUMEN_OK) {
                break;
            }
        }
        char esc[6];
        st = buf_add(b, esc, sink_json_escape(c, esc));
    }
    if (st == TUMEN_OK && run) {
        st = buf_add(b, s + n - run, run);
    }
    if (st == TUMEN_OK) {
        st = buf_addc(b, '"');
    }
    return st;
}

static tumen_status key(struct buf *b, const char *k, bool first) {
    tumen_status st = first ? TUMEN_OK : buf_addc(b, ',');
    if (st == TUMEN_OK) {
        st = buf_addc(b, '"');
    }
    if (st == TUMEN_OK) {
        st = buf_adds(b, k);
    }
    if (st == TUMEN_OK) {
        st = buf_add(b, "\":", 2);
    }
    return st;
}

static tumen_status str_field(struct buf *b, const char *k, const char *v) {
    tumen_status st = key(b, k, false);
    if (st != TUMEN_OK) {
        return st;
    }
    if (v == NULL || v[0] == '\0') {
        return buf_add(b, "null", 4);
    }
    return sink_json_string(b, v, strlen(v));
}

static tumen_status span_text(struct buf *b, const char *k, const tumen_event *ev, tumen_span sp) {
    tumen_status st = key(b, k, false);
    if (st != TUMEN_OK) {
        return st;
    }
    if (sp.length == 0 || ev->doc_text == NULL) {
        return buf_add(b, "null", 4);
    }
    return sink_json_string(b, ev->doc_text + sp.offset, sp.length);
}

static tumen_status span_obj(struct buf *b, const char *k, const tumen_event *ev, tumen_span sp) {
    tumen_status st = key(b, k, false);
    if (st != TUMEN_OK) {
        return st;
    }
    if (sp.length == 0 || ev->doc_text == NULL) {
        return buf_add(b, "null", 4);
    }
    st = buf_adds(b, "{\"text\":");
    if (st == TUMEN_OK) {
        st = sink_json_string(b, ev->doc_text + sp.offset, sp.length);
    }
    if (st == TUMEN_OK) {
        st = buf_printf(b, ",\"offset\":%zu,\"length\":%zu}", sp.offset, sp.length);
    }
    return st;
}

static tumen_status num(struct buf *b, double v) {
    if (!isfinite(v)) {
        return buf_add(b, "null", 4);
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        return buf_printf(b, "%.0f", v);
    }
    return buf_printf(b, "%.10g", v);
}

static tumen_status quantity(struct buf *b, const tumen_quantity *q) {
    tumen_status st = key(b, "quantity", false);
    if (st != TUMEN_OK) {
        return st;
    }
    if (!q->present) {
        return buf_add(b, "null", 4);
    }
    st = buf_adds(b, "{\"value\":");
    if (st == TUMEN_OK) {
        st = num(b, q->value);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "unit", q->unit);
    }
    if (st == TUMEN_OK && q->approx) {
        st = buf_adds(b, ",\"approx\":true");
    }
    if (st == TUMEN_OK && q->bound != TUMEN_BOUND_NONE) {
        st = buf_adds(b, q->bound == TUMEN_BOUND_MAX ? ",\"bound\":\"max\"" : ",\"bound\":\"min\"");
    }
    if (st == TUMEN_OK && q->has_low) {
        st = buf_adds(b, ",\"low\":");
        if (st == TUMEN_OK) {
            st = num(b, q->low);
        }
    }
    if (st == TUMEN_OK && q->span.length) {
        st = buf_printf(b, ",\"offset\":%zu,\"length\":%zu", q->span.offset, q->span.length);
    }
    if (st == TUMEN_OK) {
        st = buf_addc(b, '}');
    }
    return st;
}

tumen_status sink_json(struct buf *b, const tumen_event *ev) {
    tumen_status st = buf_adds(b, "{\"doc\":");
    if (st == TUMEN_OK) {
        st = sink_json_string(b, ev->doc_id ? ev->doc_id : "", ev->doc_id ? strlen(ev->doc_id) : 0);
    }
    if (st == TUMEN_OK) {
        st = buf_printf(b, ",\"sentence\":%u,\"offset\":%zu,\"length\":%zu", ev->sentence,
                        ev->sent.offset, ev->sent.length);
    }
    if (st == TUMEN_OK) {
        st = span_text(b, "text", ev, ev->sent);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "kind", ev->kind == TUMEN_KIND_STATISTIC ? "statistic" : "event");
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "source", ev->source);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "target", ev->target);
    }
    if (st == TUMEN_OK) {
        st = span_text(b, "source_text", ev, ev->source_span);
    }
    if (st == TUMEN_OK) {
        st = span_text(b, "target_text", ev, ev->target_span);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "code", ev->code);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "root", ev->root);
    }
    if (st == TUMEN_OK) {
        st = key(b, "goldstein", false);
    }
    if (st == TUMEN_OK) {
        st = ev->kind == TUMEN_KIND_STATISTIC ? buf_add(b, "null", 4) : num(b, ev->goldstein);
    }
    if (st == TUMEN_OK) {
        st = buf_printf(b, ",\"quad\":%d,\"symmetric\":%s", ev->quad, ev->symmetric ? "true" : "false");
    }
    if (st == TUMEN_OK) {
        st = span_text(b, "verb_text", ev, ev->verb);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "date", ev->date);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "modality", tumen_modality_name(ev->modality));
    }
    if (st == TUMEN_OK) {
        st = span_obj(b, "cue", ev, ev->cue);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "attributed_to", ev->attributed_to);
    }
    if (st == TUMEN_OK) {
        st = span_text(b, "probability_words", ev, ev->probability_words);
    }
    if (st == TUMEN_OK) {
        st = key(b, "probability", false);
    }
    if (st == TUMEN_OK) {
        st = ev->probability >= 0 ? num(b, ev->probability) : buf_add(b, "null", 4);
    }
    if (st == TUMEN_OK) {
        st = quantity(b, &ev->quantity);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "when", ev->when);
    }
    if (st == TUMEN_OK) {
        st = str_field(b, "channel", ev->channel);
    }
    if (st == TUMEN_OK) {
        st = key(b, "pattern", false);
    }
    if (st == TUMEN_OK) {
        if (ev->pattern_file) {
            char tmp[1200];
            int n = snprintf(tmp, sizeof tmp, "%s:%u", ev->pattern_file, ev->pattern_line);
            st = sink_json_string(b, tmp, n > 0 && (size_t)n < sizeof tmp ? (size_t)n : strlen(tmp));
        } else {
            st = buf_add(b, "null", 4);
        }
    }
    if (st == TUMEN_OK) {
        st = buf_add(b, "}\n", 2);
    }
    return st;
}

static const char *const tsv_cols[] = {
    "doc", "sentence", "date", "when", "source", "target", "code", "root", "goldstein", "quad",
    "modality", "attributed_to", "probability", "quantity_value", "quantity_unit", "channel",
    "offset", "length", "source_text", "target_text", "pattern", "text"};

tumen_status sink_tsv_header(struct buf *b) {
    tumen_status st = TUMEN_OK;
    for (size_t i = 0; i < sizeof tsv_cols / sizeof tsv_cols[0] && st == TUMEN_OK; i++) {
        st = buf_adds(b, tsv_cols[i]);
        if (st == TUMEN_OK) {
            st = buf_addc(b, i + 1 < sizeof tsv_cols / sizeof tsv_cols[0] ? '\t' : '\n');
        }
    }
    return st;
}

static tumen_status tsv_field(struct buf *b, const char *s, size_t n, bool last) {
    size_t start = b->len;
    tumen_status st = buf_add(b, s ? s : "", s ? n : 0);
    for (size_t i = start; st == TUMEN_OK && i < b->len; i++) {
        if (b->data[i] == '\t' || b->data[i] == '\n' || b->data[i] == '\r') {
            b->data[i] = ' ';
        }
    }
    if (st == TUMEN_OK) {
        st = buf_addc(b, last ? '\n' : '\t');
    }
    return st;
}

static tumen_status tsv_str(struct buf *b, const char *s) {
    return tsv_field(b, s, s ? strlen(s) : 0, false);
}

static tumen_status tsv_span(struct buf *b, const tumen_event *ev, tumen_span sp, bool last) {
    if (sp.length == 0 || ev->doc_text == NULL) {
        return tsv_field(b, "", 0, last);
    }
    return tsv_field(b, ev->doc_text + sp.offset, sp.length, last);
}

tumen_status sink_tsv(struct buf *b, const tumen_event *ev) {
    char tmp[1200];
    tumen_status st = tsv_str(b, ev->doc_id);
    snprintf(tmp, sizeof tmp, "%u", ev->sentence);
    if (st == TUMEN_OK) st = tsv_str(b, tmp);
    if (st == TUMEN_OK) st = tsv_str(b, ev->date);
    if (st == TUMEN_OK) st = tsv_str(b, ev->when);
    if (st == TUMEN_OK) st = tsv_str(b, ev->source);
    if (st == TUMEN_OK) st = tsv_str(b, ev->target);
    if (st == TUMEN_OK) st = tsv_str(b, ev->code);
    if (st == TUMEN_OK) st = tsv_str(b, ev->root);
    snprintf(tmp, sizeof tmp, "%g", ev->goldstein);
    if (st == TUMEN_OK) st = tsv_str(b, ev->kind == TUMEN_KIND_STATISTIC ? "" : tmp);
    snprintf(tmp, sizeof tmp, "%d", ev->quad);
    if (st == TUMEN_OK) st = tsv_str(b, tmp);
    if (st == TUMEN_OK) st = tsv_str(b, tumen_modality_name(ev->modality));
    if (st == TUMEN_OK) st = tsv_str(b, ev->attributed_to);
    if (ev->probability >= 0) {
        snprintf(tmp, sizeof tmp, "%g", ev->probability);
    } else {
        tmp[0] = '\0';
    }
    if (st == TUMEN_OK) st = tsv_str(b, tmp);
    if (ev->quantity.present) {
        snprintf(tmp, sizeof tmp, "%.10g", ev->quantity.value);
    } else {
        tmp[0] = '\0';
    }
    if (st == TUMEN_OK) st = tsv_str(b, tmp);
    if (st == TUMEN_OK) st = tsv_str(b, ev->quantity.present ? ev->quantity.unit : "");
    if (st == TUMEN_OK) st = tsv_str(b, ev->channel);
    snprintf(tmp, sizeof tmp, "%zu", ev->sent.offset);
    if (st == TUMEN_OK) st = tsv_str(b, tmp);
    snprintf(tmp, sizeof tmp, "%zu", ev->sent.length);
    if (st == TUMEN_OK) st = tsv_str(b, tmp);
    if (st == TUMEN_OK) st = tsv_span(b, ev, ev->source_span, false);
    if (st == TUMEN_OK) st = tsv_span(b, ev, ev->target_span, false);
    snprintf(tmp, sizeof tmp, "%s:%u", ev->pattern_file ? ev->pattern_file : "", ev->pattern_line);
    if (st == TUMEN_OK) st = tsv_str(b, tmp);
    if (st == TUMEN_OK) st = tsv_span(b, ev, ev->sent, true);
    return st;
}

char *tumen_event_json(const tumen_event *ev, size_t *len) {
    struct buf b;
    buf_init(&b, 0);
    if (sink_json(&b, ev) != TUMEN_OK) {
        buf_fini(&b);
        return NULL;
    }
    if (len) {
        *len = b.len;
    }
    return b.data;
}
