/* The compliance rule findings of one case as users read them: one entry per rule broken in the
 * case (not one per response), with how many of the judged responses broke it and the first of
 * them (docs/rules.md "Gating the run"). The terminal, JUnit, TAP, Markdown and HTML writers and
 * the gate (lib/gate) read findings through this, so they count them alike. */
#ifndef CF_REPORT_RULES_H
#define CF_REPORT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "report_model.h"
#include "rules.h"
#include "util_buf.h"

/* One rule broken in one case. Pointers borrow from the case. */
typedef struct cf_case_rule {
    const cf_report_finding *first;       /* its first finding in the case */
    const cf_report_response *first_resp; /* the response holding it */
    size_t count;                         /* responses that broke it */
} cf_case_rule;

/* The rules broken in one case, in the order they were first found. */
typedef struct cf_case_rules {
    cf_case_rule *v;
    size_t n;
    size_t judged; /* the case's complete responses: those the rules judged */
} cf_case_rules;

/* Groups the findings of c by rule into *out (zeroed first; free with cf_case_rules_free).
 * Returns 0, or -1 when memory ran out (*out then empty). */
int cf_case_rules_collect(const cf_report_case *c, cf_case_rules *out);

/* Frees the array of r and zeroes it. */
void cf_case_rules_free(cf_case_rules *r);

/* True when findings f and g are of the same rule (a known index, else the same id). */
bool cf_report_same_rule(const cf_report_finding *f, const cf_report_finding *g);

/* The verdict a finding of a rule at level stands for: the one mapping case verdicts use
 * (cf_verdict_for_failure: MUST fails, SHOULD warns or fails when strict, MAY is INFO). */
cf_report_verdict cf_report_rule_verdict(cf_report_level level, bool strict);

/* True when rule findings weigh on the exit status under mode: gate does, report and off never
 * do. */
bool cf_report_rules_gate(cf_rules_mode mode);

/* Appends one line for rule r of case c: `rule ID (SECTION, LEVEL): K of N responses — first:
 * "STATUS-LINE" (MESSAGE)`; the status-line quoted with \r \n \t \" \\ and \xNN escapes, when the
 * case still holds its bytes. */
void cf_case_rule_line(cf_buf *t, const cf_report_case *c, const cf_case_rules *rs,
                       const cf_case_rule *r);

#endif
