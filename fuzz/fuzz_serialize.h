/* For fuzz_differential: re-encode a parsed message (start-line, field lines, body framed anew
 * with Content-Length or chunked) and compare two messages by meaning rather than by offsets. */
#ifndef CF_FUZZ_SERIALIZE_H
#define CF_FUZZ_SERIALIZE_H

#include <stddef.h>

#include "fuzz_outcome.h"

/* Serializes the message o parsed from msg: the start-line, every field line except
 * Content-Length and Transfer-Encoding as name ": " value CRLF, then the decoded body framed
 * with "Transfer-Encoding: chunked" (chunked != 0 and HTTP/1.1, trailers re-sent) or with
 * Content-Length (RFC 9112 §2.1, §6, §7.1). Returns a malloc'd buffer of *len bytes. */
char *cf_fuzz_serialize(const cf_fuzz_outcome *o, const char *msg, h1_kind kind, int chunked,
                        size_t *len);

/* Name of the first thing that means something different in a (from amsg) and b (from bmsg):
 * method, target, version, status, reason, field lines other than Content-Length and
 * Transfer-Encoding, decoded body, and trailers when with_trailers. NULL when they agree. */
const char *cf_fuzz_meaning_diff(const cf_fuzz_outcome *a, const char *amsg,
                                 const cf_fuzz_outcome *b, const char *bmsg, int with_trailers);

#endif
