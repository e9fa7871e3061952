/* The Markdown report format (docs/reports.md "markdown"), CommonMark with GitHub tables: the
 * run, per target the totals, the summaries as tables, every case that did not pass with its
 * details, and a table of all cases. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_formats.h"
#include "report_rules.h"
#include "report_grid.h"
#include "report_spool.h"
#include "report_summary.h"
#include "report_text.h"

/* Writes s as inline text: Markdown punctuation and '|' backslash-escaped, line breaks as
 * spaces, malformed UTF-8 and controls as U+FFFD. */
/* A character no Markdown output carries (a terminal would act on it): an ill-formed UTF-8
 * sequence, a C0 control but TAB and LF, DEL, or a C1 control (U+0080..U+009F, CSI among them). */
static bool unsafe(const unsigned char *p, size_t len)
{
    if (len == 0) return true;
    if (len == 2 && p[0] == 0xC2 && p[1] < 0xA0) return true;
    return (p[0] < 0x20 && p[0] != '\t' && p[0] != '\n') || p[0] == 0x7F;
}

static void md(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    for (size_t i = 0; i < n;) {
        size_t len = cf_utf8_seq_len(p + i, n - i);
        unsigned char c = p[i];
        if (unsafe(p + i, len)) {
            fputs("\xEF\xBF\xBD", out);
            i += len ? len : 1;
            continue;
        }
        if (c == '\n' || c == '\t')
            fputc(' ', out);
        else if (len == 1 && strchr("\\`*_[]<>|~&", c))
            fprintf(out, "\\%c", c);
        else
            fwrite(p + i, 1, len, out);
        i += len;
    }
}

/* "RFC 9110 §13.1.2 (MUST)**: the requirement" after an opening "**" (no ": ..." without one). */
static void requirement(FILE *out, const cf_report_case *c)
{
    char ref[96];
    md(out, cf_report_ref(ref, sizeof ref, c->rfc, c->section));
    fprintf(out, " (%s)**%s", cf_report_level_name(c->level), *c->requirement ? ": " : "");
    md(out, c->requirement);
}

/* Writes s as a code span: a backtick fence longer than any run of backticks inside. */
static void code(FILE *out, const char *s)
{
    s = s ? s : "";
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    for (size_t i = 0; i <= longest; i++)
        fputc('`', out);
    bool pad = *s == '`' || (*s && s[strlen(s) - 1] == '`');
    if (pad) fputc(' ', out);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0, n = strlen(s); i < n;) {
        size_t len = cf_utf8_seq_len(u + i, n - i);
        if (u[i] == '|') /* '|' breaks a table cell even in code */
            fputs("\\|", out);
        else if (u[i] == '\n' || u[i] == '\t')
            fputc(' ', out);
        else if (unsafe(u + i, len))
            fputs("\xEF\xBF\xBD", out);
        else
            fwrite(u + i, 1, len, out);
        i += len ? len : 1;
    }
    if (pad) fputc(' ', out);
    for (size_t i = 0; i <= longest; i++)
        fputc('`', out);
}

static void section_table(FILE *out, const cf_report_summary *s)
{
    bool marked = cf_report_has_marked(s->counts); /* XFail, XPass columns only then */
    int nv = marked ? CF_RV__COUNT : CF_RV_XFAIL;
    fprintf(out,
            "### By RFC section\n\n| Section | Level | Pass | Fail | Warn | Info | Error | Skip "
            "|%s\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |%s\n",
            marked ? " XFail | XPass |" : "", marked ? " ---: | ---: |" : "");
    for (size_t i = 0; i < s->nsections; i++)
        for (int l = 0; l < CF_RL__COUNT; l++) {
            const size_t *n = s->sections[i].n[l];
            size_t tot = 0;
            for (int v = 0; v < CF_RV__COUNT; v++)
                tot += n[v];
            if (!tot) continue;
            char ref[96];
            fputs("| ", out);
            md(out, cf_report_ref(ref, sizeof ref, s->sections[i].rfc, s->sections[i].section));
            fprintf(out, " | %s |", cf_report_level_name(l));
            for (int v = 0; v < nv; v++)
                fprintf(out, " %zu |", n[v]);
            fputc('\n', out);
        }
    fputc('\n', out);
}

static void status_table(FILE *out, const cf_report_summary *s)
{
    fputs("### Status codes by category\n\n| Category | Cases | Status codes |\n"
          "| --- | ---: | --- |\n",
          out);
    for (size_t i = 0; i < s->ncategories; i++) {
        const cf_summary_category *c = &s->categories[i];
        fputs("| ", out);
        md(out, c->name);
        fprintf(out, " | %zu | ", c->ncases);
        for (size_t k = 0; k < c->nstatuses; k++) {
            if (c->statuses[k].status)
                fprintf(out, "%s%d ×%zu", k ? ", " : "", c->statuses[k].status,
                        c->statuses[k].count);
            else
                fprintf(out, "%snone ×%zu", k ? ", " : "", c->statuses[k].count);
        }
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

static void rule_table(FILE *out, const cf_report_summary *s)
{
    fputs("### Compliance rules broken\n\n", out);
    if (!s->nrules) {
        fputs("None.\n\n", out);
        return;
    }
    fputs("| Findings | Rule | Section | Level | Cases | Examples |\n"
          "| ---: | --- | --- | --- | ---: | --- |\n",
          out);
    for (size_t i = 0; i < s->nrules; i++) {
        const cf_summary_rule *r = &s->rules[i];
        fprintf(out, "| %zu | ", r->count);
        code(out, r->rule_id);
        fputs(" | ", out);
        md(out, r->section);
        fputs(" | ", out);
        md(out, cf_report_level_name(r->level));
        fprintf(out, " | %zu | ", r->ncases);
        for (size_t k = 0; k < r->nexamples; k++) {
            if (k) fputs(", ", out);
            code(out, r->examples[k]);
        }
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

static void step_details(FILE *out, const cf_report_case *c)
{
    for (size_t i = 0; i < c->nsteps; i++) {
        const cf_report_step *s = &c->steps[i];
        bool failed = s->checked && !s->pass;
        if (!failed && !s->note) continue;
        char step[32] = "";
        if (c->spec_steps > 1) snprintf(step, sizeof step, "step %zu ", i + 1);
        if (failed) {
            fprintf(out, "- %sexpected: ", step);
            code(out, s->expected);
            fprintf(out, "\n- %sactual: ", step);
            code(out, s->actual);
            fputc('\n', out);
            for (size_t k = 0; k < s->nfailed; k++) {
                fputs("  - ", out);
                md(out, s->failed[k]);
                fputc('\n', out);
            }
        }
        if (s->note) {
            fprintf(out, "- %snote: ", step);
            md(out, s->note);
            fputc('\n', out);
        }
    }
}

/* One item per rule the case's responses broke (report_rules.h), not one per response. */
static void rule_lines(FILE *out, const cf_report_case *c)
{
    cf_case_rules rs;
    if (cf_case_rules_collect(c, &rs) < 0) return;
    for (size_t i = 0; i < rs.n; i++) {
        cf_buf line = {0};
        cf_case_rule_line(&line, c, &rs, &rs.v[i]);
        fputs("- ", out);
        md(out, line.ptr ? line.ptr : "rule finding (out of memory)");
        fputc('\n', out);
        cf_buf_free(&line);
    }
    cf_case_rules_free(&rs);
}

static void case_details(FILE *out, const cf_report_case *c)
{
    fprintf(out, "#### %s ", cf_report_verdict_name(c->verdict));
    code(out, c->id);
    fputs(" — ", out);
    md(out, c->title);
    fputs("\n\n- **", out);
    requirement(out, c);
    fputc('\n', out);
    if (c->note) {
        fputs("- reading: ", out);
        md(out, c->note);
        fputc('\n', out);
    }
    char xf[600];
    if (cf_report_xfail_text(c, xf, sizeof xf)) {
        fputs("- ", out);
        md(out, xf);
        fputc('\n', out);
    }
    if (c->error) {
        fputs("- error: ", out);
        md(out, c->error);
        fputc('\n', out);
    }
    if (c->skip) {
        fputs("- skipped: ", out);
        md(out, c->skip);
        fputc('\n', out);
    }
    step_details(out, c);
    rule_lines(out, c);
    if (c->rerun || c->repro)
        fprintf(out, "\n```sh\n%s%s%s\n```\n", c->rerun ? c->rerun : "",
                c->rerun && c->repro ? "\n" : "", c->repro ? c->repro : "");
    fputc('\n', out);
}

/* True when a case gets a details section: it did not pass, or its responses broke rules (a
 * passing case's rule findings gate the run with --rules gate, docs/rules.md). */
static bool has_details(const cf_report_case *c)
{
    if (c->verdict != CF_RV_PASS) return true;
    for (size_t i = 0; i < c->nresponses; i++)
        if (c->responses[i].nfindings) return true;
    return false;
}

/* One row of the table of all cases. */
static void case_row(FILE *out, const cf_report_case *c)
{
    fprintf(out, "| %s | ", cf_report_verdict_name(c->verdict));
    code(out, c->id);
    char ref[96];
    fputs(" | ", out);
    md(out, cf_report_ref(ref, sizeof ref, c->rfc, c->section));
    fprintf(out, " | %s | ", cf_report_level_name(c->level));
    md(out, c->title);
    fputs(" |\n", out);
}

/* Writes the details of the cases of target ti that did not pass (details true), or the rows of
 * all its cases: from the whole model, or from the stream's temporary files. */
typedef int (*cases_fn)(FILE *out, const cf_report_target *t, size_t ti, bool details, void *ud);

static int cases_from_model(FILE *out, const cf_report_target *t, size_t ti, bool details, void *ud)
{
    (void)ti;
    (void)ud;
    for (size_t i = 0; i < t->ncases; i++) {
        if (!details)
            case_row(out, &t->cases[i]);
        else if (has_details(&t->cases[i]))
            case_details(out, &t->cases[i]);
    }
    return 0;
}

static int write_target(FILE *out, const cf_report_target *t, size_t ti, cases_fn fn, void *ud)
{
    cf_report_summary s;
    if (cf_report_summarize(t, &s) < 0) return -1;
    fputs("## Target ", out);
    code(out, t->name);
    cf_buf counts = {0};
    cf_report_counts_text(&counts, s.counts);
    fprintf(out, "\n\n**%zu case%s**: %s (", s.total, s.total == 1 ? "" : "s",
            counts.ptr ? counts.ptr : "?");
    cf_buf_free(&counts);
    cf_report_put_seconds(out, t->elapsed_ms);
    fputs(" s)\n\n", out);
    section_table(out, &s);
    status_table(out, &s);
    rule_table(out, &s);
    int rc = 0;
    if (s.counts[CF_RV_PASS] < s.total || s.nfindings) {
        fputs("### Cases that did not pass or broke compliance rules\n\n", out);
        if (fn(out, t, ti, true, ud) < 0) rc = -1;
    }
    fputs("### All cases\n\n| Verdict | Case | Section | Level | Title |\n"
          "| --- | --- | --- | --- | --- |\n",
          out);
    if (fn(out, t, ti, false, ud) < 0) rc = -1;
    fputc('\n', out);
    cf_report_summary_free(&s);
    return rc;
}

/* With two targets or more: the case-by-target table, then every case they disagree on with,
 * for each target that did not pass it, how (docs/reports.md "Comparing servers"). */
static int write_grid(FILE *out, const cf_report *r)
{
    cf_report_grid g;
    if (r->ntargets < 2) return 0;
    if (cf_report_grid_build(r, &g) < 0) return -1;
    fprintf(out,
            "## Cases by target\n\n%zu case%s, %zu where the targets disagree.\n\n| Case | Level |",
            g.nrows, g.nrows == 1 ? "" : "s", g.ndiffers);
    for (size_t t = 0; t < r->ntargets; t++) {
        fputc(' ', out);
        code(out, r->targets[t].name);
        fputs(" |", out);
    }
    fputs("\n| --- | --- |", out);
    for (size_t t = 0; t < r->ntargets; t++)
        fputs(" --- |", out);
    fputc('\n', out);
    for (size_t i = 0; i < g.nrows; i++) {
        const cf_grid_row *row = &g.rows[i];
        fputs("| ", out);
        code(out, row->rcase->id);
        fprintf(out, "%s | %s |", row->differs ? " ≠" : "",
                cf_report_level_name(row->rcase->level));
        for (size_t t = 0; t < r->ntargets; t++) {
            const char *v = cf_report_grid_cell_text(&row->cells[t]);
            fprintf(out,
                    row->differs && row->cells[t].verdict != CF_RV_PASS ? " **%s** |" : " %s |", v);
        }
        fputc('\n', out);
    }
    fputs("\n## Where the targets disagree\n\n", out);
    if (!g.ndiffers) fputs("Nowhere.\n\n", out);
    for (size_t i = 0; i < g.nrows; i++) {
        const cf_grid_row *row = &g.rows[i];
        if (!row->differs) continue;
        const cf_report_case *c = row->rcase;
        fputs("- ", out);
        code(out, c->id);
        fputs(" — **", out);
        requirement(out, c);
        fputc('\n', out);
        for (size_t t = 0; t < r->ntargets; t++) {
            const cf_grid_cell *x = &row->cells[t];
            fputs("  - ", out);
            code(out, r->targets[t].name);
            fprintf(out, ": %s", cf_report_grid_cell_text(x));
            const char *how =
                x->rcase && x->verdict != CF_RV_PASS ? cf_report_grid_how(x->rcase) : NULL;
            if (how) {
                fputs(" — ", out);
                md(out, how);
            }
            fputc('\n', out);
        }
    }
    if (g.ndiffers) fputc('\n', out);
    cf_report_grid_free(&g);
    return 0;
}

static int write_markdown(const cf_report *r, FILE *out, cases_fn fn, void *ud)
{
    fputs("# conform report\n\n", out);
    fputs("- conform ", out);
    md(out, r->conform_version);
    fputs(", started ", out);
    md(out, r->started_at);
    fprintf(out, "%s\n- specs:", r->strict ? ", `--strict`" : "");
    for (size_t i = 0; i < r->nspec_paths; i++) {
        fputc(' ', out);
        code(out, r->spec_paths[i]);
    }
    if (r->interrupted)
        fputs("\n- **interrupted**: the run was stopped before every case ran; the cases below "
              "are those that finished",
              out);
    fputs("\n\n", out);
    int rc = 0;
    for (size_t i = 0; i < r->ntargets; i++)
        if (write_target(out, &r->targets[i], i, fn, ud) < 0) rc = -1;
    if (write_grid(out, r) < 0) rc = -1;
    return rc < 0 || ferror(out) ? -1 : 0;
}

int cf_report_markdown(const cf_report *r, FILE *out)
{
    return write_markdown(r, out, cases_from_model, NULL);
}

/* One target's part of a temporary file. */
typedef struct region {
    uint64_t start, len;
    size_t ncases;
} region;

struct cf_report_markdown_stream {
    FILE *tmp[2];     /* [0]: rows of all cases; [1]: details of those with some (has_details) */
    region *parts[2]; /* per target */
    size_t ntargets;
    bool err;
};

cf_report_markdown_stream *cf_report_markdown_stream_new(void)
{
    cf_report_markdown_stream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (cf_spool_open_pair(s->tmp) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

/* Makes room for target ti's regions; they start where the files end. Returns 0 or -1. */
static int stream_target(cf_report_markdown_stream *s, size_t ti)
{
    if (ti + 1 < s->ntargets) return -1; /* targets come one after the other */
    if (ti < s->ntargets) return 0;
    for (int k = 0; k < 2; k++) {
        region *p = realloc(s->parts[k], (ti + 1) * sizeof *p);
        if (!p) return -1;
        s->parts[k] = p;
        long end = ftell(s->tmp[k]);
        if (end < 0) return -1;
        for (size_t i = s->ntargets; i <= ti; i++)
            p[i] = (region){(uint64_t)end, 0, 0};
    }
    s->ntargets = ti + 1;
    return 0;
}

int cf_report_markdown_stream_case(cf_report_markdown_stream *s, size_t target,
                                   const cf_report_case *c)
{
    if (s->err || stream_target(s, target) < 0) {
        s->err = true;
        return -1;
    }
    for (int k = 0; k < 2; k++) {
        if (k == 1 && !has_details(c)) break;
        long at = ftell(s->tmp[k]);
        if (k == 0)
            case_row(s->tmp[k], c);
        else
            case_details(s->tmp[k], c);
        long end = ftell(s->tmp[k]);
        if (at < 0 || end < at || ferror(s->tmp[k])) {
            s->err = true;
            return -1;
        }
        s->parts[k][target].len += (uint64_t)(end - at);
        s->parts[k][target].ncases++;
    }
    return 0;
}

static int cases_from_stream(FILE *out, const cf_report_target *t, size_t ti, bool details,
                             void *ud)
{
    (void)t;
    cf_report_markdown_stream *s = ud;
    if (ti >= s->ntargets) return 0; /* a target without cases */
    FILE *src = s->tmp[details];
    const region *p = &s->parts[details][ti];
    return cf_spool_copy(src, p->start, p->len, out);
}

int cf_report_markdown_stream_finish(cf_report_markdown_stream *s, const cf_report *r, FILE *out)
{
    if (s->err || fflush(s->tmp[0]) != 0 || fflush(s->tmp[1]) != 0) return -1;
    for (size_t i = 0; i < r->ntargets; i++) /* every case came */
        if (r->targets[i].ncases != (i < s->ntargets ? s->parts[0][i].ncases : 0)) return -1;
    return write_markdown(r, out, cases_from_stream, s);
}

void cf_report_markdown_stream_free(cf_report_markdown_stream *s)
{
    if (!s) return;
    for (int k = 0; k < 2; k++) {
        fclose(s->tmp[k]);
        free(s->parts[k]);
    }
    free(s);
}

/* ---- markdown-failures ------------------------------------------------------------------- */

/* The failures-only Markdown report (docs/reports.md "markdown-failures"): per target its totals
 * and the details of each case that fails the run (FAIL, ERROR, or with --rules gate a rule
 * whose finding fails it), as the markdown format writes them; cut at a case boundary so that
 * the whole stays under CF_REPORT_MDFAIL_MAX bytes, with how many were left out. */
typedef struct mdfail_stream {
    cf_spool_stream base; /* --rules, --strict; the details of the failing cases, per target */
    size_t *ncases;       /* cases added per target */
    size_t nparts;
    bool err;
} mdfail_stream;

/* Room kept per target still to write for its heading and the line saying what was cut. */
#define MDFAIL_TARGET_RESERVE 800

/* True when c fails the run: FAIL, ERROR, or a rule finding that fails it under gate. */
static bool fails_run(const mdfail_stream *s, const cf_report_case *c)
{
    if (c->verdict == CF_RV_FAIL || c->verdict == CF_RV_ERROR) return true;
    if (!cf_report_rules_gate(s->base.rules)) return false;
    for (size_t i = 0; i < c->nresponses; i++)
        for (size_t k = 0; k < c->responses[i].nfindings; k++)
            if (cf_report_rule_verdict(c->responses[i].findings[k].level, s->base.strict) ==
                CF_RV_FAIL)
                return true;
    return false;
}

static void *mdfail_open(cf_rules_mode rules, bool strict)
{
    return cf_spool_stream_new(sizeof(mdfail_stream), rules, strict);
}

/* case_details for cf_spool_piece. */
static void details_piece(FILE *out, const void *c)
{
    case_details(out, c);
}

static int mdfail_add(void *ud, size_t target, const char *tname, const cf_report_case *c)
{
    (void)tname; /* each target has its heading */
    mdfail_stream *s = ud;
    if (!s->err && target >= s->nparts) {
        size_t *p = realloc(s->ncases, (target + 1) * sizeof *p);
        if (p)
            for (; s->nparts <= target; s->nparts++)
                p[s->nparts] = 0;
        s->ncases = p ? p : s->ncases;
        s->err = !p;
    }
    if (s->err) return -1;
    s->ncases[target]++;
    return fails_run(s, c) ? cf_spool_piece(&s->base.sp, target, details_piece, c) : 0;
}

/* Target t's heading and totals, then as many of its failures as fit before limit bytes of
 * doc; the others counted in a line. */
static int mdfail_target(mdfail_stream *s, const cf_report_target *t, size_t ti, FILE *doc,
                         long limit)
{
    const size_t *n = t->counts;
    fputs("## ", doc);
    code(doc, t->name);
    fprintf(doc,
            "\n\n**%zu case%s**: %zu passed, %zu failed, %zu warnings, %zu info, %zu errors, %zu "
            "skipped\n\n",
            t->ncases, t->ncases == 1 ? "" : "s", n[CF_RV_PASS], n[CF_RV_FAIL], n[CF_RV_WARN],
            n[CF_RV_INFO], n[CF_RV_ERROR], n[CF_RV_SKIP]);
    size_t nf = cf_spool_index_count(&s->base.sp.ix, ti), cut = 0;
    if (nf == 0) fputs("No failures.\n\n", doc);
    for (size_t i = 0; i < nf; i++) {
        const cf_spool_range *e = cf_spool_index_get(&s->base.sp.ix, ti, i);
        long at = ftell(doc);
        if (!e || at < 0) return -1;
        if (cut || (uint64_t)at + e->len > (uint64_t)limit) {
            cut++;
            continue;
        }
        if (cf_spool_copy(s->base.sp.tmp, e->offset, e->len, doc) < 0) return -1;
    }
    if (cut)
        fprintf(doc,
                "_%zu more failure%s not shown: this report is cut to fit a comment; the full "
                "report (`--report markdown` or `json`) has them all._\n\n",
                cut, cut == 1 ? "" : "s");
    return 0;
}

static int mdfail_finish(void *ud, const cf_report *r, FILE *out)
{
    mdfail_stream *s = ud;
    if (s->err || s->base.sp.err || fflush(s->base.sp.tmp) != 0) return -1;
    for (size_t i = 0; i < r->ntargets; i++) /* every case came */
        if (r->targets[i].ncases != (i < s->nparts ? s->ncases[i] : 0)) return -1;
    FILE *doc = tmpfile(); /* its length tells what still fits */
    if (!doc) return -1;
    fputs("# conform: failures\n\nconform ", doc);
    md(doc, r->conform_version);
    fputs(", started ", doc);
    md(doc, r->started_at);
    fprintf(doc, "%s\n\n", r->strict ? ", `--strict`" : "");
    if (r->interrupted)
        fputs("**Interrupted**: the run was stopped before every case ran.\n\n", doc);
    int rc = 0;
    for (size_t i = 0; i < r->ntargets && rc == 0; i++) {
        long limit = CF_REPORT_MDFAIL_MAX - (long)(r->ntargets - i) * MDFAIL_TARGET_RESERVE;
        rc = mdfail_target(s, &r->targets[i], i, doc, limit);
    }
    long len = ftell(doc);
    if (rc == 0 && (len < 0 || fflush(doc) != 0 || cf_spool_copy(doc, 0, (uint64_t)len, out) < 0))
        rc = -1;
    fclose(doc);
    return rc < 0 || ferror(out) ? -1 : 0;
}

static void mdfail_close(void *ud)
{
    mdfail_stream *s = ud;
    if (!s) return;
    free(s->ncases);
    cf_spool_stream_free(s);
}

const cf_report_stream_ops cf_report_mdfail_ops = {mdfail_open, mdfail_add, mdfail_finish,
                                                   mdfail_close};

int cf_report_markdown_failures(const cf_report *r, FILE *out)
{
    return cf_report_stream_whole(&cf_report_mdfail_ops, r, out);
}
