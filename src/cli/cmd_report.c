/* tumen report A B -o report.html: a self-contained HTML report of a dyad. */
#include "store_cli.h"

#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: tumen report A B [-o FILE] [options]\n"
            "\n"
            "Writes one self-contained HTML file (inline CSS and SVG, no script, nothing\n"
            "fetched) about the relations of countries A and B: cooperation and conflict over\n"
            "time, events per channel, the actor network around the dyad, key facts with\n"
            "quantities and evidence sentences, forecasts and hypotheticals as the texts state\n"
            "them, and the sources.\n"
            "\n"
            "options:\n"
            "  -o, --output FILE  output file (default report.html; '-' = stdout)\n"
            "  --by P             chart period: month, quarter (default) or year\n"
            "  --title T          report title\n"
            "  --db FILE          event store (default tumen.db)\n"
            "  -h, --help         this help\n");
}

int cmd_report(int argc, char **argv) {
    const char *db = "tumen.db", *out = "report.html", *by = "quarter";
    tumen_report_options o;
    memset(&o, 0, sizeof o);
    const char *pos[2];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m = 0;
        if (opt_is_help(a)) {
            usage(stdout);
            return 0;
        } else if ((m = opt_value(argc, argv, &i, "--db", &db)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "-o", &out)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--output", &out)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--by", &by)) != 0) {
        } else if ((m = opt_value(argc, argv, &i, "--title", &o.title)) != 0) {
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_errorf("report: unknown option '%s' (try 'tumen report --help')", a);
            return EXIT_USAGE;
        } else if (npos < 2) {
            pos[npos++] = a;
        } else {
            cli_errorf("report: takes two countries (try 'tumen report --help')");
            return EXIT_USAGE;
        }
        if (m < 0) {
            return EXIT_USAGE;
        }
    }
    if (npos != 2) {
        cli_errorf("report: takes two countries, e.g. 'tumen report RUS PRK -o report.html'");
        return EXIT_USAGE;
    }
    o.a = pos[0];
    o.b = pos[1];
    if (tumen_period_parse(by, &o.by) != TUMEN_OK) {
        cli_errorf("report: --by takes month, quarter or year");
        return EXIT_USAGE;
    }
    tumen_store *s = cli_open_store(db, TUMEN_STORE_READONLY, NULL, false);
    if (s == NULL) {
        return EXIT_FAIL;
    }
    char *html = NULL;
    size_t len = 0;
    tumen_error err = {0};
    if (tumen_store_report(s, &o, &html, &len, &err) != TUMEN_OK) {
        cli_error(&err);
        tumen_store_free(s);
        return EXIT_FAIL;
    }
    tumen_store_free(s);
    FILE *f = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
    if (f == NULL) {
        cli_errorf("%s: cannot write", out);
        free(html);
        return EXIT_FAIL;
    }
    size_t w = fwrite(html, 1, len, f);
    int bad = w != len;
    if (f != stdout) {
        bad |= fclose(f) != 0;
    } else {
        bad |= fflush(f) != 0;
    }
    free(html);
    if (bad) {
        cli_errorf("%s: write failed", out);
        return EXIT_FAIL;
    }
    return 0;
}
