/* --exec: the watcher thread. It copies the server's output to the log file, matches each line
 * against the sanitizer and alert patterns, and reaps the process when it ends (a pidfd in the
 * same poll(): no busy loop); each becomes an event (exec_internal.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_internal.h"

/* The headers of sanitizer reports: "==123==ERROR: AddressSanitizer: ...", LeakSanitizer's
 * "==123==ERROR: LeakSanitizer", "WARNING: MemorySanitizer", "WARNING: ThreadSanitizer:" and
 * UBSan's "file.c:12:5: runtime error: ...". */
static const char sanitizer_pattern[] =
    "==[0-9]+==(?:ERROR|WARNING): [A-Za-z]+Sanitizer|WARNING: ThreadSanitizer:|"
    "WARNING: MemorySanitizer:|: runtime error: ";

static pcre2_code *compile(const char *pattern, char *err, size_t errlen)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err, errlen, "%s (at offset %zu of \"%s\")", (const char *)msg, (size_t)off,
                 pattern);
    }
    return re;
}

int cf_exec_alert_check(const char *pattern, char *err, size_t errlen)
{
    pcre2_code *re = compile(pattern, err, errlen);
    pcre2_code_free(re);
    return re ? 0 : -1;
}

int cf_exec_patterns(cf_exec *x, char *err, size_t errlen)
{
    x->alert = compile(x->o.alert ? x->o.alert : CF_EXEC_ALERT_DEFAULT, err, errlen);
    if (!x->alert) return -1;
    x->sanitizer = compile(sanitizer_pattern, err, errlen);
    x->md = x->sanitizer ? pcre2_match_data_create(4, NULL) : NULL;
    if (!x->md) snprintf(err, errlen, "out of memory");
    return x->md ? 0 : -1;
}

static bool matches(cf_exec *x, pcre2_code *re, const char *p, size_t n)
{
    return pcre2_match(re, (PCRE2_SPTR)p, n, 0, 0, x->md, NULL) >= 0;
}

/* Records an event (mu held) and wakes whoever waits for one. */
static void add_event(cf_exec *x, const exec_event *e)
{
    x->ev[x->nevents % EXEC_NEVENTS] = *e;
    x->nevents++;
    pthread_cond_broadcast(&x->cv);
}

/* A complete log line (without its newline) that started at log offset at. */
static void on_line(cf_exec *x, const char *p, size_t n, uint64_t at)
{
    exec_event e = {.log = at};
    if (matches(x, x->sanitizer, p, n))
        e.kind = EXEC_EV_SANITIZER;
    else if (matches(x, x->alert, p, n))
        e.kind = EXEC_EV_ALERT;
    else
        return;
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
        n--;
    size_t k = n < sizeof e.text - 1 ? n : sizeof e.text - 1;
    memcpy(e.text, p, k);
    for (size_t i = 0; i < k; i++) /* one line in every report: control bytes become '?' */
        if ((unsigned char)e.text[i] < 0x20 || e.text[i] == 0x7f) e.text[i] = '?';
    pthread_mutex_lock(&x->mu);
    add_event(x, &e);
    pthread_mutex_unlock(&x->mu);
}

/* Keeps the last EXEC_TAIL_MAX log bytes for excerpts (mu held). */
static void keep_tail(cf_exec *x, const char *p, size_t n)
{
    cf_buf_add(&x->tail, p, n);
    x->logged += n;
    if (x->tail.len <= EXEC_TAIL_MAX) return;
    size_t drop = x->tail.len - EXEC_TAIL_MAX / 2;
    memmove(x->tail.ptr, x->tail.ptr + drop, x->tail.len - drop + 1);
    x->tail.len -= drop;
    x->tail_start += drop;
}

/* Bytes read from the server: to the log file, the tail, and line by line to the patterns. */
static void on_output(cf_exec *x, const char *p, size_t n)
{
    if (x->log) {
        fwrite(p, 1, n, x->log);
        fflush(x->log);
    }
    pthread_mutex_lock(&x->mu);
    uint64_t start = x->logged;
    keep_tail(x, p, n);
    pthread_mutex_unlock(&x->mu);
    for (size_t i = 0; i < n; i++) {
        bool nl = p[i] == '\n';
        if (!nl) cf_buf_add(&x->line, &p[i], 1);
        if (nl || x->line.len >= EXEC_LINE_MAX) {
            uint64_t at = start + i + 1 - x->line.len - (nl ? 1 : 0);
            on_line(x, x->line.ptr ? x->line.ptr : "", x->line.len, at);
            x->line.len = 0;
        }
    }
}

void cf_exec_log_note(cf_exec *x, const char *text)
{
    cf_buf b = {0};
    cf_buf_fmt(&b, "--- conform: %s ---\n", text);
    if (!b.err) {
        if (x->log) {
            fwrite(b.ptr, 1, b.len, x->log);
            fflush(x->log);
        }
        pthread_mutex_lock(&x->mu);
        keep_tail(x, b.ptr, b.len);
        pthread_mutex_unlock(&x->mu);
    }
    cf_buf_free(&b);
}

/* Reads what the pipe holds now (rd_mu held); false once it ended (every writer closed it). */
static bool drain_locked(cf_exec *x)
{
    char buf[8192];
    for (;;) {
        ssize_t r = read(x->out, buf, sizeof buf);
        if (r > 0) {
            on_output(x, buf, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR) continue;
        return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

static bool drain(cf_exec *x)
{
    pthread_mutex_lock(&x->rd_mu);
    bool open = drain_locked(x);
    pthread_mutex_unlock(&x->rd_mu);
    return open;
}

void cf_exec_sync(cf_exec *x)
{
    if (x->out >= 0) drain(x);
}

/* Reaps the process when it ended: the output it wrote before is read first, so its lines
 * are events before its exit. True once reaped. */
static bool reap(cf_exec *x, bool *out_open)
{
    int st;
    pid_t r = waitpid(x->pid, &st, WNOHANG);
    if (r != x->pid) return false;
    if (*out_open) *out_open = drain(x);
    pthread_mutex_lock(&x->mu);
    exec_event e = {.kind = EXEC_EV_EXIT, .status = st, .log = x->logged};
    x->exited = true;
    x->status = st;
    add_event(x, &e);
    pthread_mutex_unlock(&x->mu);
    return true;
}

static void *watch(void *arg)
{
    cf_exec *x = arg;
    bool out_open = true, reaped = false;
    while (out_open || !reaped) {
        struct pollfd fds[3] = {{x->wake[0], POLLIN, 0},
                                {out_open ? x->out : -1, POLLIN, 0},
                                {reaped ? -1 : x->pidfd, POLLIN, 0}};
        /* without a pidfd, waitpid is asked every 100 ms */
        int timeout = !reaped && x->pidfd < 0 ? 100 : -1;
        if (poll(fds, 3, timeout) < 0 && errno != EINTR) break;
        if (fds[0].revents) break;
        if (out_open && fds[1].revents) out_open = drain(x);
        if (!reaped) reaped = reap(x, &out_open);
    }
    return NULL;
}

int cf_exec_watch_start(cf_exec *x)
{
    x->watching = pthread_create(&x->watcher, NULL, watch, x) == 0;
    return x->watching ? 0 : -1;
}

void cf_exec_watch_stop(cf_exec *x)
{
    if (x->watching) {
        char c = 1;
        ssize_t w = write(x->wake[1], &c, 1);
        (void)w;
        pthread_join(x->watcher, NULL);
        x->watching = false;
        char buf[64];
        while (read(x->wake[0], buf, sizeof buf) > 0) {
        }
    }
    if (x->out >= 0) {
        drain(x); /* what the server wrote last */
        pthread_mutex_lock(&x->rd_mu);
        if (x->line.len) on_line(x, x->line.ptr, x->line.len, x->logged - x->line.len);
        pthread_mutex_unlock(&x->rd_mu);
        x->line.len = 0;
        close(x->out);
        x->out = -1;
    }
}

/* The name of the signals a crash or a stop usually shows. */
static const char *signame(int sig)
{
    switch (sig) {
    case SIGABRT: return "SIGABRT";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGTRAP: return "SIGTRAP";
    default: return "a signal";
    }
}

void cf_exec_describe(const exec_event *e, cf_buf *b)
{
    if (e->kind == EXEC_EV_SANITIZER) {
        cf_buf_fmt(b, "logged a sanitizer report: %s", e->text);
    } else if (e->kind == EXEC_EV_ALERT) {
        cf_buf_fmt(b, "logged a line matching --exec-alert: %s", e->text);
    } else if (WIFSIGNALED(e->status)) {
        cf_buf_fmt(b, "crashed (signal %d, %s)", WTERMSIG(e->status), signame(WTERMSIG(e->status)));
    } else {
        int st = WEXITSTATUS(e->status);
        cf_buf_fmt(b, "exited (status %d", st);
        if (st > 128 && st < 128 + 32) /* a shell's report of its command's signal */
            cf_buf_fmt(b, ": a shell's report of signal %d, %s", st - 128, signame(st - 128));
        cf_buf_str(b, ")");
    }
}

/* The start of the line holding offset at in the tail (at >= tail_start). */
static size_t line_start(const cf_exec *x, uint64_t at)
{
    size_t i = (size_t)(at - x->tail_start);
    if (i > x->tail.len) i = x->tail.len;
    while (i > 0 && x->tail.ptr[i - 1] != '\n')
        i--;
    return i;
}

/* The log offset of the first line event since mark, or UINT64_MAX. */
static uint64_t first_line_event(const cf_exec *x, cf_exec_mark mark)
{
    uint64_t i = mark.events;
    if (x->nevents - i > EXEC_NEVENTS) i = x->nevents - EXEC_NEVENTS;
    for (; i < x->nevents; i++)
        if (x->ev[i % EXEC_NEVENTS].kind != EXEC_EV_EXIT) return x->ev[i % EXEC_NEVENTS].log;
    return UINT64_MAX;
}

char *cf_exec_excerpt(cf_exec *x, cf_exec_mark mark)
{
    cf_buf b = {0};
    uint64_t from = mark.log > x->tail_start ? mark.log : x->tail_start;
    if (x->logged - from > CF_EXEC_EXCERPT) { /* the report's header, else the last bytes */
        uint64_t ev = first_line_event(x, mark);
        from = ev != UINT64_MAX && ev >= from ? ev : x->logged - CF_EXEC_EXCERPT;
    }
    size_t s = from > x->tail_start ? line_start(x, from) : 0;
    size_t n = x->tail.len - s;
    size_t more = 0;
    if (n > CF_EXEC_EXCERPT) {
        more = n - CF_EXEC_EXCERPT;
        n = CF_EXEC_EXCERPT;
        while (n > 0 && x->tail.ptr[s + n - 1] != '\n')
            n--; /* whole lines */
        more = x->tail.len - s - n;
    }
    if (n) cf_buf_add(&b, x->tail.ptr + s, n);
    if (n && x->tail.ptr[s + n - 1] != '\n') cf_buf_str(&b, "\n");
    if (!n) cf_buf_str(&b, "(the server wrote nothing to its log meanwhile)\n");
    if (more) cf_buf_fmt(&b, "[... %zu bytes more]\n", more);
    cf_buf_fmt(&b, "(server log: %s)", x->o.log_path);
    return cf_buf_take(&b);
}
