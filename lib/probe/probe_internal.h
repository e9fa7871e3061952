/* conform profile: what the probes (probe_run.c) share with the exchange layer
 * (probe_exchange.c). */
#ifndef CF_PROBE_INTERNAL_H
#define CF_PROBE_INTERNAL_H

#include <stdbool.h>

#include "exchange_step.h"
#include "probe.h"
#include "util_buf.h"

/* One probe run: the target's address, its authority for Host, the options and the result. */
typedef struct probe_ctx {
    const cf_probe_opts *o;
    cf_run_addr addr;
    const char *authority;
    cf_probe_result *r;
    bool page_etag, page_last_modified; /* the page's GET answer had these validators */
    bool oom;
} probe_ctx;

/* The answers to one exchange: the collector's record, or why there is none. */
typedef struct probe_answer {
    cf_step_result res;
    int connect_err; /* errno when the connection could not be made (res then empty) */
} probe_answer;

/* Sends the requests of req (NUL-terminated) on a new connection and reads until each has its
 * answer (with to_close: until the server closes), the server closes, or the time limit
 * passes. a is zeroed first. Returns 0, or -1 when the connection could not be made
 * (a->connect_err). */
int probe_exchange(probe_ctx *p, const char *req, bool to_close, probe_answer *a);

/* Frees what a owns. */
void probe_answer_free(probe_answer *a);

/* The i-th final response of a, or NULL when it did not come complete. */
const cf_obs_response *probe_response(const probe_answer *a, size_t i);

/* What came instead of the i-th complete answer of a ("the connection closed without an
 * answer"); static text. */
const char *probe_no_answer(const probe_answer *a, size_t i);

/* Appends "METHOD PATH → STATUS REASON", or what came instead of the i-th answer ("no answer:
 * the connection closed"), to b; printable ASCII only, as the profile's comments hold it. */
void probe_describe(const probe_ctx *p, const probe_answer *a, size_t i, const char *method,
                    const char *path, cf_buf *b);

/* Appends s[0..n) to b with bytes that are not printable ASCII as '?', at most max bytes
 * (then "..."). */
void probe_printable(cf_buf *b, const char *s, size_t n, size_t max);

#endif
