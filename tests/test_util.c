/* lib/util: the growable buffer (util_buf.h), the whole-file reader (util_file.h), the atomic
 * writer (util_atomic.h) and UTF-8 validation (util_utf8.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf_dir.h"
#include "util_atomic.h"
#include "util_buf.h"
#include "util_file.h"
#include "util_term.h"
#include "util_utf8.h"

Test(util_buf, appends_keep_a_c_string)
{
    cf_buf b = {0};
    cf_buf_str(&b, "");
    cr_assert_not_null(b.ptr, "an empty append still gives a C string");
    cr_assert_str_eq(b.ptr, "");
    for (int i = 0; i < 1000; i++)
        cf_buf_fmt(&b, "%d,", i % 10);
    cf_buf_add(&b, "a\0b", 3);
    cr_assert_eq(b.len, 2003);
    cr_assert_eq(b.ptr[b.len], '\0');
    cr_assert_eq(memcmp(b.ptr, "0,1,2,", 6), 0);
    cr_assert_eq(memcmp(b.ptr + 2000, "a\0b", 3), 0);
    cr_assert_eq(b.err, 0);
    char *s = cf_buf_take(&b);
    cr_assert_null(b.ptr);
    cr_assert_eq(b.len, 0);
    cr_assert_eq(strncmp(s, "0,1,", 4), 0);
    free(s);
}

Test(util_buf, escape_quotes_wire_bytes_on_one_line)
{
    cf_buf b = {0};
    static const char in[] = "SSH-2.0\r\n\t\"q\\ \x00\x7f\xff~";
    cf_buf_escape(&b, in, sizeof in - 1);
    cr_expect_str_eq(b.ptr, "SSH-2.0\\r\\n\\t\\\"q\\\\ \\x00\\x7F\\xFF~");
    cf_buf_free(&b);
}

Test(util_buf, take_of_an_untouched_buffer_is_empty_string)
{
    cf_buf b = {0};
    char *s = cf_buf_take(&b);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(util_buf, error_is_sticky)
{
    cf_buf b = {0};
    cf_buf_str(&b, "x");
    cr_assert_eq(cf_buf_reserve(&b, SIZE_MAX / 2), -1);
    cr_assert_neq(b.err, 0);
    cf_buf_str(&b, "more");
    cr_assert_eq(b.len, 1, "nothing is appended after an error");
    cr_assert_null(cf_buf_take(&b));
    cr_assert_null(b.ptr);
}

static void write_file(const char *path, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    for (size_t i = 0; i < n; i++)
        fputc('a' + (int)(i % 26), f);
    fclose(f);
}

Test(util_file, reads_up_to_the_cap)
{
    char dir[] = "/tmp/cf_util_file_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/f", dir);
    write_file(path, 100000);
    char *text;
    size_t len;
    cr_assert_eq(cf_file_read(path, 100000, &text, &len), CF_FILE_OK);
    cr_assert_eq(len, 100000);
    cr_assert_eq(text[len], '\0');
    cr_assert_eq(text[99999], 'a' + 99999 % 26);
    free(text);
    cr_assert_eq(cf_file_read(path, 99999, &text, &len), CF_FILE_TOO_LARGE);
    cr_assert_null(text);
    write_file(path, 0);
    cr_assert_eq(cf_file_read(path, 10, &text, &len), CF_FILE_OK);
    cr_assert_eq(len, 0);
    cr_assert_str_eq(text, "");
    free(text);
    unlink(path);
    cr_assert_eq(cf_file_read(path, 10, &text, &len), CF_FILE_ERRNO);
    cr_assert_str_eq(cf_file_strerror(CF_FILE_ERRNO), strerror(ENOENT));
    cr_assert_eq(mkfifo(path, 0600), 0);
    cr_assert_eq(cf_file_read(path, 10, &text, &len), CF_FILE_NOT_REGULAR);
    cr_assert_str_eq(cf_file_strerror(CF_FILE_NOT_REGULAR), "not a regular file");
    cr_assert_eq(cf_file_read(dir, 10, &text, &len), CF_FILE_NOT_REGULAR);
    cr_assert_str_eq(cf_file_strerror(CF_FILE_NOT_REGULAR), "a directory, not a file");
    unlink(path);
    rmdir(dir);
}

/* Terminal text: printable UTF-8 kept, every control (C0, DEL, C1) and ill-formed byte escaped. */
Test(util_term, controls_and_ill_formed_bytes_are_escaped)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"plain §5.1 café", "plain §5.1 café"},
        {"\x1b]0;owned\x07\x1b[2J", "\\x1B]0;owned\\x07\\x1B[2J"},
        {"a\r\n\tb\\c\"", "a\\r\\n\\tb\\c\""}, /* backslash and quote kept */
        {"del\x7f c1\xc2\x9b" "31m nbsp\xc2\xa0", "del\\x7F c1\\xC2\\x9B31m nbsp\xc2\xa0"},
        {"bad\xff\xc0\xaf end\xe2\x82", "bad\\xFF\\xC0\\xAF end\\xE2\\x82"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cf_term_texts tt = {0};
        const char *got = cf_term_text(&tt, rows[i].in);
        cr_expect_str_eq(got, rows[i].want, "row %zu", i);
        cr_expect_eq(cf_term_clean(rows[i].in, strlen(rows[i].in)),
                     !strcmp(rows[i].in, rows[i].want), "row %zu", i);
        if (!strcmp(rows[i].in, rows[i].want))
            cr_expect_eq(got, rows[i].in, "clean text is not copied");
        cf_term_texts_free(&tt);
    }
}

Test(util_term, more_texts_than_the_scratch_holds_are_withheld)
{
    cf_term_texts tt = {0};
    for (int i = 0; i < CF_TERM_TEXTS; i++)
        cr_assert_str_eq(cf_term_text(&tt, "\x1b"), "\\x1B");
    cr_assert_str_eq(cf_term_text(&tt, "\x1b"), "(text not shown)");
    cr_assert_str_eq(cf_term_text(&tt, NULL), "");
    cf_term_texts_free(&tt);
}

/* RFC 3629 §4 (the UTF8-octets grammar): one row per boundary of the well-formed ranges. */
Test(util_utf8, well_formed_sequences_by_rfc3629)
{
    static const struct {
        const char *bytes;
        size_t n, want;
    } rows[] = {
        {"A", 1, 1},
        {"\x7F", 1, 1},
        {"\x80", 1, 0},                 /* continuation byte first */
        {"\xC1\xBF", 2, 0},             /* overlong 2-byte */
        {"\xC2\x80", 2, 2},             /* U+0080 */
        {"\xDF\xBF", 2, 2},             /* U+07FF */
        {"\xC2", 1, 0},                 /* cut short */
        {"\xC2\x41", 2, 0},             /* no continuation */
        {"\xE0\x9F\xBF", 3, 0},         /* overlong 3-byte */
        {"\xE0\xA0\x80", 3, 3},         /* U+0800 */
        {"\xED\x9F\xBF", 3, 3},         /* U+D7FF */
        {"\xED\xA0\x80", 3, 0},         /* surrogate U+D800 */
        {"\xEF\xBF\xBF", 3, 3},         /* U+FFFF */
        {"\xF0\x8F\xBF\xBF", 4, 0},     /* overlong 4-byte */
        {"\xF0\x90\x80\x80", 4, 4},     /* U+10000 */
        {"\xF4\x8F\xBF\xBF", 4, 4},     /* U+10FFFF */
        {"\xF4\x90\x80\x80", 4, 0},     /* past U+10FFFF */
        {"\xF5\x80\x80\x80", 4, 0},     /* lead byte never used */
        {"\xF8\x88\x80\x80\x80", 5, 0}, /* 5-byte form */
        {"\xFF", 1, 0},
        {"\xE2\x82", 2, 0}, /* cut short */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        cr_expect_eq(cf_utf8_seq_len((const unsigned char *)rows[i].bytes, rows[i].n), rows[i].want,
                     "row %zu", i);
    cr_expect_eq(cf_utf8_seq_len((const unsigned char *)"", 0), 0);
}

Test(util_utf8, decode_gives_the_code_point)
{
    static const struct {
        const char *bytes;
        size_t n, len;
        unsigned long cp;
    } rows[] = {
        {"A", 1, 1, 0x41},
        {"\xC3\xA9", 2, 2, 0xE9},
        {"\xE2\x82\xAC", 3, 3, 0x20AC},
        {"\xF0\x9F\x98\x80", 4, 4, 0x1F600},
        {"\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF},
        {"\xED\xA0\x80", 3, 0, 0}, /* surrogate: not well formed */
        {"\xC0\xAF", 2, 0, 0},     /* overlong "/" */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        unsigned long cp = 0;
        cr_expect_eq(cf_utf8_decode((const unsigned char *)rows[i].bytes, rows[i].n, &cp),
                     rows[i].len, "row %zu", i);
        cr_expect_eq(cp, rows[i].cp, "row %zu", i);
    }
}

Test(util_buf, strfmt_has_no_length_cap)
{
    char *s = cf_strfmt("%s-%d-%.*s", "a", 42, 3, "xyzw");
    cr_assert_str_eq(s, "a-42-xyz");
    free(s);
    char big[2000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    s = cf_strfmt("<%s>", big);
    cr_assert_eq(strlen(s), sizeof big + 1, "a message longer than the old 512-byte buffers");
    free(s);
}

/* A scratch directory for the atomic writer's tests (left for the OS: /tmp). */
static void scratch_dir(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/cf-atomic-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

Test(util_atomic, abort_leaves_the_old_file_and_no_temporary)
{
    char dir[64], path[128];
    scratch_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/run.json", dir);
    cr_assert_eq(cf_atomic_write(path, "old", 3), 0);
    cf_atomic_file af;
    cr_assert_eq(cf_atomic_open(&af, path), 0);
    fputs("half a new repo", af.fp);
    fflush(af.fp);
    char *mid = cf_dir_get(path);
    cr_assert_str_eq(mid, "old", "the destination is untouched while the new one is written");
    free(mid);
    cf_atomic_abort(&af);
    char *after = cf_dir_get(path);
    cr_assert_str_eq(after, "old");
    free(after);
    cr_assert_eq(cf_dir_count(dir), 1, "the temporary file is removed");
}

Test(util_atomic, commit_replaces_whole_and_keeps_the_mode)
{
    char dir[64], path[128];
    scratch_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/r.xml", dir);
    cr_assert_eq(cf_atomic_write(path, "old", 3), 0);
    cr_assert_eq(chmod(path, 0640), 0);
    cf_atomic_file af;
    cr_assert_eq(cf_atomic_open(&af, path), 0);
    fputs("new content", af.fp);
    cr_assert_eq(cf_atomic_commit(&af), 0);
    cr_assert_null(af.fp);
    char *text = cf_dir_get(path);
    cr_assert_str_eq(text, "new content");
    free(text);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0640);
    cr_assert_eq(cf_dir_count(dir), 1);
}

Test(util_atomic, a_missing_directory_fails_before_anything)
{
    cf_atomic_file af;
    errno = 0;
    cr_assert_eq(cf_atomic_open(&af, "/nonexistent-dir-cf/x.json"), -1);
    cr_assert_eq(errno, ENOENT);
    cr_assert_null(af.fp);
    cf_atomic_abort(&af); /* harmless on a failed open */
}

Test(util_atomic, a_device_is_written_in_place)
{
    cf_atomic_file af;
    cr_assert_eq(cf_atomic_open(&af, "/dev/null"), 0);
    cr_assert_null(af.tmp, "no temporary file beside /dev/null");
    fputs("x", af.fp);
    cr_assert_eq(cf_atomic_commit(&af), 0);
}

Test(util_atomic, canonical_names_one_file_one_way)
{
    char dir[64], a[PATH_MAX], b[PATH_MAX], c[PATH_MAX], p1[160], p2[160];
    scratch_dir(dir, sizeof dir);
    snprintf(p1, sizeof p1, "%s/./new.json", dir);
    snprintf(p2, sizeof p2, "%s/sub/../new.json", dir);
    char sub[96];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    cr_assert_eq(mkdir(sub, 0777), 0);
    cr_assert_eq(cf_path_canonical(p1, a, sizeof a), 0);
    cr_assert_eq(cf_path_canonical(p2, b, sizeof b), 0);
    cr_assert_str_eq(a, b, "a file that does not exist yet");
    cr_assert_eq(cf_atomic_write(p1, "x", 1), 0);
    cr_assert_eq(cf_path_canonical(p2, c, sizeof c), 0);
    cr_assert_str_eq(a, c, "and once it exists");
    cr_assert_eq(cf_path_canonical("/nonexistent-dir-cf/x", c, sizeof c), -1);
}
