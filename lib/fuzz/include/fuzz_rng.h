/* conform fuzz: a small deterministic PRNG (xoshiro256**, seeded through splitmix64), so that
 * the same --seed gives the same mutations. Each worker derives its own stream from the seed
 * and its index. */
#ifndef CF_FUZZ_RNG_H
#define CF_FUZZ_RNG_H

#include <stddef.h>
#include <stdint.h>

/* The generator's state; plain data, copy it freely. */
typedef struct cf_rng {
    uint64_t s[4];
} cf_rng;

/* Seeds r from seed and a stream number (a worker's index): the same pair gives the same
 * sequence; different streams give unrelated sequences. */
void cf_rng_seed(cf_rng *r, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t cf_rng_next(cf_rng *r);

/* A number in 0..n-1 (0 when n is 0), without modulo bias. */
size_t cf_rng_below(cf_rng *r, size_t n);

/* True with probability num/den. */
int cf_rng_chance(cf_rng *r, unsigned num, unsigned den);

#endif
