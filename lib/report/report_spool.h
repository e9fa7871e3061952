/* The temporary file the report writers stream into while a run goes (docs/reports.md): the
 * byte range each case's piece took, per target, and the copy of ranges into the final report.
 * Internal to lib/report. */
#ifndef CF_REPORT_SPOOL_H
#define CF_REPORT_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rules.h"

/* Where one piece lies in the temporary file. */
typedef struct cf_spool_range {
    uint64_t offset, len;
} cf_spool_range;

/* The range of every case of every target, in the order they came. Zero it to start empty. */
typedef struct cf_spool_index {
    struct cf_spool_target {
        cf_spool_range *v;
        size_t n, cap;
    } * targets;
    size_t ntargets;
} cf_spool_index;

/* Records the range of the next case of target; returns 0, or -1 when memory ran out. */
int cf_spool_index_add(cf_spool_index *ix, size_t target, cf_spool_range range);

/* The number of cases recorded for target (0 for a target never seen). */
size_t cf_spool_index_count(const cf_spool_index *ix, size_t target);

/* The range of case i of target, or NULL when there is none. */
const cf_spool_range *cf_spool_index_get(const cf_spool_index *ix, size_t target, size_t i);

/* Frees what ix owns and empties it. */
void cf_spool_index_free(cf_spool_index *ix);

/* A temporary file (tmpfile(3)) with the range of each piece written to it, per target: what
 * the formats written through cf_report_stream_ops (github, markdown-failures) spool into. */
typedef struct cf_spool {
    FILE *tmp;
    cf_spool_index ix;
    bool err; /* sticky: a write or memory failed */
} cf_spool;

/* Makes the temporary file of s (zeroed first). Returns 0, or -1. */
int cf_spool_open(cf_spool *s);

/* Appends a piece for target: what write(tmp, ud) writes, its range recorded. Returns 0, or
 * -1 (sticky). */
int cf_spool_piece(cf_spool *s, size_t target, void (*write)(FILE *tmp, const void *ud),
                   const void *ud);

/* Copies the pieces of target, in order, to out. Returns 0, or -1. */
int cf_spool_copy_target(cf_spool *s, size_t target, FILE *out);

/* Closes the temporary file and frees the index. */
void cf_spool_close(cf_spool *s);

/* Two temporary files in tmp[0] and tmp[1], for writers that spool two streams (rows and
 * details, rules and results). Returns 0, or -1 with neither open. */
int cf_spool_open_pair(FILE *tmp[2]);

/* The state every spooled format starts with: the run's --rules and --strict, and its spool. */
typedef struct cf_spool_stream {
    cf_rules_mode rules;
    bool strict;
    cf_spool sp;
} cf_spool_stream;

/* A zeroed state of size bytes whose first member is a cf_spool_stream, filled and its spool
 * open; NULL when memory or the temporary file failed. Free with cf_spool_stream_free. */
void *cf_spool_stream_new(size_t size, cf_rules_mode rules, bool strict);

/* Closes the spool of s (a state from cf_spool_stream_new) and frees it. NULL is fine. */
void cf_spool_stream_free(void *s);

/* Copies the len bytes at offset of src to out; returns 0, or -1 on a seek, read or write
 * error. */
int cf_spool_copy(FILE *src, uint64_t offset, uint64_t len, FILE *out);

#endif
