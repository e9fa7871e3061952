/* Field lines (RFC 9112 §5, RFC 9110 §5): the header section and the trailer section. */
#include "h1_simd_level.h" /* first: this file is built once per SIMD level */
#include <stdint.h>

#include "h1_internal.h"
#include "h1_simd.h"

enum { LINE_OK, LINE_MORE, LINE_ERR };

/* Scans the rest of a line from pos: sets *content_end to where the content ends (before CRLF)
 * and *next to the start of the next line. Bare CR and CTLs are errors or recorded repairs. */
static inline __attribute__((always_inline)) int scan_line(h1_parser *p, const h1_fields_ctx *c,
                                                           size_t pos, size_t *content_end,
                                                           size_t *next, unsigned *flags)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    for (;;) {
        pos = h1_scan_value(b, pos, c->end);
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
            if (!h1_violate(p, H1_V_BARE_CR, c->base + pos)) return LINE_ERR;
        } else if (ch == '\n') {
            /* RFC 9112 §2.2: a recipient MAY accept a bare LF as the line terminator. */
            if (!h1_violate(p, H1_V_BARE_LF, c->base + pos)) return LINE_ERR;
            *content_end = pos;
            *next = pos + 1;
            return LINE_OK;
        } else if (!h1_violate(p, H1_V_FIELD_VALUE_CHAR, c->base + pos)) {
            /* RFC 9110 §5.5: NUL, CTLs and DEL are not field-vchar. */
            return LINE_ERR;
        }
        *flags |= H1_FIELD_REPAIRED;
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
static int ws_line(h1_parser *p, h1_fields_ctx *c, size_t ls, size_t *pos)
{
    size_t content_end, next;
    unsigned flags = 0;
    int first = c->start_line_follows || *c->n == 0;
    h1_code code = c->start_line_follows ? H1_V_WS_AFTER_START_LINE : H1_V_OBS_FOLD;
    if (!h1_violate(p, code, c->base + ls)) return LINE_ERR;
    int r = scan_line(p, c, ls + 1, &content_end, &next, &flags);
    if (r != LINE_OK) return r;
    h1_header *h = NULL;
    if (!first && c->arr)
        h = &c->arr[*c->n - 1];
    else if (!first && c->marks && c->marks->facts.has_last &&
             c->marks->facts.last_index == *c->n - 1)
        h = &c->marks->facts.last; /* no array: the field whose meaning is still to be read */
    if (h) {
        const unsigned char *b = (const unsigned char *)c->buf;
        size_t vs = (size_t)(h->value.ptr - c->buf);
        size_t ve = trim_ows_end(b, vs, content_end);
        h->value.len = ve - vs;
        h->flags |= H1_FIELD_REPAIRED;
    }
    *pos = next;
    return LINE_OK;
}

/* The field name up to its colon (RFC 9110 §5.1, RFC 9112 §5.1). Sets *name_end and the
 * position after the colon. */
static int field_name(h1_parser *p, const h1_fields_ctx *c, size_t ns, size_t *name_end,
                      size_t *after_colon)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t pos = h1_scan_tchar(b, ns, c->end);
    if (pos >= c->end) return LINE_MORE;
    *name_end = pos;
    unsigned char ch = b[pos];
    if (ch == ':') {
        if (pos == ns) {
            h1_fail(p, H1_V_FIELD_NAME_EMPTY, c->base + pos);
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
            h1_fail(p, H1_V_FIELD_NAME_CHAR, c->base + ws);
            return LINE_ERR;
        }
        /* RFC 9112 §5.1: a server MUST reject it with 400; only a response may be repaired (a
         * proxy MUST remove the whitespace before forwarding it). */
        if (p->kind == H1_REQUEST) {
            h1_fail(p, H1_V_SPACE_BEFORE_COLON, c->base + ws);
            return LINE_ERR;
        }
        if (!h1_violate(p, H1_V_SPACE_BEFORE_COLON, c->base + ws)) return LINE_ERR;
        *after_colon = pos + 1;
        return LINE_OK;
    }
    if (ch == '\r' && pos + 1 >= c->end) return LINE_MORE;
    if (ch == '\r' && b[pos + 1] != '\n')
        h1_fail(p, H1_V_BARE_CR, c->base + pos); /* RFC 9112 §2.2 */
    else if (ch == '\r' || ch == '\n')
        h1_fail(p, H1_V_FIELD_NO_COLON, c->base + pos);
    else
        h1_fail(p, H1_V_FIELD_NAME_CHAR, c->base + pos);
    return LINE_ERR;
}

/* Stores the field line name [ns, ne), value [vs, ve) as entry idx of c->arr, and marks it for
 * h1_head_analyze when its name may be one that matters there. */
static inline void store_field(const h1_fields_ctx *c, size_t idx, size_t ns, size_t ne, size_t vs,
                               size_t ve, unsigned flags)
{
    h1_header *h = &c->arr[idx];
    h->name.ptr = c->buf + ns;
    h->name.len = ne - ns;
    h->value.ptr = c->buf + vs;
    h->value.len = ve - vs;
    h->flags = flags;
    if (c->marks && h1_field_candidate(h->name.ptr, h->name.len)) h1_field_mark(c->marks, idx);
}

/* One "name: value" line from ls; stores it and sets *pos to the next line. */
static int field_line(h1_parser *p, h1_fields_ctx *c, size_t ls, size_t *pos)
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
        h1_fail(p, H1_V_FIELD_NAME_EMPTY, c->base + ls);
        return LINE_ERR;
    }
    size_t max = c->max_fields;
    if (c->arr && c->cap < max) max = c->cap;
    if (*c->n >= max) {
        h1_fail(p, H1_V_TOO_MANY_FIELDS, c->base + ls);
        return LINE_ERR;
    }
    if (c->arr) {
        store_field(c, *c->n, ls, name_end, vs, trim_ows_end(b, vs, content_end), flags);
    } else if (c->marks) { /* no array: the header section's meaning, read as it goes */
        h1_header h = {{c->buf + ls, name_end - ls},
                       {c->buf + vs, trim_ows_end(b, vs, content_end) - vs},
                       flags};
        h1_field_meaning(p, &h, *c->n, c->buf + c->len);
    }
    (*c->n)++;
    c->start_line_follows = 0;
    *pos = next;
    return LINE_OK;
}

/* The fast path classifies the 64 bytes from the start of a line with one vector load: where
 * the first CTL is (the CR that ends the line: field names hold no CTL, so this does not wait
 * for the colon) and where the first non-tchar is (the colon that ends the name). Lines depend
 * on each other only through that first CTL. */

/* The last 64 bytes of the input, classified once for all the lines that start among them. */
typedef struct tail_masks {
    size_t start; /* offset of the byte bit 0 describes: len - 64, or 0 for a shorter input */
    uint64_t ctl, nontchar;
    int ready;
} tail_masks;

/* Classifies the tail so that nothing past c->len is read: when every line left starts in the
 * last 32 bytes (pos, the first of them, is there), just those 32 bytes, one vector each for the
 * two classes, which is what a short head such as a minimal GET needs; otherwise the 64 bytes
 * ending at c->len, or two overlapping 32-byte halves of a shorter input, or its bytes one by
 * one. Bits past c->len are 0 (classify_line sets them). Inlined: as a call, its masks went
 * through memory and fast_lines kept its loop state in saved registers and stack slots, which
 * cost every line of the head, not only those in the tail. */
static inline __attribute__((always_inline)) void classify_tail(const h1_fields_ctx *c, size_t pos,
                                                                tail_masks *t)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t len = c->len;
    t->ready = 1;
    t->start = 0;
    t->ctl = t->nontchar = 0;
    if (len >= 32 && len - pos <= 32) {
        t->start = len - 32;
        t->ctl = h1_ctl32(b + t->start);
        t->nontchar = h1_nontchar32(b + t->start);
    } else if (len >= 64) {
        t->start = len - 64;
        h1_classify64(b + t->start, &t->ctl, &t->nontchar);
    } else if (len >= 32) {
        t->ctl = h1_ctl32(b) | (uint64_t)h1_ctl32(b + len - 32) << (len - 32);
        t->nontchar = h1_nontchar32(b) | (uint64_t)h1_nontchar32(b + len - 32) << (len - 32);
    } else {
        for (size_t i = 0; i < len; i++) {
            t->ctl |= (uint64_t)h1_value_stop[b[i]] << i;
            t->nontchar |= (uint64_t)!h1_tchar[b[i]] << i;
        }
    }
}

/* Masks of the 64 bytes from pos (pos < end <= len): bit i of *ctl set when byte pos + i is a
 * CTL or DEL, of *nontchar when it is not a tchar (only its lowest set bit counts, and only
 * the first 32 bytes are looked at: longer names take the general path). Bits at or past end
 * are set in both. */
static inline __attribute__((always_inline)) void
classify_line(const h1_fields_ctx *c, size_t pos, tail_masks *t, uint64_t *ctl, uint64_t *nontchar)
{
    if (c->len - pos >= 64) {
        h1_classify_line(c->buf + pos, ctl, nontchar);
    } else {
        if (!t->ready) classify_tail(c, pos, t);
        *ctl = t->ctl >> (pos - t->start);
        *nontchar = t->nontchar >> (pos - t->start);
    }
    if (c->end - pos < 64) {
        uint64_t fill = ~(uint64_t)0 << (c->end - pos);
        *ctl |= fill;
        *nontchar |= fill;
    }
}

/* The common lines from ls, stored without the general path's checks: "token:", at most one
 * SP, a value of field-vchar / SP that does not start or end with whitespace, CRLF (RFC 9112
 * §5, RFC 9110 §5.5). Returns the offset of the first line left to the general path. */
static inline __attribute__((always_inline)) size_t fast_lines(h1_fields_ctx *c, size_t ls,
                                                               size_t max)
{
    const h1_fields_ctx k = *c; /* in registers: the stores below may alias *c */
    const unsigned char *b = (const unsigned char *)k.buf;
    /* Entries by pointer, not index: one register less in a loop that is short of them. */
    h1_header *h = k.arr + *c->n, *const stop = k.arr + max;
    tail_masks tail;
    tail.ready = 0;
    while (h < stop && ls < k.end && b[ls] != '\r') { /* CR: the empty line, most likely */
        uint64_t ctl, nontchar;
        classify_line(&k, ls, &tail, &ctl, &nontchar);
        /* field-name ":" : the first non-tchar is the colon */
        size_t colon = ls + (size_t)__builtin_ctzll(nontchar);
        /* [SP] field-value CRLF: the first CTL is the CR of CRLF */
        size_t ve = ctl ? ls + (size_t)__builtin_ctzll(ctl) : h1_scan_value(b, ls + 64, k.end);
        if (colon == ls || colon >= ve || b[colon] != ':') break;
        if (ve + 1 >= k.end || b[ve] != '\r' || b[ve + 1] != '\n') break;
        size_t vs = colon + 1 + (b[colon + 1] == ' ');
        if (ve > vs && (b[vs] == ' ' || b[ve - 1] == ' ')) break; /* more OWS: general path */
        store_field(&k, (size_t)(h - k.arr), ls, colon, vs, ve, 0);
        h++;
        ls = ve + 2;
    }
    size_t n = (size_t)(h - k.arr);
    if (n != *c->n) {
        *c->n = n;
        c->start_line_follows = 0;
    }
    return ls;
}

/* The lines from pos (which the fast path, if any, could not read) one by one, with every check
 * and repair, up to the empty line. Out of line, so that a head the fast path reads whole does
 * not pay for saving the registers this loop needs. */
static inline __attribute__((always_inline)) h1_status
fields_loop(h1_parser *p, h1_fields_ctx *c, size_t pos, size_t max, size_t *pos_io)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    for (;;) {
        size_t ls = pos, nv = p->num_violations;
        int r;
        *pos_io = ls;
        if (pos >= c->end) goto more;
        if (b[pos] == '\r') {
            if (pos + 1 >= c->end) goto more;
            if (b[pos + 1] == '\n') {
                *pos_io = pos + 2;
                return H1_DONE;
            }
        } else if (b[pos] == '\n') {
            if (!h1_violate(p, H1_V_BARE_LF, c->base + pos)) return H1_ERROR;
            *pos_io = pos + 1;
            return H1_DONE;
        }
        if (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r') {
            if (b[pos] == '\r' && !h1_violate(p, H1_V_BARE_CR, c->base + pos)) return H1_ERROR;
            r = ws_line(p, c, ls, &pos);
        } else {
            r = field_line(p, c, ls, &pos);
        }
        if (r == LINE_ERR) return H1_ERROR;
        if (r == LINE_OK) {
            if (c->arr) pos = fast_lines(c, pos, max);
            continue;
        }
    more:
        /* The line is re-read on the next call: forget what it recorded. */
        p->num_violations = nv;
        if (c->end == c->bound) return h1_fail(p, c->bound_code, c->base + c->end);
        return H1_AGAIN;
    }
}

/* fields_loop out of line, on a copy of the context: given a pointer, the compiler would store the
 * whole context on every call of fields_parse, for this rare path. start_line_follows, which it
 * may clear, comes back through its own pointer. */
static __attribute__((noinline)) h1_status fields_general(h1_parser *p, h1_fields_ctx c, size_t pos,
                                                          size_t max, size_t *pos_io,
                                                          int *start_line_follows)
{
    h1_status st = fields_loop(p, &c, pos, max, pos_io);
    *start_line_follows = c.start_line_follows;
    return st;
}

/* The body of h1_fields_parse, always inlined: into h1_fields_parse, and into h1_parse_head where
 * h1_head.c is built in one unit with this file (the SIMD levels, h1_simd_level.h), so that the
 * context h1_parse_head sets up for the header section stays in registers. */
static inline __attribute__((always_inline)) h1_status fields_parse(h1_parser *p, h1_fields_ctx *c,
                                                                    size_t *pos_io)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t pos = *pos_io;
    size_t max = c->arr && c->cap < c->max_fields ? c->cap : c->max_fields;
    if (c->arr) {
        pos = fast_lines(c, pos, max);
        /* RFC 9112 §2.1: the empty line (CRLF) ends the section; the usual end of a head. */
        if (__builtin_expect(c->end - pos >= 2 && b[pos] == '\r' && b[pos + 1] == '\n', 1)) {
            *pos_io = pos + 2;
            return H1_DONE;
        }
    }
    int start_line_follows = c->start_line_follows;
    h1_status st = fields_general(p, *c, pos, max, pos_io, &start_line_follows);
    c->start_line_follows = start_line_follows;
    return st;
}

h1_status h1_fields_parse(h1_parser *p, h1_fields_ctx *c, size_t *pos_io)
{
    return fields_parse(p, c, pos_io);
}
#define H1_FIELDS_PARSE_HEAD fields_parse /* for h1_head.c in the same unit */

/* The fast path of fields_parse alone, for h1_head.c's fresh_head (c->arr set): H1_DONE with
 * *pos_io after the empty line, or H1_AGAIN with *pos_io at the first line left for
 * h1_fields_parse, which the caller then runs. Without the call of fields_general, fresh_head
 * needs no stack frame for its context. */
static inline __attribute__((always_inline, unused)) h1_status
fields_fast(h1_parser *p, h1_fields_ctx *c, size_t *pos_io)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t pos = fast_lines(c, *pos_io, c->cap < c->max_fields ? c->cap : c->max_fields);
    (void)p;
    if (__builtin_expect(c->end - pos >= 2 && b[pos] == '\r' && b[pos + 1] == '\n', 1)) {
        *pos_io = pos + 2;
        return H1_DONE;
    }
    *pos_io = pos;
    return H1_AGAIN;
}
#define H1_FIELDS_FAST_HEAD fields_fast
