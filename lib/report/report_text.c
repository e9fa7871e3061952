/* Helpers shared by the text report formats (report_text.h). */
#include "report_text.h"

void cf_report_put_seconds(FILE *out, uint64_t ms)
{
    fprintf(out, "%llu.%03u", (unsigned long long)(ms / 1000), (unsigned)(ms % 1000));
}

const cf_report_step *cf_report_failed_step(const cf_report_case *c, size_t *index)
{
    for (size_t i = 0; i < c->nsteps; i++)
        if (c->steps[i].checked && !c->steps[i].pass) {
            *index = i;
            return &c->steps[i];
        }
    return NULL;
}

void cf_report_case_text(cf_buf *t, const cf_report_case *c)
{
    char ref[96], xf[600];
    const char *req = c->requirement ? c->requirement : "";
    cf_buf_fmt(t, "%s (%s)%s%s\n", cf_report_ref(ref, sizeof ref, c->rfc, c->section),
               cf_report_level_name(c->level), *req ? ": " : "", req);
    if (cf_report_xfail_text(c, xf, sizeof xf)) cf_buf_fmt(t, "%s\n", xf);
    if (c->error) cf_buf_fmt(t, "error: %s\n", c->error);
    size_t si = 0;
    const cf_report_step *s = cf_report_failed_step(c, &si);
    if (s) {
        if (c->spec_steps > 1) cf_buf_fmt(t, "step %zu\n", si + 1);
        cf_buf_fmt(t, "expected: %s\nactual:   %s\n", s->expected ? s->expected : "",
                   s->actual ? s->actual : "");
        for (size_t i = 0; i < s->nfailed; i++)
            cf_buf_fmt(t, "  - %s\n", s->failed[i]);
    }
    for (size_t i = 0; i < c->nsteps; i++)
        if (c->steps[i].note) cf_buf_fmt(t, "note: %s\n", c->steps[i].note);
    if (c->rerun) cf_buf_fmt(t, "rerun: %s\n", c->rerun);
    if (c->repro) cf_buf_fmt(t, "reproduce: %s\n", c->repro);
}
