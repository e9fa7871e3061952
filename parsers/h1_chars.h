/* Character-class tables shared by the parser's files (internal to parsers/). */
#ifndef H1_CHARS_H
#define H1_CHARS_H

#include <stdint.h>

enum { H1_URI_OK = 1, H1_URI_PCT = 2, H1_URI_BRACKET = 4, H1_URI_REG = 8 };

extern const uint8_t h1_tchar[256];      /* 1 for tchar (RFC 9110 §5.6.2) */
extern const uint8_t h1_value_stop[256]; /* 1 for CTL and DEL (RFC 9110 §5.5) */
extern const uint8_t h1_uri_class[256];  /* H1_URI_* bits (RFC 3986 §2) */
extern const uint8_t h1_hex[256];        /* HEXDIG value or 255 */
extern const uint8_t h1_reason_ok[256];  /* reason-phrase bytes (RFC 9112 §4) */

#endif
