/* The Expect cases (specs/rfc9110/expect.yaml) and the time assertion arrives_within_ms: each case
 * against a server that handles 100-continue as RFC 9110 §10.1.1 says (it passes), and against
 * servers that each break one requirement (the cases judging it FAIL, with the measured time). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "mb_case.h"
#include "run_verdict.h"

#define SPEC CF_SOURCE_DIR "/specs/rfc9110/expect.yaml"

/* A run configuration for the server m, with the resources the Expect modes serve. */
static cf_run_config config(const cf_mb *m)
{
    cf_run_config cfg = cf_mb_config(m);
    cfg.target.vars.resource[CF_RES_BODY] = "/post";
    cfg.target.vars.resource[CF_RES_PAGE] = "/";
    return cfg;
}

Test(run_expect, correct_server_passes_every_case)
{
    cf_spec_file *f = cf_mb_load(SPEC, NULL);
    cf_mb *m = cf_mb_start(CF_MB_CONTINUE);
    cr_assert_not_null(m);
    cf_run_config cfg = config(m);
    for (size_t i = 0; i < f->ncases; i++) {
        char text[1024];
        cf_verdict v = cf_mb_run(f, f->cases[i].id, &cfg, text, sizeof text);
        cr_expect_eq(v, CF_VERDICT_PASS, "%s: %s %s", f->cases[i].id, cf_verdict_name(v), text);
    }
    cf_mb_stop(m);
    cf_spec_file_free(f);
}

static const struct {
    cf_mb_mode mode;
    const char *id, *text;
} broken[] = {
    /* the 100 waits for the content: nothing arrives, and the line says how long was waited */
    {CF_MB_LATE_100, "rfc9110-10.1.1-100-before-content",
     "arrives within 1000 ms: no response arrived within 1000 ms of the step's last byte"},
    {CF_MB_LATE_100, "rfc9110-10.1.1-expect-case-insensitive", "arrives within 1000 ms: "},
    {CF_MB_EXPECT_EXACT, "rfc9110-10.1.1-expect-case-insensitive",
     "status: expected 100-416 or 418-599, got 417"},
    {CF_MB_100_TO_HTTP10, "rfc9110-10.1.1-http10-expect-ignored", "interim-response-to-http10"},
    {CF_MB_100_TO_HTTP10, "rfc9110-15.2-no-1xx-to-http10", "interim-response-to-http10"},
};

Test(run_expect, each_broken_requirement_fails_its_case)
{
    cf_spec_file *f = cf_mb_load(SPEC, NULL);
    for (size_t b = 0; b < sizeof broken / sizeof broken[0]; b++) {
        cf_mb *m = cf_mb_start(broken[b].mode);
        cr_assert_not_null(m);
        cf_run_config cfg = config(m);
        char text[1024];
        cf_verdict v = cf_mb_run(f, broken[b].id, &cfg, text, sizeof text);
        cr_expect_eq(v, CF_VERDICT_FAIL, "%s: %s %s", broken[b].id, cf_verdict_name(v), text);
        cr_expect(strstr(text, broken[b].text) != NULL, "%s: '%s' not in: %s", broken[b].id,
                  broken[b].text, text);
        cf_mb_stop(m);
    }
    cf_spec_file_free(f);
}

/* The brief's form: the interim 100 alone, matched by a 1xx status, within the time. */
static const char interim_yaml[] =
    "spec: 1\ntitle: t\ncases:\n  - id: c\n    title: t\n    steps:\n"
    "      - raw: \"POST /post HTTP/1.1\\r\\nHost: x\\r\\nExpect: 100-continue\\r\\n"
    "Content-Length: 2\\r\\n\\r\\n\"\n"
    "        expect: {status: 100, arrives_within_ms: 1000}\n"
    "      - raw: \"ok\"\n        expect: {status: 200}\n";

Test(run_expect, an_interim_status_and_its_time_limit)
{
    cf_spec_file *f = cf_mb_load(NULL, interim_yaml);
    cr_expect_eq(f->cases[0].steps[0].expect.arrives_within_ms, 1000);
    char text[1024];
    cf_mb *m = cf_mb_start(CF_MB_CONTINUE);
    cf_run_config cfg = config(m);
    cr_expect_eq(cf_mb_run(f, "c", &cfg, text, sizeof text), CF_VERDICT_PASS, "%s", text);
    cf_mb_stop(m);
    m = cf_mb_start(CF_MB_LATE_100);
    cfg = config(m);
    cr_expect_eq(cf_mb_run(f, "c", &cfg, text, sizeof text), CF_VERDICT_FAIL, "%s", text);
    cr_expect(strstr(text, "status: expected 100, no response") != NULL, "%s", text);
    cr_expect(strstr(text, "arrives within 1000 ms: no response arrived") != NULL, "%s", text);
    cf_mb_stop(m);
    cf_spec_file_free(f);
}

Test(run_expect, arrives_within_ms_is_top_level_only)
{
    static const char bad[] = "spec: 1\ntitle: t\ncases:\n  - id: c\n    title: t\n    steps:\n"
                              "      - raw: x\n        premise: {arrives_within_ms: 5}\n"
                              "        expect: {status: 200}\n";
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cr_assert_eq(cf_spec_load_text("t.yaml", bad, strlen(bad), &f, &errs), -1);
    cr_expect(strstr(errs.items[0].message, "unknown key 'arrives_within_ms' in 'premise'") != NULL,
              "%s", errs.items[0].message);
    cf_spec_errors_free(&errs);
}
