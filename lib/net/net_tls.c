/* The TLS transport through libcurl (net_tls.h). */
#include "net_tls.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_conn.h"

struct net_tls {
    CURL *easy;
    int fd;
    char errbuf[CURL_ERROR_SIZE];
};

/* libcurl asks for a socket: the one conform connected (TCP_NODELAY set, the connect timed by
 * cf_conn_open), so both transports connect the same way. */
static curl_socket_t give_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *addr)
{
    (void)purpose;
    (void)addr;
    return ((net_tls *)ud)->fd;
}

/* ...and may not connect it again. */
static int already_connected(void *ud, curl_socket_t fd, curlsocktype purpose)
{
    (void)ud;
    (void)fd;
    (void)purpose;
    return CURL_SOCKOPT_ALREADY_CONNECTED;
}

/* ...nor close it: net_conn.c owns the socket. */
static int keep_socket(void *ud, curl_socket_t fd)
{
    (void)ud;
    (void)fd;
    return 0;
}

int net_tls_url_and_pin(const cf_run_addr *a, const char *scheme, const char *name, char *url,
                        size_t ucap, char *pin, size_t pcap)
{
    char num[NI_MAXHOST];
    if (getnameinfo((const struct sockaddr *)&a->ss, a->len, num, sizeof num, NULL, 0,
                    NI_NUMERICHOST) != 0)
        return -1;
    bool v6name = strchr(name, ':') != NULL, v6addr = strchr(num, ':') != NULL;
    snprintf(url, ucap, "%s://%s%s%s:%s/", scheme, v6name ? "[" : "", name, v6name ? "]" : "",
             a->port);
    pin[0] = 0;
    if (!v6name) /* an IPv6 literal is not looked up */
        snprintf(pin, pcap, "%s:%s:%s%s%s", name, a->port, v6addr ? "[" : "", num,
                 v6addr ? "]" : "");
    return 0;
}

bool net_tls_verify_options(CURL *e, const cf_tls_conf *tls)
{
    long verify = tls->insecure ? 0L : 1L;
    bool ok = curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, verify) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, verify * 2) == CURLE_OK;
    if (tls->cacert) ok = ok && curl_easy_setopt(e, CURLOPT_CAINFO, tls->cacert) == CURLE_OK;
    if (tls->insecure && !tls->cacert) { /* nothing to verify: no CA store to load */
        ok = ok && curl_easy_setopt(e, CURLOPT_CAINFO, NULL) == CURLE_OK;
        ok = ok && curl_easy_setopt(e, CURLOPT_CAPATH, NULL) == CURLE_OK;
    }
    if (tls->cert) ok = ok && curl_easy_setopt(e, CURLOPT_SSLCERT, tls->cert) == CURLE_OK;
    if (tls->key) ok = ok && curl_easy_setopt(e, CURLOPT_SSLKEY, tls->key) == CURLE_OK;
    return ok;
}

/* The options of one handshake; false when libcurl refused one. */
static bool set_options(net_tls *t, const cf_run_addr *a, const char *url, struct curl_slist *pin,
                        unsigned timeout_ms)
{
    CURL *e = t->easy;
    bool ok = curl_easy_setopt(e, CURLOPT_URL, url) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L) == CURLE_OK;
    /* ALPN offers http/1.1 only: the bytes that follow are HTTP/1.1 */
    ok = ok && curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, give_socket) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, already_connected) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, keep_socket) == CURLE_OK;
    if (pin) ok = ok && curl_easy_setopt(e, CURLOPT_RESOLVE, pin) == CURLE_OK;
    ok = ok && net_tls_verify_options(e, &a->tls);
    return ok;
}

/* "TLS handshake with NAME failed: libcurl's text (verification result N)". */
static void describe_failure(net_tls *t, const cf_run_addr *a, CURLcode rc, char *why, size_t cap)
{
    if (!why || !cap) return;
    long vr = 0;
    curl_easy_getinfo(t->easy, CURLINFO_SSL_VERIFYRESULT, &vr);
    const char *text = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
    char verify[96];
    if (a->tls.insecure)
        snprintf(verify, sizeof verify, "certificate not verified: --insecure");
    else if (rc == CURLE_PEER_FAILED_VERIFICATION)
        snprintf(verify, sizeof verify, "certificate verification result %ld", vr);
    else if (vr == 0)
        snprintf(verify, sizeof verify, "certificate verified");
    else /* OpenSSL's initial X509_V_ERR_UNSPECIFIED: verification never ran */
        snprintf(verify, sizeof verify, "the handshake ended before the certificate was verified");
    snprintf(why, cap, "TLS handshake with %s failed: %s (curl error %d; %s)", a->tls.name, text,
             (int)rc, verify);
}

net_tls *net_tls_open(int fd, const cf_run_addr *a, unsigned timeout_ms, int *err, char *why,
                      size_t whycap)
{
    char url[NI_MAXHOST + 300], pintext[NI_MAXHOST + 300];
    net_tls *t = calloc(1, sizeof *t);
    if (!t || net_tls_url_and_pin(a, "https", a->tls.name, url, sizeof url, pintext,
                                  sizeof pintext) < 0) {
        free(t);
        *err = ENOMEM;
        return NULL;
    }
    t->fd = fd;
    if (cf_net_global_init() < 0) {
        if (why && whycap)
            snprintf(why, whycap,
                     "the TLS library (libcurl) cannot start: curl_global_init failed");
        free(t);
        *err = CF_CONN_ETLS;
        return NULL;
    }
    t->easy = curl_easy_init();
    struct curl_slist *pin = pintext[0] ? curl_slist_append(NULL, pintext) : NULL;
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    if (t->easy && (pin || !pintext[0]) && set_options(t, a, url, pin, timeout_ms ? timeout_ms : 1))
        rc = curl_easy_perform(t->easy);
    if (rc != CURLE_OK) {
        /* a handshake that timed out fails like any other: the server took the connection */
        *err = rc == CURLE_OUT_OF_MEMORY ? ENOMEM : CF_CONN_ETLS;
        if (*err == CF_CONN_ETLS) describe_failure(t, a, rc, why, whycap);
        net_tls_free(t);
        t = NULL;
    }
    curl_slist_free_all(pin);
    return t;
}

net_tls_io net_tls_send(net_tls *t, const uint8_t *p, size_t n, size_t *w, int *err)
{
    *w = 0;
    errno = 0;
    t->errbuf[0] = 0;
    CURLcode rc = curl_easy_send(t->easy, p, n, w);
    int saved = errno;
    if (rc == CURLE_OK && *w > 0) return NET_TLS_DONE;
    if (rc == CURLE_AGAIN || rc == CURLE_OK) return NET_TLS_AGAIN;
    /* A write that fails once the handshake is done means the peer went away: reset when
     * anything says so, closed otherwise (libcurl's own calls may have changed errno since). */
    bool reset =
        saved == ECONNRESET || strstr(t->errbuf, "reset by peer") || strstr(t->errbuf, "errno 104");
    *err = reset ? ECONNRESET : EPIPE;
    return NET_TLS_ERROR;
}

net_tls_io net_tls_recv(net_tls *t, void *buf, size_t cap, size_t *got, int *err)
{
    *got = 0;
    errno = 0;
    t->errbuf[0] = 0;
    CURLcode rc = curl_easy_recv(t->easy, buf, cap, got);
    int saved = errno;
    if (rc == CURLE_OK) return *got > 0 ? NET_TLS_DONE : NET_TLS_EOF;
    if (rc == CURLE_AGAIN) return NET_TLS_AGAIN;
    /* A TCP FIN without close_notify: the peer closed, as it would over plain TCP (a truncation
     * attack cannot matter to a test harness on its own connection). */
    if (strstr(t->errbuf, "unexpected eof") || strstr(t->errbuf, "EOF")) return NET_TLS_EOF;
    /* A reset, or a fatal alert from the peer (RFC 8446 §6.2: the connection is closed at once,
     * nothing more is read): the server aborted the connection, as a TCP reset does. */
    if (strstr(t->errbuf, "reset by peer") || strstr(t->errbuf, "errno 104") ||
        strstr(t->errbuf, " alert "))
        return NET_TLS_RESET;
    if (saved == ECONNRESET) return NET_TLS_RESET;
    *err = saved ? saved : EIO;
    return NET_TLS_ERROR;
}

/* SSL_shutdown of the OpenSSL that libcurl is built with, found at run time: libcurl has no call
 * that sends close_notify and keeps the connection, and linking libssl for one function would
 * add a dependency. NULL with another TLS backend. */
typedef int (*ssl_shutdown_fn)(void *ssl);

static ssl_shutdown_fn openssl_shutdown(void)
{
    void *sym = dlsym(RTLD_DEFAULT, "SSL_shutdown");
    ssl_shutdown_fn fn = NULL;
    if (sym) memcpy(&fn, &sym, sizeof fn);
    return fn;
}

int net_tls_close_notify(net_tls *t)
{
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(t->easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info ||
        info->backend != CURLSSLBACKEND_OPENSSL || !info->internals)
        return -1;
    ssl_shutdown_fn fn = openssl_shutdown();
    if (!fn) return -1;
    return fn(info->internals) >= 0 ? 0 : -1; /* 0: sent, waiting for the peer's; 1: both */
}

void net_tls_free(net_tls *t)
{
    if (!t) return;
    if (t->easy) curl_easy_cleanup(t->easy);
    free(t);
}
