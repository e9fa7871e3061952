/* Serializes a step's messages into the exact bytes conform sends. */
#include "spec_render.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* True when the literal bytes of b equal name case-insensitively (placeholders never match). */
static bool name_is(const cf_tbytes *b, const char *name)
{
    size_t n = strlen(name);
    return b->nvars == 0 && b->nruns == 0 && b->len == n &&
           strncasecmp((const char *)b->data, name, n) == 0;
}

static bool has_framing_header(const cf_request *r)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (name_is(&r->headers[i].name, "Content-Length") ||
            name_is(&r->headers[i].name, "Transfer-Encoding"))
            return true;
    return false;
}

static int render_request(const cf_request *r, const cf_spec_target *t, cf_buf *out)
{
    /* RFC 9112 §3: request-line = method SP request-target SP HTTP-version (then CRLF, §2.1) */
    if (cf_tbytes_render(&r->method, t, out) || cf_buf_add(out, " ", 1) ||
        cf_tbytes_render(&r->target, t, out) || cf_buf_add(out, " ", 1) ||
        cf_tbytes_render(&r->version, t, out) || cf_buf_add(out, "\r\n", 2))
        return -1;
    /* RFC 9112 §5: field-line = field-name ":" OWS field-value OWS; we write one SP. */
    for (size_t i = 0; i < r->nheaders; i++) {
        if (cf_tbytes_render(&r->headers[i].name, t, out) || cf_buf_add(out, ": ", 2) ||
            cf_tbytes_render(&r->headers[i].value, t, out) || cf_buf_add(out, "\r\n", 2))
            return -1;
    }
    /* RFC 9112 §6.2: without Transfer-Encoding, Content-Length gives the body length. */
    cf_buf body = {0};
    if (r->has_body && cf_tbytes_render(&r->body, t, &body)) return -1;
    if (r->has_body && r->content_length == CF_CL_AUTO && !has_framing_header(r)) {
        char cl[48];
        int w = snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", body.len);
        if (w < 0 || cf_buf_add(out, cl, (size_t)w)) goto fail;
    }
    if (cf_buf_add(out, "\r\n", 2) || cf_buf_add(out, cf_buf_bytes(&body), body.len)) goto fail;
    cf_buf_free(&body);
    return 0;
fail:
    cf_buf_free(&body);
    return -1;
}

int cf_spec_render_message(const cf_spec_message *m, const cf_spec_target *t, cf_buf *out)
{
    if (m->kind == CF_SPEC_REQUEST) return m->request ? render_request(m->request, t, out) : -1;
    return cf_tbytes_render(&m->raw, t, out);
}

int cf_spec_render_step(const cf_step *step, const cf_spec_target *t, cf_buf *out)
{
    memset(out, 0, sizeof *out);
    if (cf_buf_add(out, "", 0)) return -1;
    for (size_t i = 0; i < step->nmessages; i++) {
        if (cf_spec_render_message(&step->messages[i], t, out)) {
            cf_buf_free(out);
            return -1;
        }
    }
    return 0;
}
