/* What the record says was observed, and what conform did not observe: whether a response
 * ended where its framing says (RFC 9112 §8), how the connection stood, and which of conform's
 * own caps stopped reading. A response the server cut short is a failure; what conform's cap hid
 * is unobserved (a skip), never a pass. */
#include "check_internal.h"

#include "h1_parser.h"

bool cf_check_capped(const cf_step_result *r)
{
    return r->cap == CF_CAP_RESPONSE || r->cap == CF_CAP_KEPT || r->cap == CF_CAP_FIELDS ||
           r->cap == CF_CAP_HEAD;
}

void cf_check_describe_cap(cf_buf *t, const cf_step_result *r)
{
    unsigned long long v = (unsigned long long)r->cap_value;
    switch (r->cap) {
    case CF_CAP_NONE: break;
    case CF_CAP_RESPONSE:
        cf_buf_fmt(t, "reading stopped at conform's cap of %llu bytes (--max-response)", v);
        break;
    case CF_CAP_KEPT:
        cf_buf_fmt(t,
                   "reading stopped: the responses kept reached conform's cap of %llu bytes "
                   "(--max-response)",
                   v);
        break;
    case CF_CAP_INTERIM:
        cf_buf_fmt(
            t, "interim response flood: %llu 1xx responses, no final response (--max-interim)", v);
        break;
    case CF_CAP_FIELDS:
        cf_buf_fmt(t, "response over conform's cap (%llu fields; --max-fields)", v);
        break;
    case CF_CAP_HEAD:
        cf_buf_fmt(t, "response head over conform's cap (%llu bytes; --max-head)", v);
        break;
    }
}

/* "Content-Length 1000, 10 body bytes received" / "chunked body not finished, 5 bytes received" */
static void describe_framing(cf_buf *t, const cf_obs_response *resp)
{
    unsigned long long got = (unsigned long long)resp->body_total;
    if (resp->framing == H1_FRAMING_LENGTH)
        cf_buf_fmt(t, "Content-Length %llu, %llu body bytes received",
                   (unsigned long long)resp->content_length, got);
    else if (resp->framing == H1_FRAMING_CHUNKED)
        cf_buf_fmt(t, "chunked body not finished (no last chunk), %llu body bytes received", got);
    else
        cf_buf_fmt(t, "body delimited by close, %llu bytes received", got);
}

/* How the server stopped sending the response: close, reset, silence, bytes that are not HTTP. */
static void describe_stop(cf_buf *t, const cf_step_result *r)
{
    if (r->not_http)
        cf_buf_fmt(t, ", then bytes that are not HTTP (%s)", h1_code_name((h1_code)r->parse_error));
    else if (r->conn == CF_CONN_STATE_CLOSED)
        cf_buf_str(t, ", then the server closed the connection");
    else if (r->conn == CF_CONN_STATE_RESET)
        cf_buf_str(t, ", then the server reset the connection");
    else
        cf_buf_fmt(t, ", not finished after %u ms", r->elapsed_ms);
}

bool cf_check_complete(const cf_obs_response *resp, const cf_step_result *r, const char *prefix,
                       cf_fail_list *fails)
{
    /* RFC 9112 §8: "A message body that uses the chunked transfer coding is incomplete if the
     * zero-sized chunk that terminates the encoding has not been received. A message that uses a
     * valid Content-Length is incomplete if the size of the message body received (in octets) is
     * less than the value given by Content-Length." §6.3 adds silence: "If the sender closes
     * the connection or the recipient times out before the indicated number of octets are
     * received, the recipient MUST consider the message to be incomplete". A close-delimited
     * body (§6.3 item 8) is complete at an orderly close: the collector marks it so. */
    /* A response still arriving when the expectation had what it needed was not read to its
     * end by conform's choice: not observed, not incomplete. */
    if (!resp || resp->complete || cf_check_capped(r) || r->settled) return true;
    cf_buf t = {0};
    cf_buf_str(&t, "incomplete response (RFC 9112 \xC2\xA7"
                   "8): ");
    describe_framing(&t, resp);
    describe_stop(&t, r);
    cf_fail_add(fails, prefix, &t);
    fails->incomplete = true;
    return false;
}

/* Why the connection was not observed. */
static void describe_not_observed(cf_buf *t, const cf_step_result *r)
{
    if (r->cap != CF_CAP_NONE) {
        cf_buf_str(t, "reading stopped at the cap: ");
        cf_check_describe_cap(t, r);
    } else if (r->settled) {
        cf_buf_str(t, "reading stopped once the expected responses had arrived");
    } else {
        cf_buf_str(t, "reading stopped: nothing more could be parsed");
    }
}

void cf_describe_conn(cf_buf *t, const cf_step_result *r)
{
    bool any = r->nresponses || r->ninterim;
    const char *how = r->conn == CF_CONN_STATE_RESET ? "reset" : "closed";
    switch (r->conn) {
    case CF_CONN_STATE_OPEN:
        cf_buf_fmt(t, ", connection still open after %u ms", r->conn_ms);
        break;
    case CF_CONN_STATE_CLOSED:
    case CF_CONN_STATE_RESET:
        if (any)
            cf_buf_fmt(t, ", connection %s %u ms after the last response", how, r->conn_ms);
        else
            cf_buf_fmt(t, ", connection %s after %u ms", how, r->conn_ms);
        break;
    case CF_CONN_STATE_NOT_OBSERVED:
        /* Reading stopped because the step had what it needed: nothing to say about the
         * connection, and nothing that suggests it stayed open. */
        if (r->settled && r->cap == CF_CAP_NONE) break;
        cf_buf_str(t, ", connection not observed: ");
        describe_not_observed(t, r);
        break;
    }
}

bool cf_check_connection(const cf_expect *e, const cf_step_result *r, const char *prefix,
                         cf_fail_list *fails)
{
    if (e->connection == CF_CONN_ANY) return true;
    cf_buf t = {0};
    if (r->conn == CF_CONN_STATE_NOT_OBSERVED) {
        cf_buf_fmt(&t, "connection: expected %s, not observed: ",
                   e->connection == CF_CONN_CLOSED ? "closed" : "open");
        describe_not_observed(&t, r);
        cf_skip_add(fails, prefix, &t);
        return true;
    }
    bool closed = r->conn == CF_CONN_STATE_CLOSED || r->conn == CF_CONN_STATE_RESET;
    if ((e->connection == CF_CONN_CLOSED) == closed) return true;
    if (e->connection == CF_CONN_CLOSED)
        cf_buf_fmt(&t, "connection: expected closed, still open after %u ms", r->conn_ms);
    else
        cf_buf_fmt(&t, "connection: expected open, %s by the server",
                   r->conn == CF_CONN_STATE_RESET ? "reset" : "closed");
    cf_fail_add(fails, prefix, &t);
    return false;
}
