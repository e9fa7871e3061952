/* conform serve: the static page "/" with its validators ETag and Last-Modified, and the
 * conditional requests on them (RFC 9110 §13). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "serve_internal.h"

static const char page[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head><meta charset=\"utf-8\"><title>conform serve</title></head>\n"
    "<body>\n"
    "<h1>conform serve</h1>\n"
    "<p>A small, strict HTTP/1.1 origin server: the built-in target of conform.</p>\n"
    "<ul>\n"
    "<li><a href=\"/echo\">/echo</a>: reports how a request was framed</li>\n"
    "<li><a href=\"/redirect\">/redirect</a>: 301 to /</li>\n"
    "<li><a href=\"/status/204\">/status/NNN</a>: answers with status NNN</li>\n"
    "<li><a href=\"/large?bytes=1024\">/large?bytes=N</a>: N bytes of content</li>\n"
    "</ul>\n"
    "</body>\n"
    "</html>\n";

/* Fixed validators: the page never changes while the program runs. Last-Modified is
 * 2024-01-01T00:00:00Z. */
#define INDEX_MTIME ((time_t)1704067200)

/* A strong entity-tag from an FNV-1a hash of the page (RFC 9110 §8.8.3). */
static void etag(char out[24])
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < sizeof page - 1; i++)
        h = (h ^ (unsigned char)page[i]) * 1099511628211ull;
    snprintf(out, 24, "\"%016llx\"", (unsigned long long)h);
}

/* Does the list of entity-tags in v contain tag? weak selects the weak comparison (RFC 9110
 * §8.8.3.2). "*" matches any current representation. */
static int etag_list_match(h1_span v, const char *tag, int weak)
{
    size_t i = 0, tl = strlen(tag);
    while (i < v.len) {
        while (i < v.len && (v.ptr[i] == ' ' || v.ptr[i] == '\t' || v.ptr[i] == ','))
            i++;
        if (i >= v.len) break;
        if (v.ptr[i] == '*') return 1;
        int is_weak = 0;
        if (v.len - i >= 2 && v.ptr[i] == 'W' && v.ptr[i + 1] == '/') {
            is_weak = 1;
            i += 2;
        }
        if (i >= v.len || v.ptr[i] != '"') return 0; /* not an entity-tag list */
        size_t s = i++;
        while (i < v.len && v.ptr[i] != '"')
            i++;
        if (i >= v.len) return 0;
        i++;
        if ((weak || !is_weak) && i - s == tl && !memcmp(v.ptr + s, tag, tl)) return 1;
    }
    return 0;
}

/* Evaluates one field with an entity-tag list; returns -1 when absent, else match or not. */
static int tag_field(const h1_message *m, const char *name, const char *tag, int weak)
{
    size_t i = h1_header_find(m->headers, m->num_headers, name, 0);
    if (i == SIZE_MAX) return -1;
    for (; i != SIZE_MAX; i = h1_header_find(m->headers, m->num_headers, name, i + 1))
        if (etag_list_match(m->headers[i].value, tag, weak)) return 1;
    return 0;
}

/* A date field: -1 when absent, repeated or invalid (RFC 9110 §13.1.3, §13.1.4: ignored), a
 * date later than now is invalid too; otherwise 0 with *t set. */
static int date_field(const h1_message *m, const char *name, time_t *t)
{
    size_t i = h1_header_find(m->headers, m->num_headers, name, 0);
    if (i == SIZE_MAX || h1_header_find(m->headers, m->num_headers, name, i + 1) != SIZE_MAX)
        return -1;
    if (cf_http_date_parse(m->headers[i].value, t) != 0 || *t > time(NULL)) return -1;
    return 0;
}

/* RFC 9110 §13.2.2: evaluation order of preconditions on a GET/HEAD; returns 0, 304 or 412. */
static int preconditions(const h1_message *m, const char *tag)
{
    time_t t;
    int im = tag_field(m, "if-match", tag, 0); /* §13.1.1: strong comparison */
    if (im == 0) return 412;
    if (im < 0 && date_field(m, "if-unmodified-since", &t) == 0 && INDEX_MTIME > t) return 412;
    int inm = tag_field(m, "if-none-match", tag, 1); /* §13.1.2: weak comparison */
    if (inm == 1) return 304;
    if (inm < 0 && date_field(m, "if-modified-since", &t) == 0 && INDEX_MTIME <= t) return 304;
    return 0;
}

/* RFC 9110 §13.1.5: does the If-Range of m hold for the page? True when absent. An entity-tag
 * holds when it matches tag by the strong comparison (a weak one never does); an HTTP-date when it
 * equals Last-Modified exactly (a strong validator: it is years before any Date we send).
 * Anything else, a repeated field included, is false: the whole page is sent. */
static int if_range_holds(const h1_message *m, const char *tag)
{
    size_t i = h1_header_find(m->headers, m->num_headers, "if-range", 0);
    if (i == SIZE_MAX) return 1;
    if (h1_header_find(m->headers, m->num_headers, "if-range", i + 1) != SIZE_MAX) return 0;
    h1_span v = m->headers[i].value;
    time_t t;
    if (v.len && (v.ptr[0] == '"' || v.ptr[0] == 'W'))
        return v.len == strlen(tag) && !memcmp(v.ptr, tag, v.len);
    return cf_http_date_parse(v, &t) == 0 && t == INDEX_MTIME;
}

void cf_serve_index(const cf_sreq *rq, cf_sresp *r)
{
    static const char ctype[] = "text/html; charset=utf-8";
    char tag[24], lm[40];
    etag(tag);
    cf_http_date_format(INDEX_MTIME, lm);
    int pre = preconditions(rq->msg, tag);
    cf_sresp_init(r, pre ? pre : 200);
    if (pre == 412) {
        cf_sresp_text(r, "precondition failed");
        return;
    }
    /* §15.4.5: a 304 carries the ETag the 200 would have had; §15.3.7: so does a 206. */
    cf_sresp_field(r, "ETag", tag);
    /* RFC 9111 §5.2.2.4: no-cache, so that a cache revalidates the test page each time (its ETag
     * is the one in the build); RFC 9110 §15.4.5: a 304 carries it as the 200 does. */
    cf_sresp_field(r, "Cache-Control", "no-cache");
    if (pre == 304) return;
    cf_sresp_field(r, "Last-Modified", lm);
    cf_sresp_field(r, "Accept-Ranges", "bytes"); /* §14.3 */
    /* §14.2: GET is the only method with range handling; §13.2.2 step 5: If-Range decides
     * whether the Range applies. */
    if (rq->method == CF_SM_GET && if_range_holds(rq->msg, tag) &&
        cf_serve_range(rq->msg, page, sizeof page - 1, ctype, r))
        return;
    r->content_type = ctype;
    cf_buf_add(&r->body, page, sizeof page - 1);
}
