/* conform run: parsing received bytes into responses (exchange_collect.h). */
#include "exchange_collect.h"

#include <stdlib.h>
#include <string.h>

/* What a small allocation costs besides its bytes (glibc: a 16-byte header, 16-byte steps). */
#define MALLOC_OVERHEAD 16u

enum { ST_HEAD, ST_BODY, ST_STOPPED };

/* Repairs a client may make instead of rejecting a response, each recorded as a violation:
 * RFC 9112 §2.2 (bare CR, bare LF, whitespace after the start-line), §4 (a client ignores the
 * reason-phrase), §5.1 (whitespace before the colon: removed), RFC 9110 §5.5 (NUL/CTL read as
 * SP), RFC 9112 §5.2 (obs-fold read as SP), RFC 9110 §8.6 (identical Content-Length values),
 * RFC 9112 §6.3 (Transfer-Encoding overrides Content-Length), §6.1 (TE in HTTP/1.0: faulty
 * framing, processed then closed). */
#define CLIENT_LENIENT                                                                             \
    (H1_LENIENT_BARE_CR | H1_LENIENT_BARE_LF | H1_LENIENT_WS_AFTER_START |                         \
     H1_LENIENT_STATUS_LINE | H1_LENIENT_SPACE_BEFORE_COLON | H1_LENIENT_FIELD_VALUE |             \
     H1_LENIENT_OBS_FOLD | H1_LENIENT_CL_REPEATED | H1_LENIENT_TE_WITH_CL | H1_LENIENT_TE_HTTP10)

void cf_collect_init(cf_collect *c, const cf_collect_caps *caps)
{
    c->caps = *caps;
    if (!c->caps.max_fields) c->caps.max_fields = CF_COLLECT_DEFAULT_FIELDS;
    if (!c->caps.max_head) c->caps.max_head = CF_COLLECT_DEFAULT_HEAD;
    if (!c->caps.max_interim) c->caps.max_interim = CF_COLLECT_DEFAULT_INTERIM;
    /* Not zeroed: the parser writes each entry before num_headers counts it (a collector is
     * made per exchange by conform fuzz). */
    c->hdrs = malloc(c->caps.max_fields * sizeof *c->hdrs);
    c->trailers = malloc(c->caps.max_fields * sizeof *c->trailers);
    if (!c->hdrs || !c->trailers) c->oom = true;
    h1_reader_init(&c->rd, H1_RESPONSE);
    h1_parser *p = &c->rd.p;
    p->lenient = CLIENT_LENIENT;
    /* The parser's limits are caps on conform's memory, not rules on the server: generous. */
    p->limits.max_fields = c->caps.max_fields;
    p->limits.max_head = c->caps.max_head;
    p->limits.max_trailer = c->caps.max_head;
    p->headers = c->hdrs;
    p->max_headers = c->hdrs ? c->caps.max_fields : 0;
    p->trailers = c->trailers;
    p->max_trailers = c->trailers ? c->caps.max_fields : 0;
    p->violations = c->viol;
    p->max_violations = CF_COLLECT_MAX_VIOLATIONS;
    h1_parser_reset(p);
    c->state = ST_HEAD;
}

static void fields_free(cf_obs_field *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++) {
        free(f[i].name);
        free(f[i].value);
    }
    free(f);
}

static void response_free(cf_obs_response *r)
{
    free(r->reason);
    fields_free(r->fields, r->nfields);
    fields_free(r->trailers, r->ntrailers);
    free(r->body);
    free(r->violations);
    memset(r, 0, sizeof *r);
}

void cf_collect_free(cf_collect *c)
{
    response_free(&c->cur);
    h1_reader_free(&c->rd);
    free(c->hdrs);
    free(c->trailers);
    c->hdrs = c->trailers = NULL;
    free(c->pending);
    c->pending = NULL;
    c->npending = c->pending_cap = 0;
}

static char *dup_bytes(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) return NULL;
    if (n) memcpy(s, p, n);
    s[n] = 0;
    return s;
}

/* Copies field lines out of the receive buffer, values as a recipient reads them. */
static cf_obs_field *copy_fields(cf_collect *c, const h1_header *h, size_t n)
{
    if (n == 0) return NULL;
    cf_obs_field *f = calloc(n, sizeof *f);
    if (!f) goto oom;
    for (size_t i = 0; i < n; i++) {
        f[i].name = dup_bytes(h[i].name.ptr, h[i].name.len);
        f[i].name_len = h[i].name.len;
        size_t vl = h1_field_value_copy(&h[i], NULL, 0);
        f[i].value = malloc(vl + 1);
        if (!f[i].name || !f[i].value) {
            fields_free(f, i + 1);
            goto oom;
        }
        f[i].value_len = h1_field_value_copy(&h[i], f[i].value, vl);
        f[i].value[vl] = 0;
    }
    return f;
oom:
    c->oom = true;
    return NULL;
}

/* The head of the response just parsed becomes c->cur. */
static void start_response(cf_collect *c)
{
    const h1_message *m = &c->rd.p.msg;
    cf_obs_response *r = &c->cur;
    memset(r, 0, sizeof *r);
    r->status = m->status;
    r->version = m->version;
    r->reason = dup_bytes(m->reason.ptr, m->reason.len);
    r->reason_len = m->reason.len;
    if (!r->reason) c->oom = true;
    r->fields = copy_fields(c, m->headers, m->num_headers);
    r->nfields = r->fields ? m->num_headers : 0;
    r->framing = (int)m->framing;
    r->content_length = m->framing == H1_FRAMING_LENGTH ? m->content_length : 0;
}

/* Keeps at most max_body decoded bytes; counts them all. */
static void add_body(cf_collect *c, h1_span d)
{
    cf_obs_response *r = &c->cur;
    r->body_total += d.len;
    size_t room = c->caps.max_body - r->body_len;
    size_t take = d.len < room ? d.len : room;
    if (take) {
        size_t want = r->body_len + take, cap = r->body_len ? r->body_len : 256;
        while (cap < want)
            cap *= 2;
        if (cap > c->caps.max_body) cap = c->caps.max_body;
        uint8_t *nb = realloc(r->body, cap);
        if (!nb) {
            c->oom = true;
            return;
        }
        r->body = nb;
        memcpy(r->body + r->body_len, d.ptr, take);
        r->body_len += take;
    }
    r->body_truncated = r->body_total > r->body_len;
}

/* Stream offset just past the bytes consumed so far. */
static uint64_t consumed_end(const cf_collect *c)
{
    return c->msg_start + h1_reader_consumed(&c->rd);
}

/* Fills what the parser knows at the end of a message: violations, place in the raw bytes. */
static void seal(cf_collect *c, cf_obs_response *r)
{
    size_t nv = c->rd.p.num_violations;
    if (nv > CF_COLLECT_MAX_VIOLATIONS) nv = CF_COLLECT_MAX_VIOLATIONS;
    free(r->violations);
    r->violations = nv ? calloc(nv, sizeof *r->violations) : NULL;
    if (nv && !r->violations) c->oom = true;
    for (size_t i = 0; r->violations && i < nv; i++) {
        r->violations[i].code = (int)c->viol[i].code;
        r->violations[i].offset = c->viol[i].offset;
    }
    r->nviolations = r->violations ? nv : 0;
    uint64_t from = c->msg_start > c->step_start ? c->msg_start : c->step_start;
    r->raw_offset = (size_t)(from - c->step_start);
    r->raw_len = (size_t)(consumed_end(c) - from);
}

/* The bytes n field lines hold: their structs, their bytes, and a malloc's overhead for each
 * name and value. */
static uint64_t fields_cost(const cf_obs_field *f, size_t n)
{
    uint64_t b = n * (sizeof *f + 2 * MALLOC_OVERHEAD);
    for (size_t i = 0; i < n; i++)
        b += f[i].name_len + f[i].value_len + 2;
    return b;
}

/* The bytes a recorded response holds: what cf_collect.kept counts. */
static uint64_t response_cost(const cf_obs_response *r)
{
    return sizeof *r + r->reason_len + 1 + MALLOC_OVERHEAD + fields_cost(r->fields, r->nfields) +
           fields_cost(r->trailers, r->ntrailers) + r->body_len +
           r->nviolations * sizeof *r->violations;
}

/* Appends r (moved) to the interim or final list of the step. */
static void push(cf_collect *c, cf_obs_response *r)
{
    cf_step_result *res = c->res;
    bool interim = r->status >= 100 && r->status <= 199;
    cf_obs_response **arr = interim ? &res->interim : &res->responses;
    size_t *n = interim ? &res->ninterim : &res->nresponses;
    /* Room doubles at each power of two (the capacity is implied by the count): one realloc per
     * response made a flood of small responses quadratic and scattered the heap. */
    cf_obs_response *na = *arr;
    if ((*n & (*n - 1)) == 0) {
        na = realloc(*arr, (*n ? 2 * *n : 1) * sizeof *na);
        if (!na) {
            c->oom = true;
            response_free(r);
            return;
        }
    }
    *arr = na;
    c->kept += response_cost(r) + sizeof *na;
    na[(*n)++] = *r;
    memset(r, 0, sizeof *r);
}

/* One of conform's caps stopped reading: the runner reads no more in this step. */
static void stop_at_cap(cf_collect *c, cf_cap_hit cap, uint64_t value)
{
    c->capped = true;
    c->res->cap = cap;
    c->res->cap_value = value;
}

/* The current message is complete: record it and get ready for the next one. */
static void finish_response(cf_collect *c)
{
    cf_obs_response *r = &c->cur;
    int status = r->status;
    r->complete = true;
    if (c->rd.p.msg.num_trailers) {
        r->trailers = copy_fields(c, c->rd.p.msg.trailers, c->rd.p.msg.num_trailers);
        r->ntrailers = r->trailers ? c->rd.p.msg.num_trailers : 0;
    }
    seal(c, r);
    bool was_connect = c->npending && !strcmp(c->pending[0].method, "CONNECT");
    push(c, r);
    if (status >= 200 || status == 101) {
        if (c->npending) memmove(c->pending, c->pending + 1, --c->npending * sizeof *c->pending);
        c->complete++;
        c->interim_run = 0;
    } else if (++c->interim_run >= c->caps.max_interim) {
        /* RFC 9110 §15.2 lets a server send any number of 1xx responses; conform reads only so
         * many in a row, so that a flood cannot grow its memory. */
        stop_at_cap(c, CF_CAP_INTERIM, c->caps.max_interim);
        c->state = ST_STOPPED;
        return;
    }
    if (c->kept >= c->caps.max_total) {
        /* Tiny responses without end ("HTTP/1.1 204 \r\n\r\n", 18 bytes) cost ten times their
         * bytes once recorded: what is kept counts against --max-response too. */
        stop_at_cap(c, CF_CAP_KEPT, c->caps.max_total);
        c->state = ST_STOPPED;
        return;
    }
    c->msg_start = consumed_end(c);
    h1_reader_release(&c->rd);
    c->state = ST_HEAD;
    /* RFC 9110 §15.2.2 (101) and §9.3.6 (2xx to CONNECT): what follows is no longer HTTP/1.1. */
    if (status == 101 || (was_connect && status >= 200 && status <= 299)) c->state = ST_STOPPED;
}

/* Which cap a parser limit error stands for (CF_CAP_NONE: a real violation). */
static cf_cap_hit limit_cap(const cf_collect *c, uint64_t *value)
{
    switch (c->rd.p.error.code) {
    case H1_V_TOO_MANY_FIELDS: *value = c->caps.max_fields; return CF_CAP_FIELDS;
    case H1_V_HEAD_TOO_LARGE:
    case H1_V_TRAILERS_TOO_LARGE: *value = c->caps.max_head; return CF_CAP_HEAD;
    default: return CF_CAP_NONE;
    }
}

/* The message cannot be read on: record what arrived of it as incomplete and the error. A
 * message over one of conform's own limits is not a violation: it is over the cap. */
static void not_http(cf_collect *c)
{
    if (c->state == ST_BODY) {
        seal(c, &c->cur);
        push(c, &c->cur);
    }
    uint64_t value = 0;
    cf_cap_hit cap = limit_cap(c, &value);
    c->state = ST_STOPPED;
    if (cap != CF_CAP_NONE) {
        stop_at_cap(c, cap, value);
        return;
    }
    c->res->not_http = true;
    c->res->parse_error = (int)c->rd.p.error.code;
    c->res->parse_error_offset = c->rd.p.error.offset;
    c->state = ST_STOPPED;
}

static void process(cf_collect *c)
{
    while (!c->oom && c->state != ST_STOPPED) {
        if (c->state == ST_HEAD) { /* RFC 9112 §6.3: HEAD and CONNECT answers frame apart */
            c->rd.p.request_method.ptr = c->npending ? c->pending[0].method : NULL;
            c->rd.p.request_method.len = c->npending ? c->pending[0].len : 0;
        }
        h1_span d;
        switch (h1_reader_next(&c->rd, &d)) {
        case H1_RD_HEAD:
            start_response(c);
            c->state = ST_BODY;
            break;
        case H1_RD_DATA: add_body(c, d); break;
        case H1_RD_DONE: finish_response(c); break;
        case H1_RD_ERROR: not_http(c); return;
        case H1_RD_CUT: /* the input ended inside a response: what arrived is incomplete */
            if (c->state == ST_BODY) {
                seal(c, &c->cur);
                push(c, &c->cur);
            }
            c->state = ST_STOPPED;
            return;
        case H1_RD_END: c->state = ST_STOPPED; return;
        case H1_RD_AGAIN:
        case H1_RD_FULL: return;
        }
    }
}

/* Hands received bytes to the reader as it makes room for them, reading responses on the way. */
static void take(cf_collect *c, const uint8_t *data, size_t len)
{
    while (len > 0 && !c->oom && c->state != ST_STOPPED) {
        size_t room;
        char *dst = h1_reader_space(&c->rd, len, &room);
        if (!dst) { /* only when memory ran out: the parser's limits stop a message earlier */
            c->oom = true;
            return;
        }
        memcpy(dst, data, room);
        h1_reader_wrote(&c->rd, room);
        data += room;
        len -= room;
        process(c);
    }
}

/* Keeps up to max_raw received bytes of the step. */
static void keep_raw(cf_collect *c, const uint8_t *data, size_t len)
{
    cf_step_result *res = c->res;
    res->raw_total += len;
    size_t room = c->caps.max_raw > res->raw_len ? c->caps.max_raw - res->raw_len : 0;
    size_t take = len < room ? len : room;
    if (!take) return;
    uint8_t *nr = realloc(res->raw, res->raw_len + take);
    if (!nr) {
        c->oom = true;
        return;
    }
    res->raw = nr;
    memcpy(res->raw + res->raw_len, data, take);
    res->raw_len += take;
}

void cf_collect_begin(cf_collect *c, cf_step_result *res)
{
    if (c->npending) {
        res->requests = malloc(c->npending * sizeof *res->requests);
        if (res->requests) {
            memcpy(res->requests, c->pending, c->npending * sizeof *res->requests);
            res->nrequests = c->npending;
        } else {
            c->oom = true;
        }
    }
    c->res = res;
    c->complete = 0;
    c->kept = 0;
    c->capped = false;
    c->interim_run = 0;
    c->step_start = c->stream;
}

bool cf_collect_feed(cf_collect *c, const uint8_t *data, size_t len)
{
    keep_raw(c, data, len);
    c->stream += len;
    take(c, data, len);
    if (!c->capped && c->res->raw_total >= c->caps.max_total)
        stop_at_cap(c, CF_CAP_RESPONSE, c->caps.max_total);
    return !c->capped && !c->oom;
}

void cf_collect_eof(cf_collect *c, bool reset)
{
    /* RFC 9112 §6.3: a close-delimited body ends at close; anything else is cut short (RFC 9112
     * §8: an incomplete message). A reset cuts any body short. */
    if (c->state == ST_BODY && reset) {
        seal(c, &c->cur);
        push(c, &c->cur);
    } else if (c->state != ST_STOPPED) {
        h1_reader_eof(&c->rd);
        process(c);
    }
    c->state = ST_STOPPED;
}

/* A deep copy of r (for a response still arriving when a step ends). */
static bool copy_response(cf_obs_response *dst, const cf_obs_response *r)
{
    *dst = *r;
    dst->reason = dup_bytes(r->reason ? r->reason : "", r->reason_len);
    dst->fields = r->nfields ? calloc(r->nfields, sizeof *dst->fields) : NULL;
    dst->body = r->body_len ? malloc(r->body_len) : NULL;
    dst->violations = NULL;
    dst->nviolations = 0;
    dst->trailers = NULL;
    dst->ntrailers = 0;
    bool ok = dst->reason && (!r->nfields || dst->fields) && (!r->body_len || dst->body);
    for (size_t i = 0; ok && i < r->nfields; i++) {
        dst->fields[i].name = dup_bytes(r->fields[i].name, r->fields[i].name_len);
        dst->fields[i].value = dup_bytes(r->fields[i].value, r->fields[i].value_len);
        dst->fields[i].name_len = r->fields[i].name_len;
        dst->fields[i].value_len = r->fields[i].value_len;
        ok = dst->fields[i].name && dst->fields[i].value;
    }
    if (ok && r->body_len) memcpy(dst->body, r->body, r->body_len);
    if (!ok) response_free(dst);
    return ok;
}

void cf_collect_end(cf_collect *c)
{
    if (c->state == ST_BODY && c->res) {
        cf_obs_response copy;
        if (!copy_response(&copy, &c->cur)) {
            c->oom = true;
            return;
        }
        copy.complete = false;
        seal(c, &copy);
        push(c, &copy);
    }
    c->res = NULL;
}

bool cf_collect_stopped(const cf_collect *c)
{
    return c->state == ST_STOPPED;
}
