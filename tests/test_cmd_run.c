/* conform run: the real binary against the built-in server and a misbehaving one: exit
 * statuses, --list and selection, ordered output with -j 4, the reproduction line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "misbehave.h"
#include "cf_conform_cmd.h"

#define FIX CF_SOURCE_DIR "/tests/data/run/"

Test(cmd_run, builtin_passes_exit_0)
{
    char out[8192];
    cr_expect_eq(cf_run_conform("run " FIX "pass --target builtin", out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "PASS  run-get-root  GET / answers 200\n") != NULL, "%s", out);
    cr_expect(strstr(out, "PASS  run-two-steps") != NULL, "%s", out);
    cr_expect(
        strstr(out, "\n5 cases: 5 passed, 0 failed, 0 warnings, 0 info, 0 errors, 0 skipped (") !=
            NULL,
        "%s", out);
    /* not a terminal: no progress line, no colours */
    cr_expect(strchr(out, '\r') == NULL && strchr(out, '\033') == NULL, "%s", out);
}

Test(cmd_run, verdicts_by_level_and_exit_1)
{
    char out[16384];
    cr_expect_eq(cf_run_conform("run " FIX "fail --target builtin", out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "PASS  verdict-pass") != NULL, "%s", out);
    cr_expect(strstr(out, "FAIL  verdict-must-fails  A MUST the server does not meet\n"
                          "      RFC 9110 §15.3.1 (MUST): This fixture's server MUST answer 299 "
                          "to GET / (it never does).\n"
                          "      reading: Only 299 passes <here> & nowhere else.\n"
                          "      expected: status 299\n"
                          "      actual:   404 Not Found\n"
                          "                HTTP/1.1 404 Not Found\\r\\n\n") != NULL,
              "%s", out);
    cr_expect(strstr(out, "        - status: expected 299, got 404\n"
                          "      rerun:     conform run " FIX "fail/levels.yaml --id "
                          "=verdict-must-fails --target builtin --show\n"
                          "      reproduce: printf 'GET /it\\047s%%25 HTTP/1.1\\r\\nHost: "
                          "127.0.0.1:") != NULL,
              "%s", out);
    cr_expect(strstr(out, "WARN  verdict-should-warns") != NULL, "%s", out);
    cr_expect(strstr(out, "INFO  verdict-may-info") != NULL, "%s", out);
    cr_expect(strstr(out, "4 cases: 1 passed, 1 failed, 1 warnings, 1 info, 0 errors, 0 skipped") !=
                  NULL,
              "%s", out);
    /* a failed SHOULD warns (exit 0); with --strict it fails */
    cr_expect_eq(cf_run_conform("run " FIX "fail --target builtin --level SHOULD", out, sizeof out),
                 0, "%s", out);
    cr_expect(strstr(out, "WARN  verdict-should-warns") != NULL, "%s", out);
    cr_expect_eq(
        cf_run_conform("run " FIX "fail --target builtin --level SHOULD --strict", out, sizeof out),
        1, "%s", out);
    cr_expect(strstr(out, "FAIL  verdict-should-warns") != NULL, "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX "fail --target builtin --level may", out, sizeof out), 0,
                 "%s", out);
    cr_expect(strstr(out, "1 case: 0 passed, 0 failed, 0 warnings, 1 info, 0 errors, 0 skipped") !=
                  NULL,
              "%s", out);
    /* --quiet prints only what did not pass */
    cr_expect_eq(cf_run_conform("run " FIX "fail --target builtin -q", out, sizeof out), 1, "%s",
                 out);
    cr_expect(strstr(out, "verdict-pass") == NULL, "%s", out);
    cr_expect(strstr(out, "FAIL  verdict-must-fails") != NULL, "%s", out);
}

/* The ids of the case lines of out, in order, joined with spaces. */
static void ids(const char *out, char *ids, size_t cap)
{
    ids[0] = 0;
    for (const char *l = out; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
        char verdict[8], id[128];
        if (sscanf(l, "%7[A-Z] %127s", verdict, id) == 2 && strlen(verdict) >= 4 && l[0] != ' ') {
            strncat(ids, id, cap - strlen(ids) - 2);
            strncat(ids, " ", cap - strlen(ids) - 1);
        }
    }
}

Test(cmd_run, output_in_spec_order_with_jobs)
{
    char out[8192], got[512];
    cr_expect_eq(cf_run_conform("run " FIX "order --target builtin -j 4", out, sizeof out), 0, "%s",
                 out);
    ids(out, got, sizeof got);
    cr_expect_str_eq(got, "order-1-slow order-2 order-3 order-4 ", "%s", out);
    cr_expect(strstr(out, "INFO  order-1-slow") != NULL, "%s", out);
}

Test(cmd_run, list_and_selection)
{
    char out[8192], got[512];
    cr_expect_eq(cf_run_conform("run " FIX "pass --list", out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "run-get-root            MUST    RFC 9110 §9.3.1  GET / answers 200\n") !=
                  NULL,
              "%s", out);
    cr_expect(strstr(out, "run-pipeline-three      SHOULD  RFC 9112 §9.3.2  Three pipelined") !=
                  NULL,
              "%s", out);
    static const struct {
        const char *args, *ids;
    } sel[] = {
        {"--id run-h", "run-head-no-body"},
        {"--id '*pipe*'", "run-pipeline-three"},
        {"--id run-get,run-two", "run-get-root run-two-steps"},
        {"--tag basic", "run-get-root run-head-no-body"},
        {"--tag head --tag header", "run-head-no-body run-space-before-colon"},
        {"--rfc 9110", "run-get-root run-head-no-body"},
        {"--rfc 9112:5", "run-space-before-colon"},
        {"--rfc '9112 §9'", "run-pipeline-three run-two-steps"},
        {"--level SHOULD,MAY", "run-pipeline-three run-two-steps"},
        {"--level MUST --tag basic --rfc 9110/9.3.2", "run-head-no-body"},
    };
    for (size_t i = 0; i < sizeof sel / sizeof sel[0]; i++) {
        char args[512];
        snprintf(args, sizeof args, "run " FIX "pass --list %s", sel[i].args);
        cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s: %s", sel[i].args, out);
        got[0] = 0;
        for (const char *l = out; *l;) {
            char id[128];
            if (sscanf(l, "%127s", id) == 1) {
                if (got[0]) strncat(got, " ", sizeof got - strlen(got) - 1);
                strncat(got, id, sizeof got - strlen(got) - 1);
            }
            const char *nl = strchr(l, '\n');
            l = nl ? nl + 1 : l + strlen(l);
        }
        cr_expect_str_eq(got, sel[i].ids, "%s", sel[i].args);
    }
    /* a selection also limits what runs */
    cr_expect_eq(cf_run_conform("run " FIX "pass --target builtin --tag basic", out, sizeof out),
                 0);
    cr_expect(strstr(out, "2 cases: 2 passed") != NULL, "%s", out);
}

/* No PATH: the bundled suite, which for the build-tree binary is the source tree's specs/. */
Test(cmd_run, no_path_runs_the_bundled_suite)
{
    static char out[1 << 16], want[1 << 16];
    cr_expect_eq(cf_run_conform("run " CF_SOURCE_DIR "/specs --list", want, sizeof want), 0);
    cr_expect_eq(cf_run_conform("run --list", out, sizeof out), 0, "%s", out);
    cr_expect(strlen(want) > 1000, "%s", want);
    cr_expect_str_eq(out, want);
}

Test(cmd_run, short_options_take_attached_values)
{
    char out[8192];
    cr_expect_eq(cf_run_conform("run " FIX "pass -tbuiltin -j4", out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "\n5 cases: 5 passed,") != NULL, "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX "pass --target builtin -j0", out, sizeof out), 2, "%s",
                 out);
}

Test(cmd_run, bad_specs_and_usage_exit_2)
{
    char out[32768];
    cr_expect_eq(cf_run_conform("run " FIX "bad --target builtin", out, sizeof out), 2, "%s", out);
    cr_expect(strstr(out, "bad.yaml:11:18: error: unknown key 'stauts'") != NULL, "%s", out);
    cr_expect(strstr(out, "nothing was run") != NULL, "%s", out);
    static const char *const usage[] = {
        "run " FIX "pass",                          /* no --target */
        "run " FIX "pass --target '::1:80'",        /* IPv6 without brackets */
        "run " FIX "pass --target builtin --bogus", /* unknown option */
        "run " FIX "pass --target builtin -j 0",    /* bad job count */
        "run " FIX "pass --target builtin --time-limit 2x",
        "run " FIX "pass --target builtin --max-body 0",
        "run " FIX "pass --target builtin --level MUSTNT",
        "run " FIX "pass --target builtin --id nomatch", /* empty selection */
        "run " FIX "pass --target",                      /* missing value */
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++)
        cr_expect_eq(cf_run_conform(usage[i], out, sizeof out), 2, "%s: %s", usage[i], out);
    cr_expect_eq(cf_run_conform("run --help", out, sizeof out), 0);
    cr_expect(strstr(out, "--max-response SIZE") != NULL, "%s", out);
}

Test(cmd_run, unreachable_exit_3)
{
    cf_mb *m = cf_mb_start(CF_MB_CLOSE);
    cr_assert_not_null(m);
    int port = cf_mb_port(m);
    cf_mb_stop(m); /* nobody listens there now */
    char args[512], out[4096], want[128];
    snprintf(args, sizeof args, "run " FIX "pass --target 127.0.0.1:%d", port);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 3, "%s", out);
    snprintf(want, sizeof want, "conform run: cannot connect to 127.0.0.1:%d: Connection refused",
             port);
    cr_expect(strstr(out, want) != NULL, "%s", out);
    cr_expect(strstr(out, "PASS") == NULL && strstr(out, "FAIL") == NULL, "%s", out);
}

/* Runs the pass fixture against a misbehave server in mode (with extra options) and checks the
 * pre-flight refused it: exit 3, the one line want (PORT replaced), no case graded, and only
 * the pre-flight's connection accepted. */
static void refused(cf_mb_mode mode, const char *extra, const char *want)
{
    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    char args[512], out[8192], line[256];
    snprintf(args, sizeof args, "run " FIX "pass --target 127.0.0.1:%d %s", cf_mb_port(m), extra);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 3, "%s: %s", args, out);
    snprintf(line, sizeof line, "conform run: 127.0.0.1:%d does not speak HTTP: it %s",
             cf_mb_port(m), want);
    cr_expect(strstr(out, line) != NULL, "want '%s' in: %s", line, out);
    cr_expect(strstr(out, "PASS") == NULL && strstr(out, "FAIL") == NULL, "%s", out);
    cr_expect_eq(cf_mb_accepted(m), 1, "%u connections: cases ran after the pre-flight",
                 cf_mb_accepted(m));
    cf_mb_stop(m);
}

Test(cmd_run, preflight_refuses_what_is_not_http)
{
    refused(CF_MB_GARBAGE, "", "sent \"SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n\" (30 bytes) to GET /\n");
    refused(CF_MB_SILENT, "--time-limit 300ms", "sent nothing in 300ms to GET /\n");
    refused(CF_MB_CLOSE, "", "closed the connection without a response to GET /\n");
    refused(CF_MB_RESET, "", "reset the connection on GET /\n");
    refused(CF_MB_ACCEPT_RESET, "", "reset the connection");
}

Test(cmd_run, preflight_passes_any_response)
{
    /* A response cut short is still HTTP: the cases run and judge it (how is not this test's
     * business). */
    cf_mb *m = cf_mb_start(CF_MB_SHORT_BODY);
    cr_assert_not_null(m);
    char args[512], out[8192];
    snprintf(args, sizeof args, "run " FIX "pass --target 127.0.0.1:%d --id run-get-root",
             cf_mb_port(m));
    int rc = cf_run_conform(args, out, sizeof out);
    cr_expect(rc == 0 || rc == 1, "exit %d: %s", rc, out);
    cr_expect(strstr(out, "  run-get-root  ") != NULL, "%s", out);
    cr_expect(strstr(out, "does not speak HTTP") == NULL, "%s", out);
    cr_expect_eq(cf_mb_accepted(m), 2, "the pre-flight and the case: %u", cf_mb_accepted(m));
    cf_mb_stop(m);
}

/* With --no-preflight, the cases meet the misbehaving server and say what it did. */
Test(cmd_run, misbehaving_servers)
{
    char args[512], out[8192];
    cf_mb *m = cf_mb_start(CF_MB_SILENT);
    cr_assert_not_null(m);
    snprintf(args, sizeof args,
             "run " FIX "pass --target http://127.0.0.1:%d/ --id run-get-root --time-limit 200ms "
             "--no-preflight",
             cf_mb_port(m));
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "FAIL  run-get-root") != NULL, "%s", out);
    cr_expect(strstr(out, "actual:   no response, timed out after") != NULL, "%s", out);
    cf_mb_stop(m);

    m = cf_mb_start(CF_MB_GARBAGE);
    cr_assert_not_null(m);
    snprintf(args, sizeof args,
             "run " FIX "pass --target 127.0.0.1:%d --id run-get-root --no-preflight",
             cf_mb_port(m));
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "not HTTP") != NULL, "%s", out);
    cf_mb_stop(m);

    /* a case timeout shorter than the wait makes the case an ERROR */
    m = cf_mb_start(CF_MB_SILENT);
    cr_assert_not_null(m);
    snprintf(args, sizeof args,
             "run " FIX "pass --target 127.0.0.1:%d --id run-get-root --case-timeout 150ms "
             "--no-preflight",
             cf_mb_port(m));
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "ERROR run-get-root") != NULL, "%s", out);
    cr_expect(strstr(out, "error: case timeout 150 ms reached while reading step 1") != NULL, "%s",
              out);
    cr_expect(strstr(out, "1 case: 0 passed, 0 failed, 0 warnings, 0 info, 1 errors, 0 skipped") !=
                  NULL,
              "%s", out);
    cf_mb_stop(m);

    /* 150 fields are HTTP; over --max-fields they are over conform's cap: SKIP, exit 0 */
    m = cf_mb_start(CF_MB_MANY_FIELDS);
    cr_assert_not_null(m);
    snprintf(args, sizeof args, "run " FIX "pass --target 127.0.0.1:%d --id run-get-root",
             cf_mb_port(m));
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "PASS  run-get-root") != NULL, "%s", out);
    snprintf(args, sizeof args,
             "run " FIX "pass --target 127.0.0.1:%d --id run-get-root --max-fields 100",
             cf_mb_port(m));
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "SKIP  run-get-root") != NULL, "%s", out);
    cr_expect(strstr(out, "skipped: response not observed: response over conform's cap (100 "
                          "fields; --max-fields)") != NULL,
              "%s", out);
    cr_expect(strstr(out, "not HTTP") == NULL, "%s", out);
    cf_mb_stop(m);
}

/* A case whose premise does not hold is SKIP with the reason, counted apart, and does not fail
 * the run unless --fail-on includes skip; a held premise leaves the expectation to judge. */
Test(cmd_run, premise_not_shown_is_skip)
{
    char out[16384];
    cr_expect_eq(
        cf_run_conform("run " FIX "skip --target builtin --id premise-missed", out, sizeof out), 0,
        "%s", out);
    cr_expect(
        strstr(out, "SKIP  premise-missed  The premise needs a 304 the server never sends\n") !=
            NULL,
        "%s", out);
    cr_expect(strstr(out, "      skipped: not exercised: step 1 needs status 304; the server sent "
                          "200 OK") != NULL,
              "%s", out);
    cr_expect(strstr(out, "1 case: 0 passed, 0 failed, 0 warnings, 0 info, 0 errors, 1 skipped") !=
                  NULL,
              "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX "skip --target builtin --id premise-missed --fail-on "
                                "must,skip",
                                out, sizeof out),
                 1, "%s", out);
    cr_expect_eq(
        cf_run_conform("run " FIX "skip --target builtin --id premise-held", out, sizeof out), 1,
        "%s", out);
    cr_expect(strstr(out, "FAIL  premise-held") != NULL, "%s", out);
    cr_expect_eq(
        cf_run_conform("run " FIX "skip --target builtin --fail-on sometimes", out, sizeof out), 2,
        "%s", out);
}

/* SKIP in the machine formats: JSON "skip" and counts, JUnit <skipped>, TAP "# SKIP". */
Test(cmd_run, skip_in_reports)
{
    char out[16384], cmd[1024];
    char dir[] = "/tmp/conform-skip-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    snprintf(cmd, sizeof cmd,
             "run " FIX "skip --target builtin --id premise-missed --report json:%s/r.json "
             "--report junit:%s/r.xml --report tap:%s/r.tap",
             dir, dir, dir);
    cr_expect_eq(cf_run_conform(cmd, out, sizeof out), 0, "%s", out);
    const char *files[] = {"r.json", "r.xml", "r.tap"};
    const char *want[] = {"\"verdict\":\"SKIP\",\"error\":null,\"skip\":\"not exercised: step 1 "
                          "needs status 304; the server sent 200 OK",
                          "<skipped message=\"not exercised: step 1 needs status 304",
                          "ok 1 - premise-missed The premise needs a 304 the server never sends "
                          "# SKIP not exercised: step 1 needs status 304"};
    for (int i = 0; i < 3; i++) {
        char path[512], buf[65536];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "r");
        cr_assert(f != NULL, "%s", path);
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        cr_expect(strstr(buf, want[i]) != NULL, "%s:\n%s", files[i], buf);
        remove(path);
    }
    rmdir(dir);
}

/* Both reproductions of a failure work with conform and bash alone: the rerun command shows the
 * exchange as text and hexdump, and the raw line (bash /dev/tcp, bounded by timeout) gets the
 * server's answer even though the built-in server keeps the connection open. */
Test(cmd_run, reproductions_need_only_conform_and_bash, .timeout = 30)
{
    char out[16384], cmd[4096];
    cf_mb *m = cf_mb_start(CF_MB_CORRECT);
    cr_assert_not_null(m);
    snprintf(cmd, sizeof cmd,
             "run " FIX "fail/levels.yaml --id =verdict-must-fails --target "
             "127.0.0.1:%d",
             cf_mb_port(m));
    cr_expect_eq(cf_run_conform(cmd, out, sizeof out), 1, "%s", out);
    /* the status line and fields of what came back, under actual */
    cr_expect(strstr(out, "      actual:   200 OK") != NULL, "%s", out);
    cr_expect(strstr(out, "                HTTP/1.1 200 OK\\r\\n\n") != NULL, "%s", out);
    char *rerun = strstr(out, "      rerun:     conform run ");
    char *raw = strstr(out, "      reproduce: printf '");
    cr_assert(rerun && raw, "%s", out);
    char *end = strchr(rerun, '\n');
    *end = 0;
    char args[2048];
    snprintf(args, sizeof args, "%s", rerun + strlen("      rerun:     conform "));
    cr_expect(strstr(args, "--id =verdict-must-fails --target 127.0.0.1:") != NULL, "%s", args);
    cr_expect(strstr(args, " --show") != NULL, "%s", args);
    end = strchr(raw, '\n');
    *end = 0;
    snprintf(cmd, sizeof cmd, "%s", raw + strlen("      reproduce: "));
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char got[4096];
    size_t n = fread(got, 1, sizeof got - 1, p);
    int st = pclose(p);
    got[n] = 0;
    cr_expect(strncmp(got, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s: %s", cmd, got);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 124, "timeout ends the wait: %d", st);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "      sent 48 bytes:\n        GET /it's%25 HTTP/1.1\\r\\n\n") != NULL,
              "%s", out);
    cr_expect(strstr(out, "      received ") != NULL, "%s", out);
    cr_expect(strstr(out, "        00000000  48 54 54 50 2f 31 2e 31  20 32 30 30 20 4f 4b 0d  "
                          "|HTTP/1.1 200 OK.|\n") != NULL,
              "%s", out);
    cf_mb_stop(m);
}
