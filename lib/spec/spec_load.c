/* The spec loader: YAML text (libyaml) -> cf_spec_file with file metadata and cases. */
#include "spec_load.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "spec_load_step.h"
#include "spec_regex.h"
#include "spec_yaml.h"

#define CF_SPEC_FORMAT_VERSION 1
#define MAX_ID_LEN             128

static const char *const file_keys[] = {"spec", "title",  "description", "rfc",
                                        "tags", "strict", "cases",       NULL};
static const char *const case_keys[] = {"id",   "title", "rfc",   "section", "level", "requirement",
                                        "note", "tags",  "steps", "skip",    "xfail", NULL};

/* rfc: 9112 or "RFC 9112" */
static bool load_rfc(cf_yctx *ctx, yaml_node_t *node, unsigned *out)
{
    const char *s = cf_yscalar(node);
    const char *digits = s;
    if (s && !strncmp(s, "RFC", 3)) digits = s + 3 + (s[3] == ' ');
    size_t n = digits ? strspn(digits, "0123456789") : 0;
    if (!s || n == 0 || n > 5 || digits[n] || digits[0] == '0') {
        cf_yerr(ctx, node, "expected an RFC number for 'rfc' (9112 or \"RFC 9112\"), got %s%s%s%s",
                cf_ykind(node), s ? " '" : "", s ? s : "", s ? "'" : "");
        return false;
    }
    *out = (unsigned)strtoul(digits, NULL, 10);
    return true;
}

/* id: [a-z0-9][a-z0-9._-]*, at most MAX_ID_LEN characters */
static bool load_id(cf_yctx *ctx, yaml_node_t *node, char **out)
{
    if (!cf_ystr(ctx, node, "'id'", out)) return false;
    const char *s = *out;
    size_t n = strlen(s);
    bool ok = n > 0 && n <= MAX_ID_LEN && strchr("abcdefghijklmnopqrstuvwxyz0123456789", s[0]) &&
              strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
    if (!ok)
        cf_yerr(ctx, node,
                "expected an id of lower-case letters, digits, '.', '_' and '-' "
                "(starting with a letter or digit, at most %d) for 'id', got '%s'",
                MAX_ID_LEN, s);
    return ok;
}

/* section: "6.1", "5", "A.2" */
static bool load_section(cf_yctx *ctx, yaml_node_t *node, char **out)
{
    const char *s = cf_yscalar(node);
    size_t n = s ? strlen(s) : 0;
    size_t head = s ? strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") : 0;
    bool ok = head > 0 && n <= 32;
    for (size_t i = head; ok && i < n; i++)
        ok = (s[i] == '.' && i + 1 < n && s[i + 1] != '.') || (s[i] >= '0' && s[i] <= '9');
    if (!ok) {
        cf_yerr(ctx, node,
                "expected a section number for 'section' (\"6.1\", \"5\", \"A.2\"), "
                "got %s%s%s%s",
                cf_ykind(node), s ? " '" : "", s ? s : "", s ? "'" : "");
        return false;
    }
    return (*out = cf_ystrdup(s)) != NULL;
}

static bool load_level(cf_yctx *ctx, yaml_node_t *node, cf_level *out)
{
    const char *s = cf_yscalar(node);
    if (s && cf_level_parse(s, out) == 0) return true;
    cf_yerr(ctx, node, "expected one of MUST, SHOULD, MAY for 'level', got %s%s%s%s",
            cf_ykind(node), s ? " '" : "", s ? s : "", s ? "'" : "");
    return false;
}

static void add_file_tags(cf_case *c, const cf_spec_file *f)
{
    for (size_t i = 0; i < f->ntags; i++) {
        bool dup = false;
        for (size_t k = 0; k < c->ntags && !dup; k++)
            dup = !strcmp(c->tags[k], f->tags[i]);
        char **nv = dup ? NULL : realloc(c->tags, (c->ntags + 1) * sizeof *nv);
        if (!nv) continue;
        c->tags = nv;
        if ((nv[c->ntags] = cf_ystrdup(f->tags[i]))) c->ntags++;
    }
}

static bool load_steps(cf_yctx *ctx, yaml_node_t *node, cf_case *c)
{
    long n = cf_yseq_len(ctx, node, "'steps'");
    if (n < 0) return false;
    if (n == 0) {
        cf_yerr(ctx, node, "'steps' needs at least one step");
        return false;
    }
    c->steps = calloc((size_t)n, sizeof *c->steps);
    if (!c->steps) return false;
    bool ok = true;
    for (long i = 0; i < n && !ctx->stop; i++) {
        ok = cf_load_step(ctx, cf_yseq_item(ctx, node, (size_t)i), &c->steps[i]) && ok;
        c->nsteps++;
    }
    if (ok && c->nsteps == (size_t)n && !c->steps[n - 1].has_expect) {
        cf_yerr(ctx, cf_yseq_item(ctx, node, c->nsteps - 1),
                "the last step of a case needs 'expect'");
        ok = false;
    }
    return ok;
}

/* skip: "reason" and xfail: "reason" (docs/spec-format.md "Markers"), not both. */
static void load_markers(cf_yctx *ctx, yaml_node_t *node, cf_case *c)
{
    yaml_node_t *skip = cf_ymap_get(ctx, node, "skip"), *xfail = cf_ymap_get(ctx, node, "xfail");
    if (skip && xfail) {
        cf_yerr(ctx, xfail, "a case is either 'skip' (not run) or 'xfail' (run), not both");
        return;
    }
    if (skip) cf_ystr(ctx, skip, "'skip' (the reason the case is not run)", &c->skip);
    if (xfail) cf_ystr(ctx, xfail, "'xfail' (the reason the case is expected to fail)", &c->xfail);
}

/* The value of key in a case: required in a strict file, else optional (NULL when absent). */
static yaml_node_t *strict_key(cf_yctx *ctx, yaml_node_t *node, const char *key,
                               const cf_spec_file *f)
{
    yaml_node_t *v = cf_ymap_get(ctx, node, key);
    if (!v && f->strict)
        cf_yerr(ctx, node, "missing required key '%s' in a case (the file is strict: true)", key);
    return v;
}

static void load_case(cf_yctx *ctx, yaml_node_t *node, cf_case *c, const cf_spec_file *f)
{
    c->file = f;
    c->pos =
        (cf_spec_pos){(unsigned)node->start_mark.line + 1, (unsigned)node->start_mark.column + 1};
    if (!cf_ymap_check(ctx, node, "a case", case_keys)) return;
    yaml_node_t *v;
    if ((v = cf_ymap_require(ctx, node, "id", "a case"))) load_id(ctx, v, &c->id);
    if ((v = cf_ymap_require(ctx, node, "title", "a case"))) cf_ystr(ctx, v, "'title'", &c->title);
    if ((v = cf_ymap_get(ctx, node, "rfc")))
        load_rfc(ctx, v, &c->rfc);
    else if (f->rfc)
        c->rfc = f->rfc;
    else if (f->strict)
        cf_yerr(ctx, node,
                "missing required key 'rfc' in a case (or give 'rfc' for the file; the file is "
                "strict: true)");
    /* A user's own spec may leave where the requirement is written out (docs/spec-format.md
     * "Cases"); a strict file (the bundled suite) may not. */
    c->level = CF_LEVEL_MUST;
    if ((v = strict_key(ctx, node, "section", f))) load_section(ctx, v, &c->section);
    if ((v = strict_key(ctx, node, "level", f))) load_level(ctx, v, &c->level);
    if ((v = strict_key(ctx, node, "requirement", f)))
        cf_ystr(ctx, v, "'requirement'", &c->requirement);
    if ((v = cf_ymap_get(ctx, node, "note"))) cf_ystr(ctx, v, "'note'", &c->note);
    load_markers(ctx, node, c);
    if ((v = cf_ymap_get(ctx, node, "tags"))) cf_ytags(ctx, v, "'tags'", &c->tags, &c->ntags);
    add_file_tags(c, f);
    ctx->nnames = 0; /* a case's captures are its own */
    if ((v = cf_ymap_require(ctx, node, "steps", "a case"))) load_steps(ctx, v, c);
    c->ncaptures = ctx->nnames;
    for (size_t i = 0; i < c->nsteps; i++)
        c->resources |= cf_step_resources(&c->steps[i]);
}

static void load_cases(cf_yctx *ctx, yaml_node_t *node, cf_spec_file *f)
{
    long n = cf_yseq_len(ctx, node, "'cases'");
    if (n < 0) return;
    if (n == 0) {
        cf_yerr(ctx, node, "'cases' needs at least one case");
        return;
    }
    f->cases = calloc((size_t)n, sizeof *f->cases);
    if (!f->cases) return;
    for (long i = 0; i < n && !ctx->stop; i++) {
        load_case(ctx, cf_yseq_item(ctx, node, (size_t)i), &f->cases[i], f);
        f->ncases++;
    }
}

static void load_root(cf_yctx *ctx, yaml_node_t *root, cf_spec_file *f)
{
    if (!cf_ymap_check(ctx, root, "the file (a mapping with spec, title, cases)", file_keys))
        return;
    unsigned long version = 0;
    yaml_node_t *v;
    if ((v = cf_ymap_require(ctx, root, "spec", "the file")) &&
        cf_yuint(ctx, v, "'spec' (the format version)", 1, 1000, &version) &&
        version != CF_SPEC_FORMAT_VERSION)
        cf_yerr(ctx, v, "unsupported format version %lu for 'spec': expected %d", version,
                CF_SPEC_FORMAT_VERSION);
    if ((v = cf_ymap_require(ctx, root, "title", "the file")))
        cf_ystr(ctx, v, "'title'", &f->title);
    if ((v = cf_ymap_get(ctx, root, "description")))
        cf_ystr(ctx, v, "'description'", &f->description);
    if ((v = cf_ymap_get(ctx, root, "rfc"))) load_rfc(ctx, v, &f->rfc);
    if ((v = cf_ymap_get(ctx, root, "tags"))) cf_ytags(ctx, v, "'tags'", &f->tags, &f->ntags);
    if ((v = cf_ymap_get(ctx, root, "strict"))) cf_ybool(ctx, v, "'strict'", &f->strict);
    if ((v = cf_ymap_require(ctx, root, "cases", "the file"))) load_cases(ctx, v, f);
}

size_t cf_spec_load_partial(const char *name, const char *text, size_t len, cf_spec_file **out,
                            cf_spec_errors *errs)
{
    size_t before = errs->count;
    *out = NULL;
    yaml_document_t doc;
    if (!cf_yparse(name, text, len, &doc, "spec file", errs)) return errs->count - before;
    cf_spec_file *f = calloc(1, sizeof *f);
    if (f) f->path = cf_ystrdup(name);
    if (!f || !f->path) {
        cf_spec_file_free(f);
        yaml_document_delete(&doc);
        cf_spec_errors_add(errs, name, 0, 0, "out of memory");
        return errs->count - before;
    }
    cf_rx_cache rx = {0};
    cf_yctx ctx = {.doc = &doc, .path = name, .errs = errs, .rx = &rx};
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root)
        cf_spec_errors_add(errs, name, 1, 1,
                           "empty file: expected a mapping with spec, title and cases");
    else
        load_root(&ctx, root, f);
    size_t distinct = rx.n;
    f->regex_bytes = rx.bytes;
    cf_rx_release(&rx, &f->regexes, &f->nregexes);
    if (f->nregexes != distinct) cf_spec_errors_add(errs, name, 0, 0, "out of memory");
    free(ctx.names);
    yaml_document_delete(&doc);
    *out = f;
    return errs->count - before;
}

int cf_spec_load_text(const char *name, const char *text, size_t len, cf_spec_file **out,
                      cf_spec_errors *errs)
{
    cf_spec_file *f = NULL;
    size_t n = cf_spec_load_partial(name, text, len, &f, errs);
    if (f) n += cf_spec_check_duplicates(&f, 1, errs);
    if (n) {
        cf_spec_file_free(f);
        *out = NULL;
        return -1;
    }
    *out = f;
    return 0;
}
