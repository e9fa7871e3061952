/* conform run: the results model. What a run found, per case and per step, in a form every
 * reporter renders (terminal now; JSON, JUnit, TAP... later) without knowing how cases run.
 * Ownership: a cf_case_result owns its strings and steps (cf_case_result_free); the case it
 * points to is owned by the loaded spec set, which must outlive the results. */
#ifndef CF_RUN_RESULTS_H
#define CF_RUN_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec_model.h"

/* The verdict on a case (docs/commands/run.md "Verdicts"); run_verdict.c decides it. */
typedef enum cf_verdict {
    CF_VERDICT_PASS,  /* every step's expectation held */
    CF_VERDICT_FAIL,  /* a MUST did not hold (or a SHOULD, with --strict) */
    CF_VERDICT_WARN,  /* a SHOULD did not hold */
    CF_VERDICT_INFO,  /* a MAY did not hold: informational */
    CF_VERDICT_ERROR, /* the harness or the target broke mid-case: no verdict on the server */
    CF_VERDICT_SKIP,  /* not exercised: the target lacks what the case needs, or its answer never
                         showed the behaviour the case tests, or the spec marks it 'skip'
                         (cf_case_result.skip says which) */
    CF_VERDICT_XFAIL, /* a case marked 'xfail' did not hold (FAIL, WARN or INFO otherwise): known,
                         does not gate */
    CF_VERDICT_XPASS, /* a case marked 'xfail' held: the marker is stale; gates like FAIL */
    CF_VERDICT__COUNT
} cf_verdict;

/* One step of a case as it ran. */
typedef struct cf_step_report {
    bool sent;      /* its bytes were written (all of them unless send_error) */
    bool checked;   /* it had an expectation and it was judged */
    bool pass;      /* with checked: the expectation held */
    char *expected; /* with checked: one line, the expectation */
    char *actual;   /* with checked: one line, what was observed */
    char **failed;  /* with checked and !pass: one line per check that did not hold */
    size_t nfailed;
    char *note; /* NULL, or something worth knowing (write cut short, reading capped) */
    char *skip; /* NULL, or why the step's expectation could not be judged on what was observed
                   (its premise did not hold, a cap stopped reading): the case is SKIP */
    size_t bytes_sent;
    uint64_t bytes_received;
    size_t nresponses; /* final responses observed (complete or not) */
    unsigned elapsed_ms;
} cf_step_report;

/* One case as it ran. */
typedef struct cf_case_result {
    const cf_case *c; /* id, title, RFC, section, level, requirement */
    cf_verdict verdict;
    cf_step_report *steps; /* the steps that ran, in order (a failing step ends the case) */
    size_t nsteps;
    size_t failed_step; /* index of the step whose expectation did not hold, or SIZE_MAX */
    char *error;        /* with CF_VERDICT_ERROR: what broke, one line */
    char *skip;         /* with CF_VERDICT_SKIP: why the case was not exercised, one line */
    char *repro;        /* one shell line replaying the bytes sent (bash /dev/tcp, run_repro.h) */
    char *rerun;        /* the conform command running the case again with --show */
    unsigned elapsed_ms;
    bool interrupted; /* abandoned when the run was stopped (cf_run_config.stop): no verdict */
} cf_case_result;

/* Counts per verdict and the wall time of a run. */
typedef struct cf_run_counts {
    size_t n[CF_VERDICT__COUNT];
    size_t total;
    unsigned elapsed_ms;
} cf_run_counts;

/* Frees what r owns and zeroes it (the case pointer is cleared, not freed). */
void cf_case_result_free(cf_case_result *r);

/* Makes r a FAIL blamed on the server under test (--exec: it crashed, or logged a sanitizer
 * report or an alert, while the case ran): why (one line) is added to the failed checks of the
 * failed step (else the last step, else a new one) and the log excerpt becomes its note, so
 * every report format shows both. Returns 0, or -1 when memory ran out (r stays valid). */
int cf_case_result_blame(cf_case_result *r, const char *why, const char *excerpt);

/* Adds r's verdict to the counts. */
void cf_run_counts_add(cf_run_counts *counts, const cf_case_result *r);

#endif
