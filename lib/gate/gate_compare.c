/* The verdict comparison shared by --baseline and conform diff (gate_compare.h). */
#include "gate_compare.h"

#include <stdlib.h>
#include <string.h>

#include "report_rules.h"

/* Appends an entry with copies of the strings; id may be NULL for a rule entry only. */
static int add(cf_gate_set *s, const char *target, const char *id, const char *rule, int verdict,
               const char *reason)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        cf_gate_entry *v = realloc(s->v, cap * sizeof *v);
        if (!v) return -1;
        s->v = v;
        s->cap = cap;
    }
    bool oom = false;
    cf_gate_entry e = {cf_report_strdup(target, &oom), cf_report_strdup(id, &oom), verdict,
                       cf_report_strdup(reason, &oom), cf_report_strdup(rule, &oom)};
    if (oom || (!e.id && !e.rule)) {
        free(e.target);
        free(e.id);
        free(e.reason);
        free(e.rule);
        return -1;
    }
    s->v[s->n++] = e;
    return 0;
}

int cf_gate_set_add(cf_gate_set *s, const char *target, const char *id, int verdict,
                    const char *reason)
{
    return id ? add(s, target, id, NULL, verdict, reason) : -1;
}

int cf_gate_set_add_rule(cf_gate_set *s, const char *target, const char *id, const char *rule,
                         int verdict, const char *reason)
{
    return rule ? add(s, target, id, rule, verdict, reason) : -1;
}

int cf_gate_set_from_report(cf_gate_set *s, const cf_report *r)
{
    for (size_t t = 0; t < r->ntargets; t++)
        for (size_t i = 0; i < r->targets[t].ncases; i++) {
            const cf_report_case *c = &r->targets[t].cases[i];
            if (cf_gate_set_add(s, r->targets[t].name, c->id, c->verdict, NULL) < 0) return -1;
        }
    return 0;
}

/* Appends the rule entries of case c on target; returns 0, or -1 out of memory. */
static int add_case_rules(cf_gate_set *s, const char *target, const cf_report_case *c, bool strict)
{
    cf_case_rules rs;
    if (cf_case_rules_collect(c, &rs) < 0) return -1;
    int rc = 0;
    for (size_t k = 0; k < rs.n && rc == 0; k++) {
        const cf_report_finding *f = rs.v[k].first;
        rc = add(s, target, c->id, cf_report_finding_id(f),
                 cf_report_rule_verdict(f->level, strict), NULL);
    }
    cf_case_rules_free(&rs);
    return rc;
}

int cf_gate_set_add_rules(cf_gate_set *s, const cf_report *r)
{
    for (size_t t = 0; t < r->ntargets; t++)
        for (size_t i = 0; i < r->targets[t].ncases; i++)
            if (add_case_rules(s, r->targets[t].name, &r->targets[t].cases[i], r->strict) < 0)
                return -1;
    return 0;
}

void cf_gate_set_free(cf_gate_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].target);
        free(s->v[i].id);
        free(s->v[i].reason);
        free(s->v[i].rule);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

void cf_gate_changes_free(cf_gate_changes *c)
{
    free(c->v);
    memset(c, 0, sizeof *c);
}

const char *cf_gate_verdict_text(int verdict)
{
    if (verdict == CF_GATE_ABSENT) return NULL;
    return verdict == CF_GATE_KNOWN ? "known" : cf_report_verdict_name(verdict);
}

const char *cf_change_kind_name(cf_change_kind k)
{
    static const char *const names[CF_CHANGE__COUNT] = {"regression", "fixed", "added", "removed",
                                                        "changed"};
    return (unsigned)k < CF_CHANGE__COUNT ? names[k] : "?";
}

/* True when every entry of s names the same (non-NULL) target. */
static bool single_target(const cf_gate_set *s)
{
    if (s->n == 0 || !s->v[0].target) return false;
    for (size_t i = 1; i < s->n; i++)
        if (!s->v[i].target || strcmp(s->v[i].target, s->v[0].target)) return false;
    return true;
}

static bool same_target(const char *a, const char *b, bool any)
{
    return any || !a || !b || !strcmp(a, b);
}

/* True when a and b name the same rule (both NULL: both are case entries). */
static bool same_rule(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* True when entry e matches (target, id, rule): a rule entry without a case covers every case. */
static bool matches(const cf_gate_entry *e, const char *target, const char *id, const char *rule,
                    bool any)
{
    if (!same_rule(e->rule, rule) || !same_target(e->target, target, any)) return false;
    return !e->id || !id || !strcmp(e->id, id);
}

/* The entry of s for (target, id, rule), or NULL. */
static const cf_gate_entry *find(const cf_gate_set *s, const char *target, const char *id,
                                 const char *rule, bool any)
{
    for (size_t i = 0; i < s->n; i++)
        if (matches(&s->v[i], target, id, rule, any)) return &s->v[i];
    return NULL;
}

/* How bad an entry is under rules: 0 or 1 (baseline), 0..3 (diff). NULL (absent) is 0. */
static int badness(const cf_gate_entry *e, const cf_gate_rules *rules)
{
    if (!e) return 0;
    if (rules->baseline)
        return e->verdict == CF_GATE_KNOWN ||
               cf_failon_fails(rules->fail_on, (cf_report_verdict)e->verdict);
    static const int rank[CF_RV__COUNT] = {
        [CF_RV_PASS] = 0, [CF_RV_SKIP] = 0, [CF_RV_XFAIL] = 0, [CF_RV_XPASS] = 3,
        [CF_RV_INFO] = 1, [CF_RV_WARN] = 2, [CF_RV_FAIL] = 3,  [CF_RV_ERROR] = 3};
    return e->verdict < 0 || e->verdict >= CF_RV__COUNT ? 3 : rank[e->verdict];
}

static int push(cf_gate_changes *out, cf_change_kind k, const char *target, const cf_gate_entry *o,
                const cf_gate_entry *n)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        cf_gate_change *v = realloc(out->v, cap * sizeof *v);
        if (!v) return -1;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = (cf_gate_change){k,
                                        target,
                                        n ? n->id : o->id,
                                        n ? n->rule : o->rule,
                                        o ? o->verdict : CF_GATE_ABSENT,
                                        n ? n->verdict : CF_GATE_ABSENT,
                                        o ? o->reason : NULL};
    out->count[k]++;
    return 0;
}

/* The change for an entry present in now (o may be NULL); returns 0, or -1 out of memory. A rule
 * finding absent before was not broken then: it is worse now, not added. */
static int classify(cf_gate_changes *out, const cf_gate_entry *o, const cf_gate_entry *n,
                    const cf_gate_rules *rules)
{
    if (!o && !rules->baseline && !n->rule)
        return push(out,
                    rules->new_failures_regress && badness(n, rules) == 3 ? CF_CHANGE_REGRESSION
                                                                          : CF_CHANGE_ADDED,
                    n->target, o, n);
    int before = badness(o, rules), after = badness(n, rules);
    if (after > before) return push(out, CF_CHANGE_REGRESSION, n->target, o, n);
    if (after < before) return push(out, CF_CHANGE_FIXED, n->target, o, n);
    if (rules->baseline && after) {
        if (n->rule)
            out->known_rules++;
        else
            out->known_cases++;
    }
    if (!rules->baseline && o->verdict != n->verdict)
        return push(out, CF_CHANGE_OTHER, n->target, o, n);
    return 0;
}

/* True when now ran the case of rule entry o (one covering every case: when now ran any). */
static bool ran_case(const cf_gate_set *now, const cf_gate_entry *o, bool any)
{
    return find(now, o->target, o->id, NULL, any) != NULL;
}

/* An entry of old that now does not hold: a rule finding gone from a case that ran is fixed; a
 * case is removed (diff only). */
static int gone(cf_gate_changes *out, const cf_gate_set *now, const cf_gate_entry *o,
                const cf_gate_rules *rules, bool any)
{
    if (!o->rule) return rules->baseline ? 0 : push(out, CF_CHANGE_REMOVED, o->target, o, NULL);
    if (!rules->rules || !badness(o, rules) || !ran_case(now, o, any)) return 0;
    return push(out, CF_CHANGE_FIXED, o->target, o, NULL);
}

int cf_gate_compare(const cf_gate_set *old, const cf_gate_set *now, const cf_gate_rules *rules,
                    cf_gate_changes *out)
{
    memset(out, 0, sizeof *out);
    bool any = rules->pair_single && single_target(old) && single_target(now);
    for (size_t i = 0; i < now->n; i++) {
        const cf_gate_entry *n = &now->v[i];
        if (n->rule && !rules->rules) continue;
        if (classify(out, find(old, n->target, n->id, n->rule, any), n, rules) < 0) goto oom;
    }
    for (size_t i = 0; i < old->n; i++) {
        const cf_gate_entry *o = &old->v[i];
        if (!find(now, o->target, o->id, o->rule, any) && gone(out, now, o, rules, any) < 0)
            goto oom;
    }
    return 0;
oom:
    cf_gate_changes_free(out);
    return -1;
}
