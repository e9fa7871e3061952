/* The case-by-target grid of a report with several targets (docs/reports.md "Comparing
 * servers"): one row per case id, in the order the targets first list them, one cell per target
 * with its verdict, and which rows the targets disagree on. Pure: computed from a cf_report,
 * rendered by the terminal, Markdown (and HTML) formats.
 *
 * A target with no cases at all is unreachable (conform run could not connect to it); its cells
 * say so and it takes no part in agreeing or disagreeing. A reachable target without a case
 * that others ran has a missing cell, which counts as a disagreement. */
#ifndef CF_REPORT_GRID_H
#define CF_REPORT_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report_model.h"

/* What one cell holds. */
typedef enum cf_grid_kind {
    CF_GRID_VERDICT,     /* the target ran the case: see verdict */
    CF_GRID_MISSING,     /* the target ran other cases, not this one */
    CF_GRID_UNREACHABLE, /* the target ran no case at all */
} cf_grid_kind;

/* One target's result for one case. */
typedef struct cf_grid_cell {
    cf_grid_kind kind;
    int verdict; /* CF_RV_* with CF_GRID_VERDICT (-1 for an unknown name), else -1 */
    const cf_report_case *rcase; /* the target's case with CF_GRID_VERDICT, else NULL */
} cf_grid_cell;

/* One case id across the targets. */
typedef struct cf_grid_row {
    const cf_report_case *rcase; /* as the first target listing it has it (id, level, RFC...) */
    cf_grid_cell *cells;         /* ntargets cells, in target order */
    bool differs;                /* the reachable targets do not all have the same verdict */
    bool allpass;                /* every reachable target ran it and passed */
} cf_grid_row;

/* The whole grid. Borrows the report's cases: the report must outlive it. */
typedef struct cf_report_grid {
    size_t ntargets;
    bool *unreachable; /* per target */
    size_t nunreachable;
    cf_grid_row *rows;
    size_t nrows;
    size_t ndiffers; /* rows with differs set */
} cf_report_grid;

/* Computes the grid of r into *g (zeroed first). Returns 0, or -1 when memory ran out (*g is
 * then empty). */
int cf_report_grid_build(const cf_report *r, cf_report_grid *g);

/* Frees what g owns and zeroes it. */
void cf_report_grid_free(cf_report_grid *g);

/* The text of a cell: "PASS"... for a verdict, "not run" for a missing case, "unreachable". */
const char *cf_report_grid_cell_text(const cf_grid_cell *cell);

/* How case c did not pass, in one line: its error, else the first failed check of its first
 * failed step, else that step's actual outcome; NULL when nothing is recorded. Borrowed. */
const char *cf_report_grid_how(const cf_report_case *c);

/* Writes the terminal grid and disagreements of r (nothing when r has fewer than two
 * targets). Returns 0, or -1 when memory ran out or writing failed. */
int cf_report_grid_term(const cf_report *r, FILE *out, bool color);

#endif
