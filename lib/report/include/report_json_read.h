/* Reading a JSON report (docs/report-json.md) back into the report model, with jansson: syntax
 * errors say file:line:column, schema errors say where in the document (targets[0].cases[3].
 * verdict) and what was expected; a schema_version newer than this build reads is refused. */
#ifndef CF_REPORT_JSON_READ_H
#define CF_REPORT_JSON_READ_H

#include <stddef.h>

#include "report_model.h"

/* Budgets of a JSON report (or baseline) read back, checked on the text before jansson builds
 * anything, so memory stays about 3x the text whatever it holds (docs/limits.md). */
#define CF_REPORT_JSON_MAX_FILE   (256u << 20) /* bytes of a JSON report read back */
#define CF_REPORT_JSON_MAX_DEPTH  64           /* nested arrays and objects (a report uses 9) */
#define CF_REPORT_JSON_MAX_STRING (64u << 20)  /* bytes of one string as written */
#define CF_REPORT_JSON_MAX_VALUES (4u << 20)   /* values and members (a grid of 17 servers: 45k) */

/* Reads the JSON report in file path (a regular file of at most CF_REPORT_JSON_MAX_FILE bytes;
 * "-" is standard input, a pipe too)
 * into *out (zeroed first; free with cf_report_free). Text over a CF_REPORT_JSON_MAX_* budget is
 * refused with file:line:column before it is parsed.
 * Returns 0, or -1 with a one-line message in err (capacity errlen) and *out empty. */
int cf_report_json_read_file(const char *path, cf_report *out, char *err, size_t errlen);

/* The same from text[0..len); name stands for the file in messages. */
int cf_report_json_read_text(const char *text, size_t len, const char *name, cf_report *out,
                             char *err, size_t errlen);

#endif
