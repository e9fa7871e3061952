/* What the runner observed during one step of a case, in the form the checker judges.
 *
 * The runner (lib/run/, lib/exchange/exchange_collect.c) fills a cf_step_result from the bytes a server sent, parsed with
 * the shared parser in client mode; the checker (lib/check/) compares it with the step's
 * cf_expect. This header depends on neither, so each side can be tested alone.
 * Ownership: a cf_step_result owns every pointer in it; cf_step_result_free releases them. */
#ifndef CF_EXCHANGE_STEP_H
#define CF_EXCHANGE_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One field line of a response, copied out of the receive buffer (NUL after each). */
typedef struct cf_obs_field {
    char *name;
    size_t name_len;
    char *value; /* as a recipient reads it (lenient repairs applied) */
    size_t value_len;
} cf_obs_field;

/* A parser violation the runner recorded while reading a response leniently. */
typedef struct cf_obs_violation {
    int code;      /* a cf_code from parsers/cf_parser.h */
    size_t offset; /* from the first byte of that response */
} cf_obs_violation;

/* One response (final or interim 1xx). */
typedef struct cf_obs_response {
    int status;
    int version;  /* 10, 11 */
    char *reason; /* NUL-terminated */
    size_t reason_len;
    cf_obs_field *fields;
    size_t nfields;
    cf_obs_field *trailers;
    size_t ntrailers;
    int framing;   /* a cf_framing from parsers/cf_parser.h */
    uint8_t *body; /* decoded content, at most the runner's body cap */
    size_t body_len;
    uint64_t body_total; /* decoded bytes received, even past the cap */
    bool body_truncated; /* body_total > body_len */
    bool complete;       /* the whole message arrived */
    cf_obs_violation *violations;
    size_t nviolations;
    size_t raw_offset; /* where it starts in the step's received bytes */
    size_t raw_len;
} cf_obs_response;

/* How the connection stood when the step ended. */
typedef enum cf_conn_state {
    CF_CONN_STATE_OPEN,   /* still open when the step's time limit passed */
    CF_CONN_STATE_CLOSED, /* the server closed it (orderly EOF) */
    CF_CONN_STATE_RESET,  /* the server reset it (ECONNRESET / EPIPE) */
} cf_conn_state;

/* Everything observed during one step. */
typedef struct cf_step_result {
    cf_obs_response *responses; /* final (non-1xx) responses in the order received */
    size_t nresponses;
    cf_obs_response *interim; /* 1xx responses in the order received */
    size_t ninterim;
    cf_conn_state conn;
    bool timed_out;  /* the step's time limit passed while a response was awaited */
    bool not_http;   /* bytes arrived that the parser rejects even leniently */
    int parse_error; /* with not_http: the cf_code and offset of the rejection */
    size_t parse_error_offset;
    uint8_t *raw; /* bytes received during the step, at most the runner's raw cap */
    size_t raw_len;
    uint64_t raw_total; /* bytes received, even past the cap */
    unsigned elapsed_ms;
} cf_step_result;

/* Frees everything r owns and zeroes it. */
void cf_step_result_free(cf_step_result *r);

#endif
