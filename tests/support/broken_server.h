/* A deliberately broken HTTP/1.1 server for conform fuzz's tests: it listens on an ephemeral
 * 127.0.0.1 port and serves connections one after another on a background thread, framing
 * requests loosely, and mishandles one thing on purpose:
 *   CF_BROKEN_DESYNC: a request carrying both Transfer-Encoding and Content-Length is answered
 *                     twice (the desync RFC 9112 §6.1 and §6.3 exist to prevent);
 *   CF_BROKEN_CRASH:  a request whose Content-Length is above a limit makes it close its
 *                     listening socket and the connection without a word (a simulated crash:
 *                     every later connect is refused; with restart_ms, until it restarts);
 *   CF_BROKEN_LATE_EXTRA: a request for /twice is answered at once and again
 *                     CF_BROKEN_LATE_MS later on the open connection (an answer nobody asked
 *                     for, after the real one: only a kept connection shows it);
 *   CF_BROKEN_NO_DATE: 200 answers carry no Date (compliance rule date-missing, RFC 9110
 *                     §6.6.1); every other answer of every mode carries one;
 *   CF_BROKEN_NO_CLOSE_ECHO: a request with Connection: close is answered without the close
 *                     option, then the connection is closed as in every mode (compliance rule
 *                     connection-close-not-echoed, RFC 9112 §9.6); every other mode echoes it.
 * Other requests get 200 with Content-Length and the connection stays open (keep-alive) until
 * the client closes or it is idle for idle_ms. Options (cf_broken_start_opts) add what the
 * keep-alive tests of conform fuzz need: a restart after a crash, a short idle close, and a
 * silent close after a number of requests on one connection. */
#ifndef CF_BROKEN_SERVER_H
#define CF_BROKEN_SERVER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum cf_broken_mode {
    CF_BROKEN_DESYNC,
    CF_BROKEN_CRASH,
    CF_BROKEN_LATE_EXTRA,
    CF_BROKEN_NO_DATE,
    CF_BROKEN_NO_CLOSE_ECHO,
} cf_broken_mode;

#define CF_BROKEN_LATE_MS 50 /* delay of CF_BROKEN_LATE_EXTRA's second answer */

typedef struct cf_broken cf_broken;

/* How a server behaves; zero everything but mode for the defaults. */
typedef struct cf_broken_opts {
    cf_broken_mode mode;
    unsigned long crash_over; /* CF_BROKEN_CRASH: the Content-Length above which it "crashes" */
    unsigned restart_ms;      /* CF_BROKEN_CRASH: listen again this long after a crash, every
                                 connection of before the crash closed at its next byte (as a
                                 restarted process would have lost it); 0: the crash is final */
    unsigned idle_ms;         /* close a connection idle this long (0: 2000) */
    unsigned per_conn;        /* after this many answers on one connection, close it without a
                                 word when the next request arrives (0: no limit) */
} cf_broken_opts;

/* Starts a server in mode; crash_over is the Content-Length above which CF_BROKEN_CRASH
 * "crashes". NULL on failure. */
cf_broken *cf_broken_start(cf_broken_mode mode, unsigned long crash_over);

/* Starts a server as o says. NULL on failure. */
cf_broken *cf_broken_start_opts(const cf_broken_opts *o);

/* The port it listens (or listened) on. */
int cf_broken_port(const cf_broken *b);

/* True once a CF_BROKEN_CRASH server has crashed (even when it restarted since). */
bool cf_broken_crashed(const cf_broken *b);

/* Crashes so far. */
unsigned cf_broken_crashes(const cf_broken *b);

/* Connections accepted so far. */
unsigned cf_broken_accepts(const cf_broken *b);

/* Requests answered so far (a doubled answer counts once). */
unsigned cf_broken_requests(const cf_broken *b);

/* Stops the thread, closes everything and frees b. NULL is fine. */
void cf_broken_stop(cf_broken *b);

#endif
