/* HTTP-date (RFC 9110 §5.6.7): formatting as IMF-fixdate and parsing of all three forms.
 * Used by the built-in server and the compliance rules. */
#ifndef CF_UTIL_HTTP_DATE_H
#define CF_UTIL_HTTP_DATE_H

#include <time.h>

#include "h1_parser.h"

/* Writes t (seconds since the epoch) as an IMF-fixdate (RFC 9110 §5.6.7) into out[40]. */
void cf_http_date_format(time_t t, char out[40]);
/* Parses an HTTP-date in any of its three forms (RFC 9110 §5.6.7); returns 0 and sets *t, or -1
 * when s is not one. */
int cf_http_date_parse(h1_span s, time_t *t);

#endif
