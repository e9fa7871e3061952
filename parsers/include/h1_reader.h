/* conform's message reader: the one loop that drives the parser (h1_parser.h) over a byte stream
 * holding messages one after another: a connection, a file, the bytes a step sent.
 *
 * The reader owns a growable buffer (or borrows a caller's complete one) and a parser over it.
 * The caller adds bytes (h1_reader_space + h1_reader_wrote, or h1_reader_append) and asks for the
 * next event. Its guarantee is the reason it exists: once H1_RD_HEAD is returned, the buffer does
 * not move until h1_reader_release, so the spans of the head (p.msg) and of the trailers stay
 * valid for the whole message, and so does anything a caller derives from them. The capacity a
 * message may need after its head (a whole trailer section, a chunk-size line, a read window) is
 * reserved when the head completes, before the caller sees it; decoded body bytes are dropped from
 * the buffer as they are handed out, so memory is bounded by the parser's limits, not by the body.
 *
 * Use:
 *   h1_reader r;  h1_reader_init(&r, H1_REQUEST);  r.p.headers = hdrs;  r.p.max_headers = n;
 *   for (;;) {
 *     h1_span d;
 *     switch (h1_reader_next(&r, &d)) {
 *     case H1_RD_AGAIN: p = h1_reader_space(&r, 4096, &room); n = recv(fd, p, room);
 *                       n > 0 ? h1_reader_wrote(&r, n) : h1_reader_eof(&r); break;
 *     case H1_RD_HEAD:  ... r.p.msg ...; break;
 *     case H1_RD_DATA:  ... d ...; break;
 *     case H1_RD_DONE:  ... r.p.msg.trailers ...; h1_reader_release(&r); break;
 *     default:          ... H1_RD_ERROR (r.p.error), H1_RD_CUT, H1_RD_END, H1_RD_FULL ...
 *     }
 *   }
 */
#ifndef H1_READER_H
#define H1_READER_H

#include <stddef.h>
#include <stdint.h>

#include "h1_parser.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What h1_reader_next found. */
typedef enum h1_read_event {
    H1_RD_AGAIN, /* more input is needed (or h1_reader_eof) */
    H1_RD_HEAD,  /* the head is parsed: p.msg holds it until h1_reader_release */
    H1_RD_DATA,  /* a piece of decoded content (valid until the next call on the reader) */
    H1_RD_DONE,  /* the message is complete, trailers included; h1_reader_release goes on */
    H1_RD_ERROR, /* a rule was broken: p.error names it, its offset from the message's first byte */
    H1_RD_CUT,   /* the input ended inside a message (RFC 9112 §8: incomplete) */
    H1_RD_END,   /* the input ended between messages (whitespace-only leftovers included) */
    H1_RD_FULL,  /* the buffer is at its bound and the parser still needs more (a limit above
                    the bound; with the limits the reader was sized for, the parser fails first) */
} h1_read_event;

/* A reader. Fields are read-only for the caller except p's configuration (kind is set by
 * h1_reader_init; lenient, limits, request_method and the arrays are the caller's to set before
 * the first call, and request_method may change between messages). */
typedef struct h1_reader {
    h1_parser p;
    char *buf;        /* buf[start..len): bytes of the stream not dropped yet */
    size_t len, cap;  /* bytes held, capacity */
    size_t start;     /* offset in buf of the current message's first byte */
    size_t pos;       /* offset in buf of the next byte the parser has not consumed */
    uint64_t dropped; /* bytes of the current message decoded and dropped from buf */
    int state;        /* private */
    int eof;          /* h1_reader_eof was called */
    int borrowed;     /* buf is the caller's (h1_reader_init_fixed): never written or freed */
} h1_reader;

/* Prepares r to read messages of the given kind, with an empty buffer (allocated on demand). */
void h1_reader_init(h1_reader *r, h1_kind kind);

/* Prepares r to read the messages in data[0..len), which the caller keeps unchanged while r is in
 * use; no copy is made and the input has ended (h1_reader_eof is implied). */
void h1_reader_init_fixed(h1_reader *r, h1_kind kind, const char *data, size_t len);

/* Frees the buffer r owns. */
void h1_reader_free(h1_reader *r);

/* Room for up to want new bytes at the end of the buffer: returns where to write them and sets
 * *room (at least 1, at most want), or returns NULL when the buffer cannot take more now (at its
 * bound during a message, a borrowed buffer, or out of memory). Bytes written there count once
 * h1_reader_wrote is called. */
char *h1_reader_space(h1_reader *r, size_t want, size_t *room);

/* n bytes were written at h1_reader_space's pointer. */
void h1_reader_wrote(h1_reader *r, size_t n);

/* Copies data[0..n) in (h1_reader_space and h1_reader_wrote). Returns 0, or -1 when the buffer
 * could not take it all (the bytes that fitted were added). */
int h1_reader_append(h1_reader *r, const void *data, size_t n);

/* The input has ended: a close-delimited body ends here (RFC 9112 §6.3), anything else still
 * open is cut short. */
void h1_reader_eof(h1_reader *r);

/* Advances the parse as far as the buffered bytes allow and says what happened. After H1_RD_DATA,
 * *data holds content bytes; otherwise it is empty. */
h1_read_event h1_reader_next(h1_reader *r, h1_span *data);

/* Drops the current message (complete, broken or cut short) and what the parser knew of it; the
 * next call reads the bytes after what was consumed as a new message. Its spans die here. */
void h1_reader_release(h1_reader *r);

/* Drops n more bytes after what the current message consumed, then releases it (for a caller that
 * skips past a message the parser rejected, e.g. to the next empty line). */
void h1_reader_skip(h1_reader *r, size_t n);

/* Bytes of the current message consumed so far (head, and body bytes decoded). */
uint64_t h1_reader_consumed(const h1_reader *r);

/* The bytes held after what the current message consumed (pipelined input, or the rest of a
 * rejected message): a view valid until the next call on the reader. */
h1_span h1_reader_rest(const h1_reader *r);

#ifdef __cplusplus
}
#endif
#endif
