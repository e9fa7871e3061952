/* Names and value views shared by the human and JSON renderings of a parsed message. */
#include "parse_output.h"

#include <stdlib.h>

const char *cf_framing_name(cf_framing f)
{
    switch (f) {
    case CF_FRAMING_NONE: return "none";
    case CF_FRAMING_LENGTH: return "length";
    case CF_FRAMING_CHUNKED: return "chunked";
    case CF_FRAMING_CLOSE: return "close";
    }
    return "unknown";
}

const char *cf_target_form_name(cf_target_form f)
{
    switch (f) {
    case CF_TARGET_ORIGIN: return "origin";
    case CF_TARGET_ABSOLUTE: return "absolute";
    case CF_TARGET_AUTHORITY: return "authority";
    case CF_TARGET_ASTERISK: return "asterisk";
    }
    return "unknown";
}

char *cf_field_value_dup(const cf_header *h, size_t *len)
{
    /* A repaired value is never longer than its raw bytes (RFC 9112 §5.2: obs-fold -> SP). */
    size_t cap = h->value.len;
    char *out = malloc(cap ? cap : 1);
    if (!out) return NULL;
    size_t n = cf_field_value_copy(h, out, cap);
    if (n > cap) {
        char *big = realloc(out, n);
        if (!big) {
            free(out);
            return NULL;
        }
        out = big;
        cf_field_value_copy(h, out, n);
    }
    *len = n;
    return out;
}
