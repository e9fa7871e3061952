/* conform report RESULTS.json --format FORMAT [-o PATH]: renders a run saved with
 * `conform run --report json:FILE` again, in any report format (docs/commands/report.md). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "report_formats.h"
#include "report_json_read.h"
#include "report_term.h"

typedef struct report_opts {
    const char *input;
    const cf_report_format *format;
    const char *output; /* NULL: stdout */
    bool no_color;
} report_opts;

static void report_usage(FILE *out)
{
    fprintf(out, "usage: conform report RESULTS.json [--format FORMAT] [-o PATH]\n\n"
                 "Renders a run saved with 'conform run --report json:FILE' again, in any report\n"
                 "format (docs/commands/report.md).\n\n"
                 "options:\n"
                 "  -f, --format FORMAT  ");
    cf_report_formats_list(out, ", ");
    fprintf(out, " (default: terminal)\n"
                 "  -o, --output PATH    write there instead of standard output (- is stdout)\n"
                 "      --no-color       no colours in the terminal format (also when NO_COLOR\n"
                 "                       is set, or the output is not a terminal)\n"
                 "  -h, --help           show this help\n\n"
                 "Exit status: 0 written, 2 usage error or a file that is not a readable conform\n"
                 "report (message on stderr).\n");
}

/* The value of "--opt VALUE", "--opt=VALUE" or "-o VALUE"; NULL when argv[*i] is not opt. */
static const char *value_of(int argc, char **argv, int *i, const char *lng, const char *shrt,
                            bool *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(lng);
    if (!strncmp(a, lng, n) && a[n] == '=') return a + n + 1;
    if (strcmp(a, lng) && strcmp(a, shrt)) return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

/* Parses argv; returns 0, 1 (--help printed) or -1 (message printed). */
static int parse_args(report_opts *o, int argc, char **argv)
{
    o->format = cf_report_format_find("terminal");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        if ((v = value_of(argc, argv, &i, "--format", "-f", &missing))) {
            o->format = cf_report_format_find(v);
            if (!o->format) {
                fprintf(stderr, "conform report: unknown format '%s' (formats: ", v);
                cf_report_formats_list(stderr, ", ");
                fprintf(stderr, ")\n");
                return -1;
            }
        } else if (!missing && (v = value_of(argc, argv, &i, "--output", "-o", &missing))) {
            o->output = strcmp(v, "-") ? v : NULL;
        } else if (missing) {
            fprintf(stderr, "conform report: %s needs a value\n", a);
            return -1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            report_usage(stdout);
            return 1;
        } else if (!strcmp(a, "--no-color")) {
            o->no_color = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "conform report: unknown option '%s' (try 'conform report --help')\n",
                    a);
            return -1;
        } else if (o->input) {
            fprintf(stderr, "conform report: one RESULTS.json at a time ('%s' and '%s')\n",
                    o->input, a);
            return -1;
        } else {
            o->input = a;
        }
    }
    if (!o->input) {
        fprintf(stderr, "conform report: no RESULTS.json given (try 'conform report --help')\n");
        return -1;
    }
    return 0;
}

int cf_cmd_report(int argc, char **argv)
{
    report_opts o = {0};
    int rc = parse_args(&o, argc, argv);
    if (rc != 0) return rc > 0 ? CF_EXIT_OK : CF_EXIT_USAGE;
    cf_report r;
    char err[512];
    if (cf_report_json_read_file(!strcmp(o.input, "-") ? "/dev/stdin" : o.input, &r, err,
                                 sizeof err) < 0) {
        fprintf(stderr, "conform report: %s\n", err);
        return CF_EXIT_USAGE;
    }
    FILE *fp = o.output ? fopen(o.output, "w") : stdout;
    if (!fp) {
        fprintf(stderr, "conform report: cannot write %s\n", o.output);
        cf_report_free(&r);
        return CF_EXIT_USAGE;
    }
    int w;
    if (!strcmp(o.format->name, "terminal"))
        w = cf_report_term_write(&r, fp, !o.no_color && cf_report_color_auto(fp), false);
    else
        w = o.format->fn(&r, fp);
    if (fflush(fp) != 0 || ferror(fp)) w = -1;
    if (o.output && fclose(fp) != 0) w = -1;
    cf_report_free(&r);
    if (w < 0) {
        fprintf(stderr, "conform report: writing the %s report to %s failed\n", o.format->name,
                o.output ? o.output : "standard output");
        return CF_EXIT_USAGE;
    }
    return CF_EXIT_OK;
}
