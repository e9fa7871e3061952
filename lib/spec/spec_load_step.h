/* Internal to the spec loader: reads one step of a case. */
#ifndef CF_SPEC_LOAD_STEP_H
#define CF_SPEC_LOAD_STEP_H

#include "spec_model.h"
#include "spec_yaml.h"

/* Reads a step mapping into *s (zeroed by the caller); false after errors. */
bool cf_load_step(cf_yctx *ctx, yaml_node_t *node, cf_step *s);

#endif
