/* Unit tests of lib/util/util_json.c: structure, escaping of every byte, numbers, misuse. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_json.h"

/* The JSON text of one string value written from s[0..n). */
static char *quoted(const char *s, size_t n)
{
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_string_n(&j, s, n);
    cr_assert_eq(cf_json_error(&j), 0);
    char *out = strdup(cf_json_data(&j, NULL));
    cf_json_free(&j);
    return out;
}

static void expect_quoted(const char *in, size_t n, const char *want)
{
    char *got = quoted(in, n);
    cr_assert_str_eq(got, want, "input of %zu bytes", n);
    free(got);
}

Test(json_writer, object_and_array_structure)
{
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_begin_object(&j);
    cf_json_key(&j, "a");
    cf_json_uint(&j, 1);
    cf_json_key(&j, "b");
    cf_json_begin_array(&j);
    cf_json_bool(&j, 1);
    cf_json_bool(&j, 0);
    cf_json_null(&j);
    cf_json_begin_array(&j);
    cf_json_end_array(&j);
    cf_json_begin_object(&j);
    cf_json_end_object(&j);
    cf_json_string(&j, "x");
    cf_json_end_array(&j);
    cf_json_key(&j, "c");
    cf_json_string(&j, NULL);
    cf_json_end_object(&j);
    cr_assert_eq(cf_json_error(&j), 0);
    cr_assert_str_eq(cf_json_data(&j, NULL),
                     "{\"a\":1,\"b\":[true,false,null,[],{},\"x\"],\"c\":null}");
    cf_json_free(&j);
}

Test(json_writer, short_escapes_quotes_and_backslash)
{
    expect_quoted("a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"");
    expect_quoted("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
    expect_quoted("", 0, "\"\"");
}

Test(json_writer, other_controls_del_and_nul_as_u00XX)
{
    expect_quoted("\x00", 1, "\"\\u0000\"");
    expect_quoted("\x01\x1f", 2, "\"\\u0001\\u001f\"");
    expect_quoted("\x0b", 1, "\"\\u000b\"");
    expect_quoted("\x7f", 1, "\"\\u007f\"");
}

Test(json_writer, high_bytes_are_latin1_code_points)
{
    expect_quoted("caf\xe9", 4, "\"caf\\u00e9\"");
    expect_quoted("\x80\xff", 2, "\"\\u0080\\u00ff\"");
    /* UTF-8 input is not decoded: each byte is its own code point. */
    expect_quoted("\xc3\xa9", 2, "\"\\u00c3\\u00a9\"");
}

static void expect_text(const char *in, const char *want)
{
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_text(&j, in);
    cr_assert_eq(cf_json_error(&j), 0);
    cr_assert_str_eq(cf_json_data(&j, NULL), want, "input %s", in);
    cf_json_free(&j);
}

Test(json_writer, text_keeps_well_formed_utf8)
{
    expect_text("RFC 9112 \xc2\xa7"
                "5.2",
                "\"RFC 9112 \xc2\xa7"
                "5.2\"");
    expect_text("\xe2\x82\xac \xf0\x9f\x98\x80", "\"\xe2\x82\xac \xf0\x9f\x98\x80\"");
    expect_text("q\"\\\n", "\"q\\\"\\\\\\n\"");
}

Test(json_writer, text_escapes_stray_bytes_as_code_points)
{
    expect_text("caf\xe9", "\"caf\\u00e9\"");                            /* Latin-1, not UTF-8 */
    expect_text("\xc0\xaf", "\"\\u00c0\\u00af\"");                       /* overlong */
    expect_text("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");            /* surrogate */
    expect_text("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\""); /* > U+10FFFF */
    expect_text("\xe2\x82", "\"\\u00e2\\u0082\"");                       /* cut short */
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_text(&j, NULL);
    cr_assert_str_eq(cf_json_data(&j, NULL), "null");
    cf_json_free(&j);
}

/* Decodes one JSON string literal (the subset the writer emits) back to bytes; -1 if the text
 * is not that subset or holds a code point above U+00FF. An independent check of every byte. */
static long decode_one(const char *t, unsigned char *out)
{
    size_t n = strlen(t), o = 0;
    if (n < 2 || t[0] != '"' || t[n - 1] != '"') return -1;
    for (size_t i = 1; i < n - 1; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c < 0x20 || c >= 0x7f || c == '"') return -1; /* raw bytes must not appear */
        if (c != '\\') {
            out[o++] = c;
            continue;
        }
        char e = t[++i];
        const char *simple = strchr("\"\\/bfnrt", e);
        static const char vals[] = "\"\\/\b\f\n\r\t";
        if (e && simple) {
            out[o++] = (unsigned char)vals[simple - "\"\\/bfnrt"];
        } else if (e == 'u') {
            unsigned v;
            if (sscanf(t + i + 1, "%4x", &v) != 1 || v > 0xff) return -1;
            out[o++] = (unsigned char)v;
            i += 4;
        } else {
            return -1;
        }
    }
    return (long)o;
}

Test(json_writer, every_byte_round_trips)
{
    for (int b = 0; b < 256; b++) {
        char in = (char)b;
        unsigned char back[8];
        char *t = quoted(&in, 1);
        cr_assert_eq(decode_one(t, back), 1, "byte 0x%02x written as %s", b, t);
        cr_assert_eq(back[0], b, "byte 0x%02x written as %s", b, t);
        free(t);
    }
}

/* A real JSON parser (python3) reads the 256 bytes back as U+0000..U+00FF. */
Test(json_writer, python_reads_all_bytes_as_code_points)
{
    char all[256];
    for (int b = 0; b < 256; b++)
        all[b] = (char)b;
    char path[] = "/tmp/cf_json_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cf_json j;
    cf_json_init_file(&j, f);
    cf_json_begin_object(&j);
    cf_json_key(&j, "s\"k\x01");
    cf_json_string_n(&j, all, sizeof all);
    cf_json_end_object(&j);
    cr_assert_eq(cf_json_error(&j), 0);
    cr_assert_eq(fclose(f), 0);
    char cmd[640];
    snprintf(cmd, sizeof cmd,
             "PY=/usr/bin/python3; [ -x $PY ] || PY=python3; "
             "$PY -c 'import json,sys; d=json.load(open(sys.argv[1], encoding=\"ascii\")); "
             "sys.exit(0 if d == {\"s\\\"k\\x01\": \"\".join(map(chr, range(256)))} else 1)' %s",
             path);
    int rc = system(cmd);
    unlink(path);
    cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "python3 disagreed (status %d)", rc);
}

Test(json_writer, integers_at_their_limits)
{
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_begin_array(&j);
    cf_json_uint(&j, UINT64_MAX);
    cf_json_int(&j, INT64_MIN);
    cf_json_int(&j, -1);
    cf_json_uint(&j, 0);
    cf_json_end_array(&j);
    cr_assert_str_eq(cf_json_data(&j, NULL), "[18446744073709551615,-9223372036854775808,-1,0]");
    cf_json_free(&j);
}

Test(json_writer, buffer_grows_for_long_strings)
{
    size_t n = 300000;
    char *big = malloc(n);
    memset(big, 'z', n);
    big[n - 1] = '\n';
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_string_n(&j, big, n);
    size_t len;
    const char *t = cf_json_data(&j, &len);
    cr_assert_eq(len, n + 3); /* quotes, and "\n" takes two characters */
    cr_assert_eq(strcmp(t + len - 3, "\\n\""), 0);
    cr_assert_eq(cf_json_error(&j), 0);
    cf_json_free(&j);
    free(big);
}

Test(json_writer, misuse_is_an_error)
{
    cf_json j;
    cf_json_init_buffer(&j);
    cf_json_begin_object(&j);
    cf_json_uint(&j, 1); /* a member without a key */
    cf_json_end_object(&j);
    cr_assert_neq(cf_json_error(&j), 0);
    cf_json_free(&j);

    cf_json_init_buffer(&j);
    cf_json_begin_array(&j);
    cf_json_end_object(&j); /* mismatched close */
    cr_assert_neq(cf_json_error(&j), 0);
    cf_json_free(&j);

    cf_json_init_buffer(&j);
    cf_json_begin_array(&j); /* left open */
    cr_assert_neq(cf_json_error(&j), 0);
    cf_json_free(&j);

    cf_json_init_buffer(&j);
    cf_json_key(&j, "k"); /* a key outside an object */
    cr_assert_neq(cf_json_error(&j), 0);
    cf_json_free(&j);
}

Test(json_writer, too_deep_nesting_is_an_error)
{
    cf_json j;
    cf_json_init_buffer(&j);
    for (int i = 0; i <= CF_JSON_MAX_DEPTH; i++)
        cf_json_begin_array(&j);
    cr_assert_neq(cf_json_error(&j), 0);
    cf_json_free(&j);
}

Test(json_writer, file_write_failure_is_reported)
{
    FILE *f = fopen("/dev/full", "w");
    cr_assert(f != NULL);
    setvbuf(f, NULL, _IONBF, 0);
    cf_json j;
    cf_json_init_file(&j, f);
    cf_json_string(&j, "x");
    cr_assert_neq(cf_json_error(&j), 0);
    fclose(f);
}
