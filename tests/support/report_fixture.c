/* The hand-made report of report_fixture.h. */
#include "report_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_formats.h"
#include "rules.h"

static char *dup(const char *s)
{
    if (!s) return NULL;
    char *d = strdup(s);
    cr_assert_not_null(d);
    return d;
}

static uint8_t *bytes(const char *s, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    cr_assert_not_null(d);
    memcpy(d, s, n);
    return d;
}

/* A finding of rule id: its index when rules.def has it, else -1 with id and section kept. */
static void finding(cf_report_response *r, const char *id, const char *sec, cf_report_level lvl,
                    const char *msg)
{
    r->findings = realloc(r->findings, (r->nfindings + 1) * sizeof *r->findings);
    cr_assert_not_null(r->findings);
    int rule = cf_rule_find(id, strlen(id));
    r->findings[r->nfindings++] = (cf_report_finding){.rule = rule,
                                                      .level = lvl,
                                                      .rule_id = rule < 0 ? dup(id) : NULL,
                                                      .section = rule < 0 ? dup(sec) : NULL,
                                                      .message = dup(msg)};
}

/* A response to the case's last step: n bytes at the start of what the step received (raw,
 * unless the step has received bytes already). */
static void response(cf_report_case *c, int status, const char *reason, const char *raw, size_t n)
{
    c->responses = realloc(c->responses, (c->nresponses + 1) * sizeof *c->responses);
    cr_assert_not_null(c->responses);
    cf_report_response *r = &c->responses[c->nresponses++];
    memset(r, 0, sizeof *r);
    r->status = status;
    r->reason = dup(reason);
    r->complete = true;
    r->method = dup("GET");
    r->request_version = 11;
    r->raw_len = n;
    if (!n) return;
    cf_report_step *s = &c->steps[c->nsteps - 1];
    r->step = c->nsteps - 1;
    if (!s->received) {
        s->received = bytes(raw, n);
        s->received_len = s->received_total = n;
    }
}

static void step(cf_report_case *c, bool pass, const char *expected, const char *actual,
                 const char *failed, const char *sent, size_t nsent)
{
    c->steps = realloc(c->steps, (c->nsteps + 1) * sizeof *c->steps);
    cr_assert_not_null(c->steps);
    cf_report_step *s = &c->steps[c->nsteps++];
    memset(s, 0, sizeof *s);
    s->checked = expected != NULL;
    s->pass = pass;
    s->expected = dup(expected);
    s->actual = dup(actual);
    if (failed) {
        s->failed = calloc(1, sizeof *s->failed);
        cr_assert_not_null(s->failed);
        s->failed[0] = dup(failed);
        s->nfailed = 1;
    }
    s->sent = bytes(sent, nsent);
    s->sent_len = nsent;
    s->sent_total = nsent + 5;
    s->elapsed_ms = 7;
}

static cf_report_case *add_case(cf_report_target *t, const char *id, unsigned rfc,
                                const char *section, cf_report_level level,
                                cf_report_verdict verdict, const char *category)
{
    cf_report_case *c = &t->cases[t->ncases++];
    memset(c, 0, sizeof *c);
    c->id = dup(id);
    c->title = dup("Title of <"
                   "case> & \"quotes\" | pipes # hash");
    c->rfc = rfc;
    c->section = dup(section);
    c->level = level;
    c->requirement = dup("A server MUST do the thing (RFC text, with ünïcödé).");
    c->tags = calloc(2, sizeof *c->tags);
    cr_assert_not_null(c->tags);
    c->tags[0] = dup(category);
    c->tags[1] = dup("extra");
    c->ntags = 2;
    c->file = dup("specs/fixture.yaml");
    c->line = (unsigned)t->ncases * 10; /* 10, 20...: where each case starts */
    c->category = dup(category);
    c->spec_steps = 1;
    c->verdict = verdict;
    c->repro = dup("printf 'GET / HTTP/1.1\\r\\n\\r\\n' | nc 127.0.0.1 8080");
    c->elapsed_ms = 12;
    t->counts[verdict]++;
    return c;
}

void cf_fixture_report(cf_report *r)
{
    memset(r, 0, sizeof *r);
    r->schema_version = CF_REPORT_SCHEMA_VERSION;
    r->conform_version = dup("0.1.0");
    r->started_at = dup("2024-05-06T07:08:09Z");
    r->spec_paths = calloc(1, sizeof *r->spec_paths);
    cr_assert_not_null(r->spec_paths);
    r->spec_paths[0] = dup("specs/");
    r->nspec_paths = 1;
    r->targets = calloc(1, sizeof *r->targets);
    cr_assert_not_null(r->targets);
    r->ntargets = 1;
    cf_report_target *t = &r->targets[0];
    t->name = dup("127.0.0.1:8080");
    t->elapsed_ms = 1234;
    t->cases = calloc(5, sizeof *t->cases);
    cr_assert_not_null(t->cases);

    static const char raw200[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    static const char raw400[] = "HTTP/1.1 400 Bad\r\nX-Bin: \0\xff\x01\r\n\r\n";
    cf_report_case *c = add_case(t, "case-pass", 9112, "6.10", CF_RL_MUST, CF_RV_PASS, "framing");
    step(c, true, "status 200", "200 OK", NULL, "GET / HTTP/1.1\r\n\r\n", 18);
    response(c, 200, "OK", raw200, sizeof raw200 - 1);
    finding(&c->responses[0], "date-missing", "RFC 9110 §6.6.1", CF_RL_SHOULD, "no Date field");

    c = add_case(t, "case-fail", 9112, "6.3", CF_RL_MUST, CF_RV_FAIL, "framing");
    step(c, false, "status 400", "200 OK, <connection> kept & open",
         "status: expected 400, got 200", "GET /\0\xff HTTP/1.1\r\n\r\n", 20);
    response(c, 400, "Bad", raw400, sizeof raw400 - 1);
    finding(&c->responses[0], "date-missing", "RFC 9110 §6.6.1", CF_RL_SHOULD, "no Date field");
    finding(&c->responses[0], "date-missing", "RFC 9110 §6.6.1", CF_RL_SHOULD, "again");
    finding(&c->responses[0], "server-header", "RFC 9110 §10.2.4", CF_RL_MAY, "odd \"Server\"");
    c->steps[0].note = dup("the server closed the connection after 3 of 20 bytes sent");
    c->note = dup("Any 4xx is accepted (ünïcödé).");
    c->steps[0].received_total = 1000;

    c = add_case(t, "case-warn", 9110, "9.3.1", CF_RL_SHOULD, CF_RV_WARN, "methods");
    step(c, false, "header Allow present", "405", "header Allow: expected present, not found",
         "PUT / HTTP/1.1\r\n\r\n", 18);
    response(c, 405, "Method Not Allowed", raw200, 10);

    c = add_case(t, "case-error", 9112, "6.3", CF_RL_MUST, CF_RV_ERROR, "framing");
    c->error = dup("cannot connect: <refused> & \x01 gone");
    free(c->repro);
    c->repro = NULL;

    c = add_case(t, "case-info", 9112, "6.3", CF_RL_MAY, CF_RV_INFO, "methods");
    step(c, false, "connection closed", "kept open", "connection: expected closed", "GET", 3);
    response(c, 200, "OK", NULL, 0);
    c->responses[0].complete = false;
    c->responses[0].request_version = 10;
}

void cf_fixture_report_three_targets(cf_report *r)
{
    cf_report extra;
    cf_fixture_report(r);
    cf_fixture_report(&extra);
    cf_report_target *t = realloc(r->targets, 3 * sizeof *t);
    cr_assert_not_null(t);
    r->targets = t;
    memset(&t[1], 0, sizeof t[1]);
    t[1].name = strdup("unreachable:1");
    t[2] = extra.targets[0];
    free(t[2].name);
    t[2].name = strdup("again");
    memset(&extra.targets[0], 0, sizeof extra.targets[0]);
    r->ntargets = 3;
    cf_report_free(&extra);
}

void cf_fixture_report_targets(cf_report *r, int ntargets)
{
    if (ntargets == 1)
        cf_fixture_report(r);
    else
        cf_fixture_report_three_targets(r);
}

size_t cf_fixture_count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

char *cf_fixture_render(const char *format, const cf_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    const cf_report_format *fmt = cf_report_format_find(format);
    cr_assert_not_null(fmt, "%s", format);
    cr_assert_eq(fmt->fn(r, f), 0, "%s", format);
    fclose(f);
    return buf;
}
