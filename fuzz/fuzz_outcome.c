/* Parsing at cut offsets and comparing outcomes (see fuzz_outcome.h). */
#include "fuzz_outcome.h"

#include <stdlib.h>
#include <string.h>

#include "h1_reader.h"
#include "fuzz_http.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) abort();
    return p;
}

/* A copy of msg[from..to) in a buffer of exactly that size. */
static char *piece(const char *msg, size_t from, size_t to)
{
    char *b = malloc(to > from ? to - from : 1);
    if (!b) abort();
    if (to > from) memcpy(b, msg + from, to - from);
    return b;
}

static cf_fuzz_span span_off(h1_span s, const char *base, size_t base_off, size_t len,
                             const char *what)
{
    cf_fuzz_span r = {0, s.len};
    cf_fuzz_check_span(s, base, len, what);
    if (s.ptr) r.off = base_off + (size_t)(s.ptr - base);
    return r;
}

static cf_fuzz_field *fields(const h1_header *h, size_t n, const char *base, size_t base_off,
                             size_t len, const char *what)
{
    cf_fuzz_field *f = xcalloc(n, sizeof *f);
    cf_fuzz_check_fields(h, n, base, len, what);
    for (size_t i = 0; i < n; i++) {
        f[i].name = span_off(h[i].name, base, base_off, len, what);
        f[i].value = span_off(h[i].value, base, base_off, len, what);
        f[i].flags = h[i].flags;
    }
    return f;
}

static void record_head(cf_fuzz_outcome *o, const h1_parser *p, const char *buf, size_t len)
{
    const h1_message *m = &p->msg;
    o->head_done = 1;
    o->method = span_off(m->method, buf, 0, len, "method");
    o->target = span_off(m->target, buf, 0, len, "target");
    o->reason = span_off(m->reason, buf, 0, len, "reason");
    o->target_form = (int)m->target_form;
    o->version = m->version;
    o->status_code = m->status;
    o->head_len = m->head_len;
    o->host_index = m->host_index;
    o->framing = m->framing;
    o->content_length = m->content_length;
    if (m->head_len > len) cf_fuzz_fail("head_len %zu beyond %zu bytes given", m->head_len, len);
    if (m->num_headers > p->max_headers) cf_fuzz_fail("num_headers beyond max_headers");
    o->num_headers = m->num_headers;
    o->headers = fields(m->headers, m->num_headers, buf, 0, len, "header");
}

static void append(cf_fuzz_outcome *o, h1_span data)
{
    if (data.len == 0) return;
    char *nb = realloc(o->body, o->body_len + data.len);
    if (!nb) abort();
    o->body = nb;
    memcpy(o->body + o->body_len, data.ptr, data.len);
    o->body_len += data.len;
}

/* Decodes msg[*pos..cut) from a fresh buffer; returns 1 when the message ended. */
static int feed_body(h1_parser *p, cf_fuzz_outcome *o, const char *msg, size_t *pos, size_t cut)
{
    size_t from = *pos, n = cut - from, at = 0;
    char *b = piece(msg, from, cut);
    int ended = 0;
    for (;;) {
        h1_span data = {NULL, 0};
        size_t used = 0;
        h1_status st = h1_parse_body(p, b + at, n - at, &data, &used);
        if (used > n - at) cf_fuzz_fail("h1_parse_body used %zu of %zu", used, n - at);
        cf_fuzz_check_span(data, b + at, used, "body data");
        append(o, data);
        at += used;
        if (st == H1_DONE) {
            o->num_trailers = p->msg.num_trailers;
            if (p->trailers) {
                if (o->num_trailers > p->max_trailers) cf_fuzz_fail("num_trailers beyond max");
                o->trailers = fields(p->msg.trailers, o->num_trailers, b, from, at, "trailer");
            }
            o->consumed = from + at;
        }
        if (st != H1_AGAIN) {
            o->status = st;
            ended = 1;
            break;
        }
        if (used == 0 || at == n) break;
    }
    free(b);
    *pos = from + at;
    return ended;
}

static void record_end(cf_fuzz_outcome *o, const h1_parser *p)
{
    o->flags = p->msg.flags;
    o->body_received = p->body_received;
    o->num_violations = p->num_violations;
    o->stored_violations =
        p->num_violations < p->max_violations ? p->num_violations : p->max_violations;
    o->violations = xcalloc(o->stored_violations, sizeof *o->violations);
    if (o->stored_violations)
        memcpy(o->violations, p->violations, o->stored_violations * sizeof *o->violations);
    if (o->status == H1_ERROR) o->error = p->error;
    if (o->body_received != o->body_len) cf_fuzz_fail("body_received differs from bytes given");
}

/* The caller's arrays a parse hands the parser, sized by the configuration. */
typedef struct arrays {
    h1_header *h, *t;
    h1_violation *v;
} arrays;

static arrays arrays_new(const cf_fuzz_cfg *cfg)
{
    arrays a = {xcalloc(cfg->max_headers, sizeof *a.h), xcalloc(cfg->max_trailers, sizeof *a.t),
                xcalloc(cfg->max_violations, sizeof *a.v)};
    return a;
}

static void arrays_free(arrays *a)
{
    free(a->h);
    free(a->t);
    free(a->v);
}

/* Configures p (initialised for cfg->kind) as cfg says, with the arrays a. */
static void configure(h1_parser *p, const cf_fuzz_cfg *cfg, const arrays *a)
{
    p->lenient = cfg->lenient;
    p->limits = cfg->limits;
    if (cfg->method) p->request_method = (h1_span){cfg->method, strlen(cfg->method)};
    p->headers = a->h;
    p->max_headers = cfg->max_headers;
    p->trailers = a->t;
    p->max_trailers = cfg->max_trailers;
    p->violations = a->v;
    p->max_violations = cfg->max_violations;
    h1_parser_reset(p);
}

/* Starts an outcome (nothing parsed: H1_AGAIN) for a parse at cuts[0..ncuts), which must end at
 * len, and returns the arrays for its parser. */
static arrays begin(cf_fuzz_outcome *out, const cf_fuzz_cfg *cfg, const size_t *cuts, size_t ncuts,
                    size_t len)
{
    memset(out, 0, sizeof *out);
    out->status = H1_AGAIN;
    if (ncuts == 0 || cuts[ncuts - 1] != len) cf_fuzz_fail("cut list does not end at %zu", len);
    return arrays_new(cfg);
}

void cf_fuzz_parse_cuts(const cf_fuzz_cfg *cfg, const char *msg, size_t len, const size_t *cuts,
                        size_t ncuts, cf_fuzz_outcome *out)
{
    arrays a = begin(out, cfg, cuts, ncuts, len);
    h1_parser p;
    h1_parser_init(&p, cfg->kind);
    configure(&p, cfg, &a);
    char *head = NULL;
    size_t pos = 0;
    int ended = 0;
    for (size_t i = 0; i < ncuts && !ended; i++) {
        if (!out->head_done) {
            char *nb = piece(msg, 0, cuts[i]);
            free(head); /* the parser must not look at the previous buffer any more */
            head = nb;
            h1_status st = h1_parse_head(&p, head, cuts[i]);
            if (st == H1_ERROR) {
                out->status = H1_ERROR;
                break;
            }
            if (st != H1_DONE) continue;
            record_head(out, &p, head, cuts[i]);
            pos = p.msg.head_len;
        }
        ended = feed_body(&p, out, msg, &pos, cuts[i]);
    }
    free(head);
    if (!ended && out->status != H1_ERROR) {
        out->status = h1_parse_eof(&p);
        if (out->status == H1_DONE) {
            if (!out->head_done) cf_fuzz_fail("end of input completes a partial head");
            out->num_trailers = p.msg.num_trailers;
            out->consumed = pos;
        }
    }
    record_end(out, &p);
    arrays_free(&a);
}

/* The message offset of a trailer span in the reader's buffer: bytes after the head were moved
 * back over the body bytes the reader dropped. */
static cf_fuzz_field *reader_trailers(const h1_reader *r, size_t n)
{
    cf_fuzz_field *f =
        fields(r->p.msg.trailers, n, r->buf + r->start, 0, r->len - r->start, "trailer");
    for (size_t i = 0; i < n; i++) {
        f[i].name.off += (size_t)r->dropped;
        f[i].value.off += (size_t)r->dropped;
    }
    return f;
}

/* Runs r to its next stop, recording the head, content and end into o. Returns 1 when the
 * message ended (done, error or cut short), 0 when more input is needed. */
static int reader_events(h1_reader *r, cf_fuzz_outcome *o, const cf_fuzz_cfg *cfg)
{
    for (;;) {
        h1_span d;
        h1_read_event ev = h1_reader_next(r, &d);
        switch (ev) {
        case H1_RD_AGAIN: return 0;
        case H1_RD_HEAD: record_head(o, &r->p, r->buf + r->start, r->len - r->start); break;
        case H1_RD_DATA: append(o, d); break;
        case H1_RD_DONE:
            o->status = H1_DONE;
            o->num_trailers = r->p.msg.num_trailers;
            o->trailers = reader_trailers(r, o->num_trailers);
            o->consumed = (size_t)h1_reader_consumed(r);
            return 1;
        case H1_RD_ERROR: o->status = H1_ERROR; return 1;
        case H1_RD_FULL:
            /* h1_reader sizes its buffer from the limits: the parser must decide first */
            cf_fuzz_fail("the reader's buffer filled (limits %zu/%zu)", cfg->limits.max_head,
                         cfg->limits.max_trailer);
        case H1_RD_CUT:
        case H1_RD_END: o->status = H1_AGAIN; return 1;
        }
    }
}

void cf_fuzz_read_cuts(const cf_fuzz_cfg *cfg, const char *msg, size_t len, const size_t *cuts,
                       size_t ncuts, cf_fuzz_outcome *out)
{
    arrays a = begin(out, cfg, cuts, ncuts, len);
    h1_reader r;
    h1_reader_init(&r, cfg->kind);
    configure(&r.p, cfg, &a);
    size_t from = 0;
    int ended = 0;
    for (size_t i = 0; i < ncuts && !ended; i++) {
        if (h1_reader_append(&r, msg + from, cuts[i] - from) != 0)
            cf_fuzz_fail("the reader refused %zu bytes at %zu", cuts[i] - from, from);
        from = cuts[i];
        ended = reader_events(&r, out, cfg);
    }
    if (!ended) {
        h1_reader_eof(&r);
        reader_events(&r, out, cfg);
    }
    if (out->status == H1_DONE && !out->head_done) cf_fuzz_fail("reader done without a head");
    record_end(out, &r.p);
    if (out->status == H1_ERROR && out->error.offset > len) cf_fuzz_fail("error past the input");
    h1_reader_free(&r);
    arrays_free(&a);
}

static int span_ne(cf_fuzz_span a, cf_fuzz_span b)
{
    return a.off != b.off || a.len != b.len;
}

static const char *fields_diff(const cf_fuzz_field *a, const cf_fuzz_field *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (span_ne(a[i].name, b[i].name) || span_ne(a[i].value, b[i].value) ||
            a[i].flags != b[i].flags)
            return "a field line";
    return NULL;
}

static const char *head_diff(const cf_fuzz_outcome *a, const cf_fuzz_outcome *b)
{
    if (a->head_done != b->head_done) return "head completion";
    if (!a->head_done) return NULL;
    if (span_ne(a->method, b->method) || span_ne(a->target, b->target)) return "method/target";
    if (span_ne(a->reason, b->reason)) return "reason";
    if (a->target_form != b->target_form || a->version != b->version) return "form/version";
    if (a->status_code != b->status_code) return "status code";
    if (a->head_len != b->head_len || a->host_index != b->host_index) return "head_len/host";
    if (a->framing != b->framing || a->content_length != b->content_length) return "framing";
    if (a->num_headers != b->num_headers) return "number of headers";
    return fields_diff(a->headers, b->headers, a->num_headers);
}

const char *cf_fuzz_outcome_diff(const cf_fuzz_outcome *a, const cf_fuzz_outcome *b,
                                 int same_violations)
{
    if (a->status != b->status) return "status";
    if (a->error.code != b->error.code || a->error.offset != b->error.offset) return "error";
    const char *d = head_diff(a, b);
    if (d) return d;
    if (a->flags != b->flags) return "message flags";
    if (a->body_len != b->body_len || (a->body_len && memcmp(a->body, b->body, a->body_len)))
        return "decoded body";
    if (a->consumed != b->consumed) return "bytes consumed";
    if (a->num_trailers != b->num_trailers) return "number of trailers";
    if (a->trailers && b->trailers && fields_diff(a->trailers, b->trailers, a->num_trailers))
        return "a trailer";
    if (!same_violations) return NULL;
    if (a->num_violations != b->num_violations || a->stored_violations != b->stored_violations)
        return "number of violations";
    for (size_t i = 0; i < a->stored_violations; i++)
        if (a->violations[i].code != b->violations[i].code ||
            a->violations[i].offset != b->violations[i].offset)
            return "a violation";
    return NULL;
}

void cf_fuzz_outcome_free(cf_fuzz_outcome *o)
{
    free(o->headers);
    free(o->trailers);
    free(o->body);
    free(o->violations);
    memset(o, 0, sizeof *o);
}
