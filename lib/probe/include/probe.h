/* conform profile: probes a server for the resources of the catalogue (spec_resource.h) with a
 * few small sequential requests, and writes what it found as a target profile draft
 * (docs/profiles.md, docs/commands/profile.md) that cf_profile_load reads.
 * Ownership: a cf_probe_result owns its strings; cf_probe_result_free releases them. */
#ifndef CF_PROBE_H
#define CF_PROBE_H

#include <stdio.h>

#include "net_target.h"
#include "spec_resource.h"

/* How the probes talk to the server. */
typedef struct cf_probe_opts {
    unsigned connect_timeout_ms; /* each connection */
    unsigned time_limit_ms;      /* each exchange, from the first byte sent to its last answer */
    FILE *progress;              /* one line per exchange ("GET / → 200"), or NULL */
} cf_probe_opts;

/* What the probes found: path[r] the resource's path (NULL: not found) and evidence[r] one line
 * on what answered there, or on what was tried when nothing did. */
typedef struct cf_probe_result {
    char *path[CF_RES__COUNT];
    char *evidence[CF_RES__COUNT];
    unsigned exchanges; /* requests sent, all probes together */
} cf_probe_result;

/* How a probe run ended. */
typedef enum cf_probe_status {
    CF_PROBE_OK,          /* every probe ran (found or not) */
    CF_PROBE_UNREACHABLE, /* no connection, or GET / got no HTTP answer: nothing to probe */
    CF_PROBE_NOMEM,
} cf_probe_status;

/* Probes the target t (host and port set, e.g. by cf_run_target_parse) for every resource, in
 * catalogue order. *r (zeroed here) receives the findings; on CF_PROBE_UNREACHABLE, err holds
 * one line saying what came back ("cannot connect to 127.0.0.1:1: Connection refused"). */
cf_probe_status cf_probe_run(const cf_run_target *t, const cf_probe_opts *o, cf_probe_result *r,
                             char *err, size_t errlen);

/* Writes r as a commented profile (YAML): a header naming the target, the date and conform's
 * version, then one line per resource with its evidence, a resource not found as a comment
 * saying what was tried. Returns 0, or -1 when writing failed. */
int cf_probe_write(const cf_probe_result *r, const char *target, FILE *out);

/* Frees what r owns and zeroes it. */
void cf_probe_result_free(cf_probe_result *r);

#endif
