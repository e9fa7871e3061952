/* Internal to the spec loader: reads the values that become wire bytes ('raw', 'lines', piece
 * lists, structured requests) into cf_tbytes / cf_request. */
#ifndef CF_SPEC_LOAD_WIRE_H
#define CF_SPEC_LOAD_WIRE_H

#include "spec_model.h"
#include "spec_yaml.h"

/* A bytes value: a string, or a list of pieces (docs/spec-format.md "Bytes"). Appends to out. */
bool cf_load_bytes(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out);

/* A 'lines' list: each item (a string or a piece list) followed by CRLF. Appends to out. */
bool cf_load_lines(cf_yctx *ctx, yaml_node_t *node, const char *what, cf_tbytes *out);

/* A 'request' mapping into *req (zeroed by the caller). */
bool cf_load_request(cf_yctx *ctx, yaml_node_t *node, cf_request *req);

/* A string read as Latin-1 bytes without placeholders (expectation values). */
bool cf_load_plain_bytes(cf_yctx *ctx, yaml_node_t *node, const char *what, uint8_t **out,
                         size_t *len);

#endif
