/* The HTML report: the escaping writer and the small shared pieces (report_html_internal.h). */
#include "report_html_internal.h"

#include <string.h>

#include "util_utf8.h"

void cf_html_raw(cf_html *h, const char *s)
{
    if (h->err) return;
    if (fputs(s, h->fp) == EOF) h->err = 1;
}

static void put_n(cf_html *h, const char *s, size_t n)
{
    if (h->err || n == 0) return;
    if (fwrite(s, 1, n, h->fp) != n) h->err = 1;
}

static const char *entity(unsigned char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

void cf_html_text_n(cf_html *h, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* bytes at p[i - run .. i) that go out as they are */
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        const char *ent = entity(c);
        size_t u = c >= 0x80 ? cf_utf8_seq_len(p + i, n - i) : 0;
        if (!ent && ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n')) {
            run++, i++;
            continue;
        }
        if (u) {
            run += u, i += u;
            continue;
        }
        put_n(h, (const char *)p + i - run, run);
        run = 0;
        if (ent) {
            cf_html_raw(h, ent);
        } else {
            char esc[8];
            snprintf(esc, sizeof esc, "\\x%02X", c);
            cf_html_raw(h, esc);
        }
        i++;
    }
    put_n(h, (const char *)p + n - run, run);
}

void cf_html_text(cf_html *h, const char *s)
{
    if (s) cf_html_text_n(h, s, strlen(s));
}

void cf_html_uint(cf_html *h, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    cf_html_raw(h, buf);
}

void cf_html_anchor(cf_html *h, size_t t, const char *kind, const char *name)
{
    char buf[256];
    size_t len = 0;
    cf_html_raw(h, "t");
    cf_html_uint(h, t);
    cf_html_raw(h, "-");
    cf_html_raw(h, kind);
    cf_html_raw(h, "-");
    for (const char *p = name ? name : ""; *p; p++) {
        char c = *p;
        int safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
        buf[len++] = safe ? c : '_';
        if (len == sizeof buf) {
            put_n(h, buf, len);
            len = 0;
        }
    }
    put_n(h, buf, len);
}

_Static_assert(CF_HTML_NVERDICTS == CF_RV__COUNT + 1, "one class per verdict, and other");
_Static_assert(CF_HTML_NLEVELS == CF_RL__COUNT + 1, "one class per level, and other");

static const char *const verdict_classes[CF_HTML_NVERDICTS] = {
    "pass", "fail", "warn", "info", "error", "skip", "xfail", "xpass", "other"};
static const char *const level_classes[CF_HTML_NLEVELS] = {"must", "should", "may", "other"};

size_t cf_html_verdict_index(cf_report_verdict verdict)
{
    return (unsigned)verdict < CF_RV__COUNT ? (size_t)verdict : CF_HTML_NVERDICTS - 1;
}

size_t cf_html_level_index(cf_report_level level)
{
    return (unsigned)level < CF_RL__COUNT ? (size_t)level : CF_HTML_NLEVELS - 1;
}

const char *cf_html_verdict_class(size_t v)
{
    return verdict_classes[v < CF_HTML_NVERDICTS ? v : CF_HTML_NVERDICTS - 1];
}

const char *cf_html_level_class(size_t l)
{
    return level_classes[l < CF_HTML_NLEVELS ? l : CF_HTML_NLEVELS - 1];
}

void cf_html_badge(cf_html *h, cf_report_verdict verdict)
{
    cf_html_raw(h, "<span class=\"badge v-");
    cf_html_raw(h, cf_html_verdict_class(cf_html_verdict_index(verdict)));
    cf_html_raw(h, "\">");
    cf_html_text(h, cf_report_verdict_name((int)verdict));
    cf_html_raw(h, "</span>");
}

void cf_html_duration(cf_html *h, unsigned ms)
{
    char buf[32];
    if (ms < 1000)
        snprintf(buf, sizeof buf, "%u ms", ms);
    else
        snprintf(buf, sizeof buf, "%u.%u s", ms / 1000, ms % 1000 / 100);
    cf_html_raw(h, buf);
}

void cf_html_counts(const cf_report_summary *sum, size_t counts[CF_HTML_NVERDICTS])
{
    size_t known = 0;
    for (size_t v = 0; v < CF_RV__COUNT; v++)
        known += counts[v] = sum->counts[v];
    counts[CF_HTML_NVERDICTS - 1] = sum->total > known ? sum->total - known : 0;
}
