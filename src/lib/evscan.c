/* Scanner of the store's event arrays (evscan.h). */
#include "evscan.h"

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

bool evscan_int(const char *o, size_t n, const char *k, long long *out) {
    const char *v;
    size_t vn;
    if (!evscan_get(o, n, k, &v, &vn) || vn == 0 || vn > 18) {
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
