/* The conform parser under benchmark: strict mode, a fresh parser per message, headers on the
 * stack, the whole message in one buffer (head, then the Content-Length body if any). */
#include <stdio.h>

#include "backend.h"
#include "h1_parser.h"

#define MAX_HEADERS 64

/* Parses m with p (already initialised, arrays set); the body, if any, is decoded too. Returns
 * the final status and stores the decoded body bytes in *body_len. */
static h1_status parse_message(h1_parser *p, const cf_bench_msg *m, size_t *body_len)
{
    h1_status st = h1_parse_head(p, m->text, m->len);
    *body_len = 0;
    if (st != H1_DONE || p->msg.framing == H1_FRAMING_NONE) return st;
    size_t off = p->msg.head_len;
    for (int i = 0; i < 4; i++) { /* a Content-Length body takes one call, maybe two */
        h1_span data = {0};
        size_t used = 0;
        st = h1_parse_body(p, m->text + off, m->len - off, &data, &used);
        *body_len += data.len;
        off += used;
        if (st != H1_AGAIN) return st;
    }
    return H1_AGAIN;
}

static void setup(h1_parser *p, const cf_bench_msg *m, h1_header *hdrs)
{
    h1_parser_init(p, m->is_request ? H1_REQUEST : H1_RESPONSE);
    p->headers = hdrs;
    p->max_headers = MAX_HEADERS;
}

static int spans_inside(const cf_bench_msg *m, const h1_parser *p)
{
    const char *end = m->text + m->head_len;
    for (size_t i = 0; i < p->msg.num_headers; i++) {
        const h1_header *h = &p->msg.headers[i];
        if (h->name.ptr < m->text || h->name.ptr + h->name.len > end || h->name.len == 0) return 0;
        if (h->value.ptr < m->text || h->value.ptr + h->value.len > end) return 0;
    }
    return 1;
}

static int check(const cf_bench_msg *m, char *err, size_t cap)
{
    h1_parser p;
    h1_header hdrs[MAX_HEADERS];
    size_t body = 0;
    setup(&p, m, hdrs);
    h1_status st = parse_message(&p, m, &body);
    if (st != H1_DONE) {
        snprintf(err, cap, "status %d (%s at offset %zu), expected H1_DONE", (int)st,
                 h1_code_name(p.error.code), p.error.offset);
        return -1;
    }
    if (p.msg.num_headers != m->num_headers || p.msg.head_len != m->head_len) {
        snprintf(err, cap, "%zu headers in %zu bytes, expected %zu in %zu", p.msg.num_headers,
                 p.msg.head_len, m->num_headers, m->head_len);
        return -1;
    }
    if (body != m->body_len) {
        snprintf(err, cap, "body of %zu bytes, expected %zu", body, m->body_len);
        return -1;
    }
    if (!spans_inside(m, &p)) {
        snprintf(err, cap, "a header span lies outside the header section");
        return -1;
    }
    return 0;
}

static uint64_t loop(const cf_bench_msg *m, uint64_t iters)
{
    uint64_t sink = 0;
    h1_header hdrs[MAX_HEADERS];
    for (uint64_t i = 0; i < iters; i++) {
        h1_parser p;
        size_t body;
        CF_BENCH_CLOBBER(m->text);
        setup(&p, m, hdrs);
        h1_status st = parse_message(&p, m, &body);
        sink += (uint64_t)st + p.msg.num_headers + p.msg.head_len + body;
        CF_BENCH_CLOBBER(hdrs);
    }
    return sink;
}

const cf_bench_backend cf_bench_conform = {"conform", CF_BENCH_CONFORM_VERSION, 1, check, loop};
