/* The deliberately broken server (broken_server.h). */
#include "broken_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_CAP 65536
#define IDLE_MS 2000
#define OK_200  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
#define BAD_400 "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

struct cf_broken {
    cf_broken_mode mode;
    unsigned long crash_over;
    int lfd, port;
    int wake[2]; /* a byte here stops the thread */
    pthread_t thread;
    atomic_bool crashed;
    atomic_uint requests;
    atomic_uint live; /* connection threads still running */
};

/* One connection's thread argument. */
typedef struct conn_arg {
    cf_broken *b;
    int fd;
} conn_arg;

/* One request head, as this server (loosely) reads it. */
typedef struct head {
    size_t len; /* bytes of the head, empty line included */
    bool valid, te, chunked, has_cl;
    unsigned long cl;
} head;

static void send_all(int fd, const char *s)
{
    size_t n = strlen(s), off = 0;
    while (off < n) {
        ssize_t w = send(fd, s + off, n - off, MSG_NOSIGNAL);
        if (w <= 0) return;
        off += (size_t)w;
    }
}

static bool has_prefix_ci(const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);
    return n >= k && !strncasecmp(line, name, k);
}

/* Reads the head ending at buf[len-1]: a request-line "TOKEN SP ... HTTP/1.x", then fields. */
static void read_head(const char *buf, size_t len, head *h)
{
    memset(h, 0, sizeof *h);
    h->len = len;
    const char *eol = memchr(buf, '\n', len);
    size_t l0 = eol ? (size_t)(eol - buf) : len;
    if (l0 && buf[l0 - 1] == '\r') l0--;
    h->valid = l0 > 10 && buf[0] >= 'A' && buf[0] <= 'Z' && memchr(buf, ' ', l0) && l0 >= 9 &&
               !memcmp(buf + l0 - 9, " HTTP/1.", 8);
    for (size_t pos = eol ? l0 + 1 : len; pos < len;) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t n = (nl ? (size_t)(nl - buf) : len) - pos;
        const char *line = buf + pos;
        if (has_prefix_ci(line, n, "transfer-encoding:")) {
            h->te = true;
            for (size_t i = 0; i + 7 <= n; i++)
                if (!strncasecmp(line + i, "chunked", 7)) h->chunked = true;
        } else if (has_prefix_ci(line, n, "content-length:")) {
            char num[32] = {0};
            size_t i = 15;
            while (i < n && line[i] == ' ')
                i++;
            size_t k = 0;
            while (i < n && line[i] >= '0' && line[i] <= '9' && k < sizeof num - 1)
                num[k++] = line[i++];
            h->has_cl = k > 0;
            h->cl = k ? strtoul(num, NULL, 10) : 0;
        }
        pos += n + 1;
    }
}

/* Bytes of a chunked body at p[0..n) up to and including "0\r\n\r\n", or 0 when not there. */
static size_t chunked_len(const char *p, size_t n)
{
    for (size_t i = 0; i + 5 <= n; i++)
        if (!memcmp(p + i, "0\r\n\r\n", 5) && (i == 0 || p[i - 1] == '\n')) return i + 5;
    return 0;
}

/* Answers every complete request in buf; returns bytes consumed, or -1 to close now. */
static long serve_buffer(cf_broken *b, int fd, const char *buf, size_t len)
{
    size_t off = 0;
    for (;;) {
        const char *end = NULL;
        for (size_t i = off; i + 4 <= len && !end; i++)
            if (!memcmp(buf + i, "\r\n\r\n", 4)) end = buf + i + 4;
        if (!end) return (long)off;
        head h;
        read_head(buf + off, (size_t)(end - buf) - off, &h);
        if (!h.valid) {
            send_all(fd, BAD_400);
            return -1;
        }
        if (b->mode == CF_BROKEN_CRASH && h.has_cl && h.cl > b->crash_over) {
            atomic_store(&b->crashed, true); /* the simulated crash: no more accepting */
            shutdown(b->lfd, SHUT_RDWR);     /* the accept loop sees it and closes the socket */
            return -1;
        }
        if (b->mode == CF_BROKEN_DESYNC && h.te && h.has_cl) {
            /* The bug: both framings present, so it "answers each of them" and gives up on
             * the connection (RFC 9112 §6.1: such a message must be handled as chunked or
             * rejected, and answered once). */
            atomic_fetch_add(&b->requests, 1);
            send_all(fd, OK_200);
            send_all(fd, OK_200);
            return -1;
        }
        size_t body = 0, avail = len - (size_t)(end - buf);
        if (h.te && h.chunked) {
            body = chunked_len(end, avail);
            if (!body) return (long)off; /* wait for the last chunk */
        } else if (h.has_cl) {
            if (h.cl > avail) return (long)off;
            body = h.cl;
        }
        atomic_fetch_add(&b->requests, 1);
        send_all(fd, OK_200);
        off = (size_t)(end - buf) + body;
    }
}

/* Serves one connection until the client closes, goes idle, or the server stops. */
static void serve_conn(cf_broken *b, int fd, char *buf)
{
    size_t len = 0;
    for (;;) {
        struct pollfd p[2] = {{fd, POLLIN, 0}, {b->wake[0], POLLIN, 0}};
        if (poll(p, 2, IDLE_MS) <= 0 || p[1].revents) return;
        if (len == BUF_CAP) return;
        ssize_t r = recv(fd, buf + len, BUF_CAP - len, 0);
        if (r <= 0) return; /* EOF (the client half-closed) or error: close */
        len += (size_t)r;
        long used = serve_buffer(b, fd, buf, len);
        if (used < 0) return;
        memmove(buf, buf + used, len - (size_t)used);
        len -= (size_t)used;
    }
}

static void *conn_main(void *arg)
{
    conn_arg *a = arg;
    char *buf = malloc(BUF_CAP);
    if (buf) serve_conn(a->b, a->fd, buf);
    free(buf);
    close(a->fd);
    atomic_fetch_sub(&a->b->live, 1);
    free(a);
    return NULL;
}

/* Serves fd on a detached thread of its own (so one slow client does not hold the others). */
static void spawn(cf_broken *b, int fd)
{
    conn_arg *a = malloc(sizeof *a);
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    atomic_fetch_add(&b->live, 1);
    if (!a || (a->b = b, a->fd = fd, pthread_create(&t, &at, conn_main, a) != 0)) {
        atomic_fetch_sub(&b->live, 1);
        close(fd);
        free(a);
    }
    pthread_attr_destroy(&at);
}

static void *loop(void *arg)
{
    cf_broken *b = arg;
    while (b->lfd >= 0) {
        struct pollfd p[2] = {{b->lfd, POLLIN, 0}, {b->wake[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR) break;
        if (p[1].revents) break;
        if (atomic_load(&b->crashed)) {
            close(b->lfd);
            b->lfd = -1;
            break;
        }
        if (!(p[0].revents & POLLIN)) continue;
        int fd = accept(b->lfd, NULL, NULL);
        if (fd >= 0) spawn(b, fd);
    }
    return NULL;
}

cf_broken *cf_broken_start(cf_broken_mode mode, unsigned long crash_over)
{
    cf_broken *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->mode = mode;
    b->crash_over = crash_over;
    b->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    int one = 1;
    setsockopt(b->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (b->lfd < 0 || bind(b->lfd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        listen(b->lfd, 64) < 0 || getsockname(b->lfd, (struct sockaddr *)&sa, &sl) < 0 ||
        pipe(b->wake) < 0) {
        if (b->lfd >= 0) close(b->lfd);
        free(b);
        return NULL;
    }
    b->port = ntohs(sa.sin_port);
    if (pthread_create(&b->thread, NULL, loop, b) != 0) {
        close(b->lfd);
        close(b->wake[0]);
        close(b->wake[1]);
        free(b);
        return NULL;
    }
    return b;
}

int cf_broken_port(const cf_broken *b)
{
    return b->port;
}

bool cf_broken_crashed(const cf_broken *b)
{
    return atomic_load(&b->crashed);
}

unsigned cf_broken_requests(const cf_broken *b)
{
    return atomic_load(&b->requests);
}

void cf_broken_stop(cf_broken *b)
{
    if (!b) return;
    if (write(b->wake[1], "x", 1) < 0) { /* the thread also ends at its next poll */
    }
    pthread_join(b->thread, NULL);
    while (atomic_load(&b->live) > 0) /* connection threads see the wake pipe too */
        usleep(1000);
    if (b->lfd >= 0) close(b->lfd);
    close(b->wake[0]);
    close(b->wake[1]);
    free(b);
}
