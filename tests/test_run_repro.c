/* conform run: the reproduction lines (the raw printf | bash /dev/tcp line, and that printf(1)
 * really gives the bytes; the conform rerun command with its shell quoting). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_repro.h"

Test(run_repro, escapes)
{
    static const uint8_t in[] = "GET /%41 'q' \\ HTTP/1.1\r\n\t\x01\x7f\xff"
                                "7\0";
    char out[256];
    size_t n = cf_repro_escape(in, sizeof in - 1, out, sizeof out);
    cr_expect_str_eq(out, "GET /%%41 \\047q\\047 \\\\ HTTP/1.1\\r\\n\\t\\001\\177\\3777\\000");
    cr_expect_eq(n, strlen(out));
    char small[8];
    cr_expect_eq(cf_repro_escape(in, sizeof in - 1, small, sizeof small), n);
    cr_expect_str_eq(small, "GET /%%");
}

Test(run_repro, line_and_cap)
{
    char *s = cf_repro_line((const uint8_t *)"a\r\n", 3, "::1", "8080", NULL, 100, 3);
    cr_expect_str_eq(s, "printf 'a\\r\\n' | timeout 3 bash -c 'exec 3<>/dev/tcp/::1/8080; cat >&3; "
                        "cat <&3'");
    free(s);
    s = cf_repro_line((const uint8_t *)"a", 1, "::1", "8443", "example.test", 100, 3);
    cr_expect_str_eq(s, "printf 'a' | timeout 3 openssl s_client -quiet -connect [::1]:8443 "
                        "-servername example.test");
    free(s);
    s = cf_repro_line((const uint8_t *)"a", 1, "127.0.0.1", "8443", "127.0.0.1", 100, 3);
    cr_expect_str_eq(s, "printf 'a' | timeout 3 openssl s_client -quiet -connect 127.0.0.1:8443");
    free(s);
    s = cf_repro_line((const uint8_t *)"abcdef", 6, "h", "1", NULL, 5, 3);
    cr_expect(strstr(s, "sends 6 bytes") != NULL, "%s", s);
    free(s);
}

Test(run_repro, printf_gives_the_bytes_back)
{
    uint8_t in[256];
    for (int i = 0; i < 256; i++)
        in[i] = (uint8_t)i;
    char *line = cf_repro_line(in, sizeof in, "h", "1", NULL, 4096, 3);
    cr_assert_not_null(line);
    char *bar = strstr(line, " | timeout ");
    cr_assert_not_null(bar);
    *bar = 0; /* keep "printf '...'" */
    FILE *p = popen(line, "r");
    cr_assert_not_null(p);
    uint8_t got[300];
    size_t n = fread(got, 1, sizeof got, p);
    pclose(p);
    cr_expect_eq(n, 256);
    cr_expect(!memcmp(got, in, 256));
    free(line);
}

Test(run_repro, rerun_command_quotes_what_needs_it)
{
    char *s =
        cf_repro_rerun("specs/rfc9110/methods.yaml", "rfc9110-9.1-get", "--target 127.0.0.1:8080");
    cr_expect_str_eq(s, "conform run specs/rfc9110/methods.yaml --id =rfc9110-9.1-get --target "
                        "127.0.0.1:8080 --show");
    free(s);
    s = cf_repro_rerun("my specs/it's.yaml", "a", "--target builtin");
    cr_expect_str_eq(s, "conform run 'my specs/it'\\''s.yaml' --id =a --target builtin --show");
    free(s);
    /* the quoted word is what the shell gives back */
    cf_buf b = {0};
    cf_buf_str(&b, "printf '%s' ");
    cr_assert_eq(cf_repro_shell_word("a b'c\\$x\"", &b), 0);
    FILE *p = popen(b.ptr, "r");
    cr_assert_not_null(p);
    char got[64] = "";
    size_t n = fread(got, 1, sizeof got - 1, p);
    pclose(p);
    got[n] = 0;
    cr_expect_str_eq(got, "a b'c\\$x\"");
    cf_buf_free(&b);
}
