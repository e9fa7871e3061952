/* The compliance rules over one step's responses (rules_step.h). */
#include "rules_step.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "h1_lex.h"

/* True when a field list carries Connection with the token "close" (RFC 9110 §7.6.1). */
static bool has_conn_close(const cf_obs_response *r)
{
    for (size_t i = 0; i < r->nfields; i++) {
        const cf_obs_field *f = &r->fields[i];
        if (f->name_len != 10 || strncasecmp(f->name, "connection", 10)) continue;
        h1_lex_list l;
        h1_lex_list_init(&l, (h1_span){f->value, f->value_len});
        h1_span item;
        while (h1_lex_list_next(&l, &item))
            if (h1_span_ieq(item, "close")) return true;
    }
    return false;
}

/* True when the step sent the HTTP/2 connection preface and the bytes at off of what came back
 * open a SETTINGS frame on stream 0: the server connection preface (RFC 9113 §3.4: "a
 * potentially empty SETTINGS frame (Section 6.5) that MUST be the first frame the server sends
 * in the HTTP/2 connection"). A server that switched to HTTP/2 sent that, not more content. */
static bool h2_preface_at(const cf_step_result *res, uint64_t off)
{
    static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    const size_t plen = sizeof preface - 1;
    bool sent = false;
    for (size_t i = 0; !sent && res->sent && i + plen <= res->sent_len; i++)
        sent = !memcmp(res->sent + i, preface, plen);
    if (!sent || !res->raw || off > res->raw_len || res->raw_len - off < 9) return false;
    const uint8_t *f = res->raw + off;
    /* RFC 9113 §4.1: length (24 bits), type, flags, R + stream id (31 bits); §6.5: SETTINGS is
     * type 0x04, its length a multiple of 6, its stream 0. */
    uint32_t len = (uint32_t)f[0] << 16 | (uint32_t)f[1] << 8 | f[2];
    bool stream0 = !(f[5] & 0x7f) && !f[6] && !f[7] && !f[8];
    return f[3] == 0x04 && len % 6 == 0 && stream0;
}

/* The context of response r (last: nothing followed it in the step), answering q (or none). */
static cf_rule_ctx rule_ctx(const cf_pending *q, const cf_step_result *res,
                            const cf_obs_response *r, bool last, bool last_step)
{
    /* RFC 9110 §9.1: a method is a token; one holding a NUL byte ("HEAD\0/") is none the rules
     * know, and must not read as the C string before the NUL (the parser did not take it as
     * HEAD when it read the response). */
    bool method = q && strlen(q->method) == q->len;
    cf_rule_ctx x = {.method = method ? q->method : "", .request_version = q ? q->version : 11};
    x.request_unread = !q || !q->whole;
    x.request_upgrade = q && (q->flags & H1_MSG_UPGRADE);
    x.request_conn_close = q && (q->flags & H1_MSG_CONN_CLOSE);
    uint64_t end = (uint64_t)r->raw_offset + r->raw_len;
    bool more = end < res->raw_total; /* bytes followed it during this step */
    /* RFC 9112 §9.6: a server that sends "close" must not send more on that connection. */
    x.data_after_close = has_conn_close(r) && more;
    /* Only an observed close or reset ends the connection (not conform stopping to read). */
    bool ended = res->conn == CF_CONN_STATE_CLOSED || res->conn == CF_CONN_STATE_RESET;
    x.is_last_response = last && (ended || last_step);
    x.junk_after = last && res->not_http && more && !h2_preface_at(res, end);
    x.conn_ended = last && !more && ended;
    return x;
}

/* The next response of the step in arrival order: interim (*i) or final (*k). */
static cf_rules_seen next_seen(const cf_step_result *res, size_t *i, size_t *k)
{
    bool take_interim =
        *i < res->ninterim &&
        (*k >= res->nresponses || res->interim[*i].raw_offset <= res->responses[*k].raw_offset);
    if (take_interim) {
        size_t at = (*i)++;
        return (cf_rules_seen){.r = &res->interim[at], .interim = true, .index = at};
    }
    size_t at = (*k)++;
    return (cf_rules_seen){.r = &res->responses[at], .index = at};
}

/* cf_rules_step, judging each complete response only when judge is set. */
static int walk(const cf_pending *reqs, size_t nreqs, const cf_step_result *res, bool last_step,
                bool judge, cf_rules_step_fn fn, void *ud, size_t *answered)
{
    size_t total = res->ninterim + res->nresponses, i = 0, k = 0, done = 0;
    int rc = 0;
    bool go = true;
    for (size_t m = 0; m < total && go; m++) {
        cf_rules_seen v = next_seen(res, &i, &k);
        v.last = m + 1 == total;
        v.req = done < nreqs ? &reqs[done] : NULL;
        cf_rule_finding *f = NULL;
        size_t nf = 0;
        if (v.r->complete) {
            if (judge) {
                cf_rule_ctx x = rule_ctx(v.req, res, v.r, v.last, last_step);
                if (cf_rules_check(&x, v.r, &f, &nf) < 0) rc = -1;
            }
            if (!v.interim) done++;
        }
        v.findings = f;
        v.nfindings = nf;
        if (fn) go = fn(&v, ud);
        cf_rule_findings_free(f, nf);
    }
    if (answered) *answered = done;
    return rc;
}

int cf_rules_step(const cf_pending *reqs, size_t nreqs, const cf_step_result *res, bool last_step,
                  cf_rules_step_fn fn, void *ud, size_t *answered)
{
    return walk(reqs, nreqs, res, last_step, true, fn, ud, answered);
}

/* cf_rules_pair's callback: one answer per response, with copies of the findings' messages. */
static bool keep_answer(const cf_rules_seen *v, void *ud)
{
    cf_step_result *res = ud;
    cf_obs_answer *a = &res->answers[res->nanswers++];
    *a = (cf_obs_answer){.interim = v->interim, .index = v->index, .last = v->last};
    if (v->req) {
        a->has_req = true;
        a->req = *v->req;
    }
    if (v->nfindings == 0) return true;
    a->findings = calloc(v->nfindings, sizeof *a->findings);
    if (!a->findings) return res->paired = false, false;
    for (size_t i = 0; i < v->nfindings; i++) {
        const char *m = v->findings[i].message ? v->findings[i].message : "";
        size_t n = strlen(m) + 1;
        char *copy = malloc(n);
        if (!copy) return res->paired = false, false;
        memcpy(copy, m, n);
        a->findings[a->nfindings++] = (cf_obs_finding){v->findings[i].rule, copy};
    }
    return true;
}

/* Pairs (and with judge, judges) the responses of res into res->answers. */
static int pair(cf_step_result *res, bool last_step, bool judge, size_t *answered)
{
    size_t total = res->ninterim + res->nresponses;
    res->answers = total ? calloc(total, sizeof *res->answers) : NULL;
    res->nanswers = 0;
    if (total && !res->answers) return -1;
    res->paired = true; /* keep_answer clears it when memory runs out */
    int rc = walk(res->requests, res->nrequests, res, last_step, judge, keep_answer, res, answered);
    return rc < 0 || !res->paired ? (res->paired = true, -1) : 0;
}

int cf_rules_pair(cf_step_result *res, bool last_step, size_t *answered)
{
    return pair(res, last_step, true, answered);
}

int cf_rules_pair_unjudged(cf_step_result *res, bool last_step, size_t *answered)
{
    return pair(res, last_step, false, answered);
}
