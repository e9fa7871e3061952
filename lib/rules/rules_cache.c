/* Compliance rules on the Cache-Control directives RFC 9111 §5.2.2 defines for responses: their
 * argument forms (§5.2.2.1, §5.2.2.4, §5.2.2.7, §5.2.2.10), directives that take none (§5.2),
 * and must-understand without no-store (§5.2.2.3). The list syntax itself is
 * cache-control-invalid's (rules_fields.c); a directive that is not a token [ "=" argument ] is
 * left to it. */
#include <string.h>

#include "rules_internal.h"

/* One cache-directive (item) split at its "=": name, and the argument (arg.ptr NULL when none). */
typedef struct directive {
    h1_span item, name, arg;
} directive;

static directive split(h1_span s)
{
    directive d = {.item = s, .name = s};
    const char *eq = memchr(s.ptr, '=', s.len);
    if (!eq) return d;
    d.name.len = (size_t)(eq - s.ptr);
    d.arg = (h1_span){eq + 1, s.len - d.name.len - 1};
    return d;
}

/* The directives of §5.2.2 that define no argument: "For the cache directives defined below, no
 * argument is defined (nor allowed) unless stated otherwise" (§5.2). */
static bool takes_no_argument(h1_span name)
{
    static const char *const bare[] = {"must-revalidate", "must-understand",  "no-store",
                                       "no-transform",    "proxy-revalidate", "public"};
    for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++)
        if (h1_span_ieq(name, bare[i])) return true;
    return false;
}

/* delta-seconds = 1*DIGIT (§1.2.2), in the token form: "A sender MUST NOT generate the
 * quoted-string form" (§5.2.2.1, §5.2.2.10). */
static bool bad_seconds(directive d, const char *name)
{
    return h1_span_ieq(d.name, name) && !(d.arg.ptr && cf_rules_digits(d.arg.ptr, d.arg.len, NULL));
}

static bool bad_max_age(directive d)
{
    return bad_seconds(d, "max-age");
}

static bool bad_s_maxage(directive d)
{
    return bad_seconds(d, "s-maxage");
}

/* A field-name list in the token form: "A sender SHOULD NOT generate the token form"
 * (§5.2.2.4, §5.2.2.7). */
static bool token_list(directive d, const char *name)
{
    return h1_span_ieq(d.name, name) && d.arg.ptr && d.arg.len > 0 && d.arg.ptr[0] != '"';
}

static bool no_cache_token(directive d)
{
    return token_list(d, "no-cache");
}

static bool private_token(directive d)
{
    return token_list(d, "private");
}

static bool argument_not_allowed(directive d)
{
    return d.arg.ptr && takes_no_argument(d.name);
}

static const struct {
    bool (*broken)(directive d);
    cf_rule_index rule;
} per_directive[] = {
    {bad_max_age, CF_R_CACHE_CONTROL_MAX_AGE_INVALID},               /* RFC 9111 §5.2.2.1 */
    {bad_s_maxage, CF_R_CACHE_CONTROL_S_MAXAGE_INVALID},             /* RFC 9111 §5.2.2.10 */
    {no_cache_token, CF_R_CACHE_CONTROL_NO_CACHE_TOKEN_FORM},        /* RFC 9111 §5.2.2.4 */
    {private_token, CF_R_CACHE_CONTROL_PRIVATE_TOKEN_FORM},          /* RFC 9111 §5.2.2.7 */
    {argument_not_allowed, CF_R_CACHE_CONTROL_ARGUMENT_NOT_ALLOWED}, /* RFC 9111 §5.2 */
};

/* The directives of every Cache-Control field line of r (at most max), split; a directive whose
 * name is not a token is left to cache-control-invalid. */
static size_t directives(const cf_obs_response *r, directive *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfields; i++) {
        const cf_obs_field *f = &r->fields[i];
        if (!h1_span_ieq((h1_span){f->name, f->name_len}, "Cache-Control")) continue;
        h1_span it[64];
        size_t empty, k = cf_rules_list(f->value, f->value_len, it, 64, &empty);
        for (size_t j = 0; j < k && j < 64 && n < max; j++) {
            directive d = split(it[j]);
            if (h1_lex_is_token(d.name.ptr, d.name.len)) out[n++] = d;
        }
    }
    return n;
}

/* Whether one of d[0..n) is named name. */
static bool has_directive(const directive *d, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (h1_span_ieq(d[i].name, name)) return true;
    return false;
}

void cf_rules_check_cache(cf_rules_run *run)
{
    directive d[128];
    size_t n = directives(run->r, d, 128);
    for (size_t k = 0; k < sizeof per_directive / sizeof per_directive[0]; k++) {
        for (size_t i = 0; i < n; i++) {
            if (!per_directive[k].broken(d[i])) continue;
            cf_rules_report(run, per_directive[k].rule, "Cache-Control directive \"%.*s\"",
                            (int)d[i].item.len, d[i].item.ptr);
            break; /* one finding per rule and response */
        }
    }
    /* §5.2.2.3: "A response that contains the must-understand directive SHOULD also contain the
     * no-store directive." */
    if (has_directive(d, n, "must-understand") && !has_directive(d, n, "no-store"))
        cf_rules_report(run, CF_R_CACHE_CONTROL_MUST_UNDERSTAND_WITHOUT_NO_STORE,
                        "must-understand without no-store");
}
