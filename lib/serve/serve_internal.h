/* Types shared by the files of conform serve (not part of the public API in serve.h):
 * the request view handed to resources, the response they build. */
#ifndef CF_SERVE_INTERNAL_H
#define CF_SERVE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "h1_parser.h"
#include "serve.h"
#include "util_buf.h"
#include "util_clock.h"

/* The methods the server knows (RFC 9110 §9.3), one bit each; any other method is 501. CONNECT
 * is known to the parser but not implemented here, so it is answered 501 too. */
#define CF_SERVE_METHODS(X) X(GET) X(HEAD) X(POST) X(PUT) X(DELETE) X(OPTIONS) X(TRACE)
enum {
#define CF_SM_BIT(name) CF_SM_BIT_##name,
    CF_SERVE_METHODS(CF_SM_BIT)
#undef CF_SM_BIT
};
enum {
#define CF_SM(name) CF_SM_##name = 1u << CF_SM_BIT_##name,
    CF_SERVE_METHODS(CF_SM)
#undef CF_SM
};
#define CF_SM_ALL                                                                                  \
    (CF_SM_GET | CF_SM_HEAD | CF_SM_POST | CF_SM_PUT | CF_SM_DELETE | CF_SM_OPTIONS | CF_SM_TRACE)

/* Server settings every connection reads (resolved defaults of cf_serve_options). */
typedef struct cf_serve_cfg {
    FILE *log;
    FILE *warn;
    size_t max_conns;
    size_t max_body;
    unsigned idle_timeout_ms;
    unsigned head_timeout_ms;
    int trace; /* TRACE is enabled (RFC 9110 §9.3.8); off by default */
} cf_serve_cfg;

/* One request as the resources see it: the parsed head plus what the body phase delivered.
 * Spans point into the connection's input buffer and live until the response is built. */
typedef struct cf_sreq {
    const h1_message *msg;
    unsigned method;  /* CF_SM_* bit, 0 for a method the server does not know */
    int trace;        /* TRACE is enabled (cf_serve_options.trace) */
    h1_span path;     /* path of the target (absolute-form: its path), query excluded */
    h1_span query;    /* after '?', or empty */
    const char *body; /* content kept for /echo (NULL otherwise) */
    size_t body_len;
    uint64_t body_received; /* decoded content bytes received */
    const h1_header *trailers;
    size_t num_trailers;
} cf_sreq;

/* A response under construction: status, extra header lines, content. */
typedef struct cf_sresp {
    int status;
    const char *content_type; /* NULL when there is no content */
    cf_buf body;              /* content (owned) */
    uint64_t filler;          /* content generated at write time instead of body (/large) */
    cf_buf fields;            /* extra "Name: value\r\n" lines (owned) */
    int close;                /* the connection closes after this response */
} cf_sresp;

/* Sets r to an empty response with the given status (owned buffers start empty). */
void cf_sresp_init(cf_sresp *r, int status);
/* Releases the buffers of r. */
void cf_sresp_free(cf_sresp *r);
/* Adds the header line "name: value" to r. */
void cf_sresp_field(cf_sresp *r, const char *name, const char *value);
/* Sets a text/plain body: "<status> <reason>" and, if detail is not NULL, ": detail". */
void cf_sresp_text(cf_sresp *r, const char *detail);

/* Reason phrase of a status code ("Not Found"), or "Unknown". */
const char *cf_serve_reason(int status);

/* Serializes r as the answer to a request (head_only for HEAD: fields without content) to out.
 * conn: 0 no Connection field, 1 "close", 2 "keep-alive". Adds Date, Server, Content-Length and
 * Content-Type by the rules of RFC 9110 §6.6.1, §8.3, §8.6. */
void cf_sresp_write(const cf_sresp *r, int head_only, int conn, cf_buf *out);

#include "util_http_date.h"

/* The method bit for a method token, 0 when unknown. */
unsigned cf_serve_method_bit(h1_span method);
/* The methods of bits a resource allows for rq: TRACE only when enabled (RFC 9110 §9.3.8: a
 * server may refuse it; conform serve does unless --trace). */
unsigned cf_serve_allowed(const cf_sreq *rq, unsigned bits);
/* Writes the methods in bits as an Allow value ("GET, HEAD") to out. */
void cf_serve_allow(unsigned bits, char *out, size_t cap);

/* Fills rq->path and rq->query from the target of rq->msg. */
void cf_serve_split_target(cf_sreq *rq);

/* Decides at head time whether the request will be refused whatever its content: returns the
 * status it gets (404, 405, 417, 501, 400...) or 0 when the resource will process it. */
int cf_serve_admit(const cf_sreq *rq);
/* True when a Transfer-Encoding names a coding other than chunked (RFC 9112 §6.1). */
int cf_serve_te_unknown(const h1_message *m);
/* True when the resource reads the content (it is kept for the response): /echo. */
int cf_serve_wants_body(const cf_sreq *rq);
/* Builds the response to a complete request into r (initialised by the callee). */
void cf_serve_respond(const cf_sreq *rq, cf_sresp *r);

/* /echo: a JSON report of how the request was received and framed, into r. */
void cf_serve_echo(const cf_sreq *rq, cf_sresp *r);
/* The static page "/" and its validators (RFC 9110 §8.8, §13), into r. */
void cf_serve_index(const cf_sreq *rq, cf_sresp *r);
/* Applies the Range field of m (RFC 9110 §14.2) to the representation data[0..len) of media
 * type ctype: fills r (status 200, set up by the caller) as a 206 or 416 and returns that status,
 * or returns 0 when the Range is absent or ignored and the whole representation is to be sent.
 * The caller decides that the method is GET and that If-Range holds. */
int cf_serve_range(const h1_message *m, const char *data, size_t len, const char *ctype,
                   cf_sresp *r);

/* One client connection (serve_conn.c). */
typedef struct cf_sconn cf_sconn;

/* Takes ownership of the accepted, nonblocking socket fd; peer names it in logs. NULL when out
 * of memory (fd is then closed). */
cf_sconn *cf_sconn_new(int fd, const char *peer, const cf_serve_cfg *cfg, int64_t now_ms);
/* Closes the socket and frees c. */
void cf_sconn_free(cf_sconn *c);
/* The poll() events c waits for (POLLIN, POLLOUT). */
short cf_sconn_events(const cf_sconn *c);
/* The socket of c. */
int cf_sconn_fd(const cf_sconn *c);
/* Handles revents from poll(); returns 0 to keep c, -1 when it is finished (free it). */
int cf_sconn_io(cf_sconn *c, short revents, int64_t now_ms);
/* Milliseconds (monotonic) at which c times out. */
int64_t cf_sconn_deadline(const cf_sconn *c);
/* When c waits for a request (no output queued, no request being read but maybe part of a
 * head): the millisecond of its last progress, so the longest-waiting can be dropped first when
 * the server is full. -1 when c is busy. */
int64_t cf_sconn_idle_since(const cf_sconn *c);
/* Handles a passed deadline; returns 0 to keep c, -1 when it is finished. */
int cf_sconn_timeout(cf_sconn *c, int64_t now_ms);

#endif
