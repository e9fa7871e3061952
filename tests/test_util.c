/* lib/util: the growable buffer (util_buf.h) and the whole-file reader (util_file.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_buf.h"
#include "util_file.h"

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
    cr_assert_eq(cf_file_read(dir, 10, &text, &len), CF_FILE_NOT_REGULAR);
    cr_assert_str_eq(cf_file_strerror(CF_FILE_NOT_REGULAR), "not a regular file");
    unlink(path);
    rmdir(dir);
}
