/* The head parser built for SSSE3: the files of h1_simd_level.h compiled again with
 * H1_SIMD_LEVEL H1_SIMD_SSSE3 and the CPU target "ssse3" on each function, their
 * functions named *_ssse3. h1_dispatch.c runs this build only when the CPU has SSSE3. */
#if defined(__x86_64__)
#define H1_SIMD_LEVEL  H1_SIMD_SSSE3
#define H1_SIMD_SUFFIX ssse3

/* Everything these files include from the system, before the target applies. */
#include <arpa/inet.h>
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "h1_simd_level.h"
#include "h1_internal.h"

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("ssse3"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("ssse3")
#endif

#include "h1_target.c"
#include "h1_framing.c"
#include "h1_fields.c"
#include "h1_head.c"
#include "h1_simd_ops.c"

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else
typedef int h1_simd_ssse3_unused; /* not x86-64: the baseline build is scalar */
#endif
