/* The one option layer of conform's commands: each command declares one static table of its
 * options (cf_cli_option), and this layer parses argv against it, checks durations, sizes and
 * counts with one syntax for every command, and writes the command's --help text and its part
 * of the man page (conform.1) from the same table. tests/test_cli_options.c checks every table
 * against docs/commands/CMD.md. */
#ifndef CF_CLI_OPTIONS_H
#define CF_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What an option's argument is. */
typedef enum cf_cli_kind {
    CF_CLI_FLAG,     /* no argument */
    CF_CLI_HELP,     /* no argument: print --help and stop */
    CF_CLI_STRING,   /* any text (the command's handler checks it) */
    CF_CLI_DURATION, /* N, Nms, Ns, Nm, Nh; a bare number is seconds: milliseconds in num */
    CF_CLI_SIZE,     /* N, NK, NM, NG (powers of 1024; k, KiB... too): bytes in num */
    CF_CLI_COUNT,    /* a decimal whole number in num */
    CF_CLI_OPTIONAL, /* no argument, or one attached with '=' (--lenient=a,b) */
} cf_cli_kind;

/* One option of a command. min and max bound num for durations (milliseconds), sizes (bytes)
 * and counts; both 0 means no bound. */
typedef struct cf_cli_option {
    int id;           /* the command's own enum value, handed to its handler */
    const char *name; /* long name without "--" */
    char shrt;        /* short letter, or 0 */
    cf_cli_kind kind;
    const char *arg;  /* the value's placeholder ("T", "SIZE", "[LABEL=]TARGET"); NULL for flags */
    const char *help; /* one sentence or two; wrapped by the help writer */
    uint64_t min, max;
} cf_cli_option;

/* An option's value: the text as given, and the number for durations, sizes and counts. */
typedef struct cf_cli_value {
    const char *text; /* NULL for flags and for an optional value not given */
    uint64_t num;
} cf_cli_value;

/* A command: its name, the usage line's arguments, the text around the options in --help and
 * the table. more, when set, prints extra help after the options (lists read from libconform). */
typedef struct cf_cli_command {
    const char *name;     /* "run" */
    const char *synopsis; /* "[OPTIONS] PATH... --target TARGET" */
    const char *about;    /* what the command does; paragraphs separated by blank lines */
    const char *footer;   /* after the options: exit status and the like */
    const cf_cli_option *options;
    size_t noptions;
    void (*more)(FILE *out);
} cf_cli_command;

/* Called once per option (opt set) and once per operand (opt NULL, v->text the operand), in
 * argv order. Returns 0, or -1 after printing one line on stderr (cf_cli_bad_value). */
typedef int (*cf_cli_handler)(void *ud, const cf_cli_option *opt, const cf_cli_value *v);

/* Parses argv[1..argc) (argv[0] is the command's name) against cmd's table: "--name VALUE",
 * "--name=VALUE", "-x VALUE", "-xVALUE", clusters of short flags ("-qj4"), operands anywhere,
 * and "--" before operands that start with '-'. A lone "-" is an operand. Returns 0, 1 when
 * --help was printed on stdout, or -1 when a one-line error was printed on stderr (exit 2). */
int cf_cli_parse(const cf_cli_command *cmd, int argc, char **argv, cf_cli_handler fn, void *ud);

/* Prints "conform CMD: --name: 'value' why" on stderr; returns -1. */
int cf_cli_bad_value(const cf_cli_command *cmd, const cf_cli_option *opt, const char *value,
                     const char *why);

/* Prints "conform CMD: message; see 'conform CMD --help'" on stderr; returns -1. */
int cf_cli_usage_error(const cf_cli_command *cmd, const char *message);

/* Prints "conform CMD: unexpected argument 'arg'; see ..." on stderr; returns -1. */
int cf_cli_unexpected(const cf_cli_command *cmd, const char *arg);

/* Parses a duration: a whole number with ms, s, m or h, a bare number being seconds, into
 * milliseconds. Returns 0, or -1 when s is not one (or overflows). */
int cf_cli_parse_duration(const char *s, uint64_t *ms);

/* Parses a size: a whole number of bytes, or with K, M or G (powers of 1024; lower case and
 * KiB, MiB, GiB too). Returns 0, or -1 when s is not one (or is above 1 TiB). */
int cf_cli_parse_size(const char *s, uint64_t *bytes);

/* Parses a decimal whole number (digits only). Returns 0, or -1. */
int cf_cli_parse_count(const char *s, uint64_t *n);

/* The option's form as docs and --help show it, without the short letter: "--target
 * [LABEL=]TARGET", "--lenient[=BIT,...]", "--quiet". Returns buf. */
const char *cf_cli_long_form(const cf_cli_option *opt, char *buf, size_t cap);

/* Writes cmd's --help text. */
void cf_cli_help(const cf_cli_command *cmd, FILE *out);

/* Writes cmd's section of the man page (troff, under .SH COMMANDS). */
void cf_cli_man_section(const cf_cli_command *cmd, FILE *out);

/* Writes text for troff: '-' and '\' escaped, a line starting with '.' or '\'' guarded. */
void cf_cli_man_text(const char *text, FILE *out);

#endif
