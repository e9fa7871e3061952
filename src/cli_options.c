/* The option layer of conform's commands (cli_options.h): argv against a table, one syntax for
 * durations, sizes and counts, and the --help and man page text from the same table. */
#include "cli_options.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define HELP_COLUMN 27 /* where option help starts in --help */
#define HELP_WIDTH  80

/* ---- values -------------------------------------------------------------------------------- */

/* Digits only (no sign, no space), no overflow; *end is where the digits stop. */
static int leading_number(const char *s, uint64_t *v, const char **end)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0) return -1;
    errno = 0;
    char *e;
    unsigned long long x = strtoull(s, &e, 10);
    if (errno || (size_t)(e - s) != n) return -1;
    *v = x;
    *end = e;
    return 0;
}

int cf_cli_parse_count(const char *s, uint64_t *n)
{
    const char *end;
    return leading_number(s, n, &end) == 0 && !*end ? 0 : -1;
}

int cf_cli_parse_duration(const char *s, uint64_t *ms)
{
    static const struct {
        const char *unit;
        uint64_t ms;
    } units[] = {{"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
    uint64_t v;
    const char *end;
    if (leading_number(s, &v, &end) < 0) return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].unit)) continue;
        if (v > UINT64_MAX / units[i].ms) return -1;
        *ms = v * units[i].ms;
        return 0;
    }
    return -1;
}

int cf_cli_parse_size(const char *s, uint64_t *bytes)
{
    uint64_t v;
    const char *end;
    if (leading_number(s, &v, &end) < 0) return -1;
    const char *p = strchr("KkMmGg", *end);
    unsigned shift = *end && p ? 10u * (unsigned)(1 + (p - "KkMmGg") / 2) : 0;
    if (shift) end++;
    if (shift && !strcmp(end, "iB")) end += 2;
    if (*end || v > (UINT64_C(1) << 40) >> shift) return -1;
    *bytes = v << shift;
    return 0;
}

/* A duration in the largest unit that states it exactly: "500ms", "2s", "10m", "24h". */
static void format_duration(uint64_t ms, char *buf, size_t cap)
{
    if (ms && ms % 3600000 == 0)
        snprintf(buf, cap, "%lluh", (unsigned long long)(ms / 3600000));
    else if (ms && ms % 60000 == 0)
        snprintf(buf, cap, "%llum", (unsigned long long)(ms / 60000));
    else if (ms % 1000 == 0)
        snprintf(buf, cap, "%llus", (unsigned long long)(ms / 1000));
    else
        snprintf(buf, cap, "%llums", (unsigned long long)ms);
}

/* A size in the largest power of 1024 that states it exactly: "1", "64K", "16M", "1G". */
static void format_size(uint64_t b, char *buf, size_t cap)
{
    static const char suffix[] = {0, 'K', 'M', 'G', 'T'};
    unsigned k = 0;
    while (k < 4 && b && b % 1024 == 0) {
        b /= 1024;
        k++;
    }
    snprintf(buf, cap, "%llu%.1s", (unsigned long long)b, k ? &suffix[k] : "");
}

static void format_bound(const cf_cli_option *opt, uint64_t v, char *buf, size_t cap)
{
    if (opt->kind == CF_CLI_DURATION)
        format_duration(v, buf, cap);
    else if (opt->kind == CF_CLI_SIZE)
        format_size(v, buf, cap);
    else
        snprintf(buf, cap, "%llu", (unsigned long long)v);
}

/* Converts and range-checks text for opt into v. 0, or -1 (printed). */
static int convert(const cf_cli_command *cmd, const cf_cli_option *opt, const char *text,
                   cf_cli_value *v)
{
    int rc = 0;
    const char *what = NULL;
    v->text = text;
    v->num = 0;
    switch (opt->kind) {
    case CF_CLI_DURATION:
        rc = cf_cli_parse_duration(text, &v->num);
        what = "is not a duration (e.g. 500ms, 10s, 2m; a bare number is seconds)";
        break;
    case CF_CLI_SIZE:
        rc = cf_cli_parse_size(text, &v->num);
        what = "is not a size (e.g. 512, 64K, 16M: bytes, or K, M, G)";
        break;
    case CF_CLI_COUNT:
        rc = cf_cli_parse_count(text, &v->num);
        what = "is not a whole number";
        break;
    default: return 0;
    }
    if (rc < 0) return cf_cli_bad_value(cmd, opt, text, what);
    if ((opt->min || opt->max) && (v->num < opt->min || v->num > opt->max)) {
        char lo[32], hi[32], why[96];
        format_bound(opt, opt->min, lo, sizeof lo);
        format_bound(opt, opt->max, hi, sizeof hi);
        snprintf(why, sizeof why, "is out of range (%s to %s)", lo, hi);
        return cf_cli_bad_value(cmd, opt, text, why);
    }
    return 0;
}

/* ---- errors -------------------------------------------------------------------------------- */

int cf_cli_bad_value(const cf_cli_command *cmd, const cf_cli_option *opt, const char *value,
                     const char *why)
{
    fprintf(stderr, "conform %s: --%s: '%s' %s\n", cmd->name, opt->name, value, why);
    return -1;
}

int cf_cli_usage_error(const cf_cli_command *cmd, const char *message)
{
    fprintf(stderr, "conform %s: %s; see 'conform %s --help'\n", cmd->name, message, cmd->name);
    return -1;
}

int cf_cli_unexpected(const cf_cli_command *cmd, const char *arg)
{
    char msg[160];
    snprintf(msg, sizeof msg, "unexpected argument '%.100s'", arg);
    return cf_cli_usage_error(cmd, msg);
}

static int unknown_option(const cf_cli_command *cmd, const char *arg, size_t len)
{
    char msg[160];
    snprintf(msg, sizeof msg, "unknown option '%.*s'", (int)(len > 100 ? 100 : len), arg);
    return cf_cli_usage_error(cmd, msg);
}

static int missing_value(const cf_cli_command *cmd, const cf_cli_option *opt)
{
    char msg[160], form[96];
    snprintf(msg, sizeof msg, "--%s needs a value (%s)", opt->name,
             cf_cli_long_form(opt, form, sizeof form));
    return cf_cli_usage_error(cmd, msg);
}

/* ---- parsing ------------------------------------------------------------------------------- */

static bool takes_value(const cf_cli_option *opt)
{
    return opt->kind == CF_CLI_STRING || opt->kind == CF_CLI_DURATION || opt->kind == CF_CLI_SIZE ||
           opt->kind == CF_CLI_COUNT;
}

static const cf_cli_option *find_long(const cf_cli_command *cmd, const char *name, size_t len)
{
    for (size_t i = 0; i < cmd->noptions; i++)
        if (strlen(cmd->options[i].name) == len && !memcmp(cmd->options[i].name, name, len))
            return &cmd->options[i];
    return NULL;
}

static const cf_cli_option *find_short(const cf_cli_command *cmd, char c)
{
    for (size_t i = 0; i < cmd->noptions; i++)
        if (cmd->options[i].shrt == c) return &cmd->options[i];
    return NULL;
}

/* Hands opt with its text (NULL: none) to the handler. 0, 1 (help printed) or -1. */
static int take(const cf_cli_command *cmd, const cf_cli_option *opt, const char *text,
                cf_cli_handler fn, void *ud)
{
    if (opt->kind == CF_CLI_HELP) {
        cf_cli_help(cmd, stdout);
        return 1;
    }
    cf_cli_value v = {text, 0};
    if (text && convert(cmd, opt, text, &v) < 0) return -1;
    return fn(ud, opt, &v) < 0 ? -1 : 0;
}

/* argv[*i] is "--name", "--name=VALUE" or "--name VALUE". */
static int long_option(const cf_cli_command *cmd, int argc, char **argv, int *i, cf_cli_handler fn,
                       void *ud)
{
    const char *name = argv[*i] + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const cf_cli_option *opt = find_long(cmd, name, len);
    if (!opt) return unknown_option(cmd, argv[*i], len + 2);
    if (opt->kind == CF_CLI_OPTIONAL) return take(cmd, opt, eq ? eq + 1 : NULL, fn, ud);
    if (!takes_value(opt)) {
        char msg[160];
        snprintf(msg, sizeof msg, "--%s takes no value", opt->name);
        return eq ? cf_cli_usage_error(cmd, msg) : take(cmd, opt, NULL, fn, ud);
    }
    if (eq) return take(cmd, opt, eq + 1, fn, ud);
    if (*i + 1 >= argc) return missing_value(cmd, opt);
    return take(cmd, opt, argv[++*i], fn, ud);
}

/* argv[*i] is "-x", "-xVALUE", "-x VALUE" or a cluster of flags "-qv". */
static int short_options(const cf_cli_command *cmd, int argc, char **argv, int *i,
                         cf_cli_handler fn, void *ud)
{
    const char *a = argv[*i];
    for (size_t k = 1; a[k]; k++) {
        char s[3] = {'-', a[k], 0};
        const cf_cli_option *opt = find_short(cmd, a[k]);
        if (!opt) return unknown_option(cmd, s, 2);
        if (takes_value(opt)) {
            if (a[k + 1]) return take(cmd, opt, a + k + 1, fn, ud);
            if (*i + 1 >= argc) return missing_value(cmd, opt);
            return take(cmd, opt, argv[++*i], fn, ud);
        }
        int rc = take(cmd, opt, NULL, fn, ud);
        if (rc != 0) return rc;
    }
    return 0;
}

int cf_cli_parse(const cf_cli_command *cmd, int argc, char **argv, cf_cli_handler fn, void *ud)
{
    bool operands_only = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;
        if (operands_only || a[0] != '-' || !a[1]) {
            cf_cli_value v = {a, 0};
            rc = fn(ud, NULL, &v) < 0 ? -1 : 0;
        } else if (!strcmp(a, "--")) {
            operands_only = true;
            rc = 0;
        } else if (a[1] == '-') {
            rc = long_option(cmd, argc, argv, &i, fn, ud);
        } else {
            rc = short_options(cmd, argc, argv, &i, fn, ud);
        }
        if (rc != 0) return rc;
    }
    return 0;
}

/* ---- help ---------------------------------------------------------------------------------- */

const char *cf_cli_long_form(const cf_cli_option *opt, char *buf, size_t cap)
{
    if (opt->kind == CF_CLI_OPTIONAL)
        snprintf(buf, cap, "--%s[=%s]", opt->name, opt->arg);
    else if (opt->arg)
        snprintf(buf, cap, "--%s %s", opt->name, opt->arg);
    else
        snprintf(buf, cap, "--%s", opt->name);
    return buf;
}

/* Writes text word-wrapped to HELP_WIDTH, starting at column col, continuation lines indented
 * by indent. */
static void put_wrapped(FILE *out, const char *text, int col, int indent)
{
    bool first = true;
    while (*text) {
        int word = (int)strcspn(text, " ");
        if (!first && col + 1 + word > HELP_WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", word, text);
        col += word;
        text += word;
        text += strspn(text, " ");
        first = false;
    }
    fputc('\n', out);
}

static void help_option(const cf_cli_option *opt, FILE *out)
{
    char form[96];
    cf_cli_long_form(opt, form, sizeof form);
    int col =
        opt->shrt ? fprintf(out, "  -%c, %s", opt->shrt, form) : fprintf(out, "      %s", form);
    if (col + 2 > HELP_COLUMN) {
        fprintf(out, "\n%*s", HELP_COLUMN, "");
    } else {
        fprintf(out, "%*s", HELP_COLUMN - col, "");
    }
    put_wrapped(out, opt->help, HELP_COLUMN, HELP_COLUMN);
}

/* Which value kinds the table uses: bit 1 durations, bit 2 sizes. */
static unsigned kinds_used(const cf_cli_command *cmd)
{
    unsigned k = 0;
    for (size_t i = 0; i < cmd->noptions; i++) {
        if (cmd->options[i].kind == CF_CLI_DURATION) k |= 1;
        if (cmd->options[i].kind == CF_CLI_SIZE) k |= 2;
    }
    return k;
}

static const char units_duration[] =
    "A duration (T) is a whole number with ms, s, m or h (500ms, 10s, 2m, 8h); a bare number "
    "is seconds.";
static const char units_size[] =
    "A size is bytes, or a whole number with K, M or G (powers of 1024; 64K, 16M; k, KiB... "
    "too).";

void cf_cli_help(const cf_cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: conform %s %s\n\n%s\n\noptions:\n", cmd->name, cmd->synopsis, cmd->about);
    for (size_t i = 0; i < cmd->noptions; i++)
        help_option(&cmd->options[i], out);
    unsigned k = kinds_used(cmd);
    if (k) fputc('\n', out);
    if (k & 1) put_wrapped(out, units_duration, 0, 0);
    if (k & 2) put_wrapped(out, units_size, 0, 0);
    if (cmd->more) cmd->more(out);
    if (cmd->footer) fprintf(out, "\n%s\n", cmd->footer);
}

/* ---- man page ------------------------------------------------------------------------------ */

void cf_cli_man_text(const char *text, FILE *out)
{
    bool bol = true;
    for (const char *p = text; *p; p++) {
        if (bol && (*p == '.' || *p == '\'')) fputs("\\&", out);
        if (*p == '-' || *p == '\\') fputc('\\', out);
        if (*p == '\n' && p[1] == '\n') {
            fputs("\n.PP", out);
            while (p[1] == '\n')
                p++;
        }
        fputc(*p, out);
        bol = *p == '\n';
    }
}

/* The command's extra help (lists read from libconform), as troff text. */
static void man_more(const cf_cli_command *cmd, FILE *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) return;
    cmd->more(mem);
    if (fclose(mem) == 0 && text) {
        fputs(".PP\n", out);
        cf_cli_man_text(text + strspn(text, "\n"), out);
        fputs("\n", out);
    }
    free(text);
}

void cf_cli_man_section(const cf_cli_command *cmd, FILE *out)
{
    char syn[256];
    size_t n = 0;
    for (const char *p = cmd->synopsis; *p && n + 1 < sizeof syn; p++)
        if (!(*p == ' ' || *p == '\n') || (n && syn[n - 1] != ' ')) /* one space per run */
            syn[n++] = *p == '\n' ? ' ' : *p;
    syn[n] = 0;
    fprintf(out, ".SS \"conform %s ", cmd->name);
    cf_cli_man_text(syn, out);
    fputs("\"\n", out);
    cf_cli_man_text(cmd->about, out);
    fputs("\n", out);
    for (size_t i = 0; i < cmd->noptions; i++) {
        const cf_cli_option *o = &cmd->options[i];
        fputs(".TP\n", out);
        if (o->shrt) fprintf(out, "\\fB\\-%c\\fR, ", o->shrt);
        fputs("\\fB\\-\\-", out);
        cf_cli_man_text(o->name, out);
        fputs("\\fR", out);
        if (o->arg) {
            fputs(o->kind == CF_CLI_OPTIONAL ? "[=\\fI" : " \\fI", out);
            cf_cli_man_text(o->arg, out);
            fputs(o->kind == CF_CLI_OPTIONAL ? "\\fR]" : "\\fR", out);
        }
        fputs("\n", out);
        cf_cli_man_text(o->help, out);
        fputs("\n", out);
    }
    unsigned k = kinds_used(cmd);
    if (k) fputs(".PP\n", out);
    if (k & 1)
        fprintf(out, "%s\n",
                "A duration (\\fIT\\fR) is a whole number with ms, s, m or h; "
                "a bare number is seconds.");
    if (k & 2)
        fprintf(out, "%s\n", "A size is bytes, or a whole number with K, M or G (powers of 1024).");
    if (cmd->more) man_more(cmd, out);
    if (cmd->footer) {
        fputs(".PP\n", out);
        cf_cli_man_text(cmd->footer, out);
        fputs("\n", out);
    }
}
