/* Small helpers the text report formats share: seconds from milliseconds. UTF-8 checking is
 * util_utf8.h. */
#ifndef CF_REPORT_TEXT_H
#define CF_REPORT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util_utf8.h"

/* Writes ms as seconds with three decimals ("1.234"). */
void cf_report_put_seconds(FILE *out, uint64_t ms);

#endif
