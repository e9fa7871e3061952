/* conform run: the reproductions of a case: the conform command that runs it again and shows
 * both sides of the exchange, and a raw shell line that needs only bash and coreutils. */
#ifndef CF_RUN_REPRO_H
#define CF_RUN_REPRO_H

#include <stddef.h>
#include <stdint.h>

#include "util_buf.h"

#define CF_REPRO_MAX_BYTES 8192 /* cases sending more get a note instead of a line */

/* Appends bytes[0..len) to out (capacity cap, always NUL-terminated) escaped for a single-quoted
 * printf(1) format: \r \n \t, \\ for a backslash, %% for '%', \047 for a single quote, and
 * three-digit octal \NNN for every other byte outside 0x20..0x7E. Returns the length the
 * escaped text needs (which may exceed cap - 1; then out holds a prefix). */
size_t cf_repro_escape(const uint8_t *bytes, size_t len, char *out, size_t cap);

/* The shell line that sends bytes[0..len) to host (without brackets) and port and prints what
 * comes back for at most wait_s seconds, with bash's /dev/tcp (no nc needed):
 * "printf '...' | timeout W bash -c 'exec 3<>/dev/tcp/HOST/PORT; cat >&3; cat <&3'"; over TLS
 * (tls_name not NULL: the name for SNI) with openssl s_client: "printf '...' | timeout W
 * openssl s_client -quiet -connect HOST:PORT -servername NAME"; or a note when len exceeds
 * max_bytes. Returns a malloc'd string the caller frees, or NULL when memory ran out. */
char *cf_repro_line(const uint8_t *bytes, size_t len, const char *host, const char *port,
                    const char *tls_name, size_t max_bytes, unsigned wait_s);

/* The conform command that runs case id of spec file `file` again with target_args (already
 * shell words, e.g. "--target 127.0.0.1:8080 --profile p.yaml") and shows the exchange:
 * "conform run FILE --id =ID TARGET_ARGS --show", FILE and ID quoted for the shell when they
 * need it. Returns a malloc'd string the caller frees, or NULL when memory ran out. */
char *cf_repro_rerun(const char *file, const char *id, const char *target_args);

/* Appends s to out as one shell word: as it is when it holds only [A-Za-z0-9_./:=@%+,-], else
 * in single quotes (a quote inside as '\''). 0, or -1 when memory ran out. */
int cf_repro_shell_word(const char *s, cf_buf *out);

#endif
