/* The table of one SIMD level's build (h1_simd_level.h): its head parser, and its scanners as
 * functions for the tests. */
#include "h1_simd_level.h" /* first: this file is built once per SIMD level */
#include <stdint.h>

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

const h1_simd_ops h1_simd_ops_level = {
    H1_SIMD_LEVEL,     H1_SIMD_STR(H1_SIMD_SUFFIX),
    h1_parse_head,     h1_fields_parse,
    ops_scan_value,    ops_scan_tchar,
    ops_scan_reg,      ops_scan_uri,
    ops_ctl32,         ops_nontchar32,
    ops_reg_miss32,    ops_classify64,
    ops_classify_line,
};
