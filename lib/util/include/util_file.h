/* The one whole-file reader of libconform: a regular file, read into memory up to a size cap.
 * FIFOs, devices and directories are refused up front (reading one could block forever or never
 * end), and the cap bounds memory whatever the file claims. */
#ifndef CF_UTIL_FILE_H
#define CF_UTIL_FILE_H

#include <stddef.h>

typedef enum cf_file_status {
    CF_FILE_OK,
    CF_FILE_ERRNO,       /* open or read failed: errno says why */
    CF_FILE_NOT_REGULAR, /* a directory, FIFO, socket or device */
    CF_FILE_TOO_LARGE,   /* more than the cap */
    CF_FILE_NOMEM,
} cf_file_status;

/* Reads the regular file at path, at most max bytes, into *text (NUL-terminated, malloc'd, the
 * caller frees it) and *len. On failure *text is NULL and, for CF_FILE_ERRNO, errno is kept;
 * for CF_FILE_NOT_REGULAR errno is EISDIR for a directory (cf_file_strerror says which). */
cf_file_status cf_file_read(const char *path, size_t max, char **text, size_t *len);

/* Why st failed, as a short phrase ("a directory, not a file", "not a regular file", or
 * strerror(errno) for CF_FILE_ERRNO:
 * call it before anything else can change errno). */
const char *cf_file_strerror(cf_file_status st);

#endif
