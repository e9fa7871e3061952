/* conform serve: a small, strict HTTP/1.1 origin server on the shared parser (the built-in
 * target). One background thread runs a poll() event loop over nonblocking sockets; requests are
 * parsed strictly with parsers/ and answered by the resources in serve_routes.c
 * (docs/commands/serve.md). */
#ifndef CF_SERVE_H
#define CF_SERVE_H

#include <stddef.h>
#include <stdio.h>

/* How to run a server. Zero fields take the defaults of cf_serve_options_default. */
typedef struct cf_serve_options {
    const char *listen;       /* "HOST:PORT" or "[IPV6]:PORT"; NULL: "127.0.0.1:0" (ephemeral) */
    FILE *log;                /* one line per request and per rejected message, or NULL */
    FILE *warn;               /* one line when out of descriptors or poll fails, or NULL */
    size_t max_conns;         /* simultaneous connections (default: RLIMIT_NOFILE less 8) */
    size_t max_body;          /* request content kept or discarded, bytes (default 1 MiB) */
    unsigned idle_timeout_ms; /* no progress for this long closes a connection (default 10 s) */
    unsigned head_timeout_ms; /* a request head must arrive whole within this (default 10 s) */
    int trace;                /* answer TRACE by reflecting the request (default 0: 405) */
} cf_serve_options;

typedef struct cf_server cf_server;

/* Fills o with the defaults: ephemeral 127.0.0.1 port, no log, as many connections as the
 * descriptor limit allows, 1 MiB bodies, 10 s idle timeout, 10 s for a whole request head. */
void cf_serve_options_default(cf_serve_options *o);

/* Raises the soft descriptor limit (RLIMIT_NOFILE) to the hard one, for a process that serves
 * many connections. Returns 0, or -1 with errno set. */
int cf_serve_raise_fd_limit(void);

/* Binds and listens on opt->listen, then serves on a background thread. On success returns 0
 * and *out owns the server (release it with cf_serve_stop). On failure returns -1, writes a
 * message to err (capacity errlen) such as "127.0.0.1:8080: Address already in use", and
 * leaves *out NULL. */
int cf_serve_start(const cf_serve_options *opt, cf_server **out, char *err, size_t errlen);

/* The TCP port the server is bound to (the one the kernel chose for port 0). */
int cf_server_port(const cf_server *s);

/* The server's base URL, e.g. "http://127.0.0.1:8080" or "http://[::1]:8080" (owned by s). */
const char *cf_server_url(const cf_server *s);

/* True when the server listens on a loopback address only (127.0.0.0/8, ::1). */
int cf_server_loopback(const cf_server *s);

/* Stops the loop, closes every connection and the listening socket, joins the thread and frees
 * s. NULL is ignored. */
void cf_serve_stop(cf_server *s);

#endif
