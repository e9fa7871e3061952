/* conform diff OLD.json NEW.json: compares two saved runs case by case and lists the
 * regressions, fixes and other changes per target (docs/commands/diff.md). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "gate_compare.h"
#include "gate_print.h"
#include "report_merge.h"
#include "report_rules.h"

enum { OPT_FORMAT, OPT_RULES, OPT_OLD, OPT_NEW, OPT_ALLOW_NEW_FAILURES, OPT_HELP };

#define MAX_FILES 64

static const cf_cli_option diff_options[] = {
    {OPT_FORMAT, "format", 0, CF_CLI_STRING, "FORMAT", "terminal (the default), markdown or json",
     0, 0},
    {OPT_RULES, "rules", 0, CF_CLI_STRING, "MODE",
     "gate (the default: compliance rule findings per case and rule are compared too; a new one "
     "is a regression), report or off (cases only)",
     0, 0},
    {OPT_OLD, "old", 0, CF_CLI_STRING, "FILE",
     "a JSON report of the old run; repeatable: the reports of a sharded run, merged", 0, 0},
    {OPT_NEW, "new", 0, CF_CLI_STRING, "FILE",
     "a JSON report of the new run; repeatable: the reports of a sharded run, merged", 0, 0},
    {OPT_ALLOW_NEW_FAILURES, "allow-new-failures", 0, CF_CLI_FLAG, NULL,
     "a case only in NEW that FAILs or ERRORs is listed as added, not a regression", 0, 0},
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};

const cf_cli_command cf_opts_diff = {
    "diff",
    "[--format terminal|markdown|json] [--rules gate|report|off] OLD.json NEW.json\n"
    "       conform diff [OPTIONS] --old OLD.json... --new NEW.json...",
    "Compares two JSON results of conform run (--report json:FILE) case by case, per\n"
    "target: regressions (the verdict got worse: PASS < INFO < WARN < FAIL = ERROR),\n"
    "fixes (it got better) and other changes (cases added or removed, FAIL <-> ERROR),\n"
    "and the compliance rules broken per case: a rule found in NEW and not in OLD is a\n"
    "regression, the reverse a fix. A case only in NEW that FAILs or ERRORs is a\n"
    "regression too, unless --allow-new-failures (docs/commands/diff.md).",
    "Exit status: 0 no regression, 1 regressions, 2 bad usage or an unreadable file.",
    diff_options,
    sizeof diff_options / sizeof diff_options[0],
    NULL,
};

typedef struct diff_args {
    const char *files[2][MAX_FILES]; /* [0]: OLD, [1]: NEW, each one or a sharded run's */
    size_t nfiles[2];
    size_t npositional;
    cf_gate_format fmt;
    cf_rules_mode rules;
    bool allow_new_failures;
} diff_args;

/* Adds file to the old (0) or new (1) run; returns 0, or -1 (message printed). */
static int add_file(diff_args *a, int which, const char *file)
{
    if (a->nfiles[which] == MAX_FILES)
        return cf_cli_usage_error(&cf_opts_diff, "more than 64 reports for one run");
    a->files[which][a->nfiles[which]++] = file;
    return 0;
}

static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    diff_args *a = ud;
    if (!opt) {
        if (a->npositional == 2)
            return cf_cli_usage_error(&cf_opts_diff, "more than two files given");
        return add_file(a, (int)a->npositional++, v->text);
    } else if (opt->id == OPT_OLD || opt->id == OPT_NEW) {
        return add_file(a, opt->id == OPT_NEW, v->text);
    } else if (opt->id == OPT_ALLOW_NEW_FAILURES) {
        a->allow_new_failures = true;
    } else if (opt->id == OPT_FORMAT && cf_gate_format_parse(v->text, &a->fmt) < 0) {
        return cf_cli_bad_value(&cf_opts_diff, opt, v->text,
                                "is not a format (terminal, markdown or json)");
    } else if (opt->id == OPT_RULES && cf_rules_mode_parse(v->text, &a->rules) < 0) {
        return cf_cli_bad_value(&cf_opts_diff, opt, v->text, "is not a mode (gate, report or off)");
    }
    return 0;
}

/* Parses argv; returns 0, 1 (--help printed) or -1 (message printed). */
static int parse_args(int argc, char **argv, diff_args *a)
{
    int rc = cf_cli_parse(&cf_opts_diff, argc, argv, on_option, a);
    if (rc != 0) return rc;
    if (a->npositional == 1 || !a->nfiles[0] || !a->nfiles[1])
        return cf_cli_usage_error(&cf_opts_diff,
                                  "expected OLD.json and NEW.json (or --old and --new)");
    return 0;
}

/* Reads one run's JSON results (several: a sharded run's, merged) into a comparison set (with
 * rules: its rule findings too); returns 0, or -1 (message printed). */
static int load(const char *const *paths, size_t n, cf_gate_set *s, bool rules, bool *strict)
{
    char err[1024];
    cf_report r;
    if (cf_report_json_read_files(paths, n, &r, err, sizeof err) < 0) {
        fprintf(stderr, "conform diff: %s\n", err);
        return -1;
    }
    *strict = r.strict;
    int rc = cf_gate_set_from_report(s, &r);
    if (rc == 0 && rules) rc = cf_gate_set_add_rules(s, &r);
    if (rc < 0) fprintf(stderr, "conform diff: out of memory\n");
    cf_report_free(&r);
    return rc;
}

int cf_cmd_diff(int argc, char **argv)
{
    diff_args a = {.fmt = CF_GATE_FMT_TERMINAL, .rules = CF_RULES_GATE};
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    const char *const *olds = a.files[0], *const *news = a.files[1];
    cf_gate_format fmt = a.fmt;
    cf_gate_set old = {0}, now = {0};
    cf_gate_changes ch = {0};
    bool strict_old = false, strict_new = false;
    cf_gate_rules rules = {.baseline = false,
                           .pair_single = true,
                           .rules = cf_report_rules_gate(a.rules),
                           .new_failures_regress = !a.allow_new_failures};
    rc = CF_EXIT_USAGE;
    if (load(olds, a.nfiles[0], &old, rules.rules, &strict_old) == 0 &&
        load(news, a.nfiles[1], &now, rules.rules, &strict_new) == 0) {
        if (cf_gate_compare(&old, &now, &rules, &ch) < 0) {
            fprintf(stderr, "conform diff: out of memory\n");
        } else {
            if (strict_old != strict_new)
                fprintf(stderr,
                        "conform diff: note: only %s was run with --strict; SHOULD "
                        "cases differ between FAIL and WARN for that alone\n",
                        strict_old ? olds[0] : news[0]);
            rc = cf_gate_print(stdout, &ch, fmt, false) < 0 ? CF_EXIT_USAGE
                 : ch.count[CF_CHANGE_REGRESSION]           ? CF_EXIT_FAIL
                                                            : CF_EXIT_OK;
        }
    }
    cf_gate_changes_free(&ch);
    cf_gate_set_free(&old);
    cf_gate_set_free(&now);
    return rc;
}
