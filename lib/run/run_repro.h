/* conform run: the one-line reproduction of a case, `printf '...' | nc HOST PORT`. */
#ifndef CF_RUN_REPRO_H
#define CF_RUN_REPRO_H

#include <stddef.h>
#include <stdint.h>

#define CF_REPRO_MAX_BYTES 8192 /* cases sending more get a note instead of a line */

/* Appends bytes[0..len) to out (capacity cap, always NUL-terminated) escaped for a single-quoted
 * printf(1) format: \r \n \t, \\ for a backslash, %% for '%', \047 for a single quote, and
 * three-digit octal \NNN for every other byte outside 0x20..0x7E. Returns the length the
 * escaped text needs (which may exceed cap - 1; then out holds a prefix). */
size_t cf_repro_escape(const uint8_t *bytes, size_t len, char *out, size_t cap);

/* The shell line that sends bytes[0..len) to host (without brackets) and port:
 * "printf '...' | nc HOST PORT", or a note when len exceeds max_bytes. Returns a malloc'd
 * string the caller frees, or NULL when memory ran out. */
char *cf_repro_line(const uint8_t *bytes, size_t len, const char *host, const char *port,
                    size_t max_bytes);

#endif
