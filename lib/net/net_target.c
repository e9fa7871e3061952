/* conform run: parsing and resolving --target (docs/commands/run.md "Targets"). */
#include "net_target.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_PORT     "80"  /* RFC 9110 §4.2.1: the default port of "http" */
#define DEFAULT_TLS_PORT "443" /* RFC 9110 §4.2.2: the default port of "https" */

static bool host_char(char c, bool bracketed)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    if (bracketed) return c == ':' || c == '.' || c == '%';
    return c == '-' || c == '.' || c == '_';
}

static int fail(char *err, size_t errlen, const char *text, const char *why)
{
    snprintf(err, errlen, "bad target '%s': %s", text, why);
    return -1;
}

/* Checks a decimal port 1..65535 in s[0..n). */
static bool port_ok(const char *s, size_t n)
{
    if (n == 0 || n > 5) return false;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

int cf_run_target_set(cf_run_target *t, const char *host, const char *port)
{
    size_t hl = strlen(host), pl = strlen(port);
    if (hl == 0 || hl >= sizeof t->host || !port_ok(port, pl)) return -1;
    memmove(t->host, host, hl + 1);
    memcpy(t->port, port, pl + 1);
    bool v6 = strchr(t->host, ':') != NULL;
    snprintf(t->display, sizeof t->display, "%s%s%s:%s", v6 ? "[" : "", t->host, v6 ? "]" : "",
             t->port);
    return cf_spec_target_init(&t->vars, t->host, t->port);
}

/* Splits authority (host[:port] or [v6][:port]) into t. */
static int parse_authority(const char *text, const char *a, size_t n, cf_run_target *t, char *err,
                           size_t errlen, const char *default_port)
{
    const char *host = a, *port = NULL;
    size_t hl = 0, pl = 0;
    bool bracketed = n > 0 && a[0] == '[';
    if (bracketed) {
        const char *close = memchr(a, ']', n);
        if (!close) return fail(err, errlen, text, "'[' without ']'");
        host = a + 1;
        hl = (size_t)(close - host);
        const char *rest = close + 1;
        size_t rl = n - (size_t)(rest - a);
        if (rl > 0 && rest[0] != ':') return fail(err, errlen, text, "expected ':' after ']'");
        if (rl > 0) port = rest + 1, pl = rl - 1;
        if (!memchr(host, ':', hl)) return fail(err, errlen, text, "brackets are for IPv6");
    } else {
        const char *colon = memchr(a, ':', n);
        if (colon && memchr(colon + 1, ':', n - (size_t)(colon + 1 - a)))
            return fail(err, errlen, text, "an IPv6 address needs brackets: [::1]:8080");
        hl = colon ? (size_t)(colon - a) : n;
        if (colon) port = colon + 1, pl = n - hl - 1;
    }
    if (hl == 0) return fail(err, errlen, text, "no host");
    if (hl >= sizeof t->host) return fail(err, errlen, text, "host too long");
    for (size_t i = 0; i < hl; i++)
        if (!host_char(host[i], bracketed))
            return fail(err, errlen, text, "the host has a character not allowed there");
    if (port && !port_ok(port, pl)) return fail(err, errlen, text, "the port is not 1..65535");
    char h[sizeof t->host], p[8];
    memcpy(h, host, hl);
    h[hl] = 0;
    if (port) {
        memcpy(p, port, pl);
        p[pl] = 0;
    } else {
        snprintf(p, sizeof p, "%s", default_port);
    }
    return cf_run_target_set(t, h, p) == 0 ? 0 : fail(err, errlen, text, "unusable host");
}

int cf_run_target_parse(const char *text, cf_run_target *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (!strcmp(text, "builtin")) {
        t->builtin = true;
        snprintf(t->display, sizeof t->display, "builtin");
        return 0;
    }
    const char *a = text;
    if (!strncasecmp(a, "https://", 8) || !strncasecmp(a, "tls://", 6)) {
        t->tls.on = true;
        a = strstr(a, "://") + 3;
    } else if (!strncasecmp(a, "http://", 7)) {
        a += 7;
    } else if (strstr(a, "://")) {
        return fail(err, errlen, text, "the schemes accepted are http://, https:// and tls://");
    }
    size_t n = strlen(a);
    const char *slash = memchr(a, '/', n);
    if (slash) {
        if (a == text) return fail(err, errlen, text, "a path needs http:// in front");
        if (slash[1] != 0) return fail(err, errlen, text, "a path other than '/' is not used");
        n = (size_t)(slash - a);
    }
    if (memchr(a, '@', n)) return fail(err, errlen, text, "user information is not supported");
    return parse_authority(text, a, n, t, err, errlen, t->tls.on ? DEFAULT_TLS_PORT : DEFAULT_PORT);
}

int cf_run_target_apply(cf_run_target *t, const cf_target_opts *o, char *err, size_t errlen)
{
    memcpy(t->resolve, o->resolve, sizeof t->resolve);
    t->nresolve = o->nresolve;
    bool any = o->insecure || o->cacert || o->cert || o->key || o->sni;
    if (any && !t->tls.on && !t->builtin && !o->several) {
        snprintf(err, errlen,
                 "--insecure, --cacert, --cert, --key and --sni are for a TLS target "
                 "(https://HOST:PORT or tls://HOST:PORT), not %s",
                 t->display);
        return -1;
    }
    t->tls.insecure = o->insecure;
    t->tls.cacert = o->cacert;
    t->tls.cert = o->cert;
    t->tls.key = o->key;
    t->tls.name[0] = 0;
    if (!o->sni) return 0;
    size_t n = strlen(o->sni);
    for (size_t i = 0; i < n; i++)
        if (!host_char(o->sni[i], false)) n = 0;
    if (n == 0 || n >= sizeof t->tls.name) {
        snprintf(err, errlen, "bad --sni '%s': expected a host name", o->sni);
        return -1;
    }
    memcpy(t->tls.name, o->sni, n + 1);
    return 0;
}

/* The ADDR of a --resolve entry that applies to t, into out (brackets dropped); false: none. */
static bool resolve_entry(const cf_run_target *t, char *out, size_t cap)
{
    size_t hl = strlen(t->host), pl = strlen(t->port);
    for (size_t i = 0; i < t->nresolve; i++) {
        const char *e = t->resolve[i];
        if (strncasecmp(e, t->host, hl) || e[hl] != ':' || strncmp(e + hl + 1, t->port, pl) ||
            e[hl + 1 + pl] != ':')
            continue;
        const char *addr = e + hl + pl + 2;
        size_t al = strlen(addr);
        if (addr[0] == '[' && al > 2 && addr[al - 1] == ']') addr++, al -= 2;
        snprintf(out, cap, "%.*s", (int)al, addr);
        return true;
    }
    return false;
}

int cf_target_opts_add_resolve(cf_target_opts *o, const char *entry, char *err, size_t errlen)
{
    /* HOST:PORT:ADDR, as curl's --resolve; ADDR is numeric (checked when it is used) */
    const char *c1 = strchr(entry, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || c1 == entry || !c2 || !port_ok(c1 + 1, (size_t)(c2 - c1 - 1)) || !c2[1]) {
        snprintf(err, errlen, "bad --resolve '%s': expected HOST:PORT:ADDR", entry);
        return -1;
    }
    if (o->nresolve == CF_MAX_RESOLVE) {
        snprintf(err, errlen, "more than %d --resolve entries", CF_MAX_RESOLVE);
        return -1;
    }
    o->resolve[o->nresolve++] = entry;
    return 0;
}

int cf_run_target_resolve(const cf_run_target *t, cf_run_addr *out, size_t max, char *err,
                          size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
    char pinned[256];
    bool pin = resolve_entry(t, pinned, sizeof pinned);
    if (pin) hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST; /* --resolve: that address only */
    const char *host = pin ? pinned : t->host;
    int rc = getaddrinfo(host, t->port, &hints, &res);
    if (!pin && (rc == EAI_NONAME || rc == EAI_ADDRFAMILY)) {
        hints.ai_flags = AI_NUMERICSERV; /* loopback-only machines: AI_ADDRCONFIG hides ::1 */
        rc = getaddrinfo(t->host, t->port, &hints, &res);
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s%s", host, gai_strerror(rc),
                 pin ? " (the ADDR of a --resolve entry must be an IP address)" : "");
        return -1;
    }
    int n = 0;
    for (struct addrinfo *ai = res; ai && (size_t)n < max; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof out[n].ss) continue;
        memset(&out[n], 0, sizeof out[n]);
        memcpy(&out[n].ss, ai->ai_addr, ai->ai_addrlen);
        out[n].len = ai->ai_addrlen;
        out[n].tls = t->tls;
        if (!out[n].tls.name[0]) snprintf(out[n].tls.name, sizeof out[n].tls.name, "%s", t->host);
        snprintf(out[n].port, sizeof out[n].port, "%s", t->port);
        n++;
    }
    freeaddrinfo(res);
    if (n == 0) {
        snprintf(err, errlen, "cannot resolve %s: no TCP address", t->host);
        return -1;
    }
    return n;
}
