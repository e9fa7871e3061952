/* conform diff OLD.json NEW.json: compares two saved runs case by case and lists the
 * regressions, fixes and other changes per target (docs/commands/diff.md). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "gate_compare.h"
#include "gate_print.h"
#include "report_json_read.h"
#include "report_rules.h"

enum { OPT_FORMAT, OPT_RULES, OPT_HELP };

static const cf_cli_option diff_options[] = {
    {OPT_FORMAT, "format", 0, CF_CLI_STRING, "FORMAT", "terminal (the default), markdown or json",
     0, 0},
    {OPT_RULES, "rules", 0, CF_CLI_STRING, "MODE",
     "gate (the default: compliance rule findings per case and rule are compared too; a new one "
     "is a regression), report or off (cases only)",
     0, 0},
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};

const cf_cli_command cf_opts_diff = {
    "diff",
    "[--format terminal|markdown|json] [--rules gate|report|off] OLD.json NEW.json",
    "Compares two JSON results of conform run (--report json:FILE) case by case, per\n"
    "target: regressions (the verdict got worse: PASS < INFO < WARN < FAIL = ERROR),\n"
    "fixes (it got better) and other changes (cases added or removed, FAIL <-> ERROR),\n"
    "and the compliance rules broken per case: a rule found in NEW and not in OLD is a\n"
    "regression, the reverse a fix (docs/commands/diff.md).",
    "Exit status: 0 no regression, 1 regressions, 2 bad usage or an unreadable file.",
    diff_options,
    sizeof diff_options / sizeof diff_options[0],
    NULL,
};

typedef struct diff_args {
    const char *files[2];
    int nfiles;
    cf_gate_format fmt;
    cf_rules_mode rules;
} diff_args;

static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    diff_args *a = ud;
    if (!opt) {
        if (a->nfiles == 2) return cf_cli_usage_error(&cf_opts_diff, "more than two files given");
        a->files[a->nfiles++] = v->text;
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
    if (a->nfiles != 2) return cf_cli_usage_error(&cf_opts_diff, "expected OLD.json and NEW.json");
    return 0;
}

/* Reads one JSON result into a comparison set (with rules: its rule findings too); returns 0,
 * or -1 (message printed). */
static int load(const char *path, cf_gate_set *s, bool rules, bool *strict)
{
    char err[1024];
    cf_report r;
    if (cf_report_json_read_file(path, &r, err, sizeof err) < 0) {
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
    diff_args a = {{NULL, NULL}, 0, CF_GATE_FMT_TERMINAL, CF_RULES_GATE};
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    const char *const *files = a.files;
    cf_gate_format fmt = a.fmt;
    cf_gate_set old = {0}, now = {0};
    cf_gate_changes ch = {0};
    bool strict_old = false, strict_new = false;
    cf_gate_rules rules = {
        .baseline = false, .pair_single = true, .rules = cf_report_rules_gate(a.rules)};
    rc = CF_EXIT_USAGE;
    if (load(files[0], &old, rules.rules, &strict_old) == 0 &&
        load(files[1], &now, rules.rules, &strict_new) == 0) {
        if (cf_gate_compare(&old, &now, &rules, &ch) < 0) {
            fprintf(stderr, "conform diff: out of memory\n");
        } else {
            if (strict_old != strict_new)
                fprintf(stderr,
                        "conform diff: note: only %s was run with --strict; SHOULD "
                        "cases differ between FAIL and WARN for that alone\n",
                        strict_old ? files[0] : files[1]);
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
