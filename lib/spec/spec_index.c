/* The case index of a run (spec_index.h): files checked once, cases loaded again on demand. */
#include "spec_index.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_load.h"
#include "spec_load_paths.h"
#include "util_buf.h"

typedef struct ix_file {
    char *path;
    cf_spec_file *f; /* loaded, or NULL */
    size_t users;    /* cases acquired and not released */
    bool pinned;     /* within the keep budget: loaded for the index's life */
    uint64_t hash;   /* of its text when the index was built */
} ix_file;

/* 32 bits suffice: the spec files of a set are at most CF_SPEC_MAX_SET_SIZE bytes of YAML, which
 * bounds their files, cases and ids. */
_Static_assert(CF_SPEC_MAX_SET_SIZE < UINT32_MAX, "ix_case offsets fit in 32 bits");
typedef struct ix_case {
    uint32_t file, ordinal; /* files[file]->f->cases[ordinal] */
    uint32_t id;            /* offset of its id in ids */
} ix_case;

struct cf_spec_index {
    pthread_mutex_t mu;
    ix_file *files;
    size_t nfiles;
    ix_case *cases;
    size_t ncases;
    char *ids;      /* the indexed cases' ids, each NUL-terminated */
    size_t current; /* the file of the last case acquired: kept while the run is in it */
};

/* One case id of any file loaded and where it is, to find duplicates across files. */
typedef struct id_ref {
    size_t id; /* offset in the id buffer */
    size_t file;
    unsigned line, column;
    size_t order; /* load order: the first definition is named as the first */
} id_ref;

/* A case id and where it is defined, for finding duplicates. */
typedef struct id_place {
    const char *id, *path;
    unsigned line, column;
    size_t order; /* load order: the first definition is named as the first */
} id_place;

static int cmp_place(const void *a, const void *b)
{
    const id_place *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Reports every id that appears twice in v[0..n) (sorted here) at the later place, naming the
 * first; returns the number of errors added. */
static size_t report_duplicates(id_place *v, size_t n, cf_spec_errors *errs)
{
    if (n < 2) return 0;
    qsort(v, n, sizeof *v, cmp_place);
    size_t added = 0, first = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[first].id, v[i].id)) {
            first = i;
            continue;
        }
        cf_spec_errors_add(errs, v[i].path, v[i].line, v[i].column,
                           "duplicate case id '%s' (first defined at %s:%u:%u)", v[i].id,
                           v[first].path, v[first].line, v[first].column);
        added++;
    }
    return added;
}

size_t cf_spec_check_duplicates(cf_spec_file *const *files, size_t nfiles, cf_spec_errors *errs)
{
    size_t total = 0, n = 0;
    for (size_t i = 0; i < nfiles; i++)
        total += files[i]->ncases;
    if (total < 2) return 0;
    id_place *v = malloc(total * sizeof *v);
    if (!v) return 1;
    for (size_t i = 0; i < nfiles; i++)
        for (size_t c = 0; c < files[i]->ncases; c++) {
            const cf_case *k = &files[i]->cases[c];
            if (k->id) v[n] = (id_place){k->id, files[i]->path, k->pos.line, k->pos.column, n}, n++;
        }
    size_t added = report_duplicates(v, n, errs);
    free(v);
    return added;
}

/* Appends s and its NUL to the id buffer b (cf_buf keeps one more NUL after the bytes); its
 * offset into *off. -1: memory. */
static int add_id(cf_buf *b, const char *s, size_t *off)
{
    *off = b->len;
    return cf_buf_add(b, s, strlen(s) + 1);
}

/* The index's duplicate check: refs hold offsets into the id buffer while files load (it moves),
 * turned into places once it no longer does. */
static size_t check_refs(const cf_spec_index *ix, const cf_buf *all, const id_ref *refs, size_t n,
                         cf_spec_errors *errs)
{
    if (n < 2) return 0;
    id_place *v = malloc(n * sizeof *v);
    if (!v) return 1;
    for (size_t i = 0; i < n; i++)
        v[i] = (id_place){all->ptr + refs[i].id, ix->files[refs[i].file].path, refs[i].line,
                          refs[i].column, refs[i].order};
    size_t added = report_duplicates(v, n, errs);
    free(v);
    return added;
}

/* Indexes file fi's cases: every id into refs (for duplicates), the selected ones into ix.
 * -1: memory. */
static int index_file(cf_spec_index *ix, size_t fi, const cf_select *sel, cf_buf *all,
                      id_ref **refs, size_t *nrefs, cf_buf *chosen, size_t *cap,
                      cf_spec_index_visit_fn visit, void *ud)
{
    const cf_spec_file *f = ix->files[fi].f;
    id_ref *nr = realloc(*refs, (*nrefs + f->ncases + 1) * sizeof *nr);
    if (!nr) return -1;
    *refs = nr;
    for (size_t c = 0; c < f->ncases; c++) {
        const cf_case *k = &f->cases[c];
        if (!k->id) continue;
        id_ref *r = &nr[*nrefs];
        *r = (id_ref){.file = fi, .line = k->pos.line, .column = k->pos.column, .order = *nrefs};
        if (add_id(all, k->id, &r->id) < 0) return -1;
        ++*nrefs;
        if (sel && !cf_select_match(sel, k)) continue;
        if (ix->ncases == *cap) {
            size_t ncap = *cap ? *cap * 2 : 64;
            ix_case *p = realloc(ix->cases, ncap * sizeof *p);
            if (!p) return -1;
            ix->cases = p;
            *cap = ncap;
        }
        ix_case *e = &ix->cases[ix->ncases];
        size_t at;
        if (add_id(chosen, k->id, &at) < 0) return -1;
        *e = (ix_case){.file = (uint32_t)fi, .ordinal = (uint32_t)c, .id = (uint32_t)at};
        ix->ncases++;
        if (visit) visit(k, ud);
    }
    return 0;
}

int cf_spec_index_build(const char *const *paths, size_t npaths, const cf_select *sel, size_t keep,
                        cf_spec_index_visit_fn visit, void *ud, cf_spec_index **out,
                        cf_spec_errors *errs)
{
    *out = NULL;
    cf_spec_index *ix = calloc(1, sizeof *ix);
    if (!ix) return -1;
    pthread_mutex_init(&ix->mu, NULL);
    cf_spec_paths files = {0};
    size_t nerr = cf_spec_paths_collect(paths, npaths, &files, errs) < 0;
    ix->files = calloc(files.n ? files.n : 1, sizeof *ix->files);
    cf_buf all = {0}, chosen = {0};
    id_ref *refs = NULL;
    size_t nrefs = 0, cap = 0, total = 0; /* YAML bytes of the files kept */
    bool over = false;                    /* the files are more than keep: none is kept */
    bool oom = !ix->files;
    cf_spec_budget used = {0};
    for (size_t i = 0; !oom && i < files.n; i++) {
        cf_spec_file *f = NULL;
        size_t len = 0;
        uint64_t hash = 0;
        size_t e = cf_spec_load_budgeted(files.v[i], &f, &used, &len, &hash, errs);
        nerr += e;
        if (!f) continue; /* a YAML syntax error: no cases to index */
        ix_file *x = &ix->files[ix->nfiles];
        x->path = files.v[i];
        files.v[i] = NULL;
        x->f = f;
        x->hash = hash;
        /* a file with errors still takes part in the duplicate check, then the build fails */
        oom = index_file(ix, ix->nfiles++, sel, &all, &refs, &nrefs, &chosen, &cap,
                         e ? NULL : visit, ud) < 0;
        /* the files stay loaded only when all of them fit in keep; past it, none does: the
         * first megabyte of a large suite would cost the whole run its model and save it
         * little (a file loads again in about a millisecond) */
        bool was_over = over;
        over = over || len > keep - total;
        if (!over) total += len;
        x->pinned = !e && !over;
        for (size_t k = over && !was_over ? 0 : ix->nfiles - 1; k < ix->nfiles; k++)
            if (!ix->files[k].pinned || over) {
                cf_spec_file_free(ix->files[k].f);
                ix->files[k].f = NULL;
                ix->files[k].pinned = false;
            }
    }
    cf_spec_paths_free(&files);
    if (!oom) nerr += check_refs(ix, &all, refs, nrefs, errs);
    free(refs);
    cf_buf_free(&all);
    ix->ids = chosen.ptr; /* owned by the index from here */
    ix->current = SIZE_MAX;
    if (oom) cf_spec_errors_add(errs, "conform", 0, 0, "out of memory loading the spec files");
    if (oom || nerr) {
        cf_spec_index_free(ix);
        return -1;
    }
    *out = ix;
    return 0;
}

size_t cf_spec_index_count(const cf_spec_index *ix)
{
    return ix->ncases;
}

const char *cf_spec_index_id(const cf_spec_index *ix, size_t i)
{
    return i < ix->ncases ? ix->ids + ix->cases[i].id : "";
}

/* Frees file fi's model when nothing needs it: not pinned, no case of it acquired, and the run
 * is in another file. Called with the lock held. */
static void maybe_unload(cf_spec_index *ix, size_t fi)
{
    ix_file *x = &ix->files[fi];
    if (!x->f || x->pinned || x->users || fi == ix->current) return;
    cf_spec_file_free(x->f);
    x->f = NULL;
}

const cf_case *cf_spec_index_acquire(cf_spec_index *ix, size_t i, char *err, size_t errlen)
{
    if (i >= ix->ncases) {
        snprintf(err, errlen, "no case %zu in the index", i);
        return NULL;
    }
    const ix_case *k = &ix->cases[i];
    pthread_mutex_lock(&ix->mu);
    ix_file *x = &ix->files[k->file];
    /* loaded under the lock: a worker wanting the same file waits for it instead of loading
     * it twice (a file of the bundled suite loads in about a millisecond) */
    if (!x->f && cf_spec_reload(x->path, x->hash, &x->f, err, errlen) < 0) {
        pthread_mutex_unlock(&ix->mu);
        return NULL;
    }
    const cf_case *c = NULL;
    if (k->ordinal < x->f->ncases && !strcmp(x->f->cases[k->ordinal].id, ix->ids + k->id)) {
        x->users++;
        c = &x->f->cases[k->ordinal];
        size_t before = ix->current;
        ix->current = k->file;
        if (before != SIZE_MAX && before != k->file) maybe_unload(ix, before);
    } else { /* the same text loads the same cases: only a bug gets here */
        snprintf(err, errlen, "%s: case %s is not where the index says", x->path, ix->ids + k->id);
    }
    pthread_mutex_unlock(&ix->mu);
    return c;
}

void cf_spec_index_release(cf_spec_index *ix, size_t i)
{
    if (i >= ix->ncases) return;
    pthread_mutex_lock(&ix->mu);
    ix_file *x = &ix->files[ix->cases[i].file];
    if (x->users) x->users--;
    maybe_unload(ix, ix->cases[i].file);
    pthread_mutex_unlock(&ix->mu);
}

int cf_spec_index_take(cf_spec_index *ix, cf_spec_set *set)
{
    set->files = calloc(ix->nfiles ? ix->nfiles : 1, sizeof *set->files);
    set->nfiles = 0;
    if (!set->files) return -1;
    for (size_t i = 0; i < ix->nfiles; i++)
        if (ix->files[i].f) {
            set->files[set->nfiles++] = ix->files[i].f;
            ix->files[i].f = NULL;
        }
    return 0;
}

void cf_spec_index_free(cf_spec_index *ix)
{
    if (!ix) return;
    for (size_t i = 0; ix->files && i < ix->nfiles; i++) {
        cf_spec_file_free(ix->files[i].f);
        free(ix->files[i].path);
    }
    free(ix->files);
    free(ix->cases);
    free(ix->ids);
    pthread_mutex_destroy(&ix->mu);
    free(ix);
}
