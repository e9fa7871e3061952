/* The growable byte buffer (util_buf.h). */
#include "util_buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cf_buf_reserve(cf_buf *b, size_t extra)
{
    if (b->err) return -1;
    if (b->ptr && extra < b->cap - b->len) return 0;
    if (extra > SIZE_MAX / 4 - b->len) return b->err = 1, -1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len <= extra)
        cap *= 2;
    char *p = realloc(b->ptr, cap);
    if (!p) return b->err = 1, -1;
    b->ptr = p;
    b->cap = cap;
    b->ptr[b->len] = '\0';
    return 0;
}

int cf_buf_add(cf_buf *b, const void *p, size_t n)
{
    if (cf_buf_reserve(b, n) != 0) return -1;
    if (n == 0) return 0;
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

void cf_buf_str(cf_buf *b, const char *s)
{
    cf_buf_add(b, s, strlen(s));
}

void cf_buf_escape(cf_buf *b, const void *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF", named[] = "\r\n\t\\\"", as[] = "rnt\\\"";
    for (const unsigned char *c = p, *end = c + n; c < end && !b->err; c++) {
        const char *k = *c ? strchr(named, *c) : NULL;
        char e[4] = {'\\', k ? as[k - named] : 'x', hex[*c >> 4], hex[*c & 15]};
        if (k)
            cf_buf_add(b, e, 2);
        else if (*c >= 0x20 && *c < 0x7F)
            cf_buf_add(b, c, 1);
        else
            cf_buf_add(b, e, 4);
    }
}

/* Appends printf-style text from a va_list. */
static void buf_vfmt(cf_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) {
        b->err = 1;
    } else if (cf_buf_reserve(b, (size_t)n) == 0) {
        vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void cf_buf_fmt(cf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vfmt(b, fmt, ap);
    va_end(ap);
}

char *cf_vstrfmt(const char *fmt, va_list ap)
{
    cf_buf b = {0};
    buf_vfmt(&b, fmt, ap);
    return cf_buf_take(&b);
}

char *cf_strfmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = cf_vstrfmt(fmt, ap);
    va_end(ap);
    return s;
}

char *cf_buf_take(cf_buf *b)
{
    cf_buf_reserve(b, 0);
    if (b->err) {
        cf_buf_free(b);
        return NULL;
    }
    char *s = b->ptr;
    memset(b, 0, sizeof *b);
    return s;
}

void cf_buf_free(cf_buf *b)
{
    free(b->ptr);
    memset(b, 0, sizeof *b);
}

uint32_t cf_fnv1a32(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

uint64_t cf_fnv1a64(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h;
}
