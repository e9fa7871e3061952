/* The head parser built without vector instructions on x86-64: the files of cf_simd_level.h
 * compiled again with CF_SIMD_LEVEL CF_SIMD_SCALAR, their functions named *_scalar. Runs only
 * when asked for (CONFORM_SIMD=scalar, cf_simd_force), so that the tests cover the code other
 * CPUs run. Elsewhere the baseline build is this one. */
#if defined(__x86_64__)
#define CF_SIMD_LEVEL  CF_SIMD_SCALAR
#define CF_SIMD_SUFFIX scalar

#include "cf_simd_level.h"
#include "cf_internal.h"

#include "cf_target.c"
#include "cf_framing.c"
#include "cf_fields.c"
#include "cf_head.c"
#include "cf_simd_ops.c"

#else
typedef int cf_simd_scalar_unused; /* not x86-64: the baseline build is scalar */
#endif
