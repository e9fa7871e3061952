/* The case-by-target grid (report_grid.h): pure computation from a cf_report. */
#include "report_grid.h"

#include <stdlib.h>
#include <string.h>

static int compare_ids(const void *pa, const void *pb)
{
    const cf_report_case *a = *(const cf_report_case *const *)pa;
    const cf_report_case *b = *(const cf_report_case *const *)pb;
    return strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

/* The case with key's id in a sorted index of n cases, or NULL. */
static const cf_report_case *find(const cf_report_case **by, size_t n, const cf_report_case *key)
{
    if (!n) return NULL;
    const cf_report_case **hit = bsearch(&key, by, n, sizeof *by, compare_ids);
    return hit ? *hit : NULL;
}

static void free_index(const cf_report_case ***by, size_t n)
{
    if (!by) return;
    for (size_t t = 0; t < n; t++)
        free(by[t]);
    free(by);
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
            free_index(by, t);
            return NULL;
        }
        for (size_t i = 0; i < tg->ncases; i++)
            by[t][i] = &tg->cases[i];
        qsort(by[t], tg->ncases, sizeof *by[t], compare_ids);
    }
    return by;
}

/* Fills the cells and flags of the row of case c. Returns 0, or -1 when out of memory. */
static int fill_row(cf_report_grid *g, const cf_report *r, const cf_report_case ***by,
                    const cf_report_case *c, cf_grid_row *row)
{
    row->rcase = c;
    row->cells = calloc(r->ntargets, sizeof *row->cells);
    if (!row->cells) return -1;
    int first = -2; /* the first reachable target's verdict; -3 for a missing case */
    bool differs = false, allpass = true;
    for (size_t t = 0; t < r->ntargets; t++) {
        cf_grid_cell *cell = &row->cells[t];
        cell->verdict = -1;
        if (g->unreachable[t]) {
            cell->kind = CF_GRID_UNREACHABLE;
            continue;
        }
        const cf_report_case *x = find(by[t], r->targets[t].ncases, c);
        int v = -3;
        if (x) {
            cell->kind = CF_GRID_VERDICT;
            cell->rcase = x;
            cell->verdict = (unsigned)x->verdict < CF_RV__COUNT ? (int)x->verdict : -1;
            v = cell->verdict;
        } else {
            cell->kind = CF_GRID_MISSING;
        }
        if (first == -2) first = v;
        differs |= v != first;
        allpass &= v == CF_RV_PASS;
    }
    row->differs = differs;
    row->allpass = allpass && first != -2;
    if (differs) g->ndiffers++;
    return 0;
}

int cf_report_grid_build(const cf_report *r, cf_report_grid *g)
{
    memset(g, 0, sizeof *g);
    if (!r->ntargets) return 0;
    size_t cap = 0;
    for (size_t t = 0; t < r->ntargets; t++)
        cap += r->targets[t].ncases;
    g->ntargets = r->ntargets;
    g->unreachable = calloc(r->ntargets, sizeof *g->unreachable);
    g->rows = calloc(cap ? cap : 1, sizeof *g->rows);
    const cf_report_case ***by = index_targets(r);
    if (!g->unreachable || !g->rows || !by) goto oom;
    for (size_t t = 0; t < r->ntargets; t++)
        if (r->targets[t].ncases == 0) {
            g->unreachable[t] = true;
            g->nunreachable++;
        }
    for (size_t t = 0; t < r->ntargets; t++) {
        const cf_report_target *tg = &r->targets[t];
        for (size_t i = 0; i < tg->ncases; i++) {
            const cf_report_case *c = &tg->cases[i];
            size_t u = 0; /* skip a case an earlier target listed */
            while (u < t && !find(by[u], r->targets[u].ncases, c))
                u++;
            if (u < t) continue;
            if (fill_row(g, r, by, c, &g->rows[g->nrows]) < 0) goto oom;
            g->nrows++;
        }
    }
    free_index(by, r->ntargets);
    return 0;
oom:
    free_index(by, r->ntargets);
    cf_report_grid_free(g);
    return -1;
}

void cf_report_grid_free(cf_report_grid *g)
{
    if (g->rows)
        for (size_t i = 0; i < g->nrows; i++)
            free(g->rows[i].cells);
    free(g->rows);
    free(g->unreachable);
    memset(g, 0, sizeof *g);
}

const char *cf_report_grid_cell_text(const cf_grid_cell *cell)
{
    if (cell->kind == CF_GRID_UNREACHABLE) return "unreachable";
    if (cell->kind == CF_GRID_MISSING) return "not run";
    return cf_report_verdict_name(cell->verdict);
}

const char *cf_report_grid_how(const cf_report_case *c)
{
    if (c->error && *c->error) return c->error;
    for (size_t i = 0; i < c->nsteps; i++) {
        const cf_report_step *s = &c->steps[i];
        if (!s->checked || s->pass) continue;
        if (s->nfailed && s->failed[0]) return s->failed[0];
        if (s->actual) return s->actual;
    }
    return NULL;
}
