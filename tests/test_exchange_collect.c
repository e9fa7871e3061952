/* conform run: turning canned response bytes into cf_obs_response values, fed whole and one
 * byte at a time. */
#include <criterion/criterion.h>
#include <string.h>

#include "exchange_collect.h"

static const cf_collect_caps caps = {.max_body = 1 << 20, .max_raw = 1 << 16, .max_total = 1 << 24};

/* Collects one step: requests sent, then response bytes fed in pieces of size step (0: whole),
 * then EOF if eof. */
static void collect(const char *sent, const char *recv, size_t recv_len, size_t step, bool eof,
                    cf_step_result *res)
{
    cf_collect c;
    memset(&c, 0, sizeof c);
    memset(res, 0, sizeof *res);
    cf_collect_init(&c, &caps);
    cf_collect_sent(&c, (const uint8_t *)sent, strlen(sent));
    cf_collect_begin(&c, res);
    if (step == 0) step = recv_len ? recv_len : 1;
    for (size_t off = 0; off < recv_len; off += step) {
        size_t n = recv_len - off < step ? recv_len - off : step;
        cf_collect_feed(&c, (const uint8_t *)recv + off, n);
    }
    if (eof) cf_collect_eof(&c, false);
    cf_collect_end(&c);
    cr_assert(!c.oom);
    cf_collect_free(&c);
}

#define COLLECT(sent, recv, step, eof, res) collect(sent, recv, sizeof recv - 1, step, eof, res)

static const char *field(const cf_obs_response *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (!strcasecmp(r->fields[i].name, name)) return r->fields[i].value;
    return NULL;
}

Test(run_collect, head_response_has_no_body)
{
    static const char in[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                             "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    for (size_t step = 0; step <= 1; step++) {
        cf_step_result r;
        COLLECT("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", in, step,
                false, &r);
        cr_assert_eq(r.nresponses, 2, "step %zu", step);
        cr_expect(r.responses[0].complete);
        cr_expect_eq(r.responses[0].body_len, 0);
        cr_expect_str_eq(field(&r.responses[0], "content-length"), "5");
        cr_expect(r.responses[1].complete);
        cr_expect_eq(r.responses[1].body_len, 5);
        cr_expect(!memcmp(r.responses[1].body, "hello", 5));
        cr_expect_eq(r.responses[1].raw_offset, 38);
        cr_expect_eq(r.responses[1].raw_offset + r.responses[1].raw_len, sizeof in - 1);
        cr_expect(!r.not_http);
        cf_step_result_free(&r);
    }
}

Test(run_collect, without_head_method_the_body_is_read)
{
    /* the same bytes answering GET: the second "response" is body bytes of the first */
    cf_step_result r;
    COLLECT("GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0, false, &r);
    cr_assert_eq(r.nresponses, 1);
    cr_expect_eq(r.responses[0].body_len, 5);
    cf_step_result_free(&r);
}

Test(run_collect, continue_then_final)
{
    static const char in[] = "HTTP/1.1 100 Continue\r\n\r\n"
                             "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    for (size_t step = 0; step <= 1; step++) {
        cf_step_result r;
        COLLECT("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
                in, step, false, &r);
        cr_assert_eq(r.ninterim, 1);
        cr_expect_eq(r.interim[0].status, 100);
        cr_expect_str_eq(r.interim[0].reason, "Continue");
        cr_assert_eq(r.nresponses, 1);
        cr_expect_eq(r.responses[0].status, 200);
        cr_expect(r.responses[0].complete);
        cr_expect_eq(r.responses[0].raw_offset, 25);
        cf_step_result_free(&r);
    }
}

Test(run_collect, three_pipelined_responses)
{
    static const char in[] = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"
                             "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                             "HTTP/1.1 204 No Content\r\n\r\n";
    for (size_t step = 0; step <= 7; step += 7) {
        cf_step_result r;
        COLLECT("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"
                "GET /c HTTP/1.1\r\nHost: a\r\n\r\n",
                in, step, false, &r);
        cr_assert_eq(r.nresponses, 3);
        cr_expect_eq(r.responses[0].status, 200);
        cr_expect_eq(r.responses[1].status, 404);
        cr_expect_str_eq(r.responses[1].reason, "Not Found");
        cr_expect_eq(r.responses[2].status, 204);
        for (int i = 0; i < 3; i++)
            cr_expect(r.responses[i].complete);
        cf_step_result_free(&r);
    }
}

Test(run_collect, chunked_with_trailers)
{
    static const char in[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n";
    for (size_t step = 0; step <= 1; step++) {
        cf_step_result r;
        COLLECT("GET / HTTP/1.1\r\nHost: a\r\n\r\n", in, step, false, &r);
        cr_assert_eq(r.nresponses, 1);
        cr_expect(r.responses[0].complete);
        cr_expect_eq(r.responses[0].framing, H1_FRAMING_CHUNKED);
        cr_assert_eq(r.responses[0].body_len, 11);
        cr_expect(!memcmp(r.responses[0].body, "hello world", 11));
        cr_assert_eq(r.responses[0].ntrailers, 1);
        cr_expect_str_eq(r.responses[0].trailers[0].name, "X-Sum");
        cr_expect_str_eq(r.responses[0].trailers[0].value, "42");
        cf_step_result_free(&r);
    }
}

Test(run_collect, bare_lf_and_obs_fold_recorded_as_violations)
{
    static const char in[] = "HTTP/1.1 200 OK\nContent-Length: 2\r\nX: a\r\n b\r\n\r\nok";
    cf_step_result r;
    COLLECT("GET / HTTP/1.1\r\nHost: a\r\n\r\n", in, 0, false, &r);
    cr_assert_eq(r.nresponses, 1);
    cr_expect(r.responses[0].complete);
    cr_expect(!r.not_http);
    cr_assert_eq(r.responses[0].nviolations, 2);
    cr_expect_eq(r.responses[0].violations[0].code, H1_V_BARE_LF);
    cr_expect_eq(r.responses[0].violations[0].offset, 15);
    cr_expect_eq(r.responses[0].violations[1].code, H1_V_OBS_FOLD);
    cr_expect_str_eq(field(&r.responses[0], "X"), "a b"); /* obs-fold read as one SP */
    cf_step_result_free(&r);
}

Test(run_collect, close_delimited_body_ends_at_eof)
{
    cf_step_result r;
    COLLECT("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\nuntil close", 0, true, &r);
    cr_assert_eq(r.nresponses, 1);
    cr_expect(r.responses[0].complete);
    cr_expect_eq(r.responses[0].framing, H1_FRAMING_CLOSE);
    cr_expect_eq(r.responses[0].body_len, 11);
    cf_step_result_free(&r);
}

Test(run_collect, cut_short_is_incomplete)
{
    cf_step_result r;
    COLLECT("GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", 0, true, &r);
    cr_assert_eq(r.nresponses, 1);
    cr_expect(!r.responses[0].complete);
    cr_expect_eq(r.responses[0].body_len, 10);
    cf_step_result_free(&r);
}

Test(run_collect, not_http_recorded_with_code)
{
    cf_step_result r;
    COLLECT("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "SSH-2.0-OpenSSH_9.2\r\n", 0, false, &r);
    cr_expect_eq(r.nresponses, 0);
    cr_expect(r.not_http);
    cr_expect_eq(r.parse_error, H1_V_VERSION);
    cr_expect_eq(r.raw_len, 21);
    cf_step_result_free(&r);
}

/* Caps small enough to reach: 4 body bytes, 8 raw bytes, 1 MiB in a step. */
static const cf_collect_caps small = {.max_body = 4, .max_raw = 8, .max_total = 1 << 20};

/* Starts a step reading into r with caps, after one GET was sent. */
static void begin_get(cf_collect *c, const cf_collect_caps *caps, cf_step_result *r)
{
    memset(c, 0, sizeof *c);
    cf_collect_init(c, caps);
    memset(r, 0, sizeof *r);
    cf_collect_sent(c, (const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18);
    cf_collect_begin(c, r);
}

Test(run_collect, body_cap_keeps_prefix_counts_all)
{
    cf_collect c;
    cf_step_result r;
    begin_get(&c, &small, &r);
    static const char in[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    cf_collect_feed(&c, (const uint8_t *)in, sizeof in - 1);
    cf_collect_end(&c);
    cr_assert_eq(r.nresponses, 1);
    cr_expect_eq(r.responses[0].body_len, 4);
    cr_expect_eq(r.responses[0].body_total, 10);
    cr_expect(r.responses[0].body_truncated);
    cr_expect_eq(r.raw_len, 8);
    cr_expect_eq(r.raw_total, sizeof in - 1);
    cf_step_result_free(&r);
    cf_collect_free(&c);
}

Test(run_collect, methods_of_sent_bytes)
{
    static const char sent[] = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                               "HEAD /b HTTP/1.1\r\nHost: a\r\n\r\n"
                               "GET /c HTTP/1.1\r\n\r\n" /* no Host: the parser rejects it */
                               "CONNECT h:1 HTTP/1.1\r\nHost: h:1\r\n\r\n"
                               "BREW /pot";
    cf_pending out[8];
    size_t n = cf_collect_methods((const uint8_t *)sent, sizeof sent - 1, out, 8);
    cr_assert_eq(n, 5);
    cr_expect_str_eq(out[0].method, "POST");
    cr_expect_str_eq(out[1].method, "HEAD");
    cr_expect_str_eq(out[2].method, "GET");
    cr_expect_str_eq(out[3].method, "CONNECT");
    cr_expect_str_eq(out[4].method, "BREW");
    /* Complete, rejected, or cut short: what conform fuzz's fast path keeps a connection on. */
    cr_expect(out[0].whole && out[1].whole && out[3].whole);
    cr_expect(!out[2].whole, "a rejected request is not whole");
    cr_expect(!out[4].whole, "a head cut short is not whole");
    static const char cut_body[] = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab";
    cr_assert_eq(cf_collect_methods((const uint8_t *)cut_body, sizeof cut_body - 1, out, 8), 1);
    cr_expect(!out[0].whole, "a body cut short is not whole");
    cr_expect_eq(cf_collect_methods((const uint8_t *)"\r\n", 2, out, 8), 0);
}

Test(run_collect, response_spanning_two_steps)
{
    cf_collect c;
    memset(&c, 0, sizeof c);
    cf_collect_init(&c, &caps);
    cf_collect_sent(&c, (const uint8_t *)"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27);
    cf_step_result a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    cf_collect_begin(&c, &a);
    static const char p1[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab";
    cf_collect_feed(&c, (const uint8_t *)p1, sizeof p1 - 1);
    cf_collect_end(&c);
    cr_assert_eq(a.nresponses, 1);
    cr_expect(!a.responses[0].complete);
    cr_expect_eq(cf_collect_npending(&c), 1);
    cf_collect_begin(&c, &b);
    cf_collect_feed(&c, (const uint8_t *)"cd", 2);
    cf_collect_end(&c);
    cr_assert_eq(b.nresponses, 1);
    cr_expect(b.responses[0].complete);
    cr_expect_eq(b.responses[0].body_len, 4);
    cr_expect_eq(b.responses[0].raw_offset, 0);
    cr_expect_eq(b.responses[0].raw_len, 2);
    cr_expect_eq(cf_collect_npending(&c), 0);
    cf_step_result_free(&a);
    cf_step_result_free(&b);
    cf_collect_free(&c);
}

/* Tiny responses without end ("HTTP/1.1 204 \r\n\r\n", 18 bytes each) cost more kept than on
 * the wire: what the step keeps counts against max_total too, so 1 MiB of them stops at the
 * cap (CF_CAP_KEPT) long before 1 MiB is received, with every response kept whole. */
Test(run_collect, kept_responses_count_against_the_total_cap)
{
    cf_collect c;
    cf_step_result r;
    begin_get(&c, &small, &r);
    static const char one[] = "HTTP/1.1 204 \r\nA: b\r\n\r\n";
    size_t fed = 0;
    while (fed < small.max_total && cf_collect_feed(&c, (const uint8_t *)one, sizeof one - 1))
        fed += sizeof one - 1;
    cf_collect_end(&c);
    cr_expect(!c.oom);
    cr_expect_eq(r.cap, CF_CAP_KEPT);
    cr_expect_eq(r.cap_value, small.max_total);
    cr_expect_lt(fed, small.max_total / 4, "stopped after %zu bytes received", fed);
    cr_expect_geq(c.kept, small.max_total);
    cr_expect_gt(r.nresponses, 1000);
    cr_expect(r.responses[r.nresponses - 1].complete);
    cf_step_result_free(&r);
    cf_collect_free(&c);
}
