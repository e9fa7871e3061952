/* The JSON report format (docs/report-json.md): the report model written out with its schema
 * version, plus the summaries (derived; readers recompute them). Bytes from the wire are JSON
 * strings whose code points U+0000..U+00FF are the bytes (Latin-1), via util_json.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util_json.h"
#include "report_formats.h"
#include "report_summary.h"

static void key_text(cf_json *j, const char *k, const char *v)
{
    cf_json_key(j, k);
    cf_json_text(j, v);
}

static void key_uint(cf_json *j, const char *k, uint64_t v)
{
    cf_json_key(j, k);
    cf_json_uint(j, v);
}

static void key_bool(cf_json *j, const char *k, bool v)
{
    cf_json_key(j, k);
    cf_json_bool(j, v);
}

static void key_bytes(cf_json *j, const char *k, const uint8_t *p, size_t n)
{
    cf_json_key(j, k);
    cf_json_string_n(j, p ? (const char *)p : "", p ? n : 0);
}

static void text_array(cf_json *j, const char *k, char *const *v, size_t n)
{
    cf_json_key(j, k);
    cf_json_begin_array(j);
    for (size_t i = 0; i < n; i++)
        cf_json_text(j, v[i]);
    cf_json_end_array(j);
}

static void write_step(cf_json *j, const cf_report_step *s)
{
    cf_json_begin_object(j);
    key_bool(j, "checked", s->checked);
    key_bool(j, "pass", s->pass);
    key_text(j, "expected", s->expected);
    key_text(j, "actual", s->actual);
    text_array(j, "failed", s->failed, s->nfailed);
    key_text(j, "note", s->note);
    if (s->skip) key_text(j, "skip", s->skip);
    key_bytes(j, "sent", s->sent, s->sent_len);
    key_uint(j, "sent_total", s->sent_total);
    key_bytes(j, "received", s->received, s->received_len);
    key_uint(j, "received_total", s->received_total);
    key_uint(j, "elapsed_ms", s->elapsed_ms);
    cf_json_end_object(j);
}

/* A response: where its bytes lie in its step's received bytes, not the bytes again. */
static void write_response(cf_json *j, const cf_report_response *r)
{
    cf_json_begin_object(j);
    key_uint(j, "step", r->step);
    key_uint(j, "status", r->status > 0 ? (uint64_t)r->status : 0);
    key_text(j, "reason", r->reason);
    key_bool(j, "complete", r->complete);
    key_text(j, "method", r->method ? r->method : "");
    key_uint(j, "request_version", r->request_version == 10 ? 10 : 11);
    key_uint(j, "offset", r->raw_offset);
    key_uint(j, "length", r->raw_len);
    cf_json_key(j, "findings");
    cf_json_begin_array(j);
    for (size_t i = 0; i < r->nfindings; i++) {
        const cf_report_finding *f = &r->findings[i];
        cf_json_begin_object(j);
        key_text(j, "rule_id", cf_report_finding_id(f));
        key_text(j, "section", cf_report_finding_section(f));
        key_text(j, "level", cf_report_level_name(f->level));
        key_text(j, "message", f->message);
        cf_json_end_object(j);
    }
    cf_json_end_array(j);
    cf_json_end_object(j);
}

static void write_case(cf_json *j, const cf_report_case *c)
{
    cf_json_begin_object(j);
    key_text(j, "id", c->id);
    key_text(j, "title", c->title);
    key_uint(j, "rfc", c->rfc);
    key_text(j, "section", c->section);
    key_text(j, "level", cf_report_level_name(c->level));
    key_text(j, "requirement", c->requirement);
    if (c->note) key_text(j, "note", c->note);    /* optional: absent, not null, without one */
    if (c->xfail) key_text(j, "xfail", c->xfail); /* likewise (schema 4) */
    text_array(j, "tags", c->tags, c->ntags);
    key_text(j, "file", c->file);
    if (c->line) key_uint(j, "line", c->line); /* optional: absent when unknown */
    key_text(j, "category", c->category);
    key_uint(j, "spec_steps", c->spec_steps);
    key_text(j, "verdict", cf_report_verdict_name(c->verdict));
    key_text(j, "error", c->error);
    if (c->skip) key_text(j, "skip", c->skip);
    key_text(j, "repro", c->repro);
    if (c->rerun) key_text(j, "rerun", c->rerun);
    key_uint(j, "elapsed_ms", c->elapsed_ms);
    cf_json_key(j, "steps");
    cf_json_begin_array(j);
    for (size_t i = 0; i < c->nsteps; i++)
        write_step(j, &c->steps[i]);
    cf_json_end_array(j);
    cf_json_key(j, "responses");
    cf_json_begin_array(j);
    for (size_t i = 0; i < c->nresponses; i++)
        write_response(j, &c->responses[i]);
    cf_json_end_array(j);
    if (c->responses_omitted) key_uint(j, "responses_omitted", c->responses_omitted);
    cf_json_end_object(j);
}

static void write_counts(cf_json *j, const size_t *n)
{
    cf_json_begin_object(j);
    for (int v = 0; v < CF_RV__COUNT; v++)
        key_uint(j, cf_report_verdict_name(v), n[v]);
    cf_json_end_object(j);
}

static void write_sections(cf_json *j, const cf_report_summary *s)
{
    cf_json_key(j, "sections");
    cf_json_begin_array(j);
    for (size_t i = 0; i < s->nsections; i++) {
        const cf_summary_section *x = &s->sections[i];
        cf_json_begin_object(j);
        key_uint(j, "rfc", x->rfc);
        key_text(j, "section", x->section);
        cf_json_key(j, "levels");
        cf_json_begin_object(j);
        for (int l = 0; l < CF_RL__COUNT; l++) {
            size_t tot = 0;
            for (int v = 0; v < CF_RV__COUNT; v++)
                tot += x->n[l][v];
            if (!tot) continue;
            cf_json_key(j, cf_report_level_name(l));
            write_counts(j, x->n[l]);
        }
        cf_json_end_object(j);
        cf_json_end_object(j);
    }
    cf_json_end_array(j);
}

static void write_categories(cf_json *j, const cf_report_summary *s)
{
    cf_json_key(j, "status_codes");
    cf_json_begin_array(j);
    for (size_t i = 0; i < s->ncategories; i++) {
        const cf_summary_category *c = &s->categories[i];
        cf_json_begin_object(j);
        key_text(j, "category", c->name);
        key_uint(j, "cases", c->ncases);
        cf_json_key(j, "statuses");
        cf_json_begin_array(j);
        for (size_t k = 0; k < c->nstatuses; k++) {
            cf_json_begin_object(j);
            key_uint(j, "status", (uint64_t)c->statuses[k].status);
            key_uint(j, "count", c->statuses[k].count);
            cf_json_end_object(j);
        }
        cf_json_end_array(j);
        cf_json_end_object(j);
    }
    cf_json_end_array(j);
}

static void write_rules(cf_json *j, const cf_report_summary *s)
{
    cf_json_key(j, "rules");
    cf_json_begin_array(j);
    for (size_t i = 0; i < s->nrules; i++) {
        const cf_summary_rule *r = &s->rules[i];
        cf_json_begin_object(j);
        key_text(j, "rule_id", r->rule_id);
        key_text(j, "section", r->section);
        key_text(j, "level", cf_report_level_name(r->level));
        key_uint(j, "count", r->count);
        key_uint(j, "cases", r->ncases);
        cf_json_key(j, "examples");
        cf_json_begin_array(j);
        for (size_t k = 0; k < r->nexamples; k++)
            cf_json_text(j, r->examples[k]);
        cf_json_end_array(j);
        cf_json_end_object(j);
    }
    cf_json_end_array(j);
}

/* The derived summaries of a target; -1 when memory ran out. */
static int write_summary(cf_json *j, const cf_report_target *t)
{
    cf_report_summary s;
    if (cf_report_summarize(t, &s) < 0) return -1;
    cf_json_key(j, "summary");
    cf_json_begin_object(j);
    write_sections(j, &s);
    write_categories(j, &s);
    write_rules(j, &s);
    key_uint(j, "findings", s.nfindings);
    cf_json_end_object(j);
    cf_report_summary_free(&s);
    return 0;
}

/* One target; its cases from t, or (spliced, when cases_src is not NULL) the ncases_len bytes
 * of cases_src: the cases as written by cf_report_json_stream_case. */
static int write_target(cf_json *j, const cf_report_target *t, FILE *cases_src, uint64_t cases_len)
{
    cf_json_begin_object(j);
    key_text(j, "name", t->name);
    key_uint(j, "elapsed_ms", t->elapsed_ms);
    cf_json_key(j, "counts");
    write_counts(j, t->counts);
    cf_json_key(j, "cases");
    cf_json_begin_array(j);
    if (cases_src && cases_len)
        cf_json_splice(j, cases_src, cases_len);
    else if (!cases_src)
        for (size_t i = 0; i < t->ncases; i++)
            write_case(j, &t->cases[i]);
    cf_json_end_array(j);
    int rc = write_summary(j, t);
    cf_json_end_object(j);
    return rc;
}

/* The run-wide members, up to and including the "targets" key and the array's opening. */
static void write_head(cf_json *j, const cf_report *r)
{
    cf_json_begin_object(j);
    key_text(j, "schema", "conform-report");
    key_uint(j, "schema_version", CF_REPORT_SCHEMA_VERSION);
    key_text(j, "conform_version", r->conform_version);
    key_text(j, "started_at", r->started_at);
    text_array(j, "spec_paths", r->spec_paths, r->nspec_paths);
    key_bool(j, "strict", r->strict);
    key_bool(j, "interrupted", r->interrupted);
    key_text(j, "rules", cf_rules_mode_name(r->rules));
    cf_json_key(j, "targets");
    cf_json_begin_array(j);
}

/* "version_differential" (docs/report-json.md), when the run compared versions. */
static void write_vdiffs(cf_json *j, const cf_report *r)
{
    if (!r->versions) return;
    cf_json_key(j, "version_differential");
    cf_json_begin_object(j);
    key_uint(j, "cases", r->vdiff_cases);
    cf_json_key(j, "differences");
    cf_json_begin_array(j);
    for (size_t i = 0; i < r->nvdiffs; i++) {
        const cf_report_vdiff *d = &r->vdiffs[i];
        cf_json_begin_object(j);
        key_text(j, "http1.1_target", r->targets[d->http11].name);
        key_text(j, "http2_target", r->targets[d->http2].name);
        key_text(j, "id", d->case_id);
        key_uint(j, "step", d->step + 1);
        key_text(j, "what", d->what);
        key_text(j, "http1.1", d->v11); /* NULL: null, the field was absent */
        key_text(j, "http2", d->v2);
        cf_json_end_object(j);
    }
    cf_json_end_array(j);
    cf_json_end_object(j);
}

static int write_tail(cf_json *j, const cf_report *r, FILE *out, int rc)
{
    cf_json_end_array(j);
    write_vdiffs(j, r);
    cf_json_end_object(j);
    fputc('\n', out);
    return rc < 0 || cf_json_error(j) || ferror(out) ? -1 : 0;
}

int cf_report_json(const cf_report *r, FILE *out)
{
    cf_json j;
    cf_json_init_file(&j, out);
    write_head(&j, r);
    int rc = 0;
    for (size_t i = 0; i < r->ntargets; i++)
        if (write_target(&j, &r->targets[i], NULL, 0) < 0) rc = -1;
    return write_tail(&j, r, out, rc);
}

/* Where one target's cases lie in the temporary file. */
typedef struct stream_part {
    uint64_t start, len;
    size_t ncases;
} stream_part;

struct cf_report_json_stream {
    FILE *tmp;
    stream_part *parts; /* per target index */
    size_t nparts;
    bool err;
};

cf_report_json_stream *cf_report_json_stream_new(void)
{
    cf_report_json_stream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->tmp = tmpfile();
    if (!s->tmp) {
        free(s);
        return NULL;
    }
    return s;
}

/* The part of target index, made (empty, starting at the end of the file) when new. */
static stream_part *stream_part_at(cf_report_json_stream *s, size_t target)
{
    if (target >= s->nparts) {
        stream_part *p = realloc(s->parts, (target + 1) * sizeof *p);
        if (!p) return NULL;
        s->parts = p;
        long end = ftell(s->tmp);
        for (size_t i = s->nparts; i <= target; i++)
            s->parts[i] = (stream_part){end < 0 ? 0 : (uint64_t)end, 0, 0};
        s->nparts = target + 1;
    }
    return &s->parts[target];
}

int cf_report_json_stream_case(cf_report_json_stream *s, size_t target, const cf_report_case *c)
{
    stream_part *p = s->err ? NULL : stream_part_at(s, target);
    if (!p || target + 1 != s->nparts) { /* targets come one after the other */
        s->err = true;
        return -1;
    }
    long before = ftell(s->tmp);
    cf_json j;
    cf_json_init_file(&j, s->tmp);
    if (p->ncases) fputc(',', s->tmp);
    write_case(&j, c);
    long after = ftell(s->tmp);
    if (cf_json_error(&j) || ferror(s->tmp) || before < 0 || after < before) {
        s->err = true;
        return -1;
    }
    p->len += (uint64_t)(after - before);
    p->ncases++;
    return 0;
}

int cf_report_json_stream_finish(cf_report_json_stream *s, const cf_report *r, FILE *out)
{
    if (s->err || fflush(s->tmp) != 0) return -1;
    cf_json j;
    cf_json_init_file(&j, out);
    write_head(&j, r);
    int rc = 0;
    for (size_t i = 0; i < r->ntargets; i++) {
        stream_part none = {0, 0, 0};
        const stream_part *p = i < s->nparts ? &s->parts[i] : &none;
        if (p->len && fseek(s->tmp, (long)p->start, SEEK_SET) != 0) rc = -1;
        if (write_target(&j, &r->targets[i], s->tmp, p->len) < 0) rc = -1;
    }
    return write_tail(&j, r, out, rc);
}

void cf_report_json_stream_free(cf_report_json_stream *s)
{
    if (!s) return;
    if (s->tmp) fclose(s->tmp);
    free(s->parts);
    free(s);
}
