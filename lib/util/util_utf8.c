/* UTF-8 validation (util_utf8.h). */
#include "util_utf8.h"

size_t cf_utf8_seq_len(const unsigned char *s, size_t n)
{
    if (n == 0) return 0;
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte (RFC 3629 §4) */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return len;
}

size_t cf_utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
    size_t len = cf_utf8_seq_len(s, n);
    if (len == 0) return 0;
    static const unsigned char lead_bits[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    unsigned long v = s[0] & lead_bits[len];
    for (size_t k = 1; k < len; k++)
        v = (v << 6) | (s[k] & 0x3F);
    *cp = v;
    return len;
}
