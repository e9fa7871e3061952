/* The conditional-request modes of the misbehaving servers (misbehave.h): one resource "/" with
 * ETag "v1" and a fixed Last-Modified date, preconditions evaluated in RFC 9110 §13.2.2's order,
 * and each misbehaving mode breaking exactly one requirement. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strptime, timegm */
#endif
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "misbehave.h"

#define ETAG "\"v1\""
#define BODY "<title>hello</title>"

bool cf_mb_field(const char *head, size_t len, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name), n = 0;
    bool found = false;
    out[0] = 0;
    for (const char *p = memchr(head, '\n', len); p && p + 1 < head + len;
         p = memchr(p + 1, '\n', (size_t)(head + len - p - 1))) {
        const char *line = p + 1, *end = memchr(line, '\r', (size_t)(head + len - line));
        if (!end || (size_t)(end - line) <= nl || line[nl] != ':' || strncasecmp(line, name, nl))
            continue;
        const char *v = line + nl + 1;
        while (v < end && (*v == ' ' || *v == '\t'))
            v++;
        int w = snprintf(out + n, cap - n, "%s%.*s", found ? ", " : "", (int)(end - v), v);
        if (w < 0 || (size_t)w >= cap - n) return false;
        n += (size_t)w;
        found = true;
    }
    return found;
}

/* Whether the list value holds tag: strong (RFC 9110 §8.8.3.2: both not weak, opaque-tags equal)
 * or weak (opaque-tags equal, W/ ignored). */
static bool list_has(const char *list, bool weak)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", list);
    for (char *save = NULL, *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        bool w = !strncmp(t, "W/", 2);
        if (w && !weak) continue;
        if (!strcmp(w ? t + 2 : t, ETAG)) return true;
    }
    return false;
}

/* The date of value (IMF-fixdate, RFC 9110 §5.6.7); strict: the whole value, else what follows
 * the date is ignored. -1 when it is no date. */
static time_t date_of(const char *value, bool strict)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || (strict && *end)) return -1;
    return timegm(&tm);
}

/* The status an answer to a GET or HEAD of "/" with these preconditions gets (200, 304, 412). */
static int evaluate(cf_mb_mode mode, const char *head, size_t len)
{
    char v[1024], inm[1024];
    bool lax = mode == CF_MB_COND_LAX_DATES;
    time_t lm = date_of(CF_MB_LAST_MODIFIED, true);
    if (mode == CF_MB_COND_IGNORED) return 200;
    bool im = cf_mb_field(head, len, "If-Match", v, sizeof v);
    if (im && strcmp(v, "*") && !list_has(v, mode == CF_MB_COND_WEAK_IM)) return 412;
    if ((!im || mode == CF_MB_COND_IUS_WITH_IM) &&
        cf_mb_field(head, len, "If-Unmodified-Since", v, sizeof v)) {
        time_t d = date_of(v, !lax);
        if ((d >= 0 || lax) && lm > d) return 412;
    }
    bool has_inm = cf_mb_field(head, len, "If-None-Match", inm, sizeof inm);
    if (has_inm && (!strcmp(inm, "*") || list_has(inm, mode != CF_MB_COND_STRONG_INM))) return 304;
    if ((!has_inm || mode == CF_MB_COND_IMS_WITH_INM) &&
        cf_mb_field(head, len, "If-Modified-Since", v, sizeof v)) {
        time_t d = date_of(v, !lax);
        if (d >= 0 && lm <= d) return 304;
    }
    return 200;
}

/* CF_MB_COND_INCONSISTENT's answer: a GET's 200 is the resource of the other modes with
 * Cache-Control; every other answer carries values that differ from it (the GET's body has 20
 * bytes, the first 5 "<titl"), and the 304 has no Cache-Control. */
static int inconsistent(const char *head, size_t len, char *out, size_t cap)
{
    static const char date[] = "Date: " CF_MB_LAST_MODIFIED "\r\n";
    char v[1024];
    if (!strncmp(head, "HEAD ", 5))
        return snprintf(out, cap,
                        "HTTP/1.1 200 OK\r\n%sETag: \"v2\"\r\nLast-Modified: Mon, 07 Nov 1994 "
                        "08:49:37 GMT\r\nContent-Type: text/plain\r\nContent-Length: 21\r\n\r\n",
                        date);
    if (cf_mb_field(head, len, "Range", v, sizeof v))
        return !strcmp(v, "bytes=0-4")
                   ? snprintf(out, cap,
                              "HTTP/1.1 206 Partial Content\r\n%sETag: " ETAG
                              "\r\nLast-Modified: " CF_MB_LAST_MODIFIED
                              "\r\nContent-Type: text/html\r\nContent-Range: bytes 0-4/99\r\n"
                              "Content-Length: 5\r\n\r\nXXXXX",
                              date)
                   : snprintf(
                         out, cap,
                         "HTTP/1.1 416 Range Not Satisfiable\r\n%sContent-Range: bytes */99\r\n"
                         "Content-Length: 0\r\n\r\n",
                         date);
    if (cf_mb_field(head, len, "If-None-Match", v, sizeof v) && list_has(v, true))
        return snprintf(out, cap,
                        "HTTP/1.1 304 Not Modified\r\n%sETag: \"v2\"\r\nContent-Length: 99\r\n\r\n",
                        date);
    return snprintf(
        out, cap,
        "HTTP/1.1 200 OK\r\n%sETag: " ETAG "\r\nLast-Modified: " CF_MB_LAST_MODIFIED
        "\r\nCache-Control: max-age=60\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n%s",
        date, sizeof BODY - 1, BODY);
}

size_t cf_mb_cond_answer(cf_mb_mode mode, const char *head, size_t len, char *out, size_t cap)
{
    if (mode == CF_MB_COND_INCONSISTENT) {
        int n = inconsistent(head, len, out, cap);
        return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
    }
    static const char date[] = "Date: " CF_MB_LAST_MODIFIED "\r\n";
    char v[1024];
    bool get = !strncmp(head, "GET / ", 6), headm = !strncmp(head, "HEAD / ", 7);
    bool options = !strncmp(head, "OPTIONS / ", 10);
    int status = get || headm ? evaluate(mode, head, len) : options ? 204 : 404;
    if (status == 404 && mode == CF_MB_COND_ON_MISSING &&
        (cf_mb_field(head, len, "If-Match", v, sizeof v) ||
         cf_mb_field(head, len, "If-Unmodified-Since", v, sizeof v)))
        status = 412;
    int w;
    if (status == 200)
        w = snprintf(out, cap,
                     "HTTP/1.1 200 OK\r\n%sETag: " ETAG "\r\nLast-Modified: " CF_MB_LAST_MODIFIED
                     "\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n%s",
                     date, sizeof BODY - 1, headm ? "" : BODY);
    else if (status == 304)
        w = snprintf(out, cap, "HTTP/1.1 304 Not Modified\r\n%s%s\r\n", date,
                     mode == CF_MB_COND_304_BARE ? "" : "ETag: " ETAG "\r\n");
    else if (status == 204)
        w = snprintf(out, cap, "HTTP/1.1 204 No Content\r\n%sAllow: GET, HEAD, OPTIONS\r\n\r\n",
                     date);
    else
        w = snprintf(out, cap,
                     "HTTP/1.1 %d %s\r\n%sContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n",
                     status, status == 412 ? "Precondition Failed" : "Not Found", date);
    return w < 0 || (size_t)w >= cap ? 0 : (size_t)w;
}
