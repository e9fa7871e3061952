/* Raw TCP test client for conform serve; responses parsed strictly by parsers/. */
#include "serve_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int cf_tc_connect(cf_tc *c, int port)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

int cf_tc_send(cf_tc *c, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int cf_tc_sends(cf_tc *c, const char *s)
{
    return cf_tc_send(c, s, strlen(s));
}

/* Reads more bytes into c->buf; 0 on data, CF_TC_CLOSED at end, CF_TC_TIMEOUT. */
static int fill(cf_tc *c, int timeout_ms)
{
    if (c->eof) return CF_TC_CLOSED;
    struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
    int rc;
    do
        rc = poll(&pfd, 1, timeout_ms);
    while (rc < 0 && errno == EINTR);
    if (rc == 0) return CF_TC_TIMEOUT;
    if (c->len + 65536 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 131072;
        while (cap < c->len + 65536)
            cap *= 2;
        char *p = realloc(c->buf, cap);
        if (!p) return CF_TC_CLOSED;
        c->buf = p;
        c->cap = cap;
    }
    ssize_t n = recv(c->fd, c->buf + c->len, 65536, 0);
    if (n <= 0) {
        c->eof = 1;
        return CF_TC_CLOSED;
    }
    c->len += (size_t)n;
    return 0;
}

static void rebase(cf_tc_resp *r, const char *old)
{
    for (size_t i = 0; i < r->num_headers; i++) {
        r->headers[i].name.ptr = r->raw + (r->headers[i].name.ptr - old);
        r->headers[i].value.ptr = r->raw + (r->headers[i].value.ptr - old);
    }
}

int cf_tc_read(cf_tc *c, const char *method, int timeout_ms, cf_tc_resp *r)
{
    h1_parser p;
    memset(r, 0, sizeof *r);
    h1_parser_init(&p, H1_RESPONSE);
    p.headers = r->headers;
    p.max_headers = CF_TC_MAX_HEADERS;
    p.request_method.ptr = method;
    p.request_method.len = strlen(method);
    h1_status st;
    while ((st = h1_parse_head(&p, c->buf ? c->buf : "", c->len)) == H1_AGAIN)
        if ((r->error = fill(c, timeout_ms)) != 0) return r->error;
    if (st == H1_ERROR) return r->code = p.error.code, r->error = CF_TC_INVALID;
    size_t off = p.msg.head_len, blen = 0;
    /* Keep the head before more reads may move c->buf. */
    r->num_headers = p.msg.num_headers;
    r->raw = malloc(off + 1);
    memcpy(r->raw, c->buf, off);
    r->raw[off] = '\0';
    r->raw_len = off;
    rebase(r, c->buf);
    char *body = malloc(1);
    for (;;) {
        h1_span d;
        size_t used;
        st = h1_parse_body(&p, c->buf + off, c->len - off, &d, &used);
        if (d.len) {
            char *nb = realloc(body, blen + d.len + 1);
            if (!nb) break;
            body = nb;
            memcpy(body + blen, d.ptr, d.len);
            blen += d.len;
        }
        off += used;
        if (st == H1_ERROR) {
            free(body);
            cf_tc_resp_free(r);
            return r->code = p.error.code, r->error = CF_TC_INVALID;
        }
        if (st == H1_DONE) break;
        if (used == 0 || off == c->len) {
            int f = fill(c, timeout_ms);
            if (f == CF_TC_CLOSED && h1_parse_eof(&p) == H1_DONE) break;
            if (f != 0) {
                free(body);
                cf_tc_resp_free(r);
                return r->error = f;
            }
        }
    }
    body[blen] = '\0';
    r->body = body;
    r->body_len = blen;
    r->status = p.msg.status;
    r->version = p.msg.version;
    r->flags = p.msg.flags;
    r->framing = p.msg.framing;
    memmove(c->buf, c->buf + off, c->len - off);
    c->len -= off;
    return CF_TC_OK;
}

int cf_tc_closed(cf_tc *c, int timeout_ms)
{
    if (c->len) return 0;
    return fill(c, timeout_ms) == CF_TC_CLOSED && c->len == 0;
}

void cf_tc_close(cf_tc *c)
{
    if (c->fd >= 0) close(c->fd);
    free(c->buf);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

const char *cf_tc_header(const cf_tc_resp *r, const char *name, char *out, size_t cap)
{
    size_t i = h1_header_find(r->headers, r->num_headers, name, 0);
    if (i == SIZE_MAX || cap == 0) return NULL;
    size_t n = r->headers[i].value.len < cap - 1 ? r->headers[i].value.len : cap - 1;
    memcpy(out, r->headers[i].value.ptr, n);
    out[n] = '\0';
    return out;
}

size_t cf_tc_header_count(const cf_tc_resp *r, const char *name)
{
    size_t n = 0;
    for (size_t i = h1_header_find(r->headers, r->num_headers, name, 0); i != SIZE_MAX;
         i = h1_header_find(r->headers, r->num_headers, name, i + 1))
        n++;
    return n;
}

void cf_tc_resp_free(cf_tc_resp *r)
{
    free(r->raw);
    free(r->body);
    r->raw = r->body = NULL;
}
