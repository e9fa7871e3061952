/* Drives the incremental parser over an input read in blocks, keeping memory bounded. */
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
    cf_parser *p = &s->parser;
    cf_parser_init(p, cfg->kind);
    p->lenient = cfg->lenient;
    if (cfg->request_method) {
        p->request_method.ptr = cfg->request_method;
        p->request_method.len = strlen(cfg->request_method);
    }
    size_t nfields = p->limits.max_fields;
    /* The head buffer holds the largest head the parser accepts plus one read block, so the
     * parser always sees enough bytes to decide (RFC 9112 §2.2 leading empty lines included). */
    s->head_cap = p->limits.max_head + p->limits.max_empty_lines * 2 + READ_BLOCK;
    /* The body buffer holds one read block plus whatever the parser asks us to keep: a whole
     * trailer section (RFC 9112 §7.1.2) or a chunk-size line with its extensions. */
    s->block_cap = p->limits.max_trailer + p->limits.max_chunk_ext + 2 * READ_BLOCK;
    s->max_body = cfg->max_body;
    s->head = malloc(s->head_cap);
    s->block = malloc(s->block_cap);
    s->headers = calloc(nfields, sizeof *s->headers);
    s->trailers = calloc(nfields, sizeof *s->trailers);
    s->violations = calloc(MAX_VIOLATIONS, sizeof *s->violations);
    if (!s->head || !s->block || !s->headers || !s->trailers || !s->violations) {
        s->io_errno = ENOMEM;
        return -1;
    }
    p->headers = s->headers;
    p->max_headers = nfields;
    p->trailers = s->trailers;
    p->max_trailers = nfields;
    p->violations = s->violations;
    p->max_violations = MAX_VIOLATIONS;
    cf_parser_reset(p); /* msg.headers / msg.trailers follow the arrays just set */
    return 0;
}

void cf_pstream_free(cf_pstream *s)
{
    free(s->head);
    free(s->block);
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
static int keep_body(cf_pstream *s, cf_span data)
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

/* Reads the head into s->head until cf_parse_head completes or fails; any bytes read past the
 * head are moved to the body buffer. */
static cf_pstream_outcome read_head(cf_pstream *s, cf_input *in)
{
    cf_parser *p = &s->parser;
    for (;;) {
        size_t want = s->head_cap - s->head_len, got;
        if (want > READ_BLOCK) want = READ_BLOCK;
        if (want == 0) return finish(s, CF_PSTREAM_STUCK);
        cf_input_status st = cf_input_read(in, s->head + s->head_len, want, &got);
        if (st == CF_INPUT_ERROR) return io_error(s, in->err);
        if (st == CF_INPUT_EOF) return finish(s, CF_PSTREAM_INCOMPLETE);
        s->head_len += got;
        s->input_bytes += got;
        cf_status ps = cf_parse_head(p, s->head, s->head_len);
        if (ps == CF_ERROR) {
            s->ctx = s->head;
            s->ctx_len = s->head_len;
            return finish(s, CF_PSTREAM_INVALID);
        }
        if (ps == CF_DONE) break;
    }
    size_t hl = p->msg.head_len;
    s->block_len = s->head_len - hl;
    memcpy(s->block, s->head + hl, s->block_len);
    s->block_base = hl;
    s->consumed = hl;
    s->phase = CF_PHASE_BODY;
    return finish(s, CF_PSTREAM_VALID);
}

/* Counts the bytes after the message: those already buffered, then up to TRAILING_SCAN more
 * read into a scratch block (header and trailer spans must stay valid). */
static cf_pstream_outcome count_trailing(cf_pstream *s, cf_input *in, size_t buffered)
{
    s->trailing = buffered;
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

/* Marks the error context as the body buffer and returns CF_PSTREAM_INVALID. */
static cf_pstream_outcome body_invalid(cf_pstream *s)
{
    s->ctx = s->block;
    s->ctx_len = s->block_len;
    s->ctx_base = s->block_base;
    return finish(s, CF_PSTREAM_INVALID);
}

/* Moves the bytes the parser has not used to the front of the body buffer and reads one more
 * block after them. */
static cf_input_status refill(cf_pstream *s, cf_input *in, size_t off)
{
    memmove(s->block, s->block + off, s->block_len - off);
    s->block_base += off;
    s->block_len -= off;
    size_t want = s->block_cap - s->block_len, got;
    if (want > READ_BLOCK) want = READ_BLOCK;
    if (want == 0) return CF_INPUT_OK; /* caller sees no progress */
    cf_input_status st = cf_input_read(in, s->block + s->block_len, want, &got);
    s->block_len += got;
    s->input_bytes += got;
    return st;
}

/* Streams the body through cf_parse_body until it is complete, invalid, or the input ends
 * (RFC 9112 §6.3: a close-delimited body ends with the input). */
static cf_pstream_outcome read_body(cf_pstream *s, cf_input *in)
{
    cf_parser *p = &s->parser;
    size_t off = 0;
    if (p->msg.framing == CF_FRAMING_NONE) return count_trailing(s, in, s->block_len);
    for (;;) {
        cf_span data = {NULL, 0};
        size_t used = 0;
        cf_status ps = cf_parse_body(p, s->block + off, s->block_len - off, &data, &used);
        if (ps == CF_ERROR) return body_invalid(s);
        if (keep_body(s, data)) return io_error(s, ENOMEM);
        off += used;
        s->consumed += used;
        if (ps == CF_DONE) return count_trailing(s, in, s->block_len - off);
        if (used > 0 && off < s->block_len) continue;
        size_t before = s->block_len - off;
        cf_input_status st = refill(s, in, off);
        off = 0;
        if (st == CF_INPUT_ERROR) return io_error(s, in->err);
        if (st == CF_INPUT_EOF) {
            ps = cf_parse_eof(p);
            if (ps == CF_ERROR) return body_invalid(s);
            if (ps == CF_AGAIN) return finish(s, CF_PSTREAM_INCOMPLETE);
            /* The input ended the body (RFC 9112 §6.3 rule 8: close-delimited). */
            return count_trailing(s, in, s->block_len);
        }
        if (s->block_len == before) return finish(s, CF_PSTREAM_STUCK);
    }
}

cf_pstream_outcome cf_pstream_run(cf_pstream *s, cf_input *in)
{
    s->phase = CF_PHASE_HEAD;
    if (read_head(s, in) != CF_PSTREAM_VALID) return s->outcome;
    return read_body(s, in);
}
