/* Judging 'complies': the compliance rules (rules.h) over every response of the step, walked by
 * cf_rules_step as the report builder walks them, so a rule a run report lists on a response
 * fails the same response here. */
#include "check_internal.h"

#include <string.h>

#include "rules_step.h"

#define REASON_CAP  40  /* characters of a reason phrase shown */
#define MESSAGE_CAP 200 /* characters of a finding's message shown */

/* What the walk found for each rule listed (by position in e->complies). */
typedef struct complies_walk {
    const cf_expect *e;
    size_t count[CF_R__COUNT]; /* responses that broke it */
    cf_buf first[CF_R__COUNT]; /* the first of them and its finding's message */
} complies_walk;

/* "response 1 (200 OK): 200 response without Date" */
static void describe_offender(cf_buf *t, const cf_rules_seen *v, const cf_rule_finding *f)
{
    cf_buf_fmt(t, "%sresponse %zu (%d", v->interim ? "interim " : "", v->index + 1, v->r->status);
    if (v->r->reason_len) {
        cf_buf_str(t, " ");
        cf_text_word(t, v->r->reason, v->r->reason_len, REASON_CAP);
    }
    cf_buf_str(t, "): ");
    const char *m = f->message ? f->message : "";
    cf_text_word(t, m, strlen(m), MESSAGE_CAP);
}

/* cf_rules_step's callback: counts the findings on listed rules. */
static bool on_response(const cf_rules_seen *v, void *ud)
{
    complies_walk *w = ud;
    for (size_t i = 0; i < v->nfindings; i++)
        for (size_t j = 0; j < w->e->ncomplies && j < CF_R__COUNT; j++) {
            if (strcmp(v->findings[i].rule_id, cf_rule_id(w->e->complies[j]))) continue;
            if (w->count[j]++ == 0) describe_offender(&w->first[j], v, &v->findings[i]);
            break;
        }
    return true;
}

bool cf_check_complies(const cf_expect *e, const cf_step_result *r, const cf_check_sent *sent,
                       const char *prefix, cf_fail_list *fails)
{
    if (e->ncomplies == 0) return true;
    complies_walk w;
    memset(&w, 0, sizeof w);
    w.e = e;
    const cf_pending *reqs = sent ? sent->reqs : NULL;
    size_t nreqs = reqs ? sent->nreqs : 0;
    if (cf_rules_step(reqs, nreqs, r, sent ? sent->last_step : true, on_response, &w, NULL) < 0)
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
