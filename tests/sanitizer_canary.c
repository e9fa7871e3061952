/* Built only with CONFORM_SANITIZE: a test that passes its assertions but leaks, so that CTest
 * can check a LeakSanitizer report from a Criterion worker reaches the test output, where
 * cmake/SanitizerReports.cmake turns it into a failure for every other test. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static char *leaked;

Test(sanitizer_canary, leaks_one_block)
{
    leaked = malloc(64);
    cr_assert_not_null(leaked);
    memset(leaked, 'x', 64);
    leaked = NULL; /* the only pointer is gone: a direct leak */
}
