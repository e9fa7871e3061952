/* The fast paths of a head (parsers/h1_head.c fresh_head, parsers/h1_framing.c only_host) leave
 * the parser exactly as the general path does. The first call on a fresh parser with a header
 * array takes them; a first call with no bytes at all sends the parser to the general path for
 * the rest of the head (p->base is then set), so each input below is parsed both ways, at the end
 * of a guard page, and everything the caller can read is compared. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cf_guard.h"
#include "h1_parser.h"

#define N_HDRS 8

typedef struct parsed {
    h1_status st;
    h1_parser p;
    h1_header hdrs[N_HDRS];
} parsed;

static void parse(parsed *r, const char *in, size_t len, h1_kind kind, int general)
{
    memset(r, 0, sizeof *r);
    h1_parser_init(&r->p, kind);
    r->p.headers = r->hdrs;
    r->p.max_headers = N_HDRS;
    if (general) cr_assert_eq(h1_parse_head(&r->p, in, 0), H1_AGAIN);
    r->st = h1_parse_head(&r->p, in, len);
}

static void span_eq(h1_span a, h1_span b, const char *what, const char *in)
{
    cr_expect_eq(a.ptr, b.ptr, "%s: %s pointer differs", in, what);
    cr_expect_eq(a.len, b.len, "%s: %s length %zu, general path %zu", in, what, a.len, b.len);
}

/* Everything public in p->msg and p's results, the fast parse (a) against the general (b). */
static void same(const parsed *a, const parsed *b, const char *in)
{
    const h1_message *x = &a->p.msg, *y = &b->p.msg;
    cr_expect_eq(a->st, b->st, "%s: status %d, general path %d", in, a->st, b->st);
    cr_expect_eq(a->p.error.code, b->p.error.code, "%s: error %s, general path %s", in,
                 h1_code_name(a->p.error.code), h1_code_name(b->p.error.code));
    cr_expect_eq(a->p.error.offset, b->p.error.offset, "%s: error offset", in);
    cr_expect_eq(a->p.num_violations, b->p.num_violations, "%s: repairs", in);
    span_eq(x->method, y->method, "method", in);
    span_eq(x->target, y->target, "target", in);
    span_eq(x->reason, y->reason, "reason", in);
    cr_expect_eq(x->target_form, y->target_form, "%s: target form", in);
    cr_expect_eq(x->version, y->version, "%s: version", in);
    cr_expect_eq(x->status, y->status, "%s: status code", in);
    cr_expect_eq(x->num_headers, y->num_headers, "%s: field lines", in);
    cr_expect_eq(x->head_len, y->head_len, "%s: head length", in);
    cr_expect_eq(x->framing, y->framing, "%s: framing %s, general path %s", in,
                 h1_framing_name(x->framing), h1_framing_name(y->framing));
    cr_expect_eq(x->content_length, y->content_length, "%s: content length", in);
    cr_expect_eq(x->flags, y->flags, "%s: flags %#x, general path %#x", in, x->flags, y->flags);
    cr_expect_eq(x->host_index, y->host_index, "%s: host index", in);
    for (size_t i = 0; i < x->num_headers && i < N_HDRS; i++) {
        span_eq(a->hdrs[i].name, b->hdrs[i].name, "field name", in);
        span_eq(a->hdrs[i].value, b->hdrs[i].value, "field value", in);
        cr_expect_eq(a->hdrs[i].flags, b->hdrs[i].flags, "%s: field flags", in);
    }
}

/* The body decoder was set up alike: the same outcome on the bytes after the head. */
static void same_body(parsed *a, parsed *b, const char *in, size_t len, const char *text)
{
    if (a->st != H1_DONE) return;
    size_t off = a->p.msg.head_len, used_a = 0, used_b = 0;
    h1_span da = {0}, db = {0};
    h1_status sa = h1_parse_body(&a->p, in + off, len - off, &da, &used_a);
    h1_status sb = h1_parse_body(&b->p, in + off, len - off, &db, &used_b);
    cr_expect_eq(sa, sb, "%s: body status %d, general path %d", text, sa, sb);
    cr_expect_eq(used_a, used_b, "%s: body bytes used", text);
    cr_expect_eq(da.len, db.len, "%s: body data", text);
}

static const char *const requests[] = {
    "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", /* the benchmark's minimal GET */
    "GET / HTTP/1.0\r\nHost: example.com\r\n\r\n", /* not persistent without keep-alive */
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n",           /* fewer than 32 readable bytes after Host */
    "GET / HTTP/1.1\r\nhOsT: example.com\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", /* a port: the general path's check */
    "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: 192.0.2.1\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: ex%41mple\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: abcdefghijklmnopqrstuvwxyz012345\r\n\r\n",  /* 32 bytes */
    "GET / HTTP/1.1\r\nHost: abcdefghijklmnopqrstuvwxyz0123456\r\n\r\n", /* 33 bytes */
    "GET / HTTP/1.1\r\nHost: \r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: caf\xc3\xa9\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
    "GET / HTTP/1.1\r\nHoss: a\r\n\r\n", /* a candidate name that is not Host */
    "GET / HTTP/1.1\r\n\r\n",
    "GET / HTTP/1.0\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    "GET / HTTP/1.1\r\nAccept: */*\r\nHost: a\r\nUser-Agent: t\r\n\r\n",
    "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
    "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\nX:  two spaces\r\n\r\n", /* a line for the general path */
    "GET / HTTP/1.1\r\nHost: a\r\n\tfolded\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\n",         /* the empty line has not arrived */
    "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n", /* nor here, after a fast line */
    "GET / HTTP/1.1\r\nHost: a\r\nX: 1",     /* a line cut short */
    "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n",  /* the fast start-line's target check */
    "GET /[x] HTTP/1.1\r\nHost: a\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", /* the general start-line */
    "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
    "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
    "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "GET / HTTP/1.1\nHost: a\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\n\r\n",
};

static const char *const responses[] = {
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "HTTP/1.1 204 No Content\r\n\r\n",
    "HTTP/1.0 200 OK\r\n\r\nbody",
    "HTTP/1.1 200 OK\r\nHost: a\r\n\r\n", /* a response's Host is not checked */
    "HTTP/1.1 600 Odd\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
};

static void check_all(const char *const *in, size_t n, h1_kind kind)
{
    cf_guard g;
    cr_assert_eq(cf_guard_init(&g, 4096), 0);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(in[i]);
        const char *buf = cf_guard_place(&g, in[i], len);
        parsed *a = malloc(sizeof *a), *b = malloc(sizeof *b);
        cr_assert(a && b);
        parse(a, buf, len, kind, 0);
        parse(b, buf, len, kind, 1);
        same(a, b, in[i]);
        same_body(a, b, buf, len, in[i]);
        free(a);
        free(b);
    }
}

Test(fast_head, requests_as_the_general_path)
{
    check_all(requests, sizeof requests / sizeof requests[0], H1_REQUEST);
}

Test(fast_head, responses_as_the_general_path)
{
    check_all(responses, sizeof responses / sizeof responses[0], H1_RESPONSE);
}

/* The minimal GET through only_host: the values its shortcut sets. */
Test(fast_head, minimal_get)
{
    static const char in[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    parsed r;
    parse(&r, in, sizeof in - 1, H1_REQUEST, 0);
    cr_assert_eq(r.st, H1_DONE);
    cr_expect_eq(r.p.msg.host_index, 0);
    cr_expect_eq(r.p.msg.framing, H1_FRAMING_NONE);
    cr_expect_eq(r.p.msg.flags, H1_MSG_PERSISTENT);
    cr_expect_eq(r.p.msg.head_len, sizeof in - 1);
    parse(&r, "GET / HTTP/1.0\r\nHost: example.com\r\n\r\n", sizeof in - 1, H1_REQUEST, 0);
    cr_assert_eq(r.st, H1_DONE);
    cr_expect_eq(r.p.msg.flags, 0u); /* RFC 9112 §9.3: HTTP/1.0 persists only with keep-alive */
}

/* A header array pointer of NULL with a capacity is no array (h1_parser.h): the fresh path is
 * not taken, and the head is validated and counted. */
Test(fast_head, null_array_with_a_capacity)
{
    static const char in[] = "GET / HTTP/1.1\r\nHost: a b\r\n\r\n";
    h1_parser p;
    h1_parser_init(&p, H1_REQUEST);
    p.max_headers = 4;
    cr_assert_eq(h1_parse_head(&p, in, sizeof in - 1), H1_ERROR);
    cr_expect_eq(p.error.code, H1_V_HOST_INVALID);
    cr_expect_null(p.msg.headers);
    h1_parser_init(&p, H1_REQUEST);
    p.max_headers = 4;
    cr_assert_eq(h1_parse_head(&p, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27), H1_DONE);
    cr_expect_eq(p.msg.num_headers, 1);
    cr_expect_eq(p.msg.host_index, 0);
}
