/* conform: dispatches to a subcommand (src/commands.def). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util_version.h"

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
};

static const struct command commands[] = {
#define CF_COMMAND(name, fn, summary) {#name, fn, summary},
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
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "conform: unknown command '%s' (try 'conform --help')\n", cmd);
    return CF_EXIT_USAGE;
}
