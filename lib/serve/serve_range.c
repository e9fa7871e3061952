/* conform serve: byte-range requests on a static representation (RFC 9110 §14, §15.3.7,
 * §15.5.17): one range as a single-part 206, several as multipart/byteranges, none satisfiable
 * as 416, anything else ignored (the caller sends the whole 200). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "h1_lex.h"
#include "serve_internal.h"

/* More ranges than this in one Range field are ignored: RFC 9110 §14.2 lets a server ignore a
 * set of many small ranges (a denial-of-service pattern). */
#define CF_RANGES_MAX 16

/* The boundary of multipart/byteranges (RFC 9110 §14.6); it cannot occur in the page. */
#define CF_BOUNDARY "CONFORM_BYTERANGES_3d9f"

typedef struct byte_range {
    uint64_t first, last; /* inclusive offsets */
} byte_range;

/* Reads 1*DIGIT at *p (saturating: RFC 9110 §14.1.2, recipients MUST prevent overflow);
 * false when there is no digit. */
static int read_pos(const char **p, const char *end, uint64_t *v)
{
    const char *s = *p;
    *v = 0;
    while (*p < end && **p >= '0' && **p <= '9') {
        unsigned d = (unsigned)(**p - '0');
        *v = *v > (UINT64_MAX - d) / 10 ? UINT64_MAX : *v * 10 + d;
        (*p)++;
    }
    return *p > s;
}

/* One byte range-spec (RFC 9110 §14.1.1): -1 invalid, 0 valid but unsatisfiable for len,
 * 1 satisfiable with *out resolved against len (§14.1.2). */
static int range_spec(h1_span item, uint64_t len, byte_range *out)
{
    const char *p = item.ptr, *end = item.ptr + item.len;
    uint64_t a, b;
    if (p < end && *p == '-') { /* suffix-range = "-" suffix-length */
        p++;
        if (!read_pos(&p, end, &b) || p != end) return -1;
        if (b == 0 || len == 0) return 0; /* §14.1.2: a zero suffix-length is unsatisfiable */
        out->first = b >= len ? 0 : len - b;
        out->last = len - 1;
        return 1;
    }
    if (!read_pos(&p, end, &a) || p >= end || *p++ != '-') return -1; /* int-range */
    int has_last = read_pos(&p, end, &b);
    if (p != end || (has_last && b < a)) return -1; /* §14.1.1: last-pos < first-pos */
    if (a >= len) return 0;
    out->first = a;
    out->last = has_last && b < len ? b : len - 1; /* §14.1.2: the remainder */
    return 1;
}

/* Parses "bytes=range-set" into r (capacity CF_RANGES_MAX): the number of satisfiable ranges,
 * 0 when the set is valid but unsatisfiable, -1 when the field is to be ignored (another unit,
 * invalid syntax, too many ranges). */
static int parse_ranges(h1_span v, uint64_t len, byte_range *r)
{
    /* §14.1: range unit names are case-insensitive; §14.2: an origin server MUST ignore a Range
     * with a unit it does not understand. */
    if (v.len < 6 || !h1_span_ieq((h1_span){v.ptr, 5}, "bytes") || v.ptr[5] != '=') return -1;
    h1_lex_list l;
    h1_lex_list_init(&l, (h1_span){v.ptr + 6, v.len - 6});
    h1_span item;
    int n = 0, specs = 0;
    while (h1_lex_list_next(&l, &item)) {
        byte_range br;
        int s = range_spec(item, len, &br);
        if (s < 0 || ++specs > CF_RANGES_MAX) return -1; /* §14.2: MAY ignore */
        if (s > 0) r[n++] = br;
    }
    return specs ? n : -1; /* range-set = 1#range-spec */
}

static int by_first(const void *a, const void *b)
{
    const byte_range *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* RFC 9110 §15.3.7.2: a server MAY coalesce ranges that overlap or touch, in any order; it
 * SHOULD otherwise keep the requested order. Coalesces only when something overlaps. */
static int coalesce(byte_range *r, int n)
{
    byte_range s[CF_RANGES_MAX];
    memcpy(s, r, (size_t)n * sizeof *r);
    qsort(s, (size_t)n, sizeof *s, by_first);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m && s[i].first <= s[m - 1].last + 1) {
            if (s[i].last > s[m - 1].last) s[m - 1].last = s[i].last;
        } else {
            s[m++] = s[i];
        }
    }
    if (m == n) return n;
    memcpy(r, s, (size_t)m * sizeof *r);
    return m;
}

/* The multipart/byteranges content of RFC 9110 §14.6: each part with Content-Type and
 * Content-Range (§15.3.7.2: MUST in each part). */
static void multipart(cf_sresp *r, const byte_range *br, int n, const char *data, size_t len,
                      const char *ctype)
{
    for (int i = 0; i < n; i++) {
        cf_buf_fmt(&r->body, "\r\n--" CF_BOUNDARY "\r\nContent-Type: %s\r\n", ctype);
        cf_buf_fmt(&r->body, "Content-Range: bytes %" PRIu64 "-%" PRIu64 "/%zu\r\n\r\n",
                   br[i].first, br[i].last, len);
        cf_buf_add(&r->body, data + br[i].first, (size_t)(br[i].last - br[i].first + 1));
    }
    cf_buf_str(&r->body, "\r\n--" CF_BOUNDARY "--\r\n");
    r->content_type = "multipart/byteranges; boundary=" CF_BOUNDARY;
}

int cf_serve_range(const h1_message *m, const char *data, size_t len, const char *ctype,
                   cf_sresp *r)
{
    size_t i = h1_header_find(m->headers, m->num_headers, "range", 0);
    /* Range = ranges-specifier, one value: a repeated field is invalid, so ignored (§14.2). */
    if (i == SIZE_MAX || h1_header_find(m->headers, m->num_headers, "range", i + 1) != SIZE_MAX)
        return 0;
    byte_range br[CF_RANGES_MAX];
    int n = parse_ranges(m->headers[i].value, len, br);
    char cr[80];
    if (n < 0) return 0;
    if (n == 0) { /* §14.2: SHOULD send 416; §15.5.17: SHOULD carry Content-Range */
        r->status = 416;
        snprintf(cr, sizeof cr, "bytes */%zu", len);
        cf_sresp_field(r, "Content-Range", cr);
        cf_sresp_text(r, "no requested range is satisfiable");
        return 416;
    }
    n = coalesce(br, n);
    r->status = 206;
    if (n > 1) {
        multipart(r, br, n, data, len, ctype);
        return 206;
    }
    /* §15.3.7.1: a single part carries Content-Range and the range as its content. */
    snprintf(cr, sizeof cr, "bytes %" PRIu64 "-%" PRIu64 "/%zu", br[0].first, br[0].last, len);
    cf_sresp_field(r, "Content-Range", cr);
    r->content_type = ctype;
    cf_buf_add(&r->body, data + br[0].first, (size_t)(br[0].last - br[0].first + 1));
    return 206;
}
