/* Parser set-up, reset, and the one place where a deviation becomes an error or a repair. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cf_internal.h"

cf_limits cf_limits_default(void)
{
    cf_limits l;
    l.max_start_line = 8192;
    l.max_head = 65536;
    l.max_fields = 100;
    l.max_chunk_ext = 4096;
    l.max_trailer = 65536;
    l.max_empty_lines = 8;
    return l;
}

void cf_parser_init(cf_parser *p, cf_kind kind)
{
    cf_zero(p, offsetof(cf_parser, facts)); /* facts: set when the field lines start */
    p->kind = kind;
    p->limits = cf_limits_default();
    p->msg.kind = kind;
    p->msg.host_index = SIZE_MAX;
}

void cf_parser_reset(cf_parser *p)
{
    cf_kind kind = p->kind;
    cf_zero(&p->msg, sizeof p->msg);
    p->msg.kind = kind;
    p->msg.headers = p->max_headers ? p->headers : NULL;
    p->msg.trailers = p->max_trailers ? p->trailers : NULL;
    p->msg.host_index = SIZE_MAX;
    p->num_violations = 0;
    p->error.code = CF_V_NONE;
    p->error.offset = 0;
    p->body_received = 0;
    /* all private state but facts, which is set when the field lines start */
    cf_zero(&p->base, offsetof(cf_parser, facts) - offsetof(cf_parser, base));
    p->head_state = CF_HS_START;
}

cf_status cf_fail(cf_parser *p, cf_code code, size_t off)
{
    p->error.code = code;
    p->error.offset = off;
    return CF_ERROR;
}

int cf_violate(cf_parser *p, cf_code code, size_t off)
{
    if (!(p->lenient & cf_code_lenient_bit(code))) {
        cf_fail(p, code, off);
        return 0;
    }
    if (p->violations && p->num_violations < p->max_violations) {
        p->violations[p->num_violations].code = code;
        p->violations[p->num_violations].offset = off;
    }
    p->num_violations++;
    return 1;
}
