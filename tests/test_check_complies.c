/* The 'complies' expectation: loading (rule ids, positions of errors), describing, and judging
 * responses read by the runner's collector from real bytes, with and without the requests sent
 * (docs/spec-format.md "Expectations", docs/checks.md). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "collect_fixture.h"
#include "rules.h"
#include "rules_step.h"
#include "exchange_collect.h"
#include "spec_load.h"

#define D      "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
#define GET    "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
#define OK     "HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
#define NODATE "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"

/* A one-case file whose expectation is expect (a flow mapping). */
static int load_expect(const char *expect, cf_spec_file **f, cf_spec_errors *e)
{
    char text[1024];
    snprintf(text, sizeof text,
             "spec: 1\ntitle: t\nrfc: 9112\ncases:\n  - id: a\n    title: t\n    section: '1'\n"
             "    level: MUST\n    requirement: r\n    steps:\n      - raw: x\n"
             "        expect: %s\n",
             expect);
    cf_spec_errors_init(e);
    *f = NULL;
    return cf_spec_load_text("c.yaml", text, strlen(text), f, e);
}

/* Loads expect, which must be rejected with one error at line:col containing msg. */
static void load_fails(const char *expect, unsigned line, unsigned col, const char *msg)
{
    cf_spec_file *f;
    cf_spec_errors e;
    cr_assert_eq(load_expect(expect, &f, &e), -1, "%s should be rejected", expect);
    cr_assert_geq(e.count, 1);
    cr_expect_eq(e.items[0].line, line, "%s: line %u", expect, e.items[0].line);
    cr_expect_eq(e.items[0].column, col, "%s: column %u", expect, e.items[0].column);
    cr_expect(strstr(e.items[0].message, msg) != NULL, "%s: '%s' lacks '%s'", expect,
              e.items[0].message, msg);
    cf_spec_errors_free(&e);
}

Test(check_complies, loads_rule_indices_in_order)
{
    cf_spec_file *f;
    cf_spec_errors e;
    int rc = load_expect("{complies: [date-missing, bare-lf], status: 200}", &f, &e);
    cr_assert_eq(rc, 0, "%s", e.count ? e.items[0].message : "");
    const cf_expect *x = &f->cases[0].steps[0].expect;
    cr_assert_eq(x->ncomplies, 2);
    cr_expect_str_eq(cf_rule_id(x->complies[0]), "date-missing");
    cr_expect_str_eq(cf_rule_id(x->complies[1]), "bare-lf");
    cr_expect_eq(x->complies[0], CF_R_DATE_MISSING);
    char *d = cf_expect_describe(x);
    cr_expect_str_eq(d, "status 200; complies with rules date-missing, bare-lf");
    free(d);
    cf_spec_file_free(f);
    cf_spec_errors_free(&e);
}

Test(check_complies, load_errors_have_positions)
{
    /* "        expect: " is 16 characters: the mapping starts at column 17 of line 12 */
    load_fails("{complies: [date-mising]}", 12, 29,
               "unknown rule 'date-mising' in 'complies' (docs/rules.md lists the 74 ids)");
    load_fails("{complies: [date-missing, DATE-MISSING]}", 12, 43, "unknown rule 'DATE-MISSING'");
    load_fails("{complies: [bare-lf, bare-lf]}", 12, 38,
               "rule 'bare-lf' is listed twice in 'complies'");
    load_fails("{complies: all}", 12, 28,
               "expected a list of rule ids (docs/rules.md) for 'complies', got a string 'all'");
    load_fails("{complies: []}", 12, 28, "'complies' needs at least one rule id");
    load_fails("{complies: [[bare-lf]]}", 12, 29, "expected a rule id in 'complies', got a list");
    /* top level only: an alternative or a sequence entry has no 'complies' */
    load_fails("{any_of: [{complies: [bare-lf]}]}", 12, 28,
               "unknown key 'complies' in an 'any_of' alternative");
    load_fails("{sequence: [{complies: [bare-lf]}]}", 12, 30,
               "unknown key 'complies' in a 'sequence' entry");
}

Test(check_complies, every_rule_id_loads)
{
    for (size_t i = 0; i < cf_rules_count(); i++) {
        char ex[128];
        snprintf(ex, sizeof ex, "{complies: [%s]}", cf_rule_id(i));
        cf_spec_file *f;
        cf_spec_errors e;
        cr_assert_eq(load_expect(ex, &f, &e), 0, "%s: %s", ex, e.count ? e.items[0].message : "");
        cr_expect_eq(f->cases[0].steps[0].expect.complies[0], i);
        cf_spec_file_free(f);
        cf_spec_errors_free(&e);
    }
    cr_expect_eq(cf_rule_find("date-missing", 12), CF_R_DATE_MISSING);
    cr_expect_eq(cf_rule_find("date-missing", 4), -1); /* "date" is no rule */
    cr_expect_eq(cf_rule_find("", 0), -1);
}

/* An expectation listing the rules given. */
static cf_expect complies(const cf_rule_index *rules, size_t n)
{
    cf_expect e = {0};
    e.complies = calloc(n, sizeof *e.complies);
    cr_assert_not_null(e.complies);
    for (size_t i = 0; i < n; i++)
        e.complies[i] = (unsigned)rules[i];
    e.ncomplies = n;
    return e;
}

/* Judges recv (the answer to sent) against e; the record is paired with the requests (as the
 * runner pairs it) unless blind. */
static bool judge(const cf_expect *e, const char *sent, const char *recv, size_t rlen,
                  cf_conn_state conn, bool blind, cf_check_outcome *o)
{
    cf_step_result r;
    cf_fixture_step(sent, strlen(sent), recv, rlen, conn, &r);
    if (!blind) cr_assert_eq(cf_rules_pair(&r, true, NULL), 0);
    cr_assert_eq(cf_check_step(e, &r, o), 0);
    cf_step_result_free(&r);
    cr_assert_eq(o->pass, o->nfailed == 0);
    return o->pass;
}

#define RECV(s) s, sizeof(s) - 1

Test(check_complies, broken_rule_fails_kept_rule_passes)
{
    cf_rule_index rules[] = {CF_R_DATE_MISSING};
    cf_expect e = complies(rules, 1);
    cf_check_outcome o;
    cr_expect(judge(&e, GET, RECV(OK), CF_CONN_STATE_OPEN, false, &o));
    cr_expect_str_eq(o.expected, "complies with rule date-missing");
    cf_check_outcome_free(&o);
    cr_expect_not(judge(&e, GET, RECV(NODATE), CF_CONN_STATE_OPEN, false, &o));
    cr_assert_eq(o.nfailed, 1);
    cr_expect_str_eq(o.failed[0], "rule date-missing (RFC 9110 \xC2\xA7"
                                  "6.6.1, MUST): expected kept, broken by response 1 (200 OK): "
                                  "200 response without Date");
    cr_expect_str_eq(o.actual, "200 OK, connection still open after 0 ms");
    cf_check_outcome_free(&o);
    /* a rule not listed is not judged: the same response passes a list without date-missing */
    cf_rule_index other[] = {CF_R_BARE_LF, CF_R_CONTENT_LENGTH_MISMATCH};
    cf_expect e2 = complies(other, 2);
    cr_expect(judge(&e2, GET, RECV(NODATE), CF_CONN_STATE_OPEN, false, &o));
    cf_check_outcome_free(&o);
    cf_expect_free(&e);
    cf_expect_free(&e2);
}

Test(check_complies, one_line_per_rule_in_list_order_with_repeats_counted)
{
    cf_rule_index rules[] = {CF_R_CONTENT_TYPE_MISSING, CF_R_DATE_MISSING, CF_R_BARE_LF};
    cf_expect e = complies(rules, 3);
    cf_check_outcome o;
    const char *sent = GET GET GET;
    const char *recv = "HTTP/1.1 204 No Content\r\n\r\n" NODATE
                       "HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx";
    cr_expect_not(judge(&e, sent, recv, strlen(recv), CF_CONN_STATE_CLOSED, false, &o));
    cr_assert_eq(o.nfailed, 2, "%zu: %s", o.nfailed, o.nfailed ? o.failed[0] : "");
    cr_expect_str_eq(o.failed[0], "rule content-type-missing (RFC 9110 \xC2\xA7"
                                  "8.3, SHOULD): expected kept, broken by response 3 (404 Not "
                                  "Found): 1 bytes of content without Content-Type");
    cr_expect_str_eq(o.failed[1], "rule date-missing (RFC 9110 \xC2\xA7"
                                  "6.6.1, MUST): expected kept, broken by response 1 (204 No "
                                  "Content): 204 response without Date (and 2 more responses)");
    cf_check_outcome_free(&o);
    cf_expect_free(&e);
}

Test(check_complies, judges_with_the_request_answered)
{
    /* RFC 9110 §7.8: a 101 answers a request that asked for Upgrade; without the request the
     * checker cannot know it did (cf_check_step: unknown request) */
    const char *sent = "GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: foo\r\n\r\n";
    const char *recv = "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: foo"
                       "\r\n\r\n";
    cf_rule_index rules[] = {CF_R_SWITCHING_PROTOCOLS_WITHOUT_UPGRADE};
    cf_expect e = complies(rules, 1);
    cf_check_outcome o;
    cr_expect(judge(&e, sent, recv, strlen(recv), CF_CONN_STATE_OPEN, false, &o));
    cf_check_outcome_free(&o);
    cr_expect_not(judge(&e, sent, recv, strlen(recv), CF_CONN_STATE_OPEN, true, &o));
    cr_assert_eq(o.nfailed, 1);
    cr_expect(strstr(o.failed[0], "broken by interim response 1 (101 Switching Protocols): 101 "
                                  "response to a request without Upgrade") != NULL,
              "%s", o.failed[0]);
    cf_check_outcome_free(&o);
    cf_expect_free(&e);
    /* RFC 9110 §9.3.2: content after a HEAD response is junk to a client that knows it asked
     * HEAD; the same bytes answer a GET correctly */
    const char *head = "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
    cf_rule_index r2[] = {CF_R_CONTENT_IN_HEAD_RESPONSE};
    cf_expect e2 = complies(r2, 1);
    cr_expect_not(judge(&e2, head, RECV(OK), CF_CONN_STATE_CLOSED, false, &o));
    cr_expect(strstr(o.failed[0], "rule content-in-head-response (RFC 9110 \xC2\xA7"
                                  "9.3.2, MUST)") != NULL,
              "%s", o.failed[0]);
    cf_check_outcome_free(&o);
    cr_expect(judge(&e2, GET, RECV(OK), CF_CONN_STATE_CLOSED, false, &o));
    cf_check_outcome_free(&o);
    cf_expect_free(&e2);
}

Test(check_complies, no_response_and_incomplete_pass)
{
    /* complies judges what arrived: nothing, or a response cut short, breaks no rule (use
     * status or responses to require an answer); a response cut short fails the step on its own
     * (RFC 9112 §8) */
    cf_rule_index rules[] = {CF_R_DATE_MISSING};
    cf_expect e = complies(rules, 1);
    cf_check_outcome o;
    cr_expect(judge(&e, GET, "", 0, CF_CONN_STATE_CLOSED, false, &o));
    cf_check_outcome_free(&o);
    const char *cut = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
    cr_expect_not(judge(&e, GET, cut, strlen(cut), CF_CONN_STATE_OPEN, false, &o));
    cr_assert_eq(o.nfailed, 1);
    cr_expect_str_eq(o.failed[0], "incomplete response (RFC 9112 \xC2\xA7"
                                  "8): Content-Length 10, 3 body bytes received, not finished "
                                  "after 0 ms");
    cf_check_outcome_free(&o);
    cf_expect_free(&e);
}

Test(check_complies, combines_with_other_checks_and_any_of)
{
    cf_spec_file *f;
    cf_spec_errors e;
    int rc = load_expect("{status: 200, complies: [date-missing], any_of: [{connection: closed}, "
                         "{connection: open}]}",
                         &f, &e);
    cr_assert_eq(rc, 0, "%s", e.count ? e.items[0].message : "");
    const cf_expect *x = &f->cases[0].steps[0].expect;
    char *d = cf_expect_describe(x);
    cr_expect_str_eq(d, "status 200; complies with rule date-missing; either connection closed, "
                        "or connection open");
    free(d);
    cf_check_outcome o;
    cr_expect_not(judge(x, GET, RECV(NODATE), CF_CONN_STATE_CLOSED, false, &o));
    cr_assert_eq(o.nfailed, 1);
    cr_expect(!strncmp(o.failed[0], "rule date-missing", 17), "%s", o.failed[0]);
    cf_check_outcome_free(&o);
    cr_expect(judge(x, GET, RECV(OK), CF_CONN_STATE_CLOSED, false, &o));
    cf_check_outcome_free(&o);
    cf_spec_file_free(f);
    cf_spec_errors_free(&e);
}
