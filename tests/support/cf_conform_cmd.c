/* Runs the conform binary for tests: one popen helper instead of one per test file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <sys/wait.h>

#include "cf_conform_cmd.h"

#if defined(__SANITIZE_ADDRESS__)
#define CF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CF_ASAN 1
#endif
#endif

int cf_run_conform(const char *args, char *out, size_t cap)
{
    return cf_run_conform_capped(0, args, out, cap);
}

int cf_run_conform_capped(size_t kib, const char *args, char *out, size_t cap)
{
#ifdef CF_ASAN
    kib = 0;
#endif
    char limit[64] = "";
    if (kib) snprintf(limit, sizeof limit, "ulimit -v %zu && ", kib);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s'%s' %s </dev/null 2>&1", limit, CF_CONFORM_BIN, args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    int st = pclose(p);
    cr_assert(WIFEXITED(st), "conform did not exit normally");
    return WEXITSTATUS(st);
}
