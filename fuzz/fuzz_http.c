/* The lean parser driver shared by the parser fuzz targets (see fuzz_http.h). */
#include "fuzz_http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define CF_FUZZ_MAX_MESSAGES 4 /* pipelined messages parsed from one input */

static h1_header headers[CF_FUZZ_MAX_HEADERS];
static h1_header trailers[CF_FUZZ_MAX_TRAILERS];
static h1_violation violations[CF_FUZZ_MAX_VIOLATIONS];

void cf_fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("conform fuzz: invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void cf_fuzz_setup(h1_parser *p, h1_kind kind, uint8_t cfg)
{
    h1_parser_init(p, kind);
    p->lenient = (cfg & CF_FUZZ_LENIENT) ? H1_LENIENT_ALL : 0;
    if (cfg & CF_FUZZ_TIGHT) {
        p->limits.max_start_line = 64;
        p->limits.max_head = 256;
        p->limits.max_fields = 8;
        p->limits.max_chunk_ext = 16;
        p->limits.max_trailer = 64;
        p->limits.max_empty_lines = 1;
    }
    p->headers = headers;
    p->max_headers = (cfg & CF_FUZZ_FEWHDRS) ? 4 : CF_FUZZ_MAX_HEADERS;
    if (!(cfg & CF_FUZZ_NOARRAYS)) {
        p->trailers = trailers;
        p->max_trailers = CF_FUZZ_MAX_TRAILERS;
        p->violations = violations;
        p->max_violations = CF_FUZZ_MAX_VIOLATIONS;
    }
}

void cf_fuzz_check_span(h1_span s, const char *base, size_t len, const char *what)
{
    if (s.ptr == NULL && s.len == 0) return;
    if (s.ptr < base || s.ptr > base + len || s.len > (size_t)(base + len - s.ptr))
        cf_fuzz_fail("%s span outside the %zu bytes given", what, len);
}

void cf_fuzz_check_fields(const h1_header *h, size_t n, const char *base, size_t len,
                          const char *what)
{
    for (size_t i = 0; i < n; i++) {
        cf_fuzz_check_span(h[i].name, base, len, what);
        cf_fuzz_check_span(h[i].value, base, len, what);
        if (h[i].name.len == 0) cf_fuzz_fail("%s %zu has an empty name", what, i);
    }
}

static void check_error(const h1_parser *p, size_t given)
{
    if (p->error.code <= H1_V_NONE || p->error.code >= H1_V__COUNT)
        cf_fuzz_fail("H1_ERROR with code %d", (int)p->error.code);
    if (p->error.offset > given)
        cf_fuzz_fail("error %s at offset %zu beyond the %zu bytes given",
                     h1_code_name(p->error.code), p->error.offset, given);
}

/* RFC 9112 §2.3, §3, §4: what a complete head must hold whatever the input. */
static void check_head(const h1_parser *p, const char *buf, size_t len)
{
    const h1_message *m = &p->msg;
    if (m->head_len == 0 || m->head_len > len)
        cf_fuzz_fail("head_len %zu with %zu bytes given", m->head_len, len);
    if (m->num_headers > p->max_headers) cf_fuzz_fail("num_headers beyond max_headers");
    cf_fuzz_check_fields(m->headers, m->num_headers, buf, m->head_len, "header");
    if (m->version < 10 || m->version > 19) cf_fuzz_fail("version %d", m->version);
    if ((unsigned)m->framing > H1_FRAMING_CLOSE) cf_fuzz_fail("framing %d", (int)m->framing);
    if (m->host_index != SIZE_MAX &&
        (m->host_index >= m->num_headers || !h1_span_ieq(m->headers[m->host_index].name, "host")))
        cf_fuzz_fail("host_index %zu does not name a Host field", m->host_index);
    if (p->kind == H1_REQUEST) {
        cf_fuzz_check_span(m->method, buf, m->head_len, "method");
        cf_fuzz_check_span(m->target, buf, m->head_len, "target");
        if (m->method.len == 0 || m->target.len == 0) cf_fuzz_fail("empty method or target");
        if (m->framing == H1_FRAMING_CLOSE) cf_fuzz_fail("close-delimited request body");
    } else {
        cf_fuzz_check_span(m->reason, buf, m->head_len, "reason");
        if (m->status < 100 || m->status > 599) cf_fuzz_fail("status %d", m->status);
    }
    if (p->lenient == 0 && p->num_violations != 0) cf_fuzz_fail("strict parse recorded repairs");
}

/* Decodes the body from buf[pos..len); returns the status and sets *end past the bytes used. */
static h1_status run_body(h1_parser *p, const char *buf, size_t len, size_t pos, size_t *end)
{
    uint64_t delivered = 0;
    h1_status st = H1_AGAIN;
    for (;;) {
        h1_span data = {NULL, 0};
        size_t used = 0;
        st = h1_parse_body(p, buf + pos, len - pos, &data, &used);
        if (used > len - pos) cf_fuzz_fail("h1_parse_body used %zu of %zu", used, len - pos);
        cf_fuzz_check_span(data, buf + pos, used, "body data");
        delivered += data.len;
        pos += used;
        if (st != H1_AGAIN || used == 0 || pos == len) break;
    }
    if (delivered != p->body_received)
        cf_fuzz_fail("body_received %llu but %llu bytes delivered",
                     (unsigned long long)p->body_received, (unsigned long long)delivered);
    if (st == H1_DONE && p->msg.framing == H1_FRAMING_LENGTH &&
        p->body_received != p->msg.content_length)
        cf_fuzz_fail("length body done after %llu of %llu bytes",
                     (unsigned long long)p->body_received,
                     (unsigned long long)p->msg.content_length);
    if (st == H1_DONE && p->trailers) {
        if (p->msg.num_trailers > p->max_trailers) cf_fuzz_fail("num_trailers beyond max");
        cf_fuzz_check_fields(p->msg.trailers, p->msg.num_trailers, buf, pos, "trailer");
    }
    *end = pos;
    return st;
}

/* Parses one message from buf[0..len); returns the bytes it took, or 0 when the stream ends. */
static size_t one_message(h1_parser *p, const char *buf, size_t len)
{
    h1_status st = h1_parse_head(p, buf, len);
    if (st == H1_ERROR) {
        check_error(p, len);
        return 0;
    }
    if (st == H1_AGAIN) {
        if (h1_parse_eof(p) == H1_DONE) cf_fuzz_fail("end of input completes a partial head");
        return 0;
    }
    if (st != H1_DONE) cf_fuzz_fail("h1_parse_head returned %d", (int)st);
    check_head(p, buf, len);
    size_t end = p->msg.head_len;
    st = run_body(p, buf, len, end, &end);
    if (st == H1_ERROR) {
        check_error(p, len);
        return 0;
    }
    if (st == H1_AGAIN) {
        st = h1_parse_eof(p);
        if (st == H1_DONE && p->msg.framing != H1_FRAMING_CLOSE)
            cf_fuzz_fail("end of input completes a body framed by %d", (int)p->msg.framing);
        return 0;
    }
    if (p->msg.framing == H1_FRAMING_CLOSE) cf_fuzz_fail("close-delimited body done before EOF");
    return end;
}

void cf_fuzz_stream(h1_parser *p, const char *buf, size_t len)
{
    for (int i = 0; i < CF_FUZZ_MAX_MESSAGES && len > 0; i++) {
        size_t used = one_message(p, buf, len);
        if (used == 0) return;
        buf += used;
        len -= used;
        h1_parser_reset(p);
    }
}
