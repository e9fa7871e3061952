/* conform run: one case, start to verdict (run_case.h). */
#include "run_case.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "net_conn.h"
#include "run_h2.h"
#include "run_repro.h"
#include "run_verdict.h"
#include "rules_step.h"
#include "spec_render.h"
#include "util_buf.h"

#define READ_CHUNK   65536
#define STOP_POLL_MS 100 /* a read looks at cf_run_config.stop this often */

void cf_run_config_default(cf_run_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->connect_timeout_ms = CF_RUN_CONNECT_TIMEOUT_MS;
    cfg->time_limit_ms = CF_RUN_TIME_LIMIT_MS;
    cfg->case_timeout_ms = CF_RUN_CASE_TIMEOUT_MS;
    cfg->caps.max_body = CF_RUN_MAX_BODY;
    cfg->caps.max_raw = CF_RUN_MAX_RAW;
    cfg->caps.max_total = CF_RUN_MAX_RESPONSE;
    cfg->caps.max_fields = CF_COLLECT_DEFAULT_FIELDS;
    cfg->caps.max_head = CF_COLLECT_DEFAULT_HEAD;
    cfg->caps.max_interim = CF_COLLECT_DEFAULT_INTERIM;
}

/* State of one case while it runs. */
typedef struct run {
    const cf_case *c;
    size_t index; /* its place in the run, for the on_step hook */
    const cf_run_config *cfg;
    cf_case_result *out;
    cf_conn *conn;
    cf_h2 *h2;         /* --http2: the session the steps go over (conn is then NULL) */
    uint64_t deadline; /* the case timeout */
    cf_collect col;
    cf_buf sent; /* every byte sent, up to the reproduction cap */
    size_t sent_total;
    uint8_t *chunk;     /* READ_CHUNK bytes for reads */
    uint64_t stop_seen; /* when this case first saw the run stopped; 0: not yet */
    cf_spec_target tgt; /* the target's values with this case's captures (vals) */
    cf_captured *vals;  /* c->ncaptures slots, filled as steps capture */
} run;

/* Replaces old (freed) with a formatted string. */
__attribute__((format(printf, 2, 3))) static char *text(char *old, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = cf_vstrfmt(fmt, ap);
    va_end(ap);
    free(old);
    return s;
}

/* Ends the case with an ERROR verdict: the harness or the target broke. */
__attribute__((format(printf, 2, 3))) static void error(run *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->out->verdict = CF_VERDICT_ERROR;
    r->out->error = text(r->out->error, "%s", buf);
}

/* True once the run has been stopped (cf_run_config.stop) for CF_RUN_STOP_GRACE_MS: the case is
 * then abandoned, marked interrupted (no verdict: what it saw so far proves nothing). */
static bool abandoned(run *r)
{
    if (!r->cfg->stop || !*r->cfg->stop) return false;
    uint64_t now = cf_now_ms();
    if (!r->stop_seen) r->stop_seen = now;
    if (now - r->stop_seen < CF_RUN_STOP_GRACE_MS) return false;
    r->out->interrupted = true;
    error(r, "abandoned: the run was interrupted");
    return true;
}

static bool expect_mentions_connection(const cf_expect *e)
{
    if (e->connection != CF_CONN_ANY) return true;
    for (size_t i = 0; i < e->nany_of; i++)
        if (e->any_of[i].connection != CF_CONN_ANY) return true;
    return false;
}

/* True when the expectation asks only for an interim status (every range 1xx: RFC 9110 §15.2),
 * so that the first 1xx decides it and no final response needs to be awaited. */
static bool wants_interim(const cf_expect *e)
{
    if (!e->nstatus || e->nsequence || e->has_responses || e->nany_of) return false;
    for (size_t i = 0; i < e->nstatus; i++)
        if (e->status[i].hi >= 200) return false;
    return true;
}

/* Responses the expectation needs to be decided (the most any alternative asks for). */
static size_t expect_needs(const cf_expect *e)
{
    size_t n = e->nsequence;
    if (e->has_responses && e->responses_min > n) n = e->responses_min;
    if ((e->nstatus || e->nheaders || e->nbody) && n < 1) n = 1;
    for (size_t i = 0; i < e->nany_of; i++) {
        size_t a = expect_needs(&e->any_of[i]);
        if (a > n) n = a;
    }
    return n;
}

static void remember_sent(run *r, const uint8_t *p, size_t n)
{
    r->sent_total += n;
    if (r->sent.len + n <= CF_REPRO_MAX_BYTES && cf_buf_add(&r->sent, p, n) < 0)
        r->sent_total = SIZE_MAX; /* out of memory: no reproduction line */
}

/* "3 s" or "2500 ms": the case timeout as the user gave it. */
static void timeout_text(char *buf, size_t n, unsigned ms)
{
    if (ms % 1000 == 0)
        snprintf(buf, n, "%u s", ms / 1000);
    else
        snprintf(buf, n, "%u ms", ms);
}

/* Ends the case with ERROR: the case timeout fired while doing what (sending, reading...). */
static void case_timeout(run *r, const char *what, size_t step)
{
    char t[32];
    timeout_text(t, sizeof t, r->cfg->case_timeout_ms);
    error(r, "case timeout %s reached while %s step %zu", t, what, step);
}

/* Renders and writes one step's bytes; the rendering goes into the record (res->sent). Returns
 * false when the case cannot go on (ERROR set). */
static bool send_step(run *r, const cf_step *st, cf_step_report *rep, cf_step_result *res)
{
    size_t n = (size_t)(rep - r->out->steps) + 1;
    cf_buf bytes = {0};
    if (cf_spec_render_step(st, &r->tgt, &bytes) < 0) {
        error(r, "cannot render step %zu for %s", n, r->cfg->target.display);
        return false;
    }
    res->sent = cf_buf_bytes(&bytes);
    res->sent_len = bytes.len;
    remember_sent(r, cf_buf_bytes(&bytes), bytes.len);
    cf_collect_sent(&r->col, cf_buf_bytes(&bytes), bytes.len);
    int err = 0;
    int rc = cf_conn_send(r->conn, cf_buf_bytes(&bytes), bytes.len, &st->send, r->deadline,
                          &rep->bytes_sent, &err);
    rep->sent = true;
    if (rc == 0) return true;
    if (err == EPIPE || err == ECONNRESET) { /* judged from what the server did: read on */
        rep->note = text(rep->note, "the server %s the connection after %zu of %zu bytes sent",
                         err == EPIPE ? "closed" : "reset", rep->bytes_sent, bytes.len);
        return true;
    }
    if (err == ETIMEDOUT) {
        case_timeout(r, "sending", n);
        r->out->error = text(r->out->error, "%s (%zu of %zu bytes sent)", r->out->error,
                             rep->bytes_sent, bytes.len);
    } else {
        error(r, "sending to %s failed: %s", r->cfg->target.display, strerror(err));
    }
    return false;
}

/* Responses and interim responses complete so far in the step. */
static size_t ended(const cf_step_result *res, const cf_collect *col)
{
    return col->complete + res->ninterim;
}

/* Reads responses for step n (1-based) until its expectation (and premise) can be decided, and
 * records how the connection stood as observed (exchange_step.h cf_conn_state). false: ERROR
 * set. */
static bool read_step(run *r, const cf_step *st, cf_step_result *res, size_t n)
{
    const cf_expect *e = &st->expect;
    bool wait_close = expect_mentions_connection(e) ||
                      (st->has_premise && expect_mentions_connection(&st->premise));
    size_t need = expect_needs(e);
    if (st->has_premise && expect_needs(&st->premise) > need) need = expect_needs(&st->premise);
    if (cf_collect_npending(&r->col) > need) need = cf_collect_npending(&r->col);
    if (need == 0) wait_close = true; /* nothing to wait for: watch for the time limit */
    unsigned limit = e->time_limit_ms ? e->time_limit_ms : r->cfg->time_limit_ms;
    uint64_t start = cf_now_ms(), deadline = start + limit;
    /* arrives_within_ms: the first response decides; none by then is the answer too */
    if (e->arrives_within_ms && start + e->arrives_within_ms < deadline)
        deadline = start + e->arrives_within_ms;
    bool interim = wants_interim(e) && (!st->has_premise || wants_interim(&st->premise) ||
                                        expect_needs(&st->premise) == 0);
    uint64_t last_end = start, last_byte = start; /* when the last response ended, a byte came */
    bool case_bound = deadline > r->deadline;
    if (case_bound) deadline = r->deadline;
    res->conn = CF_CONN_STATE_NOT_OBSERVED;
    cf_collect_begin(&r->col, res);
    for (;;) {
        size_t have = interim ? ended(res, &r->col) : r->col.complete;
        if ((!wait_close && have >= need) || (e->arrives_within_ms && res->arrived)) {
            res->settled = true;
            break;
        }
        if (cf_collect_stopped(&r->col) && !wait_close) break;
        size_t got = 0, before = ended(res, &r->col);
        int err = 0;
        uint64_t wait = deadline; /* a stoppable run waits in slices, to see the stop */
        if (r->cfg->stop && cf_now_ms() + STOP_POLL_MS < wait) wait = cf_now_ms() + STOP_POLL_MS;
        /* A deadline also ends reading while bytes keep arriving (a read would return them). */
        cf_read_status rs = cf_now_ms() >= deadline
                                ? CF_READ_TIMEOUT
                                : cf_conn_read(r->conn, r->chunk, READ_CHUNK, wait, &got, &err);
        if (rs == CF_READ_TIMEOUT && wait < deadline) {
            if (!abandoned(r)) continue;
            cf_collect_end(&r->col);
            return false;
        }
        uint64_t now = cf_now_ms();
        if (rs == CF_READ_DATA) {
            last_byte = now;
            bool go = cf_collect_feed(&r->col, r->chunk, got);
            if (ended(res, &r->col) != before) last_end = now;
            if (!res->arrived && ended(res, &r->col) > 0) {
                res->arrived = true;
                res->arrived_ms = (unsigned)(now - start);
            }
            if (!go) break;
            continue;
        }
        if (rs == CF_READ_EOF || rs == CF_READ_RESET) {
            cf_collect_eof(&r->col, rs == CF_READ_RESET);
            res->conn = rs == CF_READ_EOF ? CF_CONN_STATE_CLOSED : CF_CONN_STATE_RESET;
            res->conn_ms = (unsigned)(now - last_end);
            break;
        }
        if (rs == CF_READ_TIMEOUT) {
            res->timed_out = r->col.complete < need;
            if (case_bound) {
                cf_collect_end(&r->col);
                case_timeout(r, "reading", n);
                return false;
            }
            if (!cf_collect_stopped(&r->col)) { /* the time limit passed: still open */
                res->conn = CF_CONN_STATE_OPEN;
                res->conn_ms = (unsigned)(now - last_byte);
            }
            break;
        }
        cf_collect_end(&r->col);
        error(r, "reading from %s failed: %s", r->cfg->target.display, strerror(err));
        return false;
    }
    cf_collect_end(&r->col);
    return true;
}

/* Judges res against e into *o within the case timeout: judging is part of the case (a hundred
 * backtracking regexes must not outlast --case-timeout). false: ERROR set. */
static bool check(run *r, const cf_expect *e, const cf_step_result *res, cf_step_report *rep,
                  cf_check_outcome *o)
{
    size_t n = (size_t)(rep - r->out->steps) + 1;
    int rc = cf_check_step_by(e, res, &r->tgt, r->deadline, o);
    if (rc == CF_CHECK_LATE) case_timeout(r, "judging", n);
    if (rc < 0) error(r, "out of memory judging step %zu", n);
    return rc == 0;
}

/* Judges the step's premise: when the answer does not show it, the step did not exercise the
 * case; *missed is set and rep->skip says what was seen instead. false: ERROR set. */
static bool judge_premise(run *r, const cf_step *st, const cf_step_result *res, cf_step_report *rep,
                          bool *missed)
{
    cf_check_outcome o;
    *missed = false;
    if (!st->has_premise) return true;
    if (!check(r, &st->premise, res, rep, &o)) return false;
    bool held = o.pass && !o.skip; /* a premise conform could not observe did not hold */
    *missed = !held;
    if (!held)
        rep->skip = text(rep->skip, "not exercised: step %zu needs %s; the server sent %s",
                         (size_t)(rep - r->out->steps) + 1, o.expected ? o.expected : "?",
                         o.actual ? o.actual : "?");
    cf_check_outcome_free(&o);
    if (!held && !rep->skip) {
        error(r, "out of memory judging step %zu", (size_t)(rep - r->out->steps) + 1);
        return false;
    }
    return true;
}

/* Judges a step and moves the checker's texts into the report; *missed: its premise did not
 * hold. false: ERROR set. */
static bool judge(run *r, const cf_step *st, const cf_step_result *res, cf_step_report *rep,
                  bool *missed)
{
    cf_check_outcome o;
    if (!judge_premise(r, st, res, rep, missed)) return false;
    if (!check(r, &st->expect, res, rep, &o)) return false;
    rep->checked = true;
    rep->pass = o.pass;
    rep->expected = o.expected;
    rep->actual = o.actual;
    rep->failed = o.failed;
    rep->nfailed = o.nfailed;
    if (rep->skip) /* a premise that did not hold says why first */
        free(o.skip);
    else
        rep->skip = o.skip;
    memset(&o, 0, sizeof o);
    if (r->col.capped && res->cap == CF_CAP_RESPONSE)
        rep->note = text(rep->note, "stopped reading after %llu bytes (--max-response)",
                         (unsigned long long)res->raw_total);
    return true;
}

/* Pairs the responses of step i with its requests and judges them on the compliance rules, once
 * (cf_rules_pair). Returns 0, or -1 when memory ran out. */
static int pair(run *r, size_t i, const cf_step *st, cf_step_result *res)
{
    bool last = i + 1 == r->c->nsteps;
    /* --rules off spares the rules, but a step listing `complies:` is judged on them */
    return r->cfg->rules_off && st->expect.ncomplies == 0 ? cf_rules_pair_unjudged(res, last, NULL)
                                                          : cf_rules_pair(res, last, NULL);
}

/* Reads the responses of step i into its record, then pairs them with the requests that were
 * unanswered when reading began and runs the compliance rules on them, once (cf_rules_pair).
 * false: ERROR set. */
static bool read_and_pair(run *r, size_t i, const cf_step *st, cf_step_report *rep,
                          cf_step_result *res, uint64_t start)
{
    bool ok = read_step(r, st, res, i + 1);
    res->elapsed_ms = (unsigned)(cf_now_ms() - start);
    rep->elapsed_ms = res->elapsed_ms;
    rep->bytes_received = res->raw_total;
    rep->nresponses = res->nresponses;
    int paired = pair(r, i, st, res);
    if (paired < 0 || r->col.oom) {
        if (ok) error(r, "out of memory reading step %zu", i + 1);
        ok = false;
    }
    return ok;
}

/* Takes the captures of step i from its responses. false: the case ends here, SKIP when a value
 * is missing (nothing to send the next steps with: not exercised), ERROR when memory ran out. */
static bool take_captures(run *r, size_t i, const cf_step_result *res)
{
    const cf_step *st = &r->c->steps[i];
    for (size_t k = 0; k < st->ncaptures; k++) {
        const cf_capture *c = &st->captures[k];
        cf_buf v = {0}, why = {0};
        int rc = cf_check_capture(c, res, &v, &why);
        if (rc == 1 && c->slot < r->c->ncaptures) {
            cf_captured *slot = &r->vals[c->slot];
            free(slot->data);
            slot->len = v.len;
            slot->data = (uint8_t *)cf_buf_take(&v);
            slot->set = slot->data != NULL;
            if (!slot->set) rc = -1;
        }
        if (rc == 0) {
            r->out->verdict = CF_VERDICT_SKIP;
            r->out->skip =
                text(r->out->skip, "not exercised: step %zu's response %s, so {{%s}} has no value",
                     i + 1, why.ptr ? why.ptr : "?", c->name);
            if (!r->out->skip) rc = -1;
        }
        if (rc < 0) error(r, "out of memory taking the captures of step %zu", i + 1);
        cf_buf_free(&v);
        cf_buf_free(&why);
        if (rc != 1) return false;
    }
    return true;
}

/* The case's course after step i was judged on res (missed: its premise did not hold): on to
 * the next step with its captures taken (true), or the verdict. */
static bool conclude(run *r, size_t i, const cf_step_report *rep, const cf_step_result *res,
                     bool missed)
{
    /* Not exercised (the premise did not hold, or what was seen passes but a cap hid the rest
     * or the connection was not observed): no verdict on the server from this case. A failure
     * seen before a cap still fails. */
    if (rep->skip && (rep->pass || missed)) {
        r->out->verdict = CF_VERDICT_SKIP;
        r->out->skip = text(r->out->skip, "%s", rep->skip);
        return false;
    }
    if (rep->pass) return take_captures(r, i, res);
    r->out->failed_step = i;
    r->out->verdict = cf_verdict_for_failure(r->c->level, r->cfg->strict);
    return false;
}

/* One step: send, read, pair, judge. The record goes to the on_step hook whatever happened
 * (a step without expectation or one that broke mid-way still shows what was sent). Returns
 * false when the case ends here. */
static bool run_step(run *r, size_t i, cf_step_result *res)
{
    const cf_step *st = &r->c->steps[i];
    cf_step_report *rep = &r->out->steps[r->out->nsteps++];
    uint64_t start = cf_now_ms();
    bool ok = send_step(r, st, rep, res);
    if (ok && st->has_expect) ok = read_and_pair(r, i, st, rep, res, start);
    if (r->cfg->on_step) r->cfg->on_step(r->index, r->c, i, res, r->cfg->on_step_ud);
    if (!ok || !st->has_expect) return ok;
    bool missed;
    if (!judge(r, st, res, rep, &missed)) return false;
    if (rep->pass && r->col.capped && !rep->skip && i + 1 < r->c->nsteps) {
        /* What follows in the stream was not read: the next steps cannot be observed. */
        cf_buf t = {0};
        cf_buf_fmt(&t, "steps %zu-%zu not run: ", i + 2, r->c->nsteps);
        cf_check_describe_cap(&t, res);
        rep->skip = cf_buf_take(&t);
    }
    return conclude(r, i, rep, res, missed);
}

/* One step over HTTP/2: libcurl sends the request and decodes the response into the record,
 * which is paired, judged by the rules that apply to HTTP/2, and judged like any step. Returns
 * false when the case ends here. */
static bool run_step_h2(run *r, size_t i, cf_step_result *res)
{
    const cf_step *st = &r->c->steps[i];
    cf_step_report *rep = &r->out->steps[r->out->nsteps++];
    uint64_t start = cf_now_ms();
    char why[512];
    unsigned limit = st->expect.time_limit_ms ? st->expect.time_limit_ms : r->cfg->time_limit_ms;
    uint64_t deadline = start + limit < r->deadline ? start + limit : r->deadline;
    int rc = cf_run_h2_step(r->h2, st, &r->tgt, deadline, &r->cfg->caps, res, &rep->note, why,
                            sizeof why);
    rep->sent = rc != 1;
    rep->bytes_sent = res->sent_len;
    res->elapsed_ms = rep->elapsed_ms = (unsigned)(cf_now_ms() - start);
    rep->nresponses = res->nresponses;
    if (rc == 1) { /* not exercised: a request HTTP/2 cannot carry, or an answer over a cap */
        r->out->verdict = CF_VERDICT_SKIP;
        r->out->skip = text(r->out->skip, "%s", why);
        return false;
    }
    if (rc == 0) {
        int paired = pair(r, i, st, res);
        cf_run_h2_filter_rules(res);
        if (paired < 0) snprintf(why, sizeof why, "out of memory");
        rc = paired < 0 ? -1 : 0;
    }
    if (r->cfg->on_step) r->cfg->on_step(r->index, r->c, i, res, r->cfg->on_step_ud);
    if (rc < 0) {
        error(r, "HTTP/2 request of step %zu to %s failed: %s", i + 1, r->cfg->target.display, why);
        return false;
    }
    bool missed;
    return judge(r, st, res, rep, &missed) && conclude(r, i, rep, res, missed);
}

/* Runs the steps in order; stops at the first one that fails or breaks. */
static void run_steps(run *r)
{
    for (size_t i = 0; i < r->c->nsteps; i++) {
        if (i && cf_now_ms() >= r->deadline) {
            case_timeout(r, "starting", i + 1);
            return;
        }
        cf_step_result res;
        if (abandoned(r)) return;
        memset(&res, 0, sizeof res);
        bool go = r->h2 ? run_step_h2(r, i, &res) : run_step(r, i, &res);
        cf_step_result_free(&res);
        if (!go) return;
    }
}

/* The conform command that runs c again against the same target (run_repro.h). */
static char *rerun_line(const cf_case *c, const cf_run_config *cfg)
{
    if (!c->file || !c->file->path) return NULL;
    if (cfg->rerun_args) return cf_repro_rerun(c->file->path, c->id, cfg->rerun_args);
    char *args = cf_strfmt("--target %s", cfg->target.display);
    char *line = args ? cf_repro_rerun(c->file->path, c->id, args) : NULL;
    free(args);
    return line;
}

int cf_run_case(const cf_case *c, size_t index, const cf_run_config *cfg, cf_case_result *out)
{
    memset(out, 0, sizeof *out);
    out->c = c;
    out->failed_step = SIZE_MAX;
    out->verdict = CF_VERDICT_PASS;
    uint64_t t0 = cf_now_ms();
    char why[256];
    if (c->skip) { /* marked in the spec: not run */
        out->verdict = CF_VERDICT_SKIP;
        out->skip = cf_strfmt("marked skip: %s", c->skip);
        out->rerun = rerun_line(c, cfg);
        return out->skip ? 0 : -1;
    }
    if (cf_resource_lacks(c->resources, cfg->target.vars.resource, why, sizeof why)) {
        /* not exercised: the target does not say it has what the case needs */
        out->verdict = CF_VERDICT_SKIP;
        out->skip = cf_strfmt("%s", why);
        out->rerun = rerun_line(c, cfg);
        return out->skip ? 0 : -1;
    }
    const char *unfit = cfg->http2 ? cf_run_h2_unfit(c) : NULL;
    if (unfit) { /* not exercised: the case tests HTTP/1.1 itself */
        out->verdict = CF_VERDICT_SKIP;
        out->skip = cf_strfmt("%s", unfit);
        out->rerun = rerun_line(c, cfg);
        return out->skip ? 0 : -1;
    }
    run r = {.c = c,
             .index = index,
             .cfg = cfg,
             .out = out,
             .conn = NULL,
             .deadline = t0 + cfg->case_timeout_ms};
    r.tgt = cfg->target.vars;
    out->steps = calloc(c->nsteps, sizeof *out->steps);
    r.chunk = malloc(READ_CHUNK);
    r.vals = calloc(c->ncaptures ? c->ncaptures : 1, sizeof *r.vals);
    r.tgt.captured = r.vals;
    r.tgt.ncaptured = c->ncaptures;
    if (!out->steps || !r.chunk || !r.vals) {
        free(r.vals);
        free(r.chunk);
        cf_case_result_free(out);
        return -1;
    }
    cf_collect_init(&r.col, &cfg->caps);
    int err = 0;
    unsigned ct = cfg->connect_timeout_ms < cfg->case_timeout_ms ? cfg->connect_timeout_ms
                                                                 : cfg->case_timeout_ms;
    char tls_why[256];
    if (cfg->http2) { /* one HTTP/2 session per case, its steps on one connection */
        r.h2 = cf_h2_open(&cfg->addr, cfg->addr.tls.on ? cfg->addr.tls.name : cfg->target.host, ct);
        if (r.h2)
            run_steps(&r);
        else
            error(&r, "out of memory");
        cf_h2_close(r.h2);
    } else if (!(r.conn = cf_conn_open(&cfg->addr, ct, &err, tls_why, sizeof tls_why))) {
        if (err == CF_CONN_ETLS)
            error(&r, "cannot connect to %s: %s", cfg->target.display, tls_why);
        else if (err == ETIMEDOUT)
            error(&r, "cannot connect to %s: timed out after %u ms", cfg->target.display, ct);
        else
            error(&r, "cannot connect to %s: %s", cfg->target.display, strerror(err));
    } else {
        run_steps(&r);
        cf_conn_close(r.conn);
    }
    if (r.sent_total != SIZE_MAX && !cfg->http2) /* HTTP/2: libcurl's bytes, not a replay */
        out->repro = cf_repro_line(
            cf_buf_bytes(&r.sent), r.sent_total > r.sent.len ? r.sent_total : r.sent.len,
            cfg->target.host, cfg->target.port, cfg->addr.tls.on ? cfg->addr.tls.name : NULL,
            CF_REPRO_MAX_BYTES, (cfg->time_limit_ms + 999) / 1000 + 1);
    out->rerun = rerun_line(c, cfg);
    out->verdict = cf_verdict_marked(out->verdict, c->xfail != NULL);
    cf_buf_free(&r.sent);
    cf_collect_free(&r.col);
    free(r.chunk);
    for (size_t i = 0; i < c->ncaptures; i++)
        free(r.vals[i].data);
    free(r.vals);
    out->elapsed_ms = (unsigned)(cf_now_ms() - t0);
    return 0;
}
