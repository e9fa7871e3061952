/* conform run: nonblocking TCP or TLS I/O with deadlines (net_conn.h). */
#include "net_conn.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "net_tls.h"

struct cf_conn {
    int fd;
    net_tls *tls; /* NULL: plain TCP */
};

/* libcurl is set up on the first TLS or HTTP/2 connection, not at start: curl_global_init
 * loads the TLS library's state (about 2 MB of RSS) that a plain TCP run never needs. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ok;

static void curl_start(void)
{
    curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

int cf_net_global_init(void)
{
    pthread_once(&curl_once, curl_start);
    return curl_ok ? 0 : -1;
}

void cf_net_global_cleanup(void)
{
    if (curl_ok) curl_global_cleanup();
}

/* Milliseconds left until deadline, for poll(); 0 once passed. */
static int remaining(uint64_t deadline_ms)
{
    uint64_t now = cf_now_ms();
    if (now >= deadline_ms) return 0;
    uint64_t left = deadline_ms - now;
    return left > 600000u ? 600000 : (int)left;
}

/* Waits for events on fd until the deadline; 1 ready, 0 timed out, -1 error (errno). */
static int wait_fd(int fd, short events, uint64_t deadline_ms)
{
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = events};
        int rc = poll(&pfd, 1, remaining(deadline_ms));
        if (rc < 0 && errno == EINTR) continue;
        if (rc == 0 && remaining(deadline_ms) > 0) continue;
        return rc > 0 ? 1 : rc;
    }
}

/* The TCP connection: a nonblocking socket, or -1 with *err. */
static int tcp_open(const struct sockaddr *sa, socklen_t len, unsigned timeout_ms, int *err)
{
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *err = errno;
        return -1;
    }
    int one = 1; /* pieces of a split step must leave one by one, not be coalesced */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, sa, len) == 0) return fd;
    if (errno != EINPROGRESS) {
        *err = errno;
        close(fd);
        return -1;
    }
    int rc = wait_fd(fd, POLLOUT, cf_now_ms() + timeout_ms);
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (rc == 0)
        soerr = ETIMEDOUT;
    else if (rc < 0)
        soerr = errno;
    else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
        soerr = errno;
    if (soerr == 0) return fd;
    *err = soerr;
    close(fd);
    return -1;
}

cf_conn *cf_conn_open(const cf_run_addr *a, unsigned timeout_ms, int *err, char *why, size_t whycap)
{
    if (why && whycap) why[0] = 0;
    uint64_t t0 = cf_now_ms();
    int fd = tcp_open((const struct sockaddr *)&a->ss, a->len, timeout_ms, err);
    if (fd < 0) return NULL;
    cf_conn *c = malloc(sizeof *c);
    if (!c) {
        close(fd);
        *err = ENOMEM;
        return NULL;
    }
    c->fd = fd;
    c->tls = NULL;
    if (!a->tls.on) return c;
    /* the handshake gets what the connect left of the same timeout */
    uint64_t used = cf_now_ms() - t0;
    unsigned left = used >= timeout_ms ? 1u : timeout_ms - (unsigned)used;
    c->tls = net_tls_open(fd, a, left, err, why, whycap);
    if (c->tls) return c;
    cf_conn_close(c);
    return NULL;
}

void cf_conn_close(cf_conn *c)
{
    if (!c) return;
    net_tls_free(c->tls);
    close(c->fd);
    free(c);
}

int cf_conn_shutdown(cf_conn *c)
{
    /* RFC 8446 §6.1: close_notify ends the sender's writing; the peer may go on writing. */
    if (c->tls) (void)net_tls_close_notify(c->tls);
    if (shutdown(c->fd, SHUT_WR) < 0 && errno != ENOTCONN) return -1;
    return 0;
}

cf_conn_idle_state cf_conn_idle(cf_conn *c)
{
    struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
    int rc;
    do
        rc = poll(&pfd, 1, 0);
    while (rc < 0 && errno == EINTR);
    if (rc == 0) return CF_IDLE_NOTHING;
    if (rc < 0) return CF_IDLE_CLOSED;
    uint8_t b[512];
    size_t got = 0;
    int err = 0;
    cf_read_status st = cf_conn_read(c, b, sizeof b, 0, &got, &err);
    if (st == CF_READ_DATA) return CF_IDLE_BYTES;
    return st == CF_READ_TIMEOUT ? CF_IDLE_NOTHING : CF_IDLE_CLOSED;
}

bool cf_conn_accepted(int err)
{
    return err == ECONNRESET || err == ECONNABORTED || err == EPIPE || err == CF_CONN_ETLS;
}

/* One write of up to n bytes: 1 wrote *w > 0, 0 would block, -1 failed (*err). */
static int write_some(cf_conn *c, const uint8_t *p, size_t n, size_t *w, int *err)
{
    if (c->tls) {
        net_tls_io io = net_tls_send(c->tls, p, n, w, err);
        return io == NET_TLS_DONE ? 1 : io == NET_TLS_AGAIN ? 0 : -1;
    }
    for (;;) {
        ssize_t r = send(c->fd, p, n, MSG_NOSIGNAL);
        *w = r > 0 ? (size_t)r : 0;
        if (r > 0) return 1;
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            *err = errno;
            return -1;
        }
        return 0;
    }
}

/* Writes all of p[0..n) before the deadline. */
static int write_all(cf_conn *c, const uint8_t *p, size_t n, uint64_t deadline_ms, size_t *sent,
                     int *err)
{
    while (n > 0) {
        size_t w = 0;
        int st = write_some(c, p, n, &w, err);
        if (st < 0) return -1;
        if (st > 0) {
            p += w;
            n -= w;
            *sent += w;
            continue;
        }
        int rc = wait_fd(c->fd, POLLOUT, deadline_ms);
        if (rc <= 0) {
            *err = rc == 0 ? ETIMEDOUT : errno;
            return -1;
        }
    }
    return 0;
}

static void sleep_ms(unsigned ms, uint64_t deadline_ms)
{
    uint64_t until = cf_now_ms() + ms;
    if (until > deadline_ms) until = deadline_ms;
    for (uint64_t now = cf_now_ms(); now < until; now = cf_now_ms()) {
        uint64_t left = until - now;
        struct timespec ts = {.tv_sec = (time_t)(left / 1000),
                              .tv_nsec = (long)(left % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

int cf_conn_send(cf_conn *c, const uint8_t *data, size_t len, const cf_send_opts *opts,
                 uint64_t deadline_ms, size_t *sent, int *err)
{
    *sent = 0;
    size_t done = 0;
    for (size_t i = 0;; i++) {
        size_t piece = cf_send_piece_len(opts, i, done, len);
        if (piece == 0) break;
        if (i > 0 && opts->delay_ms) sleep_ms(opts->delay_ms, deadline_ms);
        /* The deadline bounds the whole send, delays included: a piece due after it (its delay
         * cut short) is not sent early, the send ends there. */
        if (cf_now_ms() >= deadline_ms) {
            *err = ETIMEDOUT;
            return -1;
        }
        if (write_all(c, data + done, piece, deadline_ms, sent, err) < 0) return -1;
        done += piece;
    }
    if (opts->half_close && cf_conn_shutdown(c) < 0) {
        *err = errno;
        return -1;
    }
    return 0;
}

/* One read over TLS: CF_READ_TIMEOUT stands for "nothing now" (poll and retry). */
static cf_read_status tls_read(cf_conn *c, void *buf, size_t cap, size_t *got, int *err)
{
    switch (net_tls_recv(c->tls, buf, cap, got, err)) {
    case NET_TLS_DONE: return CF_READ_DATA;
    case NET_TLS_AGAIN: return CF_READ_TIMEOUT;
    case NET_TLS_EOF: return CF_READ_EOF;
    case NET_TLS_RESET: return CF_READ_RESET;
    default: return CF_READ_ERROR;
    }
}

cf_read_status cf_conn_read(cf_conn *c, void *buf, size_t cap, uint64_t deadline_ms, size_t *got,
                            int *err)
{
    *got = 0;
    int fd = c->fd;
    for (;;) {
        if (c->tls) {
            /* the TLS library may hold decrypted bytes already: ask it before polling */
            cf_read_status st = tls_read(c, buf, cap, got, err);
            if (st != CF_READ_TIMEOUT) return st;
            int rc = wait_fd(fd, POLLIN, deadline_ms);
            if (rc == 0) return CF_READ_TIMEOUT;
            if (rc < 0) {
                *err = errno;
                return CF_READ_ERROR;
            }
            continue;
        }
        ssize_t r = recv(fd, buf, cap, 0);
        if (r > 0) {
            *got = (size_t)r;
            return CF_READ_DATA;
        }
        if (r == 0) return CF_READ_EOF;
        if (errno == EINTR) continue;
        if (errno == ECONNRESET) return CF_READ_RESET;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            *err = errno;
            return CF_READ_ERROR;
        }
        int rc = wait_fd(fd, POLLIN, deadline_ms);
        if (rc == 0) return CF_READ_TIMEOUT;
        if (rc < 0) {
            *err = errno;
            return CF_READ_ERROR;
        }
    }
}
