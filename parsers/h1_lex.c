/* RFC 9110 §5.6 common syntax (h1_lex.h), on the parser's character tables. */
#include "h1_lex.h"

#include "h1_chars.h"

int h1_lex_tchar(unsigned char c)
{
    return h1_tchar[c] != 0;
}

size_t h1_lex_token(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && h1_tchar[(unsigned char)p[i]])
        i++;
    return i;
}

int h1_lex_is_token(const char *p, size_t n)
{
    return n > 0 && h1_lex_token(p, n) == n;
}

size_t h1_lex_ows(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i;
}

/* qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text; the byte after "\" in a quoted-pair
 * = HTAB / SP / VCHAR / obs-text: every byte but the other CTLs and DEL. */
static int quoted_byte(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

size_t h1_lex_quoted(const char *p, size_t n)
{
    if (n < 2 || p[0] != '"') return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"') return i + 1;
        if (c == '\\') {
            if (i + 1 >= n || !quoted_byte((unsigned char)p[i + 1])) return 0;
            i++;
        } else if (!quoted_byte(c)) {
            return 0;
        }
    }
    return 0;
}

int h1_lex_params(const char *p, size_t n)
{
    size_t i = 0;
    for (;;) {
        i += h1_lex_ows(p + i, n - i);
        if (i == n) return 1;
        if (p[i] != ';') return 0;
        i++;
        i += h1_lex_ows(p + i, n - i);
        if (i == n || p[i] == ';') continue;
        size_t t = h1_lex_token(p + i, n - i);
        if (t == 0 || i + t == n || p[i + t] != '=') return 0;
        i += t + 1;
        size_t v = h1_lex_quoted(p + i, n - i);
        if (v == 0) v = h1_lex_token(p + i, n - i);
        if (v == 0) return 0;
        i += v;
    }
}

void h1_lex_list_init(h1_lex_list *l, h1_span value)
{
    l->p = value.ptr;
    l->n = value.ptr ? value.len : 0;
    l->pos = 0;
    l->empty = 0;
}

int h1_lex_list_next(h1_lex_list *l, h1_span *item)
{
    while (l->pos <= l->n) {
        size_t start = l->pos, i = start;
        while (i < l->n && l->p[i] != ',') {
            size_t q = l->p[i] == '"' ? h1_lex_quoted(l->p + i, l->n - i) : 0;
            i += q ? q : 1;
        }
        int last = i >= l->n;
        l->pos = i + 1; /* past the comma, or past the end */
        size_t a = start + h1_lex_ows(l->p + start, i - start), b = i;
        while (b > a && (l->p[b - 1] == ' ' || l->p[b - 1] == '\t'))
            b--;
        if (b > a) {
            item->ptr = l->p + a;
            item->len = b - a;
            return 1;
        }
        /* an empty field value is an empty list, not one empty element */
        if (!(last && start == 0)) l->empty++;
        if (last) break;
    }
    l->pos = l->n + 1;
    return 0;
}
