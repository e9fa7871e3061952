/* Re-encoding a parsed message and comparing two by meaning (see fuzz_serialize.h). */
#include "fuzz_serialize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1_parser.h"

/* A growing byte buffer; aborts when memory runs out (fuzzing inputs are small). */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void put(buf *b, const void *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) abort();
        b->p = np;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_span(buf *b, const char *msg, cf_fuzz_span s)
{
    put(b, msg + s.off, s.len);
}

/* RFC 9110 §8.6, RFC 9112 §6.1: the two fields that frame the body, re-written here. */
static int is_framing(const char *msg, cf_fuzz_span name)
{
    h1_span s = {msg + name.off, name.len};
    return h1_span_ieq(s, "content-length") || h1_span_ieq(s, "transfer-encoding");
}

static void put_fields(buf *b, const char *msg, const cf_fuzz_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (is_framing(msg, f[i].name)) continue;
        put_span(b, msg, f[i].name);
        puts_(b, ": ");
        put_span(b, msg, f[i].value);
        puts_(b, "\r\n");
    }
}

char *cf_fuzz_serialize(const cf_fuzz_outcome *o, const char *msg, h1_kind kind, int chunked,
                        size_t *len)
{
    buf b = {0};
    char num[64];
    int minor = o->version % 10;
    if (kind == H1_REQUEST) { /* RFC 9112 §3: method SP request-target SP HTTP-version */
        put_span(&b, msg, o->method);
        puts_(&b, " ");
        put_span(&b, msg, o->target);
        snprintf(num, sizeof num, " HTTP/1.%d\r\n", minor);
        puts_(&b, num);
    } else { /* RFC 9112 §4: HTTP-version SP status-code SP [ reason-phrase ] */
        snprintf(num, sizeof num, "HTTP/1.%d %03d ", minor, o->status_code);
        puts_(&b, num);
        put_span(&b, msg, o->reason);
        puts_(&b, "\r\n");
    }
    put_fields(&b, msg, o->headers, o->num_headers);
    chunked = chunked && o->version == 11; /* RFC 9112 §6.1: no chunked in HTTP/1.0 */
    if (chunked) {
        puts_(&b, "Transfer-Encoding: chunked\r\n\r\n");
        if (o->body_len) { /* RFC 9112 §7.1: chunk-size CRLF chunk-data CRLF */
            snprintf(num, sizeof num, "%zx\r\n", o->body_len);
            puts_(&b, num);
            put(&b, o->body, o->body_len);
            puts_(&b, "\r\n");
        }
        puts_(&b, "0\r\n");
        put_fields(&b, msg, o->trailers, o->trailers ? o->num_trailers : 0);
        puts_(&b, "\r\n");
    } else {
        snprintf(num, sizeof num, "Content-Length: %zu\r\n\r\n", o->body_len);
        puts_(&b, num);
        put(&b, o->body, o->body_len);
    }
    *len = b.len;
    return b.p;
}

static int span_ne(const char *am, cf_fuzz_span a, const char *bm, cf_fuzz_span b)
{
    return a.len != b.len || (a.len && memcmp(am + a.off, bm + b.off, a.len) != 0);
}

/* Compares the field lines other than the framing ones, in order, by bytes. */
static int fields_ne(const char *am, const cf_fuzz_field *a, size_t an, const char *bm,
                     const cf_fuzz_field *b, size_t bn)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < an && is_framing(am, a[i].name))
            i++;
        while (j < bn && is_framing(bm, b[j].name))
            j++;
        if (i == an || j == bn) return i != an || j != bn;
        if (span_ne(am, a[i].name, bm, b[j].name) || span_ne(am, a[i].value, bm, b[j].value))
            return 1;
        i++;
        j++;
    }
}

const char *cf_fuzz_meaning_diff(const cf_fuzz_outcome *a, const char *amsg,
                                 const cf_fuzz_outcome *b, const char *bmsg, int with_trailers)
{
    if (a->status != b->status) return "status";
    if (span_ne(amsg, a->method, bmsg, b->method)) return "method";
    if (span_ne(amsg, a->target, bmsg, b->target) || a->target_form != b->target_form)
        return "request-target";
    if (a->version != b->version) return "version";
    if (a->status_code != b->status_code || span_ne(amsg, a->reason, bmsg, b->reason))
        return "status-line";
    if (fields_ne(amsg, a->headers, a->num_headers, bmsg, b->headers, b->num_headers))
        return "field lines";
    if (a->body_len != b->body_len || (a->body_len && memcmp(a->body, b->body, a->body_len)))
        return "decoded body";
    if (with_trailers && fields_ne(amsg, a->trailers, a->trailers ? a->num_trailers : 0, bmsg,
                                   b->trailers, b->trailers ? b->num_trailers : 0))
        return "trailers";
    return NULL;
}
