/* conform fuzz: findings as spec cases. A finding (kind + minimized bytes) becomes one YAML
 * spec file under the findings directory, named KIND-HASH.yaml, holding one case
 * "finding-KIND-HASH" whose expectation fails on the server that showed the bug and holds on a
 * correct one; the text is loaded back with the spec loader (and its step rendered and compared
 * with the bytes) before it is written. Findings are deduplicated by kind + a normalized
 * signature (the sorted, lower-cased field names of the bytes); a rule finding by its rule alone
 * (one finding per compliance rule per run, at most the 68 of rules.def). */
#ifndef CF_FUZZ_FINDING_H
#define CF_FUZZ_FINDING_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_detect.h"
#include "spec_bytes.h"

/* One finding, ready to be written. Nothing is owned. */
typedef struct cf_finding {
    cf_fuzz_kind kind;
    const uint8_t *bytes; /* minimized input */
    size_t len;
    const char *origin;     /* id of the spec case whose step was mutated, or NULL */
    unsigned ops;           /* bit (1u << cf_mut_op) per operator used */
    uint64_t seed;          /* --seed of the run */
    unsigned worker;        /* worker index (its stream) */
    uint64_t iteration;     /* the worker's request number */
    const char *detail;     /* what was observed, one line, or NULL */
    unsigned time_limit_ms; /* the case's time_limit_ms */
    const char *rule_id;    /* CF_FK_RULE: the id of the rule broken (rules.def) */
    int response_error;     /* CF_FK_BAD_RESPONSE: the response parser's code (0: unknown) */
    int strict;             /* CF_FK_LENIENT: the rule the strict reading broke (a h1_code) */
    const char *log;        /* --exec: the server log's excerpt (comment lines), or NULL */
} cf_finding;

/* Writes the normalized signature of f into out: "KIND|name,name,..." (field names of the
 * bytes, lower-cased, sorted, without repeats); for CF_FK_RULE "rule|RULE-ID"; for
 * CF_FK_BAD_RESPONSE with a known response_error "bad-response|CODE" (the parser's code name). */
void cf_finding_signature(const cf_finding *f, char *out, size_t cap);

/* 32-bit FNV-1a of s, as 8 lower-case hex digits into hex[9]. */
void cf_finding_hash(const char *s, char hex[9]);

/* Appends the YAML spec text of f to out, with case id finding-KIND-HEX. Occurrences of
 * authority (e.g. "127.0.0.1:8080") in the bytes are written as {{authority}}; every other
 * byte literally ({literal: "..."} pieces with escapes). A rule finding's case takes the rule's
 * RFC, section and level and expects "complies: [RULE-ID]". 0, or -1 (memory, or a rule finding
 * whose rule_id is not a rule of rules.def). */
int cf_finding_yaml(const cf_finding *f, const char *hex, const char *authority, cf_buf *out);

/* Loads yaml[0..n) with the spec loader and checks its one step renders for host:port to
 * exactly bytes[0..len). 0, or -1 with a message in err. */
int cf_finding_validate(const char *yaml, size_t n, const uint8_t *bytes, size_t len,
                        const char *host, const char *port, char *err, size_t errlen);

/* The findings of a run: directory and the signatures already saved. Thread-safe. */
typedef struct cf_findings {
    pthread_mutex_t mu;
    char dir[1024];
    char **sigs; /* signatures claimed (owned) */
    size_t nsigs, cap;
    char **paths; /* files written (owned) */
    size_t npaths, paths_cap;
} cf_findings;

/* Creates dir (and its parents) when missing and prepares fs. 0, or -1 with err. */
int cf_findings_open(cf_findings *fs, const char *dir, char *err, size_t errlen);

/* True when sig was not seen yet (and records it); false for a repeat (or out of memory). */
bool cf_findings_claim(cf_findings *fs, const char *sig);

/* True when sig was claimed already (records nothing). */
bool cf_findings_known(cf_findings *fs, const char *sig);

/* Writes f as DIR/KIND-HASH.yaml after validating it (host and port: the target, for
 * {{authority}}), whole or not at all (util_atomic.h). Returns 1 written (path in path[cap]),
 * 0 when that file holds a finding already (of an earlier run: it loads as one case of one
 * step), 2 written over a file there that did not load (cut short by an older conform, or
 * edited), -1 with err. */
int cf_findings_save(cf_findings *fs, const cf_finding *f, const char *host, const char *port,
                     char *path, size_t cap, char *err, size_t errlen);

/* Frees what fs owns. */
void cf_findings_close(cf_findings *fs);

#endif
