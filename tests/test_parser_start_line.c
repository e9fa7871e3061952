/* Start-lines: request-line (RFC 9112 §3), request-target forms (§3.2), HTTP-version (§2.3,
 * RFC 9110 §6.2) and status-line (RFC 9112 §4, RFC 9110 §15). */
#include <criterion/criterion.h>

#include "cf_table.h"

#define H     "Host: h\r\n"
#define RL(s) s "\r\n" H "\r\n" /* a request-line with a Host field and the empty line */

/* RFC 9112 §3: request-line = method SP request-target SP HTTP-version. */
static const cf_row request_lines[] = {
    {IN(RL("GET / HTTP/1.1")), .method = "GET", .target = "/", .want = "form=origin version=11"},
    {IN(RL("get / HTTP/1.1")), .method = "get"}, /* RFC 9110 §9.1: any token, case-sensitive */
    {IN(RL("PROPFIND /x HTTP/1.1")), .method = "PROPFIND", .target = "/x"},
    {IN(RL("M-SEARCH / HTTP/1.1")), .method = "M-SEARCH"},
    {IN(RL("X!#$%&'*+-.^_`|~9 / HTTP/1.1")), .method = "X!#$%&'*+-.^_`|~9"},
    {IN(RL("AVERYLONGMETHODNAMEWITHOUTANYMEANINGATALLBUTSTILLATOKENSOSTILLVALID / HTTP/1.1")),
     .method = "AVERYLONGMETHODNAMEWITHOUTANYMEANINGATALLBUTSTILLATOKENSOSTILLVALID"},
    {IN("GET / HTTP/1.0\r\n\r\n"), .want = "version=10 host=none"},
    /* RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line. */
    {IN("\r\n" RL("GET /e HTTP/1.1")), .method = "GET", .target = "/e"},
    {IN("\r\n\r\n" RL("GET /e HTTP/1.1")), .method = "GET", .target = "/e"},
    /* RFC 9110 §9.1: method = token. */
    {IN(RL("G@T / HTTP/1.1")), ERR(METHOD_CHAR), AT(1)},
    {IN(RL("GE(T / HTTP/1.1")), ERR(METHOD_CHAR), AT(2)},
    {IN(RL("GET\" / HTTP/1.1")), ERR(METHOD_CHAR), AT(3)},
    {IN(RL("G\x80T / HTTP/1.1")), ERR(METHOD_CHAR), AT(1)},
    {IN(RL("G\x01T / HTTP/1.1")), ERR(METHOD_CHAR), AT(1)},
    {IN(RL(" GET / HTTP/1.1")), ERR(METHOD_EMPTY), OR(REQUEST_LINE_WS), AT(0)},
    /* RFC 9112 §3: exactly one SP between the parts; anything else is rejected. */
    {IN(RL("GET  / HTTP/1.1")), ERR(REQUEST_LINE_WS), WITHIN(3, 4)},
    {IN(RL("GET /  HTTP/1.1")), ERR(REQUEST_LINE_WS), WITHIN(5, 6)},
    {IN(RL("GET\t/ HTTP/1.1")), ERR(REQUEST_LINE_WS), AT(3)},
    {IN(RL("GET /\tHTTP/1.1")), ERR(REQUEST_LINE_WS), OR(TARGET_CHAR), AT(5)},
    {IN(RL("GET\x0b/ HTTP/1.1")), ERR(REQUEST_LINE_WS), AT(3)},
    {IN(RL("GET\x0c/ HTTP/1.1")), ERR(REQUEST_LINE_WS), AT(3)},
    {IN(RL("GET / HTTP/1.1 ")), ERR(REQUEST_LINE_WS), AT(14)},
    {IN(RL("GET / HTTP/1.1\t")), ERR(REQUEST_LINE_WS), AT(14)},
    {IN(RL("GET")), ERR(REQUEST_LINE)},
    {IN(RL("GET /")), ERR(REQUEST_LINE)}, /* HTTP/0.9 simple request: no version */
    {IN(RL("GET / HTTP/1.1 x")), .any_error = 1},
    {IN(RL("GET  HTTP/1.1")), ERR(TARGET_EMPTY), OR(REQUEST_LINE_WS)},
    {IN("\r\n"), .again = 1}, /* an empty line alone is not yet a request */
    {IN("GET / HTTP/1.1\r\nHost: h\r\n"), .again = 1},
    {IN("GET / HTTP/1.1"), .again = 1},
};

/* RFC 9112 §3.2: origin-form, absolute-form, authority-form, asterisk-form. */
static const cf_row targets[] = {
    {IN(RL("GET /a/b?x=1&y=%41 HTTP/1.1")), .target = "/a/b?x=1&y=%41", .want = "form=origin"},
    {IN(RL("GET /p?q/r?s HTTP/1.1")), .target = "/p?q/r?s"}, /* RFC 3986 §3.4 query chars */
    {IN(RL("GET /~u/-._!$&'()*+,;=:@ HTTP/1.1")), .target = "/~u/-._!$&'()*+,;=:@"},
    {IN(RL("GET /%7e%7E%00 HTTP/1.1")), .target = "/%7e%7E%00"},
    {IN(RL("GET //a HTTP/1.1")), .target = "//a"}, /* absolute-path allows empty segments */
    {IN(RL("GET /? HTTP/1.1")), .target = "/?"},
    {IN(RL("GET /a/../b HTTP/1.1")), .target = "/a/../b"},
    {IN(RL("OPTIONS * HTTP/1.1")), .method = "OPTIONS", .target = "*", .want = "form=asterisk"},
    {IN(RL("OPTIONS / HTTP/1.1")), .want = "form=origin"},
    {IN("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
     .target = "example.com:443", .want = "form=authority"},
    {IN("CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n"), .target = "[::1]:8443",
     .want = "form=authority"},
    {IN("CONNECT 192.0.2.1:80 HTTP/1.1\r\nHost: 192.0.2.1:80\r\n\r\n"), .want = "form=authority"},
    {IN(RL("GET http://example.com/a?b HTTP/1.1")), .target = "http://example.com/a?b",
     .want = "form=absolute"},
    {IN(RL("GET HTTP://EXAMPLE.COM/ HTTP/1.1")), .want = "form=absolute"},
    {IN(RL("OPTIONS http://example.org:8001 HTTP/1.1")), .want = "form=absolute"},
    {IN(RL("GET svn+ssh.1-x://h/p HTTP/1.1")), .want = "form=absolute"}, /* RFC 3986 §3.1 */
    {IN(RL("GET urn:example:a HTTP/1.1")), .want = "form=absolute"},
    /* Characters RFC 3986 does not allow in a path or query. */
    {IN(RL("GET /a#b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("#")},
    {IN(RL("GET /a\"b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("\"")},
    {IN(RL("GET /a<b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("<")},
    {IN(RL("GET /a>b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK(">")},
    {IN(RL("GET /a\\b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("\\")},
    {IN(RL("GET /a^b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("^")},
    {IN(RL("GET /a`b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("`")},
    {IN(RL("GET /a{b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("{")},
    {IN(RL("GET /a|b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("|")},
    {IN(RL("GET /a}b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("}")},
    {IN(RL("GET /a[b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("[")},
    {IN(RL("GET /?a]b HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("]")},
    {IN(RL("GET /a\x80 HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("\x80")},
    {IN(RL("GET /a\x7f HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("\x7f")},
    {IN(RL("GET /a\x01z HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("\x01")},
    {IN(RL("GET http://a/b#frag HTTP/1.1")), ERR(TARGET_CHAR), AT_MARK("#")},
    /* RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG. */
    {IN(RL("GET /%zz HTTP/1.1")), ERR(TARGET_PCT), WITHIN(5, 6)},
    {IN(RL("GET /%4g HTTP/1.1")), ERR(TARGET_PCT), WITHIN(5, 7)},
    {IN(RL("GET /%4 HTTP/1.1")), ERR(TARGET_PCT), WITHIN(5, 7)},
    {IN(RL("GET /% HTTP/1.1")), ERR(TARGET_PCT), WITHIN(5, 6)},
    {IN(RL("GET /?q=%G0 HTTP/1.1")), ERR(TARGET_PCT), WITHIN(8, 9)},
    /* RFC 9112 §3.2.4: "*" only for a server-wide OPTIONS; §3.2.3: authority-form only and always
     * for CONNECT, and it carries a port. */
    {IN(RL("GET * HTTP/1.1")), ERR(TARGET_FORM)},
    {IN(RL("M-SEARCH * HTTP/1.1")), ERR(TARGET_FORM)},
    {IN(RL("CONNECT example.com HTTP/1.1")), ERR(TARGET_FORM)},
    {IN(RL("CONNECT / HTTP/1.1")), ERR(TARGET_FORM)},
    {IN(RL("CONNECT * HTTP/1.1")), ERR(TARGET_FORM)},
    {IN(RL("CONNECT http://example.com:443/ HTTP/1.1")), ERR(TARGET_FORM)},
    {IN(RL("GET 192.0.2.1:80 HTTP/1.1")), ERR(TARGET_FORM), OR(TARGET_SCHEME)},
    {IN(RL("GET a HTTP/1.1")), ERR(TARGET_FORM), OR(TARGET_SCHEME)},
    {IN(RL("OPTIONS *x HTTP/1.1")), ERR(TARGET_FORM), OR(TARGET_SCHEME)},
    /* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
    {IN(RL("GET 1http://a/ HTTP/1.1")), ERR(TARGET_SCHEME), OR(TARGET_FORM)},
    {IN(RL("GET ht_tp://a/ HTTP/1.1")), ERR(TARGET_SCHEME), OR(TARGET_FORM)},
    {IN(RL("GET ://a/ HTTP/1.1")), ERR(TARGET_SCHEME), OR(TARGET_FORM)},
};

/* RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive; RFC 9110 §6.2. */
static const cf_row versions[] = {
    {IN(RL("GET / HTTP/1.1")), .want = "version=11"},
    {IN(RL("GET / HTTP/1.0")), .want = "version=10"},
    {IN(RL("GET / HTTP/1.2")), .method = "GET"}, /* a higher minor version is processed as 1.1 */
    {IN("GET / HTTP/1.9\r\n\r\n"), ERR(HOST_MISSING)}, /* ... so it needs Host */
    {IN(RL("GET / http/1.1")), ERR(VERSION), WITHIN(6, 6)},
    {IN(RL("GET / Http/1.1")), ERR(VERSION), WITHIN(6, 7)},
    {IN(RL("GET / HTTPS/1.1")), ERR(VERSION), WITHIN(6, 10)},
    {IN(RL("GET / HTTP/11")), ERR(VERSION), WITHIN(6, 12)},
    {IN(RL("GET / HTTP/1.10")), ERR(VERSION), WITHIN(6, 14)},
    {IN(RL("GET / HTTP/1")), ERR(VERSION), WITHIN(6, 12)},
    {IN(RL("GET / HTTP/")), ERR(VERSION), WITHIN(6, 11)},
    {IN(RL("GET / HTTP/1.a")), ERR(VERSION), WITHIN(6, 13)},
    {IN(RL("GET / HTTP/a.1")), ERR(VERSION), WITHIN(6, 11)},
    {IN(RL("GET / HTTP/1.1x")), ERR(VERSION), WITHIN(6, 14)},
    {IN(RL("GET / HTTP/2.0")), ERR(VERSION_MAJOR)},
    {IN(RL("GET / HTTP/0.9")), ERR(VERSION_MAJOR)},
    {IN(RL("GET / HTTP/3.1")), ERR(VERSION_MAJOR)},
    {IN("HTTP/2.0 200 OK\r\n\r\n"), RESP, ERR(VERSION_MAJOR)},
    {IN("http/1.1 200 OK\r\n\r\n"), RESP, ERR(VERSION), AT(0)},
    {IN("HTTP/1.x 200 OK\r\n\r\n"), RESP, ERR(VERSION), WITHIN(0, 7)},
    {IN("HTTP/2 200 OK\r\n\r\n"), RESP, ERR(VERSION), WITHIN(0, 6)},
};

/* RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]. */
static const cf_row status_lines[] = {
    {IN("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), RESP, .reason = "OK",
     .want = "status=200 version=11"},
    {IN("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), RESP, .reason = "Not Found",
     .want = "status=404"},
    {IN("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"), RESP, .want = "status=200 version=10"},
    {IN("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"), RESP, .reason = "", .want = "status=200"},
    {IN("HTTP/1.1 200 D\xe9j\xe0 vu\r\nContent-Length: 0\r\n\r\n"), RESP,
     .reason = "D\xe9j\xe0 vu"}, /* obs-text */
    {IN("HTTP/1.1 200 A\tB\r\nContent-Length: 0\r\n\r\n"), RESP, .reason = "A\tB"},
    {IN("HTTP/1.1 200 !\"#~\r\nContent-Length: 0\r\n\r\n"), RESP, .reason = "!\"#~"},
    {IN("HTTP/1.1 100 Continue\r\n\r\n"), RESP, .want = "status=100"},
    {IN("HTTP/1.1 599 X\r\nContent-Length: 0\r\n\r\n"), RESP, .want = "status=599"},
    {IN("HTTP/1.1 199 X\r\n\r\n"), RESP, .want = "status=199"},
    {IN("HTTP/1.1 299 X\r\nContent-Length: 0\r\n\r\n"), RESP, .want = "status=299"},
    /* RFC 9110 §15: three digits, 100..599. */
    {IN("HTTP/1.1 099 X\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1 600 X\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1 999 X\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1 000 X\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1 20 OK\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1 2000 OK\r\n\r\n"), RESP, ERR(STATUS_CODE), OR(STATUS_LINE_SP)},
    {IN("HTTP/1.1 2x0 OK\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1 abc OK\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1  200 OK\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1 -20 OK\r\n\r\n"), RESP, ERR(STATUS_CODE)},
    {IN("HTTP/1.1\r\n\r\n"), RESP, .any_error = 1},
    {IN("HTTP/1.1200 OK\r\n\r\n"), RESP, ERR(VERSION), OR(STATUS_CODE)},
    /* The SP after the status-code is required even when the reason-phrase is empty. */
    {IN("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"), RESP, ERR(STATUS_LINE_SP), AT(12)},
    {IN("HTTP/1.1 200\tOK\r\n\r\n"), RESP, ERR(STATUS_LINE_SP), AT(12)},
    /* reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ) */
    {IN("HTTP/1.1 200 O\x01K\r\n\r\n"), RESP, ERR(REASON_CHAR), AT(14)},
    {IN("HTTP/1.1 200 O\x7fK\r\n\r\n"), RESP, ERR(REASON_CHAR), AT(14)},
    {IN("HTTP/1.1 200 O\0K\r\n\r\n"), RESP, ERR(REASON_CHAR), AT(14)},
    {IN("HTTP/1.1 200 O\x1bK\r\n\r\n"), RESP, ERR(REASON_CHAR), AT(14)},
    /* RFC 9112 §2.2 lets a server skip empty lines before a request-line, not a client before a
     * status-line. */
    {IN("\r\nHTTP/1.1 200 OK\r\n\r\n"), RESP, .any_error = 1},
    {IN("HTTP/1.1 200 OK\r\n"), RESP, .again = 1},
};

Test(start_line, request_lines)
{
    CF_RUN_TABLE(request_lines);
}

Test(start_line, request_targets)
{
    CF_RUN_TABLE(targets);
}

Test(start_line, versions)
{
    CF_RUN_TABLE(versions);
}

Test(start_line, status_lines)
{
    CF_RUN_TABLE(status_lines);
}

Test(start_line, init_is_strict_with_default_limits)
{
    h1_parser p;
    h1_parser_init(&p, H1_RESPONSE);
    h1_limits d = h1_limits_default();
    cr_expect_eq(p.kind, H1_RESPONSE);
    cr_expect_eq(p.lenient, 0u);
    cr_expect_eq(p.limits.max_start_line, d.max_start_line);
    cr_expect_eq(p.limits.max_head, d.max_head);
    cr_expect_eq(p.limits.max_fields, d.max_fields);
    cr_expect_eq(p.num_violations, 0u);
}
