/* The cases a run selects, as an index into the spec files rather than the files themselves, so
 * that a run's memory stays flat in the number of cases (issue #10, docs/bench.md "Memory"):
 * every file is loaded and checked once when the index is built (errors, duplicate ids and the
 * selection as cf_spec_load_paths and cf_select_cases give them), then freed unless all the
 * files fit in the budget of files kept loaded; a file is loaded again when a case of it is
 * acquired, and freed when its last acquired case is released and the run has moved to another
 * file.
 *
 * Thread-safe: workers acquire and release cases concurrently. */
#ifndef CF_SPEC_INDEX_H
#define CF_SPEC_INDEX_H

#include <stddef.h>

#include "spec_errors.h"
#include "spec_model.h"
#include "spec_select.h"

typedef struct cf_spec_index cf_spec_index;

/* Bytes of spec YAML up to which conform run keeps every file loaded for the whole run (the
 * bundled suite is ~0.35 MiB): such suites are loaded once; in larger ones every file is loaded
 * again as the run reaches its cases. */
#define CF_SPEC_INDEX_KEEP (1u << 20)

/* Called with each case indexed while its file is loaded for the index (NULL: none), so that a
 * caller needing something of every case (--list's column widths) does not load them again. */
typedef void (*cf_spec_index_visit_fn)(const cf_case *c, void *ud);

/* Loads every path (as cf_spec_load_paths: files, directories walked in sorted order, budgets,
 * ids unique across everything) and indexes the cases sel matches (NULL: every case), in load
 * order, showing each to visit. When the files together hold at most keep bytes of YAML they stay
 * loaded; otherwise each is freed until a case of its is acquired. Returns 0 with *out (free
 * with cf_spec_index_free), or -1 with the errors appended and *out NULL. */
int cf_spec_index_build(const char *const *paths, size_t npaths, const cf_select *sel, size_t keep,
                        cf_spec_index_visit_fn visit, void *ud, cf_spec_index **out,
                        cf_spec_errors *errs);

/* Number of cases indexed. */
size_t cf_spec_index_count(const cf_spec_index *ix);

/* The id of case i (valid for the index's life, loaded or not). */
const char *cf_spec_index_id(const cf_spec_index *ix, size_t i);

/* Case i, loading its file when it is not loaded; valid until cf_spec_index_release(ix, i).
 * NULL with a message in err when the file cannot be loaded again: it changed on disk since the
 * index was built (its text no longer hashes the same), or memory ran out. */
const cf_case *cf_spec_index_acquire(cf_spec_index *ix, size_t i, char *err, size_t errlen);

/* Gives case i back (once per successful acquire); its file may be freed. */
void cf_spec_index_release(cf_spec_index *ix, size_t i);

/* Moves every loaded file into set (in load order) and empties the index's files: for a caller
 * that wants the whole model (cf_spec_load_paths builds with keep SIZE_MAX, then takes). Returns
 * 0, or -1 when memory ran out (set empty). */
int cf_spec_index_take(cf_spec_index *ix, cf_spec_set *set);

/* Frees the index and every file it holds. NULL is fine. */
void cf_spec_index_free(cf_spec_index *ix);

#endif
