/* The sarif report format (docs/reports.md "sarif"): SARIF 2.1.0 (OASIS), as GitHub code scanning
 * reads it. One run per target; its tool.driver.rules are the cases that produced a result and
 * the compliance rules broken (rules.def); its results are the cases that did not pass (FAIL and
 * ERROR: level error, WARN: warning, INFO: note) and, but with --rules off, one per rule broken
 * in a case, each at the spec file and line of its case. Written while the run goes: results and
 * rule descriptors to two temporary files, copied into each run at the end. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_formats.h"
#include "report_rules.h"
#include "report_spool.h"
#include "report_text.h"
#include "util_json.h"

/* Where one target's results and rule descriptors lie in the temporary files. */
typedef struct sarif_part {
    uint64_t start[2], len[2];
    size_t n[2];   /* results, descriptors */
    size_t ncases; /* cases added */
} sarif_part;

typedef struct sarif_stream {
    cf_rules_mode rules;
    bool strict;
    FILE *tmp[2]; /* [0]: results; [1]: the descriptors of the cases with one */
    sarif_part *parts;
    size_t nparts;
    bool err;
} sarif_stream;

/* SARIF's level for a verdict: error fails the run (an XPASS too), warning for WARN, note for
 * INFO; none for a known failure (XFAIL), like a SKIP. */
static const char *level_of(cf_report_verdict v)
{
    switch (v) {
    case CF_RV_FAIL:
    case CF_RV_ERROR:
    case CF_RV_XPASS: return "error";
    case CF_RV_WARN: return "warning";
    case CF_RV_INFO: return "note";
    default: return NULL;
    }
}

/* The level of a requirement level, for a descriptor's defaultConfiguration. */
static const char *level_of_level(cf_report_level l)
{
    return l == CF_RL_MUST ? "error" : l == CF_RL_SHOULD ? "warning" : "note";
}

/* Writes path as a URI reference (RFC 3986): unreserved characters and '/' as they are, every
 * other byte percent-encoded; an absolute path becomes a file:// URI. */
static void uri_of(cf_json *j, const char *path)
{
    cf_buf u = {0};
    if (*path == '/') cf_buf_str(&u, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            cf_buf_add(&u, p, 1);
        else
            cf_buf_fmt(&u, "%%%02X", *p);
    }
    cf_json_text(j, u.err ? "" : u.ptr ? u.ptr : "");
    cf_buf_free(&u);
}

/* "locations": the case's spec file and line (none when its file is unknown). */
static void locations(cf_json *j, const cf_report_case *c)
{
    cf_json_key(j, "locations");
    cf_json_begin_array(j);
    if (c->file && *c->file) {
        cf_json_begin_object(j);
        cf_json_key(j, "physicalLocation");
        cf_json_begin_object(j);
        cf_json_key(j, "artifactLocation");
        cf_json_begin_object(j);
        cf_json_key(j, "uri");
        uri_of(j, c->file);
        cf_json_end_object(j);
        if (c->line) {
            cf_json_key(j, "region");
            cf_json_begin_object(j);
            cf_json_key(j, "startLine");
            cf_json_uint(j, c->line);
            cf_json_end_object(j);
        }
        cf_json_end_object(j);
        cf_json_end_object(j);
    }
    cf_json_end_array(j);
}

/* {"text": s}, the message (and description) object. */
static void message(cf_json *j, const char *key, const char *s)
{
    cf_json_key(j, key);
    cf_json_begin_object(j);
    cf_json_key(j, "text");
    cf_json_text(j, s);
    cf_json_end_object(j);
}

/* One result: rule ruleid at level, with message msg, located at case c. */
static void result(cf_json *j, const char *ruleid, const char *level, const char *msg,
                   const cf_report_case *c, const char *verdict)
{
    cf_json_begin_object(j);
    cf_json_key(j, "ruleId");
    cf_json_text(j, ruleid);
    cf_json_key(j, "level");
    cf_json_text(j, level);
    cf_json_key(j, "kind");
    cf_json_text(j, "fail");
    message(j, "message", msg);
    locations(j, c);
    cf_json_key(j, "properties");
    cf_json_begin_object(j);
    cf_json_key(j, "verdict");
    cf_json_text(j, verdict);
    cf_json_key(j, "case");
    cf_json_text(j, c->id);
    cf_json_end_object(j);
    cf_json_end_object(j);
}

/* The help URI of RFC rfc, section sec, at the RFC Editor. */
static void help_uri(cf_json *j, unsigned rfc, const char *sec)
{
    char *u = cf_strfmt("https://www.rfc-editor.org/rfc/rfc%u.html#section-%s", rfc, sec);
    cf_json_key(j, "helpUri");
    cf_json_text(j, u ? u : "https://www.rfc-editor.org/");
    free(u);
}

/* The descriptor of case c as a rule: its title, requirement, RFC section and level. */
static void case_descriptor(cf_json *j, const cf_report_case *c)
{
    cf_json_begin_object(j);
    cf_json_key(j, "id");
    cf_json_text(j, c->id);
    message(j, "shortDescription", c->title);
    message(j, "fullDescription", c->requirement);
    help_uri(j, c->rfc, c->section ? c->section : "");
    cf_json_key(j, "defaultConfiguration");
    cf_json_begin_object(j);
    cf_json_key(j, "level");
    cf_json_text(j, level_of_level(c->level));
    cf_json_end_object(j);
    cf_json_key(j, "properties");
    cf_json_begin_object(j);
    cf_json_key(j, "rfc");
    cf_json_uint(j, c->rfc);
    cf_json_key(j, "section");
    cf_json_text(j, c->section);
    cf_json_key(j, "level");
    cf_json_text(j, cf_report_level_name(c->level));
    cf_json_key(j, "tags");
    cf_json_begin_array(j);
    for (size_t i = 0; i < c->ntags; i++)
        cf_json_text(j, c->tags[i]);
    cf_json_end_array(j);
    cf_json_end_object(j);
    cf_json_end_object(j);
}

/* The results of case c: its own when it did not pass (and was exercised), one per rule broken
 * in it unless --rules off (at the level it weighs as under gate, a note under report). Returns
 * how many it wrote. */
static size_t case_results(cf_json *j, const sarif_stream *s, const cf_report_case *c)
{
    size_t n = 0;
    const char *level = level_of(c->verdict);
    if (level) {
        cf_buf msg = {0};
        cf_buf_fmt(&msg, "%s: %s\n", cf_report_verdict_name(c->verdict), c->title);
        cf_report_case_text(&msg, c);
        result(j, c->id, level, msg.err ? "(out of memory)" : msg.ptr, c,
               cf_report_verdict_name(c->verdict));
        cf_buf_free(&msg);
        n++;
    }
    cf_case_rules rs;
    if (s->rules == CF_RULES_OFF || cf_case_rules_collect(c, &rs) < 0) return n;
    for (size_t i = 0; i < rs.n; i++) {
        const cf_report_finding *f = rs.v[i].first;
        cf_report_verdict v = cf_report_rule_verdict(f->level, s->strict);
        bool gate = cf_report_rules_gate(s->rules);
        cf_buf msg = {0};
        cf_buf_fmt(&msg, "in case %s: ", c->id);
        cf_case_rule_line(&msg, c, &rs, &rs.v[i]);
        result(j, cf_report_finding_id(f), gate ? level_of(v) : "note",
               msg.err ? "(out of memory)" : msg.ptr, c, cf_report_verdict_name(v));
        cf_buf_free(&msg);
        n++;
    }
    cf_case_rules_free(&rs);
    return n;
}

static void *sarif_open(cf_rules_mode rules, bool strict)
{
    sarif_stream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->rules = rules;
    s->strict = strict;
    if (cf_spool_open_pair(s->tmp) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

/* The part of target t, made (empty, at the ends of the files) when new; NULL when targets do
 * not come in order or memory ran out. */
static sarif_part *part_at(sarif_stream *s, size_t t)
{
    if (t + 1 < s->nparts) return NULL;
    if (t < s->nparts) return &s->parts[t];
    sarif_part *p = realloc(s->parts, (t + 1) * sizeof *p);
    if (!p) return NULL;
    s->parts = p;
    for (size_t i = s->nparts; i <= t; i++) {
        memset(&p[i], 0, sizeof p[i]);
        for (int k = 0; k < 2; k++) {
            long end = ftell(s->tmp[k]);
            p[i].start[k] = end < 0 ? 0 : (uint64_t)end;
        }
    }
    s->nparts = t + 1;
    return &p[t];
}

/* Appends to temporary file k of s, comma-separated from the earlier ones, case c's results
 * (k 0) or its descriptor (k 1). Returns 0, or -1. */
static int spool(sarif_stream *s, sarif_part *p, int k, const cf_report_case *c)
{
    long at = ftell(s->tmp[k]);
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_begin_array(&j);
    size_t n = 1;
    if (k == 0)
        n = case_results(&j, s, c);
    else
        case_descriptor(&j, c);
    cf_json_end_array(&j);
    size_t len;
    const char *text = cf_json_data(&j, &len);
    int rc = cf_json_error(&j) || at < 0 ? -1 : 0;
    if (rc == 0 && n && len > 2) { /* the items between "[" and "]" */
        if (p->n[k]) fputc(',', s->tmp[k]);
        fwrite(text + 1, 1, len - 2, s->tmp[k]);
        long end = ftell(s->tmp[k]);
        if (end < at || ferror(s->tmp[k])) rc = -1;
        p->len[k] += (uint64_t)(end - at);
        p->n[k] += n;
    }
    cf_json_free(&j);
    return rc;
}

static int sarif_add(void *ud, size_t target, const char *tname, const cf_report_case *c)
{
    (void)tname; /* each target is a run of its own */
    sarif_stream *s = ud;
    sarif_part *p = s->err ? NULL : part_at(s, target);
    if (!p || spool(s, p, 0, c) < 0 || (level_of(c->verdict) && spool(s, p, 1, c) < 0))
        s->err = true;
    if (p) p->ncases++;
    return s->err ? -1 : 0;
}

/* The descriptors of the compliance rules (rules.def) broken in target t's cases. */
static void compliance_descriptors(cf_json *j, const cf_report_target *t)
{
    size_t nrules = cf_rules_count();
    bool *seen = calloc(nrules ? nrules : 1, 1);
    if (!seen) return;
    for (size_t i = 0; i < t->ncases; i++)
        for (size_t k = 0; k < t->cases[i].nresponses; k++) {
            const cf_report_response *resp = &t->cases[i].responses[k];
            for (size_t f = 0; f < resp->nfindings; f++) {
                int rule = resp->findings[f].rule;
                if (rule >= 0 && (size_t)rule < nrules) seen[rule] = true;
            }
        }
    for (size_t r = 0; r < nrules; r++) {
        if (!seen[r]) continue;
        cf_json_begin_object(j);
        cf_json_key(j, "id");
        cf_json_text(j, cf_rule_id(r));
        message(j, "shortDescription", cf_rule_text(r));
        cf_json_key(j, "defaultConfiguration");
        cf_json_begin_object(j);
        cf_json_key(j, "level");
        cf_json_text(j, level_of_level(cf_report_rule_level((int)r)));
        cf_json_end_object(j);
        cf_json_key(j, "properties");
        cf_json_begin_object(j);
        cf_json_key(j, "section");
        cf_json_text(j, cf_rule_section(r));
        cf_json_key(j, "level");
        cf_json_text(j, cf_rule_level(r));
        cf_json_end_object(j);
        cf_json_end_object(j);
    }
    free(seen);
}

/* Copies piece k of part p into the array being written. */
static void splice(cf_json *j, sarif_stream *s, const sarif_part *p, int k)
{
    if (!p || !p->len[k]) return;
    if (fseek(s->tmp[k], (long)p->start[k], SEEK_SET) != 0) {
        s->err = true;
        return;
    }
    cf_json_splice(j, s->tmp[k], p->len[k]);
}

/* One run: the target's tool with its rules, what ran, and its results. */
static void write_run(cf_json *j, sarif_stream *s, const cf_report *r, size_t t)
{
    const cf_report_target *x = &r->targets[t];
    const sarif_part *p = t < s->nparts ? &s->parts[t] : NULL;
    cf_json_begin_object(j);
    cf_json_key(j, "tool");
    cf_json_begin_object(j);
    cf_json_key(j, "driver");
    cf_json_begin_object(j);
    cf_json_key(j, "name");
    cf_json_text(j, "conform");
    cf_json_key(j, "version");
    cf_json_text(j, r->conform_version);
    cf_json_key(j, "rules");
    cf_json_begin_array(j);
    splice(j, s, p, 1);
    compliance_descriptors(j, x);
    cf_json_end_array(j);
    cf_json_end_object(j);
    cf_json_end_object(j);
    /* one category per target: code scanning keeps the alerts of each apart */
    char *id = cf_strfmt("conform/%s/", x->name);
    cf_json_key(j, "automationDetails");
    cf_json_begin_object(j);
    cf_json_key(j, "id");
    cf_json_text(j, id ? id : "conform/");
    cf_json_end_object(j);
    free(id);
    cf_json_key(j, "invocations");
    cf_json_begin_array(j);
    cf_json_begin_object(j);
    cf_json_key(j, "executionSuccessful");
    cf_json_bool(j, !r->interrupted && x->ncases > 0); /* unreachable: no cases */
    cf_json_end_object(j);
    cf_json_end_array(j);
    cf_json_key(j, "properties");
    cf_json_begin_object(j);
    cf_json_key(j, "target");
    cf_json_text(j, x->name);
    cf_json_key(j, "cases");
    cf_json_uint(j, x->ncases);
    cf_json_key(j, "counts");
    cf_json_begin_object(j);
    for (int v = 0; v < CF_RV__COUNT; v++) {
        cf_json_key(j, cf_report_verdict_name(v));
        cf_json_uint(j, x->counts[v]);
    }
    cf_json_end_object(j);
    cf_json_end_object(j);
    cf_json_key(j, "results");
    cf_json_begin_array(j);
    splice(j, s, p, 0);
    cf_json_end_array(j);
    cf_json_end_object(j);
}

static int sarif_finish(void *ud, const cf_report *r, FILE *out)
{
    sarif_stream *s = ud;
    if (s->err || fflush(s->tmp[0]) != 0 || fflush(s->tmp[1]) != 0) return -1;
    for (size_t t = 0; t < r->ntargets; t++) /* every case came */
        if (r->targets[t].ncases != (t < s->nparts ? s->parts[t].ncases : 0)) return -1;
    cf_json j;
    cf_json_init_file(&j, out);
    cf_json_begin_object(&j);
    cf_json_key(&j, "$schema");
    cf_json_text(&j, "https://json.schemastore.org/sarif-2.1.0.json");
    cf_json_key(&j, "version");
    cf_json_text(&j, "2.1.0");
    cf_json_key(&j, "runs");
    cf_json_begin_array(&j);
    for (size_t t = 0; t < r->ntargets; t++)
        write_run(&j, s, r, t);
    cf_json_end_array(&j);
    cf_json_end_object(&j);
    fputc('\n', out);
    return cf_json_error(&j) || s->err || ferror(out) ? -1 : 0;
}

static void sarif_close(void *ud)
{
    sarif_stream *s = ud;
    if (!s) return;
    fclose(s->tmp[0]);
    fclose(s->tmp[1]);
    free(s->parts);
    free(s);
}

const cf_report_stream_ops cf_report_sarif_ops = {sarif_open, sarif_add, sarif_finish, sarif_close};

int cf_report_sarif(const cf_report *r, FILE *out)
{
    return cf_report_stream_whole(&cf_report_sarif_ops, r, out);
}
