/* Helpers shared by the store commands. */
#include "store_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int opt_value(int argc, char **argv, int *i, const char *name, const char **val) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) {
        return 0;
    }
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0') {
        return 0;
    }
    if (*i + 1 >= argc) {
        cli_errorf("%s needs a value", name);
        return -1;
    }
    *i += 1;
    *val = argv[*i];
    return 1;
}

bool opt_is_help(const char *a) {
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

const char *cli_channels_path(void) {
    static char path[4096];
    const char *env = getenv("TUMEN_CHANNELS");
    if (env && *env) {
        return env;
    }
    snprintf(path, sizeof path, "%s/channels.tsv", cli_default_dict());
    return path;
}

tumen_store *cli_open_store(const char *db, unsigned flags, const char *channels, bool required) {
    tumen_store *s = NULL;
    tumen_error err = {0};
    if (tumen_store_new(db, flags, &s, &err) != TUMEN_OK) {
        cli_error(&err);
        return NULL;
    }
    const char *path = channels ? channels : cli_channels_path();
    if (!required && access(path, R_OK) != 0) {
        return s;
    }
    if (tumen_store_load_channels(s, path, &err) != TUMEN_OK) {
        cli_error(&err);
        tumen_store_free(s);
        return NULL;
    }
    return s;
}

void csv_field(FILE *f, const char *s) {
    if (s == NULL) {
        return;
    }
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

const char *fmt_num(double v, char *buf, size_t size) {
    if (isnan(v)) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (v != floor(v) || fabs(v) >= 1e15) {
        snprintf(buf, size, "%.4g", v);
        return buf;
    }
    char raw[32];
    snprintf(raw, sizeof raw, "%.0f", fabs(v));
    size_t n = strlen(raw), o = 0;
    if (v < 0 && o + 1 < size) {
        buf[o++] = '-';
    }
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 2 < size) {
            buf[o++] = ',';
        }
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
    return buf;
}
