/* conform fuzz: one exchange with the target, the slow path. A fresh connection, the mutated
 * bytes written in one go followed by a half-close (so a correct server sees the end of the input
 * and answers or closes instead of waiting for more), then responses read with run_conn /
 * run_collect until the server closes, the time limit passes, or a short grace after the last
 * expected response. Confirmation, minimization and every re-run use it; the keep-alive fast
 * path (fuzz_conn.h) falls back to its reading on the same connection. Also the shared token
 * bucket behind --rate. */
#ifndef CF_FUZZ_SEND_H
#define CF_FUZZ_SEND_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_rules.h"
#include "exchange_collect.h"
#include "net_target.h"

#define CF_FUZZ_MAX_STATUSES 8 /* status codes kept per exchange */
/* Default keepalive_wait_ms (docs/commands/fuzz.md, "Speed", for the measurement behind it). */
#define CF_FUZZ_KEEPALIVE_WAIT_MS 5
/* How long a read waits at most before it looks at cf_fuzz_conf.stop again. */
#define CF_FUZZ_STOP_POLL_MS 100

/* How exchanges are made; read-only while workers run. */
typedef struct cf_fuzz_conf {
    cf_run_addr addr;
    unsigned connect_timeout_ms;
    unsigned timeout_ms;        /* no close or no answer for this long after sending: a hang */
    unsigned grace_ms;          /* wait for extra responses after the expected ones arrived */
    unsigned keepalive_wait_ms; /* fast path: answers missing and no byte for this long: fall
                                   back to half-close and the slow path's reading */
    cf_collect_caps caps;
    /* Which broken rules make a finding (cf_fuzz_obs.rule): those for which rule_fresh(id,
     * rule_fresh_ud) is true, e.g. no finding yet this run; NULL: every rule. */
    bool (*rule_fresh)(const char *id, void *ud);
    void *rule_fresh_ud;
    /* When not NULL: once *stop is nonzero (Ctrl-C), an exchange in progress ends within
     * CF_FUZZ_STOP_POLL_MS, marked cf_fuzz_obs.stopped, whatever the server still sends. */
    const volatile sig_atomic_t *stop;
} cf_fuzz_conf;

/* What one exchange observed. */
typedef struct cf_fuzz_obs {
    int connect_err;  /* errno of a failed connect (0: connected) */
    int send_err;     /* errno of a failed write (EPIPE, ECONNRESET...), 0 when all was sent */
    size_t requests;  /* requests found in the bytes sent (run_collect's count) */
    size_t responses; /* complete final responses received */
    bool incomplete;  /* a response was still arriving at the end */
    bool closed;      /* the server closed the connection (EOF) */
    bool reset;       /* the server reset it */
    bool timed_out;   /* timeout_ms passed with fewer responses than requests, still open */
    bool stopped;     /* cut short by cf_fuzz_conf.stop: shows nothing (cf_fuzz_classify) */
    bool not_http;    /* bytes arrived that the parser rejects even leniently */
    int parse_error;  /* with not_http: the h1_code */
    bool head_method; /* a request is HEAD or CONNECT: response framing depends on how the
                         server read the requests, so a parse failure proves nothing */
    int strict;       /* the first rule conform's strict reading of the bytes sent breaks (the
                         cf_pending.strict of the first request with one, a h1_code); 0: every
                         request is valid, so requests is what the grammar says they hold */
    int status[CF_FUZZ_MAX_STATUSES]; /* the first statuses, in order */
    int last_status;                  /* status of the last complete response (0: none) */
    uint64_t received;                /* bytes received */
    cf_fuzz_rules rules; /* the compliance rules the complete responses broke (fuzz_rules.h) */
    const char *rule;    /* the first of them (rules.def order) the conf's rule_fresh accepts,
                            as its static id; NULL: none (a rule finding when nothing worse) */
    unsigned elapsed_ms;
} cf_fuzz_obs;

/* Fills c with defaults: 1 s connect timeout, 2 s hang timeout, 20 ms grace, 5 ms keep-alive
 * wait, run's caps. */
void cf_fuzz_conf_default(cf_fuzz_conf *c);

/* Sends data[0..len) on a new connection and observes the answer into *o (zeroed first).
 * Returns 0, or -1 when memory ran out (nothing useful in *o). */
int cf_fuzz_exchange(const cf_fuzz_conf *c, const uint8_t *data, size_t len, cf_fuzz_obs *o);

/* A token bucket shared by workers: rate tokens per second, burst of max(1, rate/10). */
typedef struct cf_fuzz_bucket {
    pthread_mutex_t mu;
    double rate, tokens, burst;
    uint64_t last_ms;
} cf_fuzz_bucket;

/* Starts a bucket at rate per second (0: unlimited). */
void cf_fuzz_bucket_init(cf_fuzz_bucket *b, double rate);

/* Takes one token, sleeping until one is there; returns false without one when *stop turns
 * true meanwhile. */
bool cf_fuzz_bucket_take(cf_fuzz_bucket *b, const volatile int *stop);

/* Releases the bucket's mutex. */
void cf_fuzz_bucket_free(cf_fuzz_bucket *b);

#endif
