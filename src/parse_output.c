/* Names and value views shared by the human and JSON renderings of a parsed message. */
#include "parse_output.h"

#include <stdlib.h>

const char *cf_framing_name(h1_framing f)
{
    switch (f) {
    case H1_FRAMING_NONE: return "none";
    case H1_FRAMING_LENGTH: return "length";
    case H1_FRAMING_CHUNKED: return "chunked";
    case H1_FRAMING_CLOSE: return "close";
    }
    return "unknown";
}

const char *cf_target_form_name(h1_target_form f)
{
    switch (f) {
    case H1_TARGET_ORIGIN: return "origin";
    case H1_TARGET_ABSOLUTE: return "absolute";
    case H1_TARGET_AUTHORITY: return "authority";
    case H1_TARGET_ASTERISK: return "asterisk";
    }
    return "unknown";
}

char *cf_field_value_dup(const h1_header *h, size_t *len)
{
    /* A repaired value is never longer than its raw bytes (RFC 9112 §5.2: obs-fold -> SP). */
    size_t cap = h->value.len;
    char *out = malloc(cap ? cap : 1);
    if (!out) return NULL;
    size_t n = h1_field_value_copy(h, out, cap);
    if (n > cap) {
        char *big = realloc(out, n);
        if (!big) {
            free(out);
            return NULL;
        }
        out = big;
        h1_field_value_copy(h, out, n);
    }
    *len = n;
    return out;
}
