/* The spec loader's bytes values: strings read as Latin-1, pieces, repetition, CRLF lines, and
 * structured requests. */
#include "spec_load_wire.h"

#include <stdlib.h>
#include <string.h>

/* The byte where character index where of UTF-8 text s starts (for messages). */
static const unsigned char *char_at(const char *s, size_t where)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t c = 0; *p && c < where; c++) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
    }
    return p;
}

/* The code point at character index where of UTF-8 text s (for messages). */
static unsigned long codepoint_at(const char *s, size_t where)
{
    const unsigned char *p = char_at(s, where);
    unsigned long cp = *p;
    int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
    if (more) cp &= 0x3Fu >> more;
    for (int i = 1; i <= more && p[i]; i++)
        cp = (cp << 6) | (p[i] & 0x3F);
    return cp;
}

/* Length of the placeholder starting at p, up to its "}}" (at most 200, for messages). */
static int placeholder_len(const unsigned char *p)
{
    const char *end = strstr((const char *)p, "}}");
    size_t n = end ? (size_t)(end - (const char *)p) + 2 : strlen((const char *)p);
    return n > 200 ? 200 : (int)n;
}

/* Reports a cf_bytes_status for a value at node. */
static void bytes_error(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_bytes_status st,
                        size_t where)
{
    const char *s = cf_yscalar(node);
    if ((st == CF_BYTES_NOT_CAPTURED || st == CF_BYTES_ENV_UNSET || st == CF_BYTES_ENV_BAD) && s) {
        const unsigned char *p = char_at(s, where);
        cf_yerr(ctx, node, "%s: %.*s: %s", what, placeholder_len(p), (const char *)p,
                cf_bytes_strerror(st));
    } else if (st == CF_BYTES_CODEPOINT && s)
        cf_yerr(ctx, node, "%s: character %zu is U+%04lX, above U+00FF: %s", what, where + 1,
                codepoint_at(s, where), cf_bytes_strerror(st));
    else if ((st == CF_BYTES_BAD_TEMPLATE || st == CF_BYTES_BAD_RESOURCE ||
              st == CF_BYTES_BAD_UTF8) &&
             s)
        cf_yerr(ctx, node, "%s: at character %zu: %s", what, where + 1, cf_bytes_strerror(st));
    else
        cf_yerr(ctx, node, "%s: %s", what, cf_bytes_strerror(st));
}

static bool text_into(cf_yctx *ctx, yaml_node_t *node, const char *what, bool templates,
                      cf_tbytes *out)
{
    const char *s = cf_yscalar(node);
    if (!cf_yvisit(ctx, node)) return false;
    if (!s || cf_yis_null(node)) {
        cf_yerr(ctx, node, "expected a string or a list of pieces for %s, got %s", what,
                cf_ykind(node));
        return false;
    }
    size_t where = 0;
    size_t n = node->data.scalar.length;
    cf_tbytes_scope scope = {ctx->names, ctx->nnames};
    cf_bytes_status st =
        templates ? cf_tbytes_append_scoped(out, s, n, &scope, CF_SPEC_MAX_STEP_BYTES, &where)
                  : cf_tbytes_append_text(out, s, n, false, CF_SPEC_MAX_STEP_BYTES, &where);
    if (st) bytes_error(ctx, node, what, st, where);
    return st == CF_BYTES_OK;
}

static bool load_bytes_depth(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out,
                             int depth);
static bool load_lines_depth(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out,
                             int depth);

static const char *const piece_keys[] = {"repeat", "count", "literal", "lines", NULL};

/* {repeat: BYTES, count: N} */
static bool load_repeat(cf_yctx *ctx, yaml_node_t *map, cf_tbytes *out, int depth)
{
    yaml_node_t *cnt = cf_ymap_require(ctx, map, "count", "a repeat piece");
    yaml_node_t *unit_node = cf_ymap_get(ctx, map, "repeat");
    cf_tbytes unit = {0};
    unsigned long count = 0;
    bool ok = load_bytes_depth(ctx, unit_node, "'repeat'", &unit, depth + 1);
    ok = cnt && cf_yuint(ctx, cnt, "'count'", 0, CF_SPEC_MAX_STEP_BYTES, &count) && ok;
    /* Copies are work even when they add no bytes (an empty piece repeated, or one aliased
     * many times): the budget counts them, not the bytes they make. */
    if (ok && count > CF_SPEC_MAX_REPEATS - ctx->repeats) {
        cf_yerr(ctx, map, "'repeat' pieces make more than %u copies in this file; stopping",
                CF_SPEC_MAX_REPEATS);
        ctx->stop = true;
        ok = false;
    }
    if (ok) {
        ctx->repeats += count;
        cf_bytes_status st = cf_tbytes_repeat(out, &unit, count, CF_SPEC_MAX_STEP_BYTES);
        if (st) {
            bytes_error(ctx, map, "'repeat'", st, 0);
            ok = false;
        }
    }
    cf_tbytes_free(&unit);
    return ok;
}

/* One element of a piece list: a string, or a mapping with repeat, literal or lines. */
static bool load_piece(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out, int depth)
{
    if (node->type == YAML_SCALAR_NODE) return text_into(ctx, node, what, true, out);
    if (!cf_ymap_check(ctx, node, "a piece", piece_keys)) return false;
    yaml_node_t *rep = cf_ymap_get(ctx, node, "repeat");
    yaml_node_t *lit = cf_ymap_get(ctx, node, "literal");
    yaml_node_t *lines = cf_ymap_get(ctx, node, "lines");
    if ((rep != NULL) + (lit != NULL) + (lines != NULL) != 1) {
        cf_yerr(ctx, node, "a piece needs exactly one of 'repeat', 'literal' or 'lines'");
        return false;
    }
    if (!rep && cf_ymap_get(ctx, node, "count")) {
        cf_yerr(ctx, node, "'count' belongs to a 'repeat' piece");
        return false;
    }
    if (rep) return load_repeat(ctx, node, out, depth);
    if (lit) return text_into(ctx, lit, "'literal'", false, out);
    return load_lines_depth(ctx, lines, "'lines'", out, depth + 1);
}

static bool load_bytes_depth(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out,
                             int depth)
{
    if (!node) return false;
    if (depth > CF_SPEC_MAX_DEPTH) {
        cf_yerr(ctx, node, "%s is nested too deeply (at most %d levels)", what, CF_SPEC_MAX_DEPTH);
        return false;
    }
    if (node->type != YAML_SEQUENCE_NODE) return text_into(ctx, node, what, true, out);
    long n = cf_yseq_len(ctx, node, what);
    bool ok = true;
    for (long i = 0; i < n && !ctx->stop; i++)
        ok = load_piece(ctx, cf_yseq_item(ctx, node, (size_t)i), what, out, depth) && ok;
    return ok;
}

static bool load_lines_depth(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out,
                             int depth)
{
    long n = cf_yseq_len(ctx, node, what);
    if (n < 0) return false;
    bool ok = true;
    for (long i = 0; i < n && !ctx->stop; i++) {
        yaml_node_t *item = cf_yseq_item(ctx, node, (size_t)i);
        if (!cf_yvisit(ctx, item)) return false;
        /* an empty or null item is the empty line that ends a header section */
        if (!(item->type == YAML_SCALAR_NODE && cf_yis_null(item)))
            ok = load_bytes_depth(ctx, item, "a line", out, depth + 1) && ok;
        cf_bytes_status st = cf_tbytes_append_raw(out, "\r\n", 2, CF_SPEC_MAX_STEP_BYTES);
        if (st) {
            bytes_error(ctx, item, what, st, 0);
            return false;
        }
    }
    return ok;
}

bool cf_load_bytes(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out)
{
    return load_bytes_depth(ctx, node, what, out, 0);
}

bool cf_load_lines(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out)
{
    return load_lines_depth(ctx, node, what, out, 0);
}

bool cf_load_plain_bytes(cf_yctx *ctx, yaml_node_t *node, const char *what, uint8_t **out,
                         size_t *len)
{
    const char *s = cf_yscalar(node);
    if (!s) {
        cf_yerr(ctx, node, "expected a string for %s, got %s", what, cf_ykind(node));
        return false;
    }
    size_t where = 0;
    cf_bytes_status st = cf_bytes_from_text(s, node->data.scalar.length, out, len, &where);
    if (st) bytes_error(ctx, node, what, st, where);
    return st == CF_BYTES_OK;
}

/* Whether the "{{NAME...}}" at p names a capture of the step being loaded (ctx->same_step). */
static bool same_step_name(cf_yctx *ctx, const unsigned char *p)
{
    yaml_node_t *map = ctx->same_step;
    if (!map || map->type != YAML_MAPPING_NODE) return false;
    size_t n = 0;
    while (p[2 + n] == '_' || (p[2 + n] >= 'a' && p[2 + n] <= 'z') ||
           (n && p[2 + n] >= '0' && p[2 + n] <= '9'))
        n++;
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < map->data.mapping.pairs.top;
         q++) {
        const char *k = cf_yscalar(yaml_document_get_node(ctx->doc, q->key));
        if (k && strlen(k) == n && !memcmp(k, p + 2, n)) return true;
    }
    return false;
}

bool cf_load_expect_bytes(cf_yctx *ctx, yaml_node_t *node, const char *what, uint8_t **out,
                          size_t *len, cf_tbytes **tmpl)
{
    const char *s = cf_yscalar(node);
    if (!s) {
        cf_yerr(ctx, node, "expected a string for %s, got %s", what, cf_ykind(node));
        return false;
    }
    cf_tbytes t = {0};
    size_t where = 0;
    cf_tbytes_scope scope = {ctx->names, ctx->nnames};
    cf_bytes_status st = cf_tbytes_append_scoped(&t, s, node->data.scalar.length, &scope,
                                                 CF_SPEC_MAX_STEP_BYTES, &where);
    if (st == CF_BYTES_OK && !t.data) st = cf_tbytes_append_raw(&t, "", 0, 1);
    if (st == CF_BYTES_NOT_CAPTURED && same_step_name(ctx, char_at(s, where))) {
        const unsigned char *p = char_at(s, where);
        cf_yerr(ctx, node,
                "%s: at character %zu: %.*s is captured by this same step: an expectation "
                "compares with the captures of earlier steps (check it in a later step)",
                what, where + 1, placeholder_len(p), (const char *)p);
    } else if (st)
        bytes_error(ctx, node, what, st, where);
    if (st || !t.nvars) { /* plain: the bytes as today */
        *out = st ? NULL : t.data;
        *len = st ? 0 : t.len;
        if (st) free(t.data);
        free(t.vars);
        free(t.runs);
        return st == CF_BYTES_OK;
    }
    if (!(*tmpl = malloc(sizeof **tmpl))) {
        cf_tbytes_free(&t);
        return false;
    }
    **tmpl = t;
    return cf_load_plain_bytes(ctx, node, what, out, len);
}

/* One header of a request: {Name: value} or [Name, value]. */
static bool load_req_header(cf_yctx *ctx, yaml_node_t *item, cf_req_header *h)
{
    yaml_node_t *name = NULL, *value = NULL;
    if (item->type == YAML_MAPPING_NODE &&
        item->data.mapping.pairs.top - item->data.mapping.pairs.start == 1) {
        name = yaml_document_get_node(ctx->doc, item->data.mapping.pairs.start->key);
        value = yaml_document_get_node(ctx->doc, item->data.mapping.pairs.start->value);
    } else if (item->type == YAML_SEQUENCE_NODE &&
               item->data.sequence.items.top - item->data.sequence.items.start == 2) {
        name = cf_yseq_item(ctx, item, 0);
        value = cf_yseq_item(ctx, item, 1);
    } else {
        cf_yerr(ctx, item,
                "expected a header as '- Name: value' or '- [Name, value]' in 'headers', got %s",
                cf_ykind(item));
        return false;
    }
    if (name->type != YAML_SCALAR_NODE) {
        cf_yerr(ctx, name, "expected a string for a header name, got %s", cf_ykind(name));
        return false;
    }
    bool ok = text_into(ctx, name, "a header name", false, &h->name);
    /* a null value ("- X-Empty:") sends an empty field value */
    if (value->type == YAML_SCALAR_NODE && cf_yis_null(value)) return ok;
    return cf_load_bytes(ctx, value, "a header value", &h->value) && ok;
}

static const char *const request_keys[] = {"method", "target",         "version", "headers",
                                           "body",   "content_length", NULL};

bool cf_load_request(cf_yctx *ctx, yaml_node_t *node, cf_request *req)
{
    if (!cf_ymap_check(ctx, node, "'request'", request_keys)) return false;
    yaml_node_t *m = cf_ymap_require(ctx, node, "method", "'request'");
    yaml_node_t *t = cf_ymap_require(ctx, node, "target", "'request'");
    yaml_node_t *v = cf_ymap_get(ctx, node, "version");
    yaml_node_t *h = cf_ymap_get(ctx, node, "headers");
    yaml_node_t *b = cf_ymap_get(ctx, node, "body");
    yaml_node_t *cl = cf_ymap_get(ctx, node, "content_length");
    bool ok = m && t;
    if (m) ok = cf_load_bytes(ctx, m, "'method'", &req->method) && ok;
    if (t) ok = cf_load_bytes(ctx, t, "'target'", &req->target) && ok;
    if (v)
        ok = cf_load_bytes(ctx, v, "'version'", &req->version) && ok;
    else
        cf_tbytes_append_raw(&req->version, "HTTP/1.1", 8, CF_SPEC_MAX_STEP_BYTES);
    if (b) {
        req->has_body = true;
        if (!(b->type == YAML_SCALAR_NODE && cf_yis_null(b)))
            ok = cf_load_bytes(ctx, b, "'body'", &req->body) && ok;
    }
    if (cl) {
        const char *s = cf_yscalar(cl);
        if (s && !strcmp(s, "auto"))
            req->content_length = CF_CL_AUTO;
        else if (s && !strcmp(s, "none"))
            req->content_length = CF_CL_NONE;
        else {
            cf_yerr(ctx, cl, "expected one of auto, none for 'content_length', got %s%s%s%s",
                    cf_ykind(cl), s ? " '" : "", s ? s : "", s ? "'" : "");
            ok = false;
        }
    }
    long n = h ? cf_yseq_len(ctx, h, "'headers'") : 0;
    if (n < 0) return false;
    if (n > 0) {
        req->headers = calloc((size_t)n, sizeof *req->headers);
        if (!req->headers) return false;
        for (long i = 0; i < n && !ctx->stop; i++) {
            ok = load_req_header(ctx, cf_yseq_item(ctx, h, (size_t)i), &req->headers[i]) && ok;
            req->nheaders++;
        }
    }
    return ok;
}
