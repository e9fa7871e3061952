/* The per-response compliance rules catalogue: every response the runner receives (final or
 * interim) is checked against each rule of lib/rules/include/rules.def, besides its case's own
 * expectations. A rule names its RFC section and level; docs/rules.md lists them all.
 *
 * Ownership: findings own their message (cf_rule_findings_free); id, section and level point into
 * the static table. Nothing here keeps state between calls. */
#ifndef CF_RULES_H
#define CF_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "exchange_step.h"

/* CF_R_<NAME> for each row of rules.def, in table order. */
typedef enum cf_rule_index {
#define CF_RULE(name, id, section, level, text) CF_R_##name,
#include "rules.def"
#undef CF_RULE
    CF_R__COUNT
} cf_rule_index;

/* What a response cannot say about itself: the request it answers and the connection around it.
 * Zero-initialise it: a false flag keeps the rules that need it silent. */
typedef struct cf_rule_ctx {
    const char *method;      /* the method of the request this response answers ("GET") */
    int request_version;     /* 10 or 11 */
    bool request_upgrade;    /* the request carried an Upgrade field */
    bool request_conn_close; /* the request carried Connection: close */
    bool data_after_close;   /* the server sent bytes after a response with Connection: close */
    bool is_last_response;   /* no other response followed on this connection */
    bool junk_after;         /* bytes followed this response that do not parse as a response */
    bool conn_ended;         /* the server closed or reset the connection after this response's
                                last byte (no more bytes came) */
} cf_rule_ctx;

/* One rule a response broke. */
typedef struct cf_rule_finding {
    const char *rule_id; /* "date-missing" (static) */
    const char *section; /* "RFC 9110 §6.6.1" (static) */
    const char *level;   /* "MUST", "SHOULD" or "MAY" (static) */
    char *message;       /* what was found, one line (owned) */
    unsigned rule;       /* its cf_rule_index */
} cf_rule_finding;

/* Checks one response against every rule; appends a finding per broken rule to *out (a
 * realloc'd array of *n entries, owned by the caller). Returns 0, or -1 on allocation failure
 * (*out and *n then hold the findings added so far). */
int cf_rules_check(const cf_rule_ctx *ctx, const cf_obs_response *resp, cf_rule_finding **out,
                   size_t *n);

/* True when the list-based field name (all its lines, RFC 9110 §5.6.1) of r has the member tok
 * (both case-insensitive), e.g. ("Connection", "close"). */
bool cf_rules_list_has(const cf_obs_response *r, const char *name, const char *tok);

/* The first field line of r named name (case-insensitive), or NULL. */
const cf_obs_field *cf_rules_field(const cf_obs_response *r, const char *name);

/* Frees the messages of n findings and the array f. */
void cf_rule_findings_free(cf_rule_finding *f, size_t n);

/* The table: number of rules, and each rule's id, section, level and one-line text (NULL for
 * an index out of range). */
size_t cf_rules_count(void);
const char *cf_rule_id(size_t i);
const char *cf_rule_section(size_t i);
const char *cf_rule_level(size_t i);
const char *cf_rule_text(size_t i);

/* What conform run does with the findings (--rules, docs/rules.md "Gating"): GATE (the default)
 * fails the run on a finding the way a failed case of the rule's level would; REPORT lists them
 * and never changes the exit status; OFF does not judge responses at all, but for the steps whose
 * expectation lists `complies:` (those still judge their case). */
typedef enum cf_rules_mode { CF_RULES_GATE, CF_RULES_REPORT, CF_RULES_OFF } cf_rules_mode;

/* Parses "gate", "report" or "off" (any case) into *out; returns 0, or -1 when s is none. */
int cf_rules_mode_parse(const char *s, cf_rules_mode *out);

/* "gate", "report" or "off". */
const char *cf_rules_mode_name(cf_rules_mode m);

/* The index of the rule whose id is id[0..len) (exact, case-sensitive), or -1 when no rule of
 * rules.def has that id. */
int cf_rule_find(const char *id, size_t len);

#endif
