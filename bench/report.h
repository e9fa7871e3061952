/* The benchmark's results and their two presentations: a table for people, JSON for tools. */
#ifndef CF_BENCH_REPORT_H
#define CF_BENCH_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "backend.h"

#define CF_BENCH_NBACKENDS 3 /* conform, picohttpparser, http-parser: conform first */

/* One parser on one message. */
typedef struct cf_bench_cell {
    int measured;     /* 0: library missing or not selected */
    double median_ns; /* per message, median of the runs */
    double min_ns, max_ns;
    uint64_t iters; /* messages per run */
} cf_bench_cell;

typedef struct cf_bench_row {
    const cf_bench_msg *msg;
    cf_bench_cell cell[CF_BENCH_NBACKENDS];
} cf_bench_row;

/* Everything a report shows besides the rows. */
typedef struct cf_bench_info {
    const cf_bench_backend *backends[CF_BENCH_NBACKENDS];
    int selected[CF_BENCH_NBACKENDS]; /* chosen with --parser (all by default) */
    size_t runs;
    uint64_t target_ns;      /* minimum length of one run */
    uint64_t fixed_iters;    /* messages per run given with --iterations, or 0 */
    int allocs_measured;     /* conform was run, so the count means something */
    uint64_t allocs;         /* allocation calls during the conform loops */
    uint64_t conform_parses; /* messages parsed by conform while counting */
} cf_bench_info;

/* Writes the results as an aligned table with ratios and the allocation line. */
void cf_bench_print_table(FILE *out, const cf_bench_info *info, const cf_bench_row *rows, size_t n);

/* Writes the results as one JSON object. */
void cf_bench_print_json(FILE *out, const cf_bench_info *info, const cf_bench_row *rows, size_t n);

#endif
