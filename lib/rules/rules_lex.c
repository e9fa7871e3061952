/* What the field rules need on top of the §5.6 lexer (parsers/include/h1_lex.h): digits, and a
 * list's elements collected into an array. */
#include <stdint.h>

#include "rules_internal.h"

bool cf_rules_digits(const char *p, size_t n, unsigned long long *v)
{
    unsigned long long x = 0;
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return false;
        unsigned d = (unsigned)(p[i] - '0');
        x = x > (UINT64_MAX - d) / 10 ? UINT64_MAX : x * 10 + d;
    }
    if (v) *v = x;
    return true;
}

size_t cf_rules_list(const char *p, size_t n, h1_span *items, size_t max, size_t *empty)
{
    h1_lex_list l;
    h1_lex_list_init(&l, (h1_span){p, n});
    size_t k = 0;
    h1_span item;
    while (h1_lex_list_next(&l, &item)) {
        if (k < max) items[k] = item;
        k++;
    }
    *empty = l.empty;
    return k;
}
