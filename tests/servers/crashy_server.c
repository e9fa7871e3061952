/* A deliberately crashing HTTP server for the --exec tests (tests/test_exec.c; not a test support
 * file: it has its own main): one request per connection, 200 "ok" for every path but these: /crash
 * abort() (SIGABRT) /asan   a heap buffer overflow: an AddressSanitizer report in a
 * -fsanitize=address build (crashy_server_asan), an abort() elsewhere /alert  logs an nginx-style
 * "[alert]" line, answers 200 /ubsan  logs a UBSan-style "runtime error:" line, answers 200 Usage:
 * crashy_server PORT [MODE]; MODE: serve (the default), never-listen (runs without listening), exit
 * (exits 3 at once, saying so), ignore-term (serves, ignores SIGTERM), leak-at-exit (serves; on
 * SIGTERM says "ERROR: LeakSanitizer" and exits 23). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t term;

static void on_term(int sig)
{
    (void)sig;
    term = 1;
}

/* Reads one request head; the path into path. 0, or -1. */
static int read_head(int fd, char *path, size_t cap)
{
    char buf[4096];
    size_t n = 0;
    while (n < sizeof buf - 1) {
        ssize_t r = read(fd, buf + n, sizeof buf - 1 - n);
        if (r <= 0) return -1;
        n += (size_t)r;
        buf[n] = 0;
        if (strstr(buf, "\r\n\r\n")) break;
    }
    const char *sp = strchr(buf, ' ');
    if (!sp) return -1;
    size_t k = strcspn(sp + 1, " \r\n");
    if (k >= cap) k = cap - 1;
    memcpy(path, sp + 1, k);
    path[k] = 0;
    return 0;
}

static void overflow(void)
{
    volatile char *p = malloc(8);
    volatile size_t end = 8;
    p[end] = 'x'; /* one past the end: ASan reports a heap-buffer-overflow */
    free((void *)p);
    abort(); /* without ASan: still a crash */
}

static void serve_one(int fd)
{
    char path[256];
    if (read_head(fd, path, sizeof path) < 0) return;
    if (!strcmp(path, "/crash")) abort();
    if (!strcmp(path, "/asan")) overflow();
    if (!strcmp(path, "/alert"))
        fprintf(stderr, "2026/01/01 00:00:00 [alert] 42#0: worker process exited on signal 11\n");
    if (!strcmp(path, "/ubsan"))
        fprintf(stderr, "crashy_server.c:70:5: runtime error: signed integer overflow\n");
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    ssize_t w = write(fd, ok, sizeof ok - 1);
    (void)w;
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    const char *mode = argc > 2 ? argv[2] : "serve";
    setvbuf(stderr, NULL, _IONBF, 0);
    fprintf(stderr, "crashy_server: pid %d, mode %s\n", (int)getpid(), mode);
    if (!strcmp(mode, "exit")) {
        fprintf(stderr, "crashy_server: exiting at once\n");
        return 3;
    }
    if (!strcmp(mode, "never-listen"))
        for (;;)
            pause();
    if (!strcmp(mode, "ignore-term")) signal(SIGTERM, SIG_IGN);
    if (!strcmp(mode, "leak-at-exit")) {
        struct sigaction sa = {.sa_handler = on_term};
        sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: accept() returns EINTR */
    }
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)strtoul(argv[1], NULL, 10))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 64) < 0) {
        perror("crashy_server: bind");
        return 1;
    }
    while (!term) {
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        serve_one(c);
        close(c);
    }
    fprintf(stderr, "==1==ERROR: LeakSanitizer: detected memory leaks (pretend)\n");
    return 23;
}
