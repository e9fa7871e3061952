/* Allocation counters behind the linker's --wrap: a reference to malloc in any object of the
 * executable resolves to __wrap_malloc, and __real_malloc to the C library's malloc. The
 * __wrap_ and __real_ names are fixed by the linker, hence not cf_-prefixed. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_count.h"

/* volatile: the compiler assumes malloc touches no program globals, and would fold the
 * selftest reads around a malloc call together. */
static volatile uint64_t calls;

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
int __real_posix_memalign(void **out, size_t align, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
int __wrap_posix_memalign(void **out, size_t align, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t size)
{
    calls++;
    return __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    calls++;
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
    calls++;
    return __real_realloc(ptr, size);
}

void *__wrap_aligned_alloc(size_t align, size_t size)
{
    calls++;
    return __real_aligned_alloc(align, size);
}

int __wrap_posix_memalign(void **out, size_t align, size_t size)
{
    calls++;
    return __real_posix_memalign(out, align, size);
}

char *__wrap_strdup(const char *s)
{
    calls++;
    return __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    calls++;
    return __real_strndup(s, n);
}

uint64_t cf_bench_alloc_calls(void)
{
    return calls;
}

int cf_bench_alloc_selftest(void)
{
    uint64_t before = calls;
    void *volatile block = malloc(24); /* volatile: the pair must not be optimised away */
    free(block);
    char *volatile copy = strdup("x");
    free(copy);
    return calls - before == 2 ? 0 : -1;
}
