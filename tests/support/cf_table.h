/* Table-driven parser tests: one row is one message and what the RFC says must come of it.
 * Every row is replayed whole, byte by byte and split at every offset (cf_replay.h), under each
 * SIMD build of the parser this CPU runs (scalar, SSE2, SSSE3, AVX2); the
 * whole-input outcome is then checked against the row. */
#ifndef CF_TABLE_H
#define CF_TABLE_H

#include <stddef.h>

#include "h1_parser.h"
#include "cf_replay.h"

/* One case. Unset fields are not checked; a row without .code expects H1_DONE. */
typedef struct cf_row {
    const char *in; /* message bytes (use IN("...") so embedded NULs count) */
    size_t len;
    h1_kind kind;       /* H1_REQUEST unless set */
    unsigned lenient;   /* H1_LENIENT_* bits */
    const char *req;    /* responses: method of the request answered */
    const char *limits; /* "start=N head=N fields=N ext=N trailer=N empty=N hdrcap=N trlcap=N
                           vcap=N notrl novio" */
    /* outcome */
    h1_code code;  /* expected error (H1_V_NONE: no error) */
    h1_code alt;   /* another error code the RFC text allows equally (ambiguous input) */
    int any_error; /* any H1_ERROR will do (the RFC names no rule to blame) */
    int again;     /* input is cut short: H1_AGAIN after h1_parse_eof */
    int has_off;   /* check the error offset lies in [off_lo, off_hi] */
    size_t off_lo, off_hi;
    const char *mark; /* check the error offset is where mark first occurs (plus mark_plus) */
    size_t mark_plus;
    const char *viol; /* recorded violations, "CODE@N CODE@N-M ..." ("" = none) */
    /* head */
    const char *method, *target, *reason;
    const char *hdrs; /* "Name: value\n" per field line, value as h1_field_value_copy gives it */
    const char *raw;  /* "Name: raw-value\n" per field line, "~" before repaired ones */
    const char *want; /* space-separated key=value: form= version= status= framing= cl= host=
                         nhdr= ntrl= consumed= head_len= nviol= */
    unsigned on, off; /* H1_MSG_* flags that must be set / clear */
    /* body */
    const char *body; /* decoded body (BODY("...") when it holds NULs) */
    size_t body_len;
    const char *trl;  /* trailers, like hdrs */
    const char *rest; /* bytes left unconsumed after the message (the next pipelined one) */
    int collapse_sp;  /* compare hdrs/trl with SP runs collapsed (obs-fold: "one or more SP") */
} cf_row;

#define IN(s)              .in = (s), .len = sizeof(s) - 1
#define ERR(c)             .code = H1_V_##c
#define AT(o)              .has_off = 1, .off_lo = (o), .off_hi = (o)
#define WITHIN(lo, hi)     .has_off = 1, .off_lo = (lo), .off_hi = (hi)
#define AT_MARK(s)         .mark = (s)
#define AT_MARK_PLUS(s, k) .mark = (s), .mark_plus = (k)
#define OR(c)              .alt = H1_V_##c
#define BODY(s)            .body = (s), .body_len = sizeof(s) - 1
#define RESP               .kind = H1_RESPONSE
#define CF_COUNT(a)        (sizeof(a) / sizeof((a)[0]))

/* Runs every row of a table (named for messages), reporting each failing row with its input;
 * returns the number of failing rows. */
size_t cf_table_run(const char *table, const cf_row *rows, size_t n);

/* Builds the replay configuration of a row (kind, lenient bits, limits string). */
cf_replay_cfg cf_row_cfg(const cf_row *row);

/* Runs cf_table_run and fails the current Criterion test if any row failed. */
#define CF_RUN_TABLE(rows)                                                                         \
    cr_assert_eq(cf_table_run(#rows, rows, CF_COUNT(rows)), 0, "rows of %s failed", #rows)

#endif
