/* Merged duplicates: the same real-world event reported by several documents becomes one
 * cluster. Events are assigned while they are stored (incrementally, batch by batch).
 *
 * Matching (docs/store.md, "Clusters"):
 *   key  = dyad + code family + channel + mode
 *          dyad:    source and target country (first 3 letters of the actor codes), ordered
 *                   "RUS>PRK", or unordered "PRK=RUS" for symmetric (joint) acts;
 *          family:  equivalence classes of CAMEO codes (econ, mil, agree) else the root;
 *                   statistics use "stat:<unit>";
 *          mode:    F facts (asserted, reported), P possible (hypothetical, forecast),
 *                   N negated or denied.
 *   when = the event's stated time ("when"), or, when the text states none, its document's
 *          date cut to the month ("2024-06"), must be compatible with the cluster's time:
 *          equal ("when=exact"), one a prefix of the other ("when=prefix", e.g. 2022 and
 *          2022-08; the cluster keeps the common prefix), or one of them empty
 *          ("when=one-empty"; only when neither a when nor a document date exists). Rules
 *          that used the document date are named "doc-date=exact" / "doc-date=prefix".
 *          Among several candidates the most specific match wins, then the cluster with the
 *          most mentions. An event that matches nothing starts a cluster
 *          ("new"). Events with an unknown source or target country are not clustered. */
#include "store_impl.h"

#include "evscan.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const econ_codes[] = {"061", "0311", "0313", "014", "071",
                                         "0211", "0231", "0331"};
static const char *const mil_codes[] = {"062", "072", "074", "0312", "0332", "0212", "0232"};

/* A code of at most 7 bytes as one integer (0 for a longer one), so that the lists compare
 * as integers: cluster_family runs for every event stored. */
static uint64_t pack_code(const char *c) {
    uint64_t v = 0;
    for (int i = 0; c[i]; i++) {
        if (i == 7) {
            return 0;
        }
        v |= (uint64_t)(unsigned char)c[i] << (8 * i);
    }
    return v;
}

static bool in_list(const char *code, const char *const *list, size_t n) {
    uint64_t v = pack_code(code);
    for (size_t i = 0; v && i < n; i++) {
        if (v == pack_code(list[i])) {
            return true;
        }
    }
    return false;
}

void cluster_family(const tumen_event *ev, char out[32]) {
    const char *f;
    if (ev->kind == TUMEN_KIND_STATISTIC) {
        snprintf(out, 32, "stat:%s", ev->quantity.present ? ev->quantity.unit : "");
        return;
    }
    if (in_list(ev->code, econ_codes, sizeof econ_codes / sizeof econ_codes[0])) {
        f = "econ";
    } else if (in_list(ev->code, mil_codes, sizeof mil_codes / sizeof mil_codes[0])) {
        f = "mil";
    } else if (strcmp(ev->code, "057") == 0) {
        f = "agree";
    } else {
        out[0] = 'r';
        out[1] = ev->code[0];
        out[2] = ev->code[0] ? ev->code[1] : '\0';
        out[3] = '\0';
        return;
    }
    memcpy(out, f, strlen(f) + 1);
}

static char mode_of(tumen_modality m) {
    switch (m) {
    case TUMEN_ASSERTED:
    case TUMEN_REPORTED:
        return 'F';
    case TUMEN_HYPOTHETICAL:
    case TUMEN_FORECAST:
        return 'P';
    default:
        return 'N';
    }
}

void cluster_cache_init(tumen_store *s) {
    intern_init(&s->cl_keys);
    intern_init(&s->cl_names);
    s->cl_kslots = NULL;
    s->cl_kslot_n = s->cl_kslot_cap = 0;
    s->cl_keyinfo = NULL;
    s->cl_keyinfo_cap = 0;
    s->cl_buckets = NULL;
    s->cl_nbuckets = s->cl_bucket_cap = 0;
    s->cls = NULL;
    s->ncls = s->cap_cls = 0;
    s->cl_dirty = NULL;
    s->ndirty = s->cap_dirty = 0;
    s->cl_complete = 0;
    memset(s->cl_bucket_loaded, 0, sizeof s->cl_bucket_loaded);
    s->bucket_loads = 0;
    s->cl_year_mode = -1;
    s->cl_nyears = 0;
}

void cluster_cache_fini(tumen_store *s) {
    intern_fini(&s->cl_keys);
    intern_fini(&s->cl_names);
    free(s->cl_kslots);
    free(s->cl_keyinfo);
    free(s->cl_buckets);
    free(s->cls);
    free(s->cl_dirty);
    cluster_cache_init(s);
}

void cluster_cache_clear(tumen_store *s) {
    cluster_cache_fini(s);
}

static void copy_str(char *dst, size_t size, const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
    }
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

/* The bucket tag of a time: its first 4 bytes (the year), 0 for none, 1 when shorter. Two
 * times of which one is a prefix of the other share the tag unless one is shorter than 4. */
static uint32_t time_tag(const char *t, size_t len) {
    if (len == 0) {
        return 0;
    }
    if (len < 4) {
        return 1;
    }
    return (uint32_t)(unsigned char)t[0] | (uint32_t)(unsigned char)t[1] << 8 |
           (uint32_t)(unsigned char)t[2] << 16 | (uint32_t)(unsigned char)t[3] << 24;
}

static uint64_t bucket_hash(uint32_t key, uint32_t tag) {
    uint64_t h = ((uint64_t)key * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)tag * 0xC2B2AE3D27D4EB4Full);
    return h ^ h >> 29;
}

static size_t bucket_slot(const tumen_store *s, uint32_t key, uint32_t tag) {
    size_t mask = s->cl_bucket_cap - 1;
    size_t j = (size_t)bucket_hash(key, tag) & mask;
    while (s->cl_buckets[j].head != -1 &&
           (s->cl_buckets[j].key != key || s->cl_buckets[j].tag != tag)) {
        j = (j + 1) & mask;
    }
    return j;
}

/* The head of bucket (key, tag), creating it; NULL on out of memory. */
static int32_t *bucket_head(tumen_store *s, uint32_t key, uint32_t tag, int create) {
    if (create && (s->cl_nbuckets + 1) * 2 > s->cl_bucket_cap) {
        size_t ncap = s->cl_bucket_cap ? s->cl_bucket_cap * 2 : 1024;
        struct cl_bucket *nb = malloc(ncap * sizeof *nb);
        if (nb == NULL) {
            return NULL;
        }
        for (size_t i = 0; i < ncap; i++) {
            nb[i].head = -1;
        }
        struct cl_bucket *old = s->cl_buckets;
        size_t ocap = s->cl_bucket_cap;
        s->cl_buckets = nb;
        s->cl_bucket_cap = ncap;
        for (size_t i = 0; i < ocap; i++) {
            if (old[i].head != -1) {
                s->cl_buckets[bucket_slot(s, old[i].key, old[i].tag)] = old[i];
            }
        }
        free(old);
    }
    if (s->cl_bucket_cap == 0) {
        return NULL;
    }
    size_t j = bucket_slot(s, key, tag);
    if (s->cl_buckets[j].head == -1) {
        if (!create) {
            return NULL;
        }
        s->cl_buckets[j].key = key;
        s->cl_buckets[j].tag = tag;
        s->cl_buckets[j].head = -2; /* used, empty list */
        s->cl_nbuckets++;
    }
    return &s->cl_buckets[j].head;
}

static tumen_status bucket_push(tumen_store *s, int32_t i) {
    struct cl *c = &s->cls[i];
    uint32_t tag = time_tag(c->time, strlen(c->time));
    int32_t *h = bucket_head(s, c->key, tag, 1);
    if (h == NULL) {
        return TUMEN_NOMEM;
    }
    s->cl_keyinfo[c->key].short_times += tag <= 1;
    c->next_b = *h >= 0 ? *h : -1;
    *h = i;
    return TUMEN_OK;
}

static void bucket_unlink(tumen_store *s, int32_t i, uint32_t tag) {
    s->cl_keyinfo[s->cls[i].key].short_times -= tag <= 1;
    int32_t *head = bucket_head(s, s->cls[i].key, tag, 0);
    for (int32_t *h = head; h && *h >= 0; h = &s->cls[*h].next_b) {
        if (*h == i) {
            *h = s->cls[i].next_b;
            break;
        }
    }
    if (head && *head == -1) {
        *head = -2; /* the bucket stays in use, with an empty list */
    }
}

static struct cl *new_cl(tumen_store *s, uint32_t key, const char *time) {
    size_t cap = s->cap_cls;
    if (s->ncls >= INT32_MAX || !grow((void **)&s->cls, &cap, s->ncls + 1, sizeof *s->cls)) {
        return NULL;
    }
    s->cap_cls = cap;
    int32_t i = (int32_t)s->ncls;
    struct cl *c = &s->cls[i];
    memset(c, 0, sizeof *c);
    c->key = key;
    copy_str(c->time, sizeof c->time, time);
    c->next_k = s->cl_keyinfo[key].head;
    if (bucket_push(s, i) != TUMEN_OK) {
        return NULL;
    }
    s->cl_keyinfo[key].head = i;
    s->ncls++;
    return c;
}

static tumen_status mark_dirty(tumen_store *s, struct cl *c) {
    if (c->dirty) {
        return TUMEN_OK;
    }
    size_t cap = s->cap_dirty;
    if (!grow((void **)&s->cl_dirty, &cap, s->ndirty + 1, sizeof *s->cl_dirty)) {
        return TUMEN_NOMEM;
    }
    s->cap_dirty = cap;
    s->cl_dirty[s->ndirty++] = (int32_t)(c - s->cls);
    c->dirty = 1;
    return TUMEN_OK;
}

/* The bucket of a key: 12 bits of its 64-bit FNV-1a hash. FTS5 indexes a few thousand
 * distinct terms several times faster than one term per key (about 1 us per posting at
 * 100k distinct terms), and a bucket is small enough to read back whole. */
static unsigned key_bucket(const char *key, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)key[i]) * 0x100000001b3ull;
    }
    return (unsigned)(h >> 52);
}

size_t cluster_year_term(uint32_t tag, char out[10]) {
    static const char hex[] = "0123456789abcdef";
    out[0] = 'y';
    if (tag <= 1) {
        out[1] = (char)('0' + tag);
        out[2] = '\0';
        return 2;
    }
    char c[4];
    bool alnum = true;
    for (int i = 0; i < 4; i++) {
        c[i] = (char)(tag >> (8 * i));
        alnum = alnum && ((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'a' && c[i] <= 'z') ||
                          (c[i] >= 'A' && c[i] <= 'Z'));
    }
    if (alnum) {
        /* the year as written ("y2024"); the tokenizer folds letters, so two tags may share
         * a term: the reader compares tags */
        memcpy(out + 1, c, 4);
        out[5] = '\0';
        return 5;
    }
    for (int i = 0; i < 8; i++) {
        out[1 + i] = hex[(tag >> (28 - 4 * i)) & 15];
    }
    out[9] = '\0';
    return 9;
}

void cluster_bucket_term(unsigned b, char out[5]) {
    static const char hex[] = "0123456789abcdef";
    out[0] = 'k';
    out[1] = hex[(b >> 8) & 15];
    out[2] = hex[(b >> 4) & 15];
    out[3] = hex[b & 15];
    out[4] = '\0';
}

/* The match key of event e between countries a and b (neither "---"):
 * "<a><'>' or '='><b>|<family>|<channel>|<mode>", symmetric dyads sorted. Returns its length;
 * a and b are swapped in place for a symmetric event when needed. */
static void order_dyad(char a[4], char b[4], const tumen_event *e) {
    if (e->symmetric && strcmp(a, b) > 0) {
        char tmp[4];
        memcpy(tmp, a, 4);
        memcpy(a, b, 4);
        memcpy(b, tmp, 4);
    }
}

/* The length of a channel as a key holds it: channels are short; a long one is cut,
 * consistently. */
#define KEY_CHANNEL_MAX (160 - 48)
static size_t key_channel_len(const char *channel) {
    size_t n = channel ? strlen(channel) : 0;
    return n > KEY_CHANNEL_MAX ? KEY_CHANNEL_MAX : n;
}

static size_t make_key(char a[4], char b[4], const tumen_event *e, char key[160]) {
    char family[32];
    cluster_family(e, family);
    char mode = mode_of(e->modality);
    int sym = e->symmetric != 0;
    order_dyad(a, b, e);
    size_t kl = 0, fl = strlen(family), cl = key_channel_len(e->channel);
    memcpy(key, a, 3);
    key[3] = sym ? '=' : '>';
    memcpy(key + 4, b, 3);
    key[7] = '|';
    kl = 8;
    memcpy(key + kl, family, fl);
    kl += fl;
    key[kl++] = '|';
    if (cl) {
        memcpy(key + kl, e->channel, cl);
    }
    kl += cl;
    key[kl++] = '|';
    key[kl++] = mode;
    key[kl] = '\0';
    return kl;
}

/* A stored event of the bucket being read back (load_bucket). */
struct lb_row {
    int64_t cl, id, doc;
    int32_t dk;
    uint32_t key;
    int8_t quad;
    char t[11], code[7];
};

_Static_assert(sizeof(struct lb_row) % 8 == 0, "radix_sort_u64 moves 8-byte words");

static int cmp_lb_row(const void *a, const void *b) {
    const struct lb_row *x = a, *y = b;
    if (x->cl != y->cl) {
        return x->cl < y->cl ? -1 : 1;
    }
    return (x->id > y->id) - (x->id < y->id);
}

static void val_str(const char *v, size_t n, char *out, size_t cap) {
    if (v == NULL) {
        out[0] = '\0';
    } else {
        evscan_unescape(v, n, out, cap);
    }
}

/* The event and countries a stored event's key is made from, from its elements
 * (evscan_elems; e->channel points into chbuf). */
static void stored_key(const char *const *v, const size_t *l, tumen_event *e, char a[4],
                       char b[4], char chbuf[64]) {
    memset(e, 0, sizeof *e);
    store_country_raw(v[EV_SRC], l[EV_SRC], a);
    store_country_raw(v[EV_TGT], l[EV_TGT], b);
    e->symmetric = evscan_intv(v[EV_SYM], l[EV_SYM], 0) != 0;
    val_str(v[EV_CODE], l[EV_CODE], e->code, sizeof e->code);
    e->kind = evscan_intv(v[EV_K], l[EV_K], 0) == 1 ? TUMEN_KIND_STATISTIC : TUMEN_KIND_EVENT;
    e->quantity.present = evscan_intv(v[EV_QP], l[EV_QP], 0) == 1;
    val_str(v[EV_QU], l[EV_QU], e->quantity.unit, sizeof e->quantity.unit);
    long long m = evscan_intv(v[EV_M], l[EV_M], -1);
    /* an unknown modality: mode N, as the weakest claim */
    e->modality = m >= TUMEN_ASSERTED && m <= TUMEN_FORECAST ? (tumen_modality)m : TUMEN_DENIED;
    val_str(v[EV_CH], l[EV_CH], chbuf, 64);
    e->channel = chbuf[0] ? chbuf : "other";
}

static size_t common_prefix(const char *a, const char *b);

/* Bucket reads after which the rest is read in one pass (load_all). */
#define LOAD_ALL_AFTER 32

/* ---- the key table ----
 *
 * Every event stored looks its key up, so the lookup goes by the key's identity as two
 * integers (pack_key: countries, mode and symmetry; family and channel as ids in
 * s->cl_names) in a table of its own, one probe and one read of the key's info; the key's
 * string (make_key), which the store keeps, is made only for a key not in the cache. Keys
 * made from equal strings are one key. */

static uint64_t pack3(const char c[4]) {
    return (uint64_t)(unsigned char)c[0] | (uint64_t)(unsigned char)c[1] << 8 |
           (uint64_t)(unsigned char)c[2] << 16;
}

/* The identity of event e's key between countries a and b, ordered in place as make_key
 * orders them. False on out of memory. */
static bool pack_key(tumen_store *s, char a[4], char b[4], const tumen_event *e, uint64_t k[2]) {
    order_dyad(a, b, e);
    char family[32];
    cluster_family(e, family);
    uint32_t f = intern_add(&s->cl_names, family, strlen(family));
    uint32_t c =
        intern_add(&s->cl_names, e->channel ? e->channel : "", key_channel_len(e->channel));
    if (f == TUMEN_NOID || c == TUMEN_NOID) {
        return false;
    }
    k[0] = pack3(a) | pack3(b) << 24 | (uint64_t)(unsigned char)mode_of(e->modality) << 48 |
           (uint64_t)(e->symmetric != 0) << 56;
    k[1] = (uint64_t)f | (uint64_t)c << 32;
    return true;
}

static uint64_t key_hash(const uint64_t k[2]) {
    uint64_t h =
        k[0] * 0x9E3779B97F4A7C15ull ^ (k[1] + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full;
    return h ^ h >> 29;
}

/* The key id of identity k (hash h), TUMEN_NOID when not cached. */
static uint32_t key_find(const tumen_store *s, const uint64_t k[2], uint64_t h) {
    if (s->cl_kslot_cap == 0) {
        return TUMEN_NOID;
    }
    size_t mask = s->cl_kslot_cap - 1;
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t j = (size_t)h & mask;; j = (j + 1) & mask) {
        uint64_t v = s->cl_kslots[j];
        if (v == 0) {
            return TUMEN_NOID;
        }
        if ((uint32_t)(v >> 32) == tag) {
            uint32_t id = (uint32_t)v - 1;
            const struct cl_key *ki = &s->cl_keyinfo[id];
            if (ki->id[0] == k[0] && ki->id[1] == k[1]) {
                return id;
            }
        }
    }
}

static void kslot_put(uint64_t *slots, size_t cap, uint64_t h, uint32_t id) {
    size_t j = (size_t)h & (cap - 1);
    while (slots[j] != 0) {
        j = (j + 1) & (cap - 1);
    }
    slots[j] = ((uint64_t)id + 1) | (h >> 32) << 32;
}

/* Adds key id with identity hash h to the table. False on out of memory. */
static bool key_slot_add(tumen_store *s, uint64_t h, uint32_t id) {
    if ((s->cl_kslot_n + 1) * 2 > s->cl_kslot_cap) {
        size_t ncap = s->cl_kslot_cap ? s->cl_kslot_cap * 2 : 4096;
        uint64_t *ns = calloc(ncap, sizeof *ns);
        if (ns == NULL) {
            return false;
        }
        for (size_t j = 0; j < s->cl_kslot_cap; j++) {
            if (s->cl_kslots[j] != 0) {
                uint32_t kid = (uint32_t)s->cl_kslots[j] - 1;
                kslot_put(ns, ncap, key_hash(s->cl_keyinfo[kid].id), kid);
            }
        }
        free(s->cl_kslots);
        s->cl_kslots = ns;
        s->cl_kslot_cap = ncap;
    }
    kslot_put(s->cl_kslots, s->cl_kslot_cap, h, id);
    s->cl_kslot_n++;
    return true;
}

/* The key id of key string `key` (length kl, bucket `bucket`) of identity k (hash h), for
 * event e between countries a and b (ordered), with its key info made when the key is new.
 * TUMEN_NOID on out of memory. */
static uint32_t key_new(tumen_store *s, const uint64_t k[2], uint64_t h, const char *key, size_t kl,
                        unsigned bucket, const char *a, const char *b, const tumen_event *e) {
    size_t nkeys = s->cl_keys.n;
    uint32_t id = intern_add(&s->cl_keys, key, kl);
    if (id == TUMEN_NOID) {
        return id;
    }
    if (s->cl_keys.n == nkeys) {
        return id; /* another identity with the same string: the same key */
    }
    if (id >= s->cl_keyinfo_cap) {
        size_t cap = s->cl_keyinfo_cap;
        if (!grow((void **)&s->cl_keyinfo, &cap, (size_t)id + 1, sizeof *s->cl_keyinfo)) {
            return TUMEN_NOID;
        }
        s->cl_keyinfo_cap = cap;
    }
    struct cl_key *ki = &s->cl_keyinfo[id];
    memset(ki, 0, sizeof *ki);
    ki->id[0] = k[0];
    ki->id[1] = k[1];
    ki->bucket = bucket;
    ki->head = -1;
    memcpy(ki->src, a, 4);
    memcpy(ki->tgt, b, 4);
    cluster_family(e, ki->family);
    copy_str(ki->channel, sizeof ki->channel, e->channel);
    ki->mode[0] = key[kl - 1];
    ki->symmetric = e->symmetric != 0;
    return key_slot_add(s, h, id) ? id : TUMEN_NOID;
}

/* The key id of event e between countries a and b (ordered in place), made when new, its
 * string only then. TUMEN_NOID on out of memory. */
static uint32_t key_intern(tumen_store *s, char a[4], char b[4], const tumen_event *e) {
    uint64_t k[2];
    if (!pack_key(s, a, b, e, k)) {
        return TUMEN_NOID;
    }
    uint64_t h = key_hash(k);
    uint32_t id = key_find(s, k, h);
    if (id == TUMEN_NOID) {
        char key[160];
        size_t kl = make_key(a, b, e, key);
        id = key_new(s, k, h, key, kl, key_bucket(key, kl), a, b, e);
    }
    return id;
}

static bool year_loaded(const tumen_store *s, uint32_t tag);

/* A cluster being rebuilt by load_bucket. */
struct rebuild {
    struct cl c;
    uint32_t key;
    char time[11];
    int have;
};

static tumen_status rebuild_end(tumen_store *s, struct rebuild *r, tumen_error *err) {
    if (!r->have) {
        return TUMEN_OK;
    }
    r->have = 0;
    if (s->cl_year_mode == 1 && year_loaded(s, time_tag(r->time, strlen(r->time)))) {
        return TUMEN_OK; /* read back with its year already */
    }
    struct cl *c = new_cl(s, r->key, r->time);
    if (c == NULL) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    int32_t keep_k = c->next_k, keep_b = c->next_b;
    char keep_time[11];
    memcpy(keep_time, c->time, sizeof keep_time);
    c->id = r->c.id;
    c->first_event = r->c.first_event;
    c->mentions = r->c.mentions;
    c->sources = r->c.sources;
    c->last_doc = r->c.last_doc;
    c->first_key = r->c.first_key;
    c->last_key = r->c.last_key;
    memcpy(c->code, r->c.code, sizeof c->code);
    c->quad = r->c.quad;
    c->next_k = keep_k;
    c->next_b = keep_b;
    memcpy(c->time, keep_time, sizeof keep_time);
    return TUMEN_OK;
}

/* Reads the clustered events of q's documents (columns: first event id, event_data) whose
 * key bucket is `bucket`, or (bucket < 0) any bucket not loaded yet, and rebuilds their
 * clusters: grouped by cluster id, each cluster's key made again from its first event's
 * fields, its time the common prefix of its mentions' times (which is what assigning them one
 * by one made it). */
static bool year_loaded(const tumen_store *s, uint32_t tag) {
    for (unsigned i = 0; i < s->cl_nyears; i++) {
        if (s->cl_years[i] == tag) {
            return true;
        }
    }
    return false;
}

static tumen_status load_rows(tumen_store *s, sqlite3_stmt *q, int bucket, int64_t year,
                              tumen_error *err) {
    struct lb_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    tumen_status st = TUMEN_OK;
    int rc;
    while (st == TUMEN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t first = sqlite3_column_int64(q, 0);
        const char *data = (const char *)sqlite3_column_blob(q, 1);
        size_t dn = (size_t)sqlite3_column_bytes(q, 1), pos = 0, x = 0, y = 0;
        int got;
        for (int64_t i = 0; (got = evscan_next(data, dn, &pos, &x, &y)) == 1; i++) {
            const char *v[EV_COUNT];
            size_t l[EV_COUNT];
            if (evscan_elems(data + x, y - x, v, l, EV_COUNT) < 0) {
                got = -1;
                break;
            }
            long long kb = evscan_intv(v[EV_KB], l[EV_KB], -1);
            long long cl = evscan_intv(v[EV_CL], l[EV_CL], 0);
            if (cl <= 0 || kb < 0 || kb > 4095 ||
                (bucket >= 0 ? kb != bucket
                             : (s->cl_bucket_loaded[kb / 8] & (1u << (kb % 8))) != 0)) {
                continue; /* not clustered, or another bucket */
            }
            char t[11];
            int32_t dk = (int32_t)evscan_intv(v[EV_DK], l[EV_DK], 0);
            val_str(v[EV_W], l[EV_W], t, sizeof t);
            if (t[0] == '\0') {
                char d[11];
                store_key_date(dk, d); /* no stated time: the date, to the month */
                copy_str(t, 8, d);
            }
            if (year >= 0 && time_tag(t, strlen(t)) != (uint32_t)year) {
                continue; /* another year */
            }
            tumen_event e;
            char a[4], b[4], ch[64];
            stored_key(v, l, &e, a, b, ch);
            uint32_t k = key_intern(s, a, b, &e);
            if (k == TUMEN_NOID || !grow((void **)&rows, &cap, nrows + 1, sizeof *rows)) {
                st = err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
                break;
            }
            struct lb_row *r = &rows[nrows++];
            r->cl = cl;
            r->id = first + i;
            r->doc = first;
            r->dk = dk;
            r->key = k;
            r->quad = (int8_t)evscan_intv(v[EV_Q], l[EV_Q], 0);
            copy_str(r->code, sizeof r->code, e.code);
            memcpy(r->t, t, sizeof r->t);
        }
        if (st == TUMEN_OK && got < 0) {
            st = err_set(err, TUMEN_DB, s->path, 0, 0,
                         "corrupt store: an event_data array is not an array of events");
        }
    }
    sqlite3_reset(q);
    if (st == TUMEN_OK && rc != SQLITE_DONE) {
        st = err_set(err, TUMEN_DB, s->path, 0, 0, "read clusters: %s", sqlite3_errmsg(s->rdb));
    }
    /* group by cluster, each in event order: rows come in event order (documents by id), so
     * a stable radix sort by cluster id does it in a few passes; qsort otherwise */
    bool in_order = true;
    for (size_t i = 1; i < nrows && in_order; i++) {
        in_order = rows[i].id > rows[i - 1].id;
    }
    struct lb_row *tmp = in_order && nrows > 1 ? malloc(nrows * sizeof *rows) : NULL;
    if (tmp) {
        radix_sort_u64(rows, tmp, nrows, sizeof *rows, offsetof(struct lb_row, cl), UINT64_MAX);
        free(tmp);
    } else if (nrows > 1) {
        qsort(rows, nrows, sizeof *rows, cmp_lb_row);
    }
    struct rebuild r;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; st == TUMEN_OK && i < nrows; i++) {
        const struct lb_row *w = &rows[i];
        if (r.have && w->cl != r.c.id && (st = rebuild_end(s, &r, err)) != TUMEN_OK) {
            break;
        }
        if (!r.have) {
            memset(&r, 0, sizeof r);
            r.have = 1;
            r.key = w->key;
            r.c.id = w->cl;
            r.c.first_event = w->id;
            memcpy(r.c.code, w->code, sizeof r.c.code);
            r.c.quad = w->quad;
            memcpy(r.time, w->t, sizeof r.time);
        } else if (w->t[0]) {
            if (r.time[0] == '\0') {
                memcpy(r.time, w->t, sizeof r.time);
            } else {
                r.time[common_prefix(r.time, w->t)] = '\0';
            }
        }
        r.c.mentions++;
        if (r.c.last_doc != w->doc) {
            r.c.sources++;
            r.c.last_doc = w->doc;
        }
        if (w->dk > 0) {
            if (r.c.first_key == 0 || w->dk < r.c.first_key) {
                r.c.first_key = w->dk;
            }
            if (w->dk > r.c.last_key) {
                r.c.last_key = w->dk;
            }
        }
    }
    if (st == TUMEN_OK) {
        st = rebuild_end(s, &r, err);
    }
    free(rows);
    return st;
}

/* Rebuilds the clusters of key bucket b (first use of b since the cache was cleared) from the
 * documents doc_terms gives for it. */
static tumen_status load_bucket(tumen_store *s, unsigned bucket, tumen_error *err) {
    char term[5];
    cluster_bucket_term(bucket, term);
    sqlite3_stmt *q = s->sel_cl;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, term, 4, SQLITE_TRANSIENT);
    tumen_status st = load_rows(s, q, (int)bucket, -1, err);
    s->cl_bucket_loaded[bucket / 8] |= (unsigned char)(1u << (bucket % 8));
    s->bucket_loads++;
    return st;
}

/* Year mode: a store of schema 5 whose clustered events all have a time of 4 bytes or more
 * (a year, at least: no "y0" or "y1" term in doc_terms). A cluster's mentions then all share
 * its time's first 4 bytes (the matching rules only join times of which one is a prefix of
 * the other), so the clusters of one year are rebuilt whole from the documents with that
 * year's term, and an incremental ingest of recent news reads back a few years, not the
 * store. Otherwise (older stores, undated documents) clusters are read back by key bucket. */
static tumen_status decide_year_mode(tumen_store *s, tumen_error *err) {
    s->cl_year_mode = 0;
    if (s->schema_version < 5) {
        return TUMEN_OK;
    }
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->rdb,
                                "SELECT count(*) FROM (SELECT 1 FROM doc_terms WHERE doc_terms "
                                "MATCH 'y0 OR y1' LIMIT 1)",
                                -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        s->cl_year_mode = sqlite3_column_int(q, 0) == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_OK) {
        return err_set(err, TUMEN_DB, s->path, 0, 0, "read clusters: %s",
                       sqlite3_errmsg(s->rdb));
    }
    return TUMEN_OK;
}

/* Rebuilds the clusters of year tag `tag` (year mode) from the documents doc_terms gives. */
static tumen_status load_year(tumen_store *s, uint32_t tag, tumen_error *err) {
    char term[10];
    size_t n = cluster_year_term(tag, term);
    sqlite3_stmt *q = s->sel_cl;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, term, (int)n, SQLITE_TRANSIENT);
    tumen_status st = load_rows(s, q, -1, (int64_t)tag, err);
    s->cl_years[s->cl_nyears++] = tag;
    return st;
}

/* Rebuilds the clusters of every bucket not loaded yet in one pass over the store; the cache
 * is then complete, and may hold twice what it held after the pass before it is dropped. */
static tumen_status load_all(tumen_store *s, tumen_error *err) {
    sqlite3_stmt *q = s->sel_all;
    sqlite3_reset(q);
    tumen_status st = load_rows(s, q, -1, -1, err);
    memset(s->cl_bucket_loaded, 0xff, sizeof s->cl_bucket_loaded);
    s->cl_complete = 1;
    if (s->ncls * 2 > s->cl_cache_max) {
        s->cl_cache_max = s->ncls * 2;
    }
    return st;
}

static size_t common_prefix(const char *a, const char *b) {
    size_t n = 0;
    while (a[n] && a[n] == b[n]) {
        n++;
    }
    return n;
}

struct choice {
    int32_t best;
    int rank;
    size_t len;
    int64_t mentions, id;
};

/* Rates cluster i for time t: exact (3) > prefix (2, longer first) > one empty (1); ties go
 * to more mentions, then to the newer cluster. */
static void consider(const tumen_store *s, int32_t i, const char *t, size_t tlen,
                     struct choice *ch) {
    const struct cl *c = &s->cls[i];
    int rank = 0;
    size_t len = 0;
    if (strcmp(c->time, t) == 0) {
        rank = 3;
        len = tlen;
    } else if (c->time[0] && t[0]) {
        len = common_prefix(c->time, t);
        if (len == strlen(c->time) || len == tlen) {
            rank = 2;
        }
    } else {
        rank = 1;
    }
    if (rank == 0) {
        return;
    }
    if (rank > ch->rank || (rank == ch->rank && len > ch->len) ||
        (rank == ch->rank && len == ch->len && c->mentions > ch->mentions) ||
        (rank == ch->rank && len == ch->len && c->mentions == ch->mentions && c->id > ch->id)) {
        ch->best = i;
        ch->rank = rank;
        ch->len = len;
        ch->mentions = c->mentions;
        ch->id = c->id;
    }
}

static void consider_bucket(const tumen_store *s, uint32_t k, uint32_t tag, const char *t,
                            size_t tlen, struct choice *ch) {
    int32_t *h = bucket_head((tumen_store *)s, k, tag, 0);
    for (int32_t i = h ? *h : -1; i >= 0; i = s->cls[i].next_b) {
        consider(s, i, t, tlen, ch);
    }
}

/* The time an event is matched on (t): its when, else its document's date to the month.
 * Returns whether it is the document's date. */
static int event_time(const struct pev *p, char t[11]) {
    int from_doc = p->ev.when[0] == '\0';
    copy_str(t, from_doc ? 8 : 11, from_doc ? p->date : p->ev.when);
    return from_doc;
}

void cluster_prefetch(tumen_store *s, struct pev *pevs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        struct pev *p = &pevs[i];
        char a[4], b[4];
        memcpy(a, p->sc, 4);
        memcpy(b, p->tc, 4);
        p->kstate = 0;
        if (strcmp(a, "---") == 0 || strcmp(b, "---") == 0 || !pack_key(s, a, b, &p->ev, p->kid)) {
            continue;
        }
        p->khash = key_hash(p->kid);
        p->kstate = 1;
        if (s->cl_kslot_cap) {
            __builtin_prefetch(&s->cl_kslots[p->khash & (s->cl_kslot_cap - 1)]);
        }
    }
    /* second level: the key's info and its (key, year) bucket, for the likely key id */
    for (size_t i = 0; i < n && s->cl_kslot_cap; i++) {
        struct pev *p = &pevs[i];
        if (p->kstate != 1) {
            continue;
        }
        uint64_t v = s->cl_kslots[p->khash & (s->cl_kslot_cap - 1)];
        if (v == 0 || (uint32_t)(v >> 32) != (uint32_t)(p->khash >> 32)) {
            continue; /* a new key, or not in its first slot: left to cluster_assign */
        }
        p->khint = (uint32_t)v - 1;
        p->kstate = 2;
        __builtin_prefetch(&s->cl_keyinfo[p->khint]);
        char t[11];
        event_time(p, t);
        p->ttag = time_tag(t, strlen(t));
        if (s->cl_bucket_cap && p->ttag > 1) {
            __builtin_prefetch(
                &s->cl_buckets[bucket_hash(p->khint, p->ttag) & (s->cl_bucket_cap - 1)]);
        }
    }
    /* third level: the first cluster of that bucket */
    for (size_t i = 0; i < n && s->cl_bucket_cap; i++) {
        const struct pev *p = &pevs[i];
        if (p->kstate != 2 || p->ttag <= 1) {
            continue;
        }
        const struct cl_bucket *bk =
            &s->cl_buckets[bucket_hash(p->khint, p->ttag) & (s->cl_bucket_cap - 1)];
        if (bk->head >= 0 && bk->key == p->khint && bk->tag == p->ttag) {
            __builtin_prefetch(&s->cls[bk->head]);
        }
    }
}

tumen_status cluster_assign(tumen_store *s, struct pev *p, int64_t doc_first, int64_t event_id,
                            tumen_error *err) {
    const tumen_event *e = &p->ev;
    char a[4], b[4];
    memcpy(a, p->sc, 4);
    memcpy(b, p->tc, 4);
    if (strcmp(a, "---") == 0 || strcmp(b, "---") == 0) {
        return TUMEN_OK;
    }
    uint64_t kid[2], h;
    if (p->kstate >= 1) {
        order_dyad(a, b, e); /* as pack_key did */
        memcpy(kid, p->kid, sizeof kid);
        h = p->khash;
    } else if (pack_key(s, a, b, e, kid)) {
        h = key_hash(kid);
    } else {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    char t[11];
    int from_doc = event_time(p, t);
    size_t tlen = strlen(t);
    uint32_t tag = time_tag(t, tlen);
    if (!s->cl_complete && s->cl_year_mode < 0) {
        tumen_status st = decide_year_mode(s, err);
        if (st != TUMEN_OK) {
            return st;
        }
    }
    if (!s->cl_complete && s->cl_year_mode == 1 && !year_loaded(s, tag)) {
        /* no time or a short one may match a cluster of any year: the whole store */
        int all = tag <= 1 || s->cl_nyears == sizeof s->cl_years / sizeof s->cl_years[0];
        tumen_status st = all ? load_all(s, err) : load_year(s, tag, err);
        if (st != TUMEN_OK) {
            return st;
        }
    }
    /* a cached key's bucket has been read back (the cache is dropped whole), or, in year
     * mode, the event's year has */
    uint32_t k = key_find(s, kid, h);
    if (k == TUMEN_NOID) {
        char key[160];
        size_t kl = make_key(a, b, e, key);
        unsigned bucket = key_bucket(key, kl);
        if (!s->cl_complete && s->cl_year_mode == 0 &&
            !(s->cl_bucket_loaded[bucket / 8] & (1u << (bucket % 8)))) {
            /* a bucket at a time reads a document once per bucket it holds: past a few
             * dozen buckets one pass over the whole store is cheaper */
            tumen_status st = s->bucket_loads < LOAD_ALL_AFTER ? load_bucket(s, bucket, err)
                                                                : load_all(s, err);
            if (st != TUMEN_OK) {
                return st;
            }
            k = key_find(s, kid, h);
        }
        if (k == TUMEN_NOID) {
            k = key_new(s, kid, h, key, kl, bucket, a, b, e);
        }
        if (k == TUMEN_NOID) {
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
    }
    unsigned bucket = s->cl_keyinfo[k].bucket;
    struct choice ch = {-1, 0, 0, -1, -1};
    if (tag <= 1) {
        /* no time or a short one: any cluster of the key may match */
        for (int32_t i = s->cl_keyinfo[k].head; i >= 0; i = s->cls[i].next_k) {
            consider(s, i, t, tlen, &ch);
        }
    } else {
        consider_bucket(s, k, tag, t, tlen, &ch); /* same year: exact or prefix */
        if (s->cl_keyinfo[k].short_times) {
            consider_bucket(s, k, 1, t, tlen, &ch); /* short times: prefix */
            consider_bucket(s, k, 0, t, tlen, &ch); /* no time: one empty */
        }
    }
    struct cl *c;
    if (ch.best < 0) {
        c = new_cl(s, k, t);
        if (c == NULL) {
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
        c->id = event_id;
        copy_str(c->code, sizeof c->code, e->kind == TUMEN_KIND_STATISTIC ? "--" : e->code);
        c->quad = (int8_t)(e->kind == TUMEN_KIND_STATISTIC ? 0 : e->quad);
        c->first_event = event_id;
        p->cluster_rule = CR_NEW;
    } else {
        c = &s->cls[ch.best];
        if (ch.rank == 1) {
            p->cluster_rule = CR_ONE_EMPTY;
        } else if (from_doc) {
            p->cluster_rule = ch.rank == 3 ? CR_DOC_EXACT : CR_DOC_PREFIX;
        } else {
            p->cluster_rule = ch.rank == 3 ? CR_WHEN_EXACT : CR_WHEN_PREFIX;
        }
        uint32_t old_tag = time_tag(c->time, strlen(c->time));
        if (ch.rank == 2) {
            c->time[ch.len] = '\0';
        } else if (ch.rank == 1 && c->time[0] == '\0') {
            copy_str(c->time, sizeof c->time, t);
        }
        if (time_tag(c->time, strlen(c->time)) != old_tag) {
            bucket_unlink(s, ch.best, old_tag);
            if (bucket_push(s, ch.best) != TUMEN_OK) {
                return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
            }
        }
    }
    if (mark_dirty(s, c) != TUMEN_OK) {
        return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
    }
    c->mentions++;
    if (c->last_doc != doc_first) {
        /* a document's events are assigned together, so a change of document is a new
         * source; documents are never revisited (re-ingesting is a no-op) */
        c->sources++;
        c->last_doc = doc_first;
    }
    if (p->date_key > 0) {
        if (c->first_key == 0 || p->date_key < c->first_key) {
            c->first_key = p->date_key;
        }
        if (p->date_key > c->last_key) {
            c->last_key = p->date_key;
        }
    }
    p->cluster = c->id;
    p->bucket = bucket;
    p->ttag = tag;
    return TUMEN_OK;
}

static const char *adup(struct arena *a, const char *v) {
    return arena_strndup(a, v, strlen(v));
}

tumen_status cluster_snapshot(tumen_store *s, struct batch *b, tumen_error *err) {
    for (size_t n = 0; n < s->ndirty; n++) {
        struct cl *c = &s->cls[s->cl_dirty[n]];
        c->dirty = 0;
        if (c->mentions < 2) {
            continue; /* a single mention is just its event */
        }
        size_t cap = b->cap_cls;
        if (!grow((void **)&b->cls, &cap, b->ncls + 1, sizeof *b->cls)) {
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
        b->cap_cls = cap;
        const struct cl_key *ki = &s->cl_keyinfo[c->key];
        const char *key = intern_str(&s->cl_keys, c->key);
        char term[5];
        cluster_bucket_term(ki->bucket, term);
        struct wcl *w = &b->cls[b->ncls];
        struct arena *ar = &b->arena;
        w->id = c->id;
        w->first_event = c->first_event;
        w->mentions = c->mentions;
        w->sources = c->sources;
        w->first_key = c->first_key;
        w->last_key = c->last_key;
        w->symmetric = ki->symmetric;
        w->quad = c->quad;
        w->key = adup(ar, key);
        w->term = adup(ar, term);
        w->src = adup(ar, ki->src);
        w->tgt = adup(ar, ki->tgt);
        w->family = adup(ar, ki->family);
        w->channel = adup(ar, ki->channel);
        w->mode = adup(ar, ki->mode);
        w->time = adup(ar, c->time);
        w->code = adup(ar, c->code);
        if (!w->key || !w->term || !w->src || !w->tgt || !w->family || !w->channel ||
            !w->mode || !w->time || !w->code) {
            return err_set(err, TUMEN_NOMEM, s->path, 0, 0, "out of memory");
        }
        b->ncls++;
    }
    s->ndirty = 0;
    return TUMEN_OK;
}
