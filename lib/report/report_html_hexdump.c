/* The HTML report: hexdumps of the bytes on the wire (report_html_internal.h), as `hexdump -C`
 * writes them: a row equal to the one before is not repeated, a '*' line stands for the run
 * (the last row is always written, so the dump shows where the bytes end). Bytes from the wire
 * never reach the page any other way: in the ASCII column printable ASCII is escaped and
 * everything else is a '.' (runs of those are marked so that a real '.' can be told apart). */
#include "report_html_internal.h"

#include <string.h>

#define ROW 16

static int printable(uint8_t c)
{
    return c >= 0x20 && c < 0x7F;
}

/* The ASCII column of one row: |GET / HTTP/1.1..| */
static void ascii_column(cf_html *h, const uint8_t *p, size_t n)
{
    cf_html_raw(h, "<span class=\"a\">|");
    for (size_t i = 0; i < n;) {
        if (printable(p[i])) {
            size_t j = i;
            while (j < n && printable(p[j]))
                j++;
            cf_html_text_n(h, (const char *)p + i, j - i);
            i = j;
            continue;
        }
        char dots[ROW + 1];
        size_t k = 0;
        while (i < n && !printable(p[i]))
            dots[k++] = '.', i++;
        dots[k] = '\0';
        cf_html_raw(h, "<span class=\"np\">");
        cf_html_raw(h, dots);
        cf_html_raw(h, "</span>");
    }
    cf_html_raw(h, "|</span>");
}

/* One row: offset, 16 hex bytes in two groups of 8 (padded on the last row), ASCII. */
static void row(cf_html *h, size_t off, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char line[16 + ROW * 3 + 4];
    size_t k = 0;
    snprintf(line, sizeof line, "%08zx", off);
    cf_html_raw(h, "<span class=\"o\">");
    cf_html_raw(h, line);
    cf_html_raw(h, "</span> ");
    for (size_t i = 0; i < ROW; i++) {
        line[k++] = ' ';
        if (i == ROW / 2) line[k++] = ' ';
        line[k++] = i < n ? hex[p[i] >> 4] : ' ';
        line[k++] = i < n ? hex[p[i] & 15] : ' ';
    }
    line[k++] = ' ';
    line[k++] = ' ';
    line[k] = '\0';
    cf_html_raw(h, line);
    ascii_column(h, p, n);
    cf_html_raw(h, "\n");
}

void cf_html_hexdump(cf_html *h, const uint8_t *p, size_t n)
{
    size_t shown = n > CF_HTML_HEX_CAP ? CF_HTML_HEX_CAP : n;
    if (n == 0 || !p) {
        cf_html_raw(h, "<span class=\"np\">(no bytes)</span>\n");
        return;
    }
    int starred = 0;
    for (size_t off = 0; off < shown && !h->err; off += ROW) {
        size_t len = shown - off < ROW ? shown - off : ROW;
        int last = off + ROW >= shown;
        if (off && len == ROW && !last && memcmp(p + off, p + off - ROW, ROW) == 0) {
            if (!starred) cf_html_raw(h, "<span class=\"np\">*</span>\n");
            starred = 1;
            continue;
        }
        starred = 0;
        row(h, off, p + off, len);
    }
    if (shown < n) {
        cf_html_raw(h, "<span class=\"np\">… ");
        cf_html_uint(h, n - shown);
        cf_html_raw(h, " more bytes not shown</span>\n");
    }
}
