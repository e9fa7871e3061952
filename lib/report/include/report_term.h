/* The terminal report format: one line per case with its verdict (for a case that did not pass,
 * the requirement, its RFC reference and level, expected versus actual, and the reproduction
 * line), a progress line on a terminal, the summary line, and the end-of-run summaries
 * (report_summary.h) as aligned text, in colour when asked. Cases print from the report model,
 * so `conform run` and `conform report` print them alike. */
#ifndef CF_REPORT_TERM_H
#define CF_REPORT_TERM_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "report_model.h"
#include "rules.h"
#include "run_results.h"
#include "spec_index.h"

/* Writes the whole report to out; colour only when out is a terminal and NO_COLOR is unset.
 * Returns 0, or -1 when writing failed. The registry's "terminal" format. */
int cf_report_term(const cf_report *r, FILE *out);

/* The same with colour and quiet (cases that passed left out) decided by the caller. */
int cf_report_term_write(const cf_report *r, FILE *out, bool color, bool quiet);

/* Writes the summaries of one target (sections, status codes, rules broken; with rules off and
 * no finding, that they were not judged) to out. Returns 0, or -1 when memory ran out or writing
 * failed. */
int cf_report_term_summaries(const cf_report_target *t, FILE *out, bool color, cf_rules_mode rules);

/* When r was interrupted, the line saying so and what it holds ("interrupted: ... the 12
 * cases that finished"); nothing otherwise. */
void cf_report_term_interrupted(const cf_report *r, FILE *out);

/* With r->versions, the version differential: every step where the same request got a
 * different status or representation metadata over HTTP/1.1 and HTTP/2, and their count. */
void cf_report_term_vdiff(const cf_report *r, FILE *out);

/* True when colour suits out: a terminal, and NO_COLOR unset or empty (no-color.org). */
bool cf_report_color_auto(FILE *out);
/* Where and how to print. */
typedef struct cf_term {
    FILE *out;           /* case lines and summary */
    FILE *err;           /* progress line */
    bool color;          /* ANSI colours on verdicts */
    bool progress;       /* show "[ 37/120] running ID" on err */
    bool quiet;          /* print only cases that did not pass */
    bool progress_shown; /* a progress line is on screen (to clear) */
    cf_rules_mode rules; /* --rules: gate (the default) marks rule findings FAIL/WARN/INFO,
                            report lists them, off leaves them out */
    bool strict;         /* --strict: a SHOULD rule finding is a FAIL */
    bool show;           /* --show: both sides of every step, as text and hexdump */
    /* --progress when err is no terminal (a CI log): one line every log_every_ms instead */
    bool progress_log;
    uint64_t log_every_ms;
    uint64_t log_start_ms, log_last_ms; /* cf_now_ms() of the start and of the last line */
    const char *log_target;             /* named in the lines with several targets, else NULL */
    size_t log_failed, log_errors;      /* FAIL and ERROR so far (the caller counts) */
} cf_term;

/* Prints both sides of every step of c as text and as a hexdump (--show), escaped. */
void cf_term_show(cf_term *t, const cf_report_case *c);

/* Prints the head (status line and fields) of each response read during step `step` of c,
 * escaped, indented under an "actual:" line. */
void cf_term_response_heads(cf_term *t, const cf_report_case *c, size_t step);

/* Prints one case (clearing the progress line first), then one line per compliance rule its
 * responses broke (report_rules.h), unless t->rules is off. With quiet, a case that passed is
 * printed only for such lines. */
void cf_term_case(cf_term *t, const cf_report_case *c);

/* Shows "[ finished/total] running ID" in place (no-op unless t->progress). */
void cf_term_progress(cf_term *t, size_t finished, size_t total, const char *id);

/* With t->progress_log, once log_every_ms have passed since the last such line (since
 * log_start_ms for the first), writes one line "conform run: [TARGET: ]D/T cases done, N
 * failed, E errors, S s elapsed, about R s left" (R from the pace so far) to err; for a log,
 * called as each case is done. */
void cf_term_progress_log(cf_term *t, size_t done, size_t total);

/* Clears the progress line if one is shown. */
void cf_term_progress_clear(cf_term *t);

/* "120 cases: 110 passed, 3 failed, 5 warnings, 2 info, 0 errors (1.23 s)". */
void cf_term_summary(cf_term *t, const cf_run_counts *counts);

/* The column widths of --list, grown by cf_term_list_measure over every case listed. */
typedef struct cf_term_list_widths {
    int id, ref;
} cf_term_list_widths;

/* Widens w (a cf_term_list_widths; a cf_spec_index_visit_fn) to fit case c. */
void cf_term_list_measure(const cf_case *c, void *w);

/* --list: one line per case of ix: id, level, RFC section, title (columns as wide as w).
 * Returns 0, or -1 with why in err when a case's file could not be loaded again
 * (cf_spec_index_acquire). */
int cf_term_list(FILE *out, cf_spec_index *ix, const cf_term_list_widths *w, char *err,
                 size_t errlen);

#endif
