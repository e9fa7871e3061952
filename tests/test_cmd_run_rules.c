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

/* A misbehaving server in mode (the test stops when it cannot start). */
static cf_mb *start(cf_mb_mode mode)
{
    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    return m;
}

/* Runs conform run against m with more args and expects status. */
static void expect_run(const cf_mb *m, const char *more, int status)
{
    int got = run_against(m, more);
    cr_expect_eq(got, status, "conform run ... %s: exit %d, expected %d:\n%s", more, got, status,
                 out);
}

/* conform diff OPTS OLD NEW: expects status and want in its output. */
static void expect_diff(const char *opts, const char *old, const char *now, int status,
                        const char *want)
{
    char args[1024];
    snprintf(args, sizeof args, "diff %s %s %s", opts, old, now);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), status, "%s: %s", args, out);
    cr_expect(strstr(out, want) != NULL, "%s: missing \"%s\" in:\n%s", args, want, out);
}

/* Expects needle in the output of the last command. */
static void expect_out(const char *needle)
{
    cr_expect(strstr(out, needle) != NULL, "missing \"%s\" in:\n%s", needle, out);
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
    cf_mb *m = start(CF_MB_NO_SP);
    expect_run(m, "", 1);
    /* the cases themselves pass: the rule finding fails the run on its own */
    expect_out("PASS  rules-get");
    expect_out("PASS  rules-get-twice");
    expect_out("      FAIL rule status-line-space-missing (RFC 9112 §4, MUST): 1 of 1 "
               "response — first: \"HTTP/1.1 200\\r\\n\" (");
    expect_out("      FAIL rule status-line-space-missing (RFC 9112 §4, MUST): 2 of 2 "
               "responses — first: \"HTTP/1.1 200\\r\\n\"");
    cr_expect_eq(count(out, "FAIL rule "), 2, "one line per rule per case: %s", out);
    /* and a passing case with a rule finding shows how to reproduce it */
    expect_out("      rerun:     conform run ");
    expect_out(" --id =rules-get --target 127.0.0.1:");
    cr_expect_eq(count(out, "      reproduce: printf '"), 2, "%s", out);
    /* the summary counts rules × cases */
    expect_out("Compliance rules broken (2 rule × case findings, 3 response findings;");
    expect_out("     2 cases  status-line-space-missing  RFC 9112 §4 (MUST)  3 "
               "responses, e.g. rules-get, rules-get-twice\n");
    /* and why the run fails although every case passed */
    expect_out("\n2 compliance rule findings (one per rule per case) fail the run (--rules gate, "
               "--fail-on must); --rules report lists them without failing, a --baseline can "
               "list them as known\n");
    /* -q still shows a passing case with a gating finding */
    expect_run(m, "-q", 1);
    expect_out("PASS  rules-get");
    cf_mb_stop(m);
}

/* RFC 9111 §5.1, §5.2, §5.3: each cache rule fires on a response that breaks it, at its level. */
Test(cmd_run_rules, cache_rules_fire)
{
    cf_mb *m = start(CF_MB_BAD_CACHE);
    expect_run(m, "", 1);
    static const char *const lines[] = {
        "FAIL rule cache-control-max-age-invalid (RFC 9111 §5.2.2.1, MUST): 1 of 1 response",
        "FAIL rule cache-control-s-maxage-invalid (RFC 9111 §5.2.2.10, MUST)",
        "WARN rule cache-control-no-cache-token-form (RFC 9111 §5.2.2.4, SHOULD)",
        "WARN rule cache-control-private-token-form (RFC 9111 §5.2.2.7, SHOULD)",
        "FAIL rule cache-control-argument-not-allowed (RFC 9111 §5.2, MUST)",
        "WARN rule cache-control-must-understand-without-no-store (RFC 9111 §5.2.2.3, SHOULD)",
        "FAIL rule age-invalid (RFC 9111 §5.1, MUST)",
        "FAIL rule expires-invalid (RFC 9111 §5.3, MUST)",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        expect_out(lines[i]);
    /* the list itself is valid: cache-control-invalid is not among them */
    cr_expect_null(strstr(out, "cache-control-invalid"), "%s", out);
    cf_mb_stop(m);
}

Test(cmd_run_rules, complies_judges_its_case_in_every_mode)
{
    cf_mb *m = start(CF_MB_NO_SP);
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

/* One run against a server in a mode: its exit status, a line it prints, one it must not. */
typedef struct run_row {
    cf_mb_mode mode;
    const char *more;
    int status;
    const char *want, *unwanted;
} run_row;

Test(cmd_run_rules, exit_status_by_rules_mode_and_level)
{
    static const run_row rows[] = {
        /* --rules report lists the MUST finding without a verdict and never fails */
        {CF_MB_NO_SP, "--rules report", 0,
         "      rule status-line-space-missing (RFC 9112 §4, MUST): 1 of 1 ", "FAIL"},
        /* --rules off judges nothing */
        {CF_MB_NO_SP, "--rules off", 0, "Compliance rules: not judged (--rules off)",
         "rule status-line-space-missing"},
        {CF_MB_NO_SP, "--rules bogus", 2, "--rules", NULL},
        /* a SHOULD rule warns, fails under --fail-on should or --strict */
        {CF_MB_SHOULD_ONLY, "", 0,
         "      WARN rule content-type-missing (RFC 9110 §8.3, SHOULD): 1 of 1 ", NULL},
        {CF_MB_SHOULD_ONLY, "--fail-on should", 1, "WARN rule content-type-missing", NULL},
        {CF_MB_SHOULD_ONLY, "--strict", 1, "      FAIL rule content-type-missing", NULL},
        /* a server that breaks no rule */
        {CF_MB_CORRECT_DATED, "", 0, "Compliance rules broken: none", "rule "},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const run_row *r = &rows[i];
        cf_mb *m = start(r->mode);
        expect_run(m, r->more, r->status);
        if (r->want) expect_out(r->want);
        if (r->unwanted) cr_expect(strstr(out, r->unwanted) == NULL, "%s: %s", r->more, out);
        cf_mb_stop(m);
    }
}

/* conform run --baseline path [--update-baseline] against m: expects status. */
static void run_baseline(const cf_mb *m, const char *path, bool update, int status)
{
    char more[512];
    snprintf(more, sizeof more, "--baseline %s%s", path, update ? " --update-baseline" : "");
    expect_run(m, more, status);
}

/* Expects the file at path to hold needle exactly times times. */
static void expect_file(const char *path, const char *needle, size_t times)
{
    char *text = slurp(path);
    cr_expect_eq(count(text, needle), times, "\"%s\" in:\n%s", needle, text);
    free(text);
}

Test(cmd_run_rules, yaml_baseline_of_rules)
{
    cf_mb *m = start(CF_MB_NO_SP);
    char path[256];
    /* a rule known everywhere: passes, says what is known; --update-baseline keeps it once */
    write_tmp(path, sizeof path, "all.yaml",
              "known:\n  - rule: status-line-space-missing\n    reason: legacy proxy\n");
    run_baseline(m, path, false, 0);
    expect_out("0 regressions, 0 fixed\nknown: 0 cases and 2 rule findings fail as the "
               "baseline says\n");
    run_baseline(m, path, true, 0);
    expect_file(
        path, "known:\n  - rule: \"status-line-space-missing\"\n    reason: \"legacy proxy\"\n", 1);
    expect_file(path, "rule:", 1);
    remove(path);
    /* known in one case only: the other case's finding is a regression */
    write_tmp(path, sizeof path, "one.yaml",
              "known:\n  - rule: status-line-space-missing\n    case: rules-get\n"
              "  - id: some-old-case\n    reason: kept as it was\n");
    run_baseline(m, path, false, 1);
    expect_out("  regression  rules-get-twice rule status-line-space-missing  - -> FAIL\n");
    /* --update-baseline lists both cases' findings, keeps the old case entry, exits 0 */
    run_baseline(m, path, true, 0);
    expect_file(path, "  - rule: \"status-line-space-missing\"\n    case: \"rules-get\"\n", 1);
    expect_file(path, "  - rule: \"status-line-space-missing\"\n    case: \"rules-get-twice\"\n",
                1);
    expect_file(path, "  - id: \"some-old-case\"\n    reason: \"kept as it was\"\n", 1);
    run_baseline(m, path, false, 0);
    cf_mb_stop(m);
    /* the server fixed: the rule entries are reported fixed, and --update-baseline drops them */
    m = start(CF_MB_CORRECT_DATED);
    run_baseline(m, path, false, 0);
    expect_out("  fixed       rules-get rule status-line-space-missing  known -> -");
    expect_out("0 regressions, 2 fixed\n");
    run_baseline(m, path, true, 0);
    expect_file(path, "rule:", 0);
    remove(path);
    cf_mb_stop(m);
}

Test(cmd_run_rules, yaml_baseline_errors)
{
    cf_mb *m = start(CF_MB_NO_SP);
    char path[256], more[512];
    write_tmp(path, sizeof path, "bad.yaml", "known:\n  - rule: no-such-rule\n");
    snprintf(more, sizeof more, "--baseline %s", path);
    expect_run(m, more, 2);
    expect_out("bad.yaml:2:5: unknown rule 'no-such-rule' (docs/rules.md lists them)");
    write_tmp(path, sizeof path, "bad.yaml", "known:\n  - case: rules-get\n");
    expect_run(m, more, 2);
    expect_out("'case' goes with 'rule'");
    remove(path);
    cf_mb_stop(m);
}

Test(cmd_run_rules, json_baseline_knows_the_findings)
{
    cf_mb *m = start(CF_MB_NO_SP);
    char path[256], more[512];
    snprintf(path, sizeof path, "/tmp/cf_rules_%d_old.json", (int)getpid());
    snprintf(more, sizeof more, "--report json:%s", path);
    expect_run(m, more, 1);
    char *json = slurp(path);
    cr_expect(strstr(json, "\"interrupted\":false,\"rules\":\"gate\",") != NULL, "%s", json);
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
    /* HTML: one item per rule per case, with how many responses broke it */
    expect_out("<code>status-line-space-missing</code> <span class=\"muted\">RFC 9112 §4 · 2 of 2 "
               "responses</span> first: status-line lacks the SP");
    snprintf(more, sizeof more, "--baseline %s", path);
    expect_run(m, more, 0);
    expect_out("known: 0 cases and 2 rule findings fail as");
    cf_mb_stop(m);
    /* conform diff: the rule findings of the saved run against a clean one */
    m = start(CF_MB_CORRECT_DATED);
    char clean[256];
    snprintf(clean, sizeof clean, "/tmp/cf_rules_%d_clean.json", (int)getpid());
    snprintf(more, sizeof more, "--report json:%s", clean);
    expect_run(m, more, 0);
    expect_diff("", path, clean, 0,
                "  fixed       rules-get rule status-line-space-missing  FAIL -> -\n");
    expect_diff("", clean, path, 1,
                "  regression  rules-get rule status-line-space-missing  - -> FAIL\n");
    expect_out("2 regressions, 0 fixed, 0 other changes\n");
    expect_diff("--rules report", clean, path, 0, "0 regressions, 0 fixed, 0 other changes\n");
    expect_diff("--format json", clean, path, 1,
                "\"id\":\"rules-get\",\"rule\":\"status-line-space-missing\",");
    cf_mb_stop(m);
    remove(path);
    remove(clean);
}
