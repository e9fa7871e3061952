/* conform run: one TCP connection to the target. Nonblocking connect with a timeout, writing a
 * step's bytes in pieces with delays, half-close, and poll-driven reads with deadlines that tell
 * data, orderly close (EOF), reset and timeout apart. */
#ifndef CF_NET_CONN_H
#define CF_NET_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "spec_model.h"
#include "util_clock.h"

/* What a read ended with. */
typedef enum cf_read_status {
    CF_READ_DATA,    /* *got bytes arrived */
    CF_READ_EOF,     /* the peer closed its side (orderly FIN) */
    CF_READ_RESET,   /* the peer reset the connection (ECONNRESET) */
    CF_READ_TIMEOUT, /* the deadline passed with nothing to read */
    CF_READ_ERROR,   /* another socket error (errno in *err) */
} cf_read_status;

/* Connects to sa with a nonblocking socket, giving up after timeout_ms. Returns the socket
 * (nonblocking; the caller closes it) or -1 with the errno-style cause in *err (ETIMEDOUT when
 * the time ran out). */
int cf_conn_open(const struct sockaddr *sa, socklen_t len, unsigned timeout_ms, int *err);

/* True when err, a cause cf_conn_open gave, means the peer took the connection and then reset or
 * closed it before the connect was seen to complete (ECONNRESET, ECONNABORTED, EPIPE): the
 * target is up, unlike ECONNREFUSED or ETIMEDOUT. */
bool cf_conn_accepted(int err);

/* Writes data[0..len) in the pieces opts gives (cf_send_piece_len), sleeping opts->delay_ms
 * between pieces, then shuts down the sending side if opts->half_close. Stops at deadline_ms
 * (cf_now_ms clock), delays included: no piece is written once it has passed. Returns 0, or -1 with
 * *err: EPIPE / ECONNRESET when the peer closed or reset before taking everything, ETIMEDOUT at the
 * deadline. *sent receives the bytes written. */
int cf_conn_send(int fd, const uint8_t *data, size_t len, const cf_send_opts *opts,
                 uint64_t deadline_ms, size_t *sent, int *err);

/* Waits until deadline_ms for bytes and reads up to cap into buf. */
cf_read_status cf_conn_read(int fd, void *buf, size_t cap, uint64_t deadline_ms, size_t *got,
                            int *err);

#endif
