/* The bundled cases of RFC 9110 ranges, HEAD/OPTIONS, methods and Upgrade (specs/rfc9110/) against
 * servers that break the requirement each case checks (tests/support/misbehave.h): every case must
 * reach the verdict its level gives a broken requirement (FAIL for MUST, WARN for SHOULD), never
 * PASS or SKIP. The same cases pass against conform serve (tests/it_suite_builtin.sh). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "misbehave.h"
#include "run_case.h"
#include "run_verdict.h"
#include "spec_load.h"
#include "spec_profile.h"

/* Broken servers and the bundled cases each must fail (or, where the answer does not exercise a
 * case, SKIP, and where it keeps the requirement, PASS). */
static const struct group {
    cf_mb_mode mode;
    const char *file; /* under specs/rfc9110/ */
    cf_verdict want;
    const char *ids[10]; /* NULL-terminated */
} groups[] = {
    {CF_MB_206_NO_CONTENT_RANGE,
     "range",
     CF_VERDICT_FAIL,
     {"rfc9110-15.3.7.1-single-range-content-range"}},
    {CF_MB_206_SHORT, "range", CF_VERDICT_FAIL, {"rfc9110-15.3.7.1-single-range-content"}},
    {CF_MB_206_ALWAYS,
     "range",
     CF_VERDICT_FAIL,
     {"rfc9110-14.1.2-suffix-range-last-byte", "rfc9110-14.2-range-on-head-ignored",
      "rfc9110-14.2-range-on-post-ignored", "rfc9110-14.2-unknown-unit-ignored",
      "rfc9110-14.1.1-invalid-range-not-206", "rfc9110-13.1.5-if-range-etag-mismatch",
      "rfc9110-13.1.5-if-range-date-mismatch", "rfc9110-13.1.5-if-range-without-range-ignored"}},
    {CF_MB_206_ALWAYS, "range", CF_VERDICT_WARN, {"rfc9110-14.2-unsatisfiable-range-416"}},
    {CF_MB_206_MULTIPART_RANGE,
     "range",
     CF_VERDICT_FAIL,
     {"rfc9110-15.3.7.2-multipart-no-content-range-in-head",
      "rfc9110-15.3.7.2-single-range-not-multipart"}},
    {CF_MB_206_MULTIPART_RANGE, "range", CF_VERDICT_PASS, {"rfc9110-15.3.7.2-multipart-boundary"}},
    {CF_MB_206_NO_CONTENT_RANGE,
     "range",
     CF_VERDICT_SKIP,
     {"rfc9110-15.3.7.2-multipart-part-content-range"}},
    {CF_MB_206_ALWAYS, "range", CF_VERDICT_SKIP, {"rfc9110-15.3.7-206-carries-etag"}},
    {CF_MB_416_NO_CONTENT_RANGE, "range", CF_VERDICT_WARN, {"rfc9110-15.5.17-416-content-range"}},
    {CF_MB_HEAD_FEWER_FIELDS,
     "options-head",
     CF_VERDICT_WARN,
     {"rfc9110-9.3.2-head-content-length-like-get", "rfc9110-9.3.2-head-etag-like-get",
      "rfc9110-9.3.2-head-last-modified-like-get", "rfc9110-9.3.2-head-content-type-like-get"}},
    {CF_MB_NO_LENGTH,
     "options-head",
     CF_VERDICT_WARN,
     {"rfc9110-8.6-options-content-length", "rfc9110-8.6-options-asterisk-content-length"}},
    {CF_MB_405_NO_ALLOW,
     "options-head",
     CF_VERDICT_SKIP,
     {"rfc9110-7.6.2-options-max-forwards-zero"}},
    {CF_MB_TRACE_LEAKS,
     "methods-origin",
     CF_VERDICT_WARN,
     {"rfc9110-9.3.8-trace-excludes-credentials", "rfc9110-9.3.8-trace-reflects"}},
    {CF_MB_405_NO_ALLOW,
     "methods-origin",
     CF_VERDICT_FAIL,
     {"rfc9110-15.5.6-trace-refused-allow", "rfc9110-15.5.6-post-static-allow",
      "rfc9110-15.5.6-put-static-allow", "rfc9110-15.5.6-delete-static-allow-without-delete"}},
    {CF_MB_CONNECT_FRAMED,
     "methods-origin",
     CF_VERDICT_FAIL,
     {"rfc9110-9.3.6-connect-2xx-no-framing", "rfc9110-9.3.6-connect-empty-port-rejected"}},
    {CF_MB_405_WRONG_ALLOW,
     "methods-origin",
     CF_VERDICT_FAIL,
     {"rfc9110-15.5.6-405-allow-lists-get", "rfc9110-15.5.6-delete-static-allow-without-delete"}},
    {CF_MB_206_MULTIPART_RANGE,
     "range",
     CF_VERDICT_SKIP,
     {"rfc9110-15.3.7.2-multipart-part-content-type"}},
    {CF_MB_MULTIPART_UNTYPED,
     "range",
     CF_VERDICT_WARN,
     {"rfc9110-15.3.7.2-multipart-part-content-type"}},
    {CF_MB_301_NO_LOCATION, "methods-origin", CF_VERDICT_WARN, {"rfc9110-15.4-redirect-location"}},
    {CF_MB_401_NO_CHALLENGE,
     "methods-origin",
     CF_VERDICT_FAIL,
     {"rfc9110-15.5.2-401-www-authenticate"}},
    {CF_MB_401_NO_CHALLENGE,
     "options-head",
     CF_VERDICT_FAIL,
     {"rfc9110-9.3.2-head-protected-no-content"}},
    {CF_MB_101_ALWAYS,
     "upgrade",
     CF_VERDICT_FAIL,
     {"rfc9110-7.8-upgrade-http10-ignored", "rfc9110-7.8-upgrade-h2c-http10-ignored",
      "rfc9110-7.8-upgrade-unknown-protocol-no-101", "rfc9110-7.8-101-carries-upgrade"}},
    {CF_MB_426_NO_UPGRADE, "upgrade", CF_VERDICT_FAIL, {"rfc9110-7.8-426-carries-upgrade"}},
};

/* Runs case id of specs/rfc9110/FILE.yaml against a server in mode, with the built-in
 * server's profile (the misbehaving servers answer every path alike). */
static cf_verdict run_bundled(const struct group *r, const char *id, char *why, size_t cap)
{
    char path[512], err[256], port[8];
    snprintf(path, sizeof path, CF_SOURCE_DIR "/specs/rfc9110/%s.yaml", r->file);
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cr_assert_eq(cf_spec_load_file(path, &f, &errs), 0, "%s does not load", path);
    cf_spec_errors_free(&errs);
    const cf_case *c = NULL;
    for (size_t i = 0; i < f->ncases && !c; i++)
        if (!strcmp(f->cases[i].id, id)) c = &f->cases[i];
    cr_assert_not_null(c, "no case %s in %s", id, path);
    cf_mb *m = cf_mb_start(r->mode);
    cr_assert_not_null(m);
    cf_run_config cfg;
    cf_run_config_default(&cfg);
    snprintf(port, sizeof port, "%d", cf_mb_port(m));
    cr_assert_eq(cf_run_target_parse("127.0.0.1:1", &cfg.target, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_set(&cfg.target, "127.0.0.1", port), 0);
    cr_assert_eq(cf_run_target_resolve(&cfg.target, &cfg.addr, 1, err, sizeof err), 1);
    cf_profile prof;
    cr_assert_eq(cf_profile_builtin(&prof), 0);
    cf_profile_apply(&prof, &cfg.target.vars);
    cf_case_result out;
    cr_assert_eq(cf_run_case(c, &cfg, &out), 0);
    cf_mb_stop(m);
    cf_verdict v = out.verdict;
    snprintf(why, cap, "%s", out.skip ? out.skip : out.error ? out.error : "");
    cf_case_result_free(&out);
    cf_profile_free(&prof);
    cf_spec_file_free(f);
    return v;
}

Test(spec_misbehave, each_case_fails_when_its_requirement_is_broken, .timeout = 120)
{
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        for (const char *const *id = groups[i].ids; *id; id++) {
            char why[512];
            cf_verdict v = run_bundled(&groups[i], *id, why, sizeof why);
            cr_expect_eq(v, groups[i].want, "%s against mode %d: %s, not %s (%s)", *id,
                         (int)groups[i].mode, cf_verdict_name(v), cf_verdict_name(groups[i].want),
                         why);
        }
}
