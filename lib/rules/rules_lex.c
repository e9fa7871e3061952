/* The common syntax components of RFC 9110 §5.6 the field rules are written with: tokens,
 * quoted strings, parameters, lists. Each works on a byte span and never reads past it. */
#include <stdint.h>

#include "rules_internal.h"

/* RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
 * "_" / "`" / "|" / "~" / DIGIT / ALPHA */
bool cf_rules_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

bool cf_rules_token(const char *p, size_t n)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (!cf_rules_tchar((unsigned char)p[i])) return false;
    return true;
}

bool cf_rules_digits(const char *p, size_t n, unsigned long long *v)
{
    unsigned long long x = 0;
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return false;
        unsigned d = (unsigned)(p[i] - '0');
        x = x > (UINT64_MAX - d) / 10 ? UINT64_MAX : x * 10 + d;
    }
    if (v) *v = x;
    return true;
}

/* qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text ;
 * quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
size_t cf_rules_quoted(const char *p, size_t n)
{
    if (n < 2 || p[0] != '"') return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"') return i + 1;
        if (c == '\\') {
            if (i + 1 >= n) return 0;
            unsigned char q = (unsigned char)p[++i];
            if (q != '\t' && (q < 0x20 || q == 0x7f)) return 0;
        } else if (c != '\t' && (c < 0x20 || c == 0x7f)) {
            return 0;
        }
    }
    return 0;
}

static size_t ows(const char *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i;
}

static size_t token_end(const char *p, size_t n, size_t i)
{
    while (i < n && cf_rules_tchar((unsigned char)p[i]))
        i++;
    return i;
}

/* parameters = *( OWS ";" OWS [ parameter ] ) ; parameter = token "=" ( token / quoted-string ) */
bool cf_rules_params(const char *p, size_t n)
{
    size_t i = 0;
    for (;;) {
        i = ows(p, n, i);
        if (i == n) return true;
        if (p[i] != ';') return false;
        i = ows(p, n, i + 1);
        if (i == n || p[i] == ';') continue;
        size_t e = token_end(p, n, i);
        if (e == i || e == n || p[e] != '=') return false;
        i = e + 1;
        size_t q = cf_rules_quoted(p + i, n - i);
        size_t t = token_end(p, n, i);
        if (q)
            i += q;
        else if (t > i)
            i = t;
        else
            return false;
    }
}

static cf_span trim(const char *p, size_t a, size_t b)
{
    while (a < b && (p[a] == ' ' || p[a] == '\t'))
        a++;
    while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
        b--;
    return (cf_span){p + a, b - a};
}

size_t cf_rules_list(const char *p, size_t n, cf_span *items, size_t max, size_t *empty)
{
    size_t k = 0, start = 0;
    *empty = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] == '"') {
            size_t q = cf_rules_quoted(p + i, n - i);
            if (q) i += q - 1;
            continue;
        }
        if (i < n && p[i] != ',') continue;
        cf_span s = trim(p, start, i);
        if (s.len == 0) {
            /* an empty field value is an empty list, not an empty element */
            if (!(i == n && k == 0 && *empty == 0)) (*empty)++;
        } else {
            if (k < max) items[k] = s;
            k++;
        }
        start = i + 1;
    }
    return k;
}
