/* Internal to the spec loader: the compiled regular expressions of one spec file, each distinct
 * pattern compiled once (with JIT where available) and shared by every occurrence and alias. */
#ifndef CF_SPEC_REGEX_H
#define CF_SPEC_REGEX_H

#include <stddef.h>
#include <stdint.h>

#include "spec_model.h" /* pcre2.h, 8-bit */

#define CF_SPEC_MAX_REGEX_BYTES (64u * 1024 * 1024) /* compiled regexes of one file, with JIT */

/* Patterns compiled so far while loading one file, by their bytes. */
typedef struct cf_rx_cache {
    struct cf_rx_slot *slots; /* open addressing, cap a power of two */
    size_t cap, n;
    size_t bytes; /* compiled size of every pattern so far (CF_SPEC_MAX_REGEX_BYTES) */
} cf_rx_cache;

typedef enum cf_rx_status {
    CF_RX_OK,
    CF_RX_BAD,     /* PCRE2 refused the pattern: *err and *off say why and where */
    CF_RX_TOO_BIG, /* the file's compiled regexes would pass CF_SPEC_MAX_REGEX_BYTES */
    CF_RX_NOMEM
} cf_rx_status;

/* The compiled pattern for bytes p[0..len), compiled on first use; the cache owns it. */
cf_rx_status cf_rx_get(cf_rx_cache *c, const uint8_t *p, size_t len, pcre2_code **re, int *err,
                       size_t *off);

/* Moves every compiled pattern into a new array *codes (*n of them, the caller owns both) and
 * empties the cache; on allocation failure frees the patterns and sets *codes NULL, *n 0. */
void cf_rx_release(cf_rx_cache *c, pcre2_code ***codes, size_t *n);

#endif
