/* conform's strict, incremental, zero-copy HTTP/1.1 message parser (RFC 9112, RFC 9110 §5).
 *
 * The whole contract is this header. The caller owns every buffer: the message bytes, the arrays
 * that receive header, trailer and violation records. Results are spans into the message buffer.
 * Nothing here allocates or performs I/O; the only global state is the SIMD build chosen once, at
 * the first parse, for this CPU (docs/parser.md, "SIMD").
 *
 * Use:
 *   cf_parser p;  cf_header hdrs[64];
 *   cf_parser_init(&p, CF_REQUEST);  p.headers = hdrs;  p.max_headers = 64;
 *   st = cf_parse_head(&p, buf, len);       // buf holds the message from its first byte
 *   ... CF_AGAIN: read more, append, call again with the longer buffer
 *   then the body: cf_parse_body(&p, buf + off, len - off, &data, &used) until CF_DONE;
 *   at end of input: cf_parse_eof(&p) (close-delimited bodies end there).
 *
 * Strict by default: every deviation is CF_ERROR with p.error naming the rule. Setting a
 * CF_LENIENT_* bit in p.lenient turns the matching deviation into a repair that is recorded in
 * p.violations instead.
 */
#ifndef CF_PARSER_H
#define CF_PARSER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A view of bytes in a caller-owned buffer. */
typedef struct cf_span {
    const char *ptr;
    size_t len;
} cf_span;

/* Lenient bits: each names one repair the RFC allows a recipient to make instead of rejecting.
 * CF_LENIENT_<NAME> for each row of cf_lenient.def (its section and repair are listed there). */
enum {
#define CF_LENIENT(name, bit, text_name, section, repair) CF_LENIENT_##name = 1u << (bit),
#include "cf_lenient.def"
#undef CF_LENIENT
    CF_LENIENT_ALL = 0u
#define CF_LENIENT(name, bit, text_name, section, repair) | CF_LENIENT_##name
#include "cf_lenient.def"
#undef CF_LENIENT
};

/* Violation codes: CF_V_<NAME> for each row of cf_violations.def. */
typedef enum cf_code {
#define CF_VIOLATION(name, section, bit, status, message) CF_V_##name,
#include "cf_violations.def"
#undef CF_VIOLATION
    CF_V__COUNT
} cf_code;

/* One deviation: which rule, and the byte offset from the first byte of the message. */
typedef struct cf_violation {
    cf_code code;
    size_t offset;
} cf_violation;

/* Field flags: the value span holds bytes a lenient repair reads differently (see
 * cf_field_value_copy). */
enum {
    CF_FIELD_REPAIRED = 1u << 0, /* contains obs-fold, bare CR or NUL/CTL read as SP */
};

/* One field line: name and value (without surrounding OWS) as spans into the message. */
typedef struct cf_header {
    cf_span name;
    cf_span value;
    unsigned flags;
} cf_header;

typedef enum cf_kind { CF_REQUEST, CF_RESPONSE } cf_kind;

/* What the parser returns: the message (or part) is complete, more bytes are needed, or a rule
 * was broken (p->error says which and where). */
typedef enum cf_status { CF_DONE = 0, CF_AGAIN = 1, CF_ERROR = 2 } cf_status;

/* How the message body is delimited (RFC 9112 §6.3). */
typedef enum cf_framing {
    CF_FRAMING_NONE,    /* no body */
    CF_FRAMING_LENGTH,  /* Content-Length bytes */
    CF_FRAMING_CHUNKED, /* chunked transfer coding */
    CF_FRAMING_CLOSE,   /* response body ends when the connection closes */
} cf_framing;

/* request-target forms, RFC 9112 §3.2. */
typedef enum cf_target_form {
    CF_TARGET_ORIGIN,
    CF_TARGET_ABSOLUTE,
    CF_TARGET_AUTHORITY,
    CF_TARGET_ASTERISK,
} cf_target_form;

/* Message flags derived from the header section. */
enum {
    CF_MSG_CONN_CLOSE = 1u << 0,      /* Connection: close */
    CF_MSG_CONN_KEEP_ALIVE = 1u << 1, /* Connection: keep-alive */
    CF_MSG_MUST_CLOSE = 1u << 2,      /* framing rules oblige closing after this message */
    CF_MSG_EXPECT_CONTINUE = 1u << 3, /* Expect: 100-continue */
    CF_MSG_UPGRADE = 1u << 4,         /* Upgrade field present */
    CF_MSG_HAS_CL = 1u << 5,          /* Content-Length present */
    CF_MSG_HAS_TE = 1u << 6,          /* Transfer-Encoding present */
    CF_MSG_PERSISTENT = 1u << 7,      /* connection persists after this message (RFC 9112 §9.3) */
};

/* Parser limits; exceeding one is an error with its own code (414 and 431 for requests). */
typedef struct cf_limits {
    size_t max_start_line;  /* bytes of request-line / status-line, CRLF excluded */
    size_t max_head;        /* bytes of the whole header section, start-line included */
    size_t max_fields;      /* field lines (also bounded by max_headers) */
    size_t max_chunk_ext;   /* bytes of chunk extensions on one chunk-size line */
    size_t max_trailer;     /* bytes of the trailer section */
    size_t max_empty_lines; /* empty lines ignored before a request-line (RFC 9112 §2.2) */
} cf_limits;

/* The parsed message. Spans point into the buffer last given to cf_parse_head. */
typedef struct cf_message {
    cf_kind kind;
    cf_span method; /* request */
    cf_span target; /* request */
    cf_target_form target_form;
    int version;        /* 10 + minor: 10 for HTTP/1.0, 11 for HTTP/1.1, 19 for HTTP/1.9; a minor
                         * above 1 means "1.1" to a recipient (RFC 9110 §6.2): test version >= 11 */
    int status;         /* response */
    cf_span reason;     /* response */
    cf_header *headers; /* the caller's array, or NULL when it gave none */
    size_t num_headers; /* field lines (stored in headers when it is not NULL) */
    cf_header *trailers;
    size_t num_trailers;
    size_t head_len; /* bytes of start-line + field lines + empty line */
    cf_framing framing;
    uint64_t content_length; /* with CF_FRAMING_LENGTH */
    unsigned flags;          /* CF_MSG_* */
    size_t host_index;       /* index of the Host field among the field lines, or SIZE_MAX */
} cf_message;

/* Parser state and configuration. Fields above "private" are the caller's to set (after
 * cf_parser_init, before the first parse call) or to read. */
typedef struct cf_parser {
    /* configuration */
    cf_kind kind;
    unsigned lenient; /* CF_LENIENT_* bits */
    cf_limits limits;
    cf_span request_method; /* responses: the method of the request answered (HEAD, CONNECT) */
    cf_header *headers;     /* caller's array for field lines; NULL (or max_headers 0): none, the
                             * head is validated, counted and understood all the same */
    size_t max_headers;
    cf_header *trailers; /* caller's array for trailer fields; NULL (or max_trailers 0): the
                          * trailer section is validated and counted only */
    size_t max_trailers;
    cf_violation *violations; /* caller's array for recorded repairs (may be NULL) */
    size_t max_violations;

    /* results */
    cf_message msg;
    size_t num_violations;  /* repairs recorded (more than max_violations are counted only) */
    cf_violation error;     /* valid after CF_ERROR */
    uint64_t body_received; /* decoded body bytes delivered so far */

    /* private */
    const char *base; /* buffer of the previous cf_parse_head call */
    size_t resume;    /* offset of the first line not yet parsed */
    int head_state;
    unsigned seen;             /* 1: a field line followed the start-line */
    uint64_t field_marks;      /* bit i: headers[i] may be a field cf_head_analyze reads */
    unsigned field_marks_high; /* such a field at an index >= 64 */
    int body_state;
    uint64_t remaining; /* bytes left in the body or the current chunk */
    uint64_t chunk_size;
    size_t ext_len;        /* bytes of chunk extensions on the current line */
    size_t stream_off;     /* message offset of the next body byte */
    size_t trailer_resume; /* violations recorded before the trailer section */
    uint8_t ext_state;
    /* No header array: what the field lines read so far say about Host and framing. Set when
     * the field lines start (not by cf_parser_init or cf_parser_reset: its size would cost every
     * parse). */
    struct cf_head_facts {
        struct cf_framing_facts {
            uint64_t cl;
            size_t cl_off, te_off, hosts, chunked_count, codings;
            int tunnel, cl_seen, te_seen, chunked_last;
        } f;
        cf_violation pending; /* the first error in a field's meaning, reported once the head
                               * has parsed (a syntax error later in the head comes first) */
        cf_header last;       /* the last field line, when Host, Content-Length, ...: read once */
        size_t last_index;    /* no obs-fold line can continue it any more */
        int has_last;
    } facts;
} cf_parser;

/* Sets p to parse one message of the given kind with default limits, strict, no arrays. */
void cf_parser_init(cf_parser *p, cf_kind kind);

/* Clears the parse state of p for the next message, keeping its configuration and arrays. */
void cf_parser_reset(cf_parser *p);

/* Default limits: 8 KiB start-line, 64 KiB header section, 100 fields, 4 KiB chunk
 * extensions, 64 KiB trailers, 8 leading empty lines. */
cf_limits cf_limits_default(void);

/* Parses the start-line and header section in buf[0..len), which holds the message from its
 * first byte. Returns CF_AGAIN until the empty line ending the head has arrived; call again with
 * the longer buffer (it may have moved: spans are rebased). On CF_DONE p->msg holds the head,
 * msg.head_len its size and msg.framing how the body is delimited. */
cf_status cf_parse_head(cf_parser *p, const char *buf, size_t len);

/* Decodes body bytes from buf[0..len) (bytes after the head, continuing where the last call
 * stopped). Sets *data to the next piece of content (a span into buf, maybe empty) and *used to
 * the bytes consumed. Returns CF_AGAIN while the body is unfinished (call again with buf + *used;
 * when *used == len more input is needed), CF_DONE once the body and any trailers are complete,
 * CF_ERROR on a violation. A trailer section is parsed only once it is whole: until then *used
 * stays 0 and the caller keeps those bytes. */
cf_status cf_parse_body(cf_parser *p, const char *buf, size_t len, cf_span *data, size_t *used);

/* Tells the parser the input has ended. CF_DONE when the message is complete (a close-delimited
 * body ends here), CF_AGAIN when the message was cut short. */
cf_status cf_parse_eof(cf_parser *p);

/* Stable name of a code ("OBS_FOLD"), the RFC section it enforces, its one-line message, the
 * CF_LENIENT_* bit that relaxes it (0 if none) and the status a server answers it with. */
const char *cf_code_name(cf_code code);
const char *cf_code_section(cf_code code);
const char *cf_code_message(cf_code code);
unsigned cf_code_lenient_bit(cf_code code);
int cf_code_status(cf_code code);

/* Name of a lenient bit ("obs-fold"; NULL for anything but one CF_LENIENT_* bit), its RFC
 * section and its one-line repair text (cf_lenient.def), and the bit for a name; 0 for an
 * unknown name. */
const char *cf_lenient_name(unsigned bit);
const char *cf_lenient_section(unsigned bit);
const char *cf_lenient_repair(unsigned bit);
unsigned cf_lenient_from_name(const char *name, size_t len);

/* Copies h's value into out (capacity cap) as a recipient reads it: obs-fold, bare CR and NUL/CTL
 * become SP (RFC 9112 §5.2, §2.2, RFC 9110 §5.5). Returns the length, which may exceed cap (then
 * out holds the first cap bytes). */
size_t cf_field_value_copy(const cf_header *h, char *out, size_t cap);

/* Case-insensitive comparison of a span with a NUL-terminated ASCII string. */
int cf_span_ieq(cf_span s, const char *lit);

/* Finds the first field named name (case-insensitive) from index start; returns its index or
 * SIZE_MAX. */
size_t cf_header_find(const cf_header *h, size_t n, const char *name, size_t start);

#ifdef __cplusplus
}
#endif
#endif
