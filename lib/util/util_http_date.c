/* HTTP-date (RFC 9110 §5.6.7): IMF-fixdate formatting, and parsing of all three forms. */
#include "util_http_date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const day_short[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const day_long[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const month_name[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* A cursor over the value; every matcher advances it only on success. */
typedef struct cur {
    const char *p, *end;
} cur;

static int lit(cur *c, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0) return 0;
    c->p += n;
    return 1;
}

/* Exactly n digits (n <= 4) into *v. */
static int digits(cur *c, int n, int *v)
{
    if (c->end - c->p < n) return 0;
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (c->p[i] < '0' || c->p[i] > '9') return 0;
        x = x * 10 + (c->p[i] - '0');
    }
    c->p += n;
    *v = x;
    return 1;
}

static int month(cur *c, int *m)
{
    for (int i = 0; i < 12; i++)
        if (lit(c, month_name[i])) return *m = i, 1;
    return 0;
}

/* time-of-day = hour ":" minute ":" second; second may be 60 (leap second). */
static int clock_time(cur *c, struct tm *tm)
{
    return digits(c, 2, &tm->tm_hour) && lit(c, ":") && digits(c, 2, &tm->tm_min) && lit(c, ":") &&
           digits(c, 2, &tm->tm_sec) && tm->tm_hour < 24 && tm->tm_min < 60 && tm->tm_sec <= 60;
}

static int day_name(cur *c, const char *const *names, int *wday)
{
    for (int i = 0; i < 7; i++)
        if (lit(c, names[i])) return *wday = i, 1;
    return 0;
}

/* IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT ; date1 = day SP month SP year */
static int imf_fixdate(cur c, struct tm *tm)
{
    int wday;
    return day_name(&c, day_short, &wday) && lit(&c, ", ") && digits(&c, 2, &tm->tm_mday) &&
           lit(&c, " ") && month(&c, &tm->tm_mon) && lit(&c, " ") && digits(&c, 4, &tm->tm_year) &&
           lit(&c, " ") && clock_time(&c, tm) && lit(&c, " GMT") && c.p == c.end &&
           (tm->tm_year -= 1900, 1);
}

/* rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT ; date2 = day "-" month "-" 2DIGIT.
 * RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century. */
static int rfc850(cur c, struct tm *tm, int now_year)
{
    int wday, yy;
    if (!(day_name(&c, day_long, &wday) && lit(&c, ", ") && digits(&c, 2, &tm->tm_mday) &&
          lit(&c, "-") && month(&c, &tm->tm_mon) && lit(&c, "-") && digits(&c, 2, &yy) &&
          lit(&c, " ") && clock_time(&c, tm) && lit(&c, " GMT") && c.p == c.end))
        return 0;
    int year = now_year - now_year % 100 + yy;
    if (year > now_year + 50) year -= 100;
    tm->tm_year = year - 1900;
    return 1;
}

/* asctime-date = day-name SP date3 SP time-of-day SP year ; date3 = month SP ( 2DIGIT / ( SP
 * DIGIT ) ) */
static int asctime_date(cur c, struct tm *tm)
{
    int wday;
    if (!(day_name(&c, day_short, &wday) && lit(&c, " ") && month(&c, &tm->tm_mon) && lit(&c, " ")))
        return 0;
    if (!(lit(&c, " ") ? digits(&c, 1, &tm->tm_mday) : digits(&c, 2, &tm->tm_mday))) return 0;
    if (!(lit(&c, " ") && clock_time(&c, tm) && lit(&c, " ") && digits(&c, 4, &tm->tm_year) &&
          c.p == c.end))
        return 0;
    tm->tm_year -= 1900;
    return 1;
}

int cf_http_date_parse(h1_span s, time_t *t)
{
    struct tm tm, now_tm;
    memset(&tm, 0, sizeof tm);
    time_t now = time(NULL);
    gmtime_r(&now, &now_tm);
    cur c = {s.ptr, s.ptr + s.len};
    if (!imf_fixdate(c, &tm) && !rfc850(c, &tm, now_tm.tm_year + 1900) && !asctime_date(c, &tm))
        return -1;
    if (tm.tm_mday < 1 || tm.tm_mday > 31) return -1;
    *t = timegm(&tm);
    return 0;
}

void cf_http_date_format(time_t t, char out[40])
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
