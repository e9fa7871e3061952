/* conform check [PATH...]: loads and validates spec files without sending anything. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "commands.h"
#include "spec_load.h"
#include "specs_default.h"

enum { OPT_QUIET, OPT_HELP };

static const cf_cli_option check_options[] = {
    {OPT_QUIET, "quiet", 'q', CF_CLI_FLAG, NULL, "print errors only, not the summary line", 0, 0},
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};

const cf_cli_command cf_opts_check = {
    "check",
    "[--quiet] [PATH...]",
    "Loads every spec file under each PATH (a file, or a directory searched recursively\n"
    "for *.yaml and *.yml) and checks it against the spec format (docs/spec-format.md):\n"
    "YAML syntax, keys, types, required fields, escapes, regular expressions, and case\n"
    "ids unique across all files. Nothing is sent. No PATH: the bundled suite.\n\n"
    "Errors are printed as 'file:line:column: error: message'.",
    "Exit status: 0 all specs valid, 2 invalid specs or usage error.",
    check_options,
    sizeof check_options / sizeof check_options[0],
    NULL,
};

typedef struct check_args {
    bool quiet;
    const char **paths;
    size_t npaths;
} check_args;

static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    check_args *a = ud;
    if (!opt)
        a->paths[a->npaths++] = v->text;
    else if (opt->id == OPT_QUIET)
        a->quiet = true;
    return 0;
}

int cf_cmd_check(int argc, char **argv)
{
    check_args a = {false, calloc((size_t)argc, sizeof(char *)), 0};
    if (!a.paths) return CF_EXIT_USAGE;
    int rc = cf_cli_parse(&cf_opts_check, argc, argv, on_option, &a);
    if (rc == 0 && a.npaths == 0 && !(a.paths[a.npaths++] = cf_specs_default("conform check")))
        rc = -1;
    if (rc != 0) {
        free(a.paths);
        return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    }
    cf_spec_set set;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    rc = cf_spec_load_paths(a.paths, a.npaths, &set, &errs);
    cf_spec_errors_print(&errs, stderr);
    if (rc == 0 && !a.quiet)
        printf("%zu file%s, %zu case%s OK\n", set.nfiles, set.nfiles == 1 ? "" : "s",
               cf_spec_set_ncases(&set), cf_spec_set_ncases(&set) == 1 ? "" : "s");
    else if (rc != 0)
        fprintf(stderr, "conform check: %zu error%s\n", errs.count, errs.count == 1 ? "" : "s");
    cf_spec_set_free(&set);
    cf_spec_errors_free(&errs);
    free(a.paths);
    return rc == 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
}
