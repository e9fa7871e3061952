/* libFuzzer target: the chunked decoder alone (RFC 9112 §7.1). A fixed request head selects
 * chunked framing; the input is the body. It is decoded twice, whole and fed in pieces, each
 * piece copied into a buffer of its exact size so ASan catches any read past it, and both ways
 * must give the same outcome.
 * Input: a configuration byte (fuzz_http.h), a piece-size byte (0: the whole body at once),
 * then the chunked body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head[] = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

/* What one decoding produced. */
typedef struct decoded {
    h1_status status;
    h1_violation error;
    char *body; /* decoded content */
    size_t body_len;
    size_t consumed; /* body bytes used when H1_DONE */
    uint64_t body_received;
    char *trl; /* trailers as name NUL value NUL ..., copied from the buffer they pointed into */
    size_t trl_len;
    size_t num_trailers;
} decoded;

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) abort();
    return p;
}

static void copy_trailers(decoded *d, const h1_parser *p, const char *w, size_t wlen)
{
    size_t n = p->trailers ? p->msg.num_trailers : 0;
    d->num_trailers = p->msg.num_trailers;
    if (n > p->max_trailers) cf_fuzz_fail("num_trailers beyond max_trailers");
    cf_fuzz_check_fields(p->msg.trailers, n, w, wlen, "trailer");
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += p->msg.trailers[i].name.len + p->msg.trailers[i].value.len + 2;
    d->trl = xmalloc(total);
    for (size_t i = 0; i < n; i++) {
        const h1_header *h = &p->msg.trailers[i];
        memcpy(d->trl + d->trl_len, h->name.ptr, h->name.len);
        d->trl_len += h->name.len;
        d->trl[d->trl_len++] = '\0';
        if (h->value.len) memcpy(d->trl + d->trl_len, h->value.ptr, h->value.len);
        d->trl_len += h->value.len;
        d->trl[d->trl_len++] = '\0';
    }
}

/* Decodes body[0..n) fed piece bytes at a time (the unused bytes are given again each call). */
static void decode(h1_parser *p, const char *body, size_t n, size_t piece, decoded *d)
{
    memset(d, 0, sizeof *d);
    d->body = xmalloc(n);
    size_t pos = 0, avail = piece < n ? piece : n;
    for (;;) {
        size_t wlen = avail - pos, used = 0;
        char *w = xmalloc(wlen);
        memcpy(w, body + pos, wlen);
        h1_span data = {NULL, 0};
        d->status = h1_parse_body(p, w, wlen, &data, &used);
        if (used > wlen) cf_fuzz_fail("h1_parse_body used %zu of %zu bytes", used, wlen);
        cf_fuzz_check_span(data, w, used, "body data");
        if (d->body_len + data.len > n) cf_fuzz_fail("decoded more bytes than were given");
        if (data.len) memcpy(d->body + d->body_len, data.ptr, data.len);
        d->body_len += data.len;
        if (d->status == H1_DONE) copy_trailers(d, p, w, wlen);
        free(w);
        pos += used;
        if (d->status != H1_AGAIN) break;
        if (used == 0 || pos == avail) {
            if (avail == n) {
                d->status = h1_parse_eof(p);
                break;
            }
            avail = n - avail > piece ? avail + piece : n;
        }
    }
    d->consumed = d->status == H1_DONE ? pos : 0;
    d->error = d->status == H1_ERROR ? p->error : (h1_violation){H1_V_NONE, 0};
    d->body_received = p->body_received;
    if (d->body_received != d->body_len) cf_fuzz_fail("body_received differs from bytes given");
}

static void start(h1_parser *p, uint8_t cfg)
{
    cf_fuzz_setup(p, H1_REQUEST, cfg);
    if (h1_parse_head(p, head, sizeof head - 1) != H1_DONE || p->msg.framing != H1_FRAMING_CHUNKED)
        cf_fuzz_fail("the fixed chunked head does not parse");
}

static void compare(const decoded *a, const decoded *b, size_t piece)
{
    const char *what = NULL;
    if (a->status != b->status)
        what = "status";
    else if (a->error.code != b->error.code || a->error.offset != b->error.offset)
        what = "error";
    else if (a->body_len != b->body_len || memcmp(a->body, b->body, a->body_len) != 0)
        what = "decoded body";
    else if (a->consumed != b->consumed)
        what = "bytes consumed";
    else if (a->num_trailers != b->num_trailers || a->trl_len != b->trl_len ||
             (a->trl_len && memcmp(a->trl, b->trl, a->trl_len) != 0))
        what = "trailers";
    if (what) cf_fuzz_fail("chunked body fed in pieces of %zu: %s differs from whole", piece, what);
}

/* libFuzzer entry point: decodes the body whole and in pieces; aborts when they differ. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    const char *body = (const char *)data + 2;
    size_t n = size - 2, piece = data[1] ? data[1] : (n ? n : 1);
    if (n / piece > 256) piece = n / 256 + 1; /* at most ~256 pieces: keeps the target fast */
    h1_parser p, q;
    decoded whole, split;
    start(&p, data[0]);
    decode(&p, body, n, n ? n : 1, &whole);
    start(&q, data[0]);
    decode(&q, body, n, piece, &split);
    compare(&whole, &split, piece);
    free(whole.body);
    free(whole.trl);
    free(split.body);
    free(split.trl);
    return 0;
}
