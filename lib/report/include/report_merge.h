/* Merging the JSON reports of a sharded run (conform run --shard I/N on N machines) into the
 * report the unsharded run would have written, but for timings (docs/commands/report.md
 * "Merging shards"). */
#ifndef CF_REPORT_MERGE_H
#define CF_REPORT_MERGE_H

#include <stddef.h>

#include "report_model.h"

/* Merges the n reports parts[0..n) (read from the files named names[i], for messages) into
 * *out, moving their cases (parts are freed and zeroed either way). The parts must be of one
 * run: the same targets in the same order, the same --strict and --rules; a case id may be in
 * one part only per target. The cases of each target are put in spec order: the spec files in
 * the order every part loaded them, and within a file by the case's line. The run is the first
 * part's (conform version, spec paths), started at the earliest start, interrupted when one part
 * was; each target's elapsed time is the longest of its parts' (the shards ran side by side).
 * Returns 0, or -1 with a message in err naming the files. */
int cf_report_merge(cf_report *parts, const char *const *names, size_t n, cf_report *out, char *err,
                    size_t errlen);

/* Reads the JSON reports paths[0..n) (cf_report_json_read_file, its budgets each) into *out,
 * merged with cf_report_merge when there are several. Returns 0, or -1 with a message in err. */
int cf_report_json_read_files(const char *const *paths, size_t n, cf_report *out, char *err,
                              size_t errlen);

#endif
