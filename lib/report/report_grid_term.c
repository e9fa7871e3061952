/* The terminal rendering of the case-by-target grid and its disagreements (report_grid.h). */
#include <string.h>

#include "report_grid.h"
#include "util_term.h"

#define BOLD  "\033[1m"
#define RESET "\033[0m"

static const char *verdict_color(int v)
{
    static const char *const colors[CF_RV__COUNT] = {"\033[32m", "\033[31m", "\033[33m",
                                                     "\033[36m", "\033[35m", "\033[90m",
                                                     "\033[90m", "\033[31m"};
    return v >= 0 && v < CF_RV__COUNT ? colors[v] : "";
}

/* Writes "  " and text padded to width columns (0: no padding; text is ASCII here). */
static void cell(FILE *out, bool color, int v, const char *text, int width)
{
    const char *c = color ? verdict_color(v) : "";
    int pad = width > (int)strlen(text) ? width - (int)strlen(text) : 0;
    fprintf(out, "  %s%s%s%*s", c, text, *c ? RESET : "", pad, "");
}

static void grid(FILE *out, const cf_report *r, const cf_report_grid *g, bool color)
{
    int wid = 4;
    for (size_t i = 0; i < g->nrows; i++) {
        int n = (int)strlen(g->rows[i].rcase->id ? g->rows[i].rcase->id : "");
        if (n > wid) wid = n;
    }
    fprintf(out, "%sCases by target (%zu case%s, %zu where the targets disagree):%s\n",
            color ? BOLD : "", g->nrows, g->nrows == 1 ? "" : "s", g->ndiffers, color ? RESET : "");
    fprintf(out, "  %-*s  %-6s", wid, "case", "level");
    for (size_t t = 0; t < r->ntargets; t++) {
        cf_term_texts tt = {0};
        const char *name = cf_term_text(&tt, r->targets[t].name);
        int tw = (int)strlen(name);
        fprintf(out, "  %s%*s", name, t + 1 == r->ntargets || tw >= 11 ? 0 : 11 - tw, "");
        cf_term_texts_free(&tt);
    }
    fputc('\n', out);
    for (size_t i = 0; i < g->nrows; i++) {
        const cf_grid_row *row = &g->rows[i];
        cf_term_texts tt = {0};
        fprintf(out, "  %-*s  %-6s", wid, cf_term_text(&tt, row->rcase->id),
                cf_report_level_name(row->rcase->level));
        cf_term_texts_free(&tt);
        for (size_t t = 0; t < r->ntargets; t++) {
            int tw = (int)strlen(r->targets[t].name ? r->targets[t].name : "");
            cell(out, color, row->cells[t].verdict, cf_report_grid_cell_text(&row->cells[t]),
                 t + 1 == r->ntargets ? 0
                 : tw < 11            ? 11
                                      : tw);
        }
        fputs(row->differs ? "  <- differs\n" : "\n", out);
    }
}

static void disagreements(FILE *out, const cf_report *r, const cf_report_grid *g, bool color)
{
    fprintf(out, "\n%sWhere the targets disagree:%s%s\n", color ? BOLD : "", color ? RESET : "",
            g->ndiffers ? "" : " nowhere");
    int tw = 1;
    for (size_t t = 0; t < r->ntargets; t++) {
        int n = (int)strlen(r->targets[t].name ? r->targets[t].name : "");
        if (n > tw) tw = n;
    }
    for (size_t i = 0; i < g->nrows; i++) {
        const cf_grid_row *row = &g->rows[i];
        if (!row->differs) continue;
        const cf_report_case *c = row->rcase;
        cf_term_texts tt = {0};
        char ref[96];
        fprintf(out, "  %s  %s (%s): %s\n", cf_term_text(&tt, c->id),
                cf_report_ref(ref, sizeof ref, c->rfc, cf_term_text(&tt, c->section)),
                cf_report_level_name(c->level), cf_term_text(&tt, c->requirement));
        cf_term_texts_free(&tt);
        for (size_t t = 0; t < r->ntargets; t++) {
            const cf_grid_cell *x = &row->cells[t];
            const char *name = cf_term_text(&tt, r->targets[t].name);
            int pad = tw > (int)strlen(name) ? tw - (int)strlen(name) : 0;
            fprintf(out, "    %s%*s", name, pad, "");
            const char *how =
                x->rcase && x->verdict != CF_RV_PASS ? cf_report_grid_how(x->rcase) : NULL;
            cell(out, color, x->verdict, cf_report_grid_cell_text(x), how ? 7 : 0);
            if (how) fprintf(out, "  %s", cf_term_text(&tt, how));
            fputc('\n', out);
            cf_term_texts_free(&tt);
        }
    }
}

int cf_report_grid_term(const cf_report *r, FILE *out, bool color)
{
    if (r->ntargets < 2) return 0;
    cf_report_grid g;
    if (cf_report_grid_build(r, &g) < 0) return -1;
    fputc('\n', out);
    grid(out, r, &g, color);
    disagreements(out, r, &g, color);
    cf_report_grid_free(&g);
    fflush(out);
    return ferror(out) ? -1 : 0;
}
