/* Placeholders in expectation strings ('equals', 'contains'): loaded as templates (errors at
 * file:line:column), rendered with the case's values when a step is judged, and shown rendered in
 * the expected/failed texts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "spec_load.h"

/* A one-case file around steps (YAML indented for a case's step list). */
static int load(const char *steps, cf_spec_file **f, cf_spec_errors *errs)
{
    char text[4096];
    snprintf(text, sizeof text,
             "spec: 1\ntitle: t\nrfc: 9110\ncases:\n"
             "  - id: c\n    title: t\n    section: \"8.8.3\"\n    level: MUST\n"
             "    requirement: r\n    steps:\n%s",
             steps);
    cf_spec_errors_init(errs);
    return cf_spec_load_text("ph.yaml", text, strlen(text), f, errs);
}

/* Asserts the steps fail to load with a first error at line:col holding text. */
static void load_fails(const char *steps, unsigned line, unsigned col, const char *text)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load(steps, &f, &errs), -1);
    cr_assert_geq(errs.count, 1);
    const cf_spec_error *e = &errs.items[0];
    cr_expect_eq(e->line, line, "line %u (%s)", e->line, e->message);
    cr_expect_eq(e->column, col, "column %u (%s)", e->column, e->message);
    cr_expect(strstr(e->message, text) != NULL, "'%s' lacks '%s'", e->message, text);
    cf_spec_errors_free(&errs);
}

/* A step result with one complete 200: one field name: value, and body. */
static void one_response(cf_step_result *r, cf_obs_response *resp, cf_obs_field *fld,
                         const char *name, const char *value, const char *body)
{
    memset(r, 0, sizeof *r);
    memset(resp, 0, sizeof *resp);
    *fld = (cf_obs_field){.name = (char *)name,
                          .name_len = strlen(name),
                          .value = (char *)value,
                          .value_len = strlen(value)};
    resp->status = 200;
    resp->fields = fld;
    resp->nfields = 1;
    resp->body = (uint8_t *)body;
    resp->body_len = strlen(body);
    resp->body_total = resp->body_len;
    resp->complete = true;
    r->responses = resp;
    r->nresponses = 1;
}

static const char capture_then_compare[] =
    "      - raw: x\n        expect: {status: 200}\n"
    "        capture: {etag: {header: ETag}, head: {body: '^(.{3})'}}\n"
    "      - raw: y\n"
    "        expect:\n"
    "          headers: [{name: ETag, equals: \"{{etag}}\"}]\n"
    "          body: {equals: \"{{head}}\", contains: \"{{head}}\"}\n";

/* The case's values: 127.0.0.1:8080 with etag and head captured. */
static cf_spec_target target_with(cf_captured v[2], const char *etag, const char *head)
{
    cf_spec_target t;
    cr_assert_eq(cf_spec_target_init(&t, "127.0.0.1", "8080"), 0);
    v[0] = (cf_captured){(uint8_t *)etag, strlen(etag), true};
    v[1] = (cf_captured){(uint8_t *)head, strlen(head), true};
    t.captured = v;
    t.ncaptured = 2;
    return t;
}

/* Judges step 1 of f against r with t; returns the outcome (the caller frees it). */
static cf_check_outcome judge(const cf_spec_file *f, const cf_step_result *r,
                              const cf_spec_target *t)
{
    cf_check_outcome o;
    cr_assert_eq(cf_check_step_by(&f->cases[0].steps[1].expect, r, t, 0, &o), 0);
    return o;
}

Test(check_placeholders, a_header_and_body_equal_captured_values)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load(capture_then_compare, &f, &errs), 0);
    const cf_expect *e = &f->cases[0].steps[1].expect;
    cr_assert_not_null(e->headers[0].tmpl, "a template, rendered when judged");
    cr_expect_str_eq((char *)e->headers[0].bytes, "{{etag}}", "the text as written, for --list");
    cf_captured v[2];
    cf_spec_target t = target_with(v, "\"abc\"", "<ht");
    cf_step_result r;
    cf_obs_response resp;
    cf_obs_field fld;
    one_response(&r, &resp, &fld, "ETag", "\"abc\"", "<ht");
    cf_check_outcome o = judge(f, &r, &t);
    cr_expect(o.pass, "%s", o.nfailed ? o.failed[0] : "");
    cr_expect_null(o.skip);
    cr_expect_str_eq(o.expected, "header ETag equals \"\\\"abc\\\"\"; "
                                 "body equals \"<ht\"; body contains \"<ht\"");
    cf_check_outcome_free(&o);
    /* another tag and another body: each check fails naming the value compared */
    one_response(&r, &resp, &fld, "ETag", "\"xyz\"", "<ht");
    t = target_with(v, "\"abc\"", "<ht");
    o = judge(f, &r, &t);
    cr_expect_not(o.pass);
    cr_assert_eq(o.nfailed, 1, "only the header differs");
    cr_expect_str_eq(o.failed[0], "header ETag: expected \"\\\"abc\\\"\", found \"\\\"xyz\\\"\"");
    cf_check_outcome_free(&o);
    one_response(&r, &resp, &fld, "ETag", "\"abc\"", "<body>");
    o = judge(f, &r, &t);
    cr_expect_not(o.pass);
    cr_assert_eq(o.nfailed, 2);
    cr_expect_str_eq(o.failed[0], "body: expected \"<ht\", found \"<body>\"");
    cr_expect_str_eq(o.failed[1], "body: expected to contain \"<ht\", not found in 6 bytes");
    cf_check_outcome_free(&o);
    /* without the case's values nothing is compared: not judged, never a failure */
    o = judge(f, &r, NULL);
    cr_expect(o.pass);
    cr_expect_not_null(o.skip);
    cr_expect(strstr(o.expected, "header ETag equals \"{{etag}}\"") != NULL, "%s", o.expected);
    cf_check_outcome_free(&o);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

Test(check_placeholders, authority_and_resources_in_any_of_and_sequence)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load("      - raw: x\n        expect: {status: 200}\n"
                      "      - raw: y\n"
                      "        expect:\n"
                      "          any_of:\n"
                      "            - headers: [{name: Location, equals: "
                      "\"http://{{authority}}{{resource.page}}\"}]\n"
                      "            - sequence: [{headers: [{name: Location, equals: "
                      "\"//{{host}}:{{port}}/\"}]}]\n",
                      &f, &errs),
                 0);
    cr_expect_eq(f->cases[0].resources, 1u << CF_RES_PAGE, "the expectation's resource counts");
    cf_spec_target t;
    cr_assert_eq(cf_spec_target_init(&t, "127.0.0.1", "8080"), 0);
    t.resource[CF_RES_PAGE] = "/index.html";
    cf_step_result r;
    cf_obs_response resp;
    cf_obs_field fld;
    one_response(&r, &resp, &fld, "Location", "http://127.0.0.1:8080/index.html", "");
    cf_check_outcome o = judge(f, &r, &t);
    cr_expect(o.pass, "%s", o.nfailed ? o.failed[0] : "");
    cr_expect(strstr(o.expected, "equals \"http://127.0.0.1:8080/index.html\"") != NULL, "%s",
              o.expected);
    cf_check_outcome_free(&o);
    one_response(&r, &resp, &fld, "Location", "//127.0.0.1:8080/", "");
    o = judge(f, &r, &t);
    cr_expect(o.pass, "the sequence alternative holds");
    cf_check_outcome_free(&o);
    one_response(&r, &resp, &fld, "Location", "http://127.0.0.1:9090/index.html", "");
    o = judge(f, &r, &t);
    cr_expect_not(o.pass);
    cr_assert_eq(o.nfailed, 2);
    cr_expect_str_eq(o.failed[0], "alternative 1: header Location: expected "
                                  "\"http://127.0.0.1:8080/index.html\", found "
                                  "\"http://127.0.0.1:9090/index.html\"");
    cf_check_outcome_free(&o);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

Test(check_placeholders, premise_strings_render_too)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load("      - raw: x\n        expect: {status: 200}\n"
                      "        capture: {etag: {header: ETag}}\n"
                      "      - raw: y\n"
                      "        premise: {headers: [{name: ETag, equals: \"{{etag|weak}}\"}]}\n"
                      "        expect: {status: 200}\n",
                      &f, &errs),
                 0);
    cf_captured v[2];
    cf_spec_target t = target_with(v, "\"abc\"", "");
    cf_step_result r;
    cf_obs_response resp;
    cf_obs_field fld;
    one_response(&r, &resp, &fld, "ETag", "W/\"abc\"", "");
    cf_check_outcome o;
    cr_assert_eq(cf_check_step_by(&f->cases[0].steps[1].premise, &r, &t, 0, &o), 0);
    cr_expect(o.pass, "|weak: W/ prepended (RFC 9110 §8.8.3)");
    cf_check_outcome_free(&o);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

Test(check_placeholders, plain_and_env_values_stay_bytes)
{
    cr_assert_eq(setenv("CF_TEST_EXPECT", "tok", 1), 0);
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load("      - raw: x\n        expect:\n"
                      "          headers: [{name: A, equals: \"v\"}, "
                      "{name: B, equals: \"{{env.CF_TEST_EXPECT}}\"}]\n",
                      &f, &errs),
                 0);
    const cf_expect *e = &f->cases[0].steps[0].expect;
    cr_expect_null(e->headers[0].tmpl);
    cr_expect_null(e->headers[1].tmpl, "{{env.NAME}} is read at load time");
    cr_expect_str_eq((char *)e->headers[1].bytes, "tok");
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

Test(check_placeholders, a_capture_of_the_same_step_is_a_load_error)
{
    load_fails("      - raw: x\n"
               "        expect: {headers: [{name: ETag, equals: \"W/{{etag}}\"}]}\n"
               "        capture: {etag: {header: ETag}}\n",
               12, 49, "at character 3: {{etag}} is captured by this same step");
    load_fails("      - raw: x\n"
               "        expect: {status: 200}\n"
               "        premise: {body: {contains: \"{{w}}\"}}\n"
               "        capture: {w: {body: '(.)'}}\n",
               13, 36, "{{w}} is captured by this same step");
}

Test(check_placeholders, an_unknown_placeholder_is_a_load_error)
{
    load_fails("      - raw: x\n"
               "        expect: {headers: [{name: A, equals: \"a{{nope}}\"}]}\n",
               12, 46, "'equals': {{nope}}: unknown placeholder");
    load_fails("      - raw: x\n"
               "        expect: {body: {contains: [\"ok\", \"{{ host }}\"]}}\n",
               12, 42, "'contains': at character 1: unknown placeholder");
    load_fails("      - raw: x\n"
               "        expect: {body: {equals: \"{{resource.nope}}\"}}\n",
               12, 33, "unknown resource");
}
