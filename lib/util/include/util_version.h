/* conform's version, from project(VERSION) in the top-level CMakeLists.txt. */
#ifndef CF_UTIL_VERSION_H
#define CF_UTIL_VERSION_H

/* The version string, e.g. "0.1.0" (static storage). */
const char *cf_version(void);

#endif
