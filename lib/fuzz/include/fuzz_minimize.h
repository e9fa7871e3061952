/* conform fuzz: delta debugging (ddmin, complements only) of a finding's bytes: drop chunks of
 * lines, then chunks of bytes, keeping every removal after which the finding still shows, until
 * nothing more can go or the number of tries runs out. */
#ifndef CF_FUZZ_MINIMIZE_H
#define CF_FUZZ_MINIMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec_bytes.h"

/* The test: true when p[0..n) still shows the finding. */
typedef bool (*cf_min_test)(const uint8_t *p, size_t n, void *ud);

/* Minimizes in[0..len) with test, calling it at most max_tries times; *out (emptied first,
 * owned by the caller) gets the smallest input found that passed the test (in itself when none
 * smaller did; the test is not called on in). *tries (if not NULL) gets the calls made.
 * Returns 0, or -1 when memory ran out. */
int cf_minimize(const uint8_t *in, size_t len, cf_min_test test, void *ud, unsigned max_tries,
                cf_buf *out, unsigned *tries);

#endif
