/* The common syntax components of RFC 9110 §5.6 over a byte span: tokens, whitespace, quoted
 * strings, parameters and comma-separated lists. The one lexer of conform: the compliance rules,
 * the built-in server and the command line use it, on the same character tables as the parser
 * (which reads the framing fields of a message byte by byte, lenient repairs applied, with the
 * same classes). Every function reads p[0..n) only and never past it; nothing allocates. */
#ifndef H1_LEX_H
#define H1_LEX_H

#include <stddef.h>

#include "h1_parser.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 9110 §5.6.2: 1 when c is a tchar ("!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" /
 * "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA). */
int h1_lex_tchar(unsigned char c);

/* Bytes of the token starting at p (0 when p[0] is not a tchar). */
size_t h1_lex_token(const char *p, size_t n);

/* 1 when p[0..n) is exactly one token (not empty). */
int h1_lex_is_token(const char *p, size_t n);

/* RFC 9110 §5.6.3: bytes of OWS (SP / HTAB) starting at p. */
size_t h1_lex_ows(const char *p, size_t n);

/* RFC 9110 §5.6.4: bytes of the quoted-string starting at p, closing quote included; 0 when p
 * does not start one or it is unterminated or holds a byte qdtext / quoted-pair exclude. */
size_t h1_lex_quoted(const char *p, size_t n);

/* RFC 9110 §5.6.6: 1 when p[0..n) is parameters: *( OWS ";" OWS [ parameter ] ), parameter =
 * token "=" ( token / quoted-string ). */
int h1_lex_params(const char *p, size_t n);

/* RFC 9110 §5.6.1: a walk over the elements of a list-based field value. */
typedef struct h1_lex_list {
    const char *p;
    size_t n, pos;
    size_t empty; /* empty elements met so far ("a,,b"; an empty value is an empty list) */
} h1_lex_list;

/* Starts a walk over value. */
void h1_lex_list_init(h1_lex_list *l, h1_span value);

/* The next non-empty element, OWS trimmed; a comma inside a quoted-string does not split. Returns
 * 1 with *item set, 0 at the end of the value. */
int h1_lex_list_next(h1_lex_list *l, h1_span *item);

#ifdef __cplusplus
}
#endif
#endif
