/* conform diff OLD.json NEW.json: compares two saved runs case by case and lists the
 * regressions, fixes and other changes per target (docs/commands/diff.md). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "gate_compare.h"
#include "gate_print.h"
#include "report_json_read.h"

static void diff_usage(FILE *out)
{
    fprintf(out,
            "usage: conform diff [--format terminal|markdown|json] OLD.json NEW.json\n\n"
            "Compares two JSON results of conform run (--report json:FILE) case by case, per\n"
            "target: regressions (the verdict got worse: PASS < INFO < WARN < FAIL = ERROR),\n"
            "fixes (it got better) and other changes (cases added or removed, FAIL <-> ERROR)\n"
            "(docs/commands/diff.md).\n\n"
            "options:\n"
            "      --format FORMAT  terminal (the default), markdown or json\n"
            "  -h, --help           show this help\n\n"
            "Exit status: 0 no regression, 1 regressions, 2 bad usage or an unreadable file.\n");
}

/* Parses argv; returns 0, 1 (--help printed) or -1 (message printed). */
static int parse_args(int argc, char **argv, const char *files[2], cf_gate_format *fmt)
{
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            diff_usage(stdout);
            return 1;
        } else if (!strncmp(a, "--format=", 9)) {
            v = a + 9;
        } else if (!strcmp(a, "--format")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "conform diff: --format needs a value\n");
                return -1;
            }
            v = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "conform diff: unknown option '%s' (try 'conform diff --help')\n", a);
            return -1;
        } else if (nfiles == 2) {
            fprintf(stderr, "conform diff: more than two files given\n");
            return -1;
        } else {
            files[nfiles++] = a;
        }
        if (v && cf_gate_format_parse(v, fmt) < 0) {
            fprintf(stderr,
                    "conform diff: bad value '%s' for --format (terminal, markdown or "
                    "json)\n",
                    v);
            return -1;
        }
    }
    if (nfiles != 2) {
        fprintf(stderr,
                "conform diff: expected OLD.json and NEW.json (try 'conform diff --help')\n");
        return -1;
    }
    return 0;
}

/* Reads one JSON result into a comparison set; returns 0, or -1 (message printed). */
static int load(const char *path, cf_gate_set *s, bool *strict)
{
    char err[1024];
    cf_report r;
    if (cf_report_json_read_file(path, &r, err, sizeof err) < 0) {
        fprintf(stderr, "conform diff: %s\n", err);
        return -1;
    }
    *strict = r.strict;
    int rc = cf_gate_set_from_report(s, &r);
    if (rc < 0) fprintf(stderr, "conform diff: out of memory\n");
    cf_report_free(&r);
    return rc;
}

int cf_cmd_diff(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    cf_gate_format fmt = CF_GATE_FMT_TERMINAL;
    int rc = parse_args(argc, argv, files, &fmt);
    if (rc != 0) return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    cf_gate_set old = {0}, now = {0};
    cf_gate_changes ch = {0};
    bool strict_old = false, strict_new = false;
    cf_gate_rules rules = {.baseline = false, .pair_single = true};
    rc = CF_EXIT_USAGE;
    if (load(files[0], &old, &strict_old) == 0 && load(files[1], &now, &strict_new) == 0) {
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
