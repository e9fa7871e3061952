/* conform fuzz: classification and confirmation (fuzz_detect.h). */
#include "fuzz_detect.h"

#include <time.h>
#include <unistd.h>

#include "net_conn.h"

static const char *const kind_names[CF_FK_NKINDS] = {
    "none", "crash", "hang", "desync", "lenient", "cut-response", "reset", "bad-response", "rule"};

const char *cf_fuzz_kind_name(cf_fuzz_kind k)
{
    return (unsigned)k < CF_FK_NKINDS ? kind_names[k] : "?";
}

cf_fuzz_kind cf_fuzz_classify(const cf_fuzz_obs *o)
{
    if (o->stopped) return CF_FK_NONE; /* Ctrl-C cut it short: nothing was seen to the end */
    if (o->connect_err) return CF_FK_CRASH;
    /* RFC 9112 §2.1, §4: a response is status-line, field lines, CRLF, body. */
    if (o->not_http && !o->head_method) return CF_FK_BAD_RESPONSE;
    /* RFC 9112 §9.3: a server answers each request once, in order; an extra response means
     * the server framed the bytes into more messages than there were (RFC 9112 §6.3). */
    size_t answers = o->responses;
    /* A final error response before the close answers bytes left over that were no request
     * (RFC 9112 §2.2 lets a server reject them with 400): not counted. */
    if (answers && o->last_status >= 400 && (o->closed || o->reset)) answers--;
    /* Only when the strict reading of the bytes agrees they hold o->requests requests is an
     * extra answer smuggling; when it rejects them, the count is conform's guess at what a
     * lenient reader makes of bytes the grammar forbids, and the server was that reader. */
    if (answers > o->requests) return o->strict ? CF_FK_LENIENT : CF_FK_DESYNC;
    /* RFC 9112 §8: a response that ends before its framing says (the zero-sized chunk or
     * Content-Length octets missing) is incomplete. Only when the strict reading of the bytes
     * sent is clean: otherwise which request (HEAD?) a response answers is conform's guess, and
     * its framing with it (RFC 9112 §6.3); not after HEAD or CONNECT either, nor when reading
     * stopped at the byte cap (the connection was not seen to end). */
    if (o->incomplete && !o->strict && !o->timed_out && !o->head_method && (o->closed || o->reset))
        return o->reset ? CF_FK_RESET : CF_FK_CUT;
    /* RFC 9112 §6.3: a message cut short by the sender's close is incomplete and the server
     * closes; still open with answers missing after the deadline is a hang. */
    if (o->timed_out) return CF_FK_HANG;
    /* Each rule names the RFC section the response broke (rules.def); only when nothing worse
     * shows, and only a rule the run has no finding for yet (cf_fuzz_conf.rule_fresh). */
    if (o->rule) return CF_FK_RULE;
    return CF_FK_NONE;
}

bool cf_fuzz_target_down(const cf_fuzz_conf *c, unsigned tries, unsigned wait_ms)
{
    for (unsigned i = 0; i < tries; i++) {
        if (i > 0) {
            struct timespec ts = {(time_t)(wait_ms / 1000), (long)(wait_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        int err = 0;
        cf_conn *conn = cf_conn_open(&c->addr, c->connect_timeout_ms, &err, NULL, 0);
        if (conn) {
            cf_conn_close(conn);
            return false;
        }
        if (cf_conn_accepted(err)) return false; /* taken, then reset: up, not crashed */
    }
    return true;
}

bool cf_fuzz_reproduces(const cf_fuzz_conf *c, const uint8_t *data, size_t len, cf_fuzz_kind kind)
{
    cf_fuzz_obs o;
    if (cf_fuzz_exchange(c, data, len, &o) < 0) return false;
    if (kind == CF_FK_CRASH) return cf_fuzz_target_down(c, 3, 100);
    return cf_fuzz_classify(&o) == kind;
}

bool cf_fuzz_reproduces_lenient(const cf_fuzz_conf *c, const uint8_t *data, size_t len, int strict)
{
    cf_fuzz_obs o;
    if (cf_fuzz_exchange(c, data, len, &o) < 0) return false;
    return cf_fuzz_classify(&o) == CF_FK_LENIENT && o.strict == strict;
}

bool cf_fuzz_reproduces_rule(const cf_fuzz_conf *c, const uint8_t *data, size_t len,
                             const char *rule_id)
{
    cf_fuzz_obs o;
    if (cf_fuzz_exchange(c, data, len, &o) < 0) return false;
    cf_fuzz_kind k = cf_fuzz_classify(&o);
    return (k == CF_FK_NONE || k == CF_FK_RULE) && cf_fuzz_rules_has(&o.rules, rule_id);
}
