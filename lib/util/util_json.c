/* Streaming JSON writer (RFC 8259) to a FILE* or a growable buffer. */
#include "util_json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util_utf8.h"

void cf_json_init_file(cf_json *j, FILE *fp)
{
    memset(j, 0, sizeof *j);
    j->fp = fp;
}

void cf_json_init_buffer(cf_json *j)
{
    memset(j, 0, sizeof *j);
}

void cf_json_free(cf_json *j)
{
    cf_buf_free(&j->out);
}

const char *cf_json_data(const cf_json *j, size_t *len)
{
    if (len) *len = j->out.len;
    return j->out.ptr ? j->out.ptr : "";
}

int cf_json_error(const cf_json *j)
{
    return j->err || j->depth != 0 || j->after_key;
}

/* Appends n bytes to the destination; failures set the sticky error. */
static void put(cf_json *j, const char *s, size_t n)
{
    if (j->err || n == 0) return;
    if (j->fp) {
        if (fwrite(s, 1, n, j->fp) != n) j->err = 1;
        return;
    }
    cf_buf_add(&j->out, s, n);
    if (j->out.err) j->err = 1;
}

/* Writes the separator a new value needs; a value inside an object needs a key first. */
static void before_value(cf_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth == 0) return;
    if (j->is_object[j->depth - 1]) {
        j->err = 1; /* object member without a key */
        return;
    }
    if (j->count[j->depth - 1]) put(j, ",", 1);
    j->count[j->depth - 1] = 1;
}

static void begin(cf_json *j, int object)
{
    before_value(j);
    if (j->depth >= CF_JSON_MAX_DEPTH) {
        j->err = 1;
        return;
    }
    j->is_object[j->depth] = (unsigned char)object;
    j->count[j->depth] = 0;
    j->depth++;
    put(j, object ? "{" : "[", 1);
}

static void end(cf_json *j, int object)
{
    if (j->depth == 0 || j->is_object[j->depth - 1] != object || j->after_key) {
        j->err = 1;
        return;
    }
    j->depth--;
    put(j, object ? "}" : "]", 1);
}

void cf_json_begin_object(cf_json *j)
{
    begin(j, 1);
}

void cf_json_end_object(cf_json *j)
{
    end(j, 1);
}

void cf_json_begin_array(cf_json *j)
{
    begin(j, 0);
}

void cf_json_end_array(cf_json *j)
{
    end(j, 0);
}

/* Writes the quoted, escaped form of s[0..n) (RFC 8259 §7): bytes read as Latin-1, or when
 * utf8 is set, well-formed UTF-8 sequences copied and only stray bytes read as Latin-1. */
static void put_quoted(cf_json *j, const char *s, size_t n, int utf8)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0; /* start of the pending run of bytes that need no escape */
    put(j, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        size_t elen = 2, seq;
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') continue;
        if (utf8 && c >= 0x80 && (seq = cf_utf8_seq_len((const unsigned char *)s + i, n - i)) > 0) {
            i += seq - 1;
            continue;
        }
        put(j, s + run, i - run);
        run = i + 1;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default: /* other controls, DEL, and 0x80..0xFF as the code point U+00XX */
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xf];
            elen = 6;
        }
        put(j, esc, elen);
    }
    put(j, s + run, n - run);
    put(j, "\"", 1);
}

void cf_json_key(cf_json *j, const char *key)
{
    if (j->depth == 0 || !j->is_object[j->depth - 1] || j->after_key) {
        j->err = 1;
        return;
    }
    if (j->count[j->depth - 1]) put(j, ",", 1);
    j->count[j->depth - 1] = 1;
    put_quoted(j, key, strlen(key), 1);
    put(j, ":", 1);
    j->after_key = 1;
}

void cf_json_string_n(cf_json *j, const char *s, size_t n)
{
    before_value(j);
    put_quoted(j, s, n, 0);
}

void cf_json_text_n(cf_json *j, const char *s, size_t n)
{
    before_value(j);
    put_quoted(j, s, n, 1);
}

void cf_json_text(cf_json *j, const char *s)
{
    if (!s) {
        cf_json_null(j);
        return;
    }
    cf_json_text_n(j, s, strlen(s));
}

void cf_json_string(cf_json *j, const char *s)
{
    if (!s) {
        cf_json_null(j);
        return;
    }
    cf_json_string_n(j, s, strlen(s));
}

void cf_json_uint(cf_json *j, uint64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%" PRIu64, v);
    before_value(j);
    put(j, tmp, (size_t)n);
}

void cf_json_int(cf_json *j, int64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%" PRId64, v);
    before_value(j);
    put(j, tmp, (size_t)n);
}

void cf_json_bool(cf_json *j, int v)
{
    before_value(j);
    put(j, v ? "true" : "false", v ? 4 : 5);
}

void cf_json_null(cf_json *j)
{
    before_value(j);
    put(j, "null", 4);
}

void cf_json_splice(cf_json *j, FILE *src, uint64_t len)
{
    before_value(j);
    char chunk[65536];
    while (len > 0 && !j->err) {
        size_t want = len < sizeof chunk ? (size_t)len : sizeof chunk;
        size_t got = fread(chunk, 1, want, src);
        if (got == 0) {
            j->err = 1;
            break;
        }
        put(j, chunk, got);
        len -= got;
    }
}
