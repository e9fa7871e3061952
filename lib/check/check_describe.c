/* Describing an expectation in one line, for --list, reports and the "expected" of a failure:
 * top-level checks are joined with "; ", the checks of one alternative or sequence entry with
 * " and ", and alternatives with ", or ". */
#include "check_internal.h"

/* Starts the next part: the separator unless it is the first. */
static void next_part(cf_buf *t, bool *first, const char *sep)
{
    if (!*first) cf_buf_str(t, sep);
    *first = false;
}

static void describe_count(cf_buf *t, unsigned lo, unsigned hi)
{
    if (lo == hi && lo == 0)
        cf_buf_str(t, "no response");
    else if (lo == hi)
        cf_buf_fmt(t, "%u response%s", lo, lo == 1 ? "" : "s");
    else
        cf_buf_fmt(t, "%u-%u responses", lo, hi);
}

/* status, headers, body: what a sequence entry may hold too. */
static void describe_message(cf_buf *t, const cf_expect *e, const char *sep, bool *first)
{
    if (e->nstatus) {
        next_part(t, first, sep);
        cf_buf_str(t, "status ");
        cf_describe_status(t, e->status, e->nstatus);
    }
    for (size_t i = 0; i < e->nheaders; i++) {
        next_part(t, first, sep);
        cf_describe_header(t, &e->headers[i]);
    }
    for (size_t i = 0; i < e->nbody; i++) {
        next_part(t, first, sep);
        cf_describe_body(t, &e->body[i]);
    }
}

static void describe_connection(cf_buf *t, const cf_expect *e, const char *sep, bool *first)
{
    bool none = e->has_responses && e->responses_min == 0 && e->responses_max == 0;
    if (e->connection == CF_CONN_CLOSED && none) {
        next_part(t, first, sep);
        cf_buf_str(t, "connection closed without a response");
        return;
    }
    if (e->connection != CF_CONN_ANY) {
        next_part(t, first, sep);
        cf_buf_str(t, e->connection == CF_CONN_CLOSED ? "connection closed" : "connection open");
    }
    if (e->has_responses) {
        next_part(t, first, sep);
        describe_count(t, e->responses_min, e->responses_max);
    }
    if (e->arrives_within_ms) {
        next_part(t, first, sep);
        cf_buf_fmt(t, "a response within %u ms", e->arrives_within_ms);
    }
}

static void describe_sequence(cf_buf *t, const cf_expect *e, const char *sep, bool *first)
{
    for (size_t i = 0; i < e->nsequence; i++) {
        next_part(t, first, sep);
        cf_buf_fmt(t, "response %zu: ", i + 1);
        bool inner = true;
        describe_message(t, &e->sequence[i], " and ", &inner);
        if (inner) cf_buf_str(t, "anything");
    }
}

/* Every check of e (not any_of) joined with sep; returns whether there was none. */
static bool describe_checks(cf_buf *t, const cf_expect *e, const char *sep)
{
    bool first = true;
    describe_message(t, e, sep, &first);
    describe_connection(t, e, sep, &first);
    describe_sequence(t, e, sep, &first);
    if (e->ncomplies) {
        next_part(t, &first, sep);
        cf_describe_complies(t, e);
    }
    return first;
}

char *cf_expect_describe(const cf_expect *e)
{
    cf_buf t = {0};
    bool none = describe_checks(&t, e, "; ");
    if (e->nany_of && !none) cf_buf_str(&t, "; either ");
    for (size_t i = 0; i < e->nany_of; i++) {
        if (i) cf_buf_str(&t, ", or ");
        if (describe_checks(&t, &e->any_of[i], " and ")) cf_buf_str(&t, "anything");
    }
    if (none && !e->nany_of) cf_buf_str(&t, "anything");
    return cf_buf_take(&t);
}
