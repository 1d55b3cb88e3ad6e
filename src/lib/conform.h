/* Conformance runners: a peer's validation records (TABARI's Validate.text through its
 * .project, PETRARCH's unit-test records) coded with the peer's dictionaries, compared
 * with the events each record expects. Library code: results are returned, never printed. */
#ifndef TUMEN_CONFORM_H
#define TUMEN_CONFORM_H

#include "dict_tabari.h"

struct conform_event {
    char source[48], target[48], code[8];
};

struct conform_record {
    char id[64];
    char category[32];  /* id prefix before '-' ("DEMO"), "MISC" when none */
    char date[16];      /* "YYYY-MM-DD" or "" */
    char *text;         /* malloc */
    struct conform_event *expected;
    size_t nexpected;
    bool expect_discard, expect_complex, expect_none; /* {###} {+++} {---} */
    bool unchecked;     /* only "-{...}" expectations: TABARI does not check it */
    bool standard;      /* before TABARI's FINAL-01 record / PETRARCH "included" */
    char **options;     /* "{OPTION: ...}" .options lines applied before this record */
    size_t noptions;
};

struct conform_suite {
    struct conform_record *recs;
    size_t nrecs;
    char **dicts; /* dictionary files to load, in order */
    size_t ndicts;
    char *options; /* TABARI .options file or NULL */
    bool tabari;
};

/* Reads a TABARI .project: its dictionaries, its .options and the records of its text
 * files (Validate.text format: "YYMMDD ID" header, text, comment with {SRC / TGT / CODE}). */
tumen_status conform_tabari_load(struct conform_suite *s, const char *project, tumen_error *err);
/* Reads PETRARCH unit-test records (.jsonl, or the .jsonl beside a .xml) and uses the
 * PETR.Validate.* dictionaries of the same directory. */
tumen_status conform_petrarch_load(struct conform_suite *s, const char *records,
                                   tumen_error *err);
void conform_suite_fini(struct conform_suite *s);

struct conform_result {
    bool pass;
    bool skipped; /* not checked (unchecked record) */
    char *got;      /* "SRC/TGT/CODE; ..." or "(none)"; malloc */
    char *want;     /* same form; malloc */
};

struct conform_category {
    char name[32];
    size_t passed, failed;
};

struct conform_report {
    struct conform_result *res; /* one per record */
    struct conform_category *cats;
    size_t ncats;
    size_t passed, failed;
    double load_seconds, code_seconds;
};

/* Loads the suite's dictionaries, codes every record with the coder in TABARI mode (flags
 * are OR-ed with TUMEN_OPT_TABARI for TABARI suites) and compares. */
tumen_status conform_run(const struct conform_suite *s, unsigned flags, struct conform_report *r,
                         tumen_error *err);
void conform_report_fini(struct conform_report *r, size_t nrecs);

#endif
