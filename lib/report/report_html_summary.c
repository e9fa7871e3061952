/* The HTML report: two summaries of one target, as report_summary.c computes them for every
 * format — the status codes answered per case category (chips coloured by class, RFC 9110
 * §15), and the compliance rules broken, in the most cases first, with example case ids. */
#include "report_html_internal.h"

/* "s2" for 2xx...; "s0" for no status at all, "sx" for a code outside 100..599. */
static const char *status_class(int status)
{
    static const char *const names[] = {"s0", "s1", "s2", "s3", "s4", "s5"};
    if (status == 0) return names[0];
    if (status >= 100 && status <= 599) return names[status / 100];
    return "sx";
}

static void status_chip(cf_html *h, const cf_summary_status *st)
{
    cf_html_raw(h, "<span class=\"chip ");
    cf_html_raw(h, status_class(st->status));
    cf_html_raw(h, "\">");
    if (st->status)
        cf_html_uint(h, (uint64_t)(st->status > 0 ? st->status : 0));
    else
        cf_html_raw(h, "none");
    cf_html_raw(h, " <span class=\"muted\">×");
    cf_html_uint(h, st->count);
    cf_html_raw(h, "</span></span> ");
}

void cf_html_statuses(cf_html *h, const cf_report_summary *sum)
{
    cf_html_raw(h, "<div class=\"card\">\n<h3>Status codes</h3>\n<p class=\"muted\">What the "
                   "target answered, per category of cases (a case's first tag, else its spec "
                   "file); <span class=\"chip s0\">none</span> counts cases that got no "
                   "response and responses without a status-line.</p>\n<ul class=\"cats\">\n");
    for (size_t i = 0; i < sum->ncategories; i++) {
        const cf_summary_category *c = &sum->categories[i];
        cf_html_raw(h, "<li><span class=\"cat\">");
        cf_html_text(h, c->name);
        cf_html_raw(h, "</span><span class=\"muted ncases\">");
        cf_html_uint(h, c->ncases);
        cf_html_raw(h, c->ncases == 1 ? " case</span><span>" : " cases</span><span>");
        for (size_t j = 0; j < c->nstatuses; j++)
            status_chip(h, &c->statuses[j]);
        cf_html_raw(h, "</span></li>\n");
    }
    cf_html_raw(h, "</ul>\n</div>\n");
}

static void rule_row(cf_html *h, const cf_summary_rule *rl, size_t rank, size_t t)
{
    cf_html_raw(h, "<tr><td class=\"num muted\">");
    cf_html_uint(h, rank);
    cf_html_raw(h, "</td><td><code>");
    cf_html_text(h, rl->rule_id);
    cf_html_raw(h, "</code> <span class=\"lvl l-");
    cf_html_raw(h, cf_html_level_class(cf_html_level_index(rl->level)));
    cf_html_raw(h, "\">");
    cf_html_text(h, cf_report_level_name(rl->level));
    cf_html_raw(h, "</span><div class=\"muted\">");
    cf_html_text(h, rl->section);
    cf_html_raw(h, "</div></td><td class=\"num\">");
    cf_html_uint(h, rl->count);
    cf_html_raw(h, "</td><td class=\"num\">");
    cf_html_uint(h, rl->ncases);
    cf_html_raw(h, "</td><td class=\"ex\">");
    for (size_t e = 0; e < rl->nexamples; e++) {
        cf_html_raw(h, "<a href=\"#");
        cf_html_anchor(h, t, "c", rl->examples[e]);
        cf_html_raw(h, "\">");
        cf_html_text(h, rl->examples[e]);
        cf_html_raw(h, "</a> ");
    }
    if (rl->ncases > rl->nexamples) {
        cf_html_raw(h, "<span class=\"muted\">and ");
        cf_html_uint(h, rl->ncases - rl->nexamples);
        cf_html_raw(h, " more</span>");
    }
    cf_html_raw(h, "</td></tr>\n");
}

void cf_html_rules(cf_html *h, const cf_report_summary *sum, size_t t)
{
    cf_html_raw(h, "<div class=\"card\">\n<h3>Compliance rules broken</h3>\n");
    if (!sum->nrules) {
        cf_html_raw(h, "<p class=\"muted\">No response broke a compliance rule.</p>\n");
    } else {
        cf_html_raw(h, "<p class=\"muted\">Checked on every complete response; in the most cases "
                       "first.</p>\n<table class=\"rules\"><thead><tr><th class=\"num\">#</th>"
                       "<th>rule</th><th class=\"num\">findings</th><th class=\"num\">cases</th>"
                       "<th>for example</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < sum->nrules; i++)
            rule_row(h, &sum->rules[i], i + 1, t);
        cf_html_raw(h, "</tbody></table>\n");
    }
    cf_html_raw(h, "</div>\n");
}
