/* The head parser built without vector instructions on x86-64: the files of h1_simd_level.h
 * compiled again with H1_SIMD_LEVEL H1_SIMD_SCALAR, their functions named *_scalar. Runs only
 * when asked for (CONFORM_SIMD=scalar, h1_simd_force), so that the tests cover the code other
 * CPUs run. Elsewhere the baseline build is this one. */
#if defined(__x86_64__)
#define H1_SIMD_LEVEL  H1_SIMD_SCALAR
#define H1_SIMD_SUFFIX scalar

#include "h1_simd_level.h"
#include "h1_internal.h"

#include "h1_target.c"
#include "h1_framing.c"
#include "h1_fields.c"
#include "h1_head.c"
#include "h1_simd_ops.c"

#else
typedef int h1_simd_scalar_unused; /* not x86-64: the baseline build is scalar */
#endif
