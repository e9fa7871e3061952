/* The compliance rules (rules.h) over the responses of one step: every response, final or
 * interim, in the order it arrived, judged with the cf_rule_ctx built from the request it answers
 * and the connection around it. The runner stores the walk in the step's exchange record
 * (cf_rules_pair), which the report builder and the checker's 'complies' expectation read, so a
 * response is judged once and alike everywhere; conform fuzz walks its exchanges the same way.
 *
 * Ownership: nothing is kept between calls; what the callback is shown lives until it returns. */
#ifndef CF_RULES_STEP_H
#define CF_RULES_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "exchange_collect.h"
#include "exchange_step.h"

/* One response of the step as the rules judged it. */
typedef struct cf_rules_seen {
    const cf_obs_response *r;
    bool interim;          /* a 1xx response (res->interim), else a final one (res->responses) */
    size_t index;          /* its index in res->interim or res->responses */
    bool last;             /* nothing followed it in the step */
    const cf_pending *req; /* the request it answers; NULL when responses outnumber requests */
    const cf_rule_finding *findings; /* the rules it broke; none when it is incomplete (an
                                        incomplete response is not judged) */
    size_t nfindings;
} cf_rules_seen;

/* Called once per response; returning false stops the walk. */
typedef bool (*cf_rules_step_fn)(const cf_rules_seen *seen, void *ud);

/* Walks the responses of res in arrival order (a 1xx and a final response starting at the same
 * offset: the 1xx first) and runs cf_rules_check on each complete one, then calls fn (NULL:
 * none). reqs[0..nreqs) are the requests not yet answered when the step began, in the order sent
 * (cf_collect_methods); each complete final response answers the next one, and a 1xx response
 * the one the next final response answers. last_step: no step follows on this connection.
 * *answered (may be NULL) gets the number of complete final responses walked (requests
 * answered; it may exceed nreqs). Returns 0, or -1 when memory ran out during a check (the
 * findings shown for that response are then partial; the walk goes on). */
int cf_rules_step(const cf_pending *reqs, size_t nreqs, const cf_step_result *res, bool last_step,
                  cf_rules_step_fn fn, void *ud, size_t *answered);

/* The exchange record's pairing and judging, done once per step by whoever produced the record
 * (the runner, conform fuzz): walks res as cf_rules_step does, with the requests the record
 * holds (res->requests) and last_step and *answered as there, and stores every response with its
 * request and findings in res->answers, then sets res->paired. Returns 0, or -1 when memory ran
 * out (res->answers then holds what fitted). */
int cf_rules_pair(cf_step_result *res, bool last_step, size_t *answered);

/* cf_rules_pair without judging (--rules off): every response is paired with its request and
 * stored in res->answers without findings. Returns 0, or -1 when memory ran out. */
int cf_rules_pair_unjudged(cf_step_result *res, bool last_step, size_t *answered);

#endif
