/* Spec language: captures ({{NAME}}, {{NAME|weak}}, {{NAME|strong}}) and {{env.NAME}}, as the
 * loader reads them (errors at file:line:column) and as steps render them; the same placeholders
 * in expectation strings ('equals', 'contains'), rendered when a step is judged and shown
 * rendered in the expected/failed texts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_render.h"
#include "check.h"
#include "spec_load.h"
#include "spec_render.h"

/* A one-case file around steps (YAML indented for a case's step list). */
static int load(const char *steps, cf_spec_file **f, cf_spec_errors *errs)
{
    char text[4096];
    snprintf(text, sizeof text,
             "spec: 1\ntitle: t\nrfc: 9110\ncases:\n"
             "  - id: c\n    title: t\n    section: \"13.1.2\"\n    level: MUST\n"
             "    requirement: r\n    steps:\n%s",
             steps);
    cf_spec_errors_init(errs);
    return cf_spec_load_text("cap.yaml", text, strlen(text), f, errs);
}

/* Asserts the steps fail to load with one error at line:col holding text. */
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

static const char two_steps[] =
    "      - request: {method: GET, target: /, headers: [Host: x]}\n"
    "        expect: {status: 200}\n"
    "        capture:\n"
    "          etag: {header: ETag}\n"
    "          word: {body: '<title>([^<]*)</title>'}\n"
    "      - raw: \"GET / HTTP/1.1\\r\\nA: {{etag}}\\r\\nB: {{etag|weak}}\\r\\n"
    "C: {{etag|strong}}\\r\\nD: {{word}}\\r\\n\\r\\n\"\n"
    "        expect: {status: 304}\n";

Test(spec_capture, loads_captures_with_slots)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load(two_steps, &f, &errs), 0);
    const cf_case *c = &f->cases[0];
    cr_expect_eq(c->ncaptures, 2);
    cr_assert_eq(c->steps[0].ncaptures, 2);
    const cf_capture *e = &c->steps[0].captures[0], *w = &c->steps[0].captures[1];
    cr_expect_str_eq(e->name, "etag");
    cr_expect_eq(e->from, CF_CAPTURE_HEADER);
    cr_expect_str_eq(e->header, "ETag");
    cr_expect_eq(e->slot, 0);
    cr_expect_eq(w->from, CF_CAPTURE_BODY);
    cr_expect_not_null(w->re);
    cr_expect_eq(w->slot, 1);
    cr_expect_eq(c->steps[1].messages[0].raw.nvars, 4);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

/* Renders step 1 of the two_steps case with values for etag and word. */
static void render_with(const char *etag, const char *want)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load(two_steps, &f, &errs), 0);
    cf_spec_target t;
    cr_assert_eq(cf_spec_target_init(&t, "127.0.0.1", "80"), 0);
    cf_captured v[2] = {{(uint8_t *)etag, strlen(etag), true}, {(uint8_t *)"hi", 2, true}};
    t.captured = v;
    t.ncaptured = 2;
    cf_buf out;
    cr_assert_eq(cf_spec_render_step(&f->cases[0].steps[1], &t, &out), 0);
    cr_expect_str_eq(out.ptr, want);
    cf_buf_free(&out);
    v[1].set = false; /* a value not captured does not render */
    cr_expect_eq(cf_spec_render_step(&f->cases[0].steps[1], &t, &out), -1);
    t.captured = NULL;
    cr_expect_eq(cf_spec_render_step(&f->cases[0].steps[1], &t, &out), -1);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

Test(spec_capture, renders_values_and_transforms)
{
    /* RFC 9110 §8.8.3: weak = %s"W/"; |weak adds it to a strong tag, |strong removes it */
    render_with("\"v1\"",
                "GET / HTTP/1.1\r\nA: \"v1\"\r\nB: W/\"v1\"\r\nC: \"v1\"\r\nD: hi\r\n\r\n");
    render_with("W/\"v1\"",
                "GET / HTTP/1.1\r\nA: W/\"v1\"\r\nB: W/\"v1\"\r\nC: \"v1\"\r\nD: hi\r\n\r\n");
}

Test(spec_capture, use_before_capture_is_a_load_error)
{
    /* used in the step that captures it: values exist only for the steps after */
    load_fails("      - raw: \"GET /{{etag}} HTTP/1.1\\r\\n\\r\\n\"\n"
               "        expect: {status: 200}\n"
               "        capture: {etag: {header: ETag}}\n",
               11, 14, "{{etag}}: unknown placeholder");
    /* a later step names a capture nobody makes */
    load_fails("      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n"
               "        expect: {status: 200}\n"
               "        capture: {etag: {header: ETag}}\n"
               "      - request: {method: GET, target: /, headers: [X: \"{{etga|weak}}\"]}\n"
               "        expect: {status: 200}\n",
               14, 56, "{{etga|weak}}: unknown placeholder");
    /* another case's capture is not this case's */
    load_fails("      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n"
               "        expect: {status: 200}\n"
               "        capture: {etag: {header: ETag}}\n"
               "  - id: d\n    title: t\n    section: \"1\"\n    level: MUST\n"
               "    requirement: r\n    steps:\n"
               "      - raw: \"GET /{{etag}} HTTP/1.1\\r\\n\\r\\n\"\n"
               "        expect: {status: 200}\n",
               20, 14, "{{etag}}: unknown placeholder");
}

Test(spec_capture, bad_captures)
{
    load_fails("      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n"
               "        capture: {etag: {header: ETag}}\n"
               "      - raw: \"x\"\n        expect: {status: 200}\n",
               12, 18, "'capture' needs an 'expect' in the same step");
    load_fails("      - raw: \"x\"\n        expect: {status: 200}\n"
               "        capture: {authority: {header: ETag}}\n",
               13, 19, "a capture's name is [a-z_][a-z0-9_]* and not host");
    load_fails("      - raw: \"x\"\n        expect: {status: 200}\n"
               "        capture: {Etag: {header: ETag}}\n",
               13, 19, "got 'Etag'");
    load_fails("      - raw: \"x\"\n        expect: {status: 200}\n"
               "        capture: {etag: {header: ETag, body: x}}\n",
               13, 25, "exactly one of 'header' or 'body'");
    load_fails("      - raw: \"x\"\n        expect: {status: 200}\n"
               "        capture: {e: {body: '(x'}}\n",
               13, 29, "bad regular expression for 'body'");
    load_fails("      - raw: \"x\"\n        expect: {status: 200}\n"
               "        capture: {e: {header: ETag}}\n"
               "      - raw: \"x\"\n        expect: {status: 200}\n"
               "        capture: {e: {header: ETag}}\n",
               16, 19, "'e' is captured twice in this case");
}

Test(spec_capture, env_values_are_read_at_load_time)
{
    cr_assert_eq(setenv("CF_TEST_TOKEN", "s3cr\xc3\xa9t", 1), 0);
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load("      - raw: \"GET /{{env.CF_TEST_TOKEN}} HTTP/1.1\\r\\n\\r\\n\"\n"
                      "        expect: {status: 200}\n",
                      &f, &errs),
                 0);
    cr_assert_eq(setenv("CF_TEST_TOKEN", "changed", 1), 0); /* read once, at load time */
    cf_buf out;
    cr_assert_eq(cf_test_render(&f->cases[0].steps[0], "127.0.0.1", "80", &out), 0);
    /* the value's bytes as they are in the environment (not re-read as text) */
    cr_expect_str_eq(out.ptr, "GET /s3cr\xc3\xa9t HTTP/1.1\r\n\r\n");
    cf_buf_free(&out);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

Test(spec_capture, unset_env_is_a_load_error)
{
    cr_assert_eq(unsetenv("CF_TEST_UNSET"), 0);
    load_fails("      - request: {method: GET, target: /, headers: [Authorization: "
               "\"Bearer {{env.CF_TEST_UNSET}}\"]}\n"
               "        expect: {status: 200}\n",
               11, 68, "{{env.CF_TEST_UNSET}}: the environment variable is not set");
    load_fails("      - raw: \"{{env.}}\"\n        expect: {status: 200}\n", 11, 14,
               "{{env.}}: expected {{env.NAME}}");
}

/* A step result with one complete 200: one field name: value (none when value is NULL), and
 * body. */
static void one_response(cf_step_result *r, cf_obs_response *resp, cf_obs_field *fld,
                         const char *name, const char *value, const char *body)
{
    memset(r, 0, sizeof *r);
    memset(resp, 0, sizeof *resp);
    *fld = (cf_obs_field){.name = (char *)name,
                          .name_len = strlen(name),
                          .value = (char *)(value ? value : ""),
                          .value_len = value ? strlen(value) : 0};
    resp->status = 200;
    resp->fields = value ? fld : NULL;
    resp->nfields = value ? 1 : 0;
    resp->body = (uint8_t *)body;
    resp->body_len = strlen(body);
    resp->body_total = resp->body_len;
    resp->complete = true;
    r->responses = resp;
    r->nresponses = 1;
}

/* Captures the value named name of the first case's first step against r; 1/0 as
 * cf_check_capture, with the value or the reason in out. */
static int take(const cf_spec_file *f, size_t k, const cf_step_result *r, cf_buf *out)
{
    cf_buf why = {0};
    int rc = cf_check_capture(&f->cases[0].steps[0].captures[k], r, out, &why);
    if (rc == 0) {
        cf_buf_free(out);
        cf_buf_str(out, why.ptr ? why.ptr : "");
    }
    cf_buf_free(&why);
    return rc;
}

Test(spec_capture, values_groups_and_the_size_cap)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load("      - raw: x\n        expect: {status: 200}\n        capture:\n"
                      "          etag: {header: etag}\n"
                      "          g1: {body: 'id=([0-9]+)'}\n"
                      "          g0: {body: 'id=[0-9]+'}\n"
                      "          opt: {body: 'id=(x)?[0-9]'}\n",
                      &f, &errs),
                 0);
    cf_step_result r;
    cf_obs_response resp;
    cf_obs_field fld;
    one_response(&r, &resp, &fld, "ETag", "  \"v1\" ", "a id=42 b");
    cf_buf v = {0};
    cr_expect_eq(take(f, 0, &r, &v), 1);
    cr_expect_str_eq(v.ptr, "\"v1\"", "the field value without OWS, name matched in any case");
    cf_buf_free(&v);
    cr_expect_eq(take(f, 1, &r, &v), 1);
    cr_expect_str_eq(v.ptr, "42", "group 1");
    cf_buf_free(&v);
    cr_expect_eq(take(f, 2, &r, &v), 1);
    cr_expect_str_eq(v.ptr, "id=42", "no group: the whole match");
    cf_buf_free(&v);
    cr_expect_eq(take(f, 3, &r, &v), 1);
    cr_expect_str_eq(v.ptr, "id=4", "group 1 did not take part: the whole match");
    cf_buf_free(&v);
    /* nothing to take: SKIP reasons */
    one_response(&r, &resp, &fld, "ETag", NULL, "none here");
    cr_expect_eq(take(f, 0, &r, &v), 0);
    cr_expect_str_eq(v.ptr, "has no etag");
    cf_buf_free(&v);
    cr_expect_eq(take(f, 1, &r, &v), 0);
    cr_expect_str_eq(v.ptr, "body does not match /id=([0-9]+)/");
    cf_buf_free(&v);
    r.nresponses = 0;
    cr_expect_eq(take(f, 0, &r, &v), 0);
    cr_expect_str_eq(v.ptr, "has no final response");
    cf_buf_free(&v);
    /* a value past CF_SPEC_MAX_CAPTURED is not taken (docs/limits.md) */
    static char big[CF_SPEC_MAX_CAPTURED + 2];
    memset(big, 'a', sizeof big - 1);
    one_response(&r, &resp, &fld, "ETag", big, "");
    cr_expect_eq(take(f, 0, &r, &v), 0);
    cr_expect_str_eq(v.ptr, "has 8193 bytes of etag, more than a capture keeps (8192)");
    cf_buf_free(&v);
    big[sizeof big - 2] = 0; /* exactly the cap: taken */
    one_response(&r, &resp, &fld, "ETag", big, "");
    cr_expect_eq(take(f, 0, &r, &v), 1);
    cr_expect_eq(v.len, CF_SPEC_MAX_CAPTURED);
    cf_buf_free(&v);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

/* ---- placeholders in expectation strings: rendered with the case's values when judged ---- */

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

Test(spec_capture, expect_a_header_and_body_equal_captured_values)
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

Test(spec_capture, expect_authority_and_resources_in_any_of_and_sequence)
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

Test(spec_capture, expect_premise_strings_render_too)
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

Test(spec_capture, expect_plain_and_env_values_stay_bytes)
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

Test(spec_capture, expect_a_capture_of_the_same_step_is_a_load_error)
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

Test(spec_capture, expect_an_unknown_placeholder_is_a_load_error)
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
