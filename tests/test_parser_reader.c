/* The message reader (parsers/include/h1_reader.h): events over a stream fed in pieces, the head
 * kept in place until release (the spans of a head stay valid while its body and trailers arrive),
 * pipelining, end of input, bounded memory, and the borrowed-buffer walk. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1_reader.h"

#define NFIELDS 100

typedef struct fixture {
    h1_reader r;
    h1_header hdrs[NFIELDS], trls[NFIELDS];
} fixture;

static void setup(fixture *f, h1_kind kind)
{
    h1_reader_init(&f->r, kind);
    f->r.p.headers = f->hdrs;
    f->r.p.max_headers = NFIELDS;
    f->r.p.trailers = f->trls;
    f->r.p.max_trailers = NFIELDS;
    h1_parser_reset(&f->r.p);
}

static int span_is(h1_span s, const char *want)
{
    return s.len == strlen(want) && (s.len == 0 || !memcmp(s.ptr, want, s.len));
}

/* Everything one message gave: its target (copied at H1_RD_HEAD), body, trailers count. */
typedef struct seen {
    h1_read_event last;
    char target[64];
    const char *target_ptr; /* the span's address at H1_RD_HEAD */
    char body[256];
    size_t body_len;
    size_t ntrailers;
    int target_kept; /* the head's target span still read the same at H1_RD_DONE */
} seen;

/* Feeds input in pieces of step bytes until one message completes or the reader stops. */
static void read_one(fixture *f, const char *input, size_t len, size_t step, size_t *fed, seen *s)
{
    memset(s, 0, sizeof *s);
    for (;;) {
        h1_span d;
        h1_read_event ev = h1_reader_next(&f->r, &d);
        s->last = ev;
        if (ev == H1_RD_AGAIN) {
            if (*fed == len) {
                h1_reader_eof(&f->r);
                continue;
            }
            size_t n = len - *fed < step ? len - *fed : step;
            cr_assert_eq(h1_reader_append(&f->r, input + *fed, n), 0, "append at %zu", *fed);
            *fed += n;
        } else if (ev == H1_RD_HEAD) {
            h1_span t = f->r.p.msg.target;
            snprintf(s->target, sizeof s->target, "%.*s", (int)t.len, t.ptr);
            s->target_ptr = t.ptr;
        } else if (ev == H1_RD_DATA) {
            cr_assert_leq(s->body_len + d.len, sizeof s->body);
            memcpy(s->body + s->body_len, d.ptr, d.len);
            s->body_len += d.len;
        } else {
            if (ev == H1_RD_DONE) {
                s->ntrailers = f->r.p.msg.num_trailers;
                s->target_kept =
                    f->r.p.msg.target.ptr == s->target_ptr && span_is(f->r.p.msg.target, s->target);
            }
            return;
        }
    }
}

/* A chunked request whose trailers (40 KB) are larger than the reader's first buffer, fed at
 * several piece sizes: the head's spans never move, the trailers arrive whole. */
Test(reader, head_stays_in_place_while_large_trailers_arrive)
{
    char *in = malloc(64 * 1024);
    cr_assert_not_null(in);
    int n = sprintf(in, "POST /echo?big=1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n0\r\n");
    for (int i = 0; i < 20; i++) {
        n += sprintf(in + n, "X-T%d: ", i);
        memset(in + n, 'v', 2000);
        n += 2000;
        n += sprintf(in + n, "\r\n");
    }
    n += sprintf(in + n, "\r\n");
    static const size_t steps[] = {1, 7, 100, 4096, 65536};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        fixture f;
        setup(&f, H1_REQUEST);
        size_t fed = 0;
        seen s;
        read_one(&f, in, (size_t)n, steps[k], &fed, &s);
        cr_assert_eq(s.last, H1_RD_DONE, "step %zu: event %d", steps[k], s.last);
        cr_expect_str_eq(s.target, "/echo?big=1");
        cr_expect(s.target_kept, "step %zu: the head moved while the body was read", steps[k]);
        cr_expect_eq(s.body_len, 5);
        cr_expect_eq(s.ntrailers, 20);
        cr_expect(span_is(f.r.p.msg.trailers[19].name, "X-T19"));
        cr_expect_eq(h1_reader_consumed(&f.r), (uint64_t)n);
        h1_reader_free(&f.r);
    }
    free(in);
}

Test(reader, pipelined_messages_then_end)
{
    static const char in[] = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
                             "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"
                             "GET /c HTTP/1.1\r\nHost: h\r\n\r\n";
    fixture f;
    setup(&f, H1_REQUEST);
    size_t fed = 0;
    seen s;
    const char *want[] = {"/a", "/b", "/c"};
    for (int i = 0; i < 3; i++) {
        read_one(&f, in, sizeof in - 1, 5, &fed, &s);
        cr_assert_eq(s.last, H1_RD_DONE, "message %d: event %d", i, s.last);
        cr_expect_str_eq(s.target, want[i]);
        cr_expect_eq(s.body_len, i == 1 ? 3 : 0);
        h1_reader_release(&f.r);
    }
    read_one(&f, in, sizeof in - 1, 5, &fed, &s);
    cr_expect_eq(s.last, H1_RD_END);
    h1_reader_free(&f.r);
}

/* RFC 9112 §6.3: a response without Content-Length or chunked ends when the input does; a
 * length-delimited one that ends early is cut short (RFC 9112 §8). */
Test(reader, end_of_input_completes_or_cuts)
{
    static const char close_delimited[] = "HTTP/1.1 200 OK\r\n\r\nall of it";
    static const char cut[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nten bytes.";
    fixture f;
    setup(&f, H1_RESPONSE);
    size_t fed = 0;
    seen s;
    read_one(&f, close_delimited, sizeof close_delimited - 1, 3, &fed, &s);
    cr_expect_eq(s.last, H1_RD_DONE);
    cr_expect_eq(s.body_len, 9);
    h1_reader_free(&f.r);
    setup(&f, H1_RESPONSE);
    fed = 0;
    read_one(&f, cut, sizeof cut - 1, 3, &fed, &s);
    cr_expect_eq(s.last, H1_RD_CUT);
    cr_expect_eq(s.body_len, 10);
    h1_reader_free(&f.r);
}

Test(reader, error_names_the_rule)
{
    static const char in[] = "GET / HTTP/1.1\r\nHost : h\r\n\r\n";
    fixture f;
    setup(&f, H1_REQUEST);
    size_t fed = 0;
    seen s;
    read_one(&f, in, sizeof in - 1, 4, &fed, &s);
    cr_expect_eq(s.last, H1_RD_ERROR);
    cr_expect_eq(f.r.p.error.code, H1_V_SPACE_BEFORE_COLON);
    h1_reader_free(&f.r);
}

/* A body of 4 MiB streams through a buffer that never grows past the head and a window. */
Test(reader, memory_bounded_by_limits_not_body)
{
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 4194304\r\n\r\n";
    fixture f;
    setup(&f, H1_RESPONSE);
    cr_assert_eq(h1_reader_append(&f.r, head, sizeof head - 1), 0);
    h1_span d;
    cr_assert_eq(h1_reader_next(&f.r, &d), H1_RD_HEAD);
    char block[8192];
    memset(block, 'b', sizeof block);
    uint64_t got = 0;
    size_t max_cap = 0;
    for (;;) {
        h1_read_event ev = h1_reader_next(&f.r, &d);
        if (ev == H1_RD_DONE) break;
        if (ev == H1_RD_DATA) {
            got += d.len;
            continue;
        }
        cr_assert_eq(ev, H1_RD_AGAIN);
        size_t room;
        char *p = h1_reader_space(&f.r, sizeof block, &room);
        cr_assert_not_null(p);
        memcpy(p, block, room);
        h1_reader_wrote(&f.r, room);
        if (f.r.cap > max_cap) max_cap = f.r.cap;
    }
    cr_expect_eq(got, 4194304);
    cr_expect_leq(max_cap, 32768, "buffer grew to %zu for a streamed body", max_cap);
    h1_reader_free(&f.r);
}

/* The borrowed walk over a complete buffer: no copy, and skipping a message the parser refuses. */
Test(reader, fixed_buffer_walk_with_skip)
{
    static const char in[] = "GET /ok HTTP/1.1\r\nHost: h\r\n\r\n"
                             "BAD LINE\r\n\r\n"
                             "HEAD /last HTTP/1.1\r\nHost: h\r\n\r\n";
    fixture f;
    setup(&f, H1_REQUEST);
    h1_reader_init_fixed(&f.r, H1_REQUEST, in, sizeof in - 1);
    f.r.p.headers = f.hdrs;
    f.r.p.max_headers = NFIELDS;
    h1_parser_reset(&f.r.p);
    h1_span d;
    cr_assert_eq(h1_reader_next(&f.r, &d), H1_RD_HEAD);
    cr_expect(f.r.p.msg.target.ptr >= in && f.r.p.msg.target.ptr < in + sizeof in, "copied");
    cr_assert_eq(h1_reader_next(&f.r, &d), H1_RD_DONE);
    h1_reader_release(&f.r);
    cr_assert_eq(h1_reader_next(&f.r, &d), H1_RD_ERROR);
    cr_expect_eq(h1_reader_consumed(&f.r), 0);
    h1_reader_skip(&f.r, strlen("BAD LINE\r\n\r\n"));
    cr_assert_eq(h1_reader_next(&f.r, &d), H1_RD_HEAD);
    cr_expect(span_is(f.r.p.msg.target, "/last"));
    cr_assert_eq(h1_reader_next(&f.r, &d), H1_RD_DONE);
    h1_reader_release(&f.r);
    cr_expect_eq(h1_reader_next(&f.r, &d), H1_RD_END);
    cr_expect_null(h1_reader_space(&f.r, 10, &(size_t){0}), "a borrowed buffer takes no bytes");
    h1_reader_free(&f.r);
}
