/* conform run: verdicts from requirement levels, the exit status from verdicts, and freeing
 * results (run_verdict.h, run_results.h). */
#include "run_verdict.h"

#include <stdlib.h>
#include <string.h>

#include "util_exit.h"

cf_verdict cf_verdict_marked(cf_verdict v, bool xfail)
{
    if (!xfail) return v;
    if (v == CF_VERDICT_PASS) return CF_VERDICT_XPASS;
    if (v == CF_VERDICT_FAIL || v == CF_VERDICT_WARN || v == CF_VERDICT_INFO)
        return CF_VERDICT_XFAIL;
    return v; /* ERROR and SKIP say nothing about the server */
}

cf_verdict cf_verdict_for_failure(cf_level level, bool strict)
{
    switch (level) {
    case CF_LEVEL_MUST: return CF_VERDICT_FAIL;
    case CF_LEVEL_SHOULD: return strict ? CF_VERDICT_FAIL : CF_VERDICT_WARN;
    case CF_LEVEL_MAY: return CF_VERDICT_INFO;
    }
    return CF_VERDICT_FAIL;
}

static const char *const names[CF_VERDICT__COUNT] = {"PASS",  "FAIL", "WARN",  "INFO",
                                                     "ERROR", "SKIP", "XFAIL", "XPASS"};
static const char *const plurals[CF_VERDICT__COUNT] = {"passed", "failed",  "warnings", "info",
                                                       "errors", "skipped", "xfailed",  "xpassed"};

const char *cf_verdict_name(cf_verdict v)
{
    return (unsigned)v < CF_VERDICT__COUNT ? names[v] : "?";
}

const char *cf_verdict_plural(cf_verdict v)
{
    return (unsigned)v < CF_VERDICT__COUNT ? plurals[v] : "?";
}

bool cf_verdict_fails_run(cf_verdict v)
{
    return v == CF_VERDICT_FAIL || v == CF_VERDICT_ERROR || v == CF_VERDICT_XPASS;
}

int cf_run_exit_status(const cf_run_counts *counts)
{
    for (int v = 0; v < CF_VERDICT__COUNT; v++)
        if (counts->n[v] && cf_verdict_fails_run((cf_verdict)v)) return CF_EXIT_FAIL;
    return CF_EXIT_OK;
}

void cf_run_counts_add(cf_run_counts *counts, const cf_case_result *r)
{
    if ((unsigned)r->verdict < CF_VERDICT__COUNT) counts->n[r->verdict]++;
    counts->total++;
}

void cf_case_result_free(cf_case_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nsteps; i++) {
        cf_step_report *s = &r->steps[i];
        free(s->expected);
        free(s->actual);
        for (size_t j = 0; j < s->nfailed; j++)
            free(s->failed[j]);
        free(s->failed);
        free(s->note);
        free(s->skip);
    }
    free(r->steps);
    free(r->error);
    free(r->skip);
    free(r->repro);
    free(r->rerun);
    memset(r, 0, sizeof *r);
}
