/* The pre-flight of conform run and conform fuzz: before anything is graded or fuzzed, is the
 * target there, and does it answer HTTP at all? One GET of a page, read with the shared
 * collector (exchange_collect.h) the way every case is read, bounded by the connect timeout and
 * a time limit. Any response (any status, even 404 or 500) passes; a banner of another protocol,
 * silence, a close or a reset without a response head does not, and the one line that says so
 * names what came back. */
#ifndef CF_NET_PREFLIGHT_H
#define CF_NET_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "net_target.h"

/* What the pre-flight found. */
typedef enum cf_preflight_result {
    CF_PREFLIGHT_HTTP,        /* a response head arrived (or no GET was asked for) */
    CF_PREFLIGHT_UNREACHABLE, /* the name did not resolve, or no address took a connection */
    CF_PREFLIGHT_NOT_HTTP,    /* it connected, and what came back is not an HTTP response */
} cf_preflight_result;

/* How to look. */
typedef struct cf_preflight_opts {
    const char *page;            /* the path requested; NULL: the target's profile page
                                    (t->vars.resource[CF_RES_PAGE]), or "/" without one */
    bool get;                    /* false: connect only (--no-preflight) */
    unsigned connect_timeout_ms; /* per address */
    unsigned time_limit_ms;      /* for the response head, once the GET went out */
} cf_preflight_opts;

/* Resolves t, connects to the first of its addresses that accepts (stored in *addr) and, with
 * o->get, sends "GET PAGE HTTP/1.1" (Host: the target, Connection: close) and reads until a
 * response head arrived, the collector stops, the server closes or resets, or o->time_limit_ms
 * pass. Anything but CF_PREFLIGHT_HTTP leaves one line in msg (no command prefix), e.g.
 * `127.0.0.1:2222 does not speak HTTP: it sent "SSH-2.0-OpenSSH_9.2\r\n" (21 bytes) to GET /`
 * or `cannot connect to 127.0.0.1:1: Connection refused`. Owns nothing after it returns. */
cf_preflight_result cf_preflight(const cf_run_target *t, const cf_preflight_opts *o,
                                 cf_run_addr *addr, char *msg, size_t cap);

#endif
