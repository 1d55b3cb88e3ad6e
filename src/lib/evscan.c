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
    if (p[i] != '[') {
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
        } else if (c == '[' || c == '{') {
            return -1; /* nested: not ours */
        } else if (c == ']') {
            *start = s;
            *end = i + 1;
            *pos = i + 1;
            return 1;
        }
    }
    return -1;
}

int evscan_elems(const char *e, size_t n, const char **v, size_t *l, size_t max) {
    for (size_t k = 0; k < max; k++) {
        v[k] = NULL;
        l[k] = 0;
    }
    if (n < 2 || e[0] != '[' || e[n - 1] != ']') {
        return -1;
    }
    size_t i = 1, end = n - 1, k = 0;
    while (i < end && e[i] == ' ') {
        i++;
    }
    if (i == end) {
        return 0; /* [] */
    }
    for (;;) {
        size_t vs, vl;
        if (e[i] == '"') {
            vs = ++i;
            while (i < end && e[i] != '"') {
                i += e[i] == '\\' ? 2 : 1;
            }
            if (i >= end) {
                return -1;
            }
            vl = i - vs;
            i++;
        } else {
            vs = i;
            while (i < end && e[i] != ',' && e[i] != '"' && e[i] != '[' && e[i] != '{') {
                i++;
            }
            vl = i - vs;
            if (vl == 0 || (i < end && e[i] != ',')) {
                return -1;
            }
        }
        if (k < max) {
            v[k] = e + vs;
            l[k] = vl;
        }
        k++;
        if (i == end) {
            break;
        }
        if (e[i] != ',' || ++i >= end) {
            return -1;
        }
    }
    return k > (size_t)0x7fffffff ? -1 : (int)k;
}

bool evscan_is_str(const char *v) {
    return v != NULL && v[-1] == '"';
}

bool evscan_str_eq(const char *v, size_t vn, const char *want, size_t wn) {
    return evscan_is_str(v) && vn == wn && memcmp(v, want, wn) == 0;
}

long long evscan_intv(const char *v, size_t vn, long long dflt) {
    long long x;
    return !evscan_is_str(v) && evscan_toint(v, vn, &x) ? x : dflt;
}

double evscan_num(const char *v, size_t vn, double dflt) {
    if (v == NULL || evscan_is_str(v) || vn == 0 || vn > 63) {
        return dflt;
    }
    char tmp[64];
    memcpy(tmp, v, vn);
    tmp[vn] = '\0';
    char *endp = NULL;
    double x = strtod(tmp, &endp);
    return endp == tmp + vn && (tmp[0] == '-' || (tmp[0] >= '0' && tmp[0] <= '9')) ? x : dflt;
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

