/* A raw TCP client for the tests of conform serve: sends bytes as they are, and reads each
 * response with the shared parser in strict response mode, so every response the tests see is
 * also checked for HTTP/1.1 conformance. */
#ifndef CF_SERVE_CLIENT_H
#define CF_SERVE_CLIENT_H

#include <stddef.h>

#include "h1_parser.h"

#define CF_TC_MAX_HEADERS 64

/* One connection and the bytes received but not yet read as responses. */
typedef struct cf_tc {
    int fd;
    char *buf;
    size_t len, cap;
    int eof; /* the server closed its side */
} cf_tc;

/* One response. raw holds its head (start-line and fields); spans in headers point into raw; body
 * is decoded content (NUL-terminated). error is 0, or CF_TC_CLOSED / CF_TC_TIMEOUT / CF_TC_INVALID
 * (then code says which rule the response broke). */
enum { CF_TC_OK = 0, CF_TC_CLOSED = 1, CF_TC_TIMEOUT = 2, CF_TC_INVALID = 3 };
typedef struct cf_tc_resp {
    int error;
    h1_code code;
    int status, version;
    unsigned flags;
    h1_framing framing;
    h1_header headers[CF_TC_MAX_HEADERS];
    size_t num_headers;
    char *raw;
    size_t raw_len;
    char *body;
    size_t body_len;
} cf_tc_resp;

/* Connects to 127.0.0.1:port; returns 0, or -1. */
int cf_tc_connect(cf_tc *c, int port);
/* Sends len bytes (all of them); returns 0 or -1. */
int cf_tc_send(cf_tc *c, const char *data, size_t len);
/* Sends a NUL-terminated string. */
int cf_tc_sends(cf_tc *c, const char *s);
/* Reads the next response to a request with the given method (for HEAD framing), waiting up to
 * timeout_ms for each read. Fills *r (release with cf_tc_resp_free); returns r->error. */
int cf_tc_read(cf_tc *c, const char *method, int timeout_ms, cf_tc_resp *r);
/* True when the server closes the connection within timeout_ms with no further bytes. */
int cf_tc_closed(cf_tc *c, int timeout_ms);
/* Closes the connection and frees its buffer. */
void cf_tc_close(cf_tc *c);

/* The value of the first header field called name as a NUL-terminated copy in out (capacity
 * cap); NULL when absent. */
const char *cf_tc_header(const cf_tc_resp *r, const char *name, char *out, size_t cap);
/* Number of header fields called name. */
size_t cf_tc_header_count(const cf_tc_resp *r, const char *name);
/* Releases what r owns. */
void cf_tc_resp_free(cf_tc_resp *r);

#endif
