/* Rendering a spec step for a host and port in tests (cf_render.h). */
#include "cf_render.h"

#include <string.h>

#include "spec_profile.h"

int cf_test_render(const cf_step *step, const char *host, const char *port, cf_buf *out)
{
    cf_spec_target t;
    cf_profile p;
    memset(out, 0, sizeof *out);
    if (cf_spec_target_init(&t, host, port) < 0 || cf_profile_builtin(&p) < 0) return -1;
    cf_profile_apply(&p, &t);
    int rc = cf_spec_render_step(step, &t, out);
    cf_profile_free(&p);
    return rc;
}
