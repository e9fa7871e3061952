/* Functions shared between the parser's files; not part of the public contract. */
#ifndef CF_INTERNAL_H
#define CF_INTERNAL_H

#include "cf_parser.h"

/* Head states. */
enum { CF_HS_START = 0, CF_HS_FIELDS = 1, CF_HS_DONE = 2 };

/* Records code at off as a repair when its lenient bit is set (returns 1), otherwise makes it
 * p->error (returns 0). */
int cf_violate(cf_parser *p, cf_code code, size_t off);

/* Makes code at off p->error; returns CF_ERROR. */
cf_status cf_fail(cf_parser *p, cf_code code, size_t off);

/* Field-line section parser shared by headers and trailers: parses lines of buf from *pos up to
 * the empty line, storing into arr (cap entries, *n used; arr may be NULL to validate only).
 * bound_code is the error when the section reaches its bound.
 * base is the message offset of buf[0]. first_line tells whether no field line came yet (for
 * RFC 9112 §2.2 whitespace-led lines). */
typedef struct cf_fields_ctx {
    const char *buf;
    size_t len;   /* bytes available */
    size_t bound; /* offset in buf the section may not reach (its size limit) */
    size_t end;   /* min(len, bound) */
    cf_code bound_code;
    size_t base;
    cf_header *arr;
    size_t cap;
    size_t *n;
    size_t max_fields;
    int start_line_follows; /* 1 while no field line has been read after the start-line */
} cf_fields_ctx;
cf_status cf_fields_parse(cf_parser *p, cf_fields_ctx *c, size_t *pos);

/* Derives framing, Host checks and flags from a complete header section (RFC 9112 §3.2, §6.3,
 * §9.3). */
cf_status cf_head_analyze(cf_parser *p);

/* Sets up the body decoder for the framing the head chose. */
void cf_body_start(cf_parser *p);

/* RFC 9112 §3.2: validates the request-target span at message offset off for method. */
cf_status cf_target_check(cf_parser *p, cf_span target, size_t off, unsigned uri_bits);

/* RFC 9110 §7.2 / RFC 3986 §3.2.2: 1 when s is uri-host [ ":" port ] (port required when
 * need_port). */
int cf_authority_valid(cf_span s, int need_port);

#endif
