/* Compliance rules on the message syntax itself: the status-line, the repairs the parser
 * recorded while reading the response leniently, field names, repeated singleton fields, empty
 * list elements and trailer fields. */
#include <string.h>
#include <strings.h>

#include "rules_internal.h"

/* The parser's repair codes (parsers/include/h1_violations.def) and the rule each one breaks. */
static const struct {
    h1_code code;
    cf_rule_index rule;
} repairs[] = {
    {H1_V_STATUS_LINE_SP, CF_R_STATUS_LINE_SPACE_MISSING}, /* RFC 9112 §4 */
    {H1_V_REASON_CHAR, CF_R_REASON_PHRASE_CHAR},           /* RFC 9112 §4 */
    {H1_V_BARE_CR, CF_R_BARE_CR},                          /* RFC 9112 §2.2 */
    {H1_V_BARE_LF, CF_R_BARE_LF},                          /* RFC 9112 §2.2 */
    {H1_V_WS_AFTER_START_LINE, CF_R_WS_AFTER_START_LINE},  /* RFC 9112 §2.2 */
    {H1_V_SPACE_BEFORE_COLON, CF_R_SPACE_BEFORE_COLON},    /* RFC 9112 §5.1 */
    {H1_V_FIELD_VALUE_CHAR, CF_R_FIELD_VALUE_CHAR},        /* RFC 9110 §5.5 */
    {H1_V_OBS_FOLD, CF_R_OBS_FOLD},                        /* RFC 9112 §5.2 */
    /* CL_REPEATED, TE_WITH_CL, TE_HTTP10 are judged from the fields (rules_framing.c,
     * singleton-field-repeated) so that hand-built responses are judged alike. */
};

/* One finding per rule, at the first offset the parser recorded it. */
static void check_repairs(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    for (size_t k = 0; k < sizeof repairs / sizeof repairs[0]; k++) {
        for (size_t i = 0; i < r->nviolations; i++) {
            if (r->violations[i].code != (int)repairs[k].code) continue;
            cf_rules_report(run, repairs[k].rule, "%s at byte %zu of the response",
                            h1_code_message(repairs[k].code), r->violations[i].offset);
            break;
        }
    }
}

/* RFC 9112 §4: reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ). Reported here only when the
 * parser did not record REASON_CHAR already. */
static void check_reason(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    for (size_t i = 0; i < r->nviolations; i++)
        if (r->violations[i].code == (int)H1_V_REASON_CHAR) return;
    for (size_t i = 0; r->reason && i < r->reason_len; i++) {
        unsigned char c = (unsigned char)r->reason[i];
        if (c != '\t' && (c < 0x20 || c == 0x7f)) {
            cf_rules_report(run, CF_R_REASON_PHRASE_CHAR, "reason-phrase byte %zu is 0x%02x", i, c);
            return;
        }
    }
}

/* RFC 9110 §6.2: a server SHOULD answer with the highest version it conforms to "that has a
 * major version less than or equal to the one received in the request". Judged only when the
 * server can have read a version: not on a request conform itself cannot read whole, nor on a
 * 400, which says the server found the request malformed (RFC 9110 §15.5.1) and answers before
 * it has a request, and so a version, to compare with. */
static void check_version(cf_rules_run *run)
{
    if (run->ctx->request_unread || run->r->status == 400) return;
    if (run->ctx->request_version == 11 && run->r->version == 10)
        cf_rules_report(run, CF_R_RESPONSE_VERSION_LOWER,
                        "HTTP/1.0 response to an HTTP/1.1 request");
}

/* RFC 9110 §5.1: field-name = token (headers and trailers). */
static void check_names(cf_rules_run *run, const cf_obs_field *f, size_t n, const char *where)
{
    for (size_t i = 0; i < n; i++) {
        if (h1_lex_is_token(f[i].name, f[i].name_len)) continue;
        cf_rules_report(run, CF_R_FIELD_NAME_CHAR, "%s field name \"%.*s\" is not a token", where,
                        (int)f[i].name_len, f[i].name);
        return;
    }
}

/* RFC 9110 §5.3: fields whose grammar has no list alternative. */
static const char *const singletons[] = {
    "Age",  "Content-Length", "Content-Location", "Content-Range", "Content-Type", "Date",
    "ETag", "Expires",        "Last-Modified",    "Location",      "Retry-After",  "Server",
};

static void check_singletons(cf_rules_run *run)
{
    for (size_t k = 0; k < sizeof singletons / sizeof singletons[0]; k++) {
        size_t c = cf_rules_field_count(run->r, singletons[k]);
        if (c > 1)
            cf_rules_report(run, CF_R_SINGLETON_FIELD_REPEATED, "%s sent on %zu field lines",
                            singletons[k], c);
    }
}

/* RFC 9110 §5.6.1.1: list-based fields whose members hold no comma outside a quoted string. */
static const char *const lists[] = {
    "Accept-Ranges",    "Allow",   "Cache-Control",     "Connection", "Content-Encoding",
    "Content-Language", "Trailer", "Transfer-Encoding", "Upgrade",    "Vary",
};

static void check_empty_elements(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        for (size_t i = 0; i < r->nfields; i++) {
            const cf_obs_field *f = &r->fields[i];
            if (strlen(lists[k]) != f->name_len || strncasecmp(f->name, lists[k], f->name_len))
                continue;
            size_t empty;
            cf_rules_list(f->value, f->value_len, NULL, 0, &empty);
            if (empty) {
                cf_rules_report(run, CF_R_EMPTY_LIST_ELEMENT, "%s: \"%.*s\" has an empty element",
                                lists[k], (int)f->value_len, f->value);
                return;
            }
        }
    }
}

/* RFC 9110 §6.5.1: fields needed before the content (framing, routing, authentication, response
 * controls, content format) cannot be trailers. */
static const char *const not_trailers[] = {
    "Age",
    "Cache-Control",
    "Connection",
    "Content-Encoding",
    "Content-Length",
    "Content-Range",
    "Content-Type",
    "Date",
    "Expires",
    "Host",
    "Keep-Alive",
    "Location",
    "Proxy-Authenticate",
    "Retry-After",
    "Set-Cookie",
    "TE",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
    "Vary",
    "WWW-Authenticate",
};

static bool is_named(const cf_obs_field *f, const char *name)
{
    return strlen(name) == f->name_len && strncasecmp(f->name, name, f->name_len) == 0;
}

/* RFC 9110 §6.5.1 (MUST NOT generate) and §6.6.2 (SHOULD announce in Trailer). */
static void check_trailers(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    bool bad = false, undeclared = false;
    for (size_t i = 0; i < r->ntrailers; i++) {
        const cf_obs_field *t = &r->trailers[i];
        for (size_t k = 0; !bad && k < sizeof not_trailers / sizeof not_trailers[0]; k++) {
            if (!is_named(t, not_trailers[k])) continue;
            cf_rules_report(run, CF_R_TRAILER_FIELD_NOT_ALLOWED, "%s sent as a trailer field",
                            not_trailers[k]);
            bad = true;
        }
        char name[128];
        size_t nl = t->name_len < sizeof name - 1 ? t->name_len : sizeof name - 1;
        memcpy(name, t->name, nl);
        name[nl] = 0;
        if (!undeclared && !cf_rules_list_has(r, "Trailer", name)) {
            cf_rules_report(run, CF_R_TRAILER_NOT_DECLARED,
                            "trailer field %s is not listed in a Trailer header field", name);
            undeclared = true;
        }
    }
}

void cf_rules_check_wire(cf_rules_run *run)
{
    check_repairs(run);
    check_reason(run);
    check_version(run);
    check_names(run, run->r->fields, run->r->nfields, "header");
    check_names(run, run->r->trailers, run->r->ntrailers, "trailer");
    check_singletons(run);
    check_empty_elements(run);
    check_trailers(run);
}
