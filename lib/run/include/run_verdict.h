/* conform run: the one place where requirement levels become verdicts and verdicts become the
 * exit status (docs/commands/run.md "Verdicts and exit status"). Reporters reuse it. */
#ifndef CF_RUN_VERDICT_H
#define CF_RUN_VERDICT_H

#include <stdbool.h>

#include "run_results.h"
#include "spec_model.h"

/* The verdict on a case whose expectation did not hold: MUST fails, SHOULD warns (fails when
 * strict), MAY is informational (RFC 2119 levels; DESIGN.md "Verdicts"). */
cf_verdict cf_verdict_for_failure(cf_level level, bool strict);

/* The verdict of a case marked 'xfail' (xfail true) from the one it would get unmarked: PASS
 * becomes XPASS, FAIL/WARN/INFO become XFAIL, ERROR and SKIP stay (docs/spec-format.md
 * "Markers"). Unmarked: v. */
cf_verdict cf_verdict_marked(cf_verdict v, bool xfail);

/* "PASS", "FAIL", "WARN", "INFO", "ERROR", "SKIP", "XFAIL", "XPASS". */
const char *cf_verdict_name(cf_verdict v);

/* Lower-case word for summaries: "passed", "failed", "warnings", "info", "errors",
 * "skipped", "xfailed", "xpassed". */
const char *cf_verdict_plural(cf_verdict v);

/* True when the verdict makes the run fail: FAIL, ERROR and XPASS. */
bool cf_verdict_fails_run(cf_verdict v);

/* The run's exit status from its counts: 0 when no case failed or errored, else 1. */
int cf_run_exit_status(const cf_run_counts *counts);

#endif
