/* Field lines (RFC 9112 §5, RFC 9110 §5): the header section and the trailer section. */
#include <stdint.h>

#include "cf_internal.h"
#include "cf_simd.h"

enum { LINE_OK, LINE_MORE, LINE_ERR };

/* Scans the rest of a line from pos: sets *content_end to where the content ends (before CRLF)
 * and *next to the start of the next line. Bare CR and CTLs are errors or recorded repairs. */
static inline __attribute__((always_inline)) int scan_line(cf_parser *p, const cf_fields_ctx *c,
                                                           size_t pos, size_t *content_end,
                                                           size_t *next, unsigned *flags)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    for (;;) {
        pos = cf_scan_value(b, pos, c->end);
        if (pos >= c->end) return LINE_MORE;
        unsigned char ch = b[pos];
        if (ch == '\r' && pos + 1 < c->end && b[pos + 1] == '\n') { /* the common case */
            *content_end = pos;
            *next = pos + 2;
            return LINE_OK;
        }
        if (ch == '\t') {
            pos++;
            continue;
        }
        if (ch == '\r') {
            if (pos + 1 >= c->end) return LINE_MORE;
            if (b[pos + 1] == '\n') {
                *content_end = pos;
                *next = pos + 2;
                return LINE_OK;
            }
            /* RFC 9112 §2.2: a bare CR is invalid, or replaced by SP. */
            if (!cf_violate(p, CF_V_BARE_CR, c->base + pos)) return LINE_ERR;
        } else if (ch == '\n') {
            /* RFC 9112 §2.2: a recipient MAY accept a bare LF as the line terminator. */
            if (!cf_violate(p, CF_V_BARE_LF, c->base + pos)) return LINE_ERR;
            *content_end = pos;
            *next = pos + 1;
            return LINE_OK;
        } else if (!cf_violate(p, CF_V_FIELD_VALUE_CHAR, c->base + pos)) {
            /* RFC 9110 §5.5: NUL, CTLs and DEL are not field-vchar. */
            return LINE_ERR;
        }
        *flags |= CF_FIELD_REPAIRED;
        pos++;
    }
}

static inline size_t trim_ows_end(const unsigned char *b, size_t start, size_t end)
{
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t'))
        end--;
    return end;
}

/* A line that starts with SP or HTAB: RFC 9112 §2.2 right after the start-line, otherwise
 * obs-fold (RFC 9112 §5.2). Lenient repairs skip the line or fold it into the previous value. */
static int ws_line(cf_parser *p, cf_fields_ctx *c, size_t ls, size_t *pos)
{
    size_t content_end, next;
    unsigned flags = 0;
    int first = c->start_line_follows || *c->n == 0;
    cf_code code = c->start_line_follows ? CF_V_WS_AFTER_START_LINE : CF_V_OBS_FOLD;
    if (!cf_violate(p, code, c->base + ls)) return LINE_ERR;
    int r = scan_line(p, c, ls + 1, &content_end, &next, &flags);
    if (r != LINE_OK) return r;
    if (!first && c->arr) {
        cf_header *h = &c->arr[*c->n - 1];
        const unsigned char *b = (const unsigned char *)c->buf;
        size_t vs = (size_t)(h->value.ptr - c->buf);
        size_t ve = trim_ows_end(b, vs, content_end);
        h->value.len = ve - vs;
        h->flags |= CF_FIELD_REPAIRED;
    }
    *pos = next;
    return LINE_OK;
}

/* The field name up to its colon (RFC 9110 §5.1, RFC 9112 §5.1). Sets *name_end and the
 * position after the colon. */
static int field_name(cf_parser *p, const cf_fields_ctx *c, size_t ns, size_t *name_end,
                      size_t *after_colon)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t pos = cf_scan_tchar(b, ns, c->end);
    if (pos >= c->end) return LINE_MORE;
    *name_end = pos;
    unsigned char ch = b[pos];
    if (ch == ':') {
        if (pos == ns) {
            cf_fail(p, CF_V_FIELD_NAME_EMPTY, c->base + pos);
            return LINE_ERR;
        }
        *after_colon = pos + 1;
        return LINE_OK;
    }
    if (ch == ' ' || ch == '\t') {
        size_t ws = pos;
        while (pos < c->end && (b[pos] == ' ' || b[pos] == '\t'))
            pos++;
        if (pos >= c->end) return LINE_MORE;
        if (b[pos] != ':') {
            cf_fail(p, CF_V_FIELD_NAME_CHAR, c->base + ws);
            return LINE_ERR;
        }
        /* RFC 9112 §5.1: a server MUST reject it with 400; only a response may be repaired (a
         * proxy MUST remove the whitespace before forwarding it). */
        if (p->kind == CF_REQUEST) {
            cf_fail(p, CF_V_SPACE_BEFORE_COLON, c->base + ws);
            return LINE_ERR;
        }
        if (!cf_violate(p, CF_V_SPACE_BEFORE_COLON, c->base + ws)) return LINE_ERR;
        *after_colon = pos + 1;
        return LINE_OK;
    }
    if (ch == '\r' && pos + 1 >= c->end) return LINE_MORE;
    if (ch == '\r' && b[pos + 1] != '\n')
        cf_fail(p, CF_V_BARE_CR, c->base + pos); /* RFC 9112 §2.2 */
    else if (ch == '\r' || ch == '\n')
        cf_fail(p, CF_V_FIELD_NO_COLON, c->base + pos);
    else
        cf_fail(p, CF_V_FIELD_NAME_CHAR, c->base + pos);
    return LINE_ERR;
}

/* One "name: value" line from ls; stores it and sets *pos to the next line. */
static int field_line(cf_parser *p, cf_fields_ctx *c, size_t ls, size_t *pos)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t name_end, vs, content_end, next;
    unsigned flags = 0;
    int r = field_name(p, c, ls, &name_end, &vs);
    if (r != LINE_OK) return r;
    if (vs < c->end && b[vs] == ' ') /* the usual single SP */
        vs++;
    while (vs < c->end && (b[vs] == ' ' || b[vs] == '\t'))
        vs++;
    r = scan_line(p, c, vs, &content_end, &next, &flags);
    if (r != LINE_OK) return r;
    if (name_end == ls) {
        cf_fail(p, CF_V_FIELD_NAME_EMPTY, c->base + ls);
        return LINE_ERR;
    }
    size_t max = c->max_fields;
    if (c->arr && c->cap < max) max = c->cap;
    if (*c->n >= max) {
        cf_fail(p, CF_V_TOO_MANY_FIELDS, c->base + ls);
        return LINE_ERR;
    }
    if (c->arr) {
        cf_header *h = &c->arr[*c->n];
        h->name.ptr = c->buf + ls;
        h->name.len = name_end - ls;
        h->value.ptr = c->buf + vs;
        h->value.len = trim_ows_end(b, vs, content_end) - vs;
        h->flags = flags;
    }
    (*c->n)++;
    c->start_line_follows = 0;
    *pos = next;
    return LINE_OK;
}

/* The common line, "token: value" with at most one SP after the colon, no HTAB or trailing
 * whitespace, ending in CRLF, stored without the general path's checks. Returns the next line's
 * offset, or 0 when the line needs the general path. */
static inline size_t fast_line(const cf_fields_ctx *c, size_t pos, cf_header *h)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t end = c->end, ne = cf_scan_tchar(b, pos, end);
    if (ne == pos || ne + 2 >= end || b[ne] != ':') return 0;
    size_t vs = ne + 1 + (b[ne + 1] == ' ');
    if (vs >= end || b[vs] == ' ' || b[vs] == '\t') return 0;
    size_t ve = cf_scan_value(b, vs, end);
    if (ve + 1 >= end || b[ve] != '\r' || b[ve + 1] != '\n' || (ve > vs && b[ve - 1] == ' '))
        return 0;
    h->name.ptr = c->buf + pos;
    h->name.len = ne - pos;
    h->value.ptr = c->buf + vs;
    h->value.len = ve - vs;
    h->flags = 0;
    return ve + 2;
}

cf_status cf_fields_parse(cf_parser *p, cf_fields_ctx *c, size_t *pos_io)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t pos = *pos_io;
    size_t max = c->arr && c->cap < c->max_fields ? c->cap : c->max_fields;
    for (;;) {
        if (c->arr && *c->n < max) {
            size_t next = fast_line(c, pos, &c->arr[*c->n]);
            if (next) {
                (*c->n)++;
                c->start_line_follows = 0;
                pos = next;
                continue;
            }
        }
        size_t ls = pos, nv = p->num_violations;
        int r;
        *pos_io = ls;
        if (pos >= c->end) goto more;
        if (b[pos] == '\r') {
            if (pos + 1 >= c->end) goto more;
            if (b[pos + 1] == '\n') {
                *pos_io = pos + 2;
                return CF_DONE;
            }
        } else if (b[pos] == '\n') {
            if (!cf_violate(p, CF_V_BARE_LF, c->base + pos)) return CF_ERROR;
            *pos_io = pos + 1;
            return CF_DONE;
        }
        if (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r') {
            if (b[pos] == '\r' && !cf_violate(p, CF_V_BARE_CR, c->base + pos)) return CF_ERROR;
            r = ws_line(p, c, ls, &pos);
        } else {
            r = field_line(p, c, ls, &pos);
        }
        if (r == LINE_ERR) return CF_ERROR;
        if (r == LINE_OK) continue;
    more:
        /* The line is re-read on the next call: forget what it recorded. */
        p->num_violations = nv;
        if (c->end == c->bound) return cf_fail(p, c->bound_code, c->base + c->end);
        return CF_AGAIN;
    }
}
