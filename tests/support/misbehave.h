/* Test servers that misbehave on purpose, for the runner's tests: each listens on an ephemeral
 * 127.0.0.1 port and serves connections one after another on a background thread, answering
 * every request (or connection) the way its mode says. */
#ifndef CF_MISBEHAVE_H
#define CF_MISBEHAVE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum cf_mb_mode {
    CF_MB_CORRECT,         /* a valid 200 response ("ok") to each request, connection kept */
    CF_MB_SILENT,          /* accepts and reads, never answers */
    CF_MB_SLOW,            /* a valid response, one byte every 100 ms */
    CF_MB_RESET,           /* reads the request, then resets (SO_LINGER 0) */
    CF_MB_GARBAGE,         /* answers bytes that are not HTTP, keeps the connection */
    CF_MB_ENDLESS_HEADERS, /* a status-line, then header fields without end */
    CF_MB_HUGE_BODY,       /* 200 with Content-Length: 50 MB, all of it sent */
    CF_MB_SHORT_BODY,      /* Content-Length: 100, 10 bytes sent, then close */
    CF_MB_BAD_CHUNK,       /* chunked with a chunk-size that is not hex */
    CF_MB_CLOSE,           /* reads the request, closes without a response */
    CF_MB_ENDLESS_CHUNKED, /* chunked, a 5-byte chunk every 50 ms, never the last chunk */
    CF_MB_LYING_LENGTH,    /* Content-Length: 1000, 10 bytes sent, then silence (kept open) */
    CF_MB_INTERIM_FLOOD,   /* "100 Continue" responses without end, never a final one */
    CF_MB_HINTS_FLOOD,     /* 103 Early Hints with 99 fields each, without end */
    CF_MB_MANY_FIELDS,     /* a valid 200 ("ok") with CF_MB_MANY_FIELDS_N field lines, breaking
                              no compliance rule */
    CF_MB_CLOSE_KEPT_OPEN, /* 200 with Connection: close, then the connection kept open */
    CF_MB_HEAD_ONLY,       /* answers 200 with Connection: close on the head alone, never
                              reading content, and closes (lighttpd on a static file) */
    CF_MB_NO_SP,           /* CF_MB_CORRECT_DATED's 200, but "HTTP/1.1 200" with no SP after the
                              code: breaks the MUST rule status-line-space-missing (RFC 9112 §4) */
    CF_MB_SHOULD_ONLY,     /* 200 with Date and content but no Content-Type: breaks only the
                              SHOULD rule content-type-missing (RFC 9110 §8.3) */
    CF_MB_CORRECT_DATED,   /* a 200 that breaks no compliance rule, connection kept */
    CF_MB_ACCEPT_RESET,    /* resets each connection as soon as it is accepted, reading nothing */
    CF_MB_TRAILER_MERGE,   /* an echo (conform serve's /echo JSON) that merges the trailer fields
                              into the header section, reads a trailer Content-Length's octets
                              as more content, and after a trailer Transfer-Encoding reads on as
                              chunked content (the next request is no chunk-size: 400, close);
                              a request it cannot parse gets 400 and the close: breaks RFC 9110
                              §6.5 and §6.5.1, RFC 9112 §7.1.2 */
    CF_MB_ANSWERS_CUT,     /* reads until the client half-closes or is silent for 100 ms, then
                              answers 200 (an echo report) to every request head it got and one
                              more to what followed the last (a message cut short), and closes:
                              breaks RFC 9112 §6.3, §8 and §2.1 (an incomplete request answered) */
    CF_MB_IGNORES_FIN,     /* answers 200 to the head at once, then keeps the connection open for
                              3 s whatever the client does: an incomplete request whose sender
                              closed is never closed (RFC 9112 §6.3) */
    CF_MB_BAD_CACHE,       /* CF_MB_CORRECT_DATED's 200 with Cache-Control, Age and Expires values
                              RFC 9111 §5.1, §5.2.2 and §5.3 rule out: breaks every cache rule
                              of docs/rules.md (cache-control-*, age-invalid, expires-invalid) */
    CF_MB_TINY_FLOOD,      /* "HTTP/1.1 204 \r\n\r\n" (18 bytes) without end, after the request */
    /* Semantic modes: every request gets the same dated answer (a HEAD its head only), breaking
     * one requirement of RFC 9110 that a bundled case checks (tests/test_suite_misbehave.c). */
    CF_MB_206_NO_CONTENT_RANGE, /* 206 with 5 bytes and no Content-Range (§15.3.7.1) */
    CF_MB_206_SHORT,            /* 206 "Content-Range: bytes 0-4/100" with 3 bytes (§15.3.7.1) */
    CF_MB_206_ALWAYS,           /* 206 bytes 0-4/100 to every request: HEAD, If-Range, bad Range
                                   (§14.2, §13.1.5) */
    CF_MB_206_MULTIPART_RANGE,  /* multipart/byteranges 206 with Content-Range in its head
                                   (§15.3.7.2) */
    CF_MB_416_NO_CONTENT_RANGE, /* 416 without Content-Range (§15.5.17) */
    CF_MB_401_NO_CHALLENGE,     /* 401 without WWW-Authenticate (§15.5.2) */
    CF_MB_405_NO_ALLOW,         /* 405 without Allow (§15.5.6) */
    CF_MB_405_WRONG_ALLOW,      /* 405 with "Allow: POST, PUT, DELETE": not what the page allows,
                                   the refused method listed (§15.5.6) */
    CF_MB_301_NO_LOCATION,      /* 301 without Location (§15.4.2) */
    CF_MB_101_ALWAYS,           /* 101 Upgrade: websocket to every request, HTTP/1.0 too (§7.8) */
    CF_MB_426_NO_UPGRADE,       /* 426 without Upgrade (§7.8) */
    CF_MB_NO_LENGTH,            /* 200 with Allow, neither Content-Length nor chunked, then close
                                   (RFC 9110 §8.6: the OPTIONS case) */
    CF_MB_TRACE_LEAKS,          /* 200 message/http reflecting Authorization and Cookie (§9.3.8) */
    CF_MB_HEAD_FEWER_FIELDS,    /* GET: 200 with ETag, Last-Modified, Content-Type, Content-Length;
                                   HEAD: 200 with Date only (§9.3.2) */
    CF_MB_CONNECT_FRAMED,       /* 200 with Content-Length: 0 to every request, CONNECT too
                                   (§9.3.6) */
    CF_MB_MULTIPART_UNTYPED,    /* a dated, typed 200; to a request with Range, multipart/byteranges
                                   whose parts have no Content-Type (§15.3.7.2) */
    /* Conditional requests (RFC 9110 §13) on "/" (ETag "v1", Last-Modified CF_MB_LAST_MODIFIED;
       any other path is 404, GET/HEAD/OPTIONS only, no ranges); misbehave_cond.c. */
    CF_MB_VALIDATED,         /* evaluates every precondition as RFC 9110 §13 says */
    CF_MB_COND_IGNORED,      /* never evaluates one: always 200 */
    CF_MB_COND_304_BARE,     /* its 304 has no ETag (RFC 9110 §15.4.5) */
    CF_MB_COND_STRONG_INM,   /* If-None-Match compared strongly (RFC 9110 §13.1.2: weakly) */
    CF_MB_COND_WEAK_IM,      /* If-Match compared weakly (RFC 9110 §13.1.1: strongly) */
    CF_MB_COND_LAX_DATES,    /* a date is read up to what follows it: "<date>junk" and lists count,
                                and an If-Unmodified-Since it cannot read is false (like nginx) */
    CF_MB_COND_IUS_WITH_IM,  /* evaluates If-Unmodified-Since beside If-Match (RFC 9110 §13.1.4) */
    CF_MB_COND_IMS_WITH_INM, /* evaluates If-Modified-Since beside If-None-Match (§13.1.3) */
    CF_MB_COND_ON_MISSING,   /* 412 to a precondition on a missing resource (RFC 9110 §13.2.1) */
    CF_MB_COND_INCONSISTENT, /* each answer's values differ from the GET's: HEAD has another
                                Content-Length, ETag, Last-Modified, Content-Type (§8.6, §9.3.2);
                                the 304 another ETag and Content-Length, no Cache-Control
                                (§15.4.5, §8.6); Range
                                bytes=0-4 gets other bytes and complete length, If-Range ignored
                                (§15.3.7.1, §14.4, §13.1.5); other ranges a 416 of another length
                                (§15.5.17) */
    /* Expect: 100-continue (RFC 9110 §10.1.1): every request is read with its content
       (Content-Length) and answered 200 "ok"; an HTTP/1.0 one with Connection: close. */
    CF_MB_CONTINUE,      /* an immediate 100 when the content has not arrived, as it should */
    CF_MB_LATE_100,      /* reads the content first, then 100 and 200 (§10.1.1: MUST NOT wait
                            for the content before sending the 100) */
    CF_MB_100_TO_HTTP10, /* a 100 to every Expect, HTTP/1.0 too (§10.1.1, §15.2) */
    CF_MB_EXPECT_EXACT,  /* knows only "100-continue" as written: 417 to "100-Continue" (the
                            Expect value is case-insensitive, §10.1.1) */
    /* An origin that reads requests by the grammar (misbehave_lax.c): 200 "ok" to each request
     * of a known method, 501 to others, and a refusal with a close (400, 421, 501) for what it
     * cannot read. The CF_MB_LAX_* modes are the same origin with one leniency each. */
    CF_MB_ORIGIN,
    CF_MB_LAX_LENGTH,      /* Content-Length read with strtoll(v, NULL, 0): "010" is 8, "+5" 5,
                              "1_0" 1; values trimmed of controls and %xA0, cut at a NUL */
    CF_MB_LAX_TE,          /* any Transfer-Encoding holding "chunked" is chunked (trimmed like
                              CF_MB_LAX_LENGTH), others ignored; with Content-Length the TE wins and
                              the connection stays open */
    CF_MB_LAX_CHUNK,       /* chunk-size read with strtoull(line, NULL, 16), extensions unread, a
                              bare CR ends a chunk line, empty lines skipped, any trailer line */
    CF_MB_LAX_FIELD_NAME,  /* non-ASCII octets of a field name dropped ("Content-Length\x85") */
    CF_MB_LAX_HOST,        /* any Host value, any absolute-form target (https, userinfo, no host) */
    CF_MB_LAX_HOST_ROUTES, /* 404 when Host is not its own authority (a virtual host without
                              the page), absolute-form or not */
    CF_MB_LAX_DROP_ON_GARBAGE, /* bytes after a request that are not a request: only a 400 */
    CF_MB_LAX_HTTP09,          /* a request-line without an HTTP/1.x version gets a 200; leading
                                  control octets skipped */
    CF_MB_LAX_SHORT_LINE,      /* 414 for a request-line over 4096 octets */
    CF_MB_LAX_OWS_SP,          /* OWS trimmed from field values is SP only: HTAB stays */
    CF_MB_LAX_TE_EXACT,        /* Transfer-Encoding is chunked only when it is "chunked" itself:
                                  "chunked," gets 501 */
} cf_mb_mode;

#define CF_MB_LAST_MODIFIED "Sun, 06 Nov 1994 08:49:37 GMT"

/* The values of every field line named name in the request head[0..len), joined with ", " into
 * out (RFC 9110 §5.3); false when there is none (or it does not fit). */
bool cf_mb_field(const char *head, size_t len, const char *name, char *out, size_t cap);

/* The answer of a conditional mode to one request head (misbehave_cond.c): the response bytes in
 * out (at most cap), their length returned (0 when they do not fit). */
size_t cf_mb_cond_answer(cf_mb_mode mode, const char *head, size_t len, char *out, size_t cap);

#define CF_MB_MANY_FIELDS_N 150u

#define CF_MB_HUGE_LEN (50u * 1024 * 1024)

typedef struct cf_mb cf_mb;

/* Starts a server in mode; NULL on failure. */
cf_mb *cf_mb_start(cf_mb_mode mode);

/* The port it listens on (127.0.0.1). */
int cf_mb_port(const cf_mb *m);

/* Connections accepted so far. */
unsigned cf_mb_accepted(const cf_mb *m);

/* Stops the thread, closes everything and frees m. NULL is fine. */
void cf_mb_stop(cf_mb *m);

#endif
