/* Loading spec files from paths: reading files, walking directories in sorted order, and
 * checking that case ids are unique across everything loaded. */
#include "spec_load.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spec_yaml.h"

#define MAX_DIR_DEPTH 32

/* A list of paths (malloc'd strings). */
typedef struct path_list {
    char **v;
    size_t n;
} path_list;

static int push_path(path_list *l, const char *p)
{
    char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
    if (!nv) return -1;
    l->v = nv;
    size_t len = strlen(p) + 1;
    if (!(nv[l->n] = malloc(len))) return -1;
    memcpy(nv[l->n++], p, len);
    return 0;
}

static void free_paths(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* Reads the whole spec file into a malloc'd buffer; -1 with an error on failure. */
static int read_file(const char *path, char **text, size_t *len, cf_spec_errors *errs)
{
    return cf_yread_file(path, CF_SPEC_MAX_FILE_SIZE, "a spec file is at most 8 MiB", text, len,
                         errs);
}

/* What the files loaded so far hold together (CF_SPEC_MAX_SET_SIZE, CF_SPEC_MAX_SET_REGEX):
 * each file has its own budgets, and these keep a directory of many files bounded too. */
typedef struct set_budget {
    size_t text, regex;
} set_budget;

static size_t load_one_partial(const char *path, cf_spec_file **out, set_budget *used,
                               cf_spec_errors *errs)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    if (read_file(path, &text, &len, errs)) return 1;
    if (len > CF_SPEC_MAX_SET_SIZE - used->text) {
        free(text);
        cf_spec_errors_add(errs, path, 0, 0, "the spec files together are larger than %u MiB",
                           CF_SPEC_MAX_SET_SIZE / (1024 * 1024));
        return 1;
    }
    used->text += len;
    size_t n = cf_spec_load_partial(path, text, len, out, errs);
    free(text);
    if (*out && (*out)->regex_bytes > CF_SPEC_MAX_SET_REGEX - used->regex) {
        cf_spec_errors_add(errs, path, 0, 0,
                           "the compiled regular expressions of the spec files together take "
                           "more than %u MiB",
                           CF_SPEC_MAX_SET_REGEX / (1024 * 1024));
        return n + 1;
    }
    if (*out) used->regex += (*out)->regex_bytes;
    return n;
}

int cf_spec_load_file(const char *path, cf_spec_file **out, cf_spec_errors *errs)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    if (read_file(path, &text, &len, errs)) return -1;
    int rc = cf_spec_load_text(path, text, len, out, errs);
    free(text);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_spec_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

/* Appends the spec files under dir to out, sorted, recursing into subdirectories. */
static int walk_dir(const char *dir, path_list *out, int depth, cf_spec_errors *errs)
{
    if (depth > MAX_DIR_DEPTH) {
        cf_spec_errors_add(errs, dir, 0, 0, "directories nested too deeply (at most %d)",
                           MAX_DIR_DEPTH);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        cf_spec_errors_add(errs, dir, 0, 0, "cannot open directory: %s", strerror(errno));
        return -1;
    }
    path_list names = {0};
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && push_path(&names, e->d_name)) rc = -1;
    closedir(d);
    if (names.n) qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        size_t len = strlen(dir) + strlen(names.v[i]) + 2;
        char *full = malloc(len);
        if (!full) {
            rc = -1;
            break;
        }
        bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
        snprintf(full, len, "%s%s%s", dir, slash ? "" : "/", names.v[i]);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
            rc = walk_dir(full, out, depth + 1, errs);
        else if (is_spec_name(names.v[i]) && push_path(out, full))
            rc = -1;
        free(full);
    }
    free_paths(&names);
    return rc;
}

/* Expands paths into the list of files to load; -1 after errors (already reported). */
static int collect(const char *const *paths, size_t npaths, path_list *files, cf_spec_errors *errs)
{
    int rc = 0;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        size_t before = files->n;
        if (stat(paths[i], &st) != 0) {
            cf_spec_errors_add(errs, paths[i], 0, 0, "cannot open: %s", strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            if (walk_dir(paths[i], files, 0, errs))
                rc = -1;
            else if (files->n == before) {
                cf_spec_errors_add(errs, paths[i], 0, 0,
                                   "no spec files (*.yaml, *.yml) found in this directory");
                rc = -1;
            }
        } else if (push_path(files, paths[i])) {
            rc = -1;
        }
    }
    return rc;
}

int cf_spec_load_paths(const char *const *paths, size_t npaths, cf_spec_set *set,
                       cf_spec_errors *errs)
{
    set->files = NULL;
    set->nfiles = 0;
    path_list files = {0};
    size_t nerr = 0;
    if (collect(paths, npaths, &files, errs)) nerr++;
    if (npaths == 0) {
        cf_spec_errors_add(errs, "conform", 0, 0, "no spec path given");
        nerr++;
    }
    set->files = calloc(files.n ? files.n : 1, sizeof *set->files);
    if (!set->files) nerr++;
    set_budget used = {0};
    for (size_t i = 0; set->files && i < files.n; i++) {
        cf_spec_file *f = NULL;
        nerr += load_one_partial(files.v[i], &f, &used, errs);
        if (f) set->files[set->nfiles++] = f;
    }
    free_paths(&files);
    if (set->files) nerr += cf_spec_check_duplicates(set->files, set->nfiles, errs);
    if (nerr) {
        cf_spec_set_free(set);
        return -1;
    }
    return 0;
}

/* One case id and where it is, for sorting. */
typedef struct id_ref {
    const char *id;
    const cf_case *c;
    size_t order; /* load order, so the first definition is reported as first */
} id_ref;

static int cmp_id(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

size_t cf_spec_check_duplicates(cf_spec_file *const *files, size_t nfiles, cf_spec_errors *errs)
{
    size_t total = 0;
    for (size_t i = 0; i < nfiles; i++)
        total += files[i]->ncases;
    if (!total) return 0;
    id_ref *refs = malloc(total * sizeof *refs);
    if (!refs) return 1;
    size_t n = 0;
    for (size_t i = 0; i < nfiles; i++)
        for (size_t c = 0; c < files[i]->ncases; c++)
            if (files[i]->cases[c].id)
                refs[n] = (id_ref){files[i]->cases[c].id, &files[i]->cases[c], n}, n++;
    qsort(refs, n, sizeof *refs, cmp_id);
    size_t added = 0;
    for (size_t i = 1; i < n; i++) {
        size_t first = i - 1;
        while (first > 0 && !strcmp(refs[first - 1].id, refs[i].id))
            first--;
        if (strcmp(refs[first].id, refs[i].id)) continue;
        const cf_case *a = refs[first].c, *b = refs[i].c;
        cf_spec_errors_add(errs, b->file->path, b->pos.line, b->pos.column,
                           "duplicate case id '%s' (first defined at %s:%u:%u)", b->id,
                           a->file->path, a->pos.line, a->pos.column);
        added++;
    }
    free(refs);
    return added;
}
