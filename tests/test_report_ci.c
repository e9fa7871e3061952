/* The CI report formats (docs/reports.md): github workflow commands (levels, file:line, GitHub's
 * escapes), SARIF 2.1.0 (the properties the schema requires, result levels, physical locations
 * at each case's file:line), markdown-failures (failures only, cut under the comment limit with
 * a count), and each written as the run goes gives the bytes of the whole report. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"
#include "report_formats.h"
#include "util_buf.h"

Test(report_github, fail_is_error_warn_is_warning_at_file_line)
{
    cf_report r;
    cf_fixture_report(&r);
    char *out = cf_fixture_render("github", &r);
    /* case-fail is the second case (line 20), case-warn the third, case-error the fourth */
    cr_expect(strstr(out, "::error file=specs/fixture.yaml,line=20,title=FAIL case-fail%3A Title "
                          "of <case> & \"quotes\" | pipes # hash::RFC 9112 §6.3 (MUST): "),
              "%s", out);
    cr_expect(strstr(out, "::warning file=specs/fixture.yaml,line=30,title=WARN case-warn%3A"),
              "%s", out);
    cr_expect(strstr(out, "::error file=specs/fixture.yaml,line=40,title=ERROR case-error%3A"),
              "%s", out);
    cr_expect_null(strstr(out, "case-pass%3A"), "a PASS is no annotation");
    cr_expect_null(strstr(out, "case-info%3A"), "an INFO is no annotation");
    /* a SHOULD rule broken warns under --rules gate, once per case, not once per response */
    cr_expect_eq(cf_fixture_count(out, "title=rule date-missing in case-fail::"), 1, "%s", out);
    cr_expect(strstr(out, "::warning file=specs/fixture.yaml,line=10,title=rule date-missing in "
                          "case-pass::"),
              "%s", out);
    /* multi-line messages: LF as %0A, never a raw line break inside a command */
    for (const char *line = out; *line;) {
        cr_expect(!strncmp(line, "::", 2), "every line is a command: %.60s", line);
        const char *nl = strchr(line, '\n');
        cr_assert_not_null(nl);
        line = nl + 1;
    }
    cr_expect(
        strstr(out, "%0Aexpected: status 400%0Aactual:   200 OK, <connection> kept & open%0A"),
        "%s", out);
    cr_expect(strstr(out, "::notice title=conform 127.0.0.1%3A8080::5 cases: 1 passed, 1 failed"),
              "%s", out);
    free(out);
    r.rules = CF_RULES_REPORT; /* findings reported, never failing: no annotation */
    out = cf_fixture_render("github", &r);
    cr_expect_null(strstr(out, "title=rule "), "%s", out);
    free(out);
    cf_report_free(&r);
}

Test(report_github, escapes_percent_cr_lf_and_in_properties_colon_comma)
{
    cf_report r;
    cf_fixture_report(&r);
    cf_report_case *c = &r.targets[0].cases[1];
    free(c->file);
    c->file = strdup("specs/a,b:c%d.yaml");
    free(c->requirement);
    c->requirement = strdup("100% sure,\r\nreally: yes");
    char *out = cf_fixture_render("github", &r);
    cr_expect(strstr(out, "::error file=specs/a%2Cb%3Ac%25d.yaml,line=20,title=FAIL case-fail%3A"),
              "%s", out);
    cr_expect(strstr(out, "(MUST): 100%25 sure,%0D%0Areally: yes%0A"), "message: only %% CR LF: %s",
              out);
    free(out);
    cf_report_free(&r);
}

/* The member key of o, which must be there with type type. */
static json_t *need(json_t *o, const char *key, json_type type)
{
    json_t *v = json_object_get(o, key);
    cr_assert_not_null(v, "required property %s missing", key);
    cr_assert_eq(json_typeof(v), type, "%s has the wrong type", key);
    return v;
}

Test(report_sarif, required_properties_levels_and_locations)
{
    cf_report r;
    cf_fixture_report_three_targets(&r);
    char *out = cf_fixture_render("sarif", &r);
    json_error_t e;
    json_t *doc = json_loads(out, 0, &e);
    cr_assert_not_null(doc, "not JSON: %s", e.text);
    cr_expect_str_eq(json_string_value(need(doc, "version", JSON_STRING)), "2.1.0");
    json_t *runs = need(doc, "runs", JSON_ARRAY);
    cr_assert_eq(json_array_size(runs), 3, "one run per target");
    for (size_t k = 0; k < 3; k++) {
        json_t *run = json_array_get(runs, k);
        json_t *driver = need(need(run, "tool", JSON_OBJECT), "driver", JSON_OBJECT);
        cr_expect_str_eq(json_string_value(need(driver, "name", JSON_STRING)), "conform");
        json_t *rules = need(driver, "rules", JSON_ARRAY);
        size_t i;
        json_t *v;
        json_array_foreach(rules, i, v)
        {
            need(v, "id", JSON_STRING);
            need(need(v, "shortDescription", JSON_OBJECT), "text", JSON_STRING);
        }
        json_t *results = need(run, "results", JSON_ARRAY);
        if (k == 1) { /* the unreachable target: nothing ran */
            cr_expect_eq(json_array_size(results), 0);
            cr_expect(json_is_false(json_object_get(
                json_array_get(need(run, "invocations", JSON_ARRAY), 0), "executionSuccessful")));
            continue;
        }
        /* FAIL, WARN, ERROR, INFO: 4 results; rules: date-missing in case-pass and case-fail,
         * server-header in case-fail: 3 more; PASS gives none */
        cr_expect_eq(json_array_size(results), 7, "%s", out);
        const char *want[][3] = {{"date-missing", "warning", "10"}, {"case-fail", "error", "20"},
                                 {"date-missing", "warning", "20"}, {"server-header", "note", "20"},
                                 {"case-warn", "warning", "30"},    {"case-error", "error", "40"},
                                 {"case-info", "note", "50"}};
        json_array_foreach(results, i, v)
        {
            if (i >= 7) break;
            cr_expect_str_eq(json_string_value(need(v, "ruleId", JSON_STRING)), want[i][0]);
            cr_expect_str_eq(json_string_value(need(v, "level", JSON_STRING)), want[i][1],
                             "result %zu", i);
            need(need(v, "message", JSON_OBJECT), "text", JSON_STRING);
            json_t *loc = json_array_get(need(v, "locations", JSON_ARRAY), 0);
            cr_assert_not_null(loc);
            json_t *phys = need(loc, "physicalLocation", JSON_OBJECT);
            cr_expect_str_eq(json_string_value(need(need(phys, "artifactLocation", JSON_OBJECT),
                                                    "uri", JSON_STRING)),
                             "specs/fixture.yaml");
            cr_expect_eq(json_integer_value(
                             need(need(phys, "region", JSON_OBJECT), "startLine", JSON_INTEGER)),
                         atoi(want[i][2]), "result %zu", i);
        }
        /* the cases with a result have a descriptor, and so has each compliance rule broken
         * that this build knows (server-header is not one: a rule from another conform) */
        cr_expect_eq(json_array_size(rules), 5, "4 cases and date-missing: %s", out);
    }
    json_decref(doc);
    free(out);
    cf_report_free(&r);
}

Test(report_sarif, uri_is_percent_encoded)
{
    cf_report r;
    cf_fixture_report(&r);
    free(r.targets[0].cases[1].file);
    r.targets[0].cases[1].file = strdup("/abs dir/ü#.yaml");
    char *out = cf_fixture_render("sarif", &r);
    cr_expect(strstr(out, "\"uri\":\"file:///abs%20dir/%C3%BC%23.yaml\""), "%s", out);
    free(out);
    cf_report_free(&r);
}

/* A report of n failing cases of about size bytes of details each. */
static void big_report(cf_report *r, size_t n, size_t size)
{
    cf_fixture_report(r);
    cf_report_target *t = &r->targets[0];
    cf_report_case *c = realloc(t->cases, n * sizeof *c);
    cr_assert_not_null(c);
    t->cases = c;
    for (size_t i = t->ncases; i < n; i++) {
        c[i] = (cf_report_case){0};
        c[i].id = cf_strfmt("big-%zu", i);
        c[i].title = strdup("big");
        c[i].section = strdup("6.3");
        c[i].rfc = 9112;
        c[i].file = strdup("specs/big.yaml");
        c[i].category = strdup("big");
        c[i].requirement = malloc(size + 1);
        cr_assert_not_null(c[i].requirement);
        memset(c[i].requirement, 'x', size);
        c[i].requirement[size] = 0;
        c[i].verdict = CF_RV_FAIL;
        t->counts[CF_RV_FAIL]++;
    }
    t->ncases = n;
}

Test(report_mdfail, failures_only)
{
    cf_report r;
    cf_fixture_report(&r);
    char *out = cf_fixture_render("markdown-failures", &r);
    cr_expect(strstr(out, "#### FAIL `case-fail`"), "%s", out);
    cr_expect(strstr(out, "#### ERROR `case-error`"), "%s", out);
    cr_expect_null(strstr(out, "`case-warn`"), "a WARN does not fail the run");
    cr_expect_null(strstr(out, "`case-info`"));
    cr_expect_null(strstr(out, "`case-pass`"), "its rule only warns");
    cr_expect_null(strstr(out, "not shown"), "nothing cut");
    free(out);
    cf_report_free(&r);
}

Test(report_mdfail, cut_under_the_comment_limit_with_a_count)
{
    cf_report r;
    big_report(&r, 5 + 100, 2000); /* ~200 KB of details */
    char *out = cf_fixture_render("markdown-failures", &r);
    size_t len = strlen(out);
    cr_expect_lt(len, 65536);
    cr_expect_gt(len, 50000, "it fills what it may: %zu", len);
    size_t shown = cf_fixture_count(out, "#### FAIL `big-");
    cr_expect_gt(shown, 20);
    char want[128];
    snprintf(want, sizeof want, "_%zu more failures not shown", 100 - shown);
    cr_expect(strstr(out, want), "%s ... (%zu shown)", want, shown);
    free(out);
    cf_report_free(&r);
}

/* Each CI format streamed case by case, cases compacted after, gives the whole report's bytes. */
Test(report_ci, streamed_equals_whole)
{
    const char *names[] = {"sarif", "github", "markdown-failures"};
    for (size_t f = 0; f < 3; f++)
        for (int ntargets = 1; ntargets <= 3; ntargets += 2) {
            cf_report whole, streamed;
            cf_fixture_report_targets(&whole, ntargets);
            cf_fixture_report_targets(&streamed, ntargets);
            const cf_report_stream_ops *ops = cf_report_format_find(names[f])->stream;
            cr_assert_not_null(ops);
            void *s = ops->open(streamed.rules, streamed.strict);
            cr_assert_not_null(s);
            for (size_t t = 0; t < streamed.ntargets; t++)
                for (size_t i = 0; i < streamed.targets[t].ncases; i++) {
                    cf_report_case *c = &streamed.targets[t].cases[i];
                    cr_assert_eq(ops->add(s, t, ntargets > 1 ? streamed.targets[t].name : NULL, c),
                                 0);
                    cf_report_case_compact(c, ntargets > 1, &streamed.targets[t].pool);
                }
            char *buf = NULL;
            size_t len = 0;
            FILE *fp = open_memstream(&buf, &len);
            cr_assert_not_null(fp);
            cr_assert_eq(ops->finish(s, &streamed, fp), 0);
            fclose(fp);
            ops->close(s);
            char *want = cf_fixture_render(names[f], &whole);
            cr_expect_str_eq(buf, want, "%s, %d targets", names[f], ntargets);
            free(buf);
            free(want);
            cf_report_free(&whole);
            cf_report_free(&streamed);
        }
}

Test(report_junit, file_line_and_target_in_classname)
{
    cf_report r;
    cf_fixture_report_three_targets(&r);
    char *out = cf_fixture_render("junit", &r);
    cr_expect(strstr(out, "classname=\"conform.127_0_0_1:8080.rfc9112.6.3\" "
                          "file=\"specs/fixture.yaml\" line=\"20\""),
              "%s", out);
    cr_expect(strstr(out, "classname=\"conform.again.rfc9112.6.3\""), "%s", out);
    free(out);
    cf_report_free(&r);
    cf_fixture_report(&r);
    out = cf_fixture_render("junit", &r);
    cr_expect(strstr(out, "classname=\"conform.rfc9112.6.3\" file=\"specs/fixture.yaml\" "
                          "line=\"20\""),
              "one target: none in the classname: %s", out);
    free(out);
    cf_report_free(&r);
}
