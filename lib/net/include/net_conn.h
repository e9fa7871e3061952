/* conform run: one connection to the target, plain TCP or TLS (through libcurl: the TCP
 * connection is made here, libcurl does the handshake on it with CURLOPT_CONNECT_ONLY and carries
 * the bytes with curl_easy_send and curl_easy_recv). Nonblocking connect with a timeout, writing
 * a step's bytes in pieces with delays, half-close, and poll-driven reads with deadlines that
 * tell data, orderly close (EOF), reset and timeout apart, the same for both transports. */
#ifndef CF_NET_CONN_H
#define CF_NET_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "net_target.h"
#include "spec_model.h"
#include "util_clock.h"

/* One connection (opaque): a socket, and the libcurl handle that owns the TLS session on it. */
typedef struct cf_conn cf_conn;

/* The cf_conn_open cause of a TLS handshake that failed (the message says why). */
#define CF_CONN_ETLS EPROTO

/* Sets up the TLS library (curl_global_init) for the process the first time it is called, from
 * any thread (the TLS and HTTP/2 transports call it before their first libcurl handle); later
 * calls return the first one's result. Returns 0, or -1 when it failed. */
int cf_net_global_init(void);

/* Releases what cf_net_global_init set up, if it ran; call once at exit, after every
 * connection closed. */
void cf_net_global_cleanup(void);

/* What a read ended with. */
typedef enum cf_read_status {
    CF_READ_DATA,    /* *got bytes arrived */
    CF_READ_EOF,     /* the peer closed its side (orderly FIN) */
    CF_READ_RESET,   /* the peer reset the connection (ECONNRESET) */
    CF_READ_TIMEOUT, /* the deadline passed with nothing to read */
    CF_READ_ERROR,   /* another socket error (errno in *err) */
} cf_read_status;

/* Connects to a with a nonblocking socket and, when a->tls.on, makes the TLS handshake (ALPN
 * http/1.1, the name a->tls.name as SNI and for verification), all within timeout_ms. Returns
 * the connection (the caller closes it with cf_conn_close), or NULL with the errno-style cause in
 * *err (ETIMEDOUT when the TCP connect ran out of time; CF_CONN_ETLS when the handshake failed or
 * timed out, with libcurl's error text and the verification result in why, when why is not
 * NULL). */
cf_conn *cf_conn_open(const cf_run_addr *a, unsigned timeout_ms, int *err, char *why,
                      size_t whycap);

/* Closes c and frees it (NULL: nothing). */
void cf_conn_close(cf_conn *c);

/* Ends the sending side: a TCP FIN; over TLS a close_notify alert first, then the FIN. Returns
 * 0, or -1 with errno. */
int cf_conn_shutdown(cf_conn *c);

/* What waits on an idle connection (a look without waiting). */
typedef enum cf_conn_idle_state {
    CF_IDLE_NOTHING, /* nothing arrived: usable */
    CF_IDLE_BYTES,   /* bytes nobody asked for (consumed) */
    CF_IDLE_CLOSED,  /* the peer closed or reset it */
} cf_conn_idle_state;

/* Looks at c without waiting: has anything arrived while it was idle? TLS records that carry no
 * application data (session tickets) are not bytes. */
cf_conn_idle_state cf_conn_idle(cf_conn *c);

/* True when err, a cause cf_conn_open gave, means the peer took the connection and then reset or
 * closed it before the connect was seen to complete (ECONNRESET, ECONNABORTED, EPIPE), or took
 * it and failed the TLS handshake (CF_CONN_ETLS): the target is up, unlike ECONNREFUSED or
 * ETIMEDOUT. */
bool cf_conn_accepted(int err);

/* Writes data[0..len) in the pieces (over TLS one curl_easy_send each: one TLS record, up to 16
 * KiB) opts gives (cf_send_piece_len), sleeping opts->delay_ms between pieces, then ends the
 * sending side (cf_conn_shutdown) if opts->half_close. Stops at deadline_ms (cf_now_ms clock),
 * delays included: no piece is written once it has passed. Returns 0, or -1 with *err: EPIPE /
 * ECONNRESET when the peer closed or reset before taking everything, ETIMEDOUT at the deadline.
 * *sent receives the bytes written. */
int cf_conn_send(cf_conn *c, const uint8_t *data, size_t len, const cf_send_opts *opts,
                 uint64_t deadline_ms, size_t *sent, int *err);

/* Waits until deadline_ms for bytes and reads up to cap into buf (over TLS: the decrypted bytes;
 * a close_notify or a TCP FIN is CF_READ_EOF). */
cf_read_status cf_conn_read(cf_conn *c, void *buf, size_t cap, uint64_t deadline_ms, size_t *got,
                            int *err);

#endif
