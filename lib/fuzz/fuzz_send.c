/* conform fuzz: one exchange (fuzz_send.h). */
#include "fuzz_send.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_send_internal.h"
#include "net_conn.h"
#include "spec_model.h"

#define READ_CHUNK 16384

void cf_fuzz_conf_default(cf_fuzz_conf *c)
{
    memset(c, 0, sizeof *c);
    c->connect_timeout_ms = 1000;
    c->timeout_ms = 2000;
    c->grace_ms = 20;
    c->keepalive_wait_ms = CF_FUZZ_KEEPALIVE_WAIT_MS;
    c->caps.max_body = 4096;
    c->caps.max_raw = 64u << 10;
    c->caps.max_total = 1u << 20;
}

/* Copies what the collector saw into o. */
static void observe(const cf_step_result *res, cf_fuzz_obs *o)
{
    o->responses = res->nresponses;
    for (size_t i = 0; i < res->nresponses; i++) {
        if (!res->responses[i].complete) {
            o->responses--;
            o->incomplete = true;
        } else {
            if (i < CF_FUZZ_MAX_STATUSES) o->status[i] = res->responses[i].status;
            o->last_status = res->responses[i].status;
        }
    }
    o->not_http = res->not_http;
    o->parse_error = res->parse_error;
    o->received = res->raw_total;
}

bool cf_fuzz_stopping(const cf_fuzz_conf *c)
{
    return c->stop && *c->stop;
}

uint64_t cf_fuzz_read_slice(const cf_fuzz_conf *c, uint64_t until)
{
    if (!c->stop) return until;
    uint64_t soon = cf_now_ms() + CF_FUZZ_STOP_POLL_MS;
    return soon < until ? soon : until;
}

void cf_fuzz_read_rest(const cf_fuzz_conf *c, cf_conn *conn, cf_collect *col, cf_fuzz_obs *o,
                       uint64_t deadline)
{
    uint8_t chunk[READ_CHUNK];
    uint64_t until = deadline;
    for (;;) {
        if (col->complete >= o->requests && until == deadline) {
            uint64_t g = cf_now_ms() + c->grace_ms;
            if (g < until) until = g;
        }
        if (cf_collect_stopped(col)) break;
        /* Looked at before every read, so that a flood of bytes does not hide Ctrl-C. */
        if (cf_fuzz_stopping(c)) {
            o->stopped = true;
            break;
        }
        size_t got = 0;
        int err = 0;
        cf_read_status rs =
            cf_conn_read(conn, chunk, sizeof chunk, cf_fuzz_read_slice(c, until), &got, &err);
        if (rs == CF_READ_DATA) {
            if (!cf_collect_feed(col, chunk, got)) break;
            continue;
        }
        if (rs == CF_READ_EOF || rs == CF_READ_RESET || rs == CF_READ_ERROR) {
            cf_collect_eof(col, rs != CF_READ_EOF);
            o->closed = rs == CF_READ_EOF;
            o->reset = rs != CF_READ_EOF;
            break;
        }
        if (cf_now_ms() < until) continue; /* only the slice ended: look at the stop flag */
        /* Timeout: a hang only when answers are missing at the real deadline. */
        o->timed_out = until == deadline && col->complete < o->requests;
        break;
    }
}

/* The bytes received parsed again as answers to plain GET requests: a response the parser
 * rejected only because of the method it was told (a 400 with content to bytes that began with
 * "HEAD" but that the server did not take for a HEAD request) is not a malformed response.
 * True when they parse that way. */
static bool parses_as_get(const cf_fuzz_conf *c, const cf_step_result *res, size_t nreq)
{
    if (res->raw_len != res->raw_total) return false; /* not everything kept */
    static const char get[] = "GET / HTTP/1.1\r\n\r\n";
    cf_collect col;
    memset(&col, 0, sizeof col);
    cf_collect_init(&col, &c->caps);
    for (size_t i = 0; i < (nreq ? nreq : 1) && i < 64; i++)
        cf_collect_sent(&col, (const uint8_t *)get, sizeof get - 1);
    cf_step_result r2;
    memset(&r2, 0, sizeof r2);
    cf_collect_begin(&col, &r2);
    cf_collect_feed(&col, res->raw, res->raw_len);
    cf_collect_eof(&col, false);
    cf_collect_end(&col);
    bool ok = !r2.not_http;
    cf_step_result_free(&r2);
    cf_collect_free(&col);
    return ok;
}

bool cf_fuzz_head_or_connect(const char *method, size_t len)
{
    return (len == 4 && !memcmp(method, "HEAD", 4)) || (len == 7 && !memcmp(method, "CONNECT", 7));
}

void cf_fuzz_obs_start(const cf_fuzz_conf *c, cf_collect *col, cf_step_result *res,
                       const uint8_t *data, size_t len, cf_fuzz_obs *o)
{
    memset(col, 0, sizeof *col);
    cf_collect_init(col, &c->caps);
    memset(res, 0, sizeof *res);
    o->requests = cf_collect_sent(col, data, len);
    cf_collect_begin(col, res);
}

void cf_fuzz_obs_finish(const cf_fuzz_conf *c, cf_collect *col, cf_step_result *res, cf_fuzz_obs *o)
{
    cf_collect_end(col);
    if (cf_fuzz_observe(c, res, o) < 0) col->oom = true;
}

int cf_fuzz_observe(const cf_fuzz_conf *c, cf_step_result *res, cf_fuzz_obs *o)
{
    observe(res, o);
    if (o->not_http && parses_as_get(c, res, o->requests)) o->not_http = false;
    for (size_t i = 0; i < res->nrequests; i++) /* RFC 9112 §6.3 */
        o->head_method |= cf_fuzz_head_or_connect(res->requests[i].method, res->requests[i].len);
    for (size_t i = 0; !o->strict && i < res->nrequests; i++)
        o->strict = res->requests[i].strict;
    /* The compliance rules, judged once in the record as conform run's reports and 'complies'
     * read them. */
    int rc = cf_fuzz_rules_check(res, &o->rules);
    o->rule = cf_fuzz_rules_first(&o->rules, c->rule_fresh, c->rule_fresh_ud);
    return rc;
}

int cf_fuzz_exchange(const cf_fuzz_conf *c, const uint8_t *data, size_t len, cf_fuzz_obs *o)
{
    memset(o, 0, sizeof *o);
    uint64_t t0 = cf_now_ms();
    int err = 0;
    cf_conn *conn = cf_conn_open(&c->addr, c->connect_timeout_ms, &err, NULL, 0);
    if (!conn) { /* taken then reset is an answer (a reset), not a refusal (a crash) */
        if (cf_conn_accepted(err))
            o->reset = true;
        else
            o->connect_err = err ? err : ECONNREFUSED;
        o->elapsed_ms = (unsigned)(cf_now_ms() - t0);
        return 0;
    }
    cf_collect col;
    cf_step_result res;
    cf_fuzz_obs_start(c, &col, &res, data, len, o);
    cf_send_opts opts = {.half_close = true};
    uint64_t deadline = cf_now_ms() + c->timeout_ms;
    size_t sent = 0;
    if (cf_conn_send(conn, data, len, &opts, deadline, &sent, &err) < 0) o->send_err = err;
    /* After EPIPE/ECONNRESET the server may still have answered: read what is there. */
    cf_fuzz_read_rest(c, conn, &col, o, deadline);
    cf_conn_close(conn);
    cf_fuzz_obs_finish(c, &col, &res, o);
    int rc = col.oom ? -1 : 0;
    cf_step_result_free(&res);
    cf_collect_free(&col);
    o->elapsed_ms = (unsigned)(cf_now_ms() - t0);
    return rc;
}

void cf_fuzz_bucket_init(cf_fuzz_bucket *b, double rate)
{
    pthread_mutex_init(&b->mu, NULL);
    b->rate = rate;
    b->burst = rate / 10 > 1 ? rate / 10 : 1;
    b->tokens = b->burst;
    b->last_ms = cf_now_ms();
}

bool cf_fuzz_bucket_take(cf_fuzz_bucket *b, const volatile int *stop)
{
    if (b->rate <= 0) return true;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        uint64_t now = cf_now_ms();
        b->tokens += (double)(now - b->last_ms) * b->rate / 1000.0;
        if (b->tokens > b->burst) b->tokens = b->burst;
        b->last_ms = now;
        double need = 1.0 - b->tokens;
        if (need <= 0) {
            b->tokens -= 1.0;
            pthread_mutex_unlock(&b->mu);
            return true;
        }
        pthread_mutex_unlock(&b->mu);
        if (*stop) return false;
        double ms = need * 1000.0 / b->rate;
        if (ms > 100) ms = 100;
        struct timespec ts = {0, (long)(ms * 1e6) + 100000L};
        nanosleep(&ts, NULL);
    }
}

void cf_fuzz_bucket_free(cf_fuzz_bucket *b)
{
    pthread_mutex_destroy(&b->mu);
}
