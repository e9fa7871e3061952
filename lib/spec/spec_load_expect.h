/* Internal to the spec loader: reads an 'expect' or 'premise' mapping into a cf_expect. */
#ifndef CF_SPEC_LOAD_EXPECT_H
#define CF_SPEC_LOAD_EXPECT_H

#include "spec_model.h"
#include "spec_yaml.h"

/* Reads a step's 'expect' mapping into *e (zeroed by the caller); false after errors. */
bool cf_load_expect(cf_yctx *ctx, yaml_node_t *node, cf_expect *e);

/* Reads a step's 'premise' mapping (the keys of 'expect' but time_limit_ms and complies) into *e
 * (zeroed by the caller); false after errors. */
bool cf_load_premise(cf_yctx *ctx, yaml_node_t *node, cf_expect *e);

#endif
