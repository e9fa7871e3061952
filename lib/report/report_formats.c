/* The registry of report formats and --report FORMAT[:PATH] (report_formats.h). */
#include "report_formats.h"

#include <string.h>

#include "report_html.h"
#include "report_term.h"

static const cf_report_format formats[] = {
    {"terminal", cf_report_term, "the terminal output: case lines, totals and summaries", NULL},
    {"json", cf_report_json, "everything, versioned (docs/report-json.md); conform report reads it",
     NULL},
    {"junit", cf_report_junit, "JUnit XML: one testsuite per RFC section (Jenkins, GitLab)", NULL},
    {"tap", cf_report_tap, "TAP version 14, YAML diagnostics for what did not pass", NULL},
    {"markdown", cf_report_markdown, "Markdown: summaries and details (pull requests, wikis)",
     NULL},
    {"html", cf_report_html, "one self-contained HTML page with hexdumps", NULL},
    {"sarif", cf_report_sarif, "SARIF 2.1.0: failures with their spec file:line (code scanning)",
     &cf_report_sarif_ops},
    {"github", cf_report_github,
     "GitHub Actions workflow commands: ::error/::warning annotations at the spec file:line",
     &cf_report_github_ops},
    {"markdown-failures", cf_report_markdown_failures,
     "Markdown of the failures only, under 65,536 characters (pull-request comment, job summary)",
     &cf_report_mdfail_ops},
};

#define NFORMATS (sizeof formats / sizeof formats[0])

const cf_report_format *cf_report_format_find(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (!strcmp(formats[i].name, name)) return &formats[i];
    return NULL;
}

size_t cf_report_formats_count(void)
{
    return NFORMATS;
}

const cf_report_format *cf_report_format_at(size_t i)
{
    return i < NFORMATS ? &formats[i] : NULL;
}

void cf_report_formats_list(FILE *out, const char *sep)
{
    for (size_t i = 0; i < NFORMATS; i++)
        fprintf(out, "%s%s", i ? sep : "", formats[i].name);
}

int cf_report_dest_parse(const char *arg, cf_report_dest *out, char *err, size_t errlen)
{
    const char *colon = strchr(arg, ':');
    size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
    char name[32];
    out->format = NULL;
    out->path = NULL;
    if (n < sizeof name) {
        memcpy(name, arg, n);
        name[n] = 0;
        out->format = cf_report_format_find(name);
    }
    if (!out->format) {
        int k = snprintf(err, errlen, "unknown report format '%.*s' (formats:", (int)n, arg);
        for (size_t i = 0; i < NFORMATS && k >= 0 && (size_t)k < errlen; i++)
            k += snprintf(err + k, errlen - (size_t)k, " %s", formats[i].name);
        if (k >= 0 && (size_t)k < errlen) snprintf(err + k, errlen - (size_t)k, ")");
        return -1;
    }
    if (colon && colon[1] == 0) {
        snprintf(err, errlen, "empty PATH in '%s' (use FORMAT or FORMAT:- for stdout)", arg);
        return -1;
    }
    if (colon && strcmp(colon + 1, "-")) out->path = colon + 1;
    return 0;
}

int cf_report_stream_whole(const cf_report_stream_ops *ops, const cf_report *r, FILE *out)
{
    void *s = ops->open(r->rules, r->strict);
    if (!s) return -1;
    int rc = 0;
    for (size_t t = 0; t < r->ntargets && rc == 0; t++)
        for (size_t i = 0; i < r->targets[t].ncases && rc == 0; i++)
            rc = ops->add(s, t, r->ntargets > 1 ? r->targets[t].name : NULL,
                          &r->targets[t].cases[i]);
    if (rc == 0) rc = ops->finish(s, r, out);
    ops->close(s);
    return rc;
}
