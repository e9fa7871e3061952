/* Target profiles: which resources a server under test serves, by role (spec_resource.h), read
 * from a small YAML file (docs/profiles.md) or given by conform for its built-in target. A case
 * whose resources the profile does not give is SKIP, never FAIL.
 * Ownership: a cf_profile owns its strings; cf_profile_free releases them. */
#ifndef CF_SPEC_PROFILE_H
#define CF_SPEC_PROFILE_H

#include "spec_bytes.h"
#include "spec_errors.h"
#include "spec_resource.h"

#define CF_PROFILE_MAX_FILE_SIZE (64u * 1024) /* a profile is a few lines */
#define CF_PROFILE_MAX_PATH      2048u        /* bytes of one resource's path */

/* The resources a target serves: path[r] is an origin-form request-target (RFC 9112 §3.2.1), the
 * status resource's with "{code}" in it; NULL when the target does not have the resource. */
typedef struct cf_profile {
    char *path[CF_RES__COUNT];
    char *file; /* the file it was read from; NULL for the defaults and the built-in target's */
} cf_profile;

/* The profile of a target nothing is known about: page "/" and a missing path that no server
 * has ("/conform-missing-" and 16 random hex digits); nothing else. 0, or -1 (out of memory). */
int cf_profile_defaults(cf_profile *p);

/* The complete profile of conform serve (the built-in target, docs/commands/serve.md).
 * 0, or -1 (out of memory). */
int cf_profile_builtin(cf_profile *p);

/* Reads a profile file into *p (the defaults, then what the file says: a resource set to null
 * is removed). 0, or -1 with errors (FILE:LINE:COLUMN) in errs and *p empty. */
int cf_profile_load(const char *path, cf_profile *p, cf_spec_errors *errs);

/* Loads a profile from text (name for the errors); as cf_profile_load. */
int cf_profile_load_text(const char *name, const char *text, size_t len, cf_profile *p,
                         cf_spec_errors *errs);

/* Points t's resources at p's paths (p must outlive t). */
void cf_profile_apply(const cf_profile *p, cf_spec_target *t);

/* Frees what p owns and zeroes it. */
void cf_profile_free(cf_profile *p);

#endif
