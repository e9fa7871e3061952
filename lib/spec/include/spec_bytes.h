/* Byte strings of the spec format: wire bytes with {{host}}/{{port}}/{{authority}},
 * {{resource.NAME}} and capture ({{NAME}}) placeholders
 * (cf_tbytes), the Latin-1 reading of YAML text, repetition; rendering goes into a cf_buf.
 * docs/spec-format.md "Bytes" describes the rules these functions implement. */
#ifndef CF_SPEC_BYTES_H
#define CF_SPEC_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec_resource.h"
#include "util_buf.h"

/* Caps, so that no spec can ask for unbounded memory. */
#define CF_SPEC_MAX_STEP_BYTES (16u * 1024 * 1024) /* bytes one step sends, before substitution */
#define CF_SPEC_MAX_FILE_BYTES (64u * 1024 * 1024) /* all steps of one file together */
#define CF_SPEC_MAX_VARS       1024u               /* placeholders in one step */

/* The placeholders a spec may use; they are replaced when a step is rendered. */
typedef enum cf_var {
    CF_VAR_HOST, /* {{host}}: the target host as in a URI; IPv6 in brackets (RFC 3986 §3.2.2) */
    CF_VAR_PORT, /* {{port}}: the target port, decimal */
    CF_VAR_AUTHORITY, /* {{authority}}: host ":" port (RFC 9110 §4.2.1, RFC 3986 §3.2) */
    CF_VAR_RESOURCE,  /* {{resource.NAME}}: the path the target profile gives NAME */
    CF_VAR_CAPTURE,   /* {{NAME}}: a value an earlier step of the case captured */
} cf_var;

/* How a captured value is rewritten when it is rendered ({{NAME|weak}}, {{NAME|strong}}). */
typedef enum cf_transform {
    CF_XFORM_NONE,
    CF_XFORM_WEAK,   /* an entity-tag made weak: "W/" prepended unless there (RFC 9110 §8.8.3) */
    CF_XFORM_STRONG, /* "W/" removed from the front when there */
} cf_transform;

#define CF_SPEC_MAX_CAPTURES  64u         /* captures in one case */
#define CF_SPEC_MAX_CAPTURED  (8u * 1024) /* bytes of one captured value */
#define CF_SPEC_MAX_ENV_BYTES (8u * 1024) /* bytes of one {{env.NAME}} value */

/* One placeholder, inserted before data[offset] when rendered. */
typedef struct cf_var_ref {
    size_t offset;
    cf_var var;
    unsigned short resource; /* with CF_VAR_RESOURCE: a cf_resource */
    unsigned short code;     /* with CF_RES_STATUS: the status code, 100..599 */
    unsigned short slot;     /* with CF_VAR_CAPTURE: the capture's slot in its case */
    unsigned char transform; /* with CF_VAR_CAPTURE: a cf_transform */
} cf_var_ref;

/* What "{{NAME}}" may name while a step is loaded besides the built-in placeholders: the
 * captures of the case's earlier steps (names[i] has slot i). Not owned. */
typedef struct cf_tbytes_scope {
    const char *const *names;
    size_t nnames;
} cf_tbytes_scope;

/* A repetition kept compact: the unit data[offset..offset + unit) is written count times. */
typedef struct cf_tbytes_run {
    size_t offset;
    size_t unit;  /* > 0 */
    size_t count; /* > 1 */
} cf_tbytes_run;

/* A repeat of at least this many bytes, of a unit without placeholders or runs, is kept as a
 * run (the unit once) instead of count copies; it is expanded when rendered. So a case sending
 * 100 000 bytes of "a" costs its spec model a byte, not 100 KB. */
#define CF_TBYTES_RUN_MIN 256u

/* Wire bytes with placeholders: literal bytes in data[0..len), placeholders at offsets in
 * non-decreasing order, and runs (sorted by offset, not overlapping, no placeholder strictly
 * inside a unit) whose unit is stored once. Without runs, data[0..len) are the literal bytes
 * as sent. size is the number of literal bytes it renders to (len plus each run's extra
 * copies); the caps bound size. Owns its arrays. A zeroed struct is the empty string. */
typedef struct cf_tbytes {
    uint8_t *data;
    size_t len;
    cf_var_ref *vars;
    size_t nvars;
    cf_tbytes_run *runs;
    size_t nruns;
    size_t size;
} cf_tbytes;

/* Results of the functions below; cf_bytes_strerror names each. */
typedef enum cf_bytes_status {
    CF_BYTES_OK = 0,
    CF_BYTES_NOMEM,
    CF_BYTES_TOO_BIG,       /* would pass CF_SPEC_MAX_STEP_BYTES (or the cap given) */
    CF_BYTES_TOO_MANY_VARS, /* would pass CF_SPEC_MAX_VARS */
    CF_BYTES_CODEPOINT,     /* a character above U+00FF, which is not one byte */
    CF_BYTES_BAD_UTF8,      /* the text is not valid UTF-8 */
    CF_BYTES_BAD_TEMPLATE,  /* "{{" not followed by host, port or authority and "}}" */
    CF_BYTES_BAD_RESOURCE,  /* "{{resource." not followed by a known NAME (and :CODE) "}}" */
    CF_BYTES_NOT_CAPTURED,  /* "{{NAME}}" that no earlier step of the case captures */
    CF_BYTES_ENV_UNSET,     /* "{{env.NAME}}" for a variable the environment does not have */
    CF_BYTES_ENV_BAD,       /* "{{env." not followed by a NAME and "}}", or a value too long */
} cf_bytes_status;

/* Short English text for a status, e.g. "character above U+00FF". */
const char *cf_bytes_strerror(cf_bytes_status st);

/* Frees a cf_tbytes' arrays and zeroes it. */
void cf_tbytes_free(cf_tbytes *b);

/* Appends the UTF-8 text s[0..n) read as Latin-1: each code point U+0000..U+00FF becomes the one
 * byte of that value. With templates, "{{host}}", "{{port}}", "{{authority}}",
 * "{{resource.NAME}}" and "{{resource.status:CODE}}" become placeholders, "{{env.NAME}}" the
 * bytes of that environment variable (read now, at most CF_SPEC_MAX_ENV_BYTES), and any other
 * "{{" is an error. On error nothing is appended and *where (if not
 * NULL) receives the 0-based character index of the offending character. cap bounds b->size. */
cf_bytes_status cf_tbytes_append_text(cf_tbytes *b, const char *s, size_t n, bool templates,
                                      size_t cap, size_t *where);

/* cf_tbytes_append_text with templates, where "{{NAME}}", "{{NAME|weak}}" and "{{NAME|strong}}"
 * also name the captures of scope (CF_VAR_CAPTURE placeholders). */
cf_bytes_status cf_tbytes_append_scoped(cf_tbytes *b, const char *s, size_t n,
                                        const cf_tbytes_scope *scope, size_t cap, size_t *where);

/* True when name ([a-z_][a-z0-9_]*, not a built-in placeholder's name) may name a capture. */
bool cf_capture_name_ok(const char *name);

/* Appends n literal bytes; cap bounds b->size. */
cf_bytes_status cf_tbytes_append_raw(cf_tbytes *b, const void *p, size_t n, size_t cap);

/* Appends src (bytes, placeholders and runs); cap bounds b->size. */
cf_bytes_status cf_tbytes_append(cf_tbytes *b, const cf_tbytes *src, size_t cap);

/* Appends count copies of unit; cap bounds b->size (checked before anything is allocated). A
 * large repeat of a plain unit becomes a run (CF_TBYTES_RUN_MIN). */
cf_bytes_status cf_tbytes_repeat(cf_tbytes *b, const cf_tbytes *unit, size_t count, size_t cap);

/* Decodes UTF-8 text as Latin-1 into a new malloc'd byte array (*out, *out_len; a NUL follows
 * the bytes for convenience). No placeholders. *where as in cf_tbytes_append_text. */
cf_bytes_status cf_bytes_from_text(const char *s, size_t n, uint8_t **out, size_t *out_len,
                                   size_t *where);

/* The resources the placeholders of b name. */
cf_resource_set cf_tbytes_resources(const cf_tbytes *b);

/* The values placeholders take, made once per target by cf_spec_target_init. */
typedef struct cf_spec_target {
    char host[300];      /* {{host}} */
    char port[8];        /* {{port}} */
    char authority[310]; /* {{authority}} */
    /* {{resource.NAME}}: the target profile's path of each resource (not owned; the profile
       outlives the target), NULL when the profile does not give it */
    const char *resource[CF_RES__COUNT];
    /* {{NAME}}: the values the case's steps captured so far, by slot (not owned; set by the
       runner on its per-case copy); a slot without a value does not render */
    const struct cf_captured *captured;
    size_t ncaptured;
} cf_spec_target;

/* One captured value (bytes as received, at most CF_SPEC_MAX_CAPTURED). */
typedef struct cf_captured {
    uint8_t *data;
    size_t len;
    bool set;
} cf_captured;

/* Fills t for host (a name, an IPv4 address, or an IPv6 address with or without brackets) and
 * port (decimal 1..65535), with no resources. Returns 0, or -1 when host is empty/too long or
 * port invalid. */
int cf_spec_target_init(cf_spec_target *t, const char *host, const char *port);

/* Appends b to out with every placeholder replaced from t; returns 0, or -1 (out of memory, a
 * resource t does not give: callers check cf_case.resources first, or a capture t has no value
 * for). */
int cf_tbytes_render(const cf_tbytes *b, const cf_spec_target *t, cf_buf *out);

#endif
