/* Internal to the spec loader (spec_load*.c): typed access to libyaml document nodes, with
 * every mismatch reported as a positioned error. Not for use outside the loader. */
#ifndef CF_SPEC_YAML_H
#define CF_SPEC_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "spec_bytes.h"
#include "spec_errors.h"

#define CF_SPEC_MAX_ERRORS_PER_FILE 25
#define CF_SPEC_MAX_DEPTH           32                  /* nesting of pieces and expectations */
#define CF_SPEC_MAX_VISITS          1000000             /* nodes read, counting each alias use */
#define CF_SPEC_MAX_TAGS            32                  /* tags in one 'tags' list (file or case) */
#define CF_SPEC_MAX_SPLIT           65536               /* piece sizes in one 'split' list */
#define CF_SPEC_MAX_REPEATS         (64u * 1024 * 1024) /* copies by 'repeat', whole file */
#define CF_YAML_MAX_DEPTH           64ul                /* nesting of YAML lists and mappings */
#define CF_YAML_MAX_NODES           1000000ul /* nodes in one file, before aliases expand */

/* Loader state for one file. */
typedef struct cf_yctx {
    yaml_document_t *doc;
    const char *path;
    cf_spec_errors *errs;
    unsigned nerrors;       /* errors reported for this file */
    bool stop;              /* the per-file error cap was reached */
    size_t file_bytes;      /* bytes sent by the file's steps so far (CF_SPEC_MAX_FILE_BYTES) */
    size_t visits;          /* nodes read so far (CF_SPEC_MAX_VISITS) */
    size_t repeats;         /* copies made by 'repeat' pieces so far (CF_SPEC_MAX_REPEATS) */
    struct cf_rx_cache *rx; /* the file's compiled regexes (spec_regex.h) */
    const char **names;     /* names the earlier steps of the case being loaded capture (slot
                               i is names[i]); the array is the loader's, the names the steps' */
    size_t nnames;
    yaml_node_t *same_step; /* the 'capture' mapping of the step being loaded, or NULL: its
                               names are not yet in scope for the step's own expectations */
} cf_yctx;

/* Records an error at node's start (1-based); after CF_SPEC_MAX_ERRORS_PER_FILE sets stop. */
void cf_yerr(cf_yctx *ctx, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Counts one node read; false (one error, and stop) once aliases made the file expand past
 * CF_SPEC_MAX_VISITS nodes, so that an alias bomb cannot take exponential time. */
bool cf_yvisit(cf_yctx *ctx, const yaml_node_t *node);

/* "a string", "a list", "a mapping" or "nothing (null)": for "got ..." in messages. */
const char *cf_ykind(const yaml_node_t *node);

/* True for a plain empty, "~" or "null" scalar. */
bool cf_yis_null(const yaml_node_t *node);

/* The scalar's text (NUL-terminated) or NULL when node is not a scalar. */
const char *cf_yscalar(const yaml_node_t *node);

/* Checks node is a mapping whose keys are distinct strings from keys (NULL-terminated);
 * reports unknown keys with a did-you-mean. Returns false when node is not a mapping. */
bool cf_ymap_check(cf_yctx *ctx, yaml_node_t *node, const char *what, const char *const *keys);

/* The value of key in a mapping, or NULL. */
yaml_node_t *cf_ymap_get(cf_yctx *ctx, yaml_node_t *map, const char *key);

/* Like cf_ymap_get, but reports "missing required key" at the mapping when absent. */
yaml_node_t *cf_ymap_require(cf_yctx *ctx, yaml_node_t *map, const char *key, const char *what);

/* Number of items of a sequence, counted as nodes read (cf_yvisit); -1 (and an error "expected
 * a list for what") otherwise, or when the file's CF_SPEC_MAX_VISITS are used up. */
long cf_yseq_len(cf_yctx *ctx, yaml_node_t *node, const char *what);

/* Item i (0-based) of a sequence. */
yaml_node_t *cf_yseq_item(cf_yctx *ctx, yaml_node_t *seq, size_t i);

/* A non-null scalar as a new string (*out, malloc'd); false and an error otherwise. */
bool cf_ystr(cf_yctx *ctx, yaml_node_t *node, const char *what, char **out);

/* A plain decimal integer min..max; false and an error otherwise. */
bool cf_yuint(cf_yctx *ctx, yaml_node_t *node, const char *what, unsigned long min,
              unsigned long max, unsigned long *out);

/* true or false; false and an error otherwise. */
bool cf_ybool(cf_yctx *ctx, yaml_node_t *node, const char *what, bool *out);

/* A list of non-empty strings without spaces or commas (tags): appends to *v, *n. */
bool cf_ytags(cf_yctx *ctx, yaml_node_t *node, const char *what, char ***v, size_t *n);

/* malloc'd copy of s; NULL when out of memory. */
char *cf_ystrdup(const char *s);

/* Reads the regular file path (at most cap bytes) into a malloc'd *text (*len bytes); -1 with an
 * error on failure: "cannot open: ...", "file too large (TOO_LARGE)", "cannot read: ...". */
int cf_yread_file(const char *path, size_t cap, const char *too_large, char **text, size_t *len,
                  cf_spec_errors *errs);

/* Parses text, which must hold one YAML document (what names the kind of file in the error
 * about a second one, e.g. "spec file"), into *doc; false (and an error with libyaml's position)
 * on syntax errors, a second document, or nesting or node count past CF_YAML_MAX_DEPTH and
 * CF_YAML_MAX_NODES (checked in a streaming pass before the document is built). */
bool cf_yparse(const char *name, const char *text, size_t len, yaml_document_t *doc,
               const char *what, cf_spec_errors *errs);

#endif
