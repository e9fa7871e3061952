/* libFuzzer target: the baseline reader (lib/gate/include/gate_baseline.h), YAML or JSON as the
 * first byte says, then the baseline compared with itself (no change may come out) and
 * everything freed. Input: the baseline text itself, no prefix. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gate_baseline.h"
#include "gate_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CF_FUZZ_BASELINE_MAX_INPUT (256u * 1024) /* larger inputs only slow the fuzzer down */

static void fail(const char *what)
{
    fprintf(stderr, "conform fuzz: invariant broken: %s\n", what);
    abort();
}

/* libFuzzer entry point: loads the input as a baseline, compares it with itself, frees it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > CF_FUZZ_BASELINE_MAX_INPUT) return 0;
    cf_baseline b;
    char err[512] = "";
    if (cf_baseline_load_text((const char *)data, size, "fuzz.baseline", &b, err, sizeof err) < 0) {
        if (!err[0]) fail("cf_baseline_load_text failed without a message");
        return 0;
    }
    cf_gate_changes ch;
    cf_gate_rules rules = {.baseline = true, .rules = true};
    if (cf_gate_compare(&b.set, &b.set, &rules, &ch) == 0) {
        if (ch.count[CF_CHANGE_REGRESSION] || ch.count[CF_CHANGE_FIXED])
            fail("a baseline compared with itself has a regression or a fix");
        cf_gate_changes_free(&ch);
    }
    cf_baseline_free(&b);
    return 0;
}
