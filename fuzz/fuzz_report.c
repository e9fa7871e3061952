/* libFuzzer target: the JSON report reader (lib/report/include/report_json_read.h), then every
 * report format rendered from what it read (terminal, JSON, JUnit, TAP, Markdown, HTML...) to
 * /dev/null, and the diff of the report against an empty one printed in each diff format; then
 * everything freed. Input: the JSON text itself, no prefix. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gate_compare.h"
#include "gate_print.h"
#include "report_formats.h"
#include "report_json_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CF_FUZZ_REPORT_MAX_INPUT (256u * 1024) /* larger inputs only slow the fuzzer down */

static void fail(const char *what)
{
    fprintf(stderr, "conform fuzz: invariant broken: %s\n", what);
    abort();
}

/* Every diff format, with the report as the new side (its cases come out as added). */
static void print_diffs(const cf_report *r, FILE *sink)
{
    cf_gate_set old = {0}, now = {0};
    cf_gate_changes ch;
    cf_gate_rules rules = {.rules = true};
    if (cf_gate_set_from_report(&now, r) == 0 && cf_gate_set_add_rules(&now, r) == 0 &&
        cf_gate_compare(&old, &now, &rules, &ch) == 0) {
        for (int f = 0; f < 3; f++)
            cf_gate_print(sink, &ch, (cf_gate_format)f, false);
        cf_gate_changes_free(&ch);
    }
    cf_gate_set_free(&old);
    cf_gate_set_free(&now);
}

/* libFuzzer entry point: reads the input as a JSON report, renders it every way, frees it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (size > CF_FUZZ_REPORT_MAX_INPUT) return 0;
    if (!sink) sink = fopen("/dev/null", "w");
    if (!sink) fail("cannot open /dev/null");
    cf_report r;
    char err[512] = "";
    if (cf_report_json_read_text((const char *)data, size, "fuzz.json", &r, err, sizeof err) < 0) {
        if (!err[0]) fail("cf_report_json_read_text failed without a message");
        if (r.ntargets || r.targets) fail("cf_report_json_read_text failed but left a report");
        return 0;
    }
    for (size_t i = 0; i < cf_report_formats_count(); i++)
        cf_report_format_at(i)->fn(&r, sink);
    print_diffs(&r, sink);
    cf_report_free(&r);
    return 0;
}
