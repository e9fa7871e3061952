/* Entry points of conform's subcommands and their option tables; main() only dispatches. */
#ifndef CF_COMMANDS_H
#define CF_COMMANDS_H

#include "cli_options.h"
#include "util_exit.h"

#define CF_COMMAND(name, fn, table, summary)                                                       \
    int fn(int argc, char **argv);                                                                 \
    extern const cf_cli_command table;
#include "commands.def"
#undef CF_COMMAND

#endif
