/* conform run --rules gate|report|off against misbehaving servers that break a compliance rule on
 * every response: the exit status, one line per rule per case, baselines of rule findings
 * (docs/rules.md "Gating", docs/baseline.md). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_conform_cmd.h"
#include "misbehave.h"
#include "util_file.h"

#define FIX CF_SOURCE_DIR "/tests/data/run/"

static char out[1 << 16];

/* conform run FIX/rules against m with more args; returns the exit status. One job: the
 * misbehaving server serves one connection at a time. */
static int run_against(const cf_mb *m, const char *more)
{
    char args[2048];
    snprintf(args, sizeof args, "run " FIX "rules -j 1 --target 127.0.0.1:%d %s", cf_mb_port(m),
             more);
    return cf_run_conform(args, out, sizeof out);
}

/* How many times needle occurs in hay. */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Writes text to a fresh file; path gets its name. */
static void write_tmp(char *path, size_t cap, const char *name, const char *text)
{
    snprintf(path, cap, "/tmp/cf_rules_%d_%s", (int)getpid(), name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    cr_assert_eq(cf_file_read(path, 1 << 20, &text, &len), CF_FILE_OK, "%s", path);
    return text;
}

Test(cmd_run_rules, must_rule_fails_the_run_once_per_case)
{
    cf_mb *m = cf_mb_start(CF_MB_NO_SP);
    cr_assert_not_null(m);
    cr_expect_eq(run_against(m, ""), 1, "%s", out);
    /* the cases themselves pass: the rule finding fails the run on its own */
    cr_expect(strstr(out, "PASS  rules-get") != NULL, "%s", out);
    cr_expect(strstr(out, "PASS  rules-get-twice") != NULL, "%s", out);
    cr_expect(strstr(out, "      FAIL rule status-line-space-missing (RFC 9112 §4, MUST): 1 of 1 "
                          "response — first: \"HTTP/1.1 200\\r\\n\" (") != NULL,
              "%s", out);
    cr_expect(strstr(out, "      FAIL rule status-line-space-missing (RFC 9112 §4, MUST): 2 of 2 "
                          "responses — first: \"HTTP/1.1 200\\r\\n\"") != NULL,
              "%s", out);
    cr_expect_eq(count(out, "FAIL rule "), 2, "one line per rule per case: %s", out);
    /* the summary counts rules × cases */
    cr_expect(
        strstr(out, "Compliance rules broken (2 rule × case findings, 3 response findings;") !=
            NULL,
        "%s", out);
    cr_expect(strstr(out, "     2 cases  status-line-space-missing  RFC 9112 §4 (MUST)  3 "
                          "responses, e.g. rules-get, rules-get-twice\n") != NULL,
              "%s", out);
    /* -q still shows a passing case with a gating finding */
    cr_expect_eq(run_against(m, "-q"), 1, "%s", out);
    cr_expect(strstr(out, "PASS  rules-get") != NULL, "%s", out);
    cf_mb_stop(m);
}

Test(cmd_run_rules, report_and_off_never_fail)
{
    cf_mb *m = cf_mb_start(CF_MB_NO_SP);
    cr_assert_not_null(m);
    cr_expect_eq(run_against(m, "--rules report"), 0, "%s", out);
    cr_expect(strstr(out, "      rule status-line-space-missing (RFC 9112 §4, MUST): 1 of 1 ") !=
                  NULL,
              "listed: %s", out);
    cr_expect(strstr(out, "FAIL") == NULL, "%s", out);
    cr_expect_eq(run_against(m, "--rules off"), 0, "%s", out);
    cr_expect(strstr(out, "rule status-line-space-missing") == NULL, "not judged: %s", out);
    cr_expect(strstr(out, "Compliance rules broken: none") != NULL, "%s", out);
    cr_expect_eq(run_against(m, "--rules bogus"), 2, "%s", out);
    cr_expect(strstr(out, "--rules") != NULL, "%s", out);
    cf_mb_stop(m);
}

Test(cmd_run_rules, complies_judges_its_case_in_every_mode)
{
    cf_mb *m = cf_mb_start(CF_MB_NO_SP);
    cr_assert_not_null(m);
    static const char *const modes[] = {"gate", "report", "off"};
    for (size_t i = 0; i < 3; i++) {
        char args[512];
        snprintf(args, sizeof args,
                 "run " FIX "rules-complies -j 1 --target 127.0.0.1:%d --rules %s", cf_mb_port(m),
                 modes[i]);
        cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s: %s", modes[i], out);
        cr_expect(strstr(out, "FAIL  rules-complies-status-line") != NULL, "%s: %s", modes[i], out);
    }
    cf_mb_stop(m);
}

Test(cmd_run_rules, should_rule_warns_unless_strict_or_fail_on)
{
    cf_mb *m = cf_mb_start(CF_MB_SHOULD_ONLY);
    cr_assert_not_null(m);
    cr_expect_eq(run_against(m, ""), 0, "%s", out);
    cr_expect(
        strstr(out, "      WARN rule content-type-missing (RFC 9110 §8.3, SHOULD): 1 of 1 ") !=
            NULL,
        "%s", out);
    cr_expect_eq(run_against(m, "--fail-on should"), 1, "%s", out);
    cr_expect_eq(run_against(m, "--strict"), 1, "%s", out);
    cr_expect(strstr(out, "      FAIL rule content-type-missing") != NULL, "%s", out);
    cf_mb_stop(m);
}

Test(cmd_run_rules, correct_server_passes)
{
    cf_mb *m = cf_mb_start(CF_MB_CORRECT_DATED);
    cr_assert_not_null(m);
    cr_expect_eq(run_against(m, ""), 0, "%s", out);
    cr_expect(strstr(out, "Compliance rules broken: none") != NULL, "%s", out);
    cf_mb_stop(m);
}

Test(cmd_run_rules, yaml_baseline_of_rules)
{
    cf_mb *m = cf_mb_start(CF_MB_NO_SP);
    cr_assert_not_null(m);
    char path[256], more[512];
    /* a rule known everywhere: passes, and says what is known */
    write_tmp(path, sizeof path, "all.yaml",
              "known:\n  - rule: status-line-space-missing\n    reason: legacy proxy\n");
    snprintf(more, sizeof more, "--baseline %s", path);
    cr_expect_eq(run_against(m, more), 0, "%s", out);
    cr_expect(strstr(out, "0 regressions, 0 fixed\nknown: 0 cases and 2 rule findings fail as the "
                          "baseline says\n") != NULL,
              "%s", out);
    remove(path);
    /* known in one case only: the other case's finding is a regression */
    write_tmp(path, sizeof path, "one.yaml",
              "known:\n  - rule: status-line-space-missing\n    case: rules-get\n"
              "  - id: some-old-case\n    reason: kept as it was\n");
    snprintf(more, sizeof more, "--baseline %s", path);
    cr_expect_eq(run_against(m, more), 1, "%s", out);
    cr_expect(strstr(out, "  regression  rules-get-twice rule status-line-space-missing  - -> "
                          "FAIL\n") != NULL,
              "%s", out);
    /* --update-baseline lists both cases' findings, keeps the old case entry, exits 0 */
    snprintf(more, sizeof more, "--baseline %s --update-baseline", path);
    cr_expect_eq(run_against(m, more), 0, "%s", out);
    char *text = slurp(path);
    cr_expect(strstr(text, "  - rule: \"status-line-space-missing\"\n    case: \"rules-get\"\n") !=
                  NULL,
              "%s", text);
    cr_expect(strstr(text, "  - rule: \"status-line-space-missing\"\n    case: "
                           "\"rules-get-twice\"\n") != NULL,
              "%s", text);
    cr_expect(strstr(text, "  - id: \"some-old-case\"\n    reason: \"kept as it was\"\n") != NULL,
              "%s", text);
    free(text);
    cr_expect_eq(run_against(m, more + 0), 0, "%s", out);
    cf_mb_stop(m);
    /* the server fixed: the rule entries are reported fixed, and --update-baseline drops them */
    m = cf_mb_start(CF_MB_CORRECT_DATED);
    cr_assert_not_null(m);
    snprintf(more, sizeof more, "--baseline %s", path);
    cr_expect_eq(run_against(m, more), 0, "%s", out);
    cr_expect(strstr(out, "  fixed       rules-get rule status-line-space-missing  known -> -") !=
                  NULL,
              "%s", out);
    cr_expect(strstr(out, "0 regressions, 2 fixed\n") != NULL, "%s", out);
    snprintf(more, sizeof more, "--baseline %s --update-baseline", path);
    cr_expect_eq(run_against(m, more), 0, "%s", out);
    text = slurp(path);
    cr_expect(strstr(text, "rule:") == NULL, "%s", text);
    free(text);
    remove(path);
    cf_mb_stop(m);
}

Test(cmd_run_rules, yaml_baseline_errors)
{
    cf_mb *m = cf_mb_start(CF_MB_NO_SP);
    cr_assert_not_null(m);
    char path[256], more[512];
    write_tmp(path, sizeof path, "bad.yaml", "known:\n  - rule: no-such-rule\n");
    snprintf(more, sizeof more, "--baseline %s", path);
    cr_expect_eq(run_against(m, more), 2, "%s", out);
    cr_expect(strstr(out, "bad.yaml:2:5: unknown rule 'no-such-rule' (docs/rules.md lists them)") !=
                  NULL,
              "%s", out);
    write_tmp(path, sizeof path, "bad.yaml", "known:\n  - case: rules-get\n");
    cr_expect_eq(run_against(m, more), 2, "%s", out);
    cr_expect(strstr(out, "'case' goes with 'rule'") != NULL, "%s", out);
    remove(path);
    cf_mb_stop(m);
}

Test(cmd_run_rules, json_baseline_knows_the_findings)
{
    cf_mb *m = cf_mb_start(CF_MB_NO_SP);
    cr_assert_not_null(m);
    char path[256], more[512];
    snprintf(path, sizeof path, "/tmp/cf_rules_%d_old.json", (int)getpid());
    snprintf(more, sizeof more, "--report json:%s", path);
    cr_expect_eq(run_against(m, more), 1, "%s", out);
    char *json = slurp(path);
    cr_expect(strstr(json, "\"strict\":false,\"rules\":\"gate\",") != NULL, "%s", json);
    free(json);
    /* the other formats show the passing cases' rule findings, one per rule per case */
    static const char *const formats[] = {"markdown", "junit", "tap", "html"};
    for (size_t i = 0; i < 4; i++) {
        char args[512];
        snprintf(args, sizeof args, "report %s --format %s", path, formats[i]);
        cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
        cr_expect(strstr(out, "status-line-space-missing") != NULL, "%s: %s", formats[i], out);
        if (i < 3) /* JUnit: in the failure's message and text */
            cr_expect_eq(count(out, "rule status-line-space-missing (RFC 9112 §4, MUST): 1 of 1 "
                                    "response"),
                         i == 1 ? 2u : 1u, "%s: %s", formats[i], out);
    }
    snprintf(more, sizeof more, "--baseline %s", path);
    cr_expect_eq(run_against(m, more), 0, "%s", out);
    cr_expect(strstr(out, "known: 0 cases and 2 rule findings fail as") != NULL, "%s", out);
    cf_mb_stop(m);
    /* conform diff: the rule findings of the saved run against a clean one */
    m = cf_mb_start(CF_MB_CORRECT_DATED);
    cr_assert_not_null(m);
    char clean[256], args[1024];
    snprintf(clean, sizeof clean, "/tmp/cf_rules_%d_clean.json", (int)getpid());
    snprintf(more, sizeof more, "--report json:%s", clean);
    cr_expect_eq(run_against(m, more), 0, "%s", out);
    snprintf(args, sizeof args, "diff %s %s", path, clean);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "  fixed       rules-get rule status-line-space-missing  FAIL -> -\n") !=
                  NULL,
              "%s", out);
    snprintf(args, sizeof args, "diff %s %s", clean, path);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "  regression  rules-get rule status-line-space-missing  - -> FAIL\n") !=
                  NULL,
              "%s", out);
    cr_expect(strstr(out, "2 regressions, 0 fixed, 0 other changes\n") != NULL, "%s", out);
    snprintf(args, sizeof args, "diff --rules report %s %s", clean, path);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "0 regressions, 0 fixed, 0 other changes\n") != NULL, "%s", out);
    snprintf(args, sizeof args, "diff --format json %s %s", clean, path);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "\"id\":\"rules-get\",\"rule\":\"status-line-space-missing\",") != NULL,
              "%s", out);
    cf_mb_stop(m);
    remove(path);
    remove(clean);
}
