/* The report model: everything a finished run says, self-contained (no pointers into specs or
 * parser buffers), so that every output format renders from it and `conform report RESULTS.json`
 * can rebuild it from the JSON alone. The JSON format (docs/report-json.md) is this model
 * written out, with a schema version.
 *
 * Ownership: a cf_report owns all its memory; cf_report_free releases it. Strings are
 * NUL-terminated UTF-8 (bytes from the wire are kept as byte arrays with lengths). */
#ifndef CF_REPORT_MODEL_H
#define CF_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_REPORT_SCHEMA_VERSION 1

/* Index of each verdict in cf_report_target.counts and the summaries. */
enum { CF_RV_PASS, CF_RV_FAIL, CF_RV_WARN, CF_RV_INFO, CF_RV_ERROR, CF_RV__COUNT };
/* Index of each requirement level in the summaries. */
enum { CF_RL_MUST, CF_RL_SHOULD, CF_RL_MAY, CF_RL__COUNT };

/* A compliance rule finding on one response (lib/rules/include/rules.h). */
typedef struct cf_report_finding {
    char *rule_id; /* e.g. "date-missing" */
    char *section; /* e.g. "RFC 9110 §6.6.1" */
    char *level;   /* "MUST", "SHOULD", "MAY" */
    char *message; /* what was found, one line */
} cf_report_finding;

/* One response observed during a step. */
typedef struct cf_report_response {
    int status; /* 0 when none could be parsed */
    char *reason;
    size_t step;         /* index of the step during which it was read */
    bool complete;       /* the whole message arrived (rules check complete ones only) */
    char *method;        /* the method of the request it answers; "" when unknown */
    int request_version; /* that request's version: 10 or 11 */
    uint8_t *raw;        /* the response bytes as received (capped), for hexdumps */
    size_t raw_len;
    cf_report_finding *findings;
    size_t nfindings;
} cf_report_response;

/* One step as it ran. */
typedef struct cf_report_step {
    bool checked;
    bool pass;
    char *expected;
    char *actual;
    char **failed;
    size_t nfailed;
    char *note;
    uint8_t *sent; /* the bytes sent (capped), for hexdumps */
    size_t sent_len;
    uint64_t sent_total; /* bytes written, even past the cap */
    uint8_t *received;   /* the bytes received during the step (capped) */
    size_t received_len;
    uint64_t received_total; /* bytes received, even past the cap */
    unsigned elapsed_ms;
} cf_report_step;

/* One case on one target. */
typedef struct cf_report_case {
    char *id;
    char *title;
    unsigned rfc;  /* 9112 */
    char *section; /* "6.1" */
    char *level;   /* "MUST", "SHOULD", "MAY" */
    char *requirement;
    char **tags;
    size_t ntags;
    char *file;        /* the spec file holding the case, as given */
    char *category;    /* the spec file's name without extension, else the first tag */
    size_t spec_steps; /* steps in the spec (nsteps may be fewer: a failure ends it) */
    char *verdict;     /* "PASS", "FAIL", "WARN", "INFO", "ERROR" */
    char *error;       /* with ERROR */
    char *repro;
    cf_report_step *steps;
    size_t nsteps;
    cf_report_response *responses;
    size_t nresponses;
    unsigned elapsed_ms;
} cf_report_case;

/* The results against one target. */
typedef struct cf_report_target {
    char *name;            /* as given: "127.0.0.1:8080", "builtin" */
    cf_report_case *cases; /* in spec order */
    size_t ncases;
    size_t counts[5]; /* per verdict, in the order PASS FAIL WARN INFO ERROR */
    unsigned elapsed_ms;
} cf_report_target;

/* A whole run. */
typedef struct cf_report {
    int schema_version; /* CF_REPORT_SCHEMA_VERSION */
    char *conform_version;
    char *started_at; /* RFC 3339 UTC */
    char **spec_paths;
    size_t nspec_paths;
    bool strict;
    cf_report_target *targets; /* one per --target, in order */
    size_t ntargets;
} cf_report;

/* Frees everything r owns and zeroes it. */
void cf_report_free(cf_report *r);

/* Frees everything one case owns and zeroes it. */
void cf_report_case_free(cf_report_case *c);

/* Frees everything one target owns (its cases too) and zeroes it. */
void cf_report_target_free(cf_report_target *t);

/* The CF_RV_* index of a verdict name ("PASS"...), or -1. */
int cf_report_verdict_index(const char *verdict);

/* The CF_RL_* index of a level name ("MUST"...), or -1. */
int cf_report_level_index(const char *level);

/* "PASS"... for a CF_RV_* index; "MUST"... for a CF_RL_* index. */
const char *cf_report_verdict_name(int index);
const char *cf_report_level_name(int index);

/* A malloc'd copy of s (NULL stays NULL; *oom set when the copy failed). */
char *cf_report_strdup(const char *s, bool *oom);

#endif
