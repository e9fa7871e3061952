/* Table and JSON output of the benchmark. MB/s counts 10^6 bytes of the whole message per
 * second; a ratio is conform's time over the other parser's time (below 1: conform is faster). */
#include "report.h"

#define STR2(x) #x
#define STR(x)  STR2(x)
#ifdef __clang__
#define COMPILER                                                                                   \
    "clang " STR(__clang_major__) "." STR(__clang_minor__) "." STR(__clang_patchlevel__)
#else
#define COMPILER "gcc " __VERSION__
#endif

static double mb_per_s(const cf_bench_row *r, double ns)
{
    return ns > 0 ? (double)r->msg->len * 1000.0 / ns : 0;
}

static double spread_pct(const cf_bench_cell *c)
{
    return c->median_ns > 0 ? (c->max_ns - c->min_ns) * 100.0 / c->median_ns : 0;
}

static void print_ns(FILE *out, const cf_bench_cell *c, int width)
{
    if (c->measured)
        fprintf(out, " %*.1f", width, c->median_ns);
    else
        fprintf(out, " %*s", width, "n/a");
}

static void print_ratio(FILE *out, const cf_bench_row *r, int other, int width)
{
    const cf_bench_cell *a = &r->cell[0], *b = &r->cell[other];
    if (a->measured && b->measured && b->median_ns > 0)
        fprintf(out, " %*.2fx", width - 1, a->median_ns / b->median_ns);
    else
        fprintf(out, " %*s", width, "n/a");
}

static void print_header(FILE *out, const cf_bench_info *info)
{
    fprintf(out, "conform parser benchmark: %s build, %s\n", CF_BENCH_BUILD_TYPE, COMPILER);
    if (info->fixed_iters)
        fprintf(out, "median of %zu run(s) per cell, %llu messages per run; ns per message\n",
                info->runs, (unsigned long long)info->fixed_iters);
    else
        fprintf(out, "median of %zu run(s) per cell, each run >= %.0f ms; ns per message\n",
                info->runs, (double)info->target_ns / 1e6);
    for (int i = 0; i < CF_BENCH_NBACKENDS; i++) {
        const cf_bench_backend *b = info->backends[i];
        fprintf(out, "  %-15s %s%s\n", b->name, b->available ? "" : "not available: ", b->version);
    }
    fprintf(out, "\n%-16s %6s %11s %8s %7s %9s %9s %12s %13s\n", "message", "bytes", "conform ns",
            "MB/s", "spread", "pico ns", "h-p ns", "conform/pico", "conform/h-p");
}

void cf_bench_print_table(FILE *out, const cf_bench_info *info, const cf_bench_row *rows, size_t n)
{
    print_header(out, info);
    for (size_t i = 0; i < n; i++) {
        const cf_bench_row *r = &rows[i];
        const cf_bench_cell *c = &r->cell[0];
        fprintf(out, "%-16s %6zu", r->msg->name, r->msg->len);
        print_ns(out, c, 11);
        if (c->measured)
            fprintf(out, " %8.1f %6.1f%%", mb_per_s(r, c->median_ns), spread_pct(c));
        else
            fprintf(out, " %8s %7s", "n/a", "n/a");
        print_ns(out, &r->cell[1], 9);
        print_ns(out, &r->cell[2], 9);
        print_ratio(out, r, 1, 12);
        print_ratio(out, r, 2, 13);
        fputc('\n', out);
    }
    fprintf(out, "\nratio = conform time / other time (below 1: conform is faster); "
                 "spread = (max - min) / median over the runs\n");
    for (int i = 1; i < CF_BENCH_NBACKENDS; i++)
        if (!info->backends[i]->available)
            fprintf(out, "%s: not available\n", info->backends[i]->name);
    if (info->allocs_measured)
        fprintf(out, "allocations in conform loop: %llu (counted over %llu parses)\n",
                (unsigned long long)info->allocs, (unsigned long long)info->conform_parses);
    else
        fprintf(out, "allocations in conform loop: not measured (conform not selected)\n");
}

static void json_cell(FILE *out, const cf_bench_row *r, const cf_bench_cell *c)
{
    if (!c->measured) {
        fprintf(out, "null");
        return;
    }
    fprintf(out,
            "{\"ns_per_msg\": %.2f, \"mb_per_s\": %.2f, \"min_ns\": %.2f, \"max_ns\": %.2f, "
            "\"iterations_per_run\": %llu}",
            c->median_ns, mb_per_s(r, c->median_ns), c->min_ns, c->max_ns,
            (unsigned long long)c->iters);
}

static void json_ratio(FILE *out, const cf_bench_row *r, int other)
{
    const cf_bench_cell *a = &r->cell[0], *b = &r->cell[other];
    if (a->measured && b->measured && b->median_ns > 0)
        fprintf(out, "%.4f", a->median_ns / b->median_ns);
    else
        fprintf(out, "null");
}

static void json_row(FILE *out, const cf_bench_info *info, const cf_bench_row *r)
{
    fprintf(out,
            "    {\"name\": \"%s\", \"bytes\": %zu, \"head_bytes\": %zu, \"body_bytes\": %zu, "
            "\"headers\": %zu,\n",
            r->msg->name, r->msg->len, r->msg->head_len, r->msg->body_len, r->msg->num_headers);
    for (int i = 0; i < CF_BENCH_NBACKENDS; i++) {
        fprintf(out, "     \"%s\": ", info->backends[i]->name);
        json_cell(out, r, &r->cell[i]);
        fprintf(out, ",\n");
    }
    for (int i = 1; i < CF_BENCH_NBACKENDS; i++) {
        fprintf(out, "     \"ratio_conform_%s\": ", info->backends[i]->name);
        json_ratio(out, r, i);
        fprintf(out, i + 1 < CF_BENCH_NBACKENDS ? ",\n" : "}");
    }
}

void cf_bench_print_json(FILE *out, const cf_bench_info *info, const cf_bench_row *rows, size_t n)
{
    fprintf(out, "{\n  \"build_type\": \"%s\",\n  \"compiler\": \"%s\",\n", CF_BENCH_BUILD_TYPE,
            COMPILER);
    fprintf(out, "  \"runs\": %zu,\n  \"min_run_ms\": %.3f,\n  \"fixed_iterations\": %llu,\n",
            info->runs, info->fixed_iters ? 0.0 : (double)info->target_ns / 1e6,
            (unsigned long long)info->fixed_iters);
    fprintf(out, "  \"parsers\": {\n");
    for (int i = 0; i < CF_BENCH_NBACKENDS; i++) {
        const cf_bench_backend *b = info->backends[i];
        fprintf(out, "    \"%s\": {\"available\": %s, \"selected\": %s, \"version\": \"%s\"}%s\n",
                b->name, b->available ? "true" : "false", info->selected[i] ? "true" : "false",
                b->version, i + 1 < CF_BENCH_NBACKENDS ? "," : "");
    }
    fprintf(out, "  },\n  \"messages\": [\n");
    for (size_t i = 0; i < n; i++) {
        json_row(out, info, &rows[i]);
        fprintf(out, i + 1 < n ? ",\n" : "\n");
    }
    fprintf(out, "  ],\n");
    if (info->allocs_measured)
        fprintf(out,
                "  \"allocations_in_conform_loop\": %llu,\n  \"conform_parses_counted\": %llu\n",
                (unsigned long long)info->allocs, (unsigned long long)info->conform_parses);
    else
        fprintf(out, "  \"allocations_in_conform_loop\": null,\n  \"conform_parses_counted\": 0\n");
    fprintf(out, "}\n");
}
