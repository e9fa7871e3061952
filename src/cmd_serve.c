/* conform serve [--listen ADDR:PORT] [--quiet]: runs the built-in strict HTTP/1.1 origin server
 * until SIGINT or SIGTERM (docs/commands/serve.md). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "serve.h"

static void serve_usage(FILE *out)
{
    fprintf(out,
            "usage: conform serve [--listen ADDR:PORT] [--quiet]\n\n"
            "Runs a small, strict HTTP/1.1 origin server on conform's own parser: the built-in\n"
            "target. Every malformed request gets the status its rule names (400, 414, 431,\n"
            "505...) with the violation code in the body, and the connection closes.\n\n"
            "resources:\n"
            "  /               static HTML page with ETag and Last-Modified (304 on revalidation)\n"
            "  /echo           any method: JSON report of method, target, version, framing,\n"
            "                  content length, body, header and trailer fields\n"
            "  /redirect       301 to /\n"
            "  /status/NNN     answers with status NNN (200..599); 204 and 304 without content\n"
            "  /large?bytes=N  N bytes of text (N up to 16777216)\n\n"
            "options:\n"
            "  --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080; IPv6 as\n"
            "                      [::1]:8080; port 0 picks a free port)\n"
            "  --quiet             no log line per request\n"
            "  --help              show this help\n\n"
            "Stops cleanly on SIGINT or SIGTERM. Exit status: 0 stopped by a signal, 2 usage\n"
            "error or the address cannot be used (in use, not local, malformed).\n");
}

int cf_cmd_serve(int argc, char **argv)
{
    cf_serve_options opt;
    cf_serve_options_default(&opt);
    opt.listen = "127.0.0.1:8080";
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            serve_usage(stdout);
            return CF_EXIT_OK;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            quiet = 1;
        } else if (!strcmp(argv[i], "--listen") && i + 1 < argc) {
            opt.listen = argv[++i];
        } else if (!strncmp(argv[i], "--listen=", 9)) {
            opt.listen = argv[i] + 9;
        } else {
            fprintf(stderr, "conform serve: %s '%s'\n",
                    !strcmp(argv[i], "--listen") ? "missing value for" : "unknown argument",
                    argv[i]);
            serve_usage(stderr);
            return CF_EXIT_USAGE;
        }
    }
    opt.log = quiet ? NULL : stdout;

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
    printf("conform serve: listening on %s\n", cf_server_url(srv));
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    cf_serve_stop(srv);
    if (!quiet) printf("conform serve: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    return CF_EXIT_OK;
}
