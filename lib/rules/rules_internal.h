/* Shared by the files of the compliance rules (not part of the API in rules.h): the state of
 * one check, the reporting call, field look-ups and the small lexers of RFC 9110 §5.6. */
#ifndef CF_RULES_INTERNAL_H
#define CF_RULES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "h1_parser.h"
#include "h1_lex.h"
#include "rules.h"

/* One response being checked. */
typedef struct cf_rules_run {
    const cf_rule_ctx *ctx;
    const cf_obs_response *r;
    cf_rule_finding **out;
    size_t *n;
    int err; /* an allocation failed */
} cf_rules_run;

/* Records that rule was broken, with a printf-style message. */
void cf_rules_report(cf_rules_run *run, cf_rule_index rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The checks, one function per concern (rules_*.c). */
void cf_rules_check_wire(cf_rules_run *run);
void cf_rules_check_conn(cf_rules_run *run);
void cf_rules_check_status(cf_rules_run *run);
void cf_rules_check_framing(cf_rules_run *run);
void cf_rules_check_fields(cf_rules_run *run);
void cf_rules_check_cache(cf_rules_run *run);
void cf_rules_check_dates(cf_rules_run *run);

/* How many field lines of r carry the field name (case-insensitive); cf_rules_field (rules.h)
 * finds the first. */
size_t cf_rules_field_count(const cf_obs_response *r, const char *name);

/* The method of the request is m (NULL-safe). */
bool cf_rules_method_is(const cf_rule_ctx *ctx, const char *m);

/* All bytes are DIGIT and n > 0 (1*DIGIT); *v gets the value, saturated at UINT64_MAX. */
bool cf_rules_digits(const char *p, size_t n, unsigned long long *v);

/* RFC 9110 §5.6.1: the elements of a list (the parser library's lexer, h1_lex.h) collected:
 * stores up to max non-empty elements in items; returns the number of non-empty elements and
 * sets *empty to the number of empty ones. */
size_t cf_rules_list(const char *p, size_t n, h1_span *items, size_t max, size_t *empty);

/* RFC 9110 §5.6.7: an HTTP-date's form. */
typedef enum cf_rules_date_form {
    CF_RULES_DATE_INVALID,     /* not an HTTP-date */
    CF_RULES_DATE_IMF,         /* IMF-fixdate */
    CF_RULES_DATE_OBSOLETE,    /* rfc850-date or asctime-date */
    CF_RULES_DATE_BAD_WEEKDAY, /* IMF-fixdate whose day-name is not the date's */
} cf_rules_date_form;

/* Classifies p[0..n) and, unless invalid, sets *t to the time it names. */
cf_rules_date_form cf_rules_date(const char *p, size_t n, time_t *t);

#endif
