/* Lenient bits: for each one, strict mode rejects with the rule's code; with the bit set the
 * message is accepted, the repair is recorded at the offending byte, and h1_field_value_copy
 * gives the value as the RFC says a recipient reads it. Other rules stay strict. */
#include <criterion/criterion.h>

#include "cf_table.h"

#define R     "GET / HTTP/1.1\r\nHost: h\r\n"                                /* 25 bytes */
#define RS    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"                     /* 36 bytes */
#define CH    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n" /* 54 bytes */
#define CL    "Content-Length: "
#define TE    "Transfer-Encoding: chunked\r\n"
#define HELLO "5\r\nhello\r\n0\r\n\r\n"

/* RFC 9112 §2.2: "a recipient of such a bare CR MUST consider that element to be invalid or
 * replace each bare CR with SP"; "a recipient MAY recognize a single LF as a line terminator";
 * whitespace-preceded lines after the start-line are rejected or consumed unprocessed. */
static const cf_row line_repairs[] = {
    {IN(R "X: a\rb\r\n\r\n"), ERR(BARE_CR), AT(29)},
    {IN(R "X: a\rb\r\n\r\n"), .lenient = H1_LENIENT_BARE_CR, .viol = "BARE_CR@29",
     .hdrs = "Host: h\nX: a b\n", .raw = "Host: h\n~X: a\rb\n"},
    {IN(RS "X: a\rb\r\n\r\n"), RESP, .lenient = H1_LENIENT_BARE_CR, .viol = "BARE_CR@40",
     .hdrs = "Content-Length: 0\nX: a b\n"},
    {IN("GET / HTTP/1.1\nHost: h\n\n"), ERR(BARE_LF), AT(14)},
    {IN("GET / HTTP/1.1\nHost: h\n\n"), .lenient = H1_LENIENT_BARE_LF,
     .viol = "BARE_LF@14 BARE_LF@22 BARE_LF@23", .method = "GET", .hdrs = "Host: h\n", .rest = ""},
    {IN(R "X: a\nY: b\r\n\r\n"), .lenient = H1_LENIENT_BARE_LF, .viol = "BARE_LF@29",
     .hdrs = "Host: h\nX: a\nY: b\n"},
    {IN("HTTP/1.1 200 OK\nContent-Length: 2\n\nok"), RESP, .lenient = H1_LENIENT_BARE_LF,
     .viol = "BARE_LF@15 BARE_LF@33 BARE_LF@34", .body = "ok", .want = "cl=2"},
    {IN(CH "\r\n5\nhello\r\n0\r\n\r\n"), .lenient = H1_LENIENT_BARE_LF, .viol = "BARE_LF@57",
     .body = "hello", .rest = ""},
    {IN("GET / HTTP/1.1\r\n X: y\r\nHost: h\r\n\r\n"), ERR(WS_AFTER_START_LINE), AT(16)},
    {IN("GET / HTTP/1.1\r\n X: y\r\nHost: h\r\n\r\n"), .lenient = H1_LENIENT_WS_AFTER_START,
     .viol = "WS_AFTER_START_LINE@16", .hdrs = "Host: h\n"},
    {IN("HTTP/1.1 200 OK\r\n\tX: y\r\nContent-Length: 0\r\n\r\n"), RESP,
     .lenient = H1_LENIENT_WS_AFTER_START, .viol = "WS_AFTER_START_LINE@17",
     .hdrs = "Content-Length: 0\n"},
};

/* RFC 9112 §3: recipients MAY split the request-line on whitespace (SP, HTAB, VT, FF, bare CR),
 * ignoring trailing whitespace. §4: a client SHOULD ignore the reason-phrase. */
static const cf_row start_line_repairs[] = {
    {IN(R "\r\n"), .lenient = H1_LENIENT_ALL, .viol = ""}, /* nothing to repair */
    {IN("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"), .lenient = H1_LENIENT_REQUEST_LINE_WS,
     .viol = "REQUEST_LINE_WS@3-4", .method = "GET", .target = "/", .want = "version=11"},
    {IN("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n"), .lenient = H1_LENIENT_REQUEST_LINE_WS,
     .viol = "REQUEST_LINE_WS@3", .method = "GET", .target = "/"},
    {IN("GET\x0b/ HTTP/1.1\r\nHost: h\r\n\r\n"), .lenient = H1_LENIENT_REQUEST_LINE_WS,
     .viol = "REQUEST_LINE_WS@3", .method = "GET", .target = "/"},
    {IN("GET /x\x0cHTTP/1.1\r\nHost: h\r\n\r\n"), .lenient = H1_LENIENT_REQUEST_LINE_WS,
     .viol = "REQUEST_LINE_WS@6", .target = "/x", .want = "version=11"},
    {IN("GET / HTTP/1.1 \r\nHost: h\r\n\r\n"), .lenient = H1_LENIENT_REQUEST_LINE_WS,
     .viol = "REQUEST_LINE_WS@14", .target = "/", .want = "version=11"},
    {IN("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"), .lenient = H1_LENIENT_REQUEST_LINE_WS,
     .any_error = 1},
    {IN("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"), RESP, ERR(STATUS_LINE_SP), AT(12)},
    {IN("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"), RESP, .lenient = H1_LENIENT_STATUS_LINE,
     .viol = "STATUS_LINE_SP@12", .want = "status=200", .reason = ""},
    {IN("HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n"), RESP,
     .lenient = H1_LENIENT_STATUS_LINE, .viol = "REASON_CHAR@14", .want = "status=200"},
    {IN("HTTP/1.1 20 OK\r\n\r\n"), RESP, .lenient = H1_LENIENT_STATUS_LINE, ERR(STATUS_CODE)},
};

/* RFC 9112 §5.1 (proxies remove whitespace before the colon in responses; servers MUST reject
 * it in requests), RFC 9110 §5.5 (NUL/CR/LF rejected or replaced by SP), RFC 9112 §5.2 (obs-fold
 * replaced by one or more SP). */
static const cf_row field_repairs[] = {
    {IN(RS "X : v\r\n\r\n"), RESP, ERR(SPACE_BEFORE_COLON), AT(37)},
    {IN(RS "X : v\r\n\r\n"), RESP, .lenient = H1_LENIENT_SPACE_BEFORE_COLON,
     .viol = "SPACE_BEFORE_COLON@37", .hdrs = "Content-Length: 0\nX: v\n"},
    {IN(RS "X\t\t: v\r\n\r\n"), RESP, .lenient = H1_LENIENT_SPACE_BEFORE_COLON,
     .viol = "SPACE_BEFORE_COLON@37", .hdrs = "Content-Length: 0\nX: v\n"},
    {IN(R "X : v\r\n\r\n"), .lenient = H1_LENIENT_SPACE_BEFORE_COLON, ERR(SPACE_BEFORE_COLON),
     AT(26)},
    {IN(R "X: a\x01"
          "b\r\n\r\n"),
     ERR(FIELD_VALUE_CHAR), AT(29)},
    {IN(R "X: a\x01"
          "b\r\n\r\n"),
     .lenient = H1_LENIENT_FIELD_VALUE, .viol = "FIELD_VALUE_CHAR@29", .hdrs = "Host: h\nX: a b\n",
     .raw = "Host: h\n~X: a\x01"
            "b\n"},
    {IN(R "X: a\0b\r\n\r\n"), .lenient = H1_LENIENT_FIELD_VALUE, .viol = "FIELD_VALUE_CHAR@29",
     .hdrs = "Host: h\nX: a b\n"},
    {IN(R "X: a\x7f\r\n\r\n"), .lenient = H1_LENIENT_FIELD_VALUE, .viol = "FIELD_VALUE_CHAR@29",
     .hdrs = "Host: h\nX: a \n", .raw = "Host: h\n~X: a\x7f\n"}, /* DEL is no OWS */
    {IN(RS "X: \x1b"
           "c\r\n\r\n"),
     RESP, .lenient = H1_LENIENT_FIELD_VALUE, .viol = "FIELD_VALUE_CHAR@39",
     .hdrs = "Content-Length: 0\nX:  c\n", .collapse_sp = 1},
    {IN(R "X: a\r\n b\r\n\r\n"), ERR(OBS_FOLD), AT(31)},
    {IN(R "X: a\r\n b\r\n\r\n"), .lenient = H1_LENIENT_OBS_FOLD, .viol = "OBS_FOLD@29-31",
     .hdrs = "Host: h\nX: a b\n", .collapse_sp = 1, .raw = "Host: h\n~X: a\r\n b\n"},
    {IN(R "X: a  \r\n\t b  \r\nY: c\r\n\r\n"), .lenient = H1_LENIENT_OBS_FOLD,
     .viol = "OBS_FOLD@29-33", .hdrs = "Host: h\nX: a b\nY: c\n", .collapse_sp = 1},
    {IN(R "X: a\r\n b\r\n c\r\n\r\n"), .lenient = H1_LENIENT_OBS_FOLD,
     .hdrs = "Host: h\nX: a b c\n", .collapse_sp = 1},
    {IN(RS "X: a\r\n\tb\r\n\r\n"), RESP, .lenient = H1_LENIENT_OBS_FOLD, .viol = "OBS_FOLD@40-42",
     .hdrs = "Content-Length: 0\nX: a b\n", .collapse_sp = 1},
    /* one bit relaxes one rule */
    {IN(R "X: a\nb\r\n\r\n"), .lenient = H1_LENIENT_OBS_FOLD, ERR(BARE_LF), AT(29)},
    {IN(R "X: a\rb\r\n\r\n"), .lenient = H1_LENIENT_FIELD_VALUE, ERR(BARE_CR), AT(29)},
    {IN(R "X: a\x01"
          "b\r\n\r\n"),
     .lenient = H1_LENIENT_BARE_CR, ERR(FIELD_VALUE_CHAR), AT(29)},
};

/* RFC 9110 §8.6: identical Content-Length values MAY be merged; RFC 9112 §6.3: TE overrides CL
 * and the connection closes; §6.1: TE in HTTP/1.0 is faulty framing, close after it. */
static const cf_row framing_repairs[] = {
    {IN(R CL "5\r\n" CL "5\r\n\r\nhello"), ERR(CL_REPEATED)},
    {IN(R CL "5\r\n" CL "5\r\n\r\nhello"), .lenient = H1_LENIENT_CL_REPEATED,
     .viol = "CL_REPEATED@25-62", .want = "framing=length cl=5", .body = "hello", .rest = ""},
    {IN(R CL "5, 5\r\n\r\nhello"), .lenient = H1_LENIENT_CL_REPEATED, .viol = "CL_REPEATED@25-45",
     .want = "cl=5", .body = "hello"},
    {IN(R CL "5, 6\r\n\r\nhello"), .lenient = H1_LENIENT_CL_REPEATED, ERR(CL_CONFLICT)},
    {IN(R CL "5\r\n" CL "6\r\n\r\nhello"), .lenient = H1_LENIENT_ALL, ERR(CL_CONFLICT)},
    {IN(R TE CL "5\r\n\r\n" HELLO), ERR(TE_WITH_CL)},
    {IN(R TE CL "5\r\n\r\n" HELLO), .lenient = H1_LENIENT_TE_WITH_CL, .viol = "TE_WITH_CL@25-73",
     .want = "framing=chunked", .body = "hello", .on = H1_MSG_MUST_CLOSE, .off = H1_MSG_PERSISTENT,
     .rest = ""},
    {IN("HTTP/1.1 200 OK\r\n" CL "99\r\n" TE "\r\n" HELLO), RESP, .lenient = H1_LENIENT_TE_WITH_CL,
     .viol = "TE_WITH_CL@17-66", .want = "framing=chunked", .body = "hello",
     .on = H1_MSG_MUST_CLOSE, .off = H1_MSG_PERSISTENT},
    {IN("POST / HTTP/1.0\r\n" TE "\r\n" HELLO), ERR(TE_HTTP10)},
    {IN("POST / HTTP/1.0\r\n" TE "\r\n" HELLO), .lenient = H1_LENIENT_TE_HTTP10,
     .viol = "TE_HTTP10@17-44", .want = "framing=chunked version=10", .body = "hello",
     .on = H1_MSG_MUST_CLOSE, .off = H1_MSG_PERSISTENT, .rest = ""},
    {IN("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n" TE "\r\n" HELLO), RESP,
     .lenient = H1_LENIENT_TE_HTTP10, .viol = "TE_HTTP10@41-68", .want = "framing=chunked",
     .body = "hello", .on = H1_MSG_MUST_CLOSE, .off = H1_MSG_PERSISTENT},
    /* rules without a lenient bit stay errors with every bit set */
    {IN("G@T / HTTP/1.1\r\nHost: h\r\n\r\n"), .lenient = H1_LENIENT_ALL, ERR(METHOD_CHAR)},
    {IN("GET / HTTP/1.1\r\n\r\n"), .lenient = H1_LENIENT_ALL, ERR(HOST_MISSING)},
    {IN(R "Transfer-Encoding: gzip\r\n\r\n"), .lenient = H1_LENIENT_ALL, ERR(TE_NOT_CHUNKED_LAST)},
    {IN(R TE "\r\nzz\r\n"), .lenient = H1_LENIENT_ALL, ERR(CHUNK_SIZE)},
    {IN(R CL "x\r\n\r\n"), .lenient = H1_LENIENT_ALL, ERR(CL_INVALID)},
};

/* More repairs than the caller's array holds are counted, not stored. */
static const cf_row overflowing_records[] = {
    {IN("GET / HTTP/1.1\nHost: h\n\n"), .lenient = H1_LENIENT_BARE_LF, .limits = "vcap=1",
     .viol = "BARE_LF@14", .want = "nviol=3"},
    {IN("GET / HTTP/1.1\nHost: h\n\n"), .lenient = H1_LENIENT_BARE_LF, .limits = "novio",
     .viol = "", .want = "nviol=3"},
};

Test(lenient, line_endings)
{
    CF_RUN_TABLE(line_repairs);
}

Test(lenient, start_lines)
{
    CF_RUN_TABLE(start_line_repairs);
}

Test(lenient, field_lines)
{
    CF_RUN_TABLE(field_repairs);
}

Test(lenient, framing)
{
    CF_RUN_TABLE(framing_repairs);
}

Test(lenient, records_beyond_the_array_are_counted)
{
    CF_RUN_TABLE(overflowing_records);
}
