/* conform profile: the probes, one per resource of the catalogue (spec_resource.h), each a few
 * small requests on connections of their own, in catalogue order (a later probe uses what an
 * earlier one found: the body probe checks its framing with a GET of the page). */
#include "probe_internal.h"

#include <stdlib.h>
#include <string.h>

#include "net_preflight.h"
#include "rules.h"
#include "spec_profile.h"
#include "util_version.h"

/* "METHOD PATH HTTP/1.1" with Host and, when body is given, its Content-Length framing
 * (RFC 9112 §6.2); close asks the server to close after answering (RFC 9112 §9.6). */
static void add_request(probe_ctx *p, cf_buf *b, const char *method, const char *path,
                        const char *body, bool close)
{
    cf_buf_fmt(b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: conform/%s (profile)\r\n", method,
               path, p->authority, cf_version());
    if (body) cf_buf_fmt(b, "Content-Type: text/plain\r\nContent-Length: %zu\r\n", strlen(body));
    cf_buf_fmt(b, "%s\r\n%s", close ? "Connection: close\r\n" : "", body ? body : "");
}

/* One request on its own connection; its description appended to tried (after "; " when
 * tried holds one already). Returns the complete response, or NULL. */
static const cf_obs_response *ask(probe_ctx *p, const char *method, const char *path,
                                  probe_answer *a, cf_buf *tried)
{
    cf_buf req = {0};
    add_request(p, &req, method, path, NULL, true);
    if (req.err) {
        p->oom = true;
        memset(a, 0, sizeof *a);
        return NULL;
    }
    probe_exchange(p, req.ptr, false, a);
    cf_buf_free(&req);
    if (tried->len) cf_buf_str(tried, "; ");
    probe_describe(p, a, 0, method, path, tried);
    return probe_response(a, 0);
}

/* Records resource res as found at path, with the evidence of the attempt that found it: what
 * tried holds from offset mark on (the earlier attempts are left out). */
static void found(probe_ctx *p, cf_resource res, const char *path, cf_buf *tried, size_t mark)
{
    const char *ev = tried->ptr ? tried->ptr + mark : "";
    if (!strncmp(ev, "; ", 2)) ev += 2;
    p->r->path[res] = strdup(path);
    p->r->evidence[res] = strdup(ev);
    cf_buf_free(tried);
    if (!p->r->path[res] || !p->r->evidence[res]) p->oom = true;
}

/* Records resource res as not found: "not found — " what was tried. */
static void not_found(probe_ctx *p, cf_resource res, cf_buf *tried)
{
    p->r->evidence[res] = cf_strfmt("not found — %s", tried->len ? tried->ptr : "not tried");
    cf_buf_free(tried);
    if (!p->r->evidence[res]) p->oom = true;
}

static bool has_field(const cf_obs_response *r, const char *name)
{
    return cf_rules_field(r, name) != NULL;
}

/* Whether r plays a resource's role; appends what shows it (or why not) to tried. */
typedef bool (*plays_fn)(const cf_obs_response *r, cf_buf *tried);

/* GETs each candidate (NULL ones skipped) until one plays the role; records it, or what was
 * tried. */
static void try_paths(probe_ctx *p, cf_resource res, const char *const *candidates, size_t n,
                      plays_fn plays)
{
    cf_buf tried = {0};
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i]) continue;
        size_t mark = tried.len;
        probe_answer a;
        bool ok = plays(ask(p, "GET", candidates[i], &a, &tried), &tried);
        probe_answer_free(&a);
        if (ok) {
            found(p, res, candidates[i], &tried, mark);
            return;
        }
    }
    not_found(p, res, &tried);
}

/* page: GET answers 200 with content, and HEAD of it 200 (RFC 9110 §9.3.1, §9.3.2). */
static void probe_page(probe_ctx *p)
{
    static const char *const candidates[] = {"/", "/index.html"};
    cf_buf tried = {0};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        size_t mark = tried.len;
        probe_answer a, h;
        const cf_obs_response *r = ask(p, "GET", candidates[i], &a, &tried);
        bool ok = r && r->status == 200 && r->body_total > 0;
        uint64_t size = ok ? r->body_total : 0;
        p->page_etag = ok && has_field(r, "ETag");
        p->page_last_modified = ok && has_field(r, "Last-Modified");
        probe_answer_free(&a);
        if (!ok) continue;
        cf_buf_fmt(&tried, ", %llu bytes", (unsigned long long)size);
        const cf_obs_response *hr = ask(p, "HEAD", candidates[i], &h, &tried);
        ok = hr && hr->status == 200;
        probe_answer_free(&h);
        if (ok) {
            found(p, CF_RES_PAGE, candidates[i], &tried, mark);
            return;
        }
    }
    p->page_etag = p->page_last_modified = false;
    not_found(p, CF_RES_PAGE, &tried);
}

/* A 404 (RFC 9110 §15.5.5). */
static bool is_404(const cf_obs_response *r, cf_buf *tried)
{
    (void)tried;
    return r && r->status == 404;
}

/* missing: a path no server has (conform's default missing path) answers 404. */
static void probe_missing(probe_ctx *p)
{
    cf_profile d;
    if (cf_profile_defaults(&d) < 0) {
        p->oom = true;
        return;
    }
    const char *const candidates[] = {d.path[CF_RES_MISSING]};
    try_paths(p, CF_RES_MISSING, candidates, 1, is_404);
    cf_profile_free(&d);
}

/* True when the POST's answer (2xx), then the follow-up's (its expected status) came, and
 * nothing more before the server closed: the server read the content as its Content-Length
 * frames it (RFC 9112 §6.2). The content is itself a request (for the missing path), so a
 * server that skips it, or reads it as the next request, answers three times, or answers the
 * follow-up from the middle of the content. */
static bool reads_body(probe_ctx *p, const char *path, const char *after, int after_status,
                       cf_buf *tried)
{
    cf_buf req = {0}, body = {0};
    const char *missing = p->r->path[CF_RES_MISSING];
    add_request(p, &body, "GET", missing ? missing : "/conform-probe-content", NULL, false);
    if (!body.err) add_request(p, &req, "POST", path, body.ptr, false);
    add_request(p, &req, "GET", after, NULL, true);
    bool oom = req.err || body.err;
    cf_buf_free(&body);
    if (oom) {
        cf_buf_free(&req);
        p->oom = true;
        return false;
    }
    probe_answer a;
    probe_exchange(p, req.ptr, true, &a);
    cf_buf_free(&req);
    if (tried->len) cf_buf_str(tried, "; ");
    probe_describe(p, &a, 0, "POST", path, tried);
    const cf_obs_response *r = probe_response(&a, 0);
    bool ok = r && r->status >= 200 && r->status <= 299;
    if (ok) {
        cf_buf_str(tried, ", then on the same connection ");
        probe_describe(p, &a, 1, "GET", after, tried);
        const cf_obs_response *f = probe_response(&a, 1);
        ok = f && f->status == after_status;
    }
    if (ok && a.res.nresponses > 2) {
        cf_buf_fmt(tried, ", then %zu more: the content was read as a request",
                   a.res.nresponses - 2);
        ok = false;
    }
    probe_answer_free(&a);
    return ok;
}

/* body: POST with a small Content-Length body, pipelined with a GET of the page (or of the
 * missing path) on the same connection. */
static void probe_body(probe_ctx *p)
{
    const char *page = p->r->path[CF_RES_PAGE], *missing = p->r->path[CF_RES_MISSING];
    const char *after = page ? page : missing;
    cf_buf tried = {0};
    if (!after) {
        cf_buf_str(&tried, "no page and no missing path to check the framing with");
        not_found(p, CF_RES_BODY, &tried);
        return;
    }
    const char *const candidates[] = {page, "/echo", "/post"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (!candidates[i] || (i > 0 && page && !strcmp(candidates[i], page))) continue;
        size_t mark = tried.len;
        if (reads_body(p, candidates[i], after, page ? 200 : 404, &tried)) {
            found(p, CF_RES_BODY, candidates[i], &tried, mark);
            return;
        }
    }
    not_found(p, CF_RES_BODY, &tried);
}

/* True when body[0..n) holds s. */
static bool contains(const uint8_t *body, size_t n, const char *s)
{
    return memmem(body, n, s, strlen(s)) != NULL;
}

/* conform serve's /echo report: 200 with a JSON object holding "method" and "framing"
 * (docs/commands/serve.md). */
static bool echoes(const cf_obs_response *r, cf_buf *tried)
{
    if (!r || r->status != 200) return false;
    bool ok = contains(r->body, r->body_len, "\"method\"") &&
              contains(r->body, r->body_len, "\"framing\"");
    cf_buf_str(tried,
               ok ? ", JSON with \"method\" and \"framing\"" : ", but not conform serve's JSON");
    return ok;
}

/* echo: GET /echo answers with how it read the request. */
static void probe_echo(probe_ctx *p)
{
    static const char *const candidates[] = {"/echo"};
    try_paths(p, CF_RES_ECHO, candidates, 1, echoes);
}

/* The path of template with "{code}" replaced by code (malloc'd), or NULL. */
static char *with_code(const char *template, int code)
{
    const char *at = strstr(template, "{code}");
    return cf_strfmt("%.*s%d%s", (int)(at - template), template, code, at + 6);
}

/* GET of template with code answers code; its description goes to tried. */
static bool answers_code(probe_ctx *p, const char *template, int code, cf_buf *tried,
                         probe_answer *a)
{
    char *path = with_code(template, code);
    if (!path) {
        p->oom = true;
        memset(a, 0, sizeof *a);
        return false;
    }
    const cf_obs_response *r = ask(p, "GET", path, a, tried);
    free(path);
    return r && r->status == code;
}

/* status: the path answers with the code in it, for 204 and 418 both (a server that answers
 * 204 to anything would pass one). */
static void probe_status(probe_ctx *p)
{
    static const char *const candidates[] = {"/status/{code}", "/{code}"};
    cf_buf tried = {0};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        size_t mark = tried.len;
        probe_answer a;
        bool ok = answers_code(p, candidates[i], 204, &tried, &a);
        probe_answer_free(&a);
        if (!ok) continue;
        ok = answers_code(p, candidates[i], 418, &tried, &a);
        probe_answer_free(&a);
        if (ok) {
            found(p, CF_RES_STATUS, candidates[i], &tried, mark);
            return;
        }
    }
    not_found(p, CF_RES_STATUS, &tried);
}

/* The page's directory without its trailing slash ("/docs" for /docs/ or /docs/index.html),
 * which servers commonly redirect to the directory; NULL for a page at the root. */
static char *page_dir(const char *page)
{
    const char *slash = page ? strrchr(page, '/') : NULL;
    if (!slash || slash == page) return NULL;
    return strndup(page, (size_t)(slash - page));
}

/* A redirect: 3xx other than 304 with a Location (RFC 9110 §15.4). */
static bool redirects(const cf_obs_response *r, cf_buf *tried)
{
    const cf_obs_field *loc = r ? cf_rules_field(r, "Location") : NULL;
    if (!loc || r->status < 300 || r->status > 399 || r->status == 304) return false;
    cf_buf_str(tried, ", Location: ");
    probe_printable(tried, loc->value, loc->value_len, 60);
    return true;
}

/* redirect: GET answers 3xx with Location. */
static void probe_redirect(probe_ctx *p)
{
    char *dir = page_dir(p->r->path[CF_RES_PAGE]);
    const char *const candidates[] = {dir, "/redirect"};
    try_paths(p, CF_RES_REDIRECT, candidates, 2, redirects);
    free(dir);
}

/* validated: the page's 200 carried ETag or Last-Modified (RFC 9110 §8.8). */
static void probe_validated(probe_ctx *p)
{
    const char *page = p->r->path[CF_RES_PAGE];
    cf_buf ev = {0};
    if (!page) {
        cf_buf_str(&ev, "no page to look at");
        not_found(p, CF_RES_VALIDATED, &ev);
        return;
    }
    cf_buf_fmt(&ev, "GET %s → 200 ", page);
    if (!p->page_etag && !p->page_last_modified) {
        cf_buf_str(&ev, "without ETag or Last-Modified");
        not_found(p, CF_RES_VALIDATED, &ev);
        return;
    }
    cf_buf_fmt(&ev, "with %s%s%s", p->page_etag ? "ETag" : "",
               p->page_etag && p->page_last_modified ? " and " : "",
               p->page_last_modified ? "Last-Modified" : "");
    found(p, CF_RES_VALIDATED, page, &ev, 0);
}

/* A challenge: 401 with WWW-Authenticate (RFC 9110 §11.6.1, §15.5.2). */
static bool challenges(const cf_obs_response *r, cf_buf *tried)
{
    const cf_obs_field *ch = r && r->status == 401 ? cf_rules_field(r, "WWW-Authenticate") : NULL;
    if (ch) {
        cf_buf_str(tried, ", WWW-Authenticate: ");
        probe_printable(tried, ch->value, ch->value_len, 40);
    } else if (r && r->status == 401)
        cf_buf_str(tried, " without WWW-Authenticate");
    return ch != NULL;
}

/* protected: GET answers 401 with a WWW-Authenticate challenge. */
static void probe_protected(probe_ctx *p)
{
    const char *status = p->r->path[CF_RES_STATUS];
    char *from_status = status ? with_code(status, 401) : NULL;
    if (status && !from_status) p->oom = true;
    const char *const candidates[] = {"/protected", "/admin", from_status};
    try_paths(p, CF_RES_PROTECTED, candidates, 3, challenges);
    free(from_status);
}

/* The first exchange, GET /: the pre-flight of conform run and fuzz (net_preflight.h) tells a
 * server that answers HTTP from one that does not, and finds the address that takes
 * connections. Fills err with what came back instead and returns false. */
static bool answers_http(probe_ctx *p, const cf_run_target *t, char *err, size_t errlen)
{
    cf_preflight_opts po = {.page = "/",
                            .get = true,
                            .connect_timeout_ms = p->o->connect_timeout_ms,
                            .time_limit_ms = p->o->time_limit_ms};
    p->r->exchanges++;
    return cf_preflight(t, &po, &p->addr, err, errlen) == CF_PREFLIGHT_HTTP;
}

cf_probe_status cf_probe_run(const cf_run_target *t, const cf_probe_opts *o, cf_probe_result *r,
                             char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    probe_ctx p = {.o = o, .authority = t->vars.authority, .r = r};
    if (!answers_http(&p, t, err, errlen)) return CF_PROBE_UNREACHABLE;
    static void (*const probes[CF_RES__COUNT])(probe_ctx *) = {
        [CF_RES_PAGE] = probe_page,           [CF_RES_MISSING] = probe_missing,
        [CF_RES_BODY] = probe_body,           [CF_RES_ECHO] = probe_echo,
        [CF_RES_STATUS] = probe_status,       [CF_RES_REDIRECT] = probe_redirect,
        [CF_RES_VALIDATED] = probe_validated, [CF_RES_PROTECTED] = probe_protected,
    };
    for (int i = 0; i < CF_RES__COUNT && !p.oom; i++)
        probes[i](&p);
    if (p.oom) snprintf(err, errlen, "out of memory");
    return p.oom ? CF_PROBE_NOMEM : CF_PROBE_OK;
}

void cf_probe_result_free(cf_probe_result *r)
{
    for (int i = 0; i < CF_RES__COUNT; i++) {
        free(r->path[i]);
        free(r->evidence[i]);
    }
    memset(r, 0, sizeof *r);
}
