/* A parser given no header array (p.headers NULL or max_headers 0) and no trailer array: the
 * head is validated and understood (Host, framing, flags) as with the arrays, msg.num_headers
 * and msg.num_trailers count the field lines, msg.headers and msg.trailers stay NULL. Every row
 * of every test_parser_* table is also run that way and compared (tests/support/cf_table.c);
 * these rows are the cases where reading a field's meaning as the line arrives could go wrong. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cf_table.h"

#define NONE "hdrcap=0 notrl"
#define G    "GET / HTTP/1.1\r\n"
#define P    "POST / HTTP/1.1\r\nHost: h\r\n"
#define CL   "Content-Length: "

static const cf_row rows[] = {
    {IN(G "Host: example.com\r\n\r\n"), .limits = NONE,
     .want = "nhdr=1 host=0 framing=none head_len=37", .on = H1_MSG_PERSISTENT},
    {IN(G "A: 1\r\nB: 2\r\nHost: h\r\nConnection: close\r\n\r\n"), .limits = NONE,
     .want = "nhdr=4 host=2", .on = H1_MSG_CONN_CLOSE, .off = H1_MSG_PERSISTENT},
    {IN(G "\r\n"), .limits = NONE, ERR(HOST_MISSING)},
    {IN(G "Host: a\r\nHost: b\r\n\r\n"), .limits = NONE, ERR(HOST_MULTIPLE), AT(25)},
    {IN(G "Host: a b\r\n\r\n"), .limits = NONE, ERR(HOST_INVALID)},
    /* framing and the body */
    {IN(P CL "5\r\n\r\nhello"), .limits = NONE, .want = "nhdr=2 framing=length cl=5",
     .body = "hello"},
    {IN(P CL "5\r\n" CL "6\r\n\r\nhello"), .limits = NONE, ERR(CL_CONFLICT)},
    {IN(P CL "5\r\n" CL "5\r\n\r\nhello"), .limits = NONE, .lenient = H1_LENIENT_CL_REPEATED,
     .viol = "CL_REPEATED@61", .body = "hello"},
    {IN(P "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nA: 1\r\nB: 2\r\n\r\n"),
     .limits = NONE, .want = "framing=chunked ntrl=2", .body = "hello", .rest = ""},
    {IN(P "Transfer-Encoding: chunked\r\n" CL "5\r\n\r\n0\r\n\r\n"), .limits = NONE,
     ERR(TE_WITH_CL)},
    /* The meaning of a field waits for the lines that may continue it (obs-fold): the value is
     * "1 2", not "1". */
    {IN(P CL "1\r\n 2\r\n\r\nx"), .limits = NONE, .lenient = H1_LENIENT_OBS_FOLD, ERR(CL_INVALID)},
    {IN(P CL "1\r\n 2\r\n\r\nx"), .lenient = H1_LENIENT_OBS_FOLD, ERR(CL_INVALID)},
    {IN(G "Host: h\r\nConnection: keep-alive,\r\n close\r\n\r\n"), .limits = NONE,
     .lenient = H1_LENIENT_OBS_FOLD, .on = H1_MSG_CONN_CLOSE | H1_MSG_CONN_KEEP_ALIVE},
    /* A syntax error later in the head comes before an error in an earlier field's meaning, as
     * with the arrays (where the meaning is read once the head has parsed). */
    {IN(P CL "x\r\nBad Name: 1\r\n\r\n"), .limits = NONE, ERR(FIELD_NAME_CHAR), AT(48)},
    {IN(P CL "x\r\nBad Name: 1\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT(48)},
    {IN(P CL "x\r\nOk: 1\r\n\r\n"), .limits = NONE, ERR(CL_INVALID), AT(42)},
    /* limits still apply */
    {IN(G "Host: h\r\nX: 1\r\nY: 2\r\n\r\n"), .limits = "hdrcap=0 fields=2", ERR(TOO_MANY_FIELDS)},
    {IN(G "Host: h\r\nX: 1\r\n\r\n"), .limits = "hdrcap=0 fields=2", .want = "nhdr=2"},
    {IN("HTTP/1.1 200 OK\r\n" CL "2\r\nConnection: close\r\n\r\nok"), RESP, .limits = NONE,
     .want = "nhdr=2 framing=length cl=2", .body = "ok", .on = H1_MSG_CONN_CLOSE},
};

Test(no_arrays, head_validated_counted_and_understood)
{
    CF_RUN_TABLE(rows);
}

/* More fields than the 64 the stored path marks in a word, a Host among the last. */
Test(no_arrays, many_fields)
{
    char msg[4096];
    size_t n = (size_t)snprintf(msg, sizeof msg, G);
    for (int i = 0; i < 90; i++)
        n += (size_t)snprintf(msg + n, sizeof msg - n, "X-%d: %d\r\n", i, i);
    n += (size_t)snprintf(msg + n, sizeof msg - n, "Host: h\r\nContent-Length: 3\r\n\r\nabc");
    h1_parser p;
    h1_parser_init(&p, H1_REQUEST);
    cr_assert_eq(h1_parse_head(&p, msg, n), H1_DONE, "%s", h1_code_name(p.error.code));
    cr_expect_eq(p.msg.num_headers, 92);
    cr_expect_eq(p.msg.host_index, 90);
    cr_expect_eq(p.msg.framing, H1_FRAMING_LENGTH);
    cr_expect_eq(p.msg.content_length, 3);
    cr_expect_null(p.msg.headers);
}

/* max_headers 0 with an array: the array is not touched. */
Test(no_arrays, zero_sized_array_is_no_array)
{
    static const char msg[] = G "Host: h\r\nX: 1\r\n\r\n";
    h1_header h[2];
    memset(h, 0xab, sizeof h);
    h1_parser p;
    h1_parser_init(&p, H1_REQUEST);
    p.headers = h;
    p.max_headers = 0;
    cr_assert_eq(h1_parse_head(&p, msg, sizeof msg - 1), H1_DONE);
    cr_expect_eq(p.msg.num_headers, 2);
    cr_expect_null(p.msg.headers);
    for (size_t i = 0; i < sizeof h; i++)
        cr_assert_eq(((unsigned char *)h)[i], 0xab);
}
