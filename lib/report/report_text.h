/* Small helpers the text report formats share: UTF-8 checking, and seconds from milliseconds. */
#ifndef CF_REPORT_TEXT_H
#define CF_REPORT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Length of the well-formed UTF-8 sequence starting at s[0..n) (1..4), or 0 when s[0] does not
 * start one (overlong forms, surrogates and code points past U+10FFFF are not well formed). */
size_t cf_utf8_seq_len(const unsigned char *s, size_t n);

/* Writes ms as seconds with three decimals ("1.234"). */
void cf_report_put_seconds(FILE *out, uint64_t ms);

#endif
