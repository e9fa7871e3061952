/* The verdict comparison shared by --baseline and conform diff (lib/gate/include/gate_compare.h),
 * and
 * --fail-on's thresholds (lib/gate/include/gate_failon.h): tables of verdicts in, changes out. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "gate_compare.h"
#include "gate_failon.h"

/* Adds "TARGET/ID=VERDICT" items separated by spaces ("ID=VERDICT": no target; "=known": a
 * YAML entry, verdict NULL; "ID#RULE=VERDICT": a rule finding of case ID, "#RULE=known" a rule
 * entry for every case). */
static void fill(cf_gate_set *s, const char *spec)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *p = buf; *p;) {
        char *end = p + strcspn(p, " ");
        bool last = !*end;
        *end = 0;
        char *eq = strchr(p, '='), *slash = strchr(p, '/');
        cr_assert_not_null(eq, "bad item %s", p);
        *eq = 0;
        const char *target = NULL, *id = p;
        if (slash && slash < eq) {
            *slash = 0;
            target = p;
            id = slash + 1;
        }
        int verdict = CF_GATE_KNOWN;
        for (int v = 0; v < CF_RV__COUNT; v++)
            if (!strcmp(eq + 1, cf_report_verdict_name(v))) verdict = v;
        cr_assert(verdict >= 0 || !strcmp(eq + 1, "known"), "bad verdict %s", eq + 1);
        char *hash = strchr(id, '#');
        if (hash) {
            *hash = 0;
            cr_assert_eq(cf_gate_set_add_rule(s, target, *id ? id : NULL, hash + 1, verdict, NULL),
                         0);
        } else {
            cr_assert_eq(cf_gate_set_add(s, target, id, verdict, NULL), 0);
        }
        p = last ? end : end + 1;
    }
}

/* The changes as "kind:target/id:old>new" joined by spaces ("-" for NULL). */
static void describe(const cf_gate_changes *c, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < c->n; i++) {
        const cf_gate_change *ch = &c->v[i];
        n += (size_t)snprintf(
            out + n, cap - n, "%s%s:%s/%s%s%s:%s>%s", i ? " " : "", cf_change_kind_name(ch->kind),
            ch->target ? ch->target : "-", ch->id ? ch->id : "*", ch->rule ? "#" : "",
            ch->rule ? ch->rule : "",
            ch->old_verdict == CF_GATE_ABSENT ? "-" : cf_gate_verdict_text(ch->old_verdict),
            ch->new_verdict == CF_GATE_ABSENT ? "-" : cf_gate_verdict_text(ch->new_verdict));
        cr_assert_lt(n, cap);
    }
}

typedef struct row {
    const char *old, *now;
    bool baseline;
    cf_failon fail_on;
    bool pair_single;
    const char *want;
    bool rules; /* compare rule entries (--rules gate) */
} row;

static void check(const row *r)
{
    cf_gate_set old = {0}, now = {0};
    fill(&old, r->old);
    fill(&now, r->now);
    cf_gate_rules rules = {.baseline = r->baseline,
                           .fail_on = r->fail_on,
                           .pair_single = r->pair_single,
                           .rules = r->rules};
    cf_gate_changes ch;
    cr_assert_eq(cf_gate_compare(&old, &now, &rules, &ch), 0);
    char got[2048];
    describe(&ch, got, sizeof got);
    cr_expect_str_eq(got, r->want, "old [%s] now [%s]", r->old, r->now);
    size_t sum = 0;
    for (int k = 0; k < CF_CHANGE__COUNT; k++)
        sum += ch.count[k];
    cr_expect_eq(sum, ch.n);
    cf_gate_changes_free(&ch);
    cf_gate_set_free(&old);
    cf_gate_set_free(&now);
}

Test(gate_compare, baseline_fails_only_on_regressions)
{
    static const row rows[] = {
        /* failing before and now: nothing to say */
        {"t/a=FAIL", "t/a=FAIL", true, CF_FAILON_MUST, true, "", false},
        /* not in the baseline and failing: a regression */
        {"t/a=FAIL", "t/a=FAIL t/b=FAIL", true, CF_FAILON_MUST, true, "regression:t/b:->FAIL",
         false},
        /* in the baseline, passing now: fixed */
        {"t/a=FAIL", "t/a=PASS", true, CF_FAILON_MUST, true, "fixed:t/a:FAIL>PASS", false},
        /* WARN does not fail under must, it does under should */
        {"t/a=PASS", "t/a=WARN", true, CF_FAILON_MUST, true, "", false},
        {"t/a=PASS", "t/a=WARN", true, CF_FAILON_SHOULD, true, "regression:t/a:PASS>WARN", false},
        {"t/a=WARN", "t/a=PASS", true, CF_FAILON_SHOULD, true, "fixed:t/a:WARN>PASS", false},
        /* a WARN under must in the baseline was not failing: FAIL now is a regression */
        {"t/a=WARN", "t/a=FAIL", true, CF_FAILON_MUST, true, "regression:t/a:WARN>FAIL", false},
        /* INFO only under any; ERROR always */
        {"", "t/a=INFO", true, CF_FAILON_SHOULD, true, "", false},
        {"", "t/a=INFO", true, CF_FAILON_ANY, true, "regression:t/a:->INFO", false},
        {"", "t/a=ERROR", true, CF_FAILON_MUST, true, "regression:t/a:->ERROR", false},
        /* cases missing now are not reported with a baseline */
        {"t/a=FAIL t/b=FAIL", "t/a=FAIL", true, CF_FAILON_MUST, true, "", false},
        /* YAML entries: known failing; without a target they match any target */
        {"a=known", "x/a=FAIL y/a=PASS", true, CF_FAILON_MUST, false, "fixed:y/a:known>PASS",
         false},
        {"x/a=known", "x/a=FAIL y/a=FAIL", true, CF_FAILON_MUST, false, "regression:y/a:->FAIL",
         false},
        /* a known entry still failing under should: nothing */
        {"a=known", "t/a=WARN", true, CF_FAILON_SHOULD, false, "", false},
        /* JSON baselines of one target pair with the run's one target whatever the names */
        {"old/a=FAIL", "new/a=FAIL", true, CF_FAILON_MUST, true, "", false},
        {"old/a=FAIL", "new/a=FAIL", true, CF_FAILON_MUST, false, "regression:new/a:->FAIL", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check(&rows[i]);
}

Test(gate_compare, diff_ranks_verdicts)
{
    static const row rows[] = {
        {"t/a=PASS t/b=INFO t/c=WARN t/d=FAIL", "t/a=INFO t/b=WARN t/c=FAIL t/d=ERROR", false,
         CF_FAILON_MUST, true,
         "regression:t/a:PASS>INFO regression:t/b:INFO>WARN regression:t/c:WARN>FAIL "
         "changed:t/d:FAIL>ERROR",
         false},
        {"t/a=ERROR t/b=FAIL t/c=WARN", "t/a=PASS t/b=WARN t/c=INFO", false, CF_FAILON_MUST, true,
         "fixed:t/a:ERROR>PASS fixed:t/b:FAIL>WARN fixed:t/c:WARN>INFO", false},
        /* added in the new order, removed at the end */
        {"t/a=PASS t/gone=FAIL", "t/new=FAIL t/a=PASS", false, CF_FAILON_MUST, true,
         "added:t/new:->FAIL removed:t/gone:FAIL>-", false},
        /* two targets match by name, not by position */
        {"x/a=PASS y/a=FAIL", "y/a=PASS x/a=FAIL", false, CF_FAILON_MUST, true,
         "fixed:y/a:FAIL>PASS regression:x/a:PASS>FAIL", false},
        /* one target each, different names: paired */
        {"nginx/a=PASS", "builtin/a=FAIL", false, CF_FAILON_MUST, true,
         "regression:builtin/a:PASS>FAIL", false},
        {"", "", false, CF_FAILON_MUST, true, "", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check(&rows[i]);
}

Test(gate_compare, rule_findings)
{
    static const row rows[] = {
        /* a rule finding the baseline does not know: a regression (a MUST one: FAIL) */
        {"t/a=PASS", "t/a=PASS t/a#bare-lf=FAIL", true, CF_FAILON_MUST, true,
         "regression:t/a#bare-lf:->FAIL", true},
        /* --rules report/off: rule entries are not compared */
        {"t/a=PASS", "t/a=PASS t/a#bare-lf=FAIL", true, CF_FAILON_MUST, true, "", false},
        /* a SHOULD rule (WARN) fails only under should */
        {"", "t/a=PASS t/a#content-type-missing=WARN", true, CF_FAILON_MUST, true, "", true},
        {"", "t/a=PASS t/a#content-type-missing=WARN", true, CF_FAILON_SHOULD, true,
         "regression:t/a#content-type-missing:->WARN", true},
        /* known for every case, or for this case */
        {"#bare-lf=known", "t/a=PASS t/a#bare-lf=FAIL t/b=PASS t/b#bare-lf=FAIL", true,
         CF_FAILON_MUST, false, "", true},
        {"a#bare-lf=known", "t/a=PASS t/a#bare-lf=FAIL t/b=PASS t/b#bare-lf=FAIL", true,
         CF_FAILON_MUST, false, "regression:t/b#bare-lf:->FAIL", true},
        /* a case entry does not cover a rule finding of that case */
        {"a=known", "t/a=FAIL t/a#bare-lf=FAIL", true, CF_FAILON_MUST, false,
         "regression:t/a#bare-lf:->FAIL", true},
        /* gone from a case that ran: fixed; from a case that did not run: not reported */
        {"a#bare-lf=known b#bare-lf=known", "t/a=PASS", true, CF_FAILON_MUST, false,
         "fixed:-/a#bare-lf:known>-", true},
        {"#bare-lf=known", "t/a=PASS", true, CF_FAILON_MUST, false, "fixed:-/*#bare-lf:known>-",
         true},
        /* diff: a rule finding appearing is a regression, one disappearing a fix, not added or
         * removed */
        {"t/a=PASS t/a#bare-lf=FAIL", "t/a=PASS t/a#date-missing=FAIL", false, CF_FAILON_MUST, true,
         "regression:t/a#date-missing:->FAIL fixed:t/a#bare-lf:FAIL>-", true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check(&rows[i]);
}

Test(gate_failon, rule_findings_weigh_like_verdicts)
{
    cf_report_finding must = {.rule = 0, .level = CF_RL_MUST};
    cf_report_finding should = {.rule = 0, .level = CF_RL_SHOULD};
    cf_report_response resp = {
        .status = 200, .complete = true, .findings = &should, .nfindings = 1};
    cf_report_case c = {.id = "a", .verdict = CF_RV_PASS, .responses = &resp, .nresponses = 1};
    cf_report_target t = {.name = "x", .cases = &c, .ncases = 1};
    cf_report r = {.targets = &t, .ntargets = 1};
    /* a SHOULD rule warns: fails under should, or when strict */
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_MUST, CF_RULES_GATE), CF_EXIT_OK);
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_SHOULD, CF_RULES_GATE), CF_EXIT_FAIL);
    r.strict = true;
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_MUST, CF_RULES_GATE), CF_EXIT_FAIL);
    r.strict = false;
    /* a MUST rule fails, unless --rules report or off */
    resp.findings = &must;
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_MUST, CF_RULES_GATE), CF_EXIT_FAIL);
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_MUST, CF_RULES_REPORT), CF_EXIT_OK);
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_MUST, CF_RULES_OFF), CF_EXIT_OK);
    cf_rules_mode m = CF_RULES_GATE;
    cr_expect_eq(cf_rules_mode_parse("Report", &m), 0);
    cr_expect_eq(m, CF_RULES_REPORT);
    cr_expect_eq(cf_rules_mode_parse("on", &m), -1);
}

Test(gate_failon, thresholds)
{
    static const struct {
        cf_report_verdict verdict;
        bool must, should, any;
    } rows[] = {
        {CF_RV_PASS, false, false, false}, {CF_RV_FAIL, true, true, true},
        {CF_RV_ERROR, true, true, true},   {CF_RV_WARN, false, true, true},
        {CF_RV_INFO, false, false, true},  {CF_RV__COUNT, false, false, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cr_expect_eq(cf_failon_fails(CF_FAILON_MUST, rows[i].verdict), rows[i].must, "%d",
                     rows[i].verdict);
        cr_expect_eq(cf_failon_fails(CF_FAILON_SHOULD, rows[i].verdict), rows[i].should, "%d",
                     rows[i].verdict);
        cr_expect_eq(cf_failon_fails(CF_FAILON_ANY, rows[i].verdict), rows[i].any, "%d",
                     rows[i].verdict);
    }
    cf_failon f = CF_FAILON_ANY;
    cr_expect_eq(cf_failon_parse("Should", &f), 0);
    cr_expect_eq(f, CF_FAILON_SHOULD);
    cr_expect_eq(cf_failon_parse("may", &f), -1);
    cr_expect_eq(cf_failon_parse("", &f), -1);
    cr_expect_str_eq(cf_failon_name(CF_FAILON_ANY), "any");
}

/* ",skip" adds SKIP (not exercised) to any threshold; without it SKIP never fails the run. */
Test(gate_failon, skip_is_opt_in)
{
    cf_failon f = CF_FAILON_MUST;
    cr_expect_eq(cf_failon_fails(CF_FAILON_ANY, CF_RV_SKIP), false);
    cr_expect_eq(cf_failon_parse("should,SKIP", &f), 0);
    cr_expect_eq(f, CF_FAILON_SHOULD | CF_FAILON_SKIP);
    cr_expect(cf_failon_fails(f, CF_RV_SKIP));
    cr_expect(cf_failon_fails(f, CF_RV_WARN));
    cr_expect(!cf_failon_fails(f, CF_RV_INFO));
    cr_expect_str_eq(cf_failon_name(f), "should,skip");
    cr_expect_eq(cf_failon_parse("skip", &f), 0);
    cr_expect_eq(f, CF_FAILON_MUST | CF_FAILON_SKIP);
    cr_expect(!cf_failon_fails(f, CF_RV_WARN));
    cr_expect_eq(cf_failon_parse("must,", &f), -1);
    cr_expect_eq(cf_failon_parse("skip,must", &f), -1);
    cr_expect_eq(cf_failon_parse("must,skip,skip", &f), -1);
}

Test(gate_failon, exit_status_over_every_target)
{
    cf_report_case a[] = {{.id = "a", .verdict = CF_RV_PASS}, {.id = "b", .verdict = CF_RV_WARN}};
    cf_report_case b[] = {{.id = "c", .verdict = CF_RV_INFO}};
    cf_report_target t[] = {{.name = "x", .cases = a, .ncases = 2},
                            {.name = "y", .cases = b, .ncases = 1}};
    cf_report r = {.targets = t, .ntargets = 2};
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_MUST, CF_RULES_GATE), CF_EXIT_OK);
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_SHOULD, CF_RULES_GATE), CF_EXIT_FAIL);
    a[1].verdict = CF_RV_PASS;
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_SHOULD, CF_RULES_GATE), CF_EXIT_OK);
    cr_expect_eq(cf_failon_exit_status(&r, CF_FAILON_ANY, CF_RULES_GATE), CF_EXIT_FAIL);
}
