/* conform fuzz's rule findings (lib/fuzz/include/fuzz_rules.h, fuzz_detect.h, fuzz_finding.h):
 * which rule an exchange broke, how it ranks against the other kinds, its signature, and the YAML
 * case it is saved as: loaded by the spec loader, rendering the bytes sent, and judged by the
 * checker so that it fails on a response that breaks the rule and passes on one that keeps it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h1_parser.h"
#include "check.h"
#include "cf_dir.h"
#include "collect_fixture.h"
#include "fuzz_detect.h"
#include "fuzz_finding.h"
#include "fuzz_rules.h"
#include "rules_step.h"
#include "rules.h"
#include "exchange_collect.h"
#include "spec_load.h"

#define D      "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
#define OK     "HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
#define NODATE "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
#define BARELF "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\nhi"
/* A fuzzed input: the authority occurs in it, bytes that need escaping too. */
#define SENT "GET /\x01\xff HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Q: \"\\\"\r\n\r\n"

/* The rule broken first by recv as the answer to sent (the connection then closed). */
static const char *broken(const char *sent, const char *recv, size_t rlen, cf_fuzz_rules *set)
{
    cf_step_result r;
    cf_fixture_step(sent, strlen(sent), recv, rlen, CF_CONN_STATE_CLOSED, &r);
    const char *id = cf_fuzz_rule_broken(&r);
    if (set) cr_assert_eq(cf_fuzz_rules_check(&r, set), 0);
    cf_step_result_free(&r);
    return id;
}

#define RECV(s) s, sizeof(s) - 1

static bool skip_bare_lf(const char *id, void *ud)
{
    (void)ud;
    return strcmp(id, "bare-lf") != 0;
}

Test(fuzz_finding, rule_broken_in_table_order)
{
    cr_expect_null(broken(SENT, RECV(OK), NULL));
    cr_expect_str_eq(broken(SENT, RECV(NODATE), NULL), "date-missing");
    /* bare-lf comes before date-missing in rules.def; a caller skips rules it has a finding for */
    cf_fuzz_rules set;
    const char *nodate_lf = "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\nhi";
    cr_expect_str_eq(broken(SENT, nodate_lf, strlen(nodate_lf), &set), "bare-lf");
    cr_expect(cf_fuzz_rules_has(&set, "date-missing"));
    cr_expect(cf_fuzz_rules_has(&set, "bare-lf"));
    cr_expect_not(cf_fuzz_rules_has(&set, "obs-fold"));
    cr_expect_not(cf_fuzz_rules_has(&set, "no-such-rule"));
    cr_expect_not(cf_fuzz_rules_has(&set, NULL));
    cr_expect_str_eq(cf_fuzz_rules_first(&set, skip_bare_lf, NULL), "date-missing");
    /* a response is judged knowing its request: Content-Length in a 2xx to CONNECT... */
    const char *connect = "CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n";
    const char *cl = "HTTP/1.1 200 OK\r\n" D "Content-Length: 0\r\n\r\n";
    cr_expect_str_eq(broken(connect, cl, strlen(cl), NULL), "content-length-on-connect-2xx");
    cr_expect_null(broken(SENT, cl, strlen(cl), NULL));
    /* ...but when bytes that are no response arrived after an answer to HEAD, the server may not
     * have read a HEAD request at all (as for bad-response): nothing is judged */
    const char *head = "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
    cr_expect_null(broken(head, RECV("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"), NULL));
    cr_expect_str_eq(broken(SENT, RECV("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"), NULL),
                     "date-missing");
}

Test(fuzz_finding, rule_ranks_below_every_other_kind)
{
    cr_expect_str_eq(cf_fuzz_kind_name(CF_FK_RULE), "rule");
    cr_expect_eq(CF_FK_RULE, CF_FK_BAD_RESPONSE + 1);
    cf_fuzz_obs o;
    memset(&o, 0, sizeof o);
    o.requests = o.responses = 1;
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_NONE);
    o.rules.bits[CF_R_DATE_MISSING / 64] |= UINT64_C(1) << (CF_R_DATE_MISSING % 64);
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_NONE, "a rule with a finding already is no finding");
    o.rule = "date-missing";
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_RULE);
    o.responses = 2; /* desync */
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_DESYNC);
    o.responses = 0;
    o.timed_out = true; /* hang */
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_HANG);
    o.timed_out = false;
    o.not_http = true; /* bad response */
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_BAD_RESPONSE);
    o.connect_err = 111; /* crash candidate */
    cr_expect_eq(cf_fuzz_classify(&o), CF_FK_CRASH);
}

static cf_finding rule_finding(const char *rule)
{
    return (cf_finding){.kind = CF_FK_RULE,
                        .bytes = (const uint8_t *)SENT,
                        .len = sizeof SENT - 1,
                        .origin = "rfc9112-5.1-space-before-colon",
                        .seed = 7,
                        .worker = 1,
                        .iteration = 42,
                        .detail = "rule: 200 response without Date",
                        .time_limit_ms = 3000,
                        .rule_id = rule};
}

Test(fuzz_finding, signature_is_the_rule)
{
    cf_finding f = rule_finding("date-missing");
    char sig[256];
    cf_finding_signature(&f, sig, sizeof sig);
    cr_expect_str_eq(sig, "rule|date-missing");
    f.bytes = (const uint8_t *)"GET / HTTP/1.1\r\nZ: 1\r\n\r\n"; /* other bytes, same finding */
    f.len = strlen((const char *)f.bytes);
    cf_finding_signature(&f, sig, sizeof sig);
    cr_expect_str_eq(sig, "rule|date-missing");
    f.kind = CF_FK_DESYNC; /* the other kinds still sign the field names */
    cf_finding_signature(&f, sig, sizeof sig);
    cr_expect_str_eq(sig, "desync|z");
}

Test(fuzz_finding, signature_of_a_bad_response_is_how_it_broke)
{
    cf_finding f = rule_finding(NULL);
    f.kind = CF_FK_BAD_RESPONSE;
    f.rule_id = NULL;
    /* The parser's code 1, BARE_CR (parsers/include/h1_violations.def; its order is pinned by
     * tests/test_violations.c). */
    f.response_error = 1;
    char sig[256];
    const char *want = "bad-response|BARE_CR";
    cf_finding_signature(&f, sig, sizeof sig);
    cr_expect_str_eq(sig, want);
    cr_expect_str_eq(h1_code_name((h1_code)1), "BARE_CR");
    f.bytes = (const uint8_t *)"GET / HTTP/1.1\r\nZ: 1\r\n\r\n"; /* other names, same finding */
    f.len = strlen((const char *)f.bytes);
    cf_finding_signature(&f, sig, sizeof sig);
    cr_expect_str_eq(sig, want);
    f.response_error = 2; /* broken another way: another finding */
    cf_finding_signature(&f, sig, sizeof sig);
    cr_expect_str_neq(sig, want);
    f.response_error = 0; /* how it broke unknown: the field names, as for the other kinds */
    cf_finding_signature(&f, sig, sizeof sig);
    cr_expect_str_eq(sig, "bad-response|z");
}

/* The finding's YAML, loaded. */
static cf_spec_file *load_finding(const cf_finding *f)
{
    cf_buf y = {0};
    cr_assert_eq(cf_finding_yaml(f, "0badf00d", "127.0.0.1:8080", &y), 0);
    char err[256] = "";
    cr_assert_eq(
        cf_finding_validate(y.ptr, y.len, f->bytes, f->len, "127.0.0.1", "8080", err, sizeof err),
        0, "%s\n%.*s", err, (int)y.len, cf_buf_bytes(&y));
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cf_spec_file *file = NULL;
    cr_assert_eq(cf_spec_load_text("f.yaml", y.ptr, y.len, &file, &e), 0);
    cf_spec_errors_free(&e);
    cf_buf_free(&y);
    return file;
}

Test(fuzz_finding, rule_case_takes_the_rules_section_and_level)
{
    cf_finding f = rule_finding("date-missing");
    cf_spec_file *file = load_finding(&f);
    const cf_case *c = &file->cases[0];
    cr_expect_str_eq(c->id, "finding-rule-0badf00d");
    cr_expect_eq(c->rfc, 9110);
    cr_expect_str_eq(c->section, "6.6.1");
    cr_expect_eq(c->level, CF_LEVEL_MUST);
    cr_expect_str_eq(c->title, "A response breaks compliance rule date-missing");
    cr_expect(strstr(c->requirement, "MUST NOT show what compliance rule date-missing finds "
                                     "(RFC 9110 \xC2\xA7"
                                     "6.6.1; docs/rules.md)") != NULL,
              "%s", c->requirement);
    bool tagged = false;
    for (size_t i = 0; i < c->ntags; i++)
        tagged = tagged || !strcmp(c->tags[i], "date-missing");
    cr_expect(tagged);
    const cf_expect *e = &c->steps[0].expect;
    cr_assert_eq(e->ncomplies, 1);
    cr_expect_str_eq(cf_rule_id(e->complies[0]), "date-missing");
    cr_expect(c->steps[0].send.half_close);
    cf_spec_file_free(file);
    /* a SHOULD rule of RFC 9112 */
    f = rule_finding("close-delimited-response");
    file = load_finding(&f);
    cr_expect_eq(file->cases[0].rfc, 9112);
    cr_expect_str_eq(file->cases[0].section, "6.3");
    cr_expect_eq(file->cases[0].level, CF_LEVEL_SHOULD);
    cf_spec_file_free(file);
    /* no rule, no case */
    cf_buf y = {0};
    f.rule_id = "no-such-rule";
    cr_expect_eq(cf_finding_yaml(&f, "0badf00d", "127.0.0.1:8080", &y), -1);
    f.rule_id = NULL;
    cr_expect_eq(cf_finding_yaml(&f, "0badf00d", "127.0.0.1:8080", &y), -1);
    cf_buf_free(&y);
}

Test(fuzz_finding, every_rule_makes_a_valid_case)
{
    for (size_t i = 0; i < cf_rules_count(); i++) {
        cf_finding f = rule_finding(cf_rule_id(i));
        cf_spec_file *file = load_finding(&f);
        const cf_case *c = &file->cases[0];
        char sec[64];
        snprintf(sec, sizeof sec, "RFC %u \xC2\xA7%s", c->rfc, c->section);
        cr_expect_str_eq(sec, cf_rule_section(i));
        cr_expect_str_eq(cf_level_name(c->level), cf_rule_level(i));
        cr_expect_eq(c->steps[0].expect.complies[0], i);
        cf_spec_file_free(file);
    }
}

/* Judges recv as the answer to the finding's own bytes against its expectation, as conform run
 * does: with the record paired with the requests (cf_rules_pair) and unpaired. */
static bool replay(const cf_spec_file *file, const char *recv, size_t rlen)
{
    const cf_step *st = &file->cases[0].steps[0];
    cf_step_result r;
    cf_fixture_step(SENT, sizeof SENT - 1, recv, rlen, CF_CONN_STATE_CLOSED, &r);
    cf_check_outcome o, blind;
    cr_assert_eq(cf_check_step(&st->expect, &r, &blind), 0);
    cr_assert_eq(r.nrequests, 1, "the record holds the request its response answers");
    cr_assert_eq(cf_rules_pair(&r, true, NULL), 0);
    cr_assert_eq(cf_check_step(&st->expect, &r, &o), 0);
    cr_expect_eq(o.pass, blind.pass);
    bool pass = o.pass;
    if (!pass) {
        cr_assert_eq(o.nfailed, 1);
        cr_expect(!strncmp(o.failed[0], "rule ", 5), "%s", o.failed[0]);
    }
    cf_check_outcome_free(&o);
    cf_check_outcome_free(&blind);
    cf_step_result_free(&r);
    return pass;
}

Test(fuzz_finding, rule_case_fails_on_the_bug_and_passes_without)
{
    cf_finding f = rule_finding("date-missing");
    cf_spec_file *file = load_finding(&f);
    cr_expect_not(replay(file, RECV(NODATE)));
    cr_expect(replay(file, RECV(OK)));
    cr_expect(replay(file, "", 0)); /* closed without an answer breaks no rule */
    cf_spec_file_free(file);
    f = rule_finding("bare-lf");
    file = load_finding(&f);
    cr_expect_not(replay(file, RECV(BARELF)));
    cr_expect(replay(file, RECV(NODATE))); /* another rule broken: not this case's */
    cf_spec_file_free(file);
}

/* The 32-bit FNV-1a hash that names finding files: the test vectors of the FNV reference
 * (draft-eastlake-fnv, "" "a" "foobar"), and a signature. */
Test(fuzz_finding, hash_is_fnv1a_32)
{
    static const char *const vec[][2] = {{"", "811c9dc5"},
                                         {"a", "e40c292c"},
                                         {"foobar", "bf9cf968"},
                                         {"rule|date-missing", "31622234"}};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        char hex[9];
        cf_finding_hash(vec[i][0], hex);
        cr_expect_str_eq(hex, vec[i][1], "\"%s\"", vec[i][0]);
    }
}

Test(fuzz_finding, saved_as_rule_file_and_claimed_once)
{
    char dir[] = "/tmp/cf-fuzz-finding-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    cf_findings fs;
    char err[256], path[1200];
    cr_assert_eq(cf_findings_open(&fs, dir, err, sizeof err), 0, "%s", err);
    cr_expect_not(cf_findings_known(&fs, "rule|date-missing"));
    cr_expect(cf_findings_claim(&fs, "rule|date-missing"));
    cr_expect(cf_findings_known(&fs, "rule|date-missing"));
    cr_expect_not(cf_findings_claim(&fs, "rule|date-missing"));
    cr_expect_not(cf_findings_known(&fs, "rule|bare-lf"));
    cf_finding f = rule_finding("date-missing");
    int rc = cf_findings_save(&fs, &f, "127.0.0.1", "8080", path, sizeof path, err, sizeof err);
    cr_assert_eq(rc, 1, "%s", err);
    /* FNV-1a of "rule|date-missing" (docs/commands/fuzz.md), worked out apart from the code */
    char want[1200];
    snprintf(want, sizeof want, "%s/rule-31622234.yaml", dir);
    cr_expect_str_eq(path, want);
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cf_spec_file *file = NULL;
    cr_expect_eq(cf_spec_load_file(path, &file, &e), 0);
    cf_spec_file_free(file);
    cf_spec_errors_free(&e);
    cf_findings_close(&fs);
    unlink(path);
    rmdir(dir);
}

/* A finding file cut short (by a kill or a full disk, before findings were written whole) is
 * not "already saved": the next run that finds the same bug writes it again; a whole one is
 * kept as it is. */
Test(fuzz_finding, a_truncated_finding_is_rewritten_a_whole_one_kept)
{
    char dir[] = "/tmp/cf-fuzz-finding-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    cf_findings fs;
    char err[256], path[1200], want[1200];
    cr_assert_eq(cf_findings_open(&fs, dir, err, sizeof err), 0, "%s", err);
    snprintf(want, sizeof want, "%s/rule-31622234.yaml", dir);
    cf_dir_put(want, "id: finding-rule-3162\nrequests:\n  - bytes: [{lit"); /* cut mid-way */
    cf_finding f = rule_finding("date-missing");
    int rc = cf_findings_save(&fs, &f, "127.0.0.1", "8080", path, sizeof path, err, sizeof err);
    cr_assert_eq(rc, 2, "rewritten over the truncated file (%d: %s)", rc, err);
    cr_assert_str_eq(path, want);
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cf_spec_file *file = NULL;
    cr_expect_eq(cf_spec_load_file(path, &file, &e), 0, "the file loads now");
    cf_spec_file_free(file);
    cf_spec_errors_free(&e);
    rc = cf_findings_save(&fs, &f, "127.0.0.1", "8080", path, sizeof path, err, sizeof err);
    cr_expect_eq(rc, 0, "a whole finding is already saved");
    cr_expect_eq(cf_dir_count(dir), 1, "no temporary file is left beside it");
    cf_findings_close(&fs);
    unlink(path);
    rmdir(dir);
}
