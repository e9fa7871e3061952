/* The option layer of the conform command (src/cli_options.h): the duration, size and count
 * syntax on tables of cases, argv parsing, the one-line errors of every command, and every
 * command's option table against its page docs/commands/CMD.md. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_conform_cmd.h"
#include "cli_options.h"
#include "commands.h"

static const struct command {
    const char *name;
    const cf_cli_command *table;
} commands[] = {
#define CF_COMMAND(name, fn, table, summary) {#name, &table},
#include "commands.def"
#undef CF_COMMAND
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* ---- value syntax -------------------------------------------------------------------------- */

static const struct {
    const char *text;
    int rc;
    uint64_t ms;
} durations[] = {
    {"500ms", 0, 500},
    {"10s", 0, 10000},
    {"2m", 0, 120000},
    {"8h", 0, 28800000},
    {"150", 0, 150000}, /* a bare number is seconds, in every command */
    {"0", 0, 0},        /* the syntax allows it; each option's range decides */
    {"0ms", 0, 0},
    {"007s", 0, 7000},
    {"1000000h", 0, 3600000000000ull},
    {"", -1, 0},
    {"5x", -1, 0},
    {"s", -1, 0},
    {"ms", -1, 0},
    {"-1s", -1, 0},
    {"+1s", -1, 0},
    {" 1s", -1, 0},
    {"1s ", -1, 0},
    {"1.5s", -1, 0},
    {"1S", -1, 0},
    {"1sec", -1, 0},
    {"1d", -1, 0},
    {"1 s", -1, 0},
    {"99999999999999999999", -1, 0}, /* above UINT64_MAX */
    {"9999999999999999999h", -1, 0}, /* overflows in milliseconds */
};

Test(cli_options, duration_syntax)
{
    for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
        uint64_t ms = 12345;
        int rc = cf_cli_parse_duration(durations[i].text, &ms);
        cr_expect_eq(rc, durations[i].rc, "'%s': rc %d", durations[i].text, rc);
        if (rc == 0)
            cr_expect_eq(ms, durations[i].ms, "'%s': %llu ms", durations[i].text,
                         (unsigned long long)ms);
    }
}

static const struct {
    const char *text;
    int rc;
    uint64_t bytes;
} sizes[] = {
    {"0", 0, 0},
    {"512", 0, 512},
    {"64K", 0, 65536},
    {"64k", 0, 65536},
    {"64KiB", 0, 65536},
    {"16M", 0, 16777216},
    {"16m", 0, 16777216},
    {"16MiB", 0, 16777216},
    {"1G", 0, 1073741824},
    {"1GiB", 0, 1073741824},
    {"1024G", 0, 1ull << 40},
    {"1099511627776", 0, 1ull << 40},
    {"1025G", -1, 0}, /* above 1 TiB */
    {"1099511627777", -1, 0},
    {"", -1, 0},
    {"K", -1, 0},
    {"12x", -1, 0},
    {"1KB", -1, 0},
    {"1Ki", -1, 0},
    {"1T", -1, 0},
    {"-1", -1, 0},
    {"1.5M", -1, 0},
    {" 1", -1, 0},
};

Test(cli_options, size_syntax)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint64_t b = 12345;
        int rc = cf_cli_parse_size(sizes[i].text, &b);
        cr_expect_eq(rc, sizes[i].rc, "'%s': rc %d", sizes[i].text, rc);
        if (rc == 0)
            cr_expect_eq(b, sizes[i].bytes, "'%s': %llu", sizes[i].text, (unsigned long long)b);
    }
}

Test(cli_options, count_syntax)
{
    static const struct {
        const char *text;
        int rc;
        uint64_t n;
    } counts[] = {
        {"0", 0, 0},   {"4", 0, 4},     {"18446744073709551615", 0, UINT64_MAX},
        {"", -1, 0},   {"-1", -1, 0},   {"18446744073709551616", -1, 0},
        {"4x", -1, 0}, {"0x10", -1, 0}, {"+4", -1, 0},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        uint64_t n = 12345;
        int rc = cf_cli_parse_count(counts[i].text, &n);
        cr_expect_eq(rc, counts[i].rc, "'%s': rc %d", counts[i].text, rc);
        if (rc == 0) cr_expect_eq(n, counts[i].n, "'%s'", counts[i].text);
    }
}

/* ---- parsing argv -------------------------------------------------------------------------- */

enum { T_FLAG, T_OTHER, T_NAME, T_WAIT, T_SIZE, T_JOBS, T_LIST, T_HELP };

static const cf_cli_option test_options[] = {
    {T_FLAG, "flag", 'f', CF_CLI_FLAG, NULL, "a flag", 0, 0},
    {T_OTHER, "other", 'o', CF_CLI_FLAG, NULL, "another flag", 0, 0},
    {T_NAME, "name", 'n', CF_CLI_STRING, "NAME", "a string; repeatable", 0, 0},
    {T_WAIT, "wait", 'w', CF_CLI_DURATION, "T", "a duration", 1, 60000},
    {T_SIZE, "size", 0, CF_CLI_SIZE, "SIZE", "a size", 1, 1024},
    {T_JOBS, "jobs", 'j', CF_CLI_COUNT, "N", "a count", 1, 8},
    {T_LIST, "list", 0, CF_CLI_OPTIONAL, "A,B", "an optional value", 0, 0},
    {T_HELP, "help", 'h', CF_CLI_HELP, NULL, "show this help", 0, 0},
};
static const cf_cli_command test_cmd = {"test",
                                        "[OPTIONS] ARG...",
                                        "A table for the tests.",
                                        "Exit status: 0.",
                                        test_options,
                                        sizeof test_options / sizeof test_options[0],
                                        NULL};

/* Every call of the handler, as "id=text/num" or "arg=text", joined with spaces. */
typedef struct trace {
    char buf[1024];
} trace;

static int record(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    trace *t = ud;
    size_t n = strlen(t->buf);
    if (!opt)
        snprintf(t->buf + n, sizeof t->buf - n, "%sarg=%s", n ? " " : "", v->text);
    else
        snprintf(t->buf + n, sizeof t->buf - n, "%s%s=%s/%llu", n ? " " : "", opt->name,
                 v->text ? v->text : "-", (unsigned long long)v->num);
    return 0;
}

/* Splits line at spaces into argv (argv[0] "test") and parses it; rc into *rc. */
static const char *parse_line(const char *line, int *rc)
{
    static trace t;
    static char copy[512];
    char *argv[32] = {"test"};
    int argc = 1;
    snprintf(copy, sizeof copy, "%s", line);
    for (char *p = copy; *p && argc < 32;) {
        argv[argc++] = p;
        p += strcspn(p, " ");
        if (*p) *p++ = 0;
    }
    memset(&t, 0, sizeof t);
    *rc = cf_cli_parse(&test_cmd, argc, argv, record, &t);
    return t.buf;
}

Test(cli_options, argv_forms)
{
    static const struct {
        const char *line, *trace;
    } ok[] = {
        {"--flag a", "flag=-/0 arg=a"},
        {"a --name x b", "arg=a name=x/0 arg=b"},
        {"--name=x=y", "name=x=y/0"},
        {"--name= ", "name=/0"},
        {"-n x -nY", "name=x/0 name=Y/0"}, /* attached short values: -j4, -tbuiltin */
        {"-fo -j4", "flag=-/0 other=-/0 jobs=4/4"},
        {"-foj4", "flag=-/0 other=-/0 jobs=4/4"},
        {"-fn x", "flag=-/0 name=x/0"},
        {"--name --flag", "name=--flag/0"}, /* a value may start with '-' */
        {"--wait 150ms --wait=2 -w1m", "wait=150ms/150 wait=2/2000 wait=1m/60000"},
        {"--size 1K --size=512", "size=1K/1024 size=512/512"},
        {"--list --list=a,b", "list=-/0 list=a,b/0"},
        {"--list a", "list=-/0 arg=a"}, /* an optional value is only attached with '=' */
        {"- --", "arg=-"},
        {"-- --flag -n -", "arg=--flag arg=-n arg=-"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int rc;
        const char *got = parse_line(ok[i].line, &rc);
        cr_expect_eq(rc, 0, "%s: rc %d", ok[i].line, rc);
        cr_expect_str_eq(got, ok[i].trace, "%s", ok[i].line);
    }
    static const char *const bad[] = {
        "--bogus", "-x",       "-fx",       "--flag=1",  "--name",   "-n",
        "--wait",  "--wait 0", "--wait 2m", "--wait 5x", "--size 0", "--size 2K",
        "-j 9",    "-j0",      "--jobs=x",  "--fla",     "--help=x", "--list-all",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc;
        parse_line(bad[i], &rc);
        cr_expect_eq(rc, -1, "%s: rc %d", bad[i], rc);
    }
}

/* ---- one-line errors, in every command ----------------------------------------------------- */

/* The output of `conform ARGS`, which must exit 2 with exactly want (one line). */
static void expect_error(const char *args, const char *want)
{
    char out[4096];
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "conform %s: %s", args, out);
    cr_expect_str_eq(out, want, "conform %s", args);
}

Test(cli_options, unknown_option_in_every_command)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char args[128], want[256];
        const char *c = commands[i].name;
        snprintf(args, sizeof args, "%s --no-such-option=1 x", c);
        snprintf(want, sizeof want,
                 "conform %s: unknown option '--no-such-option'; see 'conform %s --help'\n", c, c);
        expect_error(args, want);
        snprintf(args, sizeof args, "%s -Z", c);
        snprintf(want, sizeof want, "conform %s: unknown option '-Z'; see 'conform %s --help'\n", c,
                 c);
        expect_error(args, want);
    }
}

Test(cli_options, bad_values_name_the_option_and_the_value)
{
    expect_error("run x --target builtin --case-timeout 5x",
                 "conform run: --case-timeout: '5x' is not a duration (e.g. 500ms, 10s, 2m; a "
                 "bare number is seconds)\n");
    expect_error("run x --target builtin --connect-timeout 25h",
                 "conform run: --connect-timeout: '25h' is out of range (1ms to 24h)\n");
    expect_error("run x --target builtin -j0",
                 "conform run: --jobs: '0' is out of range (1 to 256)\n");
    expect_error("run x --target builtin --max-raw 12x",
                 "conform run: --max-raw: '12x' is not a size (e.g. 512, 64K, 16M: bytes, or K, M, "
                 "G)\n");
    expect_error("run x --target", "conform run: --target needs a value (--target "
                                   "[LABEL=]TARGET); see 'conform run --help'\n");
    expect_error("fuzz --target builtin --timeout 11m",
                 "conform fuzz: --timeout: '11m' is out of range (1ms to 10m)\n");
    expect_error("fuzz --target builtin -d 1.5h",
                 "conform fuzz: --duration: '1.5h' is not a duration (e.g. 500ms, 10s, 2m; a "
                 "bare number is seconds)\n");
    expect_error("fuzz --target builtin --restart-wait 2h",
                 "conform fuzz: --restart-wait: '2h' is out of range (0s to 1h)\n");
    expect_error("parse --max-body 2T",
                 "conform parse: --max-body: '2T' is not a size (e.g. 512, 64K, 16M: bytes, or K, "
                 "M, G)\n");
    expect_error("serve --quiet=yes",
                 "conform serve: --quiet takes no value; see 'conform serve --help'\n");
    expect_error("check --quiet -qx", "conform check: unknown option '-x'; see 'conform check "
                                      "--help'\n");
    expect_error("fuzz --target builtin extra", "conform fuzz: unexpected argument 'extra'; see "
                                                "'conform fuzz --help'\n");
}

/* ---- tables, --help, man page and docs ----------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    static char buf[1 << 18];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    cr_assert_lt(n, sizeof buf - 1, "%s is too large for this test", path);
    buf[n] = 0;
    return strdup(buf);
}

/* How the docs write an option: "`-t`, `--target [LABEL=]TARGET`" or "`--id ID`". */
static void doc_form(const cf_cli_option *o, char *buf, size_t cap)
{
    char form[128];
    cf_cli_long_form(o, form, sizeof form);
    if (o->shrt)
        snprintf(buf, cap, "`-%c`, `%s`", o->shrt, form);
    else
        snprintf(buf, cap, "`%s`", form);
}

static const cf_cli_option *find(const cf_cli_command *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->noptions; i++)
        if (strlen(c->options[i].name) == len && !memcmp(c->options[i].name, name, len))
            return &c->options[i];
    return NULL;
}

/* Checks one command's table against docs/commands/NAME.md: every option line of the page
 * (a table row or a ### heading whose text starts with "`-") names an option of the table with
 * the same short letter and placeholder, and every option of the table has such a line. */
static void check_docs(const cf_cli_command *c)
{
    char path[256];
    snprintf(path, sizeof path, CF_SOURCE_DIR "/docs/commands/%s.md", c->name);
    char *doc = slurp(path);
    bool seen[64] = {false};
    cr_assert_lt(c->noptions, 64);
    size_t lines = 0;
    for (char *line = doc; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        size_t len = strcspn(line, "\n");
        const char *cell;
        size_t cell_len;
        if (!strncmp(line, "| `-", 4)) {
            cell = line + 2;
            const char *end = strstr(cell, " |");
            cr_assert(end && (size_t)(end - line) < len, "%s: a row without a second cell", path);
            cell_len = (size_t)(end - cell);
        } else if (!strncmp(line, "### `-", 6)) {
            cell = line + 4;
            cell_len = len - 4;
        } else {
            continue;
        }
        const char *lng = strstr(cell, "`--");
        cr_assert(lng && lng < cell + cell_len, "%s: no long option in '%.*s'", path, (int)cell_len,
                  cell);
        size_t nlen = strcspn(lng + 3, " `[=");
        const cf_cli_option *o = find(c, lng + 3, nlen);
        cr_expect(o, "%s documents --%.*s, which 'conform %s' does not have", path, (int)nlen,
                  lng + 3, c->name);
        if (!o) continue;
        char want[256];
        doc_form(o, want, sizeof want);
        cr_expect(cell_len == strlen(want) && !memcmp(cell, want, cell_len),
                  "%s writes '%.*s'; the option table of 'conform %s' says '%s'", path,
                  (int)cell_len, cell, c->name, want);
        seen[o - c->options] = true;
        lines++;
    }
    for (size_t i = 0; i < c->noptions; i++) {
        char want[256];
        doc_form(&c->options[i], want, sizeof want);
        cr_expect(seen[i], "%s does not document %s of 'conform %s'", path, want, c->name);
    }
    cr_expect_geq(lines, c->noptions, "%s", path);
    free(doc);
}

Test(cli_options, tables_match_docs)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        cr_expect_str_eq(commands[i].table->name, commands[i].name);
        check_docs(commands[i].table);
    }
}

Test(cli_options, tables_are_well_formed)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const cf_cli_command *c = commands[i].table;
        bool help = false;
        for (size_t k = 0; k < c->noptions; k++) {
            const cf_cli_option *o = &c->options[k];
            bool value = o->kind != CF_CLI_FLAG && o->kind != CF_CLI_HELP;
            cr_expect(value == (o->arg != NULL), "conform %s --%s: placeholder", c->name, o->name);
            cr_expect(o->help && *o->help, "conform %s --%s: no help", c->name, o->name);
            help |= o->kind == CF_CLI_HELP && o->shrt == 'h' && !strcmp(o->name, "help");
            for (size_t j = 0; j < k; j++) {
                cr_expect(strcmp(o->name, c->options[j].name), "conform %s: --%s twice", c->name,
                          o->name);
                cr_expect(!o->shrt || o->shrt != c->options[j].shrt, "conform %s: -%c twice",
                          c->name, o->shrt);
                cr_expect(o->id != c->options[j].id, "conform %s: --%s and --%s share an id",
                          c->name, o->name, c->options[j].name);
            }
        }
        cr_expect(help, "conform %s has no -h, --help", c->name);
    }
}

Test(cli_options, help_and_man_page_come_from_the_tables)
{
    static char out[1 << 16], man[1 << 18];
    cr_assert_eq(cf_run_conform("--man", man, sizeof man), 0);
    cr_expect(!strncmp(man, ".TH CONFORM 1 ", 14), "%.80s", man);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const cf_cli_command *c = commands[i].table;
        char args[64], sect[64];
        snprintf(args, sizeof args, "%s --help", c->name);
        cr_assert_eq(cf_run_conform(args, out, sizeof out), 0, "%s", args);
        snprintf(sect, sizeof sect, "usage: conform %s ", c->name);
        cr_expect(!strncmp(out, sect, strlen(sect)), "%s: %.80s", args, out);
        snprintf(sect, sizeof sect, ".SS \"conform %s ", c->name);
        cr_expect(strstr(man, sect), "conform.1 lacks %s", sect);
        for (size_t k = 0; k < c->noptions; k++) {
            const cf_cli_option *o = &c->options[k];
            char form[128], head[160], troff[160];
            cf_cli_long_form(o, form, sizeof form);
            if (o->shrt)
                snprintf(head, sizeof head, "\n  -%c, %s", o->shrt, form);
            else
                snprintf(head, sizeof head, "\n      %s", form);
            cr_expect(strstr(out, head), "conform %s --help lacks '%s'", c->name, head + 1);
            size_t n = (size_t)snprintf(troff, sizeof troff, "\\fB\\-\\-");
            for (const char *p = o->name; *p && n + 3 < sizeof troff; p++) {
                if (*p == '-') troff[n++] = '\\';
                troff[n++] = *p;
            }
            snprintf(troff + n, sizeof troff - n, "\\fR");
            cr_expect(strstr(man, troff), "conform.1 lacks --%s of %s", o->name, c->name);
        }
    }
}
