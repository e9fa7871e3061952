/* conform run: one case against each misbehaving server (tests/support/misbehave.h); what the
 * runner observed (cf_step_result) and the verdict it reached. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "misbehave.h"
#include "run_case.h"
#include "run_verdict.h"
#include "spec_load.h"

/* What the step observed, copied out of the cf_step_result in the on_step hook. */
typedef struct seen {
    int calls;
    size_t nresponses, ninterim;
    cf_conn_state conn;
    bool timed_out, not_http, complete;
    int parse_error, status;
    uint64_t raw_total, body_total;
    size_t raw_len, body_len;
    unsigned elapsed_ms, conn_ms;
    cf_cap_hit cap;
    char text[4096]; /* the last step's actual, failed lines, skip, and the case's error */
} seen;

static void on_step(size_t index, const cf_case *c, size_t step, const cf_step_result *r, void *ud)
{
    (void)index;
    (void)c;
    (void)step;
    seen *s = ud;
    s->calls++;
    s->nresponses = r->nresponses;
    s->ninterim = r->ninterim;
    s->conn = r->conn;
    s->timed_out = r->timed_out;
    s->not_http = r->not_http;
    s->parse_error = r->parse_error;
    s->raw_total = r->raw_total;
    s->raw_len = r->raw_len;
    s->elapsed_ms = r->elapsed_ms;
    s->conn_ms = r->conn_ms;
    s->cap = r->cap;
    if (r->nresponses) {
        s->status = r->responses[0].status;
        s->complete = r->responses[0].complete;
        s->body_len = r->responses[0].body_len;
        s->body_total = r->responses[0].body_total;
    }
}

/* Keeps the texts of a result in s->text, one per line: "actual: ...", "failed: ...",
 * "skip: ...", "error: ...". */
static void keep_texts(seen *s, const cf_case_result *out)
{
    size_t n = 0;
    s->text[0] = 0;
    for (size_t i = 0; i < out->nsteps; i++) {
        const cf_step_report *st = &out->steps[i];
        if (st->actual)
            n += (size_t)snprintf(s->text + n, sizeof s->text - n, "actual: %s\n", st->actual);
        for (size_t k = 0; k < st->nfailed && n < sizeof s->text; k++)
            n += (size_t)snprintf(s->text + n, sizeof s->text - n, "failed: %s\n", st->failed[k]);
        if (st->skip && n < sizeof s->text)
            n += (size_t)snprintf(s->text + n, sizeof s->text - n, "skip: %s\n", st->skip);
        if (n >= sizeof s->text) return;
    }
    if (out->error) snprintf(s->text + n, sizeof s->text - n, "error: %s\n", out->error);
}

/* Asserts that the texts of the last run hold needle. */
static void expect_text(const seen *s, const char *needle)
{
    cr_expect(strstr(s->text, needle) != NULL, "\"%s\" not in:\n%s", needle, s->text);
}

/* Runs a one-case spec whose step (send options and expectation: step_yaml, the YAML after the
 * request lines) runs against a server in mode. */
static cf_verdict run_step_yaml(cf_mb_mode mode, const char *step_yaml, cf_run_config *cfg, seen *s,
                                cf_case_result *out)
{
    char text[2048];
    snprintf(text, sizeof text,
             "spec: 1\ntitle: t\nrfc: 9112\ncases:\n"
             "  - id: mb\n    title: t\n    section: \"9\"\n    level: MUST\n"
             "    requirement: r\n    steps:\n"
             "      - lines: [GET / HTTP/1.1, \"Host: {{authority}}\", \"\"]\n"
             "%s",
             step_yaml);
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cr_assert_eq(cf_spec_load_text("mb.yaml", text, strlen(text), &f, &errs), 0);
    cf_spec_errors_free(&errs);
    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    char port[8], err[256];
    snprintf(port, sizeof port, "%d", cf_mb_port(m));
    cr_assert_eq(cf_run_target_parse("127.0.0.1:1", &cfg->target, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_set(&cfg->target, "127.0.0.1", port), 0);
    cr_assert_eq(cf_run_target_resolve(&cfg->target, &cfg->addr, 1, err, sizeof err), 1);
    memset(s, 0, sizeof *s);
    cfg->on_step = on_step;
    cfg->on_step_ud = s;
    cr_assert_eq(cf_run_case(&f->cases[0], 0, cfg, out), 0);
    cf_mb_stop(m);
    keep_texts(s, out);
    cf_verdict v = out->verdict;
    cf_case_result_free(out);
    cf_spec_file_free(f);
    return v;
}

/* Runs a one-step case whose expectation is expect_yaml against a server in mode. */
static cf_verdict run(cf_mb_mode mode, const char *expect_yaml, cf_run_config *cfg, seen *s,
                      cf_case_result *out)
{
    char step[1024];
    snprintf(step, sizeof step, "        expect: %s\n", expect_yaml);
    return run_step_yaml(mode, step, cfg, s, out);
}

static cf_run_config config(void)
{
    cf_run_config cfg;
    cf_run_config_default(&cfg);
    return cfg;
}

Test(run_misbehave, correct_server_passes)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_CORRECT, "{status: 200, body: {equals: ok}}", &cfg, &s, &r),
                 CF_VERDICT_PASS);
    cr_expect_eq(s.nresponses, 1);
    cr_expect(s.complete);
    /* reading stopped once the response was complete: the connection was not watched */
    cr_expect_eq(s.conn, CF_CONN_STATE_NOT_OBSERVED);
    expect_text(&s, "actual: 200 OK\n");
    cr_expect(!s.timed_out);
    cr_expect_lt(s.elapsed_ms, 1000, "the step must end once its response is complete");
}

Test(run_misbehave, silent_server_times_out)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_SILENT, "{status: 200, time_limit_ms: 300}", &cfg, &s, &r),
                 CF_VERDICT_FAIL);
    cr_expect(s.timed_out);
    cr_expect_eq(s.conn, CF_CONN_STATE_OPEN);
    cr_expect_geq(s.conn_ms, 290, "nothing arrived for the whole time limit");
    cr_expect_eq(s.nresponses, 0);
    cr_expect_geq(s.elapsed_ms, 290);
    cr_expect_lt(s.elapsed_ms, 1500);
}

Test(run_misbehave, slow_server_bounded_by_time_limit)
{
    cf_run_config cfg = config();
    cfg.time_limit_ms = 450; /* the runner's default applies: the spec sets none */
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_SLOW, "{status: 200}", &cfg, &s, &r), CF_VERDICT_FAIL);
    cr_expect(s.timed_out);
    cr_expect(s.raw_total >= 3 && s.raw_total <= 7, "%llu bytes in 450 ms",
              (unsigned long long)s.raw_total);
    cr_expect_eq(s.nresponses, 0);
}

Test(run_misbehave, reset_is_told_apart)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_RESET, "{connection: closed, responses: 0}", &cfg, &s, &r),
                 CF_VERDICT_PASS);
    cr_expect_eq(s.conn, CF_CONN_STATE_RESET);
    cr_expect(!s.timed_out);
}

Test(run_misbehave, close_without_response)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_CLOSE, "{status: 200}", &cfg, &s, &r), CF_VERDICT_FAIL);
    cr_expect_eq(s.conn, CF_CONN_STATE_CLOSED);
    cr_expect_eq(s.nresponses, 0);
    cr_expect_eq(s.raw_total, 0);
    cr_expect(!s.timed_out);
    cr_expect(!s.not_http);
}

Test(run_misbehave, garbage_is_not_http)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_GARBAGE, "{status: 200}", &cfg, &s, &r), CF_VERDICT_FAIL);
    cr_expect(s.not_http);
    cr_expect_eq(s.parse_error, H1_V_VERSION);
    cr_expect_eq(s.nresponses, 0);
    cr_expect_lt(s.elapsed_ms, 1000, "nothing more can be parsed: no need to wait");
}

Test(run_misbehave, endless_headers_stop_at_the_field_cap)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    /* over conform's own cap: not exercised, neither "not HTTP" nor a failure */
    cr_expect_eq(run(CF_MB_ENDLESS_HEADERS, "{status: 200}", &cfg, &s, &r), CF_VERDICT_SKIP);
    cr_expect(!s.not_http);
    cr_expect_eq(s.cap, CF_CAP_FIELDS);
    expect_text(&s, "skip: response not observed: response over conform's cap (1000 fields; "
                    "--max-fields)");
    cr_expect_leq(s.raw_len, CF_RUN_MAX_RAW);
}

Test(run_misbehave, endless_headers_stop_at_the_head_cap)
{
    cf_run_config cfg = config();
    cfg.caps.max_head = 4096;
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_ENDLESS_HEADERS, "{status: 200}", &cfg, &s, &r), CF_VERDICT_SKIP);
    cr_expect_eq(s.cap, CF_CAP_HEAD);
    expect_text(&s, "response head over conform's cap (4096 bytes; --max-head)");
}

Test(run_misbehave, many_fields_are_http)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_MANY_FIELDS, "{status: 200, body: {equals: ok}}", &cfg, &s, &r),
                 CF_VERDICT_PASS, "%s", s.text);
    cr_expect(!s.not_http);
    cr_expect(s.complete);
    cfg.caps.max_fields = 100;
    cr_expect_eq(run(CF_MB_MANY_FIELDS, "{status: 200}", &cfg, &s, &r), CF_VERDICT_SKIP);
    expect_text(&s, "response over conform's cap (100 fields; --max-fields)");
    cr_expect(strstr(s.text, "not HTTP") == NULL, "%s", s.text);
}

Test(run_misbehave, huge_body_kept_to_the_cap_counted_whole)
{
    cf_run_config cfg = config();
    cfg.caps.max_total = 64u << 20;
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_HUGE_BODY, "{status: 200, time_limit_ms: 20000}", &cfg, &s, &r),
                 CF_VERDICT_PASS);
    cr_expect(s.complete);
    cr_expect_eq(s.body_total, CF_MB_HUGE_LEN);
    cr_expect_eq(s.body_len, CF_RUN_MAX_BODY);
    cr_expect_eq(s.raw_len, CF_RUN_MAX_RAW);
    cr_expect_geq(s.raw_total, CF_MB_HUGE_LEN);
}

Test(run_misbehave, huge_body_stops_at_total_cap)
{
    cf_run_config cfg = config();
    cfg.caps.max_total = 4u << 20;
    cfg.caps.max_body = 1000;
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_HUGE_BODY, "{status: 200, body: {empty: false}}", &cfg, &s, &r),
                 CF_VERDICT_PASS);
    cr_expect(!s.complete, "reading stopped before the body ended");
    cr_expect_eq(s.cap, CF_CAP_RESPONSE);
    cr_expect_eq(s.conn, CF_CONN_STATE_NOT_OBSERVED);
    cr_expect(strstr(s.text, "incomplete response") == NULL, "cut by conform, not the server");
    cr_expect_eq(s.body_len, 1000);
    cr_expect_geq(s.raw_total, 4u << 20);
    cr_expect_lt(s.raw_total, (4u << 20) + (1u << 17));
}

Test(run_misbehave, short_body_is_incomplete)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_SHORT_BODY, "{responses: 1}", &cfg, &s, &r), CF_VERDICT_FAIL);
    cr_expect_eq(s.conn, CF_CONN_STATE_CLOSED);
    cr_expect_eq(s.nresponses, 1);
    cr_expect(!s.complete);
    cr_expect_eq(s.body_len, 10);
    expect_text(&s, "failed: incomplete response (RFC 9112 \xC2\xA7"
                    "8): Content-Length 100, 10 "
                    "body bytes received, then the server closed the connection");
}

/* One expectation against one server: the verdict, how the connection was observed, and a text
 * the result must hold. */
Test(run_misbehave, verdicts_and_texts)
{
#define CUT                                                                                        \
    "failed: incomplete response (RFC 9112 \xC2\xA7"                                               \
    "8): "
    static const struct {
        cf_mb_mode mode;
        const char *expect;
        cf_verdict verdict;
        cf_conn_state conn;
        const char *text;
    } rows[] = {
        /* the case: status (and headers) alone must not pass an incomplete response */
        {CF_MB_SHORT_BODY, "{status: 200}", CF_VERDICT_FAIL, CF_CONN_STATE_CLOSED,
         CUT "Content-Length 100, 10 body bytes received, then the server closed the connection"},
        {CF_MB_SHORT_BODY, "{sequence: [{status: 200}]}", CF_VERDICT_FAIL, CF_CONN_STATE_CLOSED,
         "failed: response 1: incomplete response"},
        /* silence, the connection kept open */
        {CF_MB_LYING_LENGTH, "{status: 200, time_limit_ms: 300}", CF_VERDICT_FAIL,
         CF_CONN_STATE_OPEN,
         CUT "Content-Length 1000, 10 body bytes received, not finished after "},
        /* bytes keep arriving: the time limit still ends the step */
        {CF_MB_ENDLESS_CHUNKED, "{status: 200, time_limit_ms: 400}", CF_VERDICT_FAIL,
         CF_CONN_STATE_OPEN, CUT "chunked body not finished (no last chunk)"},
        /* asked about the connection, conform watches it and says what it saw */
        {CF_MB_CLOSE_KEPT_OPEN, "{connection: closed, time_limit_ms: 300}", CF_VERDICT_FAIL,
         CF_CONN_STATE_OPEN, "failed: connection: expected closed, still open after "},
        {CF_MB_CLOSE, "{connection: closed, responses: 0}", CF_VERDICT_PASS, CF_CONN_STATE_CLOSED,
         "actual: no response, connection closed after "},
        /* not asked about it, conform does not wait and says nothing of it */
        {CF_MB_CLOSE_KEPT_OPEN, "{status: 200}", CF_VERDICT_PASS, CF_CONN_STATE_NOT_OBSERVED,
         "actual: 200 OK\n"}, /* "Connection: close" then kept open: never "kept open" */
        {CF_MB_CORRECT, "{status: 200}", CF_VERDICT_PASS, CF_CONN_STATE_NOT_OBSERVED,
         "actual: 200 OK\n"},
    };
#undef CUT
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cf_run_config cfg = config();
        seen s;
        cf_case_result r;
        cr_expect_eq(run(rows[i].mode, rows[i].expect, &cfg, &s, &r), rows[i].verdict,
                     "row %zu: %s", i, s.text);
        cr_expect_eq(s.conn, rows[i].conn, "row %zu", i);
        expect_text(&s, rows[i].text);
    }
}

Test(run_misbehave, interim_flood_is_bounded)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_INTERIM_FLOOD, "{status: 200}", &cfg, &s, &r), CF_VERDICT_FAIL);
    cr_expect_eq(s.ninterim, CF_COLLECT_DEFAULT_INTERIM);
    cr_expect_eq(s.nresponses, 0);
    cr_expect_eq(s.cap, CF_CAP_INTERIM);
    expect_text(&s, "interim response flood: 16 1xx responses, no final response (--max-interim)");
    expect_text(&s, "failed: status: expected 200, got only interim 100");
    /* the same flood where the expectation only asks for a 1xx: what it says holds */
    cfg.caps.max_interim = 4;
    cr_expect_eq(run(CF_MB_HINTS_FLOOD, "{status: 1xx}", &cfg, &s, &r), CF_VERDICT_PASS, "%s",
                 s.text);
    /* a 1xx-only expectation is decided by the first interim response: reading stops there (what
     * one read brought), at the latest at the interim cap, never at the byte cap */
    cr_expect(s.ninterim >= 1 && s.ninterim <= 4, "%zu interim responses", s.ninterim);
    cr_expect_lt(s.raw_total, 1u << 20, "reading stopped at the interim cap, not the byte cap");
}

Test(run_misbehave, connection_not_observed_is_a_skip)
{
    cf_run_config cfg = config();
    cfg.caps.max_total = 1u << 20;
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_HUGE_BODY, "{status: 200, connection: open}", &cfg, &s, &r),
                 CF_VERDICT_SKIP);
    cr_expect_eq(s.conn, CF_CONN_STATE_NOT_OBSERVED);
    expect_text(&s, "skip: connection: expected open, not observed: reading stopped at the cap: "
                    "reading stopped at conform's cap of 1048576 bytes (--max-response)");
}

Test(run_misbehave, case_timeout_bounds_sending)
{
    cf_run_config cfg = config();
    cfg.case_timeout_ms = 300;
    seen s;
    cf_case_result r;
    /* 10 pieces 100 ms apart need 900 ms: the case timeout fires while sending */
    cr_expect_eq(run_step_yaml(CF_MB_SILENT,
                               "        split_every: 4\n        delay_ms: 100\n"
                               "        expect: {status: 200}\n",
                               &cfg, &s, &r),
                 CF_VERDICT_ERROR);
    expect_text(&s, "error: case timeout 300 ms reached while sending step 1");
}

Test(run_misbehave, case_timeout_bounds_reading_while_bytes_arrive)
{
    cf_run_config cfg = config();
    cfg.case_timeout_ms = 400;
    seen s;
    cf_case_result r;
    cr_expect_eq(run(CF_MB_ENDLESS_CHUNKED, "{status: 200, time_limit_ms: 5000}", &cfg, &s, &r),
                 CF_VERDICT_ERROR);
    expect_text(&s, "error: case timeout 400 ms reached while reading step 1");
}

Test(run_misbehave, bad_chunk_size_is_not_http)
{
    cf_run_config cfg = config();
    seen s;
    cf_case_result r;
    /* RFC 9112 §8: "decoding a supposedly chunked transfer coding fails": incomplete */
    cr_expect_eq(run(CF_MB_BAD_CHUNK, "{status: 200}", &cfg, &s, &r), CF_VERDICT_FAIL);
    expect_text(&s, "failed: incomplete response (RFC 9112 \xC2\xA7"
                    "8): chunked body not "
                    "finished (no last chunk), 5 body bytes received, then bytes that are not "
                    "HTTP (CHUNK_SIZE)");
    cr_expect(s.not_http);
    cr_expect_eq(s.parse_error, H1_V_CHUNK_SIZE);
    cr_expect_eq(s.nresponses, 1);
    cr_expect(!s.complete);
    cr_expect_eq(s.body_len, 5);
}

Test(run_misbehave, unreachable_is_an_error)
{
    cf_run_config cfg = config();
    char text[] = "spec: 1\ntitle: t\nrfc: 9112\ncases:\n"
                  "  - id: mb\n    title: t\n    section: \"9\"\n    level: MUST\n"
                  "    requirement: r\n    steps:\n"
                  "      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n        expect: {status: 200}\n";
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cr_assert_eq(cf_spec_load_text("mb.yaml", text, strlen(text), &f, &errs), 0);
    cf_spec_errors_free(&errs);
    cf_mb *m = cf_mb_start(CF_MB_CLOSE); /* a port that was just free */
    char port[8], err[256];
    snprintf(port, sizeof port, "%d", cf_mb_port(m));
    cf_mb_stop(m);
    cr_assert_eq(cf_run_target_parse("127.0.0.1:1", &cfg.target, err, sizeof err), 0);
    cf_run_target_set(&cfg.target, "127.0.0.1", port);
    cr_assert_eq(cf_run_target_resolve(&cfg.target, &cfg.addr, 1, err, sizeof err), 1);
    cf_case_result r;
    cr_assert_eq(cf_run_case(&f->cases[0], 0, &cfg, &r), 0);
    cr_expect_eq(r.verdict, CF_VERDICT_ERROR);
    char want[128];
    snprintf(want, sizeof want, "cannot connect to 127.0.0.1:%s: Connection refused", port);
    cr_expect_str_eq(r.error, want);
    cf_case_result_free(&r);
    cf_spec_file_free(f);
}
