/* Rendering a step into the exact bytes to send: structured requests serialized, pipelined
 * messages concatenated, {{host}}/{{port}}/{{authority}}/{{resource.NAME}} replaced
 * (docs/spec-format.md). */
#ifndef CF_SPEC_RENDER_H
#define CF_SPEC_RENDER_H

#include "spec_bytes.h"
#include "spec_model.h"

/* Appends the bytes of one message to out, with placeholders replaced from t. A request is
 * method SP target SP version CRLF, each header name ": " value CRLF in order, then (in
 * CF_CL_AUTO mode, when it has a body and no Content-Length/Transfer-Encoding header)
 * "Content-Length: N" CRLF, then CRLF and the body (RFC 9112 §2.1, §3, §6.2). 0 or -1 (memory). */
int cf_spec_render_message(const cf_spec_message *m, const cf_spec_target *t, cf_buf *out);

/* Renders a whole step (all its messages, in order, as one byte string) for the target t (made
 * once per target by cf_spec_target_init). On success *out holds the bytes (caller frees with
 * cf_buf_free; out->data is never NULL) and 0 is returned; -1 when memory runs out or the step
 * names a resource t does not give. */
int cf_spec_render_step(const cf_step *step, const cf_spec_target *t, cf_buf *out);

#endif
