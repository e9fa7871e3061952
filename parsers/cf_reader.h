/* conform's message reader: the one loop that drives the parser (cf_parser.h) over a byte stream
 * holding messages one after another: a connection, a file, the bytes a step sent.
 *
 * The reader owns a growable buffer (or borrows a caller's complete one) and a parser over it.
 * The caller adds bytes (cf_reader_space + cf_reader_wrote, or cf_reader_append) and asks for the
 * next event. Its guarantee is the reason it exists: once CF_RD_HEAD is returned, the buffer does
 * not move until cf_reader_release, so the spans of the head (p.msg) and of the trailers stay
 * valid for the whole message, and so does anything a caller derives from them. The capacity a
 * message may need after its head (a whole trailer section, a chunk-size line, a read window) is
 * reserved when the head completes, before the caller sees it; decoded body bytes are dropped from
 * the buffer as they are handed out, so memory is bounded by the parser's limits, not by the body.
 *
 * Use:
 *   cf_reader r;  cf_reader_init(&r, CF_REQUEST);  r.p.headers = hdrs;  r.p.max_headers = n;
 *   for (;;) {
 *     cf_span d;
 *     switch (cf_reader_next(&r, &d)) {
 *     case CF_RD_AGAIN: p = cf_reader_space(&r, 4096, &room); n = recv(fd, p, room);
 *                       n > 0 ? cf_reader_wrote(&r, n) : cf_reader_eof(&r); break;
 *     case CF_RD_HEAD:  ... r.p.msg ...; break;
 *     case CF_RD_DATA:  ... d ...; break;
 *     case CF_RD_DONE:  ... r.p.msg.trailers ...; cf_reader_release(&r); break;
 *     default:          ... CF_RD_ERROR (r.p.error), CF_RD_CUT, CF_RD_END, CF_RD_FULL ...
 *     }
 *   }
 */
#ifndef CF_READER_H
#define CF_READER_H

#include <stddef.h>
#include <stdint.h>

#include "cf_parser.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What cf_reader_next found. */
typedef enum cf_read_event {
    CF_RD_AGAIN, /* more input is needed (or cf_reader_eof) */
    CF_RD_HEAD,  /* the head is parsed: p.msg holds it until cf_reader_release */
    CF_RD_DATA,  /* a piece of decoded content (valid until the next call on the reader) */
    CF_RD_DONE,  /* the message is complete, trailers included; cf_reader_release goes on */
    CF_RD_ERROR, /* a rule was broken: p.error names it, its offset from the message's first byte */
    CF_RD_CUT,   /* the input ended inside a message (RFC 9112 §8: incomplete) */
    CF_RD_END,   /* the input ended between messages (whitespace-only leftovers included) */
    CF_RD_FULL,  /* the buffer is at its bound and the parser still needs more (a limit above
                    the bound; with the limits the reader was sized for, the parser fails first) */
} cf_read_event;

/* A reader. Fields are read-only for the caller except p's configuration (kind is set by
 * cf_reader_init; lenient, limits, request_method and the arrays are the caller's to set before
 * the first call, and request_method may change between messages). */
typedef struct cf_reader {
    cf_parser p;
    char *buf;        /* buf[start..len): bytes of the stream not dropped yet */
    size_t len, cap;  /* bytes held, capacity */
    size_t start;     /* offset in buf of the current message's first byte */
    size_t pos;       /* offset in buf of the next byte the parser has not consumed */
    uint64_t dropped; /* bytes of the current message decoded and dropped from buf */
    int state;        /* private */
    int eof;          /* cf_reader_eof was called */
    int borrowed;     /* buf is the caller's (cf_reader_init_fixed): never written or freed */
} cf_reader;

/* Prepares r to read messages of the given kind, with an empty buffer (allocated on demand). */
void cf_reader_init(cf_reader *r, cf_kind kind);

/* Prepares r to read the messages in data[0..len), which the caller keeps unchanged while r is in
 * use; no copy is made and the input has ended (cf_reader_eof is implied). */
void cf_reader_init_fixed(cf_reader *r, cf_kind kind, const char *data, size_t len);

/* Frees the buffer r owns. */
void cf_reader_free(cf_reader *r);

/* Room for up to want new bytes at the end of the buffer: returns where to write them and sets
 * *room (at least 1, at most want), or returns NULL when the buffer cannot take more now (at its
 * bound during a message, a borrowed buffer, or out of memory). Bytes written there count once
 * cf_reader_wrote is called. */
char *cf_reader_space(cf_reader *r, size_t want, size_t *room);

/* n bytes were written at cf_reader_space's pointer. */
void cf_reader_wrote(cf_reader *r, size_t n);

/* Copies data[0..n) in (cf_reader_space and cf_reader_wrote). Returns 0, or -1 when the buffer
 * could not take it all (the bytes that fitted were added). */
int cf_reader_append(cf_reader *r, const void *data, size_t n);

/* The input has ended: a close-delimited body ends here (RFC 9112 §6.3), anything else still
 * open is cut short. */
void cf_reader_eof(cf_reader *r);

/* Advances the parse as far as the buffered bytes allow and says what happened. After CF_RD_DATA,
 * *data holds content bytes; otherwise it is empty. */
cf_read_event cf_reader_next(cf_reader *r, cf_span *data);

/* Drops the current message (complete, broken or cut short) and what the parser knew of it; the
 * next call reads the bytes after what was consumed as a new message. Its spans die here. */
void cf_reader_release(cf_reader *r);

/* Drops n more bytes after what the current message consumed, then releases it (for a caller that
 * skips past a message the parser rejected, e.g. to the next empty line). */
void cf_reader_skip(cf_reader *r, size_t n);

/* Bytes of the current message consumed so far (head, and body bytes decoded). */
uint64_t cf_reader_consumed(const cf_reader *r);

/* The bytes held after what the current message consumed (pipelined input, or the rest of a
 * rejected message): a view valid until the next call on the reader. */
cf_span cf_reader_rest(const cf_reader *r);

#ifdef __cplusplus
}
#endif
#endif
