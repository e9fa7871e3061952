/* conform fuzz: the level of each request rule a server may have read leniently
 * (fuzz_lenient.h). Quotes are RFC 9110 and RFC 9112 as published; each row's keyword is its
 * level, except the rows of conform's own limits (own_limit). */
#include "fuzz_lenient.h"

#include "h1_parser.h"

/* RFC 9112 §2.2, the general rule for a request that does not match the grammar. */
#define GRAMMAR                                                                                    \
    9112, "2.2", "SHOULD",                                                                         \
        "When a server listening only for HTTP request messages, or processing what appears "      \
        "from the start-line to be an HTTP request message, receives a sequence of octets that "   \
        "does not match the HTTP-message grammar aside from the robustness exceptions listed "     \
        "above, the server SHOULD respond with a 400 (Bad Request) response and close the "        \
        "connection.",                                                                             \
        false
#define REQUEST_LINE                                                                               \
    9112, "3.2", "SHOULD",                                                                         \
        "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) "    \
        "error or a 301 (Moved Permanently) redirect with the request-target properly encoded.",   \
        false
#define HOST                                                                                       \
    9112, "3.2", "MUST",                                                                           \
        "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request "      \
        "message that lacks a Host header field and to any request message that contains more "    \
        "than one Host header field line or a Host header field with an invalid field value.",     \
        false
#define CONTENT_LENGTH                                                                             \
    9112, "6.3", "MUST",                                                                           \
        "If the unrecoverable error is in a request message, the server MUST respond with a 400 "  \
        "(Bad Request) status code and then close the connection.",                                \
        false
#define FIELD_LIMIT                                                                                \
    9110, "5.4", "MAY",                                                                            \
        "A server that receives a request header field line, field value, or set of fields "       \
        "larger than it wishes to process MUST respond with an appropriate 4xx (Client Error) "    \
        "status code.",                                                                            \
        true
#define LINE_LIMIT                                                                                 \
    9112, "3", "MAY",                                                                              \
        "A server that receives a request-target longer than any URI it wishes to parse MUST "     \
        "respond with a 414 (URI Too Long) status code (see [status.414]).",                       \
        true

static const cf_lenient_rule rules[] = {
    {H1_V_BARE_CR, 9112, "2.2", "MUST",
     "A recipient of such a bare CR MUST consider that element to be invalid or replace each "
     "bare CR with SP before processing the element or forwarding the message.",
     false},
    {H1_V_BARE_LF, 9112, "2.2", "MAY",
     "Although the line terminator for the start-line and fields is the sequence CRLF, a "
     "recipient MAY recognize a single LF as a line terminator and ignore any preceding CR.",
     false},
    {H1_V_WS_AFTER_START_LINE, 9112, "2.2", "MUST",
     "A recipient that receives whitespace between the start-line and the first header field "
     "MUST either reject the message as invalid or consume each whitespace-preceded line without "
     "further processing of it",
     false},
    {H1_V_VERSION, REQUEST_LINE},
    {H1_V_VERSION_MAJOR, GRAMMAR},
    {H1_V_EMPTY_LINES, 9112, "2.2", "MAY",
     "In the interest of robustness, a server that is expecting to receive and parse a "
     "request-line SHOULD ignore at least one empty line (CRLF) received prior to the "
     "request-line.",
     true},
    {H1_V_START_LINE_TOO_LONG, LINE_LIMIT},
    {H1_V_METHOD_EMPTY, REQUEST_LINE},
    {H1_V_METHOD_CHAR, REQUEST_LINE},
    {H1_V_REQUEST_LINE_WS, 9112, "3", "MAY",
     "Although the request-line grammar rule requires that each of the component elements be "
     "separated by a single SP octet, recipients MAY instead parse on whitespace-delimited word "
     "boundaries and, aside from the CRLF terminator, treat any form of whitespace as the SP "
     "separator while ignoring preceding or trailing whitespace",
     false},
    {H1_V_REQUEST_LINE, REQUEST_LINE},
    {H1_V_TARGET_EMPTY, REQUEST_LINE},
    {H1_V_TARGET_CHAR, REQUEST_LINE},
    {H1_V_TARGET_PCT, REQUEST_LINE},
    {H1_V_TARGET_FORM, REQUEST_LINE},
    {H1_V_TARGET_SCHEME, REQUEST_LINE},
    {H1_V_FIELD_NAME_EMPTY, GRAMMAR},
    {H1_V_FIELD_NAME_CHAR, GRAMMAR},
    {H1_V_FIELD_NO_COLON, GRAMMAR},
    {H1_V_SPACE_BEFORE_COLON, 9112, "5.1", "MUST",
     "A server MUST reject, with a response status code of 400 (Bad Request), any received "
     "request message that contains whitespace between a header field name and colon.",
     false},
    /* The row covers NUL too, for which rejecting or replacing is a MUST; other CTLs a recipient
     * MAY retain in a safe context, which a field that frames the message is not. */
    {H1_V_FIELD_VALUE_CHAR, 9110, "5.5", "MUST",
     "a recipient of CR, LF, or NUL within a field value MUST either reject the message or "
     "replace each of those characters with SP before further processing or forwarding of that "
     "message.",
     false},
    {H1_V_OBS_FOLD, 9112, "5.2", "MUST",
     "A server that receives an obs-fold in a request message that is not within a "
     "\"message/http\" container MUST either reject the message by sending a 400 (Bad Request), "
     "preferably with a representation explaining that obsolete line folding is unacceptable, "
     "or replace each received obs-fold with one or more SP octets prior to interpreting the "
     "field value or forwarding the message downstream.",
     false},
    {H1_V_TOO_MANY_FIELDS, FIELD_LIMIT},
    {H1_V_HEAD_TOO_LARGE, FIELD_LIMIT},
    {H1_V_HOST_MISSING, HOST},
    {H1_V_HOST_MULTIPLE, HOST},
    {H1_V_HOST_INVALID, HOST},
    {H1_V_CL_INVALID, CONTENT_LENGTH},
    {H1_V_CL_OVERFLOW, CONTENT_LENGTH},
    {H1_V_CL_CONFLICT, CONTENT_LENGTH},
    {H1_V_CL_REPEATED, 9110, "8.6", "MAY",
     "a recipient of a Content-Length header field value consisting of the same decimal value "
     "repeated as a comma-separated list (e.g, \"Content-Length: 42, 42\") MAY either reject the "
     "message as invalid or replace that invalid field value with a single instance of the "
     "decimal value",
     false},
    {H1_V_TE_WITH_CL, 9112, "6.1", "MUST",
     "A server MAY reject a request that contains both Content-Length and Transfer-Encoding or "
     "process such a request in accordance with the Transfer-Encoding alone. Regardless, the "
     "server MUST close the connection after responding to such a request to avoid the "
     "potential attacks.",
     false},
    {H1_V_TE_NOT_CHUNKED_LAST, 9112, "6.3", "MUST",
     "If a Transfer-Encoding header field is present in a request and the chunked transfer "
     "coding is not the final encoding, the message body length cannot be determined reliably; "
     "the server MUST respond with the 400 (Bad Request) status code and then close the "
     "connection.",
     false},
    {H1_V_TE_CHUNKED_TWICE, GRAMMAR},
    {H1_V_TE_INVALID, 9112, "6.1", "SHOULD",
     "A server that receives a request message with a transfer coding it does not understand "
     "SHOULD respond with 501 (Not Implemented).",
     false},
    {H1_V_TE_HTTP10, 9112, "6.1", "MUST",
     "A server or client that receives an HTTP/1.0 message containing a Transfer-Encoding "
     "header field MUST treat the message as if the framing is faulty, even if a Content-Length "
     "is present, and close the connection after processing the message.",
     false},
    {H1_V_CHUNK_SIZE, GRAMMAR},
    {H1_V_CHUNK_SIZE_OVERFLOW, 9112, "7.1", "MUST",
     "Therefore, recipients MUST anticipate potentially large hexadecimal numerals and prevent "
     "parsing errors due to integer conversion overflows or precision loss due to integer "
     "representation.",
     false},
    {H1_V_CHUNK_EXT, GRAMMAR},
    {H1_V_CHUNK_EXT_TOO_LONG, FIELD_LIMIT},
    {H1_V_CHUNK_DATA_CRLF, GRAMMAR},
    {H1_V_TRAILERS_TOO_LARGE, FIELD_LIMIT},
};

static const cf_lenient_rule grammar = {H1_V_NONE, GRAMMAR};

const cf_lenient_rule *cf_lenient_rule_of(int code)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].code == code) return &rules[i];
    return &grammar;
}

const cf_lenient_rule *cf_lenient_rules(unsigned *n)
{
    *n = (unsigned)(sizeof rules / sizeof rules[0]);
    return rules;
}
