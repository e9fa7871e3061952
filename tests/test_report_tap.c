/* report_tap.c: TAP version 14 structure (version line, plan, numbered test points, YAML
 * diagnostics blocks indented under the failing point), TODO directives for WARN and INFO. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"
#include "report_formats.h"

static char *tap_text(const cf_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(cf_report_tap(r, f), 0);
    fclose(f);
    return buf;
}

/* The next line of *p (NUL-terminated in place), or NULL at the end. */
static char *next_line(char **p)
{
    if (!*p || !**p) return NULL;
    char *line = *p, *nl = strchr(line, '\n');
    if (nl) {
        *nl = 0;
        *p = nl + 1;
    } else {
        *p = line + strlen(line);
    }
    return line;
}

/* Checks the TAP 14 grammar line by line; returns the number of test points. */
static size_t check_structure(char *tap)
{
    char *save = tap;
    char *line = next_line(&save);
    cr_assert_str_eq(line, "TAP version 14");
    line = next_line(&save);
    unsigned long plan = 0;
    cr_assert_eq(sscanf(line, "1..%lu", &plan), 1, "plan: %s", line);
    size_t points = 0;
    bool in_yaml = false, yaml_allowed = false;
    while ((line = next_line(&save))) {
        if (in_yaml) {
            if (!strcmp(line, "  ...")) {
                in_yaml = false;
                continue;
            }
            cr_assert(!strncmp(line, "  ", 2), "YAML not indented: %s", line);
            continue;
        }
        if (!strcmp(line, "  ---")) {
            cr_assert(yaml_allowed, "YAML block not right after a test point");
            in_yaml = true;
            yaml_allowed = false;
            continue;
        }
        yaml_allowed = false;
        if (line[0] == '#') continue;
        unsigned long num = 0;
        int off = 0;
        if (sscanf(line, "ok %lu - %n", &num, &off) == 1 && off > 0) {
        } else if (sscanf(line, "not ok %lu - %n", &num, &off) == 1 && off > 0) {
        } else {
            cr_assert_fail("not a TAP line: %s", line);
        }
        cr_assert_eq(num, ++points, "test point numbered %lu, expected %zu", num, points);
        yaml_allowed = true;
    }
    cr_assert(!in_yaml, "YAML block not closed");
    cr_assert_eq(plan, points, "plan 1..%lu, %zu test points", plan, points);
    return points;
}

Test(report_tap, rule_findings_are_test_points_with_rules_gate)
{
    cf_report r;
    cf_fixture_report(&r); /* --rules gate: one point per rule broken per case */
    char *tap = tap_text(&r);
    char *copy = strdup(tap);
    cr_expect_eq(check_structure(copy), 8, "%s", tap);
    free(copy);
    cr_expect(strstr(tap, "\nok 1 - case-pass Title of <case> & \"quotes\" | pipes \\# hash\n"
                          "not ok 2 - case-pass rule date-missing # TODO SHOULD not met "
                          "(warning)\n  ---\n  message: \"rule date-missing (RFC 9110 §6.6.1, "
                          "SHOULD): 1 of 1 response — first: \\\"HTTP/1.1 200 OK\\\\r\\\\n\\\" (no "
                          "Date field)\"\n  severity: warn\n") != NULL,
              "%s", tap);
    free(tap);
    /* a MUST rule: "not ok" without TODO */
    for (size_t i = 0; i < r.targets[0].ncases; i++)
        for (size_t k = 0; k < r.targets[0].cases[i].nresponses; k++)
            for (size_t f = 0; f < r.targets[0].cases[i].responses[k].nfindings; f++)
                r.targets[0].cases[i].responses[k].findings[f].level = CF_RL_MUST;
    tap = tap_text(&r);
    cr_expect(strstr(tap, "\nnot ok 2 - case-pass rule date-missing\n  ---\n") != NULL, "%s", tap);
    free(tap);
    cf_report_free(&r);
}

Test(report_tap, version_plan_points_and_yaml_blocks)
{
    cf_report r;
    cf_fixture_report(&r);
    r.rules = CF_RULES_REPORT; /* the cases' own points only */
    char *tap = tap_text(&r);
    char *copy = strdup(tap);
    cr_expect_eq(check_structure(copy), 5);
    free(copy);
    cr_expect(strstr(tap, "\nok 1 - case-pass Title of <case> & \"quotes\" | pipes \\# hash\n") !=
                  NULL,
              "%s", tap);
    cr_expect(strstr(tap, "\nnot ok 2 - case-fail ") != NULL, "%s", tap);
    cr_expect(strstr(tap, "\nnot ok 3 - case-warn Title of <case> & \"quotes\" | pipes \\# hash "
                          "# TODO SHOULD not met (warning)\n") != NULL,
              "%s", tap);
    cr_expect(strstr(tap, "# TODO MAY not met (info)\n") != NULL, "%s", tap);
    /* the FAIL's diagnostics */
    cr_expect(strstr(tap, "\n  ---\n  message: \"A server MUST do the thing (RFC text, with "
                          "ünïcödé).\"\n  severity: fail\n  verdict: \"FAIL\"\n  rfc: \"RFC "
                          "9112 §6.3\"\n") != NULL,
              "%s", tap);
    cr_expect(strstr(tap, "  expected: \"status 400\"\n  actual: \"200 OK, <connection> kept & "
                          "open\"\n  failed:\n    - \"status: expected 400, got 200\"\n") != NULL,
              "%s", tap);
    cr_expect(strstr(tap, "  findings:\n    - rule: \"date-missing\"\n      section: \"RFC 9110 "
                          "§6.6.1\"\n") != NULL,
              "%s", tap);
    cr_expect(strstr(tap, "      message: \"odd \\\"Server\\\"\"\n") != NULL, "%s", tap);
    /* the ERROR: control byte escaped in YAML */
    cr_expect(strstr(tap, "  error: \"cannot connect: <refused> & \\x01 gone\"\n") != NULL, "%s",
              tap);
    /* the passing case has no block; summaries are comments */
    cr_expect(strstr(tap, "pipes \\# hash\nnot ok 2 - ") != NULL, "%s", tap);
    cr_expect(strstr(tap, "# rule date-missing (RFC 9110 §6.6.1, SHOULD): 3 findings in 2 cases, "
                          "e.g. case-pass, case-fail\n") != NULL,
              "%s", tap);
    free(tap);
    cf_report_free(&r);
}

Test(report_tap, empty_report_has_plan_zero)
{
    cf_report r = {0};
    char *tap = tap_text(&r);
    cr_expect_str_eq(tap, "TAP version 14\n1..0\n");
    free(tap);
}

Test(report_tap, streamed_test_points_and_compact_model_write_the_same_bytes)
{
    for (int ntargets = 1; ntargets <= 3; ntargets += 2) {
        cf_report whole, streamed;
        cf_fixture_report_targets(&whole, ntargets);
        cf_fixture_report_targets(&streamed, ntargets);
        cf_report_tap_stream *s = cf_report_tap_stream_new(CF_RULES_GATE, false);
        cr_assert_not_null(s);
        for (size_t t = 0; t < streamed.ntargets; t++)
            for (size_t i = 0; i < streamed.targets[t].ncases; i++) {
                cf_report_case *c = &streamed.targets[t].cases[i];
                const char *name = ntargets > 1 ? streamed.targets[t].name : NULL;
                cr_assert_eq(cf_report_tap_stream_case(s, name, c), 0);
                cf_report_case_compact(c, ntargets > 1, &streamed.targets[t].pool);
            }
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        cr_assert_not_null(f);
        cr_assert_eq(cf_report_tap_stream_finish(s, &streamed, f), 0);
        fclose(f);
        cf_report_tap_stream_free(s);
        char *want = tap_text(&whole);
        cr_expect_str_eq(buf, want);
        free(buf);
        free(want);
        cf_report_free(&whole);
        cf_report_free(&streamed);
    }
}
