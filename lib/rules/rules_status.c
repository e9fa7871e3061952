/* Compliance rules on the fields a status code requires or rules out (RFC 9110 §6.6.1, §7.8,
 * §9.3.3, §15). */
#include <string.h>
#include <strings.h>

#include "rules_internal.h"

/* A field the status code requires: report rule when it is missing. */
typedef struct need {
    int status;
    const char *field;
    cf_rule_index rule;
} need;

static const need needs[] = {
    {401, "WWW-Authenticate", CF_R_WWW_AUTHENTICATE_MISSING_ON_401},     /* RFC 9110 §15.5.2 */
    {405, "Allow", CF_R_ALLOW_MISSING_ON_405},                           /* RFC 9110 §15.5.6 */
    {407, "Proxy-Authenticate", CF_R_PROXY_AUTHENTICATE_MISSING_ON_407}, /* RFC 9110 §15.5.8 */
    {301, "Location", CF_R_LOCATION_MISSING_ON_301},                     /* RFC 9110 §15.4.2 */
    {302, "Location", CF_R_LOCATION_MISSING_ON_302},                     /* RFC 9110 §15.4.3 */
    {307, "Location", CF_R_LOCATION_MISSING_ON_307},                     /* RFC 9110 §15.4.8 */
    {308, "Location", CF_R_LOCATION_MISSING_ON_308},                     /* RFC 9110 §15.4.9 */
    {426, "Upgrade", CF_R_UPGRADE_MISSING_ON_426},                       /* RFC 9110 §15.5.22 */
    {101, "Upgrade", CF_R_UPGRADE_MISSING_ON_101},                       /* RFC 9110 §15.2.2 */
};

static void check_needs(cf_rules_run *run)
{
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++)
        if (run->r->status == needs[i].status && !cf_rules_field(run->r, needs[i].field))
            cf_rules_report(run, needs[i].rule, "%d response without %s", needs[i].status,
                            needs[i].field);
}

/* The media type of Content-Type is multipart/byteranges. */
static bool is_multipart_byteranges(const cf_obs_response *r)
{
    static const char mt[] = "multipart/byteranges";
    const cf_obs_field *ct = cf_rules_field(r, "Content-Type");
    if (!ct || ct->value_len < sizeof mt - 1 || strncasecmp(ct->value, mt, sizeof mt - 1)) return 0;
    char next = ct->value_len > sizeof mt - 1 ? ct->value[sizeof mt - 1] : ';';
    return next == ';' || next == ' ' || next == '\t';
}

/* RFC 9110 §15.3.7.1 (single part: MUST send Content-Range), §15.3.7.2 (multipart: MUST NOT),
 * §15.5.17 and §14.4 (416: SHOULD send Content-Range: bytes * / length). */
static void check_ranges(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    const cf_obs_field *cr = cf_rules_field(r, "Content-Range");
    if (r->status == 206) {
        bool multi = is_multipart_byteranges(r);
        if (!multi && !cr)
            cf_rules_report(run, CF_R_CONTENT_RANGE_MISSING_ON_206,
                            "206 response that is not multipart/byteranges has no Content-Range");
        if (multi && cr)
            cf_rules_report(run, CF_R_CONTENT_RANGE_ON_MULTIPART_206,
                            "multipart/byteranges 206 response has Content-Range: %s", cr->value);
    }
    if (r->status != 416) return;
    if (!cr) {
        cf_rules_report(run, CF_R_CONTENT_RANGE_MISSING_ON_416,
                        "416 response without Content-Range");
        return;
    }
    /* unsatisfied-range = "*" "/" complete-length, after "bytes" SP */
    const char *v = cr->value;
    size_t n = cr->value_len;
    bool ok = n > 8 && strncasecmp(v, "bytes */", 8) == 0 && cf_rules_digits(v + 8, n - 8, NULL);
    if (!ok)
        cf_rules_report(run, CF_R_CONTENT_RANGE_416_NOT_UNSATISFIED,
                        "416 Content-Range is \"%s\", not bytes */complete-length", v);
}

void cf_rules_check_status(cf_rules_run *run)
{
    const cf_rule_ctx *ctx = run->ctx;
    const cf_obs_response *r = run->r;
    int s = r->status;
    /* RFC 9110 §6.6.1: an origin server with a clock MUST generate Date in 2xx, 3xx and 4xx. */
    if (s >= 200 && s <= 499 && !cf_rules_field(r, "Date"))
        cf_rules_report(run, CF_R_DATE_MISSING, "%d response without Date", s);
    check_needs(run);
    check_ranges(run);
    /* RFC 9110 §9.3.3: a 201 to POST SHOULD carry Location. */
    if (s == 201 && cf_rules_method_is(ctx, "POST") && !cf_rules_field(r, "Location"))
        cf_rules_report(run, CF_R_LOCATION_MISSING_ON_201, "201 response to POST without Location");
    /* RFC 9110 §7.8: MUST NOT switch to a protocol the request's Upgrade did not name. */
    if (s == 101 && !ctx->request_upgrade)
        cf_rules_report(run, CF_R_SWITCHING_PROTOCOLS_WITHOUT_UPGRADE,
                        "101 response to a request without Upgrade");
    /* RFC 9110 §15.2: a server MUST NOT send a 1xx response to an HTTP/1.0 client. */
    if (s >= 100 && s <= 199 && ctx->request_version == 10)
        cf_rules_report(run, CF_R_INTERIM_RESPONSE_TO_HTTP10, "%d response to an HTTP/1.0 request",
                        s);
    /* RFC 9110 §15.4.5: a 304 SHOULD NOT carry representation metadata beyond the listed
     * fields (Content-Location, Date, ETag, Vary, Cache-Control, Expires). */
    static const char *const meta[] = {"Content-Type", "Content-Encoding", "Content-Language"};
    for (size_t i = 0; s == 304 && i < sizeof meta / sizeof meta[0]; i++)
        if (cf_rules_field(r, meta[i]))
            cf_rules_report(run, CF_R_REPRESENTATION_METADATA_IN_304, "304 response with %s",
                            meta[i]);
    /* RFC 9110 §8.3: a message with content SHOULD have Content-Type. */
    if (r->body_total > 0 && !cf_rules_field(r, "Content-Type"))
        cf_rules_report(run, CF_R_CONTENT_TYPE_MISSING,
                        "%llu bytes of content without Content-Type",
                        (unsigned long long)r->body_total);
}
