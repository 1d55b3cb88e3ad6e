/* Status names and messages, generated from TUMEN_STATUS_MAP (libuv's UV_ERRNO_MAP pattern). */
#include "tumen.h"

#include <stdio.h>
#include <string.h>

const char *tumen_strerror(tumen_status s) {
    switch (s) {
#define XX(name, msg)                                                                        \
    case TUMEN_##name:                                                                       \
        return msg;
        TUMEN_STATUS_MAP(XX)
#undef XX
    default:
        return "unknown status";
    }
}

const char *tumen_status_name(tumen_status s) {
    switch (s) {
#define XX(name, msg)                                                                        \
    case TUMEN_##name:                                                                       \
        return #name;
        TUMEN_STATUS_MAP(XX)
#undef XX
    default:
        return "UNKNOWN";
    }
}

size_t tumen_error_format(const tumen_error *e, char *buf, size_t size) {
    char pos[128] = "";
    if (e->line > 0 && e->col > 0) {
        snprintf(pos, sizeof pos, ":%llu:%llu", (unsigned long long)e->line,
                 (unsigned long long)e->col);
    } else if (e->line > 0) {
        snprintf(pos, sizeof pos, ":%llu", (unsigned long long)e->line);
    }
    const char *msg = e->msg[0] ? e->msg : tumen_strerror(e->status);
    int n = snprintf(buf, size, "%s%s: %s", e->file[0] ? e->file : "-", pos, msg);
    if (n < 0) {
        if (size) {
            buf[0] = '\0';
        }
        return 0;
    }
    if ((size_t)n >= size && size > 4) {
        memcpy(buf + size - 4, "...", 4);
    }
    return (size_t)n;
}

const char *tumen_modality_name(tumen_modality m) {
    static const char *const names[] = {"asserted", "reported", "hypothetical",
                                        "negated",  "denied",   "forecast"};
    return (unsigned)m < sizeof names / sizeof names[0] ? names[m] : "asserted";
}
