/* Configurable limits (h1_limits, header array sizes), each with its own code, and the
 * guard-page buffer the suite relies on. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_guard.h"
#include "cf_table.h"

#define LINE24 "GET /abcdefghij HTTP/1.1"                      /* a 24-byte request-line */
#define MSG37  "GET / HTTP/1.1\r\nHost: h\r\nX: 12345\r\n\r\n" /* a 37-byte head */
#define CH     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"

static const cf_row limits[] = {
    /* max_start_line: RFC 9112 §3 "a server that receives a request-target longer than any URI
     * it wishes to parse MUST respond with a 414"; detected before the line ends. */
    {IN(LINE24 "\r\nHost: h\r\n\r\n"), .limits = "start=24", .target = "/abcdefghij"},
    {IN(LINE24 "\r\nHost: h\r\n\r\n"), .limits = "start=23", ERR(START_LINE_TOO_LONG)},
    {IN("GET /abcdefghijklmnopqrstuvwxyz"), .limits = "start=23", ERR(START_LINE_TOO_LONG)},
    {IN("HTTP/1.1 200 OK-OK-OK\r\n\r\n"), RESP, .limits = "start=21", .reason = "OK-OK-OK"},
    {IN("HTTP/1.1 200 OK-OK-OK\r\n\r\n"), RESP, .limits = "start=20", ERR(START_LINE_TOO_LONG)},
    /* max_head: RFC 9110 §5.4 / RFC 6585 §5 (431) */
    {IN(MSG37), .limits = "head=37", .want = "head_len=37"},
    {IN(MSG37), .limits = "head=35", ERR(HEAD_TOO_LARGE)},
    {IN("GET / HTTP/1.1\r\nHost: h\r\nX: 0123456789012345678901234567890123456789"),
     .limits = "head=35", ERR(HEAD_TOO_LARGE)},
    {IN("HTTP/1.1 200 OK\r\nX: 0123456789012345678901234567890123456789\r\n\r\n"), RESP,
     .limits = "head=35", ERR(HEAD_TOO_LARGE)},
    /* max_fields and the caller's header array */
    {IN("GET / HTTP/1.1\r\nHost: h\r\nX: 1\r\n\r\n"), .limits = "fields=2", .want = "nhdr=2"},
    {IN("GET / HTTP/1.1\r\nHost: h\r\nX: 1\r\nY: 2\r\n\r\n"), .limits = "fields=2",
     ERR(TOO_MANY_FIELDS)},
    {IN("GET / HTTP/1.1\r\nHost: h\r\nX: 1\r\nY: 2\r\n\r\n"), .limits = "hdrcap=2",
     ERR(TOO_MANY_FIELDS)},
    {IN("GET / HTTP/1.1\r\nHost: h\r\nX: 1\r\n\r\n"), .limits = "hdrcap=2", .want = "nhdr=2"},
    {IN("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), RESP, .limits = "fields=2",
     ERR(TOO_MANY_FIELDS)},
    /* max_chunk_ext: bytes of extensions on one chunk-size line */
    {IN(CH "5;abcdefg\r\nhello\r\n0;abcdefg\r\n\r\n"), .limits = "ext=8", .body = "hello"},
    {IN(CH "5;abcdefgh\r\nhello\r\n0\r\n\r\n"), .limits = "ext=8", ERR(CHUNK_EXT_TOO_LONG)},
    {IN(CH "5;abcdefghijklmnopqrstuvwxyz"), .limits = "ext=8", ERR(CHUNK_EXT_TOO_LONG)},
    /* max_trailer */
    {IN(CH "0\r\nA: 1\r\n\r\n"), .limits = "trailer=20", .trl = "A: 1\n"},
    {IN(CH "0\r\nA: 0123456789012345678901234\r\n\r\n"), .limits = "trailer=20",
     ERR(TRAILERS_TOO_LARGE)},
    {IN(CH "0\r\nA: 0123456789012345678901234"), .limits = "trailer=20", ERR(TRAILERS_TOO_LARGE)},
    {IN(CH "5\r\nhello\r\n0\r\nA: 1\r\n\r\n"), .limits = "notrl", .body = "hello", .rest = ""},
    /* max_empty_lines before the request-line (RFC 9112 §2.2 "at least one") */
    {IN("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), .limits = "empty=2", .method = "GET"},
    {IN("\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), .limits = "empty=2", .any_error = 1},
    {IN("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), .limits = "empty=0", .any_error = 1},
};

Test(limits, each_limit_and_its_code)
{
    CF_RUN_TABLE(limits);
}

Test(limits, defaults)
{
    h1_limits d = h1_limits_default();
    cr_expect_eq(d.max_start_line, 8192u);
    cr_expect_eq(d.max_head, 65536u);
    cr_expect_eq(d.max_fields, 100u);
    cr_expect_eq(d.max_chunk_ext, 4096u);
    cr_expect_eq(d.max_trailer, 65536u);
    cr_expect_eq(d.max_empty_lines, 8u);
}

Test(limits, codes_answer_414_and_431)
{
    cr_expect_eq(h1_code_status(H1_V_START_LINE_TOO_LONG), 414);
    cr_expect_eq(h1_code_status(H1_V_HEAD_TOO_LARGE), 431);
    cr_expect_eq(h1_code_status(H1_V_TOO_MANY_FIELDS), 431);
    cr_expect_eq(h1_code_status(H1_V_TRAILERS_TOO_LARGE), 431);
    cr_expect_eq(h1_code_status(H1_V_CHUNK_EXT_TOO_LONG), 400);
}

/* Builds "prefix" + n copies of fill + "suffix" (malloc'd). */
static char *build(const char *prefix, char fill, size_t n, const char *suffix, size_t *len)
{
    size_t a = strlen(prefix), b = strlen(suffix);
    char *s = malloc(a + n + b + 1);
    cr_assert_not_null(s);
    memcpy(s, prefix, a);
    memset(s + a, fill, n);
    memcpy(s + a + n, suffix, b + 1);
    *len = a + n + b;
    return s;
}

/* The default limits at their exact boundaries (large inputs: sampled replay). */
Test(limits, default_start_line_boundary)
{
    size_t n1, n2;
    /* "GET /" + n + " HTTP/1.1" is 14 + n bytes */
    char *ok = build("GET /", 'a', 8192 - 14, " HTTP/1.1\r\nHost: h\r\n\r\n", &n1);
    char *big = build("GET /", 'a', 8192 - 13, " HTTP/1.1\r\nHost: h\r\n\r\n", &n2);
    cf_row rows[] = {
        {.in = ok, .len = n1, .method = "GET"},
        {.in = big, .len = n2, ERR(START_LINE_TOO_LONG)},
    };
    CF_RUN_TABLE(rows);
    free(ok);
    free(big);
}

Test(limits, default_field_count_and_head_size)
{
    char hundred[100 * 8 + 64], more[101 * 8 + 64];
    size_t k = (size_t)snprintf(hundred, sizeof hundred, "GET / HTTP/1.1\r\nHost: h\r\n");
    for (int i = 1; i < 100; i++)
        k += (size_t)snprintf(hundred + k, sizeof hundred - k, "X%02d: v\r\n", i);
    memcpy(more, hundred, k);
    size_t m = k + (size_t)snprintf(more + k, sizeof more - k, "Y: 1\r\n\r\n");
    k += (size_t)snprintf(hundred + k, sizeof hundred - k, "\r\n");
    size_t n3;
    char *huge = build("GET / HTTP/1.1\r\nHost: h\r\nX: ", 'v', 65536, "\r\n\r\n", &n3);
    cf_row rows[] = {
        {.in = hundred, .len = k, .want = "nhdr=100"},
        {.in = more, .len = m, ERR(TOO_MANY_FIELDS)},
        {.in = huge, .len = n3, ERR(HEAD_TOO_LARGE)},
    };
    CF_RUN_TABLE(rows);
    free(huge);
}

/* The guard buffer: the input ends right before an unmapped page. */
Test(guard, input_ends_at_the_fence)
{
    cf_guard g;
    cr_assert_eq(cf_guard_init(&g, 100), 0);
    char *p = cf_guard_place(&g, "abc", 3);
    cr_expect_eq(p + 3, g.fence);
    cr_expect(memcmp(p, "abc", 3) == 0);
    cr_expect_geq(cf_guard_capacity(&g), 100u);
    cf_guard_free(&g);
}

/* The fault handler exits with a known code, so the check works under ASan too (ASan would
 * otherwise turn the SIGSEGV into its own report and exit status). */
static void on_fault(int sig)
{
    (void)sig;
    _exit(42);
}

Test(guard, reading_past_the_input_crashes, .exit_code = 42)
{
    cf_guard g;
    cr_assert_eq(cf_guard_init(&g, 16), 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    cr_assert_eq(sigaction(SIGSEGV, &sa, NULL), 0);
    volatile char *p = cf_guard_place(&g, "abc", 3);
    char c = p[3]; /* one byte too far */
    cr_log_info("read %d past the end", c);
}
