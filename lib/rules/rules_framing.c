/* Compliance rules on message framing: Content-Length, Transfer-Encoding and whether content
 * was sent where none may be (RFC 9110 §8.6, §9.3.2, §15; RFC 9112 §6). */
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "rules_internal.h"

/* What the Transfer-Encoding field lines of a response say, in order. */
typedef struct te_info {
    bool present;
    bool invalid;      /* a member is not transfer-coding */
    size_t chunked;    /* members named chunked */
    bool chunked_last; /* the last member is chunked */
    char last[32];     /* the last member's name */
} te_info;

/* RFC 9112 §6.1: transfer-coding = token *( OWS ";" OWS transfer-parameter ); parameters are
 * checked with the common grammar of RFC 9110 §5.6.6 (BWS around "=" is not generated). */
static void te_member(te_info *te, h1_span m)
{
    size_t e = 0;
    while (e < m.len && h1_lex_tchar((unsigned char)m.ptr[e]))
        e++;
    if (e == 0 || !h1_lex_params(m.ptr + e, m.len - e)) te->invalid = true;
    bool chunked = e == 7 && strncasecmp(m.ptr, "chunked", 7) == 0;
    te->chunked += chunked;
    te->chunked_last = chunked;
    size_t nl = e < sizeof te->last - 1 ? e : sizeof te->last - 1;
    memcpy(te->last, m.ptr, nl);
    te->last[nl] = 0;
}

static te_info te_read(const cf_obs_response *r)
{
    te_info te = {0};
    for (size_t i = 0; i < r->nfields; i++) {
        const cf_obs_field *f = &r->fields[i];
        if (!h1_span_ieq((h1_span){f->name, f->name_len}, "Transfer-Encoding")) continue;
        te.present = true;
        h1_span it[16];
        size_t empty, k = cf_rules_list(f->value, f->value_len, it, 16, &empty);
        if (k == 0) te.invalid = true;
        for (size_t j = 0; j < k && j < 16; j++)
            te_member(&te, it[j]);
    }
    return te;
}

/* RFC 9112 §6.1, §6.2; RFC 9110 §8.6, §9.3.6: where Content-Length and Transfer-Encoding may
 * not appear. */
static void check_placement(cf_rules_run *run, const te_info *te, bool cl)
{
    int s = run->r->status;
    bool no_content = (s >= 100 && s <= 199) || s == 204;
    bool connect_2xx = cf_rules_method_is(run->ctx, "CONNECT") && s >= 200 && s <= 299;
    if (cl && te->present)
        cf_rules_report(run, CF_R_CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
                        "both Content-Length and Transfer-Encoding sent");
    if (cl && no_content)
        cf_rules_report(run, CF_R_CONTENT_LENGTH_ON_1XX_OR_204, "Content-Length in a %d response",
                        s);
    if (cl && connect_2xx)
        cf_rules_report(run, CF_R_CONTENT_LENGTH_ON_CONNECT_2XX,
                        "Content-Length in a %d response to CONNECT", s);
    if (te->present && no_content)
        cf_rules_report(run, CF_R_TRANSFER_ENCODING_ON_1XX_OR_204,
                        "Transfer-Encoding in a %d response", s);
    if (te->present && connect_2xx)
        cf_rules_report(run, CF_R_TRANSFER_ENCODING_ON_CONNECT_2XX,
                        "Transfer-Encoding in a %d response to CONNECT", s);
    /* RFC 9112 §6.1: MUST NOT send Transfer-Encoding unless the request was HTTP/1.1. */
    if (te->present && run->ctx->request_version == 10)
        cf_rules_report(run, CF_R_TRANSFER_ENCODING_TO_HTTP10,
                        "Transfer-Encoding in a response to an HTTP/1.0 request");
}

/* RFC 9112 §6.1: the list itself; chunked once and last, or the message ends at close. */
static void check_codings(cf_rules_run *run, const te_info *te)
{
    if (!te->present) return;
    if (te->invalid)
        cf_rules_report(run, CF_R_TRANSFER_ENCODING_INVALID,
                        "Transfer-Encoding is not a list of transfer-codings");
    if (te->chunked > 1)
        cf_rules_report(run, CF_R_CHUNKED_APPLIED_TWICE, "chunked listed %zu times", te->chunked);
    if (!te->chunked_last && !run->r->complete && !run->ctx->conn_ended)
        cf_rules_report(run, CF_R_CHUNKED_NOT_LAST,
                        "last transfer coding is \"%s\" and the connection stayed open", te->last);
}

/* RFC 9110 §8.6: Content-Length = 1*DIGIT (one value; a list of them is not the grammar). */
static bool cl_value(cf_rules_run *run, const cf_obs_field *f, unsigned long long *v)
{
    if (cf_rules_digits(f->value, f->value_len, v)) return true;
    cf_rules_report(run, CF_R_CONTENT_LENGTH_INVALID, "Content-Length \"%s\" is not 1*DIGIT",
                    f->value);
    return false;
}

/* RFC 9110 §8.6: the content sent is as long as Content-Length says. Seen two ways: the
 * connection ended before that many bytes came, or bytes that do not parse as a response
 * followed the content right after the last counted byte. */
static void check_length(cf_rules_run *run, unsigned long long cl)
{
    const cf_obs_response *r = run->r;
    if (r->framing != (int)H1_FRAMING_LENGTH) return;
    if (!r->complete && run->ctx->conn_ended)
        cf_rules_report(run, CF_R_CONTENT_LENGTH_MISMATCH,
                        "Content-Length %llu but the connection ended after %" PRIu64
                        " bytes of content",
                        cl, r->body_total);
    else if (r->complete && run->ctx->junk_after)
        cf_rules_report(run, CF_R_CONTENT_LENGTH_MISMATCH,
                        "bytes after the %llu bytes of Content-Length do not parse as a response: "
                        "more content than Content-Length says?",
                        cl);
}

/* RFC 9110 §9.3.2 (HEAD: MUST NOT send content), §15.2, §15.3.5, §15.4.5 (1xx, 204, 304 end with
 * their header section: anything after them must be the next response), §15.3.6 (205: MUST NOT
 * generate content). */
static void check_no_content(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    int s = r->status;
    bool sent = r->body_total > 0 || run->ctx->junk_after;
    if (!sent) {
        if (s == 205 && r->framing == (int)H1_FRAMING_LENGTH) {
            const cf_obs_field *cl = cf_rules_field(r, "Content-Length");
            unsigned long long v = 0;
            if (cl && cf_rules_digits(cl->value, cl->value_len, &v) && v > 0)
                cf_rules_report(run, CF_R_CONTENT_IN_205_RESPONSE,
                                "205 response announces %llu bytes of content", v);
        }
        return;
    }
    const char *what = r->body_total > 0 ? "content" : "bytes that do not parse as a response";
    if (cf_rules_method_is(run->ctx, "HEAD"))
        cf_rules_report(run, CF_R_CONTENT_IN_HEAD_RESPONSE, "%s after a response to HEAD", what);
    else if (s >= 100 && s <= 199)
        cf_rules_report(run, CF_R_CONTENT_IN_1XX_RESPONSE, "%s after a %d response", what, s);
    else if (s == 204)
        cf_rules_report(run, CF_R_CONTENT_IN_204_RESPONSE, "%s after a 204 response", what);
    else if (s == 304)
        cf_rules_report(run, CF_R_CONTENT_IN_304_RESPONSE, "%s after a 304 response", what);
    else if (s == 205 && r->body_total > 0)
        cf_rules_report(run, CF_R_CONTENT_IN_205_RESPONSE,
                        "205 response with %" PRIu64 " bytes of content", r->body_total);
}

void cf_rules_check_framing(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    te_info te = te_read(r);
    const cf_obs_field *clf = cf_rules_field(r, "Content-Length");
    check_placement(run, &te, clf != NULL);
    check_codings(run, &te);
    unsigned long long cl = 0;
    bool cl_ok = true;
    for (size_t i = 0; i < r->nfields; i++) {
        const cf_obs_field *f = &r->fields[i];
        if (!h1_span_ieq((h1_span){f->name, f->name_len}, "Content-Length")) continue;
        if (!cl_value(run, f, &cl)) {
            cl_ok = false;
            break;
        }
    }
    if (clf && cl_ok) check_length(run, cl);
    /* RFC 9112 §6.3: a server SHOULD generate encoding or length-delimited messages "whenever
     * possible"; "The close-delimiting feature exists primarily for backwards compatibility
     * with HTTP/1.0". To an HTTP/1.0 request chunked is not possible (§6.1: "A server MUST NOT
     * send a response containing Transfer-Encoding unless the corresponding request indicates
     * HTTP/1.1"), and whether the length was known conform cannot tell: not judged. */
    if (r->framing == (int)H1_FRAMING_CLOSE && run->ctx->request_version != 10)
        cf_rules_report(run, CF_R_CLOSE_DELIMITED_RESPONSE,
                        "content delimited by closing the connection");
    check_no_content(run);
}
