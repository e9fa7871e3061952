/* Compliance rules on HTTP-date fields (RFC 9110 §5.6.7, §6.6.1, §8.8.2, §10.2.3; RFC 9111
 * §5.3). Parsing uses cf_http_date_parse (util_http_date.h, all
 * three forms) and cf_http_date_format (IMF-fixdate); the form is told apart here. */
#include <string.h>

#include "rules_internal.h"
#include "util_http_date.h"

/* IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT: 29 bytes, "," at 3, " GMT" last. */
static bool imf_shape(const char *p, size_t n)
{
    return n == 29 && p[3] == ',' && p[4] == ' ' && memcmp(p + 25, " GMT", 4) == 0;
}

cf_rules_date_form cf_rules_date(const char *p, size_t n, time_t *t)
{
    if (cf_http_date_parse((h1_span){p, n}, t) != 0) return CF_RULES_DATE_INVALID;
    if (!imf_shape(p, n)) return CF_RULES_DATE_OBSOLETE;
    /* Written back, a real date reads the same; 31 Feb or a wrong day-name does not. A leap
     * second (second = 60) is allowed by the grammar and not compared. */
    if (memcmp(p + 23, "60", 2) == 0) return CF_RULES_DATE_IMF;
    char again[40];
    cf_http_date_format(*t, again);
    if (memcmp(again + 5, p + 5, 24) != 0) return CF_RULES_DATE_INVALID;
    return memcmp(again, p, 3) == 0 ? CF_RULES_DATE_IMF : CF_RULES_DATE_BAD_WEEKDAY;
}

/* One HTTP-date field: reports invalid_rule when it is not an HTTP-date, and
 * http-date-not-imf-fixdate (RFC 9110 §5.6.7: senders MUST generate IMF-fixdate) when it is one
 * in another form. Returns true and sets *t when it names a time. */
static bool date_field(cf_rules_run *run, const cf_obs_field *f, cf_rule_index invalid_rule,
                       const char *name, time_t *t)
{
    switch (cf_rules_date(f->value, f->value_len, t)) {
    case CF_RULES_DATE_INVALID:
        cf_rules_report(run, invalid_rule, "%s \"%s\" is not an HTTP-date", name, f->value);
        return false;
    case CF_RULES_DATE_OBSOLETE:
        cf_rules_report(run, CF_R_HTTP_DATE_NOT_IMF_FIXDATE,
                        "%s \"%s\" uses an obsolete HTTP-date format", name, f->value);
        return true;
    case CF_RULES_DATE_BAD_WEEKDAY:
        cf_rules_report(run, CF_R_HTTP_DATE_NOT_IMF_FIXDATE,
                        "%s \"%s\": the day-name is not that of the date", name, f->value);
        return true;
    case CF_RULES_DATE_IMF: return true;
    }
    return false;
}

void cf_rules_check_dates(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    time_t date = 0, lm = 0, t;
    bool have_date = false, have_lm = false;
    const cf_obs_field *f;
    if ((f = cf_rules_field(r, "Date")))
        have_date = date_field(run, f, CF_R_DATE_INVALID, "Date", &date); /* RFC 9110 §6.6.1 */
    if ((f = cf_rules_field(r, "Last-Modified")))                         /* RFC 9110 §8.8.2 */
        have_lm = date_field(run, f, CF_R_LAST_MODIFIED_INVALID, "Last-Modified", &lm);
    if ((f = cf_rules_field(r, "Expires"))) /* RFC 9111 §5.3 */
        date_field(run, f, CF_R_EXPIRES_INVALID, "Expires", &t);
    /* RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds */
    if ((f = cf_rules_field(r, "Retry-After")) && !cf_rules_digits(f->value, f->value_len, NULL))
        date_field(run, f, CF_R_RETRY_AFTER_INVALID, "Retry-After", &t);
    /* RFC 9110 §8.8.2.1: an origin server with a clock MUST NOT generate a Last-Modified later
     * than its time of message origination (Date). */
    if (have_date && have_lm && lm > date)
        cf_rules_report(run, CF_R_LAST_MODIFIED_AFTER_DATE,
                        "Last-Modified is %lld s later than Date", (long long)(lm - date));
}
