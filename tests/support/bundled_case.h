/* Runs one case of the bundled suite (specs/) against a misbehaving test server, for the tests
 * that show a case can fail (tests/test_suite_misbehave.c, tests/test_run_lax.c). */
#ifndef CF_BUNDLED_CASE_H
#define CF_BUNDLED_CASE_H

#include "misbehave.h"
#include "run_verdict.h"

/* The verdict of case id of the bundled spec file (a path under specs/, "rfc9112/host.yaml")
 * against a server in mode, with the built-in target's resources (every path reaches the test
 * server). Owns nothing it returns; a file or case that does not load fails the test. */
cf_verdict cf_run_bundled(const char *file, const char *id, cf_mb_mode mode);

#endif
