/* conform fuzz: the keep-alive fast path (fuzz_conn.h). */
#include "fuzz_conn.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_send_internal.h"
#include "rules.h"
#include "net_conn.h"

#define READ_CHUNK 16384

/* How the fast reading ended. */
typedef enum fast_end {
    FAST_ANSWERED,    /* every request counted has its complete response */
    FAST_QUIET,       /* answers missing, and no byte for keepalive_wait_ms (or the deadline) */
    FAST_CLOSED,      /* the server closed or reset the connection */
    FAST_STOPPED,     /* the collector stopped: not HTTP, protocol switch, or a cap */
    FAST_INTERRUPTED, /* Ctrl-C (cf_fuzz_conf.stop): the exchange ends here */
} fast_end;

void cf_fuzz_conn_init(cf_fuzz_conn *k)
{
    k->conn = NULL;
    k->opened = 0;
}

static void drop(cf_fuzz_conn *k)
{
    cf_conn_close(k->conn);
    k->conn = NULL;
}

/* Reads until every request has its answer, the server closes, the collector stops, Ctrl-C
 * (c->stop), or keepalive_wait_ms pass without a byte while answers are missing. */
static fast_end fast_read(const cf_fuzz_conf *c, cf_conn *conn, cf_collect *col, cf_fuzz_obs *o,
                          uint64_t deadline)
{
    uint8_t chunk[READ_CHUNK];
    uint64_t quiet = 0;
    for (;;) {
        if (cf_collect_stopped(col)) return FAST_STOPPED;
        if (col->complete >= o->requests) return FAST_ANSWERED;
        if (cf_fuzz_stopping(c)) {
            o->stopped = true;
            return FAST_INTERRUPTED;
        }
        if (!quiet) {
            quiet = cf_now_ms() + c->keepalive_wait_ms;
            if (quiet > deadline) quiet = deadline;
        }
        size_t got = 0;
        int err = 0;
        cf_read_status rs =
            cf_conn_read(conn, chunk, sizeof chunk, cf_fuzz_read_slice(c, quiet), &got, &err);
        if (rs == CF_READ_DATA) {
            quiet = 0; /* a byte came: keepalive_wait_ms from now again */
            if (!cf_collect_feed(col, chunk, got)) return FAST_STOPPED;
            continue;
        }
        if (rs == CF_READ_TIMEOUT) {
            if (cf_now_ms() < quiet) continue; /* only the slice ended */
            return FAST_QUIET;
        }
        cf_collect_eof(col, rs != CF_READ_EOF);
        o->closed = rs == CF_READ_EOF;
        o->reset = rs != CF_READ_EOF;
        return FAST_CLOSED;
    }
}

/* True when every request col recorded as sent (cf_collect_sent: read leniently, before any
 * answer) lets the connection persist: complete (one cut short leaves a server waiting for more
 * bytes, and only a half-close tells a hang apart from that; a rejected one ends the
 * connection), not HTTP/1.0 without keep-alive (RFC 9112 §9.3), no "close" (§9.6), and neither
 * HEAD nor CONNECT (their answers' framing depends on how the server read them, §6.3). */
static bool input_persists(const cf_collect *col)
{
    for (size_t i = 0; i < col->npending; i++) {
        const cf_pending *r = &col->pending[i];
        if (!r->whole || !(r->flags & H1_MSG_PERSISTENT) ||
            cf_fuzz_head_or_connect(r->method, r->len))
            return false;
    }
    return true;
}

/* True when the connection can carry the next exchange after the fast reading answered
 * everything: exactly one complete response per request, no byte of a further message, and
 * the last response HTTP/1.1 without Connection: close (RFC 9112 §9.3, §9.6: the server closes
 * after it). */
static bool reusable(const cf_collect *col, const cf_step_result *res, const cf_fuzz_obs *o)
{
    if (col->oom || cf_collect_stopped(col) || res->not_http) return false;
    if (o->requests == 0 || col->complete != o->requests || res->nresponses != o->requests)
        return false;
    if (col->msg_start != col->stream) return false; /* a further message began */
    const cf_obs_response *last = &res->responses[res->nresponses - 1];
    return last->complete && last->version == 11 && !cf_rules_list_has(last, "Connection", "close");
}

/* A failed write on a kept connection that means the server closed it while it was idle. */
static bool idle_close_errno(int err)
{
    return err == EPIPE || err == ECONNRESET || err == ENOTCONN;
}

/* One exchange on k->conn. Returns false (nothing observed, connection dropped) when the kept
 * connection turned out closed by the server before a byte of answer: the caller retries on a
 * new one. *oom is set when memory ran out. */
static bool exchange_on(const cf_fuzz_conf *c, cf_fuzz_conn *k, const uint8_t *data, size_t len,
                        cf_fuzz_obs *o, cf_fuzz_path *p, bool *oom)
{
    cf_collect col;
    cf_step_result res;
    cf_fuzz_obs_start(c, &col, &res, data, len, o);
    cf_send_opts opts = {.half_close = false};
    uint64_t deadline = cf_now_ms() + c->timeout_ms;
    size_t sent = 0;
    int err = 0;
    bool tail = true, keep = false, retry = false;
    if (cf_conn_send(k->conn, data, len, &opts, deadline, &sent, &err) < 0) {
        /* As on the slow path, a server that closed early may still have answered. */
        o->send_err = err;
        retry = p->reused && idle_close_errno(err);
    } else if (o->requests > 0 && input_persists(&col)) {
        /* Otherwise the half-close comes at once: what the slow path does. */
        fast_end e = fast_read(c, k->conn, &col, o, deadline);
        if (e == FAST_ANSWERED) {
            keep = reusable(&col, &res, o);
            tail = !keep;
        } else if (e == FAST_QUIET) {
            p->fell_back = true; /* the server is there, waiting for more */
        } else {
            tail = false;
        }
    }
    if (!retry && tail) {
        /* The slow path's end on this connection: half-close, then read until close, the
         * deadline, or grace_ms after the last answer (extra answers still count). */
        cf_conn_shutdown(k->conn);
        cf_fuzz_read_rest(c, k->conn, &col, o, deadline);
    }
    /* Closed without a byte of answer on a kept connection: the server may have closed it
     * before it read this input (its idle timeout racing the write). */
    if (p->reused && !p->fell_back && (o->closed || o->reset) && res.raw_total == 0) retry = true;
    if (sent > 0) p->delivered = true;
    if (!retry) {
        cf_fuzz_obs_finish(c, &col, &res, o);
        p->kept = keep;
    }
    *oom = col.oom;
    cf_step_result_free(&res);
    cf_collect_free(&col);
    if (!keep) drop(k);
    return !retry;
}

int cf_fuzz_conn_exchange(const cf_fuzz_conf *c, cf_fuzz_conn *k, const uint8_t *data, size_t len,
                          cf_fuzz_obs *o, cf_fuzz_path *p)
{
    memset(o, 0, sizeof *o);
    memset(p, 0, sizeof *p);
    uint64_t t0 = cf_now_ms();
    if (k->conn) {
        cf_conn_idle_state st = cf_conn_idle(k->conn);
        p->reused = st == CF_IDLE_NOTHING;
        p->stale = st == CF_IDLE_BYTES;
        p->idle_closed = st == CF_IDLE_CLOSED;
        if (!p->reused) drop(k);
    }
    bool oom = false;
    for (;;) {
        if (!k->conn) {
            int err = 0;
            k->conn = cf_conn_open(&c->addr, c->connect_timeout_ms, &err, NULL, 0);
            if (!k->conn) { /* taken then reset: an answer, not a refusal (cf_conn_accepted) */
                if (cf_conn_accepted(err))
                    o->reset = true;
                else
                    o->connect_err = err ? err : ECONNREFUSED;
                break;
            }
            k->opened++;
            p->connects++;
        }
        if (exchange_on(c, k, data, len, o, p, &oom) || oom) break;
        /* The server had closed the kept connection: the same bytes on a new one. */
        memset(o, 0, sizeof *o);
        p->reused = false;
        p->idle_closed = true;
    }
    o->elapsed_ms = (unsigned)(cf_now_ms() - t0);
    return oom ? -1 : 0;
}

bool cf_fuzz_conn_close(cf_fuzz_conn *k, unsigned wait_ms)
{
    if (!k->conn) return false;
    bool extra = false;
    if (wait_ms) {
        cf_conn_shutdown(k->conn);
        uint8_t b[4096];
        size_t got = 0;
        int err = 0;
        uint64_t until = cf_now_ms() + wait_ms;
        while (cf_conn_read(k->conn, b, sizeof b, until, &got, &err) == CF_READ_DATA)
            extra = true;
    }
    drop(k);
    return extra;
}
