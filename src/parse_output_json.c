/* `conform parse --json`: the parsed message as one JSON object (docs/commands/parse.md). */
#include "parse_output.h"

#include <stdlib.h>

#include "util_json.h"

static void span(cf_json *j, const char *key, h1_span v)
{
    cf_json_key(j, key);
    cf_json_string_n(j, v.ptr ? v.ptr : "", v.len);
}

/* {code, offset, section, message, lenient}: one violation or the error. */
static void violation(cf_json *j, const h1_violation *v)
{
    const char *bit = h1_lenient_name(h1_code_lenient_bit(v->code));
    cf_json_begin_object(j);
    cf_json_key(j, "code");
    cf_json_text(j, h1_code_name(v->code));
    cf_json_key(j, "offset");
    cf_json_uint(j, v->offset);
    cf_json_key(j, "section");
    cf_json_text(j, h1_code_section(v->code));
    cf_json_key(j, "message");
    cf_json_text(j, h1_code_message(v->code));
    cf_json_key(j, "lenient");
    cf_json_text(j, bit);
    cf_json_end_object(j);
}

/* [[name, value], ...] with values as a recipient reads them (repairs applied). */
static int fields(cf_json *j, const char *key, const h1_header *h, size_t n)
{
    cf_json_key(j, key);
    cf_json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *v = cf_field_value_dup(&h[i], &len);
        if (!v) return -1;
        cf_json_begin_array(j);
        cf_json_string_n(j, h[i].name.ptr, h[i].name.len);
        cf_json_string_n(j, v, len);
        cf_json_end_array(j);
        free(v);
    }
    cf_json_end_array(j);
    return 0;
}

/* Writes key: the span, or null when the member does not apply. */
static void opt_span(cf_json *j, const char *key, int applies, h1_span v)
{
    if (applies) {
        span(j, key, v);
        return;
    }
    cf_json_key(j, key);
    cf_json_null(j);
}

/* The start-line members; those of the other kind of message are null. */
static void start_line(cf_json *j, const cf_pstream *s, int head)
{
    const h1_message *m = &s->parser->msg;
    int req = head && s->parser->kind == H1_REQUEST, resp = head && s->parser->kind == H1_RESPONSE;
    opt_span(j, "method", req, m->method);
    opt_span(j, "target", req, m->target);
    cf_json_key(j, "target_form");
    cf_json_text(j, req ? h1_target_form_name(m->target_form) : NULL);
    cf_json_key(j, "version");
    if (head) {
        char ver[32];
        snprintf(ver, sizeof ver, "HTTP/%d.%d", m->version / 10, m->version % 10);
        cf_json_text(j, ver);
    } else {
        cf_json_null(j);
    }
    cf_json_key(j, "status");
    if (resp)
        cf_json_int(j, m->status);
    else
        cf_json_null(j);
    opt_span(j, "reason", resp, m->reason);
    opt_span(j, "request_method", s->parser->kind == H1_RESPONSE, s->parser->request_method);
}

/* Where the input ended for an incomplete message, else NULL. */
static const char *ended_in(const cf_pstream *s)
{
    if (s->outcome != CF_PSTREAM_INCOMPLETE) return NULL;
    return s->phase == CF_PHASE_HEAD ? "head" : "body";
}

static void opt_uint(cf_json *j, const char *key, int applies, uint64_t v)
{
    cf_json_key(j, key);
    if (applies)
        cf_json_uint(j, v);
    else
        cf_json_null(j);
}

static void opt_bool(cf_json *j, const char *key, int applies, int v)
{
    cf_json_key(j, key);
    if (applies)
        cf_json_bool(j, v);
    else
        cf_json_null(j);
}

/* Framing, body and where the message ended. */
static void body_members(cf_json *j, const cf_pstream *s, int head, int valid)
{
    const h1_message *m = &s->parser->msg;
    cf_json_key(j, "framing");
    cf_json_text(j, head ? h1_framing_name(m->framing) : NULL);
    opt_uint(j, "content_length", head && m->framing == H1_FRAMING_LENGTH, m->content_length);
    cf_json_key(j, "body");
    if (head)
        cf_json_string_n(j, s->body ? s->body : "", s->body_len);
    else
        cf_json_null(j);
    opt_uint(j, "body_length", head, s->body_total);
    opt_bool(j, "body_truncated", head, s->body_total > s->body_len);
    opt_bool(j, "persistent", valid, (m->flags & H1_MSG_PERSISTENT) != 0);
    opt_uint(j, "consumed", valid, s->consumed);
    opt_uint(j, "trailing_bytes", valid, s->trailing);
    opt_bool(j, "trailing_more", valid, s->trailing_more);
    opt_uint(j, "input_bytes", 1, s->input_bytes);
}

/* Recorded repairs (those stored), their total count, the error and where the input ended. */
static void verdict_members(cf_json *j, const cf_pstream *s)
{
    const h1_parser *p = s->parser;
    size_t stored = p->num_violations < p->max_violations ? p->num_violations : p->max_violations;
    cf_json_key(j, "violations");
    cf_json_begin_array(j);
    for (size_t i = 0; i < stored; i++)
        violation(j, &p->violations[i]);
    cf_json_end_array(j);
    opt_uint(j, "violations_total", 1, p->num_violations);
    cf_json_key(j, "error");
    if (s->outcome == CF_PSTREAM_INVALID)
        violation(j, &p->error);
    else
        cf_json_null(j);
    cf_json_key(j, "ended_in");
    cf_json_text(j, ended_in(s));
}

int cf_parse_output_json(const cf_pstream *s, FILE *out)
{
    cf_json j;
    int head = s->phase == CF_PHASE_BODY, valid = s->outcome == CF_PSTREAM_VALID, rc = 0;
    const h1_message *m = &s->parser->msg;
    cf_json_init_file(&j, out);
    cf_json_begin_object(&j);
    cf_json_key(&j, "valid");
    cf_json_bool(&j, valid);
    cf_json_key(&j, "complete");
    cf_json_bool(&j, valid);
    cf_json_key(&j, "kind");
    cf_json_text(&j, s->parser->kind == H1_REQUEST ? "request" : "response");
    start_line(&j, s, head);
    if (head) {
        rc |= fields(&j, "headers", m->headers, m->num_headers);
    } else {
        cf_json_key(&j, "headers");
        cf_json_null(&j);
    }
    if (valid) {
        rc |= fields(&j, "trailers", m->trailers, m->num_trailers);
    } else {
        cf_json_key(&j, "trailers");
        cf_json_null(&j);
    }
    body_members(&j, s, head, valid);
    verdict_members(&j, s);
    cf_json_end_object(&j);
    if (fputc('\n', out) == EOF) rc = -1;
    return rc || cf_json_error(&j) ? -1 : 0;
}
