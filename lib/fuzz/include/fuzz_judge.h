/* conform fuzz: what one worker's exchange shows, soundly. An exchange on a kept connection
 * (fuzz_conn.h) may be disturbed by the input sent before it on that connection, so an
 * observation made there that is out of the ordinary is never classified as it is: the inputs
 * involved are re-run alone on fresh connections with the slow path (cf_fuzz_exchange) and
 * classified from that. Everything else is classified as observed (cf_fuzz_classify). */
#ifndef CF_FUZZ_JUDGE_H
#define CF_FUZZ_JUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_conn.h"
#include "fuzz_detect.h"
#include "fuzz_send.h"

/* What one input showed, and the observation that says so. */
typedef struct cf_fuzz_verdict {
    cf_fuzz_kind kind; /* CF_FK_NONE, a kind to confirm, or CF_FK_CRASH: a connect failed (to
                          confirm with cf_fuzz_target_down) */
    cf_fuzz_obs obs;   /* the observation kind comes from */
    bool rerun;        /* obs comes from a re-run alone on a fresh connection (slow path) */
} cf_fuzz_verdict;

/* The outcome of one exchange. */
typedef struct cf_fuzz_judged {
    cf_fuzz_obs first;    /* the exchange as it happened (what statistics count) */
    cf_fuzz_path path;    /* how it went out (fast path; with no kept connection, a summary) */
    cf_fuzz_verdict cur;  /* the input just sent */
    cf_fuzz_verdict prev; /* the input sent before it on that connection, when it had to be
                             re-run (prev.rerun); CF_FK_NONE otherwise */
    unsigned reruns;      /* slow-path exchanges made for re-runs */
} cf_fuzz_judged;

/* True when an observation made on a reused connection cannot be classified as it is: answers
 * nobody asked for or more responses than requests, unparsable bytes, a timeout (a hang
 * candidate), a reset before every request was answered, or any finding kind. */
bool cf_fuzz_judge_doubtful(const cf_fuzz_obs *o);

/* Sends cur[0..cur_len) on k with the fast path (k NULL: the slow path, one connection, as
 * cf_fuzz_exchange) and judges it into *j (zeroed first). prev[0..prev_len) is the input this
 * worker sent before (NULL: none). Stale bytes on the kept connection re-run prev (cur went out
 * on a new connection, so its own observation stands); a doubtful observation on a reused
 * connection re-runs prev and cur. Returns 0, or -1 when memory ran out. */
int cf_fuzz_judge(const cf_fuzz_conf *c, cf_fuzz_conn *k, const uint8_t *prev, size_t prev_len,
                  const uint8_t *cur, size_t cur_len, cf_fuzz_judged *j);

#endif
