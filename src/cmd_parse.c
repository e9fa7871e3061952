/* `conform parse`: parses one HTTP/1.1 message from a file or stdin and explains the result.
 * Options, exit statuses and JSON fields: docs/commands/parse.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "parse_output.h"
#include "parse_stream.h"

#define DEFAULT_MAX_BODY (1024u * 1024u)

/* The options, as --help prints them; docs/commands/parse.md documents each one
 * (tests/test_cmd_parse.c checks that it does). */
static const struct option_doc {
    const char *name, *arg, *help;
} option_docs[] = {
    {"--response", "", "parse a response (default: a request)"},
    {"--method", " METHOD",
     "method of the request the response answers (default GET); HEAD and CONNECT change the "
     "framing (RFC 9112 §6.3); only with --response"},
    {"--lenient", "[=BIT,...]",
     "make the repairs the RFC allows a recipient, recording each as a violation: every bit, "
     "or the named ones"},
    {"--json", "", "print one JSON object instead of the readable summary"},
    {"--max-body", " BYTES", "decoded body bytes kept for output (default 1048576)"},
    {"--help", "", "print this help and exit"},
};

struct parse_opts {
    cf_pstream_config cfg;
    int json, help, method_given;
    const char *path;
};

/* Writes text word-wrapped to fit 80 columns, continuation lines indented by indent. */
static void put_wrapped(FILE *f, const char *text, int indent)
{
    int col = indent;
    while (*text) {
        int word = (int)strcspn(text, " ");
        if (col > indent && col + 1 + word > 80) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", word, text);
        col += word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', f);
}

static void usage(FILE *f)
{
    fputs("usage: conform parse [--response] [--method METHOD] [--lenient[=BIT,BIT...]] [--json]\n"
          "                     [--max-body BYTES] [FILE|-]\n\n"
          "Parses ONE HTTP/1.1 message (RFC 9112) from FILE, or stdin when FILE is - or absent,\n"
          "and explains it: start-line, fields, framing, body length, violations.\n\noptions:\n",
          f);
    for (size_t i = 0; i < sizeof option_docs / sizeof option_docs[0]; i++) {
        char head[40];
        snprintf(head, sizeof head, "%s%s", option_docs[i].name, option_docs[i].arg);
        fprintf(f, "  %-22s ", head);
        put_wrapped(f, option_docs[i].help, 25);
    }
    fputs("\nlenient bits (--lenient=BIT,...):\n ", f);
    for (unsigned bit = 1, col = 1; bit & CF_LENIENT_ALL; bit <<= 1) {
        const char *name = cf_lenient_name(bit);
        if (col + 1 + strlen(name) > 80) {
            fputs("\n ", f);
            col = 1;
        }
        col += (unsigned)fprintf(f, " %s", name);
    }
    fputs("\n\nexit status:\n"
          "  0  one complete, valid message (repairs allowed by --lenient are recorded)\n"
          "  1  the message is invalid (the error names the code, byte offset and RFC section)\n"
          "  2  usage error, or the input could not be read\n"
          "  3  the input ended before the message did (nothing arrived, or cut short)\n",
          f);
}

/* Prints a usage error; returns -1. */
static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "conform parse: %s%s%s\ntry 'conform parse --help'\n", what, arg ? ": " : "",
            arg ? arg : "");
    return -1;
}

/* Lists the valid lenient bit names after an unknown one. */
static int bad_lenient(const char *name, size_t len)
{
    fprintf(stderr, "conform parse: unknown lenient bit '%.*s'; valid names:", (int)len, name);
    for (unsigned bit = 1; bit & CF_LENIENT_ALL; bit <<= 1)
        fprintf(stderr, " %s", cf_lenient_name(bit));
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
        unsigned bit = cf_lenient_from_name(p, len);
        if (!bit) return bad_lenient(p, len);
        *bits |= bit;
        if (!comma) return 0;
        p = comma + 1;
    }
}

/* RFC 9110 §9.1: method = token; §5.6.2: tchar. */
static int is_token(const char *s)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";
    if (!*s) return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && !strchr(extra, c)) return 0;
    }
    return 1;
}

/* Decimal byte count: digits only, no sign, no overflow. */
static int parse_size(const char *s, size_t *out)
{
    if (!*s || strspn(s, "0123456789") != strlen(s)) return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > SIZE_MAX) return -1;
    *out = (size_t)v;
    return 0;
}

/* Matches arg against --name or --name=value; *value is NULL for the first form. */
static int match(const char *arg, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0) return 0;
    if (arg[n] == '\0') {
        *value = NULL;
        return 1;
    }
    if (arg[n] != '=') return 0;
    *value = arg + n + 1;
    return 1;
}

/* The value of an option that takes one: after '=' or the next argument. */
static const char *need_value(int argc, char **argv, int *i, const char *value)
{
    if (value) return value;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

/* Handles the option argv[*i]; returns 0 or -1 (usage error printed). */
static int parse_option(int argc, char **argv, int *i, struct parse_opts *o)
{
    const char *arg = argv[*i], *v;
    if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
        o->help = 1;
    } else if (match(arg, "--response", &v)) {
        if (v) return bad_usage("this option takes no value", arg);
        o->cfg.kind = CF_RESPONSE;
    } else if (match(arg, "--json", &v)) {
        if (v) return bad_usage("this option takes no value", arg);
        o->json = 1;
    } else if (match(arg, "--lenient", &v)) {
        if (!v) o->cfg.lenient |= CF_LENIENT_ALL;
        if (v && parse_lenient(v, &o->cfg.lenient)) return -1;
    } else if (match(arg, "--method", &v)) {
        v = need_value(argc, argv, i, v);
        if (!v || !is_token(v)) return bad_usage("--method needs a method name (a token)", v);
        o->cfg.request_method = v;
        o->method_given = 1;
    } else if (match(arg, "--max-body", &v)) {
        v = need_value(argc, argv, i, v);
        if (!v || parse_size(v, &o->cfg.max_body))
            return bad_usage("--max-body needs a number of bytes", v);
    } else {
        return bad_usage("unknown option", arg);
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct parse_opts *o)
{
    int positional_only = 0;
    memset(o, 0, sizeof *o);
    o->cfg.kind = CF_REQUEST;
    o->cfg.max_body = DEFAULT_MAX_BODY;
    o->cfg.request_method = "GET";
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!positional_only && !strcmp(arg, "--")) {
            positional_only = 1;
        } else if (!positional_only && arg[0] == '-' && arg[1] != '\0') {
            if (parse_option(argc, argv, &i, o)) return -1;
        } else if (o->path) {
            return bad_usage("only one FILE may be given", arg);
        } else {
            o->path = arg;
        }
    }
    if (o->method_given && o->cfg.kind != CF_RESPONSE)
        return bad_usage("--method applies to responses: add --response", NULL);
    if (o->cfg.kind == CF_REQUEST) o->cfg.request_method = NULL;
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
    if (parse_args(argc, argv, &o)) return CF_EXIT_USAGE;
    if (o.help) {
        usage(stdout);
        return fflush(stdout) == EOF ? CF_EXIT_USAGE : CF_EXIT_OK;
    }
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
