/* Character-class tables shared by the parser's files (internal to parsers/). */
#ifndef CF_CHARS_H
#define CF_CHARS_H

#include <stdint.h>

enum { CF_URI_OK = 1, CF_URI_PCT = 2, CF_URI_BRACKET = 4, CF_URI_REG = 8 };

extern const uint8_t cf_tchar[256];      /* 1 for tchar (RFC 9110 §5.6.2) */
extern const uint8_t cf_value_stop[256]; /* 1 for CTL and DEL (RFC 9110 §5.5) */
extern const uint8_t cf_uri_class[256];  /* CF_URI_* bits (RFC 3986 §2) */
extern const uint8_t cf_hex[256];        /* HEXDIG value or 255 */
extern const uint8_t cf_reason_ok[256];  /* reason-phrase bytes (RFC 9112 §4) */

#endif
