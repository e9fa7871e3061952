/* Judging one step: the first response's status/headers/body, the connection, the number of
 * responses, the sequence, the compliance rules (complies) and any_of; then the outcome with its
 * expected and actual texts. */
#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util_clock.h"

bool cf_check_late(cf_fail_list *l)
{
    if (!l->late && l->deadline && cf_now_ms() >= l->deadline) l->late = true;
    return l->late;
}

static bool has_message_checks(const cf_expect *e)
{
    return e->nstatus || e->nheaders || e->nbody;
}

/* True when every range of the expectation's status is 1xx. */
static bool status_all_1xx(const cf_expect *e)
{
    if (!e->nstatus) return false;
    for (size_t i = 0; i < e->nstatus; i++)
        if (e->status[i].hi >= 200) return false;
    return true;
}

/* status, headers and body of one expectation against one response (NULL: none), which must be
 * complete (RFC 9112 §8). A response conform's cap kept from being read is unobserved: a skip. */
static bool check_message(const cf_expect *e, const cf_obs_response *resp,
                          const cf_obs_response *interim, const cf_step_result *r,
                          const char *prefix, cf_fail_list *f)
{
    if (!has_message_checks(e)) return true;
    bool capped = cf_check_capped(r);
    if (!resp && capped) {
        cf_buf t = {0};
        cf_buf_str(&t, "response not observed: ");
        cf_check_describe_cap(&t, r);
        cf_skip_add(f, prefix, &t);
        return true;
    }
    bool ok = cf_check_status(e, resp, interim, prefix, f);
    /* A status all 1xx can only match an interim response (RFC 9110 §15.2): the headers are
     * that response's (a 101's Upgrade, RFC 9110 §7.8), not those of a final one that may
     * never come in HTTP/1.1. */
    const cf_obs_response *fields = interim && status_all_1xx(e) ? interim : resp;
    for (size_t i = 0; i < e->nheaders && !cf_check_late(f); i++)
        ok = cf_check_header(&e->headers[i], fields, prefix, f) && ok;
    for (size_t i = 0; i < e->nbody && !cf_check_late(f); i++)
        ok = cf_check_body(&e->body[i], resp, capped, prefix, f) && ok;
    return cf_check_complete(resp, r, prefix, f) && ok;
}

static bool check_count(const cf_expect *e, const cf_step_result *r, const char *prefix,
                        cf_fail_list *f)
{
    if (!e->has_responses) return true;
    size_t complete = 0;
    for (size_t i = 0; i < r->nresponses; i++)
        complete += r->responses[i].complete;
    if (complete >= e->responses_min && complete <= e->responses_max) return true;
    cf_buf t = {0};
    if (complete < e->responses_min && cf_check_capped(r)) {
        cf_buf_fmt(&t, "responses: expected %u, %zu observed before ", e->responses_min, complete);
        cf_check_describe_cap(&t, r);
        cf_skip_add(f, prefix, &t);
        return true;
    }
    cf_buf_fmt(&t, "responses: expected %u", e->responses_min);
    if (e->responses_max != e->responses_min) cf_buf_fmt(&t, "-%u", e->responses_max);
    cf_buf_fmt(&t, ", got %zu", complete);
    if (complete < r->nresponses) cf_buf_fmt(&t, " (and %zu incomplete)", r->nresponses - complete);
    cf_fail_add(f, prefix, &t);
    for (size_t i = 0; i < r->nresponses; i++) /* say how each incomplete one was cut short */
        cf_check_complete(&r->responses[i], r, prefix, f);
    return false;
}

/* prefix + "response 2: " or "alternative 1: " into a new string (NULL when out of memory). */
static char *sub_prefix(const char *prefix, const char *what, size_t index)
{
    cf_buf t = {0};
    cf_buf_fmt(&t, "%s%s %zu: ", prefix, what, index + 1);
    return cf_buf_take(&t);
}

static bool check_sequence(const cf_expect *e, const cf_step_result *r, const char *prefix,
                           cf_fail_list *f)
{
    bool ok = true;
    for (size_t i = 0; i < e->nsequence && !cf_check_late(f); i++) {
        char *p = sub_prefix(prefix, "response", i);
        if (!p) {
            f->oom = true;
            return false;
        }
        const cf_obs_response *resp = i < r->nresponses ? &r->responses[i] : NULL;
        ok = check_message(&e->sequence[i], resp, NULL, r, p, f) && ok;
        free(p);
    }
    return ok;
}

static bool check_expect(const cf_expect *e, const cf_step_result *r, const char *prefix,
                         cf_fail_list *f);

/* Moves lines (failures or skips) of from into f. */
static void copy_lines(cf_fail_list *f, char **lines, size_t n, bool skips)
{
    for (size_t i = 0; i < n && !f->oom; i++) {
        cf_buf t = {0};
        cf_buf_str(&t, lines[i]);
        if (skips)
            cf_skip_add(f, "", &t);
        else
            cf_fail_add(f, "", &t);
    }
}

/* At least one alternative holds; when none does, every alternative's failures are listed. An
 * alternative that holds only on what was observed (skips) counts when no other holds outright:
 * its skips say what could not be judged. */
static bool check_any_of(const cf_expect *e, const cf_step_result *r, const char *prefix,
                         cf_fail_list *f)
{
    if (e->nany_of == 0) return true;
    cf_fail_list all = {0}, unjudged = {0};
    bool any = false, partly = false;
    for (size_t i = 0; i < e->nany_of && !any && !cf_check_late(f); i++) {
        char *p = sub_prefix(prefix, "alternative", i);
        if (!p) {
            all.oom = true;
            break;
        }
        cf_fail_list one = {.deadline = f->deadline};
        bool holds = check_expect(&e->any_of[i], r, p, &one);
        free(p);
        if (one.oom) all.oom = true;
        f->late |= one.late;
        all.incomplete |= one.incomplete;
        if (holds && one.nskips == 0) any = true;
        if (holds && one.nskips && !partly) {
            partly = true;
            copy_lines(&unjudged, one.skips, one.nskips, true);
        }
        copy_lines(&all, one.items, one.n, false);
        cf_fail_list_free(&one);
    }
    if (all.oom || unjudged.oom) f->oom = true;
    if (!any && partly) copy_lines(f, unjudged.skips, unjudged.nskips, true);
    if (!any && !partly) {
        copy_lines(f, all.items, all.n, false);
        f->incomplete |= all.incomplete;
    }
    cf_fail_list_free(&all);
    cf_fail_list_free(&unjudged);
    return any || partly;
}

/* The first response of the step, interim or final, in arrival order (NULL: none). */
static const cf_obs_response *first_arrival(const cf_step_result *r)
{
    const cf_obs_response *fin =
        r->nresponses && r->responses[0].complete ? &r->responses[0] : NULL;
    const cf_obs_response *in = r->ninterim ? &r->interim[0] : NULL;
    if (fin && in) return in->raw_offset <= fin->raw_offset ? in : fin;
    return in ? in : fin;
}

/* arrives_within_ms: the step's first response, interim or final, came within the limit after
 * its last byte was sent (the runner measures r->arrived_ms). */
static bool check_arrival(const cf_expect *e, const cf_step_result *r, const char *prefix,
                          cf_fail_list *f)
{
    if (!e->arrives_within_ms) return true;
    if (r->arrived && r->arrived_ms <= e->arrives_within_ms) return true;
    cf_buf t = {0};
    const cf_obs_response *first = first_arrival(r);
    cf_buf_fmt(&t, "arrives within %u ms: ", e->arrives_within_ms);
    if (r->arrived && first)
        cf_buf_fmt(&t, "the first response (%d) arrived %u ms after the step's last byte",
                   first->status, r->arrived_ms);
    else
        cf_buf_fmt(&t, "no response arrived within %u ms of the step's last byte (read for %u ms)",
                   e->arrives_within_ms, r->elapsed_ms);
    cf_fail_add(f, prefix, &t);
    return false;
}

static bool check_expect(const cf_expect *e, const cf_step_result *r, const char *prefix,
                         cf_fail_list *f)
{
    const cf_obs_response *first = r->nresponses ? &r->responses[0] : NULL;
    const cf_obs_response *interim = r->ninterim ? &r->interim[0] : NULL;
    bool ok = check_message(e, first, interim, r, prefix, f);
    ok = cf_check_connection(e, r, prefix, f) && ok;
    ok = check_count(e, r, prefix, f) && ok;
    ok = check_sequence(e, r, prefix, f) && ok;
    ok = cf_check_complies(e, r, prefix, f) && ok;
    ok = check_any_of(e, r, prefix, f) && ok;
    ok = check_arrival(e, r, prefix, f) && ok;
    return ok;
}

/* Every final response the server cut short fails the step, whether a check looked at it or
 * not: an incomplete response is never a pass (RFC 9112 §8). Not repeated when a check already
 * said so. */
static bool check_all_complete(const cf_step_result *r, cf_fail_list *f)
{
    if (f->incomplete) return false;
    bool ok = true;
    for (size_t i = 0; i < r->nresponses && !f->oom; i++) {
        char *p = sub_prefix("", "response", i);
        if (!p) {
            f->oom = true;
            return false;
        }
        ok = cf_check_complete(&r->responses[i], r, r->nresponses > 1 ? p : "", f) && ok;
        free(p);
    }
    return ok;
}

int cf_check_step(const cf_expect *e, const cf_step_result *r, cf_check_outcome *out)
{
    return cf_check_step_by(e, r, NULL, 0, out);
}

/* The outcome of a step whose expectation names a value t does not give: not judged. */
static int unrendered(const cf_expect *e, const cf_step_result *r, cf_check_outcome *out)
{
    out->pass = true;
    out->skip = cf_strfmt("not judged: the expectation names a value this run does not have");
    out->expected = cf_expect_describe(e);
    out->actual = cf_step_result_describe(r);
    if (out->skip && out->expected && out->actual) return 0;
    cf_check_outcome_free(out);
    return -1;
}

static int check_plain(const cf_expect *e, const cf_step_result *r, uint64_t deadline,
                       cf_check_outcome *out);

int cf_check_step_by(const cf_expect *e, const cf_step_result *r, const cf_spec_target *t,
                     uint64_t deadline, cf_check_outcome *out)
{
    memset(out, 0, sizeof *out);
    if (!cf_expect_has_placeholders(e)) return check_plain(e, r, deadline, out);
    cf_expect x;
    int rc = cf_expect_render(e, t, &x);
    if (rc == 0)
        rc = check_plain(&x, r, deadline, out);
    else if (rc == 1)
        rc = unrendered(e, r, out);
    cf_expect_rendered_free(&x);
    return rc;
}

/* cf_check_step_by on an expectation without placeholders (or rendered). */
static int check_plain(const cf_expect *e, const cf_step_result *r, uint64_t deadline,
                       cf_check_outcome *out)
{
    cf_fail_list f = {.deadline = deadline};
    out->pass = check_expect(e, r, "", &f);
    if (f.late) { /* a verdict on part of the expectation would be a guess */
        cf_fail_list_free(&f);
        return CF_CHECK_LATE;
    }
    out->pass = check_all_complete(r, &f) && out->pass;
    out->expected = cf_expect_describe(e);
    out->actual = cf_step_result_describe(r);
    if (f.oom || !out->expected || !out->actual) {
        cf_fail_list_free(&f);
        cf_check_outcome_free(out);
        return -1;
    }
    out->failed = f.items;
    out->nfailed = f.n;
    f.items = NULL;
    f.n = 0;
    /* A failure decides the step; otherwise what could not be judged makes it unobserved. */
    if (out->pass && f.nskips) {
        cf_buf t = {0};
        for (size_t i = 0; i < f.nskips; i++)
            cf_buf_fmt(&t, "%s%s", i ? "; " : "", f.skips[i]);
        out->skip = cf_buf_take(&t);
        if (!out->skip) {
            cf_fail_list_free(&f);
            cf_check_outcome_free(out);
            return -1;
        }
    }
    cf_fail_list_free(&f);
    return 0;
}

void cf_check_outcome_free(cf_check_outcome *out)
{
    if (!out) return;
    free(out->expected);
    free(out->actual);
    free(out->skip);
    for (size_t i = 0; i < out->nfailed; i++)
        free(out->failed[i]);
    free(out->failed);
    memset(out, 0, sizeof *out);
}
