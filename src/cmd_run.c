/* conform run PATH... --target TARGET: replays the selected spec cases against a server over
 * TCP and judges each against its requirement (docs/commands/run.md). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "gate_run.h"
#include "report_build.h"
#include "report_formats.h"
#include "report_grid.h"
#include "report_term.h"
#include "net_conn.h"
#include "run_pool.h"
#include "run_verdict.h"
#include "serve.h"
#include "spec_load.h"
#include "spec_select.h"
#include "specs_default.h"

#define MAX_PATHS   256
#define MAX_JOBS    256
#define MAX_ADDRS   8
#define MAX_REPORTS 16
#define MAX_TARGETS 16

typedef struct run_opts {
    const char *paths[MAX_PATHS];
    size_t npaths;
    const char *target;               /* the first --target */
    const char *targets[MAX_TARGETS]; /* every --target, in order */
    size_t ntargets;
    unsigned jobs;
    bool list, quiet, no_progress, no_color;
    cf_select sel;
    cf_run_config cfg;
    cf_report_dest reports[MAX_REPORTS]; /* --report, in order */
    FILE *report_fp[MAX_REPORTS];        /* opened before the run; NULL: stdout */
    size_t nreports;
    bool stream_term;  /* the terminal format goes to stdout: print cases as they finish */
    cf_report *report; /* the report being built, during the run */
    cf_gate_run gate;  /* --fail-on, --baseline, --update-baseline (gate_run.h) */
} run_opts;

static void run_usage(FILE *out)
{
    fprintf(out,
            "usage: conform run [OPTIONS] [PATH...] --target TARGET\n\n"
            "Replays the spec cases under each PATH (files, or directories searched for *.yaml\n"
            "and *.yml) against TARGET over TCP, one connection per case, and judges every\n"
            "response against the case's requirement (docs/commands/run.md). No PATH: the\n"
            "bundled suite (PREFIX/share/conform/specs, or specs/ of the source tree).\n\n"
            "TARGET: HOST:PORT, [IPV6]:PORT, http://HOST:PORT, or builtin (the built-in server,\n"
            "started on an ephemeral 127.0.0.1 port for the run).\n\n"
            "options:\n"
            "  -t, --target [LABEL=]TARGET\n"
            "                           a server to test (required unless --list); repeatable:\n"
            "                           the servers run one after the other and the reports\n"
            "                           add a case-by-target grid; LABEL names its column\n"
            "  -j, --jobs N             cases run in parallel (default: number of cores)\n"
            "      --id ID              ids starting with ID, or a glob (* ? [); repeatable\n"
            "      --tag TAG            cases with this tag; repeatable\n"
            "      --exclude-tag TAG    drop cases with this tag; repeatable\n"
            "      --rfc RFC[:SECTION]  cases of an RFC, or of a section and its subsections\n"
            "      --level LEVEL        MUST, SHOULD or MAY; comma lists work for all four\n"
            "      --list               print the cases that would run (id, level, RFC section,\n"
            "                           title) and exit\n"
            "      --strict             a failed SHOULD fails the run (default: it warns)\n"
            "      --fail-on LEVEL      failures that make the exit status 1: must (FAIL and\n"
            "                           ERROR; the default), should (also WARN), any (also INFO)\n"
            "      --baseline FILE      known deviations (a JSON result or a YAML known: list):\n"
            "                           fail only on regressions, list the cases fixed since\n"
            "      --update-baseline    rewrite the baseline with this run's failures (exit 0)\n"
            "  -q, --quiet              print only the cases that did not pass, and the summary\n"
            "      --no-progress        no progress line on a terminal\n"
            "      --report FORMAT[:PATH]\n"
            "                           write a report: terminal (the default), json, junit,\n"
            "                           tap, markdown or html; PATH - or none is stdout (one\n"
            "                           format at most); repeatable (docs/reports.md)\n"
            "      --no-color           no colours (also when NO_COLOR is set)\n"
            "      --connect-timeout T  give up connecting after T (default 2s)\n"
            "      --time-limit T       a step's wait for responses when its spec sets none\n"
            "                           (default 2s)\n"
            "      --case-timeout T     a whole case; past it the case is an ERROR (default 10s)\n"
            "      --max-body SIZE      body bytes kept per response; the rest is counted\n"
            "                           (default 1M)\n"
            "      --max-raw SIZE       received bytes kept per step for reports (default 64K)\n"
            "      --max-response SIZE  received bytes per step after which reading stops\n"
            "                           (default 16M)\n"
            "  -h, --help               show this help\n\n"
            "T is milliseconds, or a number with ms or s (500ms, 2s). SIZE is bytes, or a\n"
            "number with K, M or G (powers of 1024).\n\n"
            "Verdicts: PASS; FAIL (a MUST did not hold); WARN (a SHOULD did not hold); INFO (a\n"
            "MAY did not hold); ERROR (the target or the harness broke mid-case).\n"
            "Exit status: 0 no FAIL or ERROR, 1 failures or errors, 2 bad specs or usage,\n"
            "3 target unreachable (with several: every target; one unreachable among\n"
            "several fails the run with 1).\n");
}

/* Parses a duration: milliseconds, or a number with "ms" or "s". */
static int parse_ms(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || errno || *s == '-') return -1;
    if (!strcmp(end, "s")) {
        if (v > 86400) return -1;
        v *= 1000;
    } else if (*end && strcmp(end, "ms")) {
        return -1;
    }
    if (v == 0 || v > 86400000ul) return -1;
    *out = (unsigned)v;
    return 0;
}

/* Parses a size: bytes, or a number with K, M or G (KiB, MiB, GiB also read). */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-') return -1;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift) end++;
    if (shift && !strcmp(end, "iB")) end += 2;
    if (*end || v > (1ull << 40) >> shift) return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE"; NULL when it is not this
 * option. *bad is set when the option lacks its value. */
static const char *opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt,
                             bool *bad)
{
    const char *a = argv[*i];
    size_t n = strlen(lng);
    if (!strncmp(a, lng, n) && a[n] == '=') return a + n + 1;
    if (shrt && !strncmp(a, shrt, strlen(shrt)) && a[strlen(shrt)]) /* "-j4", as getopt reads it */
        return a + strlen(shrt);
    if (strcmp(a, lng) && (!shrt || strcmp(a, shrt))) return NULL;
    if (*i + 1 >= argc) {
        *bad = true;
        return NULL;
    }
    return argv[++*i];
}

static int bad_value(const char *opt, const char *v)
{
    fprintf(stderr, "conform run: bad value '%s' for %s\n", v, opt);
    return -1;
}

/* --report FORMAT[:PATH]; returns 1, or -1 (message printed). */
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
    return 1;
}

/* Options that take a value; returns 1 when argv[*i] was one, 0 when not, -1 on error. */
static int value_option(run_opts *o, int argc, char **argv, int *i)
{
    static const char *const names[][2] = {
        {"--target", "-t"},
        {"--jobs", "-j"},
        {"--id", NULL},
        {"--tag", NULL},
        {"--rfc", NULL},
        {"--level", NULL},
        {"--connect-timeout", NULL},
        {"--time-limit", NULL},
        {"--case-timeout", NULL},
        {"--max-body", NULL},
        {"--max-raw", NULL},
        {"--max-response", NULL},
        {"--report", NULL},
        {"--exclude-tag", NULL},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        bool missing = false;
        const char *v = opt_value(argc, argv, i, names[k][0], names[k][1], &missing);
        if (missing) {
            fprintf(stderr, "conform run: %s needs a value\n", names[k][0]);
            return -1;
        }
        if (!v) continue;
        uint64_t sz = 0;
        unsigned long j;
        char *end;
        switch (k) {
        case 0:
            if (o->ntargets == MAX_TARGETS) {
                fprintf(stderr, "conform run: more than %d --target options\n", MAX_TARGETS);
                return -1;
            }
            if (!o->target) o->target = v;
            o->targets[o->ntargets++] = v;
            return 1;
        case 1:
            errno = 0;
            j = strtoul(v, &end, 10);
            if (*end || end == v || errno || j == 0 || j > MAX_JOBS || *v == '-')
                return bad_value(names[k][0], v);
            o->jobs = (unsigned)j;
            return 1;
        case 2: return cf_select_add_id(&o->sel, v) == 0 ? 1 : bad_value(names[k][0], v);
        case 3: return cf_select_add_tag(&o->sel, v) == 0 ? 1 : bad_value(names[k][0], v);
        case 4: return cf_select_add_rfc(&o->sel, v) == 0 ? 1 : bad_value(names[k][0], v);
        case 5: return cf_select_add_level(&o->sel, v) == 0 ? 1 : bad_value(names[k][0], v);
        case 6: return parse_ms(v, &o->cfg.connect_timeout_ms) == 0 ? 1 : bad_value(names[k][0], v);
        case 7: return parse_ms(v, &o->cfg.time_limit_ms) == 0 ? 1 : bad_value(names[k][0], v);
        case 8: return parse_ms(v, &o->cfg.case_timeout_ms) == 0 ? 1 : bad_value(names[k][0], v);
        case 12: return add_report(o, v);
        case 13: return cf_select_add_exclude_tag(&o->sel, v) == 0 ? 1 : bad_value(names[k][0], v);
        default: break;
        }
        if (parse_size(v, &sz) < 0 || sz == 0 || (k != 11 && sz > SIZE_MAX / 2))
            return bad_value(names[k][0], v);
        if (k == 9)
            o->cfg.caps.max_body = (size_t)sz;
        else if (k == 10)
            o->cfg.caps.max_raw = (size_t)sz;
        else
            o->cfg.caps.max_total = sz;
        return 1;
    }
    return 0;
}

/* Parses argv into o; returns 0, 1 (--help printed) or -1 (usage error printed). */
static int parse_args(run_opts *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int vo = value_option(o, argc, argv, &i);
        if (vo < 0) return -1;
        if (vo > 0) continue;
        int go = cf_gate_run_option(&o->gate, argc, argv, &i);
        if (go < 0) return -1;
        if (go > 0) continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            run_usage(stdout);
            return 1;
        } else if (!strcmp(a, "--list")) {
            o->list = true;
        } else if (!strcmp(a, "--strict")) {
            o->cfg.strict = true;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = true;
        } else if (!strcmp(a, "--no-progress")) {
            o->no_progress = true;
        } else if (!strcmp(a, "--no-color")) {
            o->no_color = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "conform run: unknown option '%s' (try 'conform run --help')\n", a);
            return -1;
        } else if (o->npaths == MAX_PATHS) {
            fprintf(stderr, "conform run: more than %d paths\n", MAX_PATHS);
            return -1;
        } else {
            o->paths[o->npaths++] = a;
        }
    }
    if (o->npaths == 0 && !(o->paths[o->npaths++] = cf_specs_default("conform run")))
        return -1;
    if (o->nreports == 0) { /* the default: the terminal format on stdout */
        o->reports[0] = (cf_report_dest){cf_report_format_find("terminal"), NULL};
        o->nreports = 1;
    }
    for (size_t i = 0; i < o->nreports; i++)
        if (!o->reports[i].path && !strcmp(o->reports[i].format->name, "terminal"))
            o->stream_term = true;
    return 0;
}

/* Opens the report files before anything runs, so a bad PATH costs no run. Returns 0, or -1
 * (message printed, files opened so far closed). */
static int open_reports(run_opts *o)
{
    for (size_t i = 0; i < o->nreports; i++) {
        if (!o->reports[i].path) continue;
        o->report_fp[i] = fopen(o->reports[i].path, "w");
        if (!o->report_fp[i]) {
            fprintf(stderr, "conform run: cannot write %s: %s\n", o->reports[i].path,
                    strerror(errno));
            for (size_t k = 0; k < i; k++)
                if (o->report_fp[k]) fclose(o->report_fp[k]);
            memset(o->report_fp, 0, sizeof o->report_fp);
            return -1;
        }
    }
    return 0;
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
        int w = d->format->fn(r, fp);
        if (fflush(fp) != 0 || ferror(fp)) w = -1;
        if (o->report_fp[i] && fclose(o->report_fp[i]) != 0) w = -1;
        o->report_fp[i] = NULL;
        if (w < 0) {
            fprintf(stderr, "conform run: writing the %s report to %s failed\n", d->format->name,
                    d->path ? d->path : "standard output");
            rc = -1;
        }
    }
    return rc;
}

static void close_reports(run_opts *o)
{
    for (size_t i = 0; i < o->nreports; i++)
        if (o->report_fp[i]) fclose(o->report_fp[i]);
    memset(o->report_fp, 0, sizeof o->report_fp);
}

/* Resolves the target and connects once, so that an unreachable server is told apart from
 * failing cases. Returns 0 with cfg->addr set, or -1 (message printed). */
static int probe(cf_run_config *cfg)
{
    cf_run_addr addrs[MAX_ADDRS];
    char err[512];
    int n = cf_run_target_resolve(&cfg->target, addrs, MAX_ADDRS, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "conform run: %s\n", err);
        return -1;
    }
    int cause = 0;
    for (int i = 0; i < n; i++) {
        int fd = cf_conn_open((const struct sockaddr *)&addrs[i].ss, addrs[i].len,
                              cfg->connect_timeout_ms, &cause);
        if (fd >= 0) {
            close(fd);
            cfg->addr = addrs[i];
            return 0;
        }
    }
    if (cause == ETIMEDOUT)
        fprintf(stderr, "conform run: cannot connect to %s: timed out after %u ms\n",
                cfg->target.display, cfg->connect_timeout_ms);
    else
        fprintf(stderr, "conform run: cannot connect to %s: %s\n", cfg->target.display,
                strerror(cause));
    return -1;
}

typedef struct printer {
    cf_term term;
    bool stream; /* print each case as it finishes */
    cf_run_counts counts;
    cf_report_builder *b;
    bool oom;
} printer;

static void on_done(size_t index, const cf_case_result *r, void *ud)
{
    printer *pr = ud;
    cf_run_counts_add(&pr->counts, r);
    if (cf_report_builder_add(pr->b, index, r) < 0) pr->oom = true;
    const cf_report_case *c = cf_report_builder_case(pr->b, index);
    if (pr->stream && c) cf_term_case(&pr->term, c);
}

static void on_progress(size_t finished, size_t total, const char *id, void *ud)
{
    cf_term_progress(&((printer *)ud)->term, finished, total, id);
}

/* Runs cases[0..n) against cfg's target with the report builder hooked in; fills pr->counts
 * and the target (named name). */
static int run_pool(const run_opts *o, const cf_run_config *base, const char *name,
                    const cf_case *const *cases, size_t n, printer *pr, cf_report_target *t)
{
    cf_case_result *results = calloc(n, sizeof *results);
    if (!results) return -1;
    cf_run_config cfg = *base;
    cfg.on_step = cf_report_builder_on_step;
    cfg.on_step_ud = pr->b;
    uint64_t t0 = cf_now_ms();
    unsigned jobs = o->jobs;
    if (jobs == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = nc < 1 ? 1 : nc > MAX_JOBS ? MAX_JOBS : (unsigned)nc;
    }
    int rc = cf_run_pool(cases, n, jobs, &cfg, results, on_done, on_progress, pr);
    pr->counts.elapsed_ms = (unsigned)(cf_now_ms() - t0);
    for (size_t i = 0; i < n; i++)
        cf_case_result_free(&results[i]);
    free(results);
    if (rc == 0 && cf_report_builder_finish(pr->b, t, name, pr->counts.elapsed_ms) < 0) rc = -1;
    return rc < 0 || pr->oom ? -1 : 0;
}

/* Runs the selected cases against cfg's target into *t (named name), printing them as they
 * finish when the terminal format goes to stdout; returns the exit status of this target. */
static int run_cases(run_opts *o, const cf_run_config *cfg, const char *name,
                     const cf_case *const *cases, size_t n, cf_report_target *t)
{
    printer pr = {.term = {.out = stdout, .err = stderr, .quiet = o->quiet}};
    pr.stream = o->stream_term;
    pr.term.progress = !o->no_progress && isatty(STDERR_FILENO);
    pr.term.color = !o->no_color && cf_report_color_auto(stdout);
    pr.b = cf_report_builder_new(cases, n, cfg->target.host, cfg->target.port, cfg->caps.max_raw);
    int rc = pr.b ? run_pool(o, cfg, name, cases, n, &pr, t) : -1;
    cf_report_builder_free(pr.b);
    cf_term_progress_clear(&pr.term);
    if (rc < 0) {
        fprintf(stderr, "conform run: out of memory\n");
        return CF_EXIT_USAGE;
    }
    if (pr.stream) {
        cf_term_summary(&pr.term, &pr.counts);
        cf_report_term_summaries(t, stdout, pr.term.color);
    }
    return cf_run_exit_status(&pr.counts);
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

/* Starts the built-in server when asked, probes the target, runs; *t gets the results, or only
 * its name when the target is unreachable. Returns the exit status of this target. */
static int run_target(run_opts *o, const char *arg, const cf_case *const *cases, size_t n,
                      cf_report_target *t)
{
    char err[512], name[256];
    const char *text = split_label(arg, name, sizeof name);
    cf_run_config cfg = o->cfg;
    if (cf_run_target_parse(text, &cfg.target, err, sizeof err) < 0) {
        fprintf(stderr, "conform run: %s\n", err);
        return CF_EXIT_USAGE;
    }
    if (o->ntargets > 1 && o->stream_term)
        fprintf(stdout, "%sTarget %s\n", t == &o->report->targets[0] ? "" : "\n", name);
    cf_server *srv = NULL;
    int rc = CF_EXIT_UNREACHABLE;
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
    if (probe(&cfg) == 0) rc = run_cases(o, &cfg, name, cases, n, t);
    cf_serve_stop(srv);
    if (rc != CF_EXIT_UNREACHABLE) return rc;
unreachable:; /* the target's column says "unreachable": a name, no cases */
    bool oom = false;
    t->name = cf_report_strdup(name, &oom);
    if (o->ntargets > 1 && o->stream_term) fprintf(stdout, "unreachable\n");
    return oom ? CF_EXIT_USAGE : CF_EXIT_UNREACHABLE;
}

/* Runs every target in turn and writes the reports. Exit status: 2 when a target or a report
 * failed that way; else 3 when every target is unreachable; else 1 when a reachable target had
 * failures or errors, or some target is unreachable (as if all its cases were errors); else 0. */
static int run_targets(run_opts *o, const cf_case *const *cases, size_t n)
{
    cf_report r;
    int rc = cf_report_init(&r, (long long)time(NULL), o->paths, o->npaths, o->cfg.strict);
    r.targets = calloc(o->ntargets, sizeof *r.targets);
    if (rc < 0 || !r.targets) {
        fprintf(stderr, "conform run: out of memory\n");
        cf_report_free(&r);
        return CF_EXIT_USAGE;
    }
    o->report = &r;
    size_t unreachable = 0;
    bool usage = false, failed = false;
    for (size_t i = 0; i < o->ntargets; i++) {
        int st = run_target(o, o->targets[i], cases, n, &r.targets[i]);
        r.ntargets = i + 1;
        if (st == CF_EXIT_USAGE) usage = true;
        if (st == CF_EXIT_UNREACHABLE) unreachable++;
        if (st == CF_EXIT_FAIL) failed = true;
        if (usage) break;
    }
    bool color = !o->no_color && cf_report_color_auto(stdout);
    if (!usage && o->stream_term && cf_report_grid_term(&r, stdout, color) < 0) usage = true;
    if (unreachable && o->ntargets > 1 && unreachable < o->ntargets)
        fprintf(stderr,
                "conform run: %zu of %zu targets unreachable; their columns say so, and the "
                "run fails (exit 1)\n",
                unreachable, o->ntargets);
    if (!usage && unreachable < o->ntargets && write_reports(o, &r) < 0) usage = true;
    if (!usage && unreachable < o->ntargets) { /* --fail-on and --baseline decide */
        int gate = cf_gate_run_finish(&o->gate, &r, o->stream_term ? stdout : stderr);
        usage = gate == CF_EXIT_USAGE;
        failed = gate == CF_EXIT_FAIL;
    }
    o->report = NULL;
    cf_report_free(&r);
    if (usage) return CF_EXIT_USAGE;
    if (unreachable == o->ntargets) return CF_EXIT_UNREACHABLE;
    return failed || unreachable ? CF_EXIT_FAIL : CF_EXIT_OK;
}

int cf_cmd_run(int argc, char **argv)
{
    run_opts *o = calloc(1, sizeof *o);
    if (!o) return CF_EXIT_USAGE;
    cf_select_init(&o->sel);
    cf_run_config_default(&o->cfg);
    int rc = parse_args(o, argc, argv);
    if (rc != 0) {
        cf_select_free(&o->sel);
        free(o);
        return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    }
    cf_spec_set set;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    const cf_case **cases = NULL;
    size_t n = 0;
    rc = CF_EXIT_USAGE;
    if (cf_spec_load_paths(o->paths, o->npaths, &set, &errs) < 0) {
        cf_spec_errors_print(&errs, stderr);
        fprintf(stderr, "conform run: %zu error%s in the specs; nothing was run\n", errs.count,
                errs.count == 1 ? "" : "s");
        goto done;
    }
    n = cf_select_cases(&o->sel, &set, &cases);
    if (n == (size_t)-1) {
        fprintf(stderr, "conform run: out of memory\n");
    } else if (o->list) {
        cf_term_list(stdout, cases, n);
        rc = CF_EXIT_OK;
    } else if (n == 0) {
        fprintf(stderr, "conform run: no case matches the selection\n");
    } else if (!o->target) {
        fprintf(stderr, "conform run: no --target given (HOST:PORT, http://HOST:PORT or "
                        "builtin)\n");
    } else if (cf_gate_run_prepare(&o->gate) < 0) {
        /* a bad baseline or gate option (message printed): exit 2, nothing sent */
    } else if (open_reports(o) == 0) {
        rc = run_targets(o, cases, n);
        close_reports(o);
    }
    free(cases);
    cf_spec_set_free(&set);
done:
    cf_gate_run_free(&o->gate);
    cf_spec_errors_free(&errs);
    cf_select_free(&o->sel);
    free(o);
    return rc;
}
