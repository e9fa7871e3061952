/* conform profile: the profile draft as YAML (docs/profiles.md): cf_profile_load reads it back,
 * and each line says what the probes saw, for the server's author to review. */
#include "probe.h"

#include <time.h>

#include "util_http_date.h"
#include "util_version.h"

/* Column where the evidence comments start, so that the paths line up. */
#define EVIDENCE_COLUMN 40

/* page and missing have defaults (docs/profiles.md) that a profile without them would use:
 * "not found" must say null, or the cases would run on a path known not to play the role. */
static bool has_default(cf_resource r)
{
    return r == CF_RES_PAGE || r == CF_RES_MISSING;
}

static void write_resource(const cf_probe_result *r, cf_resource res, FILE *out)
{
    const char *name = cf_resource_name(res), *ev = r->evidence[res] ? r->evidence[res] : "";
    if (r->path[res]) {
        int n = fprintf(out, "  %s: %s", name, r->path[res]);
        fprintf(out, "%*s# %s\n", n < EVIDENCE_COLUMN ? EVIDENCE_COLUMN - n : 1, "", ev);
        return;
    }
    fprintf(out, "  # %s: %s\n", name, ev);
    if (has_default(res)) {
        int n = fprintf(out, "  %s: null", name);
        fprintf(out, "%*s# else conform would use its default\n",
                n < EVIDENCE_COLUMN ? EVIDENCE_COLUMN - n : 1, "");
    }
}

int cf_probe_write(const cf_probe_result *r, const char *target, FILE *out)
{
    char date[40];
    cf_http_date_format(time(NULL), date);
    fprintf(out,
            "# Target profile of %s (docs/profiles.md), written by conform profile\n"
            "# (conform %s) on %s from %u requests.\n"
            "# Review before use: each line says what the probe saw; a resource the server has\n"
            "# where the probe did not look is missing here: add its path by hand.\n"
            "# Use: conform run --target %s --profile THIS_FILE\n"
            "profile: 1\n"
            "resources:\n",
            target, cf_version(), date, r->exchanges, target);
    for (int i = 0; i < CF_RES__COUNT; i++)
        write_resource(r, (cf_resource)i, out);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
