/* conform run: turning the bytes a server sends into cf_obs_response values (exchange_step.h).
 *
 * One collector per connection: it keeps the parser state and the unanswered requests across
 * the steps of a case, and writes into the cf_step_result of the step being read. Responses are
 * parsed with the shared parser in client mode, lenient where RFC 9112 lets a client repair
 * (each repair recorded as a cf_obs_violation), knowing the method each response answers (HEAD,
 * CONNECT) and setting interim 1xx responses apart. Memory stays bounded: the parser's head
 * and field limits (caps on conform's memory, generous for real responses: a response over one is
 * reported as over the cap, not as "not HTTP"), a cap on body bytes kept (the rest counted), a
 * cap on raw bytes kept, a cap on 1xx responses in a row, and a total the runner stops reading
 * at. */
#ifndef CF_EXCHANGE_COLLECT_H
#define CF_EXCHANGE_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h1_parser.h"
#include "h1_reader.h"
#include "exchange_step.h"

#define CF_COLLECT_MAX_FIELDS     100 /* field lines of one request read back from the sent bytes */
#define CF_COLLECT_MAX_VIOLATIONS 64  /* repairs recorded per response */

/* Defaults of the caps below left 0 (docs/commands/run.md). */
#define CF_COLLECT_DEFAULT_FIELDS  1000u      /* field lines of one response (trailers too) */
#define CF_COLLECT_DEFAULT_HEAD    (1u << 20) /* bytes of one response's head (trailers too) */
#define CF_COLLECT_DEFAULT_INTERIM 16u        /* 1xx responses in a row */

/* Caps on conform's memory; a zero max_fields, max_head or max_interim takes the default. */
typedef struct cf_collect_caps {
    size_t max_body;    /* decoded body bytes kept per response (the rest is counted) */
    size_t max_raw;     /* received bytes kept per step in cf_step_result.raw */
    uint64_t max_total; /* received bytes per step (1xx included) after which reading stops */
    size_t max_fields;  /* field lines of one response head (and of its trailer section) */
    size_t max_head;    /* bytes of one response head (and of its trailer section) */
    size_t max_interim; /* 1xx responses in a row without a final one, after which reading stops */
} cf_collect_caps;

/* Parser state, unanswered requests and the step being read. Zero it, then cf_collect_init. */
typedef struct cf_collect {
    cf_collect_caps caps;
    h1_reader rd;    /* the response stream, read with the shared message reader */
    h1_header *hdrs; /* caps.max_fields each */
    h1_header *trailers;
    h1_violation viol[CF_COLLECT_MAX_VIOLATIONS];
    int state;           /* HEAD, BODY, or STOPPED (not HTTP / protocol switched) */
    cf_obs_response cur; /* the response being read (head parsed, body arriving) */
    uint64_t stream;     /* bytes received on the connection so far */
    uint64_t msg_start;  /* stream offset of the current message's first byte */
    uint64_t step_start; /* stream offset where the current step began */
    cf_pending *pending; /* FIFO of unanswered requests */
    size_t npending, pending_cap;
    cf_step_result *res; /* the step being read (not owned) */
    size_t complete;     /* complete final responses in res */
    size_t interim_run;  /* 1xx responses since the last final one */
    uint64_t kept;       /* bytes the step's recorded responses hold (structs, fields, bodies),
                            capped at caps.max_total like the bytes received */
    bool capped;         /* one of the caps stopped reading during this step (res->cap says
                            which) */
    bool oom;
} cf_collect;

/* Prepares c (caller-zeroed) with caps; sets c->oom when the field arrays cannot be had. */
void cf_collect_init(cf_collect *c, const cf_collect_caps *caps);

/* Frees what c owns. */
void cf_collect_free(cf_collect *c);

/* Records the requests in bytes sent (data[0..len)) as unanswered, in order: parsed with the
 * parser in request mode, leniently; where that fails, the rest counts as one request named by
 * its first token. Returns the number of requests found. */
size_t cf_collect_sent(cf_collect *c, const uint8_t *data, size_t len);

/* Starts reading a step into res (zeroed by the caller), which gets a copy of the unanswered
 * requests (res->requests: the collector drops each one as its response completes). */
void cf_collect_begin(cf_collect *c, cf_step_result *res);

/* Feeds received bytes. Returns false when reading should stop (not HTTP, total cap). */
bool cf_collect_feed(cf_collect *c, const uint8_t *data, size_t len);

/* The connection ended (orderly close when reset is false): a close-delimited body completes. */
void cf_collect_eof(cf_collect *c, bool reset);

/* Ends the step: a response still arriving is added to res as incomplete (a copy: it may
 * complete during the next step). */
void cf_collect_end(cf_collect *c);

/* True once nothing more can be parsed on this connection: bytes that are not HTTP, a protocol
 * switch (101, CONNECT), or the end of the connection. */
bool cf_collect_stopped(const cf_collect *c);

/* Number of unanswered requests. */
size_t cf_collect_npending(const cf_collect *c);

/* Method names of the requests in data[0..len) (as cf_collect_sent finds them), for tests:
 * writes up to max into out and returns the count found. */
size_t cf_collect_methods(const uint8_t *data, size_t len, cf_pending *out, size_t max);

#endif
