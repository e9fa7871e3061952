/* conform run: running one case against the target (docs/spec-format.md "Semantics"): one
 * connection, each step's bytes written as the spec says, responses read until the expectation
 * can be decided or the time limit passes, each expectation judged by the checker. */
#ifndef CF_RUN_CASE_H
#define CF_RUN_CASE_H

#include <signal.h>
#include <stdbool.h>

#include "exchange_collect.h"
#include "run_results.h"
#include "net_target.h"
#include "spec_model.h"

/* Defaults (docs/commands/run.md). */
#define CF_RUN_CONNECT_TIMEOUT_MS 2000u
#define CF_RUN_TIME_LIMIT_MS      2000u
#define CF_RUN_CASE_TIMEOUT_MS    10000u
#define CF_RUN_MAX_BODY           (1u << 20)
#define CF_RUN_MAX_RAW            (64u << 10)
#define CF_RUN_MAX_RESPONSE       (16u << 20)

/* How cases run; shared read-only by every worker. */
typedef struct cf_run_config {
    cf_run_addr addr;            /* where to connect */
    cf_run_target target;        /* host/port for {{placeholders}}, messages, reproduction */
    unsigned connect_timeout_ms; /* giving up on connect */
    unsigned time_limit_ms;      /* a step's wait for responses, unless the spec sets one */
    unsigned case_timeout_ms;    /* a whole case, sending included; past it the case errors */
    cf_collect_caps caps;        /* memory bounds per response and per step */
    bool strict;                 /* a failed SHOULD fails */
    bool http2;                  /* --http2: structured cases over HTTP/2 through libcurl, the
                                    others SKIP (docs/commands/run.md "HTTP/2") */
    bool rules_off;              /* --rules off: judge the compliance rules only on the steps whose
                                    expectation lists `complies:` (the others are paired, not judged) */
    const char *rerun_args;      /* the target options of a case's rerun command, as shell words
                                    ("--target builtin --profile p.yaml"); NULL: --target HOST:PORT */
    /* Optional: called with what each step observed, before it is judged and freed (tests,
     * verbose reporters), with the case's index in the run (cf_run_case). Called from the
     * worker thread running the case. */
    void (*on_step)(size_t index, const cf_case *c, size_t step, const cf_step_result *res,
                    void *ud);
    void *on_step_ud;
    /* Optional (--exec): called on the worker thread around each case. case_begin runs before
     * it; when it returns non-zero the case does not run and is an ERROR with the message it
     * wrote into err. case_end runs once the result is decided and may change it. */
    int (*case_begin)(const cf_case *c, void *ud, char *err, size_t errlen);
    void (*case_end)(const cf_case *c, cf_case_result *r, void *ud);
    void *case_ud;
    /* Optional: set non-zero (by a signal handler) to stop the run. The pool then starts no
     * more case; a running case waiting for the server goes on for at most
     * CF_RUN_STOP_GRACE_MS more, then is abandoned (cf_case_result.interrupted). */
    const volatile sig_atomic_t *stop;
} cf_run_config;

/* How long a running case may still take once the run is stopped. */
#define CF_RUN_STOP_GRACE_MS 1000

/* Fills cfg with the defaults above (address and target left empty). */
void cf_run_config_default(cf_run_config *cfg);

/* Runs case c, the index-th of the run (handed to the on_step hook), and fills *out (zeroed
 * first; free with cf_case_result_free). Problems of the target or the harness become
 * CF_VERDICT_ERROR with out->error set; returns 0, or -1 when memory ran out before anything
 * could be recorded. */
int cf_run_case(const cf_case *c, size_t index, const cf_run_config *cfg, cf_case_result *out);

#endif
