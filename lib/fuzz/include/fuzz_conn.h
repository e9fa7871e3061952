/* conform fuzz: the keep-alive fast path. Each worker keeps one connection to the target open
 * between exchanges while it is reusable. An exchange writes the bytes without a half-close and
 * reads until run_collect has one complete response per request it counted in them (no grace
 * wait), or the server closes. When answers are still missing after keepalive_wait_ms without a
 * byte (the server may be waiting for body bytes it thinks are due), it falls back to the slow
 * path on the same connection: half-close, then read until close, timeout or grace (fuzz_send.h),
 * which is what tells a hang apart from "waiting for a body". A connection is kept only when
 * nothing about it is in doubt (cf_fuzz_conn_exchange says when). Judging what an observation
 * on a reused connection means is fuzz_judge.h's job. */
#ifndef CF_FUZZ_CONN_H
#define CF_FUZZ_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_send.h"
#include "net_conn.h"

/* One worker's connection. Zero it with cf_fuzz_conn_init; close with cf_fuzz_conn_close. */
typedef struct cf_fuzz_conn {
    cf_conn *conn;   /* NULL: none open */
    uint64_t opened; /* connections opened through it so far */
} cf_fuzz_conn;

/* How one fast-path exchange went, besides the observation. */
typedef struct cf_fuzz_path {
    bool reused;       /* the bytes went out on a connection kept from an earlier exchange */
    bool stale;        /* bytes were waiting on the kept connection before sending: answers
                          nobody asked for, so the previous input made the server see more
                          messages than were sent. The connection was dropped and this input
                          sent on a new one */
    bool idle_closed;  /* the server had closed the kept connection while it was idle (or
                          before answering a byte of this input): a new connection was used */
    bool fell_back;    /* answers missing after keepalive_wait_ms: half-closed, slow reading */
    bool kept;         /* the connection stays open for the next exchange */
    bool delivered;    /* bytes of this input were written to a connection */
    unsigned connects; /* connections opened during this exchange (0, 1 or 2) */
} cf_fuzz_path;

/* Prepares k with no connection open. */
void cf_fuzz_conn_init(cf_fuzz_conn *k);

/* Sends data[0..len) on k's kept connection (checked for stale bytes first) or a new one, and
 * observes the answer into *o and *p (both zeroed first). The connection is kept only when every
 * request got exactly one complete response, nothing was unparsable, the server neither closed
 * nor reset it, no request or last response carries Connection: close or is HTTP/1.0 (RFC 9112
 * §9.3, §9.6), no request is HEAD or CONNECT, and it was not half-closed. A kept connection the
 * server closed while idle (a write fails, or it ends without a byte of answer) is replaced by
 * a new one and the bytes sent again. A failed connect sets o->connect_err. Returns 0, or -1
 * when memory ran out. */
int cf_fuzz_conn_exchange(const cf_fuzz_conf *c, cf_fuzz_conn *k, const uint8_t *data, size_t len,
                          cf_fuzz_obs *o, cf_fuzz_path *p);

/* Closes k's connection, if any, after waiting up to wait_ms for bytes on it (a half-close
 * first, so a correct server closes at once). Returns true when bytes arrived that no request
 * asked for (the last input's extra answers). */
bool cf_fuzz_conn_close(cf_fuzz_conn *k, unsigned wait_ms);

#endif
