/* Internal to the spec loader: reads an 'expect' or 'premise' mapping into a cf_expect. */
#ifndef CF_SPEC_LOAD_EXPECT_H
#define CF_SPEC_LOAD_EXPECT_H

#include "spec_model.h"
#include "spec_yaml.h"

/* Compiles a pattern (read as Latin-1 bytes, like every other string) with PCRE2, once per
 * distinct pattern in the file: *re is borrowed from the file's cache; *pattern is a copy of the
 * text as written (owned by the caller). false and an error otherwise. */
bool cf_load_regex(cf_yctx *ctx, yaml_node_t *node, const char *what, pcre2_code **re,
                   char **pattern);

/* Reads a step's 'expect' mapping into *e (zeroed by the caller); false after errors. */
bool cf_load_expect(cf_yctx *ctx, yaml_node_t *node, cf_expect *e);

/* Reads a step's 'premise' mapping (the keys of 'expect' but time_limit_ms and complies) into *e
 * (zeroed by the caller); false after errors. */
bool cf_load_premise(cf_yctx *ctx, yaml_node_t *node, cf_expect *e);

#endif
