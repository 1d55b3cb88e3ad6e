/* The HTML report of a dyad: one self-contained file with inline CSS and inline SVG charts
 * (cooperation and conflict over time, events per channel, the actor network around the
 * dyad), key facts with quantities and evidence, forecasts and hypotheticals, and sources.
 * No script and no external resource; every text from the store is escaped. */
#include "store_impl.h"

#include "evscan.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI_ 3.14159265358979323846

tumen_status html_escape(struct buf *b, const char *s) {
    tumen_status st = TUMEN_OK;
    const char *run = s;
    for (; *s && st == TUMEN_OK; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            break;
        }
        if (rep) {
            st = buf_add(b, run, (size_t)(s - run));
            if (st == TUMEN_OK) {
                st = buf_adds(b, rep);
            }
            run = s + 1;
        }
    }
    if (st == TUMEN_OK) {
        st = buf_add(b, run, (size_t)(s - run));
    }
    return st;
}

/* ---- collected evidence ---- */

struct item {
    int64_t id, cluster, mentions, sources;
    int statistic, quad;
    double goldstein;
    char *date, *source, *target, *code, *code_name, *channel, *modality, *attributed,
        *prob_words, *qty, *sentence, *title, *doc_date, *url, *doc_id;
};

/* A list of the report, at most ITEMS_MAX rows (the earliest in date order); `more` is set
 * when events were left out, and the report says so. */
#define ITEMS_MAX 500
struct items {
    struct item *v;
    size_t n, cap;
    int oom, more;
    int (*keep)(const tumen_evidence *e);
};

static char *dupz(const char *s) {
    size_t n = strlen(s ? s : "") + 1;
    char *p = malloc(n);
    if (p) {
        memcpy(p, s ? s : "", n);
    }
    return p;
}

static void fmt_number(double v, char *out, size_t size) {
    if (v != floor(v) || fabs(v) >= 1e15) {
        snprintf(out, size, "%.4g", v);
        return;
    }
    char raw[32];
    snprintf(raw, sizeof raw, "%.0f", fabs(v));
    size_t n = strlen(raw), o = 0;
    if (v < 0) {
        out[o++] = '-';
    }
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            out[o++] = ',';
        }
        out[o++] = raw[i];
    }
    out[o] = '\0';
}

static void fmt_quantity(const tumen_evidence *e, char *out, size_t size) {
    out[0] = '\0';
    if (!e->has_quantity) {
        return;
    }
    char v[48], lo[48];
    fmt_number(e->value, v, sizeof v);
    if (e->has_low) {
        fmt_number(e->low, lo, sizeof lo);
        snprintf(out, size, "%s%s\xe2\x80\x93%s %s", e->approx ? "~" : "", lo, v, e->unit);
    } else {
        const char *pre = strcmp(e->bound, "max") == 0   ? "up to "
                          : strcmp(e->bound, "min") == 0 ? "at least "
                          : e->approx                    ? "~"
                                                         : "";
        snprintf(out, size, "%s%s %s", pre, v, e->unit);
    }
}

static void item_free(struct item *it) {
    char **f[] = {&it->date,     &it->source,    &it->target,     &it->code,
                  &it->code_name, &it->channel,  &it->modality,   &it->attributed,
                  &it->prob_words, &it->qty,     &it->sentence,   &it->title,
                  &it->doc_date, &it->url,       &it->doc_id};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        free(*f[i]);
    }
}

static void items_free(struct items *l) {
    for (size_t i = 0; i < l->n; i++) {
        item_free(&l->v[i]);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int collect(void *ctx, const tumen_evidence *e) {
    struct items *l = ctx;
    if (l->keep && !l->keep(e)) {
        return 0;
    }
    if (l->n >= ITEMS_MAX) {
        l->more = 1;
        return 1; /* stop: the list is full */
    }
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].id == e->id || (e->cluster && l->v[i].cluster == e->cluster)) {
            return 0;
        }
    }
    if (!grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        l->oom = 1;
        return 1;
    }
    struct item *it = &l->v[l->n];
    memset(it, 0, sizeof *it);
    char q[160];
    fmt_quantity(e, q, sizeof q);
    it->id = e->id;
    it->cluster = e->cluster;
    it->mentions = e->cluster_mentions;
    it->sources = e->cluster_sources;
    it->statistic = e->statistic;
    it->quad = e->quad;
    it->goldstein = e->goldstein;
    it->date = dupz(e->date);
    it->source = dupz(e->source);
    it->target = dupz(e->target);
    it->code = dupz(e->code);
    it->code_name = dupz(e->code_name);
    it->channel = dupz(e->channel);
    it->modality = dupz(e->modality);
    it->attributed = dupz(e->attributed_to);
    it->prob_words = dupz(e->probability_words);
    it->qty = dupz(q);
    it->sentence = dupz(e->sentence);
    it->title = dupz(e->doc_title);
    it->doc_date = dupz(e->doc_date);
    it->url = dupz(e->doc_url);
    it->doc_id = dupz(e->doc_id);
    l->n++;
    if (!it->date || !it->source || !it->target || !it->code || !it->code_name ||
        !it->channel || !it->modality || !it->attributed || !it->prob_words || !it->qty ||
        !it->sentence || !it->title || !it->doc_date || !it->url || !it->doc_id) {
        l->oom = 1;
        return 1;
    }
    return 0;
}

static int cmp_item(const void *a, const void *b) {
    const struct item *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    if (c) {
        return c;
    }
    return (x->id > y->id) - (x->id < y->id);
}

/* Key facts: anything with a quantity, treaties, material acts, multi-source clusters. */
static int keep_fact(const tumen_evidence *e) {
    return e->has_quantity || e->quad == 2 || e->quad == 4 || strcmp(e->code, "057") == 0 ||
           e->cluster_sources > 1 || strcmp(e->channel, "treaties") == 0 ||
           strcmp(e->channel, "labour") == 0 || strcmp(e->channel, "tourism") == 0 ||
           strcmp(e->channel, "troops") == 0;
}

/* Context: the dyad's members with third parties in multilateral, sanctions, troops,
 * treaties, or with a quantity. */
static int keep_context(const tumen_evidence *e) {
    return e->has_quantity || strcmp(e->channel, "un") == 0 || strcmp(e->channel, "sanctions") == 0 ||
           strcmp(e->channel, "troops") == 0 || strcmp(e->channel, "treaties") == 0;
}

/* ---- writer ---- */

struct w {
    struct buf b;
    tumen_status st;
};

static void put(struct w *w, const char *s) {
    if (w->st == TUMEN_OK) {
        w->st = buf_adds(&w->b, s);
    }
}

static void esc(struct w *w, const char *s) {
    if (w->st == TUMEN_OK) {
        w->st = html_escape(&w->b, s ? s : "");
    }
}

static void putf(struct w *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct w *w, const char *fmt, ...) {
    if (w->st != TUMEN_OK) {
        return;
    }
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        w->st = TUMEN_LIMIT;
        return;
    }
    w->st = buf_add(&w->b, tmp, (size_t)n);
}

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
    "color:#1d2330;background:#f6f7f9}"
    "main{max-width:1180px;margin:0 auto;padding:24px 28px 60px}"
    "h1{font-size:26px;margin:8px 0 4px}h2{font-size:19px;margin:34px 0 8px;"
    "border-bottom:2px solid #d9dde5;padding-bottom:4px}"
    ".sub{color:#5a6270;margin:0 0 18px}"
    ".cards{display:flex;gap:14px;flex-wrap:wrap}"
    ".card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:10px 16px;"
    "min-width:130px}.card b{display:block;font-size:22px}"
    ".card span{color:#5a6270;font-size:13px}"
    "figure{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:10px 0;"
    "padding:10px}figcaption{color:#5a6270;font-size:13px;margin-top:4px}"
    "svg text{font:12px system-ui,sans-serif;fill:#1d2330}"
    "table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}"
    "th,td{border:1px solid #dde1e8;padding:5px 8px;text-align:left;vertical-align:top}"
    "th{background:#eef1f5}td.n{text-align:right;white-space:nowrap}"
    ".ev{color:#3b4350;font-size:13px}.tag{display:inline-block;border-radius:4px;"
    "padding:0 6px;font-size:12px;background:#eef1f5;white-space:nowrap}"
    ".pw{font-weight:600;color:#7a3e00}.q{font-weight:600;white-space:nowrap}"
    ".two{display:grid;grid-template-columns:1fr 1fr;gap:14px}"
    "@media(max-width:900px){.two{grid-template-columns:1fr}}"
    "ul.src li{margin:3px 0}footer{color:#5a6270;font-size:12px;margin-top:40px}";

/* Period label for a key (analysis.c keys). */
static void key_label(int32_t key, tumen_period by, char out[16]) {
    int y = (key / 100) % 10000, r = key % 100;
    if (r == 0) {
        snprintf(out, 16, "%04d", y);
    } else if (by == TUMEN_BY_QUARTER) {
        snprintf(out, 16, "%04d-Q%d", y, r / 10);
    } else {
        snprintf(out, 16, "%04d-%02d", y, r);
    }
}

/* The continuous sequence of periods from the first to the last dated period of d. */
static int32_t *period_axis(const tumen_dyad_summary *d, tumen_period by, size_t *n) {
    *n = 0;
    int32_t lo = 0, hi = 0;
    for (size_t i = 0; i < d->nperiods; i++) {
        int32_t k = d->periods[i].key;
        if (k == 0) {
            continue;
        }
        if (lo == 0 || k < lo) {
            lo = k;
        }
        if (k > hi) {
            hi = k;
        }
    }
    if (lo == 0) {
        return NULL;
    }
    size_t cap = 0;
    int32_t *v = NULL;
    int step = by == TUMEN_BY_QUARTER ? 10 : 1, last = by == TUMEN_BY_QUARTER ? 40 : 12;
    for (int y = lo / 100; y <= hi / 100; y++) {
        bool has_year = false;
        for (size_t i = 0; i < d->nperiods; i++) {
            has_year |= d->periods[i].key == y * 100;
        }
        if (has_year || by == TUMEN_BY_YEAR) {
            if (!grow((void **)&v, &cap, *n + 1, sizeof *v)) {
                free(v);
                return NULL;
            }
            v[(*n)++] = y * 100;
        }
        if (by == TUMEN_BY_YEAR) {
            continue;
        }
        for (int r = step; r <= last; r += step) {
            int32_t k = y * 100 + r;
            /* only within the dated sub-year range */
            int32_t lo_sub = 0, hi_sub = 0;
            for (size_t i = 0; i < d->nperiods; i++) {
                int32_t pk = d->periods[i].key;
                if (pk % 100 == 0) {
                    continue;
                }
                if (lo_sub == 0 || pk < lo_sub) {
                    lo_sub = pk;
                }
                if (pk > hi_sub) {
                    hi_sub = pk;
                }
            }
            if (lo_sub == 0 || k < lo_sub || k > hi_sub) {
                continue;
            }
            if (!grow((void **)&v, &cap, *n + 1, sizeof *v)) {
                free(v);
                return NULL;
            }
            v[(*n)++] = k;
        }
    }
    return v;
}

static const tumen_dyad_period *find_period(const tumen_dyad_summary *d, int32_t key) {
    for (size_t i = 0; i < d->nperiods; i++) {
        if (d->periods[i].key == key) {
            return &d->periods[i];
        }
    }
    return NULL;
}

static void chart_timeline(struct w *w, const tumen_dyad_summary *d, tumen_period by) {
    size_t n = 0;
    int32_t *axis = period_axis(d, by, &n);
    if (axis == NULL || n == 0) {
        put(w, "<p>No dated events.</p>");
        free(axis);
        return;
    }
    const double W = 1100, H = 300, left = 50, right = 20, top = 20, bottom = 60;
    double pw = W - left - right, ph = H - top - bottom, mid = top + ph / 2;
    double maxv = 1;
    for (size_t i = 0; i < n; i++) {
        const tumen_dyad_period *p = find_period(d, axis[i]);
        if (p) {
            maxv = fmax(maxv, fmax(p->coop, p->conflict));
        }
    }
    double bw = pw / (double)n;
    putf(w,
         "<svg id=\"chart-timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
         "%.0f\" width=\"100%%\" role=\"img\" aria-label=\"cooperation and conflict over "
         "time\">",
         W, H);
    putf(w, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#8a93a3\"/>", left,
         mid, W - right, mid);
    putf(w, "<text x=\"4\" y=\"%.1f\">coop</text><text x=\"4\" y=\"%.1f\">conflict</text>",
         top + 12, H - bottom - 4);
    putf(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>", left - 4, top + 4,
         maxv);
    size_t every = n > 24 ? (n + 23) / 24 : 1;
    double prev_x = -1, prev_y = 0;
    for (size_t i = 0; i < n; i++) {
        const tumen_dyad_period *p = find_period(d, axis[i]);
        char label[16];
        key_label(axis[i], by, label);
        double x = left + bw * (double)i;
        if (p) {
            double hc = p->coop / maxv * ph / 2, hk = p->conflict / maxv * ph / 2;
            putf(w,
                 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2a9d4a\">"
                 "<title>%s: cooperation %.1f (%llu events)</title></rect>",
                 x + bw * 0.15, mid - hc, bw * 0.7, hc, label, p->coop,
                 (unsigned long long)p->events);
            putf(w,
                 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c0392b\">"
                 "<title>%s: conflict %.1f</title></rect>",
                 x + bw * 0.15, mid, bw * 0.7, hk, label, p->conflict);
            if (p->events > 0) {
                double cy = mid - p->index * ph / 2, cx = x + bw / 2;
                if (prev_x >= 0) {
                    putf(w,
                         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                         "stroke=\"#2458b3\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
                         prev_x, prev_y, cx, cy);
                }
                putf(w,
                     "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#2458b3\"><title>%s: "
                     "cooperation index %+.2f</title></circle>",
                     cx, cy, label, p->index);
                prev_x = cx;
                prev_y = cy;
            }
        }
        if (i % every == 0) {
            putf(w,
                 "<text transform=\"translate(%.1f %.1f) rotate(-45)\" text-anchor=\"end\">%s"
                 "</text>",
                 x + bw / 2, H - bottom + 14, label);
        }
    }
    put(w, "</svg>");
    free(axis);
}

static void chart_channels(struct w *w, const tumen_dyad_summary *d) {
    size_t shown = 0;
    uint64_t maxv = 1;
    for (size_t c = 0; c < d->nchannels; c++) {
        if (d->total.by_channel[c]) {
            shown++;
            if (d->total.by_channel[c] > maxv) {
                maxv = d->total.by_channel[c];
            }
        }
    }
    if (shown == 0) {
        put(w, "<p>No events.</p>");
        return;
    }
    const double W = 540, row = 26, left = 170;
    double H = row * (double)shown + 10;
    putf(w,
         "<svg id=\"chart-channels\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
         "%.0f\" width=\"100%%\" role=\"img\" aria-label=\"events per channel\">",
         W, H);
    size_t r = 0;
    for (size_t c = 0; c < d->nchannels; c++) {
        uint64_t v = d->total.by_channel[c];
        if (v == 0) {
            continue;
        }
        double y = 5 + row * (double)r++;
        double len = (W - left - 60) * (double)v / (double)maxv;
        put(w, "<text x=\"");
        putf(w, "%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 8, y + 16);
        esc(w, d->channel_labels[c]);
        putf(w,
             "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
             "fill=\"#4a78c2\"><title>",
             left, y + 3, len < 1 ? 1 : len, row - 8);
        esc(w, d->channel_labels[c]);
        putf(w, ": %llu</title></rect><text x=\"%.1f\" y=\"%.1f\">%llu</text>",
             (unsigned long long)v, left + len + 6, y + 16, (unsigned long long)v);
    }
    put(w, "</svg>");
}

static void chart_network(struct w *w, const char *a, const char *b, const tumen_actor_edge *e,
                          size_t n) {
    const double W = 540, H = 420, cx = W / 2, cy = H / 2;
    /* nodes: a, b, then every other country in edge order */
    const char *nodes[32];
    double nx[32], ny[32];
    size_t nn = 0;
    nodes[nn++] = a;
    nodes[nn++] = b;
    for (size_t i = 0; i < n && nn < 32; i++) {
        const char *ends[2] = {e[i].a, e[i].b};
        for (int k = 0; k < 2 && nn < 32; k++) {
            bool seen = false;
            for (size_t j = 0; j < nn && !seen; j++) {
                seen = strcmp(nodes[j], ends[k]) == 0;
            }
            if (!seen) {
                nodes[nn++] = ends[k];
            }
        }
    }
    nx[0] = cx - 80;
    ny[0] = cy;
    nx[1] = cx + 80;
    ny[1] = cy;
    for (size_t i = 2; i < nn; i++) {
        double ang = 2 * PI_ * (double)(i - 2) / (double)(nn - 2) - PI_ / 2;
        nx[i] = cx + 220 * cos(ang);
        ny[i] = cy + 170 * sin(ang);
    }
    uint64_t maxv = 1;
    for (size_t i = 0; i < n; i++) {
        if (e[i].events > maxv) {
            maxv = e[i].events;
        }
    }
    putf(w,
         "<svg id=\"chart-network\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
         "%.0f\" width=\"100%%\" role=\"img\" aria-label=\"actor network\">",
         W, H);
    for (size_t i = 0; i < n; i++) {
        size_t ia = 0, ib = 0;
        for (size_t j = 0; j < nn; j++) {
            if (strcmp(nodes[j], e[i].a) == 0) {
                ia = j;
            }
            if (strcmp(nodes[j], e[i].b) == 0) {
                ib = j;
            }
        }
        const char *col = e[i].index > 0.2 ? "#2a9d4a" : e[i].index < -0.2 ? "#c0392b" : "#8a93a3";
        double sw = 1 + 7 * sqrt((double)e[i].events / (double)maxv);
        put(w, "<line x1=\"");
        putf(w,
             "%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\" "
             "stroke-opacity=\"0.75\"><title>",
             nx[ia], ny[ia], nx[ib], ny[ib], col, sw);
        esc(w, e[i].a);
        put(w, "\xe2\x80\x93");
        esc(w, e[i].b);
        putf(w, ": %llu events, cooperation index %+.2f</title></line>",
             (unsigned long long)e[i].events, e[i].index);
    }
    for (size_t i = 0; i < nn; i++) {
        putf(w,
             "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#1d2330\"/>"
             "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"600\">",
             nx[i], ny[i], i < 2 ? 22 : 17, i < 2 ? "#ffd98a" : "#ffffff", nx[i], ny[i] + 4);
        esc(w, nodes[i]);
        put(w, "</text>");
    }
    put(w, "</svg>");
}

static bool safe_url(const char *u) {
    return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

static void doc_ref(struct w *w, const struct item *it) {
    put(w, "<span class=\"ev\">\xe2\x80\x94 ");
    if (safe_url(it->url)) {
        put(w, "<a href=\"");
        esc(w, it->url);
        put(w, "\">");
        esc(w, it->title[0] ? it->title : it->doc_id);
        put(w, "</a>");
    } else {
        esc(w, it->title[0] ? it->title : it->doc_id);
    }
    if (it->doc_date[0]) {
        put(w, " (");
        esc(w, it->doc_date);
        put(w, ")");
    }
    put(w, "</span>");
}

/* The note under a list that was cut at ITEMS_MAX rows. */
static void more_note(struct w *w, const struct items *l) {
    if (l->more) {
        putf(w, "<p class=\"sub\">The first %d in date order; <code>tumen events</code> "
                "lists them all.</p>",
             ITEMS_MAX);
    }
}

static void facts_table(struct w *w, const struct items *l, bool show_mentions) {
    if (l->n == 0) {
        put(w, "<p>None found.</p>");
        return;
    }
    put(w, "<table><thead><tr><th>Date</th><th>Actors</th><th>Event</th><th>Channel</th>"
           "<th>Quantity</th><th>Evidence</th>");
    if (show_mentions) {
        put(w, "<th>Mentions</th>");
    }
    put(w, "</tr></thead><tbody>");
    for (size_t i = 0; i < l->n; i++) {
        const struct item *it = &l->v[i];
        put(w, "<tr><td class=\"n\">");
        esc(w, it->date[0] ? it->date : "undated");
        put(w, "</td><td>");
        esc(w, it->source);
        put(w, " \xe2\x86\x92 ");
        esc(w, it->target);
        put(w, "</td><td>");
        esc(w, it->statistic ? "statistic" : it->code_name);
        if (!it->statistic) {
            put(w, " <span class=\"tag\">");
            esc(w, it->code);
            put(w, "</span>");
        }
        if (strcmp(it->modality, "asserted") != 0) {
            put(w, " <span class=\"tag\">");
            esc(w, it->modality);
            if (it->attributed[0]) {
                put(w, ": ");
                esc(w, it->attributed);
            }
            put(w, "</span>");
        }
        put(w, "</td><td>");
        esc(w, it->channel);
        put(w, "</td><td class=\"q\">");
        esc(w, it->qty);
        put(w, "</td><td>\xe2\x80\x9c");
        esc(w, it->sentence);
        put(w, "\xe2\x80\x9d ");
        doc_ref(w, it);
        put(w, "</td>");
        if (show_mentions) {
            putf(w, "<td class=\"n\">%lld / %lld</td>", (long long)it->mentions,
                 (long long)it->sources);
        }
        put(w, "</tr>");
    }
    put(w, "</tbody></table>");
}

static tumen_status run_query(tumen_store *s, const tumen_events_query *q, struct items *l,
                              tumen_error *err) {
    if (l->more) {
        return TUMEN_OK; /* full already */
    }
    tumen_status st = tumen_store_events(s, q, collect, l, err);
    if (l->oom) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    return st == TUMEN_STOPPED && l->more ? TUMEN_OK : st;
}

/* The report's list of sources: documents with events of either country, in date order,
 * with their number of such events. Documents come from doc_terms; their events are counted
 * on the raw event_data (evscan). At most SOURCES_MAX are listed, then a count of the rest. */
#define SOURCES_MAX 400

static void sources_list(struct w *w, tumen_store *s, const char *a, const char *b) {
    struct buf ma, mb;
    buf_init(&ma, 0);
    buf_init(&mb, 0);
    bool by_terms = store_terms_query(s, a, NULL, 0, &ma) &&
                    store_terms_query(s, b, NULL, 0, &mb) && buf_add(&ma, " OR ", 4) == 0 &&
                    buf_add(&ma, mb.data, mb.len) == TUMEN_OK;
    sqlite3_stmt *q = NULL;
    const char *sql =
        by_terms ? "SELECT doc_id, coalesce(title,''), coalesce(date,''), coalesce(url,''), "
                   "event_data FROM documents WHERE id IN (SELECT rowid FROM doc_terms WHERE "
                   "doc_terms MATCH ?1) ORDER BY date, id"
                 : "SELECT doc_id, coalesce(title,''), coalesce(date,''), coalesce(url,''), "
                   "event_data FROM documents ORDER BY date, id";
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
        buf_fini(&ma);
        buf_fini(&mb);
        w->st = TUMEN_DB;
        return;
    }
    if (by_terms) {
        sqlite3_bind_text(q, 1, ma.data, (int)ma.len, SQLITE_TRANSIENT);
    }
    buf_fini(&ma);
    buf_fini(&mb);
    put(w, "<ul class=\"src\">");
    long nrows = 0;
    while (sqlite3_step(q) == SQLITE_ROW && w->st == TUMEN_OK) {
        const char *data = (const char *)sqlite3_column_blob(q, 4);
        size_t dn = (size_t)sqlite3_column_bytes(q, 4), pos = 0, x = 0, y = 0;
        int n = 0;
        while (evscan_next(data, dn, &pos, &x, &y) == 1) {
            const char *v[EV_TGT + 1];
            size_t l[EV_TGT + 1];
            char sc[4], tc[4];
            if (evscan_elems(data + x, y - x, v, l, EV_TGT + 1) < 0) {
                break;
            }
            store_country_raw(v[EV_SRC], l[EV_SRC], sc);
            store_country_raw(v[EV_TGT], l[EV_TGT], tc);
            n += strcmp(sc, a) == 0 || strcmp(sc, b) == 0 || strcmp(tc, a) == 0 ||
                 strcmp(tc, b) == 0;
        }
        if (n == 0) {
            continue;
        }
        if (++nrows > SOURCES_MAX) {
            continue; /* counted only */
        }
        const char *id = (const char *)sqlite3_column_text(q, 0);
        const char *title = (const char *)sqlite3_column_text(q, 1);
        const char *date = (const char *)sqlite3_column_text(q, 2);
        const char *url = (const char *)sqlite3_column_text(q, 3);
        put(w, "<li>");
        esc(w, date[0] ? date : "undated");
        put(w, " \xe2\x80\x94 ");
        if (safe_url(url)) {
            put(w, "<a href=\"");
            esc(w, url);
            put(w, "\">");
        }
        esc(w, title[0] ? title : (id ? id : "(untitled)"));
        if (safe_url(url)) {
            put(w, "</a> <span class=\"ev\">");
            esc(w, url);
            put(w, "</span>");
        }
        putf(w, " <span class=\"tag\">%d events</span></li>", n);
    }
    sqlite3_finalize(q);
    put(w, "</ul>");
    if (nrows > SOURCES_MAX) {
        putf(w, "<p>\xe2\x80\xa6 and %ld more documents (<code>tumen events --actor</code> lists "
                "them).</p>",
             nrows - SOURCES_MAX);
    } else if (nrows == 0) {
        put(w, "<p>No documents.</p>");
    }
}

tumen_status tumen_store_report(tumen_store *s, const tumen_report_options *o, char **html,
                                size_t *len, tumen_error *err) {
    store_sync(s);
    *html = NULL;
    if (o->a == NULL || o->b == NULL) {
        return err_set(err, TUMEN_INVALID, s->path, 0, 0, "a report needs two countries");
    }
    tumen_dyad_summary *facts = NULL, *all = NULL;
    tumen_dyad_query dq = {o->a, o->b, o->by, NULL, 1, 0};
    tumen_status st = tumen_store_dyad(s, &dq, &facts, err);
    if (st == TUMEN_OK) {
        dq.facts_only = 0;
        st = tumen_store_dyad(s, &dq, &all, err);
    }
    tumen_actor_edge *edges = NULL;
    size_t nedges = 0;
    char around[64];
    snprintf(around, sizeof around, "%s,%s", o->a, o->b);
    if (st == TUMEN_OK) {
        st = tumen_store_actors(s, 16, around, 0, &edges, &nedges, err);
    }
    struct items key = {0}, ctx = {0}, fut = {0};
    key.keep = keep_fact;
    ctx.keep = keep_context;
    tumen_events_query q;
    memset(&q, 0, sizeof q);
    q.a = o->a;
    q.b = o->b;
    q.modalities = 1u << TUMEN_ASSERTED | 1u << TUMEN_REPORTED;
    q.one_per_cluster = 1;
    if (st == TUMEN_OK) {
        st = run_query(s, &q, &key, err);
    }
    /* context: each member of the dyad with third parties */
    for (int side = 0; side < 2 && st == TUMEN_OK; side++) {
        tumen_events_query cq = q;
        cq.a = side == 0 ? o->a : o->b;
        cq.b = NULL;
        st = run_query(s, &cq, &ctx, err);
    }
    /* drop context rows that are already key facts (the dyad itself) */
    for (size_t i = 0; i < ctx.n;) {
        const struct item *it = &ctx.v[i];
        bool dyad = (strncmp(it->source, o->a, 3) == 0 && strncmp(it->target, o->b, 3) == 0) ||
                    (strncmp(it->source, o->b, 3) == 0 && strncmp(it->target, o->a, 3) == 0);
        if (dyad) {
            item_free(&ctx.v[i]);
            ctx.v[i] = ctx.v[--ctx.n];
        } else {
            i++;
        }
    }
    qsort(ctx.v, ctx.n, sizeof *ctx.v, cmp_item);
    q.modalities = 1u << TUMEN_FORECAST | 1u << TUMEN_HYPOTHETICAL;
    for (int side = 0; side < 2 && st == TUMEN_OK; side++) {
        tumen_events_query fq = q;
        fq.a = side == 0 ? o->a : o->b;
        fq.b = NULL;
        st = run_query(s, &fq, &fut, err);
    }
    qsort(fut.v, fut.n, sizeof *fut.v, cmp_item);

    struct w w;
    buf_init(&w.b, 0);
    w.st = st;
    char title[200];
    if (o->title) {
        snprintf(title, sizeof title, "%s", o->title);
    } else {
        snprintf(title, sizeof title, "%s\xe2\x80\x93%s relations", o->a, o->b);
    }
    put(&w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\"><title>");
    esc(&w, title);
    put(&w, "</title><style>");
    put(&w, css);
    put(&w, "</style></head><body><main><h1>");
    esc(&w, title);
    put(&w, "</h1><p class=\"sub\">Generated by tumen " TUMEN_VERSION
            " from coded events in the event store. Counts include both directions.</p>");
    if (all && facts) {
        /* documents with an event of the dyad: doc_terms has a term per dyad of a document */
        uint64_t docs = 0;
        sqlite3_stmt *qd = NULL;
        struct buf match;
        buf_init(&match, 0);
        if (store_terms_query(s, o->a, o->b, 0, &match) &&
            sqlite3_prepare_v2(s->db,
                               "SELECT count(*) FROM doc_terms WHERE doc_terms MATCH ?1", -1,
                               &qd, NULL) == SQLITE_OK) {
            sqlite3_bind_text(qd, 1, match.data, (int)match.len, SQLITE_TRANSIENT);
            if (sqlite3_step(qd) == SQLITE_ROW) {
                docs = (uint64_t)sqlite3_column_int64(qd, 0);
            }
        }
        buf_fini(&match);
        sqlite3_finalize(qd);
        putf(&w,
             "<div class=\"cards\"><div class=\"card\"><b>%llu</b><span>events (all "
             "modalities)</span></div><div class=\"card\"><b>%llu</b><span>asserted or "
             "reported</span></div><div class=\"card\"><b>%llu</b><span>statistics</span></div>"
             "<div class=\"card\"><b>%+.2f</b><span>cooperation index (facts)</span></div>"
             "<div class=\"card\"><b>%llu</b><span>documents</span></div></div>",
             (unsigned long long)all->total.events, (unsigned long long)facts->total.events,
             (unsigned long long)all->total.statistics, facts->total.index,
             (unsigned long long)docs);
        put(&w, "<h2>Cooperation and conflict over time</h2><figure>");
        chart_timeline(&w, facts, o->by);
        put(&w, "<figcaption>Asserted and reported events. Green: summed positive Goldstein "
                "scores (cooperation); red: summed negative scores (conflict); blue dots: "
                "cooperation index (coop \xe2\x88\x92 conflict) / (coop + conflict), from "
                "\xe2\x88\x92" "1 (bottom) to +1 (top). An event's period is its stated time, "
                "else its document's date.</figcaption></figure>");
        put(&w, "<div class=\"two\"><div><h2>Channels</h2><figure>");
        chart_channels(&w, all);
        put(&w, "<figcaption>Events and statistics per analyst channel, all modalities "
                "(data/channels.tsv).</figcaption></figure></div><div><h2>Actor network</h2>"
                "<figure>");
        chart_network(&w, o->a, o->b, edges, nedges);
        put(&w, "<figcaption>Country pairs involving ");
        esc(&w, o->a);
        put(&w, " or ");
        esc(&w, o->b);
        put(&w, "; line width: events; colour: net cooperation (green cooperative, red "
                "conflictual, grey mixed).</figcaption></figure></div></div>");
    }
    put(&w, "<h2>Key facts</h2><p class=\"sub\">Asserted and reported events between ");
    esc(&w, o->a);
    put(&w, " and ");
    esc(&w, o->b);
    put(&w, " with quantities, agreements, material acts or several sources; one row per "
            "merged event (mentions / sources).</p>");
    qsort(key.v, key.n, sizeof *key.v, cmp_item);
    facts_table(&w, &key, true);
    more_note(&w, &key);
    put(&w, "<h2>Around the dyad</h2><p class=\"sub\">Each side with third parties: UN and "
            "multilateral bodies, sanctions, troops, treaties, and facts with quantities.</p>");
    facts_table(&w, &ctx, true);
    more_note(&w, &ctx);
    put(&w, "<h2>Forecasts and hypotheticals</h2><p class=\"sub\">As the texts state them, "
            "with their probability words.</p>");
    if (fut.n == 0) {
        put(&w, "<p>None found.</p>");
    } else {
        put(&w, "<ul>");
        for (size_t i = 0; i < fut.n; i++) {
            const struct item *it = &fut.v[i];
            put(&w, "<li><span class=\"tag\">");
            esc(&w, it->modality);
            put(&w, "</span> ");
            if (it->prob_words[0]) {
                put(&w, "<span class=\"pw\">");
                esc(&w, it->prob_words);
                put(&w, "</span> ");
            }
            esc(&w, it->source);
            put(&w, " \xe2\x86\x92 ");
            esc(&w, it->target);
            put(&w, ": ");
            esc(&w, it->code_name);
            if (it->qty[0]) {
                put(&w, " <span class=\"q\">");
                esc(&w, it->qty);
                put(&w, "</span>");
            }
            put(&w, "<br><span class=\"ev\">\xe2\x80\x9c");
            esc(&w, it->sentence);
            put(&w, "\xe2\x80\x9d</span> ");
            doc_ref(&w, it);
            put(&w, "</li>");
        }
        put(&w, "</ul>");
        more_note(&w, &fut);
    }
    put(&w, "<h2>Sources</h2>");
    if (w.st == TUMEN_OK) {
        sources_list(&w, s, o->a, o->b);
    }
    put(&w, "<footer>Events coded with CAMEO 1.1b3; Goldstein scores per CAMEO. Modalities: "
            "asserted, reported (attributed), hypothetical, forecast, negated, denied. "
            "Store schema and definitions: docs/store.md.</footer></main></body></html>\n");
    items_free(&key);
    items_free(&ctx);
    items_free(&fut);
    free(edges);
    tumen_dyad_summary_free(facts);
    tumen_dyad_summary_free(all);
    if (w.st != TUMEN_OK) {
        buf_fini(&w.b);
        if (err && err->status == TUMEN_OK) {
            err_set(err, w.st, s->path, 0, 0, "writing the report: %s", tumen_strerror(w.st));
        }
        return w.st == st ? st : w.st;
    }
    *html = w.b.data;
    if (len) {
        *len = w.b.len;
    }
    return TUMEN_OK;
}
