/* conform's strict, incremental, zero-copy HTTP/1.1 message parser (RFC 9112, RFC 9110 §5).
 *
 * The whole contract is this header. The caller owns every buffer: the message bytes, the arrays
 * that receive header, trailer and violation records. Results are spans into the message buffer.
 * Nothing here allocates or performs I/O; the only global state is the SIMD build chosen once, at
 * the first parse, for this CPU (docs/parser.md, "SIMD").
 *
 * Use:
 *   h1_parser p;  h1_header hdrs[64];
 *   h1_parser_init(&p, H1_REQUEST);  p.headers = hdrs;  p.max_headers = 64;
 *   st = h1_parse_head(&p, buf, len);       // buf holds the message from its first byte
 *   ... H1_AGAIN: read more, append, call again with the longer buffer
 *   then the body: h1_parse_body(&p, buf + off, len - off, &data, &used) until H1_DONE;
 *   at end of input: h1_parse_eof(&p) (close-delimited bodies end there).
 *
 * Strict by default: every deviation is H1_ERROR with p.error naming the rule. Setting a
 * H1_LENIENT_* bit in p.lenient turns the matching deviation into a repair that is recorded in
 * p.violations instead.
 */
#ifndef H1_PARSER_H
#define H1_PARSER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A view of bytes in a caller-owned buffer. */
typedef struct h1_span {
    const char *ptr;
    size_t len;
} h1_span;

/* Lenient bits: each names one repair the RFC allows a recipient to make instead of rejecting.
 * H1_LENIENT_<NAME> for each row of h1_lenient.def (its section and repair are listed there). */
enum {
#define H1_LENIENT(name, bit, text_name, section, repair) H1_LENIENT_##name = 1u << (bit),
#include "h1_lenient.def"
#undef H1_LENIENT
    H1_LENIENT_ALL = 0u
#define H1_LENIENT(name, bit, text_name, section, repair) | H1_LENIENT_##name
#include "h1_lenient.def"
#undef H1_LENIENT
};

/* Violation codes: H1_V_<NAME> for each row of h1_violations.def. */
typedef enum h1_code {
#define H1_VIOLATION(name, section, bit, status, message) H1_V_##name,
#include "h1_violations.def"
#undef H1_VIOLATION
    H1_V__COUNT
} h1_code;

/* One deviation: which rule, and the byte offset from the first byte of the message. */
typedef struct h1_violation {
    h1_code code;
    size_t offset;
} h1_violation;

/* Field flags: the value span holds bytes a lenient repair reads differently (see
 * h1_field_value_copy). */
enum {
    H1_FIELD_REPAIRED = 1u << 0, /* contains obs-fold, bare CR or NUL/CTL read as SP */
};

/* One field line: name and value (without surrounding OWS) as spans into the message. */
typedef struct h1_header {
    h1_span name;
    h1_span value;
    unsigned flags;
} h1_header;

typedef enum h1_kind { H1_REQUEST, H1_RESPONSE } h1_kind;

/* What the parser returns: the message (or part) is complete, more bytes are needed, or a rule
 * was broken (p->error says which and where). */
typedef enum h1_status { H1_DONE = 0, H1_AGAIN = 1, H1_ERROR = 2 } h1_status;

/* How the message body is delimited (RFC 9112 §6.3). */
typedef enum h1_framing {
    H1_FRAMING_NONE,    /* no body */
    H1_FRAMING_LENGTH,  /* Content-Length bytes */
    H1_FRAMING_CHUNKED, /* chunked transfer coding */
    H1_FRAMING_CLOSE,   /* response body ends when the connection closes */
} h1_framing;

/* request-target forms, RFC 9112 §3.2. */
typedef enum h1_target_form {
    H1_TARGET_ORIGIN,
    H1_TARGET_ABSOLUTE,
    H1_TARGET_AUTHORITY,
    H1_TARGET_ASTERISK,
} h1_target_form;

/* Message flags derived from the header section. */
enum {
    H1_MSG_CONN_CLOSE = 1u << 0,      /* Connection: close */
    H1_MSG_CONN_KEEP_ALIVE = 1u << 1, /* Connection: keep-alive */
    H1_MSG_MUST_CLOSE = 1u << 2,      /* framing rules oblige closing after this message */
    H1_MSG_EXPECT_CONTINUE = 1u << 3, /* Expect: 100-continue */
    H1_MSG_UPGRADE = 1u << 4,         /* Upgrade field present */
    H1_MSG_HAS_CL = 1u << 5,          /* Content-Length present */
    H1_MSG_HAS_TE = 1u << 6,          /* Transfer-Encoding present */
    H1_MSG_PERSISTENT = 1u << 7,      /* connection persists after this message (RFC 9112 §9.3) */
};

/* Parser limits; exceeding one is an error with its own code (414 and 431 for requests). */
typedef struct h1_limits {
    size_t max_start_line;  /* bytes of request-line / status-line, CRLF excluded */
    size_t max_head;        /* bytes of the whole header section, start-line included */
    size_t max_fields;      /* field lines (also bounded by max_headers) */
    size_t max_chunk_ext;   /* bytes of chunk extensions on one chunk-size line */
    size_t max_trailer;     /* bytes of the trailer section */
    size_t max_empty_lines; /* empty lines ignored before a request-line (RFC 9112 §2.2) */
} h1_limits;

/* The parsed message. Spans point into the buffer last given to h1_parse_head. */
typedef struct h1_message {
    h1_kind kind;
    h1_span method; /* request */
    h1_span target; /* request */
    h1_target_form target_form;
    int version;        /* 10 + minor: 10 for HTTP/1.0, 11 for HTTP/1.1, 19 for HTTP/1.9; a minor
                         * above 1 means "1.1" to a recipient (RFC 9110 §6.2): test version >= 11 */
    int status;         /* response */
    h1_span reason;     /* response */
    h1_header *headers; /* the caller's array, or NULL when it gave none */
    size_t num_headers; /* field lines (stored in headers when it is not NULL) */
    h1_header *trailers;
    size_t num_trailers;
    size_t head_len; /* bytes of start-line + field lines + empty line */
    h1_framing framing;
    uint64_t content_length; /* with H1_FRAMING_LENGTH */
    unsigned flags;          /* H1_MSG_* */
    size_t host_index;       /* index of the Host field among the field lines, or SIZE_MAX */
} h1_message;

/* Parser state and configuration. Fields above "private" are the caller's to set (after
 * h1_parser_init, before the first parse call) or to read. */
typedef struct h1_parser {
    /* configuration */
    h1_kind kind;
    unsigned lenient; /* H1_LENIENT_* bits */
    h1_limits limits;
    h1_span request_method; /* responses: the method of the request answered (HEAD, CONNECT) */
    h1_header *headers;     /* caller's array for field lines; NULL (or max_headers 0): none, the
                             * head is validated, counted and understood all the same */
    size_t max_headers;
    h1_header *trailers; /* caller's array for trailer fields; NULL (or max_trailers 0): the
                          * trailer section is validated and counted only */
    size_t max_trailers;
    h1_violation *violations; /* caller's array for recorded repairs (may be NULL) */
    size_t max_violations;

    /* results */
    h1_message msg;
    size_t num_violations;  /* repairs recorded (more than max_violations are counted only) */
    h1_violation error;     /* valid after H1_ERROR */
    uint64_t body_received; /* decoded body bytes delivered so far */

    /* private */
    const char *base; /* buffer of the previous h1_parse_head call */
    size_t resume;    /* offset of the first line not yet parsed */
    int head_state;
    unsigned seen;             /* 1: a field line followed the start-line */
    uint64_t field_marks;      /* bit i: headers[i] may be a field h1_head_analyze reads */
    unsigned field_marks_high; /* such a field at an index >= 64 */
    int body_state;
    uint64_t remaining; /* bytes left in the body or the current chunk */
    uint64_t chunk_size;
    size_t ext_len;        /* bytes of chunk extensions on the current line */
    size_t stream_off;     /* message offset of the next body byte */
    size_t trailer_resume; /* violations recorded before the trailer section */
    uint8_t ext_state;
    /* No header array: what the field lines read so far say about Host and framing. Set when
     * the field lines start (not by h1_parser_init or h1_parser_reset: its size would cost every
     * parse). */
    struct h1_head_facts {
        struct h1_framing_facts {
            uint64_t cl;
            size_t cl_off, te_off, hosts, chunked_count, codings;
            int tunnel, cl_seen, te_seen, chunked_last;
        } f;
        h1_violation pending; /* the first error in a field's meaning, reported once the head
                               * has parsed (a syntax error later in the head comes first) */
        h1_header last;       /* the last field line, when Host, Content-Length, ...: read once */
        size_t last_index;    /* no obs-fold line can continue it any more */
        int has_last;
    } facts;
} h1_parser;

/* Sets p to parse one message of the given kind with default limits, strict, no arrays. */
void h1_parser_init(h1_parser *p, h1_kind kind);

/* Clears the parse state of p for the next message, keeping its configuration and arrays. */
void h1_parser_reset(h1_parser *p);

/* Default limits: 8 KiB start-line, 64 KiB header section, 100 fields, 4 KiB chunk
 * extensions, 64 KiB trailers, 8 leading empty lines. */
h1_limits h1_limits_default(void);

/* Parses the start-line and header section in buf[0..len), which holds the message from its
 * first byte. Returns H1_AGAIN until the empty line ending the head has arrived; call again with
 * the longer buffer (it may have moved: spans are rebased). On H1_DONE p->msg holds the head,
 * msg.head_len its size and msg.framing how the body is delimited. */
h1_status h1_parse_head(h1_parser *p, const char *buf, size_t len);

/* Decodes body bytes from buf[0..len) (bytes after the head, continuing where the last call
 * stopped). Sets *data to the next piece of content (a span into buf, maybe empty) and *used to
 * the bytes consumed. Returns H1_AGAIN while the body is unfinished (call again with buf + *used;
 * when *used == len more input is needed), H1_DONE once the body and any trailers are complete,
 * H1_ERROR on a violation. A trailer section is parsed only once it is whole: until then *used
 * stays 0 and the caller keeps those bytes. */
h1_status h1_parse_body(h1_parser *p, const char *buf, size_t len, h1_span *data, size_t *used);

/* Tells the parser the input has ended. H1_DONE when the message is complete (a close-delimited
 * body ends here), H1_AGAIN when the message was cut short. */
h1_status h1_parse_eof(h1_parser *p);

/* Stable name of a code ("OBS_FOLD"), the RFC section it enforces, its one-line message, the
 * H1_LENIENT_* bit that relaxes it (0 if none) and the status a server answers it with. */
const char *h1_code_name(h1_code code);
const char *h1_code_section(h1_code code);
const char *h1_code_message(h1_code code);
unsigned h1_code_lenient_bit(h1_code code);
int h1_code_status(h1_code code);

/* Stable name of a framing ("none", "length", "chunked", "close") and of a request-target form
 * (RFC 9112 §3.2: "origin", "absolute", "authority", "asterisk"); "unknown" out of range. */
const char *h1_framing_name(h1_framing f);
const char *h1_target_form_name(h1_target_form f);

/* Name of a lenient bit ("obs-fold"; NULL for anything but one H1_LENIENT_* bit), its RFC
 * section and its one-line repair text (h1_lenient.def), and the bit for a name; 0 for an
 * unknown name. */
const char *h1_lenient_name(unsigned bit);
const char *h1_lenient_section(unsigned bit);
const char *h1_lenient_repair(unsigned bit);
unsigned h1_lenient_from_name(const char *name, size_t len);

/* Copies h's value into out (capacity cap) as a recipient reads it: obs-fold, bare CR and NUL/CTL
 * become SP (RFC 9112 §5.2, §2.2, RFC 9110 §5.5). Returns the length, which may exceed cap (then
 * out holds the first cap bytes). */
size_t h1_field_value_copy(const h1_header *h, char *out, size_t cap);

/* Case-insensitive comparison of a span with a NUL-terminated ASCII string. */
int h1_span_ieq(h1_span s, const char *lit);

/* Finds the first field named name (case-insensitive) from index start; returns its index or
 * SIZE_MAX. */
size_t h1_header_find(const h1_header *h, size_t n, const char *name, size_t start);

#ifdef __cplusplus
}
#endif
#endif
