/* The spec model: what a loaded spec file says, ready for the runner (docs/spec-format.md).
 *
 * Ownership: a cf_spec_set owns its files; a file owns its cases; a case its steps; a step its
 * messages and expectation; an expectation its matchers and byte strings. Compiled PCRE2 codes
 * belong to the file (one per distinct pattern, shared by every occurrence and alias).
 * cf_spec_set_free / cf_spec_file_free release everything. The model is read-only after loading.
 *
 * Running a case (what the runner is expected to do, docs/spec-format.md "Semantics"):
 *   one connection per case; for each step in order:
 *     bytes = cf_spec_render_step(step, target)          (spec_render.h)
 *     write bytes in the pieces cf_send_piece_len gives, sleeping send.delay_ms between pieces;
 *     if send.half_close: shutdown(SHUT_WR);
 *     if step.has_expect: read responses until the expectation can be decided or
 *       expect.time_limit_ms passes, then check step.expect.
 *   The case passes when every step's expectation holds.
 */
#ifndef CF_SPEC_MODEL_H
#define CF_SPEC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "spec_bytes.h"

/* Requirement levels of RFC 2119 / RFC 8174. The level decides fail (MUST) vs warn (SHOULD)
 * vs info (MAY) when the case's expectation does not hold. */
typedef enum cf_level {
    CF_LEVEL_MUST,
    CF_LEVEL_SHOULD,
    CF_LEVEL_MAY,
} cf_level;

/* A position in a spec file, 1-based (0 when unknown). */
typedef struct cf_spec_pos {
    unsigned line;
    unsigned column;
} cf_spec_pos;

/* ---- what a step sends ------------------------------------------------------------------- */

/* One header field of a structured request, serialized as name ": " value CRLF. */
typedef struct cf_req_header {
    cf_tbytes name;
    cf_tbytes value;
} cf_req_header;

/* Whether conform adds Content-Length to a structured request. */
typedef enum cf_content_length_mode {
    /* Default: when the request has a body and no Content-Length or Transfer-Encoding header
     * (any case), "Content-Length: <body length>" is appended after the given headers. */
    CF_CL_AUTO,
    CF_CL_NONE, /* never add one ('content_length: none') */
} cf_content_length_mode;

/* A structured request, serialized exactly as
 * method SP target SP version CRLF *(name ": " value CRLF) CRLF body (RFC 9112 §2.1, §3). */
typedef struct cf_request {
    cf_tbytes method;
    cf_tbytes target;
    cf_tbytes version; /* "HTTP/1.1" unless the spec says otherwise */
    cf_req_header *headers;
    size_t nheaders;
    bool has_body; /* the spec had a 'body' key (even an empty one) */
    cf_tbytes body;
    cf_content_length_mode content_length;
} cf_request;

typedef enum cf_spec_message_kind {
    CF_SPEC_RAW,     /* 'raw:' or 'lines:' — bytes exactly as given */
    CF_SPEC_REQUEST, /* 'request:' — serialized by cf_spec_render_step */
} cf_spec_message_kind;

/* One message of a step: raw bytes or a structured request, as kind says. The request is kept
 * apart (most messages are raw, and a request is four times their size). */
typedef struct cf_spec_message {
    cf_spec_message_kind kind;
    cf_tbytes raw;       /* CF_SPEC_RAW */
    cf_request *request; /* CF_SPEC_REQUEST: owned; NULL when it could not be allocated */
    cf_spec_pos pos;
} cf_spec_message;

/* How a step's bytes are written. Without split/split_every: one write. */
typedef struct cf_send_opts {
    size_t *split; /* sizes of the first pieces ('split: [1, 5]'); the rest is one piece */
    size_t nsplit;
    size_t split_every; /* 'split_every: N': pieces of N bytes (last may be shorter); 0 = off */
    unsigned delay_ms;  /* pause between two pieces ('delay_ms') */
    bool half_close;    /* shutdown(SHUT_WR) after the last piece ('half_close: true') */
} cf_send_opts;

/* ---- what a step expects ----------------------------------------------------------------- */

/* Status codes lo..hi inclusive: 404 is 404..404, 4xx is 400..499. */
typedef struct cf_status_range {
    uint16_t lo;
    uint16_t hi;
} cf_status_range;

typedef enum cf_header_op {
    CF_HDR_PRESENT, /* at least one field line with this name */
    CF_HDR_ABSENT,  /* no field line with this name */
    CF_HDR_EQUALS,  /* the field value equals bytes exactly (see below) */
    CF_HDR_MATCHES, /* the field value matches re (see below) */
    CF_HDR_COUNT,   /* exactly count field lines with this name */
} cf_header_op;

/* One check on response header fields. Names compare case-insensitively (RFC 9110 §5.1).
 * The "field value" for EQUALS/MATCHES is the values of all field lines with this name, each
 * with leading/trailing whitespace removed, joined with ", " in order (RFC 9110 §5.3); it
 * fails when there is no such field line. */
typedef struct cf_header_check {
    cf_header_op op;
    char *name;     /* NUL-terminated field name */
    uint8_t *bytes; /* EQUALS: expected value (Latin-1 bytes, NUL after them); with tmpl, the
                       text as written, placeholders and all (for --list) */
    size_t bytes_len;
    cf_tbytes *tmpl; /* EQUALS with placeholders ({{authority}}, a capture...): the value to
                        render with the case's target when judged; NULL for a plain value */
    pcre2_code *re;  /* MATCHES: compiled pattern (borrowed from cf_spec_file.regexes) */
    char *pattern;   /* MATCHES: the pattern text as written, for messages */
    size_t count;    /* COUNT */
    cf_spec_pos pos;
} cf_header_check;

typedef enum cf_body_op {
    CF_BODY_EQUALS,   /* body == bytes */
    CF_BODY_CONTAINS, /* bytes occurs in body */
    CF_BODY_MATCHES,  /* re finds a match in body (unanchored) */
    CF_BODY_LENGTH,   /* body length == length */
    CF_BODY_EMPTY,    /* body length == 0 ('empty: true') */
    CF_BODY_NONEMPTY, /* body length > 0 ('empty: false') */
} cf_body_op;

/* One check on a response's body: the payload after removing the transfer coding (chunked),
 * i.e. the message body of RFC 9112 §6 as decoded content. */
typedef struct cf_body_check {
    cf_body_op op;
    uint8_t *bytes; /* EQUALS, CONTAINS (Latin-1 bytes, NUL after them); with tmpl, the text as
                       written */
    size_t bytes_len;
    cf_tbytes *tmpl; /* EQUALS, CONTAINS with placeholders: rendered when judged; NULL: plain */
    pcre2_code *re;  /* MATCHES (borrowed from cf_spec_file.regexes) */
    char *pattern;   /* MATCHES: as written */
    size_t length;   /* LENGTH */
    cf_spec_pos pos;
} cf_body_check;

typedef enum cf_conn_expect {
    CF_CONN_ANY,    /* not checked */
    CF_CONN_CLOSED, /* the server closed the connection (EOF or reset) within the time limit */
    CF_CONN_OPEN,   /* the connection is still open when the time limit passes */
} cf_conn_expect;

/* What must hold after a step. Every field set must hold (AND); when any_of is non-empty, at
 * least one alternative must hold too. status/headers/body check the FIRST response (and fail
 * when there is none); 'sequence' checks responses 1..n in order; 'complies' runs the compliance
 * rules (rules.h) over every response of the step. */
typedef struct cf_expect {
    cf_status_range *status; /* status is in one of these ranges; nstatus == 0: not checked */
    size_t nstatus;
    cf_header_check *headers;
    size_t nheaders;
    cf_body_check *body;
    size_t nbody;
    cf_conn_expect connection;
    bool has_responses; /* number of complete responses received is within min..max */
    unsigned responses_min;
    unsigned responses_max;
    struct cf_expect *sequence; /* i-th entry checks the i-th response (status/headers/body) */
    size_t nsequence;
    struct cf_expect *any_of; /* alternatives (no time_limit_ms, no nested any_of) */
    size_t nany_of;
    unsigned *complies; /* top level only: indices into rules.def (cf_rule_id) of the rules no
                           response of the step may break; distinct, in the order written */
    size_t ncomplies;
    unsigned time_limit_ms;     /* top level only: how long to wait; 0 = runner's default */
    unsigned arrives_within_ms; /* top level only: the step's first response, interim or final,
                                   arrives within this many ms of its last byte sent; reading
                                   ends at that first response (or when the time is up); 0: off */
    cf_spec_pos pos;
} cf_expect;

/* ---- captures ------------------------------------------------------------------------------ */

typedef enum cf_capture_from {
    CF_CAPTURE_HEADER, /* the combined field value (RFC 9110 §5.3), as header checks see it */
    CF_CAPTURE_BODY,   /* group 1 of a search over the body (group 0 without groups) */
} cf_capture_from;

/* One value a step takes from its first final response, for the steps after it ({{name}}). */
typedef struct cf_capture {
    char *name; /* [a-z_][a-z0-9_]*, unique in the case */
    cf_capture_from from;
    char *header;   /* HEADER: the field name */
    pcre2_code *re; /* BODY: compiled pattern (borrowed from cf_spec_file.regexes) */
    char *pattern;  /* BODY: as written */
    unsigned slot;  /* index of the value among the case's captures (cf_case.ncaptures) */
    cf_spec_pos pos;
} cf_capture;

/* ---- steps, cases, files ----------------------------------------------------------------- */

/* One step: bytes to send on the case's connection, then what must hold. */
typedef struct cf_step {
    cf_spec_message *messages; /* 1 message, or several for 'pipeline:' (all in one write) */
    size_t nmessages;
    bool pipelined; /* written as 'pipeline:' (nmessages is the pipelined count) */
    cf_send_opts send;
    bool has_expect; /* false: send and go on without reading (not allowed on the last step) */
    cf_expect expect;
    bool has_premise;     /* with has_expect: the answer must show premise for the step to exercise
                             the case; when it does not, the case is SKIP (docs/spec-format.md) */
    cf_expect premise;    /* no time_limit_ms, no complies */
    cf_capture *captures; /* with has_expect: values taken once the expectation holds */
    size_t ncaptures;
    cf_spec_pos pos;
} cf_step;

struct cf_spec_file;

/* One test case: a requirement of one RFC section checked through one connection. */
typedef struct cf_case {
    char *id;          /* stable, unique across all loaded files, [a-z0-9][a-z0-9._-]* */
    char *title;       /* short human title */
    unsigned rfc;      /* RFC number, e.g. 9112; 0 in a user's own spec that names none */
    char *section;     /* e.g. "6.1", "5", "A.2"; NULL when the spec names none (not strict) */
    cf_level level;    /* MUST, SHOULD or MAY (MUST when the spec names none) */
    char *requirement; /* the RFC's own sentence(s) checked, elided with "..."; or NULL */
    char *note;        /* the case's reading of it (how it is judged), or NULL */
    char *skip;        /* 'skip': why the case is not run (verdict SKIP), or NULL */
    char *xfail;       /* 'xfail': why it is expected not to hold (XFAIL/XPASS), or NULL */
    char **tags;       /* the case's tags followed by the file's tags, no duplicates */
    size_t ntags;
    cf_step *steps; /* at least one */
    size_t nsteps;
    cf_resource_set resources;       /* the resources its steps name ({{resource.NAME}}) */
    size_t ncaptures;                /* captures of all its steps (slots 0..ncaptures-1) */
    const struct cf_spec_file *file; /* the file holding the case */
    cf_spec_pos pos;                 /* where the case's mapping starts */
} cf_case;

/* One spec file: metadata and its cases. */
typedef struct cf_spec_file {
    char *path;        /* as given to the loader */
    char *title;       /* 'title' */
    char *description; /* 'description' or NULL */
    unsigned rfc;      /* 'rfc': default RFC of the cases, 0 if none */
    char **tags;       /* 'tags': added to every case */
    size_t ntags;
    bool strict; /* 'strict: true': every case names rfc, section, level, requirement */
    cf_case *cases;
    size_t ncases;
    pcre2_code **regexes; /* every distinct 'matches' pattern, compiled once (owned); the
                           * expectations of the cases borrow them */
    size_t nregexes;
    size_t regex_bytes; /* memory the compiled regexes hold, with their JIT code */
} cf_spec_file;

/* Every file loaded from a set of paths, in load order (sorted paths within a directory). */
typedef struct cf_spec_set {
    cf_spec_file **files;
    size_t nfiles;
} cf_spec_set;

/* "MUST", "SHOULD", "MAY". */
const char *cf_level_name(cf_level level);

/* Parses "MUST", "SHOULD", "MAY" (exact case); returns 0 and sets *out, or -1. */
int cf_level_parse(const char *s, cf_level *out);

/* The resources the messages and the expectation strings (expect, premise) of step s name. */
cf_resource_set cf_step_resources(const cf_step *s);

/* Number of cases in all files of the set. */
size_t cf_spec_set_ncases(const cf_spec_set *set);

/* Finds a case by exact id; NULL when there is none. */
const cf_case *cf_spec_set_find(const cf_spec_set *set, const char *id);

/* Length of the piece number index (0-based) when total bytes are written with opts, given
 * done bytes were already written; 0 when everything is written. */
size_t cf_send_piece_len(const cf_send_opts *opts, size_t index, size_t done, size_t total);

/* Frees everything an expectation owns (not the struct itself, nor the compiled regexes it
 * borrows from its file) and zeroes it. */
void cf_expect_free(cf_expect *e);

/* Frees everything a file owns, and the file. NULL is fine. */
void cf_spec_file_free(cf_spec_file *f);

/* Frees every file of the set and the array; the set is empty afterwards. */
void cf_spec_set_free(cf_spec_set *set);

#endif
