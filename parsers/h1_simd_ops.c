/* The table of one SIMD level's build (h1_simd_level.h): its head parser, and its scanners as
 * functions for the tests. */
#include "h1_simd_level.h" /* first: this file is built once per SIMD level */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "h1_internal.h"
#include "h1_simd.h"

static size_t ops_scan_value(const unsigned char *b, size_t pos, size_t end)
{
    return h1_scan_value(b, pos, end);
}

static size_t ops_scan_tchar(const unsigned char *b, size_t pos, size_t end)
{
    return h1_scan_tchar(b, pos, end);
}

static size_t ops_scan_reg(const unsigned char *b, size_t pos, size_t end)
{
    return h1_scan_reg(b, pos, end);
}

static size_t ops_scan_uri(const unsigned char *b, size_t pos, size_t end, unsigned *acc)
{
    return h1_scan_uri(b, pos, end, acc);
}

static uint32_t ops_ctl32(const unsigned char *p)
{
    return h1_ctl32(p);
}

static uint32_t ops_nontchar32(const unsigned char *p)
{
    return h1_nontchar32(p);
}

static uint32_t ops_reg_miss32(const unsigned char *p)
{
    return h1_reg_miss32(p);
}

static void ops_classify64(const unsigned char *p, uint64_t *ctl, uint64_t *nontchar)
{
    h1_classify64(p, ctl, nontchar);
}

static void ops_classify_line(const char *s, uint64_t *ctl, uint64_t *nontchar)
{
    h1_classify_line(s, ctl, nontchar);
}

/* Zeroes p up to facts (h1_parser_init) 32 bytes a store: one ymm store each in the AVX2 build,
 * where h1_zero takes twice as many 16-byte ones; two xmm stores each below AVX2. */
static void ops_clear_parser(h1_parser *p)
{
    typedef char v32 __attribute__((vector_size(32), aligned(1), may_alias));
    char *c = (char *)p;
    size_t i = 0;
    const size_t n = offsetof(h1_parser, facts);
    for (; i + 32 <= n; i += 32) {
        *(v32 *)(void *)(c + i) = (v32){0};
        __asm__ volatile("" ::: "memory"); /* or the compiler makes the loop a memset again */
    }
    memset(c + i, 0, n - i);
}

const h1_simd_ops h1_simd_ops_level = {
    H1_SIMD_LEVEL,     H1_SIMD_STR(H1_SIMD_SUFFIX),
    h1_parse_head,     h1_fields_parse,
    ops_scan_value,    ops_scan_tchar,
    ops_scan_reg,      ops_scan_uri,
    ops_ctl32,         ops_nontchar32,
    ops_reg_miss32,    ops_classify64,
    ops_classify_line, ops_clear_parser,
};
