/* The exchange record of one step of a case: what was sent, what came back, which request each
 * response answers and which compliance rules it broke. Produced once, by the runner (lib/run/):
 * it renders the step once (sent), the collector (exchange_collect.c) parses the sent bytes once
 * and the responses with the shared parser in client mode, and the rules module pairs responses
 * with requests and judges them once (cf_rules_pair). The checker, the report builder and the
 * fuzzer read the record; none of them renders, parses or pairs again.
 * Ownership: a cf_step_result owns every pointer in it; cf_step_result_free releases them. */
#ifndef CF_EXCHANGE_STEP_H
#define CF_EXCHANGE_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_COLLECT_METHOD_MAX 32 /* bytes of a method kept to tell the parser */

/* One request sent (the collector's reading of the sent bytes): what the rules need to know of
 * the request a response answers. */
typedef struct cf_pending {
    char method[CF_COLLECT_METHOD_MAX];
    size_t len;
    int version;    /* 10 or 11 (11 when the request could not be parsed) */
    unsigned flags; /* the request's H1_MSG_* flags (H1_MSG_CONN_CLOSE, H1_MSG_UPGRADE...) */
    bool whole;     /* head and body complete (not rejected, not cut short) */
    int strict;     /* the first rule conform's strict reading breaks in it (a h1_code: a repair
                       the lenient reading made, or the error it stopped at); 0: none */
} cf_pending;

/* One field line of a response, copied out of the receive buffer (NUL after each). */
typedef struct cf_obs_field {
    char *name;
    size_t name_len;
    char *value; /* as a recipient reads it (lenient repairs applied) */
    size_t value_len;
} cf_obs_field;

/* A parser violation the runner recorded while reading a response leniently. */
typedef struct cf_obs_violation {
    int code;      /* a h1_code from parsers/include/h1_parser.h */
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
    int framing;             /* a h1_framing from parsers/include/h1_parser.h */
    uint64_t content_length; /* with H1_FRAMING_LENGTH: the length the head announced */
    uint8_t *body;           /* decoded content, at most the runner's body cap */
    size_t body_len;
    uint64_t body_total; /* decoded bytes received, even past the cap */
    bool body_truncated; /* body_total > body_len */
    bool complete;       /* the whole message arrived */
    cf_obs_violation *violations;
    size_t nviolations;
    size_t raw_offset; /* where it starts in the step's received bytes */
    size_t raw_len;
} cf_obs_response;

/* How the connection stood when the step ended, as observed: OPEN only when conform waited the
 * step's time limit with nothing arriving. */
typedef enum cf_conn_state {
    CF_CONN_STATE_OPEN,         /* still open: nothing arrived for conn_ms, the time limit */
    CF_CONN_STATE_CLOSED,       /* the server closed it (orderly EOF), conn_ms after the last
                                   response */
    CF_CONN_STATE_RESET,        /* the server reset it (ECONNRESET / EPIPE), likewise */
    CF_CONN_STATE_NOT_OBSERVED, /* conform stopped reading for its own reasons (a cap, the
                                   expectation settled, nothing more parsable) */
} cf_conn_state;

/* Which of conform's own caps stopped reading a step before the server ended it (the rest of
 * what the server sent was not observed). */
typedef enum cf_cap_hit {
    CF_CAP_NONE,
    CF_CAP_RESPONSE, /* --max-response: bytes received in the step */
    CF_CAP_INTERIM,  /* --max-interim: 1xx responses in a row without a final one */
    CF_CAP_FIELDS,   /* --max-fields: field lines of one response (or its trailers) */
    CF_CAP_HEAD,     /* --max-head: bytes of one response's head (or trailers, chunk line) */
    CF_CAP_KEPT,     /* --max-response: bytes the step's responses hold in memory (many small
                        responses cost more than their bytes on the wire) */
} cf_cap_hit;

/* A compliance rule a response broke: the rule's index in lib/rules/include/rules.def and what
 * was found (owned). */
typedef struct cf_obs_finding {
    unsigned rule;
    char *message;
} cf_obs_finding;

/* One response of the step in arrival order (a 1xx before a final response at the same offset),
 * with the request it answers and the rules it broke (none when it is incomplete: an incomplete
 * response is not judged). */
typedef struct cf_obs_answer {
    bool interim; /* the response is interim[index], else responses[index] */
    size_t index;
    bool last;    /* nothing followed it in the step */
    bool has_req; /* false when responses outnumber the requests sent */
    cf_pending req;
    cf_obs_finding *findings;
    size_t nfindings;
} cf_obs_answer;

/* Everything observed during one step. */
typedef struct cf_step_result {
    uint8_t *sent; /* the step's bytes as rendered (all of them, sent or not) */
    size_t sent_len;
    cf_pending *requests; /* the requests not answered when reading began, in the order sent:
                             those the step's responses answer (cf_collect_begin) */
    size_t nrequests;
    cf_obs_response *responses; /* final (non-1xx) responses in the order received */
    size_t nresponses;
    cf_obs_response *interim; /* 1xx responses in the order received */
    size_t ninterim;
    cf_conn_state conn;
    unsigned conn_ms;   /* OPEN: ms waited with nothing arriving; CLOSED, RESET: ms after the last
                           response ended (after reading began when there was none) */
    bool settled;       /* reading stopped because the expectation had the responses it needs */
    cf_cap_hit cap;     /* reading stopped at one of conform's caps (CF_CAP_NONE: it did not) */
    uint64_t cap_value; /* with cap: the cap's value (bytes, responses or fields) */
    bool timed_out;     /* the step's time limit passed while a response was awaited */
    bool not_http;      /* bytes arrived that the parser rejects even leniently */
    int parse_error;    /* with not_http: the h1_code and offset of the rejection */
    size_t parse_error_offset;
    uint8_t *raw; /* bytes received during the step, at most the runner's raw cap */
    size_t raw_len;
    uint64_t raw_total; /* bytes received, even past the cap */
    unsigned elapsed_ms;
    bool arrived;           /* a response (interim, or a complete final one) was read in the step */
    unsigned arrived_ms;    /* with arrived: ms from the step's last byte sent to the first one */
    bool paired;            /* answers below were filled (cf_rules_pair) */
    cf_obs_answer *answers; /* every response, interim and final, in arrival order */
    size_t nanswers;
} cf_step_result;

/* Frees everything r owns and zeroes it. */
void cf_step_result_free(cf_step_result *r);

#endif
