/* conform fuzz: the pieces of the slow-path exchange (fuzz_send.c) that the keep-alive fast path
 * (fuzz_conn.c) reuses on its own connection. Not part of the API in fuzz_send.h. */
#ifndef CF_FUZZ_SEND_INTERNAL_H
#define CF_FUZZ_SEND_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_send.h"
#include "exchange_collect.h"
#include "exchange_step.h"
#include "net_conn.h"

/* Reads conn into col until the server closes, deadline (cf_now_ms clock) passes, or grace_ms
 * after every request counted in o->requests got its answer; sets o->closed, reset, timed_out.
 * The slow path's reading, after its half-close. */
void cf_fuzz_read_rest(const cf_fuzz_conf *c, cf_conn *conn, cf_collect *col, cf_fuzz_obs *o,
                       uint64_t deadline);

/* True once c->stop asks exchanges to end (Ctrl-C). */
bool cf_fuzz_stopping(const cf_fuzz_conf *c);

/* The deadline for one read that ends by until: until, or CF_FUZZ_STOP_POLL_MS from now when
 * that is sooner and c has a stop flag to look at again. */
uint64_t cf_fuzz_read_slice(const cf_fuzz_conf *c, uint64_t until);

/* Starts an exchange's step: col (for c's caps) learns the requests in data[0..len), counted
 * into o->requests, and reads into res. Both paths begin so; cf_fuzz_obs_finish ends it. */
void cf_fuzz_obs_start(const cf_fuzz_conf *c, cf_collect *col, cf_step_result *res,
                       const uint8_t *data, size_t len, cf_fuzz_obs *o);

/* Ends the step col was reading into res and copies what it saw into o (responses, statuses,
 * not_http, head_method, the rules broken). */
void cf_fuzz_obs_finish(const cf_fuzz_conf *c, cf_collect *col, cf_step_result *res,
                        cf_fuzz_obs *o);

/* Copies what the exchange record res says into o, whose requests the caller set: responses,
 * statuses, not_http, head_method, strict (the first rule the strict reading of the bytes sent
 * breaks), the rules broken. cf_fuzz_obs_finish's work once the step ended; 0, or -1 when
 * memory ran out. */
int cf_fuzz_observe(const cf_fuzz_conf *c, cf_step_result *res, cf_fuzz_obs *o);

/* True when method[0..len) is HEAD or CONNECT: the framing of the response depends on how the
 * server read the request (RFC 9112 §6.3). */
bool cf_fuzz_head_or_connect(const char *method, size_t len);

#endif
