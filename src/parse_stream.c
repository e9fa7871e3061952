/* Drives the message reader over an input read in blocks, keeping memory bounded. */
#include "parse_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define READ_BLOCK       (64u * 1024u)
#define MAX_VIOLATIONS   256u
#define TRAILING_SCAN    (1024u * 1024u) /* trailing bytes counted after the message */
#define BODY_INITIAL_CAP (64u * 1024u)

int cf_pstream_init(cf_pstream *s, const cf_pstream_config *cfg)
{
    memset(s, 0, sizeof *s);
    h1_reader_init(&s->rd, cfg->kind);
    h1_parser *p = s->parser = &s->rd.p;
    p->lenient = cfg->lenient;
    if (cfg->request_method) {
        p->request_method.ptr = cfg->request_method;
        p->request_method.len = strlen(cfg->request_method);
    }
    size_t nfields = p->limits.max_fields;
    s->max_body = cfg->max_body;
    s->headers = calloc(nfields, sizeof *s->headers);
    s->trailers = calloc(nfields, sizeof *s->trailers);
    s->violations = calloc(MAX_VIOLATIONS, sizeof *s->violations);
    if (!s->headers || !s->trailers || !s->violations) {
        s->io_errno = ENOMEM;
        return -1;
    }
    p->headers = s->headers;
    p->max_headers = nfields;
    p->trailers = s->trailers;
    p->max_trailers = nfields;
    p->violations = s->violations;
    p->max_violations = MAX_VIOLATIONS;
    h1_parser_reset(p); /* msg.headers / msg.trailers follow the arrays just set */
    return 0;
}

void cf_pstream_free(cf_pstream *s)
{
    h1_reader_free(&s->rd);
    free(s->body);
    free(s->headers);
    free(s->trailers);
    free(s->violations);
    memset(s, 0, sizeof *s);
}

static cf_pstream_outcome finish(cf_pstream *s, cf_pstream_outcome o)
{
    s->outcome = o;
    return o;
}

static cf_pstream_outcome io_error(cf_pstream *s, int err)
{
    s->io_errno = err;
    return finish(s, CF_PSTREAM_IO_ERROR);
}

/* Keeps the first max_body bytes of decoded content, growing the store geometrically. */
static int keep_body(cf_pstream *s, h1_span data)
{
    s->body_total += data.len;
    size_t room = s->max_body - s->body_len;
    size_t n = data.len < room ? data.len : room;
    if (n == 0) return 0;
    if (s->body_len + n > s->body_cap) {
        size_t cap = s->body_cap ? s->body_cap : BODY_INITIAL_CAP;
        while (cap < s->body_len + n)
            cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        if (cap > s->max_body) cap = s->max_body;
        char *nb = realloc(s->body, cap);
        if (!nb) return -1;
        s->body = nb;
        s->body_cap = cap;
    }
    memcpy(s->body + s->body_len, data.ptr, n);
    s->body_len += n;
    return 0;
}

/* Reads one block into the reader; CF_INPUT_EOF is passed on to it. */
static cf_input_status fill(cf_pstream *s, cf_input *in)
{
    size_t room;
    char *dst = h1_reader_space(&s->rd, READ_BLOCK, &room);
    if (!dst) return CF_INPUT_ERROR;
    size_t got = 0;
    cf_input_status st = cf_input_read(in, dst, room, &got);
    if (st == CF_INPUT_ERROR) return st;
    h1_reader_wrote(&s->rd, got);
    s->input_bytes += got;
    if (st == CF_INPUT_EOF) h1_reader_eof(&s->rd);
    return st;
}

/* Counts the bytes after the message: those already buffered, then up to TRAILING_SCAN more
 * read into a scratch block (header and trailer spans must stay valid). */
static cf_pstream_outcome count_trailing(cf_pstream *s, cf_input *in)
{
    s->consumed = h1_reader_consumed(&s->rd);
    s->trailing = h1_reader_rest(&s->rd).len;
    if (s->rd.eof) return finish(s, CF_PSTREAM_VALID);
    char *scratch = malloc(READ_BLOCK);
    if (!scratch) return io_error(s, ENOMEM);
    while (s->trailing < TRAILING_SCAN) {
        size_t got;
        cf_input_status st = cf_input_read(in, scratch, READ_BLOCK, &got);
        if (st == CF_INPUT_EOF) break;
        if (st == CF_INPUT_ERROR) {
            free(scratch);
            return io_error(s, in->err);
        }
        s->trailing += got;
        s->input_bytes += got;
    }
    if (s->trailing >= TRAILING_SCAN) s->trailing_more = 1;
    free(scratch);
    return finish(s, CF_PSTREAM_VALID);
}

/* The bytes the error offset points into: the head, or the body bytes still held after it
 * (their message offset counts the decoded bytes the reader dropped). */
static cf_pstream_outcome invalid(cf_pstream *s)
{
    const h1_reader *r = &s->rd;
    size_t from = r->start;
    s->ctx_base = 0;
    if (s->phase == CF_PHASE_BODY) {
        from = r->start + r->p.msg.head_len;
        s->ctx_base = r->p.msg.head_len + r->dropped;
    }
    s->ctx = r->buf + from;
    s->ctx_len = r->len - from;
    return finish(s, CF_PSTREAM_INVALID);
}

cf_pstream_outcome cf_pstream_run(cf_pstream *s, cf_input *in)
{
    s->phase = CF_PHASE_HEAD;
    for (;;) {
        h1_span data;
        switch (h1_reader_next(&s->rd, &data)) {
        case H1_RD_AGAIN:
            if (fill(s, in) == CF_INPUT_ERROR) return io_error(s, in->err ? in->err : ENOMEM);
            break;
        case H1_RD_HEAD: s->phase = CF_PHASE_BODY; break;
        case H1_RD_DATA:
            if (keep_body(s, data)) return io_error(s, ENOMEM);
            break;
        case H1_RD_DONE: return count_trailing(s, in);
        case H1_RD_ERROR: return invalid(s);
        case H1_RD_CUT:
        case H1_RD_END: return finish(s, CF_PSTREAM_INCOMPLETE);
        case H1_RD_FULL: return finish(s, CF_PSTREAM_STUCK);
        }
    }
}
