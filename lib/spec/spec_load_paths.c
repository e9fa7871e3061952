/* Loading the spec files of a set of paths: reading files, walking directories in sorted order,
 * the budgets of the whole set (spec_load_paths.h), and cf_spec_load_paths over the case index. */
#include "spec_load.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spec_index.h"
#include "spec_load_paths.h"
#include "spec_yaml.h"
#include "util_buf.h"

#define MAX_DIR_DEPTH 32

static int push_path(cf_spec_paths *l, const char *p)
{
    char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
    if (!nv) return -1;
    l->v = nv;
    size_t len = strlen(p) + 1;
    if (!(nv[l->n] = malloc(len))) return -1;
    memcpy(nv[l->n++], p, len);
    return 0;
}

void cf_spec_paths_free(cf_spec_paths *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Reads the whole spec file into a malloc'd buffer; -1 with an error on failure. */
static int read_file(const char *path, char **text, size_t *len, cf_spec_errors *errs)
{
    return cf_yread_file(path, CF_SPEC_MAX_FILE_SIZE, "a spec file is at most 8 MiB", text, len,
                         errs);
}

size_t cf_spec_load_budgeted(const char *path, cf_spec_file **out, cf_spec_budget *used,
                             size_t *lenp, uint64_t *hash, cf_spec_errors *errs)
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
    *lenp = len;
    *hash = cf_fnv1a64(text, len);
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

int cf_spec_reload(const char *path, uint64_t hash, cf_spec_file **out, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    *out = NULL;
    int rc = -1;
    if (read_file(path, &text, &len, &errs)) {
        snprintf(err, errlen, "%s: cannot be read again: %s", path,
                 errs.count ? errs.items[0].message : "out of memory");
    } else if (cf_fnv1a64(text, len) != hash) {
        snprintf(err, errlen,
                 "%s changed on disk while the run ran (its cases were checked when the run "
                 "began): run again",
                 path);
    } else if (cf_spec_load_text(path, text, len, out, &errs) < 0) {
        snprintf(err, errlen, "%s: cannot be loaded again: %s", path,
                 errs.count ? errs.items[0].message : "out of memory");
    } else {
        rc = 0;
    }
    free(text);
    cf_spec_errors_free(&errs);
    return rc;
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
static int walk_dir(const char *dir, cf_spec_paths *out, int depth, cf_spec_errors *errs)
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
    cf_spec_paths names = {0};
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
    cf_spec_paths_free(&names);
    return rc;
}

int cf_spec_paths_collect(const char *const *paths, size_t npaths, cf_spec_paths *files,
                          cf_spec_errors *errs)
{
    int rc = 0;
    if (npaths == 0) {
        cf_spec_errors_add(errs, "conform", 0, 0, "no spec path given");
        rc = -1;
    }
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
    cf_spec_index *ix = NULL;
    if (cf_spec_index_build(paths, npaths, NULL, SIZE_MAX, NULL, NULL, &ix, errs) < 0) return -1;
    int rc = cf_spec_index_take(ix, set);
    cf_spec_index_free(ix);
    return rc;
}
