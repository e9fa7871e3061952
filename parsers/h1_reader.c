/* The message reader (h1_reader.h): a buffer and the parser over it, with the head kept in place
 * from H1_RD_HEAD to h1_reader_release. */
#include "h1_reader.h"

#include <stdlib.h>
#include <string.h>

#define H1_READER_INITIAL 4096u  /* first allocation */
#define H1_READER_WINDOW  16384u /* room kept after the head for body bytes to arrive in */
#define H1_READER_KEEP    65536u /* a released buffer larger than this shrinks back */

enum { RS_HEAD, RS_BODY, RS_DONE, RS_FAILED };

void h1_reader_init(h1_reader *r, h1_kind kind)
{
    memset(r, 0, sizeof *r);
    h1_parser_init(&r->p, kind);
}

void h1_reader_init_fixed(h1_reader *r, h1_kind kind, const char *data, size_t len)
{
    h1_reader_init(r, kind);
    r->buf = (char *)data; /* never written: borrowed is checked before every write */
    r->len = r->cap = len;
    r->borrowed = 1;
    r->eof = 1;
}

void h1_reader_free(h1_reader *r)
{
    if (!r->borrowed) free(r->buf);
    r->buf = NULL;
    r->len = r->cap = r->start = r->pos = 0;
}

/* The most a message can need in the buffer: the largest head with its leading empty lines,
 * then a whole trailer section or a chunk-size line with its extensions, and a read window. */
static size_t bound(const h1_reader *r)
{
    const h1_limits *l = &r->p.limits;
    return l->max_head + 2 * l->max_empty_lines + l->max_trailer + l->max_chunk_ext + 64 +
           H1_READER_WINDOW;
}

/* What the current message may still need after its head, reserved before the head is shown. */
static size_t after_head(const h1_reader *r)
{
    const h1_limits *l = &r->p.limits;
    size_t n = H1_READER_WINDOW;
    if (r->p.msg.framing == H1_FRAMING_CHUNKED) n += l->max_trailer + l->max_chunk_ext + 64;
    return n;
}

/* Re-points the parsed head's spans after the message moved from old to now (the buffer grew or
 * was compacted). Runs before the caller sees the head (H1_RD_HEAD), so nothing else holds a
 * pointer into the old place; the only rebase of spans anywhere in conform. */
static void rebase(h1_reader *r, const char *old, const char *now)
{
    h1_message *m = &r->p.msg;
#define H1_REBASE(s) ((s).ptr = (s).ptr ? now + ((s).ptr - old) : NULL)
    H1_REBASE(m->method);
    H1_REBASE(m->target);
    H1_REBASE(m->reason);
    for (size_t i = 0; m->headers && i < m->num_headers; i++) { /* no array: counted only */
        H1_REBASE(m->headers[i].name);
        H1_REBASE(m->headers[i].value);
    }
#undef H1_REBASE
    r->p.base = r->p.base ? now + (r->p.base - old) : NULL;
}

/* Makes the capacity at least need (never past the bound unless the bytes held already are).
 * A partial head needs no rebase: h1_parse_head rebases its own spans when the buffer moved. */
static int grow(h1_reader *r, size_t need)
{
    if (r->borrowed) return -1;
    if (need <= r->cap) return 0;
    size_t cap = r->cap ? r->cap : H1_READER_INITIAL;
    while (cap < need)
        cap *= 2;
    size_t max = bound(r);
    if (cap > max) cap = need > max ? need : max;
    char *nb = realloc(r->buf, cap);
    if (!nb) return -1;
    r->buf = nb;
    r->cap = cap;
    return 0;
}

/* Moves the current message (HEAD: all of it; BODY: the undecoded bytes after the head) towards
 * the front, so appends find room without the buffer moving. */
static void compact(h1_reader *r)
{
    if (r->borrowed) return;
    if (r->state == RS_HEAD && r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->pos -= r->start;
        r->start = 0;
    } else if (r->state == RS_BODY) {
        size_t head_end = r->start + r->p.msg.head_len;
        if (r->pos > head_end) {
            memmove(r->buf + head_end, r->buf + r->pos, r->len - r->pos);
            r->dropped += r->pos - head_end;
            r->len -= r->pos - head_end;
            r->pos = head_end;
        }
    }
}

char *h1_reader_space(h1_reader *r, size_t want, size_t *room)
{
    *room = 0;
    if (r->borrowed || r->eof || want == 0) return NULL;
    if (r->cap - r->len < want) compact(r);
    if (r->cap - r->len < want && r->state == RS_HEAD) {
        size_t need = r->len + want, max = bound(r);
        if (grow(r, need < max ? need : max) != 0 && r->cap == r->len) return NULL;
    }
    if (r->cap == r->len) return NULL;
    *room = r->cap - r->len < want ? r->cap - r->len : want;
    return r->buf + r->len;
}

void h1_reader_wrote(h1_reader *r, size_t n)
{
    if (!r->borrowed && n <= r->cap - r->len) r->len += n;
}

int h1_reader_append(h1_reader *r, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        size_t room;
        char *dst = h1_reader_space(r, n, &room);
        if (!dst) return -1;
        memcpy(dst, p, room);
        h1_reader_wrote(r, room);
        p += room;
        n -= room;
    }
    return 0;
}

void h1_reader_eof(h1_reader *r)
{
    r->eof = 1;
}

/* True when buf[from..len) holds only line ends and whitespace (no message started). */
static int blank(const h1_reader *r, size_t from)
{
    for (size_t i = from; i < r->len; i++)
        if (r->buf[i] != '\r' && r->buf[i] != '\n' && r->buf[i] != ' ' && r->buf[i] != '\t')
            return 0;
    return 1;
}

/* Moves the message just parsed to the front of a buffer large enough for the rest of it: a new
 * one when the capacity is short (not realloc: the spans are rebased while the old bytes still
 * exist), else in place. On allocation failure the message stays where it is, with less room. */
static void reserve(h1_reader *r)
{
    size_t need = r->p.msg.head_len + after_head(r), keep = r->len - r->start;
    if (need < keep) need = keep;
    char *old = r->buf + r->start;
    if (need <= r->cap) {
        memmove(r->buf, old, keep);
        rebase(r, old, r->buf);
    } else {
        char *nb = malloc(need);
        if (!nb) return;
        memcpy(nb, old, keep);
        rebase(r, old, nb);
        free(r->buf);
        r->buf = nb;
        r->cap = need;
    }
    r->len = keep;
    r->start = 0;
}

static h1_read_event head(h1_reader *r)
{
    if (r->len == r->start) return r->eof ? H1_RD_END : H1_RD_AGAIN;
    h1_status st = h1_parse_head(&r->p, r->buf + r->start, r->len - r->start);
    if (st == H1_ERROR) {
        r->state = RS_FAILED;
        return H1_RD_ERROR;
    }
    if (st == H1_AGAIN) {
        if (!r->eof) return r->cap - r->start >= bound(r) ? H1_RD_FULL : H1_RD_AGAIN;
        return blank(r, r->start) ? H1_RD_END : H1_RD_CUT;
    }
    /* Reserve what the rest of the message may need now: from here on the buffer stays put. */
    if (!r->borrowed && r->cap < r->start + r->p.msg.head_len + after_head(r)) reserve(r);
    r->pos = r->start + r->p.msg.head_len;
    r->dropped = 0;
    r->state = RS_BODY;
    return H1_RD_HEAD;
}

static h1_read_event body(h1_reader *r, h1_span *data)
{
    for (;;) {
        size_t used = 0;
        h1_status st = h1_parse_body(&r->p, r->buf + r->pos, r->len - r->pos, data, &used);
        r->pos += used;
        if (st == H1_ERROR) {
            r->state = RS_FAILED;
            return H1_RD_ERROR;
        }
        if (st == H1_DONE) {
            r->state = RS_DONE;
            return data->len ? H1_RD_DATA : H1_RD_DONE;
        }
        if (data->len) return H1_RD_DATA;
        if (used > 0 && r->pos < r->len) continue;
        if (r->eof) {
            /* RFC 9112 §6.3: a close-delimited body ends with the input; anything else is cut. */
            st = h1_parse_eof(&r->p);
            if (st == H1_DONE) {
                r->state = RS_DONE;
                return H1_RD_DONE;
            }
            r->state = RS_FAILED;
            return H1_RD_CUT;
        }
        compact(r);
        return r->len == r->cap ? H1_RD_FULL : H1_RD_AGAIN;
    }
}

h1_read_event h1_reader_next(h1_reader *r, h1_span *data)
{
    data->ptr = NULL;
    data->len = 0;
    switch (r->state) {
    case RS_HEAD: return head(r);
    case RS_BODY: return body(r, data);
    case RS_DONE: return H1_RD_DONE;
    default: return r->p.error.code != H1_V_NONE ? H1_RD_ERROR : H1_RD_CUT;
    }
}

void h1_reader_release(h1_reader *r)
{
    if (r->state == RS_HEAD && r->p.error.code == H1_V_NONE) r->pos = r->start;
    if (r->state == RS_FAILED && r->pos < r->start + r->p.msg.head_len) r->pos = r->start;
    r->start = r->pos > r->start ? r->pos : r->start;
    r->pos = r->start;
    r->dropped = 0;
    r->state = RS_HEAD;
    h1_parser_reset(&r->p);
    if (r->borrowed) return;
    compact(r);
    if (r->cap > H1_READER_KEEP && r->len < H1_READER_INITIAL) {
        char *nb = realloc(r->buf, H1_READER_INITIAL);
        if (nb) {
            r->buf = nb;
            r->cap = H1_READER_INITIAL;
        }
    }
}

void h1_reader_skip(h1_reader *r, size_t n)
{
    size_t from =
        r->state == RS_FAILED && r->pos < r->start + r->p.msg.head_len ? r->start : r->pos;
    size_t left = r->len - from;
    r->pos = from + (n < left ? n : left);
    r->state = RS_DONE; /* release keeps pos */
    h1_reader_release(r);
}

uint64_t h1_reader_consumed(const h1_reader *r)
{
    return r->dropped + (r->pos - r->start);
}

h1_span h1_reader_rest(const h1_reader *r)
{
    size_t from = r->state == RS_HEAD ? r->start : r->pos;
    return (h1_span){r->buf + from, r->len - from};
}
