/* Small helpers the text report formats share: seconds from milliseconds, a case's details as
 * plain text. UTF-8 checking is util_utf8.h. */
#ifndef CF_REPORT_TEXT_H
#define CF_REPORT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report_model.h"
#include "util_buf.h"

#include "util_utf8.h"

/* Appends the details of case c as plain text, each line ending in '\n': the requirement
 * ("RFC N §S (LEVEL): ..."), the error, the first step that did not hold (expected, actual, the
 * checks that failed), the steps' notes, the rerun and reproduce lines. What JUnit's <failure>,
 * GitHub's annotations and SARIF's messages say. */
void cf_report_case_text(cf_buf *t, const cf_report_case *c);

/* The step of c that did not hold first (its index in *index), or NULL. */
const cf_report_step *cf_report_failed_step(const cf_report_case *c, size_t *index);

/* Writes ms as seconds with three decimals ("1.234"). */
void cf_report_put_seconds(FILE *out, uint64_t ms);

#endif
