/* Timed runs: CLOCK_MONOTONIC around one call of a backend's loop, so the clock is read twice
 * per run, never per message. */
#include <stdlib.h>
#include <time.h>

#include "timing.h"

uint64_t cf_bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double cf_bench_run(const cf_bench_backend *b, const cf_bench_msg *m, uint64_t iters,
                    uint64_t *sink)
{
    uint64_t t0 = cf_bench_now_ns();
    *sink += b->loop(m, iters);
    uint64_t t1 = cf_bench_now_ns();
    return (double)(t1 - t0) / (double)iters;
}

uint64_t cf_bench_calibrate(const cf_bench_backend *b, const cf_bench_msg *m, uint64_t target_ns,
                            uint64_t *sink, uint64_t *ran)
{
    uint64_t iters = 1;
    for (;;) {
        double per = cf_bench_run(b, m, iters, sink);
        *ran += iters;
        double total = per * (double)iters;
        if (total >= (double)target_ns / 8 || iters >= (UINT64_C(1) << 40)) {
            double want = (double)target_ns / (per > 0.01 ? per : 0.01);
            uint64_t n = (uint64_t)(want * 1.05) + 1; /* 5% over so a run is at least target */
            return n > iters ? n : iters;
        }
        iters *= 2;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cf_bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
