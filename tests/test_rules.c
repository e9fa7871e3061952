/* The compliance rules catalogue (lib/rules/include/rules.h): every rule is shown a response that
 * keeps it and one that breaks it. Responses are raw bytes read by the runner's own collector
 * (lib/exchange/include/exchange_collect.h: the shared parser in client mode, lenient, repairs
 * recorded), so the rules are judged on what the runner would hand them; a few rows edit the parsed
 * response to reach what the parser refuses outright. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "rules_internal.h"
#include "exchange_collect.h"

/* ctx flags of a probe */
enum { UPG = 1, CCLOSE = 2, DAC = 4, JUNK = 8, ENDED = 16, EOFX = 32, UNREAD = 64 };

/* One response and what surrounds it. */
typedef struct probe {
    const char *raw;
    size_t len;
    const char *method; /* NULL: GET */
    int ver;            /* request version, 0: 11 */
    unsigned flags;
} probe;

typedef void (*edit_fn)(cf_obs_response *r);

typedef struct rule_row {
    cf_rule_index rule;
    probe keep, fail;
    edit_fn edit; /* applied to the fail probe's response */
} rule_row;

/* clang-format off */
#define P(s)             {.raw = (s), .len = sizeof(s) - 1}
#define PX(s, m, v, f)   {.raw = (s), .len = sizeof(s) - 1, .method = (m), .ver = (v), .flags = (f)}
#define ROW(r, k, f)     {.rule = (r), .keep = k, .fail = f}
#define ROWE(r, k, f, e) {.rule = (r), .keep = k, .fail = f, .edit = (e)}
/* clang-format on */
#define D     "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
#define OK200 "HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
#define S204  "HTTP/1.1 204 No Content\r\n" D

/* Parses raw as the answer to method (HTTP/1.1) with the runner's collector into *out (the
 * first final response, else the first interim one). Returns false when none was parsed. */
static bool read_response(const probe *p, cf_step_result *res, cf_obs_response **out)
{
    static cf_collect c;
    memset(&c, 0, sizeof c);
    cf_collect_caps caps = {.max_body = 1 << 16, .max_raw = 1 << 16, .max_total = 1 << 20};
    cf_collect_init(&c, &caps);
    char req[128];
    int n = snprintf(req, sizeof req, "%s / HTTP/1.1\r\nHost: x\r\n\r\n",
                     p->method ? p->method : "GET");
    cf_collect_sent(&c, (const uint8_t *)req, (size_t)n);
    memset(res, 0, sizeof *res);
    cf_collect_begin(&c, res);
    cf_collect_feed(&c, (const uint8_t *)p->raw, p->len);
    if (p->flags & EOFX) cf_collect_eof(&c, false);
    cf_collect_end(&c);
    cf_collect_free(&c);
    *out = res->nresponses ? &res->responses[0] : res->ninterim ? &res->interim[0] : NULL;
    return *out != NULL;
}

static cf_rule_ctx ctx_of(const probe *p)
{
    cf_rule_ctx ctx = {0};
    ctx.method = p->method ? p->method : "GET";
    ctx.request_version = p->ver ? p->ver : 11;
    ctx.request_unread = p->flags & UNREAD;
    ctx.request_upgrade = p->flags & UPG;
    ctx.request_conn_close = p->flags & CCLOSE;
    ctx.data_after_close = p->flags & DAC;
    ctx.junk_after = p->flags & JUNK;
    ctx.conn_ended = p->flags & ENDED;
    ctx.is_last_response = true;
    return ctx;
}

/* Runs the rules on the probe; returns whether rule fired (message into msg). */
static bool fires(const probe *p, edit_fn edit, cf_rule_index rule, char *msg, size_t cap)
{
    cf_step_result res;
    cf_obs_response *r;
    cr_assert(read_response(p, &res, &r), "no response parsed from %.*s", (int)p->len, p->raw);
    if (edit) edit(r);
    cf_rule_ctx ctx = ctx_of(p);
    cf_rule_finding *f = NULL;
    size_t n = 0;
    cr_assert_eq(cf_rules_check(&ctx, r, &f, &n), 0);
    bool hit = false;
    msg[0] = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert_not_null(f[i].message);
        if (strcmp(f[i].rule_id, cf_rule_id(rule)) == 0) {
            hit = true;
            cr_assert_str_eq(f[i].section, cf_rule_section(rule));
            cr_assert_str_eq(f[i].level, cf_rule_level(rule));
            snprintf(msg, cap, "%s", f[i].message);
        }
    }
    cf_rule_findings_free(f, n);
    cf_step_result_free(&res);
    return hit;
}

/* Edits for what the parser rejects before the rules could see it. */
static void set_value(cf_obs_response *r, const char *name, const char *v)
{
    for (size_t i = 0; i < r->nfields; i++) {
        if (strcasecmp(r->fields[i].name, name)) continue;
        free(r->fields[i].value);
        r->fields[i].value = strdup(v);
        r->fields[i].value_len = strlen(v);
        return;
    }
    cr_assert_fail("no field %s to edit", name);
}

static void name_with_space(cf_obs_response *r)
{
    free(r->fields[0].name);
    r->fields[0].name = strdup("X A");
    r->fields[0].name_len = 3;
}

static void te_chunked_twice(cf_obs_response *r)
{
    set_value(r, "Transfer-Encoding", "chunked, chunked");
}

static void te_bad_list(cf_obs_response *r)
{
    set_value(r, "Transfer-Encoding", "gzip=1, chunked");
}

/* The close-delimited response read whole, as if the connection had stayed open instead: the
 * collector's copy of a response still arriving at step end loses field lengths (see report), so
 * the open case is built from the closed one. */
static void still_open(cf_obs_response *r)
{
    r->complete = false;
}

#define CHUNKED(hdrs) "HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\n" hdrs
#define CHUNK_BODY    "\r\n2\r\nhi\r\n0\r\n"

static const rule_row rows[] = {
    /* message syntax */
    ROW(CF_R_STATUS_LINE_SPACE_MISSING, P(S204 "\r\n"), P("HTTP/1.1 204\r\n" D "\r\n")),
    ROW(CF_R_REASON_PHRASE_CHAR, P(S204 "\r\n"), P("HTTP/1.1 204 No\x01Content\r\n" D "\r\n")),
    ROW(CF_R_RESPONSE_VERSION_LOWER, P(S204 "\r\n"), P("HTTP/1.0 204 No Content\r\n" D "\r\n")),
    ROW(CF_R_BARE_CR, P(S204 "X-A: a b\r\n\r\n"), P(S204 "X-A: a\rb\r\n\r\n")),
    ROW(CF_R_BARE_LF, P(S204 "\r\n"), P("HTTP/1.1 204 No Content\n" D "\r\n")),
    ROW(CF_R_WS_AFTER_START_LINE, P(S204 "X-A: b\r\n\r\n"),
        P("HTTP/1.1 204 No Content\r\n X-A: b\r\n" D "\r\n")),
    ROW(CF_R_SPACE_BEFORE_COLON, P(S204 "X-A: b\r\n\r\n"), P(S204 "X-A : b\r\n\r\n")),
    ROW(CF_R_FIELD_VALUE_CHAR, P(S204 "X-A: a\tb\r\n\r\n"),
        P(S204 "X-A: a\x01"
               "b\r\n\r\n")),
    ROW(CF_R_OBS_FOLD, P(S204 "X-A: a b\r\n\r\n"), P(S204 "X-A: a\r\n b\r\n\r\n")),
    ROWE(CF_R_FIELD_NAME_CHAR, P(S204 "\r\n"), P(S204 "\r\n"), name_with_space),
    ROW(CF_R_EMPTY_LIST_ELEMENT, P(S204 "Allow: GET, HEAD\r\n\r\n"),
        P(S204 "Allow: GET,,HEAD\r\n\r\n")),
    ROW(CF_R_SINGLETON_FIELD_REPEATED, P(OK200),
        P("HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Type: text/html\r\n"
          "Content-Length: 2\r\n\r\nhi")),
    ROW(CF_R_TRAILER_FIELD_NOT_ALLOWED,
        P(CHUNKED("Trailer: X-Sum\r\nTransfer-Encoding: chunked\r\n") CHUNK_BODY
          "X-Sum: 1\r\n\r\n"),
        P(CHUNKED("Trailer: Cache-Control\r\nTransfer-Encoding: chunked\r\n") CHUNK_BODY
          "Cache-Control: no-store\r\n\r\n")),
    ROW(CF_R_TRAILER_NOT_DECLARED,
        P(CHUNKED("Trailer: X-Sum\r\nTransfer-Encoding: chunked\r\n") CHUNK_BODY
          "X-Sum: 1\r\n\r\n"),
        P(CHUNKED("Transfer-Encoding: chunked\r\n") CHUNK_BODY "X-Sum: 1\r\n\r\n")),
    /* connection */
    ROW(CF_R_DATA_AFTER_CONNECTION_CLOSE, PX(S204 "Connection: close\r\n\r\n", NULL, 0, 0),
        PX(S204 "Connection: close\r\n\r\n", NULL, 0, DAC)),
    ROW(CF_R_CONNECTION_CLOSE_NOT_ECHOED, PX(S204 "Connection: close\r\n\r\n", NULL, 0, CCLOSE),
        PX(S204 "\r\n", NULL, 0, CCLOSE)),
    ROW(CF_R_CONNECTION_INVALID, P(S204 "Connection: keep-alive\r\n\r\n"),
        P(S204 "Connection: close, \"x\"\r\n\r\n")),
    ROW(CF_R_UPGRADE_WITHOUT_CONNECTION_OPTION,
        P(S204 "Upgrade: h2c\r\nConnection: Upgrade\r\n\r\n"), P(S204 "Upgrade: h2c\r\n\r\n")),
    /* status */
    ROW(CF_R_DATE_MISSING, P("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")),
    ROW(CF_R_ALLOW_MISSING_ON_405,
        P("HTTP/1.1 405 No\r\n" D "Allow: GET\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 405 No\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_WWW_AUTHENTICATE_MISSING_ON_401,
        P("HTTP/1.1 401 No\r\n" D
          "WWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 401 No\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_PROXY_AUTHENTICATE_MISSING_ON_407,
        P("HTTP/1.1 407 No\r\n" D
          "Proxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 407 No\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_CONTENT_RANGE_MISSING_ON_206,
        P("HTTP/1.1 206 P\r\n" D "Content-Range: bytes 0-1/10\r\nContent-Length: 2\r\n\r\nhi"),
        P("HTTP/1.1 206 P\r\n" D "Content-Length: 2\r\n\r\nhi")),
    ROW(CF_R_CONTENT_RANGE_ON_MULTIPART_206,
        P("HTTP/1.1 206 P\r\n" D "Content-Type: multipart/byteranges; boundary=b\r\n"
          "Content-Length: 0\r\n\r\n"),
        P("HTTP/1.1 206 P\r\n" D "Content-Type: multipart/byteranges; boundary=b\r\n"
          "Content-Range: bytes 0-1/10\r\nContent-Length: 0\r\n\r\n")),
    ROW(CF_R_CONTENT_RANGE_MISSING_ON_416,
        P("HTTP/1.1 416 R\r\n" D "Content-Range: bytes */10\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 416 R\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_CONTENT_RANGE_416_NOT_UNSATISFIED,
        P("HTTP/1.1 416 R\r\n" D "Content-Range: bytes */10\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 416 R\r\n" D "Content-Range: bytes 0-1/10\r\nContent-Length: 0\r\n\r\n")),
    ROW(CF_R_LOCATION_MISSING_ON_201,
        PX("HTTP/1.1 201 C\r\n" D "Location: /n\r\nContent-Length: 0\r\n\r\n", "POST", 0, 0),
        PX("HTTP/1.1 201 C\r\n" D "Content-Length: 0\r\n\r\n", "POST", 0, 0)),
    ROW(CF_R_LOCATION_MISSING_ON_301,
        P("HTTP/1.1 301 M\r\n" D "Location: /n\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 301 M\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_LOCATION_MISSING_ON_302,
        P("HTTP/1.1 302 F\r\n" D "Location: /n\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 302 F\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_LOCATION_MISSING_ON_307,
        P("HTTP/1.1 307 T\r\n" D "Location: /n\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 307 T\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_LOCATION_MISSING_ON_308,
        P("HTTP/1.1 308 P\r\n" D "Location: /n\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 308 P\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_UPGRADE_MISSING_ON_426,
        P("HTTP/1.1 426 U\r\n" D
          "Upgrade: h2c\r\nConnection: upgrade\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 426 U\r\n" D "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_UPGRADE_MISSING_ON_101,
        PX("HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n", NULL, 0, UPG),
        PX("HTTP/1.1 101 S\r\nConnection: upgrade\r\n\r\n", NULL, 0, UPG)),
    ROW(CF_R_SWITCHING_PROTOCOLS_WITHOUT_UPGRADE,
        PX("HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n", NULL, 0, UPG),
        PX("HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n", NULL, 0, 0)),
    ROW(CF_R_INTERIM_RESPONSE_TO_HTTP10, PX("HTTP/1.1 100 Continue\r\n\r\n", NULL, 11, 0),
        PX("HTTP/1.1 100 Continue\r\n\r\n", NULL, 10, 0)),
    ROW(CF_R_REPRESENTATION_METADATA_IN_304, P("HTTP/1.1 304 N\r\n" D "ETag: \"a\"\r\n\r\n"),
        P("HTTP/1.1 304 N\r\n" D "ETag: \"a\"\r\nContent-Type: text/html\r\n\r\n")),
    ROW(CF_R_CONTENT_TYPE_MISSING, P(OK200),
        P("HTTP/1.1 200 OK\r\n" D "Content-Length: 2\r\n\r\nhi")),
    /* framing */
    ROW(CF_R_CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
        P(CHUNKED("Transfer-Encoding: chunked\r\n") CHUNK_BODY "\r\n"),
        P(CHUNKED("Transfer-Encoding: chunked\r\nContent-Length: 2\r\n") CHUNK_BODY "\r\n")),
    ROW(CF_R_CONTENT_LENGTH_ON_1XX_OR_204, P(S204 "\r\n"), P(S204 "Content-Length: 0\r\n\r\n")),
    ROW(CF_R_CONTENT_LENGTH_ON_CONNECT_2XX, PX("HTTP/1.1 200 OK\r\n" D "\r\n", "CONNECT", 0, 0),
        PX("HTTP/1.1 200 OK\r\n" D "Content-Length: 0\r\n\r\n", "CONNECT", 0, 0)),
    ROW(CF_R_TRANSFER_ENCODING_ON_1XX_OR_204, P(S204 "\r\n"),
        P(S204 "Transfer-Encoding: chunked\r\n\r\n")),
    ROW(CF_R_TRANSFER_ENCODING_ON_CONNECT_2XX, PX("HTTP/1.1 200 OK\r\n" D "\r\n", "CONNECT", 0, 0),
        PX("HTTP/1.1 200 OK\r\n" D "Transfer-Encoding: chunked\r\n\r\n", "CONNECT", 0, 0)),
    ROW(CF_R_TRANSFER_ENCODING_TO_HTTP10, PX(OK200, NULL, 10, 0),
        PX(CHUNKED("Transfer-Encoding: chunked\r\n") CHUNK_BODY "\r\n", NULL, 10, 0)),
    ROWE(CF_R_CHUNKED_APPLIED_TWICE, P(CHUNKED("Transfer-Encoding: chunked\r\n") CHUNK_BODY "\r\n"),
         P(CHUNKED("Transfer-Encoding: chunked\r\n") CHUNK_BODY "\r\n"), te_chunked_twice),
    ROWE(CF_R_CHUNKED_NOT_LAST, PX(CHUNKED("Transfer-Encoding: gzip\r\n") "\r\nzz", NULL, 0, EOFX),
         PX(CHUNKED("Transfer-Encoding: gzip\r\n") "\r\nzz", NULL, 0, EOFX), still_open),
    ROWE(CF_R_TRANSFER_ENCODING_INVALID,
         P(CHUNKED("Transfer-Encoding: gzip;level=1, chunked\r\n") CHUNK_BODY "\r\n"),
         P(CHUNKED("Transfer-Encoding: chunked\r\n") CHUNK_BODY "\r\n"), te_bad_list),
    ROW(CF_R_CONTENT_LENGTH_INVALID, P(OK200),
        P("HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Length: 2, 2\r\n\r\nhi")),
    ROW(CF_R_CONTENT_LENGTH_MISMATCH, PX(OK200, NULL, 0, ENDED | EOFX),
        PX("HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhi", NULL,
           0, ENDED | EOFX)),
    ROW(CF_R_CLOSE_DELIMITED_RESPONSE, PX(OK200, NULL, 0, EOFX),
        PX("HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\n\r\nhi", NULL, 0, EOFX)),
    ROW(CF_R_CONTENT_IN_HEAD_RESPONSE, PX(OK200, "HEAD", 0, 0), PX(OK200, "HEAD", 0, JUNK)),
    ROW(CF_R_CONTENT_IN_1XX_RESPONSE, P("HTTP/1.1 100 Continue\r\n\r\n"),
        PX("HTTP/1.1 100 Continue\r\n\r\n", NULL, 0, JUNK)),
    ROW(CF_R_CONTENT_IN_204_RESPONSE, P(S204 "\r\n"), PX(S204 "\r\n", NULL, 0, JUNK)),
    ROW(CF_R_CONTENT_IN_205_RESPONSE, P("HTTP/1.1 205 R\r\n" D "Content-Length: 0\r\n\r\n"),
        P("HTTP/1.1 205 R\r\n" D "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi")),
    ROW(CF_R_CONTENT_IN_304_RESPONSE, P("HTTP/1.1 304 N\r\n" D "\r\n"),
        PX("HTTP/1.1 304 N\r\n" D "\r\n", NULL, 0, JUNK)),
    /* field syntax */
    ROW(CF_R_CONTENT_TYPE_INVALID, P(S204 "Content-Type: text/plain; charset=\"utf-8\"\r\n\r\n"),
        P(S204 "Content-Type: text\r\n\r\n")),
    ROW(CF_R_ETAG_INVALID, P(S204 "ETag: W/\"a1\"\r\n\r\n"), P(S204 "ETag: a1\r\n\r\n")),
    ROW(CF_R_CACHE_CONTROL_INVALID, P(S204 "Cache-Control: max-age=60, private=\"a, b\"\r\n\r\n"),
        P(S204 "Cache-Control: max-age=\r\n\r\n")),
    ROW(CF_R_CACHE_CONTROL_MAX_AGE_INVALID, P(S204 "Cache-Control: MAX-AGE=0\r\n\r\n"),
        P(S204 "Cache-Control: max-age=\"60\"\r\n\r\n")),
    ROW(CF_R_CACHE_CONTROL_S_MAXAGE_INVALID, P(S204 "Cache-Control: s-maxage=600\r\n\r\n"),
        P(S204 "Cache-Control: public, s-maxage\r\n\r\n")),
    ROW(CF_R_CACHE_CONTROL_NO_CACHE_TOKEN_FORM,
        P(S204 "Cache-Control: no-cache, no-cache=\"Set-Cookie, X-A\"\r\n\r\n"),
        P(S204 "Cache-Control: no-cache=Set-Cookie\r\n\r\n")),
    ROW(CF_R_CACHE_CONTROL_PRIVATE_TOKEN_FORM, P(S204 "Cache-Control: private=\"X-A\"\r\n\r\n"),
        P(S204 "Cache-Control: private=X-A\r\n\r\n")),
    ROW(CF_R_CACHE_CONTROL_ARGUMENT_NOT_ALLOWED,
        P(S204 "Cache-Control: no-store, public, x-ext=1\r\n\r\n"),
        P(S204 "Cache-Control: no-store=\"yes\"\r\n\r\n")),
    ROW(CF_R_CACHE_CONTROL_MUST_UNDERSTAND_WITHOUT_NO_STORE,
        P(S204 "Cache-Control: must-understand\r\nCache-Control: no-store\r\n\r\n"),
        P(S204 "Cache-Control: must-understand, max-age=60\r\n\r\n")),
    ROW(CF_R_VARY_INVALID, P(S204 "Vary: Accept-Encoding, Accept\r\n\r\n"),
        P(S204 "Vary: accept encoding\r\n\r\n")),
    ROW(CF_R_ALLOW_INVALID, P(S204 "Allow: GET, HEAD\r\n\r\n"), P(S204 "Allow: GET HEAD\r\n\r\n")),
    ROW(CF_R_CONTENT_RANGE_INVALID,
        P("HTTP/1.1 206 P\r\n" D "Content-Range: bytes 0-1/10\r\nContent-Length: 2\r\n\r\nhi"),
        P("HTTP/1.1 206 P\r\n" D "Content-Range: bytes 5-1/10\r\nContent-Length: 2\r\n\r\nhi")),
    ROW(CF_R_AGE_INVALID, P(S204 "Age: 60\r\n\r\n"), P(S204 "Age: -1\r\n\r\n")),
    ROW(CF_R_LOCATION_INVALID,
        P("HTTP/1.1 302 F\r\n" D "Location: /a%20b?q=1#f\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 302 F\r\n" D "Location: /a b\r\nContent-Length: 0\r\n\r\n")),
    /* dates */
    ROW(CF_R_DATE_INVALID, P(S204 "\r\n"), P("HTTP/1.1 204 No Content\r\nDate: yesterday\r\n\r\n")),
    ROW(CF_R_LAST_MODIFIED_INVALID, P(S204 "Last-Modified: Sat, 05 Nov 1994 08:49:37 GMT\r\n\r\n"),
        P(S204 "Last-Modified: 0\r\n\r\n")),
    ROW(CF_R_EXPIRES_INVALID, P(S204 "Expires: Thu, 01 Dec 1994 16:00:00 GMT\r\n\r\n"),
        P(S204 "Expires: 0\r\n\r\n")),
    ROW(CF_R_RETRY_AFTER_INVALID,
        P("HTTP/1.1 503 B\r\n" D "Retry-After: 120\r\nContent-Length: 0\r\n\r\n"),
        P("HTTP/1.1 503 B\r\n" D "Retry-After: soon\r\nContent-Length: 0\r\n\r\n")),
    ROW(CF_R_HTTP_DATE_NOT_IMF_FIXDATE, P(S204 "\r\n"),
        P("HTTP/1.1 204 No Content\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\n\r\n")),
    ROW(CF_R_LAST_MODIFIED_AFTER_DATE,
        P(S204 "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"),
        P(S204 "Last-Modified: Mon, 07 Nov 1994 08:49:37 GMT\r\n\r\n")),
};
#define NROWS (sizeof rows / sizeof rows[0])

Test(rules, every_rule_kept_and_broken)
{
    char msg[512];
    size_t failed = 0;
    for (size_t i = 0; i < NROWS; i++) {
        const char *id = cf_rule_id(rows[i].rule);
        if (fires(&rows[i].keep, NULL, rows[i].rule, msg, sizeof msg)) {
            cr_log_error("%s fired on the response that keeps it: %s", id, msg);
            failed++;
        }
        if (!fires(&rows[i].fail, rows[i].edit, rows[i].rule, msg, sizeof msg)) {
            cr_log_error("%s did not fire on the response that breaks it", id);
            failed++;
        } else {
            cr_expect_neq(msg[0], 0, "%s: empty message", id);
        }
    }
    cr_assert_eq(failed, 0, "%zu rule probes failed", failed);
}

/* RFC 9110 §6.2 compares with the version "received in the request": an HTTP/1.0 answer is
 * judged only when the server can have read one (not a 400 to a request it found malformed,
 * not a request conform could not read whole). */
Test(rules, response_version_needs_a_read_request)
{
    char msg[512];
    const probe p400 = P("HTTP/1.0 400 Bad Request\r\n" D "Content-Length: 0\r\n\r\n");
    const probe p431 = P("HTTP/1.0 431 Too Large\r\n" D "Content-Length: 0\r\n\r\n");
    const probe unread = PX("HTTP/1.0 505 V\r\n" D "Content-Length: 0\r\n\r\n", NULL, 0, UNREAD);
    cr_expect_not(fires(&p400, NULL, CF_R_RESPONSE_VERSION_LOWER, msg, sizeof msg));
    cr_expect_not(fires(&unread, NULL, CF_R_RESPONSE_VERSION_LOWER, msg, sizeof msg));
    cr_expect(fires(&p431, NULL, CF_R_RESPONSE_VERSION_LOWER, msg, sizeof msg));
}

/* RFC 9112 §6.3, §6.1: to an HTTP/1.0 request chunked is not possible, and close-delimiting
 * is what the feature exists for: not judged. */
Test(rules, close_delimited_to_http10_not_judged)
{
    char msg[512];
    const probe p10 =
        PX("HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\n\r\nhi", NULL, 10, EOFX);
    const probe p11 =
        PX("HTTP/1.1 200 OK\r\n" D "Content-Type: text/plain\r\n\r\nhi", NULL, 11, EOFX);
    cr_expect_not(fires(&p10, NULL, CF_R_CLOSE_DELIMITED_RESPONSE, msg, sizeof msg));
    cr_expect(fires(&p11, NULL, CF_R_CLOSE_DELIMITED_RESPONSE, msg, sizeof msg));
}

Test(rules, every_rule_has_a_row)
{
    for (size_t r = 0; r < CF_R__COUNT; r++) {
        size_t k = 0;
        for (size_t i = 0; i < NROWS; i++)
            k += rows[i].rule == r;
        cr_expect_eq(k, 1, "rule %s has %zu rows", cf_rule_id(r), k);
    }
}

/* Every rule run on the probe: the findings into *f, *n (free with cf_rule_findings_free) and
 * the parsed step into *res (free with cf_step_result_free). */
static void findings_of(const probe *p, cf_step_result *res, cf_rule_finding **f, size_t *n)
{
    cf_obs_response *r;
    cr_assert(read_response(p, res, &r));
    cf_rule_ctx ctx = ctx_of(p);
    cr_assert_eq(cf_rules_check(&ctx, r, f, n), 0);
}

/* A response a careful origin server sends breaks no rule at all. */
Test(rules, clean_response_has_no_findings)
{
    static const probe clean =
        P("HTTP/1.1 200 OK\r\n" D "Last-Modified: Sat, 05 Nov 1994 08:49:37 GMT\r\n"
          "ETag: \"v1\"\r\nCache-Control: max-age=60\r\nVary: Accept-Encoding\r\n"
          "Content-Type: text/html; charset=utf-8\r\nContent-Length: 2\r\n\r\nhi");
    cf_step_result res;
    cf_rule_finding *f = NULL;
    size_t n = 0;
    findings_of(&clean, &res, &f, &n);
    for (size_t i = 0; i < n; i++)
        cr_log_error("%s: %s", f[i].rule_id, f[i].message);
    cr_expect_eq(n, 0);
    cf_rule_findings_free(f, n);
    cf_step_result_free(&res);
}

/* RFC 9111 §5.2.2: a cache rule broken by several directives of one response (over two field
 * lines) is one finding, naming the first; valid and extension directives beside them add none. */
Test(rules, cache_rule_once_per_response)
{
    static const probe twice =
        P(S204 "Cache-Control: x-ext=\"1\", max-age=\"60\"\r\nCache-Control: no-store, "
               "max-age=1.5\r\n\r\n");
    cf_step_result res;
    cf_rule_finding *f = NULL;
    size_t n = 0;
    findings_of(&twice, &res, &f, &n);
    cr_assert_eq(n, 1, "%zu findings", n);
    cr_expect_str_eq(f[0].rule_id, "cache-control-max-age-invalid");
    cr_expect_str_eq(f[0].message, "Cache-Control directive \"max-age=\"60\"\"");
    cf_rule_findings_free(f, n);
    cf_step_result_free(&res);
}

/* Findings are appended to what the array already holds; a NULL ctx reads as all-unknown. */
Test(rules, findings_append_and_null_ctx)
{
    cf_obs_response r = {0};
    r.status = 404;
    r.version = 11;
    cf_rule_finding *f = NULL;
    size_t n = 0;
    cr_assert_eq(cf_rules_check(NULL, &r, &f, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(f[0].rule_id, "date-missing");
    cr_assert_eq(cf_rules_check(NULL, &r, &f, &n), 0);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(f[1].level, "MUST");
    cr_assert_str_eq(f[1].section, "RFC 9110 §6.6.1");
    cf_rule_findings_free(f, n);
}

Test(rules, table_is_well_formed)
{
    cr_assert_eq(cf_rules_count(), (size_t)CF_R__COUNT);
    cr_assert_geq(cf_rules_count(), 40);
    cr_assert_null(cf_rule_id(cf_rules_count()));
    for (size_t i = 0; i < cf_rules_count(); i++) {
        const char *id = cf_rule_id(i), *lv = cf_rule_level(i);
        for (const char *p = id; *p; p++)
            cr_expect((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-',
                      "id %s is not kebab-case", id);
        cr_expect(!strcmp(lv, "MUST") || !strcmp(lv, "SHOULD") || !strcmp(lv, "MAY"), "%s: %s", id,
                  lv);
        cr_expect(!strncmp(cf_rule_section(i), "RFC 911", 7), "%s: %s", id, cf_rule_section(i));
        cr_expect_gt(strlen(cf_rule_text(i)), 10);
        for (size_t j = 0; j < i; j++)
            cr_expect_str_neq(id, cf_rule_id(j), "id %s repeated", id);
    }
}

/* The date forms of RFC 9110 §5.6.7. */
Test(rules, http_date_forms)
{
    static const struct {
        const char *v;
        cf_rules_date_form form;
    } dates[] = {
        {"Sun, 06 Nov 1994 08:49:37 GMT", CF_RULES_DATE_IMF},
        {"Sunday, 06-Nov-94 08:49:37 GMT", CF_RULES_DATE_OBSOLETE},
        {"Sun Nov  6 08:49:37 1994", CF_RULES_DATE_OBSOLETE},
        {"Mon, 06 Nov 1994 08:49:37 GMT", CF_RULES_DATE_BAD_WEEKDAY},
        {"Sat, 31 Dec 2016 23:59:60 GMT", CF_RULES_DATE_IMF},
        {"Thu, 31 Feb 1994 08:49:37 GMT", CF_RULES_DATE_INVALID},
        {"Sun, 06 Nov 1994 08:49:37 UTC", CF_RULES_DATE_INVALID},
        {"sun, 06 nov 1994 08:49:37 GMT", CF_RULES_DATE_INVALID},
        {"Sun, 06 Nov 1994  08:49:37 GMT", CF_RULES_DATE_INVALID},
        {"0", CF_RULES_DATE_INVALID},
        {"", CF_RULES_DATE_INVALID},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        time_t t;
        cr_expect_eq(cf_rules_date(dates[i].v, strlen(dates[i].v), &t), dates[i].form, "\"%s\"",
                     dates[i].v);
    }
    time_t t;
    cr_assert_eq(cf_rules_date("Sun, 06 Nov 1994 08:49:37 GMT", 29, &t), CF_RULES_DATE_IMF);
    cr_assert_eq((long long)t, 784111777LL);
}

/* The list splitter of RFC 9110 §5.6.1: commas inside quoted strings do not split. */
Test(rules, list_splitting)
{
    h1_span it[8];
    size_t empty;
    const char *v = "a, \"b,c\" ,, d";
    cr_assert_eq(cf_rules_list(v, strlen(v), it, 8, &empty), 3);
    cr_assert_eq(empty, 1);
    cr_assert_eq(it[1].len, 5);
    cr_assert_eq(memcmp(it[1].ptr, "\"b,c\"", 5), 0);
    cr_assert_eq(cf_rules_list("", 0, it, 8, &empty), 0);
    cr_assert_eq(empty, 0);
    cr_assert_eq(cf_rules_list(",", 1, it, 8, &empty), 0);
    cr_assert_eq(empty, 2);
}
