/* Parser set-up, reset, and the one place where a deviation becomes an error or a repair. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "h1_internal.h"

h1_limits h1_limits_default(void)
{
    h1_limits l;
    l.max_start_line = 8192;
    l.max_head = 65536;
    l.max_fields = 100;
    l.max_chunk_ext = 4096;
    l.max_trailer = 65536;
    l.max_empty_lines = 8;
    return l;
}

void h1_parser_init(h1_parser *p, h1_kind kind)
{
    /* Up to facts (set when the field lines start), in the widest stores this CPU has: 384
     * bytes are 24 SSE2 stores, more than the rest of a minimal GET's parse stores. */
    h1_simd_active()->clear_parser(p);
    p->kind = kind;
    p->limits = h1_limits_default();
    p->msg.kind = kind;
    p->msg.host_index = SIZE_MAX;
}

void h1_parser_reset(h1_parser *p)
{
    h1_kind kind = p->kind;
    h1_zero(&p->msg, sizeof p->msg);
    p->msg.kind = kind;
    p->msg.headers = p->max_headers ? p->headers : NULL;
    p->msg.trailers = p->max_trailers ? p->trailers : NULL;
    p->msg.host_index = SIZE_MAX;
    p->num_violations = 0;
    p->error.code = H1_V_NONE;
    p->error.offset = 0;
    p->body_received = 0;
    /* all private state but facts, which is set when the field lines start */
    h1_zero(&p->base, offsetof(h1_parser, facts) - offsetof(h1_parser, base));
    p->head_state = H1_HS_START;
}

h1_status h1_fail(h1_parser *p, h1_code code, size_t off)
{
    p->error.code = code;
    p->error.offset = off;
    return H1_ERROR;
}

int h1_violate(h1_parser *p, h1_code code, size_t off)
{
    if (!(p->lenient & h1_code_lenient_bit(code))) {
        h1_fail(p, code, off);
        return 0;
    }
    if (p->violations && p->num_violations < p->max_violations) {
        p->violations[p->num_violations].code = code;
        p->violations[p->num_violations].offset = off;
    }
    p->num_violations++;
    return 1;
}
