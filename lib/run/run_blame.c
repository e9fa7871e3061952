/* conform run --exec: a case during which the server under test crashed fails (run_results.h
 * cf_case_result_blame). */
#include <stdlib.h>
#include <string.h>

#include "run_results.h"
#include "util_buf.h"

/* The step the blame goes on: the failed one, else the last that ran, else a new first step
 * (a case that could not even connect). NULL when memory ran out. */
static cf_step_report *blamed_step(cf_case_result *r)
{
    if (r->failed_step < r->nsteps) return &r->steps[r->failed_step];
    if (r->nsteps) {
        r->failed_step = r->nsteps - 1;
        return &r->steps[r->nsteps - 1];
    }
    r->steps = calloc(1, sizeof *r->steps);
    if (!r->steps) return NULL;
    r->nsteps = 1;
    r->failed_step = 0;
    return &r->steps[0];
}

int cf_case_result_blame(cf_case_result *r, const char *why, const char *excerpt)
{
    cf_step_report *s = blamed_step(r);
    char **failed = s ? realloc(s->failed, (s->nfailed + 1) * sizeof *failed) : NULL;
    if (!failed) return -1;
    s->failed = failed;
    s->failed[s->nfailed] = cf_strfmt("%s", why);
    if (!s->failed[s->nfailed]) return -1;
    s->nfailed++;
    if (!s->checked || s->pass) { /* the step's own expectation held or was not judged */
        free(s->expected);
        free(s->actual);
        s->expected = cf_strfmt("the server under test keeps running without a crash, a "
                                "sanitizer report or an alert in its log (--exec)");
        s->actual = cf_strfmt("%s", why);
    }
    s->checked = true;
    s->pass = false;
    free(s->skip);
    s->skip = NULL;
    cf_buf note = {0};
    if (s->note) cf_buf_fmt(&note, "%s; ", s->note);
    cf_buf_fmt(&note, "server log excerpt:\n%s", excerpt ? excerpt : "(none)");
    free(s->note);
    s->note = cf_buf_take(&note);
    free(r->error);
    free(r->skip);
    r->error = r->skip = NULL;
    r->verdict = CF_VERDICT_FAIL;
    return 0;
}
