/* conform run: which requests a step sent, so that each response is parsed knowing the method
 * it answers (RFC 9112 §6.3: a response to HEAD has no body; a 2xx answer to CONNECT neither). */
#include <stdlib.h>
#include <string.h>

#include "h1_reader.h"
#include "exchange_collect.h"

/* Stores the method m[0..n) (truncated to the cap) into out[*count] when there is room, with
 * strict, the first rule the strict reading breaks (0: none). */
static void put(cf_pending *out, size_t max, size_t *count, const char *m, size_t n,
                const h1_message *msg, bool whole, int strict)
{
    if (*count < max) {
        if (n >= CF_COLLECT_METHOD_MAX) n = CF_COLLECT_METHOD_MAX - 1;
        memcpy(out[*count].method, m, n);
        out[*count].method[n] = 0;
        out[*count].len = n;
        out[*count].version = msg && msg->version == 10 ? 10 : 11;
        out[*count].flags = msg ? msg->flags : 0;
        out[*count].whole = whole;
        out[*count].strict = strict;
    }
    (*count)++;
}

static bool is_ws(uint8_t b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

/* The first token of d[0..n) after leading whitespace; its length, 0 when there is none. */
static size_t first_token(const uint8_t *d, size_t n, const uint8_t **tok)
{
    size_t i = 0;
    while (i < n && is_ws(d[i]))
        i++;
    size_t j = i;
    while (j < n && !is_ws(d[j]))
        j++;
    *tok = d + i;
    return j - i;
}

/* Offset just past the first empty line (CRLF CRLF or LF LF) in d[0..n), or n. Both end with
 * LF, so only the LFs memchr finds are looked at. */
static size_t past_head(const uint8_t *d, size_t n)
{
    for (const uint8_t *lf = memchr(d, '\n', n); lf;
         lf = memchr(lf + 1, '\n', n - (size_t)(lf + 1 - d))) {
        size_t k = (size_t)(lf - d);
        if (k > 0 && d[k - 1] == '\r' && k + 2 < n && d[k + 1] == '\r' && d[k + 2] == '\n')
            return k + 3; /* CRLF CRLF starting at k - 1 */
        if (k + 1 < n && d[k + 1] == '\n') return k + 2;
        if (k + 1 >= n) break;
    }
    return n;
}

/* Reads the body of the request whose head r just parsed; true when it is complete (not cut
 * short or broken: then the rest of the bytes belongs to this request). *strict gets the first
 * rule the strict reading breaks: a repair recorded on the way, else the error it stopped at. */
static bool read_body(h1_reader *r, int *strict)
{
    for (;;) {
        h1_span data;
        h1_read_event ev = h1_reader_next(r, &data);
        if (r->p.num_violations && r->p.violations)
            *strict = (int)r->p.violations[0].code;
        else if (ev == H1_RD_ERROR)
            *strict = (int)r->p.error.code;
        if (ev == H1_RD_DONE) return true;
        if (ev != H1_RD_DATA) return false;
    }
}

size_t cf_collect_methods(const uint8_t *data, size_t len, cf_pending *out, size_t max)
{
    h1_header h[CF_COLLECT_MAX_FIELDS];
    h1_violation v[4]; /* the repairs of the request read: the first names its strict rule */
    h1_reader r;       /* borrows data: nothing is copied */
    h1_reader_init_fixed(&r, H1_REQUEST, (const char *)data, len);
    r.p.lenient = H1_LENIENT_ALL;
    r.p.headers = h;
    r.p.max_headers = CF_COLLECT_MAX_FIELDS;
    r.p.violations = v;
    r.p.max_violations = sizeof v / sizeof v[0];
    h1_parser_reset(&r.p);
    size_t count = 0;
    for (;;) {
        h1_span rest = h1_reader_rest(&r);
        const uint8_t *tok;
        size_t tl = first_token((const uint8_t *)rest.ptr, rest.len, &tok);
        if (tl == 0) break; /* only whitespace left */
        h1_span unused;
        h1_read_event ev = h1_reader_next(&r, &unused);
        int strict = 0;
        if (ev == H1_RD_HEAD) {
            bool whole = read_body(&r, &strict);
            put(out, max, &count, r.p.msg.method.ptr, r.p.msg.method.len, &r.p.msg, whole, strict);
            if (!whole) break; /* cut short or broken: the rest belongs to this request */
            h1_reader_release(&r);
            continue;
        }
        /* Not a request the parser can read: count it under its first token, and assume it
         * ends at the next empty line (a server reading it would answer once). */
        put(out, max, &count, (const char *)tok, tl, NULL, false,
            ev == H1_RD_ERROR ? (int)r.p.error.code : 0);
        if (ev != H1_RD_ERROR) break; /* cut short: the rest is this request */
        h1_reader_skip(&r, past_head((const uint8_t *)rest.ptr, rest.len));
    }
    h1_reader_free(&r);
    return count;
}

/* Makes room for want more pending requests; false (and oom set) when memory ran out. */
static bool reserve(cf_collect *c, size_t want)
{
    if (c->npending + want <= c->pending_cap) return true;
    size_t cap = (c->npending + want) * 2;
    void *np = realloc(c->pending, cap * sizeof *c->pending);
    if (!np) {
        c->oom = true;
        return false;
    }
    c->pending = np;
    c->pending_cap = cap;
    return true;
}

size_t cf_collect_sent(cf_collect *c, const uint8_t *data, size_t len)
{
    /* One parse of the bytes in the common case: room for a few requests first, a second parse
     * only when they hold more. */
    if (!reserve(c, 8)) return 0;
    size_t room = c->pending_cap - c->npending;
    size_t n = cf_collect_methods(data, len, c->pending + c->npending, room);
    if (n > room) {
        if (!reserve(c, n)) return 0;
        cf_collect_methods(data, len, c->pending + c->npending, n);
    }
    c->npending += n;
    return n;
}

size_t cf_collect_npending(const cf_collect *c)
{
    return c->npending;
}
