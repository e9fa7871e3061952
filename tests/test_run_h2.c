/* conform run --http2 without a server: which cases can go over HTTP/2 (and the SKIP reason of
 * the others), requests HTTP/2 cannot carry, and the compliance rules that do not apply. The
 * exchanges themselves are tested against nginx (tests/it_h2.sh). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "run_h2.h"
#include "spec_load.h"

static cf_spec_file *load_steps(const char *steps)
{
    char text[4096];
    snprintf(
        text, sizeof text,
        "spec: 1\ntitle: t\nrfc: 9110\ncases:\n  - id: c\n    title: t\n    section: \"9.3.1\"\n"
        "    level: MUST\n    requirement: The GET method requests transfer.\n    steps:\n%s",
        steps);
    cf_spec_file *f = NULL;
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    int rc = cf_spec_load_text("t.yaml", text, strlen(text), &f, &e);
    cr_assert_eq(rc, 0, "%s: %s", steps, e.count ? e.items[0].message : "?");
    cf_spec_errors_free(&e);
    return f;
}

#define GET "{method: GET, target: /, headers: [{Host: \"{{authority}}\"}]}"

Test(run_h2, which_cases_run)
{
    static const struct {
        const char *steps, *why; /* why NULL: runs over HTTP/2 */
    } t[] = {
        {"      - request: " GET "\n        expect: {status: 200}\n", NULL},
        {"      - request: " GET "\n        expect: {status: 200}\n      - request: " GET
         "\n        expect: {status: 200}\n",
         NULL},
        {"      - lines: [GET / HTTP/1.1, \"Host: x\", \"\"]\n        expect: {status: 200}\n",
         "raw HTTP/1.1 bytes"},
        {"      - request: " GET
         "\n        expect: {status: 200}\n      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n"
         "        expect: {status: 400}\n",
         "raw HTTP/1.1 bytes"},
        {"      - pipeline: [{request: " GET "}, {request: " GET
         "}]\n        expect: {status: 200}\n",
         "pipelined"},
        {"      - request: " GET "\n        split: [3]\n        expect: {status: 200}\n",
         "in pieces"},
        {"      - request: " GET "\n        half_close: true\n        expect: {status: 200}\n",
         "half-closed"},
        {"      - request: " GET "\n        expect: {status: 200, connection: closed}\n",
         "connection"},
        {"      - request: " GET "\n      - request: " GET "\n        expect: {status: 200}\n",
         "without reading"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        cf_spec_file *f = load_steps(t[i].steps);
        const char *why = cf_run_h2_unfit(&f->cases[0]);
        if (!t[i].why)
            cr_expect_null(why, "%s: %s", t[i].steps, why);
        else
            cr_expect(why && strstr(why, t[i].why), "%s: %s", t[i].steps, why ? why : "(runs)");
        cf_spec_file_free(f);
    }
}

/* A request-target or version HTTP/2 cannot carry is found once rendered, before any I/O. */
Test(run_h2, requests_http2_cannot_carry)
{
    static const struct {
        const char *request, *why;
    } t[] = {
        {"{method: GET, target: \"http://{{authority}}/\", headers: []}", "absolute or authority"},
        {"{method: CONNECT, target: \"{{authority}}\", headers: []}", "absolute or authority"},
        {"{method: GET, target: /, version: HTTP/1.0, headers: []}", "another version"},
    };
    cf_run_addr a = {.len = sizeof(struct sockaddr_in)};
    struct sockaddr_in *sin = (struct sockaddr_in *)&a.ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(1);
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    snprintf(a.port, sizeof a.port, "1");
    cf_spec_target tg;
    cr_assert_eq(cf_spec_target_init(&tg, "127.0.0.1", "1"), 0);
    cf_collect_caps caps = {
        .max_body = 1024, .max_raw = 1024, .max_total = 1 << 20, .max_fields = 100};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char steps[512];
        snprintf(steps, sizeof steps, "      - request: %s\n        expect: {status: 200}\n",
                 t[i].request);
        cf_spec_file *f = load_steps(steps);
        cr_assert_null(cf_run_h2_unfit(&f->cases[0]));
        cf_h2 *s = cf_h2_open(&a, "127.0.0.1", 100);
        cr_assert_not_null(s);
        cf_step_result res;
        memset(&res, 0, sizeof res);
        char *note = NULL, why[256] = "";
        int rc =
            cf_run_h2_step(s, &f->cases[0].steps[0], &tg, 0, &caps, &res, &note, why, sizeof why);
        cr_expect_eq(rc, 1, "%s: %d %s", t[i].request, rc, why);
        cr_expect(strstr(why, t[i].why), "%s: %s", t[i].request, why);
        cr_expect_eq(res.nresponses, 0);
        cf_h2_close(s);
        cf_step_result_free(&res);
        free(note);
        cf_spec_file_free(f);
    }
}

/* RFC 9112 rules judge HTTP/1.1 syntax and connections: their findings leave an HTTP/2 step,
 * the others stay. */
Test(run_h2, rfc9112_rules_dropped)
{
    cf_obs_finding *fs = calloc(3, sizeof *fs);
    cr_assert_not_null(fs);
    fs[0] = (cf_obs_finding){(unsigned)cf_rule_find("bare-lf", 7), strdup("a")};
    fs[1] = (cf_obs_finding){(unsigned)cf_rule_find("date-missing", 12), strdup("b")};
    fs[2] = (cf_obs_finding){(unsigned)cf_rule_find("obs-fold", 8), strdup("c")};
    cf_obs_answer *an = calloc(1, sizeof *an);
    cr_assert_not_null(an);
    an->findings = fs;
    an->nfindings = 3;
    cf_step_result res = {.answers = an, .nanswers = 1};
    cf_run_h2_filter_rules(&res);
    cr_assert_eq(an->nfindings, 1);
    cr_expect_str_eq(cf_rule_id(an->findings[0].rule), "date-missing");
    cr_expect_str_eq(an->findings[0].message, "b");
    cf_step_result_free(&res);
}
