/* Test servers that misbehave on purpose, for the runner's tests: each listens on an ephemeral
 * 127.0.0.1 port and serves connections one after another on a background thread, answering
 * every request (or connection) the way its mode says. */
#ifndef CF_MISBEHAVE_H
#define CF_MISBEHAVE_H

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
} cf_mb_mode;

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
