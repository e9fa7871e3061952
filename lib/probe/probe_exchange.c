/* conform profile: one exchange of a probe on its own connection, read with the runner's
 * collector (exchange_collect.h), so a probe reads responses as conform run does. */
#include "probe_internal.h"

#include <string.h>
#include <unistd.h>

#include "exchange_collect.h"
#include "net_conn.h"
#include "util_clock.h"

#define READ_CHUNK 16384

/* A page, an echo's JSON or a challenge is small; past these a probe learns nothing more. */
static const cf_collect_caps probe_caps = {
    .max_body = 64u << 10,
    .max_raw = 64u << 10,
    .max_total = 1u << 20,
};

/* Reads until each of the n requests has a complete answer (with to_close, until the server
 * closes: answers nobody asked for count too), the collector stops (not HTTP, the server
 * closed), or the deadline. */
static void read_answers(cf_conn *conn, cf_collect *col, size_t n, bool to_close, uint64_t deadline,
                         cf_step_result *res)
{
    uint8_t chunk[READ_CHUNK];
    while (!cf_collect_stopped(col) && (to_close || col->complete < n)) {
        size_t got = 0;
        int err = 0;
        cf_read_status rs = cf_conn_read(conn, chunk, sizeof chunk, deadline, &got, &err);
        if (rs == CF_READ_DATA) {
            if (!cf_collect_feed(col, chunk, got)) break;
            continue;
        }
        if (rs == CF_READ_TIMEOUT) {
            res->timed_out = true;
            break;
        }
        cf_collect_eof(col, rs != CF_READ_EOF);
        res->conn = rs == CF_READ_EOF ? CF_CONN_STATE_CLOSED : CF_CONN_STATE_RESET;
        break;
    }
}

int probe_exchange(probe_ctx *p, const char *req, bool to_close, probe_answer *a)
{
    memset(a, 0, sizeof *a);
    cf_conn *conn = cf_conn_open(&p->addr, p->o->connect_timeout_ms, &a->connect_err, NULL, 0);
    if (!conn) return -1;
    cf_collect col;
    memset(&col, 0, sizeof col);
    cf_collect_init(&col, &probe_caps);
    size_t len = strlen(req), sent = 0;
    size_t n = cf_collect_sent(&col, (const uint8_t *)req, len);
    cf_collect_begin(&col, &a->res);
    uint64_t deadline = cf_now_ms() + p->o->time_limit_ms;
    cf_send_opts opts = {.half_close = false};
    int err = 0;
    /* A server that refuses early may still have answered: read what is there either way. */
    (void)cf_conn_send(conn, (const uint8_t *)req, len, &opts, deadline, &sent, &err);
    read_answers(conn, &col, n, to_close, deadline, &a->res);
    cf_conn_close(conn);
    cf_collect_end(&col);
    if (col.oom) p->oom = true;
    cf_collect_free(&col);
    p->r->exchanges += (unsigned)n;
    return 0;
}

void probe_answer_free(probe_answer *a)
{
    cf_step_result_free(&a->res);
}

const cf_obs_response *probe_response(const probe_answer *a, size_t i)
{
    if (i >= a->res.nresponses || !a->res.responses[i].complete) return NULL;
    return &a->res.responses[i];
}

void probe_printable(cf_buf *b, const char *s, size_t n, size_t max)
{
    for (size_t i = 0; i < n && i < max; i++)
        cf_buf_add(b, s[i] >= 0x20 && s[i] < 0x7f ? &s[i] : "?", 1);
    if (n > max) cf_buf_str(b, "...");
}

const char *probe_no_answer(const probe_answer *a, size_t i)
{
    if (a->res.not_http) return "bytes that are not HTTP";
    if (a->res.cap != CF_CAP_NONE) return "an answer larger than conform reads (its caps)";
    if (i < a->res.nresponses) return "an incomplete response";
    if (a->res.timed_out) return "no answer within the time limit";
    if (a->res.conn == CF_CONN_STATE_RESET) return "the connection was reset without an answer";
    if (a->res.conn == CF_CONN_STATE_CLOSED) return "the connection closed without an answer";
    return "no answer";
}

void probe_describe(const probe_ctx *p, const probe_answer *a, size_t i, const char *method,
                    const char *path, cf_buf *b)
{
    size_t start = b->len;
    cf_buf_fmt(b, "%s %s → ", method, path);
    const cf_obs_response *r = probe_response(a, i);
    if (a->connect_err)
        cf_buf_fmt(b, "cannot connect: %s", strerror(a->connect_err));
    else if (!r)
        cf_buf_str(b, probe_no_answer(a, i));
    else {
        cf_buf_fmt(b, "%d", r->status);
        if (r->reason_len) cf_buf_str(b, " ");
        probe_printable(b, r->reason, r->reason_len, 40);
    }
    if (p->o->progress && !b->err) fprintf(p->o->progress, "conform profile: %s\n", b->ptr + start);
}
