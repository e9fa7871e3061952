/* The terminal reporter's case lines, progress line, summary line and --list (report_term.h). */
#include "report_term.h"

#include <string.h>

#include "report_rules.h"
#include "run_verdict.h"
#include "util_clock.h"
#include "util_term.h"

static const char *const colors[CF_VERDICT__COUNT] = {
    "\033[32m", /* PASS: green */
    "\033[31m", /* FAIL: red */
    "\033[33m", /* WARN: yellow */
    "\033[36m", /* INFO: cyan */
    "\033[35m", /* ERROR: magenta */
    "\033[90m", /* SKIP: grey */
    "\033[90m", /* XFAIL: grey (known, does not gate) */
    "\033[31m", /* XPASS: red (gates) */
};

void cf_term_progress_clear(cf_term *t)
{
    if (!t->progress_shown) return;
    fputs("\r\033[K", t->err);
    fflush(t->err);
    t->progress_shown = false;
}

void cf_term_progress_log(cf_term *t, size_t finished, size_t total)
{
    if (!t->progress_log) return;
    uint64_t now = cf_now_ms();
    uint64_t since = t->log_last_ms ? t->log_last_ms : t->log_start_ms;
    if (now - since < t->log_every_ms || finished == 0) return;
    t->log_last_ms = now;
    uint64_t el = now - t->log_start_ms;
    uint64_t left = el * (total - finished) / finished;
    cf_term_texts tt = {0};
    fprintf(t->err,
            "conform run: %s%s%zu/%zu cases done, %zu failed, %zu errors, %llu s elapsed, about "
            "%llu s left\n",
            t->log_target ? cf_term_text(&tt, t->log_target) : "", t->log_target ? ": " : "",
            finished, total, t->log_failed, t->log_errors, (unsigned long long)(el / 1000),
            (unsigned long long)((left + 999) / 1000));
    cf_term_texts_free(&tt);
    fflush(t->err);
}

void cf_term_progress(cf_term *t, size_t finished, size_t total, const char *id)
{
    if (!t->progress) return;
    int w = total >= 1000 ? 4 : 3;
    cf_term_texts tt = {0};
    fprintf(t->err, "\r\033[K[%*zu/%zu] running %s", w, finished, total, cf_term_text(&tt, id));
    cf_term_texts_free(&tt);
    fflush(t->err);
    t->progress_shown = true;
}

/* The expectation, the observation and the failed checks of one step. */
static void print_step(cf_term *t, const cf_report_case *c, size_t i)
{
    const cf_report_step *s = &c->steps[i];
    char prefix[32] = "";
    if (c->spec_steps > 1) snprintf(prefix, sizeof prefix, "step %zu ", i + 1);
    cf_term_texts tt = {0};
    if (s->checked) {
        fprintf(t->out, "      %sexpected: %s\n", prefix, cf_term_text(&tt, s->expected));
        fprintf(t->out, "      %sactual:   %s\n", prefix, cf_term_text(&tt, s->actual));
        cf_term_texts_free(&tt);
        if (!s->pass) cf_term_response_heads(t, c, i);
        for (size_t j = 0; j < s->nfailed; j++) {
            fprintf(t->out, "        - %s\n", cf_term_text(&tt, s->failed[j]));
            cf_term_texts_free(&tt);
        }
    }
    if (s->note) fprintf(t->out, "      %snote: %s\n", prefix, cf_term_text(&tt, s->note));
    cf_term_texts_free(&tt);
}

/* The case's two reproductions (run_repro.h): the rerun command and the raw shell line. */
static void print_repro(cf_term *t, const cf_report_case *c)
{
    cf_term_texts tt = {0};
    if (c->rerun) fprintf(t->out, "      rerun:     %s\n", cf_term_text(&tt, c->rerun));
    if (c->repro) fprintf(t->out, "      reproduce: %s\n", cf_term_text(&tt, c->repro));
    cf_term_texts_free(&tt);
}

static void print_details(cf_term *t, const cf_report_case *c)
{
    cf_term_texts tt = {0};
    char ref[96];
    fprintf(t->out, "      %s (%s)%s%s\n",
            cf_report_ref(ref, sizeof ref, c->rfc, cf_term_text(&tt, c->section)),
            cf_report_level_name(c->level), *c->requirement ? ": " : "",
            cf_term_text(&tt, c->requirement));
    if (c->note) fprintf(t->out, "      reading: %s\n", cf_term_text(&tt, c->note));
    if (c->error) fprintf(t->out, "      error: %s\n", cf_term_text(&tt, c->error));
    if (c->skip) fprintf(t->out, "      skipped: %s\n", cf_term_text(&tt, c->skip));
    char xf[600];
    if (cf_report_xfail_text(c, xf, sizeof xf))
        fprintf(t->out, "      %s\n", cf_term_text(&tt, xf));
    cf_term_texts_free(&tt);
    for (size_t i = 0; i < c->nsteps; i++)
        if ((c->steps[i].checked && !c->steps[i].pass) || c->steps[i].note) print_step(t, c, i);
    print_repro(t, c);
}

/* One line per rule the case's responses broke; in gate mode each is marked with the verdict it
 * stands for. */
static void print_rules(cf_term *t, const cf_report_case *c, const cf_case_rules *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        cf_buf line = {0};
        cf_case_rule_line(&line, c, rs, &rs->v[i]);
        fputs("      ", t->out);
        if (cf_report_rules_gate(t->rules)) {
            cf_report_verdict v = cf_report_rule_verdict(rs->v[i].first->level, t->strict);
            if (t->color)
                fprintf(t->out, "%s%s\033[0m ", colors[v], cf_report_verdict_name(v));
            else
                fprintf(t->out, "%s ", cf_report_verdict_name(v));
        }
        cf_term_texts tt = {0};
        fprintf(t->out, "%s\n",
                line.ptr ? cf_term_text(&tt, line.ptr) : "rule finding (out of memory)");
        cf_term_texts_free(&tt);
        cf_buf_free(&line);
    }
}

void cf_term_case(cf_term *t, const cf_report_case *c)
{
    cf_report_verdict v = c->verdict;
    const char *name = cf_report_verdict_name(v);
    cf_case_rules rs = {0};
    if (t->rules != CF_RULES_OFF) cf_case_rules_collect(c, &rs); /* none when memory ran out */
    /* quiet: a case that passed shows only for rule findings that weigh on the exit status */
    if (t->quiet && v == CF_RV_PASS && !(rs.n && cf_report_rules_gate(t->rules))) {
        cf_case_rules_free(&rs);
        return;
    }
    cf_term_progress_clear(t);
    cf_term_texts tt = {0};
    const char *id = cf_term_text(&tt, c->id), *title = cf_term_text(&tt, c->title);
    if (t->color && (unsigned)v < CF_RV__COUNT)
        fprintf(t->out, "%s%-5s\033[0m %s  %s\n", colors[v], name, id, title);
    else
        fprintf(t->out, "%-5s %s  %s\n", name, id, title);
    cf_term_texts_free(&tt);
    if (v != CF_RV_PASS) print_details(t, c);
    print_rules(t, c, &rs);
    if (v == CF_RV_PASS && rs.n) print_repro(t, c); /* a rule finding gets a reproduction too */
    cf_case_rules_free(&rs);
    if (t->show) cf_term_show(t, c);
    fflush(t->out);
}

void cf_term_summary(cf_term *t, const cf_run_counts *counts)
{
    cf_term_progress_clear(t);
    fprintf(t->out, "%zu case%s: ", counts->total, counts->total == 1 ? "" : "s");
    for (int v = 0; v < CF_VERDICT__COUNT; v++) {
        if (v >= CF_VERDICT_XFAIL && !counts->n[v]) continue; /* only runs with markers */
        fprintf(t->out, "%s%zu %s", v ? ", " : "", counts->n[v], cf_verdict_plural((cf_verdict)v));
    }
    fprintf(t->out, " (%u.%02u s)\n", counts->elapsed_ms / 1000, (counts->elapsed_ms % 1000) / 10);
    fflush(t->out);
}

/* Columns cf_report_ref's text takes ("§" is two bytes and one column). */
static int ref_width(const char *ref)
{
    return (int)strlen(ref) - (strstr(ref, "§") ? 1 : 0);
}

void cf_term_list_measure(const cf_case *c, void *widths)
{
    cf_term_list_widths *w = widths;
    char ref[96];
    int l = (int)strlen(c->id);
    int r = ref_width(cf_report_ref(ref, sizeof ref, c->rfc, c->section));
    if (l > w->id) w->id = l;
    if (r > w->ref) w->ref = r;
}

int cf_term_list(FILE *out, cf_spec_index *ix, const cf_term_list_widths *w, char *err,
                 size_t errlen)
{
    char ref[96];
    int idw = w->id > 2 ? w->id : 2, refw = w->ref > 1 ? w->ref : 1;
    for (size_t i = 0, n = cf_spec_index_count(ix); i < n; i++) {
        const cf_case *c = cf_spec_index_acquire(ix, i, err, errlen);
        if (!c) return -1;
        cf_report_ref(ref, sizeof ref, c->rfc, c->section); /* id, section: checked at load */
        cf_term_texts tt = {0};
        fprintf(out, "%-*s  %-6s  %s%*s  %s\n", idw, c->id, cf_level_name(c->level), ref,
                refw - ref_width(ref), "", cf_term_text(&tt, c->title));
        cf_term_texts_free(&tt);
        cf_spec_index_release(ix, i);
    }
    return 0;
}
