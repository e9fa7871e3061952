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
#include <time.h>
#include <unistd.h>

#define BUF_CAP 65536
#define IDLE_MS 2000 /* default idle_ms */
/* A fixed Date (RFC 9110 §6.6.1: an origin server with a clock MUST send one): the answers
 * keep the compliance rules, so that conform fuzz finds only the bug of the mode. */
#define DATE    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
#define OK_200  "HTTP/1.1 200 OK\r\n" DATE "Content-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
#define BAD_400 "HTTP/1.1 400 Bad Request\r\n" DATE "Content-Length: 0\r\nConnection: close\r\n\r\n"
/* The answer to a request with Connection: close (RFC 9112 §9.6: the server closes after it
 * and says so). */
#define OK_200_CLOSE                                                                               \
    "HTTP/1.1 200 OK\r\n" DATE "Content-Length: 2\r\nContent-Type: text/plain\r\n"                 \
    "Connection: close\r\n\r\nok"
/* CF_BROKEN_NO_DATE's answer. */
#define OK_200_NO_DATE "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"

struct cf_broken {
    cf_broken_mode mode;
    unsigned long crash_over;
    unsigned restart_ms, idle_ms, per_conn;
    atomic_int lfd; /* the listening socket (-1 while down); replaced on a restart */
    int port;
    int wake[2]; /* a byte here stops the thread */
    pthread_t thread;
    atomic_bool crashed, down;
    atomic_uint requests, crashes, accepts;
    atomic_uint live; /* connection threads still running */
};

/* One connection's thread argument. */
typedef struct conn_arg {
    cf_broken *b;
    int fd;
    unsigned crashes; /* crashes before it was accepted (restart mode: a later one ends it) */
    unsigned answered;
} conn_arg;

/* One request head, as this server (loosely) reads it. */
typedef struct head {
    size_t len; /* bytes of the head, empty line included */
    bool valid, te, chunked, has_cl, close;
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
        } else if (has_prefix_ci(line, n, "connection:")) {
            for (size_t i = 0; i + 5 <= n; i++)
                if (!strncasecmp(line + i, "close", 5)) h->close = true;
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

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The simulated crash: the listening socket goes (the accept loop sees it). */
static void crash(cf_broken *b)
{
    atomic_fetch_add(&b->crashes, 1);
    atomic_store(&b->crashed, true);
    /* Shut down before saying so: the accept loop closes the socket once it sees "down". */
    int l = atomic_load(&b->lfd);
    if (l >= 0) shutdown(l, SHUT_RDWR);
    atomic_store(&b->down, true);
}

/* True when the request-line of the head at buf[0..len) asks for target. */
static bool asks_for(const char *buf, size_t len, const char *target)
{
    const char *eol = memchr(buf, '\n', len);
    return memmem(buf, eol ? (size_t)(eol - buf) : len, target, strlen(target)) != NULL;
}

/* Answers every complete request in buf; returns bytes consumed, or -1 to close now. */
static long serve_buffer(conn_arg *a, const char *buf, size_t len)
{
    cf_broken *b = a->b;
    int fd = a->fd;
    size_t off = 0;
    for (;;) {
        const char *end = NULL;
        for (size_t i = off; i + 4 <= len && !end; i++)
            if (!memcmp(buf + i, "\r\n\r\n", 4)) end = buf + i + 4;
        if (!end) return (long)off;
        head h;
        read_head(buf + off, (size_t)(end - buf) - off, &h);
        if (b->per_conn && a->answered >= b->per_conn) return -1; /* close, not a word */
        if (!h.valid) {
            send_all(fd, BAD_400);
            return -1;
        }
        if (b->mode == CF_BROKEN_CRASH && h.has_cl && h.cl > b->crash_over) {
            crash(b); /* no more accepting (until a restart), this connection closed */
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
        a->answered++;
        if (h.close) {
            /* CF_BROKEN_NO_CLOSE_ECHO's bug: it closes, but its answer does not say so. */
            send_all(fd, b->mode == CF_BROKEN_NO_CLOSE_ECHO ? OK_200 : OK_200_CLOSE);
            return -1;
        }
        send_all(fd, b->mode == CF_BROKEN_NO_DATE ? OK_200_NO_DATE : OK_200);
        if (b->mode == CF_BROKEN_LATE_EXTRA && asks_for(buf + off, h.len, " /twice ")) {
            /* The bug: a second answer, later, to a request sent once. */
            sleep_ms(CF_BROKEN_LATE_MS);
            send_all(fd, OK_200);
        }
        off = (size_t)(end - buf) + body;
    }
}

/* Serves one connection until the client closes, goes idle, or the server stops. */
static void serve_conn(conn_arg *a, char *buf)
{
    cf_broken *b = a->b;
    size_t len = 0;
    for (;;) {
        struct pollfd p[2] = {{a->fd, POLLIN, 0}, {b->wake[0], POLLIN, 0}};
        if (poll(p, 2, (int)b->idle_ms) <= 0 || p[1].revents) return;
        /* A restarted server has lost the connections of before its crash. */
        if (b->restart_ms && atomic_load(&b->crashes) != a->crashes) return;
        if (len == BUF_CAP) return;
        ssize_t r = recv(a->fd, buf + len, BUF_CAP - len, 0);
        if (r <= 0) return; /* EOF (the client half-closed) or error: close */
        len += (size_t)r;
        long used = serve_buffer(a, buf, len);
        if (used < 0) return;
        memmove(buf, buf + used, len - (size_t)used);
        len -= (size_t)used;
    }
}

static void *conn_main(void *arg)
{
    conn_arg *a = arg;
    char *buf = malloc(BUF_CAP);
    if (buf) serve_conn(a, buf);
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
    if (a) *a = (conn_arg){.b = b, .fd = fd, .crashes = atomic_load(&b->crashes)};
    if (!a || pthread_create(&t, &at, conn_main, a) != 0) {
        atomic_fetch_sub(&b->live, 1);
        close(fd);
        free(a);
    }
    pthread_attr_destroy(&at);
}

/* A listening socket on 127.0.0.1:port (0: ephemeral), its port into *bound. -1 on failure. */
static int listen_on(int port, int *bound)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                             .sin_port = htons((uint16_t)port)};
    socklen_t sl = sizeof sa;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 64) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
        close(fd);
        return -1;
    }
    *bound = ntohs(sa.sin_port);
    return fd;
}

/* After a crash: closes the listening socket; with restart_ms, listens again on the same port
 * that long after. False when the loop ends (no restart, stopped, or the port is gone). */
static bool crashed_restart(cf_broken *b)
{
    close(atomic_exchange(&b->lfd, -1));
    if (!b->restart_ms) return false;
    struct pollfd w = {b->wake[0], POLLIN, 0};
    if (poll(&w, 1, (int)b->restart_ms) != 0) return false; /* stopped meanwhile */
    int port = 0, fd = listen_on(b->port, &port);
    if (fd < 0) return false;
    atomic_store(&b->lfd, fd);
    atomic_store(&b->down, false);
    return true;
}

static void *loop(void *arg)
{
    cf_broken *b = arg;
    while (atomic_load(&b->lfd) >= 0) {
        struct pollfd p[2] = {{atomic_load(&b->lfd), POLLIN, 0}, {b->wake[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR) break;
        if (p[1].revents) break;
        if (atomic_load(&b->down)) {
            if (!crashed_restart(b)) break;
            continue;
        }
        if (!(p[0].revents & POLLIN)) continue;
        int fd = accept(p[0].fd, NULL, NULL);
        if (fd >= 0) {
            atomic_fetch_add(&b->accepts, 1);
            spawn(b, fd);
        }
    }
    return NULL;
}

cf_broken *cf_broken_start(cf_broken_mode mode, unsigned long crash_over)
{
    cf_broken_opts o = {.mode = mode, .crash_over = crash_over};
    return cf_broken_start_opts(&o);
}

cf_broken *cf_broken_start_opts(const cf_broken_opts *o)
{
    cf_broken *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->mode = o->mode;
    b->crash_over = o->crash_over;
    b->restart_ms = o->restart_ms;
    b->idle_ms = o->idle_ms ? o->idle_ms : IDLE_MS;
    b->per_conn = o->per_conn;
    int fd = listen_on(0, &b->port);
    if (fd < 0 || pipe(b->wake) < 0) {
        if (fd >= 0) close(fd);
        free(b);
        return NULL;
    }
    atomic_store(&b->lfd, fd);
    if (pthread_create(&b->thread, NULL, loop, b) != 0) {
        close(fd);
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

unsigned cf_broken_crashes(const cf_broken *b)
{
    return atomic_load(&b->crashes);
}

unsigned cf_broken_accepts(const cf_broken *b)
{
    return atomic_load(&b->accepts);
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
    if (atomic_load(&b->lfd) >= 0) close(atomic_load(&b->lfd));
    close(b->wake[0]);
    close(b->wake[1]);
    free(b);
}
