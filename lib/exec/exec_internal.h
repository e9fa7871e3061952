/* --exec: what the supervisor's process side (exec_proc.c) and its watcher (exec_watch.c)
 * share. Every field below mu is read and written under mu once the watcher runs. */
#ifndef CF_EXEC_INTERNAL_H
#define CF_EXEC_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/types.h>

#include "exec.h"
#include "util_buf.h"

#define EXEC_NEVENTS  64         /* events kept; older ones are counted only */
#define EXEC_LINE_MAX 4096       /* a longer log line is matched in pieces of this size */
#define EXEC_TAIL_MAX (64 << 10) /* log bytes kept in memory for excerpts */

typedef enum exec_kind { EXEC_EV_EXIT, EXEC_EV_SANITIZER, EXEC_EV_ALERT } exec_kind;

/* One thing noticed: an exit, or a log line that matched. */
typedef struct exec_event {
    exec_kind kind;
    int status;     /* EXIT: the wait status */
    char text[240]; /* SANITIZER, ALERT: the line (cut) */
    uint64_t log;   /* the log offset of the line, or of the log's end at the exit */
} exec_event;

struct cf_exec {
    cf_exec_opts o;
    FILE *log;
    pcre2_code *alert, *sanitizer;
    pcre2_match_data *md;
    pthread_t watcher;
    bool watching;
    int wake[2]; /* written to stop the watcher */
    pid_t pid;   /* the process (group) started; 0 when none */
    int pidfd;   /* -1: the watcher polls waitpid every 100 ms instead */
    int out;     /* the read end of the server's stdout+stderr; -1 once it ended */
    unsigned restarts;
    pthread_mutex_t rd_mu; /* held by whoever reads out: the watcher, or cf_exec_blame's sync */
    cf_buf line;           /* the log line being read (under rd_mu) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool exited; /* the process ended; status is its wait status */
    int status;
    exec_event ev[EXEC_NEVENTS]; /* event i is ev[i % EXEC_NEVENTS] */
    uint64_t nevents;
    cf_buf tail; /* the last log bytes, from offset tail_start */
    uint64_t tail_start;
    uint64_t logged; /* log bytes so far */
};

/* Compiles the alert and sanitizer patterns into x; 0, or -1 with a message. */
int cf_exec_patterns(cf_exec *x, char *err, size_t errlen);

/* Starts the watcher thread on x->out and x->pidfd; 0 or -1. */
int cf_exec_watch_start(cf_exec *x);

/* Reads and handles what the server wrote so far (cf_exec_blame: a line written before the
 * response a case read is then an event). */
void cf_exec_sync(cf_exec *x);

/* Stops the watcher thread (reading what the pipe still holds first) and closes x->out. */
void cf_exec_watch_stop(cf_exec *x);

/* Appends bytes to the log (a note of conform's own, between lines). */
void cf_exec_log_note(cf_exec *x, const char *text);

/* One event's description ("crashed (signal 6, SIGABRT)"), into b. */
void cf_exec_describe(const exec_event *e, cf_buf *b);

/* The log excerpt for what happened since mark (x->mu held): see cf_exec_blame. */
char *cf_exec_excerpt(cf_exec *x, cf_exec_mark mark);

#endif
