/* The resources a spec step may name ({{resource.NAME}}) and a target profile provides: what a
 * server serves, by role, so that a case runs on any server that has the role, and is SKIP on
 * one that does not (docs/profiles.md). */
#ifndef CF_SPEC_RESOURCE_H
#define CF_SPEC_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>

/* X(ENUM, name, what the resource must do): the catalogue, in the order profiles list it. */
#define CF_RESOURCES(X)                                                                            \
    X(PAGE, page, "GET and HEAD answer 200 with content")                                          \
    X(MISSING, missing, "GET answers 404")                                                         \
    X(BODY, body, "reads a request's content (POST) and answers 2xx")                              \
    X(ECHO, echo, "answers with how it read the request, as conform serve's /echo does")           \
    X(STATUS, status, "answers with the status code in its path; the path holds {code}")           \
    X(REDIRECT, redirect, "GET answers 3xx with Location")                                         \
    X(VALIDATED, validated, "GET answers 200 with an ETag or Last-Modified validator")             \
    X(PROTECTED, protected, "GET answers 401 with a WWW-Authenticate challenge")

typedef enum cf_resource {
#define CF_RES_ENUM(e, name, what) CF_RES_##e,
    CF_RESOURCES(CF_RES_ENUM)
#undef CF_RES_ENUM
        CF_RES__COUNT
} cf_resource;

/* A set of resources: bit (1u << cf_resource). */
typedef unsigned cf_resource_set;

/* The resource named name[0..len), or -1. */
int cf_resource_find(const char *name, size_t len);

/* "page", "missing"...; "?" out of range. */
const char *cf_resource_name(cf_resource r);

/* Why a case needing `needs` cannot run on a target whose resources are have[] (have[r] NULL:
 * not given), one line ("needs resource `status` (...): add it to the profile") in buf; false
 * when it has them all. */
bool cf_resource_lacks(cf_resource_set needs, const char *const have[CF_RES__COUNT], char *buf,
                       size_t cap);

#endif
