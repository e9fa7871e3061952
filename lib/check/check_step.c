/* Judging one step: the first response's status/headers/body, the connection, the number of
 * responses, the sequence, the compliance rules (complies) and any_of; then the outcome with its
 * expected and actual texts. */
#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

/* status, headers and body of one expectation against one response (NULL: none). */
static bool check_message(const cf_expect *e, const cf_obs_response *resp,
                          const cf_obs_response *interim, const char *prefix, cf_fail_list *f)
{
    bool ok = cf_check_status(e, resp, interim, prefix, f);
    for (size_t i = 0; i < e->nheaders; i++)
        ok = cf_check_header(&e->headers[i], resp, prefix, f) && ok;
    for (size_t i = 0; i < e->nbody; i++)
        ok = cf_check_body(&e->body[i], resp, prefix, f) && ok;
    return ok;
}

static bool check_connection(const cf_expect *e, const cf_step_result *r, const char *prefix,
                             cf_fail_list *f)
{
    bool closed = r->conn == CF_CONN_STATE_CLOSED || r->conn == CF_CONN_STATE_RESET;
    if (e->connection == CF_CONN_ANY || (e->connection == CF_CONN_CLOSED) == closed) return true;
    cf_buf t = {0};
    if (e->connection == CF_CONN_CLOSED)
        cf_buf_fmt(&t, "connection: expected closed, still open after %u ms", r->elapsed_ms);
    else
        cf_buf_fmt(&t, "connection: expected open, %s by the server",
                   r->conn == CF_CONN_STATE_RESET ? "reset" : "closed");
    cf_fail_add(f, prefix, &t);
    return false;
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
    cf_buf_fmt(&t, "responses: expected %u", e->responses_min);
    if (e->responses_max != e->responses_min) cf_buf_fmt(&t, "-%u", e->responses_max);
    cf_buf_fmt(&t, ", got %zu", complete);
    if (complete < r->nresponses) cf_buf_fmt(&t, " (and %zu incomplete)", r->nresponses - complete);
    cf_fail_add(f, prefix, &t);
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
    for (size_t i = 0; i < e->nsequence; i++) {
        char *p = sub_prefix(prefix, "response", i);
        if (!p) {
            f->oom = true;
            return false;
        }
        const cf_obs_response *resp = i < r->nresponses ? &r->responses[i] : NULL;
        ok = check_message(&e->sequence[i], resp, NULL, p, f) && ok;
        free(p);
    }
    return ok;
}

static bool check_expect(const cf_expect *e, const cf_step_result *r, const char *prefix,
                         cf_fail_list *f);

/* At least one alternative holds; when none does, every alternative's failures are listed. */
static bool check_any_of(const cf_expect *e, const cf_step_result *r, const char *prefix,
                         cf_fail_list *f)
{
    if (e->nany_of == 0) return true;
    cf_fail_list all = {0};
    bool any = false;
    for (size_t i = 0; i < e->nany_of && !any; i++) {
        char *p = sub_prefix(prefix, "alternative", i);
        if (!p) {
            all.oom = true;
            break;
        }
        any = check_expect(&e->any_of[i], r, p, &all);
        free(p);
    }
    if (all.oom) f->oom = true;
    for (size_t i = 0; !any && !f->oom && i < all.n; i++) {
        cf_buf t = {0};
        cf_buf_str(&t, all.items[i]);
        cf_fail_add(f, "", &t);
    }
    cf_fail_list_free(&all);
    return any;
}

static bool check_expect(const cf_expect *e, const cf_step_result *r, const char *prefix,
                         cf_fail_list *f)
{
    const cf_obs_response *first = r->nresponses ? &r->responses[0] : NULL;
    const cf_obs_response *interim = r->ninterim ? &r->interim[0] : NULL;
    bool ok = check_message(e, first, interim, prefix, f);
    ok = check_connection(e, r, prefix, f) && ok;
    ok = check_count(e, r, prefix, f) && ok;
    ok = check_sequence(e, r, prefix, f) && ok;
    ok = cf_check_complies(e, r, prefix, f) && ok;
    ok = check_any_of(e, r, prefix, f) && ok;
    return ok;
}

int cf_check_step(const cf_expect *e, const cf_step_result *r, cf_check_outcome *out)
{
    memset(out, 0, sizeof *out);
    cf_fail_list f = {0};
    out->pass = check_expect(e, r, "", &f);
    out->expected = cf_expect_describe(e);
    out->actual = cf_step_result_describe(r);
    if (f.oom || !out->expected || !out->actual) {
        cf_fail_list_free(&f);
        cf_check_outcome_free(out);
        return -1;
    }
    out->failed = f.items;
    out->nfailed = f.n;
    return 0;
}

void cf_check_outcome_free(cf_check_outcome *out)
{
    if (!out) return;
    free(out->expected);
    free(out->actual);
    for (size_t i = 0; i < out->nfailed; i++)
        free(out->failed[i]);
    free(out->failed);
    memset(out, 0, sizeof *out);
}
