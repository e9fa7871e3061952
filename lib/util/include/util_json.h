/* A small streaming JSON writer: objects, arrays, keys, strings, numbers, booleans and null,
 * written to a FILE* or to a growable memory buffer. Commas and nesting are tracked for the
 * caller; strings are either bytes read as Latin-1 (cf_json_string_n: protocol data) or UTF-8
 * text (cf_json_text_n: names and messages). Output is compact
 * (no whitespace). Errors (allocation, write, nesting misuse) are sticky: check cf_json_error
 * once at the end. */
#ifndef CF_UTIL_JSON_H
#define CF_UTIL_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util_buf.h"

#define CF_JSON_MAX_DEPTH 32

typedef struct cf_json {
    FILE *fp;                               /* destination, or NULL for the memory buffer */
    cf_buf out;                             /* memory destination (owned) */
    int err;                                /* sticky: nonzero after a failure or misuse */
    int depth;                              /* open containers */
    int after_key;                          /* a key was written; its value comes next */
    unsigned char count[CF_JSON_MAX_DEPTH]; /* nonzero once a container holds an item */
    unsigned char is_object[CF_JSON_MAX_DEPTH];
} cf_json;

/* Starts a writer that writes to fp (not owned; the caller flushes and closes it). */
void cf_json_init_file(cf_json *j, FILE *fp);

/* Starts a writer that appends to a growable buffer it owns (free with cf_json_free). */
void cf_json_init_buffer(cf_json *j);

/* Frees the memory buffer of j, if any. */
void cf_json_free(cf_json *j);

/* The text written so far to a memory writer (NUL-terminated, owned by j; "" if none). */
const char *cf_json_data(const cf_json *j, size_t *len);

/* Nonzero when a write or allocation failed or the calls did not nest correctly, or when
 * containers are still open. */
int cf_json_error(const cf_json *j);

/* Open and close an object or an array. */
void cf_json_begin_object(cf_json *j);
void cf_json_end_object(cf_json *j);
void cf_json_begin_array(cf_json *j);
void cf_json_end_array(cf_json *j);

/* Writes the key (NUL-terminated UTF-8 text) of the next member of the enclosing object. */
void cf_json_key(cf_json *j, const char *key);

/* Writes s[0..n) as a JSON string. Each byte becomes the character with the same code point
 * (U+0000..U+00FF, i.e. the bytes read as Latin-1): '"' and '\\' are escaped, controls use
 * \b \f \n \r \t or \u00XX, and DEL and bytes 0x80..0xFF are written as \u00XX, so the output
 * is plain ASCII. */
void cf_json_string_n(cf_json *j, const char *s, size_t n);

/* cf_json_string_n on a NUL-terminated string; NULL writes null. */
void cf_json_string(cf_json *j, const char *s);

/* Writes s[0..n) as a JSON string of UTF-8 text (names, messages, RFC sections): well-formed
 * UTF-8 sequences are copied as they are, '"', '\\' and controls are escaped as above, and any
 * byte that is not part of a well-formed sequence is written as its code point \u00XX. */
void cf_json_text_n(cf_json *j, const char *s, size_t n);

/* cf_json_text_n on a NUL-terminated string; NULL writes null. */
void cf_json_text(cf_json *j, const char *s);

/* Copies len bytes read from src as the next value(s): one value, or in an array several values
 * separated by commas, already written by another writer (e.g. into a temporary file). Read
 * errors set the sticky error. */
void cf_json_splice(cf_json *j, FILE *src, uint64_t len);

/* Numbers, booleans and null. */
void cf_json_uint(cf_json *j, uint64_t v);
void cf_json_int(cf_json *j, int64_t v);
void cf_json_bool(cf_json *j, int v);
void cf_json_null(cf_json *j);

#endif
