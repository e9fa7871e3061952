/* The HTML report: the page itself — head, run header, a summary bar per target, the grid,
 * and per target its summaries and section tables (report_html.h). */
#include "report_html.h"

#include "report_formats.h"
#include "report_html_internal.h"
#include "report_spool.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const count_labels[CF_HTML_NVERDICTS] = {
    "pass", "fail", "warn", "info", "error", "skipped", "xfail", "xpass", "other"};

/* One coloured segment of the bar, as wide as its share (in tenths of a percent). */
static void bar_segment(cf_html *h, size_t v, size_t n, size_t total)
{
    char width[32];
    unsigned long long permille = (unsigned long long)n * 1000 / total;
    snprintf(width, sizeof width, "%llu.%llu%%", permille / 10, permille % 10);
    cf_html_raw(h, "<span class=\"seg v-");
    cf_html_raw(h, cf_html_verdict_class(v));
    cf_html_raw(h, "\" style=\"width:");
    cf_html_raw(h, width);
    cf_html_raw(h, "\" title=\"");
    cf_html_uint(h, n);
    cf_html_raw(h, " ");
    cf_html_raw(h, count_labels[v]);
    cf_html_raw(h, "\"></span>");
}

void cf_html_summary_bar(cf_html *h, const char *prefix, const size_t counts[CF_HTML_NVERDICTS])
{
    size_t total = 0;
    for (size_t v = 0; v < CF_HTML_NVERDICTS; v++)
        total += counts[v];
    cf_html_raw(h, "<div class=\"bar\">");
    for (size_t v = 0; v < CF_HTML_NVERDICTS; v++)
        if (counts[v]) bar_segment(h, v, counts[v], total);
    cf_html_raw(h, "</div>\n<ul class=\"counts\">");
    for (size_t v = 0; v < CF_HTML_NVERDICTS; v++) {
        if (v >= CF_RV_XFAIL && counts[v] == 0) continue; /* marked and "other": when seen */
        cf_html_raw(h, counts[v] ? "<li class=\"v-" : "<li class=\"zero v-");
        cf_html_raw(h, cf_html_verdict_class(v));
        cf_html_raw(h, "\"><span class=\"dot\"></span><span class=\"n\" id=\"");
        cf_html_raw(h, prefix);
        cf_html_raw(h, "-");
        cf_html_raw(h, count_labels[v]);
        cf_html_raw(h, "\" data-count=\"");
        cf_html_raw(h, count_labels[v]);
        cf_html_raw(h, "\">");
        cf_html_uint(h, counts[v]);
        cf_html_raw(h, "</span> ");
        cf_html_raw(h, count_labels[v]);
        cf_html_raw(h, "</li>");
    }
    cf_html_raw(h, "<li class=\"total\"><span class=\"n\" id=\"");
    cf_html_raw(h, prefix);
    cf_html_raw(h, "-total\" data-count=\"total\">");
    cf_html_uint(h, total);
    cf_html_raw(h, "</span> cases</li></ul>\n");
}

static void head(cf_html *h, const cf_report *r)
{
    cf_html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"color-scheme\" content=\"light dark\">\n"
                   "<meta name=\"generator\" content=\"conform ");
    cf_html_text(h, r->conform_version);
    cf_html_raw(h, "\">\n<title>conform report");
    for (size_t t = 0; t < r->ntargets; t++) {
        cf_html_raw(h, t ? ", " : ": ");
        cf_html_text(h, r->targets[t].name);
    }
    cf_html_raw(h, "</title>\n<style>\n");
    for (size_t i = 0; cf_html_css[i]; i++)
        cf_html_raw(h, cf_html_css[i]);
    cf_html_raw(h, "</style>\n</head>\n<body>\n");
}

/* One "name: value" of the run header. */
static void meta_item(cf_html *h, const char *name, const char *id)
{
    cf_html_raw(h, "<div><dt>");
    cf_html_raw(h, name);
    cf_html_raw(h, "</dt><dd id=\"");
    cf_html_raw(h, id);
    cf_html_raw(h, "\">");
}

static void run_header(cf_html *h, const cf_report *r)
{
    cf_html_raw(h, "<header class=\"top\">\n<h1><span class=\"logo\">conform</span> "
                   "HTTP/1.1 conformance report</h1>\n<dl class=\"meta\">");
    meta_item(h, "conform", "meta-version");
    cf_html_text(h, r->conform_version ? r->conform_version : "?");
    cf_html_raw(h, "</dd></div>");
    meta_item(h, "started", "meta-started");
    cf_html_text(h, r->started_at ? r->started_at : "?");
    cf_html_raw(h, "</dd></div>");
    meta_item(h, r->ntargets == 1 ? "target" : "targets", "meta-targets");
    for (size_t t = 0; t < r->ntargets; t++) {
        cf_html_raw(h, t ? ", <code>" : "<code>");
        cf_html_text(h, r->targets[t].name);
        cf_html_raw(h, "</code>");
    }
    cf_html_raw(h, "</dd></div>");
    meta_item(h, "specs", "meta-specs");
    for (size_t i = 0; i < r->nspec_paths; i++) {
        cf_html_raw(h, i ? ", <code>" : "<code>");
        cf_html_text(h, r->spec_paths[i]);
        cf_html_raw(h, "</code>");
    }
    cf_html_raw(h, "</dd></div>");
    meta_item(h, "strict", "meta-strict");
    cf_html_raw(h, r->strict ? "yes: a failed SHOULD is a FAIL" : "no: a failed SHOULD is a WARN");
    if (r->interrupted) {
        cf_html_raw(h, "</dd></div>");
        meta_item(h, "interrupted", "meta-interrupted");
        cf_html_raw(h, "yes: the run was stopped before every case ran; these are the cases that "
                       "finished");
    }
    cf_html_raw(h, "</dd></div></dl>\n</header>\n");
}

/* The summary bars of every target, one row each, linking to the target's part. */
static void summaries(cf_html *h, const cf_report *r, const cf_report_summary *sums)
{
    cf_html_raw(h, "<section class=\"card\" id=\"summary\">\n<h2>Summary</h2>\n");
    for (size_t t = 0; t < r->ntargets && !h->err; t++) {
        const cf_report_target *tg = &r->targets[t];
        size_t counts[CF_HTML_NVERDICTS];
        char prefix[40];
        snprintf(prefix, sizeof prefix, "summary-%zu", t);
        cf_html_counts(&sums[t], counts);
        cf_html_raw(h, "<div class=\"summary\" id=\"");
        cf_html_raw(h, prefix);
        cf_html_raw(h, "\" data-target=\"");
        cf_html_text(h, tg->name);
        cf_html_raw(h, "\">\n<div class=\"sumhead\"><a href=\"#t");
        cf_html_uint(h, t);
        cf_html_raw(h, "\"><code>");
        cf_html_text(h, tg->name);
        cf_html_raw(h, "</code></a><span class=\"muted\">");
        cf_html_duration(h, tg->elapsed_ms);
        cf_html_raw(h, "</span></div>\n");
        cf_html_summary_bar(h, prefix, counts);
        cf_html_raw(h, "</div>\n");
    }
    cf_html_raw(h, "</section>\n");
}

/* How the cases' rows are written: from the model, or from the stream's temporary file. */
typedef struct rows {
    cf_html_row_fn fn;
    void *ud;
} rows;

static void row_from_model(cf_html *h, const cf_report_target *tg, size_t t, size_t i, void *ud)
{
    (void)ud;
    cf_html_case_row(h, &tg->cases[i], t);
}

/* Everything about one target: summaries, then the cases by section. */
static void target_part(cf_html *h, const cf_report *r, const cf_report_summary *sum, size_t t,
                        const rows *rw)
{
    const cf_report_target *tg = &r->targets[t];
    cf_html_raw(h, "<section class=\"target\" id=\"t");
    cf_html_uint(h, t);
    cf_html_raw(h, "\" data-target=\"");
    cf_html_text(h, tg->name);
    cf_html_raw(h, "\">\n<h2>Target <code>");
    cf_html_text(h, tg->name);
    cf_html_raw(h, "</code></h2>\n");
    cf_html_overview(h, sum, t);
    cf_html_rules(h, sum, t);
    cf_html_statuses(h, sum);
    cf_html_sections(h, tg, t, rw->fn, rw->ud);
    cf_html_raw(h, "</section>\n");
}

/* The summaries of every target (report_summary.h); NULL when memory ran out. */
static cf_report_summary *summarize_all(const cf_report *r)
{
    cf_report_summary *sums = calloc(r->ntargets ? r->ntargets : 1, sizeof *sums);
    for (size_t t = 0; sums && t < r->ntargets; t++) {
        if (cf_report_summarize(&r->targets[t], &sums[t]) == 0) continue;
        while (t--)
            cf_report_summary_free(&sums[t]);
        free(sums);
        sums = NULL;
    }
    return sums;
}

static void body(cf_html *h, const cf_report *r, const cf_report_summary *sums, const rows *rw)
{
    run_header(h, r);
    cf_html_raw(h, "<input type=\"checkbox\" id=\"only-failing\" class=\"toggle\">"
                   "<label for=\"only-failing\" class=\"toggle\">show only the cases that did "
                   "not pass</label>\n<main>\n");
    summaries(h, r, sums);
    if (r->ntargets > 1) cf_html_grid(h, r, sums);
    for (size_t t = 0; t < r->ntargets && !h->err; t++)
        target_part(h, r, &sums[t], t, rw);
    cf_html_raw(h, "</main>\n<footer>Generated by conform ");
    cf_html_text(h, r->conform_version);
    cf_html_raw(h, " · report schema ");
    cf_html_uint(h, (uint64_t)(r->schema_version > 0 ? r->schema_version : 0));
    cf_html_raw(h, " · one file, no external assets</footer>\n</body>\n</html>\n");
}

static int write_html(const cf_report *r, FILE *out, const rows *rw)
{
    cf_html h = {out, 0};
    cf_report_summary *sums = summarize_all(r);
    if (!sums) return -1;
    head(&h, r);
    body(&h, r, sums, rw);
    for (size_t t = 0; t < r->ntargets; t++)
        cf_report_summary_free(&sums[t]);
    free(sums);
    if (fflush(out) == EOF || ferror(out)) h.err = 1;
    return h.err ? -1 : 0;
}

int cf_report_html(const cf_report *r, FILE *out)
{
    rows rw = {row_from_model, NULL};
    return write_html(r, out, &rw);
}

struct cf_report_html_stream {
    FILE *tmp;
    cf_spool_index cases; /* each case's piece in tmp */
    bool err;
};

cf_report_html_stream *cf_report_html_stream_new(void)
{
    cf_report_html_stream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (!(s->tmp = tmpfile())) {
        free(s);
        return NULL;
    }
    return s;
}

int cf_report_html_stream_case(cf_report_html_stream *s, size_t target, const cf_report_case *c)
{
    long at = s->err ? -1 : ftell(s->tmp);
    if (at < 0) {
        s->err = true;
        return -1;
    }
    cf_html h = {s->tmp, 0};
    cf_html_case_row(&h, c, target);
    long end = ftell(s->tmp);
    if (h.err || end < at || ferror(s->tmp) ||
        cf_spool_index_add(&s->cases, target,
                           (cf_spool_range){(uint64_t)at, (uint64_t)(end - at)}) < 0) {
        s->err = true;
        return -1;
    }
    return 0;
}

/* Copies the row of case i of target t from the temporary file. */
static void row_from_stream(cf_html *h, const cf_report_target *tg, size_t t, size_t i, void *ud)
{
    (void)tg;
    cf_report_html_stream *s = ud;
    if (h->err) return;
    const cf_spool_range *e = cf_spool_index_get(&s->cases, t, i);
    if (!e || cf_spool_copy(s->tmp, e->offset, e->len, h->fp) < 0) h->err = 1;
}

int cf_report_html_stream_finish(cf_report_html_stream *s, const cf_report *r, FILE *out)
{
    if (s->err || fflush(s->tmp) != 0) return -1;
    for (size_t i = 0; i < r->ntargets; i++) /* every case came, in order */
        if (r->targets[i].ncases != cf_spool_index_count(&s->cases, i)) return -1;
    rows rw = {row_from_stream, s};
    return write_html(r, out, &rw);
}

void cf_report_html_stream_free(cf_report_html_stream *s)
{
    if (!s) return;
    fclose(s->tmp);
    cf_spool_index_free(&s->cases);
    free(s);
}
