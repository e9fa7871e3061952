/* Shared by the parser fuzz targets (fuzz_request, fuzz_response, fuzz_chunked): how a
 * configuration byte taken from the input sets up the parser, and a lean driver that parses a
 * stream of pipelined messages and checks the API contract of parsers/include/h1_parser.h cheaply.
 * A broken contract aborts with a one-line reason on stderr (libFuzzer then saves the input).
 * The heavy checks (split, strict/lenient, re-serialization) live in fuzz_differential. */
#ifndef CF_FUZZ_HTTP_H
#define CF_FUZZ_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "h1_parser.h"

/* Bits of the configuration byte. Seeds use the ASCII digits '0'..'9' ('0' strict, '1'
 * lenient, '2' strict with small limits, ...) so corpus files stay readable. */
enum {
    CF_FUZZ_LENIENT = 1u << 0,  /* every H1_LENIENT_* bit */
    CF_FUZZ_TIGHT = 1u << 1,    /* small limits: every limit error is reachable */
    CF_FUZZ_NOARRAYS = 1u << 2, /* no trailer and no violation array (NULL is allowed) */
    CF_FUZZ_FEWHDRS = 1u << 3,  /* header array of 4 entries */
};

/* Entries of the static arrays handed to the parser. */
#define CF_FUZZ_MAX_HEADERS    128
#define CF_FUZZ_MAX_TRAILERS   32
#define CF_FUZZ_MAX_VIOLATIONS 16

/* Sets p up for kind as the configuration byte cfg says, with static arrays (no allocation). */
void cf_fuzz_setup(h1_parser *p, h1_kind kind, uint8_t cfg);

/* Parses buf[0..len) as up to four pipelined messages (head, body, end of input), checking after
 * every call that results lie inside the bytes given and agree with each other; aborts when
 * they do not. */
void cf_fuzz_stream(h1_parser *p, const char *buf, size_t len);

/* Checks a span the parser returned lies inside base[0..len) (a NULL empty span is fine). */
void cf_fuzz_check_span(h1_span s, const char *base, size_t len, const char *what);

/* Checks the field lines h[0..n) lie inside base[0..len) and have non-empty names. */
void cf_fuzz_check_fields(const h1_header *h, size_t n, const char *base, size_t len,
                          const char *what);

/* Prints "conform fuzz: invariant broken: " and the message to stderr, then aborts. */
void cf_fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
