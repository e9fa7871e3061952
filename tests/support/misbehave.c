/* Misbehaving test servers (misbehave.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include "misbehave.h"
#include "misbehave_lax.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "h1_reader.h"
#include "util_buf.h"
#include "util_json.h"

struct cf_mb {
    cf_mb_mode mode;
    int lfd;
    int stop[2]; /* a pipe: written to stop */
    int port;
    atomic_uint accepted;
    pthread_t tid;
    char method[16]; /* method of the request read_request last completed (server thread) */
    bool range;      /* that request has a Range field */
};

/* Waits for events on fd or the stop pipe; true when fd is ready (and no stop). */
static bool wait_for(cf_mb *m, int fd, short events, int timeout_ms)
{
    struct pollfd p[2] = {{.fd = fd, .events = events}, {.fd = m->stop[0], .events = POLLIN}};
    int rc = poll(p, 2, timeout_ms);
    return rc > 0 && !p[1].revents && p[0].revents;
}

/* Sends all of data unless the client goes away or the server stops. */
static bool send_all(cf_mb *m, int fd, const char *data, size_t len)
{
    while (len > 0) {
        if (!wait_for(m, fd, POLLOUT, 5000)) return false;
        ssize_t w = send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (w <= 0) return false;
        data += w;
        len -= (size_t)w;
    }
    return true;
}

/* Reads until a request head ended (an empty line), its method in m->method; false on EOF,
 * error or stop. */
static bool read_request(cf_mb *m, int fd)
{
    char buf[4096];
    char tail[4] = {0}, win[8] = {0};
    size_t mlen = 0;
    bool in_method = true;
    m->range = false;
    for (;;) {
        if (!wait_for(m, fd, POLLIN, 10000)) return false;
        ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r <= 0) return false;
        for (ssize_t i = 0; i < r; i++) {
            if (in_method && buf[i] != ' ' && mlen < sizeof m->method - 1)
                m->method[mlen++] = buf[i];
            else
                in_method = false;
            m->method[mlen] = '\0';
            memmove(win, win + 1, 7);
            win[7] = (char)(buf[i] >= 'A' && buf[i] <= 'Z' ? buf[i] + 32 : buf[i]);
            if (!memcmp(win, "\r\nrange:", 8)) m->range = true;
            memmove(tail, tail + 1, 3);
            tail[3] = buf[i];
            if (!memcmp(tail, "\r\n\r\n", 4)) return true;
        }
    }
}

/* Where the request head at buf[0..len) ends (after its empty line), or 0 when it has not. */
static size_t head_end(const char *buf, size_t len)
{
    for (size_t i = 3; i < len; i++)
        if (!memcmp(buf + i - 3, "\r\n\r\n", 4)) return i + 1;
    return 0;
}

/* Appends what the client sends next to buf (*len of cap used); false on EOF, error, stop or a
 * full buffer. */
static bool recv_more(cf_mb *m, int fd, char *buf, size_t *len, size_t cap)
{
    while (*len < cap) {
        if (!wait_for(m, fd, POLLIN, 10000)) return false;
        ssize_t r = recv(fd, buf + *len, cap - *len, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r <= 0) return false;
        *len += (size_t)r;
        return true;
    }
    return false;
}

/* Reads one request head (through its empty line) into buf; its length, or 0 on EOF, error,
 * stop, or a head larger than cap. Bytes after the head in the same read are dropped (the
 * conditional modes get one request at a time). */
static size_t read_head(cf_mb *m, int fd, char *buf, size_t cap)
{
    size_t n = 0, hl;
    while (!(hl = head_end(buf, n)))
        if (!recv_more(m, fd, buf, &n, cap)) return 0;
    return hl;
}

/* Answers each request of the connection as conditional mode m->mode says. */
static void serve_cond(cf_mb *m, int fd)
{
    char head[8192], out[2048];
    size_t n;
    while ((n = read_head(m, fd, head, sizeof head)) > 0) {
        size_t len = cf_mb_cond_answer(m->mode, head, n, out, sizeof out);
        if (!len || !send_all(m, fd, out, len)) return;
    }
}

/* Waits until the client closes (or the server stops), discarding what it sends. */
static void drain(cf_mb *m, int fd)
{
    char buf[4096];
    while (wait_for(m, fd, POLLIN, 10000) && recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
    }
}

static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

/* The same answer with what an origin server owes (RFC 9110 §6.6.1 Date, §8.3 Content-Type). */
#define DATED_FIELDS                                                                               \
    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\nContent-Length: "          \
    "2\r\n\r\nok"
static const char ok_dated[] = "HTTP/1.1 200 OK\r\n" DATED_FIELDS;
static const char no_sp[] = "HTTP/1.1 200\r\n" DATED_FIELDS;
static const char bad_cache[] =
    "HTTP/1.1 200 OK\r\nCache-Control: max-age=\"60\", s-maxage=1.5, no-cache=Set-Cookie\r\n"
    "Cache-Control: private=Set-Cookie, public=yes, must-understand\r\nAge: 1.5\r\n"
    "Expires: 0\r\n" DATED_FIELDS;
static const char should_only[] =
    "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n\r\nok";

/* Drops the first n bytes of the request stream: from buf first, then from the socket. */
static bool consume(cf_mb *m, int fd, char *buf, size_t *len, size_t n)
{
    size_t here = n < *len ? n : *len;
    memmove(buf, buf + here, *len - here);
    *len -= here;
    for (n -= here; n > 0;) {
        size_t got = 0;
        char tmp[4096];
        if (!recv_more(m, fd, tmp, &got, n < sizeof tmp ? n : sizeof tmp)) return false;
        n -= got;
    }
    return true;
}

/* One request of an Expect mode, its head (hl bytes) at the start of buf; false when the
 * connection ends. */
static bool answer_expect(cf_mb *m, int fd, char *buf, size_t *len, size_t hl)
{
    static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
    static const char ok11[] = "HTTP/1.1 200 OK\r\n" DATED_FIELDS;
    static const char ok10[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n" DATED_FIELDS;
    static const char failed[] = "HTTP/1.1 417 Expectation Failed\r\nConnection: close\r\n"
                                 "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";
    char v[256];
    bool http10 = memmem(buf, hl, " HTTP/1.0\r\n", 11) != NULL;
    size_t cl = cf_mb_field(buf, hl, "Content-Length", v, sizeof v) ? strtoul(v, NULL, 10) : 0;
    bool arrived = *len - hl >= cl; /* the content came with the head */
    bool expect = cf_mb_field(buf, hl, "Expect", v, sizeof v);
    if (expect && m->mode == CF_MB_EXPECT_EXACT && strcmp(v, "100-continue")) {
        send_all(m, fd, failed, sizeof failed - 1);
        return false;
    }
    expect = expect && !strcasecmp(v, "100-continue");
    /* RFC 9110 §10.1.1: ignored in HTTP/1.0; may be omitted once the content is there */
    bool send100 = expect && (m->mode == CF_MB_100_TO_HTTP10 || (!http10 && !arrived));
    if (send100 && m->mode != CF_MB_LATE_100 && !send_all(m, fd, cont, sizeof cont - 1))
        return false;
    if (!consume(m, fd, buf, len, hl + cl)) return false;
    if (send100 && m->mode == CF_MB_LATE_100 && !send_all(m, fd, cont, sizeof cont - 1))
        return false;
    if (http10) {
        send_all(m, fd, ok10, sizeof ok10 - 1);
        return false;
    }
    return send_all(m, fd, ok11, sizeof ok11 - 1);
}

/* Answers each request of the connection as Expect mode m->mode says. */
static void serve_expect(cf_mb *m, int fd)
{
    char buf[16384];
    size_t len = 0, hl;
    for (;;) {
        while (!(hl = head_end(buf, len)))
            if (!recv_more(m, fd, buf, &len, sizeof buf)) return;
        if (!answer_expect(m, fd, buf, &len, hl)) return;
    }
}

#define DATE_LINE  "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
#define PLAIN_LINE "Content-Type: text/plain\r\n"

/* The answers of the semantic modes (misbehave.h), each dated and typed so that it breaks only
 * the requirement its mode names. */
static const struct {
    cf_mb_mode mode;
    const char *resp;
} canned[] = {
    {CF_MB_206_NO_CONTENT_RANGE,
     "HTTP/1.1 206 Partial Content\r\n" DATE_LINE PLAIN_LINE "Content-Length: 5\r\n\r\nhello"},
    {CF_MB_206_SHORT, "HTTP/1.1 206 Partial Content\r\n" DATE_LINE PLAIN_LINE
                      "Content-Range: bytes 0-4/100\r\nContent-Length: 3\r\n\r\nhel"},
    {CF_MB_206_ALWAYS, "HTTP/1.1 206 Partial Content\r\n" DATE_LINE PLAIN_LINE
                       "Content-Range: bytes 0-4/100\r\nContent-Length: 5\r\n\r\nhello"},
    {CF_MB_206_MULTIPART_RANGE,
     "HTTP/1.1 206 Partial Content\r\n" DATE_LINE
     "Content-Type: multipart/byteranges; boundary=B\r\nContent-Range: bytes 0-0/100\r\n"
     "Content-Length: 88\r\n\r\n"
     "--B\r\nContent-Range: bytes 0-0/100\r\n\r\na\r\n"   /* 38 */
     "--B\r\nContent-Range: bytes 99-99/100\r\n\r\nz\r\n" /* 40 */
     "--B--\r\n"},                                        /* 7 */
    {CF_MB_416_NO_CONTENT_RANGE,
     "HTTP/1.1 416 Range Not Satisfiable\r\n" DATE_LINE PLAIN_LINE "Content-Length: 2\r\n\r\nno"},
    {CF_MB_401_NO_CHALLENGE,
     "HTTP/1.1 401 Unauthorized\r\n" DATE_LINE PLAIN_LINE "Content-Length: 2\r\n\r\nno"},
    {CF_MB_405_NO_ALLOW,
     "HTTP/1.1 405 Method Not Allowed\r\n" DATE_LINE PLAIN_LINE "Content-Length: 2\r\n\r\nno"},
    {CF_MB_405_WRONG_ALLOW, "HTTP/1.1 405 Method Not Allowed\r\n" DATE_LINE PLAIN_LINE
                            "Allow: POST, PUT, DELETE\r\nContent-Length: 2\r\n\r\nno"},
    {CF_MB_301_NO_LOCATION,
     "HTTP/1.1 301 Moved Permanently\r\n" DATE_LINE PLAIN_LINE "Content-Length: 2\r\n\r\nno"},
    {CF_MB_101_ALWAYS, "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n"
                       "Upgrade: websocket\r\n\r\n"},
    {CF_MB_426_NO_UPGRADE,
     "HTTP/1.1 426 Upgrade Required\r\n" DATE_LINE PLAIN_LINE "Content-Length: 2\r\n\r\nno"},
    {CF_MB_NO_LENGTH, "HTTP/1.1 200 OK\r\n" DATE_LINE "Allow: GET, HEAD, OPTIONS\r\n\r\n"},
    {CF_MB_TRACE_LEAKS, "HTTP/1.1 200 OK\r\n" DATE_LINE "Content-Type: message/http\r\n"
                        "Content-Length: 108\r\n\r\n"
                        "TRACE / HTTP/1.1\r\n"                              /* 18 */
                        "Authorization: Basic Y29uZm9ybTpzZWNyZXQtYQ==\r\n" /* 47 */
                        "Cookie: conform-secret=b\r\n"                      /* 26 */
                        "X-Pad: 012345\r\n\r\n"},                           /* 15 */
    {CF_MB_HEAD_FEWER_FIELDS,
     "HTTP/1.1 200 OK\r\n" DATE_LINE PLAIN_LINE "ETag: \"a\"\r\n"
     "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n\r\nok"},
    {CF_MB_CONNECT_FRAMED, "HTTP/1.1 200 OK\r\n" DATE_LINE "Content-Length: 0\r\n\r\n"},
    {CF_MB_MULTIPART_UNTYPED, ok_dated},
};

/* CF_MB_MULTIPART_UNTYPED's answer to a request with Range: parts without Content-Type. */
static const char untyped_multipart[] =
    "HTTP/1.1 206 Partial Content\r\n" DATE_LINE
    "Content-Type: multipart/byteranges; boundary=B\r\nContent-Length: 88\r\n\r\n"
    "--B\r\nContent-Range: bytes 0-0/100\r\n\r\na\r\n"
    "--B\r\nContent-Range: bytes 99-99/100\r\n\r\nz\r\n"
    "--B--\r\n";

/* The answer of a semantic mode to the request read last: its head only for HEAD (and, in
 * CF_MB_HEAD_FEWER_FIELDS, the status-line and Date only). */
static bool answer_canned(cf_mb *m, int fd, const char *resp)
{
    size_t len = strlen(resp);
    if (!strcmp(m->method, "HEAD")) {
        const char *end = strstr(resp, "\r\n\r\n");
        len = end ? (size_t)(end - resp) + 4 : len;
        if (m->mode == CF_MB_HEAD_FEWER_FIELDS) {
            static const char few[] = "HTTP/1.1 200 OK\r\n" DATE_LINE "\r\n";
            resp = few;
            len = sizeof few - 1;
        }
    }
    return send_all(m, fd, resp, len);
}

/* Serves a semantic mode: each request of the connection gets the mode's answer; without
 * Content-Length (CF_MB_NO_LENGTH) the connection closes after it. */
static bool serve_canned(cf_mb *m, int fd)
{
    for (size_t i = 0; i < sizeof canned / sizeof canned[0]; i++) {
        if (canned[i].mode != m->mode) continue;
        do {
            const char *resp =
                m->range && m->mode == CF_MB_MULTIPART_UNTYPED ? untyped_multipart : canned[i].resp;
            if (!answer_canned(m, fd, resp) || m->mode == CF_MB_NO_LENGTH ||
                m->mode == CF_MB_101_ALWAYS)
                return true;
        } while (read_request(m, fd));
        return true;
    }
    return false;
}

/* Answers every request of the connection with the same bytes. */
static void answer_each(cf_mb *m, int fd, const char *resp, size_t len)
{
    do {
        if (!send_all(m, fd, resp, len)) return;
    } while (read_request(m, fd));
}

static void serve_huge(cf_mb *m, int fd)
{
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 52428800\r\n\r\n";
    char *block = malloc(1 << 16);
    if (!block) return;
    memset(block, 'x', 1 << 16);
    bool go = send_all(m, fd, head, sizeof head - 1);
    for (size_t sent = 0; go && sent < CF_MB_HUGE_LEN; sent += 1 << 16)
        go = send_all(m, fd, block, 1 << 16);
    free(block);
    drain(m, fd);
}

static void serve_endless(cf_mb *m, int fd)
{
    static const char line[] = "X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    bool go = send_all(m, fd, "HTTP/1.1 200 OK\r\n", 17);
    for (unsigned i = 0; go && i < 1000000; i++) /* at most ~60 MB, then give up */
        go = send_all(m, fd, line, sizeof line - 1);
}

/* Makes the close that follows send RST (SO_LINGER 0). */
static void linger0(int fd)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

/* Sends block again and again (every pause_ms) until the client leaves or the server stops;
 * at most about 1 GB. */
static void repeat(cf_mb *m, int fd, const char *block, size_t len, int pause_ms)
{
    for (unsigned i = 0; i < (1u << 30) / len; i++) {
        if (!send_all(m, fd, block, len)) return;
        if (pause_ms && wait_for(m, m->stop[0], POLLIN, pause_ms)) return;
    }
}

/* Complete 204 responses of 18 bytes without end, 512 to a write. */
static void serve_tiny(cf_mb *m, int fd)
{
    static const char one[] = "HTTP/1.1 204 \r\n\r\n";
    char block[512 * (sizeof one - 1)];
    for (size_t i = 0; i < 512; i++)
        memcpy(block + i * (sizeof one - 1), one, sizeof one - 1);
    repeat(m, fd, block, sizeof block, 0);
}

/* 103 Early Hints with 99 Link fields, without end. */
static void serve_hints(cf_mb *m, int fd)
{
    static const char link[] = "Link: </style.css>; rel=preload; as=style\r\n";
    char *block = malloc(64 + 99 * (sizeof link - 1));
    if (!block) return;
    size_t n = 0;
    memcpy(block, "HTTP/1.1 103 Early Hints\r\n", 26);
    n = 26;
    for (int i = 0; i < 99; i++, n += sizeof link - 1)
        memcpy(block + n, link, sizeof link - 1);
    memcpy(block + n, "\r\n", 2);
    repeat(m, fd, block, n + 2, 0);
    free(block);
}

/* 200 with CF_MB_MANY_FIELDS_N field lines. */
static void serve_many_fields(cf_mb *m, int fd)
{
    char line[32];
    /* Date and Content-Type too: the answer breaks no compliance rule (the gate would fail it) */
    static const char head[] =
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
        "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n";
    bool go = send_all(m, fd, head, sizeof head - 1);
    for (unsigned i = 3; go && i < CF_MB_MANY_FIELDS_N; i++) {
        int n = snprintf(line, sizeof line, "X-F%u: v\r\n", i);
        go = send_all(m, fd, line, (size_t)n);
    }
    if (go && send_all(m, fd, "\r\nok", 4)) drain(m, fd);
}

/* CF_MB_ORIGIN and CF_MB_LAX_*: answers each request as cf_mb_lax_next says, until it closes,
 * the client does, or 256 KiB of one request have arrived. */
static void serve_origin(cf_mb *m, int fd)
{
    char authority[32];
    snprintf(authority, sizeof authority, "127.0.0.1:%d", m->port);
    size_t cap = 1u << 18, len = 0;
    char *buf = malloc(cap);
    bool eof = false;
    while (buf) {
        cf_mb_lax_answer a;
        if ((len || eof) && cf_mb_lax_next(m->mode, buf, len, eof, authority, &a)) {
            if (a.resp && !send_all(m, fd, a.resp, strlen(a.resp))) break;
            if (a.close) break;
            memmove(buf, buf + a.used, len - a.used);
            len -= a.used;
            continue;
        }
        if (eof || len == cap || !wait_for(m, fd, POLLIN, 10000)) break;
        ssize_t r = recv(fd, buf + len, cap - len, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r <= 0)
            eof = true;
        else
            len += (size_t)r;
    }
    free(buf);
}

static const char bad_request[] =
    "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";

/* Sends a 200 whose content is the JSON j built (an echo report). */
static bool send_json(cf_mb *m, int fd, cf_json *j)
{
    size_t n = 0;
    const char *data = cf_json_data(j, &n);
    cf_buf b = {0};
    cf_buf_fmt(&b,
               "HTTP/1.1 200 OK\r\n"
               "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
               "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
               n);
    cf_buf_add(&b, data, n);
    bool sent = !b.err && send_all(m, fd, b.ptr, b.len);
    cf_buf_free(&b);
    return sent;
}

/* Writes the ["name","value"] pairs of h[0..n). */
static void json_fields(cf_json *j, const h1_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cf_json_begin_array(j);
        cf_json_string_n(j, h[i].name.ptr, h[i].name.len);
        cf_json_string_n(j, h[i].value.ptr, h[i].value.len);
        cf_json_end_array(j);
    }
}

/* CF_MB_TRAILER_MERGE's answer: /echo's report with the trailer fields merged into "headers". */
static bool send_merged(cf_mb *m, int fd, const h1_message *msg, const cf_buf *body)
{
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_begin_object(&j);
    cf_json_key(&j, "framing");
    cf_json_string(&j, msg->framing == H1_FRAMING_CHUNKED ? "chunked" : "length");
    cf_json_key(&j, "body_length");
    cf_json_uint(&j, body->len);
    cf_json_key(&j, "body");
    cf_json_string_n(&j, body->ptr ? body->ptr : "", body->len);
    cf_json_key(&j, "headers");
    cf_json_begin_array(&j);
    json_fields(&j, msg->headers, msg->num_headers);
    json_fields(&j, msg->trailers, msg->num_trailers); /* the merge RFC 9110 §6.5.1 forbids */
    cf_json_end_array(&j);
    cf_json_key(&j, "trailers");
    cf_json_begin_array(&j);
    cf_json_end_array(&j);
    cf_json_end_object(&j);
    bool sent = !cf_json_error(&j) && send_json(m, fd, &j);
    cf_json_free(&j);
    return sent;
}

/* Adds what the client sends to r; false at EOF, error or stop. */
static bool fill(cf_mb *m, int fd, h1_reader *r)
{
    size_t room = 0;
    char *p = h1_reader_space(r, 4096, &room);
    if (!p || !wait_for(m, fd, POLLIN, 10000)) return false;
    ssize_t n = recv(fd, p, room, 0);
    if (n <= 0) return false;
    h1_reader_wrote(r, (size_t)n);
    return true;
}

/* A trailer field's value as a number (Content-Length), or 0 when absent or not digits. */
static size_t trailer_length(const h1_message *msg)
{
    size_t i = h1_header_find(msg->trailers, msg->num_trailers, "Content-Length", 0);
    size_t v = 0;
    if (i == SIZE_MAX) return 0;
    h1_span s = msg->trailers[i].value;
    for (size_t k = 0; k < s.len && s.ptr[k] >= '0' && s.ptr[k] <= '9' && v < 65536; k++)
        v = v * 10 + (size_t)(s.ptr[k] - '0');
    return v;
}

/* CF_MB_TRAILER_MERGE: reads requests with the parser library's reader, then answers each as
 * if its trailer fields were header fields: a trailer Content-Length's octets are read as more
 * content, a trailer Transfer-Encoding makes the rest of the connection a chunked body (which
 * the next request, not being a chunk-size line, ends). */
static void serve_trailer_merge(cf_mb *m, int fd)
{
    h1_header hdrs[32], trs[32];
    h1_reader r;
    h1_reader_init(&r, H1_REQUEST);
    r.p.headers = hdrs;
    r.p.max_headers = 32;
    r.p.trailers = trs;
    r.p.max_trailers = 32;
    cf_buf body = {0};
    for (bool go = true; go;) {
        h1_span d;
        switch (h1_reader_next(&r, &d)) {
        case H1_RD_AGAIN: go = fill(m, fd, &r); break;
        case H1_RD_HEAD: body.len = 0; break;
        case H1_RD_DATA: cf_buf_add(&body, d.ptr, d.len); break;
        case H1_RD_DONE: {
            /* the trailer's Content-Length as framing: that many more octets (those that come
             * within 200 ms) are content */
            size_t more = trailer_length(&r.p.msg);
            while (h1_reader_rest(&r).len < more && wait_for(m, fd, POLLIN, 200) &&
                   fill(m, fd, &r)) {
            }
            if (more > h1_reader_rest(&r).len) more = h1_reader_rest(&r).len;
            cf_buf_add(&body, h1_reader_rest(&r).ptr, more);
            bool te = h1_header_find(trs, r.p.msg.num_trailers, "Transfer-Encoding", 0) != SIZE_MAX;
            go = send_merged(m, fd, &r.p.msg, &body);
            /* a trailer Transfer-Encoding: chunked starts another chunked body, which the next
             * request, not a chunk-size line, breaks */
            if (go && te) {
                send_all(m, fd, bad_request, sizeof bad_request - 1);
                go = false;
            }
            h1_reader_skip(&r, more);
            break;
        }
        case H1_RD_ERROR: /* a request that does not parse: 400, and the connection closes */
            send_all(m, fd, bad_request, sizeof bad_request - 1);
            go = false;
            break;
        default: go = false; break;
        }
    }
    cf_buf_free(&body);
    h1_reader_free(&r);
}

/* CF_MB_ANSWERS_CUT: everything the client sends until it half-closes or pauses 100 ms, then a
 * 200 echo report per request head and one for the bytes after the last head. */
static void serve_answers_cut(cf_mb *m, int fd)
{
    enum { cap = 1 << 16 };
    char *in = malloc(cap);
    if (!in) return;
    size_t n = 0;
    while (n < cap && wait_for(m, fd, POLLIN, 100)) {
        ssize_t r = recv(fd, in + n, cap - n, 0);
        if (r <= 0) break;
        n += (size_t)r;
    }
    size_t answers = 0, end = 0;
    for (size_t i = 0; i + 4 <= n; i++)
        if (!memcmp(in + i, "\r\n\r\n", 4)) answers++, end = i + 4;
    if (end < n) answers++; /* a request cut short, answered as if whole */
    free(in);
    for (size_t k = 0; k < answers; k++) {
        cf_json j;
        cf_json_init_buffer(&j);
        cf_json_begin_object(&j);
        cf_json_key(&j, "body_length");
        cf_json_uint(&j, n - end);
        cf_json_key(&j, "headers");
        cf_json_begin_array(&j);
        cf_json_end_array(&j);
        cf_json_key(&j, "trailers");
        cf_json_begin_array(&j);
        cf_json_end_array(&j);
        cf_json_end_object(&j);
        bool sent = send_json(m, fd, &j);
        cf_json_free(&j);
        if (!sent) return;
    }
}

/* Answers one connection the way the mode says. */
static void serve(cf_mb *m, int fd)
{
    if (m->mode == CF_MB_ACCEPT_RESET) {
        linger0(fd);
        return;
    }
    if (m->mode >= CF_MB_ORIGIN) {
        serve_origin(m, fd);
        return;
    }
    if (m->mode == CF_MB_TRAILER_MERGE) {
        serve_trailer_merge(m, fd);
        return;
    }
    if (m->mode == CF_MB_ANSWERS_CUT) {
        serve_answers_cut(m, fd);
        return;
    }
    if (m->mode >= CF_MB_VALIDATED && m->mode <= CF_MB_COND_INCONSISTENT) {
        serve_cond(m, fd);
        return;
    }
    if (m->mode >= CF_MB_CONTINUE && m->mode <= CF_MB_EXPECT_EXACT) {
        serve_expect(m, fd);
        return;
    }
    if (!read_request(m, fd) || serve_canned(m, fd)) return;
    switch (m->mode) {
    case CF_MB_CORRECT: answer_each(m, fd, ok, sizeof ok - 1); return;
    case CF_MB_CORRECT_DATED: answer_each(m, fd, ok_dated, sizeof ok_dated - 1); return;
    case CF_MB_NO_SP: answer_each(m, fd, no_sp, sizeof no_sp - 1); return;
    case CF_MB_BAD_CACHE: answer_each(m, fd, bad_cache, sizeof bad_cache - 1); return;
    case CF_MB_SHOULD_ONLY: answer_each(m, fd, should_only, sizeof should_only - 1); return;
    case CF_MB_SILENT: drain(m, fd); return;
    case CF_MB_SLOW:
        for (size_t i = 0; i < sizeof ok - 1; i++) {
            if (!send_all(m, fd, ok + i, 1)) return;
            if (wait_for(m, m->stop[0], POLLIN, 100)) return;
        }
        drain(m, fd);
        return;
    case CF_MB_RESET: linger0(fd); return;
    case CF_MB_GARBAGE:
        if (send_all(m, fd, "SSH-2.0-OpenSSH_9.2p1 Debian\r\n", 30)) drain(m, fd);
        return;
    case CF_MB_ENDLESS_HEADERS: serve_endless(m, fd); return;
    case CF_MB_HUGE_BODY: serve_huge(m, fd); return;
    case CF_MB_SHORT_BODY:
        send_all(m, fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", 50);
        return;
    case CF_MB_BAD_CHUNK: {
        static const char bad[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n";
        if (send_all(m, fd, bad, sizeof bad - 1)) drain(m, fd);
        return;
    }
    case CF_MB_CLOSE:
    case CF_MB_ACCEPT_RESET:
    case CF_MB_TRAILER_MERGE:
    case CF_MB_ANSWERS_CUT: return;
    case CF_MB_IGNORES_FIN:
        /* the client's FIN is never read: the connection stays open until 3 s have passed */
        if (send_all(m, fd, ok_dated, sizeof ok_dated - 1)) wait_for(m, m->stop[0], POLLIN, 3000);
        return;
    case CF_MB_ENDLESS_CHUNKED:
        if (send_all(m, fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 47))
            repeat(m, fd, "5\r\nhello\r\n", 10, 50);
        return;
    case CF_MB_LYING_LENGTH:
        if (send_all(m, fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789", 51))
            drain(m, fd);
        return;
    case CF_MB_INTERIM_FLOOD: repeat(m, fd, "HTTP/1.1 100 Continue\r\n\r\n", 25, 0); return;
    case CF_MB_HINTS_FLOOD: serve_hints(m, fd); return;
    case CF_MB_TINY_FLOOD: serve_tiny(m, fd); return;
    case CF_MB_MANY_FIELDS: serve_many_fields(m, fd); return;
    case CF_MB_HEAD_ONLY: {
        /* with Date and Content-Type: the answer breaks no compliance rule */
        static const char done[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n"
                                   "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                                   "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
        send_all(m, fd, done, sizeof done - 1);
        return; /* closed without reading what followed the head */
    }
    case CF_MB_CLOSE_KEPT_OPEN: {
        static const char closing[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n"
                                      "Content-Length: 2\r\n\r\nok";
        if (send_all(m, fd, closing, sizeof closing - 1)) drain(m, fd);
        return;
    }
    default:
        return; /* the semantic modes: serve_canned; CF_MB_ORIGIN, CF_MB_LAX_*: serve_origin;
                   the conditional and Expect modes: above */
    }
}

static void *loop(void *arg)
{
    cf_mb *m = arg;
    for (;;) {
        if (!wait_for(m, m->lfd, POLLIN, -1)) return NULL;
        int fd = accept(m->lfd, NULL, NULL);
        if (fd < 0) continue;
        atomic_fetch_add(&m->accepted, 1);
        serve(m, fd);
        close(fd);
    }
}

cf_mb *cf_mb_start(cf_mb_mode mode)
{
    cf_mb *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->mode = mode;
    m->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (m->lfd < 0 || bind(m->lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(m->lfd, 16) < 0 ||
        getsockname(m->lfd, (struct sockaddr *)&a, &al) < 0 || pipe(m->stop) < 0) {
        if (m->lfd >= 0) close(m->lfd);
        free(m);
        return NULL;
    }
    m->port = ntohs(a.sin_port);
    if (pthread_create(&m->tid, NULL, loop, m) != 0) {
        close(m->lfd);
        close(m->stop[0]);
        close(m->stop[1]);
        free(m);
        return NULL;
    }
    return m;
}

int cf_mb_port(const cf_mb *m)
{
    return m->port;
}

unsigned cf_mb_accepted(const cf_mb *m)
{
    return atomic_load(&((cf_mb *)m)->accepted);
}

void cf_mb_stop(cf_mb *m)
{
    if (!m) return;
    if (write(m->stop[1], "x", 1) < 0) { /* the thread then sees the pipe readable */
    }
    pthread_join(m->tid, NULL);
    close(m->lfd);
    close(m->stop[0]);
    close(m->stop[1]);
    free(m);
}
