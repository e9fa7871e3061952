/* --exec for conform run and conform fuzz (exec_cli.h). */
#include "exec_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cf_exec_cli_init(cf_exec_cli *e)
{
    memset(e, 0, sizeof *e);
    cf_exec_opts_default(&e->eo);
}

int cf_exec_cli_alert(cf_exec_cli *e, const cf_cli_command *cmd, const cf_cli_option *opt,
                      const char *value)
{
    char err[512];
    if (cf_exec_alert_check(value, err, sizeof err) < 0)
        return cf_cli_bad_value(cmd, opt, value, err);
    e->eo.alert = value;
    return 0;
}

bool cf_exec_cli_on(const cf_exec_cli *e)
{
    return e->eo.command != NULL;
}

/* The log's path: DIR/conform-exec.log, or a new $TMPDIR/conform-exec-XXXXXX/server.log (/tmp
 * when TMPDIR is not set). */
static int log_path(cf_exec_cli *e, const char *cmd, const char *dir)
{
    char tmp[4096];
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/conform-exec-XXXXXX", base && *base ? base : "/tmp");
    if (!dir && !(dir = mkdtemp(tmp))) {
        fprintf(stderr, "conform %s: --exec: cannot make a directory for the server log: %s\n", cmd,
                strerror(errno));
        return -1;
    }
    int n = snprintf(e->log_path, sizeof e->log_path, "%s/%s", dir,
                     dir == tmp ? "server.log" : "conform-exec.log");
    if (n < 0 || (size_t)n >= sizeof e->log_path) {
        fprintf(stderr, "conform %s: --exec: the log's directory name is too long\n", cmd);
        return -1;
    }
    return 0;
}

int cf_exec_cli_start(cf_exec_cli *e, const char *cmd, const char *dir, const char *host,
                      const char *port)
{
    if (log_path(e, cmd, dir) < 0) return -1;
    e->eo.host = host;
    e->eo.port = port;
    e->eo.log_path = e->log_path;
    fprintf(stderr, "conform %s: --exec: starting the server under test (log: %s)\n", cmd,
            e->log_path);
    char err[8192];
    if (cf_exec_start(&e->eo, &e->x, err, sizeof err) == 0) return 0;
    fprintf(stderr, "conform %s: --exec: %s\n", cmd, err);
    return -1;
}

void cf_exec_cli_print(const char *cmd, const char *why, const char *excerpt)
{
    if (why) fprintf(stderr, "conform %s: --exec: %s\n", cmd, why);
    if (excerpt) fprintf(stderr, "%s\n", excerpt);
}

int cf_exec_cli_stop(cf_exec_cli *e, const char *cmd)
{
    if (!e->x) return 0;
    char *why, *excerpt;
    int rc = cf_exec_stop(e->x, &why, &excerpt);
    if (rc) cf_exec_cli_print(cmd, why, excerpt);
    unsigned restarts = cf_exec_restarts(e->x);
    if (restarts)
        fprintf(stderr, "conform %s: --exec: the server was restarted %u time%s (log: %s)\n", cmd,
                restarts, restarts == 1 ? "" : "s", e->log_path);
    free(why);
    free(excerpt);
    cf_exec_free(e->x);
    e->x = NULL;
    return rc;
}
