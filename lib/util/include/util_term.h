/* Text from outside (a report read back, a spec, a server) shown on a terminal: the one escaper
 * of libconform for terminal output. Well-formed UTF-8 that prints stays as it is; C0 and C1
 * control characters, DEL and ill-formed bytes are shown escaped as cf_buf_escape writes them
 * (\x1B, \n, ...), so no text can move the cursor, retitle the window or clear the screen. */
#ifndef CF_UTIL_TERM_H
#define CF_UTIL_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "util_buf.h"

#define CF_TERM_TEXTS 8

/* Scratch space for the escaped texts of one output call; zero-initialise, free after. */
typedef struct cf_term_texts {
    cf_buf b[CF_TERM_TEXTS];
    int n;
} cf_term_texts;

/* True when s[0..n) can be written to a terminal as it is. */
bool cf_term_clean(const char *s, size_t n);

/* Appends s[0..n) to b, escaped for a terminal. */
void cf_buf_term(cf_buf *b, const char *s, size_t n);

/* s itself when clean (NULL gives ""), or an escaped copy held by tt until cf_term_texts_free;
 * past CF_TERM_TEXTS copies, or when memory runs out, "(text not shown)". */
const char *cf_term_text(cf_term_texts *tt, const char *s);

/* Frees the copies tt holds. */
void cf_term_texts_free(cf_term_texts *tt);

#endif
