/* The expectation checker: judges what the runner observed during one step (exchange_step.h)
 * against the step's expectation (spec_model.h). Pure functions: no I/O, no global state.
 * docs/checks.md "How expectations are judged" documents every rule and the texts produced. */
#ifndef CF_CHECK_H
#define CF_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "spec_model.h"
#include "exchange_step.h"

/* The verdict on one step. Every string is owned by the outcome (cf_check_outcome_free). */
typedef struct cf_check_outcome {
    bool pass;      /* the whole expectation holds */
    char *expected; /* one line: the expectation (as cf_expect_describe) */
    char *actual;   /* one line: what was observed, e.g. "200 OK, connection kept open" */
    char **failed;  /* one line per check that did not hold (empty when pass) */
    size_t nfailed;
} cf_check_outcome;

/* What was sent on the connection before the step's responses were read: the requests they
 * answer, for the checks that judge a response knowing its request ('complies': the compliance
 * rules need the method, the version, Upgrade and Connection: close; rules_step.h). */
typedef struct cf_check_sent {
    const struct cf_pending *reqs; /* the requests not answered when the step began reading, in
                                      the order sent (exchange_collect.h); NULL when unknown */
    size_t nreqs;
    bool last_step; /* no step follows on this connection */
} cf_check_sent;

/* Judges r against e and fills *out (which it first zeroes; free with cf_check_outcome_free).
 * Returns 0, or -1 when memory ran out (then *out is freed and zeroed). The same as
 * cf_check_step_sent with sent NULL: 'complies' then judges every response as the answer to an
 * unknown request (method "", HTTP/1.1, no Upgrade, no Connection: close) on the last step. */
int cf_check_step(const cf_expect *e, const cf_step_result *r, cf_check_outcome *out);

/* cf_check_step knowing what was sent (sent may be NULL: see cf_check_step). */
int cf_check_step_sent(const cf_expect *e, const cf_step_result *r, const cf_check_sent *sent,
                       cf_check_outcome *out);

/* Frees the strings an outcome owns and zeroes it. NULL is fine. */
void cf_check_outcome_free(cf_check_outcome *out);

/* One line describing an expectation alone, e.g. "status 4xx, or connection closed without a
 * response". Returns a malloc'd string the caller frees, or NULL when memory ran out. */
char *cf_expect_describe(const cf_expect *e);

/* One line describing what r observed, e.g. "404 Not Found, then 200 OK, connection closed".
 * Returns a malloc'd string the caller frees, or NULL when memory ran out. */
char *cf_step_result_describe(const cf_step_result *r);

#endif
