/* The origin of misbehave.h's CF_MB_ORIGIN and CF_MB_LAX_* modes (misbehave_lax.h). It answers
 * every known method with a 200 "ok" and refuses with a status and a close what it cannot read;
 * the grammar it checks is the part the framing cases need, and each lax mode relaxes one
 * piece of it the way some server did. */
#include "misbehave_lax.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Date and Content-Type: the answers break no compliance rule of a case's `complies`. */
#define DATED "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n"
#define REFUSE(status)                                                                             \
    "HTTP/1.1 " status "\r\n" DATED "Connection: close\r\nContent-Length: 2\r\n\r\nno"
static const char r200[] = "HTTP/1.1 200 OK\r\n" DATED "Content-Length: 2\r\n\r\nok";
static const char r200_close[] =
    "HTTP/1.1 200 OK\r\n" DATED "Connection: close\r\nContent-Length: 2\r\n\r\nok";
static const char r501_method[] =
    "HTTP/1.1 501 Not Implemented\r\n" DATED "Content-Length: 2\r\n\r\nno";
static const char r400[] = REFUSE("400 Bad Request");
static const char r414[] = REFUSE("414 URI Too Long");
static const char r421[] = REFUSE("421 Misdirected Request");
static const char r404[] = "HTTP/1.1 404 Not Found\r\n" DATED "Content-Length: 2\r\n\r\nno";
static const char r501[] = REFUSE("501 Not Implemented");

/* The bytes of one request being read, and where reading is. */
typedef struct rd {
    const unsigned char *b;
    size_t n, i;
    cf_mb_mode mode;
} rd;

/* What the head said. */
typedef struct head {
    bool http10, close, te, chunked, origin_form, asterisk, options;
    int hosts, cls;
    uint64_t cl;
    size_t host, host_len, target, target_len;
} head;

static bool tchar(unsigned char c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int hexval(unsigned char c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* The next line from r->i, [*s, *e) without its terminator; false when it has not ended yet. A
 * line ends at LF (a CR before it is dropped); with bare_cr (CF_MB_LAX_CHUNK's chunk lines) a CR
 * not followed by LF ends one too. */
static bool next_line(rd *r, bool bare_cr, size_t *s, size_t *e)
{
    for (size_t k = r->i; k < r->n; k++) {
        bool cr_alone = bare_cr && r->b[k] == '\r' && k + 1 < r->n && r->b[k + 1] != '\n';
        if (r->b[k] != '\n' && !cr_alone) continue;
        *s = r->i;
        *e = r->b[k] == '\n' && k > r->i && r->b[k - 1] == '\r' ? k - 1 : k;
        r->i = k + 1;
        return true;
    }
    return false;
}

static int answer(cf_mb_lax_answer *out, size_t used, const char *resp, bool close)
{
    *out = (cf_mb_lax_answer){used, resp, close};
    return 1;
}

/* Trims a field value: OWS (RFC 9112 §5.1); CF_MB_LAX_LENGTH and CF_MB_LAX_TE trim every control,
 * SP and NO-BREAK SPACE (%xA0) as "white space", and end the value at a NUL, as a C string;
 * CF_MB_LAX_OWS_SP trims SP but keeps HTAB. */
static void trim(const rd *r, size_t *vs, size_t *ve)
{
    bool lax = r->mode == CF_MB_LAX_LENGTH || r->mode == CF_MB_LAX_TE;
    if (lax) {
        const unsigned char *nul = memchr(r->b + *vs, 0, *ve - *vs);
        if (nul) *ve = (size_t)(nul - r->b);
    }
    bool htab = r->mode != CF_MB_LAX_OWS_SP; /* that mode trims SP alone */
#define WS(c) ((c) == ' ' || ((c) == '\t' && htab) || (lax && ((c) < 0x20 || (c) == 0xa0)))
    while (*vs < *ve && WS(r->b[*vs]))
        (*vs)++;
    while (*ve > *vs && WS(r->b[*ve - 1]))
        (*ve)--;
#undef WS
}

/* Content-Length = 1*DIGIT (RFC 9110 §8.6); CF_MB_LAX_LENGTH reads it with strtoll(v, NULL, 0):
 * a sign, an octal "010" or a "0x" prefix, and whatever follows the digits pass. False: invalid. */
static bool content_length(const rd *r, size_t vs, size_t ve, uint64_t *v)
{
    if (r->mode == CF_MB_LAX_LENGTH) {
        char tmp[32];
        size_t k = ve - vs < sizeof tmp - 1 ? ve - vs : sizeof tmp - 1;
        memcpy(tmp, r->b + vs, k);
        tmp[k] = 0;
        long long n = strtoll(tmp, NULL, 0);
        *v = n < 0 ? 0 : (uint64_t)n;
        return true;
    }
    if (vs == ve || ve - vs > 15) return false;
    *v = 0;
    for (size_t k = vs; k < ve; k++) {
        if (!isdigit(r->b[k])) return false;
        *v = *v * 10 + (uint64_t)(r->b[k] - '0');
    }
    return true;
}

/* Transfer-Encoding: chunked and nothing else, empty list elements ignored (RFC 9110 §5.6.1);
 * CF_MB_LAX_TE takes any value holding "chunked" as chunked, CF_MB_LAX_TE_EXACT only the value
 * "chunked" itself. */
static bool te_chunked(const rd *r, size_t vs, size_t ve)
{
    const char *v = (const char *)r->b + vs;
    size_t n = ve - vs, chunked = 0, other = 0;
    if (r->mode == CF_MB_LAX_TE_EXACT) return n == 7 && !strncasecmp(v, "chunked", 7);
    if (r->mode == CF_MB_LAX_TE) {
        for (size_t k = 0; k + 7 <= n; k++)
            if (!strncasecmp(v + k, "chunked", 7)) return true;
        return false;
    }
    for (size_t k = 0; k < n;) {
        size_t s = k;
        while (k < n && v[k] != ',')
            k++;
        size_t e = k++;
        while (s < e && (v[s] == ' ' || v[s] == '\t'))
            s++;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
            e--;
        if (e == s) continue;
        if (e - s == 7 && !strncasecmp(v + s, "chunked", 7))
            chunked++;
        else
            other++;
    }
    return chunked == 1 && other == 0;
}

/* Host = uri-host [ ":" port ] (RFC 9110 §7.2), pct-encoding aside; CF_MB_LAX_HOST takes any. */
static bool host_valid(const rd *r, size_t hs, size_t n)
{
    const unsigned char *h = r->b + hs;
    size_t i = 0;
    if (r->mode == CF_MB_LAX_HOST) return true;
    if (n && h[0] == '[') {
        for (i = 1; i < n && (isxdigit(h[i]) || h[i] == ':' || h[i] == '.'); i++) {
        }
        if (i == 1 || i >= n || h[i] != ']') return false;
        i++;
    } else {
        while (i < n && (isalnum(h[i]) || (h[i] && strchr("-._~!$&'()*+,;=", h[i]))))
            i++;
    }
    if (i == n) return true;
    if (h[i] != ':') return false;
    for (i++; i < n; i++)
        if (!isdigit(h[i])) return false;
    return true;
}

/* One field line [s, e) into hd; false: not a field line (RFC 9110 §5.1 field-name = token).
 * CF_MB_LAX_FIELD_NAME drops the non-ASCII octets of a name. */
static bool field(const rd *r, size_t s, size_t e, head *hd)
{
    char name[32];
    size_t nl = 0, c = s;
    while (c < e && r->b[c] != ':')
        c++;
    if (c == e || c == s) return false;
    for (size_t k = s; k < c; k++) {
        if (r->mode == CF_MB_LAX_FIELD_NAME && r->b[k] >= 0x80) continue;
        if (!tchar(r->b[k])) return false;
        if (nl < sizeof name - 1) name[nl++] = (char)tolower(r->b[k]);
    }
    name[nl] = 0;
    size_t vs = c + 1, ve = e;
    trim(r, &vs, &ve);
    if (!strcmp(name, "host")) {
        hd->hosts++;
        hd->host = vs;
        hd->host_len = ve - vs;
    } else if (!strcmp(name, "content-length")) {
        uint64_t v;
        if (!content_length(r, vs, ve, &v)) return false;
        if (hd->cls++ && v != hd->cl && r->mode != CF_MB_LAX_LENGTH) return false;
        hd->cl = v;
    } else if (!strcmp(name, "transfer-encoding")) {
        hd->te = true;
        hd->chunked = te_chunked(r, vs, ve);
    } else if (!strcmp(name, "connection")) {
        for (size_t k = vs; k + 5 <= ve; k++)
            if (!strncasecmp((const char *)r->b + k, "close", 5)) hd->close = true;
    }
    return true;
}

/* chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) (RFC 9112 §7.1.1). */
static bool ext_valid(const unsigned char *b, size_t n)
{
#define SKIP_BWS()                                                                                 \
    while (i < n && (b[i] == ' ' || b[i] == '\t'))                                                 \
    i++
    size_t i = 0, t;
    while (i < n) {
        SKIP_BWS();
        if (i >= n || b[i++] != ';') return false;
        SKIP_BWS();
        for (t = i; i < n && tchar(b[i]); i++) {
        }
        if (i == t) return false;
        SKIP_BWS();
        if (i >= n || b[i] != '=') continue;
        i++;
        SKIP_BWS();
        if (i < n && b[i] == '"') { /* quoted-string, quoted-pair inside */
            for (i++; i < n && b[i] != '"'; i++) {
                if (b[i] == '\\')
                    i++;
                else if ((b[i] < 0x20 && b[i] != '\t') || b[i] == 0x7f)
                    return false;
            }
            if (i++ >= n) return false;
        } else {
            for (t = i; i < n && tchar(b[i]); i++) {
            }
            if (i == t) return false;
        }
    }
    return true;
#undef SKIP_BWS
}

/* A chunk-size line [s, e), its CRLF taken (RFC 9112 §7.1); CF_MB_LAX_CHUNK reads the size with
 * strtoull(line, NULL, 16) (white space and a sign before it, anything after it). -1 invalid. */
static int64_t chunk_size(const rd *r, size_t s, size_t e)
{
    if (r->mode == CF_MB_LAX_CHUNK) {
        char tmp[32];
        size_t k = e - s < sizeof tmp - 1 ? e - s : sizeof tmp - 1;
        memcpy(tmp, r->b + s, k);
        tmp[k] = 0;
        unsigned long long v = strtoull(tmp, NULL, 16);
        return v > (1u << 20) ? -1 : (int64_t)v;
    }
    int64_t v = 0;
    size_t k = s;
    for (; k < e && hexval(r->b[k]) >= 0; k++) {
        v = v * 16 + hexval(r->b[k]);
        if (v > (1 << 20)) return -1;
    }
    if (k == s || r->i - e != 2) return -1; /* no digit, or not ended by CRLF */
    return k < e && !ext_valid(r->b + k, e - k) ? -1 : v;
}

/* The chunked content from r->i: 1 read, 0 more needed, -1 invalid. CF_MB_LAX_CHUNK skips empty
 * lines before a chunk-size, ends its lines at a bare CR, takes LF alone after chunk-data, and
 * takes any line of the trailer section. */
static int chunked_body(rd *r)
{
    bool lax = r->mode == CF_MB_LAX_CHUNK;
    size_t s, e;
    for (;;) {
        while (lax && r->i + 1 < r->n && r->b[r->i] == '\r' && r->b[r->i + 1] == '\n')
            r->i += 2;
        if (!next_line(r, lax, &s, &e)) return 0;
        int64_t size = chunk_size(r, s, e);
        if (size < 0) return -1;
        if (size == 0) break;
        if (r->n - r->i < (uint64_t)size + 1) return 0;
        r->i += (size_t)size;
        if (lax && r->b[r->i] == '\n') {
            r->i++;
            continue;
        }
        if (r->n - r->i < 2) return 0;
        if (r->b[r->i] != '\r' || r->b[r->i + 1] != '\n') return -1;
        r->i += 2;
    }
    for (;;) { /* trailer-section CRLF (§7.1.2) */
        if (!next_line(r, false, &s, &e)) return 0;
        if (s == e) return 1;
        if (!lax && !memchr(r->b + s, ':', e - s)) return -1;
    }
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112 §3): NULL when it is one
 * of HTTP/1.0 and HTTP/1.1, else the refusal. CF_MB_LAX_HTTP09 answers any other line with a 200;
 * CF_MB_LAX_SHORT_LINE refuses lines over 4096 octets with 414. */
static const char *request_line(const rd *r, size_t s, size_t e, head *hd)
{
    if (r->mode == CF_MB_LAX_SHORT_LINE && e - s > 4096) return r414;
    const unsigned char *sp1 = memchr(r->b + s, ' ', e - s);
    const unsigned char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(r->b + e - sp1 - 1)) : NULL;
    const unsigned char *ver = sp2 ? sp2 + 1 : NULL;
    size_t vlen = ver ? (size_t)(r->b + e - ver) : 0;
    bool ok = ver && vlen == 8 && (!memcmp(ver, "HTTP/1.1", 8) || !memcmp(ver, "HTTP/1.0", 8));
    if (!ok) return r->mode == CF_MB_LAX_HTTP09 ? r200_close : r400;
    for (const unsigned char *m = r->b + s; m < sp1; m++)
        if (!tchar(*m)) return r400;
    hd->http10 = !memcmp(ver, "HTTP/1.0", 8);
    hd->target = (size_t)(sp1 + 1 - r->b);
    hd->target_len = (size_t)(sp2 - sp1 - 1);
    hd->origin_form = hd->target_len && sp1[1] == '/';
    hd->asterisk = hd->target_len == 1 && sp1[1] == '*';
    hd->options = sp1 - (r->b + s) == 7 && !memcmp(r->b + s, "OPTIONS", 7);
    return NULL;
}

/* The absolute-form target (RFC 9112 §3.2.2): http with a host and no userinfo, or a refusal
 * (RFC 9110 §4.2.1, §4.2.4, §7.4); CF_MB_LAX_HOST takes any. */
static const char *absolute_form(const rd *r, const head *hd)
{
    const char *t = (const char *)r->b + hd->target;
    size_t n = hd->target_len;
    if (r->mode == CF_MB_LAX_HOST) return NULL;
    if (n < 7 || strncasecmp(t, "http://", 7))
        return n >= 8 && !strncasecmp(t, "https://", 8) ? r421 : r400;
    size_t a = 7, ae = 7;
    while (ae < n && t[ae] != '/' && t[ae] != '?')
        ae++;
    if (ae == a || t[a] == ':' || memchr(t + a, '@', ae - a)) return r400;
    return NULL;
}

/* After the head: the refusal its Host, target or framing earn, or NULL. */
static const char *judge_head(const rd *r, const head *hd, const char *authority)
{
    if ((!hd->http10 && hd->hosts == 0) || hd->hosts > 1) return r400; /* RFC 9112 §3.2 */
    if (hd->hosts && !host_valid(r, hd->host, hd->host_len)) return r400;
    if (r->mode == CF_MB_LAX_HOST_ROUTES && /* routes on Host, even with an absolute-form */
        (hd->host_len != strlen(authority) || memcmp(r->b + hd->host, authority, hd->host_len)))
        return r404; /* no such virtual host, so no such page */
    if (hd->asterisk && !hd->options) return r400;
    if (!hd->origin_form && !hd->asterisk) {
        const char *refused = absolute_form(r, hd);
        if (refused) return refused;
    }
    if (hd->te && hd->cls && r->mode != CF_MB_LAX_TE) return r400; /* RFC 9112 §6.1 */
    if (hd->te && !hd->chunked && r->mode != CF_MB_LAX_TE) return r501;
    return NULL;
}

/* The answer for one request whose head is well-formed; 0 when its content is not all there. */
static int finish(rd *r, const head *hd, bool eof, const char *authority, cf_mb_lax_answer *out)
{
    const char *refused = judge_head(r, hd, authority);
    if (refused) return answer(out, r->n, refused, true);
    if (hd->te && hd->chunked) {
        int st = chunked_body(r);
        if (st < 0) return answer(out, r->n, r400, true);
        if (st == 0) return eof ? answer(out, r->n, NULL, true) : 0;
    } else if (hd->cls) {
        if (r->n - r->i < hd->cl) return eof ? answer(out, r->n, NULL, true) : 0;
        r->i += (size_t)hd->cl;
    }
    bool close = hd->close || hd->http10; /* HTTP/1.0: no keep-alive here */
    return answer(out, r->i, close ? r200_close : r200, close);
}

/* CF_MB_LAX_DROP_ON_GARBAGE: bytes after a request that are not a request replace its answer
 * with a 400 for all of them. */
static bool garbage_follows(const rd *r, const char *authority)
{
    if (r->mode != CF_MB_LAX_DROP_ON_GARBAGE || r->i >= r->n) return false;
    if (!tchar(r->b[r->i])) return true;
    cf_mb_lax_answer next;
    return cf_mb_lax_next(CF_MB_ORIGIN, (const char *)r->b + r->i, r->n - r->i, true, authority,
                          &next) &&
           next.resp && next.resp != r200 && next.resp != r200_close;
}

/* A known method? Others get 501 (RFC 9110 §9.1), the connection kept. */
static bool known_method(const rd *r, size_t s)
{
    static const char *const known[] = {"GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS "};
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        size_t n = strlen(known[k]);
        if (r->n - s >= n && !memcmp(r->b + s, known[k], n)) return true;
    }
    return false;
}

int cf_mb_lax_next(cf_mb_mode mode, const char *buf, size_t len, bool eof, const char *authority,
                   cf_mb_lax_answer *out)
{
    rd r = {(const unsigned char *)buf, len, 0, mode};
    head hd = {0};
    size_t s, e;
    while (r.i < r.n && (r.b[r.i] == '\r' || r.b[r.i] == '\n')) /* RFC 9112 §2.2 */
        r.i++;
    if (mode == CF_MB_LAX_HTTP09) /* and any control octet */
        while (r.i < r.n && r.b[r.i] < 0x20)
            r.i++;
    if (r.i < r.n && !tchar(r.b[r.i])) return answer(out, r.n, r400, true);
    if (!next_line(&r, false, &s, &e)) return eof ? answer(out, r.n, NULL, true) : 0;
    size_t start = s;
    const char *refused = request_line(&r, s, e, &hd);
    if (refused) return answer(out, r.n, refused, true);
    for (;;) {
        if (!next_line(&r, false, &s, &e)) return eof ? answer(out, r.n, NULL, true) : 0;
        if (s == e) break;
        if (!field(&r, s, e, &hd)) return answer(out, r.n, r400, true);
    }
    if (!finish(&r, &hd, eof, authority, out)) return 0;
    if (out->resp == r200 || out->resp == r200_close) {
        if (garbage_follows(&r, authority)) return answer(out, r.n, r400, true);
        if (!known_method(&r, start)) out->resp = out->close ? r501 : r501_method;
    }
    return 1;
}
