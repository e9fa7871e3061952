/* Block reader over a file descriptor: a path, or standard input for "-". */
#include "util_input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int cf_input_open(cf_input *in, const char *path)
{
    memset(in, 0, sizeof *in);
    if (!path || !strcmp(path, "-")) {
        in->fd = STDIN_FILENO;
        in->name = "stdin";
        return 0;
    }
    in->name = path;
    in->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (in->fd < 0) {
        in->err = errno;
        return -1;
    }
    in->owned = 1;
    return 0;
}

cf_input_status cf_input_read(cf_input *in, char *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (cap == 0) {
        in->err = EINVAL;
        return CF_INPUT_ERROR;
    }
    for (;;) {
        ssize_t n = read(in->fd, buf, cap);
        if (n > 0) {
            *got = (size_t)n;
            return CF_INPUT_OK;
        }
        if (n == 0) return CF_INPUT_EOF;
        if (errno == EINTR) continue;
        in->err = errno;
        return CF_INPUT_ERROR;
    }
}

void cf_input_close(cf_input *in)
{
    if (in->owned && in->fd >= 0) close(in->fd);
    in->fd = -1;
    in->owned = 0;
}
