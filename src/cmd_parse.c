/* `conform parse`: parses one HTTP/1.1 message from a file or stdin and explains the result.
 * Options, exit statuses and JSON fields: docs/commands/parse.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1_lex.h"
#include "commands.h"
#include "parse_output.h"
#include "parse_stream.h"

#define DEFAULT_MAX_BODY (1024u * 1024u)

struct parse_opts {
    cf_pstream_config cfg;
    int json, method_given;
    const char *path;
};

enum { OPT_RESPONSE, OPT_METHOD, OPT_LENIENT, OPT_JSON, OPT_MAX_BODY, OPT_HELP };

/* docs/commands/parse.md documents each one (tests/test_cli_options.c checks that it does). */
static const cf_cli_option parse_options[] = {
    {OPT_RESPONSE, "response", 0, CF_CLI_FLAG, NULL, "parse a response (default: a request)", 0, 0},
    {OPT_METHOD, "method", 0, CF_CLI_STRING, "METHOD",
     "method of the request the response answers (default GET); HEAD and CONNECT change the "
     "framing (RFC 9112 §6.3); only with --response",
     0, 0},
    {OPT_LENIENT, "lenient", 0, CF_CLI_OPTIONAL, "BIT,...",
     "make the repairs the RFC allows a recipient, recording each as a violation: every bit, "
     "or the named ones",
     0, 0},
    {OPT_JSON, "json", 0, CF_CLI_FLAG, NULL,
     "print one JSON object instead of the readable summary", 0, 0},
    {OPT_MAX_BODY, "max-body", 0, CF_CLI_SIZE, "SIZE",
     "decoded body bytes kept for output (default 1M)", 0, 1ull << 40},
    {OPT_HELP, "help", 'h', CF_CLI_HELP, NULL, "print this help and exit", 0, 0},
};

/* After the options in --help: the lenient bits, read from the parser. */
static void more_help(FILE *f)
{
    fputs("\nlenient bits (--lenient=BIT,...):\n ", f);
    for (unsigned bit = 1, col = 1; bit & H1_LENIENT_ALL; bit <<= 1) {
        const char *name = h1_lenient_name(bit);
        if (col + 1 + strlen(name) > 80) {
            fputs("\n ", f);
            col = 1;
        }
        col += (unsigned)fprintf(f, " %s", name);
    }
    fputs("\n", f);
}

const cf_cli_command cf_opts_parse = {
    "parse",
    "[--response] [--method METHOD] [--lenient[=BIT,BIT...]] [--json]\n"
    "                     [--max-body SIZE] [FILE|-]",
    "Parses ONE HTTP/1.1 message (RFC 9112) from FILE, or stdin when FILE is - or absent,\n"
    "and explains it: start-line, fields, framing, body length, violations.",
    "exit status:\n"
    "  0  one complete, valid message (repairs allowed by --lenient are recorded)\n"
    "  1  the message is invalid (the error names the code, byte offset and RFC section)\n"
    "  2  usage error, or the input could not be read\n"
    "  3  the input ended before the message did (nothing arrived, or cut short)",
    parse_options,
    sizeof parse_options / sizeof parse_options[0],
    more_help,
};

/* Prints a usage error; returns -1. */
static int bad_usage(const char *what, const char *arg)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s%s%.100s", what, arg ? ": " : "", arg ? arg : "");
    return cf_cli_usage_error(&cf_opts_parse, msg);
}

/* Lists the valid lenient bit names after an unknown one. */
static int bad_lenient(const char *name, size_t len)
{
    fprintf(stderr, "conform parse: unknown lenient bit '%.*s'; valid names:", (int)len, name);
    for (unsigned bit = 1; bit & H1_LENIENT_ALL; bit <<= 1)
        fprintf(stderr, " %s", h1_lenient_name(bit));
    fputs("\n", stderr);
    return -1;
}

/* --lenient=a,b,c: ORs the named bits into *bits. */
static int parse_lenient(const char *list, unsigned *bits)
{
    if (!*list) return bad_usage("--lenient= needs a list of bit names", NULL);
    for (const char *p = list;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        unsigned bit = h1_lenient_from_name(p, len);
        if (!bit) return bad_lenient(p, len);
        *bits |= bit;
        if (!comma) return 0;
        p = comma + 1;
    }
}

/* The option handler of cf_cli_parse (cli_options.h). */
static int on_option(void *ud, const cf_cli_option *opt, const cf_cli_value *v)
{
    struct parse_opts *o = ud;
    if (!opt) {
        if (o->path) return bad_usage("only one FILE may be given", v->text);
        o->path = v->text;
        return 0;
    }
    switch (opt->id) {
    case OPT_RESPONSE: o->cfg.kind = H1_RESPONSE; return 0;
    case OPT_JSON: o->json = 1; return 0;
    case OPT_LENIENT:
        if (!v->text) o->cfg.lenient |= H1_LENIENT_ALL;
        return v->text ? parse_lenient(v->text, &o->cfg.lenient) : 0;
    case OPT_METHOD:
        if (!h1_lex_is_token(v->text, strlen(v->text))) /* RFC 9110 §9.1: method = token */
            return cf_cli_bad_value(&cf_opts_parse, opt, v->text, "is not a method (a token)");
        o->cfg.request_method = v->text;
        o->method_given = 1;
        return 0;
    case OPT_MAX_BODY: o->cfg.max_body = (size_t)v->num; return 0;
    default: return 0;
    }
}

/* Parses argv; 0, 1 (--help printed) or -1 (usage error printed). */
static int parse_args(int argc, char **argv, struct parse_opts *o)
{
    memset(o, 0, sizeof *o);
    o->cfg.kind = H1_REQUEST;
    o->cfg.max_body = DEFAULT_MAX_BODY;
    o->cfg.request_method = "GET";
    int rc = cf_cli_parse(&cf_opts_parse, argc, argv, on_option, o);
    if (rc != 0) return rc;
    if (o->method_given && o->cfg.kind != H1_RESPONSE)
        return bad_usage("--method applies to responses: add --response", NULL);
    if (o->cfg.kind == H1_REQUEST) o->cfg.request_method = NULL;
    return 0;
}

/* Prints the result and maps the outcome to the exit status. */
static int report(const cf_pstream *s, const struct parse_opts *o, const char *name)
{
    switch (s->outcome) {
    case CF_PSTREAM_IO_ERROR:
        fprintf(stderr, "conform parse: cannot read %s: %s\n", name, strerror(s->io_errno));
        return CF_EXIT_USAGE;
    case CF_PSTREAM_STUCK:
        fprintf(stderr, "conform parse: internal error: the parser asked for more buffered "
                        "input than its limits allow (a parser bug)\n");
        return CF_EXIT_USAGE;
    default: break;
    }
    int rc = o->json ? cf_parse_output_json(s, stdout) : cf_parse_output_human(s, stdout, stderr);
    if (rc || fflush(stdout) == EOF || ferror(stdout)) {
        fprintf(stderr, "conform parse: cannot write the output: %s\n", strerror(errno));
        return CF_EXIT_USAGE;
    }
    if (s->outcome == CF_PSTREAM_INVALID) return CF_EXIT_FAIL;
    if (s->outcome == CF_PSTREAM_INCOMPLETE) return CF_EXIT_UNREACHABLE;
    return CF_EXIT_OK;
}

/* Entry point of `conform parse` (argv[0] is "parse"); returns the exit status. */
int cf_cmd_parse(int argc, char **argv)
{
    struct parse_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc > 0) return fflush(stdout) == EOF ? CF_EXIT_USAGE : CF_EXIT_OK;
    if (rc < 0) return CF_EXIT_USAGE;
    cf_input in;
    if (cf_input_open(&in, o.path)) {
        fprintf(stderr, "conform parse: cannot open %s: %s\n", o.path, strerror(in.err));
        return CF_EXIT_USAGE;
    }
    cf_pstream s;
    int status;
    if (cf_pstream_init(&s, &o.cfg)) {
        fprintf(stderr, "conform parse: out of memory\n");
        status = CF_EXIT_USAGE;
    } else {
        cf_pstream_run(&s, &in);
        status = report(&s, &o, in.name);
    }
    cf_pstream_free(&s);
    cf_input_close(&in);
    return status;
}
