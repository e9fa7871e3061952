/* The HTML report: the cases of one target grouped by RFC section — an overview (per section,
 * passed/total per level and a verdict bar) and one table of cases per section, sections in
 * RFC and numeric section order (6.2 before 6.10), cases in spec order within a section. */
#include "report_html_internal.h"

#include <stdlib.h>
#include <string.h>

/* One section: its cases are by[first .. first + n). */
typedef struct section {
    unsigned rfc;
    const char *name;
    size_t first, n;
    size_t verdicts[CF_HTML_NVERDICTS];
} section;

static const char *str(const char *s)
{
    return s ? s : "";
}

/* RFC, then section number as readers expect (report_summary.h), then spec order. */
static int compare_cases(const void *pa, const void *pb)
{
    const cf_report_case *a = *(const cf_report_case *const *)pa;
    const cf_report_case *b = *(const cf_report_case *const *)pb;
    if (a->rfc != b->rfc) return a->rfc < b->rfc ? -1 : 1;
    int c = cf_section_cmp(str(a->section), str(b->section));
    if (!c) c = strcmp(str(a->section), str(b->section));
    if (c) return c;
    return a < b ? -1 : a > b; /* spec order: the cases are one array */
}

static int same_section(const cf_report_case *a, const cf_report_case *b)
{
    return a->rfc == b->rfc && strcmp(str(a->section), str(b->section)) == 0;
}

/* Groups the sorted cases into sections; returns how many (*out NULL when out of memory). */
static size_t group(const cf_report_case **by, size_t n, section **out)
{
    section *s = calloc(n ? n : 1, sizeof *s);
    size_t ns = 0;
    *out = s;
    if (!s) return 0;
    for (size_t i = 0; i < n; i++) {
        const cf_report_case *c = by[i];
        if (i == 0 || !same_section(by[i - 1], c)) {
            s[ns].rfc = c->rfc, s[ns].name = c->section, s[ns].first = i;
            ns++;
        }
        s[ns - 1].n++;
        s[ns - 1].verdicts[cf_html_verdict_index(c->verdict)]++;
    }
    return ns;
}

/* "RFC 9112 §6.1" */
static void section_title(cf_html *h, unsigned rfc, const char *name)
{
    char ref[96];
    cf_html_text(h, cf_report_ref(ref, sizeof ref, rfc, name));
}

/* "t0-s-9112-6.1" */
static void section_anchor(cf_html *h, size_t t, unsigned rfc, const char *name)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%u-%s", rfc, str(name));
    cf_html_anchor(h, t, "s", buf);
}

/* passed/total of one level, marked when some did not pass; a dash when there are none. */
static void level_cell(cf_html *h, const size_t *n, size_t l)
{
    size_t total = 0;
    for (size_t v = 0; v < CF_RV__COUNT; v++)
        total += n[v];
    if (!total) {
        cf_html_raw(h, "<td class=\"num muted\">–</td>");
        return;
    }
    cf_html_raw(h, n[CF_RV_PASS] == total ? "<td class=\"num ok l-" : "<td class=\"num bad l-");
    cf_html_raw(h, cf_html_level_class(l));
    cf_html_raw(h, "\">");
    cf_html_uint(h, n[CF_RV_PASS]);
    cf_html_raw(h, "/");
    cf_html_uint(h, total);
    cf_html_raw(h, "</td>");
}

/* Cases of section s with verdict v, all levels together. */
static size_t with_verdict(const cf_summary_section *s, size_t v)
{
    size_t n = 0;
    for (size_t l = 0; l < CF_RL__COUNT; l++)
        n += s->n[l][v];
    return n;
}

/* The verdicts of one section, all levels together, as a small bar. */
static void minibar(cf_html *h, const cf_summary_section *s)
{
    cf_html_raw(h, "<div class=\"minibar\">");
    for (size_t v = 0; v < CF_RV__COUNT; v++) {
        size_t n = with_verdict(s, v);
        if (!n) continue;
        cf_html_raw(h, "<span class=\"seg v-");
        cf_html_raw(h, cf_html_verdict_class(v));
        cf_html_raw(h, "\" style=\"flex-grow:");
        cf_html_uint(h, n);
        cf_html_raw(h, "\" title=\"");
        cf_html_uint(h, n);
        cf_html_raw(h, " ");
        cf_html_raw(h, cf_html_verdict_class(v));
        cf_html_raw(h, "\"></span>");
    }
    cf_html_raw(h, "</div>");
}

void cf_html_overview(cf_html *h, const cf_report_summary *sum, size_t t)
{
    cf_html_raw(h,
                "<div class=\"card\">\n<h3>Sections</h3>\n<p class=\"muted\">Cases passed "
                "out of cases run, per RFC section and requirement level.</p>\n"
                "<table class=\"overview\"><thead><tr><th>section</th><th class=\"num\">"
                "MUST</th><th class=\"num\">SHOULD</th><th class=\"num\">MAY</th><th "
                "class=\"num\">cases</th><th class=\"wide\">verdicts</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < sum->nsections && !h->err; i++) {
        const cf_summary_section *s = &sum->sections[i];
        size_t total = 0;
        for (size_t v = 0; v < CF_RV__COUNT; v++)
            total += with_verdict(s, v);
        cf_html_raw(h, total == with_verdict(s, CF_RV_PASS)
                           ? "<tr class=\"allpass\"><td><a href=\"#"
                           : "<tr><td><a href=\"#");
        section_anchor(h, t, s->rfc, s->section);
        cf_html_raw(h, "\">");
        section_title(h, s->rfc, s->section);
        cf_html_raw(h, "</a></td>");
        for (size_t l = 0; l < CF_RL__COUNT; l++)
            level_cell(h, s->n[l], l);
        cf_html_raw(h, "<td class=\"num\">");
        cf_html_uint(h, total);
        cf_html_raw(h, "</td><td class=\"wide\">");
        minibar(h, s);
        cf_html_raw(h, "</td></tr>\n");
    }
    cf_html_raw(h, "</tbody></table>\n</div>\n");
}

/* One section's table of cases. */
static void section_table(cf_html *h, const section *s, const cf_report_case **by,
                          const cf_report_target *tg, size_t t, cf_html_row_fn row, void *ud)
{
    cf_html_raw(h, s->verdicts[0] == s->n ? "<section class=\"rfcsec allpass\" id=\""
                                          : "<section class=\"rfcsec\" id=\"");
    section_anchor(h, t, s->rfc, s->name);
    cf_html_raw(h, "\">\n<h3><a href=\"#");
    section_anchor(h, t, s->rfc, s->name);
    cf_html_raw(h, "\">");
    section_title(h, s->rfc, s->name);
    cf_html_raw(h, "</a> <span class=\"muted\">");
    cf_html_uint(h, s->n);
    cf_html_raw(h, s->n == 1 ? " case" : " cases");
    for (size_t v = 1; v < CF_HTML_NVERDICTS; v++) {
        if (!s->verdicts[v]) continue;
        cf_html_raw(h, " · <span class=\"t-");
        cf_html_raw(h, cf_html_verdict_class(v));
        cf_html_raw(h, "\">");
        cf_html_uint(h, s->verdicts[v]);
        cf_html_raw(h, " ");
        cf_html_raw(h, cf_html_verdict_class(v));
        cf_html_raw(h, "</span>");
    }
    cf_html_raw(h, "</span></h3>\n<table class=\"cases\"><thead><tr><th class=\"c-id\">case</th>"
                   "<th>title</th><th class=\"c-lvl\">level</th><th class=\"c-v\">verdict</th>"
                   "<th class=\"num c-ms\">time</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->n && !h->err; i++)
        row(h, tg, t, (size_t)(by[s->first + i] - tg->cases), ud);
    cf_html_raw(h, "</tbody></table>\n</section>\n");
}

void cf_html_sections(cf_html *h, const cf_report_target *tg, size_t t, cf_html_row_fn row,
                      void *ud)
{
    const cf_report_case **by = malloc((tg->ncases ? tg->ncases : 1) * sizeof *by);
    section *s = NULL;
    size_t ns = 0;
    if (by) {
        for (size_t i = 0; i < tg->ncases; i++)
            by[i] = &tg->cases[i];
        qsort(by, tg->ncases, sizeof *by, compare_cases);
        ns = group(by, tg->ncases, &s);
    }
    if (!by || !s) {
        h->err = 1;
    } else {
        cf_html_raw(h, "<h3 class=\"cases-title\">Cases</h3>\n");
        for (size_t i = 0; i < ns && !h->err; i++)
            section_table(h, &s[i], by, tg, t, row, ud);
    }
    free(s);
    free(by);
}
