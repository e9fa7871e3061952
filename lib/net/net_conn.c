/* conform run: nonblocking TCP I/O with deadlines (net_conn.h). */
#include "net_conn.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

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

int cf_conn_open(const struct sockaddr *sa, socklen_t len, unsigned timeout_ms, int *err)
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

bool cf_conn_accepted(int err)
{
    return err == ECONNRESET || err == ECONNABORTED || err == EPIPE;
}

/* Writes all of p[0..n) before the deadline. */
static int write_all(int fd, const uint8_t *p, size_t n, uint64_t deadline_ms, size_t *sent,
                     int *err)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            *sent += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            *err = errno;
            return -1;
        }
        int rc = wait_fd(fd, POLLOUT, deadline_ms);
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

int cf_conn_send(int fd, const uint8_t *data, size_t len, const cf_send_opts *opts,
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
        if (write_all(fd, data + done, piece, deadline_ms, sent, err) < 0) return -1;
        done += piece;
    }
    if (opts->half_close && shutdown(fd, SHUT_WR) < 0 && errno != ENOTCONN) {
        *err = errno;
        return -1;
    }
    return 0;
}

cf_read_status cf_conn_read(int fd, void *buf, size_t cap, uint64_t deadline_ms, size_t *got,
                            int *err)
{
    *got = 0;
    for (;;) {
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
