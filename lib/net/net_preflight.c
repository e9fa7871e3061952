/* The pre-flight: is the target there, and does it answer HTTP (net_preflight.h)? */
#include "net_preflight.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exchange_collect.h"
#include "net_conn.h"
#include "util_buf.h"

#define MAX_ADDRS  8
#define SHOW_BYTES 64 /* received bytes a message quotes */

/* How the reading ended. */
typedef enum pf_end {
    PF_HEAD,    /* a response head arrived */
    PF_STOPPED, /* the collector stopped: bytes that are not HTTP, or a cap */
    PF_CLOSED,
    PF_RESET,
    PF_QUIET, /* the time limit passed */
} pf_end;

/* Connects to the first address of t that accepts; the connection, or NULL with *taken set
 * when that address took the connection and reset it at once (*addr set: the target is up), or
 * NULL with msg written. A TLS handshake that failed is the end: its message says why. */
static cf_conn *connect_any(const cf_run_target *t, unsigned timeout_ms, cf_run_addr *addr,
                            bool *taken, char *msg, size_t cap)
{
    cf_run_addr addrs[MAX_ADDRS];
    char err[512];
    *taken = false;
    int n = cf_run_target_resolve(t, addrs, MAX_ADDRS, err, sizeof err);
    if (n < 0) {
        snprintf(msg, cap, "%s", err);
        return NULL;
    }
    int cause = 0;
    for (int i = 0; i < n; i++) {
        cf_conn *c = cf_conn_open(&addrs[i], timeout_ms, &cause, err, sizeof err);
        if (!c && cause == CF_CONN_ETLS) {
            snprintf(msg, cap, "cannot connect to %s: %s", t->display, err);
            return NULL;
        }
        if (c || cf_conn_accepted(cause)) {
            *addr = addrs[i];
            *taken = !c;
            return c;
        }
    }
    if (cause == ETIMEDOUT)
        snprintf(msg, cap, "cannot connect to %s: timed out after %u ms", t->display, timeout_ms);
    else
        snprintf(msg, cap, "cannot connect to %s: %s", t->display, strerror(cause));
    return NULL;
}

/* Reads c into col until a response head arrived (col->cur holds it, or a response is done),
 * the collector stops, the connection ends or the deadline passes. */
static pf_end read_head(cf_conn *c, cf_collect *col, uint64_t deadline)
{
    char chunk[4096];
    for (;;) {
        if (col->cur.status || col->complete || col->res->ninterim) return PF_HEAD;
        if (cf_collect_stopped(col)) return PF_STOPPED;
        size_t got = 0;
        int err = 0;
        cf_read_status rs = cf_conn_read(c, chunk, sizeof chunk, deadline, &got, &err);
        if (rs == CF_READ_TIMEOUT) return PF_QUIET;
        if (rs == CF_READ_DATA) {
            if (!cf_collect_feed(col, (const uint8_t *)chunk, got)) return PF_STOPPED;
            continue;
        }
        cf_collect_eof(col, rs != CF_READ_EOF);
        if (col->res->nresponses || col->res->ninterim) return PF_HEAD;
        return rs == CF_READ_EOF ? PF_CLOSED : PF_RESET;
    }
}

/* "2s" or "1500ms". */
static void duration(unsigned ms, char *out, size_t cap)
{
    if (ms % 1000 == 0)
        snprintf(out, cap, "%us", ms / 1000);
    else
        snprintf(out, cap, "%ums", ms);
}

/* The one line saying what came back instead of a response. */
static void describe(const cf_run_target *t, const cf_preflight_opts *o, const cf_step_result *res,
                     pf_end end, char *msg, size_t cap)
{
    char wait[32];
    duration(o->time_limit_ms, wait, sizeof wait);
    cf_buf b = {0};
    cf_buf_fmt(&b, "%s does not speak HTTP: it ", t->display);
    if (res->raw_total == 0) {
        if (end == PF_CLOSED)
            cf_buf_fmt(&b, "closed the connection without a response to GET %s", o->page);
        else if (end == PF_RESET)
            cf_buf_fmt(&b, "reset the connection on GET %s", o->page);
        else
            cf_buf_fmt(&b, "sent nothing in %s to GET %s", wait, o->page);
    } else {
        size_t show = res->raw_len < SHOW_BYTES ? res->raw_len : SHOW_BYTES;
        cf_buf_str(&b, "sent \"");
        cf_buf_escape(&b, res->raw, show);
        cf_buf_fmt(&b, "%s\" (%llu bytes) to GET %s", show < res->raw_total ? "..." : "",
                   (unsigned long long)res->raw_total, o->page);
        if (end == PF_CLOSED) cf_buf_str(&b, ", then closed the connection");
        if (end == PF_RESET) cf_buf_str(&b, ", then reset the connection");
        if (end == PF_QUIET) cf_buf_fmt(&b, ", then nothing for %s", wait);
    }
    snprintf(msg, cap, "%s", b.err ? "does not speak HTTP (out of memory)" : b.ptr);
    cf_buf_free(&b);
}

/* Sends the GET on c and reads the answer; CF_PREFLIGHT_HTTP or CF_PREFLIGHT_NOT_HTTP. */
static cf_preflight_result get_page(const cf_run_target *t, const cf_preflight_opts *o, cf_conn *c,
                                    char *msg, size_t cap)
{
    cf_buf req = {0};
    cf_buf_fmt(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", o->page,
               t->display);
    cf_collect_caps caps = {.max_body = 4096, .max_raw = 4096, .max_total = 1u << 20};
    cf_collect col;
    memset(&col, 0, sizeof col);
    cf_collect_init(&col, &caps);
    cf_step_result res;
    memset(&res, 0, sizeof res);
    cf_collect_sent(&col, cf_buf_bytes(&req), req.len);
    cf_collect_begin(&col, &res);
    uint64_t deadline = cf_now_ms() + o->time_limit_ms;
    cf_send_opts send = {0};
    size_t sent = 0;
    int err = 0;
    /* A server that closes or resets at once may still have written: read what is there. */
    cf_conn_send(c, cf_buf_bytes(&req), req.len, &send, deadline, &sent, &err);
    pf_end end = read_head(c, &col, deadline);
    /* A reset that the write reported is not reported again by the reads, which see an EOF. */
    if (end == PF_CLOSED && err == ECONNRESET) end = PF_RESET;
    cf_collect_end(&col);
    bool http = end == PF_HEAD || (end == PF_STOPPED && !res.not_http && res.nresponses);
    if (!http) describe(t, o, &res, end, msg, cap);
    cf_step_result_free(&res);
    cf_collect_free(&col);
    cf_buf_free(&req);
    return http ? CF_PREFLIGHT_HTTP : CF_PREFLIGHT_NOT_HTTP;
}

cf_preflight_result cf_preflight(const cf_run_target *t, const cf_preflight_opts *opts,
                                 cf_run_addr *addr, char *msg, size_t cap)
{
    if (cap) msg[0] = 0;
    cf_preflight_opts page = *opts, *o = &page; /* the page resolved once */
    if (!page.page) page.page = t->vars.resource[CF_RES_PAGE];
    if (!page.page) page.page = "/";
    bool taken = false;
    cf_conn *c = connect_any(t, o->connect_timeout_ms, addr, &taken, msg, cap);
    if (taken && o->get)
        snprintf(msg, cap, "%s does not speak HTTP: it reset the connection before GET %s",
                 t->display, o->page);
    if (taken) return o->get ? CF_PREFLIGHT_NOT_HTTP : CF_PREFLIGHT_HTTP;
    if (!c) return CF_PREFLIGHT_UNREACHABLE;
    cf_preflight_result r = o->get ? get_page(t, o, c, msg, cap) : CF_PREFLIGHT_HTTP;
    cf_conn_close(c);
    return r;
}
