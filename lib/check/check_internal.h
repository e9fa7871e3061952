/* Internal to the checker (check_*.c): a text builder, the list of failed checks, and the
 * judging and describing functions of each concern. Not for other modules: use check.h. */
#ifndef CF_CHECK_INTERNAL_H
#define CF_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "util_buf.h"

#define CF_CHECK_VALUE_CAP 80 /* characters of an escaped value shown before "…(N bytes)" */

/* Appends bytes as a double-quoted string: \r \n \t \" \\ and \xNN for other bytes outside
 * 0x20..0x7E; past CF_CHECK_VALUE_CAP characters it is cut and followed by "…(total bytes)".
 * total is the full length of the value (len, or more when only a prefix is at hand). */
void cf_text_quote(cf_buf *t, const uint8_t *p, size_t len, uint64_t total);

/* Appends a pattern as /pattern/ (controls escaped, capped like cf_text_quote). */
void cf_text_pattern(cf_buf *t, const char *pattern);

/* Appends a field name or reason phrase without quotes (escaped, capped at cap characters). */
void cf_text_word(cf_buf *t, const char *p, size_t len, size_t cap);

/* The checks that did not hold, one owned line each, and the checks that could not be judged on
 * what was observed (skips: conform's own cap or its stopping to read hid what they need); oom
 * is sticky like cf_buf's err. */
typedef struct cf_fail_list {
    char **items;
    size_t n;
    size_t cap;
    char **skips;
    size_t nskips;
    size_t skip_cap;
    bool incomplete; /* a line says a response was incomplete (cf_check_complete) */
    bool oom;
    uint64_t deadline; /* cf_now_ms() at which judging gives up (0: never); the case timeout */
    bool late;         /* the deadline passed: what was left is not judged */
} cf_fail_list;

/* True once l's deadline has passed (then l->late is set): looked at before each check that may
 * take long (a regex search, an alternative), so the case timeout bounds judging too. */
bool cf_check_late(cf_fail_list *l);

/* Appends prefix followed by t's text (t is emptied). */
void cf_fail_add(cf_fail_list *l, const char *prefix, cf_buf *t);

/* Appends prefix followed by t's text to the skips (t is emptied). */
void cf_skip_add(cf_fail_list *l, const char *prefix, cf_buf *t);

/* Frees every line and the array; zeroes l. */
void cf_fail_list_free(cf_fail_list *l);

/* ---- judging: each returns whether the check holds; on failure it appends one line (prefixed
 * with prefix) to fails. resp is the response judged, NULL when there is none. ---- */

/* Status in one of e's ranges; interim (may be NULL) is also accepted for 1xx ranges. */
bool cf_check_status(const cf_expect *e, const cf_obs_response *resp,
                     const cf_obs_response *interim, const char *prefix, cf_fail_list *fails);

/* One header check on resp's header section. */
bool cf_check_header(const cf_header_check *h, const cf_obs_response *resp, const char *prefix,
                     cf_fail_list *fails);

/* One body check on resp's decoded content. A check the observed part cannot decide is a skip
 * when conform's cap hid the rest (the body cap, or capped: reading stopped at a cap), else a
 * failure. */
bool cf_check_body(const cf_body_check *b, const cf_obs_response *resp, bool capped,
                   const char *prefix, cf_fail_list *fails);

/* ---- what was observed (check_observed.c) ---- */

/* Whether one of conform's caps stopped reading before the server ended what it sent (the
 * missing part is unobserved, not absent). The interim cap is not one: a flood of 1xx is what
 * the server did, judged as no final response. */
bool cf_check_capped(const cf_step_result *r);

/* The response judged is complete (RFC 9112 §8), or its end was hidden by conform's cap. One
 * failure line naming the framing, the bytes received and how the server stopped. */
bool cf_check_complete(const cf_obs_response *resp, const cf_step_result *r, const char *prefix,
                       cf_fail_list *fails);

/* The connection expectation against the observed state; not observed is a skip. */
bool cf_check_connection(const cf_expect *e, const cf_step_result *r, const char *prefix,
                         cf_fail_list *fails);

/* Appends how the connection stood: ", connection closed 3 ms after the last response" etc. */
void cf_describe_conn(cf_buf *t, const cf_step_result *r);

/* The combined value of the fields named name into *out (owned by the caller): every field
 * line's value without leading/trailing OWS, joined with ", " (RFC 9110 §5.3); returns the
 * number of field lines, or -1 when memory ran out. */
long cf_field_combined(const cf_obs_response *resp, const char *name, cf_buf *out);

/* Budgets of one regex search (docs/limits.md): backtracking steps, backtracking depth, heap
 * for backtracking frames, and the JIT stack. A pattern that needs more fails its check. */
#define CF_REGEX_MATCH_LIMIT    1000000u
#define CF_REGEX_DEPTH_LIMIT    10000u
#define CF_REGEX_HEAP_LIMIT_KIB 16384u
#define CF_REGEX_JIT_STACK      (1024u * 1024)

/* Whether re finds a match in subject[0..len), unanchored, within the CF_REGEX_* budgets;
 * partial: the subject is only a prefix of the real value, so a match must not depend on what
 * follows. Returns 1 match, 0 no match, or a negative PCRE2 error code (cf_regex_error). */
int cf_regex_search(const pcre2_code *re, const uint8_t *subject, size_t len, bool partial);

/* cf_regex_search that also gives, on a match, span[0] (offset) and span[1] (length) of group 1,
 * or of the whole match when the pattern has no group 1 or it did not take part. */
int cf_regex_find(const pcre2_code *re, const uint8_t *subject, size_t len, bool partial,
                  size_t span[2]);

/* Appends PCRE2's message for a negative code ("regular expression hit its match limit" for
 * the budgets). */
void cf_regex_error(cf_buf *t, int code);

/* No response of the step breaks a rule listed in e->complies: the findings of the record
 * (r->answers), or of a walk with unknown requests when r was never paired (cf_rules_step). One
 * failure line per rule broken, in the order listed. */
bool cf_check_complies(const cf_expect *e, const cf_step_result *r, const char *prefix,
                       cf_fail_list *fails);

/* ---- describing: appends the expectation text of one concern ---- */

/* "400", "4xx", "400-417", "200 or 404", "200, 404 or 5xx". */
void cf_describe_status(cf_buf *t, const cf_status_range *s, size_t n);

/* "header Connection equals \"close\"" and the like. */
void cf_describe_header(cf_buf *t, const cf_header_check *h);

/* "body contains \"x\"" and the like. */
void cf_describe_body(cf_buf *t, const cf_body_check *b);

/* "complies with rule date-missing", "complies with rules bare-lf, date-missing". */
void cf_describe_complies(cf_buf *t, const cf_expect *e);

/* ---- expectation strings with placeholders (check_render.c) ---- */

/* Whether a header or body check of e, or of a nested part, has placeholders (tmpl). */
bool cf_expect_has_placeholders(const cf_expect *e);

/* Fills *out with a copy of e whose strings with placeholders are rendered with t (NULL: no
 * values): 0, 1 when t has no value for a placeholder, -1 when memory ran out. *out borrows
 * everything else from e; free it with cf_expect_rendered_free whatever the return. */
int cf_expect_render(const cf_expect *e, const cf_spec_target *t, cf_expect *out);

/* Frees what cf_expect_render allocated in e (arrays, rendered strings) and zeroes it. */
void cf_expect_rendered_free(cf_expect *e);

#endif
