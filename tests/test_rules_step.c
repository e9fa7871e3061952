/* The rules over one step (lib/rules/include/rules_step.h): arrival order of interim and final
 * responses, the request each answers, the connection facts the rules are given, the answered
 * count, and stopping the walk. Steps are read from bytes by the runner's collector. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_fixture.h"
#include "rules_step.h"
#include "exchange_collect.h"

#define D "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"

/* What the walk showed, one line per response: "status interim? method rule,rule". */
typedef struct walk {
    char lines[8][160];
    size_t n, stop_after;
} walk;

static bool record(const cf_rules_seen *v, void *ud)
{
    walk *w = ud;
    if (w->n < 8) {
        char *l = w->lines[w->n];
        int k = snprintf(l, 160, "%d%s#%zu%s %s", v->r->status, v->interim ? "i" : "", v->index,
                         v->last ? " last" : "", v->req ? v->req->method : "-");
        for (size_t i = 0; i < v->nfindings && k > 0 && (size_t)k < 160; i++)
            k += snprintf(l + k, 160 - (size_t)k, "%s%s", i ? "," : " ", v->findings[i].rule_id);
    }
    w->n++;
    return w->stop_after == 0 || w->n < w->stop_after;
}

/* Walks recv as the answer to sent; returns the answered count. */
static size_t run(const char *sent, const char *recv, cf_conn_state conn, walk *w)
{
    cf_step_result r;
    cf_fixture_step(sent, strlen(sent), recv, strlen(recv), conn, &r);
    cf_pending reqs[8];
    size_t n = cf_collect_methods((const uint8_t *)sent, strlen(sent), reqs, 8);
    size_t answered = 99;
    cr_assert_eq(cf_rules_step(reqs, n, &r, true, record, w, &answered), 0);
    cf_step_result_free(&r);
    return answered;
}

Test(rules_step, arrival_order_and_requests_answered)
{
    const char *sent = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                       "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *recv =
        "HTTP/1.1 100 Continue\r\n\r\n"
        "HTTP/1.1 201 Created\r\n" D "Content-Length: 0\r\n\r\n"
        "HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n";
    walk w = {0};
    cr_expect_eq(run(sent, recv, CF_CONN_STATE_OPEN, &w), 2);
    cr_assert_eq(w.n, 3);
    /* the 1xx answers (ahead of) the POST; the 201 to POST lacks Location (RFC 9110 §9.3.3) */
    cr_expect_str_eq(w.lines[0], "100i#0 POST");
    cr_expect_str_eq(w.lines[1], "201#0 POST location-missing-on-201");
    /* the HEAD response has no content whatever its Content-Length (RFC 9110 §9.3.2) */
    cr_expect_str_eq(w.lines[2], "200#1 last HEAD");
}

Test(rules_step, more_responses_than_requests_and_connection_facts)
{
    const char *sent = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    /* two answers to one request; the first says close and bytes follow it (RFC 9112 §9.6) */
    const char *recv = "HTTP/1.1 200 OK\r\n" D "Connection: close\r\nContent-Length: 0\r\n\r\n"
                       "HTTP/1.1 404 Not Found\r\n" D "Content-Length: 0\r\n\r\n";
    walk w = {0};
    cr_expect_eq(run(sent, recv, CF_CONN_STATE_CLOSED, &w), 2);
    cr_assert_eq(w.n, 2);
    cr_expect_str_eq(w.lines[0], "200#0 GET data-after-connection-close");
    cr_expect_str_eq(w.lines[1], "404#1 last -");
}

Test(rules_step, incomplete_response_is_shown_not_judged)
{
    const char *sent = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *recv = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
    walk w = {0};
    cr_expect_eq(run(sent, recv, CF_CONN_STATE_OPEN, &w), 0);
    cr_assert_eq(w.n, 1);
    cr_expect_str_eq(w.lines[0], "200#0 last GET"); /* no date-missing: not judged */
}

Test(rules_step, callback_stops_the_walk)
{
    const char *sent = "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *recv = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                       "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    walk w = {.stop_after = 1};
    cr_expect_eq(run(sent, recv, CF_CONN_STATE_OPEN, &w), 1);
    cr_expect_eq(w.n, 1);
    /* without a callback the walk still counts the answers */
    cf_step_result r;
    cf_fixture_step(sent, strlen(sent), recv, strlen(recv), CF_CONN_STATE_OPEN, &r);
    size_t answered = 0;
    cr_expect_eq(cf_rules_step(NULL, 0, &r, false, NULL, NULL, &answered), 0);
    cr_expect_eq(answered, 2);
    cf_step_result_free(&r);
}

Test(rules_step, method_with_a_nul_byte_is_no_head)
{
    /* RFC 9110 §9.1: "HEAD\0/" is no method; the collector read the answer's content (the parser
     * did not take it for HEAD), and content-in-head-response must not fire on it */
    static const char sent[] = "HEAD\0/ HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *recv = "HTTP/1.1 400 Bad Request\r\n" D "Content-Type: text/plain\r\n"
                       "Connection: close\r\nContent-Length: 3\r\n\r\nbad";
    cf_step_result r;
    cf_fixture_step(sent, sizeof sent - 1, recv, strlen(recv), CF_CONN_STATE_CLOSED, &r);
    cf_pending reqs[2];
    size_t n = cf_collect_methods((const uint8_t *)sent, sizeof sent - 1, reqs, 2);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(reqs[0].method, "HEAD"); /* the C string stops at the NUL */
    walk w = {0};
    cr_expect_eq(cf_rules_step(reqs, n, &r, true, record, &w, NULL), 0);
    cr_assert_eq(w.n, 1);
    cr_expect_str_eq(w.lines[0], "400#0 last HEAD"); /* no finding */
    cf_step_result_free(&r);
}

/* --rules off: the record is paired (each response with its request) but not judged. */
Test(rules_step, pair_unjudged_pairs_without_findings)
{
    const char *sent = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *recv = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"; /* no Date */
    for (int judge = 0; judge < 2; judge++) {
        cf_step_result r;
        cf_fixture_step(sent, strlen(sent), recv, strlen(recv), CF_CONN_STATE_OPEN, &r);
        size_t answered = 99;
        cr_assert_eq(judge ? cf_rules_pair(&r, true, &answered)
                           : cf_rules_pair_unjudged(&r, true, &answered),
                     0);
        cr_expect(r.paired);
        cr_expect_eq(answered, 1);
        cr_assert_eq(r.nanswers, 1);
        cr_expect(r.answers[0].has_req);
        cr_expect_str_eq(r.answers[0].req.method, "GET");
        if (judge) {
            cr_assert_eq(r.answers[0].nfindings, 1);
            cr_expect_eq(r.answers[0].findings[0].rule, CF_R_DATE_MISSING);
        } else {
            cr_expect_eq(r.answers[0].nfindings, 0);
        }
        cf_step_result_free(&r);
    }
}

/* Walks recv (n bytes, NULs allowed) as the answer to sent; the walk's lines land in w. */
static void run_bytes(const char *sent, size_t sent_len, const char *recv, size_t n, walk *w)
{
    cf_step_result r;
    cf_fixture_step(sent, sent_len, recv, n, CF_CONN_STATE_OPEN, &r);
    r.sent = malloc(sent_len); /* the runner keeps the step's rendering there */
    cr_assert(r.sent);
    memcpy(r.sent, sent, sent_len);
    r.sent_len = sent_len;
    cf_pending reqs[4];
    size_t nq = cf_collect_methods((const uint8_t *)sent, sent_len, reqs, 4);
    cr_assert_eq(cf_rules_step(reqs, nq, &r, true, record, w, NULL), 0);
    cf_step_result_free(&r);
}

Test(rules_step, h2_settings_after_the_preface_is_no_extra_content)
{
    /* h2o answers a GET, then the HTTP/2 preface pipelined after it with its SETTINGS frame
     * (RFC 9113 §3.4): the 200's Content-Length was right, the frame is not more content */
    static const char sent[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    static const char recv[] =
        "HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
        "\x00\x00\x0c\x04\x00\x00\x00\x00\x00"
        "\x00\x03\x00\x00\x00\x64\x00\x04\x01\x00\x00\x00";
    walk w = {0};
    run_bytes(sent, sizeof sent - 1, recv, sizeof recv - 1, &w);
    cr_assert_eq(w.n, 1);
    cr_expect_str_eq(w.lines[0], "200#0 last GET");
    /* the same bytes with no preface sent: nothing explains them (RFC 9110 §8.6) */
    static const char plain[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    walk v = {0};
    run_bytes(plain, sizeof plain - 1, recv, sizeof recv - 1, &v);
    cr_assert_eq(v.n, 1);
    cr_expect_str_eq(v.lines[0], "200#0 last GET content-length-mismatch");
    /* the preface sent, but what follows is not a SETTINGS frame (type 0x00, DATA) */
    static const char data[] =
        "HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
        "\x00\x00\x02\x00\x00\x00\x00\x00\x01xx";
    walk u = {0};
    run_bytes(sent, sizeof sent - 1, data, sizeof data - 1, &u);
    cr_assert_eq(u.n, 1);
    cr_expect_str_eq(u.lines[0], "200#0 last GET content-length-mismatch");
}
