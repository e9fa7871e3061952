/* conform serve [--listen ADDR:PORT] [--quiet]: runs the built-in strict HTTP/1.1 origin server
 * until SIGINT or SIGTERM (docs/commands/serve.md). */
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "serve.h"

enum {
    OPT_LISTEN,
    OPT_MAX_CONNS,
    OPT_HEAD_TIMEOUT,
    OPT_IDLE_TIMEOUT,
    OPT_TRACE,
    OPT_QUIET,
    OPT_HELP
};

static const cf_cli_option serve_options[] = {
    {OPT_LISTEN, "listen", 0, CF_CLI_STRING, "ADDR:PORT",
     "address to listen on (default 127.0.0.1:8080; IPv6 as [::1]:8080; port 0 picks a free port)",
     0, 0},
    {OPT_MAX_CONNS, "max-connections", 0, CF_CLI_COUNT, "N",
     "simultaneous connections (default: the descriptor limit, raised to its hard limit, less 8); "
     "when full, the connection idle longest is dropped for a new one",
     1, 1u << 20},
    {OPT_HEAD_TIMEOUT, "head-timeout", 0, CF_CLI_DURATION, "T",
     "a request head must arrive whole within T of its first byte, else 408 and close "
     "(default 10s)",
     1, 3600000},
    {OPT_IDLE_TIMEOUT, "idle-timeout", 0, CF_CLI_DURATION, "T",
     "a connection without progress for T closes; mid-request with 408 (default 10s)", 1, 3600000},
    {OPT_TRACE, "trace", 0, CF_CLI_FLAG, NULL,
     "answer TRACE by reflecting the request as message/http (default: 405, TRACE disabled)", 0, 0},
    {OPT_QUIET, "quiet", 'q', CF_CLI_FLAG, NULL, "no log line per request", 0, 0},
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};

const cf_cli_command cf_opts_serve = {
    "serve",
    "[--listen ADDR:PORT] [--max-connections N] [--head-timeout T] [--idle-timeout T] [--trace] "
    "[--quiet]",
    "Runs a small, strict HTTP/1.1 origin server on conform's own parser: the built-in\n"
    "target. Every malformed request gets the status its rule names (400, 414, 431,\n"
    "505...) with the violation code in the body, and the connection closes.\n\n"
    "resources:\n"
    "  /               static HTML page with ETag and Last-Modified (304 on revalidation,\n"
    "                  412, byte ranges: 206, multipart/byteranges, 416)\n"
    "  /echo           any method: JSON report of method, target, version, framing,\n"
    "                  content length, body, header and trailer fields\n"
    "  /redirect       301 to /\n"
    "  /protected      401 with a WWW-Authenticate challenge\n"
    "  /status/NNN     answers with status NNN (200..599); 204 and 304 without content\n"
    "  /large?bytes=N  N bytes of text (N up to 16777216)",
    "Stops cleanly on SIGINT or SIGTERM. Exit status: 0 stopped by a signal, 2 usage\n"
    "error or the address cannot be used (in use, not local, malformed).",
    serve_options,
    sizeof serve_options / sizeof serve_options[0],
    NULL,
};

typedef struct serve_args {
    cf_serve_options opt;
    bool quiet;
} serve_args;

static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    serve_args *a = ud;
    if (!opt) return cf_cli_unexpected(&cf_opts_serve, v->text);
    if (opt->id == OPT_LISTEN) a->opt.listen = v->text;
    if (opt->id == OPT_MAX_CONNS) a->opt.max_conns = (size_t)v->num;
    if (opt->id == OPT_HEAD_TIMEOUT) a->opt.head_timeout_ms = (unsigned)v->num;
    if (opt->id == OPT_IDLE_TIMEOUT) a->opt.idle_timeout_ms = (unsigned)v->num;
    if (opt->id == OPT_QUIET) a->quiet = true;
    if (opt->id == OPT_TRACE) a->opt.trace = 1;
    return 0;
}

int cf_cmd_serve(int argc, char **argv)
{
    serve_args a = {.quiet = false};
    cf_serve_options_default(&a.opt);
    a.opt.listen = "127.0.0.1:8080";
    int rc = cf_cli_parse(&cf_opts_serve, argc, argv, on_option, &a);
    if (rc != 0) return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    cf_serve_options opt = a.opt;
    bool quiet = a.quiet;
    opt.log = quiet ? NULL : stdout;
    opt.warn = stderr;
    /* Every connection up to the descriptor limit: the soft limit (often 1024) is raised to
     * the hard one; if that fails the soft one still bounds the connections. */
    cf_serve_raise_fd_limit();

    /* Block the stop signals before the server thread starts, so only sigwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    cf_server *srv;
    char err[256];
    if (cf_serve_start(&opt, &srv, err, sizeof err) != 0) {
        fprintf(stderr, "conform serve: cannot listen on %s\n", err);
        return CF_EXIT_USAGE;
    }
    if (!cf_server_loopback(srv))
        fprintf(stderr,
                "conform serve: warning: %s is not a loopback address: other hosts can reach "
                "this test server (use 127.0.0.1 or [::1] to keep it local)\n",
                opt.listen);
    printf("conform serve: listening on %s\n", cf_server_url(srv));
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    cf_serve_stop(srv);
    if (!quiet) printf("conform serve: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    return CF_EXIT_OK;
}
