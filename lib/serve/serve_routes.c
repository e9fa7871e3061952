/* conform serve: the resources (docs/commands/serve.md) and the method rules around them:
 * unknown methods, Allow, OPTIONS, TRACE, expectations and unsupported transfer codings. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1_lex.h"
#include "serve_internal.h"

#define CF_LARGE_MAX (16u * 1024 * 1024)

typedef void (*route_fn)(const cf_sreq *rq, cf_sresp *r);

static void redirect(const cf_sreq *rq, cf_sresp *r);
static void status(const cf_sreq *rq, cf_sresp *r);
static void large(const cf_sreq *rq, cf_sresp *r);
static void protected_(const cf_sreq *rq, cf_sresp *r);

/* The resource table: path (exact, or a prefix when it ends in '/'), allowed methods, handler. */
static const struct route {
    const char *path;
    unsigned allow;
    route_fn fn;
} routes[] = {
    {"/", CF_SM_GET | CF_SM_HEAD | CF_SM_OPTIONS | CF_SM_TRACE, cf_serve_index},
    {"/echo", CF_SM_ALL, cf_serve_echo},
    {"/redirect", CF_SM_GET | CF_SM_HEAD | CF_SM_OPTIONS | CF_SM_TRACE, redirect},
    {"/status/", CF_SM_ALL, status},
    {"/large", CF_SM_GET | CF_SM_HEAD | CF_SM_OPTIONS | CF_SM_TRACE, large},
    {"/protected", CF_SM_GET | CF_SM_HEAD | CF_SM_OPTIONS | CF_SM_TRACE, protected_},
};

unsigned cf_serve_allowed(const cf_sreq *rq, unsigned bits)
{
    return rq->trace ? bits : bits & ~(unsigned)CF_SM_TRACE;
}

static const char *const method_names[] = {
#define CF_SM_NAME(name) #name,
    CF_SERVE_METHODS(CF_SM_NAME)
#undef CF_SM_NAME
};

unsigned cf_serve_method_bit(h1_span method)
{
    /* RFC 9110 §9.1: the method token is case-sensitive. */
    for (unsigned i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
        if (strlen(method_names[i]) == method.len &&
            !memcmp(method_names[i], method.ptr, method.len))
            return 1u << i;
    return 0;
}

void cf_serve_allow(unsigned bits, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
        if (!(bits & (1u << i))) continue;
        int w = snprintf(out + n, cap - n, "%s%s", n ? ", " : "", method_names[i]);
        if (w < 0 || (size_t)w >= cap - n) return;
        n += (size_t)w;
    }
}

void cf_serve_split_target(cf_sreq *rq)
{
    const char *t = rq->msg->target.ptr, *end = t + rq->msg->target.len;
    if (rq->msg->target_form == H1_TARGET_ABSOLUTE) {
        /* RFC 9112 §3.2.2: a server MUST accept the absolute-form; route on its path. */
        const char *colon = memchr(t, ':', (size_t)(end - t));
        t = colon ? colon + 1 : end;
        if (end - t >= 2 && t[0] == '/' && t[1] == '/') {
            t += 2;
            while (t < end && *t != '/' && *t != '?')
                t++;
        }
    }
    const char *q = memchr(t, '?', (size_t)(end - t));
    const char *pend = q ? q : end;
    if (pend == t && rq->msg->target_form == H1_TARGET_ABSOLUTE) {
        rq->path.ptr = "/"; /* RFC 9112 §3.2.2: an empty path is "/" */
        rq->path.len = 1;
    } else {
        rq->path.ptr = t;
        rq->path.len = (size_t)(pend - t);
    }
    rq->query.ptr = q ? q + 1 : end;
    rq->query.len = q ? (size_t)(end - q - 1) : 0;
}

static const struct route *find_route(h1_span path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        size_t n = strlen(routes[i].path);
        int prefix = n > 1 && routes[i].path[n - 1] == '/';
        if ((prefix ? path.len >= n : path.len == n) && !memcmp(path.ptr, routes[i].path, n))
            return &routes[i];
    }
    return NULL;
}

/* The NNN of /status/NNN when it is a final status 200..599, else 0. */
static int status_code(h1_span path)
{
    if (path.len != 11) return 0;
    int v = 0;
    for (size_t i = 8; i < 11; i++) {
        if (path.ptr[i] < '0' || path.ptr[i] > '9') return 0;
        v = v * 10 + (path.ptr[i] - '0');
    }
    return v >= 200 && v <= 599 ? v : 0;
}

/* RFC 9110 §10.1.1: 100-continue is the only expectation defined; a server MAY answer 417 to
 * any other. True when every member of every Expect field is 100-continue. */
static int expectations_met(const h1_message *m)
{
    for (size_t i = h1_header_find(m->headers, m->num_headers, "expect", 0); i != SIZE_MAX;
         i = h1_header_find(m->headers, m->num_headers, "expect", i + 1)) {
        h1_lex_list l; /* RFC 9110 §10.1.1: Expect = #expectation */
        h1_lex_list_init(&l, m->headers[i].value);
        h1_span item;
        while (h1_lex_list_next(&l, &item))
            if (!h1_span_ieq(item, "100-continue")) return 0;
    }
    return 1;
}

int cf_serve_te_unknown(const h1_message *m)
{
    /* RFC 9112 §6.1: a server that receives a transfer coding it does not understand SHOULD
     * answer 501. The parser already checked the syntax and that chunked is last. */
    for (size_t i = h1_header_find(m->headers, m->num_headers, "transfer-encoding", 0);
         i != SIZE_MAX;
         i = h1_header_find(m->headers, m->num_headers, "transfer-encoding", i + 1)) {
        h1_lex_list l; /* Transfer-Encoding = #transfer-coding; token *( OWS ";" ... ) */
        h1_lex_list_init(&l, m->headers[i].value);
        h1_span item;
        while (h1_lex_list_next(&l, &item)) {
            h1_span name = {item.ptr, h1_lex_token(item.ptr, item.len)};
            if (!h1_span_ieq(name, "chunked")) return 1;
        }
    }
    return 0;
}

/* An absolute-form target this server cannot answer for; the target URI is the request-target
 * (RFC 9112 §3.3). 421 for a scheme other than http: this server has no TLS, and "a request for
 * an "https" resource MUST be rejected unless it has been received over a connection that has
 * been secured" (RFC 9110 §7.4). 400 for an http URI without a host (§4.2.1: "MUST reject it as
 * invalid") or with userinfo (§4.2.4: "treat its presence as an error"). 0 otherwise. */
static int absolute_refusal(const h1_message *m)
{
    if (m->target_form != H1_TARGET_ABSOLUTE) return 0;
    const char *t = m->target.ptr, *end = t + m->target.len;
    const char *a = memchr(t, ':', m->target.len); /* the parser checked the scheme before it */
    if (!a || !h1_span_ieq((h1_span){t, (size_t)(a - t)}, "http")) return 421;
    if (end - a < 3 || a[1] != '/' || a[2] != '/') return 400; /* http-URI = "http" "://" ... */
    a += 3;
    const char *ae = a;
    while (ae < end && *ae != '/' && *ae != '?')
        ae++;
    if (ae == a || *a == ':' || memchr(a, '@', (size_t)(ae - a))) return 400;
    return 0;
}

int cf_serve_admit(const cf_sreq *rq)
{
    const h1_message *m = rq->msg;
    if (!rq->method) return 501; /* RFC 9110 §9.1: unrecognized or unimplemented method */
    int refused = absolute_refusal(m);
    if (refused) return refused;
    if (!expectations_met(m)) return 417;
    if (m->target_form == H1_TARGET_ASTERISK) return 0; /* OPTIONS * (RFC 9110 §9.3.7) */
    if (rq->method == CF_SM_TRACE && !rq->trace) {
        /* RFC 9110 §9.3.8: TRACE is optional; disabled, it is a method no resource allows. */
        return find_route(rq->path) ? 405 : 404;
    }
    const struct route *rt = find_route(rq->path);
    if (!rt) return 404;
    if (!(cf_serve_allowed(rq, rt->allow) & rq->method)) return 405;
    /* RFC 9110 §9.3.8: a client MUST NOT send content in a TRACE request. */
    if (rq->method == CF_SM_TRACE && (m->framing == H1_FRAMING_CHUNKED ||
                                      (m->framing == H1_FRAMING_LENGTH && m->content_length)))
        return 400;
    if (rt->fn == status && !status_code(rq->path)) return 404;
    return 0;
}

int cf_serve_wants_body(const cf_sreq *rq)
{
    const struct route *rt = find_route(rq->path);
    return rt && rt->fn == cf_serve_echo && rq->msg->target_form != H1_TARGET_ASTERISK;
}

/* /protected: RFC 9110 §15.5.2, a 401 MUST carry a WWW-Authenticate challenge (§11.6.1); no
 * credentials are ever accepted. */
static void protected_(const cf_sreq *rq, cf_sresp *r)
{
    (void)rq;
    cf_sresp_init(r, 401);
    cf_sresp_field(r, "WWW-Authenticate", "Basic realm=\"conform\"");
    cf_sresp_text(r, "credentials required");
}

static void redirect(const cf_sreq *rq, cf_sresp *r)
{
    (void)rq;
    cf_sresp_init(r, 301);
    cf_sresp_field(r, "Location", "/"); /* RFC 9110 §15.4.2: SHOULD send Location */
    cf_sresp_text(r, "see /");
}

/* /status/NNN, with the fields RFC 9110 §15 requires or recommends for NNN. */
static void status(const cf_sreq *rq, cf_sresp *r)
{
    int code = status_code(rq->path);
    char allow[96];
    cf_sresp_init(r, code);
    if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308)
        cf_sresp_field(r, "Location", "/");                                            /* §15.4 */
    if (code == 401) cf_sresp_field(r, "WWW-Authenticate", "Basic realm=\"conform\""); /* §15.5.2 */
    if (code == 407)
        cf_sresp_field(r, "Proxy-Authenticate", "Basic realm=\"conform\""); /* §15.5.8 */
    if (code == 405) { /* §15.5.6: MUST send Allow */
        cf_serve_allow(cf_serve_allowed(rq, CF_SM_ALL), allow, sizeof allow);
        cf_sresp_field(r, "Allow", allow);
    }
    if (code == 416) cf_sresp_field(r, "Content-Range", "bytes */0"); /* §15.5.17 */
    if (code == 426) cf_sresp_field(r, "Upgrade", "HTTP/1.1");        /* §15.5.22 */
    if (code == 426) cf_sresp_field(r, "Connection", "Upgrade");
    if (code == 204 || code == 304) return;
    if (code == 205) return; /* §15.3.6: MUST NOT generate content (Content-Length: 0) */
    if (code == 206) {
        /* §15.3.7: a single part needs Content-Range matching the content. */
        cf_sresp_field(r, "Content-Range", "bytes 0-9/10");
        r->content_type = "text/plain";
        cf_buf_str(&r->body, "0123456789");
        return;
    }
    cf_sresp_text(r, NULL);
}

/* /large?bytes=N: N bytes of generated text (0..16 MiB). */
static void large(const cf_sreq *rq, cf_sresp *r)
{
    const char *q = rq->query.ptr, *end = q + rq->query.len;
    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *e = amp ? amp : end;
        if (e - q > 6 && !memcmp(q, "bytes=", 6) && e - q - 6 <= 9) {
            char num[10];
            memcpy(num, q + 6, (size_t)(e - q - 6));
            num[e - q - 6] = '\0';
            char *stop;
            unsigned long n = strtoul(num, &stop, 10);
            if (*stop == '\0' && num[0] >= '0' && num[0] <= '9' && n <= CF_LARGE_MAX) {
                cf_sresp_init(r, 200);
                r->content_type = "text/plain";
                r->filler = n;
                if (n == 0) r->content_type = NULL;
                return;
            }
        }
        q = amp ? amp + 1 : end;
    }
    cf_sresp_init(r, 400);
    cf_sresp_text(r, "/large needs ?bytes=N with N from 0 to 16777216");
}

/* RFC 9110 §9.3.8: TRACE reflects the request as received, minus fields likely to hold
 * credentials, as message/http. */
static void trace(const cf_sreq *rq, cf_sresp *r)
{
    const h1_message *m = rq->msg;
    cf_sresp_init(r, 200);
    r->content_type = "message/http";
    cf_buf_fmt(&r->body, "%.*s %.*s HTTP/%d.%d\r\n", (int)m->method.len, m->method.ptr,
               (int)m->target.len, m->target.ptr, m->version / 10, m->version % 10);
    for (size_t i = 0; i < m->num_headers; i++) {
        const h1_header *h = &m->headers[i];
        if (h1_span_ieq(h->name, "authorization") || h1_span_ieq(h->name, "cookie") ||
            h1_span_ieq(h->name, "proxy-authorization"))
            continue;
        cf_buf_add(&r->body, h->name.ptr, h->name.len);
        cf_buf_str(&r->body, ": ");
        cf_buf_add(&r->body, h->value.ptr, h->value.len);
        cf_buf_str(&r->body, "\r\n");
    }
    cf_buf_str(&r->body, "\r\n");
}

void cf_serve_respond(const cf_sreq *rq, cf_sresp *r)
{
    char allow[96];
    int rej = cf_serve_admit(rq);
    const struct route *rt =
        rq->msg->target_form == H1_TARGET_ASTERISK ? NULL : find_route(rq->path);
    if (rej) {
        cf_sresp_init(r, rej);
        if (rej == 405) { /* RFC 9110 §15.5.6: MUST generate Allow */
            cf_serve_allow(cf_serve_allowed(rq, rt->allow), allow, sizeof allow);
            cf_sresp_field(r, "Allow", allow);
        }
        cf_sresp_text(r, rej == 501   ? "method not implemented"
                         : rej == 417 ? "only the 100-continue expectation is supported"
                         : rej == 421 ? "this server has no resource for that scheme"
                         : rej == 400 && rq->msg->target_form == H1_TARGET_ABSOLUTE
                             ? "invalid http URI: no host, or userinfo"
                         : rej == 400 ? "TRACE request with content"
                         : rej == 405 && rq->method == CF_SM_TRACE
                             ? "TRACE is disabled (conform serve --trace enables it)"
                             : NULL);
        return;
    }
    if (rq->method == CF_SM_OPTIONS && (!rt || rt->fn != cf_serve_echo)) {
        /* RFC 9110 §9.3.7: OPTIONS * describes the server, OPTIONS /x the resource. */
        cf_sresp_init(r, 200);
        cf_serve_allow(cf_serve_allowed(rq, rt ? rt->allow : CF_SM_ALL), allow, sizeof allow);
        cf_sresp_field(r, "Allow", allow);
        return;
    }
    if (rq->method == CF_SM_TRACE) {
        trace(rq, r);
        return;
    }
    rt->fn(rq, r);
}
