/* The report formats: each renders a whole report model (report_model.h) to a stream, and a
 * registry maps the names `--report FORMAT[:PATH]` and `conform report --format` accept to them
 * (docs/reports.md). */
#ifndef CF_REPORT_FORMATS_H
#define CF_REPORT_FORMATS_H

#include <stddef.h>
#include <stdio.h>

#include "report_model.h"

/* Renders r to out; returns 0, or -1 when memory ran out or writing failed. */
typedef int (*cf_report_format_fn)(const cf_report *r, FILE *out);

/* A format written while the run goes, through one interface (the CI formats: sarif, github,
 * markdown-failures): open makes its state (temporary files) for a run with --rules rules and
 * --strict strict, or returns NULL; add takes case c of target index target (targets in order),
 * named tname when several targets are compared (else NULL), returning 0 or -1 (sticky);
 * finish writes the whole report to out from r (whose cases may be compact) and what add kept,
 * returning 0 or -1; close frees the state. */
typedef struct cf_report_stream_ops {
    void *(*open)(cf_rules_mode rules, bool strict);
    int (*add)(void *s, size_t target, const char *tname, const cf_report_case *c);
    int (*finish)(void *s, const cf_report *r, FILE *out);
    void (*close)(void *s);
} cf_report_stream_ops;

/* One format: its name, renderer and a one-line description; stream when it is written through
 * cf_report_stream_ops (its fn then is cf_report_stream_whole over them). */
typedef struct cf_report_format {
    const char *name;
    cf_report_format_fn fn;
    const char *summary;
    const cf_report_stream_ops *stream;
} cf_report_format;

/* Renders the whole report r to out through a stream's ops: every case added in order, then
 * finish; so a report rendered from a JSON file and one written as the run went are the same
 * bytes. Returns 0, or -1. */
int cf_report_stream_whole(const cf_report_stream_ops *ops, const cf_report *r, FILE *out);

/* The CI formats (report_sarif.c, report_github.c, report_markdown.c). */
extern const cf_report_stream_ops cf_report_sarif_ops;
extern const cf_report_stream_ops cf_report_github_ops;
extern const cf_report_stream_ops cf_report_mdfail_ops;
int cf_report_sarif(const cf_report *r, FILE *out);
int cf_report_github(const cf_report *r, FILE *out);
int cf_report_markdown_failures(const cf_report *r, FILE *out);

/* The most bytes markdown-failures writes: GitHub's limit for a pull-request comment and a job
 * summary is 65,536 characters, and a character is at least one byte. */
#define CF_REPORT_MDFAIL_MAX 65000

/* The formats, each in its own file (terminal: report_term.h; html: report_html.h). */
int cf_report_json(const cf_report *r, FILE *out);     /* report_json.c */
int cf_report_junit(const cf_report *r, FILE *out);    /* report_junit.c */
int cf_report_tap(const cf_report *r, FILE *out);      /* report_tap.c */
int cf_report_markdown(const cf_report *r, FILE *out); /* report_markdown.c */

/* The JSON format written while the run goes (`conform run --report json:PATH`): each case as it
 * finishes goes to a temporary file, and finish writes the document, the same bytes as
 * cf_report_json, with the cases copied from there; so the report model need not keep the cases
 * whole (cf_report_case_compact) and memory stays flat in the number of cases. */
typedef struct cf_report_json_stream cf_report_json_stream;

/* A stream with its temporary file (tmpfile(3)); NULL when it cannot be made. */
cf_report_json_stream *cf_report_json_stream_new(void);

/* Writes case c of target index target (targets in order: 0, then 1...). Returns 0, or -1 when
 * writing failed (sticky: finish fails too). */
int cf_report_json_stream_case(cf_report_json_stream *s, size_t target, const cf_report_case *c);

/* Writes the whole report r to out: run and target members and summaries from r (whose cases
 * may be compact), the cases of each target as streamed. Returns 0, or -1. */
int cf_report_json_stream_finish(cf_report_json_stream *s, const cf_report *r, FILE *out);

/* Frees the stream and removes its temporary file. NULL is fine. */
void cf_report_json_stream_free(cf_report_json_stream *s);

/* The TAP format written while the run goes, the same way: test points to a temporary file
 * as cases finish, then the plan (the number of cases is known at the end), the test points
 * and the summary comments; the same bytes as cf_report_tap. */
typedef struct cf_report_tap_stream cf_report_tap_stream;

/* A stream with its temporary file, for a run with --rules rules and --strict strict (its rule
 * test points, report_tap.c); NULL when it cannot be made. */
cf_report_tap_stream *cf_report_tap_stream_new(cf_rules_mode rules, bool strict);

/* Writes the next test point: case c, of the target named tname when several targets are
 * compared (else NULL). Returns 0, or -1 when writing failed (sticky). */
int cf_report_tap_stream_case(cf_report_tap_stream *s, const char *tname, const cf_report_case *c);

/* Writes the whole report to out, the test points as streamed, the plan and summaries from r
 * (whose cases may be compact). Returns 0, or -1. */
int cf_report_tap_stream_finish(cf_report_tap_stream *s, const cf_report *r, FILE *out);

/* Frees the stream and removes its temporary file. NULL is fine. */
void cf_report_tap_stream_free(cf_report_tap_stream *s);

/* The JUnit format written while the run goes: each case's <testcase> to a temporary file as it
 * finishes (its place kept: 16 bytes a case), and at the end the suites per RFC section, each
 * with its counts, copying the test cases from there; the same bytes as cf_report_junit. */
typedef struct cf_report_junit_stream cf_report_junit_stream;

/* A stream with its temporary file, for a run with --rules rules and --strict strict (what its
 * rule test cases say, report_junit.c); NULL when it cannot be made. */
cf_report_junit_stream *cf_report_junit_stream_new(cf_rules_mode rules, bool strict);

/* Writes case c of target index target, named tname when several targets are compared (else
 * NULL: its classname then leaves the target out), cases of a target in order, as the report
 * will hold them. Returns 0, or -1 when writing failed (sticky). */
int cf_report_junit_stream_case(cf_report_junit_stream *s, size_t target, const char *tname,
                                const cf_report_case *c);

/* Writes the whole report to out: suites and counts from r (whose cases may be compact), the
 * test cases as streamed. Returns 0, or -1 (also when r's cases are not those streamed). */
int cf_report_junit_stream_finish(cf_report_junit_stream *s, const cf_report *r, FILE *out);

/* Frees the stream and removes its temporary file. NULL is fine. */
void cf_report_junit_stream_free(cf_report_junit_stream *s);

/* The Markdown format written while the run goes: each case's row of the table of all cases,
 * and the details of a case that did not pass, to two temporary files as it finishes; at the
 * end the document, its totals and summaries first, copying the cases from there; the same
 * bytes as cf_report_markdown. */
typedef struct cf_report_markdown_stream cf_report_markdown_stream;

/* A stream with its temporary files; NULL when they cannot be made. */
cf_report_markdown_stream *cf_report_markdown_stream_new(void);

/* Writes case c of target index target (targets in order). Returns 0, or -1 (sticky). */
int cf_report_markdown_stream_case(cf_report_markdown_stream *s, size_t target,
                                   const cf_report_case *c);

/* Writes the whole report to out: totals, summaries and grid from r (whose cases may be
 * compact, with the grid's part when several targets are compared), the cases as streamed.
 * Returns 0, or -1 (also when r's cases are not those streamed). */
int cf_report_markdown_stream_finish(cf_report_markdown_stream *s, const cf_report *r, FILE *out);

/* Frees the stream and removes its temporary files. NULL is fine. */
void cf_report_markdown_stream_free(cf_report_markdown_stream *s);

/* The HTML report written while the run goes: each case's row and details (hexdumps included)
 * to a temporary file as it finishes (its place kept: 16 bytes a case), and at the end the page,
 * its summaries and grid first, copying the rows into the tables per section; the same bytes as
 * cf_report_html. */
typedef struct cf_report_html_stream cf_report_html_stream;

/* A stream with its temporary file; NULL when it cannot be made. */
cf_report_html_stream *cf_report_html_stream_new(void);

/* Writes case c of target index target (cases of a target in order, as the report will hold
 * them). Returns 0, or -1 when writing failed (sticky). */
int cf_report_html_stream_case(cf_report_html_stream *s, size_t target, const cf_report_case *c);

/* Writes the whole page to out from r (whose cases may be compact, with the grid's part when
 * several targets are compared) and the rows as streamed. Returns 0, or -1 (also when r's
 * cases are not those streamed). */
int cf_report_html_stream_finish(cf_report_html_stream *s, const cf_report *r, FILE *out);

/* Frees the stream and removes its temporary file. NULL is fine. */
void cf_report_html_stream_free(cf_report_html_stream *s);

/* The format named name (exact), or NULL. */
const cf_report_format *cf_report_format_find(const char *name);

/* Number of formats, and the i-th (in the order help texts list them). */
size_t cf_report_formats_count(void);
const cf_report_format *cf_report_format_at(size_t i);

/* Writes the names of the formats separated by sep (for usage and error messages). */
void cf_report_formats_list(FILE *out, const char *sep);

/* One --report argument: a format and where it goes. */
typedef struct cf_report_dest {
    const cf_report_format *format;
    const char *path; /* NULL: standard output ("-" or no PATH) */
} cf_report_dest;

/* Parses "FORMAT[:PATH]" (arg must outlive *out). Returns 0, or -1 with a message in err. */
int cf_report_dest_parse(const char *arg, cf_report_dest *out, char *err, size_t errlen);

#endif
