/* Message body length (RFC 9112 §6.3, every item in order), Transfer-Encoding (§6.1, §7) and
 * Content-Length (RFC 9110 §8.6). */
#include <criterion/criterion.h>

#include "cf_table.h"

#define POST   "POST / HTTP/1.1\r\nHost: h\r\n"
#define POST10 "POST / HTTP/1.0\r\n"
#define R200   "HTTP/1.1 200 OK\r\n"
#define TE     "Transfer-Encoding: "
#define CL     "Content-Length: "
#define HELLO  "5\r\nhello\r\n0\r\n\r\n" /* chunked "hello" */
#define NEXT   "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"

/* §6.3 item 1: responses to HEAD, 1xx, 204, 304 never have a body; item 2: a 2xx response to
 * CONNECT is a tunnel and its Content-Length / Transfer-Encoding are ignored. */
static const cf_row no_body[] = {
    {IN(R200 CL "10\r\n\r\n"), RESP, .req = "HEAD", .want = "framing=none", .body = "", .rest = ""},
    {IN(R200 TE "chunked\r\n\r\n"
                "HTTP/1.1 204 No Content\r\n\r\n"),
     RESP, .req = "HEAD", .want = "framing=none", .rest = "HTTP/1.1 204 No Content\r\n\r\n"},
    {IN(R200 "\r\n"), RESP, .req = "HEAD", .want = "framing=none", .rest = ""},
    {IN("HTTP/1.1 100 Continue\r\n\r\n" R200), RESP, .want = "framing=none status=100",
     .rest = R200},
    {IN("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"
        "\x81\x05hello"),
     RESP, .want = "framing=none status=101", .rest = "\x81\x05hello"},
    {IN("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"), RESP,
     .want = "framing=none"},
    {IN("HTTP/1.1 204 No Content\r\n" CL "5\r\n\r\nhello"), RESP, .want = "framing=none",
     .rest = "hello"},
    {IN("HTTP/1.1 304 Not Modified\r\n" CL "100\r\n\r\n"), RESP, .want = "framing=none",
     .rest = ""},
    {IN("HTTP/1.1 304 Not Modified\r\n" TE "chunked\r\n\r\n"), RESP, .want = "framing=none"},
    {IN(R200 CL "5\r\n\r\nhello"), RESP, .req = "CONNECT", .want = "framing=none", .rest = "hello"},
    {IN("HTTP/1.1 299 X\r\n" TE "chunked\r\n" CL "5\r\n\r\n"), RESP, .req = "CONNECT",
     .want = "framing=none"},
    {IN("HTTP/1.1 407 Proxy Authentication Required\r\n" CL "3\r\n\r\nabc"), RESP, .req = "CONNECT",
     .want = "framing=length cl=3", .body = "abc", .rest = ""},
    {IN(R200 CL "3\r\n\r\nabc"), RESP, .req = "GET", .want = "framing=length", .body = "abc"},
};

/* §6.3 item 3 / 4: Transfer-Encoding, chunked last; RFC 9112 §7: codings are case-insensitive;
 * RFC 9110 §5.6.1: empty list elements are ignored. */
static const cf_row transfer_encoding[] = {
    {IN(POST TE "chunked\r\n\r\n" HELLO), .want = "framing=chunked", .body = "hello",
     .on = H1_MSG_HAS_TE, .off = H1_MSG_HAS_CL, .rest = ""},
    {IN(POST TE "chunked\r\n\r\n" HELLO NEXT), .body = "hello", .rest = NEXT},
    {IN(POST TE "Chunked\r\n\r\n" HELLO), .want = "framing=chunked", .body = "hello"},
    {IN(POST TE "CHUNKED \r\n\r\n" HELLO), .want = "framing=chunked", .body = "hello"},
    {IN(POST TE "gzip, chunked\r\n\r\n" HELLO), .want = "framing=chunked", .body = "hello"},
    {IN(POST TE "gzip\r\n" TE "chunked\r\n\r\n" HELLO), .want = "framing=chunked"},
    {IN(POST TE ", chunked\r\n\r\n" HELLO), .want = "framing=chunked", .body = "hello"},
    {IN(POST TE "gzip,,chunked,\r\n\r\n" HELLO), .want = "framing=chunked"},
    {IN(POST TE "gzip;level=1, chunked\r\n\r\n" HELLO), .want = "framing=chunked"},
    {IN(POST TE "gzip\r\n\r\n"), ERR(TE_NOT_CHUNKED_LAST)},
    {IN(POST TE "chunked, gzip\r\n\r\n"), ERR(TE_NOT_CHUNKED_LAST)},
    {IN(POST TE "chunked\r\n" TE "gzip\r\n\r\n"), ERR(TE_NOT_CHUNKED_LAST)},
    {IN(POST TE "identity\r\n\r\n"), ERR(TE_NOT_CHUNKED_LAST)},
    {IN(R200 TE "gzip\r\n\r\nabc"), RESP, .want = "framing=close", .body = "abc"},
    {IN(R200 TE "chunked, gzip\r\n\r\n5\r\n"), RESP, .want = "framing=close", .body = "5\r\n"},
    {IN(R200 TE "chunked\r\n\r\n" HELLO), RESP, .want = "framing=chunked", .body = "hello"},
    {IN(POST TE "chunked, chunked\r\n\r\n"), ERR(TE_CHUNKED_TWICE)},
    {IN(POST TE "chunked\r\n" TE "chunked\r\n\r\n"), ERR(TE_CHUNKED_TWICE)},
    {IN(R200 TE "chunked, chunked\r\n\r\n"), RESP, ERR(TE_CHUNKED_TWICE)},
    {IN(POST TE "chunked@\r\n\r\n"), ERR(TE_INVALID)},
    {IN(POST TE "\"chunked\"\r\n\r\n"), ERR(TE_INVALID)},
    {IN(POST TE "gzip chunked\r\n\r\n"), ERR(TE_INVALID)},
    {IN(POST TE "chunked;\r\n\r\n"), ERR(TE_INVALID)},
    {IN(POST TE "chunked;q=1\r\n\r\n"), ERR(TE_INVALID)}, /* §7.1: no parameters on chunked */
    {IN(POST TE "gzip, chunked ; a=\"b\"\r\n\r\n"), ERR(TE_INVALID)},
    {IN(POST TE "gzip;=1, chunked\r\n\r\n"), ERR(TE_INVALID)},
    /* §6.3 item 3: Transfer-Encoding with Content-Length ought to be handled as an error. */
    {IN(POST TE "chunked\r\n" CL "5\r\n\r\n" HELLO), ERR(TE_WITH_CL)},
    {IN(POST CL "5\r\n" TE "chunked\r\n\r\n" HELLO), ERR(TE_WITH_CL)},
    {IN(R200 TE "chunked\r\n" CL "5\r\n\r\n" HELLO), RESP, ERR(TE_WITH_CL)},
    /* §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing. */
    {IN(POST10 TE "chunked\r\n\r\n" HELLO), ERR(TE_HTTP10)},
    {IN("HTTP/1.0 200 OK\r\n" TE "chunked\r\n\r\n" HELLO), RESP, ERR(TE_HTTP10)},
};

/* §6.3 item 5, RFC 9110 §8.6: Content-Length = 1*DIGIT. */
static const cf_row content_length[] = {
    {IN(POST CL "5\r\n\r\nhello"), .want = "framing=length cl=5", .body = "hello",
     .on = H1_MSG_HAS_CL, .off = H1_MSG_HAS_TE, .rest = ""},
    {IN(POST CL "5\r\n\r\nhello" NEXT), .body = "hello", .rest = NEXT},
    {IN(POST CL "0\r\n\r\n"), .want = "cl=0", .body = "", .rest = ""},
    {IN(POST CL "0\r\n\r\n" NEXT), .body = "", .rest = NEXT},
    {IN(POST CL "00005\r\n\r\nhello"), .want = "cl=5", .body = "hello"},
    {IN(POST CL "  5 \r\n\r\nhello"), .want = "cl=5", .body = "hello"},
    {IN(POST "content-LENGTH: 2\r\n\r\nhi"), .want = "cl=2", .body = "hi"},
    {IN(POST CL "10\r\n\r\nhello"), .again = 1, .want = "cl=10", .body = "hello"},
    {IN(POST CL "9223372036854775807\r\n\r\n"), .again = 1, .want = "cl=9223372036854775807"},
    {IN(POST CL "abc\r\n\r\n"), ERR(CL_INVALID)},
    {IN(POST CL "-1\r\n\r\n"), ERR(CL_INVALID)},
    {IN(POST CL "+5\r\n\r\n"), ERR(CL_INVALID)},
    {IN(POST CL "5 5\r\n\r\n"), ERR(CL_INVALID)},
    {IN(POST CL "\r\n\r\n"), ERR(CL_INVALID)},
    {IN(POST CL "0x10\r\n\r\n"), ERR(CL_INVALID)},
    {IN(POST CL "5.0\r\n\r\n"), ERR(CL_INVALID)},
    {IN(POST CL "1e3\r\n\r\n"), ERR(CL_INVALID)},
    {IN(POST CL "\xd9\xa5\r\n\r\n"), ERR(CL_INVALID)}, /* a non-ASCII digit */
    {IN(R200 CL "five\r\n\r\n"), RESP, ERR(CL_INVALID)},
    {IN(POST CL "9223372036854775808\r\n\r\n"), ERR(CL_OVERFLOW)},
    {IN(POST CL "18446744073709551616\r\n\r\n"), ERR(CL_OVERFLOW)},
    {IN(POST CL "99999999999999999999999999\r\n\r\n"), ERR(CL_OVERFLOW)},
    {IN(R200 CL "18446744073709551617\r\n\r\n"), RESP, ERR(CL_OVERFLOW)},
    {IN(POST CL "5, 5\r\n\r\nhello"), ERR(CL_REPEATED)},
    {IN(POST CL "5,5\r\n\r\nhello"), ERR(CL_REPEATED)},
    {IN(POST CL "5\r\n" CL "5\r\n\r\nhello"), ERR(CL_REPEATED)},
    {IN(POST CL "5, 6\r\n\r\nhello"), ERR(CL_CONFLICT)},
    {IN(POST CL "5\r\n" CL "6\r\n\r\nhello"), ERR(CL_CONFLICT)},
    {IN(R200 CL "5\r\n" CL "6\r\n\r\nhello"), RESP, ERR(CL_CONFLICT)},
    {IN(R200 CL "5\r\n\r\nhello"), RESP, .want = "framing=length cl=5", .body = "hello",
     .rest = ""},
    {IN(R200 CL "5\r\n\r\nhelloHTTP/1.1 200 OK\r\n"), RESP, .body = "hello",
     .rest = "HTTP/1.1 200 OK\r\n"},
};

/* §6.3 items 6-7: otherwise a request has no body and a response ends with the connection. */
static const cf_row no_framing[] = {
    {IN("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), .want = "framing=none", .body = "", .rest = ""},
    {IN("GET / HTTP/1.1\r\nHost: h\r\n\r\n" NEXT), .want = "framing=none", .rest = NEXT},
    {IN(POST "\r\nxyz"), .want = "framing=none", .rest = "xyz"},
    {IN(R200 "\r\nhello, world"), RESP, .want = "framing=close", .body = "hello, world"},
    {IN(R200 "\r\n"), RESP, .want = "framing=close", .body = ""},
    {IN("HTTP/1.0 200 OK\r\n\r\nold"), RESP, .want = "framing=close", .body = "old"},
    {IN("HTTP/1.1 404 Not Found\r\n\r\n" R200), RESP, .want = "framing=close", .body = R200},
};

Test(framing, no_body_responses)
{
    CF_RUN_TABLE(no_body);
}

Test(framing, transfer_encoding)
{
    CF_RUN_TABLE(transfer_encoding);
}

Test(framing, content_length)
{
    CF_RUN_TABLE(content_length);
}

Test(framing, no_length_given)
{
    CF_RUN_TABLE(no_framing);
}

/* The names of the framing and target-form enums, as reports and conform parse --json show them. */
Test(framing, enum_names)
{
    cr_expect_str_eq(h1_framing_name(H1_FRAMING_NONE), "none");
    cr_expect_str_eq(h1_framing_name(H1_FRAMING_LENGTH), "length");
    cr_expect_str_eq(h1_framing_name(H1_FRAMING_CHUNKED), "chunked");
    cr_expect_str_eq(h1_framing_name(H1_FRAMING_CLOSE), "close");
    cr_expect_str_eq(h1_framing_name((h1_framing)4), "unknown");
    cr_expect_str_eq(h1_target_form_name(H1_TARGET_ORIGIN), "origin");
    cr_expect_str_eq(h1_target_form_name(H1_TARGET_ABSOLUTE), "absolute");
    cr_expect_str_eq(h1_target_form_name(H1_TARGET_AUTHORITY), "authority");
    cr_expect_str_eq(h1_target_form_name(H1_TARGET_ASTERISK), "asterisk");
    cr_expect_str_eq(h1_target_form_name((h1_target_form)9), "unknown");
}
