/* conform fuzz: how much it matters that a server accepted what conform's strict parser rejects.
 * One table maps each request rule of the parser (a h1_code, parsers/include/h1_violations.def)
 * to the RFC sentence that says what a server must do with a request breaking it, and the level
 * that sentence's keyword gives. A desync on such input (more responses than conform's reading
 * counts requests) is a leniency finding at that level, not request smuggling at MUST. */
#ifndef CF_FUZZ_LENIENT_H
#define CF_FUZZ_LENIENT_H

#include <stdbool.h>

/* One row: the sentence a server's duty for requests breaking a rule comes from. */
typedef struct cf_lenient_rule {
    int code;            /* the h1_code */
    unsigned rfc;        /* 9110 or 9112: where the sentence is */
    const char *section; /* its section, e.g. "2.2" */
    const char *level;   /* MUST, SHOULD or MAY: the sentence's keyword */
    const char *quote;   /* the sentence, quoted from the RFC */
    bool own_limit;      /* a limit of conform's parser, not of the RFC: the sentence leaves the
                            limit to the server, which may accept more (so the level is MAY) */
} cf_lenient_rule;

/* The row for code; codes with no row of their own (rules only a response can break) get the
 * general rule of RFC 9112 §2.2 (SHOULD answer 400 and close). Never NULL. */
const cf_lenient_rule *cf_lenient_rule_of(int code);

/* The rows, for tests and docs: *n gets their count. */
const cf_lenient_rule *cf_lenient_rules(unsigned *n);

#endif
