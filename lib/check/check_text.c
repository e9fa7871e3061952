/* The checker's texts: a string builder, escaping and capping of values, the failure list. */
#include "check_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_utf8.h"

/* The escaped form of byte c into out (at most 4 characters); returns its length. A quote and a
 * backslash are escaped only inside quotes. */
static size_t escape_byte(unsigned char c, bool quotes, char out[4])
{
    static const char hex[] = "0123456789ABCDEF";
    switch (c) {
    case '\r': memcpy(out, "\\r", 2); return 2;
    case '\n': memcpy(out, "\\n", 2); return 2;
    case '\t': memcpy(out, "\\t", 2); return 2;
    case '\\':
    case '"':
        if (!quotes) break;
        out[0] = '\\';
        out[1] = (char)c;
        return 2;
    default: break;
    }
    if (c >= 0x20 && c < 0x7F) {
        out[0] = (char)c;
        return 1;
    }
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex[c >> 4];
    out[3] = hex[c & 15];
    return 4;
}

/* Appends p[0..len) escaped, stopping before cap characters are passed; returns the bytes of p
 * written. Bytes are wire bytes (every byte above 0x7E escaped) unless text is set: then valid
 * UTF-8 sequences are kept (pattern text as written in the spec). */
static size_t add_escaped(cf_buf *t, const uint8_t *p, size_t len, size_t cap, bool text,
                          bool quotes)
{
    size_t used = 0, i = 0;
    while (i < len) {
        size_t u = text && p[i] >= 0x80 ? cf_utf8_seq_len(p + i, len - i) : 0;
        if (u) {
            if (used + 1 > cap) break;
            cf_buf_add(t, (const char *)p + i, u);
            used++;
            i += u;
            continue;
        }
        char e[4];
        size_t n = escape_byte(p[i], quotes, e);
        if (used + n > cap) break;
        cf_buf_add(t, e, n);
        used += n;
        i++;
    }
    return i;
}

void cf_text_quote(cf_buf *t, const uint8_t *p, size_t len, uint64_t total)
{
    cf_buf_str(t, "\"");
    size_t shown =
        add_escaped(t, p ? p : (const uint8_t *)"", len, CF_CHECK_VALUE_CAP, false, true);
    cf_buf_str(t, "\"");
    if (shown < total) cf_buf_fmt(t, "\xE2\x80\xA6(%llu bytes)", (unsigned long long)total);
}

void cf_text_pattern(cf_buf *t, const char *pattern)
{
    const char *p = pattern ? pattern : "";
    size_t len = strlen(p);
    cf_buf_str(t, "/");
    size_t shown = add_escaped(t, (const uint8_t *)p, len, CF_CHECK_VALUE_CAP, true, false);
    cf_buf_str(t, "/");
    if (shown < len) cf_buf_fmt(t, "\xE2\x80\xA6(%zu bytes)", len);
}

void cf_text_word(cf_buf *t, const char *p, size_t len, size_t cap)
{
    size_t shown = add_escaped(t, (const uint8_t *)(p ? p : ""), len, cap, false, false);
    if (shown < len) cf_buf_str(t, "\xE2\x80\xA6");
}

/* Appends the line prefix + t (t emptied) to items. */
static void add_line(cf_fail_list *l, char ***items, size_t *n, size_t *cap, const char *prefix,
                     cf_buf *t)
{
    cf_buf line = {0};
    cf_buf_str(&line, prefix ? prefix : "");
    cf_buf_add(&line, t->ptr ? t->ptr : "", t->len);
    bool oom = t->err;
    cf_buf_free(t);
    char *s = cf_buf_take(&line);
    if (!s || oom || l->oom) {
        free(s);
        l->oom = true;
        return;
    }
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        char **na = realloc(*items, nc * sizeof *na);
        if (!na) {
            free(s);
            l->oom = true;
            return;
        }
        *items = na;
        *cap = nc;
    }
    (*items)[(*n)++] = s;
}

void cf_fail_add(cf_fail_list *l, const char *prefix, cf_buf *t)
{
    add_line(l, &l->items, &l->n, &l->cap, prefix, t);
}

void cf_skip_add(cf_fail_list *l, const char *prefix, cf_buf *t)
{
    add_line(l, &l->skips, &l->nskips, &l->skip_cap, prefix, t);
}

void cf_fail_list_free(cf_fail_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    for (size_t i = 0; i < l->nskips; i++)
        free(l->skips[i]);
    free(l->skips);
    memset(l, 0, sizeof *l);
}
