/* Parses one HTTP/1.1 message from an input, block by block, with bounded memory: the shared
 * message reader (h1_reader.h) holds the head and streams the body through a window bounded by
 * the parser's limits, and only the first max_body decoded bytes are kept. Used by
 * `conform parse`. */
#ifndef CF_PARSE_STREAM_H
#define CF_PARSE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "h1_parser.h"
#include "h1_reader.h"
#include "util_input.h"

/* How the parse of the input ended. */
typedef enum cf_pstream_outcome {
    CF_PSTREAM_VALID,      /* one complete message that conforms (repairs recorded if lenient) */
    CF_PSTREAM_INVALID,    /* the parser reported an error: parser.error */
    CF_PSTREAM_INCOMPLETE, /* the input ended before the message did */
    CF_PSTREAM_IO_ERROR,   /* reading or allocating failed: io_errno */
    CF_PSTREAM_STUCK,      /* the parser wanted more bytes than its limits allow (a parser bug) */
} cf_pstream_outcome;

/* Where the input ended when the outcome is CF_PSTREAM_INCOMPLETE. */
typedef enum cf_pstream_phase { CF_PHASE_HEAD, CF_PHASE_BODY } cf_pstream_phase;

typedef struct cf_pstream_config {
    h1_kind kind;
    unsigned lenient;           /* H1_LENIENT_* bits */
    const char *request_method; /* responses: method of the request answered, or NULL (GET) */
    size_t max_body;            /* decoded body bytes kept for output */
} cf_pstream_config;

typedef struct cf_pstream {
    h1_reader rd;      /* the input, read with the message reader (owned) */
    h1_parser *parser; /* &rd.p: results parser->msg, violations, error */
    cf_pstream_outcome outcome;
    cf_pstream_phase phase; /* head until the head is complete, then body */
    int io_errno;

    char *body; /* the first max_body decoded body bytes (owned) */
    size_t body_len, body_cap, max_body;
    uint64_t body_total; /* decoded body bytes seen */

    uint64_t input_bytes; /* bytes read from the input */
    uint64_t consumed;    /* bytes of input the message used (when complete) */
    uint64_t trailing;    /* bytes read after the end of the message */
    int trailing_more;    /* the input goes on past the trailing bytes counted */

    h1_header *headers, *trailers;
    h1_violation *violations;

    const char *ctx; /* bytes around the error (into the reader's buffer), for messages */
    size_t ctx_len;
    uint64_t ctx_base; /* message offset of ctx[0] */
} cf_pstream;

/* Allocates the arrays and sets up the reader. Returns 0, or -1 when out of memory (then
 * cf_pstream_free is still safe). */
int cf_pstream_init(cf_pstream *s, const cf_pstream_config *cfg);

/* Reads in until one message is complete, invalid, or the input ends; sets and returns
 * s->outcome. After a complete message, reads on to count trailing bytes (up to a bound). */
cf_pstream_outcome cf_pstream_run(cf_pstream *s, cf_input *in);

/* Frees everything cf_pstream_init allocated. */
void cf_pstream_free(cf_pstream *s);

#endif
