/* The spec loader's steps: what to send (raw, lines, request, pipeline), how (split, delays,
 * half-close) and the expectation. */
#include "spec_load_step.h"

#include <stdlib.h>
#include <string.h>

#include "spec_load_expect.h"
#include "spec_load_wire.h"

static const char *const step_keys[] = {"raw",    "lines",       "request",  "pipeline",
                                        "split",  "split_every", "delay_ms", "half_close",
                                        "expect", "premise",     "capture",  NULL};
static const char *const message_keys[] = {"raw", "lines", "request", NULL};

/* Reads the one payload key (raw, lines or request) of node into m. */
static bool load_message(cf_yctx *ctx, yaml_node_t *node, cf_spec_message *m, const char *what)
{
    yaml_node_t *raw = cf_ymap_get(ctx, node, "raw");
    yaml_node_t *lines = cf_ymap_get(ctx, node, "lines");
    yaml_node_t *req = cf_ymap_get(ctx, node, "request");
    m->pos =
        (cf_spec_pos){(unsigned)node->start_mark.line + 1, (unsigned)node->start_mark.column + 1};
    if ((raw != NULL) + (lines != NULL) + (req != NULL) != 1) {
        cf_yerr(ctx, node, "%s needs exactly one of 'raw', 'lines' or 'request'%s", what,
                strcmp(what, "a step") ? "" : " (or 'pipeline')");
        return false;
    }
    if (req) {
        m->kind = CF_SPEC_REQUEST;
        m->request = calloc(1, sizeof *m->request);
        return m->request && cf_load_request(ctx, req, m->request);
    }
    m->kind = CF_SPEC_RAW;
    if (raw) return cf_load_bytes(ctx, raw, "'raw'", &m->raw);
    return cf_load_lines(ctx, lines, "'lines'", &m->raw);
}

static bool load_pipeline(cf_yctx *ctx, yaml_node_t *node, cf_step *s)
{
    long n = cf_yseq_len(ctx, node, "'pipeline'");
    if (n < 0) return false;
    if (n == 0) {
        cf_yerr(ctx, node, "'pipeline' needs at least one message");
        return false;
    }
    s->messages = calloc((size_t)n, sizeof *s->messages);
    if (!s->messages) return false;
    s->pipelined = true;
    bool ok = true;
    for (long i = 0; i < n && !ctx->stop; i++) {
        yaml_node_t *item = cf_yseq_item(ctx, node, (size_t)i);
        s->nmessages++;
        if (!cf_ymap_check(ctx, item, "a 'pipeline' message", message_keys)) {
            ok = false;
            continue;
        }
        ok = load_message(ctx, item, &s->messages[i], "a 'pipeline' message") && ok;
    }
    return ok;
}

static bool load_split(cf_yctx *ctx, yaml_node_t *node, cf_send_opts *o)
{
    long n = cf_yseq_len(ctx, node, "'split'");
    if (n <= 0) {
        if (n == 0) cf_yerr(ctx, node, "'split' needs at least one piece size");
        return false;
    }
    if (n > CF_SPEC_MAX_SPLIT) {
        cf_yerr(ctx, node, "'split' has %ld piece sizes, at most %d (split_every splits evenly)", n,
                CF_SPEC_MAX_SPLIT);
        return false;
    }
    o->split = calloc((size_t)n, sizeof *o->split);
    if (!o->split) return false;
    bool ok = true;
    for (long i = 0; i < n; i++) {
        unsigned long v = 0;
        if (cf_yuint(ctx, cf_yseq_item(ctx, node, (size_t)i), "a 'split' piece size", 1,
                     CF_SPEC_MAX_STEP_BYTES, &v))
            o->split[o->nsplit++] = v;
        else
            ok = false;
    }
    return ok;
}

static bool load_send_opts(cf_yctx *ctx, yaml_node_t *node, cf_send_opts *o)
{
    bool ok = true;
    unsigned long v = 0;
    yaml_node_t *n;
    if ((n = cf_ymap_get(ctx, node, "split"))) ok = load_split(ctx, n, o) && ok;
    if ((n = cf_ymap_get(ctx, node, "split_every"))) {
        if (cf_yuint(ctx, n, "'split_every'", 1, CF_SPEC_MAX_STEP_BYTES, &v))
            o->split_every = v;
        else
            ok = false;
    }
    if ((n = cf_ymap_get(ctx, node, "delay_ms"))) {
        if (cf_yuint(ctx, n, "'delay_ms'", 0, 60000, &v))
            o->delay_ms = (unsigned)v;
        else
            ok = false;
    }
    if ((n = cf_ymap_get(ctx, node, "half_close")))
        ok = cf_ybool(ctx, n, "'half_close'", &o->half_close) && ok;
    return ok;
}

/* Bytes a message sends before placeholders are replaced. */
static size_t message_size(const cf_spec_message *m)
{
    if (m->kind == CF_SPEC_RAW) return m->raw.size;
    const cf_request *r = m->request;
    if (!r) return 0;
    size_t n = r->method.size + r->target.size + r->version.size + r->body.size + 6;
    for (size_t i = 0; i < r->nheaders; i++)
        n += r->headers[i].name.size + r->headers[i].value.size + 4;
    return n;
}

static bool check_size(cf_yctx *ctx, yaml_node_t *node, const cf_step *s)
{
    size_t total = 0;
    for (size_t i = 0; i < s->nmessages; i++)
        total += message_size(&s->messages[i]);
    if (total > CF_SPEC_MAX_STEP_BYTES) {
        cf_yerr(ctx, node, "this step sends %zu bytes; a step sends at most %u", total,
                CF_SPEC_MAX_STEP_BYTES);
        return false;
    }
    ctx->file_bytes += total;
    if (ctx->file_bytes > CF_SPEC_MAX_FILE_BYTES) {
        cf_yerr(ctx, node, "the steps of this file send more than %u bytes together",
                CF_SPEC_MAX_FILE_BYTES);
        return false;
    }
    return true;
}

static const char *const capture_keys[] = {"header", "body", NULL};

/* True when name is captured by an earlier step or earlier in this one (slots below upto). */
static bool captured_before(const cf_yctx *ctx, const cf_step *s, const char *name)
{
    for (size_t i = 0; i < ctx->nnames; i++)
        if (!strcmp(ctx->names[i], name)) return true;
    for (size_t i = 0; i < s->ncaptures; i++)
        if (!strcmp(s->captures[i].name, name)) return true;
    return false;
}

/* One capture, NAME: {header: FIELD} or NAME: {body: REGEX}. */
static bool load_capture(cf_yctx *ctx, yaml_node_t *key, yaml_node_t *val, cf_capture *c)
{
    c->pos =
        (cf_spec_pos){(unsigned)key->start_mark.line + 1, (unsigned)key->start_mark.column + 1};
    if (!cf_ystr(ctx, key, "a capture's name", &c->name)) return false;
    if (!cf_capture_name_ok(c->name)) {
        cf_yerr(ctx, key,
                "a capture's name is [a-z_][a-z0-9_]* and not host, port, authority, resource "
                "or env; got '%s'",
                c->name);
        return false;
    }
    if (!cf_ymap_check(ctx, val, "a capture", capture_keys)) return false;
    yaml_node_t *h = cf_ymap_get(ctx, val, "header"), *b = cf_ymap_get(ctx, val, "body");
    if ((h != NULL) + (b != NULL) != 1) {
        cf_yerr(ctx, val, "a capture needs exactly one of 'header' or 'body'");
        return false;
    }
    if (h) {
        c->from = CF_CAPTURE_HEADER;
        return cf_ystr(ctx, h, "'header'", &c->header);
    }
    c->from = CF_CAPTURE_BODY;
    return cf_load_regex(ctx, b, "'body'", &c->re, &c->pattern);
}

/* 'capture': a mapping of names to captures; the names join the scope of the later steps. */
static bool load_captures(cf_yctx *ctx, yaml_node_t *node, cf_step *s)
{
    if (!cf_yvisit(ctx, node)) return false;
    if (node->type != YAML_MAPPING_NODE) {
        cf_yerr(ctx, node, "expected a mapping of names to captures for 'capture', got %s",
                cf_ykind(node));
        return false;
    }
    size_t n = (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
    if (n > CF_SPEC_MAX_CAPTURES - ctx->nnames) {
        cf_yerr(ctx, node, "a case captures at most %u values", CF_SPEC_MAX_CAPTURES);
        return false;
    }
    s->captures = calloc(n ? n : 1, sizeof *s->captures);
    if (!s->captures) return false;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        yaml_node_pair_t *pair = node->data.mapping.pairs.start + i;
        yaml_node_t *key = yaml_document_get_node(ctx->doc, pair->key);
        cf_capture c = {.slot = (unsigned)(ctx->nnames + s->ncaptures)};
        bool one = load_capture(ctx, key, yaml_document_get_node(ctx->doc, pair->value), &c);
        if (one && captured_before(ctx, s, c.name)) {
            cf_yerr(ctx, key, "'%s' is captured twice in this case", c.name);
            one = false;
        }
        s->captures[s->ncaptures++] = c; /* freed with the step, loaded or not */
        ok = one && ok;
    }
    return ok;
}

/* Adds the names s captures to the scope of the steps after it. */
static bool widen_scope(cf_yctx *ctx, const cf_step *s)
{
    if (!s->ncaptures) return true;
    const char **v = realloc(ctx->names, (ctx->nnames + s->ncaptures) * sizeof *v);
    if (!v) return false;
    ctx->names = v;
    for (size_t i = 0; i < s->ncaptures; i++)
        v[ctx->nnames++] = s->captures[i].name ? s->captures[i].name : ""; /* "" names nothing */
    return true;
}

/* The value of key (premise, capture), which needs the step's expectation ex: NULL when it is
 * absent, or (with an error saying why it needs one) when ex is. */
static yaml_node_t *with_expect(cf_yctx *ctx, yaml_node_t *node, yaml_node_t *ex, const char *key,
                                const char *why)
{
    yaml_node_t *v = cf_ymap_get(ctx, node, key);
    if (v && !ex) {
        cf_yerr(ctx, v, "'%s' needs an 'expect' in the same step (%s)", key, why);
        return NULL;
    }
    return v;
}

bool cf_load_step(cf_yctx *ctx, yaml_node_t *node, cf_step *s)
{
    s->pos =
        (cf_spec_pos){(unsigned)node->start_mark.line + 1, (unsigned)node->start_mark.column + 1};
    if (!cf_ymap_check(ctx, node, "a step", step_keys)) return false;
    bool ok;
    yaml_node_t *pipe = cf_ymap_get(ctx, node, "pipeline");
    if (pipe) {
        if (cf_ymap_get(ctx, node, "raw") || cf_ymap_get(ctx, node, "lines") ||
            cf_ymap_get(ctx, node, "request")) {
            cf_yerr(ctx, node,
                    "a step has either 'pipeline' or one of 'raw', 'lines', "
                    "'request', not both");
            ok = false;
        } else {
            ok = load_pipeline(ctx, pipe, s);
        }
    } else {
        s->messages = calloc(1, sizeof *s->messages);
        if (!s->messages) return false;
        s->nmessages = 1;
        ok = load_message(ctx, node, &s->messages[0], "a step");
    }
    ok = load_send_opts(ctx, node, &s->send) && ok;
    yaml_node_t *ex = cf_ymap_get(ctx, node, "expect");
    ctx->same_step = cf_ymap_get(ctx, node, "capture"); /* for the error on its names */
    if (ex) {
        s->has_expect = true;
        ok = cf_load_expect(ctx, ex, &s->expect) && ok;
    }
    yaml_node_t *pre = with_expect(ctx, node, ex, "premise",
                                   "the premise is judged on the responses the expectation reads");
    yaml_node_t *cap = with_expect(ctx, node, ex, "capture",
                                   "values are taken from the responses the expectation reads");
    if (!ex && (cf_ymap_get(ctx, node, "premise") || cf_ymap_get(ctx, node, "capture"))) ok = false;
    if (pre) {
        s->has_premise = true;
        ok = cf_load_premise(ctx, pre, &s->premise) && ok;
    }
    ctx->same_step = NULL;
    if (cap) {
        ok = load_captures(ctx, cap, s) && ok;
        ok = widen_scope(ctx, s) && ok; /* even after errors: no cascade in later steps */
    }
    return ok && check_size(ctx, node, s);
}
