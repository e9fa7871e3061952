/* The pool of compact cases' data (report_pool.h). */
#include "report_pool.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util_buf.h"

#define BLOCK_SIZE (64u * 1024)

typedef struct block {
    struct block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} block;

struct cf_report_pool {
    block *blocks;   /* the newest first; allocations come from it */
    char **interned; /* open addressing by cf_fnv1a32, cap a power of two */
    size_t ninterned, cap;
};

cf_report_pool *cf_report_pool_new(void)
{
    return calloc(1, sizeof(cf_report_pool));
}

/* n bytes at a multiple of align from the newest block, or a new one. */
static void *take(cf_report_pool *p, size_t n, size_t align)
{
    block *b = p->blocks;
    size_t at = b ? (b->used + align - 1) / align * align : 0;
    if (!b || at > b->size || b->size - at < n) {
        size_t size = n > BLOCK_SIZE / 4 ? n : BLOCK_SIZE; /* a large one gets its own block */
        block *nb = malloc(sizeof *nb + size);
        if (!nb) return NULL;
        nb->size = size;
        if (b && size != BLOCK_SIZE) { /* behind the newest block, which keeps its room */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            p->blocks = nb;
        }
        b = nb;
        at = 0;
    }
    b->used = at + n;
    return b->data + at;
}

void *cf_report_pool_alloc(cf_report_pool *p, size_t n)
{
    return take(p, n, alignof(max_align_t));
}

char *cf_report_pool_str(cf_report_pool *p, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = take(p, n, 1); /* packed: strings need no alignment */
    if (d) memcpy(d, s, n);
    return d;
}

/* Grows the intern table to twice its size (16 at first); -1: memory. */
static int grow(cf_report_pool *p)
{
    size_t cap = p->cap ? p->cap * 2 : 16;
    char **t = calloc(cap, sizeof *t);
    if (!t) return -1;
    for (size_t i = 0; i < p->cap; i++)
        if (p->interned[i]) {
            size_t k = cf_fnv1a32(p->interned[i]) & (cap - 1);
            while (t[k])
                k = (k + 1) & (cap - 1);
            t[k] = p->interned[i];
        }
    free(p->interned);
    p->interned = t;
    p->cap = cap;
    return 0;
}

char *cf_report_pool_intern(cf_report_pool *p, const char *s)
{
    if (!s) return NULL;
    if ((p->ninterned + 1) * 2 > p->cap && grow(p) < 0) return NULL;
    size_t k = cf_fnv1a32(s) & (p->cap - 1);
    while (p->interned[k]) {
        if (!strcmp(p->interned[k], s)) return p->interned[k];
        k = (k + 1) & (p->cap - 1);
    }
    char *d = cf_report_pool_str(p, s);
    if (d) {
        p->interned[k] = d;
        p->ninterned++;
    }
    return d;
}

void cf_report_pool_free(cf_report_pool *p)
{
    if (!p) return;
    for (block *b = p->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(p->interned);
    free(p);
}
