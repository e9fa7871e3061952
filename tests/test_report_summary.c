/* report_summary.c: counts per RFC section and level, status codes per category, rules ranked
 * by frequency with example cases, and the section order. */
#include <criterion/criterion.h>
#include <string.h>

#include "report_fixture.h"
#include "report_grid.h"
#include "report_summary.h"
#include "rules.h"

Test(report_summary, sections_by_rfc_then_number_with_levels)
{
    cf_report r;
    cf_fixture_report(&r);
    cf_report_summary s;
    cr_assert_eq(cf_report_summarize(&r.targets[0], &s), 0);
    cr_assert_eq(s.total, 5);
    size_t want_counts[CF_RV__COUNT] = {1, 1, 1, 1, 1};
    cr_expect_arr_eq(s.counts, want_counts, sizeof want_counts);
    cr_assert_eq(s.nsections, 3);
    cr_expect_eq(s.sections[0].rfc, 9110);
    cr_expect_str_eq(s.sections[0].section, "9.3.1");
    cr_expect_eq(s.sections[0].n[CF_RL_SHOULD][CF_RV_WARN], 1);
    cr_expect_str_eq(s.sections[1].section, "6.3"); /* 6.3 before 6.10 */
    cr_expect_eq(s.sections[1].n[CF_RL_MUST][CF_RV_FAIL], 1);
    cr_expect_eq(s.sections[1].n[CF_RL_MUST][CF_RV_ERROR], 1);
    cr_expect_eq(s.sections[1].n[CF_RL_MAY][CF_RV_INFO], 1);
    cr_expect_eq(s.sections[1].n[CF_RL_MUST][CF_RV_PASS], 0);
    cr_expect_str_eq(s.sections[2].section, "6.10");
    cr_expect_eq(s.sections[2].n[CF_RL_MUST][CF_RV_PASS], 1);
    cf_report_summary_free(&s);
    cf_report_free(&r);
}

Test(report_summary, status_codes_per_category)
{
    cf_report r;
    cf_fixture_report(&r);
    cf_report_summary s;
    cr_assert_eq(cf_report_summarize(&r.targets[0], &s), 0);
    cr_assert_eq(s.ncategories, 2);
    const cf_summary_category *f = &s.categories[0], *m = &s.categories[1];
    cr_expect_str_eq(f->name, "framing");
    cr_expect_eq(f->ncases, 3);
    cr_assert_eq(f->nstatuses, 3);
    /* ascending; 0 is the case that got no response (the ERROR) */
    cr_expect_eq(f->statuses[0].status, 0);
    cr_expect_eq(f->statuses[0].count, 1);
    cr_expect_eq(f->statuses[1].status, 200);
    cr_expect_eq(f->statuses[2].status, 400);
    cr_expect_str_eq(m->name, "methods");
    cr_assert_eq(m->nstatuses, 2);
    cr_expect_eq(m->statuses[0].status, 200);
    cr_expect_eq(m->statuses[1].status, 405);
    cf_report_summary_free(&s);
    cf_report_free(&r);
}

Test(report_summary, rules_ranked_by_frequency_with_examples)
{
    cf_report r;
    cf_fixture_report(&r);
    cf_report_summary s;
    cr_assert_eq(cf_report_summarize(&r.targets[0], &s), 0);
    cr_expect_eq(s.nfindings, 4);
    cr_assert_eq(s.nrules, 2);
    cr_expect_str_eq(s.rules[0].rule_id, "date-missing");
    cr_expect_eq(s.rules[0].count, 3);
    cr_expect_eq(s.rules[0].ncases, 2); /* twice in case-fail counts one case */
    cr_assert_eq(s.rules[0].nexamples, 2);
    cr_expect_str_eq(s.rules[0].examples[0], "case-pass");
    cr_expect_str_eq(s.rules[0].examples[1], "case-fail");
    cr_expect_str_eq(s.rules[0].section, "RFC 9110 §6.6.1");
    cr_expect_eq(s.rules[0].rule, CF_R_DATE_MISSING);
    cr_expect_eq(s.rules[0].level, CF_RL_SHOULD, "the level the finding carries");
    cr_expect_str_eq(s.rules[1].rule_id, "server-header");
    cr_expect_eq(s.rules[1].rule, -1, "a rule this build does not know keeps its id");
    cr_expect_str_eq(s.rules[1].section, "RFC 9110 §10.2.4");
    cr_expect_eq(s.rules[1].count, 1);
    cf_report_summary_free(&s);
    cf_report_free(&r);
}

Test(report_summary, more_frequent_rule_first_and_examples_capped)
{
    cf_report r;
    cf_fixture_report(&r);
    cf_report_target *t = &r.targets[0];
    /* a rule found in each of the four cases with a response: now the most frequent */
    for (size_t i = 0; i < t->ncases; i++) {
        cf_report_case *c = &t->cases[i];
        if (!c->nresponses) continue;
        cf_report_response *x = &c->responses[0];
        x->findings = realloc(x->findings, (x->nfindings + 1) * sizeof *x->findings);
        cr_assert_not_null(x->findings);
        x->findings[x->nfindings++] = (cf_report_finding){.rule = -1,
                                                          .level = CF_RL_MUST,
                                                          .rule_id = strdup("aaa-rule"),
                                                          .section = strdup("RFC 1 §1"),
                                                          .message = strdup("m")};
    }
    cf_report_summary s;
    cr_assert_eq(cf_report_summarize(t, &s), 0);
    cr_assert_eq(s.nrules, 3);
    cr_expect_str_eq(s.rules[0].rule_id, "aaa-rule"); /* 4 findings */
    cr_expect_eq(s.rules[0].count, 4);
    cr_expect_eq(s.rules[0].ncases, 4);
    cr_expect_eq(s.rules[0].nexamples, CF_SUMMARY_EXAMPLES);
    cr_expect_str_eq(s.rules[1].rule_id, "date-missing");
    cf_report_summary_free(&s);
    cf_report_free(&r);
}

Test(report_summary, rules_by_cases_before_findings)
{
    cf_report r;
    cf_fixture_report(&r);
    cf_report_target *t = &r.targets[0];
    /* server-header found three more times in case-fail: 4 findings, still 1 case */
    cf_report_case *c = NULL;
    for (size_t i = 0; i < t->ncases; i++)
        if (!strcmp(t->cases[i].id, "case-fail")) c = &t->cases[i];
    cr_assert(c && c->nresponses);
    cf_report_response *x = &c->responses[0];
    x->findings = realloc(x->findings, (x->nfindings + 3) * sizeof *x->findings);
    cr_assert_not_null(x->findings);
    for (int k = 0; k < 3; k++)
        x->findings[x->nfindings++] = (cf_report_finding){
            .rule = -1, .rule_id = strdup("server-header"), .section = strdup("RFC 9110 §10.2.4")};
    cf_report_summary s;
    cr_assert_eq(cf_report_summarize(t, &s), 0);
    cr_assert_eq(s.nrules, 2);
    /* date-missing: 3 findings in 2 cases, before server-header: 4 findings in 1 case */
    cr_expect_str_eq(s.rules[0].rule_id, "date-missing");
    cr_expect_eq(s.rules[0].ncases, 2);
    cr_expect_str_eq(s.rules[1].rule_id, "server-header");
    cr_expect_eq(s.rules[1].count, 4);
    cr_expect_eq(s.rules[1].ncases, 1);
    cf_report_summary_free(&s);
    cf_report_free(&r);
}

Test(report_summary, section_compare)
{
    cr_expect_lt(cf_section_cmp("6.3", "6.10"), 0);
    cr_expect_gt(cf_section_cmp("10", "9.9"), 0);
    cr_expect_eq(cf_section_cmp("6.1", "6.1"), 0);
    cr_expect_lt(cf_section_cmp("6", "6.1"), 0);
    cr_expect_lt(cf_section_cmp("9.3", "A.1"), 0);
    cr_expect_eq(cf_section_cmp("06.1", "6.1"), 0);
}

static void expect_same_summary(const cf_report_summary *a, const cf_report_summary *b)
{
    cr_expect_arr_eq(a->counts, b->counts, sizeof a->counts);
    cr_assert_eq(a->nsections, b->nsections);
    for (size_t i = 0; i < a->nsections; i++) {
        cr_expect_eq(a->sections[i].rfc, b->sections[i].rfc);
        cr_expect_str_eq(a->sections[i].section, b->sections[i].section);
        cr_expect_arr_eq(a->sections[i].n, b->sections[i].n, sizeof a->sections[i].n);
    }
    cr_assert_eq(a->ncategories, b->ncategories);
    for (size_t i = 0; i < a->ncategories; i++) {
        cr_expect_str_eq(a->categories[i].name, b->categories[i].name);
        cr_assert_eq(a->categories[i].nstatuses, b->categories[i].nstatuses);
        for (size_t k = 0; k < a->categories[i].nstatuses; k++) {
            cr_expect_eq(a->categories[i].statuses[k].status, b->categories[i].statuses[k].status);
            cr_expect_eq(a->categories[i].statuses[k].count, b->categories[i].statuses[k].count);
        }
    }
    cr_expect_eq(a->nfindings, b->nfindings);
    cr_assert_eq(a->nrules, b->nrules);
    for (size_t i = 0; i < a->nrules; i++) {
        cr_expect_str_eq(a->rules[i].rule_id, b->rules[i].rule_id);
        cr_expect_eq(a->rules[i].count, b->rules[i].count);
        cr_expect_eq(a->rules[i].ncases, b->rules[i].ncases);
        cr_assert_eq(a->rules[i].nexamples, b->rules[i].nexamples);
        for (size_t k = 0; k < a->rules[i].nexamples; k++)
            cr_expect_str_eq(a->rules[i].examples[k], b->rules[i].examples[k]);
    }
}

/* What conform run keeps of a case once the reports written as the run goes have had it. */
Test(report_summary, compact_cases_give_the_same_summaries_and_grid_how)
{
    cf_report whole, compact;
    cf_fixture_report(&whole);
    cf_fixture_report(&compact);
    cf_report_target *t = &compact.targets[0];
    for (size_t i = 0; i < t->ncases; i++) {
        cf_report_case_compact(&t->cases[i], true, &t->pool);
        const char *a = cf_report_grid_how(&whole.targets[0].cases[i]);
        const char *b = cf_report_grid_how(&t->cases[i]);
        cr_expect((!a && !b) || (a && b && !strcmp(a, b)) ||
                      whole.targets[0].cases[i].verdict == CF_RV_PASS,
                  "case %zu: %s vs %s", i, a ? a : "NULL", b ? b : "NULL");
    }
    cf_report_summary sa, sb;
    cr_assert_eq(cf_report_summarize(&whole.targets[0], &sa), 0);
    cr_assert_eq(cf_report_summarize(t, &sb), 0);
    expect_same_summary(&sa, &sb);
    cf_report_summary_free(&sb);
    for (size_t i = 0; i < t->ncases; i++) { /* without the grid's part: the same summaries */
        cf_report_case_compact(&t->cases[i], false, &t->pool);
        cr_expect_null(t->cases[i].requirement);
        cr_expect_eq(t->cases[i].nsteps, 0);
    }
    cr_assert_eq(cf_report_summarize(t, &sb), 0);
    expect_same_summary(&sa, &sb);
    cf_report_summary_free(&sa);
    cf_report_summary_free(&sb);
    cf_report_free(&whole);
    cf_report_free(&compact);
}
