/* The violation codes as the parser's accessors give them (h1_code_name, h1_code_section,
 * h1_code_lenient_bit, h1_code_status, h1_code_message, h1_lenient_name, h1_lenient_from_name)
 * against a table written here by hand, and the documentation (docs/violations.md) against the
 * accessors, code by code. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1_parser.h"

/* Every code in enum order, written out by hand from the RFC text it cites, not expanded from
 * parsers/include/h1_violations.def: a change there must be made here too, on purpose. lenient is
 * the documented name of the bit that relaxes the rule ("-": none, the RFC leaves no choice);
 * status is what a server answers a request breaking it with (0: rules of responses only). */
typedef struct code_row {
    const char *name, *section, *lenient;
    int status;
} code_row;

/* clang-format off */
static const code_row codes[] = {
    {"NONE",                "-",                "-",                   0},
    /* RFC 9112 §2.2: a bare CR MUST be rejected or read as SP; LF alone MAY end a line;
     * whitespace before the first field line MUST be rejected or the line skipped; at least one
     * empty line before the request-line SHOULD be ignored. */
    {"BARE_CR",             "RFC 9112 §2.2",    "bare-cr",             400},
    {"BARE_LF",             "RFC 9112 §2.2",    "bare-lf",             400},
    {"WS_AFTER_START_LINE", "RFC 9112 §2.2",    "ws-after-start-line", 400},
    /* RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT; RFC 9110 §15.6.6: 505. */
    {"VERSION",             "RFC 9112 §2.3",    "-",                   400},
    {"VERSION_MAJOR",       "RFC 9110 §15.6.6", "-",                   505},
    {"EMPTY_LINES",         "RFC 9112 §2.2",    "-",                   400},
    /* RFC 9112 §3: a request-target longer than the server parses MUST get 414. */
    {"START_LINE_TOO_LONG", "RFC 9112 §3",      "-",                   414},
    /* RFC 9112 §3: request-line = method SP request-target SP HTTP-version; RFC 9110 §9.1:
     * method = token; RFC 9112 §3.2 and RFC 3986 §2.1: the request-target and its forms. */
    {"METHOD_EMPTY",        "RFC 9112 §3",      "-",                   400},
    {"METHOD_CHAR",         "RFC 9110 §9.1",    "-",                   400},
    {"REQUEST_LINE_WS",     "RFC 9112 §3",      "request-line-ws",     400},
    {"REQUEST_LINE",        "RFC 9112 §3",      "-",                   400},
    {"TARGET_EMPTY",        "RFC 9112 §3.2",    "-",                   400},
    {"TARGET_CHAR",         "RFC 9112 §3.2",    "-",                   400},
    {"TARGET_PCT",          "RFC 3986 §2.1",    "-",                   400},
    {"TARGET_FORM",         "RFC 9112 §3.2",    "-",                   400},
    {"TARGET_SCHEME",       "RFC 9112 §3.2.2",  "-",                   400},
    /* RFC 9110 §15: status-code = 3DIGIT, 100..599; RFC 9112 §4: status-line (a client SHOULD
     * ignore the reason-phrase). Response rules: no status to answer with. */
    {"STATUS_CODE",         "RFC 9110 §15",     "-",                   0},
    {"STATUS_LINE_SP",      "RFC 9112 §4",      "status-line",         0},
    {"REASON_CHAR",         "RFC 9112 §4",      "status-line",         0},
    /* RFC 9110 §5.1: field-name = token; RFC 9112 §5: field-line = field-name ":" OWS
     * field-value OWS; §5.1: whitespace before the colon MUST get 400 (a proxy MUST remove it
     * from a response); RFC 9110 §5.5: NUL, CR, LF MUST be rejected or replaced by SP;
     * RFC 9112 §5.2: obs-fold MUST get 400 or be replaced by SP; RFC 9110 §5.4 and RFC 6585
     * §5: 431 for a header section too large. */
    {"FIELD_NAME_EMPTY",    "RFC 9110 §5.1",    "-",                   400},
    {"FIELD_NAME_CHAR",     "RFC 9110 §5.1",    "-",                   400},
    {"FIELD_NO_COLON",      "RFC 9112 §5",      "-",                   400},
    {"SPACE_BEFORE_COLON",  "RFC 9112 §5.1",    "space-before-colon",  400},
    {"FIELD_VALUE_CHAR",    "RFC 9110 §5.5",    "field-value",         400},
    {"OBS_FOLD",            "RFC 9112 §5.2",    "obs-fold",            400},
    {"TOO_MANY_FIELDS",     "RFC 9110 §5.4",    "-",                   431},
    {"HEAD_TOO_LARGE",      "RFC 9110 §5.4",    "-",                   431},
    /* RFC 9112 §3.2: an HTTP/1.1 request without Host, with more than one, or with an invalid
     * one MUST get 400. */
    {"HOST_MISSING",        "RFC 9112 §3.2",    "-",                   400},
    {"HOST_MULTIPLE",       "RFC 9112 §3.2",    "-",                   400},
    {"HOST_INVALID",        "RFC 9112 §3.2",    "-",                   400},
    /* RFC 9110 §8.6: Content-Length = 1*DIGIT, identical repeats MAY be merged; RFC 9112
     * §6.3: differing values and a request TE not ending in chunked MUST get 400, TE with CL
     * MAY be rejected (else TE wins and the connection closes); §6.1: TE in HTTP/1.0 is faulty
     * framing; §7: chunked MUST NOT be applied twice. */
    {"CL_INVALID",          "RFC 9110 §8.6",    "-",                   400},
    {"CL_OVERFLOW",         "RFC 9110 §8.6",    "-",                   400},
    {"CL_CONFLICT",         "RFC 9112 §6.3",    "-",                   400},
    {"CL_REPEATED",         "RFC 9110 §8.6",    "cl-repeated",         400},
    {"TE_WITH_CL",          "RFC 9112 §6.3",    "te-with-cl",          400},
    {"TE_NOT_CHUNKED_LAST", "RFC 9112 §6.3",    "-",                   400},
    {"TE_CHUNKED_TWICE",    "RFC 9112 §7",      "-",                   400},
    {"TE_INVALID",          "RFC 9112 §6.1",    "-",                   400},
    {"TE_HTTP10",           "RFC 9112 §6.1",    "te-http10",           400},
    /* RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; §7.1.1:
     * chunk-ext; §7.1.2: the trailer section (431 like the header section). */
    {"CHUNK_SIZE",          "RFC 9112 §7.1",    "-",                   400},
    {"CHUNK_SIZE_OVERFLOW", "RFC 9112 §7.1",    "-",                   400},
    {"CHUNK_EXT",           "RFC 9112 §7.1.1",  "-",                   400},
    {"CHUNK_EXT_TOO_LONG",  "RFC 9112 §7.1.1",  "-",                   400},
    {"CHUNK_DATA_CRLF",     "RFC 9112 §7.1",    "-",                   400},
    {"TRAILERS_TOO_LARGE",  "RFC 9112 §7.1.2",  "-",                   431},
};
/* clang-format on */
#define NCODES (sizeof codes / sizeof codes[0])

/* The lenient bits as h1_lenient.def states them, read with our own X-macro. */
static const struct {
    unsigned bit;
    unsigned number;
    const char *enum_name, *name, *section, *repair;
} bits[] = {
#define H1_LENIENT(ename, number, name, section, repair)                                           \
    {H1_LENIENT_##ename, number, "H1_LENIENT_" #ename, name, section, repair},
#include "h1_lenient.def"
#undef H1_LENIENT
};
#define NBITS (sizeof bits / sizeof bits[0])

static int str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Compares what the accessors say of code c with want; describes the first difference in why
 * and returns 1, or returns 0. */
static int code_differs(size_t c, const code_row *want, char *why, size_t cap)
{
    h1_code code = (h1_code)c;
    unsigned bit = h1_code_lenient_bit(code);
    const char *lenient = bit ? h1_lenient_name(bit) : "-";
    if (!str_eq(h1_code_name(code), want->name))
        snprintf(why, cap, "code %zu is named %s", c, h1_code_name(code));
    else if (!str_eq(h1_code_section(code), want->section))
        snprintf(why, cap, "section \"%s\"", h1_code_section(code));
    else if (!str_eq(lenient, want->lenient))
        snprintf(why, cap, "lenient bit 0x%x (%s)", bit, lenient ? lenient : "no name");
    else if (h1_code_status(code) != want->status)
        snprintf(why, cap, "status %d", h1_code_status(code));
    else
        return 0;
    return 1;
}

Test(violations, every_code_as_written_here)
{
    cr_expect_eq(NCODES, (size_t)H1_V__COUNT, "%zu codes here, the parser has %d", NCODES,
                 (int)H1_V__COUNT);
    for (size_t c = 0; c < NCODES && c < (size_t)H1_V__COUNT; c++) {
        char why[256];
        cr_expect_not(code_differs(c, &codes[c], why, sizeof why), "%s: %s", codes[c].name, why);
    }
    /* The enum and the names agree where the tests use them; past the end reads as NONE. */
    cr_expect_str_eq(h1_code_name(H1_V_OBS_FOLD), "OBS_FOLD");
    cr_expect_str_eq(h1_code_name(H1_V_TE_WITH_CL), "TE_WITH_CL");
    cr_expect_str_eq(h1_code_name(H1_V__COUNT), "NONE");
}

Test(violations, code_check_detects_differences)
{
    /* The check above must be able to fail: each field of a row, wrong, is caught. */
    static const code_row wrong[] = {
        {"OBS_FOLDED", "RFC 9112 §5.2", "obs-fold", 400},
        {"OBS_FOLD", "RFC 9112 §5.3", "obs-fold", 400},
        {"OBS_FOLD", "RFC 9112 §5.2", "-", 400},
        {"OBS_FOLD", "RFC 9112 §5.2", "obs-fold", 431},
    };
    char why[256];
    cr_assert_not(code_differs(H1_V_OBS_FOLD, &codes[H1_V_OBS_FOLD], why, sizeof why), "%s", why);
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
        cr_expect(code_differs(H1_V_OBS_FOLD, &wrong[i], why, sizeof why), "row %zu", i);
}

Test(violations, names_are_unique_and_sections_cite_an_rfc)
{
    for (size_t c = 0; c < (size_t)H1_V__COUNT; c++) {
        const char *name = h1_code_name((h1_code)c), *section = h1_code_section((h1_code)c);
        for (size_t d = c + 1; d < (size_t)H1_V__COUNT; d++)
            cr_expect(strcmp(name, h1_code_name((h1_code)d)) != 0, "duplicate code %s", name);
        if (c == H1_V_NONE) continue;
        cr_expect(strncmp(section, "RFC ", 4) == 0 && strstr(section, "§"),
                  "%s: section \"%s\" does not cite an RFC section", name, section);
        cr_expect(h1_code_message((h1_code)c)[0] != 0, "%s has no message", name);
    }
}

Test(violations, statuses_are_client_errors_or_response_only)
{
    for (size_t c = 1; c < (size_t)H1_V__COUNT; c++) {
        int st = h1_code_status((h1_code)c);
        cr_expect(st == 0 || (st >= 400 && st <= 505), "%s: status %d", h1_code_name((h1_code)c),
                  st);
    }
    /* RFC 9112 §3: 414 for a too long request-target; RFC 9110 §15.6.6: 505; RFC 6585 §5: 431. */
    cr_expect_eq(h1_code_status(H1_V_START_LINE_TOO_LONG), 414);
    cr_expect_eq(h1_code_status(H1_V_VERSION_MAJOR), 505);
    cr_expect_eq(h1_code_status(H1_V_TOO_MANY_FIELDS), 431);
    cr_expect_eq(h1_code_status(H1_V_HEAD_TOO_LARGE), 431);
}

Test(violations, lenient_bits_are_single_and_all_used)
{
    unsigned used = 0;
    for (size_t c = 0; c < (size_t)H1_V__COUNT; c++) {
        unsigned b = h1_code_lenient_bit((h1_code)c);
        cr_expect((b & (b - 1)) == 0 && (b & ~(unsigned)H1_LENIENT_ALL) == 0,
                  "%s: lenient bit 0x%x is not one H1_LENIENT_* bit", h1_code_name((h1_code)c), b);
        used |= b;
    }
    cr_expect_eq(used, (unsigned)H1_LENIENT_ALL, "bits used by no code: 0x%x",
                 (unsigned)H1_LENIENT_ALL & ~used);
    cr_expect_eq(NBITS, 11);
}

Test(violations, lenient_def_rows_are_bits_in_order)
{
    for (size_t i = 0; i < NBITS; i++) {
        cr_expect_eq(bits[i].number, i, "%s: bit %u in row %zu", bits[i].enum_name, bits[i].number,
                     i);
        cr_expect_eq(bits[i].bit, 1u << i, "%s", bits[i].enum_name);
        cr_expect(strncmp(bits[i].section, "RFC ", 4) == 0 && strstr(bits[i].section, "§"),
                  "%s: section \"%s\"", bits[i].enum_name, bits[i].section);
        cr_expect(str_eq(h1_lenient_section(bits[i].bit), bits[i].section));
        cr_expect(str_eq(h1_lenient_repair(bits[i].bit), bits[i].repair));
    }
    cr_expect_null(h1_lenient_name(0));
    cr_expect_null(h1_lenient_name(H1_LENIENT_BARE_CR | H1_LENIENT_BARE_LF));
    cr_expect_null(h1_lenient_name(1u << NBITS));
    cr_expect_null(h1_lenient_section(1u << NBITS));
    cr_expect_null(h1_lenient_repair(0));
}

Test(violations, lenient_names_round_trip)
{
    unsigned all = 0;
    for (size_t i = 0; i < NBITS; i++) {
        const char *n = h1_lenient_name(bits[i].bit);
        cr_expect(str_eq(n, bits[i].name), "h1_lenient_name(0x%x) = %s, want %s", bits[i].bit,
                  n ? n : "(null)", bits[i].name);
        cr_expect_eq(h1_lenient_from_name(bits[i].name, strlen(bits[i].name)), bits[i].bit,
                     "h1_lenient_from_name(%s)", bits[i].name);
        all |= bits[i].bit;
    }
    cr_expect_eq(all, (unsigned)H1_LENIENT_ALL);
}

Test(violations, lenient_from_name_rejects_unknown_names)
{
    static const char *const bad[] = {"", "bare", "bare-c", "bare-crx", "BARE-CR ", "all", "-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(h1_lenient_from_name(bad[i], strlen(bad[i])), 0u, "\"%s\" is no bit", bad[i]);
    /* The length bounds the name: the bytes after it are not part of it. */
    cr_expect_eq(h1_lenient_from_name("bare-crx", 7), (unsigned)H1_LENIENT_BARE_CR);
    cr_expect_eq(h1_lenient_from_name("obs-folded", 8), (unsigned)H1_LENIENT_OBS_FOLD);
}

/* docs/violations.md ---------------------------------------------------------------------- */

/* One table row of the doc, cells unescaped. */
typedef struct doc_row {
    char cell[5][256];
} doc_row;

static char *read_doc_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

static char *read_doc(void)
{
    return read_doc_file(CF_SOURCE_DIR "/docs/violations.md");
}

/* Splits "| a | b \| c |" into trimmed cells, undoing Markdown backslash escapes. */
static int split_row(const char *line, size_t len, doc_row *r)
{
    int cell = -1;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        char c = line[i];
        if (c == '\\' && i + 1 < len)
            c = line[++i];
        else if (c == '|') {
            if (cell >= 0) {
                while (k && r->cell[cell][k - 1] == ' ')
                    k--;
                r->cell[cell][k] = 0;
            }
            if (++cell >= 5) return cell;
            k = 0;
            continue;
        }
        if (cell < 0 || k + 1 >= sizeof r->cell[0] || (k == 0 && c == ' ')) continue;
        r->cell[cell][k++] = c;
    }
    return cell;
}

static void strip_ticks(char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '`' && s[n - 1] == '`') {
        memmove(s, s + 1, n - 2);
        s[n - 2] = 0;
    }
}

/* The row the doc should have for code c. */
static void expected_row(size_t c, doc_row *r)
{
    unsigned bit = h1_code_lenient_bit((h1_code)c);
    const char *bn = bit ? h1_lenient_name(bit) : "-";
    snprintf(r->cell[0], sizeof r->cell[0], "%s", h1_code_name((h1_code)c));
    snprintf(r->cell[1], sizeof r->cell[1], "%s", h1_code_section((h1_code)c));
    snprintf(r->cell[2], sizeof r->cell[2], "%s", bn ? bn : "(null)");
    if (h1_code_status((h1_code)c))
        snprintf(r->cell[3], sizeof r->cell[3], "%d", h1_code_status((h1_code)c));
    else
        snprintf(r->cell[3], sizeof r->cell[3], "-");
    snprintf(r->cell[4], sizeof r->cell[4], "%s", h1_code_message((h1_code)c));
}

static size_t code_by_name(const char *name)
{
    for (size_t c = 0; c < (size_t)H1_V__COUNT; c++)
        if (str_eq(h1_code_name((h1_code)c), name)) return c;
    return SIZE_MAX;
}

Test(violations, doc_lists_every_code_as_the_parser_does)
{
    static const char *const col[] = {"code", "section", "lenient", "status", "message"};
    char *doc = read_doc();
    size_t seen[H1_V__COUNT] = {0};
    int bad = 0;
    for (char *line = doc; *line;) {
        size_t len = strcspn(line, "\n");
        doc_row r = {{{0}}};
        if (strncmp(line, "| `", 3) == 0 && split_row(line, len, &r) == 5) {
            strip_ticks(r.cell[0]);
            size_t c = code_by_name(r.cell[0]);
            if (c == SIZE_MAX) {
                cr_expect_fail("docs/violations.md lists %s, which is no code", r.cell[0]);
                bad = 1;
            } else {
                doc_row want;
                expected_row(c, &want);
                seen[c]++;
                for (int k = 1; k < 5; k++)
                    if (strcmp(r.cell[k], want.cell[k]) != 0) {
                        cr_expect_fail(
                            "docs/violations.md %s: %s is \"%s\", the parser says \"%s\"",
                            r.cell[0], col[k], r.cell[k], want.cell[k]);
                        bad = 1;
                    }
            }
        }
        line += len + (line[len] == '\n');
    }
    for (size_t c = 0; c < (size_t)H1_V__COUNT; c++)
        if (seen[c] != 1) {
            cr_expect_fail("docs/violations.md lists %s %zu times", h1_code_name((h1_code)c),
                           seen[c]);
            bad = 1;
        }
    if (!bad) return;
    /* Print the rows the doc should have, ready to paste (Markdown escapes left to the editor). */
    for (size_t c = 0; c < (size_t)H1_V__COUNT; c++) {
        doc_row w;
        expected_row(c, &w);
        cr_log_info("| `%s` | %s | %s | %s | %s |", w.cell[0], w.cell[1], w.cell[2], w.cell[3],
                    w.cell[4]);
    }
}

Test(violations, doc_table_parser_detects_differences)
{
    /* The check above must be able to fail: a row with a wrong message is read as different. */
    doc_row r = {{{0}}}, want;
    const char *line = "| `OBS_FOLD` | RFC 9112 §5.2 | obs-fold | 400 | folded \\| wrong |";
    cr_assert_eq(split_row(line, strlen(line), &r), 5);
    strip_ticks(r.cell[0]);
    cr_assert_str_eq(r.cell[0], "OBS_FOLD");
    cr_assert_str_eq(r.cell[4], "folded | wrong");
    expected_row(H1_V_OBS_FOLD, &want);
    cr_expect_str_eq(r.cell[1], want.cell[1]);
    cr_expect_str_eq(r.cell[2], want.cell[2]);
    cr_expect_str_neq(r.cell[4], want.cell[4]);
    cr_expect_eq(code_by_name("NO_SUCH_CODE"), SIZE_MAX);
}

/* docs/parser.md, "Lenient bits" ---------------------------------------------------------- */

/* The row docs/parser.md should have for bits[i]: | `CF_LENIENT_X` | `name` | section | repair | */
static void expected_lenient_row(size_t i, doc_row *r)
{
    snprintf(r->cell[0], sizeof r->cell[0], "%s", bits[i].enum_name);
    snprintf(r->cell[1], sizeof r->cell[1], "`%s`", bits[i].name);
    snprintf(r->cell[2], sizeof r->cell[2], "%s", bits[i].section);
    snprintf(r->cell[3], sizeof r->cell[3], "%s", bits[i].repair);
}

/* Compares the "| `H1_LENIENT_" rows of doc with bits[], in order; returns the differences. */
static int lenient_doc_differences(const char *doc, int report)
{
    static const char *const col[] = {"bit", "name", "section", "repair"};
    size_t i = 0;
    int bad = 0;
    for (const char *line = doc; *line;) {
        size_t len = strcspn(line, "\n");
        doc_row r = {{{0}}};
        if (strncmp(line, "| `H1_LENIENT_", 14) == 0 && split_row(line, len, &r) == 4) {
            doc_row want;
            strip_ticks(r.cell[0]);
            if (i >= NBITS) {
                if (report) cr_expect_fail("docs/parser.md lists %s after the last bit", r.cell[0]);
                bad++;
            } else {
                expected_lenient_row(i, &want);
                for (int k = 0; k < 4; k++)
                    if (strcmp(r.cell[k], want.cell[k]) != 0) {
                        if (report)
                            cr_expect_fail("docs/parser.md row %zu: %s is \"%s\", h1_lenient.def "
                                           "says \"%s\"",
                                           i + 1, col[k], r.cell[k], want.cell[k]);
                        bad++;
                    }
            }
            i++;
        }
        line += len + (line[len] == '\n');
    }
    if (i != NBITS) {
        if (report) cr_expect_fail("docs/parser.md lists %zu lenient bits, the .def %zu", i, NBITS);
        bad++;
    }
    return bad;
}

Test(violations, lenient_doc_table_equals_the_def)
{
    if (lenient_doc_differences(read_doc_file(CF_SOURCE_DIR "/docs/parser.md"), 1) == 0) return;
    for (size_t i = 0; i < NBITS; i++) { /* the rows the doc should have, ready to paste */
        doc_row w;
        expected_lenient_row(i, &w);
        cr_log_info("| `%s` | %s | %s | %s |", w.cell[0], w.cell[1], w.cell[2], w.cell[3]);
    }
}

Test(violations, lenient_doc_check_detects_differences)
{
    /* The check above must be able to fail: a wrong name, a missing row, a row too many. */
    char doc[4096] = "";
    for (size_t i = 0; i < NBITS; i++) {
        doc_row w;
        char line[1100];
        expected_lenient_row(i, &w);
        snprintf(line, sizeof line, "| `%s` | %s | %s | %s |\n", w.cell[0], w.cell[1], w.cell[2],
                 w.cell[3]);
        strncat(doc, line, sizeof doc - strlen(doc) - 1);
    }
    cr_assert_eq(lenient_doc_differences(doc, 0), 0);
    char *name = strstr(doc, "`obs-fold`");
    cr_assert_not_null(name);
    name[1] = 'O';
    cr_expect_eq(lenient_doc_differences(doc, 0), 1);
    name[1] = 'o';
    *strrchr(doc, '|') = 0; /* the last row loses its last separator: 3 cells, not a row */
    cr_expect_gt(lenient_doc_differences(doc, 0), 0);
}
