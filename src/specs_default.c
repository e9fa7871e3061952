/* The default spec PATH of conform run, check and fuzz: the bundled suite. */
#include "specs_default.h"

#include <limits.h>
#include <stdio.h>

#include "util_paths.h"

const char *cf_specs_default(const char *cmd)
{
    static char dir[PATH_MAX];
    char err[PATH_MAX + 128];
    if (cf_paths_bundled_specs(dir, sizeof dir, err, sizeof err) == 0) return dir;
    fprintf(stderr, "%s: no spec PATH given, and %s: give a PATH\n", cmd, err);
    return NULL;
}
