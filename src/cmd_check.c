/* conform check PATH...: loads and validates spec files without sending anything. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "spec_load.h"
#include "specs_default.h"

static void check_usage(FILE *out)
{
    fprintf(out,
            "usage: conform check [--quiet] [PATH...]\n\n"
            "Loads every spec file under each PATH (a file, or a directory searched recursively\n"
            "for *.yaml and *.yml) and checks it against the spec format (docs/spec-format.md):\n"
            "YAML syntax, keys, types, required fields, escapes, regular expressions, and case\n"
            "ids unique across all files. Nothing is sent. No PATH: the bundled suite.\n\n"
            "Errors are printed as 'file:line:column: error: message'.\n\n"
            "options:\n"
            "  --quiet   print errors only, not the summary line\n"
            "  --help    show this help\n\n"
            "Exit status: 0 all specs valid, 2 invalid specs or usage error.\n");
}

int cf_cmd_check(int argc, char **argv)
{
    bool quiet = false;
    const char **paths = (const char **)argv + 1;
    size_t npaths = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            check_usage(stdout);
            return CF_EXIT_OK;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            quiet = true;
        } else if (!strcmp(argv[i], "--")) {
            for (i++; i < argc; i++)
                paths[npaths++] = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "conform check: unknown option '%s'\n", argv[i]);
            check_usage(stderr);
            return CF_EXIT_USAGE;
        } else {
            paths[npaths++] = argv[i];
        }
    }
    if (npaths == 0 && !(paths[npaths++] = cf_specs_default("conform check")))
        return CF_EXIT_USAGE;
    cf_spec_set set;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    int rc = cf_spec_load_paths(paths, npaths, &set, &errs);
    cf_spec_errors_print(&errs, stderr);
    if (rc == 0 && !quiet)
        printf("%zu file%s, %zu case%s OK\n", set.nfiles, set.nfiles == 1 ? "" : "s",
               cf_spec_set_ncases(&set), cf_spec_set_ncases(&set) == 1 ? "" : "s");
    else if (rc != 0)
        fprintf(stderr, "conform check: %zu error%s\n", errs.count, errs.count == 1 ? "" : "s");
    cf_spec_set_free(&set);
    cf_spec_errors_free(&errs);
    return rc == 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
}
