/* conform fuzz's believable desyncs (fuzz_detect.h, fuzz_lenient.h, fuzz_finding.h): more
 * responses than requests is request smuggling only when conform's strict reading of the bytes
 * sent finds them valid; on bytes it rejects, the server read leniently what the grammar forbids,
 * and the finding is a leniency at the level of the RFC sentence for the rule broken. A response
 * the server cuts short by a close or a reset is a finding of its own. Each exchange is a record
 * made by the collector (collect_fixture.h) and observed as the fuzzer observes it
 * (cf_fuzz_observe). */
#include <criterion/criterion.h>
#include <string.h>

#include "h1_parser.h"
#include "collect_fixture.h"
#include "fuzz_detect.h"
#include "fuzz_finding.h"
#include "fuzz_lenient.h"
#include "fuzz_send_internal.h"
#include "spec_load.h"

#define OK                                                                                         \
    "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n"       \
    "Content-Length: 2\r\n\r\nhi"
/* RFC 9112 §7.1.1: BWS only before ";", so "5 " breaks the chunk-ext rule (CHUNK_EXT); a
 * lenient reader sees two requests. */
#define CHUNK_SP                                                                                   \
    "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"     \
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
/* Valid: one request whose body holds what looks like a second. */
#define SMUGGLED                                                                                   \
    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 28\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
#define TE_CL                                                                                      \
    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"        \
    "0\r\n\r\n"

/* What the fuzzer observes when sent is answered with recv and the connection ends as conn. */
static cf_fuzz_obs observe_end(const char *sent, const char *recv, cf_conn_state conn)
{
    cf_step_result r;
    cf_fixture_step(sent, strlen(sent), recv, strlen(recv), conn, &r);
    cf_fuzz_conf c;
    cf_fuzz_conf_default(&c);
    cf_fuzz_obs o;
    memset(&o, 0, sizeof o);
    o.requests = r.nrequests;
    o.closed = conn == CF_CONN_STATE_CLOSED;
    o.reset = conn == CF_CONN_STATE_RESET;
    cr_assert_eq(cf_fuzz_observe(&c, &r, &o), 0);
    cf_step_result_free(&r);
    return o;
}

/* The same, the server closing the connection. */
static cf_fuzz_obs observe(const char *sent, const char *recv)
{
    return observe_end(sent, recv, CF_CONN_STATE_CLOSED);
}

Test(fuzz_lenient, cut_responses_are_findings_of_their_own)
{
    const char *cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789";
    cf_fuzz_obs o = observe("GET / HTTP/1.1\r\nHost: a\r\n\r\n", cut);
    cr_expect(o.incomplete);
    cr_expect_eq(o.responses, 0);
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_CUT);
    cr_expect_str_eq(cf_fuzz_kind_name(CF_FK_CUT), "cut-response");
    o = observe_end("GET / HTTP/1.1\r\nHost: a\r\n\r\n", cut, CF_CONN_STATE_RESET);
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_RESET);
    /* on bytes the strict reading rejects, which request it answers is a guess: no finding */
    o = observe("GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\r\n", cut);
    cr_expect_eq(o.strict, H1_V_BARE_LF);
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_NONE);
    /* after HEAD, the framing is the server's reading of the request: no finding */
    o = observe("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", cut);
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_NONE);
    /* a close-delimited body ends at the close: whole (RFC 9112 §6.3) */
    o = observe("GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhi");
    cr_expect_not(o.incomplete);
}

Test(fuzz_lenient, extra_answer_to_rejected_bytes_is_a_leniency)
{
    cf_fuzz_obs o = observe(CHUNK_SP, OK OK);
    cr_expect_eq(o.requests, 1, "the strict reading stops at the bad chunk-size");
    cr_expect_eq(o.responses, 2);
    cr_expect_eq(o.strict, H1_V_CHUNK_EXT, "%s", h1_code_name((h1_code)o.strict));
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_LENIENT);
    cr_expect_str_eq(cf_fuzz_kind_name(CF_FK_LENIENT), "lenient");
    /* one answer is no finding at all */
    o = observe(CHUNK_SP, OK);
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_NONE, "%s %s", cf_fuzz_kind_name(cf_fuzz_classify(&o)),
                 o.rule ? o.rule : "");
}

Test(fuzz_lenient, extra_answer_to_valid_bytes_is_smuggling)
{
    cf_fuzz_obs o = observe(SMUGGLED, OK OK);
    cr_expect_eq(o.requests, 1);
    cr_expect_eq(o.strict, 0, "%s", h1_code_name((h1_code)o.strict));
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_DESYNC);
}

Test(fuzz_lenient, te_with_cl_is_a_leniency_at_must)
{
    cf_fuzz_obs o = observe(TE_CL, OK OK);
    cr_expect_eq(o.strict, H1_V_TE_WITH_CL, "%s", h1_code_name((h1_code)o.strict));
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_LENIENT);
    const cf_lenient_rule *r = cf_lenient_rule_of(o.strict);
    cr_expect_str_eq(r->level, "MUST");
    cr_expect_eq(r->rfc, 9112);
    cr_expect_str_eq(r->section, "6.1");
}

/* The finding of kind for bytes, as YAML in *y (loaded back into *file). */
static cf_spec_file *finding(cf_fuzz_kind kind, const char *bytes, cf_buf *y)
{
    cf_finding f = {.kind = kind,
                    .bytes = (const uint8_t *)bytes,
                    .len = strlen(bytes),
                    .origin = "rfc9112-7.1-chunk-size-trailing-space",
                    .detail = "2 responses",
                    .time_limit_ms = 3000};
    cr_assert_eq(cf_finding_yaml(&f, "0badf00d", "127.0.0.1:8080", y), 0);
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cf_spec_file *file = NULL;
    int rc = cf_spec_load_text("finding.yaml", y->ptr, y->len, &file, &errs);
    cr_assert_eq(rc, 0, "%s\n%s", errs.count ? errs.items[0].message : "", y->ptr);
    cf_spec_errors_free(&errs);
    char err[256];
    cr_expect_eq(cf_finding_validate(y->ptr, y->len, f.bytes, f.len, "a", "80", err, sizeof err), 0,
                 "%s", err);
    return file;
}

Test(fuzz_lenient, leniency_case_takes_the_level_of_the_rule)
{
    cf_buf y = {0};
    cf_spec_file *file = finding(CF_FK_LENIENT, CHUNK_SP, &y);
    const cf_case *c = &file->cases[0];
    cr_expect_str_eq(c->id, "finding-lenient-0badf00d");
    cr_expect_eq(c->rfc, 9112);
    cr_expect_str_eq(c->section, "2.2");
    cr_expect_eq(c->level, CF_LEVEL_SHOULD, "the bundled case for this input is a SHOULD too");
    cr_expect(strstr(c->title, "(CHUNK_EXT)") != NULL, "%s", c->title);
    cr_expect(strstr(c->requirement, "the server SHOULD respond with a 400 (Bad Request)") != NULL,
              "%s", c->requirement);
    cr_expect(strstr(y.ptr, "# Strict reading: request 1 of 1 breaks CHUNK_EXT (RFC 9112 "
                            "\xC2\xA7"
                            "7.1.1): the server read it leniently; level SHOULD") != NULL,
              "%s", y.ptr);
    cr_expect(strstr(y.ptr, "smuggling") == NULL, "%s", y.ptr);
    cr_expect_eq(c->steps[0].expect.responses_max, 1, "at most one answer per request read");
    cf_spec_file_free(file);
    cf_buf_free(&y);
    /* the signature is the rule read leniently, whatever the field names */
    cf_finding f = {.kind = CF_FK_LENIENT, .bytes = (const uint8_t *)CHUNK_SP};
    f.len = strlen(CHUNK_SP);
    char sig[128];
    cf_finding_signature(&f, sig, sizeof sig);
    cr_expect_str_eq(sig, "lenient|CHUNK_EXT");
}

Test(fuzz_lenient, desync_case_says_the_strict_reading_agrees)
{
    cf_buf y = {0};
    cf_spec_file *file = finding(CF_FK_DESYNC, SMUGGLED, &y);
    cr_expect_eq(file->cases[0].level, CF_LEVEL_MUST);
    cr_expect_str_eq(file->cases[0].section, "6.3");
    cr_expect(strstr(y.ptr, "# Strict reading: all 1 request(s) valid") != NULL, "%s", y.ptr);
    cf_spec_file_free(file);
    cf_buf_free(&y);
}

/* Every row quotes a sentence whose keyword is its level (but for conform's own limits, which a
 * server may exceed: MAY), and every rule a request can break has a row of its own. */
Test(fuzz_lenient, table_rows_quote_their_level)
{
    unsigned n = 0;
    const cf_lenient_rule *rows = cf_lenient_rules(&n);
    cr_assert_gt(n, 0);
    for (unsigned i = 0; i < n; i++) {
        const cf_lenient_rule *r = &rows[i];
        const char *name = h1_code_name((h1_code)r->code);
        bool known =
            !strcmp(r->level, "MUST") || !strcmp(r->level, "SHOULD") || !strcmp(r->level, "MAY");
        cr_expect(known, "%s: level %s", name, r->level);
        cr_expect(r->rfc == 9110 || r->rfc == 9112, "%s", name);
        if (r->own_limit)
            cr_expect_str_eq(r->level, "MAY", "%s", name);
        else
            cr_expect(strstr(r->quote, r->level) != NULL, "%s: '%s' lacks %s", name, r->quote,
                      r->level);
        cr_expect_eq(cf_lenient_rule_of(r->code), r, "%s has two rows", name);
    }
    for (int code = 1; code < H1_V__COUNT; code++)
        if (h1_code_status((h1_code)code) != 0) /* a request rule */
            cr_expect_eq(cf_lenient_rule_of(code)->code, code, "%s has no row",
                         h1_code_name((h1_code)code));
    cr_expect_str_eq(cf_lenient_rule_of(H1_V_BARE_LF)->level, "MAY");
    cr_expect_str_eq(cf_lenient_rule_of(H1_V_STATUS_CODE)->section, "2.2");
}
