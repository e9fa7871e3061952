/* Byte-class scanners for the hot loops of the parser (internal to parsers/).
 *
 * The files that include this one are compiled once per SIMD level (h1_simd_level.h): the code
 * below is the level's, AVX2, SSSE3, SSE2 or scalar, chosen by H1_SIMD_LEVEL rather than by the
 * compiler's -m flags, and the level in use is picked at run time (h1_dispatch.c).
 *
 * Each returns the position of the first byte in b[pos..end) outside its class, or end. Vector
 * loads never pass end, so input placed right before an unmapped page is safe. Set membership
 * uses the nibble-table technique: a byte c is in the set when lo[c & 15] & hi[c >> 4] != 0
 * (tables generated from the same ABNF as h1_chars.c; tests/test_parser_simd.c checks every
 * scanner of every level against those tables, byte value by byte value). */
#ifndef H1_SIMD_H
#define H1_SIMD_H

#include <stddef.h>
#include <stdint.h>

#include "h1_chars.h"

#include "h1_simd_level.h"

#if H1_SIMD_LEVEL >= H1_SIMD_SSE2
#include <immintrin.h>
#endif

/* The nibble tables, each twice over in 32 aligned bytes: the AVX2 code loads all 32 in one
 * instruction (a broadcast of 16 takes two), the SSSE3 code the first 16. */
#define H1_NIBBLE_TABLE(name, ...)                                                                 \
    static const uint8_t name[32] __attribute__((aligned(32), unused)) = {__VA_ARGS__, __VA_ARGS__}
/* RFC 9110 §5.6.2 tchar */
H1_NIBBLE_TABLE(h1_tchar_lo, 0xe8, 0xfc, 0xf8, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xf8, 0xf8, 0xf4, 0x54,
                0xd0, 0x54, 0xf4, 0x70);
/* RFC 3986 §3.2.2 reg-name bytes: unreserved / sub-delims */
H1_NIBBLE_TABLE(h1_reg_lo, 0xa8, 0xfc, 0xf8, 0xf8, 0xfc, 0xf8, 0xfc, 0xfc, 0xfc, 0xfc, 0xf4, 0x5c,
                0x54, 0x5c, 0xd4, 0x70);
/* RFC 3986: unreserved / sub-delims / ":" / "@" / "/" / "?" / "%" / "[" / "]" */
H1_NIBBLE_TABLE(h1_uri_lo, 0xb8, 0xfc, 0xf8, 0xf8, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0x7c,
                0x54, 0x7c, 0xd4, 0x7c);
/* "%" (0x25), "[" (0x5B) and "]" (0x5D) with h1_set_hi: low nibble 5 takes high nibble 2 (bit 2),
 * low nibbles B and D take high nibble 5 (bit 5); no other byte matches. */
H1_NIBBLE_TABLE(h1_uri_special_lo, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0, 0x20, 0, 0x20, 0, 0);
/* High nibble 2..7 selects bit 2..7; bytes below 0x20 or above 0x7F are in no set. */
H1_NIBBLE_TABLE(h1_set_hi, 0, 0, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0, 0, 0, 0, 0, 0, 0, 0);
#undef H1_NIBBLE_TABLE
#if H1_SIMD_LEVEL >= H1_SIMD_SSSE3
#define H1_LOAD16(t) _mm_loadu_si128((const __m128i *)(const void *)(t))
#endif
#if H1_SIMD_LEVEL >= H1_SIMD_AVX2
#define H1_LOAD32(t) _mm256_load_si256((const __m256i *)(const void *)(t))
#endif

/* First CTL (HTAB included) or DEL: RFC 9110 §5.5 field-vchar / SP runs. */
static inline size_t h1_scan_value(const unsigned char *b, size_t pos, size_t end)
{
#if H1_SIMD_LEVEL >= H1_SIMD_AVX2
    /* 64 bytes a step, so that most values end in the first step and the loop branch predicts. */
    const __m256i c1f = _mm256_set1_epi8(0x1f), del = _mm256_set1_epi8(0x7f);
    while (end - pos >= 64) {
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)(b + pos));
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(b + pos + 32));
        __m256i bad0 = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(v0, c1f), v0),
                                       _mm256_cmpeq_epi8(v0, del));
        __m256i bad1 = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(v1, c1f), v1),
                                       _mm256_cmpeq_epi8(v1, del));
        uint64_t m = (uint32_t)_mm256_movemask_epi8(bad0) |
                     ((uint64_t)(uint32_t)_mm256_movemask_epi8(bad1) << 32);
        if (m) return pos + (size_t)__builtin_ctzll(m);
        pos += 64;
    }
    if (end - pos >= 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(b + pos));
        __m256i bad = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(v, c1f), v),
                                      _mm256_cmpeq_epi8(v, del));
        unsigned m = (unsigned)_mm256_movemask_epi8(bad);
        if (m) return pos + (size_t)__builtin_ctz(m);
        pos += 32;
    }
#endif
#if H1_SIMD_LEVEL >= H1_SIMD_SSE2
    const __m128i s1f = _mm_set1_epi8(0x1f), sdel = _mm_set1_epi8(0x7f);
    while (end - pos >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + pos));
        __m128i bad =
            _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, s1f), v), _mm_cmpeq_epi8(v, sdel));
        unsigned m = (unsigned)_mm_movemask_epi8(bad);
        if (m) return pos + (size_t)__builtin_ctz(m);
        pos += 16;
    }
#endif
    while (pos < end && !h1_value_stop[b[pos]])
        pos++;
    return pos;
}

#if H1_SIMD_LEVEL >= H1_SIMD_SSSE3
/* Mask of the bytes of v outside the set given by its nibble tables. */
static inline unsigned h1_set_miss16(__m128i v, __m128i lo, __m128i hi)
{
    __m128i nib = _mm_set1_epi8(0x0f);
    __m128i l = _mm_shuffle_epi8(lo, _mm_and_si128(v, nib));
    __m128i h = _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(v, 4), nib));
    __m128i in = _mm_and_si128(l, h);
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(in, _mm_setzero_si128()));
}
#endif

/* First byte outside the set given by nibble table lo (SIMD) and by tbl[c] & mask (scalar). */
static inline size_t h1_scan_set(const unsigned char *b, size_t pos, size_t end,
                                 const uint8_t lo_tab[32], const uint8_t *tbl, uint8_t mask)
{
#if H1_SIMD_LEVEL >= H1_SIMD_AVX2
    const __m256i lo32 = H1_LOAD32(lo_tab);
    const __m256i hi32 = H1_LOAD32(h1_set_hi);
    const __m256i nib = _mm256_set1_epi8(0x0f);
    while (end - pos >= 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(b + pos));
        __m256i l = _mm256_shuffle_epi8(lo32, _mm256_and_si256(v, nib));
        __m256i h = _mm256_shuffle_epi8(hi32, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
        __m256i out = _mm256_cmpeq_epi8(_mm256_and_si256(l, h), _mm256_setzero_si256());
        unsigned m = (unsigned)_mm256_movemask_epi8(out);
        if (m) return pos + (size_t)__builtin_ctz(m);
        pos += 32;
    }
#endif
#if H1_SIMD_LEVEL >= H1_SIMD_SSSE3
    const __m128i lo = H1_LOAD16(lo_tab), hi = H1_LOAD16(h1_set_hi);
    while (end - pos >= 16) {
        unsigned m =
            h1_set_miss16(_mm_loadu_si128((const __m128i *)(const void *)(b + pos)), lo, hi);
        if (m) return pos + (size_t)__builtin_ctz(m);
        pos += 16;
    }
#else
    (void)lo_tab;
#endif
    while (pos < end && (tbl[b[pos]] & mask))
        pos++;
    return pos;
}

/* First byte that is not a tchar (field names, methods). */
static inline size_t h1_scan_tchar(const unsigned char *b, size_t pos, size_t end)
{
    return h1_scan_set(b, pos, end, h1_tchar_lo, h1_tchar, 1);
}

/* First byte that is not unreserved / sub-delims (reg-name, RFC 3986 §3.2.2). */
static inline size_t h1_scan_reg(const unsigned char *b, size_t pos, size_t end)
{
    return h1_scan_set(b, pos, end, h1_reg_lo, h1_uri_class, H1_URI_REG);
}

/* First byte that may not appear in a request-target; *acc collects the H1_URI_* bits of the
 * bytes before it (so "%" and brackets are checked only when present). */
static inline size_t h1_scan_uri(const unsigned char *b, size_t pos, size_t end, unsigned *acc)
{
    unsigned bits = 0;
#if H1_SIMD_LEVEL >= H1_SIMD_AVX2
    {
        /* "%" and brackets are rare: one more nibble lookup finds any of the three (sharing the
         * high-nibble half of the set lookup), and only then are they told apart. */
        const __m256i lo32 = H1_LOAD32(h1_uri_lo);
        const __m256i hi32 = H1_LOAD32(h1_set_hi);
        const __m256i sp32 = H1_LOAD32(h1_uri_special_lo);
        const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
        while (end - pos >= 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(b + pos));
            __m256i lo_nib = _mm256_and_si256(v, nib);
            __m256i l = _mm256_shuffle_epi8(lo32, lo_nib);
            __m256i h = _mm256_shuffle_epi8(hi32, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
            uint32_t m =
                (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(l, h), zero));
            uint32_t sp = ~(uint32_t)_mm256_movemask_epi8(
                _mm256_cmpeq_epi8(_mm256_and_si256(_mm256_shuffle_epi8(sp32, lo_nib), h), zero));
            if (sp) {
                /* Which of the three, before the stop, from the table: no vector constants that
                 * the compiler would set up on every call for this rare case. */
                sp &= (m & (0u - m)) - 1; /* the bytes before the stop (all when m is 0) */
                for (; sp; sp &= sp - 1)
                    bits |= h1_uri_class[b[pos + (size_t)__builtin_ctz(sp)]] &
                            (H1_URI_PCT | H1_URI_BRACKET);
            }
            if (m) {
                *acc = bits | H1_URI_OK;
                return pos + (size_t)__builtin_ctz(m);
            }
            pos += 32;
        }
    }
#endif
#if H1_SIMD_LEVEL >= H1_SIMD_SSSE3
    const __m128i lo = H1_LOAD16(h1_uri_lo), hi = H1_LOAD16(h1_set_hi);
    const __m128i pct = _mm_set1_epi8('%'), lb = _mm_set1_epi8('['), rb = _mm_set1_epi8(']');
    while (end - pos >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + pos));
        unsigned m = h1_set_miss16(v, lo, hi);
        unsigned keep = m ? ((1u << __builtin_ctz(m)) - 1) : 0xffffu;
        if ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, pct)) & keep) bits |= H1_URI_PCT;
        if ((unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(v, lb), _mm_cmpeq_epi8(v, rb))) &
            keep)
            bits |= H1_URI_BRACKET;
        if (m) {
            *acc = bits | H1_URI_OK;
            return pos + (size_t)__builtin_ctz(m);
        }
        pos += 16;
    }
#endif
    while (pos < end && h1_uri_class[b[pos]])
        bits |= h1_uri_class[b[pos++]];
    *acc = bits;
    return pos;
}

/* Bit i set when p[i] is a CTL (HTAB, CR and LF included) or DEL: the bytes that end a run of
 * field-vchar / SP (RFC 9110 §5.5). Reads exactly p[0..32). */
static inline uint32_t h1_ctl32(const unsigned char *p)
{
#if H1_SIMD_LEVEL >= H1_SIMD_AVX2
    const __m256i c1f = _mm256_set1_epi8(0x1f), del = _mm256_set1_epi8(0x7f);
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
    return (uint32_t)_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(v, c1f), v), _mm256_cmpeq_epi8(v, del)));
#elif H1_SIMD_LEVEL >= H1_SIMD_SSE2
    const __m128i c1f = _mm_set1_epi8(0x1f), del = _mm_set1_epi8(0x7f);
    __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    __m128i b0 = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v0, c1f), v0), _mm_cmpeq_epi8(v0, del));
    __m128i b1 = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v1, c1f), v1), _mm_cmpeq_epi8(v1, del));
    return (uint32_t)_mm_movemask_epi8(b0) | (uint32_t)_mm_movemask_epi8(b1) << 16;
#else
    uint32_t m = 0;
    for (int k = 0; k < 32; k++)
        m |= (uint32_t)h1_value_stop[p[k]] << k;
    return m;
#endif
}

/* Bit i set when p[i] is outside the set given by nibble table lo_tab (SIMD) and by
 * tbl[c] & mask (scalar). Reads exactly p[0..32). */
static inline uint32_t h1_miss32(const unsigned char *p, const uint8_t lo_tab[32],
                                 const uint8_t *tbl, uint8_t mask)
{
#if H1_SIMD_LEVEL >= H1_SIMD_AVX2
    const __m256i lo = H1_LOAD32(lo_tab);
    const __m256i hi = H1_LOAD32(h1_set_hi);
    const __m256i nib = _mm256_set1_epi8(0x0f);
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(v, nib));
    __m256i h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
    (void)tbl;
    (void)mask;
    return (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_and_si256(l, h), _mm256_setzero_si256()));
#elif H1_SIMD_LEVEL >= H1_SIMD_SSSE3
    const __m128i lo = H1_LOAD16(lo_tab), hi = H1_LOAD16(h1_set_hi);
    (void)tbl;
    (void)mask;
    return h1_set_miss16(_mm_loadu_si128((const __m128i *)(const void *)p), lo, hi) |
           h1_set_miss16(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), lo, hi) << 16;
#else
    uint32_t m = 0;
    (void)lo_tab;
    for (int k = 0; k < 32; k++)
        m |= (uint32_t) !(tbl[p[k]] & mask) << k;
    return m;
#endif
}

/* Bit i set when p[i] is not a tchar (RFC 9110 §5.6.2). Reads exactly p[0..32). */
static inline uint32_t h1_nontchar32(const unsigned char *p)
{
    return h1_miss32(p, h1_tchar_lo, h1_tchar, 1);
}

/* Bit i set when p[i] is not unreserved / sub-delims (RFC 3986 §3.2.2 reg-name bytes, "%"
 * excluded). Reads exactly p[0..32). */
static inline uint32_t h1_reg_miss32(const unsigned char *p)
{
    return h1_miss32(p, h1_reg_lo, h1_uri_class, H1_URI_REG);
}

/* 1 when v[0..len) is all reg-name bytes (h1_reg_miss32), checked with one h1_reg_miss32 of 32
 * bytes that hold it inside the readable bytes [lo, hi): from v, or those ending at hi. 0 when a
 * byte is not, or when len > 32 or fewer than 32 bytes are readable (the caller then checks the
 * value byte by byte). */
static inline int h1_reg_name32(const char *v, size_t len, const char *lo, const char *hi)
{
    if (len > 32 || hi - lo < 32) return 0;
    const char *at = hi - v >= 32 ? v : hi - 32;
    uint32_t miss = h1_reg_miss32((const unsigned char *)at) >> (v - at);
    if (len < 32) miss &= ((uint32_t)1 << len) - 1;
    return miss == 0;
}

/* Classifies p[0..64) (and reads nothing else): *ctl as h1_ctl32, *nontchar as h1_nontchar32. */
static inline void h1_classify64(const unsigned char *p, uint64_t *ctl, uint64_t *nontchar)
{
    *ctl = h1_ctl32(p) | (uint64_t)h1_ctl32(p + 32) << 32;
    *nontchar = h1_nontchar32(p) | (uint64_t)h1_nontchar32(p + 32) << 32;
}

/* As h1_classify64 for the start of a field line, where only the first non-tchar of a name of up
 * to 32 bytes matters: only the lowest set bit of *nontchar counts, that byte of p[0..32), or bit
 * 32 when there is none. */
static inline void h1_classify_line(const char *s, uint64_t *ctl, uint64_t *nontchar)
{
    const unsigned char *p = (const unsigned char *)s;
    *ctl = h1_ctl32(p) | (uint64_t)h1_ctl32(p + 32) << 32;
#if H1_SIMD_LEVEL >= H1_SIMD_SSSE3
    *nontchar = h1_nontchar32(p) | (uint64_t)0xffffffffu << 32;
#else
    /* Without a byte shuffle, the table finds that byte sooner than 32 lookups. */
    size_t k = 0;
    while (k < 32 && h1_tchar[p[k]])
        k++;
    *nontchar = ~(uint64_t)0 << k;
#endif
}

#endif
