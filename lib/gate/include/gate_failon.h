/* --fail-on must|should|any[,skip]: which verdicts make conform run's exit status 1
 * (docs/baseline.md "Which failures fail the run"). */
#ifndef CF_GATE_FAILON_H
#define CF_GATE_FAILON_H

#include <stdbool.h>

#include "report_model.h"
#include "rules.h"

/* The threshold: MUST failures (FAIL, ERROR), also SHOULD (WARN), also MAY (INFO); with the
 * CF_FAILON_SKIP bit, also cases that were not exercised (SKIP). */
typedef enum {
    CF_FAILON_MUST,
    CF_FAILON_SHOULD,
    CF_FAILON_ANY,
    CF_FAILON_LEVELS = 3, /* mask of the threshold */
    CF_FAILON_SKIP = 4,   /* or'ed with a threshold */
} cf_failon;

/* Parses "must", "should" or "any", optionally followed by ",skip" (or "skip" alone, which is
 * "must,skip"; any case) into *out; returns 0, or -1 when s is none of these. */
int cf_failon_parse(const char *s, cf_failon *out);

/* "must", "should", "any", or one of them followed by ",skip". */
const char *cf_failon_name(cf_failon f);

/* True when a case with this verdict fails the run under f. ERROR always does, PASS and values
 * out of range never do, SKIP only with CF_FAILON_SKIP. */
bool cf_failon_fails(cf_failon f, cf_report_verdict verdict);

/* True when case c fails the run under f: by its verdict, or (rules gate) by a compliance rule
 * finding on its responses, which weighs as the verdict its level stands for
 * (cf_report_rule_verdict; strict: --strict). */
bool cf_failon_case_fails(cf_failon f, const cf_report_case *c, cf_rules_mode rules, bool strict);

/* The exit status of a run without a baseline: CF_EXIT_FAIL when a case of any target fails
 * under f and rules (cf_failon_case_fails, strict as r says), else CF_EXIT_OK. */
int cf_failon_exit_status(const cf_report *r, cf_failon f, cf_rules_mode rules);

#endif
