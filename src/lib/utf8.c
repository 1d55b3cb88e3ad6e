/* UTF-8 validation (strict: no overlongs, no surrogates, nothing above U+10FFFF, no NUL). */
#include "tumen.h"

#include <string.h>

tumen_status tumen_utf8_check(const char *str, size_t len, size_t *bad) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, 8 bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ull) != 0) {
                break;
            }
            /* any zero byte? */
            if (((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0) {
                break;
            }
            i += 8;
        }
        if (i >= len) {
            break;
        }
        unsigned c = s[i];
        if (c == 0) {
            goto fail;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned min;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            goto fail;
        }
        if (len - i < n) {
            goto fail;
        }
        for (size_t k = 1; k < n; k++) {
            unsigned cc = s[i + k];
            if ((cc & 0xC0) != 0x80) {
                goto fail;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            goto fail;
        }
        i += n;
    }
    return TUMEN_OK;
fail:
    if (bad) {
        *bad = i;
    }
    return TUMEN_UTF8;
}
