/* report_json.c and report_json_read.c: a report written as JSON reads back field by field
 * equal (bytes with NUL and 0xFF, UTF-8 text, nulls); bad files give clear errors. */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_fixture.h"
#include "report_formats.h"
#include "report_json_read.h"

static char *to_json(const cf_report *r, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    cr_assert_not_null(f);
    cr_assert_eq(cf_report_json(r, f), 0);
    fclose(f);
    return buf;
}

static void expect_str(const char *a, const char *b, const char *what)
{
    if (!a || !b)
        cr_expect(a == b, "%s: %s vs %s", what, a ? a : "NULL", b ? b : "NULL");
    else
        cr_expect_str_eq(a, b, "%s", what);
}

static void expect_bytes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb, const char *w)
{
    cr_expect_eq(na, nb, "%s length", w);
    if (na == nb && na) cr_expect(memcmp(a, b, na) == 0, "%s bytes", w);
}

static void expect_step(const cf_report_step *a, const cf_report_step *b)
{
    cr_expect_eq(a->checked, b->checked);
    cr_expect_eq(a->pass, b->pass);
    expect_str(a->expected, b->expected, "expected");
    expect_str(a->actual, b->actual, "actual");
    cr_assert_eq(a->nfailed, b->nfailed);
    for (size_t i = 0; i < a->nfailed; i++)
        expect_str(a->failed[i], b->failed[i], "failed");
    expect_str(a->note, b->note, "note");
    expect_bytes(a->sent, a->sent_len, b->sent, b->sent_len, "sent");
    cr_expect_eq(a->sent_total, b->sent_total);
    expect_bytes(a->received, a->received_len, b->received, b->received_len, "received");
    cr_expect_eq(a->received_total, b->received_total);
    cr_expect_eq(a->elapsed_ms, b->elapsed_ms);
}

static void expect_response(const cf_report_response *a, const cf_report_response *b)
{
    cr_expect_eq(a->status, b->status);
    expect_str(a->reason, b->reason, "reason");
    cr_expect_eq(a->step, b->step);
    cr_expect_eq(a->complete, b->complete);
    expect_str(a->method, b->method, "method");
    cr_expect_eq(a->request_version, b->request_version);
    cr_expect_eq(a->raw_offset, b->raw_offset);
    cr_expect_eq(a->raw_len, b->raw_len);
    cr_assert_eq(a->nfindings, b->nfindings);
    for (size_t i = 0; i < a->nfindings; i++) {
        cr_expect_eq(a->findings[i].rule, b->findings[i].rule);
        expect_str(cf_report_finding_id(&a->findings[i]), cf_report_finding_id(&b->findings[i]),
                   "rule_id");
        expect_str(cf_report_finding_section(&a->findings[i]),
                   cf_report_finding_section(&b->findings[i]), "finding section");
        cr_expect_eq(a->findings[i].level, b->findings[i].level, "finding level");
        expect_str(a->findings[i].message, b->findings[i].message, "finding message");
    }
}

static void expect_case(const cf_report_case *a, const cf_report_case *b)
{
    expect_str(a->id, b->id, "id");
    expect_str(a->title, b->title, "title");
    cr_expect_eq(a->rfc, b->rfc);
    expect_str(a->section, b->section, "section");
    cr_expect_eq(a->level, b->level, "level");
    expect_str(a->requirement, b->requirement, "requirement");
    expect_str(a->note, b->note, "note");
    cr_assert_eq(a->ntags, b->ntags);
    for (size_t i = 0; i < a->ntags; i++)
        expect_str(a->tags[i], b->tags[i], "tag");
    expect_str(a->file, b->file, "file");
    cr_expect_eq(a->line, b->line, "line");
    expect_str(a->category, b->category, "category");
    cr_expect_eq(a->spec_steps, b->spec_steps);
    cr_expect_eq(a->verdict, b->verdict, "verdict");
    expect_str(a->error, b->error, "error");
    expect_str(a->repro, b->repro, "repro");
    cr_expect_eq(a->elapsed_ms, b->elapsed_ms);
    cr_assert_eq(a->nsteps, b->nsteps);
    for (size_t i = 0; i < a->nsteps; i++)
        expect_step(&a->steps[i], &b->steps[i]);
    cr_assert_eq(a->nresponses, b->nresponses);
    for (size_t i = 0; i < a->nresponses; i++)
        expect_response(&a->responses[i], &b->responses[i]);
    cr_expect_eq(a->responses_omitted, b->responses_omitted, "responses_omitted");
}

Test(report_json, round_trip_field_by_field)
{
    cf_report a, b;
    cf_fixture_report(&a);
    a.targets[0].cases[0].responses_omitted = 57797; /* a flood past the recorded responses */
    size_t len;
    char *text = to_json(&a, &len);
    cr_expect(strstr(text, "\"responses_omitted\":57797") != NULL);
    char err[512] = "";
    cr_assert_eq(cf_report_json_read_text(text, len, "mem.json", &b, err, sizeof err), 0, "%s",
                 err);
    cr_expect_eq(b.schema_version, CF_REPORT_SCHEMA_VERSION);
    expect_str(a.conform_version, b.conform_version, "conform_version");
    expect_str(a.started_at, b.started_at, "started_at");
    cr_assert_eq(a.nspec_paths, b.nspec_paths);
    expect_str(a.spec_paths[0], b.spec_paths[0], "spec_paths");
    cr_expect_eq(a.strict, b.strict);
    cr_assert_eq(a.ntargets, b.ntargets);
    const cf_report_target *ta = &a.targets[0], *tb = &b.targets[0];
    expect_str(ta->name, tb->name, "target name");
    cr_expect_eq(ta->elapsed_ms, tb->elapsed_ms);
    cr_expect_arr_eq(ta->counts, tb->counts, sizeof ta->counts);
    cr_assert_eq(ta->ncases, tb->ncases);
    for (size_t i = 0; i < ta->ncases; i++)
        expect_case(&ta->cases[i], &tb->cases[i]);
    /* writing what was read gives the same text */
    size_t len2;
    char *text2 = to_json(&b, &len2);
    cr_expect_eq(len, len2);
    cr_expect(len == len2 && memcmp(text, text2, len) == 0);
    free(text);
    free(text2);
    cf_report_free(&a);
    cf_report_free(&b);
}

Test(report_json, bytes_are_latin1_code_points_and_summary_is_written)
{
    cf_report a;
    cf_fixture_report(&a);
    size_t len;
    char *text = to_json(&a, &len);
    cr_expect(strstr(text, "\\r\\nX-Bin: \\u0000\\u00ff\\u0001\\r\\n") != NULL, "%s", text);
    cr_expect(strstr(text, "\"schema\":\"conform-report\",\"schema_version\":4,") != NULL);
    /* v2: a response is where it lies in its step's received bytes, not the bytes again */
    cr_expect(strstr(text, "\"request_version\":11,\"offset\":0,\"length\":38,\"findings\"") !=
                  NULL,
              "%s", text);
    cr_expect(strstr(text, "\"raw\"") == NULL, "%s", text);
    cr_expect(strstr(text, "\"rule_id\":\"date-missing\",\"section\":\"RFC 9110 §6.6.1\","
                           "\"level\":\"SHOULD\",\"count\":3,\"cases\":2,"
                           "\"examples\":[\"case-pass\",\"case-fail\"]") != NULL,
              "%s", text);
    free(text);
    cf_report_free(&a);
}

/* Reads text; expects failure with a message containing want. */
static void expect_error(const char *text, const char *want)
{
    cf_report r;
    char err[512] = "";
    cr_expect_eq(cf_report_json_read_text(text, strlen(text), "bad.json", &r, err, sizeof err), -1,
                 "%s", text);
    cr_expect(strstr(err, want) != NULL, "got '%s', want '%s'", err, want);
    cr_expect_eq(r.ntargets, 0);
}

/* The fixture as JSON with the first occurrence of from replaced by to. */
static char *edited(const char *from, const char *to)
{
    cf_report a;
    cf_fixture_report(&a);
    size_t len;
    char *text = to_json(&a, &len);
    cf_report_free(&a);
    char *at = strstr(text, from);
    cr_assert_not_null(at, "%s", from);
    size_t nf = strlen(from), nt = strlen(to);
    char *out = malloc(len - nf + nt + 1);
    cr_assert_not_null(out);
    memcpy(out, text, (size_t)(at - text));
    memcpy(out + (at - text), to, nt);
    memcpy(out + (at - text) + nt, at + nf, len - (size_t)(at - text) - nf + 1);
    free(text);
    return out;
}

Test(report_json, bad_files_give_clear_errors)
{
    expect_error("{\"schema\": \"conform-report\",\n  \"schema_version\": 2,,}", "bad.json:2:");
    expect_error("[1, 2]", "bad.json: expected a JSON object, found an array");
    expect_error("{\"schema\": \"other\", \"schema_version\": 1}", "not a conform report");
    expect_error("{\"schema_version\": 1}", "bad.json: schema: missing");
    char *t = edited("\"schema_version\":4", "\"schema_version\":5");
    expect_error(t, "schema_version 5 is newer than this conform reads (4)");
    free(t);
    t = edited("\"schema_version\":4", "\"schema_version\":\"4\"");
    expect_error(t, "schema_version: expected an integer, found a string");
    free(t);
    t = edited("\"verdict\":\"FAIL\"", "\"verdict\":\"MAYBE\"");
    expect_error(t, "bad.json: targets[0].cases[1].verdict: 'MAYBE' is not one of PASS, FAIL, "
                    "WARN, INFO, ERROR");
    free(t);
    t = edited("\"status\":400", "\"status\":1000");
    expect_error(t, "targets[0].cases[1].responses[0].status: 1000 is out of range");
    free(t);
    t = edited("\"sent\":\"GET / HTTP", "\"sent\":\"\\u0100GET / HTTP");
    expect_error(t, "targets[0].cases[0].steps[0].sent: not a byte string");
    free(t);
    t = edited("\"offset\":0,", "");
    expect_error(t, "targets[0].cases[0].responses[0].offset: missing");
    free(t);
    t = edited("\"title\":", "\"titel\":");
    expect_error(t, "targets[0].cases[0].title: missing");
    free(t);
}

Test(report_json, files_missing_and_on_disk)
{
    cf_report r;
    char err[512] = "";
    cr_expect_eq(cf_report_json_read_file("/nonexistent/r.json", &r, err, sizeof err), -1);
    cr_expect(strstr(err, "/nonexistent/r.json: No such file or directory") != NULL, "%s", err);
    /* Only regular files: a directory or a FIFO is refused before any read (a FIFO would block). */
    cr_expect_eq(cf_report_json_read_file("/tmp", &r, err, sizeof err), -1);
    cr_expect(strstr(err, "/tmp: a directory, not a file") != NULL, "%s", err);
    char fifo[] = "/tmp/cf_report_fifo_XXXXXX";
    cr_assert_not_null(mkdtemp(fifo));
    char fifo_path[64];
    snprintf(fifo_path, sizeof fifo_path, "%s/r.json", fifo);
    cr_assert_eq(mkfifo(fifo_path, 0600), 0);
    cr_expect_eq(cf_report_json_read_file(fifo_path, &r, err, sizeof err), -1);
    cr_expect(strstr(err, "not a regular file") != NULL, "%s", err);
    unlink(fifo_path);
    rmdir(fifo);
    char path[] = "/tmp/cf_report_json_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cf_report a;
    cf_fixture_report(&a);
    cr_assert_eq(cf_report_json(&a, f), 0);
    fclose(f);
    cr_expect_eq(cf_report_json_read_file(path, &r, err, sizeof err), 0, "%s", err);
    cr_expect_eq(r.targets[0].ncases, 5);
    cf_report_free(&r);
    cf_report_free(&a);
    unlink(path);
}

/* A schema v1 document: one case of two steps; the responses carry their own bytes (raw). */
#define V1_STEP(RECEIVED)                                                                          \
    "{\"checked\":false,\"pass\":false,\"failed\":[],\"sent_total\":0,\"received\":\"" RECEIVED    \
    "\",\"received_total\":9000,\"elapsed_ms\":0}"
#define V1_RESPONSE(STEP, STATUS, RAW, FINDINGS)                                                   \
    "{\"step\":" #STEP ",\"status\":" #STATUS ",\"reason\":\"R\",\"complete\":true,"               \
    "\"method\":\"GET\",\"request_version\":11,\"raw\":\"" RAW "\",\"findings\":[" FINDINGS "]}"
#define V1_FINDING(ID, SECTION, LEVEL)                                                             \
    "{\"rule_id\":\"" ID "\",\"section\":\"" SECTION "\",\"level\":\"" LEVEL "\",\"message\":"     \
    "\"m\"}"

/* clang-format off */
static const char v1_doc[] =
    "{\"schema\":\"conform-report\",\"schema_version\":1,\"conform_version\":\"0.1.0\","
    "\"started_at\":\"2026-01-01T00:00:00Z\",\"spec_paths\":[],\"strict\":false,"
    "\"targets\":[{\"name\":\"t\",\"elapsed_ms\":1,\"cases\":[{\"id\":\"c\",\"title\":\"T\","
    "\"rfc\":9112,\"section\":\"1\",\"level\":\"MUST\",\"requirement\":\"R\",\"tags\":[],"
    "\"file\":\"f\",\"category\":\"c\",\"spec_steps\":3,\"verdict\":\"PASS\",\"elapsed_ms\":1,"
    "\"steps\":["
        V1_STEP("AAHTTP/1.1 100 Go\\r\\n\\r\\nHTTP/1.1 200 OK\\r\\nCon") ","
        V1_STEP("HTTP/1.1 204 A\\r\\n\\r\\nHTTP/1.1 204 A\\r\\n\\r\\n")
    "],\"responses\":["
        V1_RESPONSE(0, 100, "HTTP/1.1 100 Go\\r\\n\\r\\n", "") ","
        V1_RESPONSE(0, 200, "HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nhi",
                    V1_FINDING("date-missing", "old §", "SHOULD") ","
                    V1_FINDING("no-such-rule", "RFC 1 §1", "MAY")) ","
        V1_RESPONSE(0, 204, "HTTP/1.1 204 Late\\r\\n\\r\\n", "") ","
        V1_RESPONSE(1, 204, "HTTP/1.1 204 A\\r\\n\\r\\n", "") ","
        V1_RESPONSE(1, 204, "HTTP/1.1 204 A\\r\\n\\r\\n", "") ","
        V1_RESPONSE(5, 200, "HTTP/1.1 200 OK\\r\\n\\r\\n", "")
    "]}]}]}";
/* clang-format on */

/* The bytes response i of c has in its step, as a string. */
static void expect_placed(const cf_report_case *c, size_t i, size_t offset, size_t len,
                          const char *kept)
{
    const cf_report_response *r = &c->responses[i];
    cr_expect_eq(r->raw_offset, offset, "response %zu offset", i);
    cr_expect_eq(r->raw_len, len, "response %zu length", i);
    size_t n;
    const uint8_t *b = cf_report_response_bytes(c, r, &n);
    expect_bytes(b, n, (const uint8_t *)kept, strlen(kept), "kept bytes");
}

Test(report_json, schema_v1_responses_are_placed_in_their_steps)
{
    cf_report r;
    char err[512] = "";
    cr_assert_eq(
        cf_report_json_read_text(v1_doc, sizeof v1_doc - 1, "v1.json", &r, err, sizeof err), 0,
        "%s", err);
    cr_expect_eq(r.schema_version, 1);
    const cf_report_case *c = &r.targets[0].cases[0];
    cr_assert_eq(c->nresponses, 6);
    expect_placed(c, 0, 2, 19, "HTTP/1.1 100 Go\r\n\r\n"); /* after bytes that are no response */
    /* cut by the step's cap: the head is kept, the length stays the response's */
    expect_placed(c, 1, 21, 40, "HTTP/1.1 200 OK\r\nCon");
    expect_placed(c, 2, 41, 21, ""); /* past the step's cap: no bytes, but where and how long */
    /* the same bytes twice: the second after the first */
    expect_placed(c, 3, 0, 18, "HTTP/1.1 204 A\r\n\r\n");
    expect_placed(c, 4, 18, 18, "HTTP/1.1 204 A\r\n\r\n");
    expect_placed(c, 5, 0, 19, ""); /* a step the case does not have */
    /* findings: a rule this build knows becomes its index (section from the table, level as
     * read); an unknown one keeps its id and section */
    const cf_report_finding *f = c->responses[1].findings;
    cr_assert_eq(c->responses[1].nfindings, 2);
    cr_expect_geq(f[0].rule, 0);
    cr_expect_str_eq(cf_report_finding_id(&f[0]), "date-missing");
    cr_expect_str_eq(cf_report_finding_section(&f[0]), "RFC 9110 §6.6.1");
    cr_expect_eq(f[0].level, CF_RL_SHOULD);
    cr_expect_null(f[0].rule_id);
    cr_expect_eq(f[1].rule, -1);
    cr_expect_str_eq(cf_report_finding_id(&f[1]), "no-such-rule");
    cr_expect_str_eq(cf_report_finding_section(&f[1]), "RFC 1 §1");
    cr_expect_eq(f[1].level, CF_RL_MAY);
    /* written again: v2, the offsets and lengths instead of raw */
    size_t len;
    char *text = to_json(&r, &len);
    cr_expect(strstr(text, "\"schema_version\":4,") != NULL);
    cr_expect(strstr(text, "\"raw\"") == NULL, "%s", text);
    cr_expect(strstr(text, "\"status\":200,\"reason\":\"R\",\"complete\":true,\"method\":\"GET\","
                           "\"request_version\":11,\"offset\":21,\"length\":40,") != NULL,
              "%s", text);
    free(text);
    cf_report_free(&r);
}

Test(report_json, schema_v2_response_past_the_kept_bytes)
{
    cf_report a, b;
    cf_fixture_report(&a);
    cf_report_case *c = &a.targets[0].cases[1]; /* case-fail: 36 bytes kept of 1000 received */
    c->responses[0].raw_offset = 30;
    c->responses[0].raw_len = 500;
    size_t len, n;
    char *text = to_json(&a, &len);
    char err[512] = "";
    cr_assert_eq(cf_report_json_read_text(text, len, "mem.json", &b, err, sizeof err), 0, "%s",
                 err);
    const cf_report_case *cb = &b.targets[0].cases[1];
    cr_expect_eq(cb->responses[0].raw_offset, 30);
    cr_expect_eq(cb->responses[0].raw_len, 500);
    const uint8_t *p = cf_report_response_bytes(cb, &cb->responses[0], &n);
    cr_expect_eq(n, cb->steps[0].received_len - 30, "the bytes the step kept, no more");
    cr_expect(p == cb->steps[0].received + 30);
    c->responses[0].raw_offset = 5000; /* past the kept bytes altogether */
    cr_expect_null(cf_report_response_bytes(c, &c->responses[0], &n));
    cr_expect_eq(n, 0);
    free(text);
    cf_report_free(&a);
    cf_report_free(&b);
}

Test(report_json, streamed_cases_and_compact_model_write_the_same_bytes)
{
    cf_report whole, streamed;
    cf_fixture_report_three_targets(&whole);
    cf_fixture_report_three_targets(&streamed);
    cf_report_json_stream *s = cf_report_json_stream_new();
    cr_assert_not_null(s);
    for (size_t t = 0; t < streamed.ntargets; t++)
        for (size_t i = 0; i < streamed.targets[t].ncases; i++) {
            cf_report_case *c = &streamed.targets[t].cases[i];
            cr_assert_eq(cf_report_json_stream_case(s, t, c), 0);
            cf_report_case_compact(c, t % 2 == 0, &streamed.targets[t].pool);
            cr_expect_null(c->repro);
            if (c->verdict == CF_RV_PASS) cr_expect_eq(c->nsteps, 0);
            for (size_t k = 0; k < c->nsteps; k++)
                cr_expect_null(c->steps[k].received);
        }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(cf_report_json_stream_finish(s, &streamed, f), 0);
    fclose(f);
    cf_report_json_stream_free(s);
    size_t want_len;
    char *want = to_json(&whole, &want_len);
    cr_expect_eq(len, want_len);
    cr_expect(len == want_len && memcmp(buf, want, len) == 0, "streamed:\n%s\nwhole:\n%s", buf,
              want);
    free(buf);
    free(want);
    cf_report_free(&whole);
    cf_report_free(&streamed);
}

Test(report_json, stream_refuses_a_target_that_went_back)
{
    cf_report r;
    cf_fixture_report(&r);
    cf_report_json_stream *s = cf_report_json_stream_new();
    cr_assert_not_null(s);
    cr_assert_eq(cf_report_json_stream_case(s, 1, &r.targets[0].cases[0]), 0);
    cr_expect_eq(cf_report_json_stream_case(s, 0, &r.targets[0].cases[0]), -1);
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_expect_eq(cf_report_json_stream_finish(s, &r, f), -1);
    fclose(f);
    cf_report_json_stream_free(s);
    cf_report_free(&r);
}

/* The budgets (docs/limits.md): 64 levels pass on to the schema check, the 65th is refused at
 * its line and column; a comma past 4 Mi values is refused; '[' inside a string is text. */
Test(report_json, depth_and_value_budgets)
{
    cf_report r;
    char err[512] = "", text[200];
    size_t n = 0;
    text[n++] = '\n';
    for (int i = 0; i < 64; i++)
        text[n++] = '[';
    for (int i = 0; i < 64; i++)
        text[n++] = ']';
    cr_expect_eq(cf_report_json_read_text(text, n, "d.json", &r, err, sizeof err), -1);
    cr_expect(strstr(err, "nested") == NULL, "64 levels are within the budget: %s", err);
    memmove(text + 2, text + 1, n - 1);
    text[1] = '[';
    text[n + 1] = ']';
    cr_expect_eq(cf_report_json_read_text(text, n + 2, "d.json", &r, err, sizeof err), -1);
    cr_expect_str_eq(err, "d.json:2:65: nested deeper than 64 arrays and objects (the budget of a "
                          "JSON report, docs/limits.md)");
    const char quoted[] =
        "{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
    cr_expect_eq(cf_report_json_read_text(quoted, sizeof quoted - 1, "q.json", &r, err, sizeof err),
                 -1);
    cr_expect(strstr(err, "nested") == NULL, "brackets in a string: %s", err);

    size_t values = CF_REPORT_JSON_MAX_VALUES, len = 2 + 2 * values + 1;
    char *big = malloc(len);
    cr_assert_not_null(big);
    big[0] = '[';
    for (size_t i = 0; i < values; i++)
        memcpy(big + 1 + 2 * i, "0,", 2);
    memcpy(big + len - 2, "0]", 2);
    cr_expect_eq(cf_report_json_read_text(big, len, "v.json", &r, err, sizeof err), -1);
    cr_expect(strstr(err, "v.json:1:8388607: more than 4194304 values") != NULL, "%s", err);
    free(big);
}

Test(report_json, case_line_is_written_and_optional_when_read)
{
    char *t = edited("\"line\":10,", ""); /* a report from before lines were written */
    cf_report b;
    char err[512] = "";
    cr_assert_eq(cf_report_json_read_text(t, strlen(t), "old.json", &b, err, sizeof err), 0, "%s",
                 err);
    cr_expect_eq(b.targets[0].cases[0].line, 0, "absent: unknown");
    cr_expect_eq(b.targets[0].cases[1].line, 20, "present: read");
    cf_report_free(&b);
    free(t);
}

/* The version differential (--versions 1.1,2) reads back equal and is written again the same;
 * a report without it (every older one) reads without it; one naming a target the report lacks
 * is refused. */
Test(report_json, version_differential_round_trip)
{
    cf_report a, b;
    cf_fixture_report(&a);
    const char *name = a.targets[0].name;
    a.versions = true;
    a.vdiff_cases = 3;
    cf_report_vdiff d = {0, 0, "rfc9110-x", 1, "status", "200", "418"};
    cr_assert_eq(cf_report_vdiff_add(&a, &d), 0);
    d.what = "ETag";
    d.v11 = NULL; /* absent over HTTP/1.1 */
    d.v2 = "\"x\"";
    cr_assert_eq(cf_report_vdiff_add(&a, &d), 0);
    size_t len;
    char *text = to_json(&a, &len);
    cr_expect(strstr(text, "\"version_differential\":{\"cases\":3,") != NULL, "%s", text);
    cr_expect(strstr(text, "\"what\":\"ETag\",\"http1.1\":null,\"http2\":\"\\\"x\\\"\"") != NULL);
    char err[512] = "";
    cr_assert_eq(cf_report_json_read_text(text, len, "mem.json", &b, err, sizeof err), 0, "%s",
                 err);
    cr_expect(b.versions);
    cr_expect_eq(b.vdiff_cases, 3);
    cr_assert_eq(b.nvdiffs, 2);
    cr_expect_str_eq(b.vdiffs[0].case_id, "rfc9110-x");
    cr_expect_eq(b.vdiffs[0].step, 1);
    cr_expect_str_eq(b.vdiffs[0].v2, "418");
    cr_expect_null(b.vdiffs[1].v11);
    size_t len2;
    char *text2 = to_json(&b, &len2);
    cr_expect(len == len2 && memcmp(text, text2, len) == 0);
    free(text2);
    cf_report_free(&b);
    /* a target name the report does not hold */
    char *at = strstr(text, "\"http2_target\":\"");
    cr_assert_not_null(at);
    at += strlen("\"http2_target\":\"");
    cr_assert(strncmp(at, name, strlen(name)) == 0);
    at[0] = '#';
    expect_error(text, "names a target not in targets");
    free(text);
    cf_report_free(&a);
    /* the fixture has no differential: none is read */
    cf_fixture_report(&a);
    text = to_json(&a, &len);
    cr_expect_null(strstr(text, "version_differential"));
    cr_assert_eq(cf_report_json_read_text(text, len, "mem.json", &b, err, sizeof err), 0, "%s",
                 err);
    cr_expect(!b.versions);
    cr_expect_eq(b.nvdiffs, 0);
    free(text);
    cf_report_free(&a);
    cf_report_free(&b);
}
