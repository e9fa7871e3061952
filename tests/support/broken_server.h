/* A deliberately broken HTTP/1.1 server for conform fuzz's tests: it listens on an ephemeral
 * 127.0.0.1 port and serves connections one after another on a background thread, framing
 * requests loosely, and mishandles one thing on purpose:
 *   CF_BROKEN_DESYNC: a request carrying both Transfer-Encoding and Content-Length is answered
 *                     twice (the desync RFC 9112 §6.1 and §6.3 exist to prevent);
 *   CF_BROKEN_CRASH:  a request whose Content-Length is above a limit makes it close its
 *                     listening socket and the connection without a word (a simulated crash:
 *                     every later connect is refused). */
#ifndef CF_BROKEN_SERVER_H
#define CF_BROKEN_SERVER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum cf_broken_mode {
    CF_BROKEN_DESYNC,
    CF_BROKEN_CRASH,
} cf_broken_mode;

typedef struct cf_broken cf_broken;

/* Starts a server in mode; crash_over is the Content-Length above which CF_BROKEN_CRASH
 * "crashes". NULL on failure. */
cf_broken *cf_broken_start(cf_broken_mode mode, unsigned long crash_over);

/* The port it listens (or listened) on. */
int cf_broken_port(const cf_broken *b);

/* True once a CF_BROKEN_CRASH server has crashed. */
bool cf_broken_crashed(const cf_broken *b);

/* Requests answered so far (a doubled answer counts once). */
unsigned cf_broken_requests(const cf_broken *b);

/* Stops the thread, closes everything and frees b. NULL is fine. */
void cf_broken_stop(cf_broken *b);

#endif
