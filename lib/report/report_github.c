/* The github report format (docs/reports.md "github"): GitHub Actions workflow commands, which
 * the runner turns into annotations on the spec file and line of each case. A FAIL or ERROR is
 * `::error`, a WARN `::warning`; with --rules gate each rule broken is one more, `::error` when it
 * fails the run, `::warning` when it warns; then one `::notice` per target with its totals.
 * Written while the run goes: the lines to a temporary file, copied at the end. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_formats.h"
#include "report_rules.h"
#include "report_spool.h"
#include "report_text.h"

/* Writes s escaped as GitHub's toolkit escapes a command's message (data): '%', CR and LF as
 * %25, %0D and %0A; in a property value (prop) also ':' and ',' as %3A and %2C, which would end
 * the value. */
static void gh_escape(FILE *out, const char *s, bool prop)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '%': fputs("%25", out); break;
        case '\r': fputs("%0D", out); break;
        case '\n': fputs("%0A", out); break;
        case ':': prop ? fputs("%3A", out) : fputc(':', out); break;
        case ',': prop ? fputs("%2C", out) : fputc(',', out); break;
        default: fputc(*p, out);
        }
    }
}

/* One workflow command: ::CMD file=FILE,line=LINE,title=[TARGET] TITLE::MESSAGE, the message
 * without its last line break. */
static void annotate(FILE *out, const char *cmd, const cf_report_case *c, const char *tname,
                     const char *title, cf_buf *msg)
{
    fprintf(out, "::%s ", cmd);
    if (c->file && *c->file) {
        fputs("file=", out);
        gh_escape(out, c->file, true);
        if (c->line) fprintf(out, ",line=%u", c->line);
        fputc(',', out);
    }
    fputs("title=", out);
    if (tname) {
        fputc('[', out);
        gh_escape(out, tname, true);
        fputs("] ", out);
    }
    gh_escape(out, title, true);
    fputs("::", out);
    if (msg->len && msg->ptr[msg->len - 1] == '\n') msg->ptr[--msg->len] = 0;
    gh_escape(out, msg->err ? "(out of memory)" : msg->ptr, false);
    fputc('\n', out);
}

/* The command of a verdict: error for what fails the run (an XPASS too), warning for a WARN,
 * else NULL. */
static const char *command_of(cf_report_verdict v)
{
    if (v == CF_RV_FAIL || v == CF_RV_ERROR || v == CF_RV_XPASS) return "error";
    return v == CF_RV_WARN ? "warning" : NULL;
}

typedef struct gh_stream {
    cf_spool_stream base; /* --rules, --strict; each case's lines */
    const char *tname;    /* of the case being added */
    const cf_report_case *c;
} gh_stream;

/* The annotations of case c: its own, then one per rule it broke that weighs on the run. */
static void case_lines(FILE *out, const void *ud)
{
    const gh_stream *s = ud;
    const char *tname = s->tname;
    const cf_report_case *c = s->c;
    const char *cmd = command_of(c->verdict);
    if (cmd) {
        char *title = cf_strfmt("%s %s: %s", cf_report_verdict_name(c->verdict), c->id, c->title);
        cf_buf msg = {0};
        cf_report_case_text(&msg, c);
        annotate(out, cmd, c, tname, title ? title : c->id, &msg);
        cf_buf_free(&msg);
        free(title);
    }
    cf_case_rules rs;
    if (!cf_report_rules_gate(s->base.rules) || cf_case_rules_collect(c, &rs) < 0) return;
    for (size_t i = 0; i < rs.n; i++) {
        const cf_report_finding *f = rs.v[i].first;
        cmd = command_of(cf_report_rule_verdict(f->level, s->base.strict));
        if (!cmd) continue;
        char *title = cf_strfmt("rule %s in %s", cf_report_finding_id(f), c->id);
        cf_buf msg = {0};
        cf_case_rule_line(&msg, c, &rs, &rs.v[i]);
        annotate(out, cmd, c, tname, title ? title : c->id, &msg);
        cf_buf_free(&msg);
        free(title);
    }
    cf_case_rules_free(&rs);
}

static void *gh_open(cf_rules_mode rules, bool strict)
{
    return cf_spool_stream_new(sizeof(gh_stream), rules, strict);
}

static int gh_add(void *ud, size_t target, const char *tname, const cf_report_case *c)
{
    gh_stream *s = ud;
    s->tname = tname;
    s->c = c;
    return cf_spool_piece(&s->base.sp, target, case_lines, s);
}

/* The lines of each target's cases, then its totals as a notice (shown on the run's page). */
static int gh_finish(void *ud, const cf_report *r, FILE *out)
{
    gh_stream *s = ud;
    for (size_t t = 0; t < r->ntargets; t++) {
        const cf_report_target *x = &r->targets[t];
        if (cf_spool_index_count(&s->base.sp.ix, t) != x->ncases || /* every case came */
            cf_spool_copy_target(&s->base.sp, t, out) < 0)
            return -1;
        fputs("::notice title=conform ", out);
        gh_escape(out, x->name, true);
        fprintf(out,
                "::%zu cases: %zu passed, %zu failed, %zu warnings, %zu info, %zu errors, %zu "
                "skipped%s\n",
                x->ncases, x->counts[CF_RV_PASS], x->counts[CF_RV_FAIL], x->counts[CF_RV_WARN],
                x->counts[CF_RV_INFO], x->counts[CF_RV_ERROR], x->counts[CF_RV_SKIP],
                r->interrupted ? " (interrupted: the cases that finished)" : "");
    }
    return ferror(out) ? -1 : 0;
}

const cf_report_stream_ops cf_report_github_ops = {gh_open, gh_add, gh_finish,
                                                   cf_spool_stream_free};

int cf_report_github(const cf_report *r, FILE *out)
{
    return cf_report_stream_whole(&cf_report_github_ops, r, out);
}
