/* Building the report model from a run (report_build.h). */
#include "report_build.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_pool.h"
#include "rules.h"
#include "run_verdict.h"
#include "util_version.h"

/* The report's enums are the run's and the spec's, index for index. */
_Static_assert((int)CF_RV_PASS == (int)CF_VERDICT_PASS && (int)CF_RV_FAIL == (int)CF_VERDICT_FAIL &&
                   (int)CF_RV_WARN == (int)CF_VERDICT_WARN &&
                   (int)CF_RV_INFO == (int)CF_VERDICT_INFO &&
                   (int)CF_RV_ERROR == (int)CF_VERDICT_ERROR &&
                   (int)CF_RV_SKIP == (int)CF_VERDICT_SKIP &&
                   (int)CF_RV_XFAIL == (int)CF_VERDICT_XFAIL &&
                   (int)CF_RV_XPASS == (int)CF_VERDICT_XPASS &&
                   (int)CF_RV__COUNT == (int)CF_VERDICT__COUNT,
               "cf_report_verdict follows cf_verdict");
_Static_assert((int)CF_RL_MUST == (int)CF_LEVEL_MUST && (int)CF_RL_SHOULD == (int)CF_LEVEL_SHOULD &&
                   (int)CF_RL_MAY == (int)CF_LEVEL_MAY,
               "cf_report_level follows cf_level");

/* Bytes received during one step, capped. */
typedef struct recv_buf {
    uint8_t *data;
    size_t len;
    uint64_t total;
} recv_buf;

/* What the hook recorded for one case while it ran (touched by its worker thread only), copied
 * from each step's exchange record. */
typedef struct slot {
    bool ready;     /* the arrays below are allocated */
    size_t nsteps;  /* their length: the case's steps */
    recv_buf *sent; /* per spec step: the rendered bytes (total: all of them) */
    recv_buf *recv; /* per spec step */
    cf_report_response *resp;
    size_t nresp, resp_cap;
    size_t omitted; /* responses past CF_REPORT_MAX_RESPONSES not recorded */
    bool oom;
} slot;

struct cf_report_builder {
    size_t n;
    slot **slots;         /* per case, made when it starts and freed when it is added */
    cf_report_case *out;  /* per case, filled by cf_report_builder_add */
    cf_report_pool *pool; /* what the compact ones keep; handed to the target with them */
    bool *added;
    size_t max_bytes;
};

cf_report_builder *cf_report_builder_new(size_t n, size_t max_bytes)
{
    cf_report_builder *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->n = n;
    b->max_bytes = max_bytes;
    size_t m = n ? n : 1;
    b->slots = calloc(m, sizeof *b->slots);
    b->out = calloc(m, sizeof *b->out);
    b->added = calloc(m, sizeof *b->added);
    if (!b->slots || !b->out || !b->added) {
        cf_report_builder_free(b);
        return NULL;
    }
    return b;
}

static void slot_free(slot *s)
{
    if (s->ready)
        for (size_t i = 0; i < s->nsteps; i++) {
            free(s->sent[i].data);
            free(s->recv[i].data);
        }
    free(s->sent);
    free(s->recv);
    cf_report_case tmp = {.responses = s->resp, .nresponses = s->nresp};
    cf_report_case_free(&tmp); /* frees the responses recorded and not handed over */
    memset(s, 0, sizeof *s);
}

void cf_report_builder_free(cf_report_builder *b)
{
    if (!b) return;
    for (size_t i = 0; b->slots && i < b->n; i++)
        if (b->slots[i]) {
            slot_free(b->slots[i]);
            free(b->slots[i]);
        }
    for (size_t i = 0; b->out && i < b->n; i++)
        cf_report_case_free(&b->out[i]);
    free(b->slots);
    free(b->out);
    cf_report_pool_free(b->pool); /* after the cases packed in it */
    free(b->added);
    free(b);
}

/* Case index's slot, made on its first step. */
static slot *find_slot(cf_report_builder *b, size_t index)
{
    if (index >= b->n) return NULL;
    if (!b->slots[index]) b->slots[index] = calloc(1, sizeof **b->slots);
    return b->slots[index];
}

static bool slot_ready(slot *s, const cf_case *c)
{
    if (s->ready) return true;
    size_t n = c->nsteps ? c->nsteps : 1;
    s->sent = calloc(n, sizeof *s->sent);
    s->recv = calloc(n, sizeof *s->recv);
    if (!s->sent || !s->recv) {
        free(s->sent);
        free(s->recv);
        s->sent = NULL;
        s->recv = NULL;
        s->oom = true;
        return false;
    }
    s->ready = true;
    s->nsteps = c->nsteps;
    return true;
}

static uint8_t *copy_bytes(const uint8_t *p, size_t n, bool *oom)
{
    if (!n) return NULL;
    uint8_t *d = malloc(n);
    if (!d) {
        *oom = true;
        return NULL;
    }
    memcpy(d, p, n);
    return d;
}

/* Keeps the rule findings of the record on the response: rule indices and messages. */
static void keep_findings(cf_report_response *out, const cf_obs_finding *f, size_t n, bool *oom)
{
    if (!n) return;
    out->findings = calloc(n, sizeof *out->findings);
    if (!out->findings) {
        *oom = true;
        return;
    }
    out->nfindings = n;
    for (size_t i = 0; i < n; i++) {
        out->findings[i].rule = (int)f[i].rule;
        out->findings[i].level = cf_report_rule_level((int)f[i].rule);
        out->findings[i].message = cf_report_strdup(f[i].message ? f[i].message : "", oom);
    }
}

/* Records one response of the step (its answer in the record) with the rule findings on it; its
 * bytes stay in the step's received bytes, where the record places them. */
/* Whether a finding of f[0..n) names a rule no response recorded in s has. */
static bool has_new_rule(const slot *s, const cf_obs_finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t r = 0; r < s->nresp && !seen; r++)
            for (size_t k = 0; k < s->resp[r].nfindings && !seen; k++)
                seen = s->resp[r].findings[k].rule == (int)f[i].rule;
        if (!seen) return true;
    }
    return false;
}

/* Past CF_REPORT_MAX_RESPONSES, a response is recorded only when it breaks a rule no recorded
 * one breaks (at most one per rule), so a server flooding tiny responses costs a case a fixed
 * amount of memory until the run ends, and no rule it broke goes unreported. */
static void record_response(slot *s, size_t step, const cf_step_result *res, const cf_obs_answer *a)
{
    if (s->nresp >= CF_REPORT_MAX_RESPONSES && !has_new_rule(s, a->findings, a->nfindings)) {
        s->omitted++;
        return;
    }
    if (s->nresp == s->resp_cap) {
        size_t cap = s->resp_cap ? s->resp_cap * 2 : 4;
        void *p = realloc(s->resp, cap * sizeof *s->resp);
        if (!p) {
            s->oom = true;
            return;
        }
        s->resp = p;
        s->resp_cap = cap;
    }
    const cf_obs_response *r = a->interim ? &res->interim[a->index] : &res->responses[a->index];
    cf_report_response *o = &s->resp[s->nresp++];
    memset(o, 0, sizeof *o);
    o->status = r->status;
    o->reason = cf_report_strdup(r->reason ? r->reason : "", &s->oom);
    o->step = step;
    o->complete = r->complete;
    o->method = cf_report_strdup(a->has_req ? a->req.method : "", &s->oom);
    o->request_version = a->has_req ? a->req.version : 11;
    o->raw_offset = r->raw_offset;
    o->raw_len = r->raw_len;
    keep_findings(o, a->findings, a->nfindings, &s->oom);
}

/* Keeps up to max bytes of p[0..n) (total: all n). */
static void keep_bytes(recv_buf *rb, const uint8_t *p, size_t n, uint64_t total, size_t max,
                       bool *oom)
{
    if (n > max) n = max;
    free(rb->data);
    rb->data = copy_bytes(p, n, oom);
    rb->len = rb->data ? n : 0;
    rb->total = total;
}

void cf_report_builder_on_step(size_t index, const cf_case *c, size_t step,
                               const cf_step_result *res, void *ud)
{
    cf_report_builder *b = ud;
    slot *s = find_slot(b, index);
    if (!s || step >= c->nsteps || !slot_ready(s, c)) return;
    keep_bytes(&s->sent[step], res->sent, res->sent_len, res->sent_len, b->max_bytes, &s->oom);
    keep_bytes(&s->recv[step], res->raw, res->raw_len, res->raw_total, b->max_bytes, &s->oom);
    for (size_t i = 0; i < res->nanswers; i++)
        record_response(s, step, res, &res->answers[i]);
}

char *cf_report_category(const cf_case *c)
{
    bool oom = false;
    const char *p = c->file && c->file->path ? c->file->path : "";
    const char *slash = strrchr(p, '/');
    if (slash) p = slash + 1;
    size_t n = strlen(p);
    const char *dot = strrchr(p, '.');
    if (dot && dot != p) n = (size_t)(dot - p);
    if (n == 0) return cf_report_strdup(c->ntags ? c->tags[0] : "uncategorized", &oom);
    char *s = malloc(n + 1);
    if (!s) return NULL;
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static char **copy_strings(char *const *v, size_t n, bool *oom)
{
    if (!n) return NULL;
    char **d = calloc(n, sizeof *d);
    if (!d) {
        *oom = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = cf_report_strdup(v[i], oom);
    return d;
}

/* The spec side of a report case: id, title, requirement, tags... */
static void fill_case_info(cf_report_case *o, const cf_case *c, bool *oom)
{
    o->id = cf_report_strdup(c->id, oom);
    o->title = cf_report_strdup(c->title, oom);
    o->rfc = c->rfc;
    o->section = cf_report_strdup(c->section ? c->section : "", oom); /* "": a user's own spec */
    o->level = (cf_report_level)c->level;
    o->requirement = cf_report_strdup(c->requirement ? c->requirement : "", oom);
    o->note = cf_report_strdup(c->note, oom);
    o->xfail = cf_report_strdup(c->xfail, oom);
    o->tags = copy_strings(c->tags, c->ntags, oom);
    o->ntags = o->tags ? c->ntags : 0;
    o->file = cf_report_strdup(c->file && c->file->path ? c->file->path : "", oom);
    o->line = c->pos.line;
    o->category = cf_report_category(c);
    if (!o->category) *oom = true;
    o->spec_steps = c->nsteps;
}

/* One step of the result, with the bytes the builder kept for it. */
static void fill_step(slot *s, size_t i, const cf_step_report *sr, cf_report_step *o, bool *oom)
{
    o->checked = sr->checked;
    o->pass = sr->pass;
    o->expected = cf_report_strdup(sr->expected, oom);
    o->actual = cf_report_strdup(sr->actual, oom);
    o->failed = copy_strings(sr->failed, sr->nfailed, oom);
    o->nfailed = o->failed ? sr->nfailed : 0;
    o->note = cf_report_strdup(sr->note, oom);
    o->skip = cf_report_strdup(sr->skip, oom);
    o->elapsed_ms = sr->elapsed_ms;
    o->sent_total = sr->sent ? sr->bytes_sent : 0;
    if (!s->ready) return;
    if (sr->sent) {
        size_t n = s->sent[i].len < sr->bytes_sent ? s->sent[i].len : sr->bytes_sent;
        o->sent = s->sent[i].data;
        o->sent_len = o->sent ? n : 0;
        s->sent[i].data = NULL;
    }
    o->received = s->recv[i].data;
    o->received_len = s->recv[i].len;
    o->received_total = s->recv[i].total;
    s->recv[i].data = NULL;
}

int cf_report_builder_add(cf_report_builder *b, size_t index, const cf_case_result *r)
{
    if (!b->out || index >= b->n || b->added[index] || !r->c) return -1;
    const cf_case *c = r->c;
    slot none = {0}; /* no step of the case was recorded */
    slot *s = b->slots[index] ? b->slots[index] : &none;
    cf_report_case *o = &b->out[index];
    bool oom = s->oom;
    b->added[index] = true;
    fill_case_info(o, c, &oom);
    o->verdict = (cf_report_verdict)r->verdict;
    if (r->verdict == CF_VERDICT_ERROR)
        o->error = cf_report_strdup(r->error ? r->error : "out of memory", &oom);
    if (r->verdict == CF_VERDICT_SKIP) o->skip = cf_report_strdup(r->skip ? r->skip : "", &oom);
    if (r->repro && r->nsteps && r->steps[0].sent) o->repro = cf_report_strdup(r->repro, &oom);
    o->rerun = cf_report_strdup(r->rerun, &oom);
    o->elapsed_ms = r->elapsed_ms;
    slot_ready(s, c);
    if (r->nsteps) {
        o->steps = calloc(r->nsteps, sizeof *o->steps);
        if (o->steps) {
            o->nsteps = r->nsteps;
            for (size_t i = 0; i < r->nsteps && i < c->nsteps; i++)
                fill_step(s, i, &r->steps[i], &o->steps[i], &oom);
        } else {
            oom = true;
        }
    }
    o->responses = s->resp;
    o->nresponses = s->nresp;
    o->responses_omitted = s->omitted;
    s->resp = NULL;
    s->nresp = 0;
    slot_free(s);
    if (s != &none) free(s);
    b->slots[index] = NULL;
    return oom ? -1 : 0;
}

const cf_report_case *cf_report_builder_case(const cf_report_builder *b, size_t index)
{
    return b->out && index < b->n && b->added[index] ? &b->out[index] : NULL;
}

void cf_report_builder_compact(cf_report_builder *b, size_t index, bool for_grid)
{
    if (b->out && index < b->n && b->added[index])
        cf_report_case_compact(&b->out[index], for_grid, &b->pool);
}

int cf_report_builder_finish(cf_report_builder *b, cf_report_target *t, const char *name,
                             unsigned elapsed_ms)
{
    memset(t, 0, sizeof *t);
    if (!b->out) return -1; /* finished already */
    bool oom = false;
    t->name = cf_report_strdup(name, &oom);
    t->elapsed_ms = elapsed_ms;
    size_t n = 0; /* the cases added, moved down in order; the array itself is handed over */
    for (size_t i = 0; i < b->n; i++) {
        if (!b->added[i]) continue;
        if (n != i) {
            b->out[n] = b->out[i];
            memset(&b->out[i], 0, sizeof b->out[i]);
        }
        b->added[i] = false;
        if ((unsigned)b->out[n].verdict < CF_RV__COUNT) t->counts[b->out[n].verdict]++;
        n++;
    }
    t->cases = b->out;
    t->pool = b->pool;
    b->pool = NULL;
    t->ncases = n;
    b->out = NULL;
    return oom ? -1 : 0;
}

int cf_report_init(cf_report *r, long long started_unix, const char *const *paths, size_t npaths,
                   bool strict)
{
    memset(r, 0, sizeof *r);
    bool oom = false;
    r->schema_version = CF_REPORT_SCHEMA_VERSION;
    r->conform_version = cf_report_strdup(cf_version(), &oom);
    char when[32] = "";
    time_t tt = (time_t)started_unix;
    struct tm tm;
    if (gmtime_r(&tt, &tm)) strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    r->started_at = cf_report_strdup(when, &oom);
    if (npaths) {
        r->spec_paths = calloc(npaths, sizeof *r->spec_paths);
        if (!r->spec_paths) return -1;
        r->nspec_paths = npaths;
        for (size_t i = 0; i < npaths; i++)
            r->spec_paths[i] = cf_report_strdup(paths[i], &oom);
    }
    r->strict = strict;
    return oom ? -1 : 0;
}
