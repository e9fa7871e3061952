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
    cf_sconn **conns;
    size_t nconns;
    struct pollfd *pfds;
};

void cf_serve_options_default(cf_serve_options *o)
{
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1:0";
    o->max_conns = 128;
    o->max_body = 1024 * 1024;
    o->idle_timeout_ms = 10000;
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
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 128) != 0) {
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
        snprintf(s->url, sizeof s->url, "http://[%s]:%d", num, s->port);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, num, sizeof num);
        s->port = ntohs(a->sin_port);
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

/* Accepts pending connections up to the cap. */
static void accept_all(cf_server *s, int64_t now)
{
    while (s->nconns < s->cfg.max_conns) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return; /* EAGAIN, or out of descriptors: retried on the next round */
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        char peer[64];
        peer_name(&ss, peer, sizeof peer);
        cf_sconn *c = cf_sconn_new(fd, peer, &s->cfg, now);
        if (c) s->conns[s->nconns++] = c;
    }
}

/* Fills s->pfds: [0] wake pipe, [1] listener (fd -1 at the cap), then connections. */
static int poll_timeout(cf_server *s, int64_t now)
{
    int64_t t = 1000;
    s->pfds[0] = (struct pollfd){.fd = s->wake[0], .events = POLLIN};
    s->pfds[1] =
        (struct pollfd){.fd = s->nconns < s->cfg.max_conns ? s->lfd : -1, .events = POLLIN};
    for (size_t i = 0; i < s->nconns; i++) {
        s->pfds[i + 2] =
            (struct pollfd){.fd = cf_sconn_fd(s->conns[i]), .events = cf_sconn_events(s->conns[i])};
        int64_t d = cf_sconn_deadline(s->conns[i]) - now;
        if (d < t) t = d < 0 ? 0 : d;
    }
    return (int)t;
}

static void *serve_thread(void *arg)
{
    cf_server *s = arg;
    for (;;) {
        int64_t now = (int64_t)cf_now_ms();
        size_t n = s->nconns;
        int timeout = poll_timeout(s, now);
        if (poll(s->pfds, n + 2, timeout) < 0 && errno != EINTR) break;
        if (s->pfds[0].revents) break;
        now = (int64_t)cf_now_ms();
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
        if (s->pfds[1].revents & POLLIN) accept_all(s, now);
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
    s->cfg.max_conns = opt && opt->max_conns ? opt->max_conns : d.max_conns;
    s->cfg.max_body = opt && opt->max_body ? opt->max_body : d.max_body;
    s->cfg.idle_timeout_ms = opt && opt->idle_timeout_ms ? opt->idle_timeout_ms : d.idle_timeout_ms;
    s->conns = calloc(s->cfg.max_conns, sizeof *s->conns);
    s->pfds = calloc(s->cfg.max_conns + 2, sizeof *s->pfds);
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

void cf_serve_stop(cf_server *s)
{
    if (!s) return;
    char b = 1;
    while (write(s->wake[1], &b, 1) < 0 && errno == EINTR) {
    }
    pthread_join(s->thread, NULL);
    server_free(s);
}
