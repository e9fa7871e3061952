/* Printing a verdict comparison (gate_compare.h) for conform diff and conform run --baseline:
 * terminal text, Markdown or JSON, grouped by target (docs/baseline.md). */
#ifndef CF_GATE_PRINT_H
#define CF_GATE_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "gate_compare.h"

/* The output formats of conform diff. */
typedef enum { CF_GATE_FMT_TERMINAL, CF_GATE_FMT_MARKDOWN, CF_GATE_FMT_JSON } cf_gate_format;

/* Parses "terminal", "markdown" or "json" into *out; returns 0, or -1. */
int cf_gate_format_parse(const char *s, cf_gate_format *out);

/* Prints the changes of c to out in fmt, grouped by target, with counts at the end (terminal),
 * a heading (Markdown) or a "counts" member (JSON). With baseline set, the wording is
 * --baseline's (fixed cases say "tighten the baseline"). Returns 0, or -1 when writing failed. */
int cf_gate_print(FILE *out, const cf_gate_changes *c, cf_gate_format fmt, bool baseline);

#endif
