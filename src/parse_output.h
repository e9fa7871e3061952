/* Renders the result of parsing one message (cf_pstream) for people or as JSON. */
#ifndef CF_PARSE_OUTPUT_H
#define CF_PARSE_OUTPUT_H

#include <stdio.h>

#include "parse_stream.h"

/* Writes a readable summary of s to out (start-line, fields, framing, body length, recorded
 * violations, trailing bytes) and the error or the early end of input, with the bytes around
 * it, to err. Returns 0, or -1 when writing failed. */
int cf_parse_output_human(const cf_pstream *s, FILE *out, FILE *err);

/* Writes s as one JSON object and a newline to out (fields in docs/commands/parse.md).
 * Returns 0, or -1 when writing failed. */
int cf_parse_output_json(const cf_pstream *s, FILE *out);

/* The value of h as a recipient reads it (h1_field_value_copy) in a new buffer the caller
 * frees; *len is its length. NULL when out of memory. */
char *cf_field_value_dup(const h1_header *h, size_t *len);

#endif
