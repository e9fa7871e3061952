/* Describing what a step observed in one line: the responses in the order received (interim
 * ones included), a parse failure, a timeout, and how the connection stood. */
#include "check_internal.h"

#include "h1_parser.h"

#define SHOW_RESPONSES 4 /* responses listed before "... (N in all)" */
#define REASON_CAP     40
#define RAW_CAP        40

static void describe_response(cf_buf *t, const cf_obs_response *r)
{
    cf_buf_fmt(t, "%d", r->status);
    if (r->reason_len) {
        cf_buf_str(t, " ");
        cf_text_word(t, r->reason, r->reason_len, REASON_CAP);
    }
    if (!r->complete) cf_buf_str(t, " (incomplete)");
}

/* Lists interim and final responses merged by where they start in the received bytes. */
static void describe_responses(cf_buf *t, const cf_step_result *r)
{
    size_t i = 0, f = 0, shown = 0, all = r->ninterim + r->nresponses;
    while (i < r->ninterim || f < r->nresponses) {
        bool take_interim =
            i < r->ninterim &&
            (f == r->nresponses || r->interim[i].raw_offset <= r->responses[f].raw_offset);
        const cf_obs_response *resp = take_interim ? &r->interim[i++] : &r->responses[f++];
        if (shown == SHOW_RESPONSES) {
            cf_buf_fmt(t, ", ... (%zu responses in all)", all);
            return;
        }
        if (shown++) cf_buf_str(t, ", then ");
        describe_response(t, resp);
    }
}

/* Where the bytes no response accounts for start: after the last response parsed. */
static size_t unparsed_offset(const cf_step_result *r)
{
    size_t end = 0;
    for (size_t i = 0; i < r->nresponses; i++)
        if (r->responses[i].raw_offset + r->responses[i].raw_len > end)
            end = r->responses[i].raw_offset + r->responses[i].raw_len;
    for (size_t i = 0; i < r->ninterim; i++)
        if (r->interim[i].raw_offset + r->interim[i].raw_len > end)
            end = r->interim[i].raw_offset + r->interim[i].raw_len;
    return end < r->raw_len ? end : r->raw_len;
}

/* "not HTTP (VERSION at byte 0): \"SSH-2.0-...\"" */
static void describe_not_http(cf_buf *t, const cf_step_result *r)
{
    cf_buf_fmt(t, "not HTTP (%s at byte %zu)", h1_code_name((h1_code)r->parse_error),
               r->parse_error_offset);
    size_t from = unparsed_offset(r);
    if (from >= r->raw_len) return;
    size_t n = r->raw_len - from < RAW_CAP ? r->raw_len - from : RAW_CAP;
    cf_buf_str(t, ": ");
    cf_text_quote(t, r->raw + from, n, (uint64_t)(r->raw_len - from));
}

char *cf_step_result_describe(const cf_step_result *r)
{
    cf_buf t = {0};
    bool any = r->nresponses || r->ninterim;
    describe_responses(&t, r);
    if (r->not_http) {
        if (any) cf_buf_str(&t, ", then ");
        describe_not_http(&t, r);
    } else if (!any) {
        cf_buf_str(&t, "no response");
    }
    if (r->timed_out)
        cf_buf_fmt(&t, ", timed out after %u ms waiting for a response", r->elapsed_ms);
    if (r->cap != CF_CAP_NONE && r->conn != CF_CONN_STATE_NOT_OBSERVED) {
        cf_buf_str(&t, ", ");
        cf_check_describe_cap(&t, r);
    }
    cf_describe_conn(&t, r);
    return cf_buf_take(&t);
}
