/* The start-line (RFC 9112 §3 request-line, §4 status-line) and the head as a whole. */
#include "h1_simd_level.h" /* first: this file is built once per SIMD level */
#include <stdint.h>
#include <string.h>

#include "h1_internal.h"
#include "h1_simd.h"

#ifndef H1_FIELDS_PARSE_HEAD /* h1_fields.c is not built in this unit */
#define H1_FIELDS_PARSE_HEAD h1_fields_parse
#define H1_FIELDS_FAST_HEAD  h1_fields_parse
#endif

enum { R_OK, R_MORE, R_ERR };

/* Where the start-line scan must stop: the input, or a limit. */
typedef struct line_ctx {
    const unsigned char *b;
    size_t len, end, bound;
    h1_code bound_code;
} line_ctx;

static int more_or_limit(h1_parser *p, const line_ctx *l)
{
    if (l->end == l->bound) {
        h1_fail(p, l->bound_code, l->bound);
        return R_ERR;
    }
    return R_MORE;
}

/* RFC 9112 §3: whitespace recipients MAY treat as the SP separator (bare CR included). */
static int is_sep(const line_ctx *l, size_t pos)
{
    unsigned char c = l->b[pos];
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return 1;
    return c == '\r' && pos + 1 < l->end && l->b[pos + 1] != '\n';
}

/* A separator run at *pos: exactly one SP is the grammar; anything else is REQUEST_LINE_WS.
 * Sets *n to the run length. */
static int separator(h1_parser *p, const line_ctx *l, size_t *pos, size_t *n)
{
    size_t s = *pos, i = s;
    if (s + 1 < l->end && l->b[s] == ' ') { /* the grammar's single SP, then a non-space byte */
        unsigned char c = l->b[s + 1];
        if (c != ' ' && c != '\t' && c != '\v' && c != '\f' && c != '\r') {
            *n = 1;
            *pos = s + 1;
            return R_OK;
        }
    }
    while (i < l->end && is_sep(l, i))
        i++;
    if (i >= l->end || (l->b[i] == '\r' && i + 1 >= l->end)) return more_or_limit(p, l);
    *n = i - s;
    if (*n > 1 || (*n == 1 && l->b[s] != ' '))
        if (!h1_violate(p, H1_V_REQUEST_LINE_WS, s)) return R_ERR;
    *pos = i;
    return R_OK;
}

/* RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT, HTTP-name = %s"HTTP". */
static int version(h1_parser *p, const line_ctx *l, size_t *pos)
{
    static const char name[] = "HTTP/";
    size_t s = *pos;
    if (!(s + 8 <= l->end && !memcmp(l->b + s, "HTTP/1.1", 8))) {
        for (size_t k = 0; k < 8; k++) {
            if (s + k >= l->end) return more_or_limit(p, l);
            unsigned char c = l->b[s + k];
            int ok = k < 5    ? c == (unsigned char)name[k]
                     : k == 6 ? c == '.'
                              : (c >= '0' && c <= '9');
            if (!ok) {
                h1_fail(p, H1_V_VERSION, s + k);
                return R_ERR;
            }
        }
    }
    if (l->b[s + 5] != '1') {
        h1_fail(p, H1_V_VERSION_MAJOR, s);
        return R_ERR;
    }
    p->msg.version = 10 + (l->b[s + 7] - '0');
    *pos = s + 8;
    return R_OK;
}

/* The line terminator at *pos: CRLF, or a bare LF (RFC 9112 §2.2). Other bytes are `other`. */
static int line_end(h1_parser *p, const line_ctx *l, size_t *pos, h1_code other)
{
    size_t s = *pos;
    if (s >= l->end) return more_or_limit(p, l);
    if (l->b[s] == '\n') {
        if (!h1_violate(p, H1_V_BARE_LF, s)) return R_ERR;
        *pos = s + 1;
        return R_OK;
    }
    if (l->b[s] == '\r') {
        if (s + 1 >= l->end) return more_or_limit(p, l);
        if (l->b[s + 1] == '\n') {
            *pos = s + 2;
            return R_OK;
        }
    }
    h1_fail(p, other, s);
    return R_ERR;
}

static int at_eol(const line_ctx *l, size_t pos)
{
    return l->b[pos] == '\n' || (l->b[pos] == '\r' && pos + 1 < l->end && l->b[pos + 1] == '\n');
}

/* RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line. */
static int skip_empty_lines(h1_parser *p, const line_ctx *l, size_t *pos)
{
    size_t count = 0;
    for (;;) {
        size_t s = *pos;
        if (s >= l->end) return more_or_limit(p, l);
        if (l->b[s] != '\r' && l->b[s] != '\n') return R_OK;
        if (l->b[s] == '\r' && s + 1 >= l->end) return more_or_limit(p, l);
        if (l->b[s] == '\r' && l->b[s + 1] != '\n') {
            h1_fail(p, H1_V_BARE_CR, s);
            return R_ERR;
        }
        if (++count > p->limits.max_empty_lines) {
            h1_fail(p, H1_V_EMPTY_LINES, s);
            return R_ERR;
        }
        int r = line_end(p, l, pos, H1_V_METHOD_EMPTY);
        if (r != R_OK) return r;
    }
}

static void set_line_bounds(h1_parser *p, line_ctx *l, size_t line_start)
{
    size_t line_bound = line_start + p->limits.max_start_line + 2;
    l->bound = p->limits.max_head;
    l->bound_code = H1_V_HEAD_TOO_LARGE;
    if (line_bound <= l->bound) {
        l->bound = line_bound;
        l->bound_code = H1_V_START_LINE_TOO_LONG;
    }
    l->end = l->len < l->bound ? l->len : l->bound;
}

/* method: a token (RFC 9110 §9.1) ended by a separator. */
static int method(h1_parser *p, const line_ctx *l, size_t *pos)
{
    size_t s = *pos, i = s;
    if (s + 4 <= l->end && !memcmp(l->b + s, "GET ", 4)) i = s + 3;
    i = h1_scan_tchar(l->b, i, l->end);
    if (i >= l->end || (l->b[i] == '\r' && i + 1 >= l->end)) return more_or_limit(p, l);
    if (i == s) {
        h1_fail(p, is_sep(l, i) ? H1_V_METHOD_EMPTY : H1_V_METHOD_CHAR, i);
        return R_ERR;
    }
    if (!is_sep(l, i)) {
        h1_fail(p, at_eol(l, i) ? H1_V_REQUEST_LINE : H1_V_METHOD_CHAR, i);
        return R_ERR;
    }
    p->msg.method.ptr = (const char *)l->b + s;
    p->msg.method.len = i - s;
    *pos = i;
    return R_OK;
}

/* request-target characters (RFC 3986 as used by RFC 9112 §3.2); the form is checked once the
 * method is known. */
static int target(h1_parser *p, const line_ctx *l, size_t *pos, unsigned *acc)
{
    size_t s = *pos;
    unsigned bits = 0;
    size_t i = h1_scan_uri(l->b, s, l->end, &bits);
    if (i >= l->end || (l->b[i] == '\r' && i + 1 >= l->end)) return more_or_limit(p, l);
    if (i == s || !is_sep(l, i)) {
        h1_fail(p, at_eol(l, i) ? H1_V_REQUEST_LINE : H1_V_TARGET_CHAR, i);
        return R_ERR;
    }
    p->msg.target.ptr = (const char *)l->b + s;
    p->msg.target.len = i - s;
    *acc = bits;
    *pos = i;
    return R_OK;
}

/* RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF */
static int request_line(h1_parser *p, line_ctx *l, size_t *pos)
{
    size_t n;
    unsigned acc = 0;
    int r = skip_empty_lines(p, l, pos);
    if (r != R_OK) return r;
    size_t ls = *pos;
    set_line_bounds(p, l, ls);
    if ((r = method(p, l, pos)) != R_OK || (r = separator(p, l, pos, &n)) != R_OK) return r;
    size_t toff = *pos;
    if ((r = target(p, l, pos, &acc)) != R_OK || (r = separator(p, l, pos, &n)) != R_OK) return r;
    if (at_eol(l, *pos)) {
        h1_fail(p, H1_V_REQUEST_LINE, *pos);
        return R_ERR;
    }
    if ((r = version(p, l, pos)) != R_OK) return r;
    if (*pos < l->end && is_sep(l, *pos)) {
        if ((r = separator(p, l, pos, &n)) != R_OK) return r;
        if (n == 1 && !h1_violate(p, H1_V_REQUEST_LINE_WS, *pos - 1))
            return R_ERR; /* a single trailing SP is still not the grammar */
    }
    size_t le = *pos;
    if ((r = line_end(p, l, pos, H1_V_VERSION)) != R_OK) return r;
    if (le - ls > p->limits.max_start_line) {
        h1_fail(p, H1_V_START_LINE_TOO_LONG, ls + p->limits.max_start_line);
        return R_ERR;
    }
    return h1_target_check(p, p->msg.target, toff, acc) == H1_ERROR ? R_ERR : R_OK;
}

/* 1 when s[0..8) is "HTTP/1.1" or "HTTP/1.0" (RFC 9112 §2.3): one word compare, the minor
 * digits 1 and 0 differing only in their lowest bit. */
static inline int http_1x(const unsigned char *s)
{
    static const unsigned char minor_bit[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    uint64_t v, want, bit;
    memcpy(&v, s, 8);
    memcpy(&want, "HTTP/1.1", 8);
    memcpy(&bit, minor_bit, 8);
    return (v | bit) == want;
}

/* 1 when s[0..2) is CRLF (RFC 9112 §2.2), in one compare. */
static inline int is_crlf(const unsigned char *s)
{
    uint16_t v, want;
    memcpy(&v, s, 2);
    memcpy(&want, "\r\n", 2);
    return v == want;
}

/* The common request-line, method SP origin-form SP "HTTP/1.1" (or "HTTP/1.0") CRLF, as one
 * scan of the method, one of the target and a compare (RFC 9112 §3, §2.3). Returns R_OK or R_ERR
 * (the target's form or percent-encoding is wrong, as h1_target_check says) with *pos after the
 * CRLF, or R_MORE when the line is anything else: the general path then reads it from the start,
 * and finds the same when it is this form. */
static inline __attribute__((always_inline)) int fast_request_line(h1_parser *p, const line_ctx *l,
                                                                   size_t *pos)
{
    const unsigned char *b = l->b;
    size_t end = l->end, i, j;
    unsigned acc = 0;
    if (end >= 4 && !memcmp(b, "GET ", 4))
        i = 3;
    else
        i = h1_scan_tchar(b, 0, end);
    if (H1_UNLIKELY(i == 0 || i + 2 >= end || b[i] != ' ' || b[i + 1] != '/')) return R_MORE;
    j = h1_scan_uri(b, i + 1, end, &acc);
    if (H1_UNLIKELY(end - j < 11 || b[j] != ' ' || !http_1x(b + j + 1) || !is_crlf(b + j + 9)))
        return R_MORE;
    /* The CRLF lies within l->end, so the line is within max_start_line and max_head. */
    p->msg.method.ptr = (const char *)b;
    p->msg.method.len = i;
    p->msg.target.ptr = (const char *)b + i + 1;
    p->msg.target.len = j - i - 1;
    p->msg.version = 10 + (b[j + 8] - '0');
    *pos = j + 11;
    /* RFC 9112 §3.2.1: origin-form; "%" and brackets, and CONNECT, need h1_target_check. */
    if (H1_UNLIKELY((acc & (H1_URI_PCT | H1_URI_BRACKET)) || i == 7)) {
        h1_status st = h1_target_check(p, p->msg.target, i + 1, acc);
        return st == H1_ERROR ? R_ERR : R_OK;
    }
    p->msg.target_form = H1_TARGET_ORIGIN;
    return R_OK;
}

/* RFC 9112 §4: the reason-phrase up to the line end; a client SHOULD ignore its content. */
static int reason(h1_parser *p, const line_ctx *l, size_t *pos)
{
    size_t s = *pos, i = s;
    for (;;) {
        while (i < l->end && h1_reason_ok[l->b[i]])
            i++;
        if (i >= l->end || (l->b[i] == '\r' && i + 1 >= l->end)) return more_or_limit(p, l);
        if (at_eol(l, i)) break;
        if (!h1_violate(p, l->b[i] == '\r' ? H1_V_BARE_CR : H1_V_REASON_CHAR, i)) return R_ERR;
        i++;
    }
    p->msg.reason.ptr = (const char *)l->b + s;
    p->msg.reason.len = i - s;
    *pos = i;
    return R_OK;
}

/* RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF */
static int status_line(h1_parser *p, line_ctx *l, size_t *pos)
{
    size_t ls = *pos, i;
    int r;
    set_line_bounds(p, l, ls);
    if ((r = version(p, l, pos)) != R_OK) return r;
    i = *pos;
    if (i >= l->end) return more_or_limit(p, l);
    if (l->b[i] != ' ') {
        h1_fail(p, H1_V_VERSION, i);
        return R_ERR;
    }
    int code = 0;
    for (size_t k = 1; k <= 3; k++) {
        if (i + k >= l->end) return more_or_limit(p, l);
        unsigned char c = l->b[i + k];
        if (c < '0' || c > '9') {
            h1_fail(p, H1_V_STATUS_CODE, i + k);
            return R_ERR;
        }
        code = code * 10 + (c - '0');
    }
    /* RFC 9110 §15: values outside 100..599 are invalid. */
    if (code < 100 || code > 599) {
        h1_fail(p, H1_V_STATUS_CODE, i + 1);
        return R_ERR;
    }
    p->msg.status = code;
    i += 4;
    if (i >= l->end || (l->b[i] == '\r' && i + 1 >= l->end)) return more_or_limit(p, l);
    if (at_eol(l, i)) {
        if (!h1_violate(p, H1_V_STATUS_LINE_SP, i)) return R_ERR;
        p->msg.reason.ptr = (const char *)l->b + i;
        p->msg.reason.len = 0;
    } else if (l->b[i] != ' ' && l->b[i] != '\t') {
        h1_fail(p, H1_V_STATUS_CODE, i);
        return R_ERR;
    } else {
        /* RFC 9112 §4: status-code SP; an HTAB there is a missing SP a client may overlook. */
        if (l->b[i] == '\t' && !h1_violate(p, H1_V_STATUS_LINE_SP, i)) return R_ERR;
        i++;
        if ((r = reason(p, l, &i)) != R_OK) return r;
    }
    size_t le = i;
    if ((r = line_end(p, l, &i, H1_V_REASON_CHAR)) != R_OK) return r;
    if (le - ls > p->limits.max_start_line) {
        h1_fail(p, H1_V_START_LINE_TOO_LONG, ls + p->limits.max_start_line);
        return R_ERR;
    }
    *pos = i;
    return R_OK;
}

/* The common status-line, "HTTP/1.1" (or "HTTP/1.0") SP 3DIGIT SP reason-phrase CRLF with a
 * status code of 100..599 (RFC 9112 §4, RFC 9110 §15). Returns R_OK with *pos after the CRLF, or
 * R_MORE when the line is anything else, for the general path to read from the start. */
static inline __attribute__((always_inline)) int fast_status_line(h1_parser *p, const line_ctx *l,
                                                                  size_t *pos)
{
    const unsigned char *b = l->b;
    size_t end = l->end, i = 13;
    if (end < 15 || !http_1x(b) || b[8] != ' ' || b[12] != ' ') return R_MORE;
    unsigned d0 = b[9] - (unsigned)'0', d1 = b[10] - (unsigned)'0', d2 = b[11] - (unsigned)'0';
    if (d0 < 1 || d0 > 5 || d1 > 9 || d2 > 9) return R_MORE;
    while (i < end && h1_reason_ok[b[i]])
        i++;
    if (end - i < 2 || !is_crlf(b + i)) return R_MORE;
    /* The CRLF lies within l->end, so the line is within max_start_line and max_head. */
    p->msg.version = 10 + (b[7] - '0');
    p->msg.status = (int)(d0 * 100 + d1 * 10 + d2);
    p->msg.reason.ptr = (const char *)b + 13;
    p->msg.reason.len = i - 13;
    *pos = i + 2;
    return R_OK;
}

/* Spans from an earlier call point into the buffer as it was; move them to where it is now. */
static void rebase(h1_parser *p, const char *buf)
{
    uintptr_t from = (uintptr_t)p->base, to = (uintptr_t)buf;
#define H1_MOVE(s)                                                                                 \
    do {                                                                                           \
        if ((s).ptr) (s).ptr = (const char *)((uintptr_t)(s).ptr - from + to);                     \
    } while (0)
    H1_MOVE(p->msg.method);
    H1_MOVE(p->msg.target);
    H1_MOVE(p->msg.reason);
    for (size_t i = 0; p->msg.headers && i < p->msg.num_headers; i++) {
        H1_MOVE(p->msg.headers[i].name);
        H1_MOVE(p->msg.headers[i].value);
    }
    if (!p->msg.headers && p->head_state == H1_HS_FIELDS && p->facts.has_last) {
        H1_MOVE(p->facts.last.name);
        H1_MOVE(p->facts.last.value);
    }
#undef H1_MOVE
}

static h1_status start_line(h1_parser *p, const char *buf, size_t len, size_t *pos)
{
    line_ctx l;
    l.b = (const unsigned char *)buf;
    l.len = len;
    set_line_bounds(p, &l, 0);
    int r = p->kind == H1_REQUEST ? fast_request_line(p, &l, pos) : fast_status_line(p, &l, pos);
    if (H1_UNLIKELY(r == R_MORE))
        r = p->kind == H1_REQUEST ? request_line(p, &l, pos) : status_line(p, &l, pos);
    if (H1_UNLIKELY(r == R_MORE)) {
        p->num_violations = 0; /* the start-line is read again from its first byte */
        memset(&p->msg.method, 0, sizeof p->msg.method);
        memset(&p->msg.target, 0, sizeof p->msg.target);
        memset(&p->msg.reason, 0, sizeof p->msg.reason);
        *pos = 0;
        return H1_AGAIN;
    }
    return r == R_OK ? H1_DONE : H1_ERROR;
}

/* The header section's field lines in buf[0..len) (up to max_head), stored in arr (cap entries;
 * NULL: validated only) and marked for h1_head_analyze. start_line_follows is the caller's. */
static inline void header_fields(h1_parser *p, const char *buf, size_t len, h1_header *arr,
                                 size_t cap, h1_fields_ctx *c)
{
    c->buf = buf;
    c->len = len;
    c->bound = p->limits.max_head;
    c->end = len < c->bound ? len : c->bound;
    c->bound_code = H1_V_HEAD_TOO_LARGE;
    c->base = 0;
    c->arr = arr;
    c->cap = cap;
    c->n = &p->msg.num_headers;
    c->max_fields = p->limits.max_fields;
    c->marks = p;
}

/* h1_parse_head for any call: a parser part-way through a head, without a header array, or with
 * a head fresh_head leaves. Out of line, so that its frame does not cost fresh_head's heads. */
static __attribute__((noinline)) h1_status parse_head(h1_parser *p, const char *buf, size_t len)
{
    if (H1_UNLIKELY(p->error.code != H1_V_NONE)) return H1_ERROR;
    if (H1_UNLIKELY(p->head_state == H1_HS_DONE)) return H1_DONE;
    if (H1_UNLIKELY(p->base && p->base != buf)) rebase(p, buf);
    p->base = buf;
    p->msg.headers = p->max_headers ? p->headers : NULL; /* NULL: count and validate only */
    p->msg.trailers = p->max_trailers ? p->trailers : NULL;
    size_t pos = p->resume;
    if (p->head_state == H1_HS_START) {
        h1_status st = start_line(p, buf, len, &pos);
        if (H1_UNLIKELY(st != H1_DONE)) return st;
        p->head_state = H1_HS_FIELDS;
        p->resume = pos;
        if (H1_UNLIKELY(!p->msg.headers)) h1_zero(&p->facts, sizeof p->facts);
    }
    h1_fields_ctx c;
    header_fields(p, buf, len, p->msg.headers, p->msg.headers ? p->max_headers : 0, &c);
    c.start_line_follows = !(p->seen & 1u);
    h1_status st = H1_FIELDS_PARSE_HEAD(p, &c, &pos);
    if (!c.start_line_follows) p->seen |= 1u;
    if (H1_UNLIKELY(st != H1_DONE)) {
        p->resume = pos;
        return st;
    }
    p->msg.head_len = pos;
    p->head_state = H1_HS_DONE;
    p->stream_off = pos;
    return h1_head_analyze(p, len);
}

/* The first call on a fresh parser with a header array, when the start-line is the usual one
 * and all there (fast_request_line, fast_status_line): does what parse_head does from there, with
 * none of its checks for a parser part-way through a head, and the field lines fast_lines takes.
 * Sets *again when parse_head is to go on: from the first byte (nothing but p->base and the
 * arrays set) when the start-line is not the usual one, or from p->resume when a field line is
 * not or the head has not all arrived. */
static inline __attribute__((always_inline)) h1_status fresh_head(h1_parser *p, const char *buf,
                                                                  size_t len, int *again)
{
    size_t pos = 0;
    line_ctx l;
    p->base = buf;
    p->msg.headers = p->headers;
    p->msg.trailers = p->max_trailers ? p->trailers : NULL;
    l.b = (const unsigned char *)buf;
    l.len = len;
    set_line_bounds(p, &l, 0);
    int r = p->kind == H1_REQUEST ? fast_request_line(p, &l, &pos) : fast_status_line(p, &l, &pos);
    *again = r == R_MORE;
    if (H1_UNLIKELY(r != R_OK)) return H1_ERROR;
    p->head_state = H1_HS_FIELDS;
    h1_fields_ctx c;
    header_fields(p, buf, len, p->headers, p->max_headers, &c);
    c.start_line_follows = 1;
    h1_status st = H1_FIELDS_FAST_HEAD(p, &c, &pos);
    if (!c.start_line_follows) p->seen |= 1u;
    if (H1_UNLIKELY(st != H1_DONE)) {
        p->resume = pos; /* parse_head goes on from there */
        *again = st == H1_AGAIN;
        return st;
    }
    p->msg.head_len = pos;
    p->head_state = H1_HS_DONE;
    p->stream_off = pos;
    return h1_head_analyze_usual(p, len);
}

h1_status h1_parse_head(h1_parser *p, const char *buf, size_t len)
{
    /* A fresh parser (no head begun, no earlier buffer) with a header array: without one,
     * parse_head sets up p->facts. */
    if (p->head_state == H1_HS_START && !p->base && p->headers && p->max_headers &&
        p->error.code == H1_V_NONE) {
        int again;
        h1_status st = fresh_head(p, buf, len, &again);
        if (!again) return st;
    }
    return parse_head(p, buf, len);
}
