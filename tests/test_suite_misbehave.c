/* The bundled cases of specs/rfc9110/trailers.yaml and specs/rfc9112/incomplete.yaml, and those of
 * range.yaml, options-head.yaml, methods-origin.yaml, upgrade.yaml and consistency.yaml
 * (specs/rfc9110/), can
 * fail: each FAILs against a test server that breaks the requirement it quotes (misbehave.h, one
 * mode per requirement). That they PASS against a server keeping it is it_suite_builtin's part. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "bundled_case.h"

/* Asserts that every case of ids in file FAILs against mode. */
static void expect_fail(const char *file, const char *const *ids, size_t n, cf_mb_mode mode)
{
    for (size_t i = 0; i < n; i++) {
        cf_verdict v = cf_run_bundled(file, ids[i], mode);
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

/* RFC 9110 ranges (§14), HEAD and OPTIONS (§9.3.2, §8.6), methods at an origin (§9.3.6, §9.3.8,
 * §15.4, §15.5) and Upgrade (§7.8): broken servers and the verdict each case must reach, FAIL for
 * a broken MUST, WARN for a SHOULD; SKIP where the answer does not exercise the case, PASS where
 * the server keeps the requirement the case judges. */
static const struct group {
    cf_mb_mode mode;
    const char *file; /* under specs/ */
    cf_verdict want;
    const char *ids[10]; /* NULL-terminated */
} groups[] = {
    {CF_MB_206_NO_CONTENT_RANGE,
     "rfc9110/range.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-15.3.7.1-single-range-content-range"}},
    {CF_MB_206_SHORT,
     "rfc9110/range.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-15.3.7.1-single-range-content"}},
    {CF_MB_206_ALWAYS,
     "rfc9110/range.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-14.1.2-suffix-range-last-byte", "rfc9110-14.2-range-on-head-ignored",
      "rfc9110-14.2-range-on-post-ignored", "rfc9110-14.2-unknown-unit-ignored",
      "rfc9110-14.1.1-invalid-range-not-206", "rfc9110-13.1.5-if-range-etag-mismatch",
      "rfc9110-13.1.5-if-range-date-mismatch", "rfc9110-13.1.5-if-range-without-range-ignored"}},
    {CF_MB_206_ALWAYS,
     "rfc9110/range.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-14.2-unsatisfiable-range-416"}},
    {CF_MB_206_MULTIPART_RANGE,
     "rfc9110/range.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-15.3.7.2-multipart-no-content-range-in-head",
      "rfc9110-15.3.7.2-single-range-not-multipart"}},
    {CF_MB_206_MULTIPART_RANGE,
     "rfc9110/range.yaml",
     CF_VERDICT_PASS,
     {"rfc9110-15.3.7.2-multipart-boundary"}},
    {CF_MB_206_NO_CONTENT_RANGE,
     "rfc9110/range.yaml",
     CF_VERDICT_SKIP,
     {"rfc9110-15.3.7.2-multipart-part-content-range"}},
    {CF_MB_206_ALWAYS, "rfc9110/range.yaml", CF_VERDICT_SKIP, {"rfc9110-15.3.7-206-carries-etag"}},
    {CF_MB_416_NO_CONTENT_RANGE,
     "rfc9110/range.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-15.5.17-416-content-range"}},
    {CF_MB_HEAD_FEWER_FIELDS,
     "rfc9110/options-head.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-9.3.2-head-content-length-like-get", "rfc9110-9.3.2-head-etag-like-get",
      "rfc9110-9.3.2-head-last-modified-like-get", "rfc9110-9.3.2-head-content-type-like-get"}},
    {CF_MB_NO_LENGTH,
     "rfc9110/options-head.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-8.6-options-content-length", "rfc9110-8.6-options-asterisk-content-length"}},
    {CF_MB_405_NO_ALLOW,
     "rfc9110/options-head.yaml",
     CF_VERDICT_SKIP,
     {"rfc9110-7.6.2-options-max-forwards-zero"}},
    {CF_MB_TRACE_LEAKS,
     "rfc9110/methods-origin.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-9.3.8-trace-excludes-credentials", "rfc9110-9.3.8-trace-reflects"}},
    {CF_MB_405_NO_ALLOW,
     "rfc9110/methods-origin.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-15.5.6-trace-refused-allow", "rfc9110-15.5.6-post-static-allow",
      "rfc9110-15.5.6-put-static-allow", "rfc9110-15.5.6-delete-static-allow-without-delete"}},
    {CF_MB_CONNECT_FRAMED,
     "rfc9110/methods-origin.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-9.3.6-connect-2xx-no-framing", "rfc9110-9.3.6-connect-empty-port-rejected"}},
    {CF_MB_405_WRONG_ALLOW,
     "rfc9110/methods-origin.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-15.5.6-405-allow-lists-get", "rfc9110-15.5.6-delete-static-allow-without-delete"}},
    {CF_MB_206_MULTIPART_RANGE,
     "rfc9110/range.yaml",
     CF_VERDICT_SKIP,
     {"rfc9110-15.3.7.2-multipart-part-content-type"}},
    {CF_MB_MULTIPART_UNTYPED,
     "rfc9110/range.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-15.3.7.2-multipart-part-content-type"}},
    {CF_MB_301_NO_LOCATION,
     "rfc9110/methods-origin.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-15.4-redirect-location"}},
    {CF_MB_401_NO_CHALLENGE,
     "rfc9110/methods-origin.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-15.5.2-401-www-authenticate"}},
    {CF_MB_401_NO_CHALLENGE,
     "rfc9110/options-head.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-9.3.2-head-protected-no-content"}},
    {CF_MB_101_ALWAYS,
     "rfc9110/upgrade.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-7.8-upgrade-http10-ignored", "rfc9110-7.8-upgrade-h2c-http10-ignored",
      "rfc9110-7.8-upgrade-unknown-protocol-no-101", "rfc9110-7.8-101-carries-upgrade"}},
    {CF_MB_426_NO_UPGRADE,
     "rfc9110/upgrade.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-7.8-426-carries-upgrade"}},
    /* values compared with a captured one (consistency.yaml): each differs from the GET's */
    {CF_MB_COND_INCONSISTENT,
     "rfc9110/consistency.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-8.6-head-content-length-equals-get", "rfc9110-8.6-304-content-length-equals-200",
      "rfc9110-15.4.5-304-etag-equals-200", "rfc9110-15.4.5-304-cache-control-like-200",
      "rfc9110-13.1.5-if-range-weak-etag-200", "rfc9110-15.3.7.1-range-bytes-equal-get"}},
    {CF_MB_COND_INCONSISTENT,
     "rfc9110/consistency.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-9.3.2-head-etag-equals-get", "rfc9110-9.3.2-head-last-modified-equals-get",
      "rfc9110-9.3.2-head-content-type-equals-get", "rfc9110-15.5.17-416-complete-length",
      "rfc9110-14.4-206-complete-length"}},
    {CF_MB_COND_INCONSISTENT,
     "rfc9110/consistency.yaml",
     CF_VERDICT_PASS,
     {"rfc9110-13.1.5-if-range-etag-match-206", "rfc9110-13.1.5-if-range-date-match-206"}},
    /* a HEAD without the values: Content-Length may be left out (§8.6), the others not (§9.3.2) */
    {CF_MB_HEAD_FEWER_FIELDS,
     "rfc9110/consistency.yaml",
     CF_VERDICT_PASS,
     {"rfc9110-8.6-head-content-length-equals-get"}},
    {CF_MB_HEAD_FEWER_FIELDS,
     "rfc9110/consistency.yaml",
     CF_VERDICT_WARN,
     {"rfc9110-9.3.2-head-etag-equals-get", "rfc9110-9.3.2-head-content-type-equals-get"}},
    /* a 304 without ETag (§15.4.5), and without Content-Length (§8.6: MAY); a 200 without
     * what a case captures: not exercised */
    {CF_MB_COND_304_BARE,
     "rfc9110/consistency.yaml",
     CF_VERDICT_FAIL,
     {"rfc9110-15.4.5-304-etag-equals-200"}},
    {CF_MB_COND_304_BARE,
     "rfc9110/consistency.yaml",
     CF_VERDICT_PASS,
     {"rfc9110-8.6-304-content-length-equals-200"}},
    {CF_MB_CORRECT_DATED,
     "rfc9110/consistency.yaml",
     CF_VERDICT_SKIP,
     {"rfc9110-9.3.2-head-etag-equals-get", "rfc9110-13.1.5-if-range-etag-match-206",
      "rfc9110-15.4.5-304-etag-equals-200", "rfc9110-15.4.5-304-cache-control-like-200"}},
};

Test(suite_misbehave, semantics_cases_fail_on_their_broken_servers, .timeout = 120)
{
    for (size_t i = 0; i < N(groups); i++)
        for (const char *const *id = groups[i].ids; *id; id++) {
            cf_verdict v = cf_run_bundled(groups[i].file, *id, groups[i].mode);
            cr_expect_eq(v, groups[i].want, "%s against mode %d: verdict %d, not %d", *id,
                         (int)groups[i].mode, (int)v, (int)groups[i].want);
        }
}
