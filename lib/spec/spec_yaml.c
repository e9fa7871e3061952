/* Typed, position-reporting access to libyaml document nodes for the spec loader. */
#include "spec_yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_file.h"

#include "spec_yaml_budget.h"

void cf_yerr(cf_yctx *ctx, const yaml_node_t *node, const char *fmt, ...)
{
    if (ctx->stop) return;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line = node ? (unsigned)node->start_mark.line + 1 : 0;
    unsigned col = node ? (unsigned)node->start_mark.column + 1 : 0;
    cf_spec_errors_add(ctx->errs, ctx->path, line, col, "%s", msg);
    if (++ctx->nerrors >= CF_SPEC_MAX_ERRORS_PER_FILE) {
        cf_spec_errors_add(ctx->errs, ctx->path, line, col,
                           "too many errors (%d); not checking the rest of this file",
                           CF_SPEC_MAX_ERRORS_PER_FILE);
        ctx->stop = true;
    }
}

/* Counts n nodes read at node. */
static bool visit_n(cf_yctx *ctx, const yaml_node_t *node, size_t n)
{
    if (ctx->stop) return false;
    if (n <= CF_SPEC_MAX_VISITS - ctx->visits) {
        ctx->visits += n;
        return true;
    }
    cf_yerr(ctx, node, "the file expands to more than %d nodes (through aliases); stopping",
            CF_SPEC_MAX_VISITS);
    ctx->stop = true;
    return false;
}

bool cf_yvisit(cf_yctx *ctx, const yaml_node_t *node)
{
    return visit_n(ctx, node, 1);
}

char *cf_ystrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

bool cf_yis_null(const yaml_node_t *node)
{
    if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)node->data.scalar.value;
    return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

const char *cf_ykind(const yaml_node_t *node)
{
    switch (node->type) {
    case YAML_SCALAR_NODE: return cf_yis_null(node) ? "nothing (null)" : "a string";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

const char *cf_yscalar(const yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

/* Edit distance between a and b (short strings only; longer ones count as far apart). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            size_t m = sub < del ? sub : del;
            d[i][j] = m < ins ? m : ins;
            /* a swap of two neighbours counts as one edit ("stauts" -> "status") */
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    }
    return d[la][lb];
}

static void unknown_key(cf_yctx *ctx, yaml_node_t *key, const char *name, const char *what,
                        const char *const *keys)
{
    const char *best = NULL;
    size_t bestd = 99;
    for (size_t i = 0; keys[i]; i++) {
        size_t d = edit_distance(name, keys[i]);
        if (d < bestd) bestd = d, best = keys[i];
    }
    if (best && bestd <= 2 && bestd < strlen(best)) {
        cf_yerr(ctx, key, "unknown key '%s' in %s (did you mean '%s'?)", name, what, best);
        return;
    }
    char list[400] = "";
    size_t used = 0;
    for (size_t i = 0; keys[i] && used < sizeof list; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", keys[i]);
        if (w < 0) break;
        used += (size_t)w;
    }
    cf_yerr(ctx, key, "unknown key '%s' in %s (expected one of: %s)", name, what, list);
}

bool cf_ymap_check(cf_yctx *ctx, yaml_node_t *node, const char *what, const char *const *keys)
{
    if (!cf_yvisit(ctx, node)) return false;
    if (node->type != YAML_MAPPING_NODE) {
        cf_yerr(ctx, node, "expected a mapping for %s, got %s", what, cf_ykind(node));
        return false;
    }
    yaml_node_pair_t *start = node->data.mapping.pairs.start;
    yaml_node_pair_t *top = node->data.mapping.pairs.top;
    for (yaml_node_pair_t *p = start; p < top; p++) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, p->key);
        const char *name = cf_yscalar(k);
        if (!name) {
            cf_yerr(ctx, k, "expected a string key in %s, got %s", what, cf_ykind(k));
            continue;
        }
        bool known = false;
        for (size_t i = 0; keys[i] && !known; i++)
            known = !strcmp(keys[i], name);
        if (!known) {
            unknown_key(ctx, k, name, what, keys);
            continue;
        }
        for (yaml_node_pair_t *q = start; q < p; q++) {
            const char *prev = cf_yscalar(yaml_document_get_node(ctx->doc, q->key));
            if (prev && !strcmp(prev, name)) {
                cf_yerr(ctx, k, "duplicate key '%s' in %s", name, what);
                break;
            }
        }
    }
    return true;
}

yaml_node_t *cf_ymap_get(cf_yctx *ctx, yaml_node_t *map, const char *key)
{
    if (map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *name = cf_yscalar(yaml_document_get_node(ctx->doc, p->key));
        if (name && !strcmp(name, key)) return yaml_document_get_node(ctx->doc, p->value);
    }
    return NULL;
}

yaml_node_t *cf_ymap_require(cf_yctx *ctx, yaml_node_t *map, const char *key, const char *what)
{
    yaml_node_t *v = cf_ymap_get(ctx, map, key);
    if (!v) cf_yerr(ctx, map, "missing required key '%s' in %s", key, what);
    return v;
}

long cf_yseq_len(cf_yctx *ctx, yaml_node_t *node, const char *what)
{
    if (node->type != YAML_SEQUENCE_NODE) {
        cf_yerr(ctx, node, "expected a list for %s, got %s", what, cf_ykind(node));
        return -1;
    }
    long n = (long)(node->data.sequence.items.top - node->data.sequence.items.start);
    /* every item is work for the caller, and an aliased list is read again at each alias */
    return visit_n(ctx, node, (size_t)n) ? n : -1;
}

yaml_node_t *cf_yseq_item(cf_yctx *ctx, yaml_node_t *seq, size_t i)
{
    return yaml_document_get_node(ctx->doc, seq->data.sequence.items.start[i]);
}

bool cf_ystr(cf_yctx *ctx, yaml_node_t *node, const char *what, char **out)
{
    const char *s = cf_yscalar(node);
    if (!s || cf_yis_null(node)) {
        cf_yerr(ctx, node, "expected a string for %s, got %s", what, cf_ykind(node));
        return false;
    }
    if (strlen(s) != node->data.scalar.length) {
        cf_yerr(ctx, node, "%s must not contain a NUL character", what);
        return false;
    }
    *out = cf_ystrdup(s);
    return *out != NULL;
}

bool cf_yuint(cf_yctx *ctx, yaml_node_t *node, const char *what, unsigned long min,
              unsigned long max, unsigned long *out)
{
    const char *s = cf_yscalar(node);
    bool ok = s && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && *s;
    unsigned long v = 0;
    for (const char *p = s; ok && *p; p++) {
        unsigned long d = (unsigned long)(*p - '0');
        /* v * 10 + d <= max, without wrapping when d > max */
        if (*p < '0' || *p > '9' || d > max || v > (max - d) / 10)
            ok = false;
        else
            v = v * 10 + (unsigned long)(*p - '0');
    }
    if (!ok || v < min) {
        cf_yerr(ctx, node, "expected an integer %lu..%lu for %s, got %s%s%s%s", min, max, what,
                cf_ykind(node), s ? " '" : "", s ? s : "", s ? "'" : "");
        return false;
    }
    *out = v;
    return true;
}

bool cf_ybool(cf_yctx *ctx, yaml_node_t *node, const char *what, bool *out)
{
    const char *s = cf_yscalar(node);
    if (s && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        (!strcmp(s, "true") || !strcmp(s, "false"))) {
        *out = s[0] == 't';
        return true;
    }
    cf_yerr(ctx, node, "expected true or false for %s, got %s%s%s%s", what, cf_ykind(node),
            s ? " '" : "", s ? s : "", s ? "'" : "");
    return false;
}

bool cf_ytags(cf_yctx *ctx, yaml_node_t *node, const char *what, char ***v, size_t *n)
{
    long len = cf_yseq_len(ctx, node, what);
    if (len < 0) return false;
    /* duplicates are found by comparing with every earlier tag: the cap keeps that cheap */
    if (len > CF_SPEC_MAX_TAGS) {
        cf_yerr(ctx, node, "%s has %ld tags, at most %d", what, len, CF_SPEC_MAX_TAGS);
        return false;
    }
    bool ok = true;
    for (long i = 0; i < len; i++) {
        yaml_node_t *item = cf_yseq_item(ctx, node, (size_t)i);
        char *tag = NULL;
        if (!cf_ystr(ctx, item, "a tag", &tag)) {
            ok = false;
            continue;
        }
        if (!*tag || strpbrk(tag, " \t,")) {
            cf_yerr(ctx, item, "a tag is one word without spaces or commas, got '%s'", tag);
            free(tag);
            ok = false;
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < *n && !dup; k++)
            dup = !strcmp((*v)[k], tag);
        char **nv = dup ? NULL : realloc(*v, (*n + 1) * sizeof *nv);
        if (!nv) {
            free(tag);
            continue;
        }
        *v = nv;
        (*v)[(*n)++] = tag;
    }
    return ok;
}

/* Reports libyaml's parse error with its position. */
static void syntax_error(const char *name, yaml_parser_t *p, cf_spec_errors *errs)
{
    const char *problem = p->problem ? p->problem : "unknown problem";
    if (p->context)
        cf_spec_errors_add(errs, name, (unsigned)p->problem_mark.line + 1,
                           (unsigned)p->problem_mark.column + 1, "invalid YAML: %s %s", problem,
                           p->context);
    else
        cf_spec_errors_add(errs, name, (unsigned)p->problem_mark.line + 1,
                           (unsigned)p->problem_mark.column + 1, "invalid YAML: %s", problem);
}

/* One streaming pass over the events, before any document is built (cf_yaml_over_budget):
 * rejects nesting deeper than CF_YAML_MAX_DEPTH and more than CF_YAML_MAX_NODES nodes in constant
 * memory. libyaml's scanner keeps one simple-key slot per flow level and walks them all for every
 * token, so 100,000 levels of '[' would take seconds and a document of millions of nodes would
 * take hundreds of megabytes; stopping at the first event past a budget keeps both small. Syntax
 * errors are left to the loading pass, which reports them. */
static bool within_budgets(const char *name, const char *text, size_t len, cf_spec_errors *errs)
{
    size_t line, col;
    const char *why =
        cf_yaml_over_budget(text, len, CF_YAML_MAX_DEPTH, CF_YAML_MAX_NODES, &line, &col);
    if (!why) return true;
    if (why == cf_yaml_too_deep)
        cf_spec_errors_add(errs, name, (unsigned)line, (unsigned)col,
                           "nested too deeply: at most %lu levels of lists and mappings",
                           CF_YAML_MAX_DEPTH);
    else if (why == cf_yaml_too_many)
        cf_spec_errors_add(errs, name, (unsigned)line, (unsigned)col,
                           "too many YAML nodes: at most %lu in one file", CF_YAML_MAX_NODES);
    else
        cf_spec_errors_add(errs, name, 0, 0, "%s", why);
    return false;
}

bool cf_yparse(const char *name, const char *text, size_t len, yaml_document_t *doc,
               const char *what, cf_spec_errors *errs)
{
    if (!within_budgets(name, text, len, errs)) return false;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        cf_spec_errors_add(errs, name, 0, 0, "out of memory");
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    bool ok = yaml_parser_load(&parser, doc);
    if (!ok) {
        syntax_error(name, &parser, errs);
        yaml_parser_delete(&parser);
        return false;
    }
    yaml_document_t extra;
    if (!yaml_parser_load(&parser, &extra)) {
        syntax_error(name, &parser, errs);
        ok = false;
    } else {
        if (yaml_document_get_root_node(&extra)) {
            cf_spec_errors_add(errs, name, (unsigned)extra.start_mark.line + 1,
                               (unsigned)extra.start_mark.column + 1,
                               "a %s holds one YAML document; found a second one", what);
            ok = false;
        }
        yaml_document_delete(&extra);
    }
    if (!ok) yaml_document_delete(doc);
    yaml_parser_delete(&parser);
    return ok;
}

int cf_yread_file(const char *path, size_t cap, const char *too_large, char **text, size_t *len,
                  cf_spec_errors *errs)
{
    cf_file_status st = cf_file_read(path, cap, text, len);
    if (st == CF_FILE_OK) return 0;
    if (st == CF_FILE_ERRNO)
        cf_spec_errors_add(errs, path, 0, 0, "cannot open: %s", cf_file_strerror(st));
    else if (st == CF_FILE_TOO_LARGE)
        cf_spec_errors_add(errs, path, 0, 0, "file too large (%s)", too_large);
    else
        cf_spec_errors_add(errs, path, 0, 0, "cannot read: %s", cf_file_strerror(st));
    return -1;
}
