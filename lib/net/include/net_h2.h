/* conform run --http2: one HTTP/2 connection to the target through libcurl's request API (ALPN
 * h2 over TLS, prior knowledge (h2c) over plain TCP). Unlike cf_conn, conform does not write the
 * bytes: libcurl frames each request (HEADERS, DATA) and decodes each response, and conform
 * keeps the status, the fields and the content (docs/commands/run.md "HTTP/2"). */
#ifndef CF_NET_H2_H
#define CF_NET_H2_H

#include <stddef.h>
#include <stdint.h>

#include "exchange_collect.h"
#include "exchange_step.h"
#include "net_target.h"

/* One HTTP/2 session (opaque): the libcurl easy handle whose connection cache keeps the
 * connection open between requests. */
typedef struct cf_h2 cf_h2;

/* One request field, as given (name and value not NUL-terminated). */
typedef struct cf_h2_field {
    const uint8_t *name;
    size_t name_len;
    const uint8_t *value;
    size_t value_len;
} cf_h2_field;

/* A request: method and :path as given; fields in order; body (NULL: none). */
typedef struct cf_h2_request {
    const uint8_t *method;
    size_t method_len;
    const uint8_t *path;
    size_t path_len;
    const cf_h2_field *fields;
    size_t nfields;
    const uint8_t *body;
    size_t body_len;
} cf_h2_request;

/* Prepares a session to a (TLS when a->tls.on) with name as the URL's host (the :authority
 * unless a Host field says otherwise, and over TLS the SNI). Connects lazily, on the first
 * request. Returns NULL when memory ran out. */
cf_h2 *cf_h2_open(const cf_run_addr *a, const char *name, unsigned connect_timeout_ms);

/* Closes the connection and frees s (NULL: nothing). */
void cf_h2_close(cf_h2 *s);

/* What cf_h2_perform returns besides 0 (a response) and -1 (the request failed). */
#define CF_H2_TIMEOUT 1 /* deadline_ms passed before a final response's head */
#define CF_H2_CAPPED  2 /* the response went over caps->max_fields or max_total: not kept */

/* Sends rq on s's connection (opened on the first call, reused after) and waits until
 * deadline_ms for the whole response, keeping at most caps->max_body bytes of its content.
 * Fills *out (zeroed first; the caller frees it like a cf_step_result's response): status,
 * version 20, the fields, the content, complete. 1xx responses are not kept. Returns 0;
 * CF_H2_TIMEOUT or CF_H2_CAPPED (out empty, why says which); -1 with libcurl's error text in
 * why when the request failed (no connection, the server did not negotiate HTTP/2, a reset
 * stream), out then holding nothing. */
int cf_h2_perform(cf_h2 *s, const cf_h2_request *rq, uint64_t deadline_ms,
                  const cf_collect_caps *caps, cf_obs_response *out, char *why, size_t whycap);

/* Whether a answers a GET of / over HTTP/2 within timeout_ms (conform run's preflight with
 * --http2). Returns 0, or -1 with the reason in why. */
int cf_h2_preflight(const cf_run_addr *a, const char *name, unsigned timeout_ms, char *why,
                    size_t whycap);

#endif
