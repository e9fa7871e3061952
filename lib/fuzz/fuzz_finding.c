/* conform fuzz: findings written as spec cases (fuzz_finding.h). */
#include "fuzz_finding.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "h1_parser.h"
#include "fuzz_lenient.h"
#include "fuzz_mutate.h"
#include "rules.h"
#include "exchange_collect.h"
#include "spec_load.h"
#include "spec_render.h"
#include "util_atomic.h"
#include "util_file.h"

/* A finding file is a few KiB; one larger than this is not one of ours. */
#define MAX_FINDING_FILE (4u << 20)

/* What each kind's case says: the requirement it breaks and where the RFC says so. */
typedef struct kind_info {
    const char *section;
    const char *level;
    const char *title;
    const char *requirement;
} kind_info;

static const kind_info kinds[CF_FK_NKINDS] = {
    [CF_FK_CRASH] = {"2.2", "SHOULD", "The server stops accepting connections after this request",
                     "A server that receives octets that do not form a valid request SHOULD "
                     "respond with 400 (Bad Request) and close the connection (RFC 9112 section "
                     "2.2), and it must stay available: here it answered nothing and stopped "
                     "accepting connections."},
    /* RFC 9112 §6.3 (7): a message whose sender closes before the indicated length is
     * incomplete, and the recipient MUST close the connection. */
    [CF_FK_HANG] = {"6.3", "MUST", "No answer and no close after the client half-closed",
                    "If the sender closes the connection or the recipient times out before the "
                    "indicated number of octets are received, the recipient MUST consider the "
                    "message to be incomplete and close the connection."},
    /* RFC 9112 §6.3: the message body length decides where the next request starts. */
    [CF_FK_DESYNC] = {"6.3", "MUST", "More responses than requests (request smuggling / desync)",
                      "A server MUST determine the message body length of a request as RFC 9112 "
                      "section 6.3 says, so that it answers each request it was sent once and "
                      "never a request smuggled inside another's body."},
    /* RFC 9112 §8: a response that ends before its framing says is incomplete. No sentence
     * obliges a server to finish what it began, so it is graded as a crash is (§2.2's SHOULD). */
    [CF_FK_CUT] = {"8", "SHOULD", "A response cut short: the server closed before its end",
                   "A server that receives octets that do not form a valid request SHOULD "
                   "respond with 400 (Bad Request) and close the connection (RFC 9112 section "
                   "2.2), after a whole response: one that stops before the octets its "
                   "Content-Length or chunked framing announce is incomplete (RFC 9112 section "
                   "8) and of no use to its recipient."},
    /* RFC 9112 §9.5, §9.6: a reset can erase the client's unread input; servers close in
     * stages to avoid it. */
    [CF_FK_RESET] = {"9.5", "SHOULD", "A response cut short by a reset",
                     "A client or server that wishes to time out SHOULD issue a graceful close "
                     "on the connection (RFC 9112 section 9.5); a reset can erase the client's "
                     "unread input, which is why servers close in stages (section 9.6). Here "
                     "the connection was reset before the response's framing said it ends."},
    /* RFC 9112 §2.1 and §4: a response is a status-line, field lines, an empty line, a body. */
    [CF_FK_BAD_RESPONSE] = {"2.1", "MUST", "A response that is not HTTP/1.1",
                            "A server MUST send responses in the HTTP/1.1 message format: "
                            "status-line CRLF, field lines each ending in CRLF, an empty line, "
                            "then the message body (RFC 9112 sections 2.1 and 4)."},
};

/* Conform's strict reading of bytes (cf_collect_methods): the first rule one of the requests
 * breaks (a h1_code; 0: every request is valid), which request (*which, from 0) and how many
 * requests the reading counts (*nreq). */
static int strict_reading(const uint8_t *bytes, size_t len, size_t *which, size_t *nreq)
{
    enum { MAXR = 64 };
    cf_pending req[MAXR];
    *nreq = cf_collect_methods(bytes, len, req, MAXR);
    for (size_t i = 0; i < *nreq && i < MAXR; i++)
        if (req[i].strict) {
            *which = i;
            return req[i].strict;
        }
    return 0;
}

static int lower_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cf_finding_signature(const cf_finding *f, char *out, size_t cap)
{
    if (f->kind == CF_FK_RULE) { /* one finding per rule, whatever the bytes */
        snprintf(out, cap, "%s|%s", cf_fuzz_kind_name(f->kind), f->rule_id ? f->rule_id : "?");
        return;
    }
    /* A malformed response is the server's doing, not the request's field names: one finding
     * per way the response breaks RFC 9112 (e.g. nginx answering what it takes for an HTTP/0.9
     * request with a bare body would otherwise give one finding per set of names). */
    if (f->kind == CF_FK_BAD_RESPONSE && f->response_error) {
        snprintf(out, cap, "%s|%s", cf_fuzz_kind_name(f->kind),
                 h1_code_name((h1_code)f->response_error));
        return;
    }
    /* A leniency is the rule the server read leniently: one finding per rule. */
    size_t which = 0, nreq = 0;
    int strict = f->kind == CF_FK_LENIENT ? strict_reading(f->bytes, f->len, &which, &nreq) : 0;
    if (strict) {
        snprintf(out, cap, "%s|%s", cf_fuzz_kind_name(f->kind), h1_code_name((h1_code)strict));
        return;
    }
    enum { MAXN = 64, NAMELEN = 48 };
    char names[MAXN][NAMELEN];
    char *ptr[MAXN];
    size_t n = 0, pos = 0;
    while (pos < f->len && n < MAXN) {
        const uint8_t *nl = memchr(f->bytes + pos, '\n', f->len - pos);
        size_t end = nl ? (size_t)(nl - f->bytes) : f->len;
        const uint8_t *c = memchr(f->bytes + pos, ':', end - pos);
        size_t nlen = c ? (size_t)(c - f->bytes) - pos : 0;
        while (nlen && (f->bytes[pos + nlen - 1] == ' ' || f->bytes[pos + nlen - 1] == '\t'))
            nlen--;
        bool token = nlen > 0 && nlen < NAMELEN;
        for (size_t k = 0; token && k < nlen; k++) {
            uint8_t b = f->bytes[pos + k];
            token = b > 0x20 && b < 0x7f && b != '/' && b != '"' && b != ',';
            names[n][k] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        if (token) {
            names[n][nlen] = 0;
            ptr[n] = names[n];
            n++;
        }
        pos = end + 1;
    }
    qsort(ptr, n, sizeof ptr[0], lower_cmp);
    size_t w = (size_t)snprintf(out, cap, "%s|", cf_fuzz_kind_name(f->kind));
    for (size_t i = 0; i < n && w < cap; i++) {
        if (i > 0 && !strcmp(ptr[i], ptr[i - 1])) continue;
        w += (size_t)snprintf(out + w, cap - w, "%s%s", w && out[w - 1] != '|' ? "," : "", ptr[i]);
    }
}

void cf_finding_hash(const char *s, char hex[9])
{
    snprintf(hex, 9, "%08x", cf_fnv1a32(s));
}

static int add(cf_buf *b, const char *s)
{
    return cf_buf_add(b, s, strlen(s));
}

/* Appends the --exec log excerpt as comment lines ("#   ..."); bytes other than printable
 * ASCII become '?' (a comment must stay one line of valid UTF-8). */
static int add_log(cf_buf *b, const char *log)
{
    if (!log) return 0;
    add(b, "# Server log (--exec):\n#   ");
    for (const char *p = log; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n' && p[1])
            add(b, "\n#   ");
        else if (c != '\n')
            cf_buf_add(b, c >= 0x20 && c < 0x7f ? p : "?", 1);
    }
    return cf_buf_add(b, "\n", 1);
}

/* Appends bytes as the inside of a YAML double-quoted string (docs/spec-format.md "Bytes"). */
static int add_escaped(cf_buf *b, const uint8_t *p, size_t n)
{
    char e[8];
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == '"' || c == '\\')
            snprintf(e, sizeof e, "\\%c", c);
        else if (c == '\r')
            snprintf(e, sizeof e, "\\r");
        else if (c == '\n')
            snprintf(e, sizeof e, "\\n");
        else if (c == '\t')
            snprintf(e, sizeof e, "\\t");
        else if (c >= 0x20 && c < 0x7f)
            snprintf(e, sizeof e, "%c", c);
        else
            snprintf(e, sizeof e, "\\x%02X", c);
        if (add(b, e) < 0) return -1;
    }
    return 0;
}

/* The raw: piece list: literal pieces cut after each LF, {{authority}} where it occurs. */
static int add_pieces(cf_buf *b, const uint8_t *p, size_t n, const char *authority)
{
    size_t alen = authority ? strlen(authority) : 0;
    size_t start = 0, i = 0;
    while (i <= n) {
        bool auth = alen && i + alen <= n && !memcmp(p + i, authority, alen);
        bool cut = i == n || auth || p[i - (i > 0)] == '\n';
        if (cut && i > start) {
            if (add(b, "          - {literal: \"") < 0 ||
                add_escaped(b, p + start, i - start) < 0 || add(b, "\"}\n") < 0)
                return -1;
            start = i;
        }
        if (auth) {
            if (add(b, "          - \"{{authority}}\"\n") < 0) return -1;
            i += alen;
            start = i;
            continue;
        }
        i++;
    }
    return 0;
}

/* The expectation of each kind: fails on the server that showed it, holds on a correct one. */
static int add_expect(cf_buf *b, const cf_finding *f, size_t nreq)
{
    char t[256];
    snprintf(t, sizeof t,
             "        half_close: true\n        expect:\n          time_limit_ms: %u\n",
             f->time_limit_ms ? f->time_limit_ms : 3000);
    if (add(b, t) < 0) return -1;
    switch (f->kind) {
    case CF_FK_DESYNC: /* at most one response per request sent; wait the whole time limit */
    case CF_FK_LENIENT:
        snprintf(t, sizeof t,
                 "          responses: 0-%zu\n          any_of:\n"
                 "            - {connection: closed}\n            - {connection: open}\n",
                 nreq > 1000 ? 1000 : nreq);
        break;
    case CF_FK_HANG: /* an answer to every request, or a close */
        snprintf(t, sizeof t,
                 "          any_of:\n            - {connection: closed}\n"
                 "            - {responses: %zu-1000}\n",
                 nreq < 1      ? 1
                 : nreq > 1000 ? 1000
                               : nreq);
        break;
    case CF_FK_CUT: /* a whole response, read until the close as the exchange did */
    case CF_FK_RESET:
        snprintf(t, sizeof t,
                 "          responses: 1-1000\n          any_of:\n"
                 "            - {connection: closed}\n            - {connection: open}\n");
        break;
    case CF_FK_RULE: /* no response breaks the rule; read until the close, as the exchange did */
        snprintf(t, sizeof t,
                 "          complies: [%s]\n          any_of:\n"
                 "            - {connection: closed}\n            - {connection: open}\n",
                 f->rule_id);
        break;
    case CF_FK_CRASH: /* some answer before anything else */
    case CF_FK_BAD_RESPONSE:
    default: snprintf(t, sizeof t, "          status: \"100-599\"\n"); break;
    }
    return add(b, t);
}

/* What a rule finding's case says: the rule's RFC, section and level (rules.def). */
typedef struct rule_case {
    kind_info k; /* points into the buffers below */
    unsigned rfc;
    char section[32], title[160], requirement[1024];
} rule_case;

/* Fills *rc for rule_id; false when it names no rule or its section is not "RFC N §S". */
static bool rule_info(const char *rule_id, rule_case *rc)
{
    int i = rule_id ? cf_rule_find(rule_id, strlen(rule_id)) : -1;
    if (i < 0) return false;
    const char *sec = cf_rule_section((size_t)i), *level = cf_rule_level((size_t)i);
    const char *mark = strstr(sec, "\xC2\xA7"); /* "RFC 9110 §6.6.1" */
    if (strncmp(sec, "RFC ", 4) || !mark) return false;
    char *end = NULL;
    unsigned long n = strtoul(sec + 4, &end, 10);
    if (end == sec + 4 || n == 0 || n > 99999) return false;
    rc->rfc = (unsigned)n;
    snprintf(rc->section, sizeof rc->section, "%s", mark + 2);
    snprintf(rc->title, sizeof rc->title, "A response breaks compliance rule %s", rule_id);
    snprintf(rc->requirement, sizeof rc->requirement,
             "A server's response %s NOT show what compliance rule %s finds (%s; "
             "docs/rules.md): %s.",
             level, rule_id, sec, cf_rule_text((size_t)i));
    rc->k = (kind_info){rc->section, level, rc->title, rc->requirement};
    return true;
}

/* Fills *rc for a leniency on request which (from 0) breaking rule code: the RFC sentence of
 * fuzz_lenient.h gives section and level. */
static void lenient_info(int code, size_t which, rule_case *rc)
{
    const cf_lenient_rule *r = cf_lenient_rule_of(code);
    const char *name = h1_code_name((h1_code)code);
    rc->rfc = r->rfc;
    snprintf(rc->section, sizeof rc->section, "%s", r->section);
    snprintf(rc->title, sizeof rc->title,
             "More responses than requests on bytes the strict parser rejects (%s)", name);
    snprintf(rc->requirement, sizeof rc->requirement,
             "%s (RFC %u section %s%s) Request %zu breaks %s (%s: %s); a server that reads it "
             "anyway must still answer it once, not as more messages than conform's reading "
             "finds.",
             r->quote, r->rfc, r->section,
             r->own_limit ? "; the limit is conform's, so accepting more is allowed" : "",
             which + 1, name, h1_code_section((h1_code)code), h1_code_message((h1_code)code));
    rc->k = (kind_info){rc->section, r->level, rc->title, rc->requirement};
}

/* The comment line saying what conform's strict reading of the bytes found, into out. */
static void strict_line(const cf_finding *f, char *out, size_t cap)
{
    size_t which = 0, nreq = 0;
    int strict = strict_reading(f->bytes, f->len, &which, &nreq);
    out[0] = 0;
    if (f->kind == CF_FK_DESYNC && !strict)
        snprintf(out, cap,
                 "# Strict reading: all %zu request(s) valid, so the extra answers mean the "
                 "server framed them into more messages (request smuggling).\n",
                 nreq);
    else if (f->kind == CF_FK_LENIENT && strict)
        snprintf(out, cap,
                 "# Strict reading: request %zu of %zu breaks %s (%s): the server read it "
                 "leniently; level %s from RFC %u section %s (docs/commands/fuzz.md).\n",
                 which + 1, nreq, h1_code_name((h1_code)strict), h1_code_section((h1_code)strict),
                 cf_lenient_rule_of(strict)->level, cf_lenient_rule_of(strict)->rfc,
                 cf_lenient_rule_of(strict)->section);
}

int cf_finding_yaml(const cf_finding *f, const char *hex, const char *authority, cf_buf *out)
{
    const kind_info *k = &kinds[(unsigned)f->kind < CF_FK_NKINDS ? f->kind : CF_FK_DESYNC];
    if (!k->section) k = &kinds[CF_FK_DESYNC];
    rule_case rc;
    char rfc_line[32] = "";
    if (f->kind == CF_FK_RULE) {
        if (!rule_info(f->rule_id, &rc)) return -1;
        k = &rc.k;
        snprintf(rfc_line, sizeof rfc_line, "    rfc: %u\n", rc.rfc);
    }
    size_t which = 0, nreq_strict = 0;
    int strict = strict_reading(f->bytes, f->len, &which, &nreq_strict);
    if (f->kind == CF_FK_LENIENT && strict) {
        lenient_info(strict, which, &rc);
        k = &rc.k;
        snprintf(rfc_line, sizeof rfc_line, "    rfc: %u\n", rc.rfc);
    }
    char strict_note[400];
    strict_line(f, strict_note, sizeof strict_note);
    const char *kn = cf_fuzz_kind_name(f->kind);
    char ops[256] = "";
    for (unsigned op = 0; op < CF_MUT_NOPS; op++)
        if (f->ops & (1u << op)) {
            size_t w = strlen(ops);
            snprintf(ops + w, sizeof ops - w, "%s%s", w ? "," : "", cf_mut_op_name((cf_mut_op)op));
        }
    size_t nreq = cf_collect_methods(f->bytes, f->len, NULL, 0);
    char head[4096];
    snprintf(head, sizeof head,
             "# A finding of conform fuzz (docs/commands/fuzz.md): %s.\n"
             "# Found with --seed %llu, worker %u, request %llu; mutated from case %s with "
             "operators %s.\n"
             "# Observed: %s\n%s",
             kn, (unsigned long long)f->seed, f->worker, (unsigned long long)f->iteration,
             f->origin ? f->origin : "(none)", ops[0] ? ops : "(none)", f->detail ? f->detail : kn,
             strict_note);
    if (add(out, head) < 0 || add_log(out, f->log) < 0) return -1;
    snprintf(head, sizeof head,
             "# Reproduce: conform run THIS_FILE --target HOST:PORT\n"
             "spec: 1\ntitle: \"conform fuzz finding: %s\"\nrfc: 9112\ntags: [fuzz, finding]\n"
             "cases:\n  - id: finding-%s-%s\n    title: \"%s\"\n%s"
             "    section: \"%s\"\n    level: %s\n    requirement: >-\n      %s\n"
             "    tags: [%s%s%s]\n    steps:\n      - raw:\n",
             kn, kn, hex, k->title, rfc_line, k->section, k->level, k->requirement, kn,
             f->kind == CF_FK_RULE ? ", " : "", f->kind == CF_FK_RULE ? f->rule_id : "");
    if (add(out, head) < 0 || add_pieces(out, f->bytes, f->len, authority) < 0) return -1;
    return add_expect(out, f, nreq);
}

int cf_finding_validate(const char *yaml, size_t n, const uint8_t *bytes, size_t len,
                        const char *host, const char *port, char *err, size_t errlen)
{
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cf_spec_file *file = NULL;
    int rc = -1;
    if (cf_spec_load_text("finding.yaml", yaml, n, &file, &errs) < 0) {
        snprintf(err, errlen, "the finding's YAML does not load: %u:%u: %s",
                 errs.count ? errs.items[0].line : 0, errs.count ? errs.items[0].column : 0,
                 errs.count ? errs.items[0].message : "?");
    } else if (file->ncases != 1 || file->cases[0].nsteps != 1) {
        snprintf(err, errlen, "the finding's YAML does not hold one case of one step");
    } else {
        cf_buf r = {0};
        cf_spec_target t;
        if (cf_spec_target_init(&t, host, port) < 0 ||
            cf_spec_render_step(&file->cases[0].steps[0], &t, &r) < 0)
            snprintf(err, errlen, "the finding's step does not render");
        else if (r.len != len || memcmp(cf_buf_bytes(&r), bytes, len))
            snprintf(err, errlen, "the finding's step renders to other bytes than were sent");
        else
            rc = 0;
        cf_buf_free(&r);
    }
    cf_spec_file_free(file);
    cf_spec_errors_free(&errs);
    return rc;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
    char p[1024];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof p) return -1;
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != 0) continue;
        char c = p[i];
        p[i] = 0;
        if (mkdir(p, 0777) < 0 && errno != EEXIST) return -1;
        p[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) < 0) return -1;
    if (S_ISDIR(st.st_mode)) return 0;
    errno = ENOTDIR; /* mkdir said EEXIST: something else has that name (/dev/null, a file) */
    return -1;
}

int cf_findings_open(cf_findings *fs, const char *dir, char *err, size_t errlen)
{
    memset(fs, 0, sizeof *fs);
    if (strlen(dir) >= sizeof fs->dir || make_dirs(dir) < 0) {
        snprintf(err, errlen, "cannot create the findings directory %s: %s", dir,
                 strerror(errno ? errno : ENAMETOOLONG));
        return -1;
    }
    memcpy(fs->dir, dir, strlen(dir) + 1);
    pthread_mutex_init(&fs->mu, NULL);
    return 0;
}

static bool push(char ***arr, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **p = realloc(*arr, nc * sizeof *p);
        if (!p) return false;
        *arr = p;
        *cap = nc;
    }
    size_t l = strlen(s);
    char *c = malloc(l + 1);
    if (!c) return false;
    memcpy(c, s, l + 1);
    (*arr)[(*n)++] = c;
    return true;
}

/* True when sig was claimed (the caller holds fs->mu). */
static bool claimed(const cf_findings *fs, const char *sig)
{
    for (size_t i = 0; i < fs->nsigs; i++)
        if (!strcmp(fs->sigs[i], sig)) return true;
    return false;
}

bool cf_findings_claim(cf_findings *fs, const char *sig)
{
    pthread_mutex_lock(&fs->mu);
    bool fresh = !claimed(fs, sig) && push(&fs->sigs, &fs->nsigs, &fs->cap, sig);
    pthread_mutex_unlock(&fs->mu);
    return fresh;
}

bool cf_findings_known(cf_findings *fs, const char *sig)
{
    pthread_mutex_lock(&fs->mu);
    bool known = claimed(fs, sig);
    pthread_mutex_unlock(&fs->mu);
    return known;
}

/* What path holds: 0 nothing, 1 a finding that loads (one case of one step), -1 a file that does
 * not (cut short by a kill or a full disk before findings were written whole, or edited). */
static int finding_on_disk(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    cf_file_status st = cf_file_read(path, MAX_FINDING_FILE, &text, &len);
    if (st == CF_FILE_ERRNO && errno == ENOENT) return 0;
    int rc = -1;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cf_spec_file *file = NULL;
    if (st == CF_FILE_OK && cf_spec_load_text(path, text, len, &file, &errs) == 0 &&
        file->ncases == 1 && file->cases[0].nsteps == 1)
        rc = 1;
    cf_spec_file_free(file);
    cf_spec_errors_free(&errs);
    free(text);
    return rc;
}

int cf_findings_save(cf_findings *fs, const cf_finding *f, const char *host, const char *port,
                     char *path, size_t cap, char *err, size_t errlen)
{
    char sig[1024], hex[9];
    cf_finding_signature(f, sig, sizeof sig);
    cf_finding_hash(sig, hex);
    cf_spec_target t;
    if (cf_spec_target_init(&t, host, port) < 0) {
        snprintf(err, errlen, "bad target %s:%s", host, port);
        return -1;
    }
    cf_buf y = {0};
    int rc = -1;
    if (cf_finding_yaml(f, hex, t.authority, &y) < 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (cf_finding_validate(y.ptr, y.len, f->bytes, f->len, host, port, err, errlen) < 0) goto out;
    snprintf(path, cap, "%s/%s-%s.yaml", fs->dir, cf_fuzz_kind_name(f->kind), hex);
    pthread_mutex_lock(&fs->mu);
    int prior = finding_on_disk(path);
    if (prior == 1) {
        rc = 0; /* a finding of an earlier run, whole: kept */
    } else if (cf_atomic_write(path, cf_buf_bytes(&y), y.len) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    } else if (!push(&fs->paths, &fs->npaths, &fs->paths_cap, path)) {
        snprintf(err, errlen, "out of memory");
    } else {
        rc = prior < 0 ? 2 : 1;
    }
    pthread_mutex_unlock(&fs->mu);
out:
    cf_buf_free(&y);
    return rc;
}

void cf_findings_close(cf_findings *fs)
{
    for (size_t i = 0; i < fs->nsigs; i++)
        free(fs->sigs[i]);
    for (size_t i = 0; i < fs->npaths; i++)
        free(fs->paths[i]);
    free(fs->sigs);
    free(fs->paths);
    if (fs->dir[0]) pthread_mutex_destroy(&fs->mu);
    memset(fs, 0, sizeof *fs);
}
