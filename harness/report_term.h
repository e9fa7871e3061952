/* The terminal report format: the case lines `conform run` prints (run_report_term.h), the
 * summary line, and the end-of-run summaries (report_summary.h) as aligned text, in colour when
 * asked. */
#ifndef CF_REPORT_TERM_H
#define CF_REPORT_TERM_H

#include <stdbool.h>
#include <stdio.h>

#include "report_model.h"

/* Writes the whole report to out; colour only when out is a terminal and NO_COLOR is unset.
 * Returns 0, or -1 when writing failed. The registry's "terminal" format. */
int cf_report_term(const cf_report *r, FILE *out);

/* The same with colour and quiet (cases that passed left out) decided by the caller. */
int cf_report_term_write(const cf_report *r, FILE *out, bool color, bool quiet);

/* Writes the summaries of one target (sections, status codes, rules broken) to out. Returns 0,
 * or -1 when memory ran out or writing failed. */
int cf_report_term_summaries(const cf_report_target *t, FILE *out, bool color);

/* True when colour suits out: a terminal, and NO_COLOR unset or empty (no-color.org). */
bool cf_report_color_auto(FILE *out);

#endif
