/* Text escaped for a terminal (util_term.h). */
#include "util_term.h"

#include <string.h>

#include "util_utf8.h"

/* Length of the printable character at s[0..n), or 0 when it must be escaped: C0 controls and
 * DEL (ECMA-48 §5.2), C1 controls U+0080..U+009F (ECMA-48 §5.3: U+009B is CSI to some
 * terminals) and bytes that start no well-formed UTF-8 sequence (RFC 3629 §4). */
static size_t printable(const unsigned char *s, size_t n)
{
    if (s[0] >= 0x20 && s[0] < 0x7F) return 1;
    unsigned long cp;
    size_t k = cf_utf8_decode(s, n, &cp);
    return k > 1 && cp >= 0xA0 ? k : 0;
}

bool cf_term_clean(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0, k; i < n; i += k)
        if (!(k = printable(p + i, n - i))) return false;
    return true;
}

void cf_buf_term(cf_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0, k; i < n && !b->err; i += k) {
        k = printable(p + i, n - i);
        if (k)
            cf_buf_add(b, p + i, k);
        else
            cf_buf_escape(b, p + i, k = 1);
    }
}

const char *cf_term_text(cf_term_texts *tt, const char *s)
{
    if (!s) return "";
    size_t n = strlen(s);
    if (cf_term_clean(s, n)) return s;
    if (tt->n == CF_TERM_TEXTS) return "(text not shown)";
    cf_buf *b = &tt->b[tt->n++];
    cf_buf_term(b, s, n);
    return b->err || !b->ptr ? "(text not shown)" : b->ptr;
}

void cf_term_texts_free(cf_term_texts *tt)
{
    for (int i = 0; i < tt->n; i++)
        cf_buf_free(&tt->b[i]);
    tt->n = 0;
}
