/* --fail-on must|should|any: which verdicts make conform run's exit status 1
 * (docs/baseline.md "Which failures fail the run"). */
#ifndef CF_GATE_FAILON_H
#define CF_GATE_FAILON_H

#include <stdbool.h>

#include "report_model.h"
#include "rules.h"

/* The threshold: MUST failures (FAIL, ERROR), also SHOULD (WARN), also MAY (INFO). */
typedef enum { CF_FAILON_MUST, CF_FAILON_SHOULD, CF_FAILON_ANY } cf_failon;

/* Parses "must", "should" or "any" (any case) into *out; returns 0, or -1 when s is none. */
int cf_failon_parse(const char *s, cf_failon *out);

/* "must", "should" or "any". */
const char *cf_failon_name(cf_failon f);

/* True when a case with this verdict fails the run under f. ERROR always does, PASS and values
 * out of range never do. */
bool cf_failon_fails(cf_failon f, cf_report_verdict verdict);

/* True when case c fails the run under f: by its verdict, or (rules gate) by a compliance rule
 * finding on its responses, which weighs as the verdict its level stands for
 * (cf_report_rule_verdict; strict: --strict). */
bool cf_failon_case_fails(cf_failon f, const cf_report_case *c, cf_rules_mode rules, bool strict);

/* The exit status of a run without a baseline: CF_EXIT_FAIL when a case of any target fails
 * under f and rules (cf_failon_case_fails, strict as r says), else CF_EXIT_OK. */
int cf_failon_exit_status(const cf_report *r, cf_failon f, cf_rules_mode rules);

#endif
