/* Writing a file whole or not at all (util_atomic.h). */
#include "util_atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_buf.h"

#define TMP_TRIES 100

static atomic_uint tmp_counter;

/* The directory part of path ("." when it has none), malloc'd; NULL when memory ran out. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return cf_strfmt(".");
    if (slash == path) return cf_strfmt("/");
    return cf_strfmt("%.*s", (int)(slash - path), path);
}

/* The last component of path. */
static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Creates the temporary file beside af->path with mode; fills af->tmp and af->fp. */
static int open_tmp(cf_atomic_file *af, mode_t mode, bool keep_mode)
{
    char *dir = dir_of(af->path);
    if (!dir) return errno = ENOMEM, -1;
    int fd = -1;
    for (int i = 0; i < TMP_TRIES && fd < 0; i++) {
        free(af->tmp);
        af->tmp = cf_strfmt("%s/.%s.tmp-%ld-%u", dir, base_of(af->path), (long)getpid(),
                            atomic_fetch_add(&tmp_counter, 1));
        if (!af->tmp) break;
        fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, keep_mode ? 0600 : 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    free(dir);
    if (fd < 0) { /* af->tmp names no file of ours: never remove it */
        int e = af->tmp ? errno : ENOMEM;
        free(af->tmp);
        af->tmp = NULL;
        errno = e;
        return -1;
    }
    /* replacing a file keeps its permissions; the umask applies to a new one */
    if (keep_mode) (void)fchmod(fd, mode & 07777);
    if (!(af->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        errno = e;
        return -1; /* the caller's cf_atomic_abort removes af->tmp */
    }
    return 0;
}

int cf_atomic_open(cf_atomic_file *af, const char *path)
{
    memset(af, 0, sizeof *af);
    struct stat st;
    bool exists = stat(path, &st) == 0;
    /* a symlink stays a symlink: the file it names is the one replaced */
    af->path = exists ? realpath(path, NULL) : cf_strfmt("%s", path);
    if (!af->path) return -1;
    if (exists && !S_ISREG(st.st_mode)) { /* /dev/null, a FIFO: no rename possible */
        af->fp = fopen(path, "w");
    } else if (open_tmp(af, exists ? st.st_mode : 0, exists) < 0) {
        int e = errno;
        cf_atomic_abort(af);
        errno = e;
        return -1;
    }
    if (!af->fp) {
        int e = errno;
        cf_atomic_abort(af);
        errno = e;
        return -1;
    }
    return 0;
}

/* fsync of the directory of path, so that the rename itself survives a power loss; a file system
 * that cannot (EINVAL) is not an error. */
static void sync_dir(const char *path)
{
    char *dir = dir_of(path);
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int cf_atomic_commit(cf_atomic_file *af)
{
    if (!af->fp) return errno = EBADF, -1;
    bool ok = fflush(af->fp) == 0 && !ferror(af->fp);
    int e = errno;
    if (ok && af->tmp && fsync(fileno(af->fp)) != 0) ok = false, e = errno;
    if (fclose(af->fp) != 0 && ok) ok = false, e = errno;
    af->fp = NULL;
    if (ok && af->tmp && rename(af->tmp, af->path) != 0) ok = false, e = errno;
    if (ok && af->tmp) {
        free(af->tmp); /* renamed: nothing left to remove */
        af->tmp = NULL;
        sync_dir(af->path);
    }
    cf_atomic_abort(af);
    if (!ok) errno = e ? e : EIO;
    return ok ? 0 : -1;
}

void cf_atomic_abort(cf_atomic_file *af)
{
    int e = errno;
    if (af->fp) fclose(af->fp);
    if (af->tmp) unlink(af->tmp);
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof *af);
    errno = e;
}

int cf_atomic_write(const char *path, const void *data, size_t len)
{
    cf_atomic_file af;
    if (cf_atomic_open(&af, path) < 0) return -1;
    if (len && fwrite(data, 1, len, af.fp) != len) {
        int e = errno;
        cf_atomic_abort(&af);
        errno = e ? e : EIO;
        return -1;
    }
    return cf_atomic_commit(&af);
}

int cf_path_canonical(const char *path, char *out, size_t cap)
{
    char *real = realpath(path, NULL);
    if (!real) {
        char *dir = dir_of(path);
        char *rdir = dir ? realpath(dir, NULL) : NULL;
        free(dir);
        if (!rdir) return -1;
        const char *sep = rdir[strlen(rdir) - 1] == '/' ? "" : "/";
        real = cf_strfmt("%s%s%s", rdir, sep, base_of(path));
        free(rdir);
        if (!real) return errno = ENOMEM, -1;
    }
    size_t n = strlen(real);
    if (n >= cap) {
        free(real);
        return errno = ENAMETOOLONG, -1;
    }
    memcpy(out, real, n + 1);
    free(real);
    return 0;
}
