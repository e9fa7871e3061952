/* The compliance rules check driver and the findings it reports (the table itself:
 * rules_catalog.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules_internal.h"
#include "util_buf.h"

void cf_rules_report(cf_rules_run *run, cf_rule_index rule, const char *fmt, ...)
{
    if (run->err) return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = cf_vstrfmt(fmt, ap);
    va_end(ap);
    cf_rule_finding *nf = realloc(*run->out, (*run->n + 1) * sizeof *nf);
    if (!msg || !nf) {
        free(msg);
        if (nf) *run->out = nf;
        run->err = 1;
        return;
    }
    *run->out = nf;
    nf[*run->n] = (cf_rule_finding){cf_rule_id(rule), cf_rule_section(rule), cf_rule_level(rule),
                                    msg, (unsigned)rule};
    (*run->n)++;
}

int cf_rules_check(const cf_rule_ctx *ctx, const cf_obs_response *resp, cf_rule_finding **out,
                   size_t *n)
{
    static const cf_rule_ctx none = {0};
    cf_rules_run run = {ctx ? ctx : &none, resp, out, n, 0};
    cf_rules_check_wire(&run);
    cf_rules_check_conn(&run);
    cf_rules_check_status(&run);
    cf_rules_check_framing(&run);
    cf_rules_check_fields(&run);
    cf_rules_check_cache(&run);
    cf_rules_check_dates(&run);
    return run.err ? -1 : 0;
}

static const char *const mode_names[] = {"gate", "report", "off"};

int cf_rules_mode_parse(const char *s, cf_rules_mode *out)
{
    for (int i = 0; i < 3; i++)
        if (s && !strcasecmp(s, mode_names[i])) {
            *out = (cf_rules_mode)i;
            return 0;
        }
    return -1;
}

const char *cf_rules_mode_name(cf_rules_mode m)
{
    return (unsigned)m < 3 ? mode_names[m] : "?";
}

void cf_rule_findings_free(cf_rule_finding *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        free(f[i].message);
    free(f);
}

/* Field look-ups ------------------------------------------------------------------------------ */

static bool name_is(const cf_obs_field *f, const char *name)
{
    return strlen(name) == f->name_len && strncasecmp(f->name, name, f->name_len) == 0;
}

const cf_obs_field *cf_rules_field(const cf_obs_response *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (name_is(&r->fields[i], name)) return &r->fields[i];
    return NULL;
}

size_t cf_rules_field_count(const cf_obs_response *r, const char *name)
{
    size_t k = 0;
    for (size_t i = 0; i < r->nfields; i++)
        k += name_is(&r->fields[i], name);
    return k;
}

bool cf_rules_list_has(const cf_obs_response *r, const char *name, const char *tok)
{
    size_t tl = strlen(tok);
    for (size_t i = 0; i < r->nfields; i++) {
        if (!name_is(&r->fields[i], name)) continue;
        h1_span it[32];
        size_t empty, k = cf_rules_list(r->fields[i].value, r->fields[i].value_len, it, 32, &empty);
        for (size_t j = 0; j < k && j < 32; j++)
            if (it[j].len == tl && strncasecmp(it[j].ptr, tok, tl) == 0) return true;
    }
    return false;
}

bool cf_rules_method_is(const cf_rule_ctx *ctx, const char *m)
{
    return ctx->method && strcmp(ctx->method, m) == 0;
}
