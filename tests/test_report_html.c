/* Unit tests of the HTML report (lib/report/report_html*.c) on a report built by hand: the summary
 * numbers, escaping of everything from specs and servers, hexdumps (bytes <>&"' NUL 0xFF),
 * self-containment, well-nested markup, section order, details, the summaries and the grid.
 *
 * With CF_REPORT_HTML_OUT=PATH set, the test "write_fixture" also writes the fixture's page to
 * PATH and its JSON report to PATH.json (tests/it_html_render.sh uses them when `conform run
 * --report` is not available). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"
#include "report_formats.h"
#include "report_html.h"
#include "rules.h"

/* The bytes step 1 of the failing case sent: 21 bytes of text with every HTML metacharacter,
 * then NUL and 0xFF. */
static uint8_t sent_bytes[] = "GET /<>&\"' HTTP/1.1\r\n\0\xff";
#define SENT_LEN 23
static uint8_t resp_bytes[] = "HTTP/1.1 200 OK\r\nX: <b>&amp;</b>\r\n\r\n\0\xff";
#define RESP_LEN 38
static uint8_t ok_bytes[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

static const char hostile_requirement[] = "A server MUST <script src=\"http://x/y.js\">"
                                          "alert('&')</script> reject it.";

static cf_report_finding findings[] = {
    {.rule = CF_R_DATE_MISSING, .level = CF_RL_SHOULD, .message = "no Date <field> & no clock"},
};
static char *failed_checks[] = {"status: expected 400, got <200>"};

static cf_report_step step_fail = {
    .checked = true,
    .pass = false,
    .expected = "status 400",
    .actual = "status 200 \"OK\"",
    .failed = failed_checks,
    .nfailed = 1,
    .note = "the server kept the connection open",
    .sent = sent_bytes,
    .sent_len = SENT_LEN,
    .sent_total = SENT_LEN,
    .received = resp_bytes,
    .received_len = RESP_LEN,
    .received_total = RESP_LEN,
};
static cf_report_response resp_fail = {
    .status = 200,
    .reason = "OK",
    .step = 0,
    .complete = true,
    .method = "GET",
    .request_version = 11,
    .raw_len = RESP_LEN,
    .findings = findings,
    .nfindings = 1,
};
static cf_report_step step_ok = {
    .checked = true,
    .pass = true,
    .expected = "status 200",
    .actual = "status 200",
    .sent = (uint8_t *)"GET / HTTP/1.1\r\n\r\n",
    .sent_len = 18,
    .sent_total = 18,
    .received = ok_bytes,
    .received_len = sizeof ok_bytes - 1,
    .received_total = sizeof ok_bytes - 1,
};
static cf_report_response resp_ok = {
    .status = 200,
    .reason = "OK",
    .complete = true,
    .method = "GET",
    .raw_len = sizeof ok_bytes - 1,
};
static cf_report_response resp_400 = {
    .status = 400, .reason = "Bad Request", .complete = true, .method = "GET"};

#define CASE(ID, RFC, SEC, LEVEL, VERDICT)                                                         \
    .id = ID, .title = "Title of " ID, .rfc = RFC, .section = SEC, .level = CF_RL_##LEVEL,         \
    .requirement = "A requirement.", .category = "cat", .verdict = CF_RV_##VERDICT

/* Spec order on purpose not section order: 6.10 comes before 6.2 here. */
static cf_report_case cases_a[] = {
    {CASE("rfc9112-6.10-fail", 9112, "6.10", MUST, FAIL), .note = "Accepts <400> & a close.",
     .repro = "printf 'GET /<>&\"' HTTP/1.1\\r\\n' | nc 127.0.0.1 8080", .steps = &step_fail,
     .nsteps = 1, .responses = &resp_fail, .nresponses = 1, .elapsed_ms = 12},
    {CASE("rfc9112-6.2-pass", 9112, "6.2", MUST, PASS), .steps = &step_ok, .nsteps = 1,
     .responses = &resp_ok, .nresponses = 1, .elapsed_ms = 3},
    {CASE("rfc9112-6.2-warn", 9112, "6.2", SHOULD, WARN), .responses = &resp_400, .nresponses = 1},
    {CASE("rfc9110-9.3.1-info", 9110, "9.3.1", MAY, INFO), .responses = &resp_ok, .nresponses = 1},
    {CASE("rfc9110-9.3.1-error", 9110, "9.3.1", MUST, ERROR),
     .error = "cannot connect: Connection <refused>", .elapsed_ms = 2345},
    {CASE("rfc9112-6.2-pass-2", 9112, "6.2", MUST, PASS), .responses = &resp_ok, .nresponses = 1},
};
#define NCASES_A (sizeof cases_a / sizeof cases_a[0])

/* A second target: the same ids, other verdicts for two of them. */
static cf_report_case cases_b[] = {
    {CASE("rfc9112-6.10-fail", 9112, "6.10", MUST, PASS), .responses = &resp_400, .nresponses = 1},
    {CASE("rfc9112-6.2-pass", 9112, "6.2", MUST, PASS)},
    {CASE("rfc9112-6.2-warn", 9112, "6.2", SHOULD, PASS)},
};

static char *spec_paths[] = {"specs/rfc9112/<framing>.yaml"};
static cf_report_target targets[] = {
    {.name = "127.0.0.1:8080", .cases = cases_a, .ncases = NCASES_A, .elapsed_ms = 2400},
    {.name = "nginx & co", .cases = cases_b, .ncases = 3, .elapsed_ms = 50},
};

static cf_report fixture(size_t ntargets)
{
    cf_report r = {
        .schema_version = CF_REPORT_SCHEMA_VERSION,
        .conform_version = "0.1.0-test",
        .started_at = "2024-05-01T12:00:00Z",
        .spec_paths = spec_paths,
        .nspec_paths = 1,
        .strict = false,
        .targets = targets,
        .ntargets = ntargets,
    };
    /* The counts the model carries, as the report builder sets them. */
    for (size_t t = 0; t < 2; t++) {
        memset(targets[t].counts, 0, sizeof targets[t].counts);
        for (size_t i = 0; i < targets[t].ncases; i++) {
            targets[t].counts[targets[t].cases[i].verdict]++;
        }
    }
    return r;
}

/* Renders r into a NUL-terminated string (asserting success). */
static char *render(const cf_report *r, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    cr_assert_not_null(fp);
    cr_assert_eq(cf_report_html(r, fp), 0);
    cr_assert_eq(fclose(fp), 0);
    if (len) *len = n;
    return buf;
}

/* The number written right after the element with id="id": <span ... id="ID" ...>N</span>. */
static long count_of(const char *html, const char *id)
{
    char needle[96];
    snprintf(needle, sizeof needle, "id=\"%s\"", id);
    const char *p = strstr(html, needle);
    cr_assert_not_null(p, "no element %s", needle);
    cr_assert_null(strstr(p + 1, needle), "%s twice", needle);
    p = strchr(p, '>');
    cr_assert_not_null(p);
    char *end;
    long v = strtol(p + 1, &end, 10);
    cr_assert(end > p + 1 && *end == '<', "no number in %s", id);
    return v;
}

static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

Test(report_html, summary_numbers_match_the_cases)
{
    cf_report r = fixture(1);
    char *html = render(&r, NULL);
    static const char *const names[] = {"pass", "fail", "warn", "info", "error"};
    long want[5] = {0};
    for (size_t i = 0; i < NCASES_A; i++)
        want[cases_a[i].verdict]++;
    for (size_t v = 0; v < 5; v++) {
        char id[32];
        snprintf(id, sizeof id, "summary-0-%s", names[v]);
        cr_expect_eq(count_of(html, id), want[v], "%s", names[v]);
        snprintf(id, sizeof id, "data-count=\"%s\"", names[v]);
        cr_expect_eq(occurrences(html, id), 1, "%s", id);
    }
    cr_expect_eq(count_of(html, "summary-0-total"), (long)NCASES_A);
    /* The bar: one segment per verdict seen, widths from the counts (2 of 6 = 33.3%). */
    cr_expect_not_null(strstr(html, "<span class=\"seg v-pass\" style=\"width:33.3%\""));
    cr_expect_not_null(strstr(html, "<span class=\"seg v-fail\" style=\"width:16.6%\""));
    cr_expect_null(strstr(html, "summary-0-other"), "no 'other' count when there is none");
    free(html);
}

Test(report_html, escapes_text_from_specs_and_servers)
{
    cf_report r = fixture(2);
    cases_a[0].requirement = (char *)hostile_requirement;
    char *html = render(&r, NULL);
    cases_a[0].requirement = "A requirement.";
    cr_expect_not_null(strstr(html, "A server MUST &lt;script src=&quot;http://x/y.js&quot;&gt;"
                                    "alert(&#39;&amp;&#39;)&lt;/script&gt; reject it."));
    cr_expect_null(strstr(html, "<script"));
    cr_expect_not_null(strstr(html, "no Date &lt;field&gt; &amp; no clock"));
    cr_expect_not_null(strstr(html, "status: expected 400, got &lt;200&gt;"));
    cr_expect_not_null(strstr(html, "status 200 &quot;OK&quot;"));
    cr_expect_not_null(strstr(html, "cannot connect: Connection &lt;refused&gt;"));
    cr_expect_not_null(strstr(html, "<code>specs/rfc9112/&lt;framing&gt;.yaml</code>"));
    cr_expect_not_null(strstr(html, "data-target=\"nginx &amp; co\""));
    cr_expect_not_null(strstr(html, "<code class=\"copy\" title=\"click to select\">printf "
                                    "&#39;GET /&lt;&gt;&amp;&quot;&#39; HTTP/1.1\\r\\n&#39; | nc "
                                    "127.0.0.1 8080</code>"));
    free(html);
}

Test(report_html, odd_text_bytes_are_shown_not_passed_through)
{
    cf_report r = fixture(1);
    cases_a[1].title = "Straße\x01 ok\x7f \xc3(\xed\xa0\x80)";
    char *html = render(&r, NULL);
    cases_a[1].title = "Title of rfc9112-6.2-pass";
    /* Well-formed UTF-8 stays; a control, DEL, a cut sequence and a surrogate become \xNN. */
    cr_expect_not_null(strstr(html, "Straße\\x01 ok\\x7F \\xC3(\\xED\\xA0\\x80)"), "%s",
                       strstr(html, "Straße") ? strstr(html, "Straße") : "(absent)");
    free(html);
}

Test(report_html, hexdump_rows)
{
    cf_report r = fixture(1);
    size_t len;
    char *html = render(&r, &len);
    cr_expect_not_null(strstr(html, "<span class=\"o\">00000000</span>  47 45 54 20 2f 3c 3e 26  "
                                    "22 27 20 48 54 54 50 2f  <span class=\"a\">|GET "
                                    "/&lt;&gt;&amp;&quot;&#39; HTTP/|</span>\n"));
    cr_expect_not_null(strstr(html, "<span class=\"o\">00000010</span>  31 2e 31 0d 0a 00 ff     "
                                    "                         <span class=\"a\">|1.1<span "
                                    "class=\"np\">....</span>|</span>\n"));
    /* The response: "X: <b>&amp;</b>" is hexdumped, never written as markup. */
    cr_expect_not_null(strstr(html, "</span>X: &lt;b&gt;&amp;amp;&lt;/b&gt;|</span>"));
    cr_expect_null(strstr(html, "<b>"));
    /* No byte from the wire reaches the page raw. */
    cr_expect_eq(memchr(html, 0, len), NULL, "a NUL byte in the page");
    cr_expect_eq(memchr(html, 0xff, len), NULL, "a 0xFF byte in the page");
    free(html);
}

Test(report_html, hexdump_is_capped)
{
    static uint8_t big[20000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + i / 256);
    cf_report_step st = {.sent = big, .sent_len = sizeof big, .sent_total = 30000};
    cf_report_case c = {CASE("big", 9112, "1", MUST, FAIL), .steps = &st, .nsteps = 1};
    cf_report_target tg = {.name = "t", .cases = &c, .ncases = 1};
    cf_report r = fixture(1);
    r.targets = &tg;
    char *html = render(&r, NULL);
    cr_expect_not_null(strstr(html, "Step 1 sent <span class=\"muted\">first 20000 of 30000 "
                                    "bytes</span>"));
    cr_expect_eq(occurrences(html, "<span class=\"o\">"), 16384 / 16, "one row per 16 bytes");
    cr_expect_not_null(strstr(html, "<span class=\"o\">00003ff0</span>"), "the last row shown");
    cr_expect_null(strstr(html, "<span class=\"o\">00004000</span>"), "a row past the cap");
    cr_expect_not_null(strstr(html, "… 3616 more bytes not shown"));
    free(html);
}

Test(report_html, hexdump_collapses_repeated_rows)
{
    static uint8_t same[16 * 10 + 5];
    memset(same, 'b', sizeof same);
    memcpy(same, "GET /", 5);
    cf_report_step st = {.sent = same, .sent_len = sizeof same, .sent_total = sizeof same};
    cf_report_case c = {CASE("rep", 9112, "1", MUST, FAIL), .steps = &st, .nsteps = 1};
    cf_report_target tg = {.name = "t", .cases = &c, .ncases = 1};
    cf_report r = fixture(1);
    r.targets = &tg;
    char *html = render(&r, NULL);
    /* Row 0 (GET /bbb...) and row 1 (all b) are written; rows 2..9 repeat row 1 and become
     * one '*'; row 10 (5 bytes) is the last one and always written. */
    const char *pre = strstr(html, "<pre class=\"hex\">");
    cr_assert_not_null(pre);
    cr_expect_not_null(strstr(pre, "<span class=\"o\">00000000</span>"));
    cr_expect_not_null(strstr(pre, "<span class=\"o\">00000010</span>"));
    cr_expect_not_null(strstr(pre, "|</span>\n<span class=\"np\">*</span>\n<span "
                                   "class=\"o\">000000a0</span>  62 62 62 62 62     "));
    cr_expect_eq(occurrences(pre, "<span class=\"o\">"), 3);
    cr_expect_eq(occurrences(pre, "<span class=\"np\">*</span>"), 1);
    free(html);
}

/* Every tag: no external resource can be named, and elements nest properly. */
static void check_markup(const char *html)
{
    static const char *const banned[] = {"script", "link",  "img",   "iframe", "object", "embed",
                                         "base",   "audio", "video", "source", "form",   "svg"};
    static const char *const void_tags[] = {"meta", "input", "br", "hr", "!DOCTYPE"};
    const char *stack[64];
    size_t depth = 0;
    for (const char *p = strchr(html, '<'); p; p = strchr(p, '<')) {
        const char *end = strchr(p, '>');
        cr_assert_not_null(end, "unclosed tag");
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t nlen = strcspn(name, " >\n");
        char tag[32] = "";
        cr_assert(nlen > 0 && nlen < sizeof tag, "odd tag at %.40s", p);
        memcpy(tag, name, nlen);
        for (size_t b = 0; b < sizeof banned / sizeof banned[0]; b++)
            cr_assert_str_neq(tag, banned[b], "<%s> in the page", tag);
        /* Inside a tag: no src, no href that leaves the page, no inline handler. */
        char attrs[4096];
        size_t alen = (size_t)(end - p) < sizeof attrs - 1 ? (size_t)(end - p) : sizeof attrs - 1;
        memcpy(attrs, p, alen);
        attrs[alen] = '\0';
        cr_assert_null(strstr(attrs, " src="), "%s", attrs);
        for (const char *on = strstr(attrs, " on"); on; on = strstr(on + 1, " on")) {
            size_t letters = strspn(on + 3, "abcdefghijklmnopqrstuvwxyz");
            cr_assert(on[3 + letters] != '=', "an event handler: %s", attrs);
        }
        const char *href = strstr(attrs, "href=\"");
        if (href) cr_assert_eq(href[6], '#', "%s", attrs);
        if (strcmp(tag, "style") == 0 && !closing) {
            const char *close = strstr(end, "</style>");
            cr_assert_not_null(close);
            char *css = strndup(end, (size_t)(close - end));
            cr_assert_null(strstr(css, "url("), "url() in the style sheet");
            cr_assert_null(strstr(css, "@import"));
            cr_assert_null(strchr(css, '<'));
            free(css);
            p = close + strlen("</style>");
            continue;
        }
        int is_void = 0;
        for (size_t v = 0; v < sizeof void_tags / sizeof void_tags[0]; v++)
            is_void |= strcmp(tag, void_tags[v]) == 0;
        if (closing) {
            cr_assert(depth > 0, "</%s> closes nothing", tag);
            cr_assert_eq(strncmp(stack[depth - 1], tag, nlen), 0, "</%s> closes <%.10s", tag,
                         stack[depth - 1]);
            cr_assert(strcspn(stack[depth - 1], " >\n") == nlen);
            depth--;
        } else if (!is_void) {
            cr_assert(depth < 64, "nesting too deep");
            stack[depth++] = name;
        }
        p = end;
    }
    cr_assert_eq(depth, 0, "%zu elements left open", depth);
}

Test(report_html, self_contained_and_well_nested)
{
    cf_report r = fixture(2);
    cases_a[0].requirement = (char *)hostile_requirement;
    char *html = render(&r, NULL);
    cases_a[0].requirement = "A requirement.";
    cr_expect_eq(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32), 0);
    cr_expect_not_null(strstr(html, "<meta charset=\"utf-8\">"));
    check_markup(html);
    free(html);

    /* With no hostile text, not a single URL anywhere. */
    html = render(&r, NULL);
    cr_expect_null(strstr(html, "http://"));
    cr_expect_null(strstr(html, "https://"));
    cr_expect_null(strstr(html, "src="));
    cr_expect_null(strstr(html, "<link"));
    free(html);
}

Test(report_html, sections_in_rfc_and_numeric_order)
{
    cf_report r = fixture(1);
    char *html = render(&r, NULL);
    const char *s9110 = strstr(html, "<section class=\"rfcsec\" id=\"t0-s-9110-9.3.1\">");
    const char *s62 = strstr(html, "<section class=\"rfcsec\" id=\"t0-s-9112-6.2\">");
    const char *s610 = strstr(html, "<section class=\"rfcsec\" id=\"t0-s-9112-6.10\">");
    cr_assert(s9110 && s62 && s610, "a section table is missing");
    cr_expect(s9110 < s62 && s62 < s610, "sections out of order");
    /* Within 6.2, spec order: pass, warn, pass-2. */
    const char *a = strstr(s62, "id=\"t0-c-rfc9112-6.2-pass\"");
    const char *b = strstr(s62, "id=\"t0-c-rfc9112-6.2-warn\"");
    const char *c = strstr(s62, "id=\"t0-c-rfc9112-6.2-pass-2\"");
    cr_assert(a && b && c && c < s610);
    cr_expect(a < b && b < c);
    /* The overview: 6.2 has MUST 2/2, SHOULD 0/1, no MAY, 3 cases. */
    cr_expect_not_null(strstr(html, "<a href=\"#t0-s-9112-6.2\">RFC 9112 §6.2</a></td><td "
                                    "class=\"num ok l-must\">2/2</td><td class=\"num bad "
                                    "l-should\">0/1</td><td class=\"num muted\">–</td><td "
                                    "class=\"num\">3</td>"));
    free(html);
}

/* The text from the row of case id to the next case row. */
static char *case_block(const char *html, const char *id)
{
    char needle[96];
    snprintf(needle, sizeof needle, "<tr class=\"case v-");
    char idattr[96];
    snprintf(idattr, sizeof idattr, "id=\"t0-c-%s\"", id);
    const char *p = strstr(html, idattr);
    cr_assert_not_null(p, "no row for %s", id);
    const char *next = strstr(p, needle);
    const char *end = strstr(p, "</table>");
    if (!next || (end && end < next)) next = end;
    return strndup(p, (size_t)(next - p));
}

Test(report_html, details_of_cases_that_did_not_pass)
{
    cf_report r = fixture(1);
    char *html = render(&r, NULL);
    char *fail = case_block(html, "rfc9112-6.10-fail");
    cr_expect_not_null(strstr(fail, "<span class=\"badge v-fail\">FAIL</span>"));
    cr_expect_not_null(strstr(fail, "<tr class=\"detail v-fail\">"));
    cr_expect_not_null(strstr(fail, "<dt>expected</dt><dd>status 400</dd>"));
    cr_expect_not_null(strstr(fail, "A requirement.</p>\n<p class=\"note\"><span class=\"k\">"
                                    "reading</span> Accepts &lt;400&gt; &amp; a close.</p>"),
                       "%s", fail);
    cr_expect_not_null(strstr(fail, "<ul class=\"failed\"><li>status: expected 400"));
    cr_expect_not_null(strstr(fail, "the server kept the connection open"));
    cr_expect_not_null(strstr(fail, "<code>date-missing</code>"));
    cr_expect_not_null(strstr(fail, "<details class=\"wire\"><summary>"));
    cr_expect_not_null(strstr(fail, "Step 1 sent <span class=\"muted\">23 bytes</span>"));
    cr_expect_not_null(strstr(fail, "Received <span class=\"muted\">38 bytes</span>"));
    free(fail);

    char *err = case_block(html, "rfc9110-9.3.1-error");
    cr_expect_not_null(strstr(err, "<tr class=\"detail v-error\">"));
    cr_expect_not_null(strstr(err, "<p class=\"err\">"));
    cr_expect_not_null(strstr(err, "2.3 s"));
    free(err);

    char *pass = case_block(html, "rfc9112-6.2-pass");
    cr_expect_null(strstr(pass, "<tr class=\"detail"), "a passing case has no detail row");
    free(pass);
    /* One <details> per case that did not pass and has bytes or responses: fail, warn, info. */
    cr_expect_eq(occurrences(html, "<details class=\"wire\">"), 3);
    free(html);
}

Test(report_html, summaries_of_statuses_and_rules)
{
    cf_report r = fixture(1);
    char *html = render(&r, NULL);
    /* Category "cat": 200 four times, 400 once, and "none" for the case with no response. */
    const char *cat = strstr(html, "<li><span class=\"cat\">cat</span><span class=\"muted "
                                   "ncases\">6 cases</span><span>");
    cr_assert_not_null(cat);
    cr_expect_not_null(strstr(cat, "<span class=\"chip s0\">none <span class=\"muted\">×1</span>"));
    cr_expect_not_null(strstr(cat, "<span class=\"chip s2\">200 <span class=\"muted\">×4"));
    cr_expect_not_null(strstr(cat, "<span class=\"chip s4\">400 <span class=\"muted\">×1"));
    const char *rules = strstr(html, "<table class=\"rules\">");
    cr_assert_not_null(rules);
    cr_expect_not_null(strstr(rules, "<code>date-missing</code>"));
    cr_expect_not_null(strstr(rules, "<a href=\"#t0-c-rfc9112-6.10-fail\">rfc9112-6.10-fail</a>"));
    free(html);
}

Test(report_html, grid_for_several_targets)
{
    cf_report one = fixture(1);
    char *html = render(&one, NULL);
    cr_expect_null(strstr(html, "id=\"grid\""), "no grid for one target");
    free(html);

    cf_report two = fixture(2);
    html = render(&two, NULL);
    const char *grid = strstr(html, "<section class=\"card\" id=\"grid\">");
    cr_assert_not_null(grid);
    cr_expect_eq(count_of(html, "summary-1-pass"), 3);
    cr_expect_eq(count_of(html, "summary-1-total"), 3);
    /* rfc9112-6.10-fail: FAIL on one target, PASS on the other. */
    const char *row = strstr(grid, "<td class=\"c-id\">rfc9112-6.10-fail");
    cr_assert_not_null(row);
    const char *tr = row;
    while (tr > grid && strncmp(tr, "<tr ", 4) != 0)
        tr--;
    cr_expect_eq(strncmp(tr, "<tr class=\"differs\">", 20), 0);
    cr_expect_not_null(strstr(row, "<a href=\"#t1-c-rfc9112-6.10-fail\"><span class=\"badge "
                                   "v-pass\">PASS</span></a>"));
    /* A case only the first target ran. */
    const char *info = strstr(grid, "<td class=\"c-id\">rfc9110-9.3.1-info");
    cr_assert_not_null(info);
    cr_expect_not_null(strstr(info, "<td class=\"c-v muted\">not run</td>"));
    free(html);
}

Test(report_html, anchors_are_sanitized)
{
    cf_report_case c = {CASE("weird id\"<x>", 9112, "6 1", MUST, FAIL)};
    cf_report_target tg = {.name = "t", .cases = &c, .ncases = 1};
    cf_report r = fixture(1);
    r.targets = &tg;
    char *html = render(&r, NULL);
    cr_expect_not_null(strstr(html, "id=\"t0-c-weird_id__x_\""));
    cr_expect_not_null(strstr(html, "href=\"#t0-c-weird_id__x_\">weird id&quot;&lt;x&gt;</a>"));
    cr_expect_not_null(strstr(html, "id=\"t0-s-9112-6_1\""));
    free(html);
}

Test(report_html, write_error_is_reported)
{
    cf_report r = fixture(2);
    FILE *fp = fopen("/dev/full", "w");
    cr_assert_not_null(fp);
    cr_expect_eq(cf_report_html(&r, fp), -1);
    fclose(fp);
}

Test(report_html, empty_report)
{
    cf_report r = {.schema_version = 1};
    char *html = render(&r, NULL);
    cr_expect_not_null(strstr(html, "</html>\n"));
    check_markup(html);
    free(html);
}

/* Writes the fixture's page and its JSON report for tests/it_html_render.sh (fallback). */
Test(report_html, write_fixture)
{
    const char *path = getenv("CF_REPORT_HTML_OUT");
    if (!path) return;
    cf_report r = fixture(2);
    char json[4096];
    snprintf(json, sizeof json, "%s.json", path);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s", path);
    cr_assert_eq(cf_report_html(&r, fp), 0);
    cr_assert_eq(fclose(fp), 0);
    fp = fopen(json, "w");
    cr_assert_not_null(fp, "%s", json);
    cr_assert_eq(cf_report_json(&r, fp), 0);
    cr_assert_eq(fclose(fp), 0);
}

/* The fixture's three targets (report_fixture.h) with a disagreement for the grid. */
static void three_heap_targets(cf_report *r)
{
    cf_fixture_report_three_targets(r);
    r->targets[2].cases[1].verdict = CF_RV_PASS;
}

Test(report_html, streamed_rows_and_compact_model_write_the_same_bytes)
{
    for (int ntargets = 1; ntargets <= 3; ntargets += 2) {
        cf_report whole, streamed;
        if (ntargets == 1) {
            cf_fixture_report(&whole);
            cf_fixture_report(&streamed);
        } else {
            three_heap_targets(&whole);
            three_heap_targets(&streamed);
        }
        cf_report_html_stream *s = cf_report_html_stream_new();
        cr_assert_not_null(s);
        for (size_t t = 0; t < streamed.ntargets; t++)
            for (size_t i = 0; i < streamed.targets[t].ncases; i++) {
                cf_report_case *c = &streamed.targets[t].cases[i];
                cr_assert_eq(cf_report_html_stream_case(s, t, c), 0);
                cf_report_case_compact(c, ntargets > 1, &streamed.targets[t].pool);
            }
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        cr_assert_not_null(f);
        cr_assert_eq(cf_report_html_stream_finish(s, &streamed, f), 0);
        fclose(f);
        cf_report_html_stream_free(s);
        char *want = render(&whole, NULL);
        cr_expect_str_eq(buf, want);
        cr_expect(strstr(want, "00000000") != NULL, "the fixture's details have hexdumps");
        free(buf);
        free(want);
        cf_report_free(&whole);
        cf_report_free(&streamed);
    }
}
