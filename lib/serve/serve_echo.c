/* conform serve: /echo, a JSON report of how the server received and framed a request. */
#include <string.h>

#include "util_json.h"
#include "serve_internal.h"

/* [[name, value], ...] for a field section. */
static void fields(cf_json *j, const char *key, const h1_header *h, size_t n)
{
    cf_json_key(j, key);
    cf_json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        cf_json_begin_array(j);
        cf_json_string_n(j, h[i].name.ptr, h[i].name.len);
        cf_json_string_n(j, h[i].value.ptr, h[i].value.len);
        cf_json_end_array(j);
    }
    cf_json_end_array(j);
}

void cf_serve_echo(const cf_sreq *rq, cf_sresp *r)
{
    const h1_message *m = rq->msg;
    cf_json j;
    char version[24];
    snprintf(version, sizeof version, "HTTP/%d.%d", m->version / 10, m->version % 10);
    cf_json_init_buffer(&j);
    cf_json_begin_object(&j);
    cf_json_key(&j, "method");
    cf_json_string_n(&j, m->method.ptr, m->method.len);
    cf_json_key(&j, "target");
    cf_json_string_n(&j, m->target.ptr, m->target.len);
    cf_json_key(&j, "version");
    cf_json_string(&j, version);
    cf_json_key(&j, "framing");
    cf_json_string(&j, h1_framing_name(m->framing));
    cf_json_key(&j, "content_length");
    if (m->framing == H1_FRAMING_LENGTH)
        cf_json_uint(&j, m->content_length);
    else
        cf_json_null(&j);
    cf_json_key(&j, "body_length");
    cf_json_uint(&j, rq->body_received);
    cf_json_key(&j, "body");
    cf_json_string_n(&j, rq->body ? rq->body : "", rq->body_len);
    cf_json_key(&j, "expect_continue");
    cf_json_bool(&j, (m->flags & H1_MSG_EXPECT_CONTINUE) != 0);
    cf_json_key(&j, "persistent");
    cf_json_bool(&j, (m->flags & H1_MSG_PERSISTENT) != 0);
    fields(&j, "headers", m->headers, m->num_headers);
    fields(&j, "trailers", rq->trailers, rq->num_trailers);
    cf_json_end_object(&j);

    size_t len;
    const char *data = cf_json_data(&j, &len);
    cf_sresp_init(r, cf_json_error(&j) ? 500 : 200);
    if (r->status == 200) {
        r->content_type = "application/json";
        cf_buf_add(&r->body, data, len);
        cf_buf_str(&r->body, "\n");
    } else {
        cf_sresp_text(r, "out of memory");
    }
    if (rq->method == CF_SM_OPTIONS) { /* RFC 9110 §9.3.7: SHOULD send Allow */
        char allow[96];
        cf_serve_allow(cf_serve_allowed(rq, CF_SM_ALL), allow, sizeof allow);
        cf_sresp_field(r, "Allow", allow);
    }
    cf_json_free(&j);
}
