/* The HTML report: one case's row and, for a case that did not pass or whose responses broke a
 * compliance rule, a detail row: the requirement, what each checked step expected and saw,
 * the failed checks, the findings, the repro line, and the bytes on the wire as hexdumps. */
#include "report_html_internal.h"

#include <string.h>

#include "report_rules.h"

static void cell_text(cf_html *h, const char *cls, const char *text)
{
    cf_html_raw(h, "<td class=\"");
    cf_html_raw(h, cls);
    cf_html_raw(h, "\">");
    cf_html_text(h, text);
    cf_html_raw(h, "</td>");
}

static void main_row(cf_html *h, const cf_report_case *c, size_t t, const char *vclass)
{
    cf_html_raw(h, "<tr class=\"case v-");
    cf_html_raw(h, vclass);
    cf_html_raw(h, "\" id=\"");
    cf_html_anchor(h, t, "c", c->id);
    cf_html_raw(h, "\" data-verdict=\"");
    cf_html_text(h, cf_report_verdict_name(c->verdict));
    cf_html_raw(h, "\"><td class=\"c-id\"><a href=\"#");
    cf_html_anchor(h, t, "c", c->id);
    cf_html_raw(h, "\">");
    cf_html_text(h, c->id);
    cf_html_raw(h, "</a></td>");
    cell_text(h, "c-title", c->title);
    cf_html_raw(h, "<td class=\"c-lvl\"><span class=\"lvl l-");
    cf_html_raw(h, cf_html_level_class(cf_html_level_index(c->level)));
    cf_html_raw(h, "\">");
    cf_html_text(h, cf_report_level_name(c->level));
    cf_html_raw(h, "</span></td><td class=\"c-v\">");
    cf_html_badge(h, c->verdict);
    cf_html_raw(h, "</td><td class=\"num c-ms\">");
    cf_html_duration(h, c->elapsed_ms);
    cf_html_raw(h, "</td></tr>\n");
}

/* A labelled line of text: <p class="cls"><span class="k">label</span> text</p> */
static void labelled(cf_html *h, const char *cls, const char *label, const char *text)
{
    cf_html_raw(h, "<p class=\"");
    cf_html_raw(h, cls);
    cf_html_raw(h, "\"><span class=\"k\">");
    cf_html_raw(h, label);
    cf_html_raw(h, "</span> ");
    cf_html_text(h, text);
    cf_html_raw(h, "</p>\n");
}

/* What one step expected and saw, its failed checks and its note. */
static void step_block(cf_html *h, const cf_report_step *s, size_t i, size_t nsteps)
{
    if (!s->checked && !s->note) return;
    cf_html_raw(h, !s->checked ? "<div class=\"step\">"
                   : s->pass   ? "<div class=\"step ok\">"
                               : "<div class=\"step bad\">");
    cf_html_raw(h, "<div class=\"k\">");
    if (nsteps > 1) {
        cf_html_raw(h, "step ");
        cf_html_uint(h, i + 1);
        cf_html_raw(h, " ");
    }
    if (s->checked)
        cf_html_raw(h, s->pass ? "<span class=\"t-pass\">held</span>"
                               : "<span class=\"t-fail\">did not hold</span>");
    cf_html_raw(h, "</div>");
    if (s->checked) {
        cf_html_raw(h, "<dl class=\"ea\"><dt>expected</dt><dd>");
        cf_html_text(h, s->expected);
        cf_html_raw(h, "</dd><dt>actual</dt><dd>");
        cf_html_text(h, s->actual);
        cf_html_raw(h, "</dd></dl>");
    }
    if (s->nfailed) {
        cf_html_raw(h, "<ul class=\"failed\">");
        for (size_t j = 0; j < s->nfailed; j++) {
            cf_html_raw(h, "<li>");
            cf_html_text(h, s->failed[j]);
            cf_html_raw(h, "</li>");
        }
        cf_html_raw(h, "</ul>");
    }
    if (s->note) labelled(h, "note", "note", s->note);
    cf_html_raw(h, "</div>\n");
}

static size_t count_findings(const cf_report_case *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nresponses; i++)
        n += c->responses[i].nfindings;
    return n;
}

/* The compliance rules the case's responses broke, one item per rule (report_rules.h): level,
 * id, section, how many of the judged responses broke it, and what the first one showed. */
static void findings(cf_html *h, const cf_report_case *c)
{
    cf_case_rules rs;
    if (!count_findings(c) || cf_case_rules_collect(c, &rs) < 0) return;
    cf_html_raw(h, "<div class=\"k\">compliance findings</div><ul class=\"findings\">");
    for (size_t i = 0; i < rs.n; i++) {
        const cf_report_finding *f = rs.v[i].first;
        cf_html_raw(h, "<li><span class=\"lvl l-");
        cf_html_raw(h, cf_html_level_class(cf_html_level_index(f->level)));
        cf_html_raw(h, "\">");
        cf_html_text(h, cf_report_level_name(f->level));
        cf_html_raw(h, "</span> <code>");
        cf_html_text(h, cf_report_finding_id(f));
        cf_html_raw(h, "</code> <span class=\"muted\">");
        cf_html_text(h, cf_report_finding_section(f));
        cf_html_raw(h, " · ");
        cf_html_uint(h, rs.v[i].count);
        cf_html_raw(h, " of ");
        cf_html_uint(h, rs.judged);
        cf_html_raw(h, rs.judged == 1 ? " response" : " responses");
        cf_html_raw(h, "</span> first: ");
        cf_html_text(h, f->message);
        cf_html_raw(h, "</li>");
    }
    cf_html_raw(h, "</ul>\n");
    cf_case_rules_free(&rs);
}

/* A hexdump's heading and the opening of its <pre>: "Sent  37 bytes" or, past the cap, "first
 * 65536 of 70000 bytes". */
static void wire_title(cf_html *h, const char *what, size_t kept, uint64_t total)
{
    cf_html_raw(h, "<h5>");
    cf_html_raw(h, what);
    cf_html_raw(h, " <span class=\"muted\">");
    if (total > kept) {
        cf_html_raw(h, "first ");
        cf_html_uint(h, kept);
        cf_html_raw(h, " of ");
    }
    cf_html_uint(h, total > kept ? total : kept);
    cf_html_raw(h, total == 1 ? " byte</span></h5>\n<pre class=\"hex\">"
                              : " bytes</span></h5>\n<pre class=\"hex\">");
}

/* Response j of case c: its heading ("Response 1 · GET · 200 OK") and the bytes of it its step
 * kept. */
static void wire_response(cf_html *h, const cf_report_case *c, const cf_report_response *rs,
                          size_t j)
{
    cf_html_raw(h, "<h5 class=\"resp\">Response ");
    cf_html_uint(h, j + 1);
    if (rs->method && *rs->method) {
        cf_html_raw(h, " <span class=\"muted\">to</span> ");
        cf_html_text(h, rs->method);
    }
    cf_html_raw(h, " <span class=\"muted\">·</span> ");
    if (rs->status)
        cf_html_uint(h, (uint64_t)(rs->status > 0 ? rs->status : 0));
    else
        cf_html_raw(h, "no status-line");
    cf_html_raw(h, " ");
    cf_html_text(h, rs->reason);
    if (!rs->complete) cf_html_raw(h, " <span class=\"t-warn\">(incomplete)</span>");
    cf_html_raw(h, "</h5>\n");
    size_t kept;
    const uint8_t *bytes = cf_report_response_bytes(c, rs, &kept);
    wire_title(h, "Received", kept, rs->raw_len);
    cf_html_hexdump(h, bytes, kept);
    cf_html_raw(h, "</pre>\n");
}

/* Step i: the bytes it sent, then the responses read during it (or, when none could be told
 * apart, the bytes it received). i == nsteps: responses recorded past the last step. */
static void wire_step(cf_html *h, const cf_report_case *c, size_t i)
{
    size_t shown = 0;
    if (i < c->nsteps) {
        const cf_report_step *st = &c->steps[i];
        char what[48];
        snprintf(what, sizeof what, "Step %zu sent", i + 1);
        wire_title(h, what, st->sent_len, st->sent_total);
        cf_html_hexdump(h, st->sent, st->sent_len);
        cf_html_raw(h, "</pre>\n");
    }
    for (size_t j = 0; j < c->nresponses; j++) {
        const cf_report_response *rs = &c->responses[j];
        if (i < c->nsteps ? rs->step != i : rs->step < c->nsteps) continue;
        wire_response(h, c, rs, j);
        shown++;
    }
    if (i < c->nsteps && !shown && c->steps[i].received_total) {
        const cf_report_step *st = &c->steps[i];
        wire_title(h, "Received (no response told apart)", st->received_len, st->received_total);
        cf_html_hexdump(h, st->received, st->received_len);
        cf_html_raw(h, "</pre>\n");
    }
}

/* The bytes on the wire, behind a <details>: each step's bytes sent, then what came back. */
static void wire(cf_html *h, const cf_report_case *c)
{
    if (!c->nsteps && !c->nresponses) return;
    cf_html_raw(h, "<details class=\"wire\"><summary>Bytes on the wire: ");
    cf_html_uint(h, c->nsteps);
    cf_html_raw(h, c->nsteps == 1 ? " step, " : " steps, ");
    cf_html_uint(h, c->nresponses);
    cf_html_raw(h, c->nresponses == 1 ? " response</summary>\n" : " responses</summary>\n");
    for (size_t i = 0; i <= c->nsteps && !h->err; i++)
        wire_step(h, c, i);
    cf_html_raw(h, "</details>\n");
}

static void detail_row(cf_html *h, const cf_report_case *c, const char *vclass)
{
    cf_html_raw(h, "<tr class=\"detail v-");
    cf_html_raw(h, vclass);
    cf_html_raw(h, "\"><td colspan=\"5\"><div class=\"detail\">\n");
    char ref[96];
    cf_html_raw(h, "<p class=\"req\"><span class=\"k\">requirement</span> <span class=\"muted\">");
    cf_html_text(h, cf_report_ref(ref, sizeof ref, c->rfc, c->section));
    cf_html_raw(h, "</span> ");
    cf_html_text(h, c->requirement);
    cf_html_raw(h, "</p>\n");
    if (c->note) labelled(h, "note", "reading", c->note);
    if (c->error) labelled(h, "err", "error", c->error);
    if (c->skip) labelled(h, "skip", "skipped", c->skip);
    char xf[600];
    if (cf_report_xfail_text(c, xf, sizeof xf)) labelled(h, "skip", "marker", xf);
    for (size_t i = 0; i < c->nsteps; i++)
        step_block(h, &c->steps[i], i, c->nsteps);
    findings(h, c);
    const char *const lines[2][2] = {{"rerun", c->rerun}, {"reproduce", c->repro}};
    for (int k = 0; k < 2; k++) {
        if (!lines[k][1] || !*lines[k][1]) continue;
        cf_html_raw(h, "<p class=\"repro\"><span class=\"k\">");
        cf_html_raw(h, lines[k][0]);
        cf_html_raw(h, "</span> <code class=\"copy\" title=\"click to select\">");
        cf_html_text(h, lines[k][1]);
        cf_html_raw(h, "</code></p>\n");
    }
    wire(h, c);
    cf_html_raw(h, "</div></td></tr>\n");
}

void cf_html_case_row(cf_html *h, const cf_report_case *c, size_t t)
{
    size_t v = cf_html_verdict_index(c->verdict);
    const char *vclass = cf_html_verdict_class(v);
    main_row(h, c, t, vclass);
    if (v != 0 || count_findings(c)) detail_row(h, c, vclass);
}
