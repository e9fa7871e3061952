/* nodejs http-parser under benchmark, used as a real caller would: callbacks record the URL,
 * every header name and value span, the body span and message completion. One
 * http_parser_execute call on the whole message per iteration. */
#include <stdio.h>

#include "backend.h"

#ifdef CF_BENCH_HAVE_HTTP_PARSER

#include <http_parser.h>

#define MAX_HEADERS 64

#define HP_STR2(x) #x
#define HP_STR(x)  HP_STR2(x)
#define HP_VERSION                                                                                 \
    HP_STR(HTTP_PARSER_VERSION_MAJOR)                                                              \
    "." HP_STR(HTTP_PARSER_VERSION_MINOR) "." HP_STR(HTTP_PARSER_VERSION_PATCH)

typedef struct span_pair {
    const char *name, *value;
    size_t name_len, value_len;
} span_pair;

/* What the callbacks collect for one message. */
typedef struct collected {
    const char *url;
    size_t url_len;
    span_pair h[MAX_HEADERS];
    size_t n;
    int in_value;
    size_t body_len;
    int complete;
} collected;

static int on_url(http_parser *hp, const char *at, size_t len)
{
    collected *c = hp->data;
    if (c->url == NULL) c->url = at;
    c->url_len += len;
    return 0;
}

static int on_header_field(http_parser *hp, const char *at, size_t len)
{
    collected *c = hp->data;
    if (c->n == 0 || c->in_value) { /* a new field line starts */
        if (c->n == MAX_HEADERS) return 1;
        c->h[c->n++] = (span_pair){at, NULL, len, 0};
        c->in_value = 0;
        return 0;
    }
    c->h[c->n - 1].name_len += len; /* the name continues in a later buffer */
    return 0;
}

static int on_header_value(http_parser *hp, const char *at, size_t len)
{
    collected *c = hp->data;
    span_pair *h = &c->h[c->n - 1];
    if (!c->in_value) h->value = at;
    h->value_len += len;
    c->in_value = 1;
    return 0;
}

static int on_body(http_parser *hp, const char *at, size_t len)
{
    collected *c = hp->data;
    (void)at;
    c->body_len += len;
    return 0;
}

static int on_message_complete(http_parser *hp)
{
    collected *c = hp->data;
    c->complete = 1;
    return 0;
}

static const http_parser_settings settings = {
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* Parses m once into c; returns the bytes http_parser_execute consumed. */
static size_t parse_message(const cf_bench_msg *m, http_parser *hp, collected *c)
{
    http_parser_init(hp, m->is_request ? HTTP_REQUEST : HTTP_RESPONSE);
    c->url = NULL;
    c->url_len = 0;
    c->n = 0;
    c->in_value = 0;
    c->body_len = 0;
    c->complete = 0;
    hp->data = c;
    return http_parser_execute(hp, &settings, m->text, m->len);
}

static int check(const cf_bench_msg *m, char *err, size_t cap)
{
    http_parser hp;
    collected c;
    size_t used = parse_message(m, &hp, &c);
    if (HTTP_PARSER_ERRNO(&hp) != HPE_OK || used != m->len) {
        snprintf(err, cap, "%s after %zu of %zu bytes", http_errno_name(HTTP_PARSER_ERRNO(&hp)),
                 used, m->len);
        return -1;
    }
    if (c.n != m->num_headers || c.body_len != m->body_len || !c.complete) {
        snprintf(err, cap, "%zu headers, %zu body bytes, complete %d; expected %zu, %zu, 1", c.n,
                 c.body_len, c.complete, m->num_headers, m->body_len);
        return -1;
    }
    return 0;
}

static uint64_t loop(const cf_bench_msg *m, uint64_t iters)
{
    uint64_t sink = 0;
    collected c;
    for (uint64_t i = 0; i < iters; i++) {
        http_parser hp;
        CF_BENCH_CLOBBER(m->text);
        size_t used = parse_message(m, &hp, &c);
        sink += used + c.n + c.body_len;
        CF_BENCH_CLOBBER(&c);
    }
    return sink;
}

const cf_bench_backend cf_bench_http_parser = {"http-parser", HP_VERSION, 1, check, loop};

#else

const cf_bench_backend cf_bench_http_parser = {
    "http-parser", "libhttp-parser-dev not found at configure time", 0, NULL, NULL};

#endif
