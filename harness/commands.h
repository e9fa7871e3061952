/* Entry points of conform's subcommands; main() only dispatches to them. */
#ifndef CF_COMMANDS_H
#define CF_COMMANDS_H

/* Exit statuses shared by every subcommand (docs/cli.md). */
enum {
    CF_EXIT_OK = 0,
    CF_EXIT_FAIL = 1,        /* failures found / message invalid */
    CF_EXIT_USAGE = 2,       /* bad usage, bad specs, I/O error */
    CF_EXIT_UNREACHABLE = 3, /* target unreachable / (parse) input ended early */
};

#define CF_COMMAND(name, fn, summary) int fn(int argc, char **argv);
#include "commands.def"
#undef CF_COMMAND

#endif
