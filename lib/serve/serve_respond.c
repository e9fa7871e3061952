/* conform serve: response building and serialization (status-line, Date, Server,
 * Content-Length, Content-Type, Connection). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve_internal.h"
#include "util_version.h"

void cf_sresp_init(cf_sresp *r, int status)
{
    memset(r, 0, sizeof *r);
    r->status = status;
}

void cf_sresp_free(cf_sresp *r)
{
    cf_buf_free(&r->body);
    cf_buf_free(&r->fields);
}

void cf_sresp_field(cf_sresp *r, const char *name, const char *value)
{
    cf_buf_fmt(&r->fields, "%s: %s\r\n", name, value);
}

void cf_sresp_text(cf_sresp *r, const char *detail)
{
    r->content_type = "text/plain; charset=utf-8";
    r->body.len = 0;
    cf_buf_fmt(&r->body, "%d %s%s%s\n", r->status, cf_serve_reason(r->status), detail ? ": " : "",
               detail ? detail : "");
}

/* RFC 9110 §15: the codes this server can send. */
static const struct {
    int code;
    const char *reason;
} reasons[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {305, "Use Proxy"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Content Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {421, "Misdirected Request"},
    {422, "Unprocessable Content"},
    {426, "Upgrade Required"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
};

const char *cf_serve_reason(int status)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].code == status) return reasons[i].reason;
    return "Unknown";
}

/* RFC 9110 §6.4.1, §8.6: 1xx, 204 and 304 responses never have content; 1xx and 204 must not
 * carry Content-Length. */
static int status_has_content(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

void cf_sresp_write(const cf_sresp *r, int head_only, int conn, cf_buf *out)
{
    char date[40];
    cf_http_date_format(time(NULL), date);
    /* RFC 9110 §6.2: a server sends its highest conformant version, HTTP/1.1. */
    cf_buf_fmt(out, "HTTP/1.1 %d %s\r\n", r->status, cf_serve_reason(r->status));
    /* RFC 9110 §6.6.1: an origin server with a clock MUST send Date in 2xx-4xx responses. */
    cf_buf_fmt(out, "Date: %s\r\nServer: conform/%s\r\n", date, cf_version());
    if (conn == 1) cf_buf_str(out, "Connection: close\r\n");
    if (conn == 2) cf_buf_str(out, "Connection: keep-alive\r\n");
    cf_buf_add(out, r->fields.ptr, r->fields.len);
    if (status_has_content(r->status)) {
        uint64_t n = r->filler ? r->filler : r->body.len;
        if (r->content_type && (n > 0 || r->filler))
            cf_buf_fmt(out, "Content-Type: %s\r\n", r->content_type);
        /* RFC 9112 §6.3, RFC 9110 §8.6: every response with content is length-delimited
         * (a HEAD response carries the length the GET would have). */
        cf_buf_fmt(out, "Content-Length: %" PRIu64 "\r\n", n);
    }
    cf_buf_str(out, "\r\n");
    if (!head_only && status_has_content(r->status)) cf_buf_add(out, r->body.ptr, r->body.len);
}
