/* Table runner for parser tests (see cf_table.h). */
#include "cf_table.h"

#include "h1_internal.h" /* h1_simd_force */

#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the runner is doing, written out if the parser crashes (guard page hit). */
static char crash_note[512];

static void on_crash(int sig)
{
    ssize_t w = write(2, crash_note, strlen(crash_note));
    (void)w;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void watch_crashes(void)
{
    static int installed;
    if (installed) return;
    installed = 1;
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
}

/* Failure text of one row. */
typedef struct report {
    char text[8192];
    size_t len;
} report;

static void fail(report *r, const char *fmt, ...)
{
    if (r->len >= sizeof r->text - 1) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->text + r->len, sizeof r->text - r->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        r->len += (size_t)n < sizeof r->text - r->len ? (size_t)n : sizeof r->text - r->len - 1;
}

static const char *name_of(h1_code c)
{
    const char *n = h1_code_name(c);
    return n ? n : "(null)";
}

static int take_limit(const char *spec, const char *key, size_t *val)
{
    size_t klen = strlen(key);
    for (const char *p = spec; (p = strstr(p, key)) != NULL; p += klen) {
        if ((p != spec && p[-1] != ' ') || p[klen] != '=') continue;
        char *end;
        unsigned long v = strtoul(p + klen + 1, &end, 10);
        if (end == p + klen + 1) return 0;
        *val = (size_t)v;
        return 1;
    }
    return 0;
}

cf_replay_cfg cf_row_cfg(const cf_row *row)
{
    cf_replay_cfg c = cf_replay_cfg_default(row->kind);
    c.lenient = row->lenient;
    c.request_method = row->req;
    const char *l = row->limits;
    if (!l) return c;
    take_limit(l, "start", &c.limits.max_start_line);
    take_limit(l, "head", &c.limits.max_head);
    take_limit(l, "fields", &c.limits.max_fields);
    take_limit(l, "ext", &c.limits.max_chunk_ext);
    take_limit(l, "trailer", &c.limits.max_trailer);
    take_limit(l, "empty", &c.limits.max_empty_lines);
    take_limit(l, "hdrcap", &c.max_headers);
    take_limit(l, "trlcap", &c.max_trailers);
    take_limit(l, "vcap", &c.max_violations);
    c.no_trailers = strstr(l, "notrl") != NULL;
    c.no_violations = strstr(l, "novio") != NULL;
    return c;
}

/* Expected violations: tokens CODE@N or CODE@N-M, in order. */
static void check_violations(report *r, const cf_row *row, const cf_outcome *o)
{
    const char *p = row->viol;
    size_t i = 0;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p) break;
        size_t nlen = strcspn(p, "@ ");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)nlen, p);
        p += nlen;
        size_t lo = 0, hi = (size_t)-1;
        if (*p == '@') {
            char *end;
            lo = hi = strtoul(p + 1, &end, 10);
            if (*end == '-') hi = strtoul(end + 1, &end, 10);
            p = end;
        }
        if (i >= o->stored_violations) {
            fail(r, "  violation %zu: want %s, none recorded\n", i, name);
        } else {
            const h1_violation *v = &o->violations[i];
            if (strcmp(name_of(v->code), name) != 0 || v->offset < lo || v->offset > hi)
                fail(r, "  violation %zu: want %s@%zu-%zu, got %s@%zu\n", i, name, lo, hi,
                     name_of(v->code), v->offset);
        }
        i++;
    }
    if (o->stored_violations != i)
        fail(r, "  violations: want %zu, got %zu stored (%zu counted)\n", i, o->stored_violations,
             o->num_violations);
}

static void check_status(report *r, const cf_row *row, const cf_outcome *o)
{
    static const char *const st[] = {"DONE", "AGAIN", "ERROR"};
    h1_status want = (row->code || row->any_error) ? H1_ERROR : row->again ? H1_AGAIN : H1_DONE;
    if (o->status != want) {
        fail(r, "  status: want %s, got %s", st[want],
             (unsigned)o->status < 3 ? st[o->status] : "?");
        if (o->status == H1_ERROR) fail(r, " (%s@%zu)", name_of(o->error.code), o->error.offset);
        fail(r, "\n");
        return;
    }
    if (want != H1_ERROR) return;
    if (row->code && o->error.code != row->code && (!row->alt || o->error.code != row->alt))
        fail(r, "  error: want %s%s%s, got %s@%zu\n", name_of(row->code), row->alt ? " or " : "",
             row->alt ? name_of(row->alt) : "", name_of(o->error.code), o->error.offset);
    if (row->mark) {
        const char *m = memmem(row->in, row->len, row->mark, strlen(row->mark));
        size_t at = m ? (size_t)(m - row->in) + row->mark_plus : SIZE_MAX;
        if (o->error.offset != at)
            fail(r, "  error offset: want %zu, got %zu\n", at, o->error.offset);
    }
    if (row->has_off && (o->error.offset < row->off_lo || o->error.offset > row->off_hi))
        fail(r, "  error offset: want %zu..%zu, got %zu\n", row->off_lo, row->off_hi,
             o->error.offset);
}

static void check_span(report *r, const char *what, const char *want, size_t want_len,
                       const char *got, size_t got_len)
{
    if (!want) return;
    if (want_len == got_len && memcmp(want, got, got_len) == 0) return;
    char a[1024], b[1024];
    fail(r, "  %s: want \"%s\", got \"%s\"\n", what, cf_escape(want, want_len, a, sizeof a),
         cf_escape(got, got_len, b, sizeof b));
}

static void check_bytes(report *r, const char *what, const char *want, const char *got,
                        size_t got_len)
{
    if (want) check_span(r, what, want, strlen(want), got, got_len);
}

static void collapse(char *s)
{
    char *w = s;
    for (char *p = s; *p; p++)
        if (!(*p == ' ' && w > s && w[-1] == ' ')) *w++ = *p;
    *w = 0;
}

/* "Name: value\n" per field; raw selects the raw span ("~" marks repaired fields). */
static char *render_fields(const cf_rfield *f, size_t n, const char *in, int raw, int squeeze)
{
    size_t cap = 1;
    for (size_t i = 0; f && i < n; i++)
        cap += f[i].name.len + f[i].value.len + f[i].copy_len + 5;
    char *s = calloc(cap, 1), *w = s;
    if (!s) abort();
    for (size_t i = 0; f && i < n; i++) {
        if (raw && (f[i].flags & H1_FIELD_REPAIRED)) *w++ = '~';
        memcpy(w, in + f[i].name.off, f[i].name.len), w += f[i].name.len;
        *w++ = ':', *w++ = ' ';
        if (raw)
            memcpy(w, in + f[i].value.off, f[i].value.len), w += f[i].value.len;
        else
            memcpy(w, f[i].copy, f[i].copy_len), w += f[i].copy_len;
        *w++ = '\n';
    }
    if (squeeze) collapse(s);
    return s;
}

static void check_fields(report *r, const char *what, const char *want, const cf_rfield *f,
                         size_t n, const char *in, int raw, int squeeze)
{
    if (!want) return;
    char *got = render_fields(f, n, in, raw, squeeze);
    char *exp = strdup(want);
    if (!exp) abort();
    if (squeeze) collapse(exp);
    check_bytes(r, what, exp, got, strlen(got));
    free(got);
    free(exp);
}

static const char *framing_name(h1_framing f)
{
    static const char *const n[] = {"none", "length", "chunked", "close"};
    return (unsigned)f < 4 ? n[f] : "?";
}

static const char *form_name(int f)
{
    static const char *const n[] = {"origin", "absolute", "authority", "asterisk"};
    return (unsigned)f < 4 ? n[f] : "?";
}

static void check_want(report *r, const cf_row *row, const cf_outcome *o)
{
    char have[512], host[32];
    if (o->host_index == SIZE_MAX)
        snprintf(host, sizeof host, "none");
    else
        snprintf(host, sizeof host, "%zu", o->host_index);
    snprintf(have, sizeof have,
             " form=%s version=%d status=%d framing=%s cl=%llu host=%s nhdr=%zu ntrl=%zu"
             " consumed=%zu head_len=%zu nviol=%zu ",
             form_name(o->target_form), o->version, o->status_code, framing_name(o->framing),
             (unsigned long long)o->content_length, host, o->num_headers, o->num_trailers,
             o->consumed, o->head_len, o->num_violations);
    for (const char *p = row->want; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        char tok[96];
        snprintf(tok, sizeof tok, " %.*s ", (int)n, p);
        if (!strstr(have, tok)) {
            size_t k = strcspn(p, "=") + 1;
            char key[40];
            snprintf(key, sizeof key, " %.*s", (int)k, p);
            const char *g = strstr(have, key);
            fail(r, "  %.*s: got %.*s\n", (int)n, p, g ? (int)strcspn(g + 1, " ") : 1,
                 g ? g + 1 : "?");
        }
        p += n;
    }
}

static int wants_head(const cf_row *row)
{
    return row->rest || row->method || row->target || row->reason || row->hdrs || row->raw ||
           row->want || row->on || row->off || row->body || row->trl;
}

static void check_head(report *r, const cf_row *row, const cf_outcome *o)
{
    if (!wants_head(row)) return;
    if (!o->head_done) {
        fail(r, "  head not parsed\n");
        return;
    }
    check_bytes(r, "method", row->method, row->in + o->method.off, o->method.len);
    check_bytes(r, "target", row->target, row->in + o->target.off, o->target.len);
    check_bytes(r, "reason", row->reason, row->in + o->reason.off, o->reason.len);
    check_fields(r, "headers", row->hdrs, o->headers, o->num_headers, row->in, 0, row->collapse_sp);
    check_fields(r, "raw headers", row->raw, o->headers, o->num_headers, row->in, 1, 0);
    if (row->want) check_want(r, row, o);
    if ((o->flags & row->on) != row->on)
        fail(r, "  flags: want 0x%x set, got 0x%x\n", row->on, o->flags);
    if (o->flags & row->off) fail(r, "  flags: want 0x%x clear, got 0x%x\n", row->off, o->flags);
    if (row->body)
        check_span(r, "body", row->body, row->body_len ? row->body_len : strlen(row->body),
                   o->body ? o->body : "", o->body_len);
    if (row->rest) {
        size_t want = row->len - strlen(row->rest);
        if (o->status != H1_DONE || o->consumed != want)
            fail(r, "  consumed: want %zu (leaving \"%s\"), got %zu\n", want, row->rest,
                 o->consumed);
    }
    check_fields(r, "trailers", row->trl, o->trailers, o->trailers ? o->num_trailers : 0, row->in,
                 0, row->collapse_sp);
}

/* Rules every outcome obeys whatever the row says. */
static void check_invariants(report *r, const cf_row *row, const cf_outcome *o)
{
    if (row->lenient == 0 && o->num_violations != 0)
        fail(r, "  strict mode recorded %zu violation(s)\n", o->num_violations);
    for (size_t i = 0; i < o->stored_violations; i++)
        if (!(h1_code_lenient_bit(o->violations[i].code) & row->lenient))
            fail(r, "  violation %s recorded without its lenient bit\n",
                 name_of(o->violations[i].code));
    if (o->status == H1_ERROR && (o->error.code == H1_V_NONE || o->error.offset > row->len))
        fail(r, "  error %s@%zu is not a code and offset in the message\n", name_of(o->error.code),
             o->error.offset);
    if (o->status == H1_DONE && o->consumed > row->len)
        fail(r, "  consumed %zu of %zu bytes\n", o->consumed, row->len);
}

static int cmp_violation(const void *a, const void *b)
{
    const h1_violation *x = a, *y = b;
    if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
    return (int)x->code - (int)y->code;
}

/* The same violations, in any order: without a header array the meaning of a field (a repeated
 * Content-Length) is read, and its repair recorded, as the field line is read. */
static int same_violations(const cf_outcome *a, const cf_outcome *b)
{
    if (a->num_violations != b->num_violations || a->stored_violations != b->stored_violations)
        return 0;
    size_t n = a->stored_violations;
    h1_violation x[64], y[64];
    if (n > 64) return 1;
    memcpy(x, a->violations, n * sizeof *x);
    memcpy(y, b->violations, n * sizeof *y);
    qsort(x, n, sizeof *x, cmp_violation);
    qsort(y, n, sizeof *y, cmp_violation);
    return n == 0 || memcmp(x, y, n * sizeof *x) == 0;
}

/* The row parsed by a parser given no header and no trailer array must come out as it did
 * with them (o), but for the fields themselves: same status, error, counts, Host index, flags,
 * framing and body. Rows that limit the arrays' sizes are left out. */
static void check_no_arrays(report *r, const cf_row *row, const cf_replay_cfg *cfg,
                            const cf_outcome *o)
{
    if (row->limits && (strstr(row->limits, "hdrcap") || strstr(row->limits, "trlcap"))) return;
    cf_replay_cfg bare = *cfg;
    bare.max_headers = 0;
    bare.no_trailers = 1;
    cf_outcome b;
    char why[1024];
    if (cf_replay_all(&bare, row->in, row->len, &b, why, sizeof why) != 0)
        fail(r, "  no arrays, replay: %s\n", why);
    if (b.status != o->status || b.error.code != o->error.code || b.error.offset != o->error.offset)
        fail(r, "  no arrays: status %d %s@%zu, with arrays %d %s@%zu\n", (int)b.status,
             name_of(b.error.code), b.error.offset, (int)o->status, name_of(o->error.code),
             o->error.offset);
    else if (o->status == H1_ERROR) /* what was read before an error is not compared */
        ;
    else if (b.head_done != o->head_done || b.head_len != o->head_len ||
             b.num_headers != o->num_headers || b.host_index != o->host_index ||
             b.flags != o->flags || b.framing != o->framing ||
             b.content_length != o->content_length || b.num_trailers != o->num_trailers ||
             b.body_len != o->body_len || b.consumed != o->consumed ||
             (b.body_len && memcmp(b.body, o->body, b.body_len) != 0))
        fail(r,
             "  no arrays: head %zu nhdr=%zu host=%zu flags=0x%x framing=%d cl=%llu "
             "ntrl=%zu body %zu consumed %zu; with arrays head %zu nhdr=%zu host=%zu "
             "flags=0x%x framing=%d cl=%llu ntrl=%zu body %zu consumed %zu\n",
             b.head_len, b.num_headers, b.host_index, b.flags, (int)b.framing,
             (unsigned long long)b.content_length, b.num_trailers, b.body_len, b.consumed,
             o->head_len, o->num_headers, o->host_index, o->flags, (int)o->framing,
             (unsigned long long)o->content_length, o->num_trailers, o->body_len, o->consumed);
    else if (!same_violations(&b, o))
        fail(r, "  no arrays: %zu violations, with arrays %zu (or other ones)\n", b.num_violations,
             o->num_violations);
    else if (b.headers != NULL)
        fail(r, "  no arrays: msg.headers is not NULL\n");
    cf_outcome_free(&b);
}

/* Runs the row with the parser's current SIMD build (h1_simd_force); with no_arrays, again
 * without header and trailer arrays. */
static int run_row(const char *table, size_t idx, const cf_row *row, int no_arrays)
{
    char esc[2048];
    const char *simd = h1_simd_active()->name;
    cf_escape(row->in, row->len, esc, sizeof esc);
    snprintf(crash_note, sizeof crash_note, "\n*** crashed in %s[%zu] (%s build): \"%.400s\"\n",
             table, idx, simd, esc);
    cf_replay_cfg cfg = cf_row_cfg(row);
    cf_outcome o;
    report r = {.len = 0};
    char why[1024];
    if (cf_replay_all(&cfg, row->in, row->len, &o, why, sizeof why) != 0)
        fail(&r, "  replay: %s\n", why);
    check_status(&r, row, &o);
    if (row->viol) check_violations(&r, row, &o);
    check_head(&r, row, &o);
    check_invariants(&r, row, &o);
    if (no_arrays) check_no_arrays(&r, row, &cfg, &o);
    cf_outcome_free(&o);
    if (r.len == 0) return 0;
    cr_log_error("%s[%zu] \"%s\" (lenient 0x%x%s%s, %s build):\n%s", table, idx, esc, row->lenient,
                 row->req ? ", answering " : "", row->req ? row->req : "", simd, r.text);
    return 1;
}

size_t cf_table_run(const char *table, const cf_row *rows, size_t n)
{
    /* Every SIMD build of the parser this CPU runs (parsers/h1_simd_level.h), the chosen one
     * last so that it stays chosen. */
    static const char *const builds[] = {"scalar", "sse2", "ssse3", "avx2"};
    const char *chosen = h1_simd_active()->name;
    watch_crashes();
    size_t failed = 0;
    for (size_t b = 0; b <= sizeof builds / sizeof builds[0]; b++) {
        const char *name = b < sizeof builds / sizeof builds[0] ? builds[b] : chosen;
        if ((name != chosen && strcmp(name, chosen) == 0) || h1_simd_force(name) != 0) continue;
        for (size_t i = 0; i < n; i++) /* no arrays: with the chosen build only */
            failed += (size_t)run_row(table, i, &rows[i], name == chosen);
    }
    return failed;
}
