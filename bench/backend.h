/* One parser under test: a correctness check and a timed loop over one message. */
#ifndef CF_BENCH_BACKEND_H
#define CF_BENCH_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "messages.h"

/* A parser the benchmark can run. When the library was not found at configure time, available
 * is 0 and the function pointers are NULL. */
typedef struct cf_bench_backend {
    const char *name;    /* "conform", "picohttpparser", "http-parser" */
    const char *version; /* library version, or why it is missing */
    int available;
    /* Parses m once and checks the result against m's expectations. Returns 0 when it agrees,
     * else -1 with a reason in err (capacity cap). */
    int (*check)(const cf_bench_msg *m, char *err, size_t cap);
    /* Parses m iters times from a fresh parser state; returns a value derived from every parse
     * (so the work cannot be optimised away). */
    uint64_t (*loop)(const cf_bench_msg *m, uint64_t iters);
} cf_bench_backend;

extern const cf_bench_backend cf_bench_conform;
extern const cf_bench_backend cf_bench_pico;
extern const cf_bench_backend cf_bench_http_parser;

/* Keeps the compiler from assuming anything about the bytes at p across this point. */
#define CF_BENCH_CLOBBER(p) __asm__ __volatile__("" : : "r"(p) : "memory")

#endif
