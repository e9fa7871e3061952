/* The end-of-run summaries (report_summary.h). */
#include "report_summary.h"

#include "report_rules.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int cf_section_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            const char *x = a, *y = b;
            while (*x == '0')
                x++;
            while (*y == '0')
                y++;
            size_t lx = 0, ly = 0;
            while (isdigit((unsigned char)x[lx]))
                lx++;
            while (isdigit((unsigned char)y[ly]))
                ly++;
            if (lx != ly) return lx < ly ? -1 : 1;
            int c = memcmp(x, y, lx);
            if (c) return c < 0 ? -1 : 1;
            a = x + lx;
            b = y + ly;
            continue;
        }
        if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* Grows an array of elements of size sz to hold one more; NULL when memory ran out. */
static void *grow(void *arr, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : 8;
    void *p = realloc(arr, nc * sz);
    if (p) *cap = nc;
    return p;
}

typedef struct acc {
    cf_report_summary *s;
    size_t sec_cap, cat_cap, rule_cap;
    bool oom;
} acc;

static void add_section(acc *a, const cf_report_case *c)
{
    cf_report_summary *s = a->s;
    unsigned lv = c->level, vd = c->verdict;
    if (lv >= CF_RL__COUNT || vd >= CF_RV__COUNT) return;
    const char *sec = c->section ? c->section : "";
    for (size_t i = 0; i < s->nsections; i++)
        if (s->sections[i].rfc == c->rfc && !strcmp(s->sections[i].section, sec)) {
            s->sections[i].n[lv][vd]++;
            return;
        }
    void *p = grow(s->sections, s->nsections, &a->sec_cap, sizeof *s->sections);
    if (!p) {
        a->oom = true;
        return;
    }
    s->sections = p;
    cf_summary_section *x = &s->sections[s->nsections++];
    memset(x, 0, sizeof *x);
    x->rfc = c->rfc;
    x->section = sec;
    x->n[lv][vd] = 1;
}

static void count_status(acc *a, cf_summary_category *cat, int status)
{
    for (size_t i = 0; i < cat->nstatuses; i++)
        if (cat->statuses[i].status == status) {
            cat->statuses[i].count++;
            return;
        }
    size_t cap = cat->nstatuses; /* grows one at a time: a category sees few codes */
    void *p = realloc(cat->statuses, (cap + 1) * sizeof *cat->statuses);
    if (!p) {
        a->oom = true;
        return;
    }
    cat->statuses = p;
    cat->statuses[cat->nstatuses++] = (cf_summary_status){status, 1};
}

static void add_statuses(acc *a, const cf_report_case *c)
{
    cf_report_summary *s = a->s;
    const char *name = c->category ? c->category : "uncategorized";
    cf_summary_category *cat = NULL;
    for (size_t i = 0; i < s->ncategories && !cat; i++)
        if (!strcmp(s->categories[i].name, name)) cat = &s->categories[i];
    if (!cat) {
        void *p = grow(s->categories, s->ncategories, &a->cat_cap, sizeof *s->categories);
        if (!p) {
            a->oom = true;
            return;
        }
        s->categories = p;
        cat = &s->categories[s->ncategories++];
        memset(cat, 0, sizeof *cat);
        cat->name = name;
    }
    cat->ncases++;
    if (c->nresponses == 0) count_status(a, cat, 0);
    for (size_t i = 0; i < c->nresponses; i++)
        count_status(a, cat, c->responses[i].status);
}

/* Counts finding f of case c; first is true for the case's first finding of that rule. */
static void add_finding(acc *a, const cf_report_case *c, const cf_report_finding *f, bool first)
{
    cf_report_summary *s = a->s;
    cf_summary_rule *r = NULL;
    for (size_t i = 0; i < s->nrules && !r; i++)
        if (s->rules[i].rule == f->rule &&
            (f->rule >= 0 || !strcmp(s->rules[i].rule_id, cf_report_finding_id(f))))
            r = &s->rules[i];
    if (!r) {
        void *p = grow(s->rules, s->nrules, &a->rule_cap, sizeof *s->rules);
        if (!p) {
            a->oom = true;
            return;
        }
        s->rules = p;
        r = &s->rules[s->nrules++];
        memset(r, 0, sizeof *r);
        r->rule = f->rule;
        r->rule_id = cf_report_finding_id(f);
        r->section = cf_report_finding_section(f);
        r->level = f->level;
    }
    s->nfindings++;
    r->count++;
    if (!first) return;
    r->ncases++;
    if (r->nexamples < CF_SUMMARY_EXAMPLES) r->examples[r->nexamples++] = c->id;
}

/* True when finding f of response r is the first of its rule in case c. */
static bool first_of_rule(const cf_report_case *c, size_t r, size_t f)
{
    const cf_report_finding *x = &c->responses[r].findings[f];
    for (size_t r2 = 0; r2 <= r; r2++) {
        size_t end = r2 == r ? f : c->responses[r2].nfindings;
        for (size_t f2 = 0; f2 < end; f2++)
            if (cf_report_same_rule(&c->responses[r2].findings[f2], x)) return false;
    }
    return true;
}

static void add_findings(acc *a, const cf_report_case *c)
{
    for (size_t r = 0; r < c->nresponses; r++)
        for (size_t f = 0; f < c->responses[r].nfindings; f++)
            add_finding(a, c, &c->responses[r].findings[f], first_of_rule(c, r, f));
}

static int section_order(const void *x, const void *y)
{
    const cf_summary_section *a = x, *b = y;
    if (a->rfc != b->rfc) return a->rfc < b->rfc ? -1 : 1;
    return cf_section_cmp(a->section, b->section);
}

static int category_order(const void *x, const void *y)
{
    return strcmp(((const cf_summary_category *)x)->name, ((const cf_summary_category *)y)->name);
}

static int status_order(const void *x, const void *y)
{
    int a = ((const cf_summary_status *)x)->status, b = ((const cf_summary_status *)y)->status;
    return (a > b) - (a < b);
}

static int rule_order(const void *x, const void *y)
{
    const cf_summary_rule *a = x, *b = y;
    /* rules × cases first (one finding per rule per case is what users act on), then responses */
    if (a->ncases != b->ncases) return a->ncases > b->ncases ? -1 : 1;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return strcmp(a->rule_id, b->rule_id);
}

int cf_report_summarize(const cf_report_target *t, cf_report_summary *s)
{
    memset(s, 0, sizeof *s);
    acc a = {.s = s};
    for (size_t i = 0; i < t->ncases; i++) {
        const cf_report_case *c = &t->cases[i];
        if ((unsigned)c->verdict < CF_RV__COUNT) s->counts[c->verdict]++;
        s->total++;
        add_section(&a, c);
        add_statuses(&a, c);
        add_findings(&a, c);
    }
    if (a.oom) {
        cf_report_summary_free(s);
        return -1;
    }
    if (s->nsections) qsort(s->sections, s->nsections, sizeof *s->sections, section_order);
    if (s->ncategories) qsort(s->categories, s->ncategories, sizeof *s->categories, category_order);
    for (size_t i = 0; i < s->ncategories; i++)
        if (s->categories[i].nstatuses)
            qsort(s->categories[i].statuses, s->categories[i].nstatuses,
                  sizeof *s->categories[i].statuses, status_order);
    if (s->nrules) qsort(s->rules, s->nrules, sizeof *s->rules, rule_order);
    return 0;
}

void cf_report_summary_free(cf_report_summary *s)
{
    free(s->sections);
    for (size_t i = 0; i < s->ncategories; i++)
        free(s->categories[i].statuses);
    free(s->categories);
    free(s->rules);
    memset(s, 0, sizeof *s);
}
