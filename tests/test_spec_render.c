/* Spec rendering: structured requests serialized exactly, placeholders substituted. */
#include <criterion/criterion.h>
#include <string.h>

#include "cf_render.h"
#include "spec_render.h"

static void tb(cf_tbytes *b, const char *s)
{
    cr_assert_eq(cf_tbytes_append_text(b, s, strlen(s), true, CF_SPEC_MAX_STEP_BYTES, NULL),
                 CF_BYTES_OK);
}

static void render_is(const cf_step *s, const char *host, const char *port, const char *want)
{
    cf_buf out;
    cr_assert_eq(cf_test_render(s, host, port, &out), 0);
    cr_expect_eq(out.len, strlen(want), "got '%s'", cf_buf_bytes(&out));
    cr_expect_str_eq(out.ptr, want);
    cf_buf_free(&out);
}

Test(spec_render, target_values)
{
    static const struct {
        const char *host, *port, *h, *a;
    } t[] = {
        {"example.com", "80", "example.com", "example.com:80"},
        {"127.0.0.1", "8080", "127.0.0.1", "127.0.0.1:8080"},
        {"::1", "443", "[::1]", "[::1]:443"},
        {"[fe80::1]", "1", "[fe80::1]", "[fe80::1]:1"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        cf_spec_target tg;
        cr_assert_eq(cf_spec_target_init(&tg, t[i].host, t[i].port), 0);
        cr_expect_str_eq(tg.host, t[i].h);
        cr_expect_str_eq(tg.port, t[i].port);
        cr_expect_str_eq(tg.authority, t[i].a);
    }
    cf_spec_target tg;
    cr_expect_eq(cf_spec_target_init(&tg, "", "80"), -1);
    cr_expect_eq(cf_spec_target_init(&tg, "h", "0"), -1);
    cr_expect_eq(cf_spec_target_init(&tg, "h", "65536"), -1);
    cr_expect_eq(cf_spec_target_init(&tg, "h", "8a"), -1);
    cr_expect_eq(cf_spec_target_init(&tg, "a b", "80"), -1);
    cr_expect_eq(cf_spec_target_init(&tg, "h\r\nX: y", "80"), -1);
}

Test(spec_render, raw_substitution_ipv6)
{
    cf_spec_message m = {.kind = CF_SPEC_RAW};
    tb(&m.raw, "GET http://{{authority}}/ HTTP/1.1\r\nHost: {{host}}:{{port}}\r\n\r\n");
    cf_step s = {.messages = &m, .nmessages = 1};
    render_is(&s, "::1", "8080", "GET http://[::1]:8080/ HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
    render_is(&s, "localhost", "80",
              "GET http://localhost:80/ HTTP/1.1\r\nHost: localhost:80\r\n\r\n");
    cf_buf out;
    cr_expect_eq(cf_test_render(&s, "h", "x", &out), -1);
    cf_tbytes_free(&m.raw);
}

/* A request with method, target, headers and body (body NULL: no 'body' key). */
static void make_request(cf_spec_message *m, const char *body, cf_content_length_mode mode,
                         const char *extra_name, const char *extra_value)
{
    memset(m, 0, sizeof *m);
    m->kind = CF_SPEC_REQUEST;
    m->request = calloc(1, sizeof *m->request);
    cr_assert_not_null(m->request);
    cf_request *r = m->request;
    tb(&r->method, "POST");
    tb(&r->target, "/p?q={{port}}");
    tb(&r->version, "HTTP/1.1");
    r->headers = calloc(2, sizeof *r->headers);
    tb(&r->headers[0].name, "Host");
    tb(&r->headers[0].value, "{{authority}}");
    r->nheaders = 1;
    if (extra_name) {
        tb(&r->headers[1].name, extra_name);
        tb(&r->headers[1].value, extra_value);
        r->nheaders = 2;
    }
    if (body) {
        r->has_body = true;
        tb(&r->body, body);
    }
    r->content_length = mode;
}

static void free_request(cf_spec_message *m)
{
    cf_step s = {.messages = malloc(sizeof *m), .nmessages = 1};
    s.messages[0] = *m;
    /* cf_spec_file_free would do this for a loaded file; free by hand here */
    cf_request *r = m->request;
    cf_tbytes_free(&r->method);
    cf_tbytes_free(&r->target);
    cf_tbytes_free(&r->version);
    for (size_t i = 0; i < r->nheaders; i++) {
        cf_tbytes_free(&r->headers[i].name);
        cf_tbytes_free(&r->headers[i].value);
    }
    free(r->headers);
    cf_tbytes_free(&r->body);
    free(r);
    free(s.messages);
}

Test(spec_render, structured_request_serialization)
{
    static const struct {
        const char *body;
        cf_content_length_mode mode;
        const char *xn, *xv, *want;
    } t[] = {
        {NULL, CF_CL_AUTO, NULL, NULL, "POST /p?q=81 HTTP/1.1\r\nHost: h:81\r\n\r\n"},
        {"", CF_CL_AUTO, NULL, NULL,
         "POST /p?q=81 HTTP/1.1\r\nHost: h:81\r\nContent-Length: 0\r\n\r\n"},
        {"hello", CF_CL_AUTO, NULL, NULL,
         "POST /p?q=81 HTTP/1.1\r\nHost: h:81\r\nContent-Length: 5\r\n\r\nhello"},
        {"hello", CF_CL_NONE, NULL, NULL, "POST /p?q=81 HTTP/1.1\r\nHost: h:81\r\n\r\nhello"},
        {"hello", CF_CL_AUTO, "content-length", "9",
         "POST /p?q=81 HTTP/1.1\r\nHost: h:81\r\ncontent-length: 9\r\n\r\nhello"},
        {"5\r\nhello\r\n0\r\n\r\n", CF_CL_AUTO, "Transfer-Encoding", "chunked",
         "POST /p?q=81 HTTP/1.1\r\nHost: h:81\r\nTransfer-Encoding: chunked\r\n\r\n"
         "5\r\nhello\r\n0\r\n\r\n"},
        {"{{host}}", CF_CL_AUTO, NULL, NULL,
         "POST /p?q=81 HTTP/1.1\r\nHost: h:81\r\nContent-Length: 1\r\n\r\nh"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        cf_spec_message m;
        make_request(&m, t[i].body, t[i].mode, t[i].xn, t[i].xv);
        cf_step s = {.messages = &m, .nmessages = 1};
        render_is(&s, "h", "81", t[i].want);
        free_request(&m);
    }
}

Test(spec_render, pipelined_messages_are_concatenated)
{
    cf_spec_message m[2];
    make_request(&m[0], "ab", CF_CL_AUTO, NULL, NULL);
    memset(&m[1], 0, sizeof m[1]);
    m[1].kind = CF_SPEC_RAW;
    tb(&m[1].raw, "GET / HTTP/1.1\r\n\r\n");
    cf_step s = {.messages = m, .nmessages = 2, .pipelined = true};
    render_is(&s, "::1", "80",
              "POST /p?q=80 HTTP/1.1\r\nHost: [::1]:80\r\nContent-Length: 2\r\n\r\nab"
              "GET / HTTP/1.1\r\n\r\n");
    free_request(&m[0]);
    cf_tbytes_free(&m[1].raw);
}

Test(spec_render, send_pieces)
{
    size_t split[] = {1, 5};
    cf_send_opts o = {.split = split, .nsplit = 2, .split_every = 3};
    size_t done = 0, lens[10], n = 0;
    for (size_t len; (len = cf_send_piece_len(&o, n, done, 15)); n++)
        lens[n] = len, done += len;
    cr_assert_eq(n, 5);
    size_t want[] = {1, 5, 3, 3, 3};
    for (size_t i = 0; i < 5; i++)
        cr_expect_eq(lens[i], want[i]);
    cf_send_opts one = {0};
    cr_expect_eq(cf_send_piece_len(&one, 0, 0, 15), 15);
    cr_expect_eq(cf_send_piece_len(&one, 1, 15, 15), 0);
    cr_expect_eq(cf_send_piece_len(&o, 0, 0, 0), 0);
}
