/* The status check: the status code of the judged response lies in one of the ranges. */
#include "check_internal.h"

static bool in_ranges(const cf_status_range *s, size_t n, int status)
{
    for (size_t i = 0; i < n; i++)
        if (status >= s[i].lo && status <= s[i].hi) return true;
    return false;
}

static void describe_range(cf_buf *t, cf_status_range r)
{
    if (r.lo == r.hi)
        cf_buf_fmt(t, "%u", (unsigned)r.lo);
    else if (r.lo % 100 == 0 && r.hi == r.lo + 99)
        cf_buf_fmt(t, "%uxx", (unsigned)r.lo / 100);
    else
        cf_buf_fmt(t, "%u-%u", (unsigned)r.lo, (unsigned)r.hi);
}

void cf_describe_status(cf_buf *t, const cf_status_range *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) cf_buf_str(t, i + 1 == n ? " or " : ", ");
        describe_range(t, s[i]);
    }
}

bool cf_check_status(const cf_expect *e, const cf_obs_response *resp,
                     const cf_obs_response *interim, const char *prefix, cf_fail_list *fails)
{
    if (e->nstatus == 0) return true;
    if (resp && in_ranges(e->status, e->nstatus, resp->status)) return true;
    /* A 1xx code can only be an interim response (RFC 9110 §15.2): match the first one. */
    if (interim && in_ranges(e->status, e->nstatus, interim->status)) return true;
    cf_buf t = {0};
    cf_buf_str(&t, "status: expected ");
    cf_describe_status(&t, e->status, e->nstatus);
    if (resp)
        cf_buf_fmt(&t, ", got %d", resp->status);
    else if (interim)
        cf_buf_fmt(&t, ", got only interim %d", interim->status);
    else
        cf_buf_str(&t, ", no response");
    cf_fail_add(fails, prefix, &t);
    return false;
}
