/* The verdict comparison behind `conform run --baseline` and `conform diff`: two sets of
 * (target, case id, verdict), matched by target and id, classified into regressions, fixes and
 * other changes (docs/baseline.md). One function serves both; cf_gate_rules picks the measure. */
#ifndef CF_GATE_COMPARE_H
#define CF_GATE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "gate_failon.h"
#include "report_model.h"

/* What a comparison knows of a case besides a verdict (cf_report_verdict). */
enum {
    CF_GATE_KNOWN = -1, /* listed as known to fail (a YAML baseline entry) */
    CF_GATE_ABSENT = -2 /* not in the set (cf_gate_change) */
};

/* One case's verdict, or one compliance rule broken in a case, as a comparison sees it. All
 * strings owned by the set. */
typedef struct cf_gate_entry {
    char *target; /* NULL: any target (a YAML baseline entry without `target:`) */
    char *id;     /* the case; NULL only for a rule entry covering every case */
    int verdict;  /* CF_RV_* (for a rule: the verdict its level stands for), or CF_GATE_KNOWN */
    char *reason; /* why it is known to fail (YAML baseline); NULL otherwise */
    char *rule;   /* a rule entry: the rule id (docs/rules.md); NULL: a case entry */
} cf_gate_entry;

/* A list of entries, in order. */
typedef struct cf_gate_set {
    cf_gate_entry *v;
    size_t n, cap;
} cf_gate_set;

/* Appends an entry with copies of the strings (any may be NULL but id) and the verdict (CF_RV_*
 * or CF_GATE_KNOWN); returns 0, or -1 out of memory. */
int cf_gate_set_add(cf_gate_set *s, const char *target, const char *id, int verdict,
                    const char *reason);

/* Appends a rule entry: rule broken in case id (NULL: in every case) on target (NULL: any);
 * copies the strings. Returns 0, or -1 out of memory. */
int cf_gate_set_add_rule(cf_gate_set *s, const char *target, const char *id, const char *rule,
                         int verdict, const char *reason);

/* Appends every case of every target of r; returns 0, or -1 out of memory. */
int cf_gate_set_from_report(cf_gate_set *s, const cf_report *r);

/* Appends a rule entry per rule broken per case of every target of r (report_rules.h), with the
 * verdict its level stands for (r->strict applied); returns 0, or -1 out of memory. */
int cf_gate_set_add_rules(cf_gate_set *s, const cf_report *r);

/* Frees everything s owns and zeroes it. */
void cf_gate_set_free(cf_gate_set *s);

/* What happened to one case between the two sets. */
typedef enum {
    CF_CHANGE_REGRESSION, /* got worse (baseline: fails now, did not fail before) */
    CF_CHANGE_FIXED,      /* got better (baseline: failed before, does not fail now) */
    CF_CHANGE_ADDED,      /* only in the new set (diff) */
    CF_CHANGE_REMOVED,    /* only in the old set (diff) */
    CF_CHANGE_OTHER,      /* verdict changed, neither better nor worse (FAIL <-> ERROR) */
    CF_CHANGE__COUNT
} cf_change_kind;

/* One change; the strings are borrowed from the two sets. */
typedef struct cf_gate_change {
    cf_change_kind kind;
    const char *target; /* the new set's target (the old one's for REMOVED) */
    const char *id;     /* NULL: a baseline rule entry covering every case */
    const char *rule;   /* a rule finding: its rule id; NULL: the case's verdict */
    int old_verdict;    /* CF_RV_*, CF_GATE_KNOWN (a YAML baseline entry) or CF_GATE_ABSENT */
    int new_verdict;    /* CF_RV_* or CF_GATE_ABSENT */
    const char *reason; /* the baseline's reason, or NULL */
} cf_gate_change;

/* The changes, regressions and fixes in the new set's order, removed cases last. */
typedef struct cf_gate_changes {
    cf_gate_change *v;
    size_t n, cap;
    size_t count[CF_CHANGE__COUNT];
    size_t known_cases, known_rules; /* baseline: failing now and known to (not changes) */
} cf_gate_changes;

/* How to compare. */
typedef struct cf_gate_rules {
    /* true (--baseline): a case is either failing (per fail_on; a YAML entry always is) or not;
     * a regression fails now and did not before (absent counts as not failing), a fix is the
     * reverse; cases absent from the new set are not reported.
     * false (diff): verdicts are ranked PASS < INFO < WARN < FAIL = ERROR; worse is a
     * regression, better a fix; added and removed cases are reported. */
    bool baseline;
    cf_failon fail_on;
    /* When each set names exactly one target, pair them whatever their names. */
    bool pair_single;
    /* Compare the rule entries too (--rules gate): a rule finding absent from a set does not
     * fail there; one in old and gone from new is fixed, when new ran its case (or, for an
     * entry covering every case, whatever ran). false: rule entries of either set are ignored. */
    bool rules;
    /* diff: a case only in the new set that FAILs or ERRORs is a regression, not merely added
     * (a new case must not slip a failure past the gate); false: --allow-new-failures. */
    bool new_failures_regress;
} cf_gate_rules;

/* Compares old with now under rules into *out (zeroed first; free with cf_gate_changes_free).
 * Returns 0, or -1 out of memory (*out empty). */
int cf_gate_compare(const cf_gate_set *old, const cf_gate_set *now, const cf_gate_rules *rules,
                    cf_gate_changes *out);

/* Frees the change list and zeroes it. */
void cf_gate_changes_free(cf_gate_changes *c);

/* How printers show a change's verdict: "PASS"..., "known" (CF_GATE_KNOWN), NULL (absent). */
const char *cf_gate_verdict_text(int verdict);

/* "regression", "fixed", "added", "removed", "changed". */
const char *cf_change_kind_name(cf_change_kind k);

#endif
