/* A budget for YAML read from others (baselines, profiles), checked on libyaml's event stream
 * before a document is built: a document costs ~100 bytes a node, and libyaml's scanner takes
 * time that grows with the square of the flow depth (100,000 '[' took 28 s). */
#ifndef CF_SPEC_YAML_BUDGET_H
#define CF_SPEC_YAML_BUDGET_H

#include <stddef.h>

/* The phrases cf_yaml_over_budget returns, to tell which budget was exceeded. */
extern const char cf_yaml_too_deep[]; /* "nested deeper than its budget of lists and mappings" */
extern const char cf_yaml_too_many[]; /* "more nodes than its budget" */

/* Streams text[0..len) and stops at the first node past max_depth nested collections or
 * max_nodes nodes (scalars, aliases, collections). Returns NULL when within budget, or when the
 * text has a syntax error (the load that follows reports it); else cf_yaml_too_deep,
 * cf_yaml_too_many or "out of memory", with *line, *column (1-based) of the node. Owns nothing. */
const char *cf_yaml_over_budget(const char *text, size_t len, size_t max_depth, size_t max_nodes,
                                size_t *line, size_t *column);

#endif
