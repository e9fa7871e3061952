/* The spec loader's expectations: status, headers, body, connection, responses, sequence,
 * any_of, time limit, complies (rule ids of rules.def); regular expressions compiled with PCRE2. */
#include "spec_load_expect.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "spec_regex.h"
#include "spec_load_wire.h"

/* Which keys an expectation may have where it appears. */
typedef enum expect_place {
    PLACE_TOP,
    PLACE_ALTERNATIVE,
    PLACE_SEQUENCE,
    PLACE_PREMISE
} expect_place;

static const char *const top_keys[] = {"status",    "headers",           "body",   "connection",
                                       "responses", "sequence",          "any_of", "time_limit_ms",
                                       "complies",  "arrives_within_ms", NULL};
static const char *const alt_keys[] = {"status",    "headers",  "body", "connection",
                                       "responses", "sequence", NULL};
static const char *const seq_keys[] = {"status", "headers", "body", NULL};
static const char *const premise_keys[] = {"status",    "headers",  "body",   "connection",
                                           "responses", "sequence", "any_of", NULL};

static bool load_expect_at(cf_yctx *ctx, yaml_node_t *node, cf_expect *e, expect_place place,
                           int depth);

bool cf_load_regex(cf_yctx *ctx, yaml_node_t *node, const char *what, pcre2_code **re,
                   char **pattern)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (!cf_load_plain_bytes(ctx, node, what, &bytes, &len)) return false;
    int err = 0;
    size_t off = 0;
    cf_rx_status st = cf_rx_get(ctx->rx, bytes, len, re, &err, &off);
    free(bytes);
    if (st == CF_RX_BAD) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0) memcpy(msg, "?", 2);
        cf_yerr(ctx, node, "bad regular expression for %s: %s at offset %zu", what,
                (const char *)msg, off);
    } else if (st == CF_RX_TOO_BIG) {
        cf_yerr(ctx, node,
                "the file's compiled regular expressions take more than %u MiB; stopping",
                CF_SPEC_MAX_REGEX_BYTES / (1024 * 1024));
        ctx->stop = true;
    } else if (st == CF_RX_NOMEM) {
        cf_yerr(ctx, node, "out of memory compiling the regular expression for %s", what);
    }
    if (st != CF_RX_OK) return false;
    *pattern = cf_ystrdup(cf_yscalar(node));
    return *pattern != NULL;
}

/* One status item: 404, "4xx", or "400-499". */
static bool parse_status(cf_yctx *ctx, yaml_node_t *node, cf_status_range *r)
{
    const char *s = cf_yscalar(node);
    unsigned lo = 0, hi = 0;
    bool ok = false;
    size_t n = s ? strlen(s) : 0;
    if (s && n == 3 && s[0] >= '1' && s[0] <= '5' && s[1] == 'x' && s[2] == 'x') {
        lo = (unsigned)(s[0] - '0') * 100;
        hi = lo + 99;
        ok = true;
    } else if (s && n == 3 && strspn(s, "0123456789") == 3) {
        lo = hi = (unsigned)strtoul(s, NULL, 10);
        ok = true;
    } else if (s && n == 7 && s[3] == '-' && strspn(s, "0123456789") == 3 &&
               strspn(s + 4, "0123456789") == 3) {
        lo = (unsigned)strtoul(s, NULL, 10);
        hi = (unsigned)strtoul(s + 4, NULL, 10);
        ok = true;
    }
    /* RFC 9110 §15: status codes are 100..599 */
    if (!ok || lo < 100 || hi > 599 || lo > hi) {
        cf_yerr(ctx, node,
                "expected a status for 'status': a code 100..599 (404), a class (4xx) or a "
                "range (400-499), got %s%s%s%s",
                cf_ykind(node), s ? " '" : "", s ? s : "", s ? "'" : "");
        return false;
    }
    r->lo = (uint16_t)lo;
    r->hi = (uint16_t)hi;
    return true;
}

static bool load_status(cf_yctx *ctx, yaml_node_t *node, cf_expect *e)
{
    long n = node->type == YAML_SEQUENCE_NODE ? cf_yseq_len(ctx, node, "'status'") : 1;
    if (n == 0) {
        cf_yerr(ctx, node, "'status' needs at least one code, class or range");
        return false;
    }
    e->status = calloc((size_t)n, sizeof *e->status);
    if (!e->status) return false;
    if (node->type != YAML_SEQUENCE_NODE) {
        e->nstatus = parse_status(ctx, node, &e->status[0]);
        return e->nstatus == 1;
    }
    bool ok = true;
    for (long i = 0; i < n; i++) {
        yaml_node_t *item = cf_yseq_item(ctx, node, (size_t)i);
        if (parse_status(ctx, item, &e->status[e->nstatus]))
            e->nstatus++;
        else
            ok = false;
    }
    return ok;
}

static const char *const header_keys[] = {"name",    "present", "absent", "equals",
                                          "matches", "count",   NULL};

/* Reserves one more header check and fills name and position. */
static cf_header_check *add_header_check(cf_expect *e, const char *name, yaml_node_t *at,
                                         cf_header_op op)
{
    cf_header_check *n = realloc(e->headers, (e->nheaders + 1) * sizeof *n);
    if (!n) return NULL;
    e->headers = n;
    cf_header_check *h = &n[e->nheaders];
    memset(h, 0, sizeof *h);
    h->name = cf_ystrdup(name);
    if (!h->name) return NULL;
    h->op = op;
    h->pos = (cf_spec_pos){(unsigned)at->start_mark.line + 1, (unsigned)at->start_mark.column + 1};
    e->nheaders++;
    return h;
}

static bool load_header_item(cf_yctx *ctx, yaml_node_t *item, cf_expect *e)
{
    if (!cf_ymap_check(ctx, item, "a header check", header_keys)) return false;
    yaml_node_t *name_node = cf_ymap_require(ctx, item, "name", "a header check");
    char *name = NULL;
    if (!name_node || !cf_ystr(ctx, name_node, "'name'", &name)) return false;
    bool ok = true, any = false, flag = false;
    yaml_node_t *v;
    if ((v = cf_ymap_get(ctx, item, "present")) && (ok = cf_ybool(ctx, v, "'present'", &flag))) {
        any = add_header_check(e, name, v, flag ? CF_HDR_PRESENT : CF_HDR_ABSENT) != NULL;
    }
    if ((v = cf_ymap_get(ctx, item, "absent"))) {
        if (cf_ybool(ctx, v, "'absent'", &flag))
            any = add_header_check(e, name, v, flag ? CF_HDR_ABSENT : CF_HDR_PRESENT) != NULL;
        else
            ok = false;
    }
    if ((v = cf_ymap_get(ctx, item, "equals"))) {
        cf_header_check *h = add_header_check(e, name, v, CF_HDR_EQUALS);
        ok =
            h && cf_load_expect_bytes(ctx, v, "'equals'", &h->bytes, &h->bytes_len, &h->tmpl) && ok;
        any = true;
    }
    if ((v = cf_ymap_get(ctx, item, "matches"))) {
        cf_header_check *h = add_header_check(e, name, v, CF_HDR_MATCHES);
        ok = h && cf_load_regex(ctx, v, "'matches'", &h->re, &h->pattern) && ok;
        any = true;
    }
    unsigned long count = 0;
    if ((v = cf_ymap_get(ctx, item, "count"))) {
        if (cf_yuint(ctx, v, "'count'", 0, 1000, &count)) {
            cf_header_check *h = add_header_check(e, name, v, CF_HDR_COUNT);
            if (h) h->count = count;
            any = true;
        } else
            ok = false;
    }
    if (!any && ok) {
        cf_yerr(ctx, item,
                "a header check on '%s' needs one of present, absent, equals, "
                "matches or count",
                name);
        ok = false;
    }
    free(name);
    return ok;
}

static bool load_headers(cf_yctx *ctx, yaml_node_t *node, cf_expect *e)
{
    long n = cf_yseq_len(ctx, node, "'headers'");
    bool ok = n >= 0;
    for (long i = 0; i < n && !ctx->stop; i++)
        ok = load_header_item(ctx, cf_yseq_item(ctx, node, (size_t)i), e) && ok;
    return ok;
}

static cf_body_check *add_body_check(cf_expect *e, yaml_node_t *at, cf_body_op op)
{
    cf_body_check *n = realloc(e->body, (e->nbody + 1) * sizeof *n);
    if (!n) return NULL;
    e->body = n;
    cf_body_check *b = &n[e->nbody++];
    memset(b, 0, sizeof *b);
    b->op = op;
    b->pos = (cf_spec_pos){(unsigned)at->start_mark.line + 1, (unsigned)at->start_mark.column + 1};
    return b;
}

static const char *const body_keys[] = {"equals", "contains", "matches", "length", "empty", NULL};

static bool load_body(cf_yctx *ctx, yaml_node_t *node, cf_expect *e)
{
    if (!cf_ymap_check(ctx, node, "'body'", body_keys)) return false;
    bool ok = true, flag = false;
    unsigned long len = 0;
    yaml_node_t *v;
    cf_body_check *b;
    if ((v = cf_ymap_get(ctx, node, "equals")) && (b = add_body_check(e, v, CF_BODY_EQUALS)))
        ok = cf_load_expect_bytes(ctx, v, "'equals'", &b->bytes, &b->bytes_len, &b->tmpl) && ok;
    if ((v = cf_ymap_get(ctx, node, "contains"))) {
        bool list = v->type == YAML_SEQUENCE_NODE;
        long n = list ? cf_yseq_len(ctx, v, "'contains'") : 1;
        for (long i = 0; i < n; i++) {
            yaml_node_t *item = list ? cf_yseq_item(ctx, v, (size_t)i) : v;
            if ((b = add_body_check(e, item, CF_BODY_CONTAINS)))
                ok = cf_load_expect_bytes(ctx, item, "'contains'", &b->bytes, &b->bytes_len,
                                          &b->tmpl) &&
                     ok;
        }
    }
    if ((v = cf_ymap_get(ctx, node, "matches")) && (b = add_body_check(e, v, CF_BODY_MATCHES)))
        ok = cf_load_regex(ctx, v, "'matches'", &b->re, &b->pattern) && ok;
    if ((v = cf_ymap_get(ctx, node, "length"))) {
        if (cf_yuint(ctx, v, "'length'", 0, CF_SPEC_MAX_FILE_BYTES, &len) &&
            (b = add_body_check(e, v, CF_BODY_LENGTH)))
            b->length = len;
        else
            ok = false;
    }
    if ((v = cf_ymap_get(ctx, node, "empty"))) {
        if (cf_ybool(ctx, v, "'empty'", &flag))
            add_body_check(e, v, flag ? CF_BODY_EMPTY : CF_BODY_NONEMPTY);
        else
            ok = false;
    }
    if (ok && e->nbody == 0) {
        cf_yerr(ctx, node, "'body' needs one of equals, contains, matches, length or empty");
        ok = false;
    }
    return ok;
}

/* responses: N or "N-M" */
static bool load_responses(cf_yctx *ctx, yaml_node_t *node, cf_expect *e)
{
    const char *s = cf_yscalar(node);
    const char *dash = s ? strchr(s, '-') : NULL;
    unsigned long lo = 0, hi = 0;
    char *end = NULL;
    bool ok = s && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && *s >= '0' && *s <= '9';
    if (ok) {
        lo = strtoul(s, &end, 10);
        hi = lo;
        if (dash && end == dash && dash[1] >= '0' && dash[1] <= '9')
            hi = strtoul(dash + 1, &end, 10);
        ok = *end == 0 && lo <= hi && hi <= 1000;
    }
    if (!ok) {
        cf_yerr(ctx, node,
                "expected a count 0..1000 (2) or a range (0-1) for 'responses', got "
                "%s%s%s%s",
                cf_ykind(node), s ? " '" : "", s ? s : "", s ? "'" : "");
        return false;
    }
    e->has_responses = true;
    e->responses_min = (unsigned)lo;
    e->responses_max = (unsigned)hi;
    return true;
}

static bool load_connection(cf_yctx *ctx, yaml_node_t *node, cf_expect *e)
{
    const char *s = cf_yscalar(node);
    if (s && !strcmp(s, "closed"))
        e->connection = CF_CONN_CLOSED;
    else if (s && !strcmp(s, "open"))
        e->connection = CF_CONN_OPEN;
    else {
        cf_yerr(ctx, node, "expected one of closed, open for 'connection', got %s%s%s%s",
                cf_ykind(node), s ? " '" : "", s ? s : "", s ? "'" : "");
        return false;
    }
    return true;
}

/* complies: a non-empty list of distinct rule ids of rules.def (docs/rules.md). No "all": a case
 * judges named requirements at its own level, and a rule added to the catalogue later must not
 * change the verdict of a case written before it. */
static bool load_complies(cf_yctx *ctx, yaml_node_t *node, cf_expect *e)
{
    if (node->type != YAML_SEQUENCE_NODE) {
        const char *s = cf_yscalar(node);
        cf_yerr(ctx, node,
                "expected a list of rule ids (docs/rules.md) for 'complies', got %s%s%s%s",
                cf_ykind(node), s ? " '" : "", s ? s : "", s ? "'" : "");
        return false;
    }
    long n = cf_yseq_len(ctx, node, "'complies'");
    if (n == 0) {
        cf_yerr(ctx, node, "'complies' needs at least one rule id");
        return false;
    }
    e->complies = calloc((size_t)n, sizeof *e->complies);
    if (!e->complies) return false;
    bool ok = true;
    for (long i = 0; i < n; i++) {
        yaml_node_t *item = cf_yseq_item(ctx, node, (size_t)i);
        const char *id = item->type == YAML_SCALAR_NODE ? cf_yscalar(item) : NULL;
        int rule = id ? cf_rule_find(id, item->data.scalar.length) : -1;
        if (!id) {
            cf_yerr(ctx, item, "expected a rule id in 'complies', got %s", cf_ykind(item));
        } else if (rule < 0) {
            cf_yerr(ctx, item, "unknown rule '%s' in 'complies' (docs/rules.md lists the %zu ids)",
                    id, cf_rules_count());
        } else {
            bool dup = false;
            for (size_t k = 0; k < e->ncomplies && !dup; k++)
                dup = e->complies[k] == (unsigned)rule;
            if (!dup) {
                e->complies[e->ncomplies++] = (unsigned)rule;
                continue;
            }
            cf_yerr(ctx, item, "rule '%s' is listed twice in 'complies'", id);
        }
        ok = false;
    }
    return ok;
}

/* 'sequence' or 'any_of': a non-empty list of expectations. */
static bool load_expect_list(cf_yctx *ctx, yaml_node_t *node, const char *what, expect_place place,
                             cf_expect **out, size_t *nout, int depth)
{
    long n = cf_yseq_len(ctx, node, what);
    if (n < 0) return false;
    if (n == 0) {
        cf_yerr(ctx, node, "%s needs at least one entry", what);
        return false;
    }
    *out = calloc((size_t)n, sizeof **out);
    if (!*out) return false;
    bool ok = true;
    for (long i = 0; i < n && !ctx->stop; i++) {
        ok =
            load_expect_at(ctx, cf_yseq_item(ctx, node, (size_t)i), &(*out)[i], place, depth + 1) &&
            ok;
        (*nout)++;
    }
    return ok;
}

static bool load_expect_at(cf_yctx *ctx, yaml_node_t *node, cf_expect *e, expect_place place,
                           int depth)
{
    static const char *const what[] = {"'expect'", "an 'any_of' alternative", "a 'sequence' entry",
                                       "'premise'"};
    static const char *const *const keys_of[] = {top_keys, alt_keys, seq_keys, premise_keys};
    const char *const *keys = keys_of[place];
    e->pos =
        (cf_spec_pos){(unsigned)node->start_mark.line + 1, (unsigned)node->start_mark.column + 1};
    if (depth > CF_SPEC_MAX_DEPTH) {
        cf_yerr(ctx, node, "expectations nested too deeply");
        return false;
    }
    if (!cf_ymap_check(ctx, node, what[place], keys)) return false;
    bool ok = true;
    yaml_node_t *v;
    unsigned long ms = 0;
    if ((v = cf_ymap_get(ctx, node, "status"))) ok = load_status(ctx, v, e) && ok;
    if ((v = cf_ymap_get(ctx, node, "headers"))) ok = load_headers(ctx, v, e) && ok;
    if ((v = cf_ymap_get(ctx, node, "body"))) ok = load_body(ctx, v, e) && ok;
    if ((v = cf_ymap_get(ctx, node, "connection"))) ok = load_connection(ctx, v, e) && ok;
    if ((v = cf_ymap_get(ctx, node, "responses"))) ok = load_responses(ctx, v, e) && ok;
    if ((v = cf_ymap_get(ctx, node, "sequence")))
        ok = load_expect_list(ctx, v, "'sequence'", PLACE_SEQUENCE, &e->sequence, &e->nsequence,
                              depth) &&
             ok;
    if ((v = cf_ymap_get(ctx, node, "any_of")))
        ok = load_expect_list(ctx, v, "'any_of'", PLACE_ALTERNATIVE, &e->any_of, &e->nany_of,
                              depth) &&
             ok;
    if ((v = cf_ymap_get(ctx, node, "complies"))) ok = load_complies(ctx, v, e) && ok;
    if ((v = cf_ymap_get(ctx, node, "time_limit_ms"))) {
        if (cf_yuint(ctx, v, "'time_limit_ms'", 1, 600000, &ms))
            e->time_limit_ms = (unsigned)ms;
        else
            ok = false;
    }
    if ((v = cf_ymap_get(ctx, node, "arrives_within_ms"))) {
        if (cf_yuint(ctx, v, "'arrives_within_ms'", 1, 600000, &ms))
            e->arrives_within_ms = (unsigned)ms;
        else
            ok = false;
    }
    if (node->data.mapping.pairs.top == node->data.mapping.pairs.start) {
        static const char *const needs[] = {
            ("status, headers, body, connection, responses, sequence, any_of, complies, "
             "arrives_within_ms"),
            "status, headers, body, connection, responses, sequence", "status, headers, body",
            "status, headers, body, connection, responses, sequence, any_of"};
        cf_yerr(ctx, node, "%s checks nothing: expected at least one of %s", what[place],
                needs[place]);
        ok = false;
    }
    return ok;
}

bool cf_load_expect(cf_yctx *ctx, yaml_node_t *node, cf_expect *e)
{
    return load_expect_at(ctx, node, e, PLACE_TOP, 0);
}

bool cf_load_premise(cf_yctx *ctx, yaml_node_t *node, cf_expect *e)
{
    return load_expect_at(ctx, node, e, PLACE_PREMISE, 0);
}
