/* The summaries every report format shows at the end of a run, computed in one place from the
 * report model so that all formats print the same numbers (docs/reports.md "Summaries"):
 *   - per RFC section and requirement level, the cases by verdict;
 *   - per case category (report_model.h cf_report_case.category), the status codes answered;
 *   - the compliance rules broken, in the most cases first, with example case ids.
 * Ownership: a summary owns its arrays; the strings in it point into the report, which must
 * outlive it. */
#ifndef CF_REPORT_SUMMARY_H
#define CF_REPORT_SUMMARY_H

#include <stddef.h>

#include "report_model.h"

#define CF_SUMMARY_EXAMPLES 3 /* example case ids kept per rule */

/* Cases of one RFC section, by level and verdict. */
typedef struct cf_summary_section {
    unsigned rfc;
    const char *section;
    size_t n[CF_RL__COUNT][CF_RV__COUNT]; /* [level][verdict] */
} cf_summary_section;

/* How often one status code was answered (0: a case that got no response at all). */
typedef struct cf_summary_status {
    int status;
    size_t count;
} cf_summary_status;

/* The status codes answered to the cases of one category, by ascending code. */
typedef struct cf_summary_category {
    const char *name;
    size_t ncases;
    cf_summary_status *statuses;
    size_t nstatuses;
} cf_summary_category;

/* One compliance rule broken: how many findings, in how many cases, a few case ids. */
typedef struct cf_summary_rule {
    int rule;            /* cf_rule_index, or -1 for a rule this build does not know */
    const char *rule_id; /* cf_report_finding_id */
    const char *section;
    cf_report_level level;
    size_t count;  /* findings */
    size_t ncases; /* cases with at least one */
    const char *examples[CF_SUMMARY_EXAMPLES];
    size_t nexamples;
} cf_summary_rule;

/* The summaries of one target. */
typedef struct cf_report_summary {
    size_t counts[CF_RV__COUNT];
    size_t total;
    cf_summary_section *sections; /* by RFC, then section number (6.1 < 6.3 < 6.10 < A.1) */
    size_t nsections;
    cf_summary_category *categories; /* by name */
    size_t ncategories;
    cf_summary_rule *rules; /* by ncases, then count (both descending), then rule id */
    size_t nrules;
    size_t nfindings; /* all findings */
} cf_report_summary;

/* Computes the summaries of target t into *s (zeroed first). Returns 0, or -1 when memory ran
 * out (*s is then empty). Free with cf_report_summary_free. */
int cf_report_summarize(const cf_report_target *t, cf_report_summary *s);

/* Frees what s owns and zeroes it. */
void cf_report_summary_free(cf_report_summary *s);

/* Compares two section numbers the way readers expect: "6.1" < "6.3" < "6.10" < "A.1". */
int cf_section_cmp(const char *a, const char *b);

#endif
