/* Host (RFC 9112 §3.2, RFC 9110 §7.2): an HTTP/1.1 request has exactly one Host field and its
 * value is uri-host [ ":" port ] (RFC 3986 §3.2.2, §3.2.3). */
#include <criterion/criterion.h>

#include "cf_table.h"

#define GET11   "GET / HTTP/1.1\r\n"
#define HOST(v) GET11 "Host: " v "\r\n\r\n"

static const cf_row presence[] = {
    {IN(HOST("example.com")), .want = "host=0"},
    {IN(GET11 "Accept: */*\r\nhOsT: example.com\r\n\r\n"), .want = "host=1"},
    {IN(GET11 "\r\n"), ERR(HOST_MISSING)},
    {IN(GET11 "Hostname: a\r\n\r\n"), ERR(HOST_MISSING)},
    {IN("GET http://example.com/ HTTP/1.1\r\n\r\n"), ERR(HOST_MISSING)}, /* absolute-form too */
    {IN("GET / HTTP/1.0\r\n\r\n"), .want = "host=none"},                 /* only 1.1 needs one */
    {IN(GET11 "Host: a\r\nHost: b\r\n\r\n"), ERR(HOST_MULTIPLE)},
    {IN(GET11 "Host: a\r\nHost: a\r\n\r\n"), ERR(HOST_MULTIPLE)},
    {IN(GET11 "Host: a\r\nX: 1\r\nHOST: a\r\n\r\n"), ERR(HOST_MULTIPLE)},
    /* "any request message that contains more than one Host header field line" - 1.0 too */
    {IN("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), ERR(HOST_MULTIPLE)},
    /* The rule is for servers: a response's Host fields are not checked. */
    {IN("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), RESP, .want = "host=none"},
    {IN("HTTP/1.1 200 OK\r\nHost: a\r\nHost: b\r\nContent-Length: 0\r\n\r\n"), RESP},
};

/* Host = uri-host [ ":" port ]; port = *DIGIT; an empty value is valid (RFC 9112 §3.2). */
static const cf_row values[] = {
    {IN(HOST("")), .hdrs = "Host: \n"},
    {IN(HOST("example.com:8080")), .hdrs = "Host: example.com:8080\n"},
    {IN(HOST("example.com:")), .hdrs = "Host: example.com:\n"}, /* port = *DIGIT */
    {IN(HOST("  example.com  ")), .hdrs = "Host: example.com\n"},
    {IN(HOST("192.0.2.1")), .hdrs = "Host: 192.0.2.1\n"},
    {IN(HOST("[::1]")), .hdrs = "Host: [::1]\n"},
    {IN(HOST("[2001:db8::7]:443")), .hdrs = "Host: [2001:db8::7]:443\n"},
    {IN(HOST("[v1.fe80::a+en1]")), .hdrs = "Host: [v1.fe80::a+en1]\n"}, /* IPvFuture */
    {IN(HOST("xn--bcher-kva.example")), .hdrs = "Host: xn--bcher-kva.example\n"},
    {IN(HOST("a_b~c-d.e")), .hdrs = "Host: a_b~c-d.e\n"},         /* unreserved */
    {IN(HOST("a!$&'()*+,;=b")), .hdrs = "Host: a!$&'()*+,;=b\n"}, /* sub-delims */
    {IN(HOST("ex%41mple")), .hdrs = "Host: ex%41mple\n"},         /* pct-encoded */
    {IN(HOST("EXAMPLE.com")), .hdrs = "Host: EXAMPLE.com\n"},
    {IN(HOST("a b")), ERR(HOST_INVALID)},
    {IN(HOST("a/b")), ERR(HOST_INVALID)},
    {IN(HOST("user@example.com")), ERR(HOST_INVALID)}, /* userinfo is not part of uri-host */
    {IN(HOST("example.com:80a")), ERR(HOST_INVALID)},
    {IN(HOST("example.com:80:90")), ERR(HOST_INVALID)},
    {IN(HOST("example.com:-1")), ERR(HOST_INVALID)},
    {IN(HOST("a?b")), ERR(HOST_INVALID)},
    {IN(HOST("a#b")), ERR(HOST_INVALID)},
    {IN(HOST("ex%zzmple")), ERR(HOST_INVALID)},
    {IN(HOST("ex%4")), ERR(HOST_INVALID)},
    {IN(HOST("[::1")), ERR(HOST_INVALID)},
    {IN(HOST("::1")), ERR(HOST_INVALID)},
    {IN(HOST("[::1]x")), ERR(HOST_INVALID)},
    {IN(HOST("[::g]")), ERR(HOST_INVALID)},
    {IN(HOST("a\"b")), ERR(HOST_INVALID)},
    {IN(HOST("a<b>")), ERR(HOST_INVALID)},
    {IN(HOST("caf\xc3\xa9.example")), ERR(HOST_INVALID)},           /* raw UTF-8 is no reg-name */
    {IN("GET / HTTP/1.0\r\nHost: a b\r\n\r\n"), ERR(HOST_INVALID)}, /* any request */
};

Test(host, presence)
{
    CF_RUN_TABLE(presence);
}

Test(host, values)
{
    CF_RUN_TABLE(values);
}
