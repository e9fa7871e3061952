/* conform fuzz --target TARGET: mutates the suite's requests and sends them to a live server,
 * catching crashes, hangs, desyncs and malformed responses, each minimized and saved as a spec
 * case (docs/commands/fuzz.md). Each worker keeps its connection open between exchanges when it
 * can (fuzz_conn.h, judged by fuzz_judge.h); after a crash, the inputs in flight are replayed
 * alone once the target is back, to name the one that crashed it. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h1_parser.h"
#include "commands.h"
#include "exec_cli.h"
#include "fuzz_conn.h"
#include "fuzz_detect.h"
#include "fuzz_finding.h"
#include "fuzz_judge.h"
#include "fuzz_minimize.h"
#include "fuzz_mutate.h"
#include "fuzz_progress.h"
#include "fuzz_rng.h"
#include "fuzz_send.h"
#include "net_conn.h"
#include "net_preflight.h"
#include "serve.h"
#include "target_options.h"
#include "spec_load.h"
#include "spec_profile.h"
#include "spec_render.h"
#include "specs_default.h"

#define MAX_PATHS    64
#define MAX_JOBS     64
#define MIN_TRIES    200   /* exchanges one minimization may make */
#define MIN_TIME_MS  30000 /* and the time it may take */
#define MAX_FINDINGS 1000  /* saved per run; later ones are counted only */
#define UP_POLL_MS   100   /* between two connects while waiting for a crashed target */
#define MAX_DEAD     20    /* default --max-dead */

typedef struct fuzz_opts {
    const char *paths[MAX_PATHS];
    size_t npaths;
    const char *target, *findings;
    const char *profile;  /* --profile, or NULL */
    cf_target_opts topts; /* --insecure, --cacert, --cert, --key, --sni, --resolve */
    uint64_t duration_ms; /* 0: until Ctrl-C */
    uint64_t seed;
    bool has_seed, no_progress, no_minimize, no_keep_alive, no_preflight;
    uint64_t max_dead; /* exchanges in a row without an HTTP response that stop the run */
    double rate;
    unsigned jobs;
    uint64_t max_requests;    /* 0: no limit */
    uint64_t restart_wait_ms; /* after a crash: wait this long for the target to come back */
    cf_exec_cli exec;         /* --exec and its options */
} fuzz_opts;

/* One input of the suite: a rendered step. */
typedef struct seed_input {
    cf_buf bytes;
    const char *origin; /* case id (owned by the spec set) */
} seed_input;

typedef struct fuzz fuzz;

/* An input whose bytes reached the target, with what a finding says about it. */
typedef struct sent_input {
    cf_buf bytes;
    unsigned ops;
    const char *origin;
    unsigned worker;
    uint64_t iteration;
    uint64_t ms;   /* when its exchange ended */
    bool answered; /* a response came back */
} sent_input;

typedef struct worker {
    fuzz *f;
    unsigned index;
    pthread_t thread;
    cf_rng rng;
    uint64_t iteration;
    cf_fuzz_conn conn;
    sent_input sent[2]; /* the last two inputs that reached the target (crash candidates) */
    unsigned latest;    /* sent[latest] is the newer */
} worker;

/* Everything a run shares. Counters are atomics; the rest is read-only while workers run. */
struct fuzz {
    fuzz_opts o;
    cf_run_target target;
    cf_fuzz_conf conf;
    seed_input *seeds;
    size_t nseeds;
    cf_findings found;
    cf_fuzz_bucket bucket;
    volatile int stop;
    atomic_bool crashed;
    atomic_uint_fast64_t issued, requests, responses, done_workers, connections;
    atomic_uint_fast64_t k_reused, k_idle, k_fallback, k_stale, k_reruns;
    atomic_uint_fast64_t e_connect, e_reset, e_timeout, e_silent_close, e_send, e_not_http;
    atomic_uint_fast64_t kinds[CF_FK_NKINDS], duplicates, unconfirmed, saved;
    /* the current run of exchanges without an HTTP response (--max-dead), by what they got */
    atomic_uint_fast64_t dead, d_timeout, d_reset, d_closed, d_not_http, d_cut;
    atomic_bool dead_stop; /* the run stopped on --max-dead */
    pthread_mutex_t print_mu;
    bool tty;
    cf_exec *exec;     /* --exec: the server under test, supervised */
    cf_exec_mark mark; /* --exec: where the current round of workers started */
    bool exec_gone;    /* --exec: it could not be restarted (exit 4) */
    uint64_t t0;       /* when fuzzing started (--duration) */
    unsigned round;    /* rounds of workers: one, and one more after each --exec restart */
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

enum {
    OPT_TARGET,
    OPT_DURATION,
    OPT_SEED,
    OPT_SPECS,
    OPT_RATE,
    OPT_JOBS,
    OPT_FINDINGS,
    OPT_PROFILE,
    OPT_TIMEOUT,
    OPT_NO_KEEP_ALIVE,
    OPT_KEEP_ALIVE_WAIT,
    OPT_RESTART_WAIT,
    OPT_MAX_REQUESTS,
    OPT_NO_MINIMIZE,
    OPT_NO_PROGRESS,
    OPT_NO_PREFLIGHT,
    OPT_MAX_DEAD,
    OPT_EXEC,
    OPT_EXEC_WAIT,
    OPT_EXEC_GRACE,
    OPT_EXEC_ALERT,
    OPT_HELP,
};

static const cf_cli_option fuzz_options[] = {
    {OPT_TARGET, "target", 't', CF_CLI_STRING, "TARGET", "the server to fuzz (required)", 0, 0},
    {OPT_DURATION, "duration", 'd', CF_CLI_DURATION, "T",
     "stop after T: 30s, 5m, 8h, 500ms (default: until Ctrl-C)", 1, 100ull * 24 * 3600 * 1000},
    {OPT_SEED, "seed", 's', CF_CLI_COUNT, "N", "PRNG seed (default: the time, printed at start)", 0,
     0},
    {OPT_SPECS, "specs", 0, CF_CLI_STRING, "PATH",
     "spec files or directories to take requests from (repeatable; default: the bundled suite)", 0,
     0},
    {OPT_RATE, "rate", 'r', CF_CLI_COUNT, "R", "at most R requests per second (token bucket)", 1,
     10000000},
    {OPT_JOBS, "jobs", 'j', CF_CLI_COUNT, "N",
     "parallel workers, each with its own PRNG stream (default: number of cores)", 1, MAX_JOBS},
    {OPT_FINDINGS, "findings", 0, CF_CLI_STRING, "DIR",
     "where findings are saved (default reports/findings)", 0, 0},
    {OPT_TIMEOUT, "timeout", 0, CF_CLI_DURATION, "T",
     "no answer and no close this long after sending: a hang (default 2s)", 1, 600000},
    {OPT_NO_KEEP_ALIVE, "no-keep-alive", 0, CF_CLI_FLAG, NULL,
     "one connection per exchange (default: each worker keeps its connection open while the "
     "server allows)",
     0, 0},
    {OPT_KEEP_ALIVE_WAIT, "keep-alive-wait", 0, CF_CLI_DURATION, "T",
     "answers missing and no byte this long: half-close and read as --no-keep-alive would "
     "(default 5ms)",
     1, 60000},
    {OPT_RESTART_WAIT, "restart-wait", 0, CF_CLI_DURATION, "T",
     "after a crash, wait this long for the target to come back and replay the inputs in "
     "flight to name the culprit (default 5s; 0: do not wait)",
     0, 3600000},
    {OPT_MAX_REQUESTS, "max-requests", 'n', CF_CLI_COUNT, "N",
     "stop after N requests (all workers together)", 1, UINT64_MAX},
    {OPT_NO_MINIMIZE, "no-minimize", 0, CF_CLI_FLAG, NULL, "save findings as found", 0, 0},
    {OPT_NO_PROGRESS, "no-progress", 0, CF_CLI_FLAG, NULL, "no progress line", 0, 0},
    {OPT_PROFILE, "profile", 0, CF_CLI_STRING, "FILE",
     "what the target serves (docs/profiles.md): seeds come from the cases it can run; "
     "default: page / and a random missing path (builtin: its own, complete)",
     0, 0},
    {OPT_NO_PREFLIGHT, "no-preflight", 0, CF_CLI_FLAG, NULL,
     "connect once, but do not check that the target answers a GET of its page (/ or the "
     "profile's) with HTTP first",
     0, 0},
    {OPT_MAX_DEAD, "max-dead", 0, CF_CLI_COUNT, "N",
     "stop with exit 3 after N exchanges in a row got no HTTP response (silence, a close or "
     "reset without one, a cut response, bytes that are not HTTP; default 20)",
     1, 1000000},
    CF_TARGET_OPTIONS,
    CF_EXEC_CLI_ROWS(OPT_EXEC, OPT_EXEC_WAIT, OPT_EXEC_GRACE, OPT_EXEC_ALERT,
                     "fuzzing is a crash finding saved with the log excerpt; fuzzing goes on "
                     "after the restart"),
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};

const cf_cli_command cf_opts_fuzz = {
    "fuzz",
    "--target TARGET [OPTIONS]",
    "Mutates the requests of the spec suite with HTTP-aware operators and sends them to\n"
    "TARGET, watching for crashes, hangs, desyncs (more responses than requests),\n"
    "responses that do not parse and responses that break a compliance rule\n"
    "(docs/rules.md). Each finding is minimized and saved as a spec case\n"
    "that `conform run` replays (docs/commands/fuzz.md).\n\n"
    "TARGET: HOST:PORT, [IPV6]:PORT, http://HOST:PORT, https://HOST:PORT (TLS through\n"
    "libcurl), or builtin.",
    "Exit status: 0 no findings, 1 findings, 2 usage or bad specs, 3 target unreachable\n"
    "or not answering HTTP at start, or --max-dead exchanges in a row without an HTTP\n"
    "response, 4 the --exec server could not be started (or restarted).",
    fuzz_options,
    sizeof fuzz_options / sizeof fuzz_options[0],
    NULL,
};

typedef struct fuzz_args {
    fuzz_opts *o;
    cf_fuzz_conf *c;
} fuzz_args;

/* The option handler of cf_cli_parse (cli_options.h); the layer checked every number. */
static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    fuzz_opts *o = ((fuzz_args *)ud)->o;
    cf_fuzz_conf *c = ((fuzz_args *)ud)->c;
    if (!opt) return cf_cli_unexpected(&cf_opts_fuzz, v->text);
    int tr = cf_target_option(&cf_opts_fuzz, &o->topts, opt, v);
    if (tr <= 0) return tr;
    switch (opt->id) {
    case OPT_TARGET: o->target = v->text; break;
    case OPT_DURATION: o->duration_ms = v->num; break;
    case OPT_SEED:
        o->seed = v->num;
        o->has_seed = true;
        break;
    case OPT_SPECS:
        if (o->npaths == MAX_PATHS)
            return cf_cli_bad_value(&cf_opts_fuzz, opt, v->text, "is one PATH too many");
        o->paths[o->npaths++] = v->text;
        break;
    case OPT_RATE: o->rate = (double)v->num; break;
    case OPT_JOBS: o->jobs = (unsigned)v->num; break;
    case OPT_FINDINGS: o->findings = v->text; break;
    case OPT_PROFILE: o->profile = v->text; break;
    case OPT_TIMEOUT: c->timeout_ms = (unsigned)v->num; break;
    case OPT_NO_KEEP_ALIVE: o->no_keep_alive = true; break;
    case OPT_KEEP_ALIVE_WAIT: c->keepalive_wait_ms = (unsigned)v->num; break;
    case OPT_RESTART_WAIT: o->restart_wait_ms = v->num; break;
    case OPT_MAX_REQUESTS: o->max_requests = v->num; break;
    case OPT_NO_MINIMIZE: o->no_minimize = true; break;
    case OPT_NO_PROGRESS: o->no_progress = true; break;
    case OPT_NO_PREFLIGHT: o->no_preflight = true; break;
    case OPT_MAX_DEAD: o->max_dead = v->num; break;
    case OPT_EXEC: o->exec.eo.command = v->text; break;
    case OPT_EXEC_WAIT: o->exec.eo.wait_ms = (unsigned)v->num; break;
    case OPT_EXEC_GRACE: o->exec.eo.grace_ms = (unsigned)v->num; break;
    case OPT_EXEC_ALERT: return cf_exec_cli_alert(&o->exec, &cf_opts_fuzz, opt, v->text);
    default: break;
    }
    return 0;
}

/* Parses argv; 0 ok, 1 help printed, -1 usage error printed. */
static int parse_args(fuzz_opts *o, cf_fuzz_conf *c, int argc, char **argv)
{
    fuzz_args a = {o, c};
    int rc = cf_cli_parse(&cf_opts_fuzz, argc, argv, on_option, &a);
    if (rc != 0) return rc;
    if (!o->target) {
        fprintf(stderr, "conform fuzz: no --target given (HOST:PORT, http://HOST:PORT or "
                        "builtin)\n");
        return -1;
    }
    return 0;
}

/* ---- findings ------------------------------------------------------------------------------ */

typedef struct min_ctx {
    fuzz *f;
    const cf_finding *fd; /* kind, and the rule of a rule or lenient finding */
    uint64_t deadline;
} min_ctx;

/* A finding's time_limit_ms: the exchange timeout and a second, within the 10 minutes a spec
 * may say (spec_load_expect.c), so that --timeout 10m still saves findings that load. */
static unsigned finding_time_limit(const fuzz *f)
{
    unsigned ms = f->conf.timeout_ms + 1000;
    return ms > 600000 ? 600000 : ms;
}

/* Whether an input shows the finding's kind (and rule) again: the minimizer's and the
 * confirmation's test. */
static bool shows(fuzz *f, const uint8_t *p, size_t n, const cf_finding *fd)
{
    if (fd->kind == CF_FK_RULE) return cf_fuzz_reproduces_rule(&f->conf, p, n, fd->rule_id);
    if (fd->kind == CF_FK_LENIENT) return cf_fuzz_reproduces_lenient(&f->conf, p, n, fd->strict);
    return cf_fuzz_reproduces(&f->conf, p, n, fd->kind);
}

static bool still_shows(const uint8_t *p, size_t n, void *ud)
{
    min_ctx *m = ud;
    if (m->f->stop || cf_now_ms() > m->deadline) return false;
    return shows(m->f, p, n, m->fd);
}

/* cf_fuzz_conf.rule_fresh: a broken rule makes a finding until the run has one for it. */
static bool rule_fresh(const char *id, void *ud)
{
    char sig[128];
    snprintf(sig, sizeof sig, "%s|%s", cf_fuzz_kind_name(CF_FK_RULE), id);
    return !cf_findings_known(ud, sig);
}

/* Prints one line about a finding (above the progress line on a tty). */
static void report_line(fuzz *f, const char *fmt, const char *a, const char *b)
{
    pthread_mutex_lock(&f->print_mu);
    if (f->tty) fputs("\r\033[K", stderr);
    fprintf(stderr, fmt, a, b);
    pthread_mutex_unlock(&f->print_mu);
}

/* Minimizes (unless told not to), writes and reports one finding. */
static void save_finding(fuzz *f, cf_finding *fd, const char *presig)
{
    cf_buf min = {0};
    if (!f->o.no_minimize && fd->kind != CF_FK_CRASH) {
        min_ctx m = {f, fd, cf_now_ms() + MIN_TIME_MS};
        if (cf_minimize(fd->bytes, fd->len, still_shows, &m, MIN_TRIES, &min, NULL) == 0) {
            fd->bytes = cf_buf_bytes(&min);
            fd->len = min.len;
        }
    }
    char sig[1024], path[1200], err[512];
    cf_finding_signature(fd, sig, sizeof sig);
    if (presig && strcmp(sig, presig) && !cf_findings_claim(&f->found, sig)) {
        atomic_fetch_add(&f->duplicates, 1);
    } else if (atomic_load(&f->saved) >= MAX_FINDINGS) {
        atomic_fetch_add(&f->kinds[fd->kind], 1);
    } else {
        int rc = cf_findings_save(&f->found, fd, f->target.host, f->target.port, path, sizeof path,
                                  err, sizeof err);
        atomic_fetch_add(&f->kinds[fd->kind], 1);
        if (rc > 0) {
            atomic_fetch_add(&f->saved, 1);
            report_line(f,
                        rc == 2 ? "conform fuzz: %s finding saved as %s (it replaces a file "
                                  "there that did not load)\n"
                                : "conform fuzz: %s finding saved as %s\n",
                        cf_fuzz_kind_name(fd->kind), path);
        } else if (rc == 0) {
            report_line(f, "conform fuzz: %s finding already saved as %s\n",
                        cf_fuzz_kind_name(fd->kind), path);
        } else {
            report_line(f, "conform fuzz: cannot save a %s finding: %s\n",
                        cf_fuzz_kind_name(fd->kind), err);
        }
    }
    cf_buf_free(&min);
}

static void describe(const cf_fuzz_obs *o, cf_fuzz_kind k, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s%s: %zu request(s) sent, %zu response(s)%s%s%s, first status %d",
             cf_fuzz_kind_name(k), k == CF_FK_RULE ? " " : "", k == CF_FK_RULE ? o->rule : "",
             o->requests, o->responses, o->timed_out ? ", timed out" : "",
             o->closed ? ", closed" : "", o->reset ? ", reset" : "", o->status[0]);
    size_t n = strlen(buf);
    if (k == CF_FK_BAD_RESPONSE && o->parse_error)
        snprintf(buf + n, cap - n, ", response rejected: %s",
                 h1_code_name((h1_code)o->parse_error));
    if (k == CF_FK_LENIENT && o->strict)
        snprintf(buf + n, cap - n, ", the strict reading of the request rejects it: %s",
                 h1_code_name((h1_code)o->strict));
}

/* A non-crash finding shown by in: dedup on the unminimized signature, confirm once with the
 * slow path, minimize, save. */
static void handle_finding(fuzz *f, cf_fuzz_kind kind, const sent_input *in,
                           const cf_fuzz_verdict *v)
{
    char detail[320], presig[1024];
    describe(&v->obs, kind, detail, sizeof detail);
    if (v->rerun) {
        size_t n = strlen(detail);
        snprintf(detail + n, sizeof detail - n, " (re-run alone on a fresh connection)");
    }
    cf_finding fd = {.kind = kind,
                     .bytes = cf_buf_bytes(&in->bytes),
                     .len = in->bytes.len,
                     .origin = in->origin,
                     .ops = in->ops,
                     .seed = f->o.seed,
                     .worker = in->worker,
                     .iteration = in->iteration,
                     .detail = detail,
                     .time_limit_ms = finding_time_limit(f),
                     .rule_id = kind == CF_FK_RULE ? v->obs.rule : NULL,
                     .response_error = kind == CF_FK_BAD_RESPONSE ? v->obs.parse_error : 0,
                     .strict = kind == CF_FK_LENIENT ? v->obs.strict : 0};
    cf_finding_signature(&fd, presig, sizeof presig);
    if (!cf_findings_claim(&f->found, presig)) {
        atomic_fetch_add(&f->duplicates, 1);
        return;
    }
    if (!shows(f, cf_buf_bytes(&in->bytes), in->bytes.len, &fd)) {
        atomic_fetch_add(&f->unconfirmed, 1);
        return;
    }
    save_finding(f, &fd, presig);
}

/* ---- workers ------------------------------------------------------------------------------- */

/* --max-dead: an exchange that got no HTTP response (silence, a close or reset without one, a
 * response cut short, bytes that are not HTTP) extends the run of them, by what it got; a
 * complete response ends it. A refused connect is a crash candidate, judged apart; bytes that
 * do not parse after a HEAD or CONNECT prove nothing (RFC 9112 §6.3). */
static void count_dead(fuzz *f, const cf_fuzz_obs *o)
{
    if (o->responses > 0) {
        atomic_uint_fast64_t *all[] = {&f->dead,     &f->d_timeout,  &f->d_reset,
                                       &f->d_closed, &f->d_not_http, &f->d_cut};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            if (atomic_load(all[i])) atomic_store(all[i], 0);
        return;
    }
    atomic_uint_fast64_t *why = o->not_http && !o->head_method ? &f->d_not_http
                                : o->incomplete                ? &f->d_cut
                                : o->timed_out                 ? &f->d_timeout
                                : o->reset                     ? &f->d_reset
                                : o->closed                    ? &f->d_closed
                                                               : NULL;
    if (o->connect_err || !why) return;
    atomic_fetch_add(why, 1);
    if (atomic_fetch_add(&f->dead, 1) + 1 >= f->o.max_dead) {
        atomic_store(&f->dead_stop, true);
        f->stop = 1;
    }
}

static void count(fuzz *f, const cf_fuzz_judged *j)
{
    const cf_fuzz_obs *o = &j->first;
    atomic_fetch_add(&f->requests, 1);
    atomic_fetch_add(&f->responses, o->responses);
    atomic_fetch_add(&f->connections, j->path.connects + j->reruns);
    if (o->connect_err) atomic_fetch_add(&f->e_connect, 1);
    if (o->reset) atomic_fetch_add(&f->e_reset, 1);
    if (o->timed_out) atomic_fetch_add(&f->e_timeout, 1);
    if (o->closed && o->responses == 0 && !o->not_http) atomic_fetch_add(&f->e_silent_close, 1);
    if (o->send_err) atomic_fetch_add(&f->e_send, 1);
    if (o->not_http) atomic_fetch_add(&f->e_not_http, 1);
    if (j->path.reused) atomic_fetch_add(&f->k_reused, 1);
    if (j->path.idle_closed) atomic_fetch_add(&f->k_idle, 1);
    if (j->path.fell_back) atomic_fetch_add(&f->k_fallback, 1);
    if (j->path.stale) atomic_fetch_add(&f->k_stale, 1);
    atomic_fetch_add(&f->k_reruns, j->reruns);
    count_dead(f, o);
}

/* Records the input whose bytes just reached the target as the worker's newest. */
static void remember(worker *w, const cf_buf *buf, unsigned ops, const char *origin, bool answered)
{
    sent_input *in = &w->sent[w->latest ^ 1];
    in->bytes.len = 0;
    cf_buf_add(&in->bytes, cf_buf_bytes(buf), buf->len);
    in->ops = ops;
    in->origin = origin;
    in->worker = w->index;
    in->iteration = w->iteration;
    in->ms = cf_now_ms();
    in->answered = answered;
    w->latest ^= 1;
}

/* A verdict's kind: a crash candidate confirmed (the run stops), or a finding handled. */
static void act_on(worker *w, const cf_fuzz_verdict *v, const sent_input *in)
{
    fuzz *f = w->f;
    if (v->kind == CF_FK_CRASH) {
        if (cf_fuzz_target_down(&f->conf, 3, 200)) {
            atomic_store(&f->crashed, true);
            f->stop = 1;
        }
    } else if (v->kind != CF_FK_NONE && in) {
        handle_finding(f, v->kind, in, v);
    }
}

/* At the end: bytes nobody asked for on the kept connection are the last input's extra
 * answers; that input is re-run alone and judged from that. */
static void retire(worker *w)
{
    fuzz *f = w->f;
    const sent_input *last = &w->sent[w->latest];
    bool extra = cf_fuzz_conn_close(&w->conn, atomic_load(&f->crashed) ? 0 : f->conf.grace_ms);
    if (!extra || !last->bytes.len) return;
    atomic_fetch_add(&f->k_stale, 1);
    atomic_fetch_add(&f->k_reruns, 1);
    atomic_fetch_add(&f->connections, 1);
    cf_fuzz_verdict v = {.rerun = true};
    if (cf_fuzz_exchange(&f->conf, cf_buf_bytes(&last->bytes), last->bytes.len, &v.obs) < 0) return;
    v.kind = cf_fuzz_classify(&v.obs);
    act_on(w, &v, last);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    fuzz *f = w->f;
    cf_buf buf = {0};
    cf_fuzz_conn_init(&w->conn);
    while (!f->stop) {
        if (f->o.max_requests && atomic_fetch_add(&f->issued, 1) >= f->o.max_requests) break;
        if (!cf_fuzz_bucket_take(&f->bucket, &f->stop)) break;
        const seed_input *s = &f->seeds[cf_rng_below(&w->rng, f->nseeds)];
        unsigned ops = 0;
        if (cf_mutate(&w->rng, cf_buf_bytes(&s->bytes), s->bytes.len, &buf, &ops) < 0) break;
        w->iteration++;
        const sent_input *prev = w->sent[w->latest].bytes.len ? &w->sent[w->latest] : NULL;
        cf_fuzz_judged j;
        if (cf_fuzz_judge(&f->conf, f->o.no_keep_alive ? NULL : &w->conn,
                          prev ? cf_buf_bytes(&prev->bytes) : NULL, prev ? prev->bytes.len : 0,
                          cf_buf_bytes(&buf), buf.len, &j) < 0)
            break;
        count(f, &j);
        /* prev stays valid: remember() writes the other slot. */
        const sent_input *cur = NULL;
        if (j.path.delivered) {
            remember(w, &buf, ops, s->origin, j.first.responses > 0);
            cur = &w->sent[w->latest];
        }
        act_on(w, &j.prev, prev);
        if (!atomic_load(&f->crashed)) act_on(w, &j.cur, cur);
    }
    retire(w);
    cf_buf_free(&buf);
    atomic_fetch_add(&f->done_workers, 1);
    return NULL;
}

/* ---- crash attribution --------------------------------------------------------------------- */

/* Best guess first: an input that got no answer, then the latest. */
static int guess_order(const void *a, const void *b)
{
    const sent_input *x = *(const sent_input *const *)a, *y = *(const sent_input *const *)b;
    if (x->answered != y->answered) return x->answered ? 1 : -1;
    return x->ms < y->ms ? 1 : x->ms > y->ms ? -1 : 0;
}

/* True once the target accepts a connection again, trying every UP_POLL_MS until wait_ms pass
 * (or Ctrl-C). */
static bool target_back(const fuzz *f, uint64_t wait_ms)
{
    uint64_t until = cf_now_ms() + wait_ms;
    for (;;) {
        int err = 0;
        cf_conn *c = cf_conn_open(&f->conf.addr, f->conf.connect_timeout_ms, &err, NULL, 0);
        cf_conn_close(c);
        if (c || cf_conn_accepted(err)) return true;
        if (interrupted || cf_now_ms() + UP_POLL_MS > until) return false;
        struct timespec ts = {0, UP_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* --exec: restarts the server when it is not running; false when it cannot be (printed). */
static bool exec_up(fuzz *f)
{
    char err[8192];
    if (f->exec_gone || cf_exec_running(f->exec)) return !f->exec_gone;
    if (cf_exec_restart(f->exec, err, sizeof err) == 0) {
        fprintf(stderr, "conform fuzz: --exec: the server was restarted\n");
        return true;
    }
    fprintf(stderr, "conform fuzz: --exec: the server could not be restarted: %s\n", err);
    f->exec_gone = true;
    return false;
}

/* The target is up for a replay: with --exec, restarted when it exited; else back by itself
 * within --restart-wait. */
static bool up_again(fuzz *f)
{
    if (f->exec) return exec_up(f);
    return f->o.restart_wait_ms && target_back(f, f->o.restart_wait_ms);
}

/* Whether in, replayed alone, brings the target down again: with --exec, an event of the
 * server's (an exit, a sanitizer report, an alert line) while it ran; else connections refused
 * after it. */
static bool crashes_again(fuzz *f, const sent_input *in)
{
    const uint8_t *p = cf_buf_bytes(&in->bytes);
    if (!f->exec) return cf_fuzz_reproduces(&f->conf, p, in->bytes.len, CF_FK_CRASH);
    cf_exec_mark m = cf_exec_mark_now(f->exec);
    cf_fuzz_obs o;
    if (cf_fuzz_exchange(&f->conf, p, in->bytes.len, &o) < 0) return false;
    cf_exec_settle(f->exec, CF_EXEC_SETTLE_MS);
    return cf_exec_mark_now(f->exec).events > m.events;
}

/* The inputs in flight when the target went down: each worker's last two that reached it, best
 * guess first, identical bytes once. Returns the count. */
static size_t candidates(worker *ws, unsigned n, const sent_input **out)
{
    size_t nc = 0;
    for (unsigned i = 0; i < n; i++)
        for (unsigned k = 0; k < 2; k++) {
            const sent_input *in = &ws[i].sent[k];
            bool seen = !in->bytes.len;
            for (size_t m = 0; m < nc && !seen; m++)
                seen =
                    out[m]->bytes.len == in->bytes.len &&
                    !memcmp(cf_buf_bytes(&out[m]->bytes), cf_buf_bytes(&in->bytes), in->bytes.len);
            if (!seen) out[nc++] = in;
        }
    qsort(out, nc, sizeof *out, guess_order);
    return nc;
}

/* After a crash: the culprit among the inputs in flight. When the target comes back within
 * --restart-wait, each is replayed alone with the slow path and the first that crashes it again
 * is the culprit (exact); otherwise the best guess, said so in the finding's detail. Saved as
 * found (not minimized). */
static void save_crash(fuzz *f, worker *ws, unsigned n, const char *seen, const char *log)
{
    const sent_input *cand[2 * MAX_JOBS];
    size_t nc = candidates(ws, n, cand);
    if (!nc) return;
    const sent_input *culprit = NULL;
    bool back = up_again(f);
    for (size_t i = 0; back && i < nc && !culprit; i++) {
        if (crashes_again(f, cand[i]))
            culprit = cand[i];
        else if (i + 1 < nc)
            back = up_again(f);
    }
    char why[200], detail[1024], wait[32];
    cf_progress_duration(f->o.restart_wait_ms, wait, sizeof wait);
    const char *s = nc == 1 ? "" : "s";
    if (culprit)
        snprintf(why, sizeof why,
                 "replayed alone once the target was back, it crashed it again (%zu input%s in "
                 "flight)",
                 nc, s);
    else if (back)
        snprintf(why, sizeof why,
                 "best guess among %zu input%s in flight (none crashed the target again when "
                 "replayed alone)",
                 nc, s);
    else if (f->exec)
        snprintf(why, sizeof why,
                 "best guess among %zu input%s in flight (the server could not be restarted to "
                 "replay them)",
                 nc, s);
    else if (f->o.restart_wait_ms)
        snprintf(why, sizeof why,
                 "best guess among %zu input%s in flight (the target was not back within %s to "
                 "replay them)",
                 nc, s, wait);
    else
        snprintf(why, sizeof why, "best guess among %zu input%s in flight (not replayed)", nc, s);
    if (seen)
        snprintf(detail, sizeof detail, "crash: %s; %s", seen, why);
    else
        snprintf(detail, sizeof detail, "crash: connections refused after this request; %s", why);
    report_line(f, "conform fuzz: the crashing input: %s%s\n", why, "");
    if (!culprit) culprit = cand[0];
    cf_finding fd = {.kind = CF_FK_CRASH,
                     .bytes = cf_buf_bytes(&culprit->bytes),
                     .len = culprit->bytes.len,
                     .origin = culprit->origin,
                     .ops = culprit->ops,
                     .seed = f->o.seed,
                     .worker = culprit->worker,
                     .iteration = culprit->iteration,
                     .detail = detail,
                     .time_limit_ms = finding_time_limit(f),
                     .log = log};
    char sig[1024];
    cf_finding_signature(&fd, sig, sizeof sig);
    cf_findings_claim(&f->found, sig);
    save_finding(f, &fd, NULL);
}

/* ---- setup and summary --------------------------------------------------------------------- */

/* Renders every step of every case for the target: the inputs mutations start from. */
static int load_seeds(fuzz *f, const cf_spec_set *set)
{
    size_t n = 0;
    for (size_t i = 0; i < set->nfiles; i++)
        for (size_t j = 0; j < set->files[i]->ncases; j++)
            n += set->files[i]->cases[j].nsteps;
    f->seeds = calloc(n ? n : 1, sizeof *f->seeds);
    if (!f->seeds) return -1;
    for (size_t i = 0; i < set->nfiles; i++)
        for (size_t j = 0; j < set->files[i]->ncases; j++) {
            const cf_case *c = &set->files[i]->cases[j];
            char why[256];
            if (cf_resource_lacks(c->resources, f->target.vars.resource, why, sizeof why))
                continue; /* its steps name a resource the target's profile does not give */
            for (size_t k = 0; k < c->nsteps; k++) {
                seed_input *s = &f->seeds[f->nseeds];
                if (cf_spec_render_step(&c->steps[k], &f->target.vars, &s->bytes) < 0) {
                    if (!c->ncaptures) return -1;
                    continue; /* it sends a value an earlier step captures: no seed */
                }
                if (s->bytes.len == 0 || s->bytes.len > CF_MUT_MAX_OUT) {
                    cf_buf_free(&s->bytes);
                    continue;
                }
                s->origin = c->id;
                f->nseeds++;
            }
        }
    return f->nseeds ? 0 : -1;
}

/* The pre-flight (net_preflight.h): resolves the target, connects once and, unless
 * --no-preflight, GETs its profile's page (the built-in server is known to speak HTTP). 0 with
 * the address in f->conf, or -1 (printed). */
static int probe(fuzz *f)
{
    cf_preflight_opts po = {.page = NULL,
                            .get = !f->o.no_preflight && !f->target.builtin,
                            .connect_timeout_ms = f->conf.connect_timeout_ms,
                            .time_limit_ms = f->conf.timeout_ms};
    char msg[512];
    if (cf_preflight(&f->target, &po, &f->conf.addr, msg, sizeof msg) == CF_PREFLIGHT_HTTP)
        return 0;
    fprintf(stderr, "conform fuzz: %s\n", msg);
    return -1;
}

static cf_progress_counts counts_now(fuzz *f)
{
    uint64_t fnd = 0;
    for (int k = 1; k < CF_FK_NKINDS; k++)
        fnd += atomic_load(&f->kinds[k]);
    return (cf_progress_counts){atomic_load(&f->requests), atomic_load(&f->responses), fnd,
                                atomic_load(&f->connections)};
}

static void summary(fuzz *f, uint64_t elapsed)
{
    cf_progress_counts c = counts_now(f);
    char el[32];
    cf_progress_duration(elapsed, el, sizeof el);
    printf("conform fuzz: %llu requests in %s (%.0f req/s), %llu responses, %llu connections "
           "opened, seed %llu\n",
           (unsigned long long)c.requests, el,
           elapsed ? (double)c.requests * 1000.0 / (double)elapsed : 0.0,
           (unsigned long long)c.responses, (unsigned long long)c.connections,
           (unsigned long long)f->o.seed);
    if (f->o.no_keep_alive)
        printf("keep-alive: off (--no-keep-alive: one connection per exchange)\n");
    else
        printf("keep-alive: %llu exchanges on a reused connection, %llu after the server closed an "
               "idle one, %llu half-closed after --keep-alive-wait, %llu re-run alone on a fresh "
               "connection (%llu times stale bytes)\n",
               (unsigned long long)f->k_reused, (unsigned long long)f->k_idle,
               (unsigned long long)f->k_fallback, (unsigned long long)f->k_reruns,
               (unsigned long long)f->k_stale);
    printf("errors: %llu connect, %llu reset, %llu timeout, %llu closed without response, "
           "%llu send, %llu not HTTP\n",
           (unsigned long long)f->e_connect, (unsigned long long)f->e_reset,
           (unsigned long long)f->e_timeout, (unsigned long long)f->e_silent_close,
           (unsigned long long)f->e_send, (unsigned long long)f->e_not_http);
    printf("findings: %llu", (unsigned long long)c.findings);
    for (int k = 1; k < CF_FK_NKINDS; k++)
        printf(", %s %llu", cf_fuzz_kind_name((cf_fuzz_kind)k), (unsigned long long)f->kinds[k]);
    printf(" (%llu repeats, %llu not confirmed)\n", (unsigned long long)f->duplicates,
           (unsigned long long)f->unconfirmed);
    for (size_t i = 0; i < f->found.npaths; i++)
        printf("  %s\n", f->found.paths[i]);
}

/* After a crash (or, with --exec, a server event): names the culprit and saves it; with --exec
 * the event and the log excerpt go with it and the server is restarted for the next round. */
static void after_crash(fuzz *f, worker *ws, unsigned n)
{
    if (f->exec) cf_exec_settle(f->exec, CF_EXEC_SETTLE_MS); /* its exit, when it died */
    char *log = NULL,
         *seen = f->exec ? cf_exec_blame(f->exec, f->mark, "while this ran, ", &log) : NULL;
    if (seen)
        fprintf(stderr, "conform fuzz: --exec: %s\n", seen);
    else
        fprintf(stderr, "conform fuzz: %s stopped accepting connections (crash)\n",
                f->target.display);
    save_crash(f, ws, n, seen, log);
    free(seen);
    free(log);
    if (f->exec && exec_up(f)) f->mark = cf_exec_mark_now(f->exec);
}

/* Runs the workers until the duration, the request count, Ctrl-C or a crash (with --exec: or
 * an event of the server's). Each round's workers take PRNG streams of their own. */
static void run_workers(fuzz *f, worker *ws, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        ws[i] = (worker){.f = f, .index = f->round * n + i};
        cf_rng_seed(&ws[i].rng, f->o.seed, ws[i].index);
        if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) != 0) {
            ws[i].f = NULL;
            atomic_fetch_add(&f->done_workers, 1);
        }
    }
    cf_progress p;
    uint64_t t0 = f->t0;
    cf_progress_init(&p, stderr, f->tty, cf_now_ms());
    while (!f->stop && atomic_load(&f->done_workers) < n) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
        uint64_t now = cf_now_ms();
        if (interrupted || (f->o.duration_ms && now - t0 >= f->o.duration_ms)) f->stop = 1;
        if (f->exec && cf_exec_mark_now(f->exec).events > f->mark.events) {
            atomic_store(&f->crashed, true); /* an exit, a sanitizer report, an alert line */
            f->stop = 1;
        }
        if (!f->o.no_progress) {
            cf_progress_counts c = counts_now(f);
            pthread_mutex_lock(&f->print_mu);
            cf_progress_tick(&p, now, &c, false);
            pthread_mutex_unlock(&f->print_mu);
        }
    }
    f->stop = 1;
    for (unsigned i = 0; i < n; i++)
        if (ws[i].f) pthread_join(ws[i].thread, NULL);
    if (!f->o.no_progress) cf_progress_end(&p);
    if (atomic_load(&f->crashed)) after_crash(f, ws, n);
}

/* True when the run is over for another reason than a crash: Ctrl-C, --duration,
 * --max-requests, --max-dead. */
static bool finished(fuzz *f)
{
    return interrupted || atomic_load(&f->dead_stop) ||
           (f->o.duration_ms && cf_now_ms() - f->t0 >= f->o.duration_ms) ||
           (f->o.max_requests && atomic_load(&f->issued) >= f->o.max_requests);
}

static void free_sent(worker *ws, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        cf_buf_free(&ws[i].sent[0].bytes);
        cf_buf_free(&ws[i].sent[1].bytes);
    }
}

/* Rounds of workers: one, and with --exec one more after each crash (the server restarted). */
static void run_rounds(fuzz *f, worker *ws, unsigned n)
{
    f->t0 = cf_now_ms();
    for (;;) {
        run_workers(f, ws, n);
        if (!f->exec || !atomic_load(&f->crashed) || f->exec_gone || finished(f)) return;
        free_sent(ws, n);
        /* the exchanges the crash cut are findings, not a server that does not speak HTTP */
        atomic_store(&f->dead, 0);
        atomic_store(&f->d_timeout, 0);
        atomic_store(&f->d_reset, 0);
        atomic_store(&f->d_closed, 0);
        atomic_store(&f->d_not_http, 0);
        atomic_store(&f->d_cut, 0);
        f->stop = 0;
        atomic_store(&f->crashed, false);
        atomic_store(&f->done_workers, 0);
        f->round++;
    }
}

/* From a started target to the exit status. */
static int fuzz_target(fuzz *f, const cf_spec_set *set)
{
    char err[512];
    if (probe(f) < 0) return CF_EXIT_UNREACHABLE;
    if (load_seeds(f, set) < 0) {
        fprintf(stderr, "conform fuzz: no request to start from in the specs\n");
        return CF_EXIT_USAGE;
    }
    if (!f->exec && cf_findings_open(&f->found, f->o.findings, err, sizeof err) < 0) {
        fprintf(stderr, "conform fuzz: %s\n", err);
        return CF_EXIT_USAGE;
    }
    f->conf.rule_fresh = rule_fresh;
    f->conf.rule_fresh_ud = &f->found;
    /* Ctrl-C ends the exchanges in progress too, not only the loop; the end of --duration, a
     * crash and --max-dead let them finish (the crash replays need whole exchanges). */
    f->conf.stop = &interrupted;
    unsigned n = f->o.jobs;
    if (!n) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        n = nc < 1 ? 1 : nc > MAX_JOBS ? MAX_JOBS : (unsigned)nc;
    }
    fprintf(stderr, "conform fuzz: seed %llu, %zu inputs, %u worker%s, target %s\n",
            (unsigned long long)f->o.seed, f->nseeds, n, n == 1 ? "" : "s", f->target.display);
    worker *ws = calloc(n, sizeof *ws);
    if (!ws) return CF_EXIT_USAGE;
    cf_fuzz_bucket_init(&f->bucket, f->o.rate);
    struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    uint64_t t0 = cf_now_ms();
    run_rounds(f, ws, n);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (atomic_load(&f->dead_stop))
        fprintf(stderr,
                "conform fuzz: %s does not answer HTTP: %llu exchanges in a row got no response "
                "(%llu timed out, %llu closed, %llu reset, %llu cut short, %llu not HTTP); "
                "stopped (--max-dead %llu)\n",
                f->target.display, (unsigned long long)f->dead, (unsigned long long)f->d_timeout,
                (unsigned long long)f->d_closed, (unsigned long long)f->d_reset,
                (unsigned long long)f->d_cut, (unsigned long long)f->d_not_http,
                (unsigned long long)f->o.max_dead);
    summary(f, cf_now_ms() - t0);
    free_sent(ws, n);
    free(ws);
    cf_fuzz_bucket_free(&f->bucket);
    if (atomic_load(&f->dead_stop)) return CF_EXIT_UNREACHABLE;
    return counts_now(f).findings ? CF_EXIT_FAIL : CF_EXIT_OK;
}

/* Starts the built-in server when asked, then fuzzes. */
static int start_and_fuzz(fuzz *f, const cf_spec_set *set)
{
    char err[512];
    if (cf_run_target_parse(f->o.target, &f->target, err, sizeof err) < 0 ||
        cf_run_target_apply(&f->target, &f->o.topts, err, sizeof err) < 0) {
        fprintf(stderr, "conform fuzz: %s\n", err);
        return CF_EXIT_USAGE;
    }
    cf_server *srv = NULL;
    if (cf_exec_cli_on(&f->o.exec)) { /* its log goes to the findings directory */
        if (f->target.builtin) {
            fprintf(stderr, "conform fuzz: --exec starts the server under test: give its "
                            "HOST:PORT as --target, not builtin\n");
            return CF_EXIT_USAGE;
        }
        if (cf_findings_open(&f->found, f->o.findings, err, sizeof err) < 0) {
            fprintf(stderr, "conform fuzz: %s\n", err);
            return CF_EXIT_USAGE;
        }
        if (cf_exec_cli_start(&f->o.exec, "fuzz", f->found.dir, f->target.host, f->target.port) < 0)
            return CF_EXIT_EXEC;
        f->exec = f->o.exec.x;
        f->mark = cf_exec_mark_now(f->exec);
    }
    if (f->target.builtin) {
        cf_serve_options so;
        cf_serve_options_default(&so);
        if (cf_serve_start(&so, &srv, err, sizeof err) < 0) {
            fprintf(stderr, "conform fuzz: cannot start the built-in server: %s\n", err);
            return CF_EXIT_UNREACHABLE;
        }
        char port[8];
        snprintf(port, sizeof port, "%d", cf_server_port(srv));
        cf_run_target_set(&f->target, "127.0.0.1", port);
    }
    /* the resources the seed cases may name: the built-in target's unless --profile says */
    cf_profile prof;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    int rc = f->o.profile        ? cf_profile_load(f->o.profile, &prof, &errs)
             : f->target.builtin ? cf_profile_builtin(&prof)
                                 : cf_profile_defaults(&prof);
    if (rc < 0) {
        cf_spec_errors_print(&errs, stderr);
        fprintf(stderr, "conform fuzz: the profile %s cannot be used\n",
                f->o.profile ? f->o.profile : "(out of memory)");
        cf_spec_errors_free(&errs);
        cf_serve_stop(srv);
        cf_exec_cli_stop(&f->o.exec, "fuzz");
        return CF_EXIT_USAGE;
    }
    cf_spec_errors_free(&errs);
    cf_profile_apply(&prof, &f->target.vars);
    rc = fuzz_target(f, set);
    cf_serve_stop(srv);
    cf_profile_free(&prof);
    if (f->exec_gone) rc = CF_EXIT_EXEC;
    if (cf_exec_cli_stop(&f->o.exec, "fuzz") != 0 && rc == CF_EXIT_OK) rc = CF_EXIT_FAIL;
    return rc;
}

int cf_cmd_fuzz(int argc, char **argv)
{
    fuzz *f = calloc(1, sizeof *f);
    if (!f) return CF_EXIT_USAGE;
    cf_fuzz_conf_default(&f->conf);
    cf_exec_cli_init(&f->o.exec);
    f->o.restart_wait_ms = 5000;
    f->o.max_dead = MAX_DEAD;
    int rc = parse_args(&f->o, &f->conf, argc, argv);
    if (rc != 0) {
        free(f);
        return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    }
    if (!f->o.has_seed) f->o.seed = (uint64_t)time(NULL);
    if (!f->o.npaths && !(f->o.paths[f->o.npaths++] = cf_specs_default("conform fuzz"))) {
        free(f);
        return CF_EXIT_USAGE;
    }
    if (!f->o.findings) f->o.findings = "reports/findings";
    f->tty = !f->o.no_progress && isatty(STDERR_FILENO);
    pthread_mutex_init(&f->print_mu, NULL);
    interrupted = 0;
    cf_spec_set set;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    if (cf_spec_load_paths(f->o.paths, f->o.npaths, &set, &errs) < 0) {
        cf_spec_errors_print(&errs, stderr);
        fprintf(stderr, "conform fuzz: %zu error%s in the specs\n", errs.count,
                errs.count == 1 ? "" : "s");
        rc = CF_EXIT_USAGE;
    } else {
        rc = start_and_fuzz(f, &set);
        cf_spec_set_free(&set);
    }
    cf_spec_errors_free(&errs);
    for (size_t i = 0; i < f->nseeds; i++)
        cf_buf_free(&f->seeds[i].bytes);
    free(f->seeds);
    cf_findings_close(&f->found);
    pthread_mutex_destroy(&f->print_mu);
    free(f);
    return rc;
}
