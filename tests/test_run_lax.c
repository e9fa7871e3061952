/* The bundled parser-disagreement cases (specs/rfc9112/disagreement.yaml, chunk-lines.yaml,
 * host.yaml, absolute-form.yaml, start-line.yaml) against the origin of tests/support/
 * misbehave_lax.c: each case passes against CF_MB_ORIGIN, which reads requests by the grammar,
 * and fails (FAIL at MUST, WARN at SHOULD) against the CF_MB_LAX_* mode with the leniency the
 * case is about. So every kind of case is shown able to fail, on the server bug it names. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "bundled_case.h"

/* One case, the lax mode that breaks its requirement, and the verdict that earns. */
typedef struct row {
    const char *file, *id;
    cf_mb_mode lax;
    cf_verdict verdict;
} row;

/* Each row's case passes against the strict origin and earns its verdict against the lax one. */
static void check(const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char file[64];
        snprintf(file, sizeof file, "rfc9112/%s", rows[i].file);
        cf_verdict strict = cf_run_bundled(file, rows[i].id, CF_MB_ORIGIN);
        cr_expect_eq(strict, CF_VERDICT_PASS, "%s: %s against the strict origin", rows[i].id,
                     cf_verdict_name(strict));
        cf_verdict lax = cf_run_bundled(file, rows[i].id, rows[i].lax);
        cr_expect_eq(lax, rows[i].verdict, "%s: %s against its lax server, not %s", rows[i].id,
                     cf_verdict_name(lax), cf_verdict_name(rows[i].verdict));
    }
}

#define FAIL CF_VERDICT_FAIL
#define WARN CF_VERDICT_WARN

/* Every kind of case, by the file it is in. */
static const row rows[] = {
    /* Content-Length values */
    /* strtoll base 0 reads "010" as 8: the last 2 octets start the next "request" */
    {"disagreement.yaml", "rfc9112-6.3-content-length-octal-looking", CF_MB_LAX_LENGTH, FAIL},
    {"disagreement.yaml", "rfc9112-6.3-content-length-octal-looking-200", CF_MB_LAX_LENGTH, FAIL},
    {"disagreement.yaml", "rfc9112-6.3-content-length-minus-zero", CF_MB_LAX_LENGTH, FAIL},
    {"disagreement.yaml", "rfc9112-6.3-content-length-underscore", CF_MB_LAX_LENGTH, FAIL},
    {"disagreement.yaml", "rfc9112-6.3-content-length-decimal-point", CF_MB_LAX_LENGTH, FAIL},
    {"disagreement.yaml", "rfc9112-6.3-content-length-ff-before", CF_MB_LAX_LENGTH, FAIL},
    {"disagreement.yaml", "rfc9112-6.3-content-length-nbsp-after", CF_MB_LAX_LENGTH, FAIL},
    {"disagreement.yaml", "rfc9112-5-name-obs-text", CF_MB_LAX_FIELD_NAME, WARN},
    {"disagreement.yaml", "rfc9112-5.1-content-length-ows-htab", CF_MB_LAX_OWS_SP, FAIL},
    /* Transfer-Encoding values */
    {"disagreement.yaml", "rfc9112-6.3-te-nbsp-before-cl", CF_MB_LAX_TE, FAIL},
    {"disagreement.yaml", "rfc9112-6.3-te-vt-after-cl", CF_MB_LAX_TE, FAIL},
    {"disagreement.yaml", "rfc9112-6.3-te-identity-cl", CF_MB_LAX_TE, FAIL},
    {"disagreement.yaml", "rfc9110-5.5-te-nul-after-cl", CF_MB_LAX_TE, FAIL},
    {"disagreement.yaml", "rfc9112-6.1-te-chunked-twice-cl", CF_MB_LAX_TE, FAIL},
    {"disagreement.yaml", "rfc9112-5-te-name-nbsp", CF_MB_LAX_FIELD_NAME, WARN},
    {"disagreement.yaml", "rfc9112-7.1-te-chunked-parameter", CF_MB_LAX_TE, WARN},
    {"disagreement.yaml", "rfc9110-5.6.1.2-te-chunked-empty-element", CF_MB_LAX_TE_EXACT, FAIL},
    /* chunk lines */
    {"chunk-lines.yaml", "rfc9112-7.1-chunk-size-leading-sp", CF_MB_LAX_CHUNK, WARN},
    {"chunk-lines.yaml", "rfc9112-7.1-chunk-size-plus-sign", CF_MB_LAX_CHUNK, WARN},
    {"chunk-lines.yaml", "rfc9112-7.1-extra-crlf-before-last-chunk", CF_MB_LAX_CHUNK, WARN},
    {"chunk-lines.yaml", "rfc9112-7.1-junk-after-last-chunk", CF_MB_LAX_CHUNK, WARN},
    {"chunk-lines.yaml", "rfc9112-7.1-chunk-ext-no-name", CF_MB_LAX_CHUNK, WARN},
    {"chunk-lines.yaml", "rfc9112-7.1-chunk-ext-nul", CF_MB_LAX_CHUNK, WARN},
    {"chunk-lines.yaml", "rfc9112-7.1-chunk-ext-unterminated-quote", CF_MB_LAX_CHUNK, WARN},
    /* the bare CR read as a line end: "hello" becomes chunk-data */
    {"chunk-lines.yaml", "rfc9112-2.2-chunk-size-bare-cr", CF_MB_LAX_CHUNK, FAIL},
    /* Host values */
    {"host.yaml", "rfc9112-3.2-host-userinfo", CF_MB_LAX_HOST, FAIL},
    {"host.yaml", "rfc9112-3.2-host-list", CF_MB_LAX_HOST, FAIL},
    {"host.yaml", "rfc9112-3.2-host-double-port", CF_MB_LAX_HOST, FAIL},
    {"host.yaml", "rfc9112-3.2-host-ipv6-bad-literal", CF_MB_LAX_HOST, FAIL},
    {"host.yaml", "rfc9112-3.2-host-backslash", CF_MB_LAX_HOST, FAIL},
    {"host.yaml", "rfc9112-3.2-host-control", CF_MB_LAX_HOST, FAIL},
    {"host.yaml", "rfc9112-3.2-host-invalid-http10", CF_MB_LAX_HOST, FAIL},
    /* absolute-form */
    /* routed on Host, which the absolute-form makes irrelevant */
    {"absolute-form.yaml", "rfc9112-3.2.2-absolute-form-other-host", CF_MB_LAX_HOST_ROUTES, FAIL},
    {"absolute-form.yaml", "rfc9112-3.2.2-absolute-form-other-port", CF_MB_LAX_HOST_ROUTES, FAIL},
    {"absolute-form.yaml", "rfc9112-3.2.2-absolute-form-empty-host", CF_MB_LAX_HOST_ROUTES, FAIL},
    {"absolute-form.yaml", "rfc9110-7.4-absolute-form-https-without-tls", CF_MB_LAX_HOST, FAIL},
    {"absolute-form.yaml", "rfc9110-4.2.1-absolute-form-empty-host", CF_MB_LAX_HOST, FAIL},
    {"absolute-form.yaml", "rfc9110-4.2.4-absolute-form-userinfo", CF_MB_LAX_HOST, WARN},
    /* request lines */
    {"start-line.yaml", "rfc9112-2.2-http09-simple-request", CF_MB_LAX_HTTP09, WARN},
    {"start-line.yaml", "rfc9112-2.2-version-name-only", CF_MB_LAX_HTTP09, WARN},
    {"start-line.yaml", "rfc9112-2.2-nul-before-request-line", CF_MB_LAX_HTTP09, WARN},
    {"start-line.yaml", "rfc9112-3.2-http2-preface", CF_MB_LAX_HTTP09, WARN},
    {"start-line.yaml", "rfc9112-3-request-line-8000", CF_MB_LAX_SHORT_LINE, WARN},
    /* the valid request's 200 dropped: only the 400 for what followed it */
    {"start-line.yaml", "rfc9112-9.3.2-binary-junk-after-request", CF_MB_LAX_DROP_ON_GARBAGE, FAIL},
    {"start-line.yaml", "rfc9112-9.3.2-tls-hello-after-request", CF_MB_LAX_DROP_ON_GARBAGE, FAIL},
    {"start-line.yaml", "rfc9112-9.3.2-http2-preface-after-request", CF_MB_LAX_DROP_ON_GARBAGE,
     FAIL},
    {"start-line.yaml", "rfc9112-9.3.2-invalid-request-after-request", CF_MB_LAX_DROP_ON_GARBAGE,
     FAIL},
};

Test(run_lax, each_case_passes_strict_and_fails_lax)
{
    check(rows, sizeof rows / sizeof rows[0]);
}
