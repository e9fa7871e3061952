/* conform run: nonblocking connect, piecewise writes, half-close and reads with deadlines. */
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "misbehave.h"
#include "net_conn.h"

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return a;
}

/* A listening socket on an ephemeral port (backlog given); returns fd, port in *port. */
static int listener(int backlog, int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    socklen_t al = sizeof a;
    cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
    cr_assert(listen(fd, backlog) == 0);
    cr_assert(getsockname(fd, (struct sockaddr *)&a, &al) == 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static cf_conn *open_to(int port, unsigned timeout_ms, int *err)
{
    struct sockaddr_in a = loopback(port);
    cf_run_addr ra = {.len = sizeof a};
    memcpy(&ra.ss, &a, sizeof a);
    return cf_conn_open(&ra, timeout_ms, err, NULL, 0);
}

Test(run_conn, refused)
{
    int port, l = listener(1, &port);
    close(l); /* nobody listens there now */
    int err = 0;
    cr_expect_null(open_to(port, 1000, &err));
    cr_expect_eq(err, ECONNREFUSED);
}

Test(run_conn, connect_times_out_when_nobody_accepts)
{
    /* a full accept queue makes the kernel drop further SYNs: connect hangs */
    int port, l = listener(0, &port), err = 0, n = 0;
    cf_conn *fds[8];
    for (; n < 8; n++) {
        fds[n] = open_to(port, 100, &err);
        if (!fds[n]) break;
    }
    cr_assert_lt(n, 8, "the accept queue never filled up");
    cr_expect_eq(err, ETIMEDOUT);
    uint64_t t0 = cf_now_ms();
    cr_expect_null(open_to(port, 200, &err));
    uint64_t took = cf_now_ms() - t0;
    cr_expect_eq(err, ETIMEDOUT);
    cr_expect(took >= 190 && took < 1500, "took %llu ms", (unsigned long long)took);
    for (int i = 0; i < n; i++)
        cf_conn_close(fds[i]);
    close(l);
}

Test(run_conn, pieces_with_delay_then_half_close)
{
    int port, l = listener(4, &port), err = 0;
    cf_conn *fd = open_to(port, 1000, &err);
    cr_assert_not_null(fd, "%s", strerror(err));
    int s = accept(l, NULL, NULL);
    cr_assert(s >= 0);
    size_t split[] = {1, 2};
    cf_send_opts o = {
        .split = split, .nsplit = 2, .split_every = 3, .delay_ms = 30, .half_close = true};
    size_t sent = 0;
    uint64_t t0 = cf_now_ms();
    cr_assert_eq(cf_conn_send(fd, (const uint8_t *)"abcdefghi", 9, &o, t0 + 5000, &sent, &err), 0);
    /* pieces a | bc | def | ghi: three pauses of 30 ms */
    cr_expect_geq(cf_now_ms() - t0, 85);
    cr_expect_eq(sent, 9);
    char buf[32];
    size_t got = 0;
    ssize_t r;
    while ((r = recv(s, buf + got, sizeof buf - got, 0)) > 0)
        got += (size_t)r;
    cr_expect_eq(r, 0, "half-close must reach the peer as EOF");
    cr_expect_eq(got, 9);
    cr_expect(!memcmp(buf, "abcdefghi", 9));
    /* reading still works after our half-close */
    cr_assert_eq(send(s, "xyz", 3, 0), 3);
    cr_expect_eq(cf_conn_read(fd, buf, sizeof buf, cf_now_ms() + 1000, &got, &err), CF_READ_DATA);
    cr_expect_eq(got, 3);
    close(s);
    cr_expect_eq(cf_conn_read(fd, buf, sizeof buf, cf_now_ms() + 1000, &got, &err), CF_READ_EOF);
    cf_conn_close(fd);
    close(l);
}

/* Sends one request to a misbehaving server and reads until something other than data. */
static cf_read_status first_non_data(cf_mb_mode mode, unsigned wait_ms, size_t *total)
{
    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    int err = 0;
    cf_conn *fd = open_to(cf_mb_port(m), 1000, &err);
    cr_assert_not_null(fd);
    cf_send_opts o = {0};
    size_t sent;
    cr_assert_eq(cf_conn_send(fd, (const uint8_t *)"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27, &o,
                              cf_now_ms() + 1000, &sent, &err),
                 0);
    char buf[4096];
    size_t got;
    cf_read_status st;
    *total = 0;
    uint64_t deadline = cf_now_ms() + wait_ms;
    while ((st = cf_conn_read(fd, buf, sizeof buf, deadline, &got, &err)) == CF_READ_DATA)
        *total += got;
    cf_conn_close(fd);
    cf_mb_stop(m);
    return st;
}

Test(run_conn, tells_eof_reset_and_timeout_apart)
{
    size_t total;
    cr_expect_eq(first_non_data(CF_MB_CLOSE, 2000, &total), CF_READ_EOF);
    cr_expect_eq(total, 0);
    cr_expect_eq(first_non_data(CF_MB_RESET, 2000, &total), CF_READ_RESET);
    cr_expect_eq(total, 0);
    uint64_t t0 = cf_now_ms();
    cr_expect_eq(first_non_data(CF_MB_SILENT, 300, &total), CF_READ_TIMEOUT);
    cr_expect_geq(cf_now_ms() - t0, 290);
    cr_expect_eq(first_non_data(CF_MB_SHORT_BODY, 2000, &total), CF_READ_EOF);
    cr_expect_eq(total, 50);
}
