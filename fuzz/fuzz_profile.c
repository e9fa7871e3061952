/* libFuzzer target: the target profile reader (cf_profile_load_text,
 * lib/spec/include/spec_profile.h), then the profile applied to a render target and everything
 * freed. Input: the YAML text itself, no prefix. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "spec_errors.h"
#include "spec_profile.h"
#include "spec_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "conform fuzz: invariant broken: %s\n", what);
    abort();
}

/* libFuzzer entry point: loads the input as a profile, applies it, frees it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (size > CF_PROFILE_MAX_FILE_SIZE) return 0; /* cf_profile_load refuses these */
    if (!sink) sink = fopen("/dev/null", "w");
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cf_profile p;
    if (cf_profile_load_text("fuzz.yaml", (const char *)data, size, &p, &errs) == 0) {
        if (errs.count) fail("cf_profile_load_text succeeded with errors");
        cf_spec_target t;
        if (cf_spec_target_init(&t, "127.0.0.1", "8080") == 0) cf_profile_apply(&p, &t);
        cf_profile_free(&p);
    } else if (errs.count == 0) {
        fail("cf_profile_load_text failed without an error");
    }
    if (sink) cf_spec_errors_print(&errs, sink);
    cf_spec_errors_free(&errs);
    return 0;
}
