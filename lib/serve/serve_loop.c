/* conform serve: the listening socket and the event loop. One background thread polls the
 * listener, a wake-up pipe and every connection (nonblocking I/O, no other threads). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "serve_internal.h"

struct cf_server {
    int lfd;
    int wake[2]; /* cf_serve_stop writes to wake[1] */
    pthread_t thread;
    int port;
    char url[96];
    cf_serve_cfg cfg;
    int loopback; /* bound to a loopback address only */
    cf_sconn **conns;
    size_t nconns, cap; /* cap: room in conns and pfds (grows up to cfg.max_conns) */
    struct pollfd *pfds;
    int64_t accept_after; /* accepting pauses until then (out of descriptors, full) */
    int warned_fds, warned_poll;
};

#define CF_FD_RESERVE      8   /* descriptors kept for stdio, the listener, the wake pipe, logs */
#define CF_ACCEPT_PAUSE_MS 100 /* accepting pauses this long when no descriptor can be freed */
#define CF_ACCEPT_BURST    256 /* connections accepted per round, so open ones are not starved */

void cf_serve_options_default(cf_serve_options *o)
{
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1:0";
    o->max_conns = 0; /* the descriptor limit */
    o->max_body = 1024 * 1024;
    o->idle_timeout_ms = 10000;
    o->head_timeout_ms = 10000;
}

/* Connections the descriptor limit (RLIMIT_NOFILE, soft) leaves room for. */
static size_t fd_budget(void)
{
    struct rlimit rl;
    rlim_t n = 1024;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) n = rl.rlim_cur;
    if (n > 1u << 20) n = 1u << 20;
    return n > 2 * CF_FD_RESERVE ? (size_t)n - CF_FD_RESERVE : CF_FD_RESERVE;
}

int cf_serve_raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
    if (rl.rlim_cur == rl.rlim_max) return 0;
    rl.rlim_cur = rl.rlim_max;
    return setrlimit(RLIMIT_NOFILE, &rl);
}

/* Splits "host:port" or "[v6]:port" into host and port; returns 0, -1 (not that shape) or -2
 * (the port is not 0..65535; 0 asks for an ephemeral port). */
static int split_listen(const char *s, char *host, size_t hcap, char *port, size_t pcap)
{
    const char *colon, *h = s, *hend;
    if (*s == '[') {
        hend = strchr(s, ']');
        if (!hend || hend[1] != ':') return -1;
        h = s + 1;
        colon = hend + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || memchr(s, ':', (size_t)(colon - s))) return -1;
        hend = colon;
    }
    size_t hl = (size_t)(hend - h), pl = strlen(colon + 1);
    if (hl == 0 || hl >= hcap || pl == 0) return -1;
    for (const char *p = colon + 1; *p; p++)
        if (*p < '0' || *p > '9') return -1;
    char *end;
    unsigned long v = strtoul(colon + 1, &end, 10);
    if (v > 65535 || pl >= pcap) return -2;
    memcpy(host, h, hl);
    host[hl] = '\0';
    memcpy(port, colon + 1, pl + 1);
    return 0;
}

static int open_listener(const char *listen_addr, cf_server *s, char *err, size_t errlen)
{
    char host[256], port[8];
    int sp = split_listen(listen_addr, host, sizeof host, port, sizeof port);
    if (sp != 0) {
        snprintf(err, errlen, "%s: %s", listen_addr,
                 sp == -2 ? "the port is out of range (1..65535, or 0 for any free port)"
                          : "expected HOST:PORT or [IPV6]:PORT");
        return -1;
    }
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "%s: %s", listen_addr, gai_strerror(gai));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        snprintf(err, errlen, "%s: %s", listen_addr, strerror(errno));
        if (fd >= 0) close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char num[INET6_ADDRSTRLEN] = "?";
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &a->sin6_addr, num, sizeof num);
        s->port = ntohs(a->sin6_port);
        s->loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr) ||
                      (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && a->sin6_addr.s6_addr[12] == 127);
        snprintf(s->url, sizeof s->url, "http://[%s]:%d", num, s->port);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, num, sizeof num);
        s->port = ntohs(a->sin_port);
        s->loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127; /* 127.0.0.0/8 */
        snprintf(s->url, sizeof s->url, "http://%s:%d", num, s->port);
    }
    s->lfd = fd;
    return 0;
}

static void peer_name(const struct sockaddr_storage *ss, char *out, size_t cap)
{
    char num[INET6_ADDRSTRLEN] = "?";
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &a->sin6_addr, num, sizeof num);
        snprintf(out, cap, "[%s]:%d", num, ntohs(a->sin6_port));
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &a->sin_addr, num, sizeof num);
        snprintf(out, cap, "%s:%d", num, ntohs(a->sin_port));
    }
}

/* One warning line on cfg.warn (the command's stderr), or nothing when it is NULL. */
static void warn(const cf_server *s, const char *what, int err)
{
    if (!s->cfg.warn) return;
    fprintf(s->cfg.warn, "conform serve: %s (%s) with %zu connections open\n", what, strerror(err),
            s->nconns);
    fflush(s->cfg.warn);
}

/* Closes the connection that has waited longest for a request, so a new client gets its
 * descriptor and slot: idle and slow connections give way first, busy ones never. Returns 0, or
 * -1 when every connection is busy. */
static int drop_oldest_idle(cf_server *s)
{
    size_t best = s->nconns;
    int64_t oldest = INT64_MAX;
    for (size_t i = 0; i < s->nconns; i++) {
        int64_t t = cf_sconn_idle_since(s->conns[i]);
        if (t >= 0 && t < oldest) oldest = t, best = i;
    }
    if (best == s->nconns) return -1;
    cf_sconn_free(s->conns[best]);
    s->conns[best] = s->conns[--s->nconns];
    return 0;
}

/* Makes room for one more connection: grows the tables, or at the cap drops the oldest idle
 * one. Returns 0, or -1 when there is no room. */
static int make_room(cf_server *s)
{
    if (s->nconns >= s->cfg.max_conns) return drop_oldest_idle(s);
    if (s->nconns < s->cap) return 0;
    size_t cap = s->cap * 2 > s->cfg.max_conns ? s->cfg.max_conns : s->cap * 2;
    cf_sconn **c = realloc(s->conns, cap * sizeof *c);
    if (c) s->conns = c;
    struct pollfd *p = c ? realloc(s->pfds, (cap + 2) * sizeof *p) : NULL;
    if (p) s->pfds = p;
    if (!c || !p) return -1;
    s->cap = cap;
    return 0;
}

/* accept() failed with err: out of descriptors or memory drops the oldest idle connection (or,
 * when none is idle, pauses accepting) and is reported once; others are per-connection. Returns
 * 0 to go on accepting, -1 to stop this round. */
static int accept_failed(cf_server *s, int err, int64_t now)
{
    if (err == EAGAIN || err == EWOULDBLOCK) return -1;
    if (err == EINTR || err == ECONNABORTED || err == EPROTO || err == EPERM) return 0;
    int fds = err == EMFILE || err == ENFILE;
    if (fds && !s->warned_fds) {
        s->warned_fds = 1;
        warn(s, "out of file descriptors: dropping the oldest idle connections", err);
    } else if (!fds && !s->warned_poll) {
        s->warned_poll = 1;
        warn(s, "accept failed: pausing", err);
    }
    if ((fds || err == ENOBUFS || err == ENOMEM) && drop_oldest_idle(s) == 0) return 0;
    s->accept_after = now + CF_ACCEPT_PAUSE_MS;
    return -1;
}

/* Accepts pending connections, a burst at a time. */
static void accept_all(cf_server *s, int64_t now)
{
    for (int i = 0; i < CF_ACCEPT_BURST; i++) {
        if (make_room(s) != 0) {
            s->accept_after = now + CF_ACCEPT_PAUSE_MS; /* every connection is busy */
            return;
        }
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (accept_failed(s, errno, now) != 0) return;
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        char peer[64];
        peer_name(&ss, peer, sizeof peer);
        cf_sconn *c = cf_sconn_new(fd, peer, &s->cfg, now);
        if (c) s->conns[s->nconns++] = c;
    }
}

/* Fills s->pfds: [0] wake pipe, [1] listener (fd -1 while accepting pauses), then connections.
 * Returns the poll timeout: the nearest connection deadline or the end of a pause. */
static int poll_timeout(cf_server *s, int64_t now)
{
    int64_t t = 1000;
    int paused = now < s->accept_after;
    if (paused) t = s->accept_after - now;
    s->pfds[0] = (struct pollfd){.fd = s->wake[0], .events = POLLIN};
    s->pfds[1] = (struct pollfd){.fd = paused ? -1 : s->lfd, .events = POLLIN};
    for (size_t i = 0; i < s->nconns; i++) {
        s->pfds[i + 2] =
            (struct pollfd){.fd = cf_sconn_fd(s->conns[i]), .events = cf_sconn_events(s->conns[i])};
        int64_t d = cf_sconn_deadline(s->conns[i]) - now;
        if (d < t) t = d < 0 ? 0 : d;
    }
    return (int)t;
}

/* Serves the connections poll() reported on, and times out the ones past their deadline. */
static void serve_round(cf_server *s, size_t n, int64_t now)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        cf_sconn *c = s->conns[i];
        short rev = s->pfds[i + 2].revents;
        int rc = rev ? cf_sconn_io(c, rev, now) : 0;
        if (rc == 0 && now >= cf_sconn_deadline(c)) rc = cf_sconn_timeout(c, now);
        if (rc == 0)
            s->conns[kept++] = c;
        else
            cf_sconn_free(c);
    }
    s->nconns = kept;
}

static void *serve_thread(void *arg)
{
    cf_server *s = arg;
    for (;;) {
        int64_t now = (int64_t)cf_now_ms();
        size_t n = s->nconns;
        int timeout = poll_timeout(s, now);
        if (poll(s->pfds, n + 2, timeout) < 0) {
            if (errno == EINTR) continue;
            /* ENOMEM (or EINVAL past the descriptor limit): report, wait, retry; the thread
             * never ends but by cf_serve_stop. */
            if (!s->warned_poll) warn(s, "poll failed: retrying", errno);
            s->warned_poll = 1;
            struct timespec ts = {0, CF_ACCEPT_PAUSE_MS * 1000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        if (s->pfds[0].revents) break;
        now = (int64_t)cf_now_ms();
        serve_round(s, n, now);
        short lrev = s->pfds[1].revents;
        if (lrev & POLLIN) {
            accept_all(s, now);
        } else if (lrev & (POLLERR | POLLHUP | POLLNVAL)) {
            /* a listener in error would wake every poll(): report it and retry later */
            int e = 0;
            socklen_t el = sizeof e;
            getsockopt(s->lfd, SOL_SOCKET, SO_ERROR, &e, &el);
            if (!s->warned_poll) warn(s, "the listening socket failed: pausing", e ? e : EIO);
            s->warned_poll = 1;
            s->accept_after = now + CF_ACCEPT_PAUSE_MS;
        }
    }
    return NULL;
}

static void server_free(cf_server *s)
{
    for (size_t i = 0; i < s->nconns; i++)
        cf_sconn_free(s->conns[i]);
    if (s->lfd >= 0) close(s->lfd);
    if (s->wake[0] >= 0) close(s->wake[0]);
    if (s->wake[1] >= 0) close(s->wake[1]);
    free(s->conns);
    free(s->pfds);
    free(s);
}

int cf_serve_start(const cf_serve_options *opt, cf_server **out, char *err, size_t errlen)
{
    cf_serve_options d;
    cf_serve_options_default(&d);
    *out = NULL;
    cf_server *s = calloc(1, sizeof *s);
    if (!s) return snprintf(err, errlen, "out of memory"), -1;
    s->lfd = s->wake[0] = s->wake[1] = -1;
    s->cfg.log = opt ? opt->log : NULL;
    s->cfg.warn = opt ? opt->warn : NULL;
    s->cfg.max_conns = opt && opt->max_conns ? opt->max_conns : fd_budget();
    s->cfg.max_body = opt && opt->max_body ? opt->max_body : d.max_body;
    s->cfg.idle_timeout_ms = opt && opt->idle_timeout_ms ? opt->idle_timeout_ms : d.idle_timeout_ms;
    s->cfg.head_timeout_ms = opt && opt->head_timeout_ms ? opt->head_timeout_ms : d.head_timeout_ms;
    s->cfg.trace = opt && opt->trace;
    s->cap = s->cfg.max_conns < 64 ? s->cfg.max_conns : 64; /* grows with the load */
    s->conns = calloc(s->cap, sizeof *s->conns);
    s->pfds = calloc(s->cap + 2, sizeof *s->pfds);
    if (!s->conns || !s->pfds || pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(err, errlen, "cannot set up the server: %s", strerror(errno ? errno : ENOMEM));
        server_free(s);
        return -1;
    }
    if (open_listener(opt && opt->listen ? opt->listen : d.listen, s, err, errlen) != 0) {
        server_free(s);
        return -1;
    }
    int rc = pthread_create(&s->thread, NULL, serve_thread, s);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the server thread: %s", strerror(rc));
        server_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int cf_server_port(const cf_server *s)
{
    return s->port;
}

const char *cf_server_url(const cf_server *s)
{
    return s->url;
}

int cf_server_loopback(const cf_server *s)
{
    return s->loopback;
}

void cf_serve_stop(cf_server *s)
{
    if (!s) return;
    char b = 1;
    while (write(s->wake[1], &b, 1) < 0 && errno == EINTR) {
    }
    pthread_join(s->thread, NULL);
    server_free(s);
}
