/* The one clock of libconform: milliseconds on the monotonic clock, for deadlines and durations
 * (never for dates: those are util_http_date.h's). */
#ifndef CF_UTIL_CLOCK_H
#define CF_UTIL_CLOCK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock (an arbitrary origin; only differences mean anything). */
uint64_t cf_now_ms(void);

#endif
