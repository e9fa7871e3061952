/* Reading a JSON report back (report_json_read.h), with jansson. Unknown members are ignored
 * (docs/report-json.md "Versioning"); the derived members (counts, summary) are recomputed. */
#include "report_json_read.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util_buf.h"
#include "util_file.h"
#include "util_input.h"

/* Reading state: where in the document we are, for messages; the schema version and, while a
 * case's responses are read, that case (its steps are read first). */
typedef struct rd {
    const char *name;
    char *err;
    size_t errlen;
    char path[256];
    bool failed;
    int version;
    const cf_report_case *c;
    const cf_report *report;    /* while reading the version differential: its targets */
    size_t last_step, last_end; /* v1: where the previous response of a step ended */
} rd;

__attribute__((format(printf, 2, 3))) static bool fail(rd *r, const char *fmt, ...)
{
    if (r->failed) return false;
    r->failed = true;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->errlen, "%s: %s%s%s", r->name, r->path, r->path[0] ? ": " : "", msg);
    return false;
}

static bool oom(rd *r)
{
    return fail(r, "out of memory");
}

/* Appends ".key" or "[i]" to the path; returns the old length to restore. */
static size_t push(rd *r, const char *key, size_t index)
{
    size_t n = strlen(r->path);
    if (key)
        snprintf(r->path + n, sizeof r->path - n, "%s%s", n ? "." : "", key);
    else
        snprintf(r->path + n, sizeof r->path - n, "[%zu]", index);
    return n;
}

static void pop(rd *r, size_t n)
{
    r->path[n] = 0;
}

static const char *kind_name(json_type t)
{
    switch (t) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static const char *type_name(const json_t *v)
{
    return kind_name(json_typeof(v));
}

/* The member key of obj, checked against the type wanted; NULL (error set) when missing or
 * of another type, unless optional (then NULL with no error for a missing or null member). */
static json_t *member(rd *r, json_t *obj, const char *key, json_type want, bool optional)
{
    json_t *v = json_object_get(obj, key);
    if ((!v || json_is_null(v)) && optional) return NULL;
    size_t n = push(r, key, 0);
    if (!v)
        fail(r, "missing");
    else if (json_typeof(v) != want && !(want == JSON_TRUE && json_is_boolean(v)))
        fail(r, "expected %s, found %s", kind_name(want), type_name(v));
    pop(r, n);
    return r->failed ? NULL : v;
}

/* A text member into *out (malloc'd); optional ones may be null or missing (*out NULL). */
static bool get_text(rd *r, json_t *obj, const char *key, bool optional, char **out)
{
    *out = NULL;
    json_t *v = member(r, obj, key, JSON_STRING, optional);
    if (!v) return !r->failed;
    size_t len = json_string_length(v);
    const char *s = json_string_value(v);
    if (memchr(s, 0, len)) {
        size_t n = push(r, key, 0);
        fail(r, "text holds U+0000");
        pop(r, n);
        return false;
    }
    *out = malloc(len + 1);
    if (!*out) return oom(r);
    memcpy(*out, s, len + 1);
    return true;
}

/* A byte-string member (code points U+0000..U+00FF are the bytes) into *out, *len. */
static bool get_bytes(rd *r, json_t *obj, const char *key, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    json_t *v = member(r, obj, key, JSON_STRING, true);
    if (!v) return !r->failed;
    const uint8_t *s = (const uint8_t *)json_string_value(v);
    size_t n = json_string_length(v), k = 0;
    if (!n) return true;
    uint8_t *d = malloc(n);
    if (!d) return oom(r);
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x80) {
            d[k++] = s[i];
        } else if ((s[i] == 0xC2 || s[i] == 0xC3) && i + 1 < n) { /* U+0080..U+00FF */
            d[k++] = (uint8_t)(((s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F));
            i++;
        } else {
            free(d);
            size_t p = push(r, key, 0);
            fail(r, "not a byte string: code point above U+00FF at byte %zu", i);
            pop(r, p);
            return false;
        }
    }
    *out = d;
    *len = k;
    return true;
}

static bool get_uint(rd *r, json_t *obj, const char *key, uint64_t max, bool optional,
                     uint64_t *out)
{
    *out = 0;
    json_t *v = member(r, obj, key, JSON_INTEGER, optional);
    if (!v) return !r->failed;
    json_int_t x = json_integer_value(v);
    if (x < 0 || (uint64_t)x > max) {
        size_t n = push(r, key, 0);
        fail(r, "%lld is out of range (0..%llu)", (long long)x, (unsigned long long)max);
        pop(r, n);
        return false;
    }
    *out = (uint64_t)x;
    return true;
}

static bool get_bool(rd *r, json_t *obj, const char *key, bool *out)
{
    json_t *v = member(r, obj, key, JSON_TRUE, false);
    *out = v && json_is_true(v);
    return v != NULL;
}

/* A member that must be one of names[0..n) ("PASS"...): its index into *out. */
static bool get_enum(rd *r, json_t *obj, const char *key, const char *(*name)(int), int n, int *out)
{
    char *text;
    if (!get_text(r, obj, key, false, &text)) return false;
    for (int i = 0; i < n; i++)
        if (!strcmp(text, name(i))) {
            free(text);
            *out = i;
            return true;
        }
    size_t p = push(r, key, 0);
    char list[64] = "";
    for (int i = 0; i < n; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", name(i));
    fail(r, "'%s' is not one of %s", text, list);
    free(text);
    pop(r, p);
    return false;
}

/* An array of texts into *out, *n. */
/* The optional "rules" member (--rules; written since rule findings gate) into *out: gate when
 * absent, as runs before it behaved like --rules report but had no gate to say so. */
static bool get_rules_mode(rd *r, json_t *obj, cf_rules_mode *out)
{
    char *s = NULL;
    *out = CF_RULES_GATE;
    if (!get_text(r, obj, "rules", true, &s)) return false;
    bool ok = !s || cf_rules_mode_parse(s, out) == 0;
    free(s);
    if (!ok) {
        size_t n = push(r, "rules", 0);
        fail(r, "not a --rules mode (expected \"gate\", \"report\" or \"off\")");
        pop(r, n);
    }
    return ok;
}

static bool get_texts(rd *r, json_t *obj, const char *key, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    json_t *a = member(r, obj, key, JSON_ARRAY, false);
    if (!a) return false;
    size_t cnt = json_array_size(a);
    if (!cnt) return true;
    *out = calloc(cnt, sizeof **out);
    if (!*out) return oom(r);
    size_t p = push(r, key, 0);
    for (size_t i = 0; i < cnt && !r->failed; i++) {
        json_t *v = json_array_get(a, i);
        size_t q = push(r, NULL, i);
        if (!json_is_string(v)) {
            fail(r, "expected a string, found %s", type_name(v));
        } else {
            size_t len = strlen(json_string_value(v));
            (*out)[i] = malloc(len + 1);
            if (!(*out)[i])
                oom(r);
            else
                memcpy((*out)[i], json_string_value(v), len + 1);
        }
        pop(r, q);
        (*n)++;
    }
    pop(r, p);
    return !r->failed;
}

/* Reads the objects of array member key with fn(r, element, out + i * size). */
static bool get_objects(rd *r, json_t *obj, const char *key, size_t size, void **out, size_t *n,
                        bool (*fn)(rd *, json_t *, void *))
{
    *out = NULL;
    *n = 0;
    json_t *a = member(r, obj, key, JSON_ARRAY, false);
    if (!a) return false;
    size_t cnt = json_array_size(a);
    if (!cnt) return true;
    *out = calloc(cnt, size);
    if (!*out) return oom(r);
    size_t p = push(r, key, 0);
    for (size_t i = 0; i < cnt && !r->failed; i++) {
        json_t *v = json_array_get(a, i);
        size_t q = push(r, NULL, i);
        (*n)++;
        if (!json_is_object(v))
            fail(r, "expected an object, found %s", type_name(v));
        else
            fn(r, v, (char *)*out + i * size);
        pop(r, q);
    }
    pop(r, p);
    return !r->failed;
}

/* A finding: the rule index when this build knows the id (id and section then come from the
 * rules table), else -1 with the id and section as read. The level is kept as read. */
static bool read_finding(rd *r, json_t *o, void *out)
{
    cf_report_finding *f = out;
    int level;
    if (!get_text(r, o, "rule_id", false, &f->rule_id) ||
        !get_text(r, o, "section", false, &f->section) ||
        !get_enum(r, o, "level", cf_report_level_name, CF_RL__COUNT, &level) ||
        !get_text(r, o, "message", false, &f->message))
        return false;
    f->level = (cf_report_level)level;
    f->rule = cf_rule_find(f->rule_id, strlen(f->rule_id));
    if (f->rule >= 0) {
        free(f->rule_id);
        free(f->section);
        f->rule_id = f->section = NULL;
    }
    return true;
}

/* The first position p >= from where s[0..m) holds b[0..n), or as much of it as s holds from p
 * (a tail cut by a cap); m when none. */
static size_t find_bytes(const uint8_t *s, size_t m, size_t from, const uint8_t *b, size_t n)
{
    for (size_t p = from; p < m; p++) {
        size_t k = m - p < n ? m - p : n;
        if (!memcmp(s + p, b, k)) return p;
    }
    return m;
}

/* Schema v1 kept a response's bytes (raw) beside its step's: finds them in the step's received
 * bytes, from where the step's previous response ended (else from 0). Not found (a response
 * past the step's cap, or a step the case lacks): placed past the kept bytes, with no bytes. */
static void place_v1(rd *r, cf_report_response *x, const uint8_t *raw, size_t n)
{
    const cf_report_step *st = x->step < r->c->nsteps ? &r->c->steps[x->step] : NULL;
    size_t m = st && st->received ? st->received_len : 0, from = 0;
    if (r->last_step == x->step && r->last_end <= m) from = r->last_end;
    x->raw_len = n;
    x->raw_offset = n ? find_bytes(st ? st->received : NULL, m, from, raw, n) : from;
    if (x->raw_offset == m && from && n) x->raw_offset = find_bytes(st->received, m, 0, raw, n);
    r->last_step = x->step;
    r->last_end = x->raw_offset + n;
}

/* Where the response's bytes lie: offset and length (v2), or placed from raw (v1). */
static bool read_response_bytes(rd *r, json_t *o, cf_report_response *x)
{
    if (r->version >= 2) {
        uint64_t off, len;
        if (!get_uint(r, o, "offset", SIZE_MAX, false, &off) ||
            !get_uint(r, o, "length", SIZE_MAX, false, &len))
            return false;
        x->raw_offset = (size_t)off;
        x->raw_len = (size_t)len;
        return true;
    }
    uint8_t *raw;
    size_t n;
    if (!get_bytes(r, o, "raw", &raw, &n)) return false;
    place_v1(r, x, raw, n);
    free(raw);
    return true;
}

static bool read_response(rd *r, json_t *o, void *out)
{
    cf_report_response *x = out;
    uint64_t step, status, version;
    if (!get_uint(r, o, "step", SIZE_MAX, false, &step) ||
        !get_uint(r, o, "status", 999, false, &status) ||
        !get_text(r, o, "reason", false, &x->reason) || !get_bool(r, o, "complete", &x->complete) ||
        !get_text(r, o, "method", false, &x->method) ||
        !get_uint(r, o, "request_version", 11, false, &version))
        return false;
    x->step = (size_t)step;
    x->status = (int)status;
    x->request_version = (int)version;
    if (!read_response_bytes(r, o, x)) return false;
    void *f;
    bool ok = get_objects(r, o, "findings", sizeof *x->findings, &f, &x->nfindings, read_finding);
    x->findings = f;
    return ok;
}

static bool read_step(rd *r, json_t *o, void *out)
{
    cf_report_step *s = out;
    uint64_t ms;
    return get_bool(r, o, "checked", &s->checked) && get_bool(r, o, "pass", &s->pass) &&
           get_text(r, o, "expected", true, &s->expected) &&
           get_text(r, o, "actual", true, &s->actual) &&
           get_texts(r, o, "failed", &s->failed, &s->nfailed) &&
           get_text(r, o, "note", true, &s->note) && get_text(r, o, "skip", true, &s->skip) &&
           get_bytes(r, o, "sent", &s->sent, &s->sent_len) &&
           get_uint(r, o, "sent_total", UINT64_MAX, false, &s->sent_total) &&
           get_bytes(r, o, "received", &s->received, &s->received_len) &&
           get_uint(r, o, "received_total", UINT64_MAX, false, &s->received_total) &&
           get_uint(r, o, "elapsed_ms", UINT32_MAX, false, &ms) &&
           ((s->elapsed_ms = (unsigned)ms), true);
}

static bool read_case(rd *r, json_t *o, void *out)
{
    cf_report_case *c = out;
    uint64_t rfc, steps, ms, line = 0;
    int level, verdict;
    bool ok =
        get_text(r, o, "id", false, &c->id) && get_text(r, o, "title", false, &c->title) &&
        get_uint(r, o, "rfc", UINT32_MAX, false, &rfc) &&
        get_text(r, o, "section", false, &c->section) &&
        get_enum(r, o, "level", cf_report_level_name, CF_RL__COUNT, &level) &&
        get_text(r, o, "requirement", false, &c->requirement) &&
        get_text(r, o, "note", true, &c->note) && get_text(r, o, "xfail", true, &c->xfail) &&
        get_texts(r, o, "tags", &c->tags, &c->ntags) && get_text(r, o, "file", false, &c->file) &&
        get_uint(r, o, "line", UINT32_MAX, true, &line) &&
        get_text(r, o, "category", false, &c->category) &&
        get_uint(r, o, "spec_steps", SIZE_MAX, false, &steps) &&
        get_enum(r, o, "verdict", cf_report_verdict_name, CF_RV__COUNT, &verdict) &&
        get_text(r, o, "error", true, &c->error) && get_text(r, o, "skip", true, &c->skip) &&
        get_text(r, o, "repro", true, &c->repro) && get_text(r, o, "rerun", true, &c->rerun) &&
        get_uint(r, o, "elapsed_ms", UINT32_MAX, false, &ms);
    if (!ok) return false;
    c->level = (cf_report_level)level;
    c->verdict = (cf_report_verdict)verdict;
    c->rfc = (unsigned)rfc;
    c->line = (unsigned)line;
    c->spec_steps = (size_t)steps;
    c->elapsed_ms = (unsigned)ms;
    void *p;
    ok = get_objects(r, o, "steps", sizeof *c->steps, &p, &c->nsteps, read_step);
    c->steps = p;
    if (!ok) return false;
    r->c = c;
    r->last_step = SIZE_MAX;
    ok = get_objects(r, o, "responses", sizeof *c->responses, &p, &c->nresponses, read_response);
    c->responses = p;
    r->c = NULL;
    uint64_t omitted;
    if (!ok || !get_uint(r, o, "responses_omitted", SIZE_MAX, true, &omitted)) return false;
    c->responses_omitted = (size_t)omitted;
    return true;
}

static bool read_target(rd *r, json_t *o, void *out)
{
    cf_report_target *t = out;
    uint64_t ms;
    if (!get_text(r, o, "name", false, &t->name) ||
        !get_uint(r, o, "elapsed_ms", UINT32_MAX, false, &ms))
        return false;
    t->elapsed_ms = (unsigned)ms;
    void *p;
    bool ok = get_objects(r, o, "cases", sizeof *t->cases, &p, &t->ncases, read_case);
    t->cases = p;
    for (size_t i = 0; i < t->ncases; i++) { /* derived: recomputed from the cases */
        if ((unsigned)t->cases[i].verdict < CF_RV__COUNT) t->counts[t->cases[i].verdict]++;
    }
    return ok;
}

/* The index of the target named name in out, or out->ntargets. */
static size_t target_named(const cf_report *out, const char *name)
{
    size_t i = 0;
    while (i < out->ntargets && strcmp(out->targets[i].name, name) != 0)
        i++;
    return i;
}

/* One difference of "version_differential" into out->vdiffs (r->report: the report read). */
static bool read_vdiff(rd *r, json_t *o, void *out)
{
    cf_report_vdiff *d = out;
    char *t11 = NULL, *t2 = NULL;
    uint64_t step;
    bool ok = get_text(r, o, "http1.1_target", false, &t11) &&
              get_text(r, o, "http2_target", false, &t2) &&
              get_text(r, o, "id", false, &d->case_id) &&
              get_uint(r, o, "step", UINT32_MAX, false, &step) &&
              get_text(r, o, "what", false, &d->what) && get_text(r, o, "http1.1", true, &d->v11) &&
              get_text(r, o, "http2", true, &d->v2);
    if (ok) {
        d->http11 = target_named(r->report, t11);
        d->http2 = target_named(r->report, t2);
        d->step = step ? (size_t)step - 1 : 0;
        if (d->http11 == r->report->ntargets || d->http2 == r->report->ntargets || !step)
            ok =
                fail(r, "%s", !step ? "step: steps count from 1" : "names a target not in targets");
    }
    free(t11);
    free(t2);
    return ok;
}

/* "version_differential" (written by conform run --versions 1.1,2; absent otherwise and in
 * reports older than it). */
static bool read_vdiffs(rd *r, json_t *root, cf_report *out)
{
    json_t *v = member(r, root, "version_differential", JSON_OBJECT, true);
    if (!v) return !r->failed;
    size_t n = push(r, "version_differential", 0);
    uint64_t cases = 0;
    void *p = NULL;
    r->report = out;
    bool ok = get_uint(r, v, "cases", SIZE_MAX, false, &cases) &&
              get_objects(r, v, "differences", sizeof *out->vdiffs, &p, &out->nvdiffs, read_vdiff);
    out->vdiffs = p;
    out->versions = true;
    out->vdiff_cases = (size_t)cases;
    pop(r, n);
    return ok;
}

/* The top-level object: the schema check first, then everything else. */
static bool read_report(rd *r, json_t *root, cf_report *out)
{
    if (!json_is_object(root)) return fail(r, "expected a JSON object, found %s", type_name(root));
    char *schema = NULL;
    if (!get_text(r, root, "schema", false, &schema)) return false;
    bool ours = !strcmp(schema, "conform-report");
    free(schema);
    if (!ours) return fail(r, "schema: not a conform report (expected \"conform-report\")");
    uint64_t v;
    if (!get_uint(r, root, "schema_version", INT32_MAX, false, &v)) return false;
    if (v == 0) return fail(r, "schema_version: 0 is not a version (versions start at 1)");
    if (v > CF_REPORT_SCHEMA_VERSION)
        return fail(r, "schema_version %llu is newer than this conform reads (%d): upgrade conform",
                    (unsigned long long)v, CF_REPORT_SCHEMA_VERSION);
    out->schema_version = (int)v;
    r->version = (int)v;
    if (!get_text(r, root, "conform_version", false, &out->conform_version) ||
        !get_text(r, root, "started_at", false, &out->started_at) ||
        !get_texts(r, root, "spec_paths", &out->spec_paths, &out->nspec_paths) ||
        !get_bool(r, root, "strict", &out->strict) || !get_rules_mode(r, root, &out->rules))
        return false;
    /* added in conform 0.1 without a version change: missing in older reports */
    json_t *iv = member(r, root, "interrupted", JSON_TRUE, true);
    if (r->failed) return false;
    out->interrupted = iv && json_is_true(iv);
    void *p;
    bool ok =
        get_objects(r, root, "targets", sizeof *out->targets, &p, &out->ntargets, read_target);
    out->targets = p;
    return ok && read_vdiffs(r, root, out);
}

/* The position of text[i] as "line:column" (1-based, columns in bytes) in *line, *col. */
static void where(const char *text, size_t i, size_t *line, size_t *col)
{
    *line = 1;
    size_t start = 0;
    for (size_t k = 0; k < i; k++)
        if (text[k] == '\n') (*line)++, start = k + 1;
    *col = i - start + 1;
}

/* Checks text against the depth, string and value budgets in one pass, skipping string contents
 * (a '[' inside a string is text). Only the budgets: jansson judges the syntax afterwards.
 * Returns true, or false with the error in r->err. */
static bool within_budget(rd *r, const char *text, size_t len)
{
    size_t depth = 0, values = 1;
    const char *why = NULL;
    size_t i = 0;
    for (; i < len && !why; i++) {
        char ch = text[i];
        if (ch == '"') {
            size_t start = i++;
            while (i < len && text[i] != '"')
                i += text[i] == '\\' ? 2 : 1;
            if (i - start > CF_REPORT_JSON_MAX_STRING)
                i = start, why = "a string longer than 64 MiB";
        } else if (ch == '[' || ch == '{') {
            if (++depth > CF_REPORT_JSON_MAX_DEPTH)
                why = "nested deeper than 64 arrays and objects";
            values++;
        } else if (ch == ']' || ch == '}') {
            depth -= depth > 0;
        } else if (ch == ',') {
            /* every value or member but the first of its container follows a comma */
            if (++values > CF_REPORT_JSON_MAX_VALUES) why = "more than 4194304 values";
        }
    }
    if (!why) return true;
    size_t line, col;
    where(text, i - 1, &line, &col);
    snprintf(r->err, r->errlen, "%s:%zu:%zu: %s (the budget of a JSON report, docs/limits.md)",
             r->name, line, col, why);
    return false;
}

static int finish(rd *r, json_t *root, const json_error_t *je, cf_report *out)
{
    if (!root) {
        snprintf(r->err, r->errlen, "%s:%d:%d: %s", r->name, je->line, je->column, je->text);
        return -1;
    }
    bool ok = read_report(r, root, out);
    json_decref(root);
    if (!ok) {
        cf_report_free(out);
        return -1;
    }
    return 0;
}

/* Standard input (a pipe: cf_file_read takes regular files only), up to the size budget. */
static int read_stdin(char **text, size_t *len, char *err, size_t errlen)
{
    cf_input in;
    cf_buf b = {0};
    cf_input_status st = CF_INPUT_ERROR;
    if (cf_input_open(&in, "-") == 0) {
        size_t got = 0;
        while (b.len <= CF_REPORT_JSON_MAX_FILE && cf_buf_reserve(&b, 65536) == 0 &&
               (st = cf_input_read(&in, b.ptr + b.len, 65536, &got)) == CF_INPUT_OK)
            b.len += got;
        cf_input_close(&in);
    }
    if (b.len > CF_REPORT_JSON_MAX_FILE || st != CF_INPUT_EOF) {
        snprintf(err, errlen, "stdin: %s",
                 b.len > CF_REPORT_JSON_MAX_FILE
                     ? "larger than 256 MiB (the budget of a JSON report)"
                 : b.err ? "out of memory"
                         : strerror(in.err));
        cf_buf_free(&b);
        return -1;
    }
    cf_buf_add(&b, "", 0); /* a C string even when empty */
    *len = b.len;
    *text = cf_buf_take(&b);
    return *text ? 0 : (snprintf(err, errlen, "stdin: out of memory"), -1);
}

int cf_report_json_read_file(const char *path, cf_report *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!strcmp(path, "-")) {
        char *text;
        size_t len;
        if (read_stdin(&text, &len, err, errlen) < 0) return -1;
        int rc = cf_report_json_read_text(text, len, "stdin", out, err, errlen);
        free(text);
        return rc;
    }
    rd r = {.name = path, .err = err, .errlen = errlen};
    char *text;
    size_t len;
    cf_file_status st = cf_file_read(path, CF_REPORT_JSON_MAX_FILE, &text, &len);
    if (st != CF_FILE_OK) {
        snprintf(err, errlen, "%s: %s%s", path, cf_file_strerror(st),
                 st == CF_FILE_TOO_LARGE ? " (a JSON report is read up to 256 MiB)" : "");
        return -1;
    }
    if (!within_budget(&r, text, len)) return free(text), -1;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &je);
    free(text);
    return finish(&r, root, &je, out);
}

int cf_report_json_read_text(const char *text, size_t len, const char *name, cf_report *out,
                             char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    rd r = {.name = name, .err = err, .errlen = errlen};
    if (len > CF_REPORT_JSON_MAX_FILE) {
        snprintf(err, errlen, "%s: larger than 256 MiB (the budget of a JSON report)", name);
        return -1;
    }
    if (!within_budget(&r, text, len)) return -1;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &je);
    return finish(&r, root, &je, out);
}
