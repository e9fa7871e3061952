/* conform run's gate: baseline loading, the exit status (gate_run.h). */
#include "gate_run.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util_exit.h"
#include "gate_print.h"
#include "report_rules.h"

int cf_gate_run_prepare(cf_gate_run *g, char *err, size_t errlen)
{
    if (g->update && !g->baseline_path) {
        snprintf(err, errlen, "--update-baseline needs --baseline FILE");
        return -1;
    }
    if (!g->baseline_path) return 0;
    struct stat st;
    if (g->update && stat(g->baseline_path, &st) != 0 && errno == ENOENT) {
        size_t n = strlen(g->baseline_path);
        bool json = n >= 5 && !strcmp(g->baseline_path + n - 5, ".json");
        g->baseline.kind = json ? CF_BASELINE_JSON : CF_BASELINE_YAML;
        return 0; /* created at the end */
    }
    char why[1024];
    if (cf_baseline_load(g->baseline_path, &g->baseline, why, sizeof why) < 0) {
        snprintf(err, errlen, "--baseline: %s", why);
        return -1;
    }
    g->have_baseline = true;
    return 0;
}

/* Compares r with the baseline and prints the result; returns the exit status, or -1 out of
 * memory. */
static int compare(cf_gate_run *g, const cf_report *r, FILE *out)
{
    cf_gate_set now = {0};
    cf_gate_changes ch;
    cf_gate_rules rules = {.baseline = true,
                           .fail_on = g->fail_on,
                           .pair_single = g->baseline.kind == CF_BASELINE_JSON,
                           .rules = cf_report_rules_gate(g->rules)};
    if (cf_gate_set_from_report(&now, r) < 0 ||
        (rules.rules && cf_gate_set_add_rules(&now, r) < 0) ||
        cf_gate_compare(&g->baseline.set, &now, &rules, &ch) < 0) {
        cf_gate_set_free(&now);
        return -1;
    }
    fprintf(out, "\nbaseline %s (--fail-on %s, --rules %s):\n", g->baseline_path,
            cf_failon_name(g->fail_on), cf_rules_mode_name(g->rules));
    int rc = cf_gate_print(out, &ch, CF_GATE_FMT_TERMINAL, true) < 0 ? CF_EXIT_USAGE
             : ch.count[CF_CHANGE_REGRESSION]                        ? CF_EXIT_FAIL
                                                                     : CF_EXIT_OK;
    cf_gate_changes_free(&ch);
    cf_gate_set_free(&now);
    return rc;
}

/* The rule findings (one per rule per case) of r that fail the run under f. */
static size_t failing_rule_findings(const cf_report *r, cf_failon f)
{
    size_t n = 0;
    for (size_t t = 0; t < r->ntargets; t++)
        for (size_t i = 0; i < r->targets[t].ncases; i++) {
            cf_case_rules rs;
            if (cf_case_rules_collect(&r->targets[t].cases[i], &rs) < 0) continue;
            for (size_t k = 0; k < rs.n; k++)
                n += cf_failon_fails(f, cf_report_rule_verdict(rs.v[k].first->level, r->strict));
            cf_case_rules_free(&rs);
        }
    return n;
}

/* Without a baseline: the exit status per --fail-on and --rules, and when rule findings fail the
 * run, a line that says so (the cases' totals alone would not explain the exit status). */
static int judge_alone(const cf_gate_run *g, const cf_report *r, FILE *out)
{
    size_t n = cf_report_rules_gate(g->rules) ? failing_rule_findings(r, g->fail_on) : 0;
    if (n)
        fprintf(out,
                "\n%zu compliance rule finding%s (one per rule per case) fail%s the run (--rules "
                "gate, --fail-on %s); --rules report lists them without failing, a --baseline "
                "can list them as known\n",
                n, n == 1 ? "" : "s", n == 1 ? "s" : "", cf_failon_name(g->fail_on));
    return cf_failon_exit_status(r, g->fail_on, g->rules);
}

int cf_gate_run_finish(cf_gate_run *g, const cf_report *r, FILE *out, char *err, size_t errlen)
{
    if (!g->baseline_path) return judge_alone(g, r, out);
    int rc = compare(g, r, out);
    if (rc < 0) {
        snprintf(err, errlen, "out of memory");
        return CF_EXIT_USAGE;
    }
    if (!g->update) return rc;
    char why[1024];
    if (cf_baseline_save(g->baseline_path, g->baseline.kind, g->have_baseline ? &g->baseline : NULL,
                         r, g->fail_on, g->rules, why, sizeof why) < 0) {
        snprintf(err, errlen, "--update-baseline: %s", why);
        return CF_EXIT_USAGE;
    }
    fprintf(out, "baseline %s updated with this run's failures\n", g->baseline_path);
    return CF_EXIT_OK;
}

void cf_gate_run_free(cf_gate_run *g)
{
    cf_baseline_free(&g->baseline);
}
