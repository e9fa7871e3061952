/* The spec PATH a command uses when it is given none: the bundled suite. */
#ifndef CF_SPECS_DEFAULT_H
#define CF_SPECS_DEFAULT_H

/* The bundled spec directory (util_paths.h), in static storage; NULL after printing why it
 * is missing, prefixed with cmd ("conform run"), to stderr. */
const char *cf_specs_default(const char *cmd);

#endif
