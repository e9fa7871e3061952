/* --exec for conform run and conform fuzz: the options' rows, their values, and starting and
 * stopping the server with the messages both commands print (docs/commands/run.md "--exec"). */
#ifndef CF_EXEC_CLI_H
#define CF_EXEC_CLI_H

#include <stdbool.h>

#include "cli_options.h"
#include "exec.h"

/* The four option rows, with the command's ids; BLAMED ends the --exec help ("while ..."). */
/* clang-format off */
#define CF_EXEC_CLI_ROWS(ID_EXEC, ID_WAIT, ID_GRACE, ID_ALERT, BLAMED)                             \
    {ID_EXEC, "exec", 0, CF_CLI_STRING, "COMMAND",                                                 \
     "start the server under test with /bin/sh -c COMMAND (its own process group; output to a "    \
     "log file beside the first report, else in a temporary directory), wait for the target's "    \
     "port, and restart it after a crash; a crash, a sanitizer report or an --exec-alert line "    \
     "while " BLAMED, 0, 0},                                                                       \
    {ID_WAIT, "exec-wait", 0, CF_CLI_DURATION, "T",                                                \
     "--exec: how long the server may take to accept connections (default 10s)",                   \
     1, 24ull * 3600 * 1000},                                                                      \
    {ID_GRACE, "exec-grace", 0, CF_CLI_DURATION, "T",                                              \
     "--exec: at the end, how long the server may take to exit after SIGTERM before SIGKILL "     \
     "(default 5s)", 1, 24ull * 3600 * 1000},                                                      \
    {ID_ALERT, "exec-alert", 0, CF_CLI_STRING, "REGEX",                                            \
     "--exec: a log line matching REGEX (PCRE2) counts like a crash (default: nginx's [alert] "    \
     "and [emerg], panic and fatal lines)", 0, 0}
/* clang-format on */

/* What the options say, and the running server. Zero it, then cf_exec_cli_init. */
typedef struct cf_exec_cli {
    cf_exec_opts eo;
    char log_path[4096];
    cf_exec *x; /* while the server is supervised */
} cf_exec_cli;

void cf_exec_cli_init(cf_exec_cli *e);

/* --exec-alert: checks the pattern; 0, or -1 (printed, as cmd's usage error). */
int cf_exec_cli_alert(cf_exec_cli *e, const cf_cli_command *cmd, const cf_cli_option *opt,
                      const char *value);

/* True when --exec was given. */
bool cf_exec_cli_on(const cf_exec_cli *e);

/* Starts the server for host:port, its log in dir (NULL: a new temporary directory), and says
 * on stderr where the log is; 0, or -1 (printed: why, with the log's end). */
int cf_exec_cli_start(cf_exec_cli *e, const char *cmd, const char *dir, const char *host,
                      const char *port);

/* Prints a server event (why and excerpt, either may be NULL) on stderr as cmd. */
void cf_exec_cli_print(const char *cmd, const char *why, const char *excerpt);

/* Stops the server; 0 when it stopped cleanly, 1 when not (printed). */
int cf_exec_cli_stop(cf_exec_cli *e, const char *cmd);

#endif
