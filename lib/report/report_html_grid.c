/* The HTML report: the case-by-target grid, one row per case id (in the order the targets
 * first list them), one column per target, each cell the verdict linking to the case's
 * details; rows where the targets disagree are marked. */
#include "report_html_internal.h"

#include <stdlib.h>
#include <string.h>

static int compare_ids(const void *pa, const void *pb)
{
    const cf_report_case *a = *(const cf_report_case *const *)pa;
    const cf_report_case *b = *(const cf_report_case *const *)pb;
    return strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

/* The case with id in target t's sorted index, or NULL. */
static const cf_report_case *find(const cf_report_case **by, size_t n, const cf_report_case *key)
{
    const cf_report_case **hit = bsearch(&key, by, n, sizeof *by, compare_ids);
    return hit ? *hit : NULL;
}

static void header(cf_html *h, const cf_report *r, const cf_report_summary *sums)
{
    cf_html_raw(h, "<table class=\"grid\"><thead><tr><th>case</th><th class=\"c-lvl\">level"
                   "</th>");
    for (size_t t = 0; t < r->ntargets; t++) {
        cf_html_raw(h, "<th class=\"c-v\"><a href=\"#t");
        cf_html_uint(h, t);
        cf_html_raw(h, "\"><code>");
        cf_html_text(h, r->targets[t].name);
        cf_html_raw(h, "</code></a><div class=\"muted\">");
        cf_html_uint(h, sums[t].counts[CF_RV_PASS]);
        cf_html_raw(h, "/");
        cf_html_uint(h, sums[t].total);
        cf_html_raw(h, " pass</div></th>");
    }
    cf_html_raw(h, "</tr></thead>\n<tbody>\n");
}

/* The row of case c (as the first target listing it has it). */
static void row(cf_html *h, const cf_report *r, const cf_report_case ***by, const cf_report_case *c)
{
    int first = 0, differs = 0, allpass = 1;
    for (size_t t = 0; t < r->ntargets; t++) {
        const cf_report_case *x = find(by[t], r->targets[t].ncases, c);
        int v = x ? (int)x->verdict : -1; /* -1: not run */
        if (t == 0) first = v;
        differs |= first != v;
        allpass &= v == CF_RV_PASS;
    }
    cf_html_raw(h, differs ? "<tr class=\"differs" : "<tr class=\"same");
    cf_html_raw(h, allpass ? " allpass\"><td class=\"c-id\">" : "\"><td class=\"c-id\">");
    cf_html_text(h, c->id);
    cf_html_raw(h, "<div class=\"muted\">");
    cf_html_text(h, c->title);
    cf_html_raw(h, "</div></td><td class=\"c-lvl\"><span class=\"lvl l-");
    cf_html_raw(h, cf_html_level_class(cf_html_level_index(c->level)));
    cf_html_raw(h, "\">");
    cf_html_text(h, cf_report_level_name(c->level));
    cf_html_raw(h, "</span></td>");
    for (size_t t = 0; t < r->ntargets; t++) {
        const cf_report_case *x = find(by[t], r->targets[t].ncases, c);
        if (!x) {
            cf_html_raw(h, "<td class=\"c-v muted\">not run</td>");
            continue;
        }
        cf_html_raw(h, "<td class=\"c-v\"><a href=\"#");
        cf_html_anchor(h, t, "c", x->id);
        cf_html_raw(h, "\">");
        cf_html_badge(h, x->verdict);
        cf_html_raw(h, "</a></td>");
    }
    cf_html_raw(h, "</tr>\n");
}

/* Sorted indexes by id of every target (by[t]); NULL when out of memory. */
static const cf_report_case ***index_targets(const cf_report *r)
{
    const cf_report_case ***by = calloc(r->ntargets, sizeof *by);
    if (!by) return NULL;
    for (size_t t = 0; t < r->ntargets; t++) {
        const cf_report_target *tg = &r->targets[t];
        by[t] = malloc((tg->ncases ? tg->ncases : 1) * sizeof *by[t]);
        if (!by[t]) {
            while (t--)
                free(by[t]);
            free(by);
            return NULL;
        }
        for (size_t i = 0; i < tg->ncases; i++)
            by[t][i] = &tg->cases[i];
        qsort(by[t], tg->ncases, sizeof *by[t], compare_ids);
    }
    return by;
}

void cf_html_grid(cf_html *h, const cf_report *r, const cf_report_summary *sums)
{
    const cf_report_case ***by = index_targets(r);
    if (!by) {
        h->err = 1;
        return;
    }
    cf_html_raw(h, "<section class=\"card\" id=\"grid\">\n<h2>Cases by target</h2>\n"
                   "<p class=\"muted\">Rows where the targets disagree are marked.</p>\n");
    header(h, r, sums);
    for (size_t t = 0; t < r->ntargets; t++) {
        const cf_report_target *tg = &r->targets[t];
        for (size_t i = 0; i < tg->ncases && !h->err; i++) {
            size_t u = 0; /* skip a case an earlier target already listed */
            while (u < t && !find(by[u], r->targets[u].ncases, &tg->cases[i]))
                u++;
            if (u == t) row(h, r, by, &tg->cases[i]);
        }
    }
    cf_html_raw(h, "</tbody></table>\n</section>\n");
    for (size_t t = 0; t < r->ntargets; t++)
        free(by[t]);
    free(by);
}
