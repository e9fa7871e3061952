/* libFuzzer target: the spec loader (YAML text -> spec model, lib/spec/include/spec_load.h), then
 * every step rendered into the bytes it would send (lib/spec/include/spec_render.h), then
 * everything freed (LeakSanitizer checks nothing is left). Input: the YAML text itself, no prefix.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "spec_errors.h"
#include "spec_load.h"
#include "spec_model.h"
#include "spec_profile.h"
#include "spec_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CF_FUZZ_SPEC_MAX_INPUT (256u * 1024) /* larger inputs only slow the fuzzer down */

static void fail(const char *what)
{
    fprintf(stderr, "conform fuzz: invariant broken: %s\n", what);
    abort();
}

/* A loaded file must be what spec-format.md promises: ids set, at least one step per case. */
static void check_and_render(const cf_spec_file *f)
{
    if (!f) fail("cf_spec_load_text returned 0 without a file");
    static cf_spec_target t;
    static cf_profile p;
    if (!t.host[0]) { /* every resource given, as the built-in target does */
        if (cf_spec_target_init(&t, "127.0.0.1", "8080") < 0 || cf_profile_builtin(&p) < 0)
            fail("cannot make the render target");
        cf_profile_apply(&p, &t);
    }
    for (size_t i = 0; i < f->ncases; i++) {
        const cf_case *c = &f->cases[i];
        if (!c->id || !c->id[0]) fail("a loaded case has no id");
        if (c->nsteps == 0) fail("a loaded case has no step");
        for (size_t s = 0; s < c->nsteps; s++) {
            cf_buf out = {0};
            int rc = cf_spec_render_step(&c->steps[s], &t, &out);
            if (rc == 0 && !cf_buf_bytes(&out))
                fail("cf_spec_render_step succeeded with no buffer");
            if (rc < 0 && out.len) fail("cf_spec_render_step failed but left bytes");
            cf_buf_free(&out);
        }
    }
}

/* libFuzzer entry point: loads the input as a spec file, renders it, frees it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (size > CF_FUZZ_SPEC_MAX_INPUT) return 0;
    if (!sink) sink = fopen("/dev/null", "w");
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cf_spec_file *f = NULL;
    if (cf_spec_load_text("fuzz.yaml", (const char *)data, size, &f, &errs) == 0) {
        check_and_render(f);
        cf_spec_file_free(f);
    } else {
        if (f) fail("cf_spec_load_text failed but returned a file");
        if (errs.count == 0) fail("cf_spec_load_text failed without an error");
    }
    if (sink) cf_spec_errors_print(&errs, sink);
    cf_spec_errors_free(&errs);
    return 0;
}
