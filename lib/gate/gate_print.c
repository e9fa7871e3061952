/* Printing a verdict comparison as text, Markdown or JSON (gate_print.h). */
#include "gate_print.h"

#include <string.h>

#include "util_json.h"
#include "util_term.h"

int cf_gate_format_parse(const char *s, cf_gate_format *out)
{
    static const char *const names[] = {"terminal", "markdown", "json"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *out = (cf_gate_format)i;
            return 0;
        }
    return -1;
}

/* True when the target of change i was already seen before i (it was printed then). */
static bool seen_before(const cf_gate_changes *c, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (!strcmp(c->v[k].target ? c->v[k].target : "", c->v[i].target ? c->v[i].target : ""))
            return true;
    return false;
}

static bool same_target(const cf_gate_change *a, const cf_gate_change *b)
{
    return !strcmp(a->target ? a->target : "", b->target ? b->target : "");
}

static const char *or_dash(const char *s)
{
    return s ? s : "-";
}

/* What a change is about: "ID", "ID rule RULE", or "rule RULE in every case". */
static void print_subject(FILE *out, const cf_gate_change *ch)
{
    cf_term_texts tt = {0};
    if (ch->id) fputs(cf_term_text(&tt, ch->id), out);
    if (ch->rule)
        fprintf(out, "%srule %s%s", ch->id ? " " : "", cf_term_text(&tt, ch->rule),
                ch->id ? "" : " in every case");
    cf_term_texts_free(&tt);
}

static void print_terminal(FILE *out, const cf_gate_changes *c, bool baseline)
{
    for (size_t i = 0; i < c->n; i++) {
        if (seen_before(c, i)) continue;
        cf_term_texts tt = {0};
        fprintf(out, "target %s:\n", c->v[i].target ? cf_term_text(&tt, c->v[i].target) : "(any)");
        for (size_t k = i; k < c->n; k++) {
            const cf_gate_change *ch = &c->v[k];
            if (!same_target(ch, &c->v[i])) continue;
            fprintf(out, "  %-10s  ", cf_change_kind_name(ch->kind));
            print_subject(out, ch);
            fprintf(out, "  %s -> %s", or_dash(cf_gate_verdict_text(ch->old_verdict)),
                    or_dash(cf_gate_verdict_text(ch->new_verdict)));
            if (ch->reason && *ch->reason) fprintf(out, "  (%s)", cf_term_text(&tt, ch->reason));
            fputc('\n', out);
            cf_term_texts_free(&tt);
        }
        cf_term_texts_free(&tt);
    }
    size_t other =
        c->count[CF_CHANGE_ADDED] + c->count[CF_CHANGE_REMOVED] + c->count[CF_CHANGE_OTHER];
    fprintf(out, "%zu regression%s, %zu fixed", c->count[CF_CHANGE_REGRESSION],
            c->count[CF_CHANGE_REGRESSION] == 1 ? "" : "s", c->count[CF_CHANGE_FIXED]);
    if (!baseline) fprintf(out, ", %zu other change%s", other, other == 1 ? "" : "s");
    fputc('\n', out);
    if (baseline && (c->known_cases || c->known_rules))
        fprintf(out, "known: %zu case%s and %zu rule finding%s fail as the baseline says\n",
                c->known_cases, c->known_cases == 1 ? "" : "s", c->known_rules,
                c->known_rules == 1 ? "" : "s");
    if (baseline && c->count[CF_CHANGE_FIXED])
        fprintf(out,
                "fixed: %zu case%s in the baseline no longer fail%s; tighten the baseline "
                "(--update-baseline)\n",
                c->count[CF_CHANGE_FIXED], c->count[CF_CHANGE_FIXED] == 1 ? "" : "s",
                c->count[CF_CHANGE_FIXED] == 1 ? "s" : "");
}

/* Writes s in a Markdown table cell: control characters escaped for a terminal (util_term.h),
 * '|' escaped. */
static void md_cell(FILE *out, const char *s)
{
    cf_buf b = {0}; /* a report's text reaches a terminal too: control characters escaped */
    if (s) cf_buf_term(&b, s, strlen(s));
    for (const char *p = b.ptr; p && *p; p++)
        fputs(*p == '|' ? "\\|" : (char[]){*p, 0}, out);
    if (b.err) fputs("(text not shown)", out);
    cf_buf_free(&b);
}

static void print_markdown(FILE *out, const cf_gate_changes *c)
{
    fprintf(out, "## conform diff\n\n**%zu regression%s**, %zu fixed, %zu other changes\n",
            c->count[CF_CHANGE_REGRESSION], c->count[CF_CHANGE_REGRESSION] == 1 ? "" : "s",
            c->count[CF_CHANGE_FIXED],
            c->count[CF_CHANGE_ADDED] + c->count[CF_CHANGE_REMOVED] + c->count[CF_CHANGE_OTHER]);
    for (size_t i = 0; i < c->n; i++) {
        if (seen_before(c, i)) continue;
        fputs("\n### ", out);
        md_cell(out, c->v[i].target ? c->v[i].target : "(any)");
        fputs("\n\n| change | case | before | after |\n| --- | --- | --- | --- |\n", out);
        for (size_t k = i; k < c->n; k++) {
            const cf_gate_change *ch = &c->v[k];
            if (!same_target(ch, &c->v[i])) continue;
            fprintf(out, "| %s | `", cf_change_kind_name(ch->kind));
            md_cell(out, ch->id ? ch->id : "*");
            fputc('`', out);
            if (ch->rule) {
                fputs(" rule `", out);
                md_cell(out, ch->rule);
                fputc('`', out);
            }
            fprintf(out, " | %s | %s |\n", or_dash(cf_gate_verdict_text(ch->old_verdict)),
                    or_dash(cf_gate_verdict_text(ch->new_verdict)));
        }
    }
}

static int print_json(FILE *out, const cf_gate_changes *c)
{
    cf_json j;
    cf_json_init_file(&j, out);
    cf_json_begin_object(&j);
    cf_json_key(&j, "counts");
    cf_json_begin_object(&j);
    for (int k = 0; k < CF_CHANGE__COUNT; k++) {
        cf_json_key(&j, cf_change_kind_name((cf_change_kind)k));
        cf_json_uint(&j, c->count[k]);
    }
    cf_json_end_object(&j);
    cf_json_key(&j, "changes");
    cf_json_begin_array(&j);
    for (size_t i = 0; i < c->n; i++) {
        const cf_gate_change *ch = &c->v[i];
        cf_json_begin_object(&j);
        cf_json_key(&j, "target");
        cf_json_text(&j, ch->target);
        cf_json_key(&j, "id");
        cf_json_text(&j, ch->id);
        if (ch->rule) {
            cf_json_key(&j, "rule");
            cf_json_text(&j, ch->rule);
        }
        cf_json_key(&j, "change");
        cf_json_text(&j, cf_change_kind_name(ch->kind));
        cf_json_key(&j, "old");
        cf_json_text(&j, cf_gate_verdict_text(ch->old_verdict));
        cf_json_key(&j, "new");
        cf_json_text(&j, cf_gate_verdict_text(ch->new_verdict));
        cf_json_end_object(&j);
    }
    cf_json_end_array(&j);
    cf_json_end_object(&j);
    fputc('\n', out);
    return cf_json_error(&j) ? -1 : 0;
}

int cf_gate_print(FILE *out, const cf_gate_changes *c, cf_gate_format fmt, bool baseline)
{
    int rc = 0;
    if (fmt == CF_GATE_FMT_JSON)
        rc = print_json(out, c);
    else if (fmt == CF_GATE_FMT_MARKDOWN)
        print_markdown(out, c);
    else
        print_terminal(out, c, baseline);
    return fflush(out) != 0 || ferror(out) ? -1 : rc;
}
