/* conform: dispatches to a subcommand (src/commands.def). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "net_conn.h"
#include "util_atomic.h"
#include "util_version.h"

struct command {
    const char *name;
    int (*fn)(int, char **);
    const cf_cli_command *options;
    const char *summary;
};

static const struct command commands[] = {
#define CF_COMMAND(name, fn, table, summary) {#name, fn, &table, summary},
#include "commands.def"
#undef CF_COMMAND
};

static void usage(FILE *out)
{
    fprintf(out, "usage: conform COMMAND [OPTIONS] [ARGS]\n\n"
                 "HTTP/1.1 conformance and fuzz test harness.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'conform COMMAND --help' explains a command. Exit status: 0 ok, 1 failures "
                 "found, 2 usage or input error, 3 target unreachable.\n");
}

/* Writes the man page conform.1 (troff) from the commands' option tables. */
static int man_page(const char *path)
{
    cf_atomic_file af = {0};
    FILE *out = path && cf_atomic_open(&af, path) == 0 ? af.fp : path ? NULL : stdout;
    if (!out) {
        fprintf(stderr, "conform: cannot write %s\n", path);
        return CF_EXIT_USAGE;
    }
    fprintf(out,
            ".TH CONFORM 1 \"\" \"conform %s\" \"User Commands\"\n"
            ".SH NAME\nconform \\- HTTP/1.1 conformance and fuzz test harness\n"
            ".SH SYNOPSIS\n.B conform\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n"
            ".SH DESCRIPTION\n",
            cf_version());
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, ".TP\n.B %s\n", commands[i].name);
        cf_cli_man_text(commands[i].summary, out);
        fputs("\n", out);
    }
    fputs(".SH COMMANDS\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        cf_cli_man_section(commands[i].options, out);
    fputs(".SH DURATIONS AND SIZES\n"
          "Every option that takes a duration reads a whole number with a unit: \\fBms\\fR, "
          "\\fBs\\fR, \\fBm\\fR or \\fBh\\fR (500ms, 10s, 2m, 8h); a bare number is seconds. "
          "Every option that takes a size reads bytes, or a whole number with \\fBK\\fR, "
          "\\fBM\\fR or \\fBG\\fR (powers of 1024; k, KiB, MiB, GiB too).\n"
          ".SH EXIT STATUS\n0 ok, 1 failures found, 2 usage or input error, 3 target "
          "unreachable (per command above).\n"
          ".SH SEE ALSO\nThe pages under docs/commands/ in the source tree.\n",
          out);
    int rc = ferror(out) ? -1 : 0;
    if (path && rc == 0) rc = cf_atomic_commit(&af);
    cf_atomic_abort(&af);
    if (rc < 0) fprintf(stderr, "conform: writing the man page failed\n");
    return rc < 0 ? CF_EXIT_USAGE : CF_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return CF_EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("conform %s\n", cf_version());
        return CF_EXIT_OK;
    }
    if (!strcmp(cmd, "--man")) /* hidden: the build writes conform.1 with it */
        return man_page(argc > 2 ? argv[2] : NULL);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name)) continue;
        /* libcurl (the TLS and HTTP/2 transports) is set up on their first connection */
        int rc = commands[i].fn(argc - 1, argv + 1);
        cf_net_global_cleanup();
        return rc;
    }
    fprintf(stderr, "conform: unknown command '%s' (try 'conform --help')\n", cmd);
    return CF_EXIT_USAGE;
}
