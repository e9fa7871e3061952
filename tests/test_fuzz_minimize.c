/* conform fuzz's delta debugging (lib/fuzz/include/fuzz_minimize.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "fuzz_minimize.h"

static bool has(const uint8_t *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(p + i, s, k)) return true;
    return false;
}

/* The "bug": both framing fields present. */
static bool te_and_cl(const uint8_t *p, size_t n, void *ud)
{
    (*(unsigned *)ud)++;
    return has(p, n, "Transfer-Encoding: chunked\r\n") && has(p, n, "Content-Length: 4\r\n");
}

static const char IN[] = "POST / HTTP/1.1\r\nHost: a\r\nX-1: 1\r\nX-2: 2\r\n"
                         "Transfer-Encoding: chunked\r\nX-3: 3\r\nContent-Length: 4\r\n"
                         "X-4: 4\r\n\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n";

Test(fuzz_minimize, keeps_only_what_the_finding_needs)
{
    cf_buf out = {0};
    unsigned calls = 0, tries = 0;
    cr_assert_eq(
        cf_minimize((const uint8_t *)IN, strlen(IN), te_and_cl, &calls, 1000, &out, &tries), 0);
    cr_assert_eq(calls, tries);
    const char want[] = "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n";
    cr_assert_eq(out.len, strlen(want), "got %.*s", (int)out.len, cf_buf_bytes(&out));
    cr_assert(!memcmp(cf_buf_bytes(&out), want, out.len));
    cf_buf_free(&out);
}

Test(fuzz_minimize, respects_the_try_budget)
{
    cf_buf out = {0};
    unsigned calls = 0, tries = 0;
    cr_assert_eq(cf_minimize((const uint8_t *)IN, strlen(IN), te_and_cl, &calls, 5, &out, &tries),
                 0);
    cr_assert_leq(calls, 5u);
    cr_assert_eq(tries, calls);
    cr_assert(te_and_cl(cf_buf_bytes(&out), out.len, &calls), "the result lost the finding");
    cr_assert_lt(out.len, strlen(IN));
    cf_buf_free(&out);
}

static bool never(const uint8_t *p, size_t n, void *ud)
{
    (void)p, (void)n, (void)ud;
    return false;
}

Test(fuzz_minimize, returns_the_input_when_nothing_smaller_shows_it)
{
    cf_buf out = {0};
    cr_assert_eq(cf_minimize((const uint8_t *)IN, strlen(IN), never, NULL, 100, &out, NULL), 0);
    cr_assert_eq(out.len, strlen(IN));
    cr_assert(!memcmp(cf_buf_bytes(&out), IN, out.len));
    cf_buf_free(&out);
}

static bool has_z(const uint8_t *p, size_t n, void *ud)
{
    (void)ud;
    return memchr(p, 'Z', n) != NULL;
}

Test(fuzz_minimize, gets_down_to_one_byte)
{
    cf_buf out = {0};
    const char in[] = "aaaa\nbbbZbbb\ncccc\n";
    cr_assert_eq(cf_minimize((const uint8_t *)in, strlen(in), has_z, NULL, 200, &out, NULL), 0);
    cr_assert_eq(out.len, 1u);
    cr_assert_eq(cf_buf_bytes(&out)[0], 'Z');
    cf_buf_free(&out);
}
