/* Loading and saving baselines, JSON or YAML (gate_baseline.h, docs/baseline.md). */
#include "gate_baseline.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "report_formats.h"
#include "report_json_read.h"
#include "report_rules.h"
#include "rules.h"
#include "spec_yaml_budget.h"
#include "util_atomic.h"
#include "util_file.h"

#define MAX_BASELINE_BYTES    (64u << 20)
#define CF_BASELINE_MAX_DEPTH 64         /* a baseline nests 3 levels */
#define CF_BASELINE_MAX_NODES (1u << 20) /* each known entry is 3 to 7 nodes */

cf_baseline_kind cf_baseline_sniff(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') continue;
        return text[i] == '{' ? CF_BASELINE_JSON : CF_BASELINE_YAML;
    }
    return CF_BASELINE_YAML;
}

void cf_baseline_free(cf_baseline *b)
{
    cf_gate_set_free(&b->set);
    memset(b, 0, sizeof *b);
}

static int errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Reports a problem at node's start as name:line:column (1-based). */
static int node_err(const char *name, const yaml_node_t *node, char *err, size_t errlen,
                    const char *what)
{
    return errf(err, errlen, "%s:%zu:%zu: %s", name, node->start_mark.line + 1,
                node->start_mark.column + 1, what);
}

/* The text of a non-empty scalar, or NULL. */
static const char *scalar(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE) return NULL;
    return (const char *)n->data.scalar.value;
}

enum { K_ID, K_REASON, K_TARGET, K_RULE, K_CASE, K__COUNT };

/* Checks the combination of keys of one entry (v: the values by K_*); 0, or -1 (err set). */
static int check_entry(const char **v, yaml_node_t *item, const char *name, char *err,
                       size_t errlen)
{
    if (v[K_CASE] && v[K_ID])
        return node_err(name, item, err, errlen, "'case' and 'id' name the same thing: give one");
    if (v[K_CASE] && !v[K_RULE])
        return node_err(name, item, err, errlen, "'case' goes with 'rule' (a case alone is 'id')");
    if (!v[K_ID] && !v[K_RULE])
        return node_err(name, item, err, errlen, "missing required key 'id'");
    if (v[K_RULE] && cf_rule_find(v[K_RULE], strlen(v[K_RULE])) < 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "unknown rule '%.100s' (docs/rules.md lists them)", v[K_RULE]);
        return node_err(name, item, err, errlen, msg);
    }
    return 0;
}

/* True when s already holds an entry for the same case (or rule) and target. */
static bool listed(const cf_gate_set *s, const char *id, const char *rule, const char *target)
{
    for (size_t i = 0; i < s->n; i++) {
        const cf_gate_entry *e = &s->v[i];
        if (!e->id != !id || (id && strcmp(e->id, id))) continue;
        if (!e->rule != !rule || (rule && strcmp(e->rule, rule))) continue;
        if (!e->target == !target && (!target || !strcmp(e->target, target))) return true;
    }
    return false;
}

/* Reads one `known:` entry into s: a case (id) or a rule (rule, optionally case). Returns 0 or
 * -1 (err set). */
static int load_entry(yaml_document_t *doc, yaml_node_t *item, const char *name, cf_gate_set *s,
                      char *err, size_t errlen)
{
    if (item->type != YAML_MAPPING_NODE)
        return node_err(name, item, err, errlen,
                        "expected a mapping {id: ..., reason: ...} or {rule: ..., case: ...} in "
                        "known:");
    const char *v[K__COUNT] = {NULL};
    static const char *const keys[K__COUNT] = {"id", "reason", "target", "rule", "case"};
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *val = yaml_document_get_node(doc, p->value);
        const char *ks = scalar(k);
        int which = -1;
        for (int i = 0; i < K__COUNT && ks; i++)
            if (!strcmp(ks, keys[i])) which = i;
        char msg[256];
        if (which < 0) {
            snprintf(msg, sizeof msg,
                     "unknown key '%.100s' (expected id, reason, target, rule, case)",
                     ks ? ks : "?");
            return node_err(name, k, err, errlen, msg);
        }
        if (v[which]) {
            snprintf(msg, sizeof msg, "duplicate key '%s'", keys[which]);
            return node_err(name, k, err, errlen, msg);
        }
        v[which] = scalar(val);
        if (!v[which] || (which != K_REASON && !*v[which])) {
            snprintf(msg, sizeof msg, "'%s' must be a non-empty string", keys[which]);
            return node_err(name, val, err, errlen, msg);
        }
    }
    if (check_entry(v, item, name, err, errlen) < 0) return -1;
    const char *id = v[K_ID] ? v[K_ID] : v[K_CASE];
    if (listed(s, id, v[K_RULE], v[K_TARGET]))
        return node_err(name, item, err, errlen,
                        v[K_RULE] ? "the same rule (case and target) is listed twice"
                                  : "the same id (and target) is listed twice");
    int rc = v[K_RULE]
                 ? cf_gate_set_add_rule(s, v[K_TARGET], id, v[K_RULE], CF_GATE_KNOWN, v[K_REASON])
                 : cf_gate_set_add(s, v[K_TARGET], id, CF_GATE_KNOWN, v[K_REASON]);
    if (rc < 0) return errf(err, errlen, "%s: out of memory", name);
    return 0;
}

/* Reads the YAML document's `known:` list into s. Returns 0 or -1 (err set). */
static int load_yaml_doc(yaml_document_t *doc, const char *name, cf_gate_set *s, char *err,
                         size_t errlen)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root)
        return errf(err, errlen, "%s:1:1: empty baseline: expected 'known:' with a list", name);
    if (root->type != YAML_MAPPING_NODE)
        return node_err(name, root, err, errlen, "expected a mapping with the key 'known'");
    yaml_node_t *known = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        const char *ks = scalar(k);
        if (!ks || strcmp(ks, "known")) {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown key '%.100s' (expected known)", ks ? ks : "?");
            return node_err(name, k, err, errlen, msg);
        }
        known = yaml_document_get_node(doc, p->value);
    }
    if (!known) return node_err(name, root, err, errlen, "missing required key 'known'");
    if (known->type == YAML_SCALAR_NODE &&
        (!*scalar(known) || !strcmp(scalar(known), "~") || !strcmp(scalar(known), "null")))
        return 0; /* known: (nothing known) */
    if (known->type != YAML_SEQUENCE_NODE)
        return node_err(name, known, err, errlen, "'known' must be a list of {id, reason}");
    for (yaml_node_item_t *it = known->data.sequence.items.start;
         it < known->data.sequence.items.top; it++)
        if (load_entry(doc, yaml_document_get_node(doc, *it), name, s, err, errlen) < 0) return -1;
    return 0;
}

/* Depth and node budgets checked on the event stream before libyaml builds the document. */
static int yaml_within_budget(const char *text, size_t len, const char *name, char *err,
                              size_t errlen)
{
    size_t line, col;
    const char *why =
        cf_yaml_over_budget(text, len, CF_BASELINE_MAX_DEPTH, CF_BASELINE_MAX_NODES, &line, &col);
    if (!why) return 0;
    return errf(err, errlen,
                "%s:%zu:%zu: %s (a baseline nests at most %d levels and holds at most %u nodes, "
                "docs/limits.md)",
                name, line, col, why, CF_BASELINE_MAX_DEPTH, CF_BASELINE_MAX_NODES);
}

static int load_yaml(const char *text, size_t len, const char *name, cf_gate_set *s, char *err,
                     size_t errlen)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (yaml_within_budget(text, len, name, err, errlen) < 0) return -1;
    if (!yaml_parser_initialize(&parser)) return errf(err, errlen, "%s: out of memory", name);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc;
    if (!yaml_parser_load(&parser, &doc)) {
        char ctx[160] = "";
        if (parser.context)
            snprintf(ctx, sizeof ctx, " (%s at %zu:%zu)", parser.context,
                     parser.context_mark.line + 1, parser.context_mark.column + 1);
        rc =
            errf(err, errlen, "%s:%zu:%zu: %s%s", name, parser.problem_mark.line + 1,
                 parser.problem_mark.column + 1, parser.problem ? parser.problem : "bad YAML", ctx);
    } else {
        rc = load_yaml_doc(&doc, name, s, err, errlen);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return rc;
}

int cf_baseline_load_text(const char *text, size_t len, const char *name, cf_baseline *out,
                          char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->kind = cf_baseline_sniff(text, len);
    int rc;
    if (out->kind == CF_BASELINE_YAML) {
        rc = load_yaml(text, len, name, &out->set, err, errlen);
    } else {
        cf_report r;
        rc = cf_report_json_read_text(text, len, name, &r, err, errlen);
        if (rc == 0 && (cf_gate_set_from_report(&out->set, &r) < 0 ||
                        cf_gate_set_add_rules(&out->set, &r) < 0))
            rc = errf(err, errlen, "%s: out of memory", name);
        if (rc == 0) cf_report_free(&r);
    }
    if (rc < 0) cf_baseline_free(out);
    return rc;
}

/* Reads the whole file into a malloc'd buffer. Returns 0, or -1 with err set. */
static int slurp(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
    cf_file_status st = cf_file_read(path, MAX_BASELINE_BYTES, text, len);
    if (st == CF_FILE_OK) return 0;
    if (st == CF_FILE_TOO_LARGE) return errf(err, errlen, "%s: larger than 64 MiB", path);
    return errf(err, errlen, "cannot read %s: %s", path, cf_file_strerror(st));
}

int cf_baseline_load(const char *path, cf_baseline *out, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    if (slurp(path, &text, &len, err, errlen) < 0) return -1;
    int rc = cf_baseline_load_text(text, len, path, out, err, errlen);
    free(text);
    return rc;
}

/* Writes s as a YAML double-quoted scalar (YAML 1.2 §7.3.1 escapes). */
static void yaml_quoted(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(fp, "\\x%02x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

static void yaml_entry(FILE *fp, const char *id, const char *rule, const char *target,
                       const char *reason)
{
    if (rule) {
        fputs("  - rule: ", fp);
        yaml_quoted(fp, rule);
        if (id) fputs("\n    case: ", fp);
    } else {
        fputs("  - id: ", fp);
    }
    if (id) yaml_quoted(fp, id);
    if (target) {
        fputs("\n    target: ", fp);
        yaml_quoted(fp, target);
    }
    if (reason) {
        fputs("\n    reason: ", fp);
        yaml_quoted(fp, reason);
    }
    fputc('\n', fp);
}

/* The case entry of old matching (target, id), or NULL. */
static const cf_gate_entry *old_entry(const cf_baseline *old, const char *target, const char *id)
{
    for (size_t i = 0; old && i < old->set.n; i++) {
        const cf_gate_entry *e = &old->set.v[i];
        if (!e->rule && !strcmp(e->id, id) && (!e->target || !strcmp(e->target, target))) return e;
    }
    return NULL;
}

/* The index in old of the rule entry covering rule in case id on target (one for that case
 * first, then one for every case), or -1. */
static long old_rule_entry(const cf_baseline *old, const char *target, const char *id,
                           const char *rule)
{
    long any = -1;
    for (size_t i = 0; old && i < old->set.n; i++) {
        const cf_gate_entry *e = &old->set.v[i];
        if (!e->rule || strcmp(e->rule, rule) || (e->target && strcmp(e->target, target))) continue;
        if (e->id && !strcmp(e->id, id)) return (long)i;
        if (!e->id && any < 0) any = (long)i;
    }
    return any;
}

/* True when now holds a case for e (its id on its target, or on any target without one). A
 * rule entry for every case is held by nothing: it is written while its rule is still found. */
static bool now_holds(const cf_report *now, const cf_gate_entry *e)
{
    if (!e->id) return false;
    for (size_t t = 0; t < now->ntargets; t++) {
        if (e->target && strcmp(e->target, now->targets[t].name)) continue;
        for (size_t i = 0; i < now->targets[t].ncases; i++)
            if (!strcmp(now->targets[t].cases[i].id, e->id)) return true;
    }
    return false;
}

/* True when a target before now->targets[t] has a case id failing under f. */
static bool failing_before(const cf_report *now, size_t t, const char *id, cf_failon f)
{
    for (size_t k = 0; k < t; k++)
        for (size_t i = 0; i < now->targets[k].ncases; i++)
            if (!strcmp(now->targets[k].cases[i].id, id) &&
                cf_failon_fails(f, now->targets[k].cases[i].verdict))
                return true;
    return false;
}

/* Where write_yaml is: the file, how many entries it wrote, which of old's it wrote already. */
typedef struct yaml_out {
    FILE *fp;
    size_t written;
    bool *done; /* per entry of old (NULL: none) */
} yaml_out;

static void put(yaml_out *y, const char *id, const char *rule, const char *target,
                const char *reason)
{
    if (!y->written++) fputc('\n', y->fp);
    yaml_entry(y->fp, id, rule, target, reason);
}

/* The rule findings of case c on target t of now failing under f, each as its old entry (written
 * once) or a new one. */
static void write_case_rules(yaml_out *y, const cf_baseline *old, const cf_report *now, size_t t,
                             const cf_report_case *c, cf_failon f)
{
    cf_case_rules rs;
    if (cf_case_rules_collect(c, &rs) < 0) return;
    for (size_t k = 0; k < rs.n; k++) {
        const cf_report_finding *x = rs.v[k].first;
        if (!cf_failon_fails(f, cf_report_rule_verdict(x->level, now->strict))) continue;
        const char *rule = cf_report_finding_id(x), *name = now->targets[t].name;
        long e = old_rule_entry(old, name, c->id, rule);
        if (e >= 0 && y->done[e]) continue;
        if (e >= 0) {
            const cf_gate_entry *o = &old->set.v[e];
            y->done[e] = true;
            put(y, o->id, o->rule, o->target, o->reason);
        } else {
            put(y, c->id, rule, now->ntargets > 1 ? name : NULL, NULL);
        }
    }
    cf_case_rules_free(&rs);
}

static void write_yaml(FILE *fp, const cf_baseline *old, const cf_report *now, cf_failon f,
                       cf_rules_mode mode, bool *done)
{
    fprintf(fp,
            "# Known deviations for conform run --baseline (docs/baseline.md).\n"
            "# Rewritten by --update-baseline --fail-on %s; give new entries a reason.\n"
            "known:",
            cf_failon_name(f));
    yaml_out y = {fp, 0, done};
    for (size_t t = 0; t < now->ntargets; t++)
        for (size_t i = 0; i < now->targets[t].ncases; i++) {
            const cf_report_case *c = &now->targets[t].cases[i];
            if (!cf_failon_fails(f, c->verdict)) continue;
            const cf_gate_entry *e = old_entry(old, now->targets[t].name, c->id);
            const char *target = e ? e->target : now->ntargets > 1 ? now->targets[t].name : NULL;
            if (e && !e->target && failing_before(now, t, c->id, f))
                continue; /* one target-less entry covers this id on every target */
            put(&y, c->id, NULL, target, e ? e->reason : NULL);
        }
    for (size_t t = 0; t < now->ntargets && cf_report_rules_gate(mode); t++)
        for (size_t i = 0; i < now->targets[t].ncases; i++)
            write_case_rules(&y, old, now, t, &now->targets[t].cases[i], f);
    for (size_t i = 0; old && i < old->set.n; i++) {
        const cf_gate_entry *o = &old->set.v[i];
        /* kept: what this run did not judge (rules not gated, cases not run) */
        bool keep =
            !done[i] && ((o->rule && !cf_report_rules_gate(mode)) || (o->id && !now_holds(now, o)));
        if (keep) put(&y, o->id, o->rule, o->target, o->reason);
    }
    if (!y.written) fputs(" []\n", fp);
}

/* cf_baseline_save with done: one flag per entry of old (write_yaml). */
static int save(const char *path, cf_baseline_kind kind, const cf_baseline *old,
                const cf_report *now, cf_failon f, cf_rules_mode mode, bool *done, char *err,
                size_t errlen)
{
    cf_atomic_file af; /* the previous baseline stays whole until the new one is */
    if (cf_atomic_open(&af, path) < 0)
        return errf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    int w = 0;
    if (kind == CF_BASELINE_JSON)
        w = cf_report_json(now, af.fp);
    else
        write_yaml(af.fp, old, now, f, mode, done);
    if (w < 0) errno = EIO;
    if (w < 0 || cf_atomic_commit(&af) < 0) {
        int e = errno;
        cf_atomic_abort(&af);
        return errf(err, errlen, "cannot write %s: %s", path, strerror(e));
    }
    return 0;
}

int cf_baseline_save(const char *path, cf_baseline_kind kind, const cf_baseline *old,
                     const cf_report *now, cf_failon f, cf_rules_mode mode, char *err,
                     size_t errlen)
{
    bool *done = calloc(old && old->set.n ? old->set.n : 1, sizeof *done);
    if (!done) return errf(err, errlen, "%s: out of memory", path);
    int rc = save(path, kind, old, now, f, mode, done, err, errlen);
    free(done);
    return rc;
}
