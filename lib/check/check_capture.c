/* Captures: a value a step takes from its first final response for the steps after it
 * (docs/spec-format.md "Captures"). Headers are read as header checks read them, bodies searched
 * with the same bounded regex search. */
#include "check_internal.h"

#include <string.h>

/* Appends a header capture's value; 1 found, 0 not (why says so), -1 memory. */
static int from_header(const cf_capture *c, const cf_obs_response *resp, cf_buf *out, cf_buf *why)
{
    cf_buf v = {0};
    long lines = cf_field_combined(resp, c->header, &v);
    int rc = lines < 0 ? -1 : lines == 0 ? 0 : 1;
    if (rc == 0) cf_buf_fmt(why, "has no %s", c->header);
    if (rc == 1 && v.len > CF_SPEC_MAX_CAPTURED) {
        cf_buf_fmt(why, "has %zu bytes of %s, more than a capture keeps (%u)", v.len, c->header,
                   CF_SPEC_MAX_CAPTURED);
        rc = 0;
    }
    if (rc == 1 && cf_buf_add(out, v.ptr, v.len)) rc = -1;
    cf_buf_free(&v);
    return rc;
}

/* Appends a body capture's value; 1 found, 0 not (why says so), -1 memory. */
static int from_body(const cf_capture *c, const cf_obs_response *resp, cf_buf *out, cf_buf *why)
{
    size_t span[2] = {0, 0};
    int rc = cf_regex_find(c->re, resp->body, resp->body_len, resp->body_truncated, span);
    if (rc < 0) {
        cf_buf_str(why, "body could not be searched: ");
        cf_regex_error(why, rc);
        return 0;
    }
    if (rc == 0) {
        cf_buf_str(why, "body does not match ");
        cf_text_pattern(why, c->pattern);
        return 0;
    }
    if (span[1] > CF_SPEC_MAX_CAPTURED) {
        cf_buf_fmt(why, "body matches with %zu bytes, more than a capture keeps (%u)", span[1],
                   CF_SPEC_MAX_CAPTURED);
        return 0;
    }
    return cf_buf_add(out, resp->body + span[0], span[1]) ? -1 : 1;
}

int cf_check_capture(const cf_capture *c, const cf_step_result *r, cf_buf *out, cf_buf *why)
{
    if (!r->nresponses) {
        cf_buf_str(why, "has no final response");
        return why->err ? -1 : 0;
    }
    int rc = c->from == CF_CAPTURE_HEADER ? from_header(c, &r->responses[0], out, why)
                                          : from_body(c, &r->responses[0], out, why);
    if (out->err || why->err) return -1;
    if (rc == 1 && !out->ptr) cf_buf_str(out, ""); /* an empty value is a value */
    return rc;
}
