/* Names and value views shared by the human and JSON renderings of a parsed message. */
#include "parse_output.h"

#include <stdlib.h>

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
