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
#include "net_target.h"

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

/* A yes/no property of an exchange to check, or not (ANY, the zero: left out of a want). */
typedef enum { ANY, YES, NO } want_bool;

/* A count or code of an exchange to check when on. */
typedef struct want_num {
    bool on;
    long v;
} want_num;
#define IS(x) ((want_num){true, (long)(x)})

/* What one exchange must show; what a want leaves out is not checked. */
typedef struct want {
    bool fatal;      /* a precondition the exchanges after it need: cr_assert, not cr_expect */
    const char *why; /* said with every failed check */
    /* How it went out (cf_fuzz_path). */
    want_bool reused, stale, idle_closed, fell_back, kept, delivered;
    want_num connects;
    /* The exchange as it happened (cf_fuzz_obs). */
    want_num requests, responses, status; /* status: the first one */
    want_bool timed_out, closed, connect_failed;
    /* The verdicts (cf_fuzz_judged): kind and rerun are the input's own, prev_ those of the
     * input before it. */
    want_num kind, prev_kind, reruns;
    want_bool rerun, prev_rerun;
} want;

/* The first exchange on a connection the next ones reuse. */
static const want KEPT = {.fatal = true, .kept = YES};

#define CHECK(w, ok, ...)                                                                          \
    do {                                                                                           \
        if ((w)->fatal)                                                                            \
            cr_assert(ok, __VA_ARGS__);                                                            \
        else                                                                                       \
            cr_expect(ok, __VA_ARGS__);                                                            \
    } while (0)

static void check_bool(const want *w, const char *at, const char *what, want_bool want_it, bool got)
{
    if (want_it != ANY)
        CHECK(w, got == (want_it == YES), "%s: %s is %s, not %s%s%s", at, what,
              got ? "true" : "false", got ? "false" : "true", w->why ? "; " : "",
              w->why ? w->why : "");
}

static void check_num(const want *w, const char *at, const char *what, want_num want_it, long got)
{
    if (want_it.on)
        CHECK(w, got == want_it.v, "%s: %s is %ld, not %ld%s%s", at, what, got, want_it.v,
              w->why ? "; " : "", w->why ? w->why : "");
}

static void check_kind(const want *w, const char *at, const char *what, want_num want_it,
                       cf_fuzz_kind got)
{
    if (want_it.on)
        CHECK(w, (long)got == want_it.v, "%s: %s is %s, not %s%s%s", at, what,
              cf_fuzz_kind_name(got), cf_fuzz_kind_name((cf_fuzz_kind)want_it.v),
              w->why ? "; " : "", w->why ? w->why : "");
}

/* Checks how the exchange named at went out against w. */
static void check_path(const cf_fuzz_path *p, const want *w, const char *at)
{
    check_bool(w, at, "path.reused", w->reused, p->reused);
    check_bool(w, at, "path.stale", w->stale, p->stale);
    check_bool(w, at, "path.idle_closed", w->idle_closed, p->idle_closed);
    check_bool(w, at, "path.fell_back", w->fell_back, p->fell_back);
    check_bool(w, at, "path.kept", w->kept, p->kept);
    check_bool(w, at, "path.delivered", w->delivered, p->delivered);
    check_num(w, at, "path.connects", w->connects, (long)p->connects);
}

/* Checks what the exchange named at observed against w. */
static void check_obs(const cf_fuzz_obs *o, const want *w, const char *at)
{
    check_num(w, at, "requests", w->requests, (long)o->requests);
    check_num(w, at, "responses", w->responses, (long)o->responses);
    check_num(w, at, "status[0]", w->status, o->status[0]);
    check_bool(w, at, "timed_out", w->timed_out, o->timed_out);
    check_bool(w, at, "closed", w->closed, o->closed);
    check_bool(w, at, "connect_err != 0", w->connect_failed, o->connect_err != 0);
}

/* A broken server, a fuzz configuration aimed at it, and one worker's connection to it. */
typedef struct scene {
    cf_broken *b;
    cf_fuzz_conf c;
    cf_fuzz_conn k;
    bool keep;        /* false: every exchange on a connection of its own (the slow path) */
    const char *prev; /* the input sent last (NULL: none yet) */
    unsigned sent;    /* exchanges so far */
} scene;

/* Starts a server as o says and aims s at it. */
static void scene_start(scene *s, cf_broken_opts o, bool keep)
{
    s->b = cf_broken_start_opts(&o);
    cr_assert_not_null(s->b);
    cf_fuzz_conf_default(&s->c);
    /* A loaded test machine may take more than the default few milliseconds to answer; a fall
     * back then only costs a connection, but these tests count connections. */
    s->c.keepalive_wait_ms = 500;
    cf_run_target t;
    char port[8], err[256];
    snprintf(port, sizeof port, "%d", cf_broken_port(s->b));
    cr_assert_eq(cf_run_target_parse("127.0.0.1:1", &t, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_set(&t, "127.0.0.1", port), 0);
    cr_assert_eq(cf_run_target_resolve(&t, &s->c.addr, 1, err, sizeof err), 1, "%s", err);
    cf_fuzz_conn_init(&s->k);
    s->keep = keep;
    s->prev = NULL;
    s->sent = 0;
}

/* Judges cur after the input sent before it and checks the outcome against w. */
static cf_fuzz_judged scene_send(scene *s, const char *cur, const want *w)
{
    cf_fuzz_judged j;
    cr_assert_eq(cf_fuzz_judge(&s->c, s->keep ? &s->k : NULL, (const uint8_t *)s->prev,
                               s->prev ? strlen(s->prev) : 0, (const uint8_t *)cur, strlen(cur),
                               &j),
                 0);
    char at[32];
    snprintf(at, sizeof at, "exchange %u", s->sent++);
    s->prev = cur;
    check_path(&j.path, w, at);
    check_obs(&j.first, w, at);
    check_kind(w, at, "cur.kind", w->kind, j.cur.kind);
    check_kind(w, at, "prev.kind", w->prev_kind, j.prev.kind);
    check_bool(w, at, "cur.rerun", w->rerun, j.cur.rerun);
    check_bool(w, at, "prev.rerun", w->prev_rerun, j.prev.rerun);
    check_num(w, at, "reruns", w->reruns, (long)j.reruns);
    return j;
}

/* Closes the connection, waiting wait_ms for bytes on it (0: not at all), and stops the server.
 * Returns whether bytes came (cf_fuzz_conn_close). */
static bool scene_stop(scene *s, unsigned wait_ms)
{
    bool extra = cf_fuzz_conn_close(&s->k, wait_ms);
    cf_broken_stop(s->b);
    return extra;
}

Test(fuzz_send, valid_requests_share_one_connection)
{
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_DESYNC}, true);
    for (int i = 0; i < 20; i++) {
        cf_fuzz_obs ob;
        cf_fuzz_path p;
        cr_assert_eq(cf_fuzz_conn_exchange(&s.c, &s.k, IN(GET), &ob, &p), 0);
        want w = {.requests = IS(1),
                  .responses = IS(1),
                  .status = IS(200),
                  .kept = YES,
                  .reused = i > 0 ? YES : NO,
                  .connects = IS(i == 0)};
        char at[32];
        snprintf(at, sizeof at, "exchange %d", i);
        check_obs(&ob, &w, at);
        check_path(&p, &w, at);
        cr_expect_eq(cf_fuzz_classify(&ob), CF_FK_NONE, "%s: classified %s", at,
                     cf_fuzz_kind_name(cf_fuzz_classify(&ob)));
    }
    cr_expect_eq(cf_broken_accepts(s.b), 1, "%u connections accepted for 20 requests",
                 cf_broken_accepts(s.b));
    cr_expect_eq(s.k.opened, 1);
    cr_expect_eq(cf_broken_requests(s.b), 20);
    cr_expect_not(scene_stop(&s, 50), "bytes nobody asked for after valid requests");
    cr_expect_null(s.k.conn);
}

Test(fuzz_send, no_keep_alive_opens_a_connection_per_exchange)
{
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_DESYNC}, false);
    for (int i = 0; i < 5; i++)
        scene_send(
            &s, GET,
            &(want){.kind = IS(CF_FK_NONE), .responses = IS(1), .connects = IS(1), .kept = NO});
    cr_expect_eq(cf_broken_accepts(s.b), 5);
    scene_stop(&s, 0);
}

Test(fuzz_send, connection_close_answer_means_a_new_connection)
{
    /* A lower-case method: a valid token to conform's parser, "invalid" to the broken server,
     * which answers 400 with Connection: close (RFC 9112 §9.6: it closes after that). */
    const char *lower = "get / HTTP/1.1\r\nHost: a\r\n\r\n";
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_DESYNC}, true);
    scene_send(&s, GET, &KEPT);
    scene_send(&s, lower,
               &(want){.why = "an answer with Connection: close",
                       .reused = YES,
                       .status = IS(400),
                       .kept = NO,
                       .kind = IS(CF_FK_NONE)});
    scene_send(&s, GET, &(want){.reused = NO, .connects = IS(1), .kept = YES});
    /* A request with Connection: close: the client sends nothing more on it (RFC 9112 §9.6). */
    scene_send(&s, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
               &(want){.why = "a request with Connection: close",
                       .reused = YES,
                       .responses = IS(1),
                       .kept = NO});
    cr_expect_eq(cf_broken_accepts(s.b), 2);
    scene_stop(&s, 0);
}

Test(fuzz_send, extra_answer_on_kept_connection_blamed_after_rerun)
{
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_DESYNC}, true);
    scene_send(&s, GET, &KEPT);
    /* Two responses on the kept connection, not judged from it: both inputs re-run alone; the
     * input with both framings shows more answers than requests (a leniency: conform's strict
     * reading rejects TE with CL), the valid GET before it is not blamed. */
    scene_send(&s, TE_CL,
               &(want){.reused = YES,
                       .responses = IS(2),
                       .rerun = YES,
                       .prev_rerun = YES,
                       .reruns = IS(2),
                       .kind = IS(CF_FK_LENIENT),
                       .prev_kind = IS(CF_FK_NONE),
                       .kept = NO});
    /* The confirmation a finding needs (the slow path) agrees. */
    cr_expect(cf_fuzz_reproduces(&s.c, IN(TE_CL), CF_FK_LENIENT));
    cr_expect_not(cf_fuzz_reproduces(&s.c, IN(GET), CF_FK_LENIENT));
    scene_stop(&s, 0);
}

Test(fuzz_send, late_extra_answer_is_stale_and_blamed_on_the_previous_input)
{
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_LATE_EXTRA}, true);
    s.c.grace_ms = 10 * CF_BROKEN_LATE_MS; /* the slow path waits for the late answer */
    scene_send(&s, GET_TWICE,
               &(want){.fatal = true,
                       .why = "the fast path stops at the first answer: nothing wrong seen yet",
                       .kind = IS(CF_FK_NONE),
                       .kept = YES});
    sleep_ms(4 * CF_BROKEN_LATE_MS); /* the second answer arrives on the idle connection */
    /* The late answer is seen before sending; the /twice request is re-run and shows a desync,
     * the GET went out on a new connection: its observation stands. */
    scene_send(&s, GET,
               &(want){.stale = YES,
                       .reused = NO,
                       .prev_rerun = YES,
                       .prev_kind = IS(CF_FK_DESYNC),
                       .rerun = NO,
                       .kind = IS(CF_FK_NONE),
                       .responses = IS(1)});
    cr_expect(cf_fuzz_reproduces(&s.c, IN(GET_TWICE), CF_FK_DESYNC));
    scene_stop(&s, 0);
}

Test(fuzz_send, late_extra_answer_at_the_end_is_seen_on_close)
{
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_LATE_EXTRA}, true);
    scene_send(&s, GET_TWICE, &KEPT);
    cr_expect(scene_stop(&s, 10 * CF_BROKEN_LATE_MS), "the late answer went unseen");
}

Test(fuzz_send, short_body_half_closes_and_is_no_hang)
{
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_DESYNC}, true);
    scene_send(&s, GET, &KEPT);
    /* 3 of 10 body bytes: the server waits for the rest until the half-close tells it there is
     * no more (RFC 9112 §6.3: an incomplete message; it closes). No waiting keepalive_wait_ms
     * for a body known to be cut short, and no hang. */
    cf_fuzz_judged j = scene_send(&s, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc",
                                  &(want){.delivered = YES,
                                          .fell_back = NO,
                                          .timed_out = NO,
                                          .closed = YES,
                                          .responses = IS(0),
                                          .kind = IS(CF_FK_NONE),
                                          .kept = NO});
    cr_expect_lt(j.first.elapsed_ms, s.c.keepalive_wait_ms, "took %u ms", j.first.elapsed_ms);
    scene_stop(&s, 0);
}

Test(fuzz_send, server_waiting_for_more_falls_back_to_half_close)
{
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_DESYNC}, true);
    /* Bare LF line ends: complete to conform's lenient parser (RFC 9112 §2.2), so no half-close
     * at once; the broken server waits for CRLF CRLF. After keepalive_wait_ms the fast path
     * half-closes and reads as the slow path does: the server closes, no hang. */
    cf_fuzz_judged j = scene_send(
        &s, "GET / HTTP/1.1\nHost: a\n\n",
        &(want){
            .fell_back = YES, .timed_out = NO, .closed = YES, .kind = IS(CF_FK_NONE), .kept = NO});
    cr_expect_geq(j.first.elapsed_ms, s.c.keepalive_wait_ms);
    cr_expect_lt(j.first.elapsed_ms, s.c.keepalive_wait_ms + s.c.timeout_ms / 2, "took %u ms",
                 j.first.elapsed_ms);
    scene_stop(&s, 0);
}

Test(fuzz_send, idle_close_is_no_finding)
{
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_DESYNC, .idle_ms = 50}, true);
    scene_send(&s, GET, &KEPT);
    sleep_ms(250); /* the server closes the idle connection */
    scene_send(&s, GET,
               &(want){.idle_closed = YES,
                       .stale = NO,
                       .reused = NO,
                       .connects = IS(1),
                       .responses = IS(1),
                       .kind = IS(CF_FK_NONE),
                       .prev_rerun = NO,
                       .reruns = IS(0)});
    cr_expect_eq(cf_broken_accepts(s.b), 2);
    scene_stop(&s, 0);
}

Test(fuzz_send, close_when_the_next_request_arrives_is_resent)
{
    /* The race of a server's idle timeout: the kept connection looks fine, the bytes go out,
     * and the server closes without a word. The same bytes go out again on a new one. */
    scene s;
    scene_start(&s, (cf_broken_opts){.mode = CF_BROKEN_DESYNC, .per_conn = 1}, true);
    scene_send(&s, GET, &KEPT);
    scene_send(&s, GET,
               &(want){.why = "resent after the server closed the kept connection",
                       .idle_closed = YES,
                       .delivered = YES,
                       .connects = IS(1),
                       .responses = IS(1),
                       .closed = NO, /* else the closed connection's observation was kept */
                       .kind = IS(CF_FK_NONE),
                       .reruns = IS(0)});
    cr_expect_eq(cf_broken_accepts(s.b), 2);
    cr_expect_eq(cf_broken_requests(s.b), 2);
    scene_stop(&s, 0);
}

Test(fuzz_send, crash_is_a_failed_connect_and_replays_after_a_restart)
{
    const char *boom = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n";
    scene s;
    scene_start(
        &s, (cf_broken_opts){.mode = CF_BROKEN_CRASH, .crash_over = 1000, .restart_ms = 400}, true);
    scene_send(&s, GET, &KEPT);
    /* On the kept connection: closed without a word, resent on a new one, refused. */
    scene_send(&s, boom, &(want){.delivered = YES, .connect_failed = YES, .kind = IS(CF_FK_CRASH)});
    cr_expect(cf_fuzz_target_down(&s.c, 2, 50));
    sleep_ms(800);
    cr_expect_not(cf_fuzz_target_down(&s.c, 1, 0), "the server did not restart");
    /* Replayed alone (the slow path): crashes it again; the valid request does not. */
    cr_expect_not(cf_fuzz_reproduces(&s.c, IN(GET), CF_FK_CRASH));
    cr_expect(cf_fuzz_reproduces(&s.c, (const uint8_t *)boom, strlen(boom), CF_FK_CRASH));
    cr_expect_eq(cf_broken_crashes(s.b), 2);
    scene_stop(&s, 0);
}
