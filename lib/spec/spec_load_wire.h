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

/* An expectation string ('equals', 'contains'): Latin-1 bytes with the placeholders of request
 * bytes (the captures of earlier steps; one of the same step is an error saying so). A value
 * without placeholders (once {{env.NAME}} is read) goes to *out, *len as cf_load_plain_bytes
 * gives it; one with placeholders gets *tmpl (owned by the caller) to render when judged, and
 * *out holds the text as written. */
bool cf_load_expect_bytes(cf_yctx *ctx, yaml_node_t *node, const char *what, uint8_t **out,
                          size_t *len, cf_tbytes **tmpl);

#endif
