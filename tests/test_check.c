/* The expectation checker: every operator passing and failing, the special observations, and
 * the exact expected/actual/failure texts (docs/checks.md). Expectations and results are built by
 * hand with malloc so that cf_expect_free and cf_step_result_free release them (compiled
 * patterns, which a spec file owns, are freed by the suite's fini): in sanitizer
 * builds a leak fails the test (cmake/SanitizerReports.cmake). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1_parser.h"
#include "check.h"

/* ---- building expectations ---------------------------------------------------------------- */

static void *grow(void *arr, size_t *n, size_t size)
{
    char *p = realloc(arr, (*n + 1) * size);
    cr_assert_not_null(p);
    memset(p + *n * size, 0, size);
    (*n)++;
    return p;
}

static uint8_t *dup_bytes(const char *s, size_t len)
{
    uint8_t *p = malloc(len + 1);
    cr_assert_not_null(p);
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

/* Compiled patterns belong to the spec file, not the expectation (cf_expect_free leaves
 * them): the test keeps them here and frees them after each test. */
static pcre2_code *compiled[64];
static size_t ncompiled;

static void free_compiled(void)
{
    while (ncompiled)
        pcre2_code_free(compiled[--ncompiled]);
}

TestSuite(check, .fini = free_compiled);

static pcre2_code *compile(const char *pat, size_t len)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len, 0, &err, &off, NULL);
    cr_assert_not_null(re, "pattern %s", pat);
    cr_assert_lt(ncompiled, sizeof compiled / sizeof *compiled);
    compiled[ncompiled++] = re;
    return re;
}

static void ex_status(cf_expect *e, unsigned lo, unsigned hi)
{
    e->status = grow(e->status, &e->nstatus, sizeof *e->status);
    e->status[e->nstatus - 1] = (cf_status_range){(uint16_t)lo, (uint16_t)hi};
}

/* value: EQUALS bytes or MATCHES pattern (vlen bytes); count for COUNT. */
static void ex_header(cf_expect *e, cf_header_op op, const char *name, const char *value,
                      size_t vlen, size_t count)
{
    e->headers = grow(e->headers, &e->nheaders, sizeof *e->headers);
    cf_header_check *h = &e->headers[e->nheaders - 1];
    h->op = op;
    h->name = strdup(name);
    h->count = count;
    if (op == CF_HDR_EQUALS) {
        h->bytes = dup_bytes(value, vlen);
        h->bytes_len = vlen;
    } else if (op == CF_HDR_MATCHES) {
        h->re = compile(value, vlen);
        h->pattern = (char *)dup_bytes(value, vlen);
    }
}

static void ex_body(cf_expect *e, cf_body_op op, const char *value, size_t vlen, size_t length)
{
    e->body = grow(e->body, &e->nbody, sizeof *e->body);
    cf_body_check *b = &e->body[e->nbody - 1];
    b->op = op;
    b->length = length;
    if (op == CF_BODY_EQUALS || op == CF_BODY_CONTAINS) {
        b->bytes = dup_bytes(value, vlen);
        b->bytes_len = vlen;
    } else if (op == CF_BODY_MATCHES) {
        b->re = compile(value, vlen);
        b->pattern = (char *)dup_bytes(value, vlen);
    }
}

static void ex_responses(cf_expect *e, unsigned lo, unsigned hi)
{
    e->has_responses = true;
    e->responses_min = lo;
    e->responses_max = hi;
}

/* A new alternative / sequence entry; valid until the next one is added. */
static cf_expect *ex_any(cf_expect *e)
{
    e->any_of = grow(e->any_of, &e->nany_of, sizeof *e->any_of);
    return &e->any_of[e->nany_of - 1];
}

static cf_expect *ex_seq(cf_expect *e)
{
    e->sequence = grow(e->sequence, &e->nsequence, sizeof *e->sequence);
    return &e->sequence[e->nsequence - 1];
}

/* ---- building results --------------------------------------------------------------------- */

static cf_obs_response *add_response(cf_obs_response **arr, size_t *n, int status,
                                     const char *reason)
{
    *arr = grow(*arr, n, sizeof **arr);
    cf_obs_response *r = &(*arr)[*n - 1];
    r->status = status;
    r->version = 11;
    r->reason = strdup(reason);
    r->reason_len = strlen(reason);
    r->complete = true;
    return r;
}

static cf_obs_response *rs_add(cf_step_result *r, int status, const char *reason)
{
    return add_response(&r->responses, &r->nresponses, status, reason);
}

static void rs_field(cf_obs_response *r, const char *name, const char *value)
{
    r->fields = grow(r->fields, &r->nfields, sizeof *r->fields);
    cf_obs_field *f = &r->fields[r->nfields - 1];
    f->name = strdup(name);
    f->name_len = strlen(name);
    f->value = strdup(value);
    f->value_len = strlen(value);
}

/* body[0..len) kept of total bytes received. */
static void rs_body(cf_obs_response *r, const char *body, size_t len, uint64_t total)
{
    r->body = dup_bytes(body, len);
    r->body_len = len;
    r->body_total = total;
    r->body_truncated = total > len;
}

/* Runs the checker; the outcome must be freed by the caller. */
static bool judge(const cf_expect *e, const cf_step_result *r, cf_check_outcome *o)
{
    cr_assert_eq(cf_check_step(e, r, o), 0);
    cr_assert_not_null(o->expected);
    cr_assert_not_null(o->actual);
    cr_assert_eq(o->pass, o->nfailed == 0, "pass=%d but %zu failures", o->pass, o->nfailed);
    return o->pass;
}

/* Asserts the outcome's failure lines, in order. */
static void expect_failed(const cf_check_outcome *o, const char *const *lines, size_t n)
{
    for (size_t i = 0; i < o->nfailed && i < n; i++)
        cr_expect_str_eq(o->failed[i], lines[i], "failure %zu", i);
    cr_assert_eq(o->nfailed, n, "%zu failures, expected %zu (first: %s)", o->nfailed, n,
                 o->nfailed ? o->failed[0] : "-");
}

/* ---- status ------------------------------------------------------------------------------- */

Test(check, status_ranges)
{
    static const struct {
        unsigned ranges[3][2];
        size_t n;
        int status;
        const char *failure; /* NULL: passes */
    } rows[] = {
        {{{404, 404}}, 1, 404, NULL},
        {{{400, 499}}, 1, 404, NULL},
        {{{400, 499}}, 1, 500, "status: expected 4xx, got 500"},
        {{{400, 400}, {411, 411}}, 2, 411, NULL},
        {{{400, 400}, {411, 411}}, 2, 200, "status: expected 400 or 411, got 200"},
        {{{200, 200}, {404, 404}, {500, 599}}, 3, 503, NULL},
        {{{200, 200}, {404, 404}, {500, 599}}, 3, 301, "status: expected 200, 404 or 5xx, got 301"},
        {{{400, 417}}, 1, 417, NULL},
        {{{400, 417}}, 1, 418, "status: expected 400-417, got 418"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cf_expect e = {0};
        for (size_t k = 0; k < rows[i].n; k++)
            ex_status(&e, rows[i].ranges[k][0], rows[i].ranges[k][1]);
        cf_step_result r = {0};
        rs_add(&r, rows[i].status, "X");
        cf_check_outcome o;
        cr_expect_eq(judge(&e, &r, &o), rows[i].failure == NULL, "row %zu", i);
        if (rows[i].failure) expect_failed(&o, &rows[i].failure, 1);
        cf_check_outcome_free(&o);
        cf_step_result_free(&r);
        cf_expect_free(&e);
    }
}

/* status all 1xx: headers read that interim response (a 101 and HTTP/2 after it, RFC 9110 §7.8). */
Test(check, headers_of_interim_when_status_is_1xx)
{
    cf_expect e = {0};
    ex_status(&e, 101, 101);
    ex_header(&e, CF_HDR_EQUALS, "Upgrade", "h2c", 3, 0);
    cf_step_result r = {0};
    rs_field(add_response(&r.interim, &r.ninterim, 101, "Switching Protocols"), "Upgrade", "h2c");
    cf_check_outcome o;
    cr_expect(judge(&e, &r, &o));
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    /* another protocol in the 101 fails on it */
    rs_field(add_response(&r.interim, &r.ninterim, 101, "Switching Protocols"), "Upgrade",
             "websocket");
    cr_expect_not(judge(&e, &r, &o));
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

Test(check, status_1xx_matches_interim_response)
{
    cf_expect e = {0};
    ex_status(&e, 100, 100);
    ex_status(&e, 417, 417);
    cf_step_result r = {0};
    add_response(&r.interim, &r.ninterim, 100, "Continue");
    rs_add(&r, 200, "OK")->raw_offset = 25;
    cf_check_outcome o;
    cr_expect(judge(&e, &r, &o));
    cr_expect_str_eq(o.actual, "100 Continue, then 200 OK, connection still open after 0 ms");
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);

    add_response(&r.interim, &r.ninterim, 102, "Processing");
    cr_expect_not(judge(&e, &r, &o));
    const char *want[] = {"status: expected 100 or 417, got only interim 102"};
    expect_failed(&o, want, 1);
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

/* ---- headers ------------------------------------------------------------------------------ */

Test(check, header_operators)
{
    static const struct {
        cf_header_op op;
        const char *name;
        const char *value;
        size_t count;
        const char *failure; /* NULL: passes */
    } rows[] = {
        {CF_HDR_PRESENT, "content-type", NULL, 0, NULL},
        {CF_HDR_PRESENT, "X-Missing", NULL, 0, "header X-Missing: expected present, not found"},
        {CF_HDR_ABSENT, "X-Missing", NULL, 0, NULL},
        {CF_HDR_ABSENT, "Content-Length", NULL, 0,
         "header Content-Length: expected absent, found \"5\""},
        {CF_HDR_EQUALS, "CONTENT-TYPE", "text/plain", 0, NULL},
        {CF_HDR_EQUALS, "Content-Type", "Text/Plain", 0,
         "header Content-Type: expected \"Text/Plain\", found \"text/plain\""},
        /* joined values: trimmed, ", " between field lines, in order (RFC 9110 §5.3) */
        {CF_HDR_EQUALS, "Cache-Control", "no-cache, no-store", 0, NULL},
        {CF_HDR_EQUALS, "Cache-Control", "no-cache", 0,
         "header Cache-Control: expected \"no-cache\", found \"no-cache, no-store\" (2 field "
         "lines)"},
        {CF_HDR_EQUALS, "set-cookie", "a=1, b=2", 0, NULL},
        {CF_HDR_EQUALS, "X-Empty", "", 0, NULL},
        {CF_HDR_EQUALS, "X-Missing", "", 0, "header X-Missing: expected \"\", not found"},
        {CF_HDR_MATCHES, "content-type", "^text/", 0, NULL},
        {CF_HDR_MATCHES, "Content-Type", "^TEXT", 0,
         "header Content-Type: expected to match /^TEXT/, found \"text/plain\""},
        {CF_HDR_MATCHES, "cache-control", "cache, no-", 0, NULL},
        {CF_HDR_MATCHES, "cache-control", "^no-store", 0,
         "header cache-control: expected to match /^no-store/, found \"no-cache, no-store\" (2 "
         "field lines)"},
        {CF_HDR_MATCHES, "X-Missing", ".*", 0,
         "header X-Missing: expected to match /.*/, not found"},
        {CF_HDR_COUNT, "Set-Cookie", NULL, 2, NULL},
        {CF_HDR_COUNT, "Set-Cookie", NULL, 1, "header Set-Cookie: expected 1 field line, found 2"},
        {CF_HDR_COUNT, "X-Missing", NULL, 0, NULL},
        {CF_HDR_COUNT, "content-length", NULL, 0,
         "header content-length: expected 0 field lines, found 1"},
    };
    cf_step_result r = {0};
    cf_obs_response *resp = rs_add(&r, 200, "OK");
    rs_field(resp, "Content-Type", "text/plain");
    rs_field(resp, "Cache-Control", "no-cache");
    rs_field(resp, "Set-Cookie", "a=1");
    rs_field(resp, "cache-control", " no-store\t");
    rs_field(resp, "SET-COOKIE", "\tb=2 ");
    rs_field(resp, "X-Empty", "");
    rs_field(resp, "Content-Length", "5");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cf_expect e = {0};
        const char *v = rows[i].value ? rows[i].value : "";
        ex_header(&e, rows[i].op, rows[i].name, v, strlen(v), rows[i].count);
        cf_check_outcome o;
        cr_expect_eq(judge(&e, &r, &o), rows[i].failure == NULL, "row %zu", i);
        if (rows[i].failure) expect_failed(&o, &rows[i].failure, 1);
        cf_check_outcome_free(&o);
        cf_expect_free(&e);
    }
    cf_step_result_free(&r);
}

Test(check, header_values_escaped_and_capped)
{
    cf_step_result r = {0};
    cf_obs_response *resp = rs_add(&r, 200, "OK");
    rs_field(resp, "X-Bin", "a\"b\\c\x01\x7f\xe9");
    char long_value[201];
    memset(long_value, 'v', 200);
    long_value[200] = 0;
    rs_field(resp, "X-Long", long_value);
    cf_expect e = {0};
    ex_header(&e, CF_HDR_ABSENT, "X-Bin", "", 0, 0);
    ex_header(&e, CF_HDR_ABSENT, "X-Long", "", 0, 0);
    cf_check_outcome o;
    cr_expect_not(judge(&e, &r, &o));
    char want_long[200];
    snprintf(want_long, sizeof want_long,
             "header X-Long: expected absent, found \"%.80s\"\xE2\x80\xA6(200 bytes)", long_value);
    const char *want[] = {"header X-Bin: expected absent, found \"a\\\"b\\\\c\\x01\\x7F\\xE9\"",
                          want_long};
    expect_failed(&o, want, 2);
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

/* ---- body --------------------------------------------------------------------------------- */

/* A pattern that backtracks exponentially stops at the match limit (with and without JIT) and
 * fails its check with a clear text, instead of running for minutes. */
Test(check, regex_match_limit_fails_the_check, .timeout = 30)
{
    char body[64];
    memset(body, 'a', 40);
    body[40] = 'b';
    for (int jit = 0; jit < 2; jit++) {
        cf_expect e = {0};
        ex_body(&e, CF_BODY_MATCHES, "^(a+)+$", 7, 0);
        if (jit) pcre2_jit_compile(e.body[0].re, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
        cf_step_result r = {0};
        rs_body(rs_add(&r, 200, "OK"), body, 41, 41);
        cf_check_outcome o;
        cr_expect_not(judge(&e, &r, &o), "jit %d", jit);
        cr_assert_eq(o.nfailed, 1);
        cr_expect(strstr(o.failed[0], "regular expression hit its match limit") != NULL,
                  "jit %d: %s", jit, o.failed[0]);
        cf_check_outcome_free(&o);
        cf_step_result_free(&r);
        cf_expect_free(&e);
    }
}

Test(check, body_operators)
{
    static const struct {
        cf_body_op op;
        const char *value; /* EQUALS/CONTAINS bytes, MATCHES pattern */
        size_t length;
        const char *body;
        size_t total; /* body_total; more than strlen(body): truncated by the cap */
        bool incomplete;
        const char *failure; /* NULL: passes */
        const char *skip;    /* with failure NULL: not judged, why (conform's body cap) */
    } rows[] = {
        {CF_BODY_EQUALS, "hello", 0, "hello", 5, false, NULL, NULL},
        {CF_BODY_EQUALS, "hello", 0, "hellO", 5, false, "body: expected \"hello\", found \"hellO\"",
         NULL},
        {CF_BODY_EQUALS, "hello", 0, "hello!", 6, false,
         "body: expected \"hello\", found \"hello!\"", NULL},
        {CF_BODY_EQUALS, "hello", 0, "hel", 5, false, NULL,
         "body: expected \"hello\", not judged: body kept to 3 of 5 bytes (--max-body)"},
        {CF_BODY_EQUALS, "hello", 0, "xel", 5, false,
         "body: expected \"hello\", found \"xel\"\xE2\x80\xA6(5 bytes)", NULL},
        {CF_BODY_EQUALS, "hello", 0, "hel", 3, true,
         "body: expected \"hello\", cannot pass: response incomplete (3 body bytes received)",
         NULL},
        {CF_BODY_CONTAINS, "ll", 0, "hello", 5, false, NULL, NULL},
        {CF_BODY_CONTAINS, "zz", 0, "hello", 5, false,
         "body: expected to contain \"zz\", not found in 5 bytes", NULL},
        {CF_BODY_CONTAINS, "el", 0, "hel", 100, false, NULL, NULL},
        {CF_BODY_CONTAINS, "zz", 0, "hel", 100, false, NULL,
         "body: expected to contain \"zz\", not judged: body kept to 3 of 100 bytes (--max-body)"},
        {CF_BODY_MATCHES, "l+o$", 0, "hello", 5, false, NULL, NULL},
        {CF_BODY_MATCHES, "^ello", 0, "hello", 5, false,
         "body: expected to match /^ello/, found \"hello\"", NULL},
        {CF_BODY_MATCHES, "^he", 0, "hel", 5, false, NULL, NULL},
        /* on a truncated body, $ could hold on the prefix but not on the whole body */
        {CF_BODY_MATCHES, "^hel$", 0, "hel", 5, false, NULL,
         "body: expected to match /^hel$/, not judged: body kept to 3 of 5 bytes (--max-body)"},
        {CF_BODY_MATCHES, "(?i)HELLO", 0, "hello", 5, false, NULL, NULL},
        {CF_BODY_LENGTH, NULL, 5, "hello", 5, false, NULL, NULL},
        {CF_BODY_LENGTH, NULL, 4, "hello", 5, false, "body: expected 4 bytes, found 5", NULL},
        {CF_BODY_LENGTH, NULL, 100000, "hel", 100000, false, NULL, NULL},
        {CF_BODY_LENGTH, NULL, 5, "hel", 3, true,
         "body: expected 5 bytes, cannot pass: response incomplete (3 body bytes received)", NULL},
        {CF_BODY_LENGTH, NULL, 2, "hel", 3, true, "body: expected 2 bytes, found 3 so far", NULL},
        {CF_BODY_EMPTY, NULL, 0, "", 0, false, NULL, NULL},
        {CF_BODY_EMPTY, NULL, 0, "hello", 5, false,
         "body: expected empty, found 5 bytes: \"hello\"", NULL},
        {CF_BODY_EMPTY, NULL, 0, "", 0, true,
         "body: expected empty, cannot pass: response incomplete (0 body bytes received)", NULL},
        {CF_BODY_NONEMPTY, NULL, 0, "x", 1, false, NULL, NULL},
        {CF_BODY_NONEMPTY, NULL, 0, "", 0, false, "body: expected non-empty, found empty", NULL},
        /* an incomplete response never passes (RFC 9112 §8): its own line follows */
        {CF_BODY_NONEMPTY, NULL, 0, "x", 1, true,
         "incomplete response (RFC 9112 \xC2\xA7"
         "8): "
         "Content-Length 9, 1 body bytes received, then the server closed the connection",
         NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cf_expect e = {0};
        const char *v = rows[i].value ? rows[i].value : "";
        ex_body(&e, rows[i].op, v, strlen(v), rows[i].length);
        cf_step_result r = {0};
        cf_obs_response *resp = rs_add(&r, 200, "OK");
        rs_body(resp, rows[i].body, strlen(rows[i].body), rows[i].total);
        resp->complete = !rows[i].incomplete;
        resp->framing = H1_FRAMING_LENGTH;
        resp->content_length = 9;
        r.conn = CF_CONN_STATE_CLOSED;
        cf_check_outcome o;
        cr_expect_eq(judge(&e, &r, &o), rows[i].failure == NULL, "row %zu", i);
        /* an incomplete response also fails on its own line (RFC 9112 §8) */
        char cut[160];
        snprintf(cut, sizeof cut,
                 "incomplete response (RFC 9112 \xC2\xA7"
                 "8): Content-Length 9, %zu body bytes "
                 "received, then the server closed the connection",
                 (size_t)rows[i].total);
        const char *both[] = {rows[i].failure, cut};
        bool own = rows[i].failure && !strcmp(rows[i].failure, cut);
        if (rows[i].failure) expect_failed(&o, both, rows[i].incomplete && !own ? 2 : 1);
        if (rows[i].skip)
            cr_expect_str_eq(o.skip, rows[i].skip, "row %zu", i);
        else
            cr_expect_null(o.skip, "row %zu: %s", i, o.skip);
        cf_check_outcome_free(&o);
        cf_step_result_free(&r);
        cf_expect_free(&e);
    }
}

Test(check, body_regex_and_bytes_are_binary)
{
    static const char body[] = "a\xff\0\r\nb";
    static const char pattern[] = "\xff\0\r\n"; /* a literal NUL inside the pattern */
    cf_expect e = {0};
    ex_body(&e, CF_BODY_MATCHES, pattern, sizeof pattern - 1, 0);
    ex_body(&e, CF_BODY_CONTAINS, "\0\r", 2, 0);
    ex_body(&e, CF_BODY_EQUALS, body, sizeof body - 1, 0);
    ex_body(&e, CF_BODY_LENGTH, NULL, 0, 6);
    cf_step_result r = {0};
    rs_body(rs_add(&r, 200, "OK"), body, sizeof body - 1, sizeof body - 1);
    cf_check_outcome o;
    cr_expect(judge(&e, &r, &o));
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);

    rs_body(rs_add(&r, 200, "OK"), "a\xff \r\nb", 6, 6);
    cr_expect_not(judge(&e, &r, &o));
    const char *want[] = {
        "body: expected to match /\\xFF/, found \"a\\xFF \\r\\nb\"",
        "body: expected to contain \"\\x00\\r\", not found in 6 bytes",
        "body: expected \"a\\xFF\\x00\\r\\nb\", found \"a\\xFF \\r\\nb\"",
    };
    expect_failed(&o, want, 3);
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

/* ---- connection, responses, no response --------------------------------------------------- */

Test(check, connection_closed_open_reset)
{
    static const struct {
        cf_conn_expect want;
        cf_conn_state got;
        const char *failure;
    } rows[] = {
        {CF_CONN_CLOSED, CF_CONN_STATE_CLOSED, NULL},
        {CF_CONN_CLOSED, CF_CONN_STATE_RESET, NULL},
        {CF_CONN_CLOSED, CF_CONN_STATE_OPEN,
         "connection: expected closed, still open after 2000 ms"},
        {CF_CONN_OPEN, CF_CONN_STATE_OPEN, NULL},
        {CF_CONN_OPEN, CF_CONN_STATE_CLOSED, "connection: expected open, closed by the server"},
        {CF_CONN_OPEN, CF_CONN_STATE_RESET, "connection: expected open, reset by the server"},
        {CF_CONN_ANY, CF_CONN_STATE_RESET, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cf_expect e = {.connection = rows[i].want};
        cf_step_result r = {.conn = rows[i].got, .elapsed_ms = 3000, .conn_ms = 2000};
        cf_check_outcome o;
        cr_expect_eq(judge(&e, &r, &o), rows[i].failure == NULL, "row %zu", i);
        if (rows[i].failure) expect_failed(&o, &rows[i].failure, 1);
        cf_check_outcome_free(&o);
    }
}

Test(check, responses_count_counts_complete_responses)
{
    static const struct {
        unsigned lo, hi, complete, incomplete;
        const char *failure;
    } rows[] = {
        {1, 1, 1, 0, NULL},
        {0, 1, 0, 0, NULL},
        {0, 1, 2, 0, "responses: expected 0-1, got 2"},
        {2, 2, 1, 1, "responses: expected 2, got 1 (and 1 incomplete)"},
        /* not counted, but an incomplete response is never a pass (RFC 9112 §8) */
        {0, 0, 0, 1,
         "incomplete response (RFC 9112 \xC2\xA7"
         "8): body delimited by close, 0 bytes "
         "received, not finished after 0 ms"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cf_expect e = {0};
        ex_responses(&e, rows[i].lo, rows[i].hi);
        cf_step_result r = {0};
        for (unsigned k = 0; k < rows[i].complete; k++)
            rs_add(&r, 200, "OK");
        for (unsigned k = 0; k < rows[i].incomplete; k++)
            rs_add(&r, 200, "OK")->complete = false;
        cf_check_outcome o;
        cr_expect_eq(judge(&e, &r, &o), rows[i].failure == NULL, "row %zu", i);
        const char *want[] = {rows[i].failure, "incomplete response (RFC 9112 \xC2\xA7"
                                               "8): body delimited by "
                                               "close, 0 bytes received, not finished after 0 ms"};
        bool own = rows[i].failure && !strcmp(rows[i].failure, want[1]);
        if (rows[i].failure) expect_failed(&o, want, rows[i].incomplete && !own ? 2 : 1);
        cf_check_outcome_free(&o);
        cf_step_result_free(&r);
        cf_expect_free(&e);
    }
}

/* A pipelined response cut short fails the step even when no check looks at it; one still
 * arriving when the expectation had what it needed, or hidden by a cap, was not observed. */
Test(check, any_incomplete_response_fails_unless_unobserved)
{
    cf_expect e = {0};
    ex_status(&e, 200, 200);
    cf_step_result r = {.conn = CF_CONN_STATE_RESET};
    rs_add(&r, 200, "OK");
    cf_obs_response *cut = rs_add(&r, 200, "OK");
    cut->complete = false;
    cut->framing = H1_FRAMING_CHUNKED;
    rs_body(cut, "abc", 3, 3);
    cf_check_outcome o;
    cr_expect_not(judge(&e, &r, &o));
    const char *want[] = {"response 2: incomplete response (RFC 9112 \xC2\xA7"
                          "8): chunked body not finished (no last chunk), 3 body bytes "
                          "received, then the server reset the connection"};
    expect_failed(&o, want, 1);
    cf_check_outcome_free(&o);
    r.settled = true;
    r.conn = CF_CONN_STATE_NOT_OBSERVED;
    cr_expect(judge(&e, &r, &o));
    cr_expect_null(o.skip);
    cf_check_outcome_free(&o);
    r.settled = false;
    r.cap = CF_CAP_RESPONSE;
    r.cap_value = 100;
    cr_expect(judge(&e, &r, &o));
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

Test(check, no_response_fails_status_headers_body)
{
    cf_expect e = {0};
    ex_status(&e, 400, 400);
    ex_header(&e, CF_HDR_ABSENT, "Content-Length", "", 0, 0);
    ex_body(&e, CF_BODY_EMPTY, NULL, 0, 0);
    cf_step_result r = {.conn = CF_CONN_STATE_RESET, .elapsed_ms = 12};
    cf_check_outcome o;
    cr_expect_not(judge(&e, &r, &o));
    const char *want[] = {"status: expected 400, no response",
                          "header Content-Length: expected absent, no response",
                          "body: expected empty, no response"};
    expect_failed(&o, want, 3);
    cr_expect_str_eq(o.expected, "status 400; header Content-Length absent; body empty");
    cr_expect_str_eq(o.actual, "no response, connection reset after 0 ms");
    cf_check_outcome_free(&o);
    cf_expect_free(&e);
}

/* ---- sequence and any_of ------------------------------------------------------------------ */

Test(check, sequence_checks_the_ith_response)
{
    cf_expect e = {0};
    ex_status(ex_seq(&e), 200, 299);
    cf_expect *s2 = ex_seq(&e);
    ex_status(s2, 200, 200);
    ex_body(s2, CF_BODY_EQUALS, "b", 1, 0);
    ex_status(ex_seq(&e), 200, 200);
    cf_step_result r = {0};
    rs_body(rs_add(&r, 204, "No Content"), "", 0, 0);
    rs_body(rs_add(&r, 200, "OK"), "b", 1, 1);
    rs_add(&r, 200, "OK");
    cf_check_outcome o;
    cr_expect(judge(&e, &r, &o));
    cr_expect_str_eq(o.expected,
                     "response 1: status 2xx; response 2: status 200 and body equals \"b\"; "
                     "response 3: status 200");
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);

    rs_add(&r, 200, "OK");
    rs_body(rs_add(&r, 404, "Not Found"), "nope", 4, 4);
    cr_expect_not(judge(&e, &r, &o));
    const char *want[] = {"response 2: status: expected 200, got 404",
                          "response 2: body: expected \"b\", found \"nope\"",
                          "response 3: status: expected 200, no response"};
    expect_failed(&o, want, 3);
    cr_expect_str_eq(o.actual, "200 OK, then 404 Not Found, connection still open after 0 ms");
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

/* The typical "reject with 400 or close" case of docs/spec-format.md. */
static void reject_or_close(cf_expect *e)
{
    ex_status(ex_any(e), 400, 400);
    cf_expect *alt = ex_any(e);
    alt->connection = CF_CONN_CLOSED;
    ex_responses(alt, 0, 0);
}

Test(check, any_of_one_holds)
{
    cf_expect e = {0};
    reject_or_close(&e);
    cf_step_result r = {.conn = CF_CONN_STATE_CLOSED};
    cf_check_outcome o;
    cr_expect(judge(&e, &r, &o)); /* the second alternative */
    cf_check_outcome_free(&o);
    rs_add(&r, 400, "Bad Request");
    r.conn = CF_CONN_STATE_OPEN;
    cr_expect(judge(&e, &r, &o)); /* the first */
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

Test(check, any_of_none_holds_texts)
{
    cf_expect e = {0};
    reject_or_close(&e);
    cf_step_result r = {.elapsed_ms = 3000, .conn_ms = 3000};
    rs_add(&r, 200, "OK");
    cf_check_outcome o;
    cr_expect_not(judge(&e, &r, &o));
    cr_expect_str_eq(o.expected, "status 400, or connection closed without a response");
    cr_expect_str_eq(o.actual, "200 OK, connection still open after 3000 ms");
    const char *want[] = {"alternative 1: status: expected 400, got 200",
                          "alternative 2: connection: expected closed, still open after 3000 ms",
                          "alternative 2: responses: expected 0, got 1"};
    expect_failed(&o, want, 3);
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

Test(check, any_of_holds_but_top_level_fails)
{
    cf_expect e = {0};
    ex_header(&e, CF_HDR_EQUALS, "Connection", "close", 5, 0);
    reject_or_close(&e);
    cf_step_result r = {0};
    cf_obs_response *resp = rs_add(&r, 400, "Bad Request");
    rs_field(resp, "Connection", "keep-alive");
    cf_check_outcome o;
    cr_expect_not(judge(&e, &r, &o));
    const char *want[] = {"header Connection: expected \"close\", found \"keep-alive\""};
    expect_failed(&o, want, 1);
    cr_expect_str_eq(o.expected, "header Connection equals \"close\"; either status 400, or "
                                 "connection closed without a response");
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cf_expect_free(&e);
}

/* ---- special observations in "actual" ----------------------------------------------------- */

Test(check, actual_timed_out)
{
    cf_expect e = {0};
    ex_status(&e, 400, 499);
    ex_status(&e, 500, 599);
    cf_step_result r = {.timed_out = true, .elapsed_ms = 5000, .conn_ms = 5000};
    cf_check_outcome o;
    cr_expect_not(judge(&e, &r, &o));
    cr_expect_str_eq(o.expected, "status 4xx or 5xx");
    cr_expect_str_eq(
        o.actual,
        "no response, timed out after 5000 ms waiting for a response, connection still open after "
        "5000 ms");
    cf_check_outcome_free(&o);
    cf_expect_free(&e);
}

Test(check, actual_not_http)
{
    static const char raw[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\nmore bytes after";
    cf_expect e = {0};
    ex_status(&e, 400, 400);
    cf_step_result r = {.not_http = true,
                        .parse_error = H1_V_VERSION,
                        .conn = CF_CONN_STATE_CLOSED,
                        .raw = dup_bytes(raw, sizeof raw - 1),
                        .raw_len = sizeof raw - 1,
                        .raw_total = sizeof raw - 1};
    cf_check_outcome o;
    cr_expect_not(judge(&e, &r, &o));
    cr_expect_str_eq(o.actual, "not HTTP (VERSION at byte 0): \"SSH-2.0-OpenSSH_9.2p1 "
                               "Debian-2+deb12u2\\r\\n\"\xE2\x80\xA6(56 bytes), connection closed "
                               "after 0 ms");
    const char *want[] = {"status: expected 400, no response"};
    expect_failed(&o, want, 1);
    cf_check_outcome_free(&o);
    cf_step_result_free(&r);
    cr_expect_null(r.raw);
    cf_expect_free(&e);
}

Test(check, actual_lists_incomplete_and_many_responses)
{
    cf_step_result r = {.conn = CF_CONN_STATE_CLOSED, .conn_ms = 3};
    for (int i = 0; i < 5; i++)
        rs_add(&r, 200 + i, i == 1 ? "" : "R")->raw_offset = (size_t)i * 10;
    r.responses[0].complete = false;
    char *s = cf_step_result_describe(&r);
    cr_expect_str_eq(s, "200 R (incomplete), then 201, then 202 R, then 203 R, ... (5 responses in "
                        "all), connection closed 3 ms after the last response");
    free(s);
    cf_step_result_free(&r);
}

/* ---- describing expectations -------------------------------------------------------------- */

Test(check, describe_every_operator)
{
    cf_expect e = {0};
    ex_status(&e, 200, 200);
    ex_header(&e, CF_HDR_PRESENT, "Date", NULL, 0, 0);
    ex_header(&e, CF_HDR_ABSENT, "Transfer-Encoding", NULL, 0, 0);
    ex_header(&e, CF_HDR_MATCHES, "Content-Length", "^\\d+$", 5, 0);
    ex_header(&e, CF_HDR_COUNT, "Set-Cookie", NULL, 0, 2);
    ex_body(&e, CF_BODY_CONTAINS, "ok\r\n", 4, 0);
    ex_body(&e, CF_BODY_MATCHES, "(?i)bad", 7, 0);
    ex_body(&e, CF_BODY_LENGTH, NULL, 0, 11);
    ex_body(&e, CF_BODY_NONEMPTY, NULL, 0, 0);
    e.connection = CF_CONN_OPEN;
    ex_responses(&e, 1, 2);
    char *s = cf_expect_describe(&e);
    cr_expect_str_eq(s, "status 200; header Date present; header Transfer-Encoding absent; header "
                        "Content-Length matches /^\\d+$/; header Set-Cookie count 2; body "
                        "contains \"ok\\r\\n\"; body matches /(?i)bad/; body length 11; body "
                        "non-empty; connection open; 1-2 responses");
    free(s);
    cf_expect_free(&e);
    cf_expect empty = {0};
    s = cf_expect_describe(&empty);
    cr_expect_str_eq(s, "anything");
    free(s);
}

Test(check, outcome_free_twice_is_safe)
{
    cf_expect e = {0};
    cf_step_result r = {0};
    cf_check_outcome o;
    cr_expect(judge(&e, &r, &o));
    cf_check_outcome_free(&o);
    cf_check_outcome_free(&o);
    cf_check_outcome_free(NULL);
    cf_step_result_free(NULL);
}

/* Judging gives up once the deadline (the case timeout) has passed, before the next check or
 * alternative, instead of judging on and outlasting --case-timeout; 0 never gives up, and a
 * deadline ahead judges as cf_check_step does. */
Test(check, deadline_bounds_judging)
{
    cf_expect e = {0};
    for (int i = 0; i < 3; i++)
        ex_header(ex_any(&e), CF_HDR_MATCHES, "Server", "^nginx", 6, 0);
    ex_body(&e, CF_BODY_MATCHES, "ok", 2, 0);
    cf_step_result r = {0};
    cf_obs_response *resp = rs_add(&r, 200, "OK");
    rs_field(resp, "Server", "conform");
    rs_body(resp, "ok", 2, 2);
    cf_check_outcome o;
    cr_expect_eq(cf_check_step_by(&e, &r, NULL, 1, &o), CF_CHECK_LATE, "a deadline in the past");
    cr_expect_null(o.expected);
    cr_expect_eq(o.nfailed, 0);
    cf_check_outcome_free(&o);
    cr_expect_eq(cf_check_step_by(&e, &r, NULL, 0, &o), 0);
    cr_expect_not(o.pass);
    cr_expect_eq(o.nfailed, 3, "every alternative's failure: %zu", o.nfailed);
    cf_check_outcome_free(&o);
    cr_expect_eq(cf_check_step_by(&e, &r, NULL, UINT64_MAX, &o), 0);
    cr_expect_eq(o.nfailed, 3);
    cf_check_outcome_free(&o);
    cf_expect_free(&e);
    cf_step_result_free(&r);
}
