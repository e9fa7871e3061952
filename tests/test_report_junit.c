/* report_junit.c: the JUnit XML validates with xmllint against tests/data/junit/junit.xsd (the
 * Jenkins JUnit structure), one testsuite per RFC section, failures carrying the requirement,
 * expected/actual and reproduction, findings in <system-out>, and escaping. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report_fixture.h"
#include "report_formats.h"

#define XSD CF_SOURCE_DIR "/tests/data/junit/junit.xsd"

/* Runs xmllint --schema on path; returns its exit status, its messages in out. */
static int xmllint(const char *path, char *out, size_t cap)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s' '%s' 2>&1", XSD, path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    int st = pclose(p);
    cr_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

/* Writes text to a fresh temporary file; its path goes to path (capacity 64). */
static void write_tmp(char *path, const char *text)
{
    snprintf(path, 64, "/tmp/cf_junit_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

static char *junit_text(const cf_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(cf_report_junit(r, f), 0);
    fclose(f);
    return buf;
}

Test(report_junit, validates_against_the_schema)
{
    cr_assert_eq(system("command -v xmllint >/dev/null"), 0, "xmllint (libxml2-utils) missing");
    cf_report r;
    cf_fixture_report(&r);
    char *xml = junit_text(&r);
    char path[64], out[4096];
    write_tmp(path, xml);
    cr_expect_eq(xmllint(path, out, sizeof out), 0, "%s\n%s", out, xml);
    unlink(path);
    free(xml);
    cf_report_free(&r);
}

Test(report_junit, the_schema_is_strict)
{
    /* documents Jenkins would misread must not validate: a sanity check of the XSD itself */
    static const char *const bad[] = {
        "<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" "
        "time=\"0\"><testcase name=\"c\" time=\"0\"/></testsuite></testsuites>", /* classname */
        "<testsuites><testsuite name=\"s\" tests=\"x\" failures=\"0\" errors=\"0\" skipped=\"0\" "
        "time=\"0\"/></testsuites>", /* tests not a count */
        "<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" "
        "time=\"0\"><testcase name=\"c\" classname=\"k\" time=\"0\"><failure>x</failure>"
        "</testcase></testsuite></testsuites>", /* failure without message/type */
        "<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" "
        "time=\"0\" timestamp=\"2024-01-01T00:00:00Z\"/></testsuites>", /* zone in timestamp */
        "<testsuites><bogus/></testsuites>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64], out[4096];
        write_tmp(path, bad[i]);
        cr_expect_neq(xmllint(path, out, sizeof out), 0, "accepted: %s", bad[i]);
        unlink(path);
    }
}

Test(report_junit, suites_per_section_and_failure_details)
{
    cf_report r;
    cf_fixture_report(&r);
    char *xml = junit_text(&r);
    cr_expect_eq(cf_fixture_count(xml, "<testsuite "), 3, "%s", xml);
    /* five cases, and (--rules gate) one test case per rule broken per case: three */
    cr_expect_eq(cf_fixture_count(xml, "<testcase "), 8);
    cr_expect(strstr(xml, "<testsuites name=\"conform\" tests=\"8\" failures=\"1\" errors=\"1\"") !=
              NULL);
    cr_expect(strstr(xml, "<testsuite name=\"RFC 9112 §6.3\" tests=\"5\" failures=\"1\" "
                          "errors=\"1\" skipped=\"0\" time=\"0.036\" "
                          "timestamp=\"2024-05-06T07:08:09\">") != NULL,
              "%s", xml);
    /* the FAIL: type is the level; requirement, expected/actual, checks, note, reproduce */
    cr_expect(strstr(xml,
                     "<failure message=\"MUST not met: expected status 400, got 200 OK, "
                     "&lt;connection&gt; kept &amp; open\" type=\"MUST\">RFC 9112 §6.3 "
                     "(MUST): A server MUST do the thing (RFC text, with ünïcödé).\n"
                     "expected: status 400\nactual:   200 OK, &lt;connection&gt; kept &amp; "
                     "open\n  - status: expected 400, got 200\nnote: the server closed") != NULL,
              "%s", xml);
    cr_expect(strstr(xml, "reproduce: printf &apos;GET / HTTP/1.1\\r\\n\\r\\n&apos; | nc "
                          "127.0.0.1 8080\n</failure>") != NULL,
              "%s", xml);
    /* the ERROR: control byte replaced, markup escaped */
    cr_expect(strstr(xml, "<error message=\"cannot connect: &lt;refused&gt; &amp; \xEF\xBF\xBD "
                          "gone\" type=\"ERROR\">") != NULL,
              "%s", xml);
    /* rule findings that do not fail the run pass, with their line in system-out */
    cr_expect(strstr(xml, "<testcase name=\"case-fail rule server-header\" "
                          "classname=\"conform.rfc9112.6.3.rules\" time=\"0.000\">\n"
                          "      <system-out>INFO: rule server-header (RFC 9110 §10.2.4, MAY): 1 "
                          "of 1 response — first: &quot;HTTP/1.1 400 Bad\\r\\n&quot; (odd "
                          "&quot;Server&quot;) (does not fail the run)\n</system-out>") != NULL,
              "%s", xml);
    cr_expect(strstr(xml, "<system-out>WARN: the SHOULD does not hold") != NULL, "%s", xml);
    cr_expect_eq(cf_fixture_count(xml, "<failure "), 1);
    cr_expect_eq(cf_fixture_count(xml, "<error "), 1);
    free(xml);
    cf_report_free(&r);
}

Test(report_junit, rule_findings_by_rules_mode)
{
    cf_report r;
    cf_fixture_report(&r);
    /* MUST rules broken: failing test cases of their own (three), counted in the suites */
    for (size_t i = 0; i < r.targets[0].ncases; i++) {
        cf_report_case *c = &r.targets[0].cases[i];
        for (size_t k = 0; k < c->nresponses; k++)
            for (size_t f = 0; f < c->responses[k].nfindings; f++)
                c->responses[k].findings[f].level = CF_RL_MUST;
    }
    char *xml = junit_text(&r);
    cr_expect(strstr(xml, "<testsuites name=\"conform\" tests=\"8\" failures=\"4\"") != NULL, "%s",
              xml);
    cr_expect(strstr(xml, "      <failure message=\"rule date-missing (RFC 9110 §6.6.1, MUST): 1 "
                          "of 1 response — first: &quot;HTTP/1.1 400 Bad\\r\\n&quot; (no Date "
                          "field)\" type=\"MUST\">") != NULL,
              "%s", xml);
    free(xml);
    /* --rules report: lines in the case's system-out, no test case, no failure */
    r.rules = CF_RULES_REPORT;
    xml = junit_text(&r);
    cr_expect_eq(cf_fixture_count(xml, "<testcase "), 5, "%s", xml);
    cr_expect(strstr(xml, "<testsuites name=\"conform\" tests=\"5\" failures=\"1\"") != NULL, "%s",
              xml);
    cr_expect(strstr(xml, "rule server-header (RFC 9110 §10.2.4, MUST): 1 of 1 response — first: "
                          "&quot;HTTP/1.1 400 Bad\\r\\n&quot; (odd &quot;Server&quot;)\n") != NULL,
              "%s", xml);
    free(xml);
    /* --rules off: the findings (of steps with complies:) are not shown */
    r.rules = CF_RULES_OFF;
    xml = junit_text(&r);
    cr_expect(strstr(xml, "rule ") == NULL, "%s", xml);
    free(xml);
    cf_report_free(&r);
}

Test(report_junit, streamed_test_cases_and_compact_model_write_the_same_bytes)
{
    for (int ntargets = 1; ntargets <= 3; ntargets += 2) {
        cf_report whole, streamed;
        cf_fixture_report_targets(&whole, ntargets);
        cf_fixture_report_targets(&streamed, ntargets);
        cf_report_junit_stream *s = cf_report_junit_stream_new(CF_RULES_GATE, false);
        cr_assert_not_null(s);
        for (size_t t = 0; t < streamed.ntargets; t++)
            for (size_t i = 0; i < streamed.targets[t].ncases; i++) {
                cf_report_case *c = &streamed.targets[t].cases[i];
                cr_assert_eq(cf_report_junit_stream_case(
                                 s, t, ntargets > 1 ? streamed.targets[t].name : NULL, c),
                             0);
                cf_report_case_compact(c, ntargets > 1, &streamed.targets[t].pool);
            }
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        cr_assert_not_null(f);
        cr_assert_eq(cf_report_junit_stream_finish(s, &streamed, f), 0);
        fclose(f);
        cf_report_junit_stream_free(s);
        char *want = junit_text(&whole);
        cr_expect_str_eq(buf, want);
        free(buf);
        free(want);
        cf_report_free(&whole);
        cf_report_free(&streamed);
    }
}

Test(report_junit, stream_refuses_a_report_with_other_cases)
{
    cf_report r;
    cf_fixture_report(&r);
    cf_report_junit_stream *s = cf_report_junit_stream_new(CF_RULES_GATE, false);
    cr_assert_not_null(s);
    cr_assert_eq(cf_report_junit_stream_case(s, 0, NULL, &r.targets[0].cases[0]), 0);
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_expect_eq(cf_report_junit_stream_finish(s, &r, f), -1, "one case streamed, five in r");
    fclose(f);
    cf_report_junit_stream_free(s);
    cf_report_free(&r);
}
