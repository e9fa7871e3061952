/* The TAP report format, TAP version 14 (docs/reports.md "tap"): the plan, one test point per
 * case, and a YAML diagnostics block (indented two spaces, between "---" and "...") for every
 * case that did not pass. FAIL and ERROR are "not ok"; WARN and INFO are "not ok" with a TODO
 * directive, so TAP harnesses report them without failing, as conform's exit status does. With
 * --rules gate each rule broken in a case (report_rules.h) is a test point of its own right after
 * the case's, "not ok" (with a TODO unless it fails the run) with its line in the diagnostics.
 * The summaries follow as comment lines. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report_formats.h"
#include "report_rules.h"
#include "report_spool.h"
#include "report_summary.h"
#include "report_text.h"

/* Writes s as a YAML double-quoted scalar (YAML 1.2 §7.3.1): well-formed UTF-8 as it is,
 * '"' and '\\' escaped, controls and malformed bytes as \xNN. */
static void yaml_str(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    fputc('"', out);
    for (size_t i = 0; i < n;) {
        size_t len = cf_utf8_seq_len(p + i, n - i);
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
        } else if (c == '\n') {
            fputs("\\n", out);
        } else if (c == '\t') {
            fputs("\\t", out);
        } else if (len == 0 || c < 0x20 || c == 0x7F) {
            fprintf(out, "\\x%02X", c);
            len = 1;
        } else {
            fwrite(p + i, 1, len, out);
        }
        i += len ? len : 1;
    }
    fputc('"', out);
}

static void yaml_kv(FILE *out, const char *indent, const char *key, const char *value)
{
    fprintf(out, "%s%s: ", indent, key);
    yaml_str(out, value);
    fputc('\n', out);
}

/* A test point description: '#' and '\\' escaped (TAP 14 "Test Point"), one line. */
static void description(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '#' || *s == '\\') fputc('\\', out);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
}

static void findings_block(FILE *out, const cf_report_case *c)
{
    size_t nf = 0;
    for (size_t i = 0; i < c->nresponses; i++)
        nf += c->responses[i].nfindings;
    if (!nf) return;
    fputs("  findings:\n", out);
    for (size_t i = 0; i < c->nresponses; i++)
        for (size_t k = 0; k < c->responses[i].nfindings; k++) {
            const cf_report_finding *f = &c->responses[i].findings[k];
            yaml_kv(out, "    - ", "rule", cf_report_finding_id(f)); /* a list of mappings */
            yaml_kv(out, "      ", "section", cf_report_finding_section(f));
            yaml_kv(out, "      ", "level", cf_report_level_name(f->level));
            fprintf(out, "      response: %zu\n      status: %d\n", i + 1, c->responses[i].status);
            yaml_kv(out, "      ", "message", f->message);
        }
}

/* The YAML block of a case that did not pass. */
static void diagnostics(FILE *out, const cf_report_case *c)
{
    char ref[256];
    fputs("  ---\n", out);
    const cf_report_step *s = NULL;
    size_t si = 0;
    for (size_t i = 0; i < c->nsteps && !s; i++)
        if (c->steps[i].checked && !c->steps[i].pass) {
            s = &c->steps[i];
            si = i;
        }
    char xf[600];
    const char *xfail = cf_report_xfail_text(c, xf, sizeof xf);
    yaml_kv(out, "  ", "message", c->error ? c->error : xfail ? xfail : c->requirement);
    fprintf(out, "  severity: %s\n",
            c->verdict == CF_RV_WARN    ? "warn"
            : c->verdict == CF_RV_INFO  ? "info"
            : c->verdict == CF_RV_XFAIL ? "todo"
                                        : "fail");
    yaml_kv(out, "  ", "verdict", cf_report_verdict_name(c->verdict));
    cf_report_ref(ref, sizeof ref, c->rfc, c->section);
    yaml_kv(out, "  ", "rfc", ref);
    yaml_kv(out, "  ", "level", cf_report_level_name(c->level));
    yaml_kv(out, "  ", "requirement", c->requirement);
    if (c->error) yaml_kv(out, "  ", "error", c->error);
    if (s) {
        fprintf(out, "  step: %zu\n", si + 1);
        yaml_kv(out, "  ", "expected", s->expected);
        yaml_kv(out, "  ", "actual", s->actual);
        if (s->nfailed) {
            fputs("  failed:\n", out);
            for (size_t i = 0; i < s->nfailed; i++) {
                fputs("    - ", out);
                yaml_str(out, s->failed[i]);
                fputc('\n', out);
            }
        }
    }
    for (size_t i = 0; i < c->nsteps; i++)
        if (c->steps[i].note) yaml_kv(out, "  ", "note", c->steps[i].note);
    if (c->rerun) yaml_kv(out, "  ", "rerun", c->rerun);
    if (c->repro) yaml_kv(out, "  ", "reproduce", c->repro);
    findings_block(out, c);
    fputs("  ...\n", out);
}

static void summary_comments(FILE *out, const cf_report_target *t)
{
    cf_report_summary s;
    if (cf_report_summarize(t, &s) < 0) return;
    cf_buf counts = {0};
    cf_report_counts_text(&counts, s.counts);
    fprintf(out, "# %s: %zu cases: %s\n", t->name, s.total, counts.ptr ? counts.ptr : "?");
    cf_buf_free(&counts);
    for (size_t i = 0; i < s.nsections; i++)
        for (int l = 0; l < CF_RL__COUNT; l++) {
            const size_t *n = s.sections[i].n[l];
            if (!(n[0] + n[1] + n[2] + n[3] + n[4] + n[5] + n[6] + n[7])) continue;
            char ref[96];
            fprintf(out, "# %s %s: %zu pass, %zu fail, %zu warn, %zu info, %zu error, %zu skip",
                    cf_report_ref(ref, sizeof ref, s.sections[i].rfc, s.sections[i].section),
                    cf_report_level_name(l), n[0], n[1], n[2], n[3], n[4], n[5]);
            if (cf_report_has_marked(s.counts))
                fprintf(out, ", %zu xfail, %zu xpass", n[CF_RV_XFAIL], n[CF_RV_XPASS]);
            fputc('\n', out);
        }
    for (size_t i = 0; i < s.ncategories; i++) {
        fprintf(out, "# status codes, %s:", s.categories[i].name);
        for (size_t k = 0; k < s.categories[i].nstatuses; k++) {
            const cf_summary_status *x = &s.categories[i].statuses[k];
            if (x->status)
                fprintf(out, " %d x%zu", x->status, x->count);
            else
                fprintf(out, " none x%zu", x->count);
        }
        fputc('\n', out);
    }
    if (!s.nrules) fputs("# compliance rules broken: none\n", out);
    for (size_t i = 0; i < s.nrules; i++) {
        const cf_summary_rule *r = &s.rules[i];
        fprintf(out, "# rule %s (%s, %s): %zu findings in %zu cases, e.g.", r->rule_id, r->section,
                cf_report_level_name(r->level), r->count, r->ncases);
        for (size_t k = 0; k < r->nexamples; k++)
            fprintf(out, "%s %s", k ? "," : "", r->examples[k]);
        fputc('\n', out);
    }
    cf_report_summary_free(&s);
}

/* What the rule findings are worth in this report: --rules and --strict of the run. */
typedef struct tap_rules {
    cf_rules_mode mode;
    bool strict;
} tap_rules;

/* The test points of the rules broken in c (--rules gate: one per rule, report_rules.h), from
 * num + 1 on; returns how many were written (0 when memory ran out). */
static size_t rule_points(FILE *out, size_t num, const char *tname, const cf_report_case *c,
                          const tap_rules *tr)
{
    cf_case_rules rs;
    if (!cf_report_rules_gate(tr->mode) || cf_case_rules_collect(c, &rs) < 0) return 0;
    for (size_t i = 0; i < rs.n; i++) {
        const cf_report_finding *f = rs.v[i].first;
        cf_report_verdict v = cf_report_rule_verdict(f->level, tr->strict);
        fprintf(out, "not ok %zu - ", num + i + 1); /* WARN, INFO: with a TODO, as cases */
        if (tname) {
            description(out, tname);
            fputc(' ', out);
        }
        description(out, c->id);
        fputs(" rule ", out);
        description(out, cf_report_finding_id(f));
        if (v != CF_RV_FAIL)
            fprintf(out, " # TODO %s not met (%s)", cf_report_level_name(f->level),
                    v == CF_RV_WARN ? "warning" : "info");
        cf_buf line = {0};
        cf_case_rule_line(&line, c, &rs, &rs.v[i]);
        fputs("\n  ---\n", out);
        yaml_kv(out, "  ", "message", line.ptr ? line.ptr : "rule finding (out of memory)");
        fprintf(out, "  severity: %s\n",
                v == CF_RV_FAIL   ? "fail"
                : v == CF_RV_WARN ? "warn"
                                  : "info");
        yaml_kv(out, "  ", "rule", cf_report_finding_id(f));
        yaml_kv(out, "  ", "rfc", cf_report_finding_section(f));
        yaml_kv(out, "  ", "level", cf_report_level_name(f->level));
        fputs("  ...\n", out);
        cf_buf_free(&line);
    }
    size_t n = rs.n;
    cf_case_rules_free(&rs);
    return n;
}

/* The rule test points c has (rule_points), without writing them. */
static size_t count_rule_points(const cf_report_case *c, const tap_rules *tr)
{
    cf_case_rules rs;
    if (!cf_report_rules_gate(tr->mode) || cf_case_rules_collect(c, &rs) < 0) return 0;
    size_t n = rs.n;
    cf_case_rules_free(&rs);
    return n;
}

/* Test point num for case c (of the target named tname when several are compared, else NULL)
 * with its diagnostics, then its rule test points (--rules gate); returns how many points were
 * written. */
static size_t test_point(FILE *out, size_t num, const char *tname, const cf_report_case *c,
                         const tap_rules *tr)
{
    cf_report_verdict v = c->verdict;
    /* TAP: a skipped test is "ok" with a SKIP directive; not exercised is not a failure. */
    fprintf(out, "%s %zu - ", v == CF_RV_PASS || v == CF_RV_SKIP ? "ok" : "not ok", num);
    if (tname) {
        description(out, tname);
        fputc(' ', out);
    }
    description(out, c->id);
    fputc(' ', out);
    description(out, c->title);
    if (v == CF_RV_WARN || v == CF_RV_INFO)
        fprintf(out, " # TODO %s not met (%s)", cf_report_level_name(c->level),
                v == CF_RV_WARN ? "warning" : "info");
    if (v == CF_RV_SKIP) {
        fputs(" # SKIP ", out);
        description(out, c->skip ? c->skip : "not exercised");
    }
    if (v == CF_RV_XFAIL) { /* TAP's own directive for a known failure: not a failure */
        fputs(" # TODO xfail: ", out);
        description(out, c->xfail ? c->xfail : "?");
    }
    fputc('\n', out);
    if (v != CF_RV_PASS && v != CF_RV_SKIP) diagnostics(out, c);
    return 1 + rule_points(out, num, tname, c, tr);
}

static void plan(FILE *out, const cf_report *r, const tap_rules *tr)
{
    size_t total = 0;
    for (size_t i = 0; i < r->ntargets; i++) {
        total += r->targets[i].ncases;
        for (size_t k = 0; k < r->targets[i].ncases; k++)
            total += count_rule_points(&r->targets[i].cases[k], tr);
    }
    fprintf(out, "TAP version 14\n1..%zu\n", total);
    if (r->interrupted)
        fputs("# interrupted: the run was stopped before every case ran; these are the cases "
              "that finished\n",
              out);
}

int cf_report_tap(const cf_report *r, FILE *out)
{
    size_t num = 0;
    tap_rules tr = {r->rules, r->strict};
    plan(out, r, &tr);
    for (size_t i = 0; i < r->ntargets; i++) {
        const cf_report_target *t = &r->targets[i];
        for (size_t k = 0; k < t->ncases; k++)
            num += test_point(out, num + 1, r->ntargets > 1 ? t->name : NULL, &t->cases[k], &tr);
    }
    for (size_t i = 0; i < r->ntargets; i++)
        summary_comments(out, &r->targets[i]);
    return ferror(out) ? -1 : 0;
}

struct cf_report_tap_stream {
    tap_rules tr;
    FILE *tmp; /* the test points so far */
    size_t num;
    bool err;
};

cf_report_tap_stream *cf_report_tap_stream_new(cf_rules_mode rules, bool strict)
{
    cf_report_tap_stream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->tr = (tap_rules){rules, strict};
    if (!(s->tmp = tmpfile())) {
        free(s);
        return NULL;
    }
    return s;
}

int cf_report_tap_stream_case(cf_report_tap_stream *s, const char *tname, const cf_report_case *c)
{
    if (s->err) return -1;
    s->num += test_point(s->tmp, s->num + 1, tname, c, &s->tr);
    if (ferror(s->tmp)) s->err = true;
    return s->err ? -1 : 0;
}

int cf_report_tap_stream_finish(cf_report_tap_stream *s, const cf_report *r, FILE *out)
{
    long end = s->err || fflush(s->tmp) != 0 ? -1 : ftell(s->tmp);
    if (end < 0) return -1;
    plan(out, r, &s->tr);
    if (cf_spool_copy(s->tmp, 0, (uint64_t)end, out) < 0) return -1;
    for (size_t i = 0; i < r->ntargets; i++)
        summary_comments(out, &r->targets[i]);
    return ferror(out) ? -1 : 0;
}

void cf_report_tap_stream_free(cf_report_tap_stream *s)
{
    if (!s) return;
    fclose(s->tmp);
    free(s);
}
