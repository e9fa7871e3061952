/* Compliance rules on the syntax of field values (RFC 9110 §8.3.1, §8.8.3, §10.2, §12.5.5,
 * §14.4; RFC 9111 §5.1, §5.2). Every field line is checked on its own. */
#include <string.h>

#include "rules_internal.h"

typedef bool (*value_ok)(const char *v, size_t n);

/* media-type = type "/" subtype parameters ; type = token ; subtype = token */
static bool media_type_ok(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n && h1_lex_tchar((unsigned char)v[i]))
        i++;
    if (i == 0 || i == n || v[i] != '/') return false;
    size_t s = ++i;
    while (i < n && h1_lex_tchar((unsigned char)v[i]))
        i++;
    return i > s && h1_lex_params(v + i, n - i);
}

/* entity-tag = [ weak ] opaque-tag ; weak = %s"W/" ; opaque-tag = DQUOTE *etagc DQUOTE ;
 * etagc = %x21 / %x23-7E / obs-text */
static bool etag_ok(const char *v, size_t n)
{
    if (n >= 2 && v[0] == 'W' && v[1] == '/') v += 2, n -= 2;
    if (n < 2 || v[0] != '"' || v[n - 1] != '"') return false;
    for (size_t i = 1; i + 1 < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x21 || c == '"' || c == 0x7f) return false;
    }
    return true;
}

/* A list whose every element satisfies ok (empty elements are empty-list-element's business);
 * at least one element when nonempty is set. */
static bool list_ok(const char *v, size_t n, bool (*ok)(h1_span), bool nonempty)
{
    h1_span it[64];
    size_t empty, k = cf_rules_list(v, n, it, 64, &empty);
    if (nonempty && k == 0) return false;
    for (size_t j = 0; j < k && j < 64; j++)
        if (!ok(it[j])) return false;
    return true;
}

static bool token_ok(h1_span s)
{
    return h1_lex_is_token(s.ptr, s.len);
}

/* cache-directive = token [ "=" ( token / quoted-string ) ] */
static bool directive_ok(h1_span s)
{
    size_t e = 0;
    while (e < s.len && h1_lex_tchar((unsigned char)s.ptr[e]))
        e++;
    if (e == 0) return false;
    if (e == s.len) return true;
    if (s.ptr[e] != '=') return false;
    const char *a = s.ptr + e + 1;
    size_t an = s.len - e - 1;
    return h1_lex_is_token(a, an) || (an > 0 && h1_lex_quoted(a, an) == an);
}

static bool cache_control_ok(const char *v, size_t n)
{
    return list_ok(v, n, directive_ok, true);
}

/* Vary = #( "*" / field-name ) */
static bool vary_member_ok(h1_span s)
{
    return (s.len == 1 && s.ptr[0] == '*') || h1_lex_is_token(s.ptr, s.len);
}

static bool vary_ok(const char *v, size_t n)
{
    return list_ok(v, n, vary_member_ok, false);
}

/* Allow = #method ; method = token (an empty Allow is valid: no method allowed) */
static bool allow_ok(const char *v, size_t n)
{
    return list_ok(v, n, token_ok, false);
}

/* Content-Range = range-unit SP ( range-resp / unsatisfied-range ) ;
 * range-resp = incl-range "/" ( complete-length / "*" ) ; incl-range = first-pos "-" last-pos ;
 * unsatisfied-range = "*" "/" complete-length. Invalid when last-pos < first-pos or
 * complete-length <= last-pos. */
static bool content_range_ok(const char *v, size_t n)
{
    size_t u = 0;
    while (u < n && h1_lex_tchar((unsigned char)v[u]))
        u++;
    if (u == 0 || u == n || v[u] != ' ') return false;
    const char *p = v + u + 1;
    size_t m = n - u - 1;
    if (m >= 2 && p[0] == '*' && p[1] == '/') return cf_rules_digits(p + 2, m - 2, NULL);
    const char *dash = memchr(p, '-', m), *slash = memchr(p, '/', m);
    if (!dash || !slash || slash < dash) return false;
    unsigned long long first, last, len;
    if (!cf_rules_digits(p, (size_t)(dash - p), &first) ||
        !cf_rules_digits(dash + 1, (size_t)(slash - dash - 1), &last) || last < first)
        return false;
    size_t ln = m - (size_t)(slash + 1 - p);
    if (ln == 1 && slash[1] == '*') return true;
    return cf_rules_digits(slash + 1, ln, &len) && len > last;
}

/* Age = delta-seconds ; delta-seconds = 1*DIGIT */
static bool age_ok(const char *v, size_t n)
{
    return cf_rules_digits(v, n, NULL);
}

/* Location = URI-reference (RFC 3986 §4.1): unreserved, reserved and pct-encoded bytes only. */
static bool hexdig(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool location_ok(const char *v, size_t n)
{
    static const char other[] = "-._~:/?#[]@!$&'()*+,;=";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (alnum || (c && strchr(other, c))) continue;
        if (c != '%' || i + 2 >= n || !hexdig(v[i + 1]) || !hexdig(v[i + 2])) return false;
        i += 2;
    }
    return true;
}

static const struct {
    const char *field;
    value_ok ok;
    cf_rule_index rule;
} syntax[] = {
    {"Content-Type", media_type_ok, CF_R_CONTENT_TYPE_INVALID},      /* RFC 9110 §8.3.1 */
    {"ETag", etag_ok, CF_R_ETAG_INVALID},                            /* RFC 9110 §8.8.3 */
    {"Cache-Control", cache_control_ok, CF_R_CACHE_CONTROL_INVALID}, /* RFC 9111 §5.2 */
    {"Vary", vary_ok, CF_R_VARY_INVALID},                            /* RFC 9110 §12.5.5 */
    {"Allow", allow_ok, CF_R_ALLOW_INVALID},                         /* RFC 9110 §10.2.1 */
    {"Content-Range", content_range_ok, CF_R_CONTENT_RANGE_INVALID}, /* RFC 9110 §14.4 */
    {"Age", age_ok, CF_R_AGE_INVALID},                               /* RFC 9111 §5.1 */
    {"Location", location_ok, CF_R_LOCATION_INVALID},                /* RFC 9110 §10.2.2 */
};

void cf_rules_check_fields(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    for (size_t k = 0; k < sizeof syntax / sizeof syntax[0]; k++) {
        for (size_t i = 0; i < r->nfields; i++) {
            const cf_obs_field *f = &r->fields[i];
            if (!h1_span_ieq((h1_span){f->name, f->name_len}, syntax[k].field)) continue;
            if (syntax[k].ok(f->value, f->value_len)) continue;
            cf_rules_report(run, syntax[k].rule, "%s: \"%s\"", syntax[k].field, f->value);
            break;
        }
    }
}
