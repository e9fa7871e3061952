/* --exec: starting, restarting and stopping the server under test (exec.h). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec_internal.h"
#include "util_clock.h"

#define PORT_POLL_MS 50 /* between two connects while waiting for the port */

extern char **environ;

void cf_exec_opts_default(cf_exec_opts *o)
{
    memset(o, 0, sizeof *o);
    o->wait_ms = CF_EXEC_WAIT_MS;
    o->grace_ms = CF_EXEC_GRACE_MS;
}

/* Waits on x->cv until ms pass (mu held); wakes early on any event. */
static void wait_ms(cf_exec *x, unsigned ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&x->cv, &x->mu, &ts);
}

/* Waits on x->cv until the process exited or ms passed; true when it exited. */
static bool wait_exit(cf_exec *x, unsigned ms)
{
    uint64_t until = cf_now_ms() + ms;
    pthread_mutex_lock(&x->mu);
    for (uint64_t now = cf_now_ms(); !x->exited && x->watching && now < until; now = cf_now_ms())
        wait_ms(x, (unsigned)(until - now));
    bool exited = x->exited;
    pthread_mutex_unlock(&x->mu);
    return exited;
}

/* Starts COMMAND in a new session (its own process group), stdin /dev/null, stdout and stderr
 * into a pipe; the default action for the signals conform catches or ignores. 0, or -1. */
static int spawn(cf_exec *x, char *err, size_t errlen)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_adddup2(&fa, p[1], 2);
    posix_spawnattr_init(&at);
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGPIPE);
    sigaddset(&dfl, SIGCHLD);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dfl);
    posix_spawnattr_setflags(&at,
                             POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char *argv[] = {"sh", "-c", (char *)x->o.command, NULL};
    int rc = posix_spawn(&x->pid, "/bin/sh", &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        x->pid = 0;
        snprintf(err, errlen, "cannot start /bin/sh: %s", strerror(rc));
        return -1;
    }
    x->out = p[0];
    fcntl(x->out, F_SETFL, fcntl(x->out, F_GETFL) | O_NONBLOCK);
    x->pidfd = (int)syscall(SYS_pidfd_open, x->pid, 0);
    x->exited = false;
    if (cf_exec_watch_start(x) == 0) return 0;
    snprintf(err, errlen, "cannot start the thread watching the server");
    kill(-x->pid, SIGKILL);
    waitpid(x->pid, NULL, 0);
    return -1;
}

/* True when host:port accepts a TCP connection now (within PORT_POLL_MS). */
static bool accepts(const cf_exec *x)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (getaddrinfo(x->o.host, x->o.port, &hints, &ai) != 0) return false;
    bool ok = false;
    for (struct addrinfo *a = ai; a && !ok; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            ok = true;
        } else if (errno == EINPROGRESS) {
            struct pollfd pf = {fd, POLLOUT, 0};
            int e = 0;
            socklen_t el = sizeof e;
            ok = poll(&pf, 1, PORT_POLL_MS) == 1 &&
                 getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0;
        }
        close(fd);
    }
    freeaddrinfo(ai);
    return ok;
}

/* Appends the last lines of the log to err, after its message. */
static void with_tail(cf_exec *x, char *err, size_t errlen)
{
    pthread_mutex_lock(&x->mu);
    cf_exec_mark from = {x->nevents, x->logged > 1024 ? x->logged - 1024 : 0};
    char *ex = cf_exec_excerpt(x, from);
    pthread_mutex_unlock(&x->mu);
    size_t n = strlen(err);
    if (ex && n + 1 < errlen) snprintf(err + n, errlen - n, "; the end of its log:\n%s", ex);
    free(ex);
}

/* Waits until the port accepts a connection, the server exits, or wait_ms pass. 0 or -1. */
static int wait_port(cf_exec *x, char *err, size_t errlen)
{
    uint64_t until = cf_now_ms() + x->o.wait_ms;
    for (;;) {
        if (accepts(x)) return 0;
        pthread_mutex_lock(&x->mu);
        bool exited = x->exited;
        int st = x->status;
        if (!exited && cf_now_ms() < until) wait_ms(x, PORT_POLL_MS);
        exited = x->exited;
        st = x->status;
        pthread_mutex_unlock(&x->mu);
        if (exited) {
            cf_buf b = {0};
            exec_event e = {.kind = EXEC_EV_EXIT, .status = st};
            cf_exec_describe(&e, &b);
            snprintf(err, errlen, "the server %s before %s:%s accepted a connection",
                     b.ptr ? b.ptr : "exited", x->o.host, x->o.port);
            cf_buf_free(&b);
            return -1;
        }
        if (cf_now_ms() >= until) {
            snprintf(err, errlen, "%s:%s did not accept a connection within --exec-wait (%u ms)",
                     x->o.host, x->o.port, x->o.wait_ms);
            return -1;
        }
    }
}

/* Once the process exited: reaps the members of its group that ended (conform is their
 * subreaper: a server the shell forked is reparented to it) and tells whether none is left. */
static bool group_gone(cf_exec *x)
{
    while (waitpid(-x->pid, NULL, WNOHANG) > 0) {
    }
    return kill(-x->pid, 0) < 0 && errno == ESRCH;
}

/* Waits up to ms for the process to end, then for the rest of its group. True when all did. */
static bool wait_gone(cf_exec *x, unsigned ms)
{
    uint64_t until = cf_now_ms() + ms;
    if (!wait_exit(x, ms)) return false;
    for (;;) { /* the group's other members have no pidfd: asked every PORT_POLL_MS */
        if (group_gone(x)) return true;
        if (cf_now_ms() >= until) return false;
        struct timespec ts = {0, PORT_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Kills the group, reaps the process and stops the watcher (after a failed start). */
static void kill_now(cf_exec *x)
{
    if (x->pid > 0) {
        kill(-x->pid, SIGKILL);
        wait_gone(x, 10000);
    }
    cf_exec_watch_stop(x);
    if (x->pid > 0 && !x->exited && waitpid(x->pid, &x->status, 0) == x->pid) x->exited = true;
    if (x->pidfd >= 0) close(x->pidfd);
    x->pidfd = -1;
}

/* Spawns and waits for the port; on failure the server is killed and err has the log's end. */
static int launch(cf_exec *x, char *err, size_t errlen)
{
    if (accepts(x)) {
        snprintf(err, errlen,
                 "%s:%s accepts connections before the server was started: another server "
                 "listens there, and the cases would test it instead",
                 x->o.host, x->o.port);
        return -1;
    }
    if (spawn(x, err, errlen) < 0) return -1;
    if (wait_port(x, err, errlen) == 0) return 0;
    kill_now(x);
    with_tail(x, err, errlen);
    return -1;
}

int cf_exec_start(const cf_exec_opts *o, cf_exec **out, char *err, size_t errlen)
{
    *out = NULL;
    cf_exec *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    x->o = *o;
    /* a server the shell forks outlives the shell on SIGTERM: as its subreaper, conform can
     * wait for it and reap it */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    x->out = x->pidfd = x->wake[0] = x->wake[1] = -1;
    pthread_mutex_init(&x->mu, NULL);
    pthread_mutex_init(&x->rd_mu, NULL);
    pthread_cond_init(&x->cv, NULL);
    if (cf_exec_patterns(x, err, errlen) < 0 || pipe2(x->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
        if (x->md) snprintf(err, errlen, "pipe: %s", strerror(errno));
        cf_exec_free(x);
        return -1;
    }
    x->log = fopen(o->log_path, "we");
    if (!x->log) {
        snprintf(err, errlen, "cannot write the server log %s: %s", o->log_path, strerror(errno));
        cf_exec_free(x);
        return -1;
    }
    if (launch(x, err, errlen) < 0) {
        cf_exec_free(x);
        return -1;
    }
    *out = x;
    return 0;
}

cf_exec_mark cf_exec_mark_now(cf_exec *x)
{
    pthread_mutex_lock(&x->mu);
    cf_exec_mark m = {x->nevents, x->logged};
    pthread_mutex_unlock(&x->mu);
    return m;
}

void cf_exec_settle(cf_exec *x, unsigned ms)
{
    /* a port that refuses connections is a server going down (a loaded machine may take its
     * time to reap it): its exit is waited for, up to --exec-wait */
    if (!wait_exit(x, ms) && !accepts(x)) wait_exit(x, x->o.wait_ms);
}

/* The events since mark as one line ("...: A; B; C"), or NULL (mu held). */
static char *events_line(cf_exec *x, cf_exec_mark mark, const char *lead)
{
    if (x->nevents <= mark.events) return NULL;
    cf_buf b = {0};
    cf_buf_fmt(&b, "%sthe server under test ", lead);
    uint64_t i = mark.events, shown = 0;
    if (x->nevents - i > EXEC_NEVENTS) i = x->nevents - EXEC_NEVENTS;
    for (; i < x->nevents && shown < 3; i++, shown++) {
        if (shown) cf_buf_str(&b, "; ");
        cf_exec_describe(&x->ev[i % EXEC_NEVENTS], &b);
    }
    if (i < x->nevents) cf_buf_fmt(&b, "; and %llu more", (unsigned long long)(x->nevents - i));
    return cf_buf_take(&b);
}

char *cf_exec_blame(cf_exec *x, cf_exec_mark mark, const char *lead, char **excerpt)
{
    *excerpt = NULL;
    cf_exec_sync(x);
    pthread_mutex_lock(&x->mu);
    char *why = events_line(x, mark, lead);
    if (why) *excerpt = cf_exec_excerpt(x, mark);
    pthread_mutex_unlock(&x->mu);
    return why;
}

bool cf_exec_running(cf_exec *x)
{
    pthread_mutex_lock(&x->mu);
    bool r = x->pid > 0 && !x->exited;
    pthread_mutex_unlock(&x->mu);
    return r;
}

int cf_exec_restart(cf_exec *x, char *err, size_t errlen)
{
    kill_now(x); /* what is left of the group, and the old watcher */
    x->restarts++;
    char note[64];
    snprintf(note, sizeof note, "restart %u", x->restarts);
    cf_exec_log_note(x, note);
    return launch(x, err, errlen);
}

unsigned cf_exec_restarts(const cf_exec *x)
{
    return x->restarts;
}

/* Signals the group and waits up to ms for all of it to end; true when it did. */
static bool signal_wait(cf_exec *x, int sig, unsigned ms)
{
    kill(-x->pid, sig);
    return wait_gone(x, ms);
}

int cf_exec_stop(cf_exec *x, char **why, char **excerpt)
{
    *why = *excerpt = NULL;
    if (x->pid <= 0) return 0;
    cf_exec_mark mark = cf_exec_mark_now(x);
    bool was_running = cf_exec_running(x) || !group_gone(x);
    bool killed = was_running && !signal_wait(x, SIGTERM, x->o.grace_ms);
    if (killed) signal_wait(x, SIGKILL, 10000);
    kill_now(x); /* members of the group still there, the watcher */
    int st = x->status;
    bool clean = !was_running ||
                 (WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 128 + SIGTERM)) ||
                 (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    x->pid = 0;
    pthread_mutex_lock(&x->mu);
    cf_buf b = {0};
    if (killed)
        cf_buf_fmt(&b,
                   "the server did not stop within --exec-grace (%u ms) of SIGTERM and "
                   "was killed (SIGKILL)",
                   x->o.grace_ms);
    uint64_t nline = 0;
    for (uint64_t i = mark.events; i < x->nevents; i++)
        nline += x->ev[i % EXEC_NEVENTS].kind != EXEC_EV_EXIT;
    if (!killed && (!clean || nline)) {
        cf_buf_str(&b, "at the end of the run, the server under test ");
        if (!clean) cf_exec_describe(&(exec_event){.kind = EXEC_EV_EXIT, .status = st}, &b);
        for (uint64_t i = mark.events; i < x->nevents; i++)
            if (x->ev[i % EXEC_NEVENTS].kind != EXEC_EV_EXIT) {
                cf_buf_str(&b, clean ? "" : "; it ");
                cf_exec_describe(&x->ev[i % EXEC_NEVENTS], &b);
                break;
            }
    }
    if (b.len) *excerpt = cf_exec_excerpt(x, mark);
    pthread_mutex_unlock(&x->mu);
    *why = b.len ? cf_buf_take(&b) : NULL;
    cf_buf_free(&b);
    return *why ? 1 : 0;
}

int cf_exec_pgid(cf_exec *x)
{
    return cf_exec_running(x) ? (int)x->pid : 0;
}

const char *cf_exec_log_path(const cf_exec *x)
{
    return x->o.log_path;
}

void cf_exec_free(cf_exec *x)
{
    if (!x) return;
    kill_now(x);
    if (x->log) fclose(x->log);
    for (int i = 0; i < 2; i++)
        if (x->wake[i] >= 0) close(x->wake[i]);
    pcre2_match_data_free(x->md);
    pcre2_code_free(x->alert);
    pcre2_code_free(x->sanitizer);
    cf_buf_free(&x->line);
    cf_buf_free(&x->tail);
    pthread_cond_destroy(&x->cv);
    pthread_mutex_destroy(&x->mu);
    pthread_mutex_destroy(&x->rd_mu);
    free(x);
}
