/* Baselines (lib/gate/include/gate_baseline.h) and conform run's gate
 * (lib/gate/include/gate_run.h): YAML and JSON loading with positioned errors, saving that keeps
 * reasons, and the real binary against the built-in server: --fail-on, --baseline (regressions,
 * fixed), --update-baseline, bad files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gate_baseline.h"
#include "cf_conform_cmd.h"

#define FIX  CF_SOURCE_DIR "/tests/data/run/"
#define GATE CF_SOURCE_DIR "/tests/data/gate/"

/* A fresh directory for one test's files. */
static void tmpdir(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/cf-gate-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s", path);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
}

static char *read_file(const char *path)
{
    static char buf[1 << 20];
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    return buf;
}

Test(gate_baseline, yaml_entries)
{
    const char *y = "known:\n"
                    "  - {id: a, reason: \"why \\\"quoted\\\"\"}\n"
                    "  - id: b\n"
                    "    target: nginx\n"
                    "  - id: b\n"
                    "    reason: ''\n";
    cf_baseline b;
    char err[512] = "";
    cr_assert_eq(cf_baseline_load_text(y, strlen(y), "k.yaml", &b, err, sizeof err), 0, "%s", err);
    cr_expect_eq(b.kind, CF_BASELINE_YAML);
    cr_assert_eq(b.set.n, 3);
    cr_expect_str_eq(b.set.v[0].id, "a");
    cr_expect_str_eq(b.set.v[0].reason, "why \"quoted\"");
    cr_expect_null(b.set.v[0].target);
    cr_expect_eq(b.set.v[0].verdict, CF_GATE_KNOWN);
    cr_expect_str_eq(b.set.v[1].target, "nginx");
    cr_expect_null(b.set.v[1].reason);
    cr_expect_str_eq(b.set.v[2].reason, "");
    cf_baseline_free(&b);
    /* an empty list and a null known: are fine */
    cr_expect_eq(cf_baseline_load_text("known: []\n", 10, "k.yaml", &b, err, sizeof err), 0);
    cr_expect_eq(b.set.n, 0);
    cf_baseline_free(&b);
    cr_expect_eq(cf_baseline_load_text("known:\n", 7, "k.yaml", &b, err, sizeof err), 0, "%s", err);
    cf_baseline_free(&b);
}

Test(gate_baseline, yaml_rule_entries_beside_old_ones)
{
    const char *y = "known:\n"
                    "  - id: a\n"         /* a file from before rule entries */
                    "  - rule: bare-lf\n" /* the rule in every case */
                    "    reason: the proxy\n"
                    "  - {rule: date-missing, case: a, target: nginx}\n"
                    "  - {rule: date-missing, id: b}\n"; /* id: the same as case */
    cf_baseline b;
    char err[512] = "";
    cr_assert_eq(cf_baseline_load_text(y, strlen(y), "k.yaml", &b, err, sizeof err), 0, "%s", err);
    char got[512] = "";
    for (size_t i = 0; i < b.set.n; i++) {
        const cf_gate_entry *e = &b.set.v[i];
        cr_expect_eq(e->verdict, CF_GATE_KNOWN);
        size_t n = strlen(got);
        snprintf(got + n, sizeof got - n, "[%s|%s|%s|%s]", e->rule ? e->rule : "-",
                 e->id ? e->id : "*", e->target ? e->target : "-", e->reason ? e->reason : "-");
    }
    /* rule | case (* every case) | target | reason */
    cr_expect_str_eq(got, "[-|a|-|-][bare-lf|*|-|the proxy][date-missing|a|nginx|-]"
                          "[date-missing|b|-|-]");
    cf_baseline_free(&b);
}

Test(gate_baseline, yaml_errors_say_where)
{
    static const struct {
        const char *text, *want;
    } rows[] = {
        {"known:\n  - id: a\n    reasn: x\n", "k.yaml:3:5: unknown key 'reasn'"},
        {"known:\n  - reason: x\n", "k.yaml:2:5: missing required key 'id'"},
        {"known:\n  - id: ''\n", "k.yaml:2:9: 'id' must be a non-empty string"},
        {"known:\n  - id: [a]\n", "k.yaml:2:9: 'id' must be a non-empty string"},
        {"known:\n  - just-a-string\n", "k.yaml:2:5: expected a mapping"},
        {"known: {id: a}\n", "k.yaml:1:8: 'known' must be a list"},
        {"knwn: []\n", "k.yaml:1:1: unknown key 'knwn'"},
        {"- id: a\n", "k.yaml:1:1: expected a mapping with the key 'known'"},
        {"", "k.yaml:1:1: empty baseline"},
        {"other: 1\n", "k.yaml:1:1: unknown key 'other'"},
        {"known:\n  - id: a\n  - id: a\n", "k.yaml:3:5: the same id (and target) is listed twice"},
        {"known:\n  - id: a\n    id: b\n", "k.yaml:3:5: duplicate key 'id'"},
        {"known:\n  - id: \"a\n", "k.yaml:3:1: found unexpected end of stream"},
        {"known: [\n", "k.yaml:2:1:"},
        /* rule entries */
        {"known:\n  - rule: no-such-rule\n", "k.yaml:2:5: unknown rule 'no-such-rule'"},
        {"known:\n  - case: a\n", "k.yaml:2:5: 'case' goes with 'rule'"},
        {"known:\n  - {rule: bare-lf, case: a, id: a}\n", "k.yaml:2:5: 'case' and 'id' name"},
        {"known:\n  - rule: bare-lf\n  - rule: bare-lf\n",
         "k.yaml:3:5: the same rule (case and target) is listed twice"},
        {"known:\n  - {rule: bare-lf, case: a}\n  - {rule: bare-lf, id: a}\n",
         "k.yaml:3:5: the same rule (case and target) is listed twice"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cf_baseline b;
        char err[512] = "";
        cr_expect_eq(cf_baseline_load_text(rows[i].text, strlen(rows[i].text), "k.yaml", &b, err,
                                           sizeof err),
                     -1, "%s", rows[i].text);
        cr_expect(!strncmp(err, rows[i].want, strlen(rows[i].want)), "[%s]: got '%s', want '%s'",
                  rows[i].text, err, rows[i].want);
        cr_expect_eq(b.set.n, 0);
    }
}

Test(gate_baseline, sniff)
{
    cr_expect_eq(cf_baseline_sniff(" \n {\"a\":1}", 10), CF_BASELINE_JSON);
    cr_expect_eq(cf_baseline_sniff("known: []", 9), CF_BASELINE_YAML);
    cr_expect_eq(cf_baseline_sniff("", 0), CF_BASELINE_YAML);
}

Test(gate_baseline, save_yaml_keeps_reasons_and_round_trips)
{
    char dir[64], path[128];
    tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/k.yaml", dir);
    const char *y = "known:\n"
                    "  - {id: \"odd \\\"id\\\"\\\\\", reason: \"kept: with colon\"}\n"
                    "  - {id: fixed-now, reason: gone}\n"
                    "  - {id: not-run, reason: stays}\n"
                    "  - {id: other, target: elsewhere, reason: other target}\n";
    cf_baseline old;
    char err[512] = "";
    cr_assert_eq(cf_baseline_load_text(y, strlen(y), "k.yaml", &old, err, sizeof err), 0, "%s",
                 err);
    cf_report_case cases[] = {{.id = "odd \"id\"\\", .verdict = CF_RV_FAIL},
                              {.id = "fixed-now", .verdict = CF_RV_PASS},
                              {.id = "new-warn", .verdict = CF_RV_WARN},
                              {.id = "new-fail", .verdict = CF_RV_ERROR},
                              {.id = "new-info", .verdict = CF_RV_INFO}};
    cf_report_target t = {.name = "builtin", .cases = cases, .ncases = 5};
    cf_report now = {.targets = &t, .ntargets = 1};
    cr_assert_eq(cf_baseline_save(path, CF_BASELINE_YAML, &old, &now, CF_FAILON_SHOULD,
                                  CF_RULES_GATE, err, sizeof err),
                 0, "%s", err);
    cf_baseline_free(&old);
    cf_baseline b;
    cr_assert_eq(cf_baseline_load(path, &b, err, sizeof err), 0, "%s\n%s", err, read_file(path));
    /* failing now (FAIL, WARN under should, ERROR), then the entries this run did not hold */
    cr_assert_eq(b.set.n, 5, "%s", read_file(path));
    cr_expect_str_eq(b.set.v[0].id, "odd \"id\"\\");
    cr_expect_str_eq(b.set.v[0].reason, "kept: with colon");
    cr_expect_str_eq(b.set.v[1].id, "new-warn");
    cr_expect_null(b.set.v[1].reason);
    cr_expect_null(b.set.v[1].target);
    cr_expect_str_eq(b.set.v[2].id, "new-fail");
    cr_expect_str_eq(b.set.v[3].id, "not-run");
    cr_expect_str_eq(b.set.v[3].reason, "stays");
    cr_expect_str_eq(b.set.v[4].id, "other");
    cr_expect_str_eq(b.set.v[4].target, "elsewhere");
    cf_baseline_free(&b);
    /* nothing failing and no old entries: an empty list that loads */
    cases[0].verdict = cases[2].verdict = cases[3].verdict = CF_RV_PASS;
    cr_assert_eq(cf_baseline_save(path, CF_BASELINE_YAML, NULL, &now, CF_FAILON_MUST, CF_RULES_GATE,
                                  err, sizeof err),
                 0);
    cr_assert_eq(cf_baseline_load(path, &b, err, sizeof err), 0, "%s", err);
    cr_expect_eq(b.set.n, 0);
    cf_baseline_free(&b);
    unlink(path);
    rmdir(dir);
}

Test(gate_baseline, run_fail_on_levels)
{
    char out[32768];
    /* levels.yaml: one PASS, FAIL, WARN, INFO */
    cr_expect_eq(
        cf_run_conform("run " FIX "fail --target builtin --level SHOULD,MAY", out, sizeof out), 0,
        "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX
                                "fail --target builtin --level SHOULD,MAY --fail-on must",
                                out, sizeof out),
                 0, "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX
                                "fail --target builtin --level SHOULD,MAY --fail-on should",
                                out, sizeof out),
                 1, "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX "fail --target builtin --level MAY --fail-on should",
                                out, sizeof out),
                 0, "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX "fail --target builtin --level MAY --fail-on=any", out,
                                sizeof out),
                 1, "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX "fail --target builtin --fail-on may", out, sizeof out),
                 2, "%s", out);
    cr_expect(strstr(out, "--fail-on: 'may' is not a level") != NULL, "%s", out);
    cr_expect_eq(
        cf_run_conform("run " FIX "fail --target builtin --update-baseline", out, sizeof out), 2,
        "%s", out);
    cr_expect(strstr(out, "--update-baseline needs --baseline FILE") != NULL, "%s", out);
}

Test(gate_baseline, run_with_yaml_baseline)
{
    char out[32768];
    /* known.yaml lists the MUST failure (so no regression) and verdict-pass (fixed) */
    cr_expect_eq(cf_run_conform("run " FIX "fail --target builtin -q --baseline " GATE "known.yaml",
                                out, sizeof out),
                 0, "%s", out);
    cr_expect(strstr(out, "  fixed       verdict-pass  known -> PASS  (stale entry") != NULL, "%s",
              out);
    cr_expect(strstr(out, "0 regressions, 1 fixed\n") != NULL, "%s", out);
    cr_expect(strstr(out, "fixed: 1 case in the baseline no longer fails; tighten the baseline") !=
                  NULL,
              "%s", out);
    /* under should the WARN is a regression: its entry names another target */
    cr_expect_eq(cf_run_conform("run " FIX
                                "fail --target builtin -q --fail-on should --baseline " GATE
                                "known.yaml",
                                out, sizeof out),
                 1, "%s", out);
    cr_expect(strstr(out, "  regression  verdict-should-warns  - -> WARN\n") != NULL, "%s", out);
    cr_expect(strstr(out, "1 regression, 1 fixed\n") != NULL, "%s", out);
    cr_expect(strstr(out, "regression  verdict-may-info") == NULL, "%s", out);
}

Test(gate_baseline, bad_baseline_exit_2_with_position)
{
    static const struct {
        const char *file, *want;
    } rows[] = {
        {"bad-key.yaml", "bad-key.yaml:5:5: unknown key 'reasn'"},
        {"bad-syntax.yaml", "bad-syntax.yaml:4:1: found unexpected end of stream"},
        {"missing-id.yaml", "missing-id.yaml:2:5: missing required key 'id'"},
        {"bad-json.json", "bad-json.json:2:21:"},
        {"does-not-exist.yaml", "cannot read "},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[8192], args[1024];
        snprintf(args, sizeof args, "run %sfail --target builtin --baseline %s%s", FIX, GATE,
                 rows[i].file);
        cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s: %s", rows[i].file, out);
        cr_expect(strstr(out, rows[i].want) != NULL, "%s: %s", rows[i].file, out);
        /* nothing was sent: no case line */
        cr_expect(strstr(out, "verdict-pass") == NULL, "%s", out);
    }
}

Test(gate_baseline, json_baseline_regressions_and_update)
{
    char dir[64], a[128], base[128], args[1024], out[32768];
    tmpdir(dir, sizeof dir);
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(base, sizeof base, "%s/base.json", dir);
    snprintf(args, sizeof args, "run " FIX "fail --target builtin --report json:%s", a);
    cr_assert_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    /* the run itself as the baseline: nothing new */
    snprintf(args, sizeof args, "run " FIX "fail --target builtin -q --baseline %s", a);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "0 regressions, 0 fixed\n") != NULL, "%s", out);
    /* a baseline where the MUST case passed and the passing case failed */
    char *text = strdup(read_file(a));
    char *m = strstr(text, "\"id\":\"verdict-must-fails\"");
    char *p = strstr(text, "\"id\":\"verdict-pass\"");
    cr_assert(m && p);
    memcpy(strstr(m, "\"verdict\":\"FAIL\"") + 11, "PASS", 4);
    memcpy(strstr(p, "\"verdict\":\"PASS\"") + 11, "FAIL", 4);
    write_file(base, text);
    free(text);
    snprintf(args, sizeof args, "run " FIX "fail --target builtin -q --baseline %s", base);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "  regression  verdict-must-fails  PASS -> FAIL\n") != NULL, "%s", out);
    cr_expect(strstr(out, "  fixed       verdict-pass  FAIL -> PASS\n") != NULL, "%s", out);
    /* --update-baseline: exit 0, the file is JSON again and is now the current run */
    snprintf(args, sizeof args,
             "run " FIX "fail --target builtin -q --baseline %s --update-baseline", base);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "updated with this run's failures") != NULL, "%s", out);
    cf_baseline b;
    char err[512];
    cr_assert_eq(cf_baseline_load(base, &b, err, sizeof err), 0, "%s", err);
    cr_expect_eq(b.kind, CF_BASELINE_JSON);
    cr_assert_eq(b.set.n, 4);
    for (size_t i = 0; i < b.set.n; i++)
        if (!strcmp(b.set.v[i].id, "verdict-must-fails"))
            cr_expect_eq(b.set.v[i].verdict, CF_RV_FAIL);
    cf_baseline_free(&b);
    snprintf(args, sizeof args, "run " FIX "fail --target builtin -q --baseline %s", base);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    unlink(a);
    unlink(base);
    rmdir(dir);
}

Test(gate_baseline, update_yaml_baseline_keeps_reasons)
{
    char dir[64], base[128], args[1024], out[32768];
    tmpdir(dir, sizeof dir);
    snprintf(base, sizeof base, "%s/known.yaml", dir);
    write_file(base, read_file(GATE "known.yaml"));
    snprintf(args, sizeof args,
             "run " FIX "fail --target builtin -q --fail-on should --baseline %s "
             "--update-baseline",
             base);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    const char *y = read_file(base);
    /* YAML stays YAML: kept reason, the new WARN without one, the other target's entry kept,
     * the fixed entry dropped */
    cr_expect(strstr(y, "  - id: \"verdict-must-fails\"\n    reason: \"the fixture asks for 299, "
                        "which no server sends\"\n") != NULL,
              "%s", y);
    cr_expect(strstr(y, "  - id: \"verdict-should-warns\"\n  - id") != NULL, "%s", y);
    cr_expect(strstr(y, "    target: \"some-other-server:8080\"\n    reason: \"only on that "
                        "target\"\n") != NULL,
              "%s", y);
    cr_expect(strstr(y, "verdict-pass") == NULL, "%s", y);
    cr_expect(strstr(y, "verdict-may-info") == NULL, "%s", y);
    /* gating against the updated file passes */
    snprintf(args, sizeof args,
             "run " FIX "fail --target builtin -q --fail-on should --baseline %s", base);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "0 regressions, 0 fixed\n") != NULL, "%s", out);
    unlink(base);
    /* a missing baseline is created by --update-baseline (YAML unless it ends in .json) */
    snprintf(args, sizeof args,
             "run " FIX "fail --target builtin -q --baseline %s --update-baseline", base);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    y = read_file(base);
    cr_expect(strstr(y, "known:\n  - id: \"verdict-must-fails\"\n") != NULL, "%s", y);
    unlink(base);
    rmdir(dir);
}
