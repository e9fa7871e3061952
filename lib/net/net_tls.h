/* The TLS transport of net_conn.c, through libcurl (internal to lib/net): a handshake on a TCP
 * socket already connected, and the bytes of the connection in both directions. libcurl is
 * driven with CURLOPT_CONNECT_ONLY, so it never writes a byte of HTTP itself: what goes on the
 * wire is what conform asks, one curl_easy_send (one TLS record) per piece. */
#ifndef CF_NET_TLS_H
#define CF_NET_TLS_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net_target.h"

/* One TLS session on a socket (the libcurl easy handle that holds it). */
typedef struct net_tls net_tls;

/* What one transfer call did. */
typedef enum net_tls_io {
    NET_TLS_DONE,  /* bytes moved (*n > 0) */
    NET_TLS_AGAIN, /* nothing now: poll the socket (read or write) and retry */
    NET_TLS_EOF,   /* the peer closed: close_notify, or a TCP FIN */
    NET_TLS_RESET, /* the peer reset the connection */
    NET_TLS_ERROR, /* anything else (*err) */
} net_tls_io;

/* Makes the handshake on fd (connected to a, nonblocking) within timeout_ms. fd stays the
 * caller's: it is closed after net_tls_free. Returns the session, or NULL with *err
 * (CF_CONN_ETLS, a timeout included, or ENOMEM) and, with CF_CONN_ETLS, libcurl's error text and
 * the verification result in why. */
net_tls *net_tls_open(int fd, const cf_run_addr *a, unsigned timeout_ms, int *err, char *why,
                      size_t whycap);

/* Encrypts and writes up to n bytes of p (one record); *w gets the count taken. */
net_tls_io net_tls_send(net_tls *t, const uint8_t *p, size_t n, size_t *w, int *err);

/* Reads up to cap decrypted bytes into buf; *got gets the count. */
net_tls_io net_tls_recv(net_tls *t, void *buf, size_t cap, size_t *got, int *err);

/* Sends a close_notify alert (the TLS end of the sending side). Returns 0, or -1 when the TLS
 * library cannot (then only the TCP FIN tells the peer). */
int net_tls_close_notify(net_tls *t);

/* Ends the session and frees t (NULL: nothing); the socket stays open. */
void net_tls_free(net_tls *t);

/* The URL libcurl connects to (SCHEME://NAME:PORT/, over TLS NAME as SNI and for verification)
 * into url, and into pin the CURLOPT_RESOLVE entry that makes NAME resolve to a's address, so
 * libcurl never looks the name up (empty for an IPv6 literal). Returns 0, or -1 when a's
 * address cannot be written out. */
int net_tls_url_and_pin(const cf_run_addr *a, const char *scheme, const char *name, char *url,
                        size_t ucap, char *pin, size_t pcap);

/* Sets the verification and client-certificate options of tls (--insecure, --cacert, --cert,
 * --key) on e; false when libcurl refused one. */
bool net_tls_verify_options(CURL *e, const cf_tls_conf *tls);

#endif
