/* Wire bytes of the spec format: Latin-1 reading of YAML text, placeholders, repetition, caps. */
#include "spec_bytes.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_utf8.h"

const char *cf_bytes_strerror(cf_bytes_status st)
{
    switch (st) {
    case CF_BYTES_OK: return "ok";
    case CF_BYTES_NOMEM: return "out of memory";
    case CF_BYTES_TOO_BIG: return "too many bytes (a step sends at most 16 MiB, a file 64 MiB)";
    case CF_BYTES_TOO_MANY_VARS: return "too many placeholders (at most 1024 in a step)";
    case CF_BYTES_CODEPOINT:
        return "not a byte: wire bytes are written as characters U+0000..U+00FF, one byte "
               "each (write \\xNN for byte NN)";
    case CF_BYTES_BAD_UTF8: return "text is not valid UTF-8";
    case CF_BYTES_BAD_TEMPLATE:
        return "unknown placeholder: expected {{host}}, {{port}}, {{authority}}, "
               "{{resource.NAME}}, {{env.NAME}} or a capture's {{NAME}} after '{{' (send a "
               "literal '{{' with a {literal: ...} piece)";
    case CF_BYTES_NOT_CAPTURED:
        return "unknown placeholder: not {{host}}, {{port}}, {{authority}}, {{resource.NAME}} "
               "or {{env.NAME}}, and no earlier step of this case captures this name (a step's "
               "'capture' gives values to the steps after it)";
    case CF_BYTES_ENV_UNSET: return "the environment variable is not set";
    case CF_BYTES_ENV_BAD:
        return "expected {{env.NAME}} with NAME of letters, digits and '_', naming a value of "
               "at most 8 KiB";
    case CF_BYTES_BAD_RESOURCE:
        return "unknown resource: expected {{resource.NAME}} with NAME one of page, missing, "
               "body, echo, redirect, validated, protected, or {{resource.status:CODE}} with "
               "CODE 100..599 (docs/profiles.md)";
    }
    return "unknown error";
}

void cf_tbytes_free(cf_tbytes *b)
{
    free(b->data);
    free(b->vars);
    free(b->runs);
    memset(b, 0, sizeof *b);
}

/* Whether b may render extra more bytes under cap. */
static cf_bytes_status check_cap(const cf_tbytes *b, size_t extra, size_t cap)
{
    return extra > cap || b->size > cap - extra ? CF_BYTES_TOO_BIG : CF_BYTES_OK;
}

/* Grows b->data to hold extra more bytes (plus a NUL). */
static cf_bytes_status grow_data(cf_tbytes *b, size_t extra)
{
    uint8_t *n = realloc(b->data, b->len + extra + 1);
    if (!n) return CF_BYTES_NOMEM;
    b->data = n;
    return CF_BYTES_OK;
}

/* Grows b->data to hold extra more bytes (plus a NUL), respecting cap (on b->size). */
static cf_bytes_status reserve_data(cf_tbytes *b, size_t extra, size_t cap)
{
    cf_bytes_status st = check_cap(b, extra, cap);
    return st ? st : grow_data(b, extra);
}

static cf_bytes_status reserve_runs(cf_tbytes *b, size_t extra)
{
    if (!extra) return CF_BYTES_OK;
    cf_tbytes_run *n = realloc(b->runs, (b->nruns + extra) * sizeof *n);
    if (!n) return CF_BYTES_NOMEM;
    b->runs = n;
    return CF_BYTES_OK;
}

static cf_bytes_status reserve_vars(cf_tbytes *b, size_t extra)
{
    if (!extra) return CF_BYTES_OK;
    if (extra > CF_SPEC_MAX_VARS || b->nvars > CF_SPEC_MAX_VARS - extra)
        return CF_BYTES_TOO_MANY_VARS;
    cf_var_ref *n = realloc(b->vars, (b->nvars + extra) * sizeof *n);
    if (!n) return CF_BYTES_NOMEM;
    b->vars = n;
    return CF_BYTES_OK;
}

/* Decodes one UTF-8 code point at s[*i] (util_utf8.h: RFC 3629, no overlongs, no surrogates);
 * returns it or -1 when malformed. */
static long next_codepoint(const unsigned char *s, size_t n, size_t *i)
{
    unsigned long cp;
    size_t len = cf_utf8_decode(s + *i, n - *i, &cp);
    if (len == 0) return -1;
    *i += len;
    return (long)cp;
}

/* Recognises "{{resource.NAME}}" or "{{resource.status:CODE}}" at s[i] (which starts with
 * "{{resource."); returns its length and fills ref, or 0 when it is malformed. */
static size_t match_resource(const char *s, size_t n, size_t i, cf_var_ref *ref)
{
    static const char pre[] = "{{resource.";
    size_t k = i + sizeof pre - 1, name = k;
    while (k < n && s[k] >= 'a' && s[k] <= 'z')
        k++;
    int res = cf_resource_find(s + name, k - name);
    if (res < 0) return 0;
    unsigned code = 0;
    if (res == CF_RES_STATUS) { /* the status resource needs the code it is asked for */
        if (k >= n || s[k] != ':') return 0;
        size_t d = ++k;
        while (k < n && k - d < 3 && s[k] >= '0' && s[k] <= '9')
            code = code * 10 + (unsigned)(s[k++] - '0');
        if (k - d != 3 || code < 100 || code > 599) return 0; /* RFC 9110 §15 */
    }
    if (n - k < 2 || s[k] != '}' || s[k + 1] != '}') return 0;
    ref->var = CF_VAR_RESOURCE;
    ref->resource = (unsigned short)res;
    ref->code = (unsigned short)code;
    return k + 2 - i;
}

/* Recognises "{{name}}" at s[i]; returns its length and the variable, or 0. */
static size_t match_placeholder(const char *s, size_t n, size_t i, cf_var *var)
{
    static const struct {
        const char *text;
        cf_var var;
    } names[] = {
        {"{{host}}", CF_VAR_HOST}, {"{{port}}", CF_VAR_PORT}, {"{{authority}}", CF_VAR_AUTHORITY}};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t l = strlen(names[k].text);
        if (n - i >= l && !memcmp(s + i, names[k].text, l)) {
            *var = names[k].var;
            return l;
        }
    }
    return 0;
}

/* Length of a capture's NAME ([a-z_][a-z0-9_]*) at s[i..n); 0 when there is none. */
static size_t name_len(const char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n &&
           ((s[k] >= 'a' && s[k] <= 'z') || s[k] == '_' || (k > i && s[k] >= '0' && s[k] <= '9')))
        k++;
    return k - i;
}

bool cf_capture_name_ok(const char *name)
{
    static const char *const builtin[] = {"host", "port", "authority", "resource", "env"};
    size_t n = strlen(name);
    if (n == 0 || name_len(name, n, 0) != n) return false;
    for (size_t k = 0; k < sizeof builtin / sizeof builtin[0]; k++)
        if (!strcmp(name, builtin[k])) return false;
    return true;
}

/* Recognises "{{NAME}}", "{{NAME|weak}}" or "{{NAME|strong}}" at s[i] for a name of scope; returns
 * its length and fills ref, or 0 with *st saying why (BAD_TEMPLATE or NOT_CAPTURED). */
static size_t match_capture(const char *s, size_t n, size_t i, const cf_tbytes_scope *scope,
                            cf_var_ref *ref, cf_bytes_status *st)
{
    size_t at = i + 2, nl = name_len(s, n, at), k = at + nl;
    cf_transform x = CF_XFORM_NONE;
    *st = CF_BYTES_BAD_TEMPLATE;
    if (!nl) return 0;
    if (n - k >= 5 && !memcmp(s + k, "|weak", 5)) {
        x = CF_XFORM_WEAK;
        k += 5;
    } else if (n - k >= 7 && !memcmp(s + k, "|strong", 7)) {
        x = CF_XFORM_STRONG;
        k += 7;
    }
    if (n - k < 2 || s[k] != '}' || s[k + 1] != '}') return 0;
    *st = scope ? CF_BYTES_NOT_CAPTURED : CF_BYTES_BAD_TEMPLATE; /* no scope: no captures */
    for (size_t slot = 0; scope && slot < scope->nnames; slot++) {
        const char *name = scope->names[slot];
        if (strlen(name) != nl || memcmp(name, s + at, nl)) continue;
        ref->var = CF_VAR_CAPTURE;
        ref->slot = (unsigned short)slot;
        ref->transform = (unsigned char)x;
        *st = CF_BYTES_OK;
        return k + 2 - i;
    }
    return 0;
}

/* Recognises "{{env.NAME}}" at s[i] (which starts with "{{env.") and reads the variable: its value
 * in *val, *vlen; returns the placeholder's length, or 0 with *st saying why. */
static size_t match_env(const char *s, size_t n, size_t i, const char **val, size_t *vlen,
                        cf_bytes_status *st)
{
    size_t at = i + 6, k = at;
    while (k < n && (s[k] == '_' || (s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
                     (k > at && s[k] >= '0' && s[k] <= '9')))
        k++;
    *st = CF_BYTES_ENV_BAD;
    if (k == at || k - at > 255 || n - k < 2 || s[k] != '}' || s[k + 1] != '}') return 0;
    char name[256];
    memcpy(name, s + at, k - at);
    name[k - at] = 0;
    *val = getenv(name);
    if (!*val) {
        *st = CF_BYTES_ENV_UNSET;
        return 0;
    }
    *vlen = strlen(*val);
    if (*vlen > CF_SPEC_MAX_ENV_BYTES) return 0;
    *st = CF_BYTES_OK;
    return k + 2 - i;
}

/* The text decoder of cf_tbytes_append_text/cf_tbytes_append_scoped. */
static cf_bytes_status append_text(cf_tbytes *b, const char *s, size_t n, bool templates,
                                   const cf_tbytes_scope *scope, size_t cap, size_t *where)
{
    /* Decoding never makes more bytes than the UTF-8 text has, so reserve n up front (an
     * {{env.NAME}} value grows it below). */
    if (b->size > cap) return CF_BYTES_TOO_BIG;
    size_t room = n < cap - b->size ? n : cap - b->size;
    cf_bytes_status st = reserve_data(b, room, cap);
    if (st) return st;
    size_t len = b->len, nvars = b->nvars, i = 0, chars = 0;
    size_t end = b->len + room;              /* the space reserved */
    size_t limit = b->len + (cap - b->size); /* cap reached */
    while (i < n) {
        cf_var_ref ref = {len, CF_VAR_HOST, 0, 0, 0, 0};
        static const char res_pre[] = "{{resource.", env_pre[] = "{{env.";
        bool brace = templates && n - i >= 2 && s[i] == '{' && s[i + 1] == '{';
        bool res =
            brace && n - i >= sizeof res_pre - 1 && !memcmp(s + i, res_pre, sizeof res_pre - 1);
        bool env =
            brace && n - i >= sizeof env_pre - 1 && !memcmp(s + i, env_pre, sizeof env_pre - 1);
        if (env) {
            const char *val = NULL;
            size_t vl = 0, pl = match_env(s, n, i, &val, &vl, &st);
            if (!pl) break;
            if (vl > limit - len) {
                st = CF_BYTES_TOO_BIG;
                break;
            }
            uint8_t *nd = realloc(b->data, end + vl + 1); /* the value may outgrow its name */
            if (!nd) {
                st = CF_BYTES_NOMEM;
                break;
            }
            b->data = nd;
            memcpy(b->data + len, val, vl);
            len += vl;
            end = end + vl < limit ? end + vl : limit;
            i += pl;
            chars += pl;
            continue;
        }
        size_t pl = res     ? match_resource(s, n, i, &ref)
                    : brace ? match_placeholder(s, n, i, &ref.var)
                            : 0;
        if (res && !pl) {
            st = CF_BYTES_BAD_RESOURCE;
            break;
        }
        if (brace && !pl && !(pl = match_capture(s, n, i, scope, &ref, &st))) break;
        if (pl) {
            if ((st = reserve_vars(b, 1))) break;
            b->vars[b->nvars++] = ref;
            i += pl;
            chars += pl;
            continue;
        }
        long cp = next_codepoint((const unsigned char *)s, n, &i);
        if (cp < 0) {
            st = CF_BYTES_BAD_UTF8;
            break;
        }
        if (cp > 0xFF) {
            st = CF_BYTES_CODEPOINT;
            break;
        }
        if (len >= end) {
            st = CF_BYTES_TOO_BIG;
            break;
        }
        b->data[len++] = (uint8_t)cp;
        chars++;
    }
    if (st) {
        b->nvars = nvars; /* nothing appended */
        if (b->data) b->data[b->len] = 0;
        if (where) *where = chars;
        return st;
    }
    b->size += len - b->len;
    b->len = len;
    b->data[len] = 0;
    return CF_BYTES_OK;
}

cf_bytes_status cf_tbytes_append_text(cf_tbytes *b, const char *s, size_t n, bool templates,
                                      size_t cap, size_t *where)
{
    return append_text(b, s, n, templates, NULL, cap, where);
}

cf_bytes_status cf_tbytes_append_scoped(cf_tbytes *b, const char *s, size_t n,
                                        const cf_tbytes_scope *scope, size_t cap, size_t *where)
{
    return append_text(b, s, n, true, scope, cap, where);
}

cf_bytes_status cf_tbytes_append_raw(cf_tbytes *b, const void *p, size_t n, size_t cap)
{
    cf_bytes_status st = reserve_data(b, n, cap);
    if (st) return st;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->size += n;
    b->data[b->len] = 0;
    return CF_BYTES_OK;
}

cf_bytes_status cf_tbytes_append(cf_tbytes *b, const cf_tbytes *src, size_t cap)
{
    return cf_tbytes_repeat(b, src, 1, cap);
}

/* Appends unit once as a run of count copies (a plain unit: no placeholders, no runs). */
static cf_bytes_status append_run(cf_tbytes *b, const cf_tbytes *unit, size_t count)
{
    cf_bytes_status st = grow_data(b, unit->len);
    if (st || (st = reserve_runs(b, 1))) return st;
    b->runs[b->nruns++] = (cf_tbytes_run){b->len, unit->len, count};
    memcpy(b->data + b->len, unit->data, unit->len);
    b->len += unit->len;
    b->size += unit->len * count;
    b->data[b->len] = 0;
    return CF_BYTES_OK;
}

cf_bytes_status cf_tbytes_repeat(cf_tbytes *b, const cf_tbytes *unit, size_t count, size_t cap)
{
    if (!count) return CF_BYTES_OK;
    if (unit->size && count > cap / unit->size) return CF_BYTES_TOO_BIG;
    if (unit->nvars && count > CF_SPEC_MAX_VARS / unit->nvars) return CF_BYTES_TOO_MANY_VARS;
    cf_bytes_status st = check_cap(b, unit->size * count, cap);
    if (st) return st;
    if (!unit->len && !unit->nvars && !unit->nruns) return CF_BYTES_OK; /* copies of nothing */
    if (count > 1 && unit->len && !unit->nvars && !unit->nruns &&
        unit->len * count >= CF_TBYTES_RUN_MIN)
        return append_run(b, unit, count);
    if ((st = grow_data(b, unit->len * count))) return st;
    if ((st = reserve_vars(b, unit->nvars * count))) return st;
    if ((st = reserve_runs(b, unit->nruns * count))) return st;
    for (size_t k = 0; k < count; k++) {
        for (size_t v = 0; v < unit->nvars; v++) {
            cf_var_ref ref = unit->vars[v];
            ref.offset += b->len;
            b->vars[b->nvars++] = ref;
        }
        for (size_t r = 0; r < unit->nruns; r++) {
            cf_tbytes_run run = unit->runs[r];
            run.offset += b->len;
            b->runs[b->nruns++] = run;
        }
        if (unit->len) memcpy(b->data + b->len, unit->data, unit->len);
        b->len += unit->len;
    }
    b->size += unit->size * count;
    b->data[b->len] = 0;
    return CF_BYTES_OK;
}

cf_bytes_status cf_bytes_from_text(const char *s, size_t n, uint8_t **out, size_t *out_len,
                                   size_t *where)
{
    cf_tbytes b = {0};
    cf_bytes_status st = cf_tbytes_append_text(&b, s, n, false, CF_SPEC_MAX_STEP_BYTES, where);
    if (st == CF_BYTES_OK && !b.data) st = cf_tbytes_append_raw(&b, "", 0, 1);
    if (st) {
        cf_tbytes_free(&b);
        return st;
    }
    *out = b.data;
    *out_len = b.len;
    return CF_BYTES_OK;
}

/* A port is 1..65535 in decimal without sign or leading junk (RFC 3986 §3.2.3 allows *DIGIT;
 * a connectable TCP port is 1..65535). */
static int valid_port(const char *port)
{
    size_t n = strlen(port);
    if (n == 0 || n > 5) return 0;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (port[i] < '0' || port[i] > '9') return 0;
        v = v * 10 + (unsigned long)(port[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

int cf_spec_target_init(cf_spec_target *t, const char *host, const char *port)
{
    memset(t, 0, sizeof *t);
    if (!host || !port || !valid_port(port)) return -1;
    size_t hl = strlen(host);
    if (hl == 0 || hl > 255) return -1;
    for (size_t i = 0; i < hl; i++)
        if ((unsigned char)host[i] <= 0x20 || host[i] == 0x7F || host[i] == '/') return -1;
    /* RFC 3986 §3.2.2: an IPv6 address in a URI host is an IP-literal in brackets. */
    bool v6 = host[0] != '[' && memchr(host, ':', hl);
    int w = snprintf(t->host, sizeof t->host, v6 ? "[%s]" : "%s", host);
    if (w < 0 || (size_t)w >= sizeof t->host) return -1;
    snprintf(t->port, sizeof t->port, "%s", port);
    w = snprintf(t->authority, sizeof t->authority, "%s:%s", t->host, t->port);
    return (w < 0 || (size_t)w >= sizeof t->authority) ? -1 : 0;
}

cf_resource_set cf_tbytes_resources(const cf_tbytes *b)
{
    cf_resource_set set = 0;
    for (size_t i = 0; i < b->nvars; i++)
        if (b->vars[i].var == CF_VAR_RESOURCE) set |= 1u << b->vars[i].resource;
    return set;
}

/* Appends the captured value of ref, transformed; -1 when it has none or memory runs out. */
static int render_capture(const cf_spec_target *t, const cf_var_ref *ref, cf_buf *out)
{
    if (!t->captured || ref->slot >= t->ncaptured || !t->captured[ref->slot].set) return -1;
    const uint8_t *p = t->captured[ref->slot].data;
    size_t n = t->captured[ref->slot].len;
    /* RFC 9110 §8.8.3: entity-tag = [ weak ] opaque-tag; weak = %s"W/" (case-sensitive) */
    bool weak = n >= 2 && p[0] == 'W' && p[1] == '/';
    if (ref->transform == CF_XFORM_WEAK && !weak && cf_buf_add(out, "W/", 2)) return -1;
    if (ref->transform == CF_XFORM_STRONG && weak) {
        p += 2;
        n -= 2;
    }
    return cf_buf_add(out, p ? p : (const uint8_t *)"", n);
}

/* Appends the value of placeholder ref; -1 when out of memory or the resource or captured value
 * is not given. */
static int render_var(const cf_spec_target *t, const cf_var_ref *ref, cf_buf *out)
{
    const char *val = "";
    switch (ref->var) {
    case CF_VAR_CAPTURE: return render_capture(t, ref, out);
    case CF_VAR_HOST: val = t->host; break;
    case CF_VAR_PORT: val = t->port; break;
    case CF_VAR_AUTHORITY: val = t->authority; break;
    case CF_VAR_RESOURCE:
        val = ref->resource < CF_RES__COUNT ? t->resource[ref->resource] : NULL;
        if (!val) return -1;
        if (ref->resource == CF_RES_STATUS) { /* "{code}" in the path becomes the code */
            const char *at = strstr(val, "{code}");
            char code[4];
            snprintf(code, sizeof code, "%03u", ref->code % 1000u);
            if (!at) return cf_buf_add(out, val, strlen(val));
            return cf_buf_add(out, val, (size_t)(at - val)) || cf_buf_add(out, code, 3) ||
                           cf_buf_add(out, at + 6, strlen(at + 6))
                       ? -1
                       : 0;
        }
        break;
    }
    return cf_buf_add(out, val, strlen(val));
}

/* Appends count copies of p[0..n). */
static int append_copies(cf_buf *out, const uint8_t *p, size_t n, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (cf_buf_add(out, p, n)) return -1;
    return 0;
}

int cf_tbytes_render(const cf_tbytes *b, const cf_spec_target *t, cf_buf *out)
{
    size_t at = 0, v = 0, r = 0;
    while (v < b->nvars || r < b->nruns) { /* a placeholder at a run's offset comes first */
        bool var = v < b->nvars && (r == b->nruns || b->vars[v].offset <= b->runs[r].offset);
        size_t off = var ? b->vars[v].offset : b->runs[r].offset;
        if (cf_buf_add(out, b->data + at, off - at)) return -1;
        at = off;
        if (var) {
            if (render_var(t, &b->vars[v++], out)) return -1;
            continue;
        }
        const cf_tbytes_run *run = &b->runs[r++];
        if (append_copies(out, b->data + off, run->unit, run->count)) return -1;
        at = off + run->unit;
    }
    if (cf_buf_add(out, b->data ? b->data + at : (const uint8_t *)"", b->len - at)) return -1;
    /* an empty result still gets a buffer, so out->data is never NULL after success */
    return 0;
}
