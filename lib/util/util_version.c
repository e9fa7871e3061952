/* conform's version: CF_VERSION is defined for this file only, from project(VERSION)
 * (lib/CMakeLists.txt), so a new version recompiles one file. */
#include "util_version.h"

const char *cf_version(void)
{
    return CF_VERSION;
}
