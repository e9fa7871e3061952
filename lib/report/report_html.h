/* The HTML report: one self-contained page (inline CSS, no scripts, no external assets) that
 * renders a cf_report for a person: a summary bar per target, per RFC section tables, the
 * details of every case that did not pass with hexdumps of the bytes on the wire, the status
 * codes seen, the compliance rules broken, and a case-by-target grid when there are several
 * targets. docs/reports-html.md describes it. */
#ifndef CF_REPORT_HTML_H
#define CF_REPORT_HTML_H

#include <stdio.h>

#include "report_model.h"

/* Writes r to out as one HTML document (UTF-8). Every text from specs and servers is
 * HTML-escaped; bytes from the wire appear only in hexdumps. out is not owned (the caller
 * closes it); it is flushed. Returns 0, or -1 when a write failed. */
int cf_report_html(const cf_report *r, FILE *out);

#endif
