/* The SIMD level a file of the head parser is compiled for (internal to parsers/).
 *
 * h1_head.c, h1_fields.c, h1_framing.c, h1_target.c and h1_simd_ops.c hold everything that scans
 * bytes. Each is compiled on its own for the target's baseline (SSE2 on x86-64, scalar
 * elsewhere), and, on x86-64, again for scalar, SSSE3 and AVX2 by h1_simd_scalar.c,
 * h1_simd_ssse3.c and h1_simd_avx2.c, which define H1_SIMD_LEVEL and H1_SIMD_SUFFIX, give their
 * functions the CPU target, and include those files. This header is included first by each of
 * them: it gives the functions they export a name ending in the level (h1_parse_head_avx2), so
 * that the four builds link side by side; h1_dispatch.c picks one at run time and defines the
 * public names.
 */
#ifndef H1_SIMD_LEVEL_H
#define H1_SIMD_LEVEL_H

/* Levels, in the order of the instructions they may use. */
#define H1_SIMD_SCALAR 0
#define H1_SIMD_SSE2   1
#define H1_SIMD_SSSE3  2
#define H1_SIMD_AVX2   3

#ifndef H1_SIMD_LEVEL /* compiled on its own: the baseline */
#if defined(__x86_64__) && defined(__SSE2__)
#define H1_SIMD_LEVEL  H1_SIMD_SSE2
#define H1_SIMD_SUFFIX sse2
#else
#define H1_SIMD_LEVEL  H1_SIMD_SCALAR
#define H1_SIMD_SUFFIX scalar
#endif
#endif

#define H1_SIMD_CAT2(a, b) a##_##b
#define H1_SIMD_CAT(a, b)  H1_SIMD_CAT2(a, b)
#define H1_SIMD_NAME(name) H1_SIMD_CAT(name, H1_SIMD_SUFFIX)
#define H1_SIMD_STR2(x)    #x
#define H1_SIMD_STR(x)     H1_SIMD_STR2(x)

/* The functions these files export, one per level. */
#define h1_parse_head         H1_SIMD_NAME(h1_parse_head)
#define h1_fields_parse       H1_SIMD_NAME(h1_fields_parse)
#define h1_head_analyze       H1_SIMD_NAME(h1_head_analyze)
#define h1_head_analyze_usual H1_SIMD_NAME(h1_head_analyze_usual)
#define h1_field_meaning      H1_SIMD_NAME(h1_field_meaning)
#define h1_target_check       H1_SIMD_NAME(h1_target_check)
#define h1_authority_valid    H1_SIMD_NAME(h1_authority_valid)
#define h1_host_valid         H1_SIMD_NAME(h1_host_valid)
#define h1_simd_ops_level     H1_SIMD_NAME(h1_simd_ops)

#endif
