/* Internal to the HTML report (report_html*.c): the escaping writer, the hexdump, the style
 * sheet, verdict and level names, and the summaries each part renders. Not for other modules:
 * use report_html.h. */
#ifndef CF_REPORT_HTML_INTERNAL_H
#define CF_REPORT_HTML_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report_model.h"
#include "report_summary.h"

#define CF_HTML_NVERDICTS 9     /* PASS FAIL WARN INFO ERROR SKIP XFAIL XPASS, anything else */
#define CF_HTML_NLEVELS   4     /* MUST SHOULD MAY, and anything else */
#define CF_HTML_HEX_CAP   16384 /* bytes of one message shown in a hexdump */

/* Where the page goes; a failed write sets err and later writes do nothing. */
typedef struct cf_html {
    FILE *fp;
    int err;
} cf_html;

/* Writes markup as it is (only ever literals of this module). */
void cf_html_raw(cf_html *h, const char *s);

/* Writes text HTML-escaped (& < > " ' as entities, so it is safe in text and in quoted
 * attributes). Well-formed UTF-8 is kept; controls other than tab and newline, DEL and bytes
 * that are not well-formed UTF-8 are shown as the text \xNN. NULL writes nothing. */
void cf_html_text(cf_html *h, const char *s);
void cf_html_text_n(cf_html *h, const char *s, size_t n);

/* Writes a number in decimal. */
void cf_html_uint(cf_html *h, uint64_t v);

/* Writes a fragment id "t<t>-<kind>-<name>" with every byte of name outside [A-Za-z0-9._-]
 * as '_': the same text serves as an id attribute and after '#' in an href. kind is a literal
 * of this module ("c" for cases, "s" for sections). */
void cf_html_anchor(cf_html *h, size_t t, const char *kind, const char *name);

/* Writes n bytes as a classic hexdump, 16 bytes a row: offset | hex | ASCII (printable ASCII
 * escaped, everything else '.'), as the content of a <pre>. Past CF_HTML_HEX_CAP bytes it
 * stops with a line saying how many were left out. */
void cf_html_hexdump(cf_html *h, const uint8_t *p, size_t n);

/* The style sheet (light and dark) that goes inside <style>, in pieces (ISO C bounds the length
 * of one string literal), NULL-terminated. */
extern const char *const cf_html_css[];

/* Index of a verdict (CF_RV_*; 5 for anything else) and of a level (CF_RL_*; 3 for anything
 * else), and their lower-case class names ("pass", "must", "other"). */
size_t cf_html_verdict_index(cf_report_verdict verdict);
size_t cf_html_level_index(cf_report_level level);
const char *cf_html_verdict_class(size_t v);
const char *cf_html_level_class(size_t l);

/* Writes a verdict badge: <span class="badge v-fail">FAIL</span>. */
void cf_html_badge(cf_html *h, cf_report_verdict verdict);

/* Writes "N ms" or "N.N s". */
void cf_html_duration(cf_html *h, unsigned ms);

/* The verdict counts of a summary into counts[CF_HTML_NVERDICTS] (the last: cases whose verdict
 * is none of the five). */
void cf_html_counts(const cf_report_summary *sum, size_t counts[CF_HTML_NVERDICTS]);

/* Writes the proportional bar of counts[CF_HTML_NVERDICTS] and the numbers, each in an
 * element with id "<prefix>-<verdict>" and data-count="<verdict>" (and "<prefix>-total").
 * prefix is a literal of this module. */
void cf_html_summary_bar(cf_html *h, const char *prefix, const size_t counts[CF_HTML_NVERDICTS]);

/* Parts of the page, one per file; t is the index of the target in the report, sum its
 * summaries (report_summary.h). An allocation failure sets h->err like a failed write. */
/* report_html_sections.c: per RFC section (report_summary.c) the cases passed out of those run
 * per level and a verdict bar; then the cases of tg, one table per RFC section. */
void cf_html_overview(cf_html *h, const cf_report_summary *sum, size_t t);
/* Writes the row (and details) of case i of target t in the tables of cf_html_sections: from
 * the model (cf_html_case_row), or copied from where the stream wrote it as the case finished. */
typedef void (*cf_html_row_fn)(cf_html *h, const cf_report_target *tg, size_t t, size_t i,
                               void *ud);
void cf_html_sections(cf_html *h, const cf_report_target *tg, size_t t, cf_html_row_fn row,
                      void *ud);
/* report_html_case.c: one case's row, and when it did not pass (or has findings) its details. */
void cf_html_case_row(cf_html *h, const cf_report_case *c, size_t t);
/* report_html_summary.c: the status codes answered per case category, and the compliance
 * rules broken, in the most cases first. */
void cf_html_statuses(cf_html *h, const cf_report_summary *sum);
void cf_html_rules(cf_html *h, const cf_report_summary *sum, size_t t);
/* report_html_grid.c: the case-by-target grid (for two targets or more). */
void cf_html_grid(cf_html *h, const cf_report *r, const cf_report_summary *sums);

#endif
