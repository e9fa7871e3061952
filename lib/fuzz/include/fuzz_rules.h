/* conform fuzz: the compliance rules (rules.h) a fuzz exchange's responses broke: the findings of
 * its exchange record, paired and judged by cf_rules_pair exactly as conform run's reports and
 * the 'complies' expectation read them, so that a rule finding saved as a case
 * (complies: [RULE]) fails on replay against the same server.
 *
 * An exchange is one step on a fresh connection: the requests are those the collector found in
 * the bytes sent (res->requests), and it is the last step. Rule ids are the static strings of
 * rules.def. */
#ifndef CF_FUZZ_RULES_H
#define CF_FUZZ_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "exchange_step.h"

/* A set of rules: bit i for the rule of index i in rules.def. Zero it for the empty set. */
typedef struct cf_fuzz_rules {
    uint64_t bits[(CF_R__COUNT + 63) / 64];
} cf_fuzz_rules;

/* Sets *out (zeroed first) to the rules the complete responses of the record res broke, pairing
 * and judging it first when nobody has (cf_rules_pair, last step). When bytes that do not parse
 * as a response arrived and a request is HEAD or CONNECT, nothing is taken (*out stays empty):
 * the response framing then depends on how the server read the requests, which conform cannot
 * know (as for bad-response). Returns 0, or -1 when memory ran out (*out then holds what was
 * found). */
int cf_fuzz_rules_check(cf_step_result *res, cf_fuzz_rules *out);

/* True when the set holds the rule with id id (NULL: false). */
bool cf_fuzz_rules_has(const cf_fuzz_rules *s, const char *id);

/* The first rule of the set in rules.def order for which fresh(id, ud) is true (fresh NULL:
 * any), as its static id; NULL when there is none. Table order is stable whatever order the
 * responses came in and however the minimizer cuts the input; fresh lets a caller skip the rules
 * it already has a finding for, so a rule every response breaks does not hide the others. */
const char *cf_fuzz_rules_first(const cf_fuzz_rules *s, bool (*fresh)(const char *id, void *ud),
                                void *ud);

/* The first rule (rules.def order) the responses of res broke, as its static id; NULL when they
 * broke none or memory ran out. cf_fuzz_rules_check then cf_fuzz_rules_first. */
const char *cf_fuzz_rule_broken(cf_step_result *res);

#endif
