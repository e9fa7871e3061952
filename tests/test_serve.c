/* Tests of conform serve (lib/serve/): a server is started through the API on an
 * ephemeral loopback port and spoken to over raw TCP; every response is parsed strictly by the
 * shared parser in response mode (tests/support/serve_client.c). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"
#include "serve_client.h"
#include "serve_internal.h"

#define WAIT_MS 5000

static cf_server *srv;
static int port;

static void start_with(const cf_serve_options *o)
{
    char err[256];
    cr_assert_eq(cf_serve_start(o, &srv, err, sizeof err), 0, "%s", err);
    port = cf_server_port(srv);
    cr_assert(port > 0);
}

static void start(void)
{
    cf_serve_options o;
    cf_serve_options_default(&o);
    start_with(&o);
}

static void stop(void)
{
    cf_serve_stop(srv);
    srv = NULL;
}

TestSuite(serve, .init = start, .fini = stop, .timeout = 60);

/* RFC 9110 §5.6.7: whether v is an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), with *t its
 * time. Read and written again by the C library (C locale), not by the server's own formatter
 * (util_http_date.h): the day name must be that of the date, numbers zero-padded. */
static bool imf_fixdate(const char *v, time_t *t)
{
    static const char form[] = "%a, %d %b %Y %H:%M:%S GMT";
    struct tm tm = {0}, back;
    char again[64];
    const char *end = strptime(v, form, &tm);
    if (!end || *end || strlen(v) != 29) return false;
    *t = timegm(&tm);
    return gmtime_r(t, &back) && strftime(again, sizeof again, form, &back) &&
           strcmp(again, v) == 0;
}

Test(serve_date_check, catches_what_is_no_imf_fixdate)
{
    time_t t;
    cr_assert(imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT", &t));
    cr_expect_eq((long long)t, 784111777LL);
    cr_expect(imf_fixdate("Sat, 31 Dec 2016 23:59:59 GMT", &t));
    static const char *const bad[] = {
        "Mon, 06 Nov 1994 08:49:37 GMT",  /* the 6th was a Sunday */
        "Sun,  6 Nov 1994 08:49:37 GMT",  /* day not zero-padded */
        "Sun, 06 Nov 1994 8:49:37 GMT",   /* hour not zero-padded */
        "Sun, 06 Nov 1994 08:49:37 UTC",  /* not GMT */
        "Sunday, 06-Nov-94 08:49:37 GMT", /* RFC 850 form */
        "Sun Nov  6 08:49:37 1994",       /* asctime form */
        "Sun, 06 Nov 1994 08:49:37 GMT ", /* trailing space */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_not(imf_fixdate(bad[i], &t), "\"%s\"", bad[i]);
}

/* RFC 9110 §6.6.1: Date is an IMF-fixdate of now. */
static void assert_date(const cf_tc_resp *r)
{
    char v[64];
    time_t t;
    cr_assert(cf_tc_header(r, "Date", v, sizeof v), "no Date in status %d", r->status);
    cr_assert(imf_fixdate(v, &t), "Date '%s' is not an IMF-fixdate", v);
    cr_assert(labs((long)(time(NULL) - t)) < 60, "Date '%s' is not now", v);
}

/* Fields every response of this server carries (RFC 9110 §6.6.1, §8.6, §10.2.4). */
static void assert_common(const cf_tc_resp *r)
{
    char v[64];
    cr_assert_eq(r->version, 11);
    assert_date(r);
    cr_assert(cf_tc_header(r, "Server", v, sizeof v));
    size_t ncl = cf_tc_header_count(r, "Content-Length");
    if (r->status < 200 || r->status == 204 || r->status == 304)
        cr_assert_eq(ncl, 0, "Content-Length in a %d", r->status);
    else
        cr_assert_eq(ncl, 1, "status %d without one Content-Length", r->status);
}

/* Reads one response, asserts it parsed strictly, and checks the common fields. */
static void read_ok(cf_tc *c, const char *method, cf_tc_resp *r)
{
    int rc = cf_tc_read(c, method, WAIT_MS, r);
    cr_assert_eq(rc, CF_TC_OK, "read failed: %d (%s)", rc,
                 rc == CF_TC_INVALID ? h1_code_name(r->code) : "no response");
    if (r->status >= 200) assert_common(r);
}

/* Connects, sends req, reads one response to method. */
static void exchange(cf_tc *c, const char *req, const char *method, cf_tc_resp *r)
{
    cr_assert_eq(cf_tc_connect(c, port), 0);
    cr_assert_eq(cf_tc_sends(c, req), 0);
    read_ok(c, method, r);
}

static int header_is(const cf_tc_resp *r, const char *name, const char *want)
{
    char v[512];
    return cf_tc_header(r, name, v, sizeof v) && !strcmp(v, want);
}

/* Sends req on a new connection; asserts the answer's status and that field name is want. */
static void assert_answer(const char *req, const char *method, int status, const char *name,
                          const char *want)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, req, method, &r);
    cr_assert_eq(r.status, status, "%s: %d", req, r.status);
    cr_assert(header_is(&r, name, want), "%s: no %s: %s", req, name, want);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* A malformed request: status, body naming the code, Connection: close, then closed. */
static void assert_rejected(const char *req, int status, const char *code)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, req, "GET", &r);
    cr_assert_eq(r.status, status, "got %d for %s", r.status, code);
    if (code) cr_assert(strstr(r.body, code), "body '%s' does not name %s", r.body, code);
    cr_assert(header_is(&r, "Connection", "close"), "no Connection: close for %s", code);
    cr_assert(cf_tc_closed(&c, WAIT_MS), "connection left open after %s", code);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

Test(serve, get_index)
{
    cf_tc c;
    cf_tc_resp r;
    char v[128];
    exchange(&c, "GET / HTTP/1.1\r\nHost: example.test\r\n\r\n", "GET", &r);
    cr_assert_eq(r.status, 200);
    cr_assert(cf_tc_header(&r, "Content-Length", v, sizeof v));
    cr_assert_eq(strtoul(v, NULL, 10), r.body_len);
    cr_assert(r.body_len > 0 && strstr(r.body, "<html"));
    cr_assert(header_is(&r, "Content-Type", "text/html; charset=utf-8"));
    cr_assert(cf_tc_header(&r, "ETag", v, sizeof v) && v[0] == '"');
    cr_assert(cf_tc_header(&r, "Last-Modified", v, sizeof v));
    cr_assert_eq(cf_tc_header_count(&r, "Connection"), 0);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* RFC 9110 §9.3.2: HEAD gets the GET's fields without content; the next response on the same
 * connection must then parse (no stray content bytes). */
Test(serve, head_same_fields_no_body)
{
    cf_tc c;
    cf_tc_resp g, h, next;
    exchange(&c,
             "GET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n"
             "GET /status/201 HTTP/1.1\r\nHost: a\r\n\r\n",
             "GET", &g);
    read_ok(&c, "HEAD", &h);
    cr_assert_eq(h.status, 200);
    cr_assert_eq(h.body_len, 0);
    cr_assert_eq(h.num_headers, g.num_headers);
    for (size_t i = 0; i < g.num_headers; i++) {
        char name[64], gv[256], hv[256];
        snprintf(name, sizeof name, "%.*s", (int)g.headers[i].name.len, g.headers[i].name.ptr);
        if (!strcmp(name, "Date")) continue;
        cr_assert(cf_tc_header(&g, name, gv, sizeof gv));
        cr_assert(cf_tc_header(&h, name, hv, sizeof hv), "HEAD lacks %s", name);
        cr_assert_str_eq(hv, gv, "%s differs", name);
    }
    read_ok(&c, "GET", &next);
    cr_assert_eq(next.status, 201);
    cf_tc_resp_free(&g);
    cf_tc_resp_free(&h);
    cf_tc_resp_free(&next);
    cf_tc_close(&c);
}

Test(serve, missing_host)
{
    assert_rejected("GET / HTTP/1.1\r\n\r\n", 400, "HOST_MISSING");
}

Test(serve, two_hosts)
{
    assert_rejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "HOST_MULTIPLE");
}

Test(serve, obs_fold)
{
    assert_rejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n 2\r\n\r\n", 400, "OBS_FOLD");
}

Test(serve, bare_lf)
{
    assert_rejected("GET / HTTP/1.1\nHost: a\n\n", 400, "BARE_LF");
}

Test(serve, bare_cr)
{
    assert_rejected("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", 400, "BARE_CR");
}

Test(serve, cl_and_te)
{
    assert_rejected("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    400, "TE_WITH_CL");
}

Test(serve, cl_conflict)
{
    assert_rejected("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    "Content-Length: 6\r\n\r\nhello!",
                    400, "CL_CONFLICT");
}

/* RFC 9112 §6.1: an unknown coding before chunked is 501 (and close: framing unusable). */
Test(serve, te_unknown_coding_501)
{
    assert_rejected("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                    "0\r\n\r\n",
                    501, NULL);
}

/* RFC 9112 §6.3 item 4: a request TE not ending in chunked: 400 and close. */
Test(serve, te_not_chunked_last_400)
{
    assert_rejected("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400,
                    "TE_NOT_CHUNKED_LAST");
}

Test(serve, bad_chunk_400)
{
    assert_rejected("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhelloXX0\r\n\r\n",
                    400, "CHUNK_DATA_CRLF");
}

Test(serve, chunked_echo_with_trailers)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c,
             "POST /echo?x=1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n",
             "POST", &r);
    cr_assert_eq(r.status, 200);
    cr_assert(header_is(&r, "Content-Type", "application/json"));
    cr_assert(strstr(r.body, "\"method\":\"POST\""), "%s", r.body);
    cr_assert(strstr(r.body, "\"target\":\"/echo?x=1\""), "%s", r.body);
    cr_assert(strstr(r.body, "\"framing\":\"chunked\""), "%s", r.body);
    cr_assert(strstr(r.body, "\"content_length\":null"), "%s", r.body);
    cr_assert(strstr(r.body, "\"body_length\":11"), "%s", r.body);
    cr_assert(strstr(r.body, "\"body\":\"hello world\""), "%s", r.body);
    cr_assert(strstr(r.body, "\"trailers\":[[\"X-Trailer\",\"yes\"]]"), "%s", r.body);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* Regression: a head plus trailers larger than the connection's first buffer makes it grow while
 * the body is read; the request's path and query must follow the head into the new buffer (a
 * heap use-after-free in find_route before). The ASan build fails on any stale read. */
Test(serve, chunked_echo_trailers_larger_than_buffer)
{
    enum { NTRAILERS = 20, VALUE_LEN = 2000 };
    cf_buf req = {0};
    cf_buf_str(&req, "POST /echo?big=1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\nhello\r\n0\r\n");
    for (int i = 0; i < NTRAILERS; i++) {
        cf_buf_fmt(&req, "X-T%d: ", i);
        for (int k = 0; k < VALUE_LEN; k++)
            cf_buf_add(&req, "v", 1);
        cf_buf_str(&req, "\r\n");
    }
    cf_buf_str(&req, "\r\n");
    cr_assert_not(req.err);
    cr_assert_gt(req.len, 32768,
                 "the request must exceed the server's initial 16 KiB buffer twice");
    cf_tc c;
    cf_tc_resp r;
    cr_assert_eq(cf_tc_connect(&c, port), 0);
    cr_assert_eq(cf_tc_send(&c, req.ptr, req.len), 0);
    read_ok(&c, "POST", &r);
    cr_assert_eq(r.status, 200, "got %d: %s", r.status, r.body);
    cr_assert(strstr(r.body, "\"target\":\"/echo?big=1\""), "%.200s", r.body);
    cr_assert(strstr(r.body, "\"body\":\"hello\""), "%.200s", r.body);
    cr_assert(strstr(r.body, "[\"X-T19\",\"vvvv"), "last trailer missing");
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
    cf_buf_free(&req);
}

Test(serve, length_echo)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab\"c", "PUT", &r);
    cr_assert_eq(r.status, 200);
    cr_assert(strstr(r.body, "\"framing\":\"length\",\"content_length\":4,\"body_length\":4"), "%s",
              r.body);
    cr_assert(strstr(r.body, "\"body\":\"ab\\\"c\""), "%s", r.body);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* RFC 9112 §9.3.2: pipelined requests are answered in order. */
Test(serve, pipelined_in_order)
{
    cf_tc c;
    cf_tc_resp r[3];
    exchange(&c,
             "GET /status/201 HTTP/1.1\r\nHost: a\r\n\r\n"
             "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
             "GET /status/203 HTTP/1.1\r\nHost: a\r\n\r\n",
             "GET", &r[0]);
    read_ok(&c, "POST", &r[1]);
    read_ok(&c, "GET", &r[2]);
    cr_assert_eq(r[0].status, 201);
    cr_assert_eq(r[1].status, 200);
    cr_assert(strstr(r[1].body, "\"body\":\"abc\""));
    cr_assert_eq(r[2].status, 203);
    for (int i = 0; i < 3; i++)
        cf_tc_resp_free(&r[i]);
    cr_assert_not(cf_tc_closed(&c, 200), "connection closed after pipelined requests");
    cf_tc_close(&c);
}

Test(serve, connection_close)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n", "GET",
             &r);
    cr_assert_eq(r.status, 200);
    cr_assert(header_is(&r, "Connection", "close"));
    cr_assert(cf_tc_closed(&c, WAIT_MS), "not closed after Connection: close");
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* RFC 9112 §9.3: HTTP/1.0 persists only with keep-alive. */
Test(serve, http10_closes)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "GET / HTTP/1.0\r\n\r\n", "GET", &r);
    cr_assert_eq(r.status, 200);
    cr_assert(cf_tc_closed(&c, WAIT_MS), "HTTP/1.0 connection left open");
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

Test(serve, http10_keep_alive)
{
    cf_tc c;
    cf_tc_resp r, r2;
    exchange(&c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "GET", &r);
    cr_assert_eq(r.status, 200);
    cr_assert(header_is(&r, "Connection", "keep-alive"));
    cr_assert_eq(cf_tc_sends(&c, "GET /status/202 HTTP/1.0\r\n\r\n"), 0);
    read_ok(&c, "GET", &r2);
    cr_assert_eq(r2.status, 202);
    cr_assert(cf_tc_closed(&c, WAIT_MS));
    cf_tc_resp_free(&r);
    cf_tc_resp_free(&r2);
    cf_tc_close(&c);
}

/* RFC 9110 §10.1.1: 100 Continue before the content is read, then the final response. */
Test(serve, expect_continue)
{
    cf_tc c;
    cf_tc_resp r, f;
    exchange(&c,
             "POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
             "Content-Length: 5\r\n\r\n",
             "POST", &r);
    cr_assert_eq(r.status, 100);
    cr_assert_eq(cf_tc_sends(&c, "hello"), 0);
    read_ok(&c, "POST", &f);
    cr_assert_eq(f.status, 200);
    cr_assert(strstr(f.body, "\"body\":\"hello\""));
    cr_assert(strstr(f.body, "\"expect_continue\":true"));
    cf_tc_resp_free(&r);
    cf_tc_resp_free(&f);
    cf_tc_close(&c);
}

/* Refused on its head: the final status comes without 100, and the connection closes. */
Test(serve, expect_continue_refused)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c,
             "POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
             "Content-Length: 2000000\r\n\r\n",
             "POST", &r);
    cr_assert_eq(r.status, 413);
    cr_assert(cf_tc_closed(&c, WAIT_MS));
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
    exchange(&c, "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
             "POST", &r);
    cr_assert_eq(r.status, 405);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

Test(serve, expectation_unknown_417)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n", "GET", &r);
    cr_assert_eq(r.status, 417);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

Test(serve, unknown_method_501)
{
    cf_tc c;
    cf_tc_resp r, r2;
    exchange(&c,
             "BREW /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
             "GET /status/200 HTTP/1.1\r\nHost: a\r\n\r\n",
             "BREW", &r);
    cr_assert_eq(r.status, 501);
    read_ok(&c, "GET", &r2); /* the content was read and skipped: the connection persists */
    cr_assert_eq(r2.status, 200);
    cf_tc_resp_free(&r);
    cf_tc_resp_free(&r2);
    cf_tc_close(&c);
}

/* RFC 9110 §15.5.6: 405 MUST carry Allow. */
Test(serve, delete_index_405)
{
    /* TRACE is off by default */
    assert_answer("DELETE / HTTP/1.1\r\nHost: a\r\n\r\n", "DELETE", 405, "Allow",
                  "GET, HEAD, OPTIONS");
}

Test(serve, options_asterisk)
{
    static const char req[] = "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_answer(req, "OPTIONS", 200, "Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
    assert_answer(req, "OPTIONS", 200, "Content-Length", "0");
}

Test(serve, status_204_304_without_body)
{
    cf_tc c;
    cf_tc_resp a, b, d;
    exchange(&c,
             "GET /status/204 HTTP/1.1\r\nHost: a\r\n\r\nGET /status/304 HTTP/1.1\r\n"
             "Host: a\r\n\r\nGET /status/418 HTTP/1.1\r\nHost: a\r\n\r\n",
             "GET", &a);
    read_ok(&c, "GET", &b);
    read_ok(&c, "GET", &d);
    cr_assert_eq(a.status, 204);
    cr_assert_eq(b.status, 304);
    cr_assert_eq(d.status, 418);
    cr_assert_eq(a.framing, H1_FRAMING_NONE);
    cr_assert_eq(b.framing, H1_FRAMING_NONE);
    cr_assert(d.body_len > 0);
    cf_tc_resp_free(&a);
    cf_tc_resp_free(&b);
    cf_tc_resp_free(&d);
    cf_tc_close(&c);
}

Test(serve, not_found_and_redirect)
{
    cf_tc c;
    cf_tc_resp r, r2;
    exchange(&c, "GET /nope HTTP/1.1\r\nHost: a\r\n\r\nGET /redirect HTTP/1.1\r\nHost: a\r\n\r\n",
             "GET", &r);
    read_ok(&c, "GET", &r2);
    cr_assert_eq(r.status, 404);
    cr_assert_eq(r2.status, 301);
    cr_assert(header_is(&r2, "Location", "/"));
    cf_tc_resp_free(&r);
    cf_tc_resp_free(&r2);
    cf_tc_close(&c);
}

/* RFC 9112 §3.2.2: absolute-form is accepted and routed on its path. */
Test(serve, absolute_form)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "GET http://a/status/202?q HTTP/1.1\r\nHost: a\r\n\r\n", "GET", &r);
    cr_assert_eq(r.status, 202);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* The target URI is the absolute-form target (RFC 9112 §3.3): an https one on this plain
 * connection gets 421 (RFC 9110 §7.4), an http one without host or with userinfo 400 (§4.2.1,
 * §4.2.4); an upper-case scheme is still http (RFC 3986 §3.1), and Host is not looked at. */
Test(serve, absolute_form_refused)
{
    static const struct {
        const char *target;
        int status;
    } rows[] = {
        {"https://a/", 421},          {"ftp://a/", 421},
        {"http://:80/", 400},         {"http:///", 400},
        {"http://u@a/", 400},         {"http:/status/202", 400},
        {"HTTP://a/status/202", 202}, {"http://a?x", 200},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char req[256];
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: other.invalid:1\r\n\r\n",
                 rows[i].target);
        cf_tc c;
        cf_tc_resp r;
        exchange(&c, req, "GET", &r);
        cr_expect_eq(r.status, rows[i].status, "%s: %d", rows[i].target, r.status);
        cf_tc_resp_free(&r);
        cf_tc_close(&c);
    }
}

/* RFC 9110 §13.1.2, §13.1.3: revalidation gives 304 with the ETag and no content. */
Test(serve, conditional_304)
{
    cf_tc c;
    cf_tc_resp r, a, b, d;
    char etag[64], lm[64], req[512];
    exchange(&c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET", &r);
    cr_assert(cf_tc_header(&r, "ETag", etag, sizeof etag));
    cr_assert(cf_tc_header(&r, "Last-Modified", lm, sizeof lm));
    snprintf(
        req, sizeof req,
        "GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"x\", W/%s\r\n\r\n"
        "GET / HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: %s\r\n\r\n"
        "GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"other\"\r\nIf-Modified-Since: %s\r\n\r\n",
        etag, lm, lm);
    cr_assert_eq(cf_tc_sends(&c, req), 0);
    read_ok(&c, "GET", &a);
    read_ok(&c, "GET", &b);
    read_ok(&c, "GET", &d);
    cr_assert_eq(a.status, 304);
    cr_assert(header_is(&a, "ETag", etag));
    cr_assert_eq(b.status, 304);
    cr_assert_eq(d.status, 200, "If-None-Match must override If-Modified-Since");
    cf_tc_resp_free(&r);
    cf_tc_resp_free(&a);
    cf_tc_resp_free(&b);
    cf_tc_resp_free(&d);
    cf_tc_close(&c);
}

Test(serve, request_line_too_long_414)
{
    size_t n = 9000;
    char *req = malloc(n + 64);
    memcpy(req, "GET /", 5);
    memset(req + 5, 'a', n);
    memcpy(req + 5 + n, " HTTP/1.1\r\nHost: a\r\n\r\n", 23);
    assert_rejected(req, 414, "START_LINE_TOO_LONG");
    free(req);
}

Test(serve, too_many_fields_431)
{
    cf_buf b = {0};
    cf_buf_str(&b, "GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 150; i++)
        cf_buf_fmt(&b, "X-F%d: %d\r\n", i, i);
    cf_buf_str(&b, "\r\n");
    cf_buf_add(&b, "", 1);
    assert_rejected(b.ptr, 431, "TOO_MANY_FIELDS");
    cf_buf_free(&b);
}

Test(serve, version_2_505)
{
    assert_rejected("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "VERSION_MAJOR");
}

Test(serve, content_too_large_413)
{
    assert_rejected("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n", 413, NULL);
}

Test(serve, slow_client_one_byte_at_a_time)
{
    const char *req = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n";
    cf_tc c;
    cf_tc_resp r;
    cr_assert_eq(cf_tc_connect(&c, port), 0);
    for (size_t i = 0; req[i]; i++) {
        cr_assert_eq(cf_tc_send(&c, req + i, 1), 0);
        usleep(1000);
    }
    read_ok(&c, "POST", &r);
    cr_assert_eq(r.status, 200);
    cr_assert(strstr(r.body, "\"body\":\"abc\""));
    cr_assert(strstr(r.body, "[\"X-T\",\"1\"]"));
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* Several connections at once, their requests interleaved byte-wise. */
Test(serve, parallel_connections)
{
    enum { N = 16 };
    cf_tc c[N];
    char req[N][128];
    for (int i = 0; i < N; i++) {
        cr_assert_eq(cf_tc_connect(&c[i], port), 0);
        snprintf(req[i], sizeof req[i], "GET /status/%d HTTP/1.1\r\nHost: a\r\n\r\n", 200 + i);
    }
    size_t len = strlen(req[0]);
    for (size_t k = 0; k < len; k += 7)
        for (int i = 0; i < N; i++)
            cr_assert_eq(cf_tc_send(&c[i], req[i] + k, len - k < 7 ? len - k : 7), 0);
    for (int i = N - 1; i >= 0; i--) {
        cf_tc_resp r;
        read_ok(&c[i], "GET", &r);
        cr_assert_eq(r.status, 200 + i);
        cf_tc_resp_free(&r);
        cf_tc_close(&c[i]);
    }
}

Test(serve, large_body)
{
    cf_tc c;
    cf_tc_resp r, h;
    exchange(&c,
             "GET /large?bytes=300000 HTTP/1.1\r\nHost: a\r\n\r\n"
             "HEAD /large?bytes=5 HTTP/1.1\r\nHost: a\r\n\r\n",
             "GET", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, 300000);
    cr_assert_eq(r.body[63], '\n');
    read_ok(&c, "HEAD", &h);
    cr_assert(header_is(&h, "Content-Length", "5"));
    cf_tc_resp_free(&r);
    cf_tc_resp_free(&h);
    cf_tc_close(&c);
}

static void start_trace(void)
{
    cf_serve_options o;
    cf_serve_options_default(&o);
    o.trace = 1;
    start_with(&o);
}

/* With --trace (RFC 9110 §9.3.8): TRACE reflects the head, minus credentials, and is allowed. */
Test(serve_trace, trace_reflects_request, .init = start_trace, .fini = stop)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "TRACE /echo HTTP/1.1\r\nHost: a\r\nCookie: secret\r\nX-Y: z\r\n\r\n", "TRACE",
             &r);
    cr_assert_eq(r.status, 200);
    cr_assert(header_is(&r, "Content-Type", "message/http"));
    cr_assert(strstr(r.body, "TRACE /echo HTTP/1.1\r\nHost: a\r\nX-Y: z\r\n"), "%s", r.body);
    cr_assert_null(strstr(r.body, "secret"));
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

Test(serve, garbage_never_crashes)
{
    static const char *const inputs[] = {
        "\x01\x02\x03garbage\r\n\r\n",
        "GET\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n:x\r\n\r\n",
        ("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
         "chunked\r\n\r\nfffffffffffffffffff\r\n"),
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        cf_tc c;
        cf_tc_resp r;
        exchange(&c, inputs[i], "GET", &r);
        cr_assert_eq(r.status, 400, "input %zu got %d", i, r.status);
        cr_assert(cf_tc_closed(&c, WAIT_MS));
        cf_tc_resp_free(&r);
        cf_tc_close(&c);
    }
}

/* A request cut short by the client's half-close gets 400 and the connection closes. */
Test(serve, request_cut_short)
{
    cf_tc c;
    cf_tc_resp r;
    cr_assert_eq(cf_tc_connect(&c, port), 0);
    cr_assert_eq(cf_tc_sends(&c, "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nab"),
                 0);
    shutdown(c.fd, SHUT_WR);
    read_ok(&c, "POST", &r);
    cr_assert_eq(r.status, 400);
    cr_assert(cf_tc_closed(&c, WAIT_MS));
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

static void start_short_timeout(void)
{
    cf_serve_options o;
    cf_serve_options_default(&o);
    o.idle_timeout_ms = 300;
    start_with(&o);
}

Test(serve_timeout, stalled_request_408, .init = start_short_timeout, .fini = stop, .timeout = 30)
{
    cf_tc c, idle;
    cf_tc_resp r;
    cr_assert_eq(cf_tc_connect(&idle, port), 0);
    exchange(&c, "GET / HTTP/1.1\r\nHo", "GET", &r);
    cr_assert_eq(r.status, 408);
    cr_assert(cf_tc_closed(&c, WAIT_MS));
    cr_assert(cf_tc_closed(&idle, WAIT_MS), "idle connection not closed");
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
    cf_tc_close(&idle);
}

Test(serve_api, address_in_use_is_an_error, .init = start, .fini = stop)
{
    cf_serve_options o;
    cf_server *other = (cf_server *)1;
    char addr[64], err[256];
    cf_serve_options_default(&o);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    o.listen = addr;
    cr_assert_eq(cf_serve_start(&o, &other, err, sizeof err), -1);
    cr_assert_null(other);
    cr_assert(strstr(err, "in use"), "%s", err);
    o.listen = "nonsense";
    cr_assert_eq(cf_serve_start(&o, &other, err, sizeof err), -1);
    cr_assert(strstr(err, "HOST:PORT"), "%s", err);
}

Test(serve_api, ipv6_loopback)
{
    cf_serve_options o;
    cf_server *s;
    char err[256];
    cf_serve_options_default(&o);
    o.listen = "[::1]:0";
    if (cf_serve_start(&o, &s, err, sizeof err) != 0) cr_skip_test("no IPv6 loopback: %s", err);
    cr_assert(!strncmp(cf_server_url(s), "http://[::1]:", 13), "%s", cf_server_url(s));
    cf_serve_stop(s);
}

/* The CLI: `conform serve --listen 127.0.0.1:0` prints its URL, serves, exits 0 on SIGTERM. */
Test(serve_cli, runs_and_stops_on_sigterm)
{
    int out[2];
    cr_assert_eq(pipe(out), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(CF_CONFORM_BIN, "conform", "serve", "--listen", "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[256];
    cr_assert(fgets(line, sizeof line, f));
    const char *p = strstr(line, "listening on http://127.0.0.1:");
    cr_assert(p, "%s", line);
    port = (int)strtol(p + strlen("listening on http://127.0.0.1:"), NULL, 10);
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "GET /status/202 HTTP/1.1\r\nHost: a\r\n\r\n", "GET", &r);
    cr_assert_eq(r.status, 202);
    cr_assert(fgets(line, sizeof line, f));
    cr_assert(strstr(line, "\"GET /status/202 HTTP/1.1\" 202"), "log line: %s", line);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
    kill(pid, SIGTERM);
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
    fclose(f);
}

static int run_status(const char *a1, const char *a2)
{
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(CF_CONFORM_BIN, "conform", "serve", a1, a2, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(serve_cli, usage_and_address_errors, .init = start, .fini = stop)
{
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    cr_assert_eq(run_status("--bogus", NULL), 2);
    cr_assert_eq(run_status("--listen", addr), 2);
    cr_assert_eq(run_status("--help", NULL), 0);
}

/* conform serve serves everyone (issue #12, item 4): slow clients (slowloris) cannot hold every
 * slot, a full server drops the connection idle longest for a new one, a head trickled a line at
 * a time still meets its deadline. Timing bounds are generous (answers are awaited for seconds,
 * never raced). */
#define NSLOW 300

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* One ordinary client: connects, asks for "/", and gets 200 within WAIT_MS. */
static void fair_client_answered(void)
{
    cf_tc c;
    cf_tc_resp r;
    cr_assert_eq(cf_tc_connect(&c, port), 0);
    cr_assert_eq(cf_tc_sends(&c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 0);
    cr_assert_eq(cf_tc_read(&c, "GET", WAIT_MS, &r), CF_TC_OK, "an ordinary client got no answer");
    cr_expect_eq(r.status, 200);
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* 300 connections each send a header line every second (never finishing the head); between
 * rounds, ordinary clients are still answered. Before the fix, 128 slow connections held every
 * slot and the others waited in the backlog for as long as the slow ones kept trickling. */
static void start_default(void)
{
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    /* both ends of every connection live in this process */
    if (rl.rlim_cur < 2 * NSLOW + 64) cr_skip_test("needs ulimit -n >= %d", 2 * NSLOW + 64);
    cf_serve_options o;
    cf_serve_options_default(&o);
    start_with(&o);
}

Test(serve_fair, slowloris_does_not_deny_service, .init = start_default, .fini = stop,
     .timeout = 60)
{
    static cf_tc slow[NSLOW];
    for (int i = 0; i < NSLOW; i++) {
        cr_assert_eq(cf_tc_connect(&slow[i], port), 0, "slow connection %d", i);
        cr_assert_eq(cf_tc_sends(&slow[i], "GET / HTTP/1.1\r\nHost: x\r\n"), 0);
    }
    for (int round = 0; round < 3; round++) {
        sleep_ms(1000);
        for (int i = 0; i < NSLOW; i++)
            cr_assert_eq(cf_tc_sends(&slow[i], "X-Slow: 1\r\n"), 0, "slow %d was dropped", i);
        for (int k = 0; k < 5; k++)
            fair_client_answered();
    }
    for (int i = 0; i < NSLOW; i++)
        cf_tc_close(&slow[i]);
}

/* Full at 4 connections: 4 idle ones, then a fifth client is answered and the oldest idle
 * connection is the one closed. */
static void start_four(void)
{
    cf_serve_options o;
    cf_serve_options_default(&o);
    o.max_conns = 4;
    start_with(&o);
}

Test(serve_fair, full_server_drops_the_oldest_idle, .init = start_four, .fini = stop, .timeout = 60)
{
    cf_tc idle[4];
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(cf_tc_connect(&idle[i], port), 0);
        /* answered, so the server has accepted it: the order of arrival is known */
        cr_assert_eq(cf_tc_sends(&idle[i], "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
        cf_tc_resp r;
        cr_assert_eq(cf_tc_read(&idle[i], "GET", WAIT_MS, &r), CF_TC_OK);
        cf_tc_resp_free(&r);
        sleep_ms(20); /* distinct last-progress times */
    }
    fair_client_answered();
    cr_expect(cf_tc_closed(&idle[0], WAIT_MS), "the oldest idle connection was not dropped");
    /* the others still persist */
    for (int i = 2; i < 4; i++) {
        cf_tc_resp r;
        cr_assert_eq(cf_tc_sends(&idle[i], "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
        cr_expect_eq(cf_tc_read(&idle[i], "GET", WAIT_MS, &r), CF_TC_OK, "idle %d", i);
        cf_tc_resp_free(&r);
    }
    for (int i = 0; i < 4; i++)
        cf_tc_close(&idle[i]);
}

/* A head that keeps trickling (a line every 100 ms, so never idle) gets 408 once the head
 * deadline passes. */
static void start_head_deadline(void)
{
    cf_serve_options o;
    cf_serve_options_default(&o);
    o.head_timeout_ms = 500;
    o.idle_timeout_ms = 10000;
    start_with(&o);
}

Test(serve_fair, trickled_head_meets_its_deadline, .init = start_head_deadline, .fini = stop,
     .timeout = 60)
{
    cf_tc c;
    cr_assert_eq(cf_tc_connect(&c, port), 0);
    cr_assert_eq(cf_tc_sends(&c, "GET / HTTP/1.1\r\nHost: x\r\n"), 0);
    /* A line every 100 ms until the answer is there (at most 5 s: ten times the deadline);
     * stopping then keeps the answer from being lost to a reset. */
    struct pollfd pfd = {.fd = c.fd, .events = POLLIN};
    for (int i = 0; i < 50 && poll(&pfd, 1, 100) == 0; i++)
        cr_assert_eq(cf_tc_sends(&c, "X-Slow: 1\r\n"), 0);
    cf_tc_resp r;
    cr_assert_eq(cf_tc_read(&c, "GET", WAIT_MS, &r), CF_TC_OK);
    cr_expect_eq(r.status, 408);
    char v[32];
    cr_expect_str_eq(cf_tc_header(&r, "Connection", v, sizeof v), "close");
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* GET / in full: its content (owned by the caller) and length, for the range tests. */
static char *index_page(size_t *len)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET", &r);
    cr_assert_eq(r.status, 200);
    cr_assert(header_is(&r, "Accept-Ranges", "bytes")); /* RFC 9110 §14.3 */
    char *page = malloc(r.body_len + 1);
    cr_assert_not_null(page);
    memcpy(page, r.body, r.body_len + 1);
    *len = r.body_len;
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
    return page;
}

/* GET / with the given extra field lines ("Range: ...\r\n"); the response in *r. */
static void get_index_with(const char *fields, cf_tc_resp *r)
{
    cf_tc c;
    char req[512];
    snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: a\r\n%s\r\n", fields);
    exchange(&c, req, "GET", r);
    cf_tc_close(&c);
}

/* RFC 9110 §15.3.7.1: one range is a 206 with Content-Range and exactly those bytes; §14.1.2:
 * open, suffix and oversized ranges resolve against the length. */
Test(serve, range_single_part)
{
    size_t len;
    char *page = index_page(&len);
    static const struct {
        const char *range;
        size_t first, last; /* last == 0: len - 1 */
    } rows[] = {
        {"bytes=0-9", 0, 9},   {"bytes=10-", 10, 0},       {"bytes=-5", 0, 0},
        {"BYTES=3-3", 3, 3},   {"bytes=0-99999999", 0, 0}, {"bytes=-99999999", 0, 0},
        {"bytes= 2-4 ", 2, 4}, {"bytes=0-4,2-9", 0, 9}, /* overlapping: coalesced into one */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t first = rows[i].first, last = rows[i].last ? rows[i].last : len - 1;
        if (!strcmp(rows[i].range, "bytes=-5")) first = len - 5;
        char fields[128], want[64];
        snprintf(fields, sizeof fields, "Range: %s\r\n", rows[i].range);
        cf_tc_resp r;
        get_index_with(fields, &r);
        cr_assert_eq(r.status, 206, "%s: %d", rows[i].range, r.status);
        snprintf(want, sizeof want, "bytes %zu-%zu/%zu", first, last, len);
        cr_expect(header_is(&r, "Content-Range", want), "%s: not %s", rows[i].range, want);
        cr_expect(header_is(&r, "Content-Type", "text/html; charset=utf-8"));
        cr_expect_eq(cf_tc_header_count(&r, "ETag"), 1, "§15.3.7: a 206 carries the 200's ETag");
        cr_expect_eq(r.body_len, last - first + 1);
        cr_expect(!memcmp(r.body, page + first, last - first + 1), "%s: wrong bytes",
                  rows[i].range);
        cf_tc_resp_free(&r);
    }
    free(page);
}

/* RFC 9110 §15.3.7.2: disjoint ranges are multipart/byteranges, each part with its
 * Content-Range, none in the head. */
Test(serve, range_multipart)
{
    size_t len;
    char *page = index_page(&len);
    cf_tc_resp r;
    get_index_with("Range: bytes=0-0,-1\r\n", &r);
    cr_assert_eq(r.status, 206);
    char ct[256], want[1024];
    cr_assert(cf_tc_header(&r, "Content-Type", ct, sizeof ct));
    cr_assert(!strncmp(ct, "multipart/byteranges; boundary=", 31), "%s", ct);
    cr_expect_eq(cf_tc_header_count(&r, "Content-Range"), 0);
    snprintf(want, sizeof want,
             "\r\n--%s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Range: bytes "
             "0-0/%zu\r\n\r\n%c\r\n--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
             "Content-Range: bytes %zu-%zu/%zu\r\n\r\n%c\r\n--%s--\r\n",
             ct + 31, len, page[0], ct + 31, len - 1, len - 1, len, page[len - 1], ct + 31);
    cr_expect_str_eq(r.body, want);
    cf_tc_resp_free(&r);
    free(page);
}

/* RFC 9110 §14.2, §15.5.17: a valid but unsatisfiable set gets 416 with bytes STAR/LEN. */
Test(serve, range_unsatisfiable_416)
{
    size_t len;
    free(index_page(&len));
    static const char *const ranges[] = {"bytes=100000-", "bytes=-0", "bytes=100000-100001, -0"};
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        char fields[128], want[64];
        snprintf(fields, sizeof fields, "Range: %s\r\n", ranges[i]);
        cf_tc_resp r;
        get_index_with(fields, &r);
        cr_assert_eq(r.status, 416, "%s: %d", ranges[i], r.status);
        snprintf(want, sizeof want, "bytes */%zu", len);
        cr_expect(header_is(&r, "Content-Range", want), "%s", ranges[i]);
        cf_tc_resp_free(&r);
    }
}

/* RFC 9110 §14.2: another unit, invalid syntax, many ranges and a repeated field are ignored
 * (200 in full); so is Range on HEAD (GET is the only method with range handling). */
Test(serve, range_ignored)
{
    size_t len;
    free(index_page(&len));
    static const char *const fields[] = {
        "Range: items=0-1\r\n",
        "Range: bytes=5-2\r\n",
        "Range: bytes=abc\r\n",
        "Range: bytes=\r\n",
        "Range: bytes 0-1\r\n",
        "Range: bytes=0-1\r\nRange: bytes=2-3\r\n",
        ("Range: bytes=1-1,3-3,5-5,7-7,9-9,11-11,13-13,15-15,17-17,19-19,21-21,23-23,25-25,27-27,"
         "29-29,31-31,33-33\r\n"), /* 17 ranges: more than the server takes */
        "Range: bytes=0-1, x\r\n",
        "Range: bytes=--1\r\n",
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        cf_tc_resp r;
        get_index_with(fields[i], &r);
        cr_expect_eq(r.status, 200, "%s: %d", fields[i], r.status);
        cr_expect_eq(r.body_len, len, "%s", fields[i]);
        cf_tc_resp_free(&r);
    }
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, "HEAD / HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\n\r\n", "HEAD", &r);
    cr_expect_eq(r.status, 200);
    char cl[32];
    snprintf(cl, sizeof cl, "%zu", len);
    cr_expect(header_is(&r, "Content-Length", cl));
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
}

/* RFC 9110 §13.1.5: If-Range with the strong ETag or the exact Last-Modified applies the Range;
 * a weak tag, another tag or date, or a repeated field send the whole page. */
Test(serve, if_range)
{
    cf_tc_resp r;
    char tag[64], lm[64], fields[256];
    get_index_with("", &r);
    cr_assert(cf_tc_header(&r, "ETag", tag, sizeof tag));
    cr_assert(cf_tc_header(&r, "Last-Modified", lm, sizeof lm));
    cf_tc_resp_free(&r);
    const struct {
        const char *fmt;
        const char *arg;
        int status;
    } rows[] = {
        {"If-Range: %s\r\n", tag, 206},
        {"If-Range: %s\r\n", lm, 206},
        {"If-Range: W/%s\r\n", tag, 200},
        {"If-Range: \"other\"%s\r\n", "", 200},
        {"If-Range: %sSun, 06 Nov 1994 08:49:37 GMT\r\n", "", 200},
        {"If-Range: %s\r\nIf-Range: \"x\"\r\n", tag, 200},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int n = snprintf(fields, sizeof fields, rows[i].fmt, rows[i].arg);
        snprintf(fields + n, sizeof fields - (size_t)n, "Range: bytes=0-1\r\n");
        get_index_with(fields, &r);
        cr_expect_eq(r.status, rows[i].status, "%s: %d", fields, r.status);
        cf_tc_resp_free(&r);
    }
    /* §13.1.5: If-Range without Range is ignored. */
    snprintf(fields, sizeof fields, "If-Range: \"other\"\r\n");
    get_index_with(fields, &r);
    cr_expect_eq(r.status, 200);
    cf_tc_resp_free(&r);
}

/* RFC 9110 §15.5.2: the protected resource's 401 carries a WWW-Authenticate challenge. */
Test(serve, protected_401)
{
    assert_answer("GET /protected HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YTpi\r\n\r\n", "GET",
                  401, "WWW-Authenticate", "Basic realm=\"conform\"");
}

/* RFC 9110 §9.3.8: TRACE is off by default: 405 with an Allow that does not name it; OPTIONS
 * (§9.3.7) answers with Allow and Content-Length: 0, Max-Forwards or not (§7.6.2: an origin is
 * the final recipient). */
Test(serve, trace_off_and_options)
{
    static const char options[] =
        "OPTIONS /protected HTTP/1.1\r\nHost: a\r\nMax-Forwards: 0\r\n\r\n";
    assert_answer("TRACE / HTTP/1.1\r\nHost: a\r\nMax-Forwards: 0\r\n\r\n", "TRACE", 405, "Allow",
                  "GET, HEAD, OPTIONS");
    assert_answer(options, "OPTIONS", 200, "Allow", "GET, HEAD, OPTIONS");
    assert_answer(options, "OPTIONS", 200, "Content-Length", "0");
    assert_answer("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi", "POST", 405, "Allow",
                  "GET, HEAD, OPTIONS");
}

/* The status of the answer to req on a new connection. */
static int status_of(const char *req, const char *method)
{
    cf_tc c;
    cf_tc_resp r;
    exchange(&c, req, method, &r);
    int status = r.status;
    cf_tc_resp_free(&r);
    cf_tc_close(&c);
    return status;
}

/* RFC 9110 §7.8: Upgrade is ignored (the server switches to nothing, never a 101): a 200, in
 * HTTP/1.0 too; §9.3.6: CONNECT at an origin gets 501, never a 2xx. */
Test(serve, upgrade_ignored_connect_refused)
{
    cr_expect_eq(status_of("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: "
                           "upgrade\r\n\r\n",
                           "GET"),
                 200);
    cr_expect_eq(
        status_of("GET / HTTP/1.0\r\nHost: a\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n",
                  "GET"),
        200);
    cr_expect_eq(status_of("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", "CONNECT"), 501);
}
