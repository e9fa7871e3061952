/* conform-bench: times conform's parser against picohttpparser and http-parser on the messages
 * of messages.c, after checking that every parser parses them correctly, and counts the heap
 * allocations made during conform's loops. Exit status: 0 ok, 1 a check failed or conform
 * allocated, 2 usage error. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_count.h"
#include "backend.h"
#include "report.h"
#include "timing.h"

#define MAX_RUNS 1000

typedef struct options {
    size_t runs;
    uint64_t target_ns;
    uint64_t iters; /* fixed messages per run (--iterations), or 0 to calibrate */
    int json;
    const char *message; /* only this message, or NULL */
    const char *parser;  /* only this parser, or NULL */
} options;

static const char usage[] =
    "usage: conform-bench [--runs N] [--min-time MS] [--quick] [--iterations N] [--json]\n"
    "                     [--message NAME] [--parser NAME] [--help]\n"
    "\n"
    "Times conform's strict HTTP/1.1 parser (h1_parser_init + h1_parse_head, and h1_parse_body\n"
    "for a Content-Length body) on four messages, next to picohttpparser and nodejs http-parser\n"
    "when their Debian packages were found at build time. Reports ns per message and MB/s, the\n"
    "median of the runs, and the ratios conform time / other time. Each message is first parsed\n"
    "once by every parser and checked; the heap allocations made during conform's loops are\n"
    "counted and must be 0.\n"
    "\n"
    "  --runs N        timed runs per parser and message, median reported (default 7, max 1000)\n"
    "  --min-time MS   minimum length of one run in milliseconds (default 200)\n"
    "  --quick         runs of 1 ms: a smoke test, not a measurement\n"
    "  --iterations N  exactly N messages per run, no calibration (for instruction counts\n"
    "                  under valgrind --tool=callgrind)\n"
    "  --json          write the results as JSON on stdout\n"
    "  --message NAME  only this message: get-minimal, get-browser, post-40-headers,\n"
    "                  resp-typical\n"
    "  --parser NAME   only this parser: conform, picohttpparser, http-parser (for profiling)\n"
    "  --help          show this help\n"
    "\n"
    "Exit status: 0 ok, 1 a parser check failed or conform allocated, 2 usage error.\n";

/* Parses a decimal count in [lo, hi]; returns -1 when s is not one. */
static int parse_count(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end = NULL;
    if (s == NULL || *s < '0' || *s > '9') return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* Reads argv into o; returns 0, 1 for --help, -1 for a usage error (reported on stderr). */
static int parse_args(int argc, char **argv, options *o)
{
    int quick = 0, have_time = 0;
    *o = (options){7, 200000000u, 0, 0, NULL, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return 1;
        if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--quick") == 0) {
            quick = 1;
        } else if (strcmp(a, "--runs") == 0 || strcmp(a, "--min-time") == 0) {
            int runs = a[2] == 'r';
            if (parse_count(v, 1, runs ? MAX_RUNS : 600000, &n) != 0) {
                fprintf(stderr, "conform-bench: %s needs a count from 1 to %d\n", a,
                        runs ? MAX_RUNS : 600000);
                return -1;
            }
            if (runs) {
                o->runs = n;
            } else {
                o->target_ns = (uint64_t)n * 1000000u;
                have_time = 1;
            }
            i++;
        } else if (strcmp(a, "--iterations") == 0) {
            if (parse_count(v, 1, ULONG_MAX, &n) != 0) {
                fprintf(stderr, "conform-bench: --iterations needs a positive count\n");
                return -1;
            }
            o->iters = n;
            i++;
        } else if ((strcmp(a, "--message") == 0 || strcmp(a, "--parser") == 0) && v != NULL) {
            *(a[2] == 'm' ? &o->message : &o->parser) = v;
            i++;
        } else {
            fprintf(stderr, "conform-bench: bad argument '%s'\n%s", a, usage);
            return -1;
        }
    }
    if (quick && !have_time) o->target_ns = 1000000u;
    return 0;
}

/* Checks every available backend on every message; returns the number of failures. */
static int check_all(const cf_bench_info *info, const cf_bench_msg *msgs, size_t n)
{
    int failures = 0;
    char err[256];
    for (size_t i = 0; i < n; i++) {
        for (int b = 0; b < CF_BENCH_NBACKENDS; b++) {
            const cf_bench_backend *be = info->backends[b];
            if (!be->available) continue;
            if (be->check(&msgs[i], err, sizeof err) != 0) {
                fprintf(stderr, "conform-bench: %s on %s: %s\n", be->name, msgs[i].name, err);
                failures++;
            }
        }
    }
    return failures;
}

/* Sets each selected backend's iterations per run: --iterations, or calibrated to the minimum
 * run time (which also warms the caches). */
static void calibrate_row(cf_bench_info *info, cf_bench_row *row, const options *o, uint64_t *sink)
{
    for (int b = 0; b < CF_BENCH_NBACKENDS; b++) {
        row->cell[b] = (cf_bench_cell){0};
        if (!info->selected[b]) continue;
        if (o->iters) {
            row->cell[b].iters = o->iters;
            continue;
        }
        uint64_t a0 = cf_bench_alloc_calls(), ran = 0;
        row->cell[b].iters =
            cf_bench_calibrate(info->backends[b], row->msg, o->target_ns, sink, &ran);
        if (b == 0) {
            info->allocs += cf_bench_alloc_calls() - a0;
            info->conform_parses += ran;
        }
    }
}

/* Times every selected backend on one message, the runs interleaved across the backends so
 * drift in clock speed or load hits them alike. Allocations in conform's loops are added to
 * info. */
static void measure_row(cf_bench_info *info, cf_bench_row *row, const options *o, uint64_t *sink)
{
    double samples[CF_BENCH_NBACKENDS][MAX_RUNS];
    calibrate_row(info, row, o, sink);
    for (size_t r = 0; r < o->runs; r++) {
        for (int b = 0; b < CF_BENCH_NBACKENDS; b++) {
            if (!info->selected[b]) continue;
            uint64_t a0 = cf_bench_alloc_calls();
            samples[b][r] = cf_bench_run(info->backends[b], row->msg, row->cell[b].iters, sink);
            if (b == 0) {
                info->allocs += cf_bench_alloc_calls() - a0;
                info->conform_parses += row->cell[b].iters;
            }
        }
    }
    for (int b = 0; b < CF_BENCH_NBACKENDS; b++) {
        if (!info->selected[b]) continue;
        cf_bench_cell *c = &row->cell[b];
        c->measured = 1;
        c->median_ns = cf_bench_median(samples[b], o->runs); /* sorts: [0] min, [runs-1] max */
        c->min_ns = samples[b][0];
        c->max_ns = samples[b][o->runs - 1];
    }
}

/* Marks the backends to run; returns -1 when --parser names none of them. */
static int select_backends(cf_bench_info *info, const char *only)
{
    int found = only == NULL;
    for (int b = 0; b < CF_BENCH_NBACKENDS; b++) {
        int named = only != NULL && strcmp(only, info->backends[b]->name) == 0;
        found |= named;
        info->selected[b] = info->backends[b]->available && (only == NULL || named);
    }
    info->allocs_measured = info->selected[0];
    return found ? 0 : -1;
}

int main(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        if (rc > 0) fputs(usage, stdout);
        return rc > 0 ? 0 : 2;
    }
    cf_bench_info info = {.backends = {&cf_bench_conform, &cf_bench_pico, &cf_bench_http_parser}};
    info.runs = o.runs;
    info.target_ns = o.target_ns;
    info.fixed_iters = o.iters;
    if (select_backends(&info, o.parser) != 0) {
        fprintf(stderr, "conform-bench: unknown parser '%s'\n", o.parser);
        return 2;
    }
    size_t n_all, n = 0;
    const cf_bench_msg *msgs = cf_bench_messages(&n_all);
    cf_bench_row rows[8];
    for (size_t i = 0; i < n_all && n < sizeof rows / sizeof rows[0]; i++)
        if (o.message == NULL || strcmp(o.message, msgs[i].name) == 0) rows[n++].msg = &msgs[i];
    if (n == 0) {
        fprintf(stderr, "conform-bench: unknown message '%s'\n", o.message);
        return 2;
    }
    if (cf_bench_alloc_selftest() != 0) {
        fprintf(stderr, "conform-bench: the allocation counter does not see malloc calls "
                        "(not linked with --wrap=malloc?)\n");
        return 1;
    }
    if (check_all(&info, msgs, n_all) != 0) return 1;

    uint64_t sink = 0;
    for (size_t i = 0; i < n; i++)
        measure_row(&info, &rows[i], &o, &sink);
    if (o.json)
        cf_bench_print_json(stdout, &info, rows, n);
    else
        cf_bench_print_table(stdout, &info, rows, n);
    if (sink == 0) fprintf(stderr, "conform-bench: no work was recorded\n");
    if (info.allocs != 0) {
        fprintf(stderr, "conform-bench: conform allocated %llu times in its loops\n",
                (unsigned long long)info.allocs);
        return 1;
    }
    return sink == 0 ? 1 : 0;
}
