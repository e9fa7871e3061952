/* conform run --http2: requests over one HTTP/2 connection through libcurl (net_h2.h). */
#include "net_h2.h"

#include <curl/curl.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "h1_parser.h"
#include "net_conn.h"
#include "net_tls.h"
#include "util_buf.h"
#include "util_clock.h"

struct cf_h2 {
    CURL *easy;
    struct curl_slist *pin;
    char errbuf[CURL_ERROR_SIZE];
};

/* The response being received: fields of the last status line seen, and the content. */
typedef struct h2_rx {
    cf_obs_response *out;
    size_t fields_cap;
    const cf_collect_caps *caps;
    const char *capped; /* the option of the cap that stopped the transfer, or NULL */
    bool head_done;     /* the blank line after the final response's fields came */
    bool oom;
} h2_rx;

static char *dup_n(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) return NULL;
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static void drop_fields(cf_obs_response *r)
{
    for (size_t i = 0; i < r->nfields; i++) {
        free(r->fields[i].name);
        free(r->fields[i].value);
    }
    r->nfields = 0;
}

static void response_free(cf_obs_response *r)
{
    drop_fields(r);
    free(r->fields);
    free(r->body);
    free(r->reason);
    memset(r, 0, sizeof *r);
}

/* "HTTP/2 200": a new response begins (a 1xx before the final one is replaced by it). */
static void on_status(h2_rx *rx, const char *p, size_t n)
{
    const char *sp = memchr(p, ' ', n);
    drop_fields(rx->out);
    int st = 0; /* three digits (RFC 9113 §8.3.2: :status), else 0 */
    for (size_t i = sp ? (size_t)(sp - p) + 1 : n, k = 0;
         k < 3 && i < n && p[i] >= '0' && p[i] <= '9'; i++, k++)
        st = st * 10 + (p[i] - '0');
    rx->out->status = st >= 100 ? st : 0;
}

/* "name: value": a field of the response (libcurl gives HTTP/2 fields as HTTP/1.1 lines). */
static void on_field(h2_rx *rx, const char *p, size_t n)
{
    const char *colon = memchr(p, ':', n);
    if (!colon) return;
    cf_obs_response *r = rx->out;
    if (r->nfields == rx->fields_cap) {
        size_t cap = rx->fields_cap ? rx->fields_cap * 2 : 16;
        cf_obs_field *f = realloc(r->fields, cap * sizeof *f);
        if (!f) {
            rx->oom = true;
            return;
        }
        r->fields = f;
        rx->fields_cap = cap;
    }
    const char *v = colon + 1, *end = p + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    cf_obs_field *f = &r->fields[r->nfields];
    f->name_len = (size_t)(colon - p);
    f->value_len = (size_t)(end - v);
    f->name = dup_n(p, f->name_len);
    f->value = dup_n(v, f->value_len);
    if (!f->name || !f->value) {
        free(f->name);
        free(f->value);
        rx->oom = true;
        return;
    }
    r->nfields++;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    h2_rx *rx = ud;
    size_t len = size * n, l = len;
    while (l && (p[l - 1] == '\n' || p[l - 1] == '\r'))
        l--;
    if (l >= 5 && memcmp(p, "HTTP/", 5) == 0)
        on_status(rx, p, l);
    else if (l && rx->out->nfields >=
                      (rx->caps->max_fields ? rx->caps->max_fields : CF_COLLECT_DEFAULT_FIELDS)) {
        rx->capped = "--max-fields";
        return 0; /* ends the transfer */
    } else if (!l)
        rx->head_done = rx->out->status >= 200;
    else if (l)
        on_field(rx, p, l);
    return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    h2_rx *rx = ud;
    cf_obs_response *r = rx->out;
    size_t len = size * n, keep = len;
    r->body_total += len;
    if (r->body_total > rx->caps->max_total) {
        rx->capped = "--max-response";
        return 0; /* ends the transfer */
    }
    if (r->body_len + keep > rx->caps->max_body) keep = rx->caps->max_body - r->body_len;
    if (keep) {
        uint8_t *b = realloc(r->body, r->body_len + keep);
        if (!b) {
            rx->oom = true;
            return 0;
        }
        memcpy(b + r->body_len, p, keep);
        r->body = b;
        r->body_len += keep;
    }
    r->body_truncated = r->body_total > r->body_len;
    return len;
}

cf_h2 *cf_h2_open(const cf_run_addr *a, const char *name, unsigned connect_timeout_ms)
{
    char url[NI_MAXHOST + 300], pin[NI_MAXHOST + 300];
    cf_h2 *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->easy = cf_net_global_init() == 0 ? curl_easy_init() : NULL;
    bool ok = s->easy && net_tls_url_and_pin(a, a->tls.on ? "https" : "http", name, url, sizeof url,
                                             pin, sizeof pin) == 0;
    if (ok && pin[0]) ok = (s->pin = curl_slist_append(NULL, pin)) != NULL;
    CURL *e = s->easy;
    /* RFC 9113 §3.2 (ALPN "h2") over TLS; §3.3 (prior knowledge) over plain TCP */
    long version = a->tls.on ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    ok = ok && curl_easy_setopt(e, CURLOPT_URL, url) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_HTTP_VERSION, version) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)connect_timeout_ms) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_MAXCONNECTS, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK;
    if (s->pin) ok = ok && curl_easy_setopt(e, CURLOPT_RESOLVE, s->pin) == CURLE_OK;
    /* libcurl 7.88 fails the second request on a reused prior-knowledge connection ("Error in
     * the HTTP2 framing layer", curl's own command line too): over h2c each request gets a
     * connection of its own (docs/commands/run.md "HTTP/2") */
    if (!a->tls.on) ok = ok && curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L) == CURLE_OK;
    if (ok && a->tls.on) ok = net_tls_verify_options(e, &a->tls);
    if (ok) return s;
    cf_h2_close(s);
    return NULL;
}

void cf_h2_close(cf_h2 *s)
{
    if (!s) return;
    if (s->easy) curl_easy_cleanup(s->easy);
    curl_slist_free_all(s->pin);
    free(s);
}

/* "Name: value" for CURLOPT_HTTPHEADER; "Name;" sends a field with an empty value (libcurl's
 * convention: "Name:" would remove the field). */
static struct curl_slist *add_field(struct curl_slist *l, const cf_h2_field *f, bool *oom)
{
    char *line = f->value_len ? cf_strfmt("%.*s: %.*s", (int)f->name_len, (const char *)f->name,
                                          (int)f->value_len, (const char *)f->value)
                              : cf_strfmt("%.*s;", (int)f->name_len, (const char *)f->name);
    struct curl_slist *n = line ? curl_slist_append(l, line) : NULL;
    free(line);
    if (!n) *oom = true;
    return n ? n : l;
}

static bool has_field(const cf_h2_request *rq, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < rq->nfields; i++)
        if (rq->fields[i].name_len == n &&
            strncasecmp((const char *)rq->fields[i].name, name, n) == 0)
            return true;
    return false;
}

/* The request's fields, and "Name:" for each field libcurl would add on its own (Accept; with a
 * body Content-Type and Expect) unless the request gives it: only the fields given are sent. */
static struct curl_slist *fields_of(const cf_h2_request *rq, bool *oom)
{
    struct curl_slist *l = NULL;
    for (size_t i = 0; i < rq->nfields; i++)
        l = add_field(l, &rq->fields[i], oom);
    static const char *const extra[] = {"Accept", "Content-Type", "Expect"};
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) {
        if (has_field(rq, extra[i])) continue;
        char line[32];
        snprintf(line, sizeof line, "%s:", extra[i]);
        struct curl_slist *n = curl_slist_append(l, line);
        if (!n) *oom = true;
        l = n ? n : l;
    }
    return l;
}

/* The options of one request; false when libcurl refused one. */
static bool request_options(CURL *e, const cf_h2_request *rq, const char *method, const char *path,
                            struct curl_slist *fields, uint64_t deadline_ms)
{
    uint64_t now = cf_now_ms();
    long left = deadline_ms > now ? (long)(deadline_ms - now) : 1L;
    bool head = strcmp(method, "HEAD") == 0;
    bool ok = curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_HTTPGET, 1L) == CURLE_OK; /* resets body options */
    /* a HEAD response has no content (RFC 9110 §9.3.2): libcurl must not wait for one */
    ok = ok && curl_easy_setopt(e, CURLOPT_NOBODY, head ? 1L : 0L) == CURLE_OK;
    if (rq->body) {
        ok = ok &&
             curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len) == CURLE_OK;
        ok = ok && curl_easy_setopt(e, CURLOPT_POSTFIELDS, (const char *)rq->body) == CURLE_OK;
    }
    ok = ok && curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_REQUEST_TARGET, path) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_HTTPHEADER, fields) == CURLE_OK;
    return ok;
}

/* RFC 9113 §8.1: a server may send a complete response before the whole request arrived and
 * then reset the stream with NO_ERROR to stop the request's transmission; the client must not
 * discard the response for that. libcurl 7.88 reports it as a stream error (92): the response
 * stands when it is whole (its head ended and its Content-Length bytes arrived). */
static bool whole_before_reset(CURLcode rc, const h2_rx *rx)
{
    if (rc != CURLE_HTTP2_STREAM || !rx->head_done) return false;
    const cf_obs_response *r = rx->out;
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].name_len == 14 && strcasecmp(r->fields[i].name, "content-length") == 0)
            return strtoull(r->fields[i].value, NULL, 10) == r->body_total;
    return false;
}

/* Did the request go over HTTP/2? libcurl falls back to HTTP/1.1 when ALPN does not give h2. */
static bool spoke_h2(CURL *e)
{
    long v = 0;
    return curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &v) == CURLE_OK &&
           v == CURL_HTTP_VERSION_2_0;
}

int cf_h2_perform(cf_h2 *s, const cf_h2_request *rq, uint64_t deadline_ms,
                  const cf_collect_caps *caps, cf_obs_response *out, char *why, size_t whycap)
{
    memset(out, 0, sizeof *out);
    h2_rx rx = {.out = out, .caps = caps};
    bool oom = false;
    char *method = dup_n((const char *)rq->method, rq->method_len);
    char *path = dup_n((const char *)rq->path, rq->path_len);
    struct curl_slist *fields = fields_of(rq, &oom);
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    s->errbuf[0] = 0;
    if (method && path && !oom && request_options(s->easy, rq, method, path, fields, deadline_ms) &&
        curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, &rx) == CURLE_OK &&
        curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, &rx) == CURLE_OK)
        rc = curl_easy_perform(s->easy);
    if (whole_before_reset(rc, &rx)) rc = CURLE_OK;
    int ret = 0;
    if (rx.capped) {
        snprintf(why, whycap, "stopped reading the response at a cap (%s)", rx.capped);
        ret = CF_H2_CAPPED;
    } else if (rc == CURLE_OPERATION_TIMEDOUT && !rx.head_done) {
        snprintf(why, whycap, "no response before the time limit");
        ret = CF_H2_TIMEOUT;
    } else if (rc != CURLE_OK || rx.oom) {
        CURLcode e = rx.oom ? CURLE_OUT_OF_MEMORY : rc;
        /* curl 7.88 drops a response that arrives while it still sends the request's content
         * when the server then resets the stream (curl's command line too) */
        bool lost = e == CURLE_HTTP2_STREAM && !out->status && rq->body;
        snprintf(why, whycap, "%s (curl error %d)%s",
                 s->errbuf[0] ? s->errbuf : curl_easy_strerror(e), (int)e,
                 lost ? "; the server reset the stream while the content was being sent, and "
                        "libcurl lost any response that came before the reset"
                      : "");
        ret = -1;
    } else if (!spoke_h2(s->easy)) {
        snprintf(why, whycap,
                 "the server did not negotiate HTTP/2 (ALPN h2): it answered in "
                 "HTTP/1.x");
        ret = -1;
    }
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(fields);
    free(method);
    free(path);
    if (ret != 0) {
        response_free(out);
        return ret;
    }
    out->version = 20;
    out->reason = dup_n("", 0);
    out->complete = true;
    out->framing = H1_FRAMING_LENGTH; /* HTTP/2 frames the content (RFC 9113 §8.1) */
    out->content_length = out->body_total;
    return out->reason ? 0 : -1;
}

int cf_h2_preflight(const cf_run_addr *a, const char *name, unsigned timeout_ms, char *why,
                    size_t whycap)
{
    cf_h2 *s = cf_h2_open(a, name, timeout_ms);
    cf_h2_request rq = {(const uint8_t *)"GET", 3, (const uint8_t *)"/", 1, NULL, 0, NULL, 0};
    cf_obs_response resp;
    cf_collect_caps caps = {.max_total = UINT64_MAX, .max_fields = CF_COLLECT_DEFAULT_FIELDS};
    int rc = s ? cf_h2_perform(s, &rq, cf_now_ms() + timeout_ms, &caps, &resp, why, whycap) : -1;
    if (!s) snprintf(why, whycap, "out of memory");
    if (rc == 0) response_free(&resp);
    cf_h2_close(s);
    return rc == CF_H2_CAPPED ? 0 : rc == 0 ? 0 : -1; /* a capped answer is an answer */
}
