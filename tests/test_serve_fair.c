/* conform serve serves everyone (issue #12, item 4): slow clients (slowloris) cannot hold every
 * slot, a full server drops the connection idle longest for a new one, a head trickled a line at
 * a time still meets its deadline. A server is started through the API on an ephemeral loopback
 * port; timing bounds are generous (answers are awaited for seconds, never raced). */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"
#include "serve_client.h"

#define WAIT_MS 5000
#define NSLOW   300

static cf_server *srv;
static int port;

static void start_with(const cf_serve_options *o)
{
    char err[256];
    cr_assert_eq(cf_serve_start(o, &srv, err, sizeof err), 0, "%s", err);
    port = cf_server_port(srv);
}

static void stop(void)
{
    cf_serve_stop(srv);
    srv = NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* One ordinary client: connects, asks for "/", and gets 200 within WAIT_MS. */
static void ordinary_client_answered(void)
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
            ordinary_client_answered();
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
    ordinary_client_answered();
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
