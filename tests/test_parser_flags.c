/* Derived message flags: Connection options and persistence (RFC 9112 §9.3, §9.6, RFC 9110
 * §7.6.1), Expect: 100-continue (RFC 9110 §10.1.1), Upgrade, CL/TE presence. */
#include <criterion/criterion.h>
#include <string.h>

#include "cf_table.h"

#define G11   "GET / HTTP/1.1\r\nHost: h\r\n"
#define G10   "GET / HTTP/1.0\r\n"
#define R11   "HTTP/1.1 200 OK\r\n"
#define R10   "HTTP/1.0 200 OK\r\n"
#define CLOSE H1_MSG_CONN_CLOSE
#define KA    H1_MSG_CONN_KEEP_ALIVE
#define PERS  H1_MSG_PERSISTENT

/* §9.3: close option -> not persistent; HTTP/1.1 persists by default; HTTP/1.0 only with
 * keep-alive; a close-delimited response never persists. Connection options are
 * case-insensitive tokens in a list (RFC 9110 §7.6.1, §5.6.1). */
static const cf_row persistence[] = {
    {IN(G11 "\r\n"), .on = PERS, .off = CLOSE | KA | H1_MSG_MUST_CLOSE},
    {IN(G11 "Connection: close\r\n\r\n"), .on = CLOSE, .off = PERS},
    {IN(G11 "Connection: CLOSE\r\n\r\n"), .on = CLOSE, .off = PERS},
    {IN(G11 "Connection: foo, close\r\n\r\n"), .on = CLOSE, .off = PERS},
    {IN(G11 "Connection: ,close,\r\n\r\n"), .on = CLOSE, .off = PERS},
    {IN(G11 "Connection: foo\r\nConnection: close\r\n\r\n"), .on = CLOSE, .off = PERS},
    {IN(G11 "Connection: closed\r\n\r\n"), .on = PERS, .off = CLOSE},
    {IN(G11 "Connection: close-ish, xclose\r\n\r\n"), .on = PERS, .off = CLOSE},
    {IN(G11 "X-Connection: close\r\n\r\n"), .on = PERS, .off = CLOSE},
    {IN(G11 "Connection: keep-alive\r\n\r\n"), .on = PERS | KA, .off = CLOSE},
    {IN(G11 "Connection: keep-alive, close\r\n\r\n"), .on = KA | CLOSE, .off = PERS},
    {IN(G10 "\r\n"), .off = PERS | KA | CLOSE},
    {IN(G10 "Connection: keep-alive\r\n\r\n"), .on = PERS | KA},
    {IN(G10 "Connection: Keep-Alive\r\n\r\n"), .on = PERS | KA},
    {IN(G10 "Connection: keep-alive, close\r\n\r\n"), .on = CLOSE, .off = PERS},
    {IN(R11 "Content-Length: 0\r\n\r\n"), RESP, .on = PERS},
    {IN(R11 "Content-Length: 0\r\nConnection: close\r\n\r\n"), RESP, .on = CLOSE, .off = PERS},
    {IN(R11 "\r\nbody"), RESP, .want = "framing=close", .off = PERS},
    {IN(R10 "Content-Length: 2\r\n\r\nok"), RESP, .off = PERS},
    {IN(R10 "Content-Length: 2\r\nConnection: keep-alive\r\n\r\nok"), RESP, .on = PERS | KA},
    {IN(R10 "Connection: keep-alive\r\n\r\nok"), RESP, .want = "framing=close", .on = KA,
     .off = PERS},
    {IN("HTTP/1.1 204 No Content\r\n\r\n"), RESP, .on = PERS},
    {IN(R11 "Content-Length: 10\r\n\r\n"), RESP, .req = "HEAD", .on = PERS},
    {IN("HTTP/1.1 304 Not Modified\r\n\r\n"), RESP, .on = PERS},
};

/* RFC 9110 §10.1.1: Expect is case-insensitive; a server MUST ignore 100-continue in an
 * HTTP/1.0 request. §7.8 Upgrade. */
static const cf_row other_flags[] = {
    {IN("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"),
     .on = H1_MSG_EXPECT_CONTINUE | H1_MSG_HAS_CL, .off = H1_MSG_HAS_TE},
    {IN("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx"),
     .on = H1_MSG_EXPECT_CONTINUE},
    {IN("POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx"),
     .off = H1_MSG_EXPECT_CONTINUE},
    {IN(G11 "\r\n"),
     .off = H1_MSG_EXPECT_CONTINUE | H1_MSG_UPGRADE | H1_MSG_HAS_CL | H1_MSG_HAS_TE},
    {IN("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"),
     .off = H1_MSG_EXPECT_CONTINUE},
    {IN(G11 "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n"), .on = H1_MSG_UPGRADE},
    {IN("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n"), RESP,
     .on = H1_MSG_UPGRADE},
    {IN("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
     .on = H1_MSG_HAS_TE | PERS, .off = H1_MSG_HAS_CL},
    {IN(R11 "Transfer-Encoding: gzip\r\n\r\nzz"), RESP, .on = H1_MSG_HAS_TE, .off = PERS},
};

Test(flags, connection_and_persistence)
{
    CF_RUN_TABLE(persistence);
}

Test(flags, expect_upgrade_and_framing_fields)
{
    CF_RUN_TABLE(other_flags);
}

/* h1_parser_reset: the next message on the connection parses from a clean state. */
Test(flags, reset_parses_the_next_pipelined_message)
{
    static const char in[] = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n"
                             "Connection: keep-alive\r\n\r\nhi"
                             "GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    h1_header h[8];
    h1_parser p;
    h1_parser_init(&p, H1_REQUEST);
    p.headers = h;
    p.max_headers = 8;
    cr_assert_eq(h1_parse_head(&p, in, sizeof in - 1), H1_DONE);
    cr_expect(h1_span_ieq(p.msg.target, "/a"));
    size_t off = p.msg.head_len, used = 0;
    h1_span data = {NULL, 0};
    cr_assert_eq(h1_parse_body(&p, in + off, sizeof in - 1 - off, &data, &used), H1_DONE);
    cr_expect_eq(data.len, 2u);
    cr_expect_eq(used, 2u);
    cr_expect(p.msg.flags & H1_MSG_PERSISTENT);
    off += used;
    h1_parser_reset(&p);
    cr_expect_eq(p.headers, h, "reset keeps the caller's arrays");
    cr_assert_eq(h1_parse_head(&p, in + off, sizeof in - 1 - off), H1_DONE);
    cr_expect(h1_span_ieq(p.msg.target, "/b"));
    cr_expect_eq(p.msg.num_headers, 2u);
    cr_expect(p.msg.flags & H1_MSG_CONN_CLOSE);
    cr_expect(!(p.msg.flags & (H1_MSG_PERSISTENT | H1_MSG_HAS_CL | H1_MSG_CONN_KEEP_ALIVE)));
    cr_expect_eq(p.msg.framing, H1_FRAMING_NONE);
    cr_expect_eq(off + p.msg.head_len, sizeof in - 1);
}
