/* Compliance rules on the Cache-Control directives RFC 9111 §5.2.2 defines for responses: their
 * argument forms (§5.2.2.1, §5.2.2.4, §5.2.2.7, §5.2.2.10), directives that take none (§5.2),
 * and must-understand without no-store (§5.2.2.3). The list syntax itself is
 * cache-control-invalid's (rules_fields.c); a directive that is not a token [ "=" argument ] is
 * left to it. */
#include <string.h>

#include "rules_internal.h"

/* One cache-directive split at its "=": name, and the argument (arg.ptr NULL when none). */
typedef struct directive {
    h1_span name, arg;
} directive;

static directive split(h1_span s)
{
    directive d = {.name = s};
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

/* Judges one directive of a response's Cache-Control; sets *mu / *ns when it is
 * must-understand / no-store. */
static void check_directive(cf_rules_run *run, h1_span item, bool *mu, bool *ns)
{
    directive d = split(item);
    if (!h1_lex_is_token(d.name.ptr, d.name.len)) return; /* cache-control-invalid's */
    bool has = d.arg.ptr != NULL;
    /* §5.2.2.1, §5.2.2.10: delta-seconds = 1*DIGIT (§1.2.2) in the token form; "A sender MUST
     * NOT generate the quoted-string form." */
    if (h1_span_ieq(d.name, "max-age") && !(has && cf_rules_digits(d.arg.ptr, d.arg.len, NULL)))
        cf_rules_report(run, CF_R_CACHE_CONTROL_MAX_AGE_INVALID, "Cache-Control directive \"%.*s\"",
                        (int)item.len, item.ptr);
    if (h1_span_ieq(d.name, "s-maxage") && !(has && cf_rules_digits(d.arg.ptr, d.arg.len, NULL)))
        cf_rules_report(run, CF_R_CACHE_CONTROL_S_MAXAGE_INVALID,
                        "Cache-Control directive \"%.*s\"", (int)item.len, item.ptr);
    /* §5.2.2.4, §5.2.2.7: "A sender SHOULD NOT generate the token form" of the field-name list */
    bool token_arg = has && d.arg.len > 0 && d.arg.ptr[0] != '"';
    if (token_arg && h1_span_ieq(d.name, "no-cache"))
        cf_rules_report(run, CF_R_CACHE_CONTROL_NO_CACHE_TOKEN_FORM,
                        "Cache-Control directive \"%.*s\"", (int)item.len, item.ptr);
    if (token_arg && h1_span_ieq(d.name, "private"))
        cf_rules_report(run, CF_R_CACHE_CONTROL_PRIVATE_TOKEN_FORM,
                        "Cache-Control directive \"%.*s\"", (int)item.len, item.ptr);
    if (has && takes_no_argument(d.name))
        cf_rules_report(run, CF_R_CACHE_CONTROL_ARGUMENT_NOT_ALLOWED,
                        "Cache-Control directive \"%.*s\"", (int)item.len, item.ptr);
    if (h1_span_ieq(d.name, "must-understand")) *mu = true;
    if (h1_span_ieq(d.name, "no-store")) *ns = true;
}

void cf_rules_check_cache(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    bool mu = false, ns = false;
    for (size_t i = 0; i < r->nfields; i++) {
        const cf_obs_field *f = &r->fields[i];
        if (!h1_span_ieq((h1_span){f->name, f->name_len}, "Cache-Control")) continue;
        h1_span it[64];
        size_t empty, k = cf_rules_list(f->value, f->value_len, it, 64, &empty);
        for (size_t j = 0; j < k && j < 64; j++)
            check_directive(run, it[j], &mu, &ns);
    }
    /* §5.2.2.3: "A response that contains the must-understand directive SHOULD also contain the
     * no-store directive." */
    if (mu && !ns)
        cf_rules_report(run, CF_R_CACHE_CONTROL_MUST_UNDERSTAND_WITHOUT_NO_STORE,
                        "must-understand without no-store");
}
