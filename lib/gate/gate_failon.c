/* --fail-on: verdicts that fail the run (gate_failon.h). */
#include "gate_failon.h"

#include <string.h>
#include <strings.h>

#include "report_rules.h"
#include "util_exit.h"

static const char *const names[] = {"must", "should", "any"};
static const char *const names_skip[] = {"must,skip", "should,skip", "any,skip"};

/* A threshold name of n bytes at s: its index, or -1. */
static int level_of(const char *s, size_t n)
{
    for (int i = 0; i < 3; i++)
        if (strlen(names[i]) == n && !strncasecmp(s, names[i], n)) return i;
    return -1;
}

int cf_failon_parse(const char *s, cf_failon *out)
{
    if (!s) return -1;
    const char *comma = strchr(s, ',');
    size_t n = comma ? (size_t)(comma - s) : strlen(s);
    if (!comma && !strcasecmp(s, "skip")) {
        *out = (cf_failon)(CF_FAILON_MUST | CF_FAILON_SKIP);
        return 0;
    }
    int level = level_of(s, n);
    if (level < 0 || (comma && strcasecmp(comma + 1, "skip"))) return -1;
    *out = (cf_failon)(level | (comma ? CF_FAILON_SKIP : 0));
    return 0;
}

const char *cf_failon_name(cf_failon f)
{
    unsigned level = (unsigned)f & CF_FAILON_LEVELS;
    if (level >= 3) return "?";
    return (f & CF_FAILON_SKIP) ? names_skip[level] : names[level];
}

bool cf_failon_fails(cf_failon f, cf_report_verdict verdict)
{
    switch (verdict) {
    case CF_RV_FAIL:
    case CF_RV_ERROR:
    case CF_RV_XPASS: return true;  /* a stale 'xfail' marker gates like a failure */
    case CF_RV_XFAIL: return false; /* a known failure, marked so in the spec */
    case CF_RV_WARN: return (f & CF_FAILON_LEVELS) >= CF_FAILON_SHOULD;
    case CF_RV_INFO: return (f & CF_FAILON_LEVELS) >= CF_FAILON_ANY;
    case CF_RV_SKIP: return (f & CF_FAILON_SKIP) != 0;
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
