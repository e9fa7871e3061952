/* The terminal reporter's view of the bytes on the wire (report_term.h): `--show` prints both
 * sides of every step as text and as a hexdump, and a failed step's responses show their
 * status line and fields under "actual". Bytes from the wire reach the terminal only escaped
 * (cf_buf_escape: printable ASCII as is, \r \n \t \\ \" named, the rest as \xNN), so a server
 * cannot drive it. */
#include "report_term.h"

#include <string.h>

#include "util_buf.h"

#define ROW        16
#define SHOW_CAP   65536 /* bytes of one side of a step shown by --show */
#define HEAD_LINES 40    /* lines of a response head shown under "actual" */

/* Writes p[0..n) escaped as cf_buf_escape does (util_buf.h), as one line's content. */
static void put_escaped(FILE *out, const uint8_t *p, size_t n)
{
    cf_buf b = {0};
    cf_buf_escape(&b, p, n);
    if (b.err)
        fputs("(bytes not shown: out of memory)", out);
    else if (b.len)
        fwrite(b.ptr, 1, b.len, out);
    cf_buf_free(&b);
}

/* The bytes as text, one wire line (up to and with its LF) per terminal line, each indented. */
static void text_lines(FILE *out, const char *indent, const uint8_t *p, size_t n, size_t max_lines)
{
    size_t lines = 0, i = 0;
    while (i < n && lines < max_lines) {
        const uint8_t *lf = memchr(p + i, '\n', n - i);
        size_t end = lf ? (size_t)(lf - p) + 1 : n;
        fputs(indent, out);
        put_escaped(out, p + i, end - i);
        fputc('\n', out);
        i = end;
        lines++;
    }
    if (i < n) fprintf(out, "%s... %zu more bytes\n", indent, n - i);
}

/* A hexdump -C style dump: offset, 16 hex bytes in two groups, the printable ASCII. */
static void hexdump(FILE *out, const char *indent, const uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n; off += ROW) {
        size_t len = n - off < ROW ? n - off : ROW;
        fprintf(out, "%s%08zx ", indent, off);
        for (size_t i = 0; i < ROW; i++) {
            if (i == ROW / 2) fputc(' ', out);
            if (i < len)
                fprintf(out, " %02x", p[off + i]);
            else
                fputs("   ", out);
        }
        fputs("  |", out);
        for (size_t i = 0; i < len; i++) {
            uint8_t c = p[off + i];
            fputc(c >= 0x20 && c < 0x7F ? c : '.', out);
        }
        fputs("|\n", out);
    }
}

static void side(cf_term *t, const char *prefix, const char *what, const uint8_t *p, size_t kept,
                 uint64_t total)
{
    size_t shown = kept < SHOW_CAP ? kept : SHOW_CAP;
    fprintf(t->out, "      %s%s %llu bytes%s:\n", prefix, what, (unsigned long long)total,
            shown < total ? " (the first ones below)" : "");
    if (!shown) return;
    text_lines(t->out, "        ", p, shown, (size_t)-1);
    hexdump(t->out, "        ", p, shown);
    if (shown < total)
        fprintf(t->out, "        ... %llu more bytes not kept\n",
                (unsigned long long)(total - shown));
}

void cf_term_show(cf_term *t, const cf_report_case *c)
{
    for (size_t i = 0; i < c->nsteps; i++) {
        const cf_report_step *s = &c->steps[i];
        char prefix[32] = "";
        if (c->nsteps > 1) snprintf(prefix, sizeof prefix, "step %zu ", i + 1);
        side(t, prefix, "sent", s->sent, s->sent_len, s->sent_total);
        side(t, prefix, "received", s->received, s->received_len, s->received_total);
    }
}

void cf_term_response_heads(cf_term *t, const cf_report_case *c, size_t step)
{
    for (size_t i = 0; i < c->nresponses; i++) {
        const cf_report_response *r = &c->responses[i];
        if (r->step != step) continue;
        size_t n = 0;
        const uint8_t *p = cf_report_response_bytes(c, r, &n);
        if (!p || !n) continue;
        size_t head = n; /* up to the empty line that ends the header section */
        for (size_t k = 0; k + 1 < n; k++)
            if (p[k] == '\n' &&
                (p[k + 1] == '\n' || (k + 2 < n && p[k + 1] == '\r' && p[k + 2] == '\n'))) {
                head = k + 1;
                break;
            }
        text_lines(t->out, "                ", p, head, HEAD_LINES);
    }
}
