/* Replay helper: parses one message whole, one byte at a time, and split in two at every offset,
 * each time from a guard-page buffer, and checks that every way gives the same outcome. */
#ifndef CF_REPLAY_H
#define CF_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "h1_parser.h"

/* How the parser is configured for one replay. */
typedef struct cf_replay_cfg {
    h1_kind kind;
    unsigned lenient;
    h1_limits limits;
    const char *request_method; /* responses: the method answered, or NULL */
    size_t max_headers;         /* size of the header array given to the parser (0: none) */
    size_t max_trailers;        /* size of the trailer array; ignored with no_trailers */
    size_t max_violations;      /* size of the violation array; ignored with no_violations */
    int no_trailers;            /* pass p.trailers = NULL */
    int no_violations;          /* pass p.violations = NULL */
} cf_replay_cfg;

/* A span recorded as an offset into the message (spans are rebased, offsets are not). */
typedef struct cf_rspan {
    size_t off, len;
} cf_rspan;

/* One recorded field line; copy is h1_field_value_copy's output (malloc'd). */
typedef struct cf_rfield {
    cf_rspan name, value;
    unsigned flags;
    char *copy;
    size_t copy_len;
} cf_rfield;

/* Everything observable about one parse, with spans as message offsets. */
typedef struct cf_outcome {
    h1_status status; /* final: H1_DONE, H1_AGAIN (input ended early) or H1_ERROR */
    h1_violation error;
    int head_done;
    cf_rspan method, target, reason;
    int target_form, version, status_code;
    size_t head_len, host_index;
    h1_framing framing;
    uint64_t content_length;
    unsigned flags;
    cf_rfield *headers, *trailers;
    size_t num_headers, num_trailers;
    char *body; /* decoded body (malloc'd) */
    size_t body_len;
    uint64_t body_received;
    size_t consumed; /* head_len + body bytes consumed, when H1_DONE */
    size_t num_violations;
    h1_violation *violations; /* the stored ones (malloc'd) */
    size_t stored_violations;
    char problem[256]; /* a broken API contract seen while parsing (span outside the buffer...) */
} cf_outcome;

/* Default configuration for kind: default limits, strict, roomy arrays. */
cf_replay_cfg cf_replay_cfg_default(h1_kind kind);

/* Parses input[0..len) fed at the increasing cut offsets cuts[0..ncuts) (the last must be len),
 * then signals end of input if the message is unfinished. Fills *out (free with
 * cf_outcome_free). */
void cf_replay_cuts(const cf_replay_cfg *cfg, const char *input, size_t len, const size_t *cuts,
                    size_t ncuts, cf_outcome *out);

/* The same parse through the message reader (h1_reader.h): pieces appended at the cuts, events
 * until the message ends, end of input when it has not. */
void cf_replay_reader(const cf_replay_cfg *cfg, const char *input, size_t len, const size_t *cuts,
                      size_t ncuts, cf_outcome *out);

/* Parses input whole, then one byte at a time, then split in two at every offset (large inputs
 * are sampled), and compares all outcomes with the whole one; the message reader fed whole and
 * byte by byte must agree too. Fills *whole with the whole-input
 * outcome. Returns 0 when all agree, else -1 with a description in why. */
int cf_replay_all(const cf_replay_cfg *cfg, const char *input, size_t len, cf_outcome *whole,
                  char *why, size_t why_cap);

/* Renders an outcome as text (one item per line) into out; returns out. */
char *cf_outcome_render(const cf_outcome *o, const char *input, char *out, size_t cap);

/* Releases what an outcome owns. */
void cf_outcome_free(cf_outcome *o);

/* Writes s[0..len) to out with non-printing bytes as \xNN and CR/LF as \r \n; returns out. */
char *cf_escape(const char *s, size_t len, char *out, size_t cap);

#endif
