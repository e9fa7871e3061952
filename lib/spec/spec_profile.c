/* Target profiles (spec_profile.h, docs/profiles.md). */
#include "spec_profile.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h1_parser.h"
#include "spec_yaml.h"

void cf_profile_free(cf_profile *p)
{
    for (int i = 0; i < CF_RES__COUNT; i++)
        free(p->path[i]);
    free(p->file);
    memset(p, 0, sizeof *p);
}

static int set_path(cf_profile *p, cf_resource r, const char *path)
{
    char *s = cf_ystrdup(path);
    if (!s) return -1;
    free(p->path[r]);
    p->path[r] = s;
    return 0;
}

/* 16 hex digits from /dev/urandom (or the clock and pid when it cannot be read), so that the
 * missing path is one no server serves by accident. */
static void random_hex(char out[17])
{
    unsigned char b[8] = {0};
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, b, sizeof b) != (ssize_t)sizeof b) {
        unsigned long v = (unsigned long)getpid() * 2654435761u ^ (unsigned long)b[0];
        memcpy(b, &v, sizeof v < sizeof b ? sizeof v : sizeof b);
    }
    if (fd >= 0) close(fd);
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int cf_profile_defaults(cf_profile *p)
{
    char missing[64], hex[17];
    memset(p, 0, sizeof *p);
    random_hex(hex);
    snprintf(missing, sizeof missing, "/conform-missing-%s", hex);
    if (set_path(p, CF_RES_PAGE, "/") || set_path(p, CF_RES_MISSING, missing)) {
        cf_profile_free(p);
        return -1;
    }
    return 0;
}

int cf_profile_builtin(cf_profile *p)
{
    /* conform serve's resources (lib/serve/serve_routes.c, docs/commands/serve.md) */
    static const char *const paths[CF_RES__COUNT] = {
        [CF_RES_PAGE] = "/",
        [CF_RES_MISSING] = "/conform-no-such-resource",
        [CF_RES_BODY] = "/echo",
        [CF_RES_ECHO] = "/echo",
        [CF_RES_STATUS] = "/status/{code}",
        [CF_RES_REDIRECT] = "/redirect",
        [CF_RES_VALIDATED] = "/",
        [CF_RES_PROTECTED] = "/protected",
    };
    memset(p, 0, sizeof *p);
    for (int i = 0; i < CF_RES__COUNT; i++)
        if (set_path(p, (cf_resource)i, paths[i])) {
            cf_profile_free(p);
            return -1;
        }
    return 0;
}

void cf_profile_apply(const cf_profile *p, cf_spec_target *t)
{
    for (int i = 0; i < CF_RES__COUNT; i++)
        t->resource[i] = p->path[i];
}

/* Why path is not a resource path, or NULL: it must be an origin-form request-target (RFC 9112
 * §3.2.1) as conform's strict parser reads one, the status resource's with one "{code}". */
static const char *bad_path(const char *path, cf_resource r)
{
    size_t n = strlen(path);
    if (n == 0 || path[0] != '/') return "a resource is a path starting with '/' (origin-form)";
    if (n > CF_PROFILE_MAX_PATH) return "path too long (at most 2048 bytes)";
    const char *code = strstr(path, "{code}");
    if (r == CF_RES_STATUS && (!code || strstr(code + 1, "{code}")))
        return "the status resource's path holds {code} once, e.g. /status/{code}";
    char req[CF_PROFILE_MAX_PATH + 64];
    size_t at = code && r == CF_RES_STATUS ? (size_t)(code - path) : n;
    snprintf(req, sizeof req, "GET %.*s%s%s HTTP/1.1\r\nHost: h\r\n\r\n", (int)at, path,
             at < n ? "200" : "", at < n ? path + at + 6 : "");
    h1_parser hp;
    h1_parser_init(&hp, H1_REQUEST);
    if (h1_parse_head(&hp, req, strlen(req)) != H1_DONE || hp.msg.target_form != H1_TARGET_ORIGIN)
        return "not a valid origin-form request-target (RFC 9112 §3.2.1): only unreserved, "
               "sub-delims, ':', '@', '/', '?' and %XX (RFC 3986)";
    return NULL;
}

static void load_resources(cf_yctx *ctx, yaml_node_t *node, cf_profile *p)
{
    static const char *const keys[] = {
#define CF_RES_KEY(e, name, what) #name,
        CF_RESOURCES(CF_RES_KEY)
#undef CF_RES_KEY
            NULL};
    if (!cf_ymap_check(ctx, node, "'resources'", keys)) return;
    for (int i = 0; i < CF_RES__COUNT && !ctx->stop; i++) {
        yaml_node_t *v = cf_ymap_get(ctx, node, keys[i]);
        if (!v) continue;
        if (cf_yis_null(v)) { /* "the target has no such resource" */
            free(p->path[i]);
            p->path[i] = NULL;
            continue;
        }
        char *s = NULL;
        if (!cf_ystr(ctx, v, keys[i], &s)) continue;
        const char *why = bad_path(s, (cf_resource)i);
        if (why) {
            cf_yerr(ctx, v, "resource '%s': %s", keys[i], why);
            free(s);
            continue;
        }
        free(p->path[i]);
        p->path[i] = s;
    }
}

int cf_profile_load_text(const char *name, const char *text, size_t len, cf_profile *p,
                         cf_spec_errors *errs)
{
    size_t before = errs->count;
    if (cf_profile_defaults(p) < 0) {
        cf_spec_errors_add(errs, name, 0, 0, "out of memory");
        return -1;
    }
    yaml_document_t doc;
    if (!cf_yparse(name, text, len, &doc, "profile", errs)) {
        cf_profile_free(p);
        return -1;
    }
    static const char *const keys[] = {"profile", "resources", NULL};
    cf_yctx ctx = {.doc = &doc, .path = name, .errs = errs};
    yaml_node_t *root = yaml_document_get_root_node(&doc), *v;
    unsigned long version = 0;
    if (!root)
        cf_spec_errors_add(errs, name, 1, 1,
                           "empty file: expected a mapping with profile: 1 "
                           "and resources");
    else if (cf_ymap_check(&ctx, root, "a profile", keys)) {
        if ((v = cf_ymap_require(&ctx, root, "profile", "a profile")))
            cf_yuint(&ctx, v, "'profile' (the format's version)", 1, 1, &version);
        if ((v = cf_ymap_require(&ctx, root, "resources", "a profile"))) load_resources(&ctx, v, p);
    }
    yaml_document_delete(&doc);
    if (errs->count > before) {
        cf_profile_free(p);
        return -1;
    }
    p->file = cf_ystrdup(name);
    return p->file ? 0 : -1;
}

int cf_profile_load(const char *path, cf_profile *p, cf_spec_errors *errs)
{
    char *text = NULL;
    size_t len = 0;
    memset(p, 0, sizeof *p);
    if (cf_yread_file(path, CF_PROFILE_MAX_FILE_SIZE, "a profile is at most 64 KiB", &text, &len,
                      errs) < 0)
        return -1;
    int rc = cf_profile_load_text(path, text, len, p, errs);
    free(text);
    return rc;
}
