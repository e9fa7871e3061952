/* conform fuzz: HTTP-aware mutation operators over the rendered bytes of a request (usually a
 * spec step). Each operator reads the first message's request-line and header lines (split at
 * LF, so CRLF and bare LF both work) and rewrites them; everything is driven by a cf_rng, so the
 * same generator state gives the same bytes. docs/commands/fuzz.md lists the operators. */
#ifndef CF_FUZZ_MUTATE_H
#define CF_FUZZ_MUTATE_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz_rng.h"
#include "spec_bytes.h"

#define CF_MUT_MAX_OUT   (256u * 1024) /* bytes an operator produces at most (input trimmed) */
#define CF_MUT_MAX_LINES 256u          /* header lines of the first message looked at */

/* The operators. */
typedef enum cf_mut_op {
    CF_MUT_DUP_HEADER,   /* a header line appears twice (copy inserted at a random place) */
    CF_MUT_DROP_HEADER,  /* a header line is removed */
    CF_MUT_SWAP_HEADERS, /* two header lines trade places */
    CF_MUT_LENGTH,       /* Content-Length / Transfer-Encoding games (added, changed, doubled) */
    CF_MUT_CASE,         /* the case of a field name or of the method changes */
    CF_MUT_SPACE,        /* whitespace variants: SP before colon, HTAB, obs-fold, bare LF... */
    CF_MUT_CHUNK,        /* the body re-sent chunked with tricky chunk-size lines */
    CF_MUT_FLIP,         /* 1-4 bytes flipped, replaced, inserted or deleted */
    CF_MUT_PIPELINE,     /* a second request follows in the same bytes */
    CF_MUT_NOPS
} cf_mut_op;

/* The operator's name as docs and reports spell it ("dup-header"). */
const char *cf_mut_op_name(cf_mut_op op);

/* Applies op to in[0..len) once, appending the result to out (which the caller owns and
 * frees). When the input offers nothing the operator needs (no header to drop...), a byte
 * flip is done instead. Returns 0, or -1 when memory ran out. */
int cf_mut_apply(cf_mut_op op, cf_rng *r, const uint8_t *in, size_t len, cf_buf *out);

/* Applies 1..3 operators picked by r, one after the other, and leaves the result in *out
 * (emptied first). *ops (if not NULL) gets a bit (1u << op) per operator used. 0 or -1. */
int cf_mutate(cf_rng *r, const uint8_t *in, size_t len, cf_buf *out, unsigned *ops);

#endif
