/* The report model: everything a finished run says, self-contained (no pointers into specs or
 * parser buffers), so that every output format renders from it and `conform report RESULTS.json`
 * can rebuild it from the JSON alone. The JSON format (docs/report-json.md) is this model
 * written out, with a schema version.
 *
 * Verdicts, levels and rules are enums and indices; their names are looked up only by the
 * writers (cf_report_verdict_name...) and the JSON reader. Each byte from the wire is kept once:
 * a step keeps the bytes it received, a response is an offset and a length into them.
 *
 * Ownership: a cf_report owns all its memory; cf_report_free releases it. Strings are
 * NUL-terminated UTF-8 (bytes from the wire are kept as byte arrays with lengths). */
#ifndef CF_REPORT_MODEL_H
#define CF_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "util_buf.h"

#define CF_REPORT_SCHEMA_VERSION 4

/* A case's verdict, and its index in cf_report_target.counts and the summaries (the order of
 * cf_verdict, run_results.h). */
typedef enum cf_report_verdict {
    CF_RV_PASS,
    CF_RV_FAIL,
    CF_RV_WARN,
    CF_RV_INFO,
    CF_RV_ERROR,
    CF_RV_SKIP,
    CF_RV_XFAIL, /* marked xfail, did not hold: does not gate */
    CF_RV_XPASS, /* marked xfail, held: gates like FAIL */
    CF_RV__COUNT
} cf_report_verdict;

/* A requirement level, and its index in the summaries (the order of cf_level, spec_model.h). */
typedef enum cf_report_level { CF_RL_MUST, CF_RL_SHOULD, CF_RL_MAY, CF_RL__COUNT } cf_report_level;

/* A compliance rule finding on one response (lib/rules/include/rules.h). */
typedef struct cf_report_finding {
    int rule;              /* cf_rule_index (rules.def); -1: a rule this build does not know */
    cf_report_level level; /* the rule's level */
    char *rule_id;         /* with rule -1 only: the id as read from a JSON report, else NULL */
    char *section;         /* with rule -1 only: the section as read, else NULL */
    char *message;         /* what was found, one line */
} cf_report_finding;

/* One response observed during a step. Its bytes are not copied: they are
 * steps[step].received[raw_offset..raw_offset + raw_len), as far as the step kept them
 * (cf_report_response_bytes). */
typedef struct cf_report_response {
    int status; /* 0 when none could be parsed */
    char *reason;
    size_t step;         /* index of the step during which it was read */
    bool complete;       /* the whole message arrived (rules check complete ones only) */
    char *method;        /* the method of the request it answers; "" when unknown */
    int request_version; /* that request's version: 10 or 11 */
    size_t raw_offset;   /* where it starts in the step's received bytes (even past the cap) */
    size_t raw_len;      /* its length as received (even past the cap) */
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
    char *skip;    /* NULL, or why the step could not be judged (the case is SKIP) */
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
    cf_report_level level;
    char *requirement; /* the RFC's own sentence(s) */
    char *note;        /* the case's reading of it, or NULL */
    char *xfail;       /* the spec marks it 'xfail': why (XFAIL or XPASS), or NULL */
    char **tags;
    size_t ntags;
    char *file;        /* the spec file holding the case, as given */
    unsigned line;     /* where the case starts in it, 1-based; 0 when unknown (older JSON) */
    char *category;    /* the spec file's name without extension, else the first tag */
    size_t spec_steps; /* steps in the spec (nsteps may be fewer: a failure ends it) */
    cf_report_verdict verdict;
    char *error; /* with ERROR */
    char *skip;  /* with SKIP: why the case was not exercised */
    char *repro; /* one shell line replaying the bytes sent (bash /dev/tcp) */
    char *rerun; /* the conform command running the case again with --show */
    cf_report_step *steps;
    size_t nsteps;
    cf_report_response *responses; /* at most CF_REPORT_MAX_RESPONSES, see report_build.h */
    size_t nresponses;
    size_t responses_omitted; /* responses read but not recorded (past the cap, no new rule) */
    unsigned elapsed_ms;
    bool packed; /* compact, with id, section, category, xfail, error, skip and the responses
                    in its target's pool (cf_report_case_compact), not owned by the case */
} cf_report_case;

/* What compact cases keep, packed (report_pool.h); owned by a target. */
typedef struct cf_report_pool cf_report_pool;

/* The results against one target. */
typedef struct cf_report_target {
    char *name;            /* as given: "127.0.0.1:8080", "builtin" */
    cf_report_case *cases; /* in spec order */
    size_t ncases;
    size_t counts[CF_RV__COUNT]; /* per verdict */
    unsigned elapsed_ms;
    cf_report_pool *pool; /* the packed data of its compact cases; NULL: none */
} cf_report_target;

/* One difference of the version differential (conform run --versions 1.1,2): step `step` of
 * case case_id got a different status (what "status") or representation metadata (what a field
 * name) over HTTP/1.1 (target http11) and over HTTP/2 (target http2). Values NULL: absent. */
typedef struct cf_report_vdiff {
    size_t http11, http2; /* target indexes */
    char *case_id;
    size_t step; /* 0-based */
    char *what;
    char *v11, *v2;
} cf_report_vdiff;

/* A whole run. */
typedef struct cf_report {
    int schema_version; /* CF_REPORT_SCHEMA_VERSION */
    char *conform_version;
    char *started_at; /* RFC 3339 UTC */
    char **spec_paths;
    size_t nspec_paths;
    bool strict;
    bool interrupted;          /* stopped (SIGINT, SIGTERM) before every case ran */
    cf_rules_mode rules;       /* --rules: whether rule findings gate (CF_RULES_GATE: the default,
                                  also for a JSON report that does not say) */
    cf_report_target *targets; /* one per --target, in order */
    size_t ntargets;
    bool versions;           /* the run compared HTTP/1.1 and HTTP/2 (the differential below
                                was computed, even when it is empty) */
    cf_report_vdiff *vdiffs; /* the version differential, in target, case and step order */
    size_t nvdiffs;
    size_t vdiff_cases; /* cases with a step answered over both versions */
} cf_report;

/* Appends a difference to r->vdiffs (the strings are copied; NULL stays NULL). Returns 0, or -1
 * when memory ran out. */
int cf_report_vdiff_add(cf_report *r, const cf_report_vdiff *d);

/* Frees everything r owns and zeroes it. */
void cf_report_free(cf_report *r);

/* Frees everything one case owns and zeroes it. */
void cf_report_case_free(cf_report_case *c);

/* Makes a case compact once every report that renders it whole has had it: keeps what the
 * end-of-run summaries (report_summary.h) and the gate (--fail-on, --baseline) read: id, rfc,
 * section, level, category, spec_steps, verdict, xfail, error, skip, elapsed_ms, and each
 * response's status and its findings' rules. With for_grid it also keeps what the
 * case-by-target grid (report_grid.h and the HTML grid) reads: the title, the requirement and,
 * for a case that did not pass, each step's checked, pass, failed and actual. Frees the rest
 * (tags, file, repro, rerun, the steps' bytes, notes and expectations, the responses' reasons,
 * methods and finding messages) and sets it to NULL/0. With pool (the case's target's, made on
 * first use) what it keeps of its own moves there, packed, with sections and categories shared
 * (a compact case then costs about 300 bytes, its struct included); without, or when memory
 * runs out, it stays where it is. */
void cf_report_case_compact(cf_report_case *c, bool for_grid, cf_report_pool **pool);

/* Frees everything one target owns (its cases too) and zeroes it. */
void cf_report_target_free(cf_report_target *t);

/* "PASS"... for a CF_RV_* index; "MUST"... for a CF_RL_* index ("?" out of range). For the
 * writers and the JSON reader. */
const char *cf_report_verdict_name(int index);
const char *cf_report_level_name(int index);

/* The level of rule index rule of rules.def (CF_RL_MUST for an index out of range). */
cf_report_level cf_report_rule_level(int rule);

/* Where a case's requirement is, into buf: "RFC 9110 §13.1.2", "RFC 9110" without a section, or
 * "(no RFC section)" for a case of a user's own spec that names none (docs/spec-format.md). */
const char *cf_report_ref(char *buf, size_t n, unsigned rfc, const char *section);

/* Appends "N passed, N failed, N warnings, N info, N errors, N skipped" and, when a case was
 * marked xfail, ", N xfailed, N xpassed" (counts per CF_RV_*). */
void cf_report_counts_text(cf_buf *t, const size_t *counts);

/* True when counts (per CF_RV_*) hold a case marked xfail: the summaries then show XFAIL and
 * XPASS too. */
bool cf_report_has_marked(const size_t *counts);

/* What a case's 'xfail' marker means for its verdict, into buf: "expected to fail (xfail):
 * REASON" for XFAIL, "marked xfail (REASON) but it passed: remove the marker" for XPASS; NULL for
 * every other verdict. */
const char *cf_report_xfail_text(const cf_report_case *c, char *buf, size_t n);

/* A finding's rule id and section: the rules table's, or those read with an unknown rule. */
const char *cf_report_finding_id(const cf_report_finding *f);
const char *cf_report_finding_section(const cf_report_finding *f);

/* The bytes of response r of case c that its step kept: a pointer into the step's received
 * bytes and their number in *len (fewer than r->raw_len when the step's bytes were capped, 0
 * and NULL when the response lies past them or its step is missing). */
const uint8_t *cf_report_response_bytes(const cf_report_case *c, const cf_report_response *r,
                                        size_t *len);

/* A malloc'd copy of s (NULL stays NULL; *oom set when the copy failed). */
char *cf_report_strdup(const char *s, bool *oom);

#endif
