/* conform fuzz: what an exchange reveals about the target (a finding kind), crash confirmation
 * (the target no longer accepts connections), and "does this input still show that kind", the
 * test the minimizer repeats. */
#ifndef CF_FUZZ_DETECT_H
#define CF_FUZZ_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_rules.h"
#include "fuzz_send.h"

/* Kinds of findings, in the order summaries list them. */
typedef enum cf_fuzz_kind {
    CF_FK_NONE,
    CF_FK_CRASH,        /* connections refused after the target accepted them before */
    CF_FK_HANG,         /* after the whole input and a half-close: no answer and no close */
    CF_FK_DESYNC,       /* more responses than requests sent on one connection, every request
                           valid to conform's strict reading: request smuggling */
    CF_FK_LENIENT,      /* the same on bytes conform's strict reading rejects: the server read
                           leniently what the grammar forbids (fuzz_lenient.h gives the level) */
    CF_FK_CUT,          /* a response cut short: its head arrived, then the server closed before
                           its framing said it ends */
    CF_FK_RESET,        /* a response cut short by a reset (RST) */
    CF_FK_BAD_RESPONSE, /* a response the parser rejects even leniently */
    CF_FK_RULE,         /* a response breaks a compliance rule (rules.h), nothing worse shows */
    CF_FK_NKINDS
} cf_fuzz_kind;

/* "crash", "hang", "desync", "lenient", "cut-response", "reset", "bad-response", "rule"
 * ("none" for CF_FK_NONE). */
const char *cf_fuzz_kind_name(cf_fuzz_kind k);

/* The kind an exchange shows: a failed connect is a crash candidate (to be confirmed with
 * cf_fuzz_target_down); otherwise a response the parser rejects, then more responses than
 * requests (RFC 9112 §6.3, §9.3: one response per request, in order): a desync when every
 * request sent is valid to conform's strict reading (o->strict 0), else a leniency finding;
 * then a response cut short by a close or a reset (only on bytes the strict reading finds
 * valid, and not after HEAD or CONNECT: otherwise the framing conform expects depends on how the
 * server read the requests); then a hang, then a broken compliance rule with no
 * finding yet (o->rule). */
cf_fuzz_kind cf_fuzz_classify(const cf_fuzz_obs *o);

/* True when the target refuses (or times out) tries connections in a row, wait_ms apart: the
 * confirmation that a failed connect is a crash and not a passing hiccup. */
bool cf_fuzz_target_down(const cf_fuzz_conf *c, unsigned tries, unsigned wait_ms);

/* Sends data once more and tells whether it shows kind again (for crash: the target is down
 * afterwards). The minimizer's test. */
bool cf_fuzz_reproduces(const cf_fuzz_conf *c, const uint8_t *data, size_t len, cf_fuzz_kind kind);

/* Sends data once more and tells whether it shows a leniency on the rule strict (a h1_code)
 * again: more answers than requests, and conform's strict reading of data breaking strict
 * first. The minimizer's test for lenient findings: a smaller input that breaks another rule
 * first would be another finding. */
bool cf_fuzz_reproduces_lenient(const cf_fuzz_conf *c, const uint8_t *data, size_t len, int strict);

/* Sends data once more and tells whether a response breaks the rule rule_id again with nothing
 * worse showing (whether or not the run already has a finding for that rule). The minimizer's
 * test for rule findings. */
bool cf_fuzz_reproduces_rule(const cf_fuzz_conf *c, const uint8_t *data, size_t len,
                             const char *rule_id);

#endif
