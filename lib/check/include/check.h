/* The expectation checker: judges what the runner observed during one step (exchange_step.h)
 * against the step's expectation (spec_model.h). Pure functions: no I/O, no global state.
 * docs/checks.md "How expectations are judged" documents every rule and the texts produced. */
#ifndef CF_CHECK_H
#define CF_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec_model.h"
#include "exchange_step.h"
#include "util_buf.h"

/* The verdict on one step. Every string is owned by the outcome (cf_check_outcome_free). */
typedef struct cf_check_outcome {
    bool pass;      /* no check failed (some may not have been judged: skip) */
    char *skip;     /* with pass: NULL, or why part of the expectation could not be judged on
                       what was observed (conform's caps, the connection not observed) */
    char *expected; /* one line: the expectation (as cf_expect_describe) */
    char *actual;   /* one line: what was observed, e.g. "200 OK, connection kept open" */
    char **failed;  /* one line per check that did not hold (empty when pass) */
    size_t nfailed;
} cf_check_outcome;

/* Judges r against e and fills *out (which it first zeroes; free with cf_check_outcome_free);
 * expectation strings with placeholders are not judged (cf_check_step_by renders them).
 * Returns 0, or -1 when memory ran out (then *out is freed and zeroed). 'complies' reads the rule
 * findings of the record (r->answers, cf_rules_pair); a record that was never paired is judged as
 * if every response answered an unknown request (method "", HTTP/1.1, no Upgrade, no Connection:
 * close) on the last step. */
int cf_check_step(const cf_expect *e, const cf_step_result *r, cf_check_outcome *out);

/* cf_check_step's return when the deadline passed while judging. */
#define CF_CHECK_LATE 1

/* cf_check_step with the values of the case: the expectation strings with placeholders
 * ({{authority}}, {{resource.NAME}}, a capture's {{NAME}}) are rendered with t (not owned; NULL:
 * none has a value) before they are compared and described; one that t cannot render leaves the
 * step not judged (pass with a skip saying so). Gives up once cf_now_ms() (util_clock.h) reaches
 * deadline (0: never), looked at before each header, body and sequence check and each any_of
 * alternative: returns CF_CHECK_LATE with *out zeroed, so that a case timeout bounds judging (a
 * hundred backtracking regexes) as it bounds reading. Otherwise as cf_check_step. */
int cf_check_step_by(const cf_expect *e, const cf_step_result *r, const cf_spec_target *t,
                     uint64_t deadline, cf_check_outcome *out);

/* Appends why one of conform's caps stopped reading r (nothing when none did): "reading stopped
 * at conform's cap of N bytes (--max-response)", "response over conform's cap (N fields;
 * --max-fields)", "interim response flood: 16 1xx responses, no final response (--max-interim)". */
void cf_check_describe_cap(cf_buf *t, const cf_step_result *r);

/* Takes the value capture c names from the first final response of r into *out (appended; the
 * caller owns it): 1 when found, 0 when not, with why saying what was missing ("has no ETag",
 * "no response", "body does not match ..."), -1 when memory ran out. A value longer than
 * CF_SPEC_MAX_CAPTURED bytes is not taken (0). */
int cf_check_capture(const cf_capture *c, const cf_step_result *r, cf_buf *out, cf_buf *why);

/* Frees the strings an outcome owns and zeroes it. NULL is fine. */
void cf_check_outcome_free(cf_check_outcome *out);

/* One line describing an expectation alone, e.g. "status 4xx, or connection closed without a
 * response". Returns a malloc'd string the caller frees, or NULL when memory ran out. */
char *cf_expect_describe(const cf_expect *e);

/* One line describing what r observed, e.g. "404 Not Found, then 200 OK, connection closed".
 * Returns a malloc'd string the caller frees, or NULL when memory ran out. */
char *cf_step_result_describe(const cf_step_result *r);

#endif
