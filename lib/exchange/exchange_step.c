/* Freeing the exchange record of a step (exchange_step.h). */
#include "exchange_step.h"

#include <stdlib.h>
#include <string.h>

static void fields_free(cf_obs_field *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++) {
        free(f[i].name);
        free(f[i].value);
    }
    free(f);
}

static void responses_free(cf_obs_response *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        free(r[i].reason);
        fields_free(r[i].fields, r[i].nfields);
        fields_free(r[i].trailers, r[i].ntrailers);
        free(r[i].body);
        free(r[i].violations);
    }
    free(r);
}

static void answers_free(cf_obs_answer *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++) {
        for (size_t k = 0; k < a[i].nfindings; k++)
            free(a[i].findings[k].message);
        free(a[i].findings);
    }
    free(a);
}

void cf_step_result_free(cf_step_result *r)
{
    if (!r) return;
    free(r->sent);
    free(r->requests);
    answers_free(r->answers, r->nanswers);
    responses_free(r->responses, r->nresponses);
    responses_free(r->interim, r->ninterim);
    free(r->raw);
    memset(r, 0, sizeof *r);
}
