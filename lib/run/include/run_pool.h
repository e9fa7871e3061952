/* conform run: cases on a pool of threads, results handed back in spec order as soon as every
 * earlier case is done (streaming output). */
#ifndef CF_RUN_POOL_H
#define CF_RUN_POOL_H

#include <stddef.h>

#include "run_case.h"
#include "run_results.h"
#include "spec_index.h"

/* Called on the calling thread for case index, in order 0, 1, 2... The pool does not touch r
 * afterwards: the callback may free it (cf_case_result_free), so that a run keeps no more
 * results than the cases in flight and those waiting for an earlier one. */
typedef void (*cf_run_done_fn)(size_t index, cf_case_result *r, void *ud);

/* Called on the calling thread whenever the pool moves: finished cases out of total, and the id
 * of the case the output waits for. */
typedef void (*cf_run_progress_fn)(size_t finished, size_t total, const char *waiting_id, void *ud);

/* Cases a worker may run ahead of the hand-back, per job: results wait in spec order for an
 * earlier case, so a slow case (or a slow done callback) keeps at most this many results per
 * job in memory before the workers pause (back-pressure). */
#define CF_RUN_POOL_WINDOW_PER_JOB 256

/* Runs the cases of ix with up to jobs threads: a worker acquires case i from the index when it
 * takes it and the pool releases it once done returned (or the case was abandoned), so only the
 * files of the cases in flight and waiting are loaded. The pool keeps the results of at most the
 * window's cases in a ring and frees each after done returns: memory flat in the number of
 * cases. done and progress may be NULL. Returns 0; or -1 with why in err when memory ran out
 * before anything ran, or when a case's file could not be loaded again (then no case starts any
 * more, and the cases after it are not handed back). */
int cf_run_pool(cf_spec_index *ix, unsigned jobs, const cf_run_config *cfg, cf_run_done_fn done,
                cf_run_progress_fn progress, void *ud, char *err, size_t errlen);

#endif
