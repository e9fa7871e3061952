/* Guard-page buffers for parser tests: input is placed so that its last byte sits right before
 * a PROT_NONE page, so any read past the end of the input crashes the test (the picohttpparser
 * test.c trick). */
#ifndef CF_GUARD_H
#define CF_GUARD_H

#include <stddef.h>

/* A mapping of data pages followed by one inaccessible page. */
typedef struct cf_guard {
    char *map;      /* start of the mapping */
    size_t map_len; /* bytes mapped, guard page included */
    char *fence;    /* first byte of the PROT_NONE page */
} cf_guard;

/* Maps room for at least cap bytes before a guard page; returns 0 on success, -1 on failure. */
int cf_guard_init(cf_guard *g, size_t cap);

/* Copies data[0..len) so that it ends right before the guard page and returns where it starts
 * (g->fence when len is 0). len must not exceed the capacity given to cf_guard_init. */
char *cf_guard_place(cf_guard *g, const char *data, size_t len);

/* Bytes that fit before the guard page. */
size_t cf_guard_capacity(const cf_guard *g);

/* Unmaps the buffer; g may be reused with cf_guard_init. */
void cf_guard_free(cf_guard *g);

#endif
