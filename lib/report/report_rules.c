/* Rule findings per case (report_rules.h). */
#include "report_rules.h"

#include <stdlib.h>
#include <string.h>

#include "run_verdict.h"

#define STATUS_LINE_CAP 80 /* bytes of a status-line quoted in an excerpt */

bool cf_report_same_rule(const cf_report_finding *f, const cf_report_finding *g)
{
    if (f->rule != g->rule) return false;
    return f->rule >= 0 || !strcmp(cf_report_finding_id(f), cf_report_finding_id(g));
}

cf_report_verdict cf_report_rule_verdict(cf_report_level level, bool strict)
{
    return (cf_report_verdict)cf_verdict_for_failure((cf_level)level, strict);
}

bool cf_report_rules_gate(cf_rules_mode mode)
{
    return mode == CF_RULES_GATE;
}

void cf_case_rules_free(cf_case_rules *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* Counts finding f of response index ri into out (last[i]: the response group i was last counted
 * on, so that a rule found twice in one response counts it once). */
static void add(cf_case_rules *out, size_t *last, const cf_report_case *c, size_t ri,
                const cf_report_finding *f)
{
    for (size_t i = 0; i < out->n; i++)
        if (cf_report_same_rule(out->v[i].first, f)) {
            if (last[i] != ri) out->v[i].count++;
            last[i] = ri;
            return;
        }
    last[out->n] = ri;
    out->v[out->n++] = (cf_case_rule){f, &c->responses[ri], 1};
}

int cf_case_rules_collect(const cf_report_case *c, cf_case_rules *out)
{
    memset(out, 0, sizeof *out);
    size_t total = 0;
    for (size_t r = 0; r < c->nresponses; r++) {
        total += c->responses[r].nfindings;
        out->judged += c->responses[r].complete;
    }
    if (!total) return 0;
    out->v = calloc(total, sizeof *out->v); /* at most one group per finding */
    size_t *last = calloc(total, sizeof *last);
    if (!out->v || !last) {
        free(last);
        cf_case_rules_free(out);
        return -1;
    }
    for (size_t r = 0; r < c->nresponses; r++)
        for (size_t f = 0; f < c->responses[r].nfindings; f++)
            add(out, last, c, r, &c->responses[r].findings[f]);
    free(last);
    return 0;
}

/* Appends the first line of bytes p[0..n) (its line ending included), quoted and escaped. */
static void quote_line(cf_buf *t, const uint8_t *p, size_t n)
{
    const uint8_t *lf = memchr(p, '\n', n);
    size_t len = lf ? (size_t)(lf - p) + 1 : n;
    cf_buf_str(t, "\"");
    for (size_t i = 0; i < len && i < STATUS_LINE_CAP; i++) {
        uint8_t b = p[i];
        if (b == '\r' || b == '\n' || b == '\t')
            cf_buf_str(t, b == '\r' ? "\\r" : b == '\n' ? "\\n" : "\\t");
        else if (b == '"' || b == '\\')
            cf_buf_fmt(t, "\\%c", b);
        else if (b < 0x20 || b > 0x7e)
            cf_buf_fmt(t, "\\x%02X", b);
        else
            cf_buf_add(t, &b, 1);
    }
    cf_buf_str(t, len > STATUS_LINE_CAP ? "\"..." : "\"");
}

void cf_case_rule_line(cf_buf *t, const cf_report_case *c, const cf_case_rules *rs,
                       const cf_case_rule *r)
{
    const cf_report_finding *f = r->first;
    const char *section = cf_report_finding_section(f);
    cf_buf_fmt(t, "rule %s (%s, %s): %zu of %zu response%s", cf_report_finding_id(f),
               section ? section : "", cf_report_level_name(f->level), r->count, rs->judged,
               rs->judged == 1 ? "" : "s");
    size_t n;
    const uint8_t *p = cf_report_response_bytes(c, r->first_resp, &n);
    cf_buf_str(t, " — first: ");
    if (p)
        quote_line(t, p, n);
    else
        cf_buf_fmt(t, "status %d", r->first_resp->status);
    if (f->message && *f->message) cf_buf_fmt(t, " (%s)", f->message);
}
