/* conform run --http2: what of a case can go over HTTP/2, and one step's exchange record made
 * from a request libcurl sent and the response it decoded (internal to lib/run). */
#ifndef CF_RUN_H2_H
#define CF_RUN_H2_H

#include <stddef.h>
#include <stdint.h>

#include "exchange_collect.h"
#include "exchange_step.h"
#include "net_h2.h"
#include "spec_model.h"

/* Why case c cannot run over HTTP/2 (a static text, the SKIP reason), or NULL when every step
 * is one structured request sent whole and judged on its response alone. */
const char *cf_run_h2_unfit(const cf_case *c);

/* Sends step st's request (rendered for t) over s and fills res: sent (the request as
 * "METHOD PATH HTTP/2" and its fields, for reports), requests[0], responses[0]. The fields
 * HTTP/2 forbids (RFC 9113 §8.2.2) are not sent; *note (freed first) then names them.
 * No response before deadline_ms is a record without one (timed_out), judged as over HTTP/1.1.
 * Returns 0; 1 when the step cannot be judged (why: the SKIP reason): the rendered request
 * cannot go over HTTP/2, or the response went over one of caps; -1 when the request failed or
 * memory ran out (why says which). */
int cf_run_h2_step(cf_h2 *s, const cf_step *st, const cf_spec_target *t, uint64_t deadline_ms,
                   const cf_collect_caps *caps, cf_step_result *res, char **note, char *why,
                   size_t whycap);

/* Removes from res the findings of compliance rules that do not apply to HTTP/2: those of RFC
 * 9112 (HTTP/1.1 message syntax and connection management; docs/rules.md "HTTP/2"). */
void cf_run_h2_filter_rules(cf_step_result *res);

#endif
