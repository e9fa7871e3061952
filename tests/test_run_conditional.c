/* The conditional-request cases (specs/rfc9110/conditional.yaml) and captures at run time: each
 * case against a server that evaluates preconditions as RFC 9110 §13 says (it passes or is SKIP,
 * never FAIL), and against servers that each break one requirement (the cases judging it FAIL,
 * the others do not). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "mb_case.h"
#include "run_verdict.h"

#define SPEC CF_SOURCE_DIR "/specs/rfc9110/conditional.yaml"

/* A run configuration for the server m, with the resources the conditional modes serve. */
static cf_run_config config(const cf_mb *m)
{
    cf_run_config cfg = cf_mb_config(m);
    cfg.target.vars.resource[CF_RES_VALIDATED] = "/";
    cfg.target.vars.resource[CF_RES_MISSING] = "/missing";
    cfg.time_limit_ms = 2000;
    return cfg;
}

/* Starts a server in mode, runs case id of f against it and stops it; the verdict, and the
 * reasons in text. */
static cf_verdict run_on(cf_mb_mode mode, const cf_spec_file *f, const char *id, char *text,
                         size_t n)
{
    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    cf_run_config cfg = config(m);
    cf_verdict v = cf_mb_run(f, id, &cfg, text, n);
    cf_mb_stop(m);
    return v;
}

Test(run_conditional, correct_server_never_fails)
{
    cf_spec_file *f = cf_mb_load(SPEC, NULL);
    cf_mb *m = cf_mb_start(CF_MB_VALIDATED);
    cr_assert_not_null(m);
    cf_run_config cfg = config(m);
    size_t pass = 0;
    for (size_t i = 0; i < f->ncases; i++) {
        char why[512];
        cf_verdict v = cf_mb_run(f, f->cases[i].id, &cfg, why, sizeof why);
        cr_expect(v == CF_VERDICT_PASS || v == CF_VERDICT_SKIP, "%s: %s %s", f->cases[i].id,
                  cf_verdict_name(v), why);
        pass += v == CF_VERDICT_PASS;
    }
    /* only the If-Range cases are SKIP: the test server has no ranges */
    cr_expect_geq(pass, 32, "%zu cases passed", pass);
    cf_mb_stop(m);
    cf_spec_file_free(f);
}

/* Each misbehaving mode and the cases it must fail. */
static const struct {
    cf_mb_mode mode;
    const char *fails[8];
} broken[] = {
    {CF_MB_COND_IGNORED,
     {"rfc9110-13.1.2-inm-match-304", "rfc9110-13.1.2-inm-star", "rfc9110-13.1.1-im-mismatch",
      "rfc9110-13.1.4-ius-false", "rfc9110-13.2.2-if-match-before-inm"}},
    {CF_MB_COND_304_BARE, {"rfc9110-15.4.5-304-etag"}},
    {CF_MB_COND_STRONG_INM, {"rfc9110-13.1.2-inm-weak-form"}},
    {CF_MB_COND_WEAK_IM, {"rfc9110-13.1.1-im-weak"}},
    {CF_MB_COND_LAX_DATES,
     {"rfc9110-13.1.3-ims-invalid-date", "rfc9110-13.1.3-ims-two-members",
      "rfc9110-13.1.4-ius-list", "rfc9110-13.1.4-ius-invalid"}},
    {CF_MB_COND_IUS_WITH_IM, {"rfc9110-13.1.4-ius-ignored-with-im"}},
    {CF_MB_COND_IMS_WITH_INM, {"rfc9110-13.1.3-ims-ignored-with-inm"}},
    {CF_MB_COND_ON_MISSING, {"rfc9110-13.2.1-missing-if-match-star", "rfc9110-13.2.1-missing-ius"}},
};

Test(run_conditional, each_broken_requirement_fails_its_cases)
{
    cf_spec_file *f = cf_mb_load(SPEC, NULL);
    for (size_t b = 0; b < sizeof broken / sizeof broken[0]; b++) {
        cf_mb *m = cf_mb_start(broken[b].mode);
        cr_assert_not_null(m);
        cf_run_config cfg = config(m);
        for (size_t k = 0; k < 8 && broken[b].fails[k]; k++) {
            char why[512];
            cf_verdict v = cf_mb_run(f, broken[b].fails[k], &cfg, why, sizeof why);
            cr_expect_eq(v, CF_VERDICT_FAIL, "mode %zu, %s: %s %s", b, broken[b].fails[k],
                         cf_verdict_name(v), why);
        }
        cf_mb_stop(m);
    }
    cf_spec_file_free(f);
}

/* A case whose second step sends what the first captured, from header and body. */
static const char capture_yaml[] =
    "spec: 1\ntitle: t\nrfc: 9110\ncases:\n"
    "  - id: c\n    title: t\n    section: \"13.1.2\"\n    level: MUST\n    requirement: r\n"
    "    steps:\n"
    "      - request: {method: GET, target: /, headers: [Host: x]}\n"
    "        expect: {status: 200}\n"
    "        capture: {etag: {header: ETag}, word: {body: '<title>([^<]*)</title>'}%s}\n"
    "      - request: {method: GET, target: /, headers: [Host: x, If-None-Match: "
    "\"{{etag|weak}}\", "
    "X-Word: \"{{word}}\"]}\n"
    "        expect: {status: 304}\n";

Test(run_conditional, captured_values_are_sent_and_shown_in_the_reproduction)
{
    char text[2048];
    snprintf(text, sizeof text, capture_yaml, "");
    cf_spec_file *f = cf_mb_load(NULL, text);
    cf_mb *m = cf_mb_start(CF_MB_VALIDATED);
    cr_assert_not_null(m);
    cf_run_config cfg = config(m);
    cf_case_result r;
    cr_assert_eq(cf_run_case(&f->cases[0], 0, &cfg, &r), 0);
    cr_expect_eq(r.verdict, CF_VERDICT_PASS, "%s", r.error ? r.error : "");
    cr_assert_not_null(r.repro);
    /* the bytes actually sent: the captured tag made weak, the body's title */
    cr_expect(strstr(r.repro, "If-None-Match: W/\"v1\"\\r\\nX-Word: hello\\r\\n") != NULL, "%s",
              r.repro);
    cf_case_result_free(&r);
    cf_mb_stop(m);
    cf_spec_file_free(f);
}

Test(run_conditional, a_capture_that_finds_nothing_is_skip)
{
    char text[2048], why[512];
    snprintf(text, sizeof text, capture_yaml, ", sig: {header: X-Signature}");
    cf_spec_file *f = cf_mb_load(NULL, text);
    cr_expect_eq(run_on(CF_MB_VALIDATED, f, "c", why, sizeof why), CF_VERDICT_SKIP);
    cr_expect_str_eq(why, "not exercised: step 1's response has no X-Signature, so {{sig}} has "
                          "no value");
    cf_spec_file_free(f);
    /* a 200 without ETag: SKIP too, never a FAIL of the step that would send it */
    snprintf(text, sizeof text, capture_yaml, "");
    f = cf_mb_load(NULL, text);
    cr_expect_eq(run_on(CF_MB_CORRECT_DATED, f, "c", why, sizeof why), CF_VERDICT_SKIP);
    cr_expect(strstr(why, "has no ETag, so {{etag}} has no value") != NULL, "%s", why);
    cf_spec_file_free(f);
}
