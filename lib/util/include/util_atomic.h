/* The one way libconform and the conform command write a file: into a temporary file beside it,
 * renamed over it only once complete and flushed to disk. A run that ends early, a crash or a
 * full disk leaves the previous file exactly as it was, never a truncated one (docs/reports.md,
 * "Nothing lost"). Paths that are not regular files (/dev/null, /dev/stdout, a FIFO) cannot be
 * replaced that way and are written in place. */
#ifndef CF_UTIL_ATOMIC_H
#define CF_UTIL_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A file being written. Zero it before cf_atomic_open; after a failed open it is zeroed. */
typedef struct cf_atomic_file {
    FILE *fp;   /* where the content goes */
    char *path; /* the destination (owned) */
    char *tmp;  /* the temporary file beside it (owned); NULL when written in place */
} cf_atomic_file;

/* Opens a temporary file in the directory of path (".NAME.tmp-PID-N", the mode of an existing
 * path kept, else 0666 less the umask); path itself is not touched. A path that exists and is
 * not a regular file is opened for writing in place. Returns 0, or -1 with errno set. */
int cf_atomic_open(cf_atomic_file *af, const char *path);

/* Flushes, fsyncs and closes the temporary file and renames it over the destination. Returns 0,
 * or -1 with errno set: the temporary file is then removed and the destination untouched (or,
 * written in place, as far as it got). Frees what af owns either way. */
int cf_atomic_commit(cf_atomic_file *af);

/* Closes and removes the temporary file, leaving the destination as it was; frees what af owns.
 * Safe on a zeroed, committed or aborted af. */
void cf_atomic_abort(cf_atomic_file *af);

/* Writes data[0..len) to path through cf_atomic_open and cf_atomic_commit. Returns 0, or -1 with
 * errno set (path untouched). */
int cf_atomic_write(const char *path, const void *data, size_t len);

/* The name two paths of one file share, for telling that two outputs would write the same file:
 * realpath(3) of path when it exists, else that of its directory joined with its last component
 * ("./a.json", "a.json" and "d/../a.json" give one name). Returns 0, or -1 (errno: the directory
 * does not exist, or the name does not fit in cap). */
int cf_path_canonical(const char *path, char *out, size_t cap);

#endif
