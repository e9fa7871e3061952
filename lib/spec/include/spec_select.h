/* Choosing which cases run: --id, --tag, --rfc and --level filters (docs/spec-format.md
 * "Selecting cases"). Values of one kind are alternatives (OR); kinds combine with AND; a kind
 * with no value selects everything. --exclude-tag then drops every case carrying one of its
 * tags. */
#ifndef CF_SPEC_SELECT_H
#define CF_SPEC_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "spec_model.h"

/* One --rfc value: RFC number and optional section prefix ("" = the whole RFC). */
typedef struct cf_rfc_filter {
    unsigned rfc;
    char section[33];
} cf_rfc_filter;

/* A selection; owns its strings. Zero-initialise or cf_select_init. */
typedef struct cf_select {
    char **ids; /* id prefixes, or fnmatch(3) globs when they hold * ? or [ */
    size_t nids;
    char **tags; /* exact tags */
    size_t ntags;
    char **xtags; /* --exclude-tag: exact tags that drop a case */
    size_t nxtags;
    cf_rfc_filter *rfcs;
    size_t nrfcs;
    unsigned levels; /* bit (1u << cf_level) per accepted level; 0 = any */
    char **only;     /* with only_set: exactly these ids (sorted), e.g. --last-failed's */
    size_t nonly;
    bool only_set;
    unsigned shard, nshards; /* --shard I/N: the cases of shard I (1-based) of N; 0/0: all */
} cf_select;

/* Makes an empty selection (matches every case). */
void cf_select_init(cf_select *sel);

/* Adds --id values: comma-separated prefixes or globs. 0, or -1 (empty value / memory). */
int cf_select_add_id(cf_select *sel, const char *value);

/* Adds --tag values: comma-separated tags. 0, or -1 (empty value / memory). */
int cf_select_add_tag(cf_select *sel, const char *value);

/* Adds --exclude-tag values: comma-separated tags. 0, or -1 (empty value / memory). */
int cf_select_add_exclude_tag(cf_select *sel, const char *value);

/* Adds --rfc values: comma-separated "9112", "RFC 9112", "9112 §6", "9112:6.1" or "9112/6.1";
 * a section matches itself and its subsections ("6" matches 6, 6.1, 6.3.2; not 60).
 * 0, or -1 when a value has another form. */
int cf_select_add_rfc(cf_select *sel, const char *value);

/* Adds --level values: comma-separated MUST, SHOULD, MAY (any case). 0, or -1 otherwise. */
int cf_select_add_level(cf_select *sel, const char *value);

/* Sets --shard "I/N" (1 <= I <= N <= CF_SELECT_MAX_SHARDS): only the cases whose id falls in
 * shard I of N (cf_select_shard_of). 0, or -1 for another form. */
#define CF_SELECT_MAX_SHARDS 10000
int cf_select_set_shard(cf_select *sel, const char *value);

/* The shard (0..n-1) of the case with id id among n: the FNV-1a hash of the id modulo n, so a
 * case stays in its shard whatever cases are added or removed, on every machine. */
unsigned cf_select_shard_of(const char *id, unsigned n);

/* Keeps only the cases whose id is one of ids[0..n) (copied; n may be 0: then no case). 0, or
 * -1 (memory). A second call replaces the first. */
int cf_select_set_only(cf_select *sel, const char *const *ids, size_t n);

/* True when the case passes every filter of the selection. */
bool cf_select_match(const cf_select *sel, const cf_case *c);

/* Collects the matching cases of a set, in load order, into a new array *out (caller frees the
 * array only; the cases stay owned by the set). Returns the count, or (size_t)-1 (memory). */
size_t cf_select_cases(const cf_select *sel, const cf_spec_set *set, const cf_case ***out);

/* Frees what the selection owns and empties it. */
void cf_select_free(cf_select *sel);

#endif
