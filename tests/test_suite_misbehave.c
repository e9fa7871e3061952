/* The bundled cases of specs/rfc9110/trailers.yaml and specs/rfc9112/incomplete.yaml can fail:
 * each FAILs against a test server that breaks the requirement it quotes (misbehave.h, one mode
 * per requirement). That they PASS against a server keeping it is it_suite_builtin's part. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "misbehave.h"
#include "run_case.h"
#include "spec_load.h"
#include "spec_profile.h"

/* Runs the case id of the bundled spec file (under specs/) against a server in mode, with the
 * built-in target's resources (every path reaches the misbehaving server); its verdict. */
static cf_verdict run_bundled(const char *file, const char *id, cf_mb_mode mode)
{
    char path[512];
    snprintf(path, sizeof path, "%s/specs/%s", CF_SOURCE_DIR, file);
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cr_assert_eq(cf_spec_load_file(path, &f, &errs), 0, "%s does not load", path);
    cf_spec_errors_free(&errs);
    const cf_case *c = NULL;
    for (size_t i = 0; i < f->ncases && !c; i++)
        if (!strcmp(f->cases[i].id, id)) c = &f->cases[i];
    cr_assert_not_null(c, "no case %s in %s", id, file);

    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    cf_run_config cfg;
    cf_run_config_default(&cfg);
    char port[8], err[256];
    snprintf(port, sizeof port, "%d", cf_mb_port(m));
    cr_assert_eq(cf_run_target_parse("127.0.0.1:1", &cfg.target, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_set(&cfg.target, "127.0.0.1", port), 0);
    cr_assert_eq(cf_run_target_resolve(&cfg.target, &cfg.addr, 1, err, sizeof err), 1);
    cf_profile prof;
    cr_assert_eq(cf_profile_builtin(&prof), 0);
    cf_profile_apply(&prof, &cfg.target.vars);

    cf_case_result out;
    cr_assert_eq(cf_run_case(c, &cfg, &out), 0);
    cf_verdict v = out.verdict;
    cf_case_result_free(&out);
    cf_mb_stop(m);
    cf_profile_free(&prof);
    cf_spec_file_free(f);
    return v;
}

/* Asserts that every case of ids in file FAILs against mode. */
static void expect_fail(const char *file, const char *const *ids, size_t n, cf_mb_mode mode)
{
    for (size_t i = 0; i < n; i++) {
        cf_verdict v = run_bundled(file, ids[i], mode);
        cr_expect_eq(v, CF_VERDICT_FAIL, "%s: verdict %d, not FAIL", ids[i], (int)v);
    }
}

#define N(a) (sizeof(a) / sizeof(a)[0])

/* RFC 9110 §6.5.1, RFC 9112 §7.1.2: trailer fields merged into the header section; RFC 9110
 * §6.5: a trailer Content-Length or Transfer-Encoding reframing the message. */
Test(suite_misbehave, trailer_merge_fails_every_trailer_case)
{
    static const char *const ids[] = {
        "rfc9110-6.5.1-trailer-content-length-not-merged",
        "rfc9110-6.5.1-trailer-transfer-encoding-not-merged",
        "rfc9110-6.5.1-trailer-host-not-merged",
        "rfc9110-6.5.1-trailer-authorization-not-merged",
        "rfc9110-6.5.1-trailer-content-type-not-merged",
        "rfc9112-7.1.2-trailer-field-not-merged",
        "rfc9110-6.5-trailer-content-length-framing",
        "rfc9110-6.5-trailer-transfer-encoding-framing",
        "rfc9110-6.5-trailer-content-length-echo-pipelined",
    };
    expect_fail("rfc9110/trailers.yaml", ids, N(ids), CF_MB_TRAILER_MERGE);
}

/* RFC 9112 §6.3, §8, §2.1: a request cut short (content or head) answered as if whole. */
Test(suite_misbehave, answering_cut_requests_fails_the_incomplete_cases)
{
    static const char *const ids[] = {
        "rfc9112-6.3-content-length-short-half-close",
        "rfc9112-6.3-content-length-short-silence",
        "rfc9112-6.3-content-length-short-echo",
        "rfc9112-6.3-content-length-swallows-request",
        "rfc9112-6.3-content-length-huge-silence",
        "rfc9112-8-chunked-no-last-chunk-half-close",
        "rfc9112-8-chunked-cut-in-chunk-data",
        "rfc9112-8-chunked-no-last-chunk-silence",
        "rfc9112-8-chunked-no-last-chunk-echo",
        "rfc9112-2.1-head-without-empty-line-half-close",
        "rfc9112-2.1-head-without-empty-line-silence",
        "rfc9112-2.1-incomplete-after-complete",
    };
    expect_fail("rfc9112/incomplete.yaml", ids, N(ids), CF_MB_ANSWERS_CUT);
}

/* RFC 9112 §6.3: the sender closed before the content was whole, and the server never closes. */
Test(suite_misbehave, keeping_the_connection_fails_the_close_cases)
{
    static const char *const ids[] = {
        "rfc9112-6.3-content-length-short-half-close", "rfc9112-6.3-content-length-huge-half-close",
        "rfc9112-6.3-content-length-swallows-request", "rfc9112-8-chunked-no-last-chunk-half-close",
        "rfc9112-8-chunked-cut-in-chunk-data",
    };
    expect_fail("rfc9112/incomplete.yaml", ids, N(ids), CF_MB_IGNORES_FIN);
}
