/* Scanner of the store's event arrays (evscan.h). */
#include "evscan.h"

#include "reader.h"

#include <stdlib.h>
#include <string.h>

int evscan_next(const char *p, size_t n, size_t *pos, size_t *start, size_t *end) {
    size_t i = *pos;
    if (i == 0) {
        while (i < n && (p[i] == ' ' || p[i] == '\n')) {
            i++;
        }
        if (i >= n || p[i] != '[') {
            return -1;
        }
        i++;
    }
    while (i < n && (p[i] == ' ' || p[i] == ',' || p[i] == '\n')) {
        i++;
    }
    if (i >= n) {
        return -1; /* no closing bracket */
    }
    if (p[i] == ']') {
        *pos = n;
        return 0;
    }
    if (p[i] != '{') {
        return -1;
    }
    size_t s = i++;
    int in_str = 0;
    for (; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\') {
                i++; /* the escaped byte */
            } else if (c == '"') {
                in_str = 0;
            }
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{') {
            return -1; /* a nested object: not ours */
        } else if (c == '}') {
            *start = s;
            *end = i + 1;
            *pos = i + 1;
            return 1;
        }
    }
    return -1;
}

bool evscan_get(const char *o, size_t n, const char *k, const char **v, size_t *vn) {
    size_t kl = strlen(k);
    for (size_t i = 0; i + kl + 3 < n; i++) {
        if ((o[i] != '{' && o[i] != ',') || o[i + 1] != '"' ||
            memcmp(o + i + 2, k, kl) != 0 || o[i + 2 + kl] != '"' || o[i + 3 + kl] != ':') {
            continue;
        }
        size_t j = i + kl + 4;
        if (j < n && o[j] == '"') {
            size_t b = ++j;
            while (j < n && o[j] != '"') {
                j += o[j] == '\\' ? 2 : 1;
            }
            if (j >= n) {
                return false;
            }
            *v = o + b;
            *vn = j - b;
            return true;
        }
        size_t b = j;
        int depth = 0;
        while (j < n && (depth > 0 || (o[j] != ',' && o[j] != '}'))) {
            depth += o[j] == '[' ? 1 : o[j] == ']' ? -1 : 0;
            j++;
        }
        if (j >= n || j == b) {
            return false;
        }
        *v = o + b;
        *vn = j - b;
        return true;
    }
    return false;
}

bool evscan_eq(const char *o, size_t n, const char *k, const char *want, size_t wn) {
    const char *v;
    size_t vn;
    return evscan_get(o, n, k, &v, &vn) && vn == wn && memcmp(v, want, wn) == 0;
}

bool evscan_toint(const char *v, size_t vn, long long *out) {
    if (v == NULL || vn == 0 || vn > 18) {
        return false;
    }
    size_t i = v[0] == '-' ? 1 : 0;
    if (i == vn) {
        return false;
    }
    long long x = 0;
    for (; i < vn; i++) {
        if (v[i] < '0' || v[i] > '9') {
            return false;
        }
        x = x * 10 + (v[i] - '0');
    }
    *out = v[0] == '-' ? -x : x;
    return true;
}

bool evscan_int(const char *o, size_t n, const char *k, long long *out) {
    const char *v;
    size_t vn;
    return evscan_get(o, n, k, &v, &vn) && evscan_toint(v, vn, out);
}

size_t evscan_unescape(const char *v, size_t n, char *out, size_t cap) {
    if (cap == 0) {
        return 0;
    }
    out[0] = '\0';
    if (v[n] != '"') {
        return 0; /* not a string value */
    }
    char small[256];
    char *tmp = n < sizeof small ? small : malloc(n + 1);
    size_t len = 0;
    if (tmp == NULL || !reader_json_string(v, n, tmp, &len)) {
        len = 0;
    }
    if (len >= cap) {
        len = cap - 1;
    }
    if (len) {
        memcpy(out, tmp, len);
    }
    out[len] = '\0';
    if (tmp != small) {
        free(tmp);
    }
    return len;
}

size_t evscan_fields(const char *o, size_t n, const char *const *keys, size_t nkeys,
                     const char **vals, size_t *lens) {
    size_t klen[32];
    if (nkeys > 32) {
        nkeys = 32;
    }
    for (size_t k = 0; k < nkeys; k++) {
        vals[k] = NULL;
        lens[k] = 0;
        klen[k] = strlen(keys[k]);
    }
    size_t found = 0, i = 1; /* after '{' */
    while (i < n && found < nkeys) {
        /* "key": */
        if (o[i] != '"') {
            return found; /* '}' or not ours */
        }
        size_t ks = ++i;
        while (i < n && o[i] != '"') {
            i += o[i] == '\\' ? 2 : 1;
        }
        if (i + 1 >= n || o[i + 1] != ':') {
            return found;
        }
        size_t kl = i - ks;
        i += 2;
        /* the value: a string (its bytes between the quotes), else up to ',' or '}' */
        size_t vs, vl;
        if (i < n && o[i] == '"') {
            vs = ++i;
            while (i < n && o[i] != '"') {
                i += o[i] == '\\' ? 2 : 1;
            }
            if (i >= n) {
                return found;
            }
            vl = i - vs;
            i++;
        } else {
            vs = i;
            int depth = 0;
            while (i < n && (depth > 0 || (o[i] != ',' && o[i] != '}'))) {
                depth += o[i] == '[' ? 1 : o[i] == ']' ? -1 : 0;
                i++;
            }
            vl = i - vs;
        }
        for (size_t k = 0; k < nkeys; k++) {
            if (vals[k] == NULL && klen[k] == kl && memcmp(keys[k], o + ks, kl) == 0) {
                vals[k] = o + vs;
                lens[k] = vl;
                found++;
                break;
            }
        }
        if (i < n && o[i] == ',') {
            i++;
        }
    }
    return found;
}
