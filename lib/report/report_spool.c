/* The report writers' temporary file: case ranges per target, and copying ranges out
 * (report_spool.h). */
#include "report_spool.h"

#include <stdlib.h>
#include <string.h>

int cf_spool_index_add(cf_spool_index *ix, size_t target, cf_spool_range range)
{
    if (target >= ix->ntargets) {
        struct cf_spool_target *t = realloc(ix->targets, (target + 1) * sizeof *t);
        if (!t) return -1;
        memset(t + ix->ntargets, 0, (target + 1 - ix->ntargets) * sizeof *t);
        ix->targets = t;
        ix->ntargets = target + 1;
    }
    struct cf_spool_target *t = &ix->targets[target];
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        cf_spool_range *v = realloc(t->v, cap * sizeof *v);
        if (!v) return -1;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = range;
    return 0;
}

size_t cf_spool_index_count(const cf_spool_index *ix, size_t target)
{
    return target < ix->ntargets ? ix->targets[target].n : 0;
}

const cf_spool_range *cf_spool_index_get(const cf_spool_index *ix, size_t target, size_t i)
{
    return i < cf_spool_index_count(ix, target) ? &ix->targets[target].v[i] : NULL;
}

void cf_spool_index_free(cf_spool_index *ix)
{
    for (size_t i = 0; i < ix->ntargets; i++)
        free(ix->targets[i].v);
    free(ix->targets);
    memset(ix, 0, sizeof *ix);
}

int cf_spool_copy(FILE *src, uint64_t offset, uint64_t len, FILE *out)
{
    if (len == 0) return 0;
    if (fseek(src, (long)offset, SEEK_SET) != 0) return -1;
    char chunk[65536];
    for (uint64_t left = len; left > 0;) {
        size_t want = left < sizeof chunk ? (size_t)left : sizeof chunk;
        if (fread(chunk, 1, want, src) != want || fwrite(chunk, 1, want, out) != want) return -1;
        left -= want;
    }
    return 0;
}

int cf_spool_open(cf_spool *s)
{
    memset(s, 0, sizeof *s);
    s->tmp = tmpfile();
    return s->tmp ? 0 : -1;
}

int cf_spool_open_pair(FILE *tmp[2])
{
    tmp[0] = tmpfile();
    tmp[1] = tmp[0] ? tmpfile() : NULL;
    if (tmp[1]) return 0;
    if (tmp[0]) fclose(tmp[0]);
    tmp[0] = NULL;
    return -1;
}

int cf_spool_piece(cf_spool *s, size_t target, void (*write)(FILE *tmp, const void *ud),
                   const void *ud)
{
    long at = s->err ? -1 : ftell(s->tmp);
    if (at >= 0) write(s->tmp, ud);
    long end = at < 0 ? -1 : ftell(s->tmp);
    if (end < at || ferror(s->tmp) ||
        cf_spool_index_add(&s->ix, target, (cf_spool_range){(uint64_t)at, (uint64_t)(end - at)}) <
            0)
        s->err = true;
    return s->err ? -1 : 0;
}

int cf_spool_copy_target(cf_spool *s, size_t target, FILE *out)
{
    if (s->err || fflush(s->tmp) != 0) return -1;
    for (size_t i = 0; i < cf_spool_index_count(&s->ix, target); i++) {
        const cf_spool_range *e = cf_spool_index_get(&s->ix, target, i);
        if (!e || cf_spool_copy(s->tmp, e->offset, e->len, out) < 0) return -1;
    }
    return 0;
}

void cf_spool_close(cf_spool *s)
{
    if (s->tmp) fclose(s->tmp);
    cf_spool_index_free(&s->ix);
    memset(s, 0, sizeof *s);
}

void *cf_spool_stream_new(size_t size, cf_rules_mode rules, bool strict)
{
    cf_spool_stream *s = size >= sizeof *s ? calloc(1, size) : NULL;
    if (s && cf_spool_open(&s->sp) < 0) {
        free(s);
        return NULL;
    }
    if (s) {
        s->rules = rules;
        s->strict = strict;
    }
    return s;
}

void cf_spool_stream_free(void *s)
{
    if (!s) return;
    cf_spool_close(&((cf_spool_stream *)s)->sp);
    free(s);
}
