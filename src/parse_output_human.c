/* `conform parse` without --json: a readable summary on stdout, errors on stderr. */
#include "parse_output.h"

#include <inttypes.h>
#include <stdlib.h>

#define CONTEXT_SPAN 48 /* bytes shown on each side of an error offset */

/* Width on screen of byte c as put_escaped writes it. */
static int esc_width(unsigned char c)
{
    if (c == '\\' || c == '\r' || c == '\n' || c == '\t') return 2;
    return (c >= 0x20 && c < 0x7f) ? 1 : 4;
}

/* Writes bytes so that a terminal shows them safely: printable ASCII as is, backslash, CR, LF,
 * HTAB as \\ \r \n \t, any other byte as \xNN. */
static void put_escaped(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': fputs("\\\\", f); break;
        case '\r': fputs("\\r", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c >= 0x20 && c < 0x7f)
                fputc(c, f);
            else
                fprintf(f, "\\x%02x", c);
        }
    }
}

static void put_span(FILE *f, h1_span s)
{
    put_escaped(f, s.ptr ? s.ptr : "", s.len);
}

/* The line of input around message offset off, escaped, with a caret under off. */
static void put_context(FILE *f, const cf_pstream *s, uint64_t off)
{
    if (!s->ctx || off < s->ctx_base || off - s->ctx_base > s->ctx_len) return;
    size_t pos = (size_t)(off - s->ctx_base), start = pos, end = pos;
    while (start > 0 && pos - start < CONTEXT_SPAN && s->ctx[start - 1] != '\n')
        start--;
    while (end < s->ctx_len && end - pos < CONTEXT_SPAN)
        if (s->ctx[end++] == '\n') break;
    int col = 0;
    fputs("  | ", f);
    if (start > 0 && s->ctx[start - 1] != '\n') {
        fputs("...", f);
        col += 3;
    }
    put_escaped(f, s->ctx + start, end - start);
    if (end < s->ctx_len && s->ctx[end - 1] != '\n') fputs("...", f);
    for (size_t i = start; i < pos; i++)
        col += esc_width((unsigned char)s->ctx[i]);
    fprintf(f, "\n  | %*s^\n", col, "");
}

/* "CODE at byte N (section): message" */
static void put_violation(FILE *f, const h1_violation *v)
{
    fprintf(f, "%s at byte %zu (%s): %s", h1_code_name(v->code), v->offset,
            h1_code_section(v->code), h1_code_message(v->code));
}

static int put_fields(FILE *f, const char *what, const h1_header *h, size_t n)
{
    fprintf(f, "%s: %zu\n", what, n);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *v = cf_field_value_dup(&h[i], &len);
        if (!v) return -1;
        fputs("  ", f);
        put_span(f, h[i].name);
        fputs(": ", f);
        put_escaped(f, v, len);
        fputs(h[i].flags & H1_FIELD_REPAIRED ? "   [repaired]\n" : "\n", f);
        free(v);
    }
    return 0;
}

static void put_start_line(FILE *f, const cf_pstream *s)
{
    const h1_message *m = &s->parser->msg;
    if (m->kind == H1_REQUEST) {
        fputs("request: ", f);
        put_span(f, m->method);
        fputc(' ', f);
        put_span(f, m->target);
        fprintf(f, " HTTP/%d.%d   (%s-form target)\n", m->version / 10, m->version % 10,
                h1_target_form_name(m->target_form));
        return;
    }
    fprintf(f, "response: HTTP/%d.%d %03d ", m->version / 10, m->version % 10, m->status);
    put_span(f, m->reason);
    fputs("   (answering ", f);
    put_span(f, s->parser->request_method);
    fputs(")\n", f);
}

static void put_framing(FILE *f, const cf_pstream *s)
{
    const h1_message *m = &s->parser->msg;
    switch (m->framing) {
    case H1_FRAMING_NONE: fputs("framing: none (no body)\n", f); break;
    case H1_FRAMING_LENGTH:
        fprintf(f, "framing: length (Content-Length: %" PRIu64 ")\n", m->content_length);
        break;
    case H1_FRAMING_CHUNKED: fputs("framing: chunked\n", f); break;
    case H1_FRAMING_CLOSE:
        fputs("framing: close (the body ends when the connection closes)\n", f);
        break;
    }
    fprintf(f, "body: %" PRIu64 " bytes", s->body_total);
    if (s->body_total > s->body_len)
        fprintf(f, " (only the first %zu kept for output: --max-body)", s->body_len);
    fputc('\n', f);
}

static void put_violations(FILE *f, const h1_parser *p)
{
    size_t stored = p->num_violations < p->max_violations ? p->num_violations : p->max_violations;
    if (p->num_violations == 0) return;
    fprintf(f, "violations: %zu (repaired as --lenient allows)\n", p->num_violations);
    for (size_t i = 0; i < stored; i++) {
        fputs("  ", f);
        put_violation(f, &p->violations[i]);
        fputc('\n', f);
    }
    if (stored < p->num_violations)
        fprintf(f, "  ... and %zu more not stored\n", p->num_violations - stored);
}

/* The end of a complete message: its size, what follows it, the connection. */
static void put_end(FILE *f, const cf_pstream *s)
{
    fprintf(f, "connection: %s\n",
            s->parser->msg.flags & H1_MSG_PERSISTENT ? "persistent" : "closes after this message");
    fprintf(f, "message: %" PRIu64 " bytes of input", s->consumed);
    if (s->trailing_more)
        fprintf(f, "; more than %" PRIu64 " bytes follow it (not parsed)", s->trailing);
    else if (s->trailing)
        fprintf(f, "; %" PRIu64 " more bytes follow it (not parsed)", s->trailing);
    fprintf(f, "\nresult: valid %s\n", s->parser->kind == H1_REQUEST ? "request" : "response");
}

static void put_error(FILE *f, const cf_pstream *s)
{
    const h1_violation *e = &s->parser->error;
    unsigned bit = h1_code_lenient_bit(e->code);
    fputs("error: ", f);
    put_violation(f, e);
    fputc('\n', f);
    put_context(f, s, e->offset);
    if (bit)
        fprintf(f, "hint: --lenient=%s repairs this and records it as a violation\n",
                h1_lenient_name(bit));
}

static void put_incomplete(FILE *f, const cf_pstream *s)
{
    const h1_message *m = &s->parser->msg;
    if (s->input_bytes == 0) {
        fputs("incomplete: no input: nothing arrived (0 bytes)\n", f);
        return;
    }
    fputs("incomplete: input ended before the message did ", f);
    if (s->phase == CF_PHASE_HEAD)
        fprintf(f,
                "(in the head, after %" PRIu64 " bytes: the empty line that ends the header "
                "section never arrived)\n",
                s->input_bytes);
    else if (m->framing == H1_FRAMING_LENGTH)
        fprintf(f, "(in the body, %" PRIu64 " of %" PRIu64 " bytes)\n", s->body_total,
                m->content_length);
    else
        fprintf(f, "(in the chunked body, after %" PRIu64 " bytes of chunk data)\n", s->body_total);
}

int cf_parse_output_human(const cf_pstream *s, FILE *out, FILE *err)
{
    const h1_message *m = &s->parser->msg;
    int rc = 0;
    if (s->phase == CF_PHASE_BODY) {
        put_start_line(out, s);
        rc |= put_fields(out, "headers", m->headers, m->num_headers);
        put_framing(out, s);
        if (s->outcome == CF_PSTREAM_VALID && m->framing == H1_FRAMING_CHUNKED)
            rc |= put_fields(out, "trailers", m->trailers, m->num_trailers);
    }
    put_violations(out, s->parser);
    if (s->outcome == CF_PSTREAM_VALID) put_end(out, s);
    if (s->outcome == CF_PSTREAM_INVALID) put_error(err, s);
    if (s->outcome == CF_PSTREAM_INCOMPLETE) put_incomplete(err, s);
    return rc || ferror(out) ? -1 : 0;
}
