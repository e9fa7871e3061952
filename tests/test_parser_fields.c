/* Field lines: syntax (RFC 9112 §5, RFC 9110 §5.1, §5.5), obs-fold (RFC 9112 §5.2), line endings
 * and bare CR / LF (RFC 9112 §2.2). */
#include <criterion/criterion.h>
#include <string.h>

#include "cf_table.h"

#define RQ "GET / HTTP/1.1\r\nHost: h\r\n"            /* request head up to the next field line */
#define RS "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" /* response head, likewise */

/* RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. */
static const cf_row syntax[] = {
    {IN(RQ "X-A: b\r\n\r\n"), .hdrs = "Host: h\nX-A: b\n", .want = "nhdr=2"},
    {IN(RQ "X:  v  \r\n\r\n"), .hdrs = "Host: h\nX: v\n"},
    {IN(RQ "X:\tv\t\r\n\r\n"), .hdrs = "Host: h\nX: v\n"},
    {IN(RQ "X:v\r\n\r\n"), .hdrs = "Host: h\nX: v\n"},
    {IN(RQ "X:\r\n\r\n"), .hdrs = "Host: h\nX: \n"},
    {IN(RQ "X: \t \r\n\r\n"), .hdrs = "Host: h\nX: \n"},
    {IN(RQ "X: a b  c\r\n\r\n"), .hdrs = "Host: h\nX: a b  c\n"},
    {IN(RQ "X: a\tb\r\n\r\n"), .hdrs = "Host: h\nX: a\tb\n"},
    {IN(RQ "X: a:b: c\r\n\r\n"), .hdrs = "Host: h\nX: a:b: c\n"},
    {IN(RQ "X: caf\xe9\xff\x80\r\n\r\n"), .hdrs = "Host: h\nX: caf\xe9\xff\x80\n"}, /* obs-text */
    {IN(RQ "X: !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\r\n\r\n"),
     .hdrs = "Host: h\nX: !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\n"},
    {IN(RQ "!#$%&'*+-.^_`|~09aZ: v\r\n\r\n"), .hdrs = "Host: h\n!#$%&'*+-.^_`|~09aZ: v\n"},
    {IN(RQ "cOnTeNt-TyPe: text/plain\r\n\r\n"), .hdrs = "Host: h\ncOnTeNt-TyPe: text/plain\n"},
    {IN(RQ "X: 1\r\nX: 2\r\nx: 3\r\n\r\n"), .hdrs = "Host: h\nX: 1\nX: 2\nx: 3\n",
     .want = "nhdr=4 host=0"},
    {IN("GET / HTTP/1.1\r\nA: 1\r\nHost: h\r\n\r\n"), .want = "host=1"},
    {IN(RS "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"), RESP,
     .hdrs = "Content-Length: 0\nSet-Cookie: a=1\nSet-Cookie: b=2\n"},
    {IN("HTTP/1.1 204 No Content\r\n\r\n"), RESP, .want = "nhdr=0 host=none"},
    {IN(RQ "X: abc"), .again = 1},
    {IN(RQ "X: abc\r\n"), .again = 1},
    {IN(RQ "X: abc\r\n\r"), .again = 1},
};

/* RFC 9110 §5.1: field-name = token; RFC 9112 §5.1: no whitespace before the colon. */
static const cf_row names[] = {
    {IN(RQ ": v\r\n\r\n"), ERR(FIELD_NAME_EMPTY), AT_MARK_PLUS("\r\n: v", 2)},
    {IN(RS ": v\r\n\r\n"), RESP, ERR(FIELD_NAME_EMPTY), AT_MARK_PLUS("\r\n: v", 2)},
    {IN(RQ "X@Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("@")},
    {IN(RQ "X(Y): v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("(")},
    {IN(RQ "X\"Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("\"")},
    {IN(RQ "X/Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK_PLUS("X/", 1)},
    {IN(RQ "X=Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("=")},
    {IN(RQ "X,Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK(",")},
    {IN(RQ "X;Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK(";")},
    {IN(RQ "X?Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("?")},
    {IN(RQ "X[Y]: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("[")},
    {IN(RQ "X{Y}: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("{")},
    {IN(RQ "X\\Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("\\")},
    {IN(RQ "X\x80Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("\x80")},
    {IN(RQ "X\x01Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("\x01")},
    {IN(RQ "X\x7fY: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("\x7f")},
    {IN(RQ "X\0Y: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK_PLUS("\r\nX", 3)},
    {IN(RQ "Xyz\r\n\r\n"), ERR(FIELD_NO_COLON)},
    {IN(RS "Xyz\r\n\r\n"), RESP, ERR(FIELD_NO_COLON)},
    {IN(RQ "X v\r\n\r\n"), .any_error = 1},
    {IN(RQ "X : v\r\n\r\n"), ERR(SPACE_BEFORE_COLON), AT_MARK(" :")},
    {IN(RQ "X\t: v\r\n\r\n"), ERR(SPACE_BEFORE_COLON), AT_MARK("\t:")},
    {IN(RQ "X  : v\r\n\r\n"), ERR(SPACE_BEFORE_COLON), AT_MARK("  :")},
    {IN(RS "X : v\r\n\r\n"), RESP, ERR(SPACE_BEFORE_COLON), AT_MARK(" :")},
    {IN("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), ERR(SPACE_BEFORE_COLON), AT(20)},
};

/* RFC 9110 §5.5: field-value = *field-content; no NUL, CTL (but HTAB) or DEL. */
static const cf_row values[] = {
    {IN(RQ "X: a\0b\r\n\r\n"), ERR(FIELD_VALUE_CHAR), AT_MARK_PLUS("X: a", 4)},
    {IN(RQ "X: \0a\r\n\r\n"), ERR(FIELD_VALUE_CHAR), AT_MARK_PLUS("X: ", 3)},
    {IN(RQ "X: a\x01"
           "b\r\n\r\n"),
     ERR(FIELD_VALUE_CHAR), AT_MARK("\x01")},
    {IN(RQ "X: a\x1f"
           "b\r\n\r\n"),
     ERR(FIELD_VALUE_CHAR), AT_MARK("\x1f")},
    {IN(RQ "X: a\x7f"
           "b\r\n\r\n"),
     ERR(FIELD_VALUE_CHAR), AT_MARK("\x7f")},
    {IN(RQ "X: a\x0b\r\n\r\n"), ERR(FIELD_VALUE_CHAR), AT_MARK("\x0b")},
    {IN(RQ "X: a\x0c\r\n\r\n"), ERR(FIELD_VALUE_CHAR), AT_MARK("\x0c")},
    {IN(RQ "X: a\x1b[0m\r\n\r\n"), ERR(FIELD_VALUE_CHAR), AT_MARK("\x1b")},
    {IN(RS "X: a\x01"
           "b\r\n\r\n"),
     RESP, ERR(FIELD_VALUE_CHAR), AT_MARK("\x01")},
};

/* RFC 9112 §2.2: lines end in CRLF; a bare CR is invalid; a bare LF is not a line terminator in
 * strict mode. §5.2: obs-fold; a line starting with whitespace right after the start-line. */
/* (RFC 9112 §3 lists bare CR among the whitespace a request-line may be split on, so there
 * REQUEST_LINE_WS names the rule as well as BARE_CR.) */
static const cf_row line_endings[] = {
    {IN(RQ "X: a\rb\r\n\r\n"), ERR(BARE_CR), AT_MARK("\rb")},
    {IN(RQ "X: a\r\r\n\r\n"), ERR(BARE_CR), AT_MARK("\r\r")},
    {IN(RQ "X\rY: v\r\n\r\n"), ERR(BARE_CR), OR(FIELD_NAME_CHAR), AT_MARK("\rY")},
    {IN("GET / HTTP/1.1\r\rHost: h\r\n\r\n"), ERR(BARE_CR), OR(REQUEST_LINE_WS), AT(14)},
    {IN("GET /\r HTTP/1.1\r\nHost: h\r\n\r\n"), ERR(BARE_CR), OR(REQUEST_LINE_WS), AT(5)},
    {IN(RQ "\rX: v\r\n\r\n"), ERR(BARE_CR), AT_MARK("\rX")},
    {IN(RS "X: a\rb\r\n\r\n"), RESP, ERR(BARE_CR), AT_MARK("\rb")},
    {IN("GET / HTTP/1.1\nHost: h\r\n\r\n"), ERR(BARE_LF), AT(14)},
    {IN(RQ "X: a\nY: b\r\n\r\n"), ERR(BARE_LF), AT_MARK("\nY")},
    {IN(RQ "X: a\r\n\n"), ERR(BARE_LF), AT_MARK_PLUS("\r\n\n", 2)},
    {IN(RQ "\n"), ERR(BARE_LF), AT(25)},
    {IN(RQ "X\nY: v\r\n\r\n"), ERR(BARE_LF), OR(FIELD_NO_COLON), AT_MARK("\nY")},
    {IN("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n"), RESP, ERR(BARE_LF), AT(15)},
    {IN("\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), ERR(BARE_LF), AT(0)},
    {IN(RQ "X: a\r\n b\r\n\r\n"), ERR(OBS_FOLD), AT_MARK_PLUS("\r\n b", 2)},
    {IN(RQ "X: a\r\n\tb\r\n\r\n"), ERR(OBS_FOLD), AT_MARK_PLUS("\r\n\tb", 2)},
    {IN(RQ "X: a\r\n \r\n\r\n"), ERR(OBS_FOLD), AT_MARK_PLUS("\r\n \r\n", 2)},
    {IN(RS "X: a\r\n  b\r\n\r\n"), RESP, ERR(OBS_FOLD), AT_MARK_PLUS("\r\n  b", 2)},
    {IN("GET / HTTP/1.1\r\n X: y\r\nHost: h\r\n\r\n"), ERR(WS_AFTER_START_LINE), AT(16)},
    {IN("GET / HTTP/1.1\r\n\tHost: h\r\n\r\n"), ERR(WS_AFTER_START_LINE), AT(16)},
    {IN("HTTP/1.1 200 OK\r\n X: y\r\nContent-Length: 0\r\n\r\n"), RESP, ERR(WS_AFTER_START_LINE),
     AT(17)},
};

Test(fields, syntax)
{
    CF_RUN_TABLE(syntax);
}

Test(fields, names)
{
    CF_RUN_TABLE(names);
}

Test(fields, values)
{
    CF_RUN_TABLE(values);
}

Test(fields, line_endings_and_folding)
{
    CF_RUN_TABLE(line_endings);
}

Test(fields, header_find_is_case_insensitive)
{
    h1_header h[4] = {
        {{"Host", 4}, {"a", 1}, 0},
        {{"X-Thing", 7}, {"1", 1}, 0},
        {{"Accept", 6}, {"*/*", 3}, 0},
        {{"x-thing", 7}, {"2", 1}, 0},
    };
    cr_expect_eq(h1_header_find(h, 4, "x-THING", 0), 1u);
    cr_expect_eq(h1_header_find(h, 4, "x-thing", 2), 3u);
    cr_expect_eq(h1_header_find(h, 4, "HOST", 0), 0u);
    cr_expect_eq(h1_header_find(h, 4, "Hos", 0), SIZE_MAX);
    cr_expect_eq(h1_header_find(h, 4, "Hostx", 0), SIZE_MAX);
    cr_expect_eq(h1_header_find(h, 4, "Accept", 3), SIZE_MAX);
    cr_expect_eq(h1_header_find(h, 0, "Host", 0), SIZE_MAX);
}

Test(fields, span_ieq_compares_whole_spans)
{
    h1_span s = {"Content-Length: 5", 14};
    cr_expect(h1_span_ieq(s, "content-length"));
    cr_expect(h1_span_ieq(s, "CONTENT-LENGTH"));
    cr_expect(!h1_span_ieq(s, "content-lengt"));
    cr_expect(!h1_span_ieq(s, "content-length:"));
    cr_expect(!h1_span_ieq(s, "content_length"));
    h1_span e = {"", 0};
    cr_expect(h1_span_ieq(e, ""));
    cr_expect(!h1_span_ieq(e, "a"));
}

Test(fields, value_copy_of_plain_value_is_the_value)
{
    h1_header h = {{"X", 1}, {"abc def", 7}, 0};
    char out[16];
    memset(out, '#', sizeof out);
    cr_expect_eq(h1_field_value_copy(&h, out, sizeof out), 7u);
    cr_expect(memcmp(out, "abc def", 7) == 0);
    memset(out, '#', sizeof out);
    cr_expect_eq(h1_field_value_copy(&h, out, 3), 7u); /* the full length, first 3 bytes */
    cr_expect(memcmp(out, "abc", 3) == 0);
    cr_expect_eq(out[3], '#', "wrote past cap");
}
