/* --fail-on: verdicts that fail the run (gate_failon.h). */
#include "gate_failon.h"

#include <strings.h>

#include "util_exit.h"

static const char *const names[] = {"must", "should", "any"};

int cf_failon_parse(const char *s, cf_failon *out)
{
    for (int i = 0; i < 3; i++)
        if (s && !strcasecmp(s, names[i])) {
            *out = (cf_failon)i;
            return 0;
        }
    return -1;
}

const char *cf_failon_name(cf_failon f)
{
    return (unsigned)f < 3 ? names[f] : "?";
}

bool cf_failon_fails(cf_failon f, cf_report_verdict verdict)
{
    switch (verdict) {
    case CF_RV_FAIL:
    case CF_RV_ERROR: return true;
    case CF_RV_WARN: return f >= CF_FAILON_SHOULD;
    case CF_RV_INFO: return f >= CF_FAILON_ANY;
    default: return false;
    }
}

int cf_failon_exit_status(const cf_report *r, cf_failon f)
{
    for (size_t t = 0; t < r->ntargets; t++)
        for (size_t i = 0; i < r->targets[t].ncases; i++)
            if (cf_failon_fails(f, r->targets[t].cases[i].verdict)) return CF_EXIT_FAIL;
    return CF_EXIT_OK;
}
