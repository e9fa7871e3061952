/* Building the report model (report_model.h) from a run: each case's result, the spec case, and
 * what each step observed (through the runner's on_step hook), with the compliance rules
 * (rules.h) checked on every complete response.
 *
 * Use: b = cf_report_builder_new(...); set cfg.on_step = cf_report_builder_on_step and
 * cfg.on_step_ud = b; run; call cf_report_builder_add for every finished case (any order, once
 * each); cf_report_builder_finish moves the cases into a report target; free the builder. */
#ifndef CF_REPORT_BUILD_H
#define CF_REPORT_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "report_model.h"
#include "run_results.h"
#include "spec_model.h"
#include "exchange_step.h"

typedef struct cf_report_builder cf_report_builder;

/* Responses recorded per case (docs/limits.md); past it, only one breaking a rule no recorded
 * response breaks. The rest are counted in cf_report_case.responses_omitted. */
#define CF_REPORT_MAX_RESPONSES 256

/* A builder for the n cases of a run (case i is the i-th case run: the index of cf_run_case and
 * of the on_step hook), keeping at most max_bytes of bytes sent and received per step and per
 * response (the bytes come rendered in each step's exchange record). Returns NULL when memory
 * ran out. */
cf_report_builder *cf_report_builder_new(size_t n, size_t max_bytes);

/* The runner's on_step hook (cf_run_config.on_step, ud = the builder): records the responses of
 * one step and the rule findings on them. Safe from several worker threads at once as long as
 * each case runs on one thread at a time. */
void cf_report_builder_on_step(size_t index, const cf_case *c, size_t step,
                               const cf_step_result *res, void *ud);

/* Turns the result of case index (finished; r->c is the case, still loaded) into its report
 * case. Returns 0, or -1 when memory ran out (the case then holds what could be recorded). */
int cf_report_builder_add(cf_report_builder *b, size_t index, const cf_case_result *r);

/* The report case of index once added (valid until finish or free), else NULL. */
const cf_report_case *cf_report_builder_case(const cf_report_builder *b, size_t index);

/* Makes the report case of index compact (cf_report_case_compact; for_grid: keep what the
 * case-by-target grid reads) once every streaming writer has had it and no writer needs it
 * whole at the end. */
void cf_report_builder_compact(cf_report_builder *b, size_t index, bool for_grid);

/* Moves the cases added so far into *t (zeroed first), named name, with verdict counts and
 * elapsed_ms. Returns 0, or -1 when memory ran out. */
int cf_report_builder_finish(cf_report_builder *b, cf_report_target *t, const char *name,
                             unsigned elapsed_ms);

/* Frees the builder and whatever it still holds. NULL is fine. */
void cf_report_builder_free(cf_report_builder *b);

/* The category of a case in the summaries: its spec file's name without directory and
 * extension (one file per RFC area: "message-body", "chunked"), else its first tag, else
 * "uncategorized". Returns a malloc'd string, or NULL when memory ran out. */
char *cf_report_category(const cf_case *c);

/* Fills the run-wide fields of r: schema version, conform version, started_at (RFC 3339 UTC
 * of the time given), spec paths, strict. Returns 0, or -1 when memory ran out. */
int cf_report_init(cf_report *r, long long started_unix, const char *const *paths, size_t npaths,
                   bool strict);

#endif
