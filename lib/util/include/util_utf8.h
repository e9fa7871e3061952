/* The one UTF-8 validator of libconform (RFC 3629 §4): reporters keep well-formed text as it is
 * and escape every other byte. */
#ifndef CF_UTIL_UTF8_H
#define CF_UTIL_UTF8_H

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence starting at s[0..n) (1..4; 1 for ASCII), or 0 when
 * s[0] does not start one (overlong forms, surrogates and code points past U+10FFFF are not well
 * formed, RFC 3629 §4) or n is 0. */
size_t cf_utf8_seq_len(const unsigned char *s, size_t n);

/* Decodes the well-formed sequence starting at s[0..n): returns its length as cf_utf8_seq_len
 * does and sets *cp to its code point (untouched when the length is 0). */
size_t cf_utf8_decode(const unsigned char *s, size_t n, unsigned long *cp);

#endif
