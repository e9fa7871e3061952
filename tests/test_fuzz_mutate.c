/* conform fuzz's PRNG and mutation operators (lib/fuzz/include/fuzz_rng.h,
 * lib/fuzz/include/fuzz_mutate.h): determinism, and each operator doing what its name says. */
#include <criterion/criterion.h>
#include <string.h>

#include "fuzz_mutate.h"
#include "fuzz_rng.h"

static const char REQ[] = "POST /upload HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\n"
                          "X-B: 2\r\nContent-Length: 5\r\n\r\nhello";

static void apply(cf_mut_op op, uint64_t seed, cf_buf *out)
{
    cf_rng r;
    cf_rng_seed(&r, seed, 0);
    out->len = 0;
    cr_assert_eq(cf_mut_apply(op, &r, (const uint8_t *)REQ, strlen(REQ), out), 0);
}

/* Header lines (between the request-line and the empty line), sorted copies for comparison. */
static size_t header_lines(const cf_buf *b, char lines[][64], size_t max)
{
    size_t n = 0, pos = 0;
    bool first = true;
    while (pos < b->len && n < max) {
        const uint8_t *nl = memchr(cf_buf_bytes(b) + pos, '\n', b->len - pos);
        if (!nl) break;
        size_t len = (size_t)(nl - cf_buf_bytes(b)) - pos + 1;
        if (len <= 2) break; /* the empty line */
        if (!first && len < 64) {
            memcpy(lines[n], cf_buf_bytes(b) + pos, len);
            lines[n++][len] = 0;
        }
        first = false;
        pos += len;
    }
    return n;
}

static size_t count_sub(const cf_buf *b, const char *s)
{
    size_t n = 0, k = strlen(s);
    for (size_t i = 0; i + k <= b->len; i++)
        n += !memcmp(cf_buf_bytes(b) + i, s, k);
    return n;
}

Test(fuzz_rng, same_seed_same_stream_and_streams_differ)
{
    cf_rng a, b, c;
    cf_rng_seed(&a, 42, 0);
    cf_rng_seed(&b, 42, 0);
    cf_rng_seed(&c, 42, 1);
    int same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = cf_rng_next(&a);
        cr_assert_eq(x, cf_rng_next(&b));
        same_c += x == cf_rng_next(&c);
    }
    cr_expect_eq(same_c, 0, "worker streams 0 and 1 coincide");
    for (int i = 0; i < 1000; i++)
        cr_assert_lt(cf_rng_below(&a, 7), 7u);
}

Test(fuzz_mutate, same_seed_same_bytes)
{
    for (uint64_t seed = 1; seed < 200; seed++) {
        cf_rng r1, r2;
        cf_rng_seed(&r1, seed, 3);
        cf_rng_seed(&r2, seed, 3);
        cf_buf a = {0}, b = {0};
        unsigned o1 = 0, o2 = 0;
        cr_assert_eq(cf_mutate(&r1, (const uint8_t *)REQ, strlen(REQ), &a, &o1), 0);
        cr_assert_eq(cf_mutate(&r2, (const uint8_t *)REQ, strlen(REQ), &b, &o2), 0);
        cr_assert_eq(a.len, b.len, "seed %llu", (unsigned long long)seed);
        cr_assert(!memcmp(cf_buf_bytes(&a), cf_buf_bytes(&b), a.len), "seed %llu",
                  (unsigned long long)seed);
        cr_assert_eq(o1, o2);
        cr_assert_neq(o1, 0u);
        cf_buf_free(&a);
        cf_buf_free(&b);
    }
}

Test(fuzz_mutate, different_seeds_differ)
{
    cf_buf a = {0}, b = {0};
    size_t differ = 0;
    for (uint64_t seed = 1; seed < 50; seed++) {
        cf_rng r1, r2;
        cf_rng_seed(&r1, seed, 0);
        cf_rng_seed(&r2, seed + 1000, 0);
        cf_mutate(&r1, (const uint8_t *)REQ, strlen(REQ), &a, NULL);
        cf_mutate(&r2, (const uint8_t *)REQ, strlen(REQ), &b, NULL);
        differ += a.len != b.len || memcmp(cf_buf_bytes(&a), cf_buf_bytes(&b), a.len);
    }
    cr_expect_geq(differ, 40u);
    cf_buf_free(&a);
    cf_buf_free(&b);
}

Test(fuzz_mutate, dup_header_adds_a_copy)
{
    cf_buf out = {0};
    for (uint64_t s = 1; s < 30; s++) {
        apply(CF_MUT_DUP_HEADER, s, &out);
        char l[32][64];
        size_t n = header_lines(&out, l, 32);
        cr_assert_eq(n, 5u);
        bool twice = false;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                twice |= !strcmp(l[i], l[j]);
        cr_assert(twice, "no header line appears twice");
        cr_assert_gt(out.len, strlen(REQ));
        cr_assert(!memcmp(cf_buf_bytes(&out) + out.len - 5, "hello", 5));
    }
    cf_buf_free(&out);
}

Test(fuzz_mutate, drop_header_removes_one)
{
    cf_buf out = {0};
    for (uint64_t s = 1; s < 30; s++) {
        apply(CF_MUT_DROP_HEADER, s, &out);
        char l[32][64];
        cr_assert_eq(header_lines(&out, l, 32), 3u);
        cr_assert_lt(out.len, strlen(REQ));
        cr_assert(!memcmp(cf_buf_bytes(&out), "POST /upload HTTP/1.1\r\n", 23));
    }
    cf_buf_free(&out);
}

Test(fuzz_mutate, swap_headers_keeps_the_lines_in_another_order)
{
    cf_buf out = {0};
    for (uint64_t s = 1; s < 30; s++) {
        apply(CF_MUT_SWAP_HEADERS, s, &out);
        cr_assert_eq(out.len, strlen(REQ));
        cr_assert(memcmp(cf_buf_bytes(&out), REQ, out.len), "nothing moved");
        char l[32][64];
        cr_assert_eq(header_lines(&out, l, 32), 4u);
        const char *orig[] = {"Host: example.com\r\n", "X-A: 1\r\n", "X-B: 2\r\n",
                              "Content-Length: 5\r\n"};
        for (size_t i = 0; i < 4; i++) {
            bool found = false;
            for (size_t j = 0; j < 4; j++)
                found |= !strcmp(orig[i], l[j]);
            cr_assert(found, "%s lost", orig[i]);
        }
    }
    cf_buf_free(&out);
}

Test(fuzz_mutate, length_changes_framing_fields)
{
    cf_buf out = {0};
    for (uint64_t s = 1; s < 60; s++) {
        apply(CF_MUT_LENGTH, s, &out);
        bool te = count_sub(&out, "Transfer-Encoding: ") > 0;
        bool cl_changed = count_sub(&out, "Content-Length: 5\r\n") != 1 ||
                          count_sub(&out, "Content-Length: ") != 1;
        cr_assert(te || cl_changed, "seed %llu: framing untouched: %.*s", (unsigned long long)s,
                  (int)out.len, cf_buf_bytes(&out));
    }
    cf_buf_free(&out);
}

/* Equal when compared case-insensitively, different exactly. */
Test(fuzz_mutate, case_changes_only_letter_case)
{
    cf_buf out = {0};
    for (uint64_t s = 1; s < 30; s++) {
        apply(CF_MUT_CASE, s, &out);
        cr_assert_eq(out.len, strlen(REQ));
        cr_assert(memcmp(cf_buf_bytes(&out), REQ, out.len));
        cr_assert(!strncasecmp(out.ptr, REQ, out.len));
        cr_assert(!memcmp(cf_buf_bytes(&out) + out.len - 5, "hello", 5), "the body changed");
    }
    cf_buf_free(&out);
}

/* Without SP, HTAB, CR, LF, VT, FF both are the same bytes. */
static size_t squeeze(const uint8_t *p, size_t n, char *out)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n\v\f", p[i]) || !p[i]) out[w++] = (char)p[i];
    return w;
}

Test(fuzz_mutate, space_changes_only_whitespace)
{
    cf_buf out = {0};
    char a[512], b[512];
    size_t na = squeeze((const uint8_t *)REQ, strlen(REQ), a);
    for (uint64_t s = 1; s < 60; s++) {
        apply(CF_MUT_SPACE, s, &out);
        cr_assert(out.len != strlen(REQ) || memcmp(cf_buf_bytes(&out), REQ, out.len),
                  "nothing changed");
        size_t nb = squeeze(cf_buf_bytes(&out), out.len, b);
        cr_assert_eq(na, nb);
        cr_assert(!memcmp(a, b, na), "seed %llu changed more than whitespace",
                  (unsigned long long)s);
    }
    cf_buf_free(&out);
}

Test(fuzz_mutate, chunk_sends_the_body_chunked)
{
    cf_buf out = {0};
    for (uint64_t s = 1; s < 40; s++) {
        apply(CF_MUT_CHUNK, s, &out);
        cr_assert_eq(count_sub(&out, "Transfer-Encoding: chunked\r\n"), 1u);
        const uint8_t *body = memmem(cf_buf_bytes(&out), out.len, "\r\n\r\n", 4);
        cr_assert_not_null(body);
        /* every body byte is still there, in order, between chunk-size lines */
        const char *want = "hello";
        size_t k = 0;
        for (const uint8_t *p = body + 4; p < cf_buf_bytes(&out) + out.len && k < 5; p++)
            if (*p == (uint8_t)want[k]) k++;
        cr_assert_eq(k, 5u, "the body's bytes are not in the chunked body");
    }
    cf_buf_free(&out);
}

/* Levenshtein distance of a and b (short strings). */
static size_t edit_distance(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    static size_t d[160][160];
    cr_assert(na < 160 && nb < 160);
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[na][nb];
}

Test(fuzz_mutate, flip_edits_at_most_four_bytes)
{
    cf_buf out = {0};
    size_t changed = 0;
    for (uint64_t s = 1; s < 60; s++) {
        apply(CF_MUT_FLIP, s, &out);
        size_t d = edit_distance(cf_buf_bytes(&out), out.len, (const uint8_t *)REQ, strlen(REQ));
        cr_assert_leq(d, 4u, "seed %llu: %zu edits", (unsigned long long)s, d);
        changed += d > 0;
    }
    cr_expect_geq(changed, 50u, "flips rarely change anything");
    cf_buf_free(&out);
}

Test(fuzz_mutate, pipeline_appends_a_request)
{
    cf_buf out = {0};
    for (uint64_t s = 1; s < 20; s++) {
        apply(CF_MUT_PIPELINE, s, &out);
        cr_assert_gt(out.len, strlen(REQ));
        cr_assert(!memcmp(cf_buf_bytes(&out), REQ, strlen(REQ)), "the first request changed");
        cr_assert_eq(count_sub(&out, " HTTP/1.1\r\n"), 2u);
    }
    cf_buf_free(&out);
}

Test(fuzz_mutate, operators_need_no_head)
{
    cf_buf out = {0};
    for (int op = 0; op < CF_MUT_NOPS; op++) {
        cf_rng r;
        cf_rng_seed(&r, 7, 0);
        out.len = 0;
        cr_assert_eq(cf_mut_apply((cf_mut_op)op, &r, (const uint8_t *)"x", 1, &out), 0);
        cr_assert_str_neq(cf_mut_op_name((cf_mut_op)op), "?");
    }
    cf_buf_free(&out);
}
