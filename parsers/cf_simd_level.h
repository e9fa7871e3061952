/* The SIMD level a file of the head parser is compiled for (internal to parsers/).
 *
 * cf_head.c, cf_fields.c, cf_framing.c, cf_target.c and cf_simd_ops.c hold everything that scans
 * bytes. Each is compiled on its own for the target's baseline (SSE2 on x86-64, scalar
 * elsewhere), and, on x86-64, again for scalar, SSSE3 and AVX2 by cf_simd_scalar.c,
 * cf_simd_ssse3.c and cf_simd_avx2.c, which define CF_SIMD_LEVEL and CF_SIMD_SUFFIX, give their
 * functions the CPU target, and include those files. This header is included first by each of
 * them: it gives the functions they export a name ending in the level (cf_parse_head_avx2), so
 * that the four builds link side by side; cf_dispatch.c picks one at run time and defines the
 * public names.
 */
#ifndef CF_SIMD_LEVEL_H
#define CF_SIMD_LEVEL_H

/* Levels, in the order of the instructions they may use. */
#define CF_SIMD_SCALAR 0
#define CF_SIMD_SSE2   1
#define CF_SIMD_SSSE3  2
#define CF_SIMD_AVX2   3

#ifndef CF_SIMD_LEVEL /* compiled on its own: the baseline */
#if defined(__x86_64__) && defined(__SSE2__)
#define CF_SIMD_LEVEL  CF_SIMD_SSE2
#define CF_SIMD_SUFFIX sse2
#else
#define CF_SIMD_LEVEL  CF_SIMD_SCALAR
#define CF_SIMD_SUFFIX scalar
#endif
#endif

#define CF_SIMD_CAT2(a, b) a##_##b
#define CF_SIMD_CAT(a, b)  CF_SIMD_CAT2(a, b)
#define CF_SIMD_NAME(name) CF_SIMD_CAT(name, CF_SIMD_SUFFIX)
#define CF_SIMD_STR2(x)    #x
#define CF_SIMD_STR(x)     CF_SIMD_STR2(x)

/* The functions these files export, one per level. */
#define cf_parse_head      CF_SIMD_NAME(cf_parse_head)
#define cf_fields_parse    CF_SIMD_NAME(cf_fields_parse)
#define cf_head_analyze    CF_SIMD_NAME(cf_head_analyze)
#define cf_field_meaning   CF_SIMD_NAME(cf_field_meaning)
#define cf_target_check    CF_SIMD_NAME(cf_target_check)
#define cf_authority_valid CF_SIMD_NAME(cf_authority_valid)
#define cf_host_valid      CF_SIMD_NAME(cf_host_valid)
#define cf_simd_ops_level  CF_SIMD_NAME(cf_simd_ops)

#endif
