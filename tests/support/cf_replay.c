/* Replay helper: the same message parsed whole, byte by byte and split in two must give one
 * outcome (see cf_replay.h). */
#include "cf_replay.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_guard.h"
#include "h1_reader.h"

/* Inputs longer than this are replayed in sampled pieces instead of every byte and offset. */
#define CF_REPLAY_FULL_MAX 4096
#define CF_REPLAY_SAMPLES  97

static cf_guard guard;

/* Where the bytes last given to the parser sit: buffer start and its offset in the message. */
typedef struct placement {
    const char *base;
    size_t msg_off, len;
} placement;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) abort();
    return p;
}

static void problem(cf_outcome *o, const char *fmt, ...)
{
    if (o->problem[0]) return; /* keep the first */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->problem, sizeof o->problem, fmt, ap);
    va_end(ap);
}

static int guard_reserve(size_t len)
{
    if (guard.map && cf_guard_capacity(&guard) >= len) return 0;
    cf_guard_free(&guard);
    return cf_guard_init(&guard, len < 65536 ? 65536 : len);
}

static placement place(const char *input, size_t from, size_t to)
{
    placement pl = {cf_guard_place(&guard, input + from, to - from), from, to - from};
    return pl;
}

/* Converts a span the parser returned into message offsets; checks it lies in the buffer. */
static cf_rspan map_span(cf_outcome *o, const placement *pl, h1_span s, const char *what)
{
    cf_rspan r = {0, s.len};
    if (s.len == 0 && s.ptr == NULL) return r;
    if (s.ptr < pl->base || s.ptr > pl->base + pl->len ||
        s.len > (size_t)(pl->base + pl->len - s.ptr)) {
        problem(o, "%s span outside the buffer given to the parser", what);
        r.len = 0;
        return r;
    }
    r.off = pl->msg_off + (size_t)(s.ptr - pl->base);
    return r;
}

static cf_rfield *record_fields(cf_outcome *o, const placement *pl, const h1_header *h, size_t n,
                                const char *what)
{
    cf_rfield *f = xcalloc(n, sizeof *f);
    for (size_t i = 0; i < n; i++) {
        f[i].name = map_span(o, pl, h[i].name, what);
        f[i].value = map_span(o, pl, h[i].value, what);
        f[i].flags = h[i].flags;
        char probe[1];
        size_t need = h1_field_value_copy(&h[i], probe, 0);
        f[i].copy = xcalloc(need + 1, 1);
        f[i].copy_len = h1_field_value_copy(&h[i], f[i].copy, need + 1);
        if (f[i].copy_len != need) problem(o, "h1_field_value_copy length depends on cap");
        if (need > 0) { /* a short buffer gets the first cap bytes and the full length */
            char *part = xcalloc(need, 1);
            size_t got = h1_field_value_copy(&h[i], part, need - 1);
            if (got != need || memcmp(part, f[i].copy, need - 1) != 0)
                problem(o, "h1_field_value_copy truncation differs");
            free(part);
        }
        if (!(h[i].flags & H1_FIELD_REPAIRED) &&
            (f[i].copy_len != h[i].value.len ||
             (need && memcmp(f[i].copy, h[i].value.ptr, need) != 0)))
            problem(o, "%s %zu: copy differs from the raw value without H1_FIELD_REPAIRED", what,
                    i);
    }
    return f;
}

static void record_head(cf_outcome *o, const h1_parser *p, const placement *pl, size_t avail)
{
    const h1_message *m = &p->msg;
    o->head_done = 1;
    o->method = map_span(o, pl, m->method, "method");
    o->target = map_span(o, pl, m->target, "target");
    o->reason = map_span(o, pl, m->reason, "reason");
    o->target_form = (int)m->target_form;
    o->version = m->version;
    o->status_code = m->status;
    o->head_len = m->head_len;
    o->host_index = m->host_index;
    o->framing = m->framing;
    o->content_length = m->content_length;
    o->num_headers = m->num_headers;
    if (m->head_len > avail)
        problem(o, "head_len %zu beyond the %zu bytes given", m->head_len, avail);
    if (!m->headers) { /* no array (max_headers 0): counted only */
        if (p->headers && p->max_headers) problem(o, "msg.headers NULL with an array given");
    } else if (m->headers != p->headers || !p->max_headers) {
        problem(o, "msg.headers is not the array given");
    } else if (m->num_headers > p->max_headers)
        problem(o, "num_headers beyond max_headers");
    else
        o->headers = record_fields(o, pl, m->headers, m->num_headers, "header");
}

static void record_end(cf_outcome *o, const h1_parser *p)
{
    o->flags = p->msg.flags;
    o->body_received = p->body_received;
    o->num_violations = p->num_violations;
    o->stored_violations =
        p->num_violations < p->max_violations ? p->num_violations : p->max_violations;
    if (!p->violations) o->stored_violations = 0;
    o->violations = xcalloc(o->stored_violations, sizeof *o->violations);
    if (o->stored_violations)
        memcpy(o->violations, p->violations, o->stored_violations * sizeof *o->violations);
    if (o->status == H1_ERROR) o->error = p->error;
}

static void append_body(cf_outcome *o, const placement *pl, h1_span data, size_t used, size_t pos)
{
    if (data.len == 0) return;
    if (data.ptr < pl->base + pos || data.ptr + data.len > pl->base + pos + used) {
        problem(o, "body data span outside the bytes consumed by that call");
        return;
    }
    char *nb = realloc(o->body, o->body_len + data.len);
    if (!nb) abort();
    o->body = nb;
    memcpy(o->body + o->body_len, data.ptr, data.len);
    o->body_len += data.len;
}

static void setup(h1_parser *p, const cf_replay_cfg *cfg, h1_header *h, h1_header *t,
                  h1_violation *v)
{
    h1_parser_init(p, cfg->kind);
    p->lenient = cfg->lenient;
    p->limits = cfg->limits;
    if (cfg->request_method) {
        p->request_method.ptr = cfg->request_method;
        p->request_method.len = strlen(cfg->request_method);
    }
    p->headers = h;
    p->max_headers = cfg->max_headers;
    p->trailers = cfg->no_trailers ? NULL : t;
    p->max_trailers = cfg->no_trailers ? 0 : cfg->max_trailers;
    p->violations = cfg->no_violations ? NULL : v;
    p->max_violations = cfg->no_violations ? 0 : cfg->max_violations;
}

/* Runs the body decoder over input[*body_pos..cut); returns 1 when the message ended. */
static int feed_body(h1_parser *p, cf_outcome *o, const char *input, size_t *body_pos, size_t cut)
{
    placement pl = place(input, *body_pos, cut);
    size_t pos = 0;
    for (int rounds = 0;; rounds++) {
        h1_span data = {NULL, 0};
        size_t used = 0;
        h1_status st = h1_parse_body(p, pl.base + pos, pl.len - pos, &data, &used);
        if (used > pl.len - pos) {
            problem(o, "h1_parse_body used %zu of %zu bytes", used, pl.len - pos);
            used = pl.len - pos;
        }
        append_body(o, &pl, data, used, pos);
        pos += used;
        if (st == H1_ERROR || st == H1_DONE) {
            o->status = st;
            if (st == H1_DONE) {
                placement tp = pl;
                o->num_trailers = p->msg.num_trailers;
                if (p->msg.trailers && p->msg.num_trailers <= p->max_trailers)
                    o->trailers =
                        record_fields(o, &tp, p->msg.trailers, p->msg.num_trailers, "trailer");
                o->consumed = *body_pos + pos;
            }
            *body_pos += pos;
            return 1;
        }
        if (st != H1_AGAIN) problem(o, "h1_parse_body returned %d", (int)st);
        if (used == 0 || pos == pl.len || rounds > 1 << 20) break;
    }
    *body_pos += pos;
    return 0;
}

void cf_replay_cuts(const cf_replay_cfg *cfg, const char *input, size_t len, const size_t *cuts,
                    size_t ncuts, cf_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->status = H1_AGAIN;
    if (guard_reserve(len) != 0) {
        problem(out, "cannot map a guard buffer");
        return;
    }
    h1_header *h = xcalloc(cfg->max_headers, sizeof *h);
    h1_header *t = xcalloc(cfg->max_trailers, sizeof *t);
    h1_violation *v = xcalloc(cfg->max_violations, sizeof *v);
    h1_parser p;
    setup(&p, cfg, h, t, v);
    size_t body_pos = 0;
    int ended = 0;
    for (size_t i = 0; i < ncuts && !ended; i++) {
        size_t cut = cuts[i];
        if (!out->head_done) {
            placement pl = place(input, 0, cut);
            h1_status st = h1_parse_head(&p, pl.base, cut);
            if (st == H1_ERROR) {
                out->status = H1_ERROR;
                ended = 1;
                break;
            }
            if (st != H1_DONE) continue;
            record_head(out, &p, &pl, cut);
            body_pos = p.msg.head_len <= cut ? p.msg.head_len : cut;
        }
        ended = feed_body(&p, out, input, &body_pos, cut);
    }
    if (!ended) out->status = h1_parse_eof(&p);
    if (!ended && out->status == H1_DONE) {
        out->num_trailers = p.msg.num_trailers;
        out->consumed = body_pos;
        if (!out->head_done) problem(out, "h1_parse_eof says done before the head was complete");
    }
    record_end(out, &p);
    free(h);
    free(t);
    free(v);
}

/* The same message through the message reader (h1_reader.h), pieces appended at the cuts. */
static int reader_events(h1_reader *r, cf_outcome *o)
{
    for (;;) {
        h1_span d;
        h1_read_event ev = h1_reader_next(r, &d);
        placement pl = {r->buf + r->start, 0, r->len - r->start};
        switch (ev) {
        case H1_RD_AGAIN: return 0;
        case H1_RD_HEAD: record_head(o, &r->p, &pl, pl.len); break;
        case H1_RD_DATA: append_body(o, &(placement){d.ptr, 0, d.len}, d, d.len, 0); break;
        case H1_RD_DONE:
            o->status = H1_DONE;
            o->num_trailers = r->p.msg.num_trailers;
            /* body bytes the reader dropped came between the head and the trailers */
            pl.msg_off = (size_t)r->dropped;
            if (r->p.trailers && o->num_trailers <= r->p.max_trailers)
                o->trailers = record_fields(o, &pl, r->p.msg.trailers, o->num_trailers, "trailer");
            o->consumed = (size_t)h1_reader_consumed(r);
            return 1;
        case H1_RD_ERROR: o->status = H1_ERROR; return 1;
        case H1_RD_FULL:
            problem(o, "the reader's buffer filled before the parser decided");
            return 1;
        case H1_RD_CUT:
        case H1_RD_END: o->status = H1_AGAIN; return 1;
        }
    }
}

void cf_replay_reader(const cf_replay_cfg *cfg, const char *input, size_t len, const size_t *cuts,
                      size_t ncuts, cf_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->status = H1_AGAIN;
    if (ncuts == 0 || cuts[ncuts - 1] != len) problem(out, "cut list does not end at %zu", len);
    h1_header *h = xcalloc(cfg->max_headers, sizeof *h);
    h1_header *t = xcalloc(cfg->max_trailers, sizeof *t);
    h1_violation *v = xcalloc(cfg->max_violations, sizeof *v);
    h1_reader r;
    h1_reader_init(&r, cfg->kind);
    setup(&r.p, cfg, h, t, v);
    h1_parser_reset(&r.p);
    size_t from = 0;
    int ended = 0;
    for (size_t i = 0; i < ncuts && !ended; i++) {
        if (h1_reader_append(&r, input + from, cuts[i] - from) != 0)
            problem(out, "the reader refused bytes %zu..%zu", from, cuts[i]);
        from = cuts[i];
        ended = reader_events(&r, out);
    }
    if (!ended) {
        h1_reader_eof(&r);
        reader_events(&r, out);
    }
    record_end(out, &r.p);
    h1_reader_free(&r);
    free(h);
    free(t);
    free(v);
}

/* Cut lists -------------------------------------------------------------------------------- */

static size_t *cuts_bytewise(size_t len, size_t *n)
{
    size_t step = len > CF_REPLAY_FULL_MAX ? len / CF_REPLAY_SAMPLES + 1 : 1;
    size_t *c = xcalloc(len / step + 2, sizeof *c);
    size_t k = 0;
    for (size_t at = step; at < len; at += step)
        c[k++] = at;
    c[k++] = len;
    *n = k;
    return c;
}

static int compare(const cf_outcome *a, const cf_outcome *b, const char *input, const char *mode,
                   char *why, size_t cap)
{
    size_t rcap = 65536 + 4 * (a->body_len + b->body_len);
    char *ra = xcalloc(rcap, 1), *rb = xcalloc(rcap, 1);
    cf_outcome_render(a, input, ra, rcap);
    cf_outcome_render(b, input, rb, rcap);
    int same = strcmp(ra, rb) == 0 && !b->problem[0];
    if (!same) {
        const char *x = ra, *y = rb; /* report the first differing line */
        while (*x && *x == *y)
            x++, y++;
        while (x > ra && x[-1] != '\n')
            x--, y--;
        snprintf(why, cap, "%s differs from whole input: whole has [%.*s], %s has [%.*s]%s%s", mode,
                 (int)strcspn(x, "\n"), x, mode, (int)strcspn(y, "\n"), y,
                 b->problem[0] ? "; problem: " : "", b->problem);
    }
    free(ra);
    free(rb);
    return same ? 0 : -1;
}

int cf_replay_all(const cf_replay_cfg *cfg, const char *input, size_t len, cf_outcome *whole,
                  char *why, size_t why_cap)
{
    size_t all = len;
    cf_replay_cuts(cfg, input, len, &all, 1, whole);
    if (whole->problem[0]) {
        snprintf(why, why_cap, "whole input: %s", whole->problem);
        return -1;
    }
    if (len < 2) return 0;
    cf_outcome other;
    size_t n;
    size_t *cuts = cuts_bytewise(len, &n);
    cf_replay_cuts(cfg, input, len, cuts, n, &other);
    int rc = compare(whole, &other, input, "byte-by-byte", why, why_cap);
    cf_outcome_free(&other);
    /* The message reader, fed whole and byte by byte, reads the same message. */
    cf_replay_reader(cfg, input, len, &all, 1, &other);
    if (rc == 0) rc = compare(whole, &other, input, "reader, whole", why, why_cap);
    cf_outcome_free(&other);
    cf_replay_reader(cfg, input, len, cuts, n, &other);
    if (rc == 0) rc = compare(whole, &other, input, "reader, byte-by-byte", why, why_cap);
    cf_outcome_free(&other);
    free(cuts);
    size_t step = len > CF_REPLAY_FULL_MAX ? len / CF_REPLAY_SAMPLES + 1 : 1;
    for (size_t k = 1; rc == 0 && k < len; k += step) {
        size_t two[2] = {k, len};
        char mode[48];
        snprintf(mode, sizeof mode, "split at %zu", k);
        cf_replay_cuts(cfg, input, len, two, 2, &other);
        rc = compare(whole, &other, input, mode, why, why_cap);
        cf_outcome_free(&other);
    }
    return rc;
}

/* Rendering -------------------------------------------------------------------------------- */

typedef struct sink {
    char *out;
    size_t cap, len;
} sink;

static const char *code_name(h1_code c)
{
    const char *n = h1_code_name(c);
    return n ? n : "(null)";
}

static void put(sink *s, const char *fmt, ...)
{
    if (s->len >= s->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->out + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n > 0) s->len += (size_t)n < s->cap - s->len ? (size_t)n : s->cap - s->len - 1;
}

static void put_bytes(sink *s, const char *p, size_t n)
{
    char tmp[1024];
    for (size_t i = 0; i < n; i += 200) {
        size_t k = n - i < 200 ? n - i : 200;
        put(s, "%s", cf_escape(p + i, k, tmp, sizeof tmp));
    }
}

static void put_span(sink *s, const char *key, cf_rspan r, const char *input)
{
    put(s, "%s=@%zu+%zu \"", key, r.off, r.len);
    put_bytes(s, input + r.off, r.len);
    put(s, "\"\n");
}

static void put_fields(sink *s, const char *key, const cf_rfield *f, size_t n, const char *input)
{
    for (size_t i = 0; f && i < n; i++) {
        put(s, "%s[%zu]=@%zu ", key, i, f[i].name.off);
        put_bytes(s, input + f[i].name.off, f[i].name.len);
        put(s, ": ");
        put_bytes(s, input + f[i].value.off, f[i].value.len);
        put(s, " (@%zu flags %u) copy \"", f[i].value.off, f[i].flags);
        put_bytes(s, f[i].copy, f[i].copy_len);
        put(s, "\"\n");
    }
}

char *cf_outcome_render(const cf_outcome *o, const char *input, char *out, size_t cap)
{
    sink s = {out, cap, 0};
    out[0] = 0;
    static const char *const st[] = {"DONE", "AGAIN", "ERROR"};
    put(&s, "status=%s\n", (unsigned)o->status < 3 ? st[o->status] : "?");
    if (o->status == H1_ERROR) put(&s, "error=%s@%zu\n", code_name(o->error.code), o->error.offset);
    put(&s, "violations=%zu:", o->num_violations);
    for (size_t i = 0; i < o->stored_violations; i++)
        put(&s, " %s@%zu", code_name(o->violations[i].code), o->violations[i].offset);
    put(&s, "\n");
    if (!o->head_done) return out;
    put_span(&s, "method", o->method, input);
    put_span(&s, "target", o->target, input);
    put_span(&s, "reason", o->reason, input);
    put(&s, "form=%d version=%d status=%d head_len=%zu host=%zu\n", o->target_form, o->version,
        o->status_code, o->head_len, o->host_index);
    put(&s, "framing=%d content_length=%llu\n", (int)o->framing,
        (unsigned long long)o->content_length);
    put(&s, "headers=%zu\n", o->num_headers);
    put_fields(&s, "header", o->headers, o->num_headers, input);
    put(&s, "flags=0x%x\n", o->flags);
    if (o->status == H1_ERROR) return out;
    put(&s, "body=%zu received=%llu \"", o->body_len, (unsigned long long)o->body_received);
    put_bytes(&s, o->body, o->body_len);
    put(&s, "\"\n");
    if (o->status != H1_DONE) return out;
    put(&s, "consumed=%zu trailers=%zu\n", o->consumed, o->num_trailers);
    put_fields(&s, "trailer", o->trailers, o->trailers ? o->num_trailers : 0, input);
    return out;
}

static void free_fields(cf_rfield *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        free(f[i].copy);
    free(f);
}

void cf_outcome_free(cf_outcome *o)
{
    free_fields(o->headers, o->headers ? o->num_headers : 0);
    free_fields(o->trailers, o->trailers ? o->num_trailers : 0);
    free(o->body);
    free(o->violations);
    o->headers = o->trailers = NULL;
    o->body = NULL;
    o->violations = NULL;
}

char *cf_escape(const char *s, size_t len, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r')
            k += (size_t)snprintf(out + k, cap - k, "\\r");
        else if (c == '\n')
            k += (size_t)snprintf(out + k, cap - k, "\\n");
        else if (c == '\\')
            k += (size_t)snprintf(out + k, cap - k, "\\\\");
        else if (c < 0x20 || c >= 0x7f)
            k += (size_t)snprintf(out + k, cap - k, "\\x%02x", c);
        else
            out[k++] = (char)c;
    }
    if (cap) out[k < cap ? k : cap - 1] = 0;
    return out;
}

cf_replay_cfg cf_replay_cfg_default(h1_kind kind)
{
    cf_replay_cfg c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.limits = h1_limits_default();
    c.max_headers = 128;
    c.max_trailers = 64;
    c.max_violations = 64;
    return c;
}
