/* The SIMD builds of the parser's scanners (parsers/h1_simd.h, one build per level: scalar,
 * SSE2, SSSE3, AVX2) against the byte classes of parsers/h1_chars.c: every byte value at every
 * position of a 64-byte window (two AVX2 vectors, four SSE ones), in inputs of every length up
 * to past that window, each placed right before a guard page so that a read past the end
 * crashes. Only the builds this CPU runs are checked; test_parser_* run their tables under each
 * of them (tests/support/cf_table.c). */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "h1_chars.h"
#include "cf_guard.h"
#include "h1_internal.h"

#define WINDOW  64
#define MAX_LEN (WINDOW + 36) /* past the window: the 64-, 32- and 16-byte steps and the tails */

static const char *const levels[] = {"scalar", "sse2", "ssse3", "avx2"};
#define N_LEVELS (sizeof levels / sizeof levels[0])

/* The byte classes, from the tables: 1 when c ends a run of the scanner's class. */
static int stops_value(unsigned char c)
{
    return h1_value_stop[c] != 0;
}

static int stops_tchar(unsigned char c)
{
    return !h1_tchar[c];
}

static int stops_reg(unsigned char c)
{
    return !(h1_uri_class[c] & H1_URI_REG);
}

static int stops_uri(unsigned char c)
{
    return !h1_uri_class[c];
}

typedef size_t (*scan_fn)(const unsigned char *b, size_t pos, size_t end);

/* The scanner of o named which: "value", "tchar" or "reg". */
static scan_fn scanner(const h1_simd_ops *o, char which)
{
    return which == 'v' ? o->scan_value : which == 't' ? o->scan_tchar : o->scan_reg;
}

static int (*stops_of(char which))(unsigned char)
{
    return which == 'v' ? stops_value : which == 't' ? stops_tchar : stops_reg;
}

static cf_guard guard;

static void setup(void)
{
    cr_assert_eq(cf_guard_init(&guard, 4096), 0, "cannot map a guard page");
}

static void teardown(void)
{
    cf_guard_free(&guard);
}

/* len bytes of 'a' (in every class) with byte v at k, ending right before the guard page. */
static unsigned char *place(size_t len, size_t k, unsigned char v)
{
    unsigned char buf[MAX_LEN];
    memset(buf, 'a', len);
    if (k < len) buf[k] = v;
    return (unsigned char *)cf_guard_place(&guard, (const char *)buf, len);
}

/* Checks scanner which of o for every byte value at every position of inputs of length 1 to
 * MAX_LEN, scanned from 0 and from a few later starts; returns the number of mismatches. */
static size_t check_scanner(const h1_simd_ops *o, char which)
{
    scan_fn scan = scanner(o, which);
    int (*stops)(unsigned char) = stops_of(which);
    size_t bad = 0;
    for (size_t len = 1; len <= MAX_LEN; len++)
        for (size_t k = 0; k < len; k++)
            for (unsigned v = 0; v < 256; v++) {
                const unsigned char *b = place(len, k, (unsigned char)v);
                for (size_t from = 0; from <= k && from < 3; from++) {
                    size_t want = stops((unsigned char)v) ? k : len;
                    size_t got = scan(b, from, len);
                    if (got == want) continue;
                    if (bad++ < 5)
                        cr_log_error("%s scan_%c: byte 0x%02x at %zu of %zu from %zu: %zu, "
                                     "want %zu",
                                     o->name, which, v, k, len, from, got, want);
                }
            }
    return bad;
}

/* As check_scanner for scan_uri, whose acc must hold H1_URI_PCT and H1_URI_BRACKET when "%" or
 * a bracket came before the stop. */
static size_t check_scan_uri(const h1_simd_ops *o)
{
    const unsigned mask = H1_URI_PCT | H1_URI_BRACKET;
    size_t bad = 0;
    for (size_t len = 1; len <= MAX_LEN; len++)
        for (size_t k = 0; k < len; k++)
            for (unsigned v = 0; v < 256; v++) {
                const unsigned char *b = place(len, k, (unsigned char)v);
                int stop = stops_uri((unsigned char)v);
                size_t want = stop ? k : len;
                unsigned want_acc = stop ? 0 : h1_uri_class[v] & mask, acc = 0;
                size_t got = o->scan_uri(b, 0, len, &acc);
                if (got == want && (acc & mask) == want_acc) continue;
                if (bad++ < 5)
                    cr_log_error("%s scan_uri: byte 0x%02x at %zu of %zu: %zu acc 0x%x, want %zu "
                                 "acc 0x%x",
                                 o->name, v, k, len, got, acc & mask, want, want_acc);
            }
    return bad;
}

/* As check_scan_uri with two "%" or bracket bytes and a stop among URI bytes, in every order and
 * at every pair of positions of a 40-byte input (so both in one vector step, or in two): only
 * those before the stop count in acc. */
static size_t check_scan_uri_pairs(const h1_simd_ops *o)
{
    static const unsigned char special[] = {'%', '[', ']'};
    const size_t len = 40, stop = 20;
    size_t bad = 0;
    for (size_t s1 = 0; s1 < sizeof special; s1++)
        for (size_t s2 = 0; s2 < sizeof special; s2++)
            for (size_t k1 = 0; k1 < len; k1++)
                for (size_t k2 = 0; k2 < len; k2++) {
                    unsigned char buf[64];
                    memset(buf, 'a', len);
                    buf[stop] = ' ';
                    if (k1 == stop || k2 == stop || k1 == k2) continue;
                    buf[k1] = special[s1];
                    buf[k2] = special[s2];
                    const unsigned char *b =
                        (const unsigned char *)cf_guard_place(&guard, (const char *)buf, len);
                    unsigned want = 0, acc = 0;
                    for (size_t i = 0; i < stop; i++)
                        want |= h1_uri_class[buf[i]] & (H1_URI_PCT | H1_URI_BRACKET);
                    size_t got = o->scan_uri(b, 0, len, &acc);
                    if (got == stop && (acc & (H1_URI_PCT | H1_URI_BRACKET)) == want) continue;
                    if (bad++ < 5)
                        cr_log_error("%s scan_uri: %c at %zu, %c at %zu, stop at %zu: %zu acc "
                                     "0x%x, want acc 0x%x",
                                     o->name, special[s1], k1, special[s2], k2, stop, got, acc,
                                     want);
                }
    return bad;
}

/* The mask of p[0..n) by stops, bit i for p[i]. */
static uint64_t want_mask(const unsigned char *p, size_t n, int (*stops)(unsigned char))
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= (uint64_t)stops(p[i]) << i;
    return m;
}

/* The 32-byte masks (ctl32, nontchar32, reg_miss32) and the 64-byte classifications, for every
 * byte value at every position among 'a's and among bytes of the value itself, placed right
 * before the guard page; returns the number of mismatches. */
static size_t check_masks(const h1_simd_ops *o)
{
    size_t bad = 0;
    for (unsigned v = 0; v < 256; v++)
        for (size_t k = 0; k <= WINDOW; k++) {
            unsigned char buf[WINDOW];
            memset(buf, k == WINDOW ? (int)v : 'a', WINDOW); /* k == WINDOW: all bytes are v */
            if (k < WINDOW) buf[k] = (unsigned char)v;
            const unsigned char *p =
                (const unsigned char *)cf_guard_place(&guard, (const char *)buf, WINDOW);
            const unsigned char *h = p + 32; /* the last 32 bytes, at the guard page */
            uint64_t ctl, nontchar, want_line;
            struct {
                const char *what;
                uint64_t got, want;
            } c[] = {
                {"ctl32", o->ctl32(h), want_mask(h, 32, stops_value)},
                {"nontchar32", o->nontchar32(h), want_mask(h, 32, stops_tchar)},
                {"reg_miss32", o->reg_miss32(h), want_mask(h, 32, stops_reg)},
                {"classify64 ctl", 0, want_mask(p, 64, stops_value)},
                {"classify64 nontchar", 0, want_mask(p, 64, stops_tchar)},
                {"classify_line ctl", 0, want_mask(p, 64, stops_value)},
                {"classify_line first non-tchar", 0, 0},
            };
            o->classify64(p, &ctl, &nontchar);
            c[3].got = ctl;
            c[4].got = nontchar;
            o->classify_line((const char *)p, &ctl, &nontchar);
            c[5].got = ctl;
            /* Only the lowest set bit of the line's nontchar counts: the first non-tchar of
             * p[0..32), or 32. */
            want_line = want_mask(p, 32, stops_tchar);
            c[6].got = nontchar ? (uint64_t)__builtin_ctzll(nontchar) : 64;
            c[6].want = want_line ? (uint64_t)__builtin_ctzll(want_line) : 32;
            for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
                if (c[i].got == c[i].want) continue;
                if (bad++ < 5)
                    cr_log_error("%s %s: byte 0x%02x at %zu: 0x%llx, want 0x%llx", o->name,
                                 c[i].what, v, k, (unsigned long long)c[i].got,
                                 (unsigned long long)c[i].want);
            }
        }
    return bad;
}

Test(simd, builds_this_cpu_runs_are_available)
{
    cr_assert_not_null(h1_simd_get("scalar"));
#if defined(__x86_64__)
    cr_assert_not_null(h1_simd_get("sse2"), "SSE2 is part of x86-64");
    __builtin_cpu_init();
    cr_expect_eq(h1_simd_get("ssse3") != NULL, __builtin_cpu_supports("ssse3") != 0);
    cr_expect_eq(h1_simd_get("avx2") != NULL,
                 __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2"));
#endif
    cr_expect_null(h1_simd_get("avx512"));
    cr_expect_null(h1_simd_get(""));
    cr_expect_null(h1_simd_get(NULL));
    for (size_t i = 0; i < N_LEVELS; i++) {
        const h1_simd_ops *o = h1_simd_get(levels[i]);
        if (!o) continue;
        cr_expect_str_eq(o->name, levels[i]);
        cr_expect_eq(o->level, (int)i, "%s has level %d", o->name, o->level);
    }
}

Test(simd, the_best_build_runs_unless_forced)
{
    const h1_simd_ops *best = NULL;
    for (size_t i = 0; i < N_LEVELS; i++)
        if (h1_simd_get(levels[i])) best = h1_simd_get(levels[i]);
    if (getenv("CONFORM_SIMD") == NULL) cr_expect_eq(h1_simd_active(), best);
    cr_assert_eq(h1_simd_force("scalar"), 0);
    cr_expect_str_eq(h1_simd_active()->name, "scalar");
    cr_expect_eq(h1_simd_force("no-such-level"), -1);
    cr_expect_str_eq(h1_simd_active()->name, "scalar", "a failed force changes nothing");
    /* The forced build parses. */
    h1_parser p;
    h1_header h[4];
    static const char msg[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    h1_parser_init(&p, H1_REQUEST);
    p.headers = h;
    p.max_headers = 4;
    cr_expect_eq(h1_parse_head(&p, msg, sizeof msg - 1), H1_DONE);
    cr_expect_eq(p.msg.num_headers, 1);
    cr_assert_eq(h1_simd_force(best->name), 0);
}

Test(simd, value_scanner_agrees_with_the_table, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < N_LEVELS; i++)
        if (h1_simd_get(levels[i]))
            cr_expect_eq(check_scanner(h1_simd_get(levels[i]), 'v'), 0, "%s", levels[i]);
}

Test(simd, tchar_scanner_agrees_with_the_table, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < N_LEVELS; i++)
        if (h1_simd_get(levels[i]))
            cr_expect_eq(check_scanner(h1_simd_get(levels[i]), 't'), 0, "%s", levels[i]);
}

Test(simd, reg_name_scanner_agrees_with_the_table, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < N_LEVELS; i++)
        if (h1_simd_get(levels[i]))
            cr_expect_eq(check_scanner(h1_simd_get(levels[i]), 'r'), 0, "%s", levels[i]);
}

Test(simd, uri_scanner_agrees_with_the_table, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < N_LEVELS; i++)
        if (h1_simd_get(levels[i]))
            cr_expect_eq(check_scan_uri(h1_simd_get(levels[i])), 0, "%s", levels[i]);
}

Test(simd, uri_scanner_counts_only_bytes_before_the_stop, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < N_LEVELS; i++)
        if (h1_simd_get(levels[i]))
            cr_expect_eq(check_scan_uri_pairs(h1_simd_get(levels[i])), 0, "%s", levels[i]);
}

/* clear_parser zeroes a parser up to facts and not a byte more. */
Test(simd, clear_parser_zeroes_up_to_facts)
{
    for (size_t i = 0; i < N_LEVELS; i++) {
        const h1_simd_ops *o = h1_simd_get(levels[i]);
        h1_parser p;
        size_t bad = 0;
        if (!o) continue;
        memset(&p, 0xa5, sizeof p);
        o->clear_parser(&p);
        for (size_t k = 0; k < sizeof p; k++)
            bad += ((const unsigned char *)&p)[k] != (k < offsetof(h1_parser, facts) ? 0 : 0xa5);
        cr_expect_eq(bad, 0, "%s: %zu bytes wrong", levels[i], bad);
    }
}

Test(simd, masks_agree_with_the_tables, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < N_LEVELS; i++)
        if (h1_simd_get(levels[i]))
            cr_expect_eq(check_masks(h1_simd_get(levels[i])), 0, "%s", levels[i]);
}
