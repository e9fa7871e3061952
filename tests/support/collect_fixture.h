/* A step result as the runner's collector (lib/exchange/include/exchange_collect.h) reads it: the
 * requests in the bytes sent, then the bytes received, then how the connection ended. For the tests
 * of what judges responses (the checker's 'complies', the rules over a step, fuzz rule findings).
 */
#ifndef CF_COLLECT_FIXTURE_H
#define CF_COLLECT_FIXTURE_H

#include <stddef.h>

#include "exchange_step.h"

/* Fills *out (zeroed first; free with cf_step_result_free) with what the collector makes of
 * recv[0..rlen) as the answer to sent[0..slen), the connection then ending as conn (OPEN: no
 * end seen). Aborts the test when memory runs out. */
void cf_fixture_step(const char *sent, size_t slen, const char *recv, size_t rlen,
                     cf_conn_state conn, cf_step_result *out);

#endif
