/* The report model: freeing, the names of verdicts and levels, findings' rules and responses'
 * bytes (report_model.h). */
#include "report_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_pool.h"
#include "rules.h"

static const char *const verdicts[CF_RV__COUNT] = {"PASS",  "FAIL", "WARN",  "INFO",
                                                   "ERROR", "SKIP", "XFAIL", "XPASS"};
static const char *const levels[CF_RL__COUNT] = {"MUST", "SHOULD", "MAY"};

/* The level of each rule of rules.def. */
static const cf_report_level rule_levels[] = {
#define CF_RULE(name, id, section, level, text) CF_RL_##level,
#include "rules.def"
#undef CF_RULE
};

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Frees what a response owns; a packed one owns only its reason, method and messages. */
static void free_response(cf_report_response *r, bool packed)
{
    free(r->reason);
    free(r->method);
    for (size_t i = 0; i < r->nfindings; i++) {
        if (!packed) free(r->findings[i].rule_id);
        if (!packed) free(r->findings[i].section);
        free(r->findings[i].message);
    }
    if (!packed) free(r->findings);
}

static void free_step(cf_report_step *s)
{
    free(s->expected);
    free(s->actual);
    free_strings(s->failed, s->nfailed);
    free(s->note);
    free(s->skip);
    free(s->sent);
    free(s->received);
}

void cf_report_case_free(cf_report_case *c)
{
    if (!c->packed) {
        free(c->id);
        free(c->section);
        free(c->xfail);
        free(c->category);
        free(c->error);
        free(c->skip);
    }
    free(c->title);
    free(c->requirement);
    free(c->note);
    free_strings(c->tags, c->ntags);
    free(c->file);
    free(c->repro);
    free(c->rerun);
    for (size_t i = 0; i < c->nsteps; i++)
        free_step(&c->steps[i]);
    free(c->steps);
    for (size_t i = 0; i < c->nresponses; i++)
        free_response(&c->responses[i], c->packed);
    if (!c->packed) free(c->responses);
    memset(c, 0, sizeof *c);
}

/* A step of a compact case: only what cf_report_grid_how reads (checked, pass, failed, actual). */
static void compact_step(cf_report_step *s)
{
    free(s->expected);
    free(s->note);
    free(s->skip);
    free(s->sent);
    free(s->received);
    s->expected = s->note = s->skip = NULL;
    s->sent = s->received = NULL;
    s->sent_len = s->received_len = 0;
}

/* A response of a compact case: its status and its findings' rules (the summaries' input). */
static void compact_response(cf_report_response *r)
{
    free(r->reason);
    free(r->method);
    r->reason = r->method = NULL;
    for (size_t i = 0; i < r->nfindings; i++) {
        free(r->findings[i].message);
        r->findings[i].message = NULL;
    }
}

/* Moves what compact case c keeps of its own into p (compact_response has run): everything or,
 * when memory runs out, nothing. 0, or -1. */
static int pack(cf_report_case *c, cf_report_pool *p)
{
    cf_report_case k = *c;
    bool ok = (k.id = cf_report_pool_str(p, c->id)) != NULL;
    ok = ok && (!c->section || (k.section = cf_report_pool_intern(p, c->section)));
    ok = ok && (!c->category || (k.category = cf_report_pool_intern(p, c->category)));
    ok = ok && (!c->xfail || (k.xfail = cf_report_pool_str(p, c->xfail)));
    ok = ok && (!c->error || (k.error = cf_report_pool_str(p, c->error)));
    ok = ok && (!c->skip || (k.skip = cf_report_pool_str(p, c->skip)));
    if (ok && c->nresponses) {
        k.responses = cf_report_pool_alloc(p, c->nresponses * sizeof *k.responses);
        ok = k.responses != NULL;
        for (size_t i = 0; ok && i < c->nresponses; i++) {
            cf_report_response *r = &k.responses[i];
            *r = c->responses[i];
            if (!r->nfindings) continue;
            r->findings = cf_report_pool_alloc(p, r->nfindings * sizeof *r->findings);
            ok = r->findings != NULL;
            for (size_t f = 0; ok && f < r->nfindings; f++) {
                const cf_report_finding *from = &c->responses[i].findings[f];
                r->findings[f] = *from; /* its message: freed by compact_response */
                ok = (!from->rule_id ||
                      (r->findings[f].rule_id = cf_report_pool_intern(p, from->rule_id))) &&
                     (!from->section ||
                      (r->findings[f].section = cf_report_pool_intern(p, from->section)));
            }
        }
    }
    if (!ok) return -1; /* what went into the pool stays there until the target is freed */
    cf_report_case old = *c;
    old.title = old.requirement = old.note = NULL; /* still the case's, like its steps */
    old.steps = NULL;
    old.nsteps = 0;
    cf_report_case_free(&old); /* the malloc'd originals of what moved */
    k.packed = true;
    *c = k;
    return 0;
}

void cf_report_case_compact(cf_report_case *c, bool for_grid, cf_report_pool **pool)
{
    if (!for_grid) {
        free(c->title);
        c->title = NULL;
    }
    free_strings(c->tags, c->ntags);
    free(c->file);
    free(c->repro);
    free(c->rerun);
    c->file = c->repro = c->rerun = NULL;
    c->tags = NULL;
    c->ntags = 0;
    for (size_t i = 0; i < c->nsteps; i++)
        compact_step(&c->steps[i]);
    if (!for_grid || c->verdict == CF_RV_PASS) { /* no "how" to tell in a grid */
        for (size_t i = 0; i < c->nsteps; i++)
            free_step(&c->steps[i]);
        free(c->steps);
        c->steps = NULL;
        c->nsteps = 0;
    }
    if (!for_grid) {
        free(c->requirement);
        free(c->note);
        c->requirement = c->note = NULL;
    }
    for (size_t i = 0; i < c->nresponses; i++)
        compact_response(&c->responses[i]);
    if (c->packed) return;
    if (pool && !*pool) *pool = cf_report_pool_new();
    if (pool && *pool && pack(c, *pool) == 0) return;
    if (c->nresponses) { /* the array may have room to spare; failing to shrink it is fine */
        cf_report_response *r = realloc(c->responses, c->nresponses * sizeof *r);
        if (r) c->responses = r;
    }
}

void cf_report_target_free(cf_report_target *t)
{
    free(t->name);
    for (size_t i = 0; i < t->ncases; i++)
        cf_report_case_free(&t->cases[i]);
    free(t->cases);
    cf_report_pool_free(t->pool);
    memset(t, 0, sizeof *t);
}

void cf_report_free(cf_report *r)
{
    if (!r) return;
    free(r->conform_version);
    free(r->started_at);
    free_strings(r->spec_paths, r->nspec_paths);
    for (size_t i = 0; i < r->ntargets; i++)
        cf_report_target_free(&r->targets[i]);
    free(r->targets);
    for (size_t i = 0; i < r->nvdiffs; i++) {
        free(r->vdiffs[i].case_id);
        free(r->vdiffs[i].what);
        free(r->vdiffs[i].v11);
        free(r->vdiffs[i].v2);
    }
    free(r->vdiffs);
    memset(r, 0, sizeof *r);
}

int cf_report_vdiff_add(cf_report *r, const cf_report_vdiff *d)
{
    cf_report_vdiff *n = realloc(r->vdiffs, (r->nvdiffs + 1) * sizeof *n);
    if (!n) return -1;
    r->vdiffs = n;
    bool oom = false;
    cf_report_vdiff c = *d;
    c.case_id = cf_report_strdup(d->case_id, &oom);
    c.what = cf_report_strdup(d->what, &oom);
    c.v11 = cf_report_strdup(d->v11, &oom);
    c.v2 = cf_report_strdup(d->v2, &oom);
    if (oom) {
        free(c.case_id);
        free(c.what);
        free(c.v11);
        free(c.v2);
        return -1;
    }
    r->vdiffs[r->nvdiffs++] = c;
    return 0;
}

const char *cf_report_verdict_name(int index)
{
    return index >= 0 && index < CF_RV__COUNT ? verdicts[index] : "?";
}

const char *cf_report_level_name(int index)
{
    return index >= 0 && index < CF_RL__COUNT ? levels[index] : "?";
}

cf_report_level cf_report_rule_level(int rule)
{
    return rule >= 0 && rule < CF_R__COUNT ? rule_levels[rule] : CF_RL_MUST;
}

const char *cf_report_finding_id(const cf_report_finding *f)
{
    if (f->rule < 0) return f->rule_id ? f->rule_id : "";
    const char *id = cf_rule_id((size_t)f->rule);
    return id ? id : "";
}

bool cf_report_has_marked(const size_t *counts)
{
    return counts[CF_RV_XFAIL] + counts[CF_RV_XPASS] > 0;
}

void cf_report_counts_text(cf_buf *t, const size_t *counts)
{
    static const char *const words[CF_RV__COUNT] = {"passed", "failed",  "warnings", "info",
                                                    "errors", "skipped", "xfailed",  "xpassed"};
    int n = cf_report_has_marked(counts) ? CF_RV__COUNT : CF_RV_XFAIL;
    for (int v = 0; v < n; v++)
        cf_buf_fmt(t, "%s%zu %s", v ? ", " : "", counts[v], words[v]);
}

const char *cf_report_xfail_text(const cf_report_case *c, char *buf, size_t n)
{
    const char *why = c->xfail ? c->xfail : "?";
    if (c->verdict == CF_RV_XFAIL)
        snprintf(buf, n, "expected to fail (xfail): %s", why);
    else if (c->verdict == CF_RV_XPASS)
        snprintf(buf, n, "marked xfail (%s) but it passed: remove the marker", why);
    else
        return NULL;
    return buf;
}

const char *cf_report_ref(char *buf, size_t n, unsigned rfc, const char *section)
{
    if (rfc && section && *section)
        snprintf(buf, n, "RFC %u §%s", rfc, section);
    else if (rfc)
        snprintf(buf, n, "RFC %u", rfc);
    else
        snprintf(buf, n, "(no RFC section)");
    return buf;
}

const char *cf_report_finding_section(const cf_report_finding *f)
{
    if (f->rule < 0) return f->section ? f->section : "";
    const char *s = cf_rule_section((size_t)f->rule);
    return s ? s : "";
}

const uint8_t *cf_report_response_bytes(const cf_report_case *c, const cf_report_response *r,
                                        size_t *len)
{
    *len = 0;
    if (r->step >= c->nsteps) return NULL;
    const cf_report_step *s = &c->steps[r->step];
    if (!s->received || r->raw_offset >= s->received_len) return NULL;
    size_t n = s->received_len - r->raw_offset;
    *len = n < r->raw_len ? n : r->raw_len;
    return *len ? s->received + r->raw_offset : NULL;
}

char *cf_report_strdup(const char *s, bool *oom)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (!d) {
        *oom = true;
        return NULL;
    }
    memcpy(d, s, n + 1);
    return d;
}
