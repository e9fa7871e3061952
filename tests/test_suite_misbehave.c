/* The bundled cases of specs/rfc9110/trailers.yaml and specs/rfc9112/incomplete.yaml can fail:
 * each FAILs against a test server that breaks the requirement it quotes (misbehave.h, one mode
 * per requirement). That they PASS against a server keeping it is it_suite_builtin's part. */
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
