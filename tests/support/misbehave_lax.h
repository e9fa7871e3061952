/* The origin server behind misbehave.h's CF_MB_ORIGIN and CF_MB_LAX_* modes, as a pure function
 * over the bytes received: which response the next request gets. CF_MB_ORIGIN reads requests
 * by the grammar (enough of it for the framing cases); each CF_MB_LAX_* mode adds one leniency
 * real servers have had, so that the bundled case about it can be shown to fail. */
#ifndef CF_MISBEHAVE_LAX_H
#define CF_MISBEHAVE_LAX_H

#include <stdbool.h>
#include <stddef.h>

#include "misbehave.h"

/* The answer to the first request of the bytes received. */
typedef struct cf_mb_lax_answer {
    size_t used;      /* octets the request took (head and content) */
    const char *resp; /* the whole response, a static string */
    bool close;       /* close the connection after it */
} cf_mb_lax_answer;

/* Reads the first request of buf[0..len) the way mode says (authority: "127.0.0.1:PORT", the
 * server's own). Returns 1 with *out filled, 0 when more bytes are needed; eof: no more will
 * come (a request cut short is then dropped with a close). */
int cf_mb_lax_next(cf_mb_mode mode, const char *buf, size_t len, bool eof, const char *authority,
                   cf_mb_lax_answer *out);

#endif
