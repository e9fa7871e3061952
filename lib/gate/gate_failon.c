/* --fail-on: verdicts that fail the run (gate_failon.h). */
#include "gate_failon.h"

#include <strings.h>

#include "report_rules.h"
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

bool cf_failon_case_fails(cf_failon f, const cf_report_case *c, cf_rules_mode rules, bool strict)
{
    if (cf_failon_fails(f, c->verdict)) return true;
    if (!cf_report_rules_gate(rules)) return false;
    for (size_t r = 0; r < c->nresponses; r++)
        for (size_t k = 0; k < c->responses[r].nfindings; k++)
            if (cf_failon_fails(f,
                                cf_report_rule_verdict(c->responses[r].findings[k].level, strict)))
                return true;
    return false;
}

int cf_failon_exit_status(const cf_report *r, cf_failon f, cf_rules_mode rules)
{
    for (size_t t = 0; t < r->ntargets; t++)
        for (size_t i = 0; i < r->targets[t].ncases; i++)
            if (cf_failon_case_fails(f, &r->targets[t].cases[i], rules, r->strict))
                return CF_EXIT_FAIL;
    return CF_EXIT_OK;
}
