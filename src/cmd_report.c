/* conform report RESULTS.json --format FORMAT [-o PATH]: renders a run saved with
 * `conform run --report json:FILE` again, in any report format (docs/commands/report.md). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "report_formats.h"
#include "report_merge.h"
#include "report_term.h"
#include "util_atomic.h"

#define MAX_INPUTS 64

typedef struct report_opts {
    const char *inputs[MAX_INPUTS]; /* one run's report, or a sharded run's, merged */
    size_t ninputs;
    const cf_report_format *format;
    const char *output; /* NULL: stdout */
    bool no_color;
} report_opts;

enum { OPT_FORMAT, OPT_OUTPUT, OPT_NO_COLOR, OPT_HELP };

static const cf_cli_option report_options[] = {
    {OPT_FORMAT, "format", 'f', CF_CLI_STRING, "FORMAT",
     "a report format (listed below; default: terminal)", 0, 0},
    {OPT_OUTPUT, "output", 'o', CF_CLI_STRING, "PATH",
     "write there instead of standard output (- is stdout)", 0, 0},
    {OPT_NO_COLOR, "no-color", 0, CF_CLI_FLAG, NULL,
     "no colours in the terminal format (also when NO_COLOR is set, or the output is not a "
     "terminal)",
     0, 0},
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};

static void report_formats(FILE *out)
{
    fprintf(out, "\nformats: ");
    cf_report_formats_list(out, ", ");
    fprintf(out, "\n");
}

const cf_cli_command cf_opts_report = {
    "report",
    "RESULTS.json... [--format FORMAT] [-o PATH]",
    "Renders a run saved with 'conform run --report json:FILE' again, in any report\n"
    "format (docs/commands/report.md). Several RESULTS.json (the shards of one run,\n"
    "conform run --shard I/N) are merged into the report of the whole run.",
    "Exit status: 0 written, 2 usage error or a file that is not a readable conform\n"
    "report (message on stderr).",
    report_options,
    sizeof report_options / sizeof report_options[0],
    report_formats,
};

static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    report_opts *o = ud;
    if (!opt) {
        if (o->ninputs == MAX_INPUTS) {
            fprintf(stderr, "conform report: more than %d reports to merge\n", MAX_INPUTS);
            return -1;
        }
        o->inputs[o->ninputs++] = v->text;
        return 0;
    }
    switch (opt->id) {
    case OPT_FORMAT:
        o->format = cf_report_format_find(v->text);
        if (o->format) return 0;
        fprintf(stderr, "conform report: --format: '%s' is not a format (", v->text);
        cf_report_formats_list(stderr, ", ");
        fprintf(stderr, ")\n");
        return -1;
    case OPT_OUTPUT: o->output = strcmp(v->text, "-") ? v->text : NULL; return 0;
    case OPT_NO_COLOR: o->no_color = true; return 0;
    default: return 0;
    }
}

/* Parses argv; returns 0, 1 (--help printed) or -1 (message printed). */
static int parse_args(report_opts *o, int argc, char **argv)
{
    o->format = cf_report_format_find("terminal");
    int rc = cf_cli_parse(&cf_opts_report, argc, argv, on_option, o);
    if (rc != 0) return rc;
    if (!o->ninputs) return cf_cli_usage_error(&cf_opts_report, "no RESULTS.json given");
    return 0;
}

int cf_cmd_report(int argc, char **argv)
{
    report_opts o = {0};
    int rc = parse_args(&o, argc, argv);
    if (rc != 0) return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    cf_report r;
    char err[1100];
    if (cf_report_json_read_files(o.inputs, o.ninputs, &r, err, sizeof err) < 0) {
        fprintf(stderr, "conform report: %s\n", err);
        return CF_EXIT_USAGE;
    }
    cf_atomic_file af = {0}; /* --output replaced only once the report is whole */
    if (o.output && cf_atomic_open(&af, o.output) < 0) {
        fprintf(stderr, "conform report: cannot write %s: %s\n", o.output, strerror(errno));
        cf_report_free(&r);
        return CF_EXIT_USAGE;
    }
    FILE *fp = o.output ? af.fp : stdout;
    int w;
    if (!strcmp(o.format->name, "terminal"))
        w = cf_report_term_write(&r, fp, !o.no_color && cf_report_color_auto(fp), false);
    else
        w = o.format->fn(&r, fp);
    if (!o.output && (fflush(fp) != 0 || ferror(fp))) w = -1;
    if (o.output && w == 0) w = cf_atomic_commit(&af);
    cf_atomic_abort(&af);
    cf_report_free(&r);
    if (w < 0) {
        fprintf(stderr, "conform report: writing the %s report to %s failed\n", o.format->name,
                o.output ? o.output : "standard output");
        return CF_EXIT_USAGE;
    }
    return CF_EXIT_OK;
}
