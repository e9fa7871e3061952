/* conform run PATH... --target TARGET: replays the selected spec cases against a server over
 * TCP and judges each against its requirement (docs/commands/run.md). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "exec_cli.h"
#include "gate_failon.h"
#include "gate_run.h"
#include "report_build.h"
#include "report_formats.h"
#include "report_grid.h"
#include "report_json_read.h"
#include "report_term.h"
#include "rules.h"
#include "net_h2.h"
#include "net_preflight.h"
#include "target_options.h"
#include "util_clock.h"
#include "run_pool.h"
#include "run_repro.h"
#include "run_verdict.h"
#include "serve.h"
#include "spec_load.h"
#include "spec_profile.h"
#include "spec_select.h"
#include "specs_default.h"
#include "util_atomic.h"

#define MAX_PATHS   256
#define MAX_JOBS    256
#define MAX_REPORTS 16
#define MAX_TARGETS 16

/* --versions 1.1,2: what the final response of each step of a case said, the status and the
 * representation metadata (RFC 9110 §8), compared between the two versions afterwards (the
 * version differential). */
#define NMETA 7
static const char *const meta_names[NMETA] = {
    "Content-Type",  "Content-Length", "Content-Encoding", "Content-Language",
    "Content-Range", "ETag",           "Last-Modified"};
typedef struct vstep {
    int status; /* 0: no final response */
    char *meta[NMETA];
} vstep;
typedef struct vcase {
    vstep *steps;
    size_t nsteps;
} vcase;

typedef struct run_opts {
    const char *paths[MAX_PATHS];
    size_t npaths;
    const char *target;               /* the first --target */
    const char *targets[MAX_TARGETS]; /* every --target, in order */
    size_t ntargets;
    unsigned jobs;
    bool list, quiet, no_color, show, no_preflight;
    int progress;               /* PROGRESS_AUTO, PROGRESS_ALWAYS, PROGRESS_NEVER (--progress) */
    uint64_t progress_every_ms; /* --progress-interval */
    size_t maxfail;             /* --maxfail N, -x: stop after N FAIL or ERROR; 0: never */
    size_t nfailed;             /* FAIL and ERROR so far, over the targets */
    bool maxfail_hit;           /* the run stopped at --maxfail */
    const char *last_failed;    /* --last-failed RUN.json */
    cf_target_opts topts;       /* --insecure, --cacert, --cert, --key, --sni, --resolve */
    cf_select sel;
    cf_run_config cfg;
    cf_report_dest reports[MAX_REPORTS];   /* --report, in order */
    cf_atomic_file report_af[MAX_REPORTS]; /* a temporary file beside PATH, made before the run */
    FILE *report_fp[MAX_REPORTS];          /* report_af[i].fp; NULL: stdout */
    size_t nreports;
    bool stream_term; /* the terminal format goes to stdout: print cases as they finish */
    bool term_file[MAX_REPORTS];                /* the terminal format to a file, as cases finish */
    cf_report_json_stream *json[MAX_REPORTS];   /* a JSON report, written as cases finish */
    cf_report_tap_stream *tap[MAX_REPORTS];     /* a TAP report, written as cases finish */
    cf_report_junit_stream *junit[MAX_REPORTS]; /* a JUnit report, written as cases finish */
    cf_report_markdown_stream *md[MAX_REPORTS]; /* a Markdown report, written as cases finish */
    cf_report_html_stream *html[MAX_REPORTS];   /* an HTML report, written as cases finish */
    void *gen[MAX_REPORTS]; /* a CI format's state (its format's stream ops), as cases finish */
    char target_name[256];  /* of the target running */
    bool term_file_err[MAX_REPORTS]; /* writing its summaries failed */
    bool keep_full;      /* a report renders every case whole at the end: do not compact them */
    size_t target_index; /* of the target running */
    cf_report *report;   /* the report being built, during the run */
    cf_gate_run gate;    /* --fail-on, --baseline, --update-baseline (gate_run.h) */
    const char *profile_path; /* --profile FILE: every target's */
    cf_profile profile;       /* read from --profile FILE, else the defaults (spec_profile.h) */
    cf_profile builtin;       /* the built-in target's, used for it unless --profile is given */
    struct {
        char label[256];  /* --profile LABEL=FILE: the target labelled LABEL */
        const char *path; /* FILE */
        cf_profile p;
    } tprof[MAX_TARGETS];
    size_t ntprof;
    cf_exec_cli exec;      /* --exec and its options */
    unsigned exec_between; /* server events between two cases (none to blame): they fail the run */
    bool exec_failed;      /* the server could not be started: exit 4 */
    bool exec_problem;     /* events between cases, or an unclean stop: the run fails */
    vcase *seen[MAX_TARGETS]; /* with both versions: per target slot, per case (the differential) */
    unsigned versions;        /* VERSION_* bits of --http1.1, --http2, --versions; 0: HTTP/1.1 */
    bool slot_h2[MAX_TARGETS]; /* targets[i] runs over HTTP/2 (with both versions each target
                                  is in targets twice: HTTP/1.1, then HTTP/2) */
} run_opts;

enum { VERSION_11 = 1, VERSION_2 = 2 };

enum { PROGRESS_AUTO, PROGRESS_ALWAYS, PROGRESS_NEVER };

/* The signal that stopped the run (SIGINT, SIGTERM); 0 while it goes. */
static volatile sig_atomic_t run_stop;

/* Non-zero once the run stops, by a signal or at --maxfail. The pool reads it through
 * cf_run_config.stop: no case starts any more, the running ones get a second to finish. */
static volatile sig_atomic_t run_halt;

/* The temporary files of the reports (util_atomic.h), for a second signal to remove before it
 * quits at once. Filled before the handler is installed; a name already renamed into place no
 * longer exists, and removing it fails harmlessly. */
static char tmp_names[MAX_REPORTS][4096];

/* --exec: the server's process group, for a second signal to kill (0: none runs). */
static volatile sig_atomic_t exec_pgid;

static void on_signal(int sig)
{
    if (run_stop) { /* the second: quit now, every previous report as it was */
        for (size_t i = 0; i < MAX_REPORTS; i++)
            if (tmp_names[i][0]) unlink(tmp_names[i]);
        if (exec_pgid > 0) kill(-exec_pgid, SIGKILL); /* no server outlives conform */
        _exit(128 + sig);
    }
    run_stop = sig;
    run_halt = 1;
    static const char msg[] = "\nconform run: interrupted: no case starts any more; the reports "
                              "are written with the cases that finished (again: quit at once)\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
}

/* Catches SIGINT and SIGTERM for the run (old: the previous actions, for stop_signals). */
static void catch_signals(struct sigaction old[2])
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    run_stop = 0;
    run_halt = 0;
    sigaction(SIGINT, &sa, &old[0]);
    sigaction(SIGTERM, &sa, &old[1]);
}

static void restore_signals(const struct sigaction old[2])
{
    sigaction(SIGINT, &old[0], NULL);
    sigaction(SIGTERM, &old[1], NULL);
}

enum {
    OPT_TARGET,
    OPT_JOBS,
    OPT_ID,
    OPT_TAG,
    OPT_EXCLUDE_TAG,
    OPT_RFC,
    OPT_LEVEL,
    OPT_LIST,
    OPT_STRICT,
    OPT_FAIL_ON,
    OPT_RULES,
    OPT_BASELINE,
    OPT_UPDATE_BASELINE,
    OPT_QUIET,
    OPT_SHOW,
    OPT_NO_PROGRESS,
    OPT_SHARD,
    OPT_LAST_FAILED,
    OPT_EXITFIRST,
    OPT_MAXFAIL,
    OPT_PROGRESS,
    OPT_PROGRESS_INTERVAL,
    OPT_REPORT,
    OPT_NO_COLOR,
    OPT_CONNECT_TIMEOUT,
    OPT_TIME_LIMIT,
    OPT_CASE_TIMEOUT,
    OPT_MAX_BODY,
    OPT_MAX_RAW,
    OPT_MAX_RESPONSE,
    OPT_MAX_FIELDS,
    OPT_MAX_HEAD,
    OPT_MAX_INTERIM,
    OPT_NO_PREFLIGHT,
    OPT_PROFILE,
    OPT_EXEC,
    OPT_EXEC_WAIT,
    OPT_EXEC_GRACE,
    OPT_EXEC_ALERT,
    OPT_HTTP11,
    OPT_HTTP2,
    OPT_VERSIONS,
    OPT_HELP,
};

#define DAY_MS (24ull * 3600 * 1000)
#define TIB    (1ull << 40)

static const cf_cli_option run_options[] = {
    {OPT_TARGET, "target", 't', CF_CLI_STRING, "[LABEL=]TARGET",
     "a server to test (required unless --list); repeatable: the servers run one after the "
     "other and the reports add a case-by-target grid; LABEL names its column",
     0, 0},
    {OPT_JOBS, "jobs", 'j', CF_CLI_COUNT, "N", "cases run in parallel (default: number of cores)",
     1, MAX_JOBS},
    {OPT_ID, "id", 0, CF_CLI_STRING, "ID",
     "ids starting with ID, a glob (* ? [), or =ID for exactly that id; repeatable", 0, 0},
    {OPT_TAG, "tag", 0, CF_CLI_STRING, "TAG", "cases with this tag; repeatable", 0, 0},
    {OPT_EXCLUDE_TAG, "exclude-tag", 0, CF_CLI_STRING, "TAG",
     "drop cases with this tag; repeatable", 0, 0},
    {OPT_RFC, "rfc", 0, CF_CLI_STRING, "RFC[:SECTION]",
     "cases of an RFC, or of a section and its subsections", 0, 0},
    {OPT_LEVEL, "level", 0, CF_CLI_STRING, "LEVEL",
     "MUST, SHOULD or MAY; comma lists work for all four", 0, 0},
    {OPT_LIST, "list", 0, CF_CLI_FLAG, NULL,
     "print the cases that would run (id, level, RFC section, title) and exit", 0, 0},
    {OPT_STRICT, "strict", 0, CF_CLI_FLAG, NULL,
     "a failed SHOULD fails the run (default: it warns)", 0, 0},
    {OPT_FAIL_ON, "fail-on", 0, CF_CLI_STRING, "LEVEL[,skip]",
     "failures that make the exit status 1: must (FAIL and ERROR; the default), should (also "
     "WARN), any (also INFO); with ,skip also cases not exercised (SKIP)",
     0, 0},
    {OPT_RULES, "rules", 0, CF_CLI_STRING, "MODE",
     "compliance rule findings on the responses: gate (the default: a MUST broken fails the "
     "run like a failed case, a SHOULD warns; docs/rules.md), report (listed, never fail), off "
     "(not judged, but for steps with complies:)",
     0, 0},
    {OPT_BASELINE, "baseline", 0, CF_CLI_STRING, "FILE",
     "known deviations (a JSON result or a YAML known: list): fail only on regressions, list "
     "the cases fixed since",
     0, 0},
    {OPT_UPDATE_BASELINE, "update-baseline", 0, CF_CLI_FLAG, NULL,
     "rewrite the baseline with this run's failures (exit 0)", 0, 0},
    {OPT_QUIET, "quiet", 'q', CF_CLI_FLAG, NULL,
     "print only the cases that did not pass, and the summary", 0, 0},
    {OPT_NO_PROGRESS, "no-progress", 0, CF_CLI_FLAG, NULL, "no progress (--progress never)", 0, 0},
    {OPT_PROGRESS, "progress", 0, CF_CLI_STRING, "WHEN",
     "auto (the default: a line kept in place on a terminal; when stderr is no terminal, as in "
     "CI logs, a line every --progress-interval with cases done, failures and time left), "
     "always (those lines, also on a terminal) or never",
     0, 0},
    {OPT_PROGRESS_INTERVAL, "progress-interval", 0, CF_CLI_DURATION, "T",
     "least time between two progress lines of a log (default 10s; 0: one per case)", 0, DAY_MS},
    {OPT_SHARD, "shard", 0, CF_CLI_STRING, "I/N",
     "run only shard I of N (1 <= I <= N): the cases whose id hashes there, so that N machines "
     "split a run (conform report merges their JSON reports); a case stays in its shard when "
     "cases are added",
     0, 0},
    {OPT_LAST_FAILED, "last-failed", 0, CF_CLI_STRING, "RUN.json",
     "run only the cases that did not pass (any verdict but PASS, on any target) in that JSON "
     "report, among those selected",
     0, 0},
    {OPT_EXITFIRST, "exitfirst", 'x', CF_CLI_FLAG, NULL,
     "stop at the first FAIL or ERROR (--maxfail 1)", 0, 0},
    {OPT_MAXFAIL, "maxfail", 0, CF_CLI_COUNT, "N",
     "stop after N cases FAIL or ERROR: no case starts any more, the reports hold the cases that "
     "ran, marked interrupted, and say how many did not run; exit 1",
     1, 1000000},
    {OPT_SHOW, "show", 0, CF_CLI_FLAG, NULL,
     "print both sides of every step, as text and hexdump (what each case's rerun: line uses)", 0,
     0},
    {OPT_REPORT, "report", 0, CF_CLI_STRING, "FORMAT[:PATH]",
     "write a report: terminal (the default), json, junit, tap, markdown, html, sarif, github or "
     "markdown-failures; PATH - or none is stdout (one format at most); repeatable "
     "(docs/reports.md)",
     0, 0},
    {OPT_NO_COLOR, "no-color", 0, CF_CLI_FLAG, NULL, "no colours (also when NO_COLOR is set)", 0,
     0},
    {OPT_CONNECT_TIMEOUT, "connect-timeout", 0, CF_CLI_DURATION, "T",
     "give up connecting (over TLS: the handshake included) after T (default 2s)", 1, DAY_MS},
    {OPT_TIME_LIMIT, "time-limit", 0, CF_CLI_DURATION, "T",
     "a step's wait for responses when its spec sets none (default 2s)", 1, DAY_MS},
    {OPT_CASE_TIMEOUT, "case-timeout", 0, CF_CLI_DURATION, "T",
     "a whole case; past it the case is an ERROR (default 10s)", 1, DAY_MS},
    {OPT_MAX_BODY, "max-body", 0, CF_CLI_SIZE, "SIZE",
     "body bytes kept per response; the rest is counted (default 1M)", 1, TIB},
    {OPT_MAX_RAW, "max-raw", 0, CF_CLI_SIZE, "SIZE",
     "received bytes kept per step for reports (default 64K)", 1, TIB},
    {OPT_MAX_RESPONSE, "max-response", 0, CF_CLI_SIZE, "SIZE",
     "received bytes per step (1xx responses included) after which reading stops; what it hid "
     "is not judged (default 16M)",
     1, TIB},
    {OPT_MAX_FIELDS, "max-fields", 0, CF_CLI_COUNT, "N",
     "field lines read per response head or trailer section; a response with more is over the "
     "cap, not judged (default 1000)",
     1, 100000},
    {OPT_MAX_HEAD, "max-head", 0, CF_CLI_SIZE, "SIZE",
     "bytes read per response head or trailer section; a larger one is over the cap, not "
     "judged (default 1M)",
     1024, 64u << 20},
    {OPT_MAX_INTERIM, "max-interim", 0, CF_CLI_COUNT, "N",
     "1xx responses read in a row per step; past it the step ends without a final response "
     "(default 16)",
     1, 1000},
    {OPT_NO_PREFLIGHT, "no-preflight", 0, CF_CLI_FLAG, NULL,
     "connect once, but do not check that the target answers a GET of its page (/ or the "
     "profile's) with HTTP before the cases run",
     0, 0},
    {OPT_PROFILE, "profile", 0, CF_CLI_STRING, "[LABEL=]FILE",
     "what the target serves (docs/profiles.md): a case needing a resource the profile lacks is "
     "SKIP; LABEL=FILE for the target labelled LABEL; default: page / and a random missing path "
     "(builtin: its own, complete)",
     0, 0},
    CF_TARGET_OPTIONS,
    {OPT_HTTP2, "http2", 0, CF_CLI_FLAG, NULL,
     "run over HTTP/2 through libcurl (ALPN h2 on https://, prior knowledge on http://): the "
     "cases made of request: steps; the others (raw HTTP/1.1 bytes) are SKIP",
     0, 0},
    {OPT_HTTP11, "http1.1", 0, CF_CLI_FLAG, NULL,
     "run over HTTP/1.1 (the default); with --http2: both, and a version differential", 0, 0},
    {OPT_VERSIONS, "versions", 0, CF_CLI_STRING, "LIST",
     "1.1, 2 or 1.1,2 (both: each target runs twice and the report shows where the same "
     "request got a different status or representation metadata)",
     0, 0},
    CF_EXEC_CLI_ROWS(OPT_EXEC, OPT_EXEC_WAIT, OPT_EXEC_GRACE, OPT_EXEC_ALERT,
                     "a case runs fails it (cases run one at a time; one --target)"),
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};

const cf_cli_command cf_opts_run = {
    "run",
    "[OPTIONS] [PATH...] --target TARGET",
    "Replays the spec cases under each PATH (files, or directories searched for *.yaml\n"
    "and *.yml) against TARGET over TCP, one connection per case, and judges every\n"
    "response against the case's requirement (docs/commands/run.md). No PATH: the\n"
    "bundled suite (PREFIX/share/conform/specs, or specs/ of the source tree).\n\n"
    "TARGET: HOST:PORT, [IPV6]:PORT, http://HOST:PORT, or builtin (the built-in server,\n"
    "started on an ephemeral 127.0.0.1 port for the run).",
    "Verdicts: PASS; FAIL (a MUST did not hold); WARN (a SHOULD did not hold); INFO (a\n"
    "MAY did not hold); ERROR (the target or the harness broke mid-case).\n"
    "Exit status: 0 no FAIL or ERROR, 1 failures or errors (or, with --rules gate, a\n"
    "MUST compliance rule broken by a response), 2 bad specs or usage,\n"
    "3 target unreachable or not answering HTTP (with several: every target; one\n"
    "unreachable among several fails the run with 1), 4 the --exec server could not be\n"
    "started, 130 stopped by Ctrl-C (143: SIGTERM): the reports hold the cases that\n"
    "finished, marked interrupted; a second Ctrl-C quits at once.\n"
    "Report files are replaced only once complete: a run that ends early leaves them.",
    run_options,
    sizeof run_options / sizeof run_options[0],
    NULL,
};

/* --report FORMAT[:PATH]; returns 0, or -1 (message printed). */
static int add_report(run_opts *o, const char *v)
{
    char err[256];
    if (o->nreports == MAX_REPORTS) {
        fprintf(stderr, "conform run: more than %d --report options\n", MAX_REPORTS);
        return -1;
    }
    cf_report_dest *d = &o->reports[o->nreports];
    if (cf_report_dest_parse(v, d, err, sizeof err) < 0) {
        fprintf(stderr, "conform run: --report: %s\n", err);
        return -1;
    }
    for (size_t i = 0; i < o->nreports; i++)
        if (!d->path && !o->reports[i].path) {
            fprintf(stderr,
                    "conform run: --report: both %s and %s write to standard output; give one "
                    "a PATH (FORMAT:PATH)\n",
                    o->reports[i].format->name, d->format->name);
            return -1;
        }
    o->nreports++;
    return 0;
}

static int add_target(run_opts *o, const char *v)
{
    if (o->ntargets == MAX_TARGETS) {
        fprintf(stderr, "conform run: more than %d --target options\n", MAX_TARGETS);
        return -1;
    }
    /* a target never holds '=' (a path other than '/' is refused), so "A=B" is always a label */
    const char *eq = strchr(v, '=');
    size_t n = eq ? (size_t)(eq - v) : 0;
    if (eq && (memchr(v, ':', n) || memchr(v, '/', n))) {
        fprintf(stderr,
                "conform run: --target %s: a label cannot contain ':' or '/' (LABEL=TARGET)\n", v);
        return -1;
    }
    if (eq && n == 0) {
        fprintf(stderr, "conform run: --target %s: empty label before '=' (LABEL=TARGET)\n", v);
        return -1;
    }
    if (!o->target) o->target = v;
    o->targets[o->ntargets++] = v;
    return 0;
}

static int add_path(run_opts *o, const char *v)
{
    if (o->npaths == MAX_PATHS) {
        fprintf(stderr, "conform run: more than %d paths\n", MAX_PATHS);
        return -1;
    }
    o->paths[o->npaths++] = v;
    return 0;
}

/* The options that select cases; -1 when opt is not one. */
static int select_option(run_opts *o, const cf_cli_option *opt, const char *v)
{
    switch (opt->id) {
    case OPT_ID: return cf_select_add_id(&o->sel, v);
    case OPT_TAG: return cf_select_add_tag(&o->sel, v);
    case OPT_EXCLUDE_TAG: return cf_select_add_exclude_tag(&o->sel, v);
    case OPT_RFC: return cf_select_add_rfc(&o->sel, v);
    default: return cf_select_add_level(&o->sel, v);
    }
}

/* The options with a value that the layer checked (durations, sizes, counts). */
static void number_option(run_opts *o, const cf_cli_option *opt, uint64_t n)
{
    switch (opt->id) {
    case OPT_JOBS: o->jobs = (unsigned)n; break;
    case OPT_MAXFAIL: o->maxfail = (size_t)n; break;
    case OPT_PROGRESS_INTERVAL: o->progress_every_ms = n; break;
    case OPT_CONNECT_TIMEOUT: o->cfg.connect_timeout_ms = (unsigned)n; break;
    case OPT_TIME_LIMIT: o->cfg.time_limit_ms = (unsigned)n; break;
    case OPT_CASE_TIMEOUT: o->cfg.case_timeout_ms = (unsigned)n; break;
    case OPT_MAX_BODY: o->cfg.caps.max_body = (size_t)n; break;
    case OPT_MAX_RAW: o->cfg.caps.max_raw = (size_t)n; break;
    case OPT_MAX_FIELDS: o->cfg.caps.max_fields = (size_t)n; break;
    case OPT_MAX_HEAD: o->cfg.caps.max_head = (size_t)n; break;
    case OPT_MAX_INTERIM: o->cfg.caps.max_interim = (size_t)n; break;
    case OPT_EXEC_WAIT: o->exec.eo.wait_ms = (unsigned)n; break;
    case OPT_EXEC_GRACE: o->exec.eo.grace_ms = (unsigned)n; break;
    default: o->cfg.caps.max_total = n; break;
    }
}

/* The report name and the target text of a --target argument: "LABEL=TARGET" names the column
 * LABEL (no ':' or '/' in LABEL); otherwise the name is the argument. */
static const char *split_label(const char *arg, char *label, size_t cap)
{
    const char *eq = strchr(arg, '=');
    size_t n = eq ? (size_t)(eq - arg) : 0;
    if (!eq || n == 0 || n >= cap || memchr(arg, ':', n) || memchr(arg, '/', n)) {
        snprintf(label, cap, "%s", arg);
        return arg;
    }
    memcpy(label, arg, n);
    label[n] = 0;
    return eq + 1;
}

/* --profile FILE (every target) or --profile LABEL=FILE (the target labelled LABEL). */
static int add_profile(run_opts *o, const cf_cli_option *opt, const char *value)
{
    char label[256];
    const char *path = split_label(value, label, sizeof label);
    if (!*path) return cf_cli_bad_value(&cf_opts_run, opt, value, "is not a file name");
    if (path == value) {
        if (o->profile_path)
            return cf_cli_bad_value(&cf_opts_run, opt, value,
                                    "is a second profile for every target (give LABEL=FILE "
                                    "for a labelled target)");
        o->profile_path = path;
        return 0;
    }
    for (size_t i = 0; i < o->ntprof; i++)
        if (!strcmp(o->tprof[i].label, label))
            return cf_cli_bad_value(&cf_opts_run, opt, value, "is a second profile for that label");
    if (o->ntprof == MAX_TARGETS)
        return cf_cli_bad_value(&cf_opts_run, opt, value, "is one profile too many");
    snprintf(o->tprof[o->ntprof].label, sizeof o->tprof[o->ntprof].label, "%s", label);
    o->tprof[o->ntprof++].path = path;
    return 0;
}

/* The option handler of cf_cli_parse (cli_options.h). */
static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    run_opts *o = ud;
    if (!opt) return add_path(o, v->text);
    int tr = cf_target_option(&cf_opts_run, &o->topts, opt, v);
    if (tr <= 0) return tr;
    switch (opt->id) {
    case OPT_TARGET: return add_target(o, v->text);
    case OPT_REPORT: return add_report(o, v->text);
    case OPT_LIST: o->list = true; return 0;
    case OPT_STRICT: o->cfg.strict = true; return 0;
    case OPT_QUIET: o->quiet = true; return 0;
    case OPT_SHOW: o->show = true; return 0;
    case OPT_NO_PROGRESS: o->progress = PROGRESS_NEVER; return 0;
    case OPT_EXITFIRST: o->maxfail = 1; return 0;
    case OPT_LAST_FAILED:
        o->last_failed = v->text;
        return *v->text ? 0 : cf_cli_bad_value(&cf_opts_run, opt, v->text, "is not a file name");
    case OPT_SHARD:
        if (cf_select_set_shard(&o->sel, v->text) == 0) return 0;
        return cf_cli_bad_value(&cf_opts_run, opt, v->text,
                                "is not a shard I/N with 1 <= I <= N <= 10000");
    case OPT_PROGRESS:
        if (!strcmp(v->text, "auto"))
            o->progress = PROGRESS_AUTO;
        else if (!strcmp(v->text, "always"))
            o->progress = PROGRESS_ALWAYS;
        else if (!strcmp(v->text, "never"))
            o->progress = PROGRESS_NEVER;
        else
            return cf_cli_bad_value(&cf_opts_run, opt, v->text, "is not auto, always or never");
        return 0;
    case OPT_NO_COLOR: o->no_color = true; return 0;
    case OPT_HTTP11: o->versions |= VERSION_11; return 0;
    case OPT_HTTP2: o->versions |= VERSION_2; return 0;
    case OPT_VERSIONS:
        if (!strcmp(v->text, "1.1"))
            o->versions |= VERSION_11;
        else if (!strcmp(v->text, "2"))
            o->versions |= VERSION_2;
        else if (!strcmp(v->text, "1.1,2") || !strcmp(v->text, "2,1.1"))
            o->versions |= VERSION_11 | VERSION_2;
        else
            return cf_cli_bad_value(&cf_opts_run, opt, v->text, "is not 1.1, 2 or 1.1,2");
        return 0;
    case OPT_NO_PREFLIGHT: o->no_preflight = true; return 0;
    case OPT_UPDATE_BASELINE: o->gate.update = true; return 0;
    case OPT_PROFILE: return add_profile(o, opt, v->text);
    case OPT_EXEC: o->exec.eo.command = v->text; return 0;
    case OPT_EXEC_ALERT: return cf_exec_cli_alert(&o->exec, &cf_opts_run, opt, v->text);
    case OPT_BASELINE:
        o->gate.baseline_path = v->text;
        return *v->text ? 0 : cf_cli_bad_value(&cf_opts_run, opt, v->text, "is not a file name");
    case OPT_RULES:
        if (cf_rules_mode_parse(v->text, &o->gate.rules) == 0) {
            o->cfg.rules_off = o->gate.rules == CF_RULES_OFF;
            return 0;
        }
        return cf_cli_bad_value(&cf_opts_run, opt, v->text, "is not a mode (gate, report or off)");
    case OPT_FAIL_ON:
        if (cf_failon_parse(v->text, &o->gate.fail_on) == 0) return 0;
        return cf_cli_bad_value(&cf_opts_run, opt, v->text, "is not a level (must, should or any)");
    case OPT_ID:
    case OPT_TAG:
    case OPT_EXCLUDE_TAG:
    case OPT_RFC:
    case OPT_LEVEL:
        if (select_option(o, opt, v->text) == 0) return 0;
        return cf_cli_bad_value(&cf_opts_run, opt, v->text,
                                opt->id == OPT_LEVEL ? "is not a level (MUST, SHOULD or MAY)"
                                                     : "is not a valid selection");
    default: number_option(o, opt, v->num); return 0;
    }
}

/* With both versions, each target twice (HTTP/1.1, then HTTP/2); with --http2 alone, every
 * target over HTTP/2. Returns 0, or -1 (message printed). */
static int expand_versions(run_opts *o)
{
    bool both = o->versions == (VERSION_11 | VERSION_2);
    if (both && o->ntargets * 2 > MAX_TARGETS) {
        fprintf(stderr,
                "conform run: --versions 1.1,2 runs each target twice: at most %d "
                "--target options\n",
                MAX_TARGETS / 2);
        return -1;
    }
    for (size_t i = o->ntargets; both && i-- > 0;) {
        o->targets[2 * i] = o->targets[2 * i + 1] = o->targets[i];
        o->slot_h2[2 * i] = false;
        o->slot_h2[2 * i + 1] = true;
    }
    if (both) o->ntargets *= 2;
    for (size_t i = 0; !both && i < o->ntargets; i++)
        o->slot_h2[i] = o->versions == VERSION_2;
    return 0;
}

/* Parses argv into o; returns 0, 1 (--help printed) or -1 (usage error printed). */
static int parse_args(run_opts *o, int argc, char **argv)
{
    int rc = cf_cli_parse(&cf_opts_run, argc, argv, on_option, o);
    if (rc != 0) return rc;
    if (o->npaths == 0 && !(o->paths[o->npaths++] = cf_specs_default("conform run"))) return -1;
    if (o->nreports == 0) { /* the default: the terminal format on stdout */
        o->reports[0] = (cf_report_dest){cf_report_format_find("terminal"), NULL};
        o->nreports = 1;
    }
    for (size_t i = 0; i < o->nreports; i++)
        if (!o->reports[i].path && !strcmp(o->reports[i].format->name, "terminal"))
            o->stream_term = true;
    return expand_versions(o);
}

static void close_reports(run_opts *o);

/* One file conform run writes: the option that names it (for messages) and the file's name. */
typedef struct output {
    char option[600];
    char name[4096]; /* cf_path_canonical, or the path as given when its directory is missing */
} output;

/* Fills *out for the file path named by option text opt; false for a path that is not a file
 * one could lose (a device or FIFO such as /dev/null or /dev/stdout: writing it twice harms
 * nothing). */
static bool output_of(const char *opt, const char *path, output *out)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) return false;
    snprintf(out->option, sizeof out->option, "%s", opt);
    if (cf_path_canonical(path, out->name, sizeof out->name) < 0)
        snprintf(out->name, sizeof out->name, "%s", path);
    return true;
}

/* Refuses two outputs that name one file, before anything runs: two --report PATHs would mix
 * into one invalid file, and a --report PATH that is the --baseline would overwrite the file the
 * run is compared against (--update-baseline rewrites it on purpose: no --report may too).
 * Returns 0, or -1 (one line printed naming both options). */
static int check_outputs(const run_opts *o)
{
    output outs[MAX_REPORTS + 1];
    size_t n = 0;
    char opt[600];
    for (size_t i = 0; i < o->nreports; i++) {
        if (!o->reports[i].path) continue;
        snprintf(opt, sizeof opt, "--report %s:%s", o->reports[i].format->name, o->reports[i].path);
        if (output_of(opt, o->reports[i].path, &outs[n])) n++;
    }
    const char *bl = o->gate.baseline_path;
    if (bl) {
        snprintf(opt, sizeof opt, "--baseline %s%s", bl,
                 o->gate.update ? " --update-baseline" : "");
        if (output_of(opt, bl, &outs[n])) n++;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++) {
            if (strcmp(outs[i].name, outs[k].name)) continue;
            fprintf(stderr, "conform run: %s and %s name one file (%s); give each its own PATH\n",
                    outs[i].option, outs[k].option, outs[k].name);
            return -1;
        }
    return 0;
}

/* Makes the temporary file of each report file before anything runs, so a bad PATH costs no
 * run; PATH itself is replaced only when its report is complete (util_atomic.h), so a run that
 * ends early leaves the previous report as it was. Returns 0, or -1 (message printed, the
 * temporary files made so far removed). */
static int open_reports(run_opts *o)
{
    for (size_t i = 0; i < o->nreports; i++) {
        if (!o->reports[i].path) continue;
        if (cf_atomic_open(&o->report_af[i], o->reports[i].path) < 0) {
            fprintf(stderr, "conform run: cannot write %s: %s\n", o->reports[i].path,
                    strerror(errno));
            close_reports(o);
            return -1;
        }
        o->report_fp[i] = o->report_af[i].fp;
        if (o->report_af[i].tmp)
            snprintf(tmp_names[i], sizeof tmp_names[i], "%s", o->report_af[i].tmp);
    }
    return 0;
}

/* Decides how each report is written: every format as cases finish (the terminal straight,
 * the others through temporary files, completed at the end). --update-baseline with a JSON
 * baseline writes it from the whole report at the end, which then keeps every case whole
 * (o->keep_full). Returns 0, or -1 (message printed). */
static int open_streams(run_opts *o)
{
    /* a JSON baseline is the whole report; a YAML one needs only ids and verdicts */
    o->keep_full = o->gate.update && o->gate.baseline.kind == CF_BASELINE_JSON;
    for (size_t i = 0; i < o->nreports; i++) {
        const char *f = o->reports[i].format->name;
        const cf_report_stream_ops *ops = o->reports[i].format->stream;
        if (!strcmp(f, "terminal")) {
            o->term_file[i] = o->report_fp[i] != NULL;
            continue;
        }
        if (ops)
            o->gen[i] = ops->open(o->gate.rules, o->cfg.strict);
        else if (!strcmp(f, "json"))
            o->json[i] = cf_report_json_stream_new();
        else if (!strcmp(f, "tap"))
            o->tap[i] = cf_report_tap_stream_new(o->gate.rules, o->cfg.strict);
        else if (!strcmp(f, "junit"))
            o->junit[i] = cf_report_junit_stream_new(o->gate.rules, o->cfg.strict);
        else if (!strcmp(f, "markdown"))
            o->md[i] = cf_report_markdown_stream_new();
        else if (!strcmp(f, "html"))
            o->html[i] = cf_report_html_stream_new();
        else {
            o->keep_full = true;
            continue;
        }
        if (!o->json[i] && !o->tap[i] && !o->junit[i] && !o->md[i] && !o->html[i] && !o->gen[i]) {
            fprintf(stderr, "conform run: cannot make a temporary file for the %s report: %s\n", f,
                    strerror(errno));
            return -1;
        }
    }
    return 0;
}

static void close_streams(run_opts *o)
{
    for (size_t i = 0; i < o->nreports; i++) {
        cf_report_json_stream_free(o->json[i]);
        cf_report_tap_stream_free(o->tap[i]);
        cf_report_junit_stream_free(o->junit[i]);
        cf_report_markdown_stream_free(o->md[i]);
        cf_report_html_stream_free(o->html[i]);
        if (o->gen[i]) o->reports[i].format->stream->close(o->gen[i]);
        o->gen[i] = NULL;
        o->html[i] = NULL;
        o->json[i] = NULL;
        o->tap[i] = NULL;
        o->junit[i] = NULL;
        o->md[i] = NULL;
    }
}

/* A terminal writer for the file of report i, as cf_report_term writes one. */
static cf_term file_term(const run_opts *o, size_t i)
{
    FILE *fp = o->report_fp[i];
    return (cf_term){.out = fp,
                     .err = fp,
                     .color = cf_report_color_auto(fp),
                     .rules = o->gate.rules,
                     .strict = o->cfg.strict,
                     .show = o->show};
}

/* Hands a finished case to the reports written as the run goes (but the terminal on stdout). */
static void stream_case(run_opts *o, const cf_report_case *c)
{
    for (size_t i = 0; i < o->nreports; i++) {
        if (o->term_file[i] && o->report_fp[i]) {
            cf_term t = file_term(o, i);
            cf_term_case(&t, c);
        }
        if (o->json[i]) cf_report_json_stream_case(o->json[i], o->target_index, c);
        if (o->tap[i])
            cf_report_tap_stream_case(o->tap[i], o->ntargets > 1 ? o->target_name : NULL, c);
        if (o->junit[i])
            cf_report_junit_stream_case(o->junit[i], o->target_index,
                                        o->ntargets > 1 ? o->target_name : NULL, c);
        if (o->md[i]) cf_report_markdown_stream_case(o->md[i], o->target_index, c);
        if (o->html[i]) cf_report_html_stream_case(o->html[i], o->target_index, c);
        if (o->gen[i])
            o->reports[i].format->stream->add(o->gen[i], o->target_index,
                                              o->ntargets > 1 ? o->target_name : NULL, c);
    }
}

/* A target begins (index i, named name) in the terminal reports written to files. */
static void stream_target_begin(run_opts *o, size_t i, const char *name)
{
    for (size_t k = 0; k < o->nreports; k++)
        if (o->term_file[k] && o->report_fp[k] && o->ntargets > 1)
            fprintf(o->report_fp[k], "%sTarget %s\n", i ? "\n" : "", name);
}

/* Target t ended: its totals and summaries in the terminal reports written to files. */
static void stream_target_end(run_opts *o, const cf_report_target *t)
{
    cf_run_counts counts = {.total = t->ncases, .elapsed_ms = t->elapsed_ms};
    for (int v = 0; v < CF_RV__COUNT; v++)
        counts.n[v] = t->counts[v];
    for (size_t k = 0; k < o->nreports; k++) {
        if (!o->term_file[k] || !o->report_fp[k]) continue;
        cf_term term = file_term(o, k);
        cf_term_summary(&term, &counts);
        if (cf_report_term_summaries(t, term.out, term.color, o->gate.rules) < 0)
            o->term_file_err[k] = true;
    }
}

/* Writes report i from the whole report r, or ends it when it was written as the run went. */
static int write_report(run_opts *o, size_t i, const cf_report *r, FILE *fp)
{
    if (o->json[i]) return cf_report_json_stream_finish(o->json[i], r, fp);
    if (o->tap[i]) return cf_report_tap_stream_finish(o->tap[i], r, fp);
    if (o->junit[i]) return cf_report_junit_stream_finish(o->junit[i], r, fp);
    if (o->md[i]) return cf_report_markdown_stream_finish(o->md[i], r, fp);
    if (o->html[i]) return cf_report_html_stream_finish(o->html[i], r, fp);
    if (o->gen[i]) return o->reports[i].format->stream->finish(o->gen[i], r, fp);
    if (o->term_file[i]) {
        cf_report_term_interrupted(r, fp);
        int w = cf_report_grid_term(r, fp, cf_report_color_auto(fp));
        return w < 0 || o->term_file_err[i] ? -1 : 0;
    }
    return o->reports[i].format->fn(r, fp);
}

/* Writes every report but the streamed terminal, and closes the files. Returns 0, or -1
 * (message printed). */
static int write_reports(run_opts *o, const cf_report *r)
{
    int rc = 0;
    for (size_t i = 0; i < o->nreports; i++) {
        const cf_report_dest *d = &o->reports[i];
        FILE *fp = o->report_fp[i] ? o->report_fp[i] : stdout;
        if (!d->path && o->stream_term && !strcmp(d->format->name, "terminal")) continue;
        int w = write_report(o, i, r, fp);
        if (!o->report_fp[i] && (fflush(fp) != 0 || ferror(fp))) w = -1;
        if (o->report_fp[i] && w == 0) w = cf_atomic_commit(&o->report_af[i]);
        cf_atomic_abort(&o->report_af[i]); /* a report that failed leaves PATH as it was */
        o->report_fp[i] = NULL;
        if (w < 0) {
            fprintf(stderr, "conform run: writing the %s report to %s failed\n", d->format->name,
                    d->path ? d->path : "standard output");
            rc = -1;
        }
    }
    return rc;
}

/* Removes the temporary files of the reports not written: their PATHs stay as they were. */
static void close_reports(run_opts *o)
{
    for (size_t i = 0; i < o->nreports; i++)
        cf_atomic_abort(&o->report_af[i]);
    memset(o->report_fp, 0, sizeof o->report_fp);
}

/* The pre-flight (net_preflight.h): resolves the target, connects once and, unless
 * --no-preflight, GETs its profile's page, so that a target that is not there or does not speak
 * HTTP is told apart from failing cases. The built-in server is known to speak HTTP. Returns 0
 * with cfg->addr set, or -1 (message printed). */
static int probe(const run_opts *o, cf_run_config *cfg)
{
    cf_preflight_opts po = {.page = NULL,
                            .get = !o->no_preflight && !cfg->target.builtin,
                            .connect_timeout_ms = cfg->connect_timeout_ms,
                            .time_limit_ms = cfg->time_limit_ms};
    char msg[512];
    po.get = po.get && !cfg->http2; /* the GET is HTTP/1.1: over HTTP/2, one through libcurl */
    if (cf_preflight(&cfg->target, &po, &cfg->addr, msg, sizeof msg) != CF_PREFLIGHT_HTTP) {
        fprintf(stderr, "conform run: %s\n", msg);
        return -1;
    }
    if (!cfg->http2 || o->no_preflight) return 0;
    const char *name = cfg->addr.tls.on ? cfg->addr.tls.name : cfg->target.host;
    if (cf_h2_preflight(&cfg->addr, name, cfg->connect_timeout_ms + cfg->time_limit_ms, msg,
                        sizeof msg) == 0)
        return 0;
    fprintf(stderr, "conform run: %s does not answer over HTTP/2: %s\n", cfg->target.display, msg);
    return -1;
}

typedef struct printer {
    run_opts *o;
    cf_term term;
    bool stream; /* print each case as it finishes */
    cf_run_counts counts;
    cf_report_builder *b;
    size_t ncases; /* of this target */
    bool oom;
    cf_spec_index *ix;
    vcase *seen; /* the slot's, with both versions; NULL otherwise */
} printer;

/* A field's value as the differential compares it: a multipart boundary (RFC 9110 §14.6) is
 * chosen anew for each response, so its value is left out ("boundary=*"). */
static char *meta_value(const cf_obs_field *f)
{
    char *v = cf_strfmt("%.*s", (int)f->value_len, f->value);
    char *b = v ? strcasestr(v, "boundary=") : NULL;
    if (!b) return v;
    char *end = b + 9 + strcspn(b + 9, ";");
    char *out = cf_strfmt("%.*sboundary=*%s", (int)(b - v), v, end);
    free(v);
    return out;
}

/* Keeps what step of case i got (the last final response) for the version differential. */
static void remember_version(printer *pr, size_t i, size_t step, const cf_step_result *res)
{
    if (i >= pr->ncases || !res->nresponses) return;
    vcase *v = &pr->seen[i]; /* only the worker running c writes here */
    if (step >= v->nsteps) {
        vstep *ns = realloc(v->steps, (step + 1) * sizeof *ns);
        if (!ns) return;
        memset(ns + v->nsteps, 0, (step + 1 - v->nsteps) * sizeof *ns);
        v->steps = ns;
        v->nsteps = step + 1;
    }
    const cf_obs_response *r = &res->responses[res->nresponses - 1];
    v->steps[step].status = r->status;
    for (size_t k = 0; k < NMETA; k++) {
        const cf_obs_field *f = cf_rules_field(r, meta_names[k]);
        free(v->steps[step].meta[k]);
        v->steps[step].meta[k] = f ? meta_value(f) : NULL;
    }
}

/* The report builder's hook, and the differential's. */
static void on_step(size_t index, const cf_case *c, size_t step, const cf_step_result *res,
                    void *ud)
{
    printer *pr = ud;
    cf_report_builder_on_step(index, c, step, res, pr->b);
    if (pr->seen) remember_version(pr, index, step, res);
}

/* A case finished (in spec order): its result becomes a report case, which goes to the
 * reports written as the run goes and is then made compact unless a report needs it whole. */
static void on_done(size_t index, cf_case_result *r, void *ud)
{
    printer *pr = ud;
    cf_run_counts_add(&pr->counts, r);
    if (r->verdict == CF_VERDICT_FAIL || r->verdict == CF_VERDICT_ERROR) {
        pr->o->nfailed++;
        if (pr->o->maxfail && pr->o->nfailed >= pr->o->maxfail && !pr->o->maxfail_hit) {
            pr->o->maxfail_hit = true;
            run_halt = 1; /* no case starts any more */
        }
    }
    if (cf_report_builder_add(pr->b, index, r) < 0) pr->oom = true;
    cf_case_result_free(r); /* the pool's ring entry, free for a later case */
    pr->term.log_failed = pr->counts.n[CF_VERDICT_FAIL];
    pr->term.log_errors = pr->counts.n[CF_VERDICT_ERROR];
    cf_term_progress_log(&pr->term, pr->counts.total, pr->ncases);
    const cf_report_case *c = cf_report_builder_case(pr->b, index);
    if (!c) return;
    if (pr->stream) cf_term_case(&pr->term, c);
    stream_case(pr->o, c);
    if (!pr->o->keep_full) cf_report_builder_compact(pr->b, index, pr->o->ntargets > 1);
}

static void on_progress(size_t finished, size_t total, const char *id, void *ud)
{
    cf_term_progress(&((printer *)ud)->term, finished, total, id);
}

/* Runs the cases of pr->ix against cfg's target with the report builder hooked in; fills
 * pr->counts and the target (named name). -1 with why in err. */
static int run_pool(const run_opts *o, const cf_run_config *base, const char *name, printer *pr,
                    cf_report_target *t, char *err, size_t errlen)
{
    cf_run_config cfg = *base;
    cfg.on_step = on_step;
    cfg.on_step_ud = pr;
    uint64_t t0 = cf_now_ms();
    unsigned jobs = o->jobs;
    if (cf_exec_cli_on(&o->exec)) jobs = 1; /* --exec: a crash is blamed on one case */
    if (jobs == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = nc < 1 ? 1 : nc > MAX_JOBS ? MAX_JOBS : (unsigned)nc;
    }
    int rc = cf_run_pool(pr->ix, jobs, &cfg, on_done, on_progress, pr, err, errlen);
    pr->counts.elapsed_ms = (unsigned)(cf_now_ms() - t0);
    if (rc == 0 &&
        (pr->oom || cf_report_builder_finish(pr->b, t, name, pr->counts.elapsed_ms) < 0)) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    return rc;
}

/* Runs the selected cases against cfg's target into *t (named name), printing them as they
 * finish when the terminal format goes to stdout; returns the exit status of this target. */
static int run_cases(run_opts *o, const cf_run_config *cfg, const char *name, cf_spec_index *ix,
                     cf_report_target *t)
{
    printer pr = {.o = o,
                  .term = {.out = stdout,
                           .err = stderr,
                           .quiet = o->quiet,
                           .rules = o->gate.rules,
                           .strict = o->cfg.strict,
                           .show = o->show}};
    pr.stream = o->stream_term;
    pr.ncases = cf_spec_index_count(ix);
    pr.ix = ix;
    pr.seen = o->seen[o->target_index];
    bool tty = isatty(STDERR_FILENO);
    pr.term.progress = o->progress == PROGRESS_AUTO && tty;
    pr.term.progress_log = o->progress == PROGRESS_ALWAYS || (o->progress == PROGRESS_AUTO && !tty);
    pr.term.log_every_ms = o->progress_every_ms;
    pr.term.log_start_ms = cf_now_ms();
    pr.term.log_target = o->ntargets > 1 ? name : NULL;
    pr.term.color = !o->no_color && cf_report_color_auto(stdout);
    pr.b = cf_report_builder_new(pr.ncases, cfg->caps.max_raw);
    char err[2048] = "out of memory";
    int rc = pr.b ? run_pool(o, cfg, name, &pr, t, err, sizeof err) : -1;
    cf_report_builder_free(pr.b);
    cf_term_progress_clear(&pr.term);
    if (rc < 0) {
        fprintf(stderr, "conform run: %s; the run stopped\n", err);
        return CF_EXIT_USAGE;
    }
    if (pr.stream) {
        cf_term_summary(&pr.term, &pr.counts);
        cf_report_term_summaries(t, stdout, pr.term.color, o->gate.rules);
    }
    return cf_run_exit_status(&pr.counts);
}

/* The profile that applies to the target named name (a label or the argument), and in *path the
 * file it was read from (NULL for the defaults and the built-in target's own). */
static const cf_profile *profile_of(const run_opts *o, const char *name, bool builtin,
                                    const char **path)
{
    for (size_t i = 0; i < o->ntprof; i++)
        if (!strcmp(o->tprof[i].label, name)) {
            *path = o->tprof[i].path;
            return &o->tprof[i].p;
        }
    *path = o->profile_path;
    return builtin && !o->profile_path ? &o->builtin : &o->profile;
}

/* --exec: blames the server's events on the case running (cases run one at a time). */
typedef struct exec_hooks {
    run_opts *o;
    cf_exec *x;
    cf_exec_mark mark;   /* at the start of the case running, or the end of the last one */
    const char *last_id; /* the case that ended last */
    bool gone;           /* a restart failed: no more case runs */
    char gone_why[2048];
} exec_hooks;

/* The error of a case that cannot run: the server is gone. */
static int exec_not_run(char *err, size_t errlen)
{
    snprintf(err, errlen, "not run: the server under test could not be restarted (--exec)");
    return -1;
}

/* Before a case: events since the last case ended fail the run (nothing to blame them on);
 * a server that exited is restarted. */
static int exec_begin(const cf_case *c, void *ud, char *err, size_t errlen)
{
    exec_hooks *h = ud;
    if (h->gone) return exec_not_run(err, errlen);
    char lead[600];
    snprintf(lead, sizeof lead, "between the cases %s and %s, ", h->last_id ? h->last_id : "(none)",
             c->id);
    char *excerpt, *why = cf_exec_blame(h->x, h->mark, lead, &excerpt);
    if (why) {
        cf_exec_cli_print("run", why, excerpt);
        h->o->exec_problem = true;
    }
    free(why);
    free(excerpt);
    if (!cf_exec_running(h->x)) {
        h->gone = cf_exec_restart(h->x, h->gone_why, sizeof h->gone_why) < 0;
        if (h->gone)
            fprintf(stderr, "conform run: --exec: the server could not be restarted: %s\n",
                    h->gone_why);
        else
            fprintf(stderr, "conform run: --exec: the server was restarted before %s\n", c->id);
        exec_pgid = cf_exec_pgid(h->x);
    }
    h->mark = cf_exec_mark_now(h->x); /* a failed restart's own exit is said above */
    return h->gone ? exec_not_run(err, errlen) : 0;
}

/* After a case: what the server did meanwhile fails it (a crash may take a moment to show
 * after a case that did not pass). */
static void exec_end(const cf_case *c, cf_case_result *r, void *ud)
{
    exec_hooks *h = ud;
    if (r->verdict != CF_VERDICT_PASS && r->verdict != CF_VERDICT_SKIP)
        cf_exec_settle(h->x, CF_EXEC_SETTLE_MS);
    char *excerpt, *why = cf_exec_blame(h->x, h->mark, "while this ran, ", &excerpt);
    if (why && cf_case_result_blame(r, why, excerpt) < 0) {
        fprintf(stderr, "conform run: --exec: %s: ", c->id); /* out of memory: still said */
        cf_exec_cli_print("run", why, excerpt);
        h->o->exec_problem = true;
    }
    free(why);
    free(excerpt);
    h->mark = cf_exec_mark_now(h->x);
    h->last_id = c->id;
}

/* The directory of the first report written to a file, for the --exec log; NULL: none. */
static const char *report_dir(const run_opts *o, char *buf, size_t cap)
{
    for (size_t i = 0; i < o->nreports; i++) {
        const char *p = o->reports[i].path;
        if (!p) continue;
        const char *slash = strrchr(p, '/');
        if (!slash) return ".";
        snprintf(buf, cap, "%.*s", slash == p ? 1 : (int)(slash - p), p);
        return buf;
    }
    return NULL;
}

/* Starts the built-in server when asked, probes the target, runs; *t gets the results, or only
 * its name when the target is unreachable. Returns the exit status of this target. */
static int run_target(run_opts *o, const char *arg, cf_spec_index *ix, cf_report_target *t)
{
    char err[512], name[256];
    const char *text = split_label(arg, name, sizeof name);
    cf_run_config cfg = o->cfg;
    cfg.http2 = o->slot_h2[o->target_index];
    char shown[300]; /* the report's name of the target: with both versions, which one */
    snprintf(shown, sizeof shown, "%s%s", name,
             o->versions == (VERSION_11 | VERSION_2) ? (cfg.http2 ? " HTTP/2" : " HTTP/1.1") : "");
    o->topts.several = o->ntargets > 1;
    if (cf_run_target_parse(text, &cfg.target, err, sizeof err) < 0 ||
        cf_run_target_apply(&cfg.target, &o->topts, err, sizeof err) < 0) {
        fprintf(stderr, "conform run: %s\n", err);
        return CF_EXIT_USAGE;
    }
    if (o->ntargets > 1 && o->stream_term)
        fprintf(stdout, "%sTarget %s\n", t == &o->report->targets[0] ? "" : "\n", name);
    cf_server *srv = NULL;
    int rc = CF_EXIT_UNREACHABLE;
    exec_hooks hooks = {.o = o};
    if (cf_exec_cli_on(&o->exec)) {
        char dir[4096];
        if (cfg.target.builtin) {
            fprintf(stderr, "conform run: --exec starts the server under test: give its "
                            "HOST:PORT as --target, not builtin\n");
            return CF_EXIT_USAGE;
        }
        if (cf_exec_cli_start(&o->exec, "run", report_dir(o, dir, sizeof dir), cfg.target.host,
                              cfg.target.port) < 0) {
            o->exec_failed = true;
            goto unreachable;
        }
        if (o->jobs > 1)
            fprintf(stderr,
                    "conform run: --exec: cases run one at a time (-j %u ignored), so "
                    "that a crash is blamed on one case\n",
                    o->jobs);
        hooks.x = o->exec.x;
        exec_pgid = cf_exec_pgid(hooks.x);
        hooks.mark = cf_exec_mark_now(hooks.x);
        cfg.case_begin = exec_begin;
        cfg.case_end = exec_end;
        cfg.case_ud = &hooks;
    }
    if (cfg.target.builtin && cfg.http2) {
        fprintf(stderr, "conform run: --target builtin: the built-in server speaks HTTP/1.1 "
                        "only, not HTTP/2 (--http2, --versions)\n");
        return CF_EXIT_USAGE;
    }
    if (cfg.target.builtin) {
        cf_serve_options so;
        cf_serve_options_default(&so);
        if (cf_serve_start(&so, &srv, err, sizeof err) < 0) {
            fprintf(stderr, "conform run: cannot start the built-in server: %s\n", err);
            goto unreachable;
        }
        char port[8];
        snprintf(port, sizeof port, "%d", cf_server_port(srv));
        cf_run_target_set(&cfg.target, "127.0.0.1", port);
    }
    /* the resources the cases may name: the built-in target's own unless --profile says */
    const char *ppath;
    cf_profile_apply(profile_of(o, name, cfg.target.builtin, &ppath), &cfg.target.vars);
    /* each case's rerun command: the same target (as given) and profile */
    cf_buf args = {0};
    cf_buf_str(&args, "--target ");
    cf_repro_shell_word(text, &args);
    if (ppath) {
        cf_buf_str(&args, " --profile ");
        cf_repro_shell_word(ppath, &args);
    }
    cf_target_opts_words(&o->topts, &args);
    if (cfg.http2) cf_buf_str(&args, " --http2");
    cfg.rerun_args = args.err ? NULL : args.ptr;
    if (probe(o, &cfg) == 0) rc = run_cases(o, &cfg, shown, ix, t);
    cf_buf_free(&args);
    cf_serve_stop(srv);
    if (cf_exec_cli_stop(&o->exec, "run") != 0) o->exec_problem = true;
    exec_pgid = 0; /* after the stop: a second signal during its grace period kills the group */
    if (rc != CF_EXIT_UNREACHABLE) return rc;
unreachable:; /* the target's column says "unreachable": a name, no cases */
    bool oom = false;
    t->name = cf_report_strdup(shown, &oom);
    if (o->ntargets > 1 && o->stream_term) fprintf(stdout, "unreachable\n");
    return oom ? CF_EXIT_USAGE : CF_EXIT_UNREACHABLE;
}

/* Says that the run stopped at --maxfail and how many cases did not run (n selected per
 * target). */
static void maxfail_message(const run_opts *o, const cf_report *r, size_t n)
{
    size_t ran = 0;
    for (size_t i = 0; i < r->ntargets; i++)
        ran += r->targets[i].ncases;
    size_t all = n * o->ntargets;
    fprintf(stderr,
            "conform run: --maxfail %zu reached: %zu of %zu cases ran, %zu did not (the reports "
            "hold those that ran, marked interrupted)\n",
            o->maxfail, ran, all, all - ran);
}

/* One step's differences between the HTTP/1.1 and HTTP/2 runs into r; -1: memory. */
static int step_differences(cf_report *r, const cf_report_vdiff *where, const vstep *a,
                            const vstep *b)
{
    cf_report_vdiff e = *where, *d = &e;
    char s11[16], s2[16];
    snprintf(s11, sizeof s11, "%d", a->status);
    snprintf(s2, sizeof s2, "%d", b->status);
    d->what = "status";
    d->v11 = s11;
    d->v2 = s2;
    if (a->status != b->status && cf_report_vdiff_add(r, d) < 0) return -1;
    for (size_t m = 0; m < NMETA; m++) {
        char *x = a->meta[m], *y = b->meta[m];
        if ((!x && !y) || (x && y && !strcmp(x, y))) continue;
        d->what = (char *)meta_names[m];
        d->v11 = x;
        d->v2 = y;
        if (cf_report_vdiff_add(r, d) < 0) return -1;
    }
    return 0;
}

/* The version differential of the target run in slots i (HTTP/1.1) and i + 1 (HTTP/2) into r:
 * every step both judged where the same request got a different status or representation
 * metadata. -1: memory. */
static int differential(const run_opts *o, cf_report *r, size_t i, const cf_spec_index *ix)
{
    size_t n = cf_spec_index_count(ix);
    const vcase *a = o->seen[i], *b = o->seen[i + 1];
    if (!a || !b) return -1;
    r->versions = true;
    for (size_t c = 0; c < n; c++) {
        size_t steps = a[c].nsteps < b[c].nsteps ? a[c].nsteps : b[c].nsteps;
        if (steps) r->vdiff_cases++;
        cf_report_vdiff d = {
            .http11 = i, .http2 = i + 1, .case_id = (char *)cf_spec_index_id(ix, c)};
        for (d.step = 0; d.step < steps; d.step++)
            if (a[c].steps[d.step].status && b[c].steps[d.step].status &&
                step_differences(r, &d, &a[c].steps[d.step], &b[c].steps[d.step]) < 0)
                return -1;
    }
    return 0;
}

static void free_seen(run_opts *o, size_t n)
{
    for (size_t i = 0; i < MAX_TARGETS; i++) {
        for (size_t c = 0; o->seen[i] && c < n; c++) {
            for (size_t k = 0; k < o->seen[i][c].nsteps; k++)
                for (size_t m = 0; m < NMETA; m++)
                    free(o->seen[i][c].steps[k].meta[m]);
            free(o->seen[i][c].steps);
        }
        free(o->seen[i]);
        o->seen[i] = NULL;
    }
}

/* Runs every target in turn and writes the reports. Exit status: 2 when a target or a report
 * failed that way; else 3 when every target is unreachable; else 1 when a reachable target had
 * failures or errors, or some target is unreachable (as if all its cases were errors); else 0. */
static int run_targets(run_opts *o, cf_spec_index *ix)
{
    size_t n = cf_spec_index_count(ix);
    cf_report r;
    int rc = cf_report_init(&r, (long long)time(NULL), o->paths, o->npaths, o->cfg.strict);
    r.targets = calloc(o->ntargets, sizeof *r.targets);
    r.rules = o->gate.rules;
    if (rc < 0 || !r.targets) {
        fprintf(stderr, "conform run: out of memory\n");
        cf_report_free(&r);
        return CF_EXIT_USAGE;
    }
    o->report = &r;
    for (size_t i = 0; o->versions == (VERSION_11 | VERSION_2) && i < o->ntargets; i++)
        o->seen[i] = calloc(n ? n : 1, sizeof **o->seen); /* NULL: no differential kept */
    size_t unreachable = 0;
    bool usage = false, failed = false;
    for (size_t i = 0; i < o->ntargets; i++) {
        split_label(o->targets[i], o->target_name, sizeof o->target_name);
        o->target_index = i;
        stream_target_begin(o, i, o->target_name);
        int st = run_target(o, o->targets[i], ix, &r.targets[i]);
        r.ntargets = i + 1;
        stream_target_end(o, &r.targets[i]);
        if (st == CF_EXIT_USAGE) usage = true;
        if (st == CF_EXIT_UNREACHABLE) unreachable++;
        if (st == CF_EXIT_FAIL) failed = true;
        if (usage || run_halt) break; /* stopped: the targets after this one do not run */
    }
    /* a signal from here on, while the reports are written, stops nothing: the run is whole */
    int stopped_by = run_stop;
    r.interrupted = stopped_by != 0 || o->maxfail_hit;
    if (o->maxfail_hit && !stopped_by) maxfail_message(o, &r, n);
    if (o->stream_term) cf_report_term_interrupted(&r, stdout);
    for (size_t i = 0; i + 1 < r.ntargets && o->versions == (VERSION_11 | VERSION_2); i += 2)
        if (differential(o, &r, i, ix) < 0) usage = true; /* out of memory */
    free_seen(o, n);
    if (o->stream_term) cf_report_term_vdiff(&r, stdout);
    bool color = !o->no_color && cf_report_color_auto(stdout);
    if (!usage && o->stream_term && cf_report_grid_term(&r, stdout, color) < 0) usage = true;
    if (unreachable && o->ntargets > 1 && unreachable < o->ntargets)
        fprintf(stderr,
                "conform run: %zu of %zu targets unreachable; their columns say so, and the "
                "run fails (exit 1)\n",
                unreachable, o->ntargets);
    if (!usage && unreachable < o->ntargets && write_reports(o, &r) < 0) usage = true;
    if (r.interrupted && o->gate.update)
        fprintf(stderr,
                "conform run: --update-baseline: %s not rewritten, the run was "
                "interrupted\n",
                o->gate.baseline_path);
    /* --fail-on and --baseline decide, on a run that went to its end */
    if (!usage && !r.interrupted && unreachable < o->ntargets) {
        char err[1100] = "";
        int gate =
            cf_gate_run_finish(&o->gate, &r, o->stream_term ? stdout : stderr, err, sizeof err);
        if (err[0]) fprintf(stderr, "conform run: %s\n", err);
        usage = gate == CF_EXIT_USAGE;
        failed = gate == CF_EXIT_FAIL;
    }
    o->report = NULL;
    cf_report_free(&r);
    if (usage) return CF_EXIT_USAGE;
    if (stopped_by) return 128 + stopped_by; /* 130 for SIGINT, 143 for SIGTERM, as a shell says */
    if (o->exec_failed) return CF_EXIT_EXEC;
    if (o->maxfail_hit) return CF_EXIT_FAIL;
    if (unreachable == o->ntargets) return CF_EXIT_UNREACHABLE;
    if (o->exec_problem && !failed)
        fprintf(stderr, "conform run: --exec: the server under test misbehaved outside the "
                        "cases (above): the run fails\n");
    return failed || unreachable || o->exec_problem ? CF_EXIT_FAIL : CF_EXIT_OK;
}

/* The profiles of --profile (or the defaults), of each --profile LABEL=FILE, and the built-in
 * target's. -1 with errors. */
static int load_profiles(run_opts *o, cf_spec_errors *errs)
{
    if (cf_profile_builtin(&o->builtin) < 0 ||
        (!o->profile_path && cf_profile_defaults(&o->profile) < 0)) {
        cf_spec_errors_add(errs, "conform", 0, 0, "out of memory");
        return -1;
    }
    int rc = o->profile_path ? cf_profile_load(o->profile_path, &o->profile, errs) : 0;
    for (size_t i = 0; i < o->ntprof; i++)
        if (cf_profile_load(o->tprof[i].path, &o->tprof[i].p, errs) < 0) rc = -1;
    return rc;
}

/* Each --profile LABEL=FILE names a --target LABEL=...; 0, or -1 (message printed). */
static int check_profile_labels(const run_opts *o)
{
    for (size_t i = 0; i < o->ntprof; i++) {
        bool found = false;
        for (size_t k = 0; k < o->ntargets && !found; k++) {
            char label[256];
            found = split_label(o->targets[k], label, sizeof label) != o->targets[k] &&
                    !strcmp(label, o->tprof[i].label);
        }
        if (!found) {
            fprintf(stderr,
                    "conform run: --profile %s=%s: no --target is labelled %s (--target "
                    "%s=HOST:PORT)\n",
                    o->tprof[i].label, o->tprof[i].path, o->tprof[i].label, o->tprof[i].label);
            return -1;
        }
    }
    return 0;
}

/* --last-failed RUN.json: selects the cases that did not pass there (any target), read within
 * the JSON reader's budgets (docs/limits.md). Returns 0, or -1 (message printed). */
static int select_last_failed(run_opts *o)
{
    cf_report r;
    char err[1100];
    if (cf_report_json_read_file(o->last_failed, &r, err, sizeof err) < 0) {
        fprintf(stderr, "conform run: --last-failed: %s\n", err);
        return -1;
    }
    size_t total = 0, k = 0;
    for (size_t t = 0; t < r.ntargets; t++)
        total += r.targets[t].ncases;
    const char **ids = calloc(total ? total : 1, sizeof *ids);
    for (size_t t = 0; ids && t < r.ntargets; t++)
        for (size_t i = 0; i < r.targets[t].ncases; i++)
            if (r.targets[t].cases[i].verdict != CF_RV_PASS) ids[k++] = r.targets[t].cases[i].id;
    int rc = ids ? cf_select_set_only(&o->sel, ids, k) : -1;
    if (rc < 0) fprintf(stderr, "conform run: out of memory\n");
    free(ids);
    cf_report_free(&r);
    return rc;
}

/* Warns when two --target have one name (a label, or the same text): their columns in the
 * grid and their parts of every report could not be told apart. */
static void warn_duplicate_labels(const run_opts *o)
{
    for (size_t i = 0; i < o->ntargets; i++)
        for (size_t k = i + 1; k < o->ntargets; k++) {
            char a[256], b[256];
            split_label(o->targets[i], a, sizeof a);
            split_label(o->targets[k], b, sizeof b);
            /* --versions 1.1,2: the two runs of a target are named by their version */
            if (strcmp(a, b) || o->slot_h2[i] != o->slot_h2[k]) continue;
            fprintf(stderr,
                    "conform run: warning: --target %s and --target %s have one name (%s): the "
                    "reports cannot tell them apart; label them (LABEL=TARGET)\n",
                    o->targets[i], o->targets[k], a);
            break;
        }
}

int cf_cmd_run(int argc, char **argv)
{
    run_opts *o = calloc(1, sizeof *o);
    if (!o) return CF_EXIT_USAGE;
    cf_select_init(&o->sel);
    cf_run_config_default(&o->cfg);
    o->progress_every_ms = 10000;
    cf_exec_cli_init(&o->exec);
    int rc = parse_args(o, argc, argv);
    if (rc == 0 && o->last_failed && select_last_failed(o) < 0) rc = -1;
    if (rc == 0) warn_duplicate_labels(o);
    if (rc == 0 && cf_exec_cli_on(&o->exec) && o->ntargets > 1)
        rc = cf_cli_usage_error(&cf_opts_run, "--exec starts one server: give one --target");
    if (rc == 0 && check_outputs(o) < 0) rc = -1;
    if (rc != 0) {
        cf_select_free(&o->sel);
        free(o);
        return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    }
    cf_spec_index *ix = NULL;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    char gate_err[1100];
    rc = CF_EXIT_USAGE;
    /* the cases as places in their files, loaded again as the run reaches them: memory flat in
     * the number of cases (docs/bench.md "Memory") */
    cf_term_list_widths widths = {0};
    if (cf_spec_index_build(o->paths, o->npaths, &o->sel, CF_SPEC_INDEX_KEEP,
                            o->list ? cf_term_list_measure : NULL, &widths, &ix, &errs) < 0) {
        cf_spec_errors_print(&errs, stderr);
        fprintf(stderr, "conform run: %zu error%s in the specs; nothing was run\n", errs.count,
                errs.count == 1 ? "" : "s");
        goto done;
    }
    size_t n = cf_spec_index_count(ix);
    if (n == 0 && o->last_failed && o->sel.nonly == 0) {
        fprintf(stderr,
                "conform run: --last-failed %s: every case passed there; nothing to rerun\n",
                o->last_failed);
        rc = CF_EXIT_OK;
    } else if (n == 0) { /* --list too: a selection that selects nothing is a mistake */
        fprintf(stderr, "conform run: no case matches the selection%s\n",
                o->last_failed ? " (with --last-failed: the cases that did not pass there)" : "");
    } else if (o->list) {
        if (cf_term_list(stdout, ix, &widths, gate_err, sizeof gate_err) == 0)
            rc = CF_EXIT_OK;
        else
            fprintf(stderr, "conform run: %s\n", gate_err);
    } else if (!o->target) {
        fprintf(stderr, "conform run: no --target given (HOST:PORT, http://HOST:PORT or "
                        "builtin)\n");
    } else if (check_profile_labels(o) < 0) {
        /* a usage error: exit 2, nothing sent */
    } else if (load_profiles(o, &errs) < 0) {
        cf_spec_errors_print(&errs, stderr);
        fprintf(stderr, "conform run: the profile %s cannot be used; nothing was run\n",
                o->profile_path ? o->profile_path : "");
    } else if (cf_gate_run_prepare(&o->gate, gate_err, sizeof gate_err) < 0) {
        /* a bad baseline or gate option: exit 2, nothing sent */
        fprintf(stderr, "conform run: %s\n", gate_err);
    } else if (open_reports(o) == 0) {
        struct sigaction old[2];
        o->cfg.stop = &run_halt;
        catch_signals(old);
        if (open_streams(o) == 0) rc = run_targets(o, ix);
        close_streams(o);
        close_reports(o);
        restore_signals(old);
        memset(tmp_names, 0, sizeof tmp_names);
    }
    cf_spec_index_free(ix);
done:
    cf_profile_free(&o->profile);
    cf_profile_free(&o->builtin);
    for (size_t i = 0; i < o->ntprof; i++)
        cf_profile_free(&o->tprof[i].p);
    cf_gate_run_free(&o->gate);
    cf_spec_errors_free(&errs);
    cf_select_free(&o->sel);
    free(o);
    return rc;
}
