/* Running the built conform binary from a test (shared by the tests of its commands). */
#ifndef CF_CONFORM_CMD_H
#define CF_CONFORM_CMD_H

#include <stddef.h>

/* Runs `conform ARGS` with stdin from /dev/null; returns its exit status and puts stdout and
 * stderr (at most cap - 1 bytes, NUL-terminated) in out. Fails the test when conform does not
 * exit normally. */
int cf_run_conform(const char *args, char *out, size_t cap);

/* Like cf_run_conform, under `ulimit -v kib` (0: no limit) so that a memory regression fails
 * the test instead of the machine. Sanitizer builds reserve terabytes of address space for
 * their shadow memory: there the limit is not applied. */
int cf_run_conform_capped(size_t kib, const char *args, char *out, size_t cap);

#endif
