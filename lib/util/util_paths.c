/* The bundled spec directory, found from the running binary's own path.
 *
 * Compile definitions (lib/CMakeLists.txt):
 *   CF_SPECS_FROM_BINDIR  the installed specs relative to the installed binary's directory
 *                         ("../share/conform/specs" with the GNU install directories)
 *   CF_BUILD_BINDIR       the directory the build puts the conform binary in
 *   CF_SOURCE_SPECS_DIR   the source tree's specs/, for that build-tree binary */
#include "util_paths.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory of the running executable, into dir (PATH_MAX bytes). */
static int exe_dir(char *dir, char *err, size_t errcap)
{
    ssize_t n = readlink("/proc/self/exe", dir, PATH_MAX);
    if (n <= 0 || n >= PATH_MAX) {
        snprintf(err, errcap, "cannot find the running binary (/proc/self/exe: %s)",
                 n < 0 ? strerror(errno) : "path too long");
        return -1;
    }
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash) slash[slash == dir] = '\0'; /* "/conform" keeps its "/" */
    return 0;
}

/* Whether a and b name the same directory (compared by device and inode). */
static bool same_dir(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISDIR(sa.st_mode) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Resolves the directory path into buf; -1 with a reason when it is not one. */
static int resolve_dir(const char *path, char *buf, size_t cap, char *err, size_t errcap)
{
    char real[PATH_MAX];
    struct stat st;
    errno = 0;
    if (!realpath(path, real) || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errcap, "no bundled specs at %s (%s)", path,
                 errno ? strerror(errno) : "not a directory");
        return -1;
    }
    if (strlen(real) >= cap) {
        snprintf(err, errcap, "bundled specs path too long: %s", real);
        return -1;
    }
    memcpy(buf, real, strlen(real) + 1);
    return 0;
}

int cf_paths_bundled_specs(char *buf, size_t cap, char *err, size_t errcap)
{
    char dir[PATH_MAX], path[PATH_MAX + sizeof CF_SPECS_FROM_BINDIR + 1];
    if (exe_dir(dir, err, errcap) < 0) return -1;
    if (same_dir(dir, CF_BUILD_BINDIR))
        return resolve_dir(CF_SOURCE_SPECS_DIR, buf, cap, err, errcap);
    snprintf(path, sizeof path, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", CF_SPECS_FROM_BINDIR);
    return resolve_dir(path, buf, cap, err, errcap);
}
