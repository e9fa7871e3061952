/* What a complete header section means: Host (RFC 9112 §3.2), message body length
 * (RFC 9112 §6.3, RFC 9110 §8.6), and connection persistence (RFC 9112 §9). */
#include "h1_simd_level.h" /* first: this file is built once per SIMD level */
#include <stdint.h>
#include <string.h>

#include "h1_chars.h"
#include "h1_internal.h"
#include "h1_simd.h"

#define H1_CL_MAX ((uint64_t)INT64_MAX)

/* A value byte as a recipient reads it: a lenient repair turns CR/LF/NUL/CTL into SP. */
static unsigned char vbyte(const h1_header *h, size_t i)
{
    unsigned char c = (unsigned char)h->value.ptr[i];
    if ((h->flags & H1_FIELD_REPAIRED) && ((c < 0x20 && c != '\t') || c == 0x7f)) return ' ';
    return c;
}

static int is_ows(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static int ieq_n(const h1_header *h, size_t s, size_t n, const char *lit, size_t litlen)
{
    if (litlen != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(vbyte(h, s + i)) != (unsigned char)lit[i]) return 0;
    return 1;
}

/* What the fields say so far (h1_parser.h; tunnel: a 2xx response to CONNECT). */
typedef struct h1_framing_facts framing_state;

static size_t value_off(const h1_parser *p, const h1_header *h, size_t i)
{
    return (size_t)(h->value.ptr - p->base) + i;
}

#define ieq(h, s, n, lit) ieq_n(h, s, n, lit, sizeof(lit) - 1)

/* ASCII case-insensitive equality of s[0..n) with lowercase lit[0..n) (letters, digits and "-"),
 * OR-ing 0x20 into the bytes of s. Exact for field names (tchar) and for values that were not
 * repaired: the only other bytes that fold onto those are CTLs, which neither holds. */
static inline int fold_eq(const char *s, const char *lit, size_t n)
{
    if (n >= 8) {
        const uint64_t fold = 0x2020202020202020u;
        uint64_t a, b;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&a, s + i, 8);
            memcpy(&b, lit + i, 8);
            if ((a | fold) != b) return 0;
        }
        memcpy(&a, s + n - 8, 8);
        memcpy(&b, lit + n - 8, 8);
        return (a | fold) == b;
    }
    if (n >= 4) {
        const uint32_t fold = 0x20202020u;
        uint32_t a, b, c, d;
        memcpy(&a, s, 4);
        memcpy(&b, lit, 4);
        memcpy(&c, s + n - 4, 4);
        memcpy(&d, lit + n - 4, 4);
        return (a | fold) == b && (c | fold) == d;
    }
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] | 0x20) != (unsigned char)lit[i]) return 0;
    return 1;
}

static int name_is_n(h1_span name, const char *lit, size_t n)
{
    return name.len == n && fold_eq(name.ptr, lit, n);
}
#define name_is(name, lit) name_is_n(name, lit, sizeof(lit) - 1)

/* RFC 9110 §8.6: Content-Length = 1*DIGIT. A list or repetition of one value is invalid but
 * repairable; differing values are an unrecoverable framing error (RFC 9112 §6.3 item 5). */
/* One Content-Length value v at message offset off: the first, a repetition, or a conflict. */
static h1_status cl_value(h1_parser *p, framing_state *f, uint64_t v, size_t off)
{
    if (!f->cl_seen) {
        f->cl_seen = 1;
        f->cl = v;
        f->cl_off = off;
    } else if (v != f->cl) {
        return h1_fail(p, H1_V_CL_CONFLICT, off);
    } else if (!h1_violate(p, H1_V_CL_REPEATED, off)) {
        return H1_ERROR;
    }
    return H1_DONE;
}

static h1_status content_length(h1_parser *p, const h1_header *h, framing_state *f)
{
    size_t n = h->value.len, i = 0;
    if (!(h->flags & H1_FIELD_REPAIRED) && n >= 1 && n <= 18) {
        /* The usual value: 1 to 18 digits and nothing else, which cannot overflow. */
        const unsigned char *d = (const unsigned char *)h->value.ptr;
        uint64_t v = 0;
        while (i < n && (unsigned)(d[i] - '0') <= 9)
            v = v * 10 + (unsigned)(d[i++] - '0');
        if (i == n) return cl_value(p, f, v, value_off(p, h, 0));
        i = 0;
    }
    do {
        while (i < n && is_ows(vbyte(h, i)))
            i++;
        size_t s = i;
        uint64_t v = 0;
        while (i < n && vbyte(h, i) >= '0' && vbyte(h, i) <= '9') {
            unsigned d = vbyte(h, i) - '0';
            if (v > (H1_CL_MAX - d) / 10) return h1_fail(p, H1_V_CL_OVERFLOW, value_off(p, h, s));
            v = v * 10 + d;
            i++;
        }
        size_t e = i;
        while (i < n && is_ows(vbyte(h, i)))
            i++;
        if (e == s || (i < n && vbyte(h, i) != ','))
            return h1_fail(p, H1_V_CL_INVALID, value_off(p, h, e == s ? s : e));
        if (cl_value(p, f, v, value_off(p, h, s)) == H1_ERROR) return H1_ERROR;
    } while (i++ < n);
    return H1_DONE;
}

/* RFC 9110 §5.6.2 token; returns its end. */
static size_t token_end(const h1_header *h, size_t i)
{
    while (i < h->value.len && h1_tchar[vbyte(h, i)])
        i++;
    return i;
}

/* RFC 9110 §5.6.4 quoted-string from the opening DQUOTE at i; returns the end or 0. */
static size_t quoted_end(const h1_header *h, size_t i)
{
    for (i++; i < h->value.len; i++) {
        unsigned char c = vbyte(h, i);
        if (c == '"') return i + 1;
        if (c == '\\' &&
            ++i >= h->value.len) /* quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
            return 0;
        c = vbyte(h, i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) return 0;
    }
    return 0;
}

/* RFC 9112 §6.1: transfer-coding = token *( OWS ";" OWS transfer-parameter ),
 * transfer-parameter = token BWS "=" BWS ( token / quoted-string ). Returns the end or 0. */
static size_t coding_params(const h1_header *h, size_t i)
{
    size_t n = h->value.len;
    for (;;) {
        size_t j = i;
        while (j < n && is_ows(vbyte(h, j)))
            j++;
        if (j >= n || vbyte(h, j) != ';') return i;
        for (j++; j < n && is_ows(vbyte(h, j));)
            j++;
        size_t e = token_end(h, j);
        if (e == j) return 0;
        for (j = e; j < n && is_ows(vbyte(h, j));)
            j++;
        if (j >= n || vbyte(h, j) != '=') return 0;
        for (j++; j < n && is_ows(vbyte(h, j));)
            j++;
        e = (j < n && vbyte(h, j) == '"') ? quoted_end(h, j) : token_end(h, j);
        if (e == 0 || e == j) return 0;
        i = e;
    }
}

/* RFC 9112 §6.1, §7: the codings of one Transfer-Encoding line; empty list elements are
 * ignored (RFC 9110 §5.6.1). */
static h1_status transfer_encoding(h1_parser *p, const h1_header *h, framing_state *f)
{
    size_t n = h->value.len, i = 0;
    if (!f->te_seen) f->te_off = value_off(p, h, 0);
    f->te_seen = 1;
    while (i <= n) {
        while (i < n && is_ows(vbyte(h, i)))
            i++;
        if (i >= n) break;
        if (vbyte(h, i) == ',') {
            i++;
            continue;
        }
        size_t s = i, e = token_end(h, i);
        if (e == s) return h1_fail(p, H1_V_TE_INVALID, value_off(p, h, s));
        int chunked = ieq(h, s, e - s, "chunked");
        if (chunked && ++f->chunked_count > 1)
            return h1_fail(p, H1_V_TE_CHUNKED_TWICE, value_off(p, h, s));
        f->chunked_last = chunked;
        f->codings++;
        i = coding_params(h, e);
        /* RFC 9112 §7.1: "The chunked coding does not define any parameters. Their presence
         * SHOULD be treated as an error." */
        if (i == 0 || (chunked && i != e)) return h1_fail(p, H1_V_TE_INVALID, value_off(p, h, e));
        while (i < n && is_ows(vbyte(h, i)))
            i++;
        if (i < n && vbyte(h, i) != ',') return h1_fail(p, H1_V_TE_INVALID, value_off(p, h, i));
        i++;
    }
    return H1_DONE;
}

/* Sets flag bits for the comma-separated tokens of h equal to a or b (case-insensitive). */
static unsigned list_flags(const h1_header *h, const char *a, size_t alen, unsigned fa,
                           const char *b, size_t blen, unsigned fb)
{
    unsigned out = 0;
    size_t n = h->value.len, i = 0;
    if (!(h->flags & H1_FIELD_REPAIRED)) { /* the usual single option */
        if (n == alen && fold_eq(h->value.ptr, a, n)) return fa;
        if (b && n == blen && fold_eq(h->value.ptr, b, n)) return fb;
    }
    while (i < n) {
        while (i < n && (is_ows(vbyte(h, i)) || vbyte(h, i) == ','))
            i++;
        size_t s = i;
        while (i < n && vbyte(h, i) != ',' && !is_ows(vbyte(h, i)))
            i++;
        if (ieq_n(h, s, i - s, a, alen))
            out |= fa;
        else if (b && ieq_n(h, s, i - s, b, blen))
            out |= fb;
    }
    return out;
}

/* 1 when h may be one of the fields one_field() reads. */
static int interesting(const h1_header *h)
{
    return h->name.len > 0 && h1_field_candidate(h->name.ptr, h->name.len);
}

/* RFC 9112 §9.6, RFC 9110 §7.6.1: Connection options close and keep-alive. */
static unsigned connection_flags(const h1_header *h)
{
    if (!(h->flags & H1_FIELD_REPAIRED)) { /* the usual single option */
        if (h->value.len == 10 && fold_eq(h->value.ptr, "keep-alive", 10))
            return H1_MSG_CONN_KEEP_ALIVE;
        if (h->value.len == 5 && fold_eq(h->value.ptr, "close", 5)) return H1_MSG_CONN_CLOSE;
    }
    return list_flags(h, "close", 5, H1_MSG_CONN_CLOSE, "keep-alive", 10, H1_MSG_CONN_KEEP_ALIVE);
}

/* The fields that matter here have names of distinct lengths: the length picks the one to
 * compare. */
static inline __attribute__((always_inline)) h1_status
one_field(h1_parser *p, const h1_header *h, size_t idx, framing_state *f, const char *limit)
{
    h1_message *m = &p->msg;
    switch (h->name.len) {
    case 4:
        if (!name_is(h->name, "host") || m->kind != H1_REQUEST) break;
        /* RFC 9112 §3.2: more than one Host, or an invalid value, MUST get a 400. */
        if (H1_UNLIKELY(++f->hosts > 1))
            return h1_fail(p, H1_V_HOST_MULTIPLE, (size_t)(h->name.ptr - p->base));
        m->host_index = idx;
        if (H1_UNLIKELY((h->flags & H1_FIELD_REPAIRED) || !h1_host_valid(h->value, p->base, limit)))
            return h1_fail(p, H1_V_HOST_INVALID, value_off(p, h, 0));
        break;
    case 14:
        if (!name_is(h->name, "content-length")) break;
        m->flags |= H1_MSG_HAS_CL;
        /* RFC 9112 §6.3 item 2: a client MUST ignore CL and TE in a 2xx answer to CONNECT. */
        return f->tunnel ? H1_DONE : content_length(p, h, f);
    case 17:
        if (!name_is(h->name, "transfer-encoding")) break;
        m->flags |= H1_MSG_HAS_TE;
        return f->tunnel ? H1_DONE : transfer_encoding(p, h, f);
    case 10:
        if (name_is(h->name, "connection")) m->flags |= connection_flags(h);
        break;
    case 6:
        /* RFC 9110 §10.1.1: a 100-continue expectation in HTTP/1.0 MUST be ignored. */
        if (name_is(h->name, "expect") && m->version >= 11)
            m->flags |= list_flags(h, "100-continue", 12, H1_MSG_EXPECT_CONTINUE, NULL, 0, 0);
        break;
    case 7:
        if (name_is(h->name, "upgrade")) m->flags |= H1_MSG_UPGRADE;
        break;
    default: break;
    }
    return H1_DONE;
}

static int method_is(const h1_parser *p, const char *lit)
{
    size_t n = strlen(lit);
    return p->request_method.len == n && !memcmp(p->request_method.ptr, lit, n);
}

/* RFC 9112 §6.3 items 1 and 2: responses that never have content. */
static int response_without_body(const h1_parser *p)
{
    int s = p->msg.status;
    if (method_is(p, "HEAD") || (s >= 100 && s < 200) || s == 204 || s == 304) return 1;
    return method_is(p, "CONNECT") && s >= 200 && s < 300;
}

/* RFC 9112 §6.3 items 3 and 4, RFC 9112 §6.1 (HTTP/1.0). */
static h1_status transfer_framing(h1_parser *p, framing_state *f)
{
    h1_message *m = &p->msg;
    if (f->codings == 0) return h1_fail(p, H1_V_TE_INVALID, f->te_off);
    if (m->version < 11) {
        if (!h1_violate(p, H1_V_TE_HTTP10, f->te_off)) return H1_ERROR;
        m->flags |= H1_MSG_MUST_CLOSE;
    }
    if (f->cl_seen) {
        if (!h1_violate(p, H1_V_TE_WITH_CL, f->cl_off)) return H1_ERROR;
        m->flags |= H1_MSG_MUST_CLOSE;
    }
    return H1_DONE;
}

static h1_status choose_framing(h1_parser *p, framing_state *f)
{
    h1_message *m = &p->msg;
    if (f->te_seen && transfer_framing(p, f) == H1_ERROR) return H1_ERROR;
    if (m->kind == H1_RESPONSE && response_without_body(p)) {
        m->framing = H1_FRAMING_NONE;
    } else if (f->te_seen) {
        if (f->chunked_last)
            m->framing = H1_FRAMING_CHUNKED;
        else if (m->kind == H1_REQUEST)
            return h1_fail(p, H1_V_TE_NOT_CHUNKED_LAST, f->te_off);
        else
            m->framing = H1_FRAMING_CLOSE;
    } else if (f->cl_seen) {
        m->framing = H1_FRAMING_LENGTH;
        m->content_length = f->cl;
    } else {
        m->framing = m->kind == H1_REQUEST ? H1_FRAMING_NONE : H1_FRAMING_CLOSE;
    }
    return H1_DONE;
}

/* RFC 9112 §9.3: persistence. */
static void persistence(h1_message *m)
{
    int persistent = !(m->flags & (H1_MSG_CONN_CLOSE | H1_MSG_MUST_CLOSE)) &&
                     m->framing != H1_FRAMING_CLOSE &&
                     (m->version >= 11 || (m->flags & H1_MSG_CONN_KEEP_ALIVE));
    if (persistent) m->flags |= H1_MSG_PERSISTENT;
}

static int tunnel(const h1_parser *p)
{
    const h1_message *m = &p->msg;
    return m->kind == H1_RESPONSE && method_is(p, "CONNECT") && m->status >= 200 && m->status < 300;
}

/* No header array: reads the meaning of the field kept by h1_field_meaning, if any. */
static void meaning_of_last(h1_parser *p, const char *limit)
{
    struct h1_head_facts *f = &p->facts;
    if (!f->has_last) return;
    f->has_last = 0;
    if (f->pending.code != H1_V_NONE) return; /* the first error is the one reported */
    f->f.tunnel = tunnel(p);
    if (one_field(p, &f->last, f->last_index, &f->f, limit) == H1_ERROR) {
        f->pending = p->error;
        p->error.code = H1_V_NONE;
        p->error.offset = 0;
    }
}

void h1_field_meaning(h1_parser *p, const h1_header *h, size_t idx, const char *limit)
{
    meaning_of_last(p, limit);
    if (!h1_field_candidate(h->name.ptr, h->name.len)) return;
    p->facts.last = *h;
    p->facts.last_index = idx;
    p->facts.has_last = 1;
}

/* The fields stored in m->headers: only those the field-line parser marked as candidates, in
 * order. */
static h1_status stored_fields(h1_parser *p, framing_state *f, const char *limit)
{
    h1_message *m = &p->msg;
    memset(f, 0, sizeof *f);
    f->tunnel = tunnel(p);
    for (uint64_t marks = p->field_marks; marks; marks &= marks - 1) {
        size_t i = (size_t)__builtin_ctzll(marks);
        if (i < m->num_headers &&
            H1_UNLIKELY(one_field(p, &m->headers[i], i, f, limit) == H1_ERROR))
            return H1_ERROR;
    }
    for (size_t i = 64; p->field_marks_high && i < m->num_headers; i++)
        if (interesting(&m->headers[i]) && one_field(p, &m->headers[i], i, f, limit) == H1_ERROR)
            return H1_ERROR;
    return H1_DONE;
}

/* The usual request head, whose only field that matters here is one valid Host (RFC 9112
 * §3.2): no Content-Length or Transfer-Encoding, so no content (RFC 9112 §6.3 item 7); no
 * Connection option, so persistent from HTTP/1.1 on (RFC 9112 §9.3). Sets what stored_fields,
 * choose_framing, persistence and h1_body_start would, and returns 1; writes nothing and returns
 * 0 for any other head, which the general path then reads. */
static inline int only_host(h1_parser *p, const char *limit)
{
    h1_message *m = &p->msg;
    uint64_t marks = p->field_marks;
    if (m->kind != H1_REQUEST || !marks || (marks & (marks - 1)) || p->field_marks_high) return 0;
    size_t i = (size_t)__builtin_ctzll(marks);
    const h1_header *h = &m->headers[i];
    /* A Host value that is not a short reg-name (a port, an IP literal, ...) takes the general
     * path's h1_host_valid. */
    if (i >= m->num_headers || !name_is(h->name, "host") || (h->flags & H1_FIELD_REPAIRED) ||
        !h1_reg_name32(h->value.ptr, h->value.len, p->base, limit))
        return 0;
    m->host_index = i;
    m->framing = H1_FRAMING_NONE;
    if (m->version >= 11) m->flags |= H1_MSG_PERSISTENT;
    p->body_received = 0;
    p->body_state = H1_BS_DONE;
    return 1;
}

/* Out of line: its frame and saved registers would cost the heads only_host reads. */
__attribute__((noinline)) h1_status h1_head_analyze(h1_parser *p, size_t len)
{
    h1_message *m = &p->msg;
    framing_state stored, *f = &stored;
    if (m->headers) {
        if (stored_fields(p, f, p->base + len) == H1_ERROR) return H1_ERROR;
    } else {
        f = &p->facts.f;
        meaning_of_last(p, p->base + len);
        if (p->facts.pending.code != H1_V_NONE)
            return h1_fail(p, p->facts.pending.code, p->facts.pending.offset);
    }
    if (H1_UNLIKELY(m->kind == H1_REQUEST && m->version >= 11 && f->hosts == 0))
        return h1_fail(p, H1_V_HOST_MISSING, m->head_len >= 2 ? m->head_len - 2 : 0);
    if (H1_UNLIKELY(choose_framing(p, f) == H1_ERROR)) return H1_ERROR;
    persistence(m);
    h1_body_start(p);
    return H1_DONE;
}

h1_status h1_head_analyze_usual(h1_parser *p, size_t len)
{
    if (only_host(p, p->base + len)) return H1_DONE;
    return h1_head_analyze(p, len);
}
