/* The terminal report format (report_term.h). */
#include "report_term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_grid.h"
#include "report_summary.h"
#include "util_term.h"

#define BOLD  "\033[1m"
#define RESET "\033[0m"

bool cf_report_color_auto(FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    return (!nc || !*nc) && isatty(fileno(out));
}

static void heading(FILE *out, bool color, const char *text)
{
    fprintf(out, "%s%s%s\n", color ? BOLD : "", text, color ? RESET : "");
}

static void print_sections(const cf_report_summary *s, FILE *out, bool color)
{
    heading(out, color, "By RFC section:");
    int w = 7;
    char ref[64];
    for (size_t i = 0; i < s->nsections; i++) {
        int n =
            (int)strlen(cf_report_ref(ref, sizeof ref, s->sections[i].rfc, s->sections[i].section));
        if (strstr(ref, "§")) n--; /* "§" is two bytes and one column */
        if (n > w) w = n;
    }
    bool marked = cf_report_has_marked(s->counts); /* xfail, xpass columns only then */
    fprintf(out, "  %-*s  %-6s  %4s %4s %4s %4s %5s %4s%s\n", w, "section", "level", "pass", "fail",
            "warn", "info", "error", "skip", marked ? " xfail xpass" : "");
    for (size_t i = 0; i < s->nsections; i++) {
        const cf_summary_section *x = &s->sections[i];
        cf_term_texts tt = {0};
        cf_report_ref(ref, sizeof ref, x->rfc, cf_term_text(&tt, x->section));
        cf_term_texts_free(&tt);
        for (int l = 0; l < CF_RL__COUNT; l++) {
            size_t tot = 0;
            for (int v = 0; v < CF_RV__COUNT; v++)
                tot += x->n[l][v];
            if (!tot) continue;
            int pad = w + (strstr(ref, "§") ? 1 : 0); /* bytes: "§" is two */
            fprintf(out, "  %-*s  %-6s  %4zu %4zu %4zu %4zu %5zu %4zu", pad, ref,
                    cf_report_level_name(l), x->n[l][CF_RV_PASS], x->n[l][CF_RV_FAIL],
                    x->n[l][CF_RV_WARN], x->n[l][CF_RV_INFO], x->n[l][CF_RV_ERROR],
                    x->n[l][CF_RV_SKIP]);
            if (marked) fprintf(out, " %5zu %5zu", x->n[l][CF_RV_XFAIL], x->n[l][CF_RV_XPASS]);
            fputc('\n', out);
        }
    }
}

static void print_statuses(const cf_report_summary *s, FILE *out, bool color)
{
    heading(out, color, "Status codes by category:");
    int w = 1;
    for (size_t i = 0; i < s->ncategories; i++) {
        int n = (int)strlen(s->categories[i].name);
        if (n > w) w = n;
    }
    for (size_t i = 0; i < s->ncategories; i++) {
        const cf_summary_category *c = &s->categories[i];
        fprintf(out, "  %-*s  ", w, c->name);
        for (size_t k = 0; k < c->nstatuses; k++) {
            if (c->statuses[k].status)
                fprintf(out, "%s%d ×%zu", k ? ", " : "", c->statuses[k].status,
                        c->statuses[k].count);
            else
                fprintf(out, "%snone ×%zu", k ? ", " : "", c->statuses[k].count);
        }
        fputc('\n', out);
    }
}

static void print_rules(const cf_report_summary *s, FILE *out, bool color, cf_rules_mode mode)
{
    if (!s->nrules && mode == CF_RULES_OFF) { /* "none" would claim what was not looked at */
        heading(out, color, "Compliance rules: not judged (--rules off)");
        return;
    }
    if (!s->nrules) {
        heading(out, color, "Compliance rules broken: none");
        return;
    }
    size_t pairs = 0; /* rules × cases: what the case lines list, one line per rule per case */
    for (size_t i = 0; i < s->nrules; i++)
        pairs += s->rules[i].ncases;
    char h[160];
    snprintf(h, sizeof h,
             "Compliance rules broken (%zu rule × case finding%s, %zu response finding%s; in the "
             "most cases first):",
             pairs, pairs == 1 ? "" : "s", s->nfindings, s->nfindings == 1 ? "" : "s");
    heading(out, color, h);
    for (size_t i = 0; i < s->nrules; i++) {
        const cf_summary_rule *r = &s->rules[i];
        cf_term_texts tt = {0};
        fprintf(out, "  %4zu case%s  %s  %s (%s)  %zu response%s, e.g. ", r->ncases,
                r->ncases == 1 ? " " : "s", cf_term_text(&tt, r->rule_id),
                cf_term_text(&tt, r->section), cf_report_level_name(r->level), r->count,
                r->count == 1 ? "" : "s");
        cf_term_texts_free(&tt);
        for (size_t k = 0; k < r->nexamples; k++) {
            fprintf(out, "%s%s", k ? ", " : "", cf_term_text(&tt, r->examples[k]));
            cf_term_texts_free(&tt);
        }
        fputc('\n', out);
    }
}

int cf_report_term_summaries(const cf_report_target *t, FILE *out, bool color, cf_rules_mode rules)
{
    cf_report_summary s;
    if (cf_report_summarize(t, &s) < 0) return -1;
    fputc('\n', out);
    print_sections(&s, out, color);
    fputc('\n', out);
    print_statuses(&s, out, color);
    fputc('\n', out);
    print_rules(&s, out, color, rules);
    cf_report_summary_free(&s);
    fflush(out);
    return ferror(out) ? -1 : 0;
}

void cf_report_term_interrupted(const cf_report *r, FILE *out)
{
    if (!r->interrupted) return;
    size_t n = 0;
    for (size_t t = 0; t < r->ntargets; t++)
        n += r->targets[t].ncases;
    fprintf(out,
            "\ninterrupted: the run was stopped before every case ran; this report holds the %zu "
            "case%s that finished\n",
            n, n == 1 ? "" : "s");
}

void cf_report_term_vdiff(const cf_report *r, FILE *out)
{
    if (!r->versions) return;
    cf_term_texts tt = {0};
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < r->nvdiffs; i++) {
        const cf_report_vdiff *d = &r->vdiffs[i];
        if (d->http11 != last)
            fprintf(out,
                    "\nVersion differential (%s vs %s): the same request, a different answer\n",
                    cf_term_text(&tt, r->targets[d->http11].name),
                    cf_term_text(&tt, r->targets[d->http2].name));
        last = d->http11;
        fprintf(out, "  %-50s step %zu  %s: %s (HTTP/1.1)  %s (HTTP/2)\n",
                cf_term_text(&tt, d->case_id), d->step + 1, cf_term_text(&tt, d->what),
                d->v11 ? cf_term_text(&tt, d->v11) : "(none)",
                d->v2 ? cf_term_text(&tt, d->v2) : "(none)");
    }
    cf_term_texts_free(&tt);
    if (!r->nvdiffs)
        fprintf(out, "\nVersion differential: the same answers over HTTP/1.1 and HTTP/2\n");
    fprintf(out, "  %zu difference%s in %zu case%s answered over both versions\n", r->nvdiffs,
            r->nvdiffs == 1 ? "" : "s", r->vdiff_cases, r->vdiff_cases == 1 ? "" : "s");
}

int cf_report_term_write(const cf_report *r, FILE *out, bool color, bool quiet)
{
    int rc = 0;
    for (size_t i = 0; i < r->ntargets; i++) {
        const cf_report_target *t = &r->targets[i];
        cf_term_texts tt = {0};
        if (r->ntargets > 1)
            fprintf(out, "%sTarget %s\n", i ? "\n" : "", cf_term_text(&tt, t->name));
        cf_term_texts_free(&tt);
        cf_term term = {.out = out,
                        .err = out,
                        .color = color,
                        .quiet = quiet,
                        .strict = r->strict,
                        .rules = r->rules};
        for (size_t k = 0; k < t->ncases; k++)
            cf_term_case(&term, &t->cases[k]);
        cf_run_counts counts = {.total = t->ncases, .elapsed_ms = t->elapsed_ms};
        for (int v = 0; v < CF_RV__COUNT; v++)
            counts.n[v] = t->counts[v];
        cf_term_summary(&term, &counts);
        if (cf_report_term_summaries(t, out, color, r->rules) < 0) rc = -1;
    }
    cf_report_term_interrupted(r, out);
    cf_report_term_vdiff(r, out);
    if (cf_report_grid_term(r, out, color) < 0) rc = -1; /* with two targets or more */
    fflush(out);
    return rc < 0 || ferror(out) ? -1 : 0;
}

int cf_report_term(const cf_report *r, FILE *out)
{
    return cf_report_term_write(r, out, cf_report_color_auto(out), false);
}
