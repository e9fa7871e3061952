/* Where conform finds the files it ships with: the bundled spec suite. */
#ifndef CF_UTIL_PATHS_H
#define CF_UTIL_PATHS_H

#include <stddef.h>

/* The bundled spec directory of the running conform, found from its own path
 * (/proc/self/exe): <prefix>/share/conform/specs for an installed <prefix>/bin/conform, the
 * source tree's specs/ for the binary in its build tree. Writes the canonical directory path
 * into buf (cap bytes) and returns 0; or returns -1 with a one-line reason in err (errcap
 * bytes). */
int cf_paths_bundled_specs(char *buf, size_t cap, char *err, size_t errcap);

#endif
