/* Judging 'complies': the compliance rule findings of the step's exchange record (the runner
 * judged every response once, cf_rules_pair), the same findings the run report lists, so a rule
 * a report shows on a response fails the same response here. */
#include "check_internal.h"

#include <string.h>

#include "rules_step.h"

#define REASON_CAP  40  /* characters of a reason phrase shown */
#define MESSAGE_CAP 200 /* characters of a finding's message shown */

/* What the findings hold for each rule listed (by position in e->complies). */
typedef struct complies_walk {
    const cf_expect *e;
    size_t count[CF_R__COUNT]; /* responses that broke it */
    cf_buf first[CF_R__COUNT]; /* the first of them and its finding's message */
} complies_walk;

/* "response 1 (200 OK): 200 response without Date" */
static void describe_offender(cf_buf *t, bool interim, size_t index, const cf_obs_response *r,
                              const char *message)
{
    cf_buf_fmt(t, "%sresponse %zu (%d", interim ? "interim " : "", index + 1, r->status);
    if (r->reason_len) {
        cf_buf_str(t, " ");
        cf_text_word(t, r->reason, r->reason_len, REASON_CAP);
    }
    cf_buf_str(t, "): ");
    const char *m = message ? message : "";
    cf_text_word(t, m, strlen(m), MESSAGE_CAP);
}

/* Counts one finding of rule (index in rules.def) on a response, if the expectation lists it. */
static void count_finding(complies_walk *w, unsigned rule, bool interim, size_t index,
                          const cf_obs_response *r, const char *message)
{
    for (size_t j = 0; j < w->e->ncomplies && j < CF_R__COUNT; j++) {
        if (w->e->complies[j] != rule) continue;
        if (w->count[j]++ == 0) describe_offender(&w->first[j], interim, index, r, message);
        return;
    }
}

/* cf_rules_step's callback, for a record that was never paired. */
static bool on_response(const cf_rules_seen *v, void *ud)
{
    for (size_t i = 0; i < v->nfindings; i++)
        count_finding(ud, v->findings[i].rule, v->interim, v->index, v->r, v->findings[i].message);
    return true;
}

/* The findings the record holds (cf_rules_pair). */
static void read_answers(complies_walk *w, const cf_step_result *r)
{
    for (size_t i = 0; i < r->nanswers; i++) {
        const cf_obs_answer *a = &r->answers[i];
        const cf_obs_response *resp = a->interim ? &r->interim[a->index] : &r->responses[a->index];
        for (size_t k = 0; k < a->nfindings; k++)
            count_finding(w, a->findings[k].rule, a->interim, a->index, resp,
                          a->findings[k].message);
    }
}

bool cf_check_complies(const cf_expect *e, const cf_step_result *r, const char *prefix,
                       cf_fail_list *fails)
{
    if (e->ncomplies == 0) return true;
    complies_walk w;
    memset(&w, 0, sizeof w);
    w.e = e;
    if (r->paired)
        read_answers(&w, r);
    else if (cf_rules_step(NULL, 0, r, true, on_response, &w, NULL) < 0)
        fails->oom = true;
    bool ok = true;
    for (size_t j = 0; j < e->ncomplies && j < CF_R__COUNT; j++) {
        if (w.count[j] == 0) continue;
        ok = false;
        size_t rule = e->complies[j];
        cf_buf t = {0};
        /* Each rule cites its RFC section and level (rules.def). */
        cf_buf_fmt(&t, "rule %s (%s, %s): expected kept, broken by ", cf_rule_id(rule),
                   cf_rule_section(rule), cf_rule_level(rule));
        cf_buf_add(&t, w.first[j].ptr ? w.first[j].ptr : "", w.first[j].len);
        if (w.first[j].err) t.err = 1;
        if (w.count[j] > 1)
            cf_buf_fmt(&t, " (and %zu more response%s)", w.count[j] - 1,
                       w.count[j] == 2 ? "" : "s");
        cf_fail_add(fails, prefix, &t);
    }
    for (size_t j = 0; j < CF_R__COUNT; j++)
        cf_buf_free(&w.first[j]);
    return ok;
}

void cf_describe_complies(cf_buf *t, const cf_expect *e)
{
    cf_buf_fmt(t, "complies with rule%s ", e->ncomplies == 1 ? "" : "s");
    for (size_t j = 0; j < e->ncomplies; j++)
        cf_buf_fmt(t, "%s%s", j ? ", " : "", cf_rule_id(e->complies[j]));
}
