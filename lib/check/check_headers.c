/* Header checks: present, absent, equals, matches, count. Field names compare case-insensitively
 * (RFC 9110 §5.1); equals/matches test the combined field value: every field line's value
 * without leading/trailing whitespace, joined with ", " in order (RFC 9110 §5.3). */
#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool name_is(const cf_obs_field *f, const char *name, size_t len)
{
    if (f->name_len != len) return false;
    for (size_t i = 0; i < len; i++)
        if (lower((unsigned char)f->name[i]) != lower((unsigned char)name[i])) return false;
    return true;
}

/* Whitespace around a field value: OWS is SP / HTAB (RFC 9110 §5.5, §5.6.3). */
static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

long cf_field_combined(const cf_obs_response *resp, const char *name, cf_buf *out)
{
    size_t nlen = strlen(name);
    long lines = 0;
    for (size_t i = 0; i < resp->nfields; i++) {
        const cf_obs_field *f = &resp->fields[i];
        if (!name_is(f, name, nlen)) continue;
        const char *v = f->value ? f->value : "";
        size_t a = 0, b = f->value_len;
        while (a < b && is_ows(v[a]))
            a++;
        while (b > a && is_ows(v[b - 1]))
            b--;
        if (lines++) cf_buf_str(out, ", ");
        cf_buf_add(out, v + a, b - a);
    }
    if (!out->ptr && !out->err) cf_buf_str(out, "");
    return out->err ? -1 : lines;
}

void cf_describe_header(cf_buf *t, const cf_header_check *h)
{
    cf_buf_str(t, "header ");
    cf_text_word(t, h->name, strlen(h->name), CF_CHECK_VALUE_CAP);
    switch (h->op) {
    case CF_HDR_PRESENT: cf_buf_str(t, " present"); break;
    case CF_HDR_ABSENT: cf_buf_str(t, " absent"); break;
    case CF_HDR_EQUALS:
        cf_buf_str(t, " equals ");
        cf_text_quote(t, h->bytes, h->bytes_len, h->bytes_len);
        break;
    case CF_HDR_MATCHES:
        cf_buf_str(t, " matches ");
        cf_text_pattern(t, h->pattern);
        break;
    case CF_HDR_COUNT: cf_buf_fmt(t, " count %zu", h->count); break;
    }
}

/* "present", "\"close\"", "to match /re/", "2 field lines". */
static void expected_value(cf_buf *t, const cf_header_check *h)
{
    switch (h->op) {
    case CF_HDR_PRESENT: cf_buf_str(t, "present"); break;
    case CF_HDR_ABSENT: cf_buf_str(t, "absent"); break;
    case CF_HDR_EQUALS: cf_text_quote(t, h->bytes, h->bytes_len, h->bytes_len); break;
    case CF_HDR_MATCHES:
        cf_buf_str(t, "to match ");
        cf_text_pattern(t, h->pattern);
        break;
    case CF_HDR_COUNT: cf_buf_fmt(t, "%zu field line%s", h->count, h->count == 1 ? "" : "s");
    }
}

/* Whether h holds given the combined value and its number of field lines; sets *rx to a
 * negative PCRE2 code when matching failed. */
static bool holds(const cf_header_check *h, const cf_buf *v, long lines, int *rx)
{
    switch (h->op) {
    case CF_HDR_PRESENT: return lines > 0;
    case CF_HDR_ABSENT: return lines == 0;
    case CF_HDR_EQUALS:
        return lines > 0 && v->len == h->bytes_len && !memcmp(v->ptr, h->bytes, v->len);
    case CF_HDR_MATCHES:
        if (lines == 0) return false;
        *rx = cf_regex_search(h->re, (const uint8_t *)v->ptr, v->len, false);
        return *rx == 1;
    case CF_HDR_COUNT: return (size_t)lines == h->count;
    }
    return false;
}

static void found(cf_buf *t, const cf_header_check *h, const cf_buf *v, long lines, int rx)
{
    if (rx < 0) {
        cf_buf_str(t, ", ");
        cf_regex_error(t, rx);
    } else if (h->op == CF_HDR_COUNT) {
        cf_buf_fmt(t, ", found %ld", lines);
    } else if (lines == 0) {
        cf_buf_str(t, ", not found");
    } else {
        cf_buf_str(t, ", found ");
        cf_text_quote(t, (const uint8_t *)v->ptr, v->len, v->len);
        if (lines > 1) cf_buf_fmt(t, " (%ld field lines)", lines);
    }
}

bool cf_check_header(const cf_header_check *h, const cf_obs_response *resp, const char *prefix,
                     cf_fail_list *fails)
{
    cf_buf v = {0};
    long lines = resp ? cf_field_combined(resp, h->name, &v) : 0;
    int rx = 0;
    bool ok = resp && lines >= 0 && holds(h, &v, lines, &rx);
    if (lines < 0) fails->oom = true;
    if (!ok && lines >= 0) {
        cf_buf t = {0};
        cf_buf_str(&t, "header ");
        cf_text_word(&t, h->name, strlen(h->name), CF_CHECK_VALUE_CAP);
        cf_buf_str(&t, ": expected ");
        expected_value(&t, h);
        if (resp)
            found(&t, h, &v, lines, rx);
        else
            cf_buf_str(&t, ", no response");
        cf_fail_add(fails, prefix, &t);
    }
    cf_buf_free(&v);
    return ok;
}
