/* A hand-made report model for the report format tests: five cases of every verdict over three
 * RFC sections and two categories, bytes with NUL and 0xFF, text that needs escaping in every
 * format, and rule findings (date-missing twice in two cases, server-header once). */
#ifndef CF_REPORT_FIXTURE_H
#define CF_REPORT_FIXTURE_H

#include <stddef.h>

#include "report_model.h"

/* Fills *r (free with cf_report_free). Aborts the test on allocation failure. */
void cf_fixture_report(cf_report *r);

/* The fixture's target twice, with an unreachable one (a name, no cases) between them, as when
 * several targets are compared. */
void cf_fixture_report_three_targets(cf_report *r);

/* cf_fixture_report when ntargets is 1, else cf_fixture_report_three_targets: the two shapes the
 * streamed-versus-whole tests of each format compare. */
void cf_fixture_report_targets(cf_report *r, int ntargets);

/* The number of occurrences of needle in hay. */
size_t cf_fixture_count(const char *hay, const char *needle);

/* Report r rendered in the format named format (report_formats.h), as a malloc'd string; fails
 * the test when the format is unknown or rendering fails. */
char *cf_fixture_render(const char *format, const cf_report *r);

#endif
