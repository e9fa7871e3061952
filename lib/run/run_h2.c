/* conform run --http2: cases over HTTP/2 (run_h2.h). */
#include "run_h2.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules.h"
#include "spec_bytes.h"
#include "util_buf.h"

/* True when e (or an alternative of it) says how the connection must stand. */
static bool about_connection(const cf_expect *e)
{
    if (e->connection != CF_CONN_ANY) return true;
    for (size_t i = 0; i < e->nany_of; i++)
        if (about_connection(&e->any_of[i])) return true;
    return false;
}

static const char *step_unfit(const cf_step *st)
{
    if (st->nmessages != 1 || st->pipelined)
        return "pipelined requests: HTTP/1.1 connection behaviour, not run over HTTP/2";
    if (st->messages[0].kind != CF_SPEC_REQUEST || !st->messages[0].request)
        return "raw HTTP/1.1 bytes: not run over HTTP/2";
    const cf_send_opts *o = &st->send;
    if (o->nsplit || o->split_every || o->delay_ms || o->half_close)
        return "bytes written in pieces or half-closed: HTTP/1.1 transport, not run over HTTP/2";
    if (!st->has_expect) return "a request sent without reading its answer: not run over HTTP/2";
    if (about_connection(&st->expect) || (st->has_premise && about_connection(&st->premise)))
        return "expects the connection closed or open: HTTP/1.1 connection management, not run "
               "over HTTP/2";
    return NULL;
}

const char *cf_run_h2_unfit(const cf_case *c)
{
    for (size_t i = 0; i < c->nsteps; i++) {
        const char *why = step_unfit(&c->steps[i]);
        if (why) return why;
    }
    return NULL;
}

/* RFC 9113 §8.2.2: "An endpoint MUST NOT generate an HTTP/2 message containing
 * connection-specific header fields" (Connection, Proxy-Connection, Keep-Alive,
 * Transfer-Encoding, Upgrade), and TE with any value other than "trailers". */
static bool connection_specific(const cf_buf *name, const cf_buf *value)
{
    static const char *const names[] = {"connection", "proxy-connection", "keep-alive",
                                        "transfer-encoding", "upgrade"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (name->len == strlen(names[i]) &&
            strncasecmp((const char *)cf_buf_bytes(name), names[i], name->len) == 0)
            return true;
    return name->len == 2 && strncasecmp((const char *)cf_buf_bytes(name), "te", 2) == 0 &&
           !(value->len == 8 && strncasecmp((const char *)cf_buf_bytes(value), "trailers", 8) == 0);
}

/* The rendered parts of one request. */
typedef struct h2_parts {
    cf_buf method, target, version, body;
    bool has_body;
    cf_buf *names, *values;
    size_t n;
    cf_h2_field *fields; /* the fields sent */
    size_t nfields;
    cf_buf dropped; /* "Connection, TE" */
} h2_parts;

static void parts_free(h2_parts *p)
{
    cf_buf_free(&p->method);
    cf_buf_free(&p->target);
    cf_buf_free(&p->version);
    cf_buf_free(&p->body);
    for (size_t i = 0; i < p->n; i++) {
        cf_buf_free(&p->names[i]);
        cf_buf_free(&p->values[i]);
    }
    free(p->names);
    free(p->values);
    free(p->fields);
    cf_buf_free(&p->dropped);
}

/* Renders rq's parts for t into *p; the fields HTTP/2 forbids go to p->dropped. -1: memory. */
static int render_parts(const cf_request *rq, const cf_spec_target *t, h2_parts *p)
{
    if (cf_tbytes_render(&rq->method, t, &p->method) ||
        cf_tbytes_render(&rq->target, t, &p->target) ||
        cf_tbytes_render(&rq->version, t, &p->version) ||
        (rq->has_body && cf_tbytes_render(&rq->body, t, &p->body)))
        return -1;
    p->has_body = rq->has_body;
    p->names = calloc(rq->nheaders + 1, sizeof *p->names);
    p->values = calloc(rq->nheaders + 1, sizeof *p->values);
    p->fields = calloc(rq->nheaders + 1, sizeof *p->fields);
    if (!p->names || !p->values || !p->fields) return -1;
    for (; p->n < rq->nheaders; p->n++) {
        cf_buf *nm = &p->names[p->n], *v = &p->values[p->n];
        if (cf_tbytes_render(&rq->headers[p->n].name, t, nm) ||
            cf_tbytes_render(&rq->headers[p->n].value, t, v))
            return -1;
        if (connection_specific(nm, v)) {
            cf_buf_fmt(&p->dropped, "%s%.*s", p->dropped.len ? ", " : "", (int)nm->len,
                       (const char *)cf_buf_bytes(nm));
            continue;
        }
        p->fields[p->nfields++] = (cf_h2_field){cf_buf_bytes(nm), nm->len, cf_buf_bytes(v), v->len};
    }
    return p->dropped.err ? -1 : 0;
}

/* Why the rendered request cannot go over HTTP/2, or NULL. */
static const char *parts_unfit(const h2_parts *p)
{
    const char *v = (const char *)cf_buf_bytes(&p->version);
    if (p->version.len != 8 || memcmp(v, "HTTP/1.1", 8) != 0)
        return "a request in another version than HTTP/1.1: not run over HTTP/2";
    const uint8_t *tg = cf_buf_bytes(&p->target);
    /* RFC 9113 §8.3.1: :path is origin-form or "*" (for OPTIONS); other forms are HTTP/1.1's */
    if (p->target.len == 0 || (tg[0] != '/' && !(p->target.len == 1 && tg[0] == '*')))
        return "a request-target in absolute or authority form: not run over HTTP/2";
    return NULL;
}

/* The request as reports show it: "METHOD PATH HTTP/2", its fields, a blank line, the body. */
static void describe(const h2_parts *p, cf_buf *out)
{
    cf_buf_fmt(out, "%.*s %.*s HTTP/2\r\n", (int)p->method.len,
               (const char *)cf_buf_bytes(&p->method), (int)p->target.len,
               (const char *)cf_buf_bytes(&p->target));
    for (size_t i = 0; i < p->nfields; i++)
        cf_buf_fmt(out, "%.*s: %.*s\r\n", (int)p->fields[i].name_len,
                   (const char *)p->fields[i].name, (int)p->fields[i].value_len,
                   (const char *)p->fields[i].value);
    cf_buf_add(out, "\r\n", 2);
    if (p->body.len) cf_buf_add(out, cf_buf_bytes(&p->body), p->body.len);
}

/* The record's request: what the rules need to know of it. */
static void pending_of(const h2_parts *p, cf_pending *q)
{
    memset(q, 0, sizeof *q);
    size_t n =
        p->method.len < CF_COLLECT_METHOD_MAX - 1 ? p->method.len : CF_COLLECT_METHOD_MAX - 1;
    memcpy(q->method, cf_buf_bytes(&p->method), n);
    q->len = n;
    q->version = 20;
    q->whole = true;
}

/* The response as reports show it in res->raw (at most caps->max_raw bytes kept): libcurl's
 * "HTTP/2 200", the fields as lines, then the content (HTTP/2 itself sends no such text: RFC
 * 9113 §8.1). -1: memory. */
static int show_received(cf_step_result *res, const cf_collect_caps *caps)
{
    cf_obs_response *o = &res->responses[0];
    cf_buf raw = {0};
    cf_buf_fmt(&raw, "HTTP/2 %d\r\n", o->status);
    for (size_t i = 0; i < o->nfields; i++)
        cf_buf_fmt(&raw, "%s: %s\r\n", o->fields[i].name, o->fields[i].value);
    cf_buf_add(&raw, "\r\n", 2);
    if (o->body_len) cf_buf_add(&raw, o->body, o->body_len);
    if (raw.err) return -1;
    o->raw_len = raw.len;
    res->raw_total = raw.len;
    res->raw_len = raw.len < caps->max_raw ? raw.len : caps->max_raw;
    res->raw = (uint8_t *)cf_buf_take(&raw);
    return 0;
}

/* Sends the request of p and fills the record of the step; returns as cf_run_h2_step. */
static int fill(cf_h2 *s, const h2_parts *p, uint64_t deadline_ms, const cf_collect_caps *caps,
                cf_step_result *res, char *why, size_t whycap)
{
    cf_buf sent = {0};
    describe(p, &sent);
    if (sent.err) return -1;
    res->sent_len = sent.len;
    res->sent = cf_buf_bytes(&sent);
    res->requests = calloc(1, sizeof *res->requests);
    res->responses = calloc(1, sizeof *res->responses);
    if (!res->requests || !res->responses) return -1;
    pending_of(p, &res->requests[0]);
    res->nrequests = 1;
    cf_h2_request rq = {cf_buf_bytes(&p->method),
                        p->method.len,
                        cf_buf_bytes(&p->target),
                        p->target.len,
                        p->fields,
                        p->nfields,
                        p->has_body ? cf_buf_bytes(&p->body) : NULL,
                        p->body.len};
    int rc = cf_h2_perform(s, &rq, deadline_ms, caps, &res->responses[0], why, whycap);
    if (rc == CF_H2_TIMEOUT) { /* judged as over HTTP/1.1: no response within the time limit */
        res->timed_out = true;
        res->conn = CF_CONN_STATE_NOT_OBSERVED;
        return 0;
    }
    if (rc == CF_H2_CAPPED) return 1;
    if (rc < 0) return -1;
    res->nresponses = 1;
    if (show_received(res, caps) < 0) return -1;
    res->conn = CF_CONN_STATE_NOT_OBSERVED;
    res->settled = true;
    return 0;
}

int cf_run_h2_step(cf_h2 *s, const cf_step *st, const cf_spec_target *t, uint64_t deadline_ms,
                   const cf_collect_caps *caps, cf_step_result *res, char **note, char *why,
                   size_t whycap)
{
    h2_parts p = {0};
    int rc = -1;
    snprintf(why, whycap, "out of memory");
    if (render_parts(st->messages[0].request, t, &p) < 0) goto done;
    const char *unfit = parts_unfit(&p);
    if (unfit) {
        snprintf(why, whycap, "%s", unfit);
        rc = 1;
        goto done;
    }
    if (p.dropped.len) {
        free(*note);
        *note = cf_strfmt("not sent over HTTP/2 (RFC 9113 §8.2.2, connection-specific): %s",
                          (const char *)cf_buf_bytes(&p.dropped));
    }
    rc = fill(s, &p, deadline_ms, caps, res, why, whycap);
done:
    parts_free(&p);
    return rc;
}

void cf_run_h2_filter_rules(cf_step_result *res)
{
    for (size_t i = 0; i < res->nanswers; i++) {
        cf_obs_answer *a = &res->answers[i];
        size_t k = 0;
        for (size_t j = 0; j < a->nfindings; j++) {
            if (strncmp(cf_rule_section(a->findings[j].rule), "RFC 9112", 8) == 0) {
                free(a->findings[j].message);
                continue;
            }
            a->findings[k++] = a->findings[j];
        }
        a->nfindings = k;
    }
}
