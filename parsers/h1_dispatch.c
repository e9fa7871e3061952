/* Which SIMD level's build of the head parser runs (h1_simd_level.h): chosen once, at the first
 * parse, from what this CPU supports, so that one binary runs on any x86-64. */
#include <stdlib.h>
#include <string.h>

#include "h1_internal.h"

/* The builds linked in: the baseline, and on x86-64 the other three. */
extern const h1_simd_ops h1_simd_ops_scalar;
#if defined(__x86_64__)
extern const h1_simd_ops h1_simd_ops_sse2, h1_simd_ops_ssse3, h1_simd_ops_avx2;
#endif

/* 1 when this CPU runs the instructions of build o. */
static int cpu_runs(const h1_simd_ops *o)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (o == &h1_simd_ops_avx2)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
               __builtin_cpu_supports("bmi2");
    if (o == &h1_simd_ops_ssse3) return __builtin_cpu_supports("ssse3");
#endif
    (void)o;
    return 1; /* SSE2 is part of x86-64; scalar runs anywhere */
}

/* Every build, best first. */
static const h1_simd_ops *const builds[] = {
#if defined(__x86_64__)
    &h1_simd_ops_avx2,
    &h1_simd_ops_ssse3,
    &h1_simd_ops_sse2,
#endif
    &h1_simd_ops_scalar,
};
#define N_BUILDS (sizeof builds / sizeof builds[0])

const h1_simd_ops *h1_simd_get(const char *name)
{
    for (size_t i = 0; i < N_BUILDS; i++)
        if (name && strcmp(builds[i]->name, name) == 0)
            return cpu_runs(builds[i]) ? builds[i] : NULL;
    return NULL;
}

static const h1_simd_ops *active; /* read and written with __atomic: set once, or by tests */

/* Cold and out of line, so that h1_parse_head is a load, a test and a jump. */
static __attribute__((noinline, cold)) const h1_simd_ops *choose(void)
{
    const h1_simd_ops *o = h1_simd_get(getenv("CONFORM_SIMD"));
    for (size_t i = 0; !o && i < N_BUILDS; i++)
        if (cpu_runs(builds[i])) o = builds[i];
    __atomic_store_n(&active, o, __ATOMIC_RELEASE);
    return o;
}

const h1_simd_ops *h1_simd_active(void)
{
    const h1_simd_ops *o = __atomic_load_n(&active, __ATOMIC_ACQUIRE);
    return __builtin_expect(o != NULL, 1) ? o : choose();
}

int h1_simd_force(const char *name)
{
    const h1_simd_ops *o = h1_simd_get(name);
    if (!o) return -1;
    __atomic_store_n(&active, o, __ATOMIC_RELEASE);
    return 0;
}

h1_status h1_parse_head(h1_parser *p, const char *buf, size_t len)
{
    return h1_simd_active()->parse_head(p, buf, len);
}

h1_status h1_fields_parse(h1_parser *p, h1_fields_ctx *c, size_t *pos)
{
    return h1_simd_active()->fields_parse(p, c, pos);
}
