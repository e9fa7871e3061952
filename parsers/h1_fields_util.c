/* Helpers for reading parsed field lines: name lookup and the repaired view of a value. */
#include <stdint.h>
#include <string.h>

#include "h1_parser.h"

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int h1_span_ieq(h1_span s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s.ptr[i]) != lower((unsigned char)lit[i])) return 0;
    return 1;
}

size_t h1_header_find(const h1_header *h, size_t n, const char *name, size_t start)
{
    for (size_t i = start; i < n; i++)
        if (h1_span_ieq(h[i].name, name)) return i;
    return SIZE_MAX;
}

/* RFC 9112 §5.2: each obs-fold becomes SP; §2.2: a bare CR becomes SP; RFC 9110 §5.5: NUL and
 * other CTLs become SP. HTAB stays. CRLF (or LF) + whitespace folds to one SP. */
size_t h1_field_value_copy(const h1_header *h, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)h->value.ptr;
    size_t n = h->value.len, o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c == '\r' && i + 1 < n && s[i + 1] == '\n') continue; /* the LF below produces the SP */
        if (c == '\n') {
            while (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t'))
                i++;
            c = ' ';
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            c = ' ';
        }
        if (o < cap) out[o] = (char)c;
        o++;
    }
    return o;
}
