/* Running spec cases against the misbehaving test servers (misbehave.h): the shared setup of the
 * tests that prove a bundled case fails when a server breaks its requirement. */
#ifndef CF_MB_CASE_H
#define CF_MB_CASE_H

#include <stddef.h>

#include "misbehave.h"
#include "run_case.h"
#include "spec_load.h"

/* Loads the spec file at path, or text when path is NULL (the caller frees it); fails the test
 * when it does not load. */
cf_spec_file *cf_mb_load(const char *path, const char *text);

/* A run configuration aimed at m (127.0.0.1 and its port), with the default limits and no
 * resources; fails the test when the target cannot be made. */
cf_run_config cf_mb_config(const cf_mb *m);

/* The case named id in f; fails the test when there is none. */
const cf_case *cf_mb_find(const cf_spec_file *f, const char *id);

/* Runs case id of f with cfg and returns its verdict; text (n bytes) gets its skip or error
 * reason, then one line per check that failed. */
cf_verdict cf_mb_run(const cf_spec_file *f, const char *id, const cf_run_config *cfg, char *text,
                     size_t n);

#endif
