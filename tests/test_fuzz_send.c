/* conform fuzz's exchanges against the deliberately broken servers of
 * tests/support/broken_server.h, in-process: the keep-alive fast path (fuzz_conn.h) reuses one
 * connection while it can and opens a new one when it must, and the judge (fuzz_judge.h)
 * classifies what a reused connection shows only after re-running the inputs involved alone on
 * fresh connections (the slow path, cf_fuzz_exchange), so a desync is blamed on the input that
 * caused it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "broken_server.h"
#include "fuzz_conn.h"
#include "fuzz_detect.h"
#include "fuzz_judge.h"
#include "fuzz_send.h"
#include "run_target.h"

#define GET       "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
#define GET_TWICE "GET /twice HTTP/1.1\r\nHost: a\r\n\r\n"
/* Both framings: the broken server answers twice and closes (RFC 9112 §6.1). */
#define TE_CL                                                                                      \
    "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"        \
    "0\r\n\r\n"

/* One input, its bytes a string literal. */
#define IN(s) (const uint8_t *)(s), sizeof(s) - 1

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A server started as o says, and a fuzz configuration aimed at it. */
static cf_broken *start(const cf_broken_opts *o, cf_fuzz_conf *c)
{
    cf_broken *b = cf_broken_start_opts(o);
    cr_assert_not_null(b);
    cf_fuzz_conf_default(c);
    /* A loaded test machine may take more than the default few milliseconds to answer; a fall
     * back then only costs a connection, but these tests count connections. */
    c->keepalive_wait_ms = 500;
    cf_run_target t;
    char port[8], err[256];
    snprintf(port, sizeof port, "%d", cf_broken_port(b));
    cr_assert_eq(cf_run_target_parse("127.0.0.1:1", &t, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_set(&t, "127.0.0.1", port), 0);
    cr_assert_eq(cf_run_target_resolve(&t, &c->addr, 1, err, sizeof err), 1, "%s", err);
    return b;
}

/* Judges one input on k, prev the input before it (NULL: none). */
static cf_fuzz_judged judge(const cf_fuzz_conf *c, cf_fuzz_conn *k, const char *prev,
                            const char *cur)
{
    cf_fuzz_judged j;
    cr_assert_eq(cf_fuzz_judge(c, k, (const uint8_t *)prev, prev ? strlen(prev) : 0,
                               (const uint8_t *)cur, strlen(cur), &j),
                 0);
    return j;
}

Test(fuzz_send, valid_requests_share_one_connection)
{
    cf_broken_opts o = {.mode = CF_BROKEN_DESYNC};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    for (int i = 0; i < 20; i++) {
        cf_fuzz_obs ob;
        cf_fuzz_path p;
        cr_assert_eq(cf_fuzz_conn_exchange(&c, &k, IN(GET), &ob, &p), 0);
        cr_expect_eq(ob.requests, 1);
        cr_expect_eq(ob.responses, 1, "exchange %d: %zu responses", i, ob.responses);
        cr_expect_eq(ob.status[0], 200);
        cr_expect_eq(cf_fuzz_classify(&ob), CF_FK_NONE);
        cr_expect(p.kept, "exchange %d: the connection was not kept", i);
        cr_expect_eq(p.reused, i > 0, "exchange %d: reused %d", i, p.reused);
        cr_expect_eq(p.connects, i == 0 ? 1u : 0u);
    }
    cr_expect_eq(cf_broken_accepts(b), 1, "%u connections accepted for 20 requests",
                 cf_broken_accepts(b));
    cr_expect_eq(k.opened, 1);
    cr_expect_eq(cf_broken_requests(b), 20);
    cr_expect_not(cf_fuzz_conn_close(&k, 50), "bytes nobody asked for after valid requests");
    cr_expect_eq(k.fd, -1);
    cf_broken_stop(b);
}

Test(fuzz_send, no_keep_alive_opens_a_connection_per_exchange)
{
    cf_broken_opts o = {.mode = CF_BROKEN_DESYNC};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    for (int i = 0; i < 5; i++) {
        cf_fuzz_judged j = judge(&c, NULL, i ? GET : NULL, GET);
        cr_expect_eq(j.cur.kind, CF_FK_NONE);
        cr_expect_eq(j.first.responses, 1);
        cr_expect_eq(j.path.connects, 1);
        cr_expect_not(j.path.kept);
    }
    cr_expect_eq(cf_broken_accepts(b), 5);
    cf_broken_stop(b);
}

Test(fuzz_send, connection_close_answer_means_a_new_connection)
{
    cf_broken_opts o = {.mode = CF_BROKEN_DESYNC};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    cf_fuzz_judged j = judge(&c, &k, NULL, GET);
    cr_assert(j.path.kept);
    /* A lower-case method: a valid token to conform's parser, "invalid" to the broken server,
     * which answers 400 with Connection: close (RFC 9112 §9.6: it closes after that). */
    j = judge(&c, &k, GET, "get / HTTP/1.1\r\nHost: a\r\n\r\n");
    cr_expect(j.path.reused);
    cr_expect_eq(j.first.status[0], 400);
    cr_expect_not(j.path.kept, "kept after an answer with Connection: close");
    cr_expect_eq(j.cur.kind, CF_FK_NONE);
    j = judge(&c, &k, "get / HTTP/1.1\r\nHost: a\r\n\r\n", GET);
    cr_expect_not(j.path.reused);
    cr_expect_eq(j.path.connects, 1);
    cr_expect(j.path.kept);
    /* A request with Connection: close: the client sends nothing more on it (RFC 9112 §9.6). */
    j = judge(&c, &k, GET, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    cr_expect(j.path.reused);
    cr_expect_eq(j.first.responses, 1);
    cr_expect_not(j.path.kept, "kept after a request with Connection: close");
    cr_expect_eq(cf_broken_accepts(b), 2);
    cf_fuzz_conn_close(&k, 0);
    cf_broken_stop(b);
}

Test(fuzz_send, extra_answer_on_kept_connection_blamed_after_rerun)
{
    cf_broken_opts o = {.mode = CF_BROKEN_DESYNC};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    cf_fuzz_judged j = judge(&c, &k, NULL, GET);
    cr_assert(j.path.kept);
    j = judge(&c, &k, GET, TE_CL);
    cr_expect(j.path.reused);
    cr_expect_eq(j.first.responses, 2, "%zu responses on the kept connection", j.first.responses);
    /* Not judged from the kept connection: both inputs re-run alone. */
    cr_expect(j.cur.rerun);
    cr_expect(j.prev.rerun);
    cr_expect_eq(j.reruns, 2);
    cr_expect_eq(j.cur.kind, CF_FK_DESYNC, "the input with both framings shows %s",
                 cf_fuzz_kind_name(j.cur.kind));
    cr_expect_eq(j.prev.kind, CF_FK_NONE, "the valid GET before it is blamed: %s",
                 cf_fuzz_kind_name(j.prev.kind));
    cr_expect_not(j.path.kept);
    /* The confirmation a finding needs (the slow path) agrees. */
    cr_expect(cf_fuzz_reproduces(&c, IN(TE_CL), CF_FK_DESYNC));
    cr_expect_not(cf_fuzz_reproduces(&c, IN(GET), CF_FK_DESYNC));
    cf_fuzz_conn_close(&k, 0);
    cf_broken_stop(b);
}

Test(fuzz_send, late_extra_answer_is_stale_and_blamed_on_the_previous_input)
{
    cf_broken_opts o = {.mode = CF_BROKEN_LATE_EXTRA};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    c.grace_ms = 10 * CF_BROKEN_LATE_MS; /* the slow path waits for the late answer */
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    cf_fuzz_judged j = judge(&c, &k, NULL, GET_TWICE);
    /* The fast path stops at the first answer: nothing wrong seen yet. */
    cr_assert_eq(j.cur.kind, CF_FK_NONE);
    cr_assert(j.path.kept);
    sleep_ms(4 * CF_BROKEN_LATE_MS); /* the second answer arrives on the idle connection */
    j = judge(&c, &k, GET_TWICE, GET);
    cr_expect(j.path.stale, "the late answer was not seen before sending");
    cr_expect_not(j.path.reused);
    cr_expect(j.prev.rerun);
    cr_expect_eq(j.prev.kind, CF_FK_DESYNC, "the /twice request shows %s",
                 cf_fuzz_kind_name(j.prev.kind));
    cr_expect_not(j.cur.rerun, "the GET went out on a new connection: its observation stands");
    cr_expect_eq(j.cur.kind, CF_FK_NONE);
    cr_expect_eq(j.first.responses, 1);
    cr_expect(cf_fuzz_reproduces(&c, IN(GET_TWICE), CF_FK_DESYNC));
    cf_fuzz_conn_close(&k, 0);
    cf_broken_stop(b);
}

Test(fuzz_send, late_extra_answer_at_the_end_is_seen_on_close)
{
    cf_broken_opts o = {.mode = CF_BROKEN_LATE_EXTRA};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    cf_fuzz_judged j = judge(&c, &k, NULL, GET_TWICE);
    cr_assert(j.path.kept);
    cr_expect(cf_fuzz_conn_close(&k, 10 * CF_BROKEN_LATE_MS), "the late answer went unseen");
    cf_broken_stop(b);
}

Test(fuzz_send, short_body_half_closes_and_is_no_hang)
{
    cf_broken_opts o = {.mode = CF_BROKEN_DESYNC};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    cf_fuzz_judged j = judge(&c, &k, NULL, GET);
    cr_assert(j.path.kept);
    /* 3 of 10 body bytes: the server waits for the rest until the half-close tells it there is
     * no more (RFC 9112 §6.3: an incomplete message; it closes). */
    const char *cut = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc";
    j = judge(&c, &k, GET, cut);
    cr_expect(j.path.delivered);
    cr_expect_not(j.path.fell_back, "waited keepalive_wait_ms for a body known to be cut short");
    cr_expect_not(j.first.timed_out, "a hang after %u ms", j.first.elapsed_ms);
    cr_expect(j.first.closed);
    cr_expect_eq(j.first.responses, 0);
    cr_expect_eq(j.cur.kind, CF_FK_NONE, "judged %s", cf_fuzz_kind_name(j.cur.kind));
    cr_expect_not(j.path.kept);
    cr_expect_lt(j.first.elapsed_ms, c.keepalive_wait_ms, "took %u ms", j.first.elapsed_ms);
    cf_broken_stop(b);
}

Test(fuzz_send, server_waiting_for_more_falls_back_to_half_close)
{
    cf_broken_opts o = {.mode = CF_BROKEN_DESYNC};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    /* Bare LF line ends: complete to conform's lenient parser (RFC 9112 §2.2), so no half-close
     * at once; the broken server waits for CRLF CRLF. After keepalive_wait_ms the fast path
     * half-closes and reads as the slow path does: the server closes, no hang. */
    cf_fuzz_judged j = judge(&c, &k, NULL, "GET / HTTP/1.1\nHost: a\n\n");
    cr_expect(j.path.fell_back, "no fall back to the half-close");
    cr_expect_not(j.first.timed_out);
    cr_expect(j.first.closed);
    cr_expect_eq(j.cur.kind, CF_FK_NONE, "judged %s", cf_fuzz_kind_name(j.cur.kind));
    cr_expect_not(j.path.kept);
    cr_expect_geq(j.first.elapsed_ms, c.keepalive_wait_ms);
    cr_expect_lt(j.first.elapsed_ms, c.keepalive_wait_ms + c.timeout_ms / 2, "took %u ms",
                 j.first.elapsed_ms);
    cf_broken_stop(b);
}

Test(fuzz_send, idle_close_is_no_finding)
{
    cf_broken_opts o = {.mode = CF_BROKEN_DESYNC, .idle_ms = 50};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    cf_fuzz_judged j = judge(&c, &k, NULL, GET);
    cr_assert(j.path.kept);
    sleep_ms(250); /* the server closes the idle connection */
    j = judge(&c, &k, GET, GET);
    cr_expect(j.path.idle_closed);
    cr_expect_not(j.path.stale);
    cr_expect_not(j.path.reused);
    cr_expect_eq(j.path.connects, 1);
    cr_expect_eq(j.first.responses, 1);
    cr_expect_eq(j.cur.kind, CF_FK_NONE, "judged %s", cf_fuzz_kind_name(j.cur.kind));
    cr_expect_not(j.prev.rerun);
    cr_expect_eq(j.reruns, 0);
    cr_expect_eq(cf_broken_accepts(b), 2);
    cf_fuzz_conn_close(&k, 0);
    cf_broken_stop(b);
}

Test(fuzz_send, close_when_the_next_request_arrives_is_resent)
{
    /* The race of a server's idle timeout: the kept connection looks fine, the bytes go out,
     * and the server closes without a word. The same bytes go out again on a new one. */
    cf_broken_opts o = {.mode = CF_BROKEN_DESYNC, .per_conn = 1};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    cf_fuzz_judged j = judge(&c, &k, NULL, GET);
    cr_assert(j.path.kept);
    j = judge(&c, &k, GET, GET);
    cr_expect(j.path.idle_closed);
    cr_expect(j.path.delivered);
    cr_expect_eq(j.path.connects, 1);
    cr_expect_eq(j.first.responses, 1);
    cr_expect_not(j.first.closed, "the closed connection's observation was kept");
    cr_expect_eq(j.cur.kind, CF_FK_NONE, "judged %s", cf_fuzz_kind_name(j.cur.kind));
    cr_expect_eq(j.reruns, 0);
    cr_expect_eq(cf_broken_accepts(b), 2);
    cr_expect_eq(cf_broken_requests(b), 2);
    cf_fuzz_conn_close(&k, 0);
    cf_broken_stop(b);
}

Test(fuzz_send, crash_is_a_failed_connect_and_replays_after_a_restart)
{
    cf_broken_opts o = {.mode = CF_BROKEN_CRASH, .crash_over = 1000, .restart_ms = 400};
    cf_fuzz_conf c;
    cf_broken *b = start(&o, &c);
    cf_fuzz_conn k;
    cf_fuzz_conn_init(&k);
    const char *boom = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n";
    cf_fuzz_judged j = judge(&c, &k, NULL, GET);
    cr_assert(j.path.kept);
    /* On the kept connection: closed without a word, resent on a new one, refused. */
    j = judge(&c, &k, GET, boom);
    cr_expect(j.path.delivered);
    cr_expect_neq(j.first.connect_err, 0);
    cr_expect_eq(j.cur.kind, CF_FK_CRASH, "judged %s", cf_fuzz_kind_name(j.cur.kind));
    cr_expect(cf_fuzz_target_down(&c, 2, 50));
    sleep_ms(800);
    cr_expect_not(cf_fuzz_target_down(&c, 1, 0), "the server did not restart");
    /* Replayed alone (the slow path): crashes it again; the valid request does not. */
    cr_expect_not(cf_fuzz_reproduces(&c, IN(GET), CF_FK_CRASH));
    cr_expect(cf_fuzz_reproduces(&c, (const uint8_t *)boom, strlen(boom), CF_FK_CRASH));
    cr_expect_eq(cf_broken_crashes(b), 2);
    cf_fuzz_conn_close(&k, 0);
    cf_broken_stop(b);
}
