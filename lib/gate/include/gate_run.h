/* The CI gate of conform run: --fail-on, --baseline and --update-baseline, from the command
 * line to the exit status (docs/baseline.md). cmd_run.c hands it options, calls prepare before
 * anything is sent and finish with the report model at the end. */
#ifndef CF_GATE_RUN_H
#define CF_GATE_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "gate_baseline.h"
#include "gate_failon.h"
#include "report_model.h"

/* The gate's options and its loaded baseline. Zero-initialised is the default (--fail-on
 * must, --rules gate, no baseline). */
typedef struct cf_gate_run {
    cf_failon fail_on;
    cf_rules_mode rules;       /* --rules: gate (the default) also fails on rule findings */
    const char *baseline_path; /* --baseline FILE, or NULL */
    bool update;               /* --update-baseline */
    bool have_baseline;        /* the file was loaded (false: it does not exist yet) */
    cf_baseline baseline;
} cf_gate_run;

/* Checks the options and loads the baseline, before any case runs. Returns 0, or -1 with a
 * one-line message in err (capacity errlen: usage, or FILE:LINE:COLUMN for a bad baseline; the
 * exit status is 2). */
int cf_gate_run_prepare(cf_gate_run *g, char *err, size_t errlen);

/* Judges the finished run r: without a baseline, exit 1 when a case fails per --fail-on, by its
 * verdict or (--rules gate) a rule finding; with one, prints the regressions and fixed cases and
 * rule findings to out and exits 1 only on regressions; with
 * --update-baseline, rewrites the baseline and exits 0. Returns the exit status; 2 with a
 * one-line message in err when memory ran out or the baseline cannot be written. */
int cf_gate_run_finish(cf_gate_run *g, const cf_report *r, FILE *out, char *err, size_t errlen);

/* Frees the loaded baseline. */
void cf_gate_run_free(cf_gate_run *g);

#endif
