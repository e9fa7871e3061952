/* The spec model's helpers: level names, lookups, send pieces, and freeing. */
#include "spec_model.h"

#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {"MUST", "SHOULD", "MAY"};

const char *cf_level_name(cf_level level)
{
    return (unsigned)level < 3 ? level_names[level] : "?";
}

int cf_level_parse(const char *s, cf_level *out)
{
    for (unsigned i = 0; i < 3; i++) {
        if (!strcmp(s, level_names[i])) {
            *out = (cf_level)i;
            return 0;
        }
    }
    return -1;
}

static cf_resource_set tmpl_resources(const cf_tbytes *t)
{
    return t ? cf_tbytes_resources(t) : 0;
}

/* The resources the placeholders of e's expectation strings name, in every nested part. */
static cf_resource_set expect_resources(const cf_expect *e)
{
    cf_resource_set set = 0;
    for (size_t i = 0; i < e->nheaders; i++)
        set |= tmpl_resources(e->headers[i].tmpl);
    for (size_t i = 0; i < e->nbody; i++)
        set |= tmpl_resources(e->body[i].tmpl);
    for (size_t i = 0; i < e->nsequence; i++)
        set |= expect_resources(&e->sequence[i]);
    for (size_t i = 0; i < e->nany_of; i++)
        set |= expect_resources(&e->any_of[i]);
    return set;
}

cf_resource_set cf_step_resources(const cf_step *s)
{
    cf_resource_set set = expect_resources(&s->expect) | expect_resources(&s->premise);
    for (size_t i = 0; i < s->nmessages; i++) {
        const cf_spec_message *m = &s->messages[i];
        const cf_request *r = m->request;
        if (m->kind == CF_SPEC_RAW) {
            set |= cf_tbytes_resources(&m->raw);
            continue;
        }
        if (!r) continue;
        set |= cf_tbytes_resources(&r->method) | cf_tbytes_resources(&r->target) |
               cf_tbytes_resources(&r->version) | cf_tbytes_resources(&r->body);
        for (size_t k = 0; k < r->nheaders; k++)
            set |= cf_tbytes_resources(&r->headers[k].name) |
                   cf_tbytes_resources(&r->headers[k].value);
    }
    return set;
}

size_t cf_spec_set_ncases(const cf_spec_set *set)
{
    size_t n = 0;
    for (size_t i = 0; i < set->nfiles; i++)
        n += set->files[i]->ncases;
    return n;
}

const cf_case *cf_spec_set_find(const cf_spec_set *set, const char *id)
{
    for (size_t i = 0; i < set->nfiles; i++)
        for (size_t c = 0; c < set->files[i]->ncases; c++)
            if (!strcmp(set->files[i]->cases[c].id, id)) return &set->files[i]->cases[c];
    return NULL;
}

size_t cf_send_piece_len(const cf_send_opts *opts, size_t index, size_t done, size_t total)
{
    if (done >= total) return 0;
    size_t left = total - done;
    size_t want = left;
    if (index < opts->nsplit)
        want = opts->split[index];
    else if (opts->split_every)
        want = opts->split_every;
    return want < left ? want : left;
}

static void tmpl_free(cf_tbytes *t)
{
    if (t) cf_tbytes_free(t);
    free(t);
}

void cf_expect_free(cf_expect *e)
{
    for (size_t i = 0; i < e->nheaders; i++) {
        free(e->headers[i].name);
        free(e->headers[i].bytes);
        free(e->headers[i].pattern);
        tmpl_free(e->headers[i].tmpl);
    }
    for (size_t i = 0; i < e->nbody; i++) {
        free(e->body[i].bytes);
        free(e->body[i].pattern);
        tmpl_free(e->body[i].tmpl);
    }
    for (size_t i = 0; i < e->nsequence; i++)
        cf_expect_free(&e->sequence[i]);
    for (size_t i = 0; i < e->nany_of; i++)
        cf_expect_free(&e->any_of[i]);
    free(e->status);
    free(e->headers);
    free(e->body);
    free(e->sequence);
    free(e->any_of);
    free(e->complies);
    memset(e, 0, sizeof *e);
}

static void request_free(cf_request *r)
{
    cf_tbytes_free(&r->method);
    cf_tbytes_free(&r->target);
    cf_tbytes_free(&r->version);
    for (size_t i = 0; i < r->nheaders; i++) {
        cf_tbytes_free(&r->headers[i].name);
        cf_tbytes_free(&r->headers[i].value);
    }
    free(r->headers);
    cf_tbytes_free(&r->body);
}

static void step_free(cf_step *s)
{
    for (size_t i = 0; i < s->nmessages; i++) {
        cf_tbytes_free(&s->messages[i].raw);
        if (s->messages[i].request) request_free(s->messages[i].request);
        free(s->messages[i].request);
    }
    free(s->messages);
    free(s->send.split);
    cf_expect_free(&s->expect);
    cf_expect_free(&s->premise);
    for (size_t i = 0; i < s->ncaptures; i++) {
        free(s->captures[i].name);
        free(s->captures[i].header);
        free(s->captures[i].pattern);
    }
    free(s->captures);
}

static void strings_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void case_free(cf_case *c)
{
    free(c->id);
    free(c->title);
    free(c->section);
    free(c->requirement);
    free(c->skip);
    free(c->xfail);
    free(c->note);
    strings_free(c->tags, c->ntags);
    for (size_t i = 0; i < c->nsteps; i++)
        step_free(&c->steps[i]);
    free(c->steps);
}

void cf_spec_file_free(cf_spec_file *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->ncases; i++)
        case_free(&f->cases[i]);
    free(f->cases);
    free(f->path);
    free(f->title);
    free(f->description);
    strings_free(f->tags, f->ntags);
    for (size_t i = 0; i < f->nregexes; i++)
        pcre2_code_free(f->regexes[i]);
    free(f->regexes);
    free(f);
}

void cf_spec_set_free(cf_spec_set *set)
{
    for (size_t i = 0; i < set->nfiles; i++)
        cf_spec_file_free(set->files[i]);
    free(set->files);
    set->files = NULL;
    set->nfiles = 0;
}
