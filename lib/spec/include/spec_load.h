/* Loading spec files (docs/spec-format.md): YAML text -> cf_spec_file, with every error of a
 * file collected (up to a cap) with its file:line:column. Nothing is sent by the loader. */
#ifndef CF_SPEC_LOAD_H
#define CF_SPEC_LOAD_H

#include <stddef.h>

#include "spec_errors.h"
#include "spec_model.h"

#define CF_SPEC_MAX_FILE_SIZE (8u * 1024 * 1024)   /* bytes of YAML in one spec file */
#define CF_SPEC_MAX_SET_SIZE  (256u * 1024 * 1024) /* bytes of YAML of every file loaded */
#define CF_SPEC_MAX_SET_REGEX (256u * 1024 * 1024) /* compiled regexes of every file loaded */

/* Loads one spec from text[0..len); name is the path used in errors and cf_spec_file.path.
 * Returns 0 and *out (caller frees with cf_spec_file_free), or -1 with errors appended to errs
 * and *out NULL. Case ids must be unique within the text. */
int cf_spec_load_text(const char *name, const char *text, size_t len, cf_spec_file **out,
                      cf_spec_errors *errs);

/* Reads and loads one spec file; as cf_spec_load_text. */
int cf_spec_load_file(const char *path, cf_spec_file **out, cf_spec_errors *errs);

/* Loads every path: a file is loaded whatever its name; a directory is walked recursively
 * (hidden entries skipped) for *.yaml and *.yml files, in byte-wise sorted order. Case ids must
 * be unique across everything loaded. Returns 0 with set filled (caller frees with
 * cf_spec_set_free), or -1 with errors appended and set empty. Finding no file is an error. */
int cf_spec_load_paths(const char *const *paths, size_t npaths, cf_spec_set *set,
                       cf_spec_errors *errs);

/* Internal to the loader: loads text into a file model even when it has errors (for duplicate
 * detection across files); returns the number of errors added (0 = good). *out may be NULL
 * after a YAML syntax error. */
size_t cf_spec_load_partial(const char *name, const char *text, size_t len, cf_spec_file **out,
                            cf_spec_errors *errs);

/* Internal to the loader: reports every case id that appears twice among files (at the later
 * place, naming the first); returns the number of errors added. */
size_t cf_spec_check_duplicates(cf_spec_file *const *files, size_t nfiles, cf_spec_errors *errs);

#endif
