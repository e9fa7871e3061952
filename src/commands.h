/* Entry points of conform's subcommands; main() only dispatches to them. */
#ifndef CF_COMMANDS_H
#define CF_COMMANDS_H

#include "util_exit.h"

#define CF_COMMAND(name, fn, summary) int fn(int argc, char **argv);
#include "commands.def"
#undef CF_COMMAND

#endif
