/* Timed runs of a backend over one message: calibration, one run, median. */
#ifndef CF_BENCH_TIMING_H
#define CF_BENCH_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"

/* Monotonic clock in nanoseconds. */
uint64_t cf_bench_now_ns(void);

/* Runs b over m iters times; returns the nanoseconds per message and adds the loop's result to
 * *sink. */
double cf_bench_run(const cf_bench_backend *b, const cf_bench_msg *m, uint64_t iters,
                    uint64_t *sink);

/* Finds an iteration count for which one run of b over m lasts at least target_ns (doubling from
 * 1, then scaling); the calibration runs also warm the caches. Adds to *sink, and the messages
 * parsed while calibrating to *ran. */
uint64_t cf_bench_calibrate(const cf_bench_backend *b, const cf_bench_msg *m, uint64_t target_ns,
                            uint64_t *sink, uint64_t *ran);

/* Median of v[0..n) (n > 0); sorts v in place. */
double cf_bench_median(double *v, size_t n);

#endif
