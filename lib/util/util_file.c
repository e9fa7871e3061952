/* The whole-file reader (util_file.h). */
#include "util_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads fd to its end into a buffer grown from the size fstat gave (files can change size
 * while read: the cap is checked on what arrives, not on what was announced). */
static cf_file_status read_all(int fd, size_t hint, size_t max, char **text, size_t *len)
{
    size_t cap = (hint < max ? hint : max) + 1, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) return CF_FILE_NOMEM;
    for (;;) {
        if (n == cap) {
            if (cap > max) break;
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) return free(buf), CF_FILE_NOMEM;
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            errno = e;
            return CF_FILE_ERRNO;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    if (n > max) return free(buf), CF_FILE_TOO_LARGE;
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return CF_FILE_OK;
}

cf_file_status cf_file_read(const char *path, size_t max, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return CF_FILE_ERRNO;
    struct stat st;
    cf_file_status rc;
    if (fstat(fd, &st) != 0)
        rc = CF_FILE_ERRNO;
    else if (!S_ISREG(st.st_mode))
        rc = CF_FILE_NOT_REGULAR, errno = S_ISDIR(st.st_mode) ? EISDIR : 0;
    else if ((uint64_t)st.st_size > max)
        rc = CF_FILE_TOO_LARGE;
    else
        rc = read_all(fd, (size_t)st.st_size, max, text, len);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

const char *cf_file_strerror(cf_file_status st)
{
    switch (st) {
    case CF_FILE_OK: return "no error";
    case CF_FILE_ERRNO: return strerror(errno);
    case CF_FILE_NOT_REGULAR:
        return errno == EISDIR ? "a directory, not a file" : "not a regular file";
    case CF_FILE_TOO_LARGE: return "file too large";
    case CF_FILE_NOMEM: return "out of memory";
    }
    return "unknown error";
}
