/* Expectation strings with placeholders ({{authority}}, a capture's {{NAME}}, ...): before a step
 * is judged, a copy of its expectation gets each such string rendered with the case's target
 * values, so that judging and the "expected" text both see the value compared. A plain
 * expectation is judged as loaded, without a copy. */
#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

bool cf_expect_has_placeholders(const cf_expect *e)
{
    for (size_t i = 0; i < e->nheaders; i++)
        if (e->headers[i].tmpl) return true;
    for (size_t i = 0; i < e->nbody; i++)
        if (e->body[i].tmpl) return true;
    for (size_t i = 0; i < e->nsequence; i++)
        if (cf_expect_has_placeholders(&e->sequence[i])) return true;
    for (size_t i = 0; i < e->nany_of; i++)
        if (cf_expect_has_placeholders(&e->any_of[i])) return true;
    return false;
}

void cf_expect_rendered_free(cf_expect *e)
{
    for (size_t i = 0; i < e->nheaders; i++)
        if (e->headers[i].tmpl) free(e->headers[i].bytes);
    for (size_t i = 0; i < e->nbody; i++)
        if (e->body[i].tmpl) free(e->body[i].bytes);
    for (size_t i = 0; i < e->nsequence; i++)
        cf_expect_rendered_free(&e->sequence[i]);
    for (size_t i = 0; i < e->nany_of; i++)
        cf_expect_rendered_free(&e->any_of[i]);
    free(e->headers);
    free(e->body);
    free(e->sequence);
    free(e->any_of);
    memset(e, 0, sizeof *e);
}

/* A copy of n elements of size each (NULL for none); *fail set when memory ran out. */
static void *dup_array(const void *p, size_t n, size_t size, bool *fail)
{
    if (!n) return NULL;
    void *d = malloc(n * size);
    if (d)
        memcpy(d, p, n * size);
    else
        *fail = true;
    return d;
}

/* Replaces *bytes (borrowed from the template's check) by tmpl rendered with t: 0, 1 when t
 * has no value for a placeholder (*bytes is NULL then), -1 when memory ran out. */
static int render_value(const cf_tbytes *tmpl, const cf_spec_target *t, uint8_t **bytes,
                        size_t *len)
{
    cf_buf b = {0};
    int rc = t ? cf_tbytes_render(tmpl, t, &b) : 0;
    rc = !t || (rc && !b.err) ? 1 : rc;
    *len = rc ? 0 : b.len; /* before cf_buf_take empties b */
    *bytes = rc ? NULL : (uint8_t *)cf_buf_take(&b);
    if (!rc && !*bytes) rc = -1;
    cf_buf_free(&b);
    return rc;
}

/* Keeps the worse of two results: memory first, then a missing value. */
static int worse(int a, int b)
{
    return a < 0 || b < 0 ? -1 : a > b ? a : b;
}

int cf_expect_render(const cf_expect *e, const cf_spec_target *t, cf_expect *out)
{
    bool fail = false;
    *out = *e; /* status, complies and patterns are borrowed */
    out->headers = dup_array(e->headers, e->nheaders, sizeof *e->headers, &fail);
    out->body = dup_array(e->body, e->nbody, sizeof *e->body, &fail);
    /* nested parts start zeroed: each is rendered below, or freed as nothing */
    out->sequence = e->nsequence ? calloc(e->nsequence, sizeof *e->sequence) : NULL;
    out->any_of = e->nany_of ? calloc(e->nany_of, sizeof *e->any_of) : NULL;
    fail = fail || (e->nsequence && !out->sequence) || (e->nany_of && !out->any_of);
    if (fail) { /* the arrays that were copied hold borrowed pointers only */
        free(out->headers);
        free(out->body);
        free(out->sequence);
        free(out->any_of);
        memset(out, 0, sizeof *out);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < out->nheaders; i++)
        if (out->headers[i].tmpl)
            rc = worse(rc, render_value(out->headers[i].tmpl, t, &out->headers[i].bytes,
                                        &out->headers[i].bytes_len));
    for (size_t i = 0; i < out->nbody; i++)
        if (out->body[i].tmpl)
            rc = worse(rc, render_value(out->body[i].tmpl, t, &out->body[i].bytes,
                                        &out->body[i].bytes_len));
    for (size_t i = 0; i < out->nsequence; i++)
        rc = worse(rc, cf_expect_render(&e->sequence[i], t, &out->sequence[i]));
    for (size_t i = 0; i < out->nany_of; i++)
        rc = worse(rc, cf_expect_render(&e->any_of[i], t, &out->any_of[i]));
    return rc;
}
