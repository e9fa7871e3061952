/* Internal to the loader: finding the spec files of a set of paths and loading each within the
 * budgets of the whole set (spec_load_paths.c), for cf_spec_load_paths and the case index
 * (spec_index.c). */
#ifndef CF_SPEC_LOAD_PATHS_H
#define CF_SPEC_LOAD_PATHS_H

#include <stddef.h>
#include <stdint.h>

#include "spec_errors.h"
#include "spec_model.h"

/* A list of file paths (malloc'd strings). */
typedef struct cf_spec_paths {
    char **v;
    size_t n;
} cf_spec_paths;

/* Expands paths (files as given, directories walked recursively in byte-wise sorted order,
 * hidden entries skipped, *.yaml and *.yml) into files, appended. -1 after errors (added to
 * errs; files holds what was found). No path at all is an error. */
int cf_spec_paths_collect(const char *const *paths, size_t npaths, cf_spec_paths *files,
                          cf_spec_errors *errs);

/* Frees the list and empties it. */
void cf_spec_paths_free(cf_spec_paths *l);

/* What the files loaded so far hold together (CF_SPEC_MAX_SET_SIZE, CF_SPEC_MAX_SET_REGEX). */
typedef struct cf_spec_budget {
    size_t text, regex;
} cf_spec_budget;

/* Reads and loads one file of a set (cf_spec_load_partial) within the set's budgets, updated;
 * *len and *hash get its size and cf_fnv1a64 (to see later that it is unchanged).
 * Returns the number of errors added (0 = good); *out may be set even with errors. */
size_t cf_spec_load_budgeted(const char *path, cf_spec_file **out, cf_spec_budget *used,
                             size_t *len, uint64_t *hash, cf_spec_errors *errs);

/* Reads and loads one file again, for a file whose text hashed to hash when the set was loaded:
 * 0 with *out, or -1 with why in err (it changed, cannot be read, or memory ran out). */
int cf_spec_reload(const char *path, uint64_t hash, cf_spec_file **out, char *err, size_t errlen);

#endif
