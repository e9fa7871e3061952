/* The one growable byte buffer of libconform: appends that grow it, a NUL kept after the bytes so
 * the content is also a C string, and a sticky error after a failed allocation (later appends do
 * nothing), so callers check once at the end. */
#ifndef CF_UTIL_BUF_H
#define CF_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Zero-initialise ({0}) before use; ptr is NULL until the first append. */
typedef struct cf_buf {
    char *ptr;  /* len bytes, then a NUL (owned) */
    size_t len; /* bytes, NUL excluded */
    size_t cap;
    int err; /* nonzero after an allocation failed */
} cf_buf;

/* Makes room for extra more bytes (and the NUL); returns 0, or -1 (b->err set). */
int cf_buf_reserve(cf_buf *b, size_t extra);
/* Appends n bytes / a NUL-terminated string / printf-style text; after any append (even of
 * nothing) ptr holds a C string unless err is set. cf_buf_add returns 0, or -1 once err is set. */
int cf_buf_add(cf_buf *b, const void *p, size_t n);
void cf_buf_str(cf_buf *b, const char *s);
void cf_buf_fmt(cf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends p[0..n) as the inside of a C string literal: printable ASCII as it is, \r \n \t \\ \"
 * escaped, every other byte as \xNN (for messages that show wire bytes on one line). */
void cf_buf_escape(cf_buf *b, const void *p, size_t n);
/* Hands the NUL-terminated content to the caller (free() it) and empties b; NULL when an
 * allocation failed (b is then freed). */
char *cf_buf_take(cf_buf *b);
/* Releases what b owns and empties it. */
void cf_buf_free(cf_buf *b);

/* The content as unsigned bytes, for wire data (NULL before the first append). */
static inline uint8_t *cf_buf_bytes(const cf_buf *b)
{
    return (uint8_t *)b->ptr;
}

/* The 32-bit FNV-1a hash of the NUL-terminated string s: stable across runs and machines (fuzz
 * finding names, --shard). */
uint32_t cf_fnv1a32(const char *s);

/* The 64-bit FNV-1a hash of p[0..n) (a spec file loaded again must hash as it did). */
uint64_t cf_fnv1a64(const void *p, size_t n);

/* A malloc'd string formatted like printf (the caller frees it); NULL when memory ran out. */
char *cf_strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cf_vstrfmt(const char *fmt, va_list ap);

#endif
