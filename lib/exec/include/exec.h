/* --exec COMMAND: supervision of the server under test (docs/commands/run.md "--exec"). The
 * supervisor starts COMMAND with /bin/sh -c in a process group of its own, copies its standard
 * output and error to a log file, waits until its port accepts connections, and watches it: its
 * exit (crash, signal), sanitizer reports and lines matching the alert pattern in its log become
 * events, numbered in the order they were noticed. A caller marks the event count when a case
 * (or a fuzz input) starts and asks afterwards what happened since: the events are blamed on it.
 * One supervisor is used from one thread at a time, apart from its own watcher thread. */
#ifndef CF_EXEC_H
#define CF_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Defaults (docs/commands/run.md "--exec"). */
#define CF_EXEC_WAIT_MS   10000u /* --exec-wait: until the port accepts connections */
#define CF_EXEC_GRACE_MS  5000u  /* --exec-grace: after SIGTERM, before SIGKILL */
#define CF_EXEC_SETTLE_MS 250u   /* after a case that did not pass: time for a crash to show */
#define CF_EXEC_EXCERPT   4096u  /* bytes of log in one excerpt, at most */

/* The default --exec-alert pattern (PCRE2, matched against each log line): nginx's [alert] and
 * [emerg] levels, and the usual panic / fatal error lines (Go, Rust, Node, Python, C). */
#define CF_EXEC_ALERT_DEFAULT "\\[(?:alert|emerg)\\]|\\bpanic(?:ked)?\\b|(?i:\\bfatal\\b)"

typedef struct cf_exec_opts {
    const char *command;  /* given to /bin/sh -c */
    const char *host;     /* where the server listens (numeric or a name) */
    const char *port;     /* its port */
    const char *log_path; /* the log file: created or truncated */
    const char *alert;    /* --exec-alert pattern, or NULL for CF_EXEC_ALERT_DEFAULT */
    unsigned wait_ms;     /* --exec-wait */
    unsigned grace_ms;    /* --exec-grace */
} cf_exec_opts;

typedef struct cf_exec cf_exec;

/* Where a case started: the events and the log bytes so far. */
typedef struct cf_exec_mark {
    uint64_t events;
    uint64_t log;
} cf_exec_mark;

/* Fills o with the defaults (no command, host, port or log). */
void cf_exec_opts_default(cf_exec_opts *o);

/* Checks an alert pattern; 0, or -1 with the compiler's message (and offset) in err. */
int cf_exec_alert_check(const char *pattern, char *err, size_t errlen);

/* Starts the server (o's strings must outlive the supervisor) and waits until its port
 * accepts a connection. Returns 0 with *out set (cf_exec_free), or -1 with *out NULL and a
 * message in err ending with the tail of the log: the command did not start, exited first, or
 * the port stayed closed for wait_ms (the server is then stopped). */
int cf_exec_start(const cf_exec_opts *o, cf_exec **out, char *err, size_t errlen);

/* The events and log bytes so far: what a case remembers when it starts. */
cf_exec_mark cf_exec_mark_now(cf_exec *x);

/* Waits until the server exited or ms passed (at once when it had exited), and then, if its
 * port refuses connections, until it exited or wait_ms passed: after a case that ended badly,
 * its crash may still be on its way (the connection closes as the process dies, a moment
 * before its exit is seen). */
void cf_exec_settle(cf_exec *x, unsigned ms);

/* What happened since mark, for the one blamed: NULL when nothing; else a malloc'd line, lead
 * then "the server under test " and the first events ("crashed (signal 6, SIGABRT)", "logged a
 * sanitizer report: ==1==ERROR: AddressSanitizer: ...", at most three), and in *excerpt a
 * malloc'd log excerpt of at most CF_EXEC_EXCERPT bytes and a last line naming the log (NULL
 * when memory ran out). */
char *cf_exec_blame(cf_exec *x, cf_exec_mark mark, const char *lead, char **excerpt);

/* True while the server process runs. */
bool cf_exec_running(cf_exec *x);

/* Restarts a server that exited (stopping it first if it still runs) and waits for its port
 * again; 0, or -1 with a message in err. */
int cf_exec_restart(cf_exec *x, char *err, size_t errlen);

/* How many times the server was (re)started after the first. */
unsigned cf_exec_restarts(const cf_exec *x);

/* Stops the server: SIGTERM to its process group, SIGKILL after grace_ms. Returns 0 when it
 * stopped cleanly (exit 0, or the SIGTERM it was sent), else 1 with a malloc'd message in *why
 * (exit status or signal, killed after the grace period, sanitizer or alert lines during the
 * shutdown) and the log excerpt in *excerpt. Stopping twice does nothing more. */
int cf_exec_stop(cf_exec *x, char **why, char **excerpt);

/* The process group of the server running now (its id), or 0: for a signal handler that must
 * quit at once to kill it (kill(-pgid, SIGKILL) is async-signal-safe). */
int cf_exec_pgid(cf_exec *x);

/* The log file's path, as given. */
const char *cf_exec_log_path(const cf_exec *x);

/* Stops the server if it runs (SIGKILL to its group) and frees x; NULL is fine. */
void cf_exec_free(cf_exec *x);

#endif
