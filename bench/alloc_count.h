/* Counts heap allocation calls made by code linked into the benchmark executable (the parser
 * library included). The executable is linked with -Wl,--wrap=malloc (and calloc, realloc,
 * aligned_alloc, posix_memalign, strdup, strndup), which routes those calls through counters. */
#ifndef CF_BENCH_ALLOC_COUNT_H
#define CF_BENCH_ALLOC_COUNT_H

#include <stdint.h>

/* Allocation calls counted since the program started. */
uint64_t cf_bench_alloc_calls(void);

/* Allocates and frees one block through the wrapped malloc and returns 0 when the counter saw
 * it, -1 when it did not (the wrap is not in effect, so a count of 0 would prove nothing). */
int cf_bench_alloc_selftest(void);

#endif
