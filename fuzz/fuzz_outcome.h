/* For fuzz_differential: parse one message fed at chosen cut offsets, each piece copied into a
 * buffer of its exact size (the previous head buffer freed first: spans must be rebased without
 * touching it), and record everything observable with spans as message offsets, so two parses
 * of the same bytes can be compared field by field. */
#ifndef CF_FUZZ_OUTCOME_H
#define CF_FUZZ_OUTCOME_H

#include <stddef.h>
#include <stdint.h>

#include "h1_parser.h"

/* How the parser is set up for one parse. */
typedef struct cf_fuzz_cfg {
    h1_kind kind;
    unsigned lenient;
    h1_limits limits;
    const char *method; /* responses: method of the request answered, or NULL */
    size_t max_headers, max_trailers, max_violations;
} cf_fuzz_cfg;

/* A span as an offset into the message. */
typedef struct cf_fuzz_span {
    size_t off, len;
} cf_fuzz_span;

typedef struct cf_fuzz_field {
    cf_fuzz_span name, value;
    unsigned flags;
} cf_fuzz_field;

/* Everything observable about one parse. */
typedef struct cf_fuzz_outcome {
    h1_status status; /* H1_DONE, H1_ERROR, or H1_AGAIN when the input ended too early */
    h1_violation error;
    int head_done;
    cf_fuzz_span method, target, reason;
    int target_form, version, status_code;
    size_t head_len, host_index;
    h1_framing framing;
    uint64_t content_length;
    unsigned flags;
    cf_fuzz_field *headers, *trailers; /* malloc'd */
    size_t num_headers, num_trailers;
    char *body; /* decoded body, malloc'd */
    size_t body_len;
    uint64_t body_received;
    size_t consumed; /* bytes of the message when H1_DONE */
    size_t num_violations, stored_violations;
    h1_violation *violations; /* malloc'd */
} cf_fuzz_outcome;

/* Parses msg[0..len) fed at the increasing offsets cuts[0..ncuts) (the last is len), then ends
 * the input when the message is unfinished. Aborts (cf_fuzz_fail) on a broken API contract. */
void cf_fuzz_parse_cuts(const cf_fuzz_cfg *cfg, const char *msg, size_t len, const size_t *cuts,
                        size_t ncuts, cf_fuzz_outcome *out);

/* The same parse through the message reader (h1_reader.h): the pieces appended at the cuts,
 * events until the message ends, end of input when it has not. The outcome is comparable with
 * cf_fuzz_parse_cuts' (spans as message offsets). */
void cf_fuzz_read_cuts(const cf_fuzz_cfg *cfg, const char *msg, size_t len, const size_t *cuts,
                       size_t ncuts, cf_fuzz_outcome *out);

/* Name of the first item that differs between two parses of the same bytes, or NULL. With
 * same_violations 0 the recorded violations are not compared. */
const char *cf_fuzz_outcome_diff(const cf_fuzz_outcome *a, const cf_fuzz_outcome *b,
                                 int same_violations);

/* Releases what an outcome owns. */
void cf_fuzz_outcome_free(cf_fuzz_outcome *o);

#endif
