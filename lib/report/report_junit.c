/* The JUnit XML report format (docs/reports.md "junit"): one <testsuite> per RFC section (per
 * target when there are several), one <testcase> per case. FAIL is a <failure> (type: the
 * level) carrying the requirement, expected/actual, the checks that did not hold and the
 * reproduction line; ERROR is an <error>; WARN and INFO pass, with a line in <system-out>, as
 * they do not fail the run. Compliance rule findings, one per rule per case (report_rules.h):
 * with --rules gate each is a <testcase> of its own right after its case ("ID rule RULE"), a
 * <failure> when it fails the run, passing with a <system-out> line when it only warns; with
 * --rules report or off they are lines in the case's <system-out>. The structure is the Jenkins
 * JUnit schema's (tests/data/junit/junit.xsd checks it). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_formats.h"
#include "report_rules.h"
#include "report_spool.h"
#include "report_summary.h"
#include "report_text.h"

/* Writes s as XML character data or attribute text: markup characters escaped, characters XML
 * 1.0 forbids (controls other than TAB, LF, CR; malformed UTF-8) written as U+FFFD. */
static void xml_esc(FILE *out, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t len = cf_utf8_seq_len(p + i, n - i);
        if (len == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            fputs("\xEF\xBF\xBD", out);
            i += len ? len : 1;
            continue;
        }
        if (len == 3 && c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE) { /* U+FFFE/FFFF */
            fputs("\xEF\xBF\xBD", out);
            i += 3;
            continue;
        }
        switch (c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        case '\n': fputs(attr ? "&#10;" : "\n", out); break; /* attributes keep it escaped */
        case '\r': fputs("&#13;", out); break;
        case '\t': fputs(attr ? "&#9;" : "\t", out); break;
        default: fwrite(p + i, 1, len, out);
        }
        i += len;
    }
}

static void xml_text(FILE *out, const char *s)
{
    xml_esc(out, s, false);
}

static void xml_attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_esc(out, value, true);
    fputc('"', out);
}

/* The body of a <failure>/<error>: the case's details (cf_report_case_text). */
static void failure_body(FILE *out, const cf_report_case *c)
{
    cf_buf t = {0};
    cf_report_case_text(&t, c);
    xml_text(out, t.err ? "(out of memory)" : t.ptr ? t.ptr : "");
    cf_buf_free(&t);
}

/* What the rule findings are worth in this report: --rules and --strict of the run. */
typedef struct junit_rules {
    cf_rules_mode mode;
    bool strict;
} junit_rules;

/* The rule findings of c as lines of <system-out> (--rules report or off). */
static void rule_lines(FILE *out, const cf_report_case *c, const cf_case_rules *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        cf_buf line = {0};
        cf_case_rule_line(&line, c, rs, &rs->v[i]);
        xml_text(out, line.ptr ? line.ptr : "rule finding (out of memory)");
        xml_text(out, "\n");
        cf_buf_free(&line);
    }
}

/* With --rules gate: one <testcase> per rule broken in c, after c's own. */
static void rule_cases(FILE *out, const cf_report_case *c, const cf_case_rules *rs,
                       const char *classname, const junit_rules *jr)
{
    char cls[320];
    snprintf(cls, sizeof cls, "%s.rules", classname);
    for (size_t i = 0; i < rs->n; i++) {
        const cf_report_finding *f = rs->v[i].first;
        cf_report_verdict v = cf_report_rule_verdict(f->level, jr->strict);
        cf_buf line = {0}, name = {0};
        cf_case_rule_line(&line, c, rs, &rs->v[i]);
        cf_buf_fmt(&name, "%s rule %s", c->id, cf_report_finding_id(f));
        const char *text = line.ptr ? line.ptr : "rule finding (out of memory)";
        fputs("    <testcase", out);
        xml_attr(out, "name", name.ptr ? name.ptr : c->id);
        xml_attr(out, "classname", cls);
        fputs(" time=\"0.000\">\n", out);
        if (v == CF_RV_FAIL) {
            fputs("      <failure", out);
            xml_attr(out, "message", text);
            xml_attr(out, "type", cf_report_level_name(f->level));
            fputc('>', out);
            xml_text(out, text);
            fputs("</failure>\n", out);
        } else {
            fputs("      <system-out>", out);
            xml_text(out, cf_report_verdict_name(v));
            xml_text(out, ": ");
            xml_text(out, text);
            xml_text(out, " (does not fail the run)\n");
            fputs("</system-out>\n", out);
        }
        fputs("    </testcase>\n", out);
        cf_buf_free(&line);
        cf_buf_free(&name);
    }
}

/* The rule test cases of c (--rules gate) into *tests, and those failing into *failures. */
static void count_rule_cases(const cf_report_case *c, const junit_rules *jr, size_t *tests,
                             size_t *failures)
{
    cf_case_rules rs;
    if (!cf_report_rules_gate(jr->mode) || cf_case_rules_collect(c, &rs) < 0) return;
    *tests += rs.n;
    for (size_t i = 0; i < rs.n; i++)
        *failures += cf_report_rule_verdict(rs.v[i].first->level, jr->strict) == CF_RV_FAIL;
    cf_case_rules_free(&rs);
}

/* <system-out>: the WARN/INFO line and (not gating) the rule findings, when there is anything to
 * say. */
static void system_out(FILE *out, const cf_report_case *c, cf_report_verdict v,
                       const cf_case_rules *rs)
{
    if (rs->n == 0 && v != CF_RV_WARN && v != CF_RV_INFO) return;
    fputs("      <system-out>", out);
    if (v == CF_RV_WARN || v == CF_RV_INFO) {
        xml_text(out, cf_report_verdict_name(c->verdict));
        xml_text(out, ": the ");
        xml_text(out, cf_report_level_name(c->level));
        xml_text(out, " does not hold (does not fail the run)\n");
        failure_body(out, c);
    }
    rule_lines(out, c, rs);
    fputs("</system-out>\n", out);
}

static void write_case(FILE *out, const cf_report_case *c, const char *classname,
                       const junit_rules *jr)
{
    cf_case_rules rs = {0};
    if (jr->mode != CF_RULES_OFF) cf_case_rules_collect(c, &rs); /* none when memory ran out */
    bool gate = cf_report_rules_gate(jr->mode);
    cf_case_rules none = {0};
    cf_report_verdict v = c->verdict;
    fputs("    <testcase", out);
    char name[512];
    snprintf(name, sizeof name, "%s: %s", c->id, c->title);
    xml_attr(out, "name", name);
    xml_attr(out, "classname", classname);
    if (c->file && *c->file) xml_attr(out, "file", c->file); /* GitLab, pytest: where it is */
    if (c->line) fprintf(out, " line=\"%u\"", c->line);
    fputs(" time=\"", out);
    cf_report_put_seconds(out, c->elapsed_ms);
    fputs("\">\n", out);
    if (v == CF_RV_FAIL || v == CF_RV_ERROR) {
        const char *tag = v == CF_RV_FAIL ? "failure" : "error";
        size_t si = 0;
        const cf_report_step *s = cf_report_failed_step(c, &si);
        char msg[600];
        if (v == CF_RV_ERROR)
            snprintf(msg, sizeof msg, "%s", c->error ? c->error : "error");
        else
            snprintf(msg, sizeof msg, "%s not met: expected %s, got %s",
                     cf_report_level_name(c->level), s && s->expected ? s->expected : "?",
                     s && s->actual ? s->actual : "?");
        fprintf(out, "      <%s", tag);
        xml_attr(out, "message", msg);
        xml_attr(out, "type", v == CF_RV_FAIL ? cf_report_level_name(c->level) : "ERROR");
        fputc('>', out);
        failure_body(out, c);
        fprintf(out, "</%s>\n", tag);
    }
    if (v == CF_RV_SKIP) {
        fputs("      <skipped", out);
        xml_attr(out, "message", c->skip ? c->skip : "not exercised");
        fputs("/>\n", out);
    }
    char xf[600];
    if (cf_report_xfail_text(c, xf, sizeof xf)) { /* XFAIL: known, skipped; XPASS: gates */
        fputs(v == CF_RV_XFAIL ? "      <skipped" : "      <failure", out);
        xml_attr(out, "message", xf);
        if (v == CF_RV_XPASS) xml_attr(out, "type", "XPASS");
        fputs("/>\n", out);
    }
    system_out(out, c, v, gate ? &none : &rs);
    fputs("    </testcase>\n", out);
    if (gate) rule_cases(out, c, &rs, classname, jr);
    cf_case_rules_free(&rs);
}

/* The classname of the cases of section sec of RFC rfc: conform.rfcRFC.SECTION, and with several
 * targets conform.TARGET.rfcRFC.SECTION, the target's dots as '_' so that CI views which split
 * classnames at dots keep it one package. */
static void classname_of(char *out, size_t cap, const char *tname, unsigned rfc, const char *sec)
{
    size_t k = (size_t)snprintf(out, cap, "conform.");
    for (const char *p = tname; p && *p && k + 1 < cap; p++)
        out[k++] = *p == '.' ? '_' : *p;
    if (k < cap) snprintf(out + k, cap - k, "%srfc%u.%s", tname ? "." : "", rfc, sec ? sec : "");
}

/* Writes the <testcase> of case i of target ti (report_junit's whole model, or the stream's
 * temporary file). */
typedef int (*case_fn)(FILE *out, const cf_report *r, size_t ti, size_t i, const char *classname,
                       void *ud);

static int case_from_model(FILE *out, const cf_report *r, size_t ti, size_t i,
                           const char *classname, void *ud)
{
    write_case(out, &r->targets[ti].cases[i], classname, ud);
    return 0;
}

/* One <testsuite>: the cases of target ti in RFC rfc, section sec. Returns 0, or -1 when a case
 * could not be written. */
static int write_suite(FILE *out, const cf_report *r, size_t ti, const cf_summary_section *x,
                       case_fn fn, void *ud, const junit_rules *jr)
{
    const cf_report_target *t = &r->targets[ti];
    int rc = 0;
    size_t n[CF_RV__COUNT] = {0}, tests = 0, ms = 0;
    for (int l = 0; l < CF_RL__COUNT; l++)
        for (int v = 0; v < CF_RV__COUNT; v++) {
            n[v] += x->n[l][v];
            tests += x->n[l][v];
        }
    char name[400], classname[300], ref[96];
    snprintf(name, sizeof name, "%s%s%s", r->ntargets > 1 ? t->name : "",
             r->ntargets > 1 ? " " : "", cf_report_ref(ref, sizeof ref, x->rfc, x->section));
    classname_of(classname, sizeof classname, r->ntargets > 1 ? t->name : NULL, x->rfc, x->section);
    for (size_t i = 0; i < t->ncases; i++)
        if (t->cases[i].rfc == x->rfc && !strcmp(t->cases[i].section, x->section)) {
            ms += t->cases[i].elapsed_ms;
            count_rule_cases(&t->cases[i], jr, &tests, &n[CF_RV_FAIL]);
        }
    fputs("  <testsuite", out);
    xml_attr(out, "name", name);
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"", tests,
            n[CF_RV_FAIL] + n[CF_RV_XPASS], n[CF_RV_ERROR], n[CF_RV_SKIP] + n[CF_RV_XFAIL]);
    cf_report_put_seconds(out, ms);
    fputc('"', out);
    char ts[32];
    size_t tl = r->started_at ? strlen(r->started_at) : 0;
    if (tl >= 19 && tl < sizeof ts) { /* "YYYY-MM-DDTHH:MM:SS", without the zone (Jenkins) */
        memcpy(ts, r->started_at, 19);
        ts[19] = 0;
        xml_attr(out, "timestamp", ts);
    }
    fputs(">\n    <properties>\n      <property name=\"target\"", out);
    xml_attr(out, "value", t->name);
    fputs("/>\n    </properties>\n", out);
    for (size_t i = 0; i < t->ncases; i++)
        if (t->cases[i].rfc == x->rfc && !strcmp(t->cases[i].section, x->section) &&
            fn(out, r, ti, i, classname, ud) < 0)
            rc = -1;
    fputs("  </testsuite>\n", out);
    return rc;
}

static int write_junit(const cf_report *r, FILE *out, case_fn fn, void *ud, const junit_rules *jr)
{
    size_t tests = 0, failures = 0, errors = 0, skipped = 0, ms = 0;
    for (size_t i = 0; i < r->ntargets; i++) {
        tests += r->targets[i].ncases;
        failures += r->targets[i].counts[CF_RV_FAIL] + r->targets[i].counts[CF_RV_XPASS];
        errors += r->targets[i].counts[CF_RV_ERROR];
        skipped += r->targets[i].counts[CF_RV_SKIP] + r->targets[i].counts[CF_RV_XFAIL];
        ms += r->targets[i].elapsed_ms;
        for (size_t k = 0; k < r->targets[i].ncases; k++)
            count_rule_cases(&r->targets[i].cases[k], jr, &tests, &failures);
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<testsuites name=\"conform\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
            "skipped=\"%zu\" time=\"",
            tests, failures, errors, skipped);
    cf_report_put_seconds(out, ms);
    fputs("\">\n", out);
    if (r->interrupted) /* JUnit has no element for it; a comment keeps the file valid */
        fputs("<!-- interrupted: the run was stopped before every case ran; these are the cases "
              "that finished -->\n",
              out);
    int rc = 0;
    for (size_t i = 0; i < r->ntargets; i++) {
        cf_report_summary s;
        if (cf_report_summarize(&r->targets[i], &s) < 0) {
            rc = -1;
            break;
        }
        for (size_t k = 0; k < s.nsections; k++)
            if (write_suite(out, r, i, &s.sections[k], fn, ud, jr) < 0) rc = -1;
        cf_report_summary_free(&s);
    }
    fputs("</testsuites>\n", out);
    return rc < 0 || ferror(out) ? -1 : 0;
}

int cf_report_junit(const cf_report *r, FILE *out)
{
    junit_rules jr = {r->rules, r->strict};
    return write_junit(r, out, case_from_model, &jr, &jr);
}

struct cf_report_junit_stream {
    junit_rules jr;
    FILE *tmp;
    cf_spool_index cases; /* each case's piece in tmp */
    bool err;
};

cf_report_junit_stream *cf_report_junit_stream_new(cf_rules_mode rules, bool strict)
{
    cf_report_junit_stream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->jr = (junit_rules){rules, strict};
    if (!(s->tmp = tmpfile())) {
        free(s);
        return NULL;
    }
    return s;
}

int cf_report_junit_stream_case(cf_report_junit_stream *s, size_t target, const char *tname,
                                const cf_report_case *c)
{
    long at = s->err ? -1 : ftell(s->tmp);
    if (at < 0) {
        s->err = true;
        return -1;
    }
    char classname[300];
    classname_of(classname, sizeof classname, tname, c->rfc, c->section);
    write_case(s->tmp, c, classname, &s->jr);
    long end = ftell(s->tmp);
    if (end < at || ferror(s->tmp) ||
        cf_spool_index_add(&s->cases, target,
                           (cf_spool_range){(uint64_t)at, (uint64_t)(end - at)}) < 0) {
        s->err = true;
        return -1;
    }
    return 0;
}

/* Copies case i of target ti from the temporary file. */
static int case_from_stream(FILE *out, const cf_report *r, size_t ti, size_t i,
                            const char *classname, void *ud)
{
    (void)r;
    (void)classname;
    cf_report_junit_stream *s = ud;
    const cf_spool_range *e = cf_spool_index_get(&s->cases, ti, i);
    return e ? cf_spool_copy(s->tmp, e->offset, e->len, out) : -1;
}

int cf_report_junit_stream_finish(cf_report_junit_stream *s, const cf_report *r, FILE *out)
{
    if (s->err || fflush(s->tmp) != 0) return -1;
    for (size_t i = 0; i < r->ntargets; i++) /* every case came, in order */
        if (r->targets[i].ncases != cf_spool_index_count(&s->cases, i)) return -1;
    return write_junit(r, out, case_from_stream, s, &s->jr);
}

void cf_report_junit_stream_free(cf_report_junit_stream *s)
{
    if (!s) return;
    fclose(s->tmp);
    cf_spool_index_free(&s->cases);
    free(s);
}
