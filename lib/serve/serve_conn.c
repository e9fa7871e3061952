/* conform serve: one client connection. Reads each request with the shared message reader
 * (h1_reader.h: strict parser, bounded buffer, the head kept in place while the content and
 * trailers arrive), keeps or discards its content, answers in order (pipelining), and closes when
 * RFC 9112 §9 says so. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "h1_reader.h"
#include "serve_internal.h"

#define CF_MAX_FIELDS   100
#define CF_READ_WANT    16384         /* bytes asked of one recv() */
#define CF_OUT_HIGH     (256u * 1024) /* stop parsing pipelined requests above this backlog */
#define CF_LINGER_MS    2000
#define CF_LINGER_BYTES (256u * 1024)

enum state {
    ST_HEAD,    /* waiting for / parsing a request head */
    ST_BODY,    /* reading the content of the current request */
    ST_CLOSING, /* last response queued: send it, then half-close */
    ST_LINGER,  /* write side closed: drain what the client still sends (RFC 9112 §9.6) */
};

struct cf_sconn {
    int fd;
    char peer[64];
    const cf_serve_cfg *cfg;
    enum state state;
    h1_reader rd; /* the request stream; rd.p.msg is the current request's head */
    int stalled;  /* the reader's buffer is full until a request is answered: do not poll for input
                   */
    cf_sreq rq;
    int reject;    /* status cf_serve_admit decided at head time, or 0 */
    int keep_body; /* the resource reads the content */
    cf_buf body;
    cf_buf out;
    size_t out_off;
    uint64_t filler, filler_sent; /* generated content queued after out */
    int eof;                      /* the client will send nothing more */
    int64_t last_ms;              /* last read or write progress */
    int64_t head_ms;              /* first byte of the current head arrived, or -1 */
    int64_t linger_until;
    size_t lingered;
    /* Last, and not cleared: the parser writes a slot before reading it, so the pages of slots
     * a request does not use are never touched (8 KiB of the ~9 a connection costs). */
    h1_header hdrs[CF_MAX_FIELDS];
    h1_header trls[CF_MAX_FIELDS];
};

cf_sconn *cf_sconn_new(int fd, const char *peer, const cf_serve_cfg *cfg, int64_t now_ms)
{
    cf_sconn *c = malloc(sizeof *c);
    if (c) memset(c, 0, offsetof(cf_sconn, hdrs));
    if (!c) {
        close(fd);
        return NULL;
    }
    c->fd = fd;
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    c->cfg = cfg;
    h1_reader_init(&c->rd, H1_REQUEST);
    c->rd.p.headers = c->hdrs;
    c->rd.p.max_headers = CF_MAX_FIELDS;
    c->rd.p.trailers = c->trls;
    c->rd.p.max_trailers = CF_MAX_FIELDS;
    h1_parser_reset(&c->rd.p);
    c->last_ms = now_ms;
    c->head_ms = -1;
    return c;
}

void cf_sconn_free(cf_sconn *c)
{
    if (!c) return;
    close(c->fd);
    h1_reader_free(&c->rd);
    cf_buf_free(&c->body);
    cf_buf_free(&c->out);
    free(c);
}

int cf_sconn_fd(const cf_sconn *c)
{
    return c->fd;
}

static int out_pending(const cf_sconn *c)
{
    return c->out_off < c->out.len || c->filler_sent < c->filler;
}

/* Pipelining stops parsing while this much output waits (bounded memory per connection). */
static int backlogged(const cf_sconn *c)
{
    return c->out.len - c->out_off > CF_OUT_HIGH || c->filler_sent < c->filler;
}

short cf_sconn_events(const cf_sconn *c)
{
    if (c->state == ST_LINGER) return POLLIN;
    short ev = out_pending(c) ? POLLOUT : 0;
    int reading = c->state == ST_BODY || (c->state == ST_HEAD && !backlogged(c));
    if (reading && !c->eof && !c->stalled) ev |= POLLIN;
    return ev;
}

int64_t cf_sconn_deadline(const cf_sconn *c)
{
    if (c->state == ST_LINGER) return c->linger_until;
    int64_t idle = c->last_ms + c->cfg->idle_timeout_ms;
    /* A head trickled a line at a time (slowloris) makes progress but must still end in time. */
    int64_t head =
        c->head_ms >= 0 && c->state == ST_HEAD ? c->head_ms + c->cfg->head_timeout_ms : INT64_MAX;
    return head < idle ? head : idle;
}

int64_t cf_sconn_idle_since(const cf_sconn *c)
{
    return c->state == ST_HEAD && !out_pending(c) ? c->last_ms : -1;
}

static void log_line(cf_sconn *c, int status, const char *code, size_t len)
{
    FILE *f = c->cfg->log;
    if (!f) return;
    const h1_message *m = &c->rd.p.msg;
    if (code)
        fprintf(f, "%s \"-\" %d %s\n", c->peer, status, code);
    else
        fprintf(f, "%s \"%.*s %.*s HTTP/%d.%d\" %d %zu\n", c->peer, (int)m->method.len,
                m->method.ptr, m->target.len > 200 ? 200 : (int)m->target.len, m->target.ptr,
                m->version / 10, m->version % 10, status, len);
    fflush(f);
}

/* Queues r. The connection closes after it when the response or the server asks, or when the
 * request does not persist (RFC 9112 §9.3) or its framing obliges closing (§6.3, §9.6). */
static void emit(cf_sconn *c, cf_sresp *r, int parsed, const char *code)
{
    const h1_message *m = &c->rd.p.msg;
    int head_only = parsed && c->rq.method == CF_SM_HEAD;
    int close =
        r->close || !parsed || !(m->flags & H1_MSG_PERSISTENT) || (m->flags & H1_MSG_MUST_CLOSE);
    /* RFC 9112 §9.3: an HTTP/1.0 client that asked to keep-alive is told the connection
     * persists. */
    int conn = close ? 1 : (m->version < 11 ? 2 : 0);
    size_t before = c->out.len;
    cf_sresp_write(r, head_only, conn, &c->out);
    c->filler = head_only ? 0 : r->filler;
    c->filler_sent = 0;
    log_line(c, r->status, code, c->out.len - before);
    if (close || c->out.err) c->state = ST_CLOSING;
}

/* Answers with a status and a text body naming why, then closes (framing is lost). */
static void fail(cf_sconn *c, int status, int parsed, const char *code, const char *detail)
{
    cf_sresp r;
    if (parsed && status == c->reject) {
        cf_serve_respond(&c->rq, &r);
    } else {
        cf_sresp_init(&r, status);
        cf_sresp_text(&r, detail);
    }
    r.close = 1;
    emit(c, &r, parsed, code);
    cf_sresp_free(&r);
}

/* RFC 9112 §6.3 / the parser's table: every malformed message gets the rule's status, a body
 * naming the code, and the connection closes. */
static void fail_parse(cf_sconn *c)
{
    h1_code code = c->rd.p.error.code;
    char detail[256];
    int status = h1_code_status(code);
    snprintf(detail, sizeof detail, "%s (%s): %s", h1_code_name(code), h1_code_section(code),
             h1_code_message(code));
    fail(c, status ? status : 400, 0, h1_code_name(code), detail);
}

static int has_content(const h1_message *m)
{
    return m->framing == H1_FRAMING_CHUNKED ||
           (m->framing == H1_FRAMING_LENGTH && m->content_length > 0);
}

/* A request head arrived: decide what to do before any content is read. Returns 0 to read the
 * body, -1 when the request was answered already (the connection then closes). */
static int begin_request(cf_sconn *c)
{
    const h1_message *m = &c->rd.p.msg;
    memset(&c->rq, 0, sizeof c->rq);
    c->rq.msg = m;
    c->reject = 0;
    c->head_ms = -1;
    c->rq.method = cf_serve_method_bit(m->method);
    c->rq.trace = c->cfg->trace;
    cf_serve_split_target(&c->rq);
    c->body.len = 0;
    if ((m->flags & H1_MSG_HAS_TE) && cf_serve_te_unknown(m)) {
        /* RFC 9112 §6.1: unknown transfer coding SHOULD get 501; the content cannot be
         * delimited reliably, so close (§6.3). */
        fail(c, 501, 1, NULL, "transfer coding not implemented (only chunked is)");
        return -1;
    }
    c->reject = cf_serve_admit(&c->rq);
    if (has_content(m)) {
        if (m->framing == H1_FRAMING_LENGTH && m->content_length > c->cfg->max_body) {
            /* RFC 9110 §15.5.14: 413, and close rather than read what will not be kept. */
            fail(c, c->reject ? c->reject : 413, 1, NULL, "content larger than the limit");
            return -1;
        }
        /* RFC 9110 §10.1.1: 100-continue is ignored in HTTP/1.0; a request refused on its head
         * gets the final status without 100 (then close: the client may or may not send). */
        if ((m->flags & H1_MSG_EXPECT_CONTINUE) && m->version >= 11) {
            if (c->reject) {
                fail(c, c->reject, 1, NULL, NULL);
                return -1;
            }
            cf_buf_str(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
        }
    }
    c->keep_body = !c->reject && cf_serve_wants_body(&c->rq);
    c->state = ST_BODY;
    return 0;
}

/* A piece of decoded content: kept for /echo, discarded otherwise. Returns -1 when the request
 * was answered already (too large, out of memory; the connection then closes). */
static int keep_data(cf_sconn *c, h1_span d)
{
    if (c->rd.p.body_received > c->cfg->max_body) {
        fail(c, c->reject ? c->reject : 413, 1, NULL, "content larger than the limit");
        return -1;
    }
    if (c->keep_body) cf_buf_add(&c->body, d.ptr, d.len);
    if (c->body.err) {
        fail(c, 500, 1, NULL, "out of memory");
        return -1;
    }
    return 0;
}

/* The request is complete: answer it and move the next pipelined message to the front. */
static void finish_request(cf_sconn *c)
{
    cf_sresp r;
    c->rq.body = c->keep_body ? c->body.ptr : NULL;
    c->rq.body_len = c->keep_body ? c->body.len : 0;
    c->rq.body_received = c->rd.p.body_received;
    c->rq.trailers = c->rd.p.msg.trailers;
    c->rq.num_trailers = c->rd.p.msg.num_trailers;
    cf_serve_respond(&c->rq, &r);
    c->state = ST_HEAD;
    emit(c, &r, 1, NULL);
    cf_sresp_free(&r);
    h1_reader_release(&c->rd);
    c->stalled = 0;
    c->head_ms = h1_reader_rest(&c->rd).len ? c->last_ms : -1; /* a pipelined head began */
    if (c->body.cap > 65536) cf_buf_free(&c->body);
}

/* Parses and answers as many buffered requests as the output backlog allows. */
static void process(cf_sconn *c)
{
    while (c->state == ST_HEAD || c->state == ST_BODY) {
        if (c->state == ST_HEAD && backlogged(c)) return;
        h1_span d;
        switch (h1_reader_next(&c->rd, &d)) {
        case H1_RD_AGAIN: return;
        case H1_RD_HEAD:
            if (begin_request(c) != 0) return;
            break;
        case H1_RD_DATA:
            if (keep_data(c, d) != 0) return;
            break;
        case H1_RD_DONE: finish_request(c); break;
        case H1_RD_ERROR: /* RFC 9112 §6.3, §7.1: a broken head or chunked body: 4xx and close */
            fail_parse(c);
            return;
        case H1_RD_CUT: /* RFC 9112 §8: an incomplete request */
            if (c->state == ST_BODY)
                fail(c, 400, 1, "INCOMPLETE", "content cut short by end of input");
            else
                fail(c, 400, 0, "INCOMPLETE", "request cut short by end of input");
            return;
        case H1_RD_END: c->state = ST_CLOSING; return;
        case H1_RD_FULL: /* the parser's limits stop a request before this; kept for safety */
            fail(c, 400, c->state == ST_BODY, "TOO_LARGE", "request larger than the buffer");
            return;
        }
    }
}

static int do_read(cf_sconn *c, int64_t now)
{
    size_t room;
    char *p = h1_reader_space(&c->rd, CF_READ_WANT, &room);
    if (!p) {
        c->stalled = 1; /* until a request is answered and released */
        return 0;
    }
    ssize_t n = recv(c->fd, p, room, 0);
    if (n > 0) {
        h1_reader_wrote(&c->rd, (size_t)n);
        c->last_ms = now;
        if (c->head_ms < 0) c->head_ms = now;
    } else if (n == 0) {
        c->eof = 1;
        h1_reader_eof(&c->rd);
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return -1;
    }
    return 0;
}

/* Sends generated /large content: 64-byte lines of letters and digits. */
static int send_filler(cf_sconn *c, int64_t now)
{
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char chunk[8192];
    while (c->filler_sent < c->filler) {
        uint64_t left = c->filler - c->filler_sent;
        size_t n = left < sizeof chunk ? (size_t)left : sizeof chunk;
        for (size_t i = 0; i < n; i++) {
            uint64_t k = c->filler_sent + i;
            chunk[i] = k % 64 == 63 ? '\n' : alpha[k % 64 % 62];
        }
        ssize_t w = send(c->fd, chunk, n, MSG_NOSIGNAL);
        if (w < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        c->filler_sent += (uint64_t)w;
        c->last_ms = now;
    }
    return 0;
}

static int do_write(cf_sconn *c, int64_t now)
{
    while (c->out_off < c->out.len) {
        ssize_t w = send(c->fd, c->out.ptr + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
        if (w < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        c->out_off += (size_t)w;
        c->last_ms = now;
    }
    c->out.len = c->out_off = 0;
    if (c->out.cap > 65536) cf_buf_free(&c->out);
    if (send_filler(c, now) != 0) return -1;
    if (!out_pending(c) && c->state == ST_CLOSING) {
        /* RFC 9112 §9.6: close in stages: half-close, then read until the client closes, so
         * unread input does not reset the connection before the response is read. */
        shutdown(c->fd, SHUT_WR);
        c->state = ST_LINGER;
        c->linger_until = now + CF_LINGER_MS;
    }
    return 0;
}

/* ST_LINGER: read and drop input until the client closes, or enough was dropped. */
static int linger(cf_sconn *c)
{
    char sink[4096];
    for (;;) {
        if (c->eof || c->lingered > CF_LINGER_BYTES) return -1;
        ssize_t n = recv(c->fd, sink, sizeof sink, 0);
        if (n == 0) return -1;
        if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        c->lingered += (size_t)n;
    }
}

int cf_sconn_io(cf_sconn *c, short revents, int64_t now_ms)
{
    if (revents & POLLNVAL) return -1;
    if (c->state == ST_LINGER) return linger(c);
    if ((revents & (POLLIN | POLLHUP | POLLERR)) && do_read(c, now_ms) != 0) return -1;
    for (int round = 0; round < 2; round++) {
        process(c);
        if (do_write(c, now_ms) != 0) return -1;
    }
    return c->state == ST_LINGER ? linger(c) : 0;
}

int cf_sconn_timeout(cf_sconn *c, int64_t now_ms)
{
    if (c->state == ST_LINGER || c->state == ST_CLOSING || out_pending(c)) return -1;
    if (c->state == ST_HEAD && h1_reader_rest(&c->rd).len == 0)
        return -1; /* idle keep-alive: close quietly */
    /* RFC 9110 §15.5.9: a request that stalls mid-way, or whose head takes longer than the
     * head deadline, gets 408 and "close". */
    fail(c, 408, c->state == ST_BODY, "TIMEOUT", "request not completed in time");
    c->last_ms = now_ms;
    return do_write(c, now_ms);
}
