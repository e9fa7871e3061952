/* Rendering a spec step for a host and port in tests (the runner makes its cf_spec_target once
 * per target; tests render one step at a time). */
#ifndef CF_TEST_RENDER_H
#define CF_TEST_RENDER_H

#include "spec_render.h"

/* cf_spec_render_step for a target made from host and port with every resource of the built-in
 * target's profile; -1 also when host or port is invalid. */
int cf_test_render(const cf_step *step, const char *host, const char *port, cf_buf *out);

#endif
