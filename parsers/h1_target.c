/* request-target forms (RFC 9112 §3.2) and authority syntax (RFC 9110 §7.2, RFC 3986 §3.2). */
#include "h1_simd_level.h" /* first: this file is built once per SIMD level */
#include <arpa/inet.h>
#include <string.h>

#include "h1_internal.h"
#include "h1_simd.h"

static int is_alpha(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 3986 §2.3, §2.2: unreserved / sub-delims */
static int unreserved_or_sub(unsigned char c)
{
    return (h1_uri_class[c] & H1_URI_REG) != 0;
}

/* Offset of the first "%" in s not followed by two HEXDIG (RFC 3986 §2.1), or s.len. */
static size_t bad_pct(h1_span s)
{
    const unsigned char *b = (const unsigned char *)s.ptr;
    for (size_t i = 0; i < s.len; i++)
        if (b[i] == '%' && (i + 2 >= s.len || h1_hex[b[i + 1]] == 255 || h1_hex[b[i + 2]] == 255))
            return i;
    return s.len;
}

/* RFC 3986 §3.2.2: IP-literal = "[" ( IPv6address / IPvFuture ) "]" (brackets excluded here). */
static int ip_literal_valid(const unsigned char *b, size_t n)
{
    if (n > 0 && (b[0] == 'v' || b[0] == 'V')) {
        size_t i = 1;
        while (i < n && h1_hex[b[i]] != 255)
            i++;
        if (i == 1 || i >= n || b[i] != '.' || i + 1 >= n) return 0;
        for (i++; i < n; i++)
            if (!unreserved_or_sub(b[i]) && b[i] != ':') return 0;
        return 1;
    }
    char tmp[INET6_ADDRSTRLEN + 1];
    unsigned char addr[16];
    if (n == 0 || n >= sizeof tmp) return 0;
    memcpy(tmp, b, n);
    tmp[n] = '\0';
    return inet_pton(AF_INET6, tmp, addr) == 1;
}

int h1_authority_valid(h1_span s, int need_port)
{
    const unsigned char *b = (const unsigned char *)s.ptr;
    size_t i = 0;
    if (s.len > 0 && b[0] == '[') {
        while (i < s.len && b[i] != ']')
            i++;
        if (i >= s.len || !ip_literal_valid(b + 1, i - 1)) return 0;
        i++;
    } else {
        /* reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4address is one of them */
        i = h1_scan_reg(b, 0, s.len);
        for (; i < s.len && b[i] != ':'; i++) {
            if (b[i] == '%') {
                if (i + 2 >= s.len || h1_hex[b[i + 1]] == 255 || h1_hex[b[i + 2]] == 255) return 0;
                i += 2;
            } else if (!unreserved_or_sub(b[i])) {
                return 0;
            }
        }
    }
    if (i == s.len) return !need_port;
    if (b[i] != ':') return 0;
    for (i++; i < s.len; i++) /* port = *DIGIT */
        if (!is_digit(b[i])) return 0;
    return 1;
}

/* noinline: built in one file with h1_framing.c (h1_simd_avx2.c), it would be inlined into the
 * switch that reads every candidate field, and slow down the fields that are not Host. */
__attribute__((noinline)) int h1_host_valid(h1_span v, const char *lo, const char *hi)
{
    /* The common Host value, a reg-name of at most 32 bytes, in one vector compare. */
    return h1_reg_name32(v.ptr, v.len, lo, hi) || h1_authority_valid(v, 0);
}

/* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by ":". Returns
 * 1 valid, 0 no colon (not absolute-form), -1 a colon after a bad scheme. */
static int scheme(h1_span t)
{
    const unsigned char *b = (const unsigned char *)t.ptr;
    size_t i = 0;
    while (i < t.len && b[i] != ':')
        i++;
    if (i == t.len) return 0;
    if (i == 0 || !is_alpha(b[0])) return -1;
    for (size_t k = 1; k < i; k++)
        if (!is_alpha(b[k]) && !is_digit(b[k]) && b[k] != '+' && b[k] != '-' && b[k] != '.')
            return -1;
    return 1;
}

static int span_is(h1_span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && !memcmp(s.ptr, lit, n);
}

h1_status h1_target_check(h1_parser *p, h1_span t, size_t off, unsigned acc)
{
    h1_message *m = &p->msg;
    /* Methods are case-sensitive (RFC 9110 §9.1). */
    int connect = span_is(m->method, "CONNECT");
    if (t.len == 1 && t.ptr[0] == '*') {
        /* RFC 9112 §3.2.4: asterisk-form only for a server-wide OPTIONS request. */
        m->target_form = H1_TARGET_ASTERISK;
        return span_is(m->method, "OPTIONS") ? H1_DONE : h1_fail(p, H1_V_TARGET_FORM, off);
    }
    if (connect) {
        /* RFC 9112 §3.2.3: CONNECT uses authority-form = uri-host ":" port, and only it. */
        m->target_form = H1_TARGET_AUTHORITY;
        return h1_authority_valid(t, 1) ? H1_DONE : h1_fail(p, H1_V_TARGET_FORM, off);
    }
    if (t.ptr[0] == '/') {
        /* RFC 9112 §3.2.1: origin-form = absolute-path [ "?" query ]; no brackets there. */
        m->target_form = H1_TARGET_ORIGIN;
        if (acc & H1_URI_BRACKET) {
            size_t i = 0;
            while (t.ptr[i] != '[' && t.ptr[i] != ']')
                i++;
            return h1_fail(p, H1_V_TARGET_CHAR, off + i);
        }
    } else {
        /* RFC 9112 §3.2.2: absolute-form = absolute-URI */
        int s = scheme(t);
        if (s <= 0) return h1_fail(p, s == 0 ? H1_V_TARGET_FORM : H1_V_TARGET_SCHEME, off);
        m->target_form = H1_TARGET_ABSOLUTE;
    }
    if (acc & H1_URI_PCT) {
        size_t i = bad_pct(t);
        if (i < t.len) return h1_fail(p, H1_V_TARGET_PCT, off + i);
    }
    return H1_DONE;
}
