/* The resource catalogue (spec_resource.h). */
#include "spec_resource.h"

#include <stdio.h>
#include <string.h>

static const char *const names[CF_RES__COUNT] = {
#define CF_RES_NAME(e, name, what) #name,
    CF_RESOURCES(CF_RES_NAME)
#undef CF_RES_NAME
};

static const char *const whats[CF_RES__COUNT] = {
#define CF_RES_WHAT(e, name, what) what,
    CF_RESOURCES(CF_RES_WHAT)
#undef CF_RES_WHAT
};

int cf_resource_find(const char *name, size_t len)
{
    for (int i = 0; i < CF_RES__COUNT; i++)
        if (strlen(names[i]) == len && !memcmp(names[i], name, len)) return i;
    return -1;
}

const char *cf_resource_name(cf_resource r)
{
    return (unsigned)r < CF_RES__COUNT ? names[r] : "?";
}

bool cf_resource_lacks(cf_resource_set needs, const char *const have[CF_RES__COUNT], char *buf,
                       size_t cap)
{
    for (int i = 0; i < CF_RES__COUNT; i++)
        if ((needs & (1u << i)) && !have[i]) {
            snprintf(buf, cap,
                     "needs resource `%s` (%s): add it to the profile (--profile FILE, "
                     "docs/profiles.md)",
                     names[i], whats[i]);
            return true;
        }
    return false;
}
