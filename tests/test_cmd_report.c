/* conform run --report and conform report: the real binary against the built-in server and a
 * misbehaving one; a saved JSON report rendered again in every format; exit statuses; bad
 * input gives exit 2 with a message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "misbehave.h"

#define FIX CF_SOURCE_DIR "/tests/data/run/"

static char out[1 << 17];

/* Runs conform with args (stdin from /dev/null); returns its exit status, stdout in out
 * (stderr too unless err_apart). */
static int run(const char *args, bool err_apart)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s </dev/null %s", CF_CONFORM_BIN, args,
             err_apart ? "2>/dev/null" : "2>&1");
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    int st = pclose(p);
    cr_assert(WIFEXITED(st), "conform did not exit normally");
    return WEXITSTATUS(st);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    static char buf[1 << 18];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

typedef struct tmpdir {
    char path[64];
} tmpdir;

static void mkd(tmpdir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/cf_cmd_report_XXXXXX");
    cr_assert_not_null(mkdtemp(d->path));
}

static void rmd(tmpdir *d)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->path);
    cr_expect_eq(system(cmd), 0);
}

Test(cmd_report, run_saves_json_and_report_renders_every_format)
{
    tmpdir d;
    mkd(&d);
    char args[1024];
    snprintf(args, sizeof args,
             "run " FIX "fail --target builtin --report json:%s/r.json --report junit:%s/r.xml "
             "--report tap:%s/r.tap",
             d.path, d.path, d.path);
    /* exit status unchanged by --report; nothing on stdout without the terminal format */
    cr_expect_eq(run(args, true), 1, "%s", out);
    cr_expect_str_eq(out, "");
    char *json = slurp(strcat(strcpy(args, d.path), "/r.json"));
    cr_expect(strstr(json, "{\"schema\":\"conform-report\",\"schema_version\":4,") == json, "%s",
              json);
    cr_expect(strstr(json, "\"id\":\"verdict-must-fails\"") != NULL);
    /* the case's note travels with it; a case without one has no "note" member */
    cr_expect(strstr(json, "(it never does).\",\"note\":\"Only 299 passes <here> & nowhere else.\","
                           "\"tags\"") != NULL,
              "%s", json);
    cr_expect(strstr(json, "A server MUST answer a valid GET request.\",\"tags\"") != NULL, "%s",
              json);
    cr_expect(strstr(json, "\"counts\":{\"PASS\":1,\"FAIL\":1,\"WARN\":1,\"INFO\":1,\"ERROR\":0,"
                           "\"SKIP\":0,\"XFAIL\":0,\"XPASS\":0}") != NULL);
    cr_expect(strstr(json, "\"sent\":\"GET /it's%25 HTTP/1.1\\r\\nHost: 127.0.0.1:") != NULL, "%s",
              json);
    /* a response is an offset and a length into its step's received bytes (schema v2) */
    cr_expect(strstr(json, "\"received\":\"HTTP/1.1 404 Not Found\\r\\n") != NULL, "%s", json);
    cr_expect(strstr(json,
                     "\"status\":404,\"reason\":\"Not Found\",\"complete\":true,"
                     "\"method\":\"GET\",\"request_version\":11,\"offset\":0,\"length\":") != NULL,
              "%s", json);
    cr_expect(strstr(json, "\"raw\":") == NULL, "%s", json);

    /* the same run rendered again: terminal (plain, not a tty), markdown, junit, tap */
    snprintf(args, sizeof args, "report %s/r.json", d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    cr_expect(strstr(out, "FAIL  verdict-must-fails  A MUST the server does not meet\n"
                          "      RFC 9110 §15.3.1 (MUST): This fixture's server MUST answer 299 "
                          "to GET / (it never does).\n"
                          "      reading: Only 299 passes <here> & nowhere else.\n") != NULL,
              "%s", out);
    cr_expect(
        strstr(out, "\n4 cases: 1 passed, 1 failed, 1 warnings, 1 info, 0 errors, 0 skipped (") !=
            NULL,
        "%s", out);
    cr_expect(strstr(out, "By RFC section:\n") != NULL, "%s", out);
    cr_expect(strstr(out, "  RFC 9110 §15.3.1  MUST       0    1    0    0     0    0\n") != NULL,
              "%s", out);
    cr_expect(strstr(out, "Status codes by category:\n  levels  200 ×3, 404 ×1\n") != NULL, "%s",
              out);
    cr_expect(strchr(out, '\033') == NULL, "colour when not a terminal: %s", out);

    snprintf(args, sizeof args, "report %s/r.json --format markdown", d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    cr_expect(strstr(out, "# conform report\n") == out, "%s", out);
    cr_expect(strstr(out, "| RFC 9110 §15.3.1 | MUST | 0 | 1 | 0 | 0 | 0 | 0 |\n") != NULL, "%s",
              out);
    cr_expect(strstr(out, "#### FAIL `verdict-must-fails` — A MUST the server does not meet\n") !=
                  NULL,
              "%s", out);
    cr_expect(strstr(out, "(it never does).\n- reading: Only 299 passes") != NULL, "%s", out);

    /* junit from conform report is the one conform run wrote (same report, same bytes) */
    snprintf(args, sizeof args, "report %s/r.json -f junit -o %s/again.xml", d.path, d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/r.xml", d.path);
    snprintf(p2, sizeof p2, "%s/again.xml", d.path);
    char *a = strdup(slurp(p1));
    cr_expect_str_eq(a, slurp(p2));
    cr_expect(strstr(a, "failures=\"1\"") != NULL, "%s", a);
    free(a);
    snprintf(args, sizeof args, "xmllint --noout --schema '%s' '%s' >/dev/null 2>&1",
             CF_SOURCE_DIR "/tests/data/junit/junit.xsd", p1);
    cr_expect_eq(system(args), 0);

    snprintf(args, sizeof args, "report %s/r.json --format=tap", d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    cr_expect(strstr(out, "TAP version 14\n1..4\nok 1 - verdict-pass") == out, "%s", out);
    snprintf(p1, sizeof p1, "%s/r.tap", d.path);
    cr_expect_str_eq(out, slurp(p1));
    rmd(&d);
}

Test(cmd_report, terminal_default_and_summaries_in_run)
{
    cr_expect_eq(run("run " FIX "pass --target builtin", false), 0, "%s", out);
    cr_expect(
        strstr(out, "\n5 cases: 5 passed, 0 failed, 0 warnings, 0 info, 0 errors, 0 skipped (") !=
            NULL,
        "%s", out);
    cr_expect(strstr(out, "By RFC section:\n") != NULL, "%s", out);
    cr_expect(strstr(out, "Status codes by category:\n") != NULL, "%s", out);
    cr_expect(strstr(out, "Compliance rules broken") != NULL, "%s", out);
    /* --report terminal keeps the terminal output next to a file report */
    char args[512];
    tmpdir d;
    mkd(&d);
    snprintf(args, sizeof args,
             "run " FIX "pass --target builtin --report terminal --report "
             "markdown:%s/r.md --no-color",
             d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    cr_expect(strstr(out, "PASS  run-get-root  GET / answers 200\n") != NULL, "%s", out);
    snprintf(args, sizeof args, "%s/r.md", d.path);
    cr_expect(strstr(slurp(args), "**5 cases**: 5 passed") != NULL);
    rmd(&d);
}

Test(cmd_report, rule_findings_from_a_real_server)
{
    /* the misbehaving server's "correct" mode answers 200 without a Date field */
    cf_mb *m = cf_mb_start(CF_MB_CORRECT);
    cr_assert_not_null(m);
    tmpdir d;
    mkd(&d);
    char args[512];
    snprintf(args, sizeof args,
             "run " FIX "pass --target 127.0.0.1:%d --id run-get-root --report json:%s/r.json "
             "--report terminal",
             cf_mb_port(m), d.path);
    run(args, false);
    cr_expect(strstr(out, "Compliance rules broken (") != NULL, "%s", out);
    cr_expect(strstr(out, "   1 case   date-missing  RFC 9110 §6.6.1 (MUST)  1 response, e.g. "
                          "run-get-root\n") != NULL,
              "%s", out);
    snprintf(args, sizeof args, "%s/r.json", d.path);
    cr_expect(strstr(slurp(args), "\"findings\":[{\"rule_id\":\"date-missing\"") != NULL);
    cf_mb_stop(m);
    rmd(&d);
}

Test(cmd_report, usage_and_bad_input_exit_2)
{
    tmpdir d;
    mkd(&d);
    char args[512], path[128];
    static const char *const usage[] = {
        "run " FIX "pass --target builtin --report xml",
        "run " FIX "pass --target builtin --report json --report tap", /* two on stdout */
        "run " FIX "pass --target builtin --report json:",
        "run " FIX "pass --target builtin --report json:/nonexistent/dir/r.json",
        "report",
        "report a.json b.json",
        "report a.json --format nope",
        "report a.json --bogus",
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++)
        cr_expect_eq(run(usage[i], false), 2, "%s: %s", usage[i], out);
    cr_expect_eq(run("run " FIX "pass --target builtin --report json --report tap", false), 2);
    cr_expect(strstr(out, "both json and tap write to standard output") != NULL, "%s", out);
    cr_expect_eq(run("report --help", false), 0);
    cr_expect(strstr(out, "terminal, json, junit, tap, markdown, html") != NULL, "%s", out);

    /* a file that is not JSON: file:line:column */
    snprintf(path, sizeof path, "%s/bad.json", d.path);
    FILE *f = fopen(path, "w");
    fputs("{\"schema\": \"conform-report\",\n \"schema_version\": 1\n \"x\": 2}\n", f);
    fclose(f);
    snprintf(args, sizeof args, "report %s", path);
    cr_expect_eq(run(args, false), 2, "%s", out);
    char want[256];
    snprintf(want, sizeof want, "conform report: %s:3:", path);
    cr_expect(strstr(out, want) == out, "%s", out);
    /* JSON of a newer schema */
    f = fopen(path, "w");
    fputs("{\"schema\": \"conform-report\", \"schema_version\": 99}", f);
    fclose(f);
    cr_expect_eq(run(args, false), 2, "%s", out);
    cr_expect(strstr(out, "schema_version 99 is newer than this conform reads (4)") != NULL, "%s",
              out);
    cr_expect_eq(run("report /nonexistent.json", false), 2, "%s", out);
    cr_expect(strstr(out, "conform report: /nonexistent.json: No such file or directory") != NULL,
              "%s", out);
    rmd(&d);
}

#define V1 CF_SOURCE_DIR "/tests/data/report/v1-pipelining.json"

/* A schema v1 report (responses with their own raw bytes) renders as before, and converted to
 * v2 (responses as offsets into their step's bytes) it renders the same and diffs clean. */
Test(cmd_report, schema_v1_renders_and_converts_to_v2)
{
    cr_expect_eq(run("report " V1, false), 0, "%s", out);
    cr_expect(strstr(out, "PASS  rfc9112-9.3.2-pipelined-in-order") != NULL, "%s", out);
    tmpdir d;
    mkd(&d);
    char args[1024];
    snprintf(args, sizeof args, "report " V1 " --format html -o %s/v1.html", d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    char *html = slurp(strcat(strcpy(args, d.path), "/v1.html"));
    cr_expect(strstr(html, "rfc9112-9.3.2-ten-pipelined") != NULL);
    char *v1html = strdup(html), *schema = strstr(v1html, "report schema 1 ·");
    cr_assert_not_null(v1html);
    cr_assert_not_null(schema, "the footer names the schema read");
    schema[strlen("report schema ")] = '4';
    snprintf(args, sizeof args, "report " V1 " --format json -o %s/v2.json", d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    char *json = slurp(strcat(strcpy(args, d.path), "/v2.json"));
    cr_expect(strstr(json, "\"schema_version\":4,") != NULL);
    cr_expect(strstr(json, "\"raw\":") == NULL);
    cr_expect(strstr(json, "\"status\":404,\"reason\":\"Not Found\",\"complete\":true,\"method\":"
                           "\"GET\",\"request_version\":11,\"offset\":715,\"length\":161,") != NULL,
              "%s", json);
    snprintf(args, sizeof args, "report %s/v2.json --format html -o %s/v2.html", d.path, d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    html = slurp(strcat(strcpy(args, d.path), "/v2.html"));
    cr_expect_str_eq(html, v1html, "v1 and its v2 conversion render the same page");
    free(v1html);
    snprintf(args, sizeof args, "diff " V1 " %s/v2.json", d.path);
    cr_expect_eq(run(args, false), 0, "%s", out);
    cr_expect(strstr(out, "0 regressions, 0 fixed, 0 other changes") != NULL, "%s", out);
    rmd(&d);
}

/* --max-raw caps the bytes a step keeps; a response keeps its true offset and length, and its
 * bytes are those the step kept: none for a response past the cap. */
Test(cmd_report, responses_past_max_raw_keep_offset_and_length)
{
    tmpdir d;
    mkd(&d);
    char args[1024];
    snprintf(args, sizeof args,
             "run " CF_SOURCE_DIR "/specs --target builtin --id rfc9112-9.3.2-pipelined-in-order "
             "--max-raw 800 --report json:%s/r.json",
             d.path);
    cr_expect_eq(run(args, true), 0, "%s", out);
    char *json = slurp(strcat(strcpy(args, d.path), "/r.json"));
    /* the step kept 800 bytes; the third response (to HEAD) starts past them */
    const char *head = strstr(json, "\"method\":\"HEAD\",\"request_version\":11,\"offset\":");
    cr_assert_not_null(head, "%s", json);
    char *end;
    unsigned long off = strtoul(strstr(head, "\"offset\":") + 9, &end, 10);
    cr_expect_gt(off, 800, "%s", head);
    cr_expect(strncmp(end, ",\"length\":", 10) == 0 && strtoul(end + 10, NULL, 10) > 0, "%s", head);
    cr_expect(strstr(json, "\"raw\":") == NULL);
    /* and the file renders again */
    snprintf(args, sizeof args, "report %s/r.json --format html", d.path);
    cr_expect_eq(run(args, true), 0, "%s", out);
    rmd(&d);
}
