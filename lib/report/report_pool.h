/* Internal to the report module: the pool that holds what compact cases keep
 * (cf_report_case_compact): their ids, error and skip texts and response arrays packed in
 * blocks, their sections, categories and unknown rules' names interned (a suite has a few
 * hundred distinct ones), so that a finished case costs its bytes and no allocator overhead. */
#ifndef CF_REPORT_POOL_H
#define CF_REPORT_POOL_H

#include <stddef.h>

#include "report_model.h"

/* A new, empty pool; NULL when memory ran out. */
cf_report_pool *cf_report_pool_new(void);

/* n bytes, aligned for any object, valid until the pool is freed; NULL when memory ran out. */
void *cf_report_pool_alloc(cf_report_pool *p, size_t n);

/* A copy of s in the pool (NULL stays NULL); NULL when memory ran out. */
char *cf_report_pool_str(cf_report_pool *p, const char *s);

/* The pool's one copy of s (NULL stays NULL): equal strings share it. NULL when memory ran
 * out. */
char *cf_report_pool_intern(cf_report_pool *p, const char *s);

/* Frees the pool and everything in it. NULL is fine. */
void cf_report_pool_free(cf_report_pool *p);

#endif
