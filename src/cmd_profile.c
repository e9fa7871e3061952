/* conform profile --target TARGET [-o FILE]: probes a server for the resources of the catalogue
 * and writes a commented target profile draft (docs/commands/profile.md, docs/profiles.md). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "net_target.h"
#include "probe.h"
#include "serve.h"
#include "target_options.h"
#include "util_atomic.h"

enum { OPT_TARGET, OPT_OUTPUT, OPT_CONNECT_TIMEOUT, OPT_TIME_LIMIT, OPT_QUIET, OPT_HELP };

#define HOUR_MS (3600ull * 1000)

static const cf_cli_option profile_options[] = {
    {OPT_TARGET, "target", 't', CF_CLI_STRING, "TARGET",
     "the server to probe (required): HOST:PORT, [IPV6]:PORT, http://HOST:PORT, "
     "https://HOST:PORT, or builtin",
     0, 0},
    {OPT_OUTPUT, "output", 'o', CF_CLI_STRING, "FILE",
     "write the profile to FILE, replaced only once complete (default: stdout)", 0, 0},
    {OPT_CONNECT_TIMEOUT, "connect-timeout", 0, CF_CLI_DURATION, "T",
     "give up connecting (over TLS: the handshake included) after T (default 2s)", 1, HOUR_MS},
    {OPT_TIME_LIMIT, "time-limit", 0, CF_CLI_DURATION, "T",
     "each probe's wait for its answers (default 2s)", 1, HOUR_MS},
    {OPT_QUIET, "quiet", 'q', CF_CLI_FLAG, NULL,
     "no progress lines (printed on stderr when it is a terminal)", 0, 0},
    CF_TARGET_OPTIONS,
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};

const cf_cli_command cf_opts_profile = {
    "profile",
    "--target TARGET [-o FILE] [OPTIONS]",
    "Probes TARGET with a few small requests, one after the other, for each resource a\n"
    "spec case may need (page, missing, body, echo, status, redirect, validated,\n"
    "protected; docs/profiles.md), and writes a target profile for\n"
    "'conform run --profile FILE': each resource found with a comment on what answered\n"
    "there, each one not found as a comment on what was tried. Review it before use.",
    "Exit status: 0 profile written (even with resources not found), 2 usage error or\n"
    "the file cannot be written, 3 target unreachable or not HTTP (one line says what\n"
    "came back).",
    profile_options,
    sizeof profile_options / sizeof profile_options[0],
    NULL,
};

typedef struct profile_args {
    const char *target, *output;
    cf_probe_opts opt;
    bool quiet;
    cf_target_opts topts; /* --insecure, --cacert, --cert, --key, --sni, --resolve */
} profile_args;

static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    profile_args *a = ud;
    if (!opt) return cf_cli_unexpected(&cf_opts_profile, v->text);
    int tr = cf_target_option(&cf_opts_profile, &a->topts, opt, v);
    if (tr <= 0) return tr;
    switch (opt->id) {
    case OPT_TARGET: a->target = v->text; break;
    case OPT_OUTPUT: a->output = v->text; break;
    case OPT_CONNECT_TIMEOUT: a->opt.connect_timeout_ms = (unsigned)v->num; break;
    case OPT_TIME_LIMIT: a->opt.time_limit_ms = (unsigned)v->num; break;
    case OPT_QUIET: a->quiet = true; break;
    }
    return 0;
}

/* Writes the profile to path (atomically) or stdout. Returns an exit status. */
static int write_profile(const cf_probe_result *r, const char *target, const char *path)
{
    if (!path || !strcmp(path, "-"))
        return cf_probe_write(r, target, stdout) == 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    cf_atomic_file af = {0};
    int rc = cf_atomic_open(&af, path);
    if (rc == 0) rc = cf_probe_write(r, target, af.fp);
    if (rc == 0) rc = cf_atomic_commit(&af);
    int err = errno;
    cf_atomic_abort(&af);
    if (rc == 0) return CF_EXIT_OK;
    fprintf(stderr, "conform profile: cannot write %s: %s\n", path, strerror(err));
    return CF_EXIT_USAGE;
}

/* Probes t (the built-in server started for it when t is builtin) into *r. */
static int probe(cf_run_target *t, const cf_probe_opts *o, cf_probe_result *r)
{
    char err[512];
    cf_server *srv = NULL;
    if (t->builtin) {
        cf_serve_options so;
        cf_serve_options_default(&so);
        if (cf_serve_start(&so, &srv, err, sizeof err) < 0) {
            fprintf(stderr, "conform profile: cannot start the built-in server: %s\n", err);
            return CF_EXIT_UNREACHABLE;
        }
        char port[8];
        snprintf(port, sizeof port, "%d", cf_server_port(srv));
        cf_run_target_set(t, "127.0.0.1", port);
    }
    cf_probe_status st = cf_probe_run(t, o, r, err, sizeof err);
    cf_serve_stop(srv);
    if (st == CF_PROBE_OK) return CF_EXIT_OK;
    fprintf(stderr, "conform profile: %s\n", err);
    return st == CF_PROBE_UNREACHABLE ? CF_EXIT_UNREACHABLE : CF_EXIT_USAGE;
}

int cf_cmd_profile(int argc, char **argv)
{
    profile_args a = {.opt = {.connect_timeout_ms = 2000, .time_limit_ms = 2000}};
    int rc = cf_cli_parse(&cf_opts_profile, argc, argv, on_option, &a);
    if (rc != 0) return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    if (!a.target) {
        cf_cli_usage_error(&cf_opts_profile, "--target is required");
        return CF_EXIT_USAGE;
    }
    cf_run_target t;
    char err[512];
    if (cf_run_target_parse(a.target, &t, err, sizeof err) < 0 ||
        cf_run_target_apply(&t, &a.topts, err, sizeof err) < 0) {
        fprintf(stderr, "conform profile: %s\n", err);
        return CF_EXIT_USAGE;
    }
    a.opt.progress = !a.quiet && isatty(STDERR_FILENO) ? stderr : NULL;
    cf_probe_result r = {0};
    rc = probe(&t, &a.opt, &r);
    /* a TLS target keeps its scheme: the profile's "Use:" line is a command that works */
    const char *shown = t.builtin ? "builtin" : t.tls.on ? a.target : t.display;
    if (rc == CF_EXIT_OK) rc = write_profile(&r, shown, a.output);
    if (rc == CF_EXIT_OK && a.opt.progress) {
        int n = 0;
        for (int i = 0; i < CF_RES__COUNT; i++)
            n += r.path[i] != NULL;
        fprintf(stderr, "conform profile: %d of %d resources found; profile written to %s\n", n,
                CF_RES__COUNT, a.output && strcmp(a.output, "-") ? a.output : "stdout");
    }
    cf_probe_result_free(&r);
    return rc;
}
