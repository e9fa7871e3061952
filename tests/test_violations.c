/* The violation table (parsers/cf_violations.def), its accessors and its documentation
 * (docs/violations.md) agree, code by code. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_parser.h"

/* The table as the .def file states it, read with our own X-macro. */
typedef struct def_row {
    const char *name, *section;
    unsigned bit;
    int status;
    const char *message;
} def_row;

static const def_row def[] = {
#define CF_VIOLATION(name, section, bit, status, message) {#name, section, bit, status, message},
#include "cf_violations.def"
#undef CF_VIOLATION
};
#define NDEF (sizeof def / sizeof def[0])

/* The lenient bits as cf_lenient.def states them, read with our own X-macro. */
static const struct {
    unsigned bit;
    unsigned number;
    const char *enum_name, *name, *section, *repair;
} bits[] = {
#define CF_LENIENT(ename, number, name, section, repair)                                           \
    {CF_LENIENT_##ename, number, "CF_LENIENT_" #ename, name, section, repair},
#include "cf_lenient.def"
#undef CF_LENIENT
};
#define NBITS (sizeof bits / sizeof bits[0])

static int str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

Test(violations, table_has_one_row_per_code)
{
    cr_assert_eq(NDEF, (size_t)CF_V__COUNT);
    cr_assert_str_eq(def[CF_V_NONE].name, "NONE");
    cr_assert_str_eq(def[CF_V_OBS_FOLD].name, "OBS_FOLD");
    cr_assert_str_eq(def[CF_V__COUNT - 1].name, "TRAILERS_TOO_LARGE");
}

Test(violations, accessors_match_the_table)
{
    for (size_t c = 0; c < NDEF; c++) {
        cr_expect(str_eq(cf_code_name((cf_code)c), def[c].name), "cf_code_name(%zu) = %s, want %s",
                  c, cf_code_name((cf_code)c), def[c].name);
        cr_expect(str_eq(cf_code_section((cf_code)c), def[c].section), "section of %s",
                  def[c].name);
        cr_expect(str_eq(cf_code_message((cf_code)c), def[c].message), "message of %s",
                  def[c].name);
        cr_expect_eq(cf_code_lenient_bit((cf_code)c), def[c].bit, "lenient bit of %s", def[c].name);
        cr_expect_eq(cf_code_status((cf_code)c), def[c].status, "status of %s", def[c].name);
    }
}

Test(violations, names_are_unique_and_sections_cite_an_rfc)
{
    for (size_t c = 0; c < NDEF; c++) {
        for (size_t d = c + 1; d < NDEF; d++)
            cr_expect(strcmp(def[c].name, def[d].name) != 0, "duplicate code %s", def[c].name);
        if (c == CF_V_NONE) continue;
        cr_expect(strncmp(def[c].section, "RFC ", 4) == 0 && strstr(def[c].section, "§"),
                  "%s: section \"%s\" does not cite an RFC section", def[c].name, def[c].section);
        cr_expect(def[c].message[0] != 0, "%s has no message", def[c].name);
    }
}

Test(violations, statuses_are_client_errors_or_response_only)
{
    for (size_t c = 1; c < NDEF; c++) {
        int st = def[c].status;
        cr_expect(st == 0 || (st >= 400 && st <= 505), "%s: status %d", def[c].name, st);
    }
    /* RFC 9112 §3: 414 for a too long request-target; RFC 9110 §15.6.6: 505; RFC 6585 §5: 431. */
    cr_expect_eq(cf_code_status(CF_V_START_LINE_TOO_LONG), 414);
    cr_expect_eq(cf_code_status(CF_V_VERSION_MAJOR), 505);
    cr_expect_eq(cf_code_status(CF_V_TOO_MANY_FIELDS), 431);
    cr_expect_eq(cf_code_status(CF_V_HEAD_TOO_LARGE), 431);
}

Test(violations, lenient_bits_are_single_and_all_used)
{
    unsigned used = 0;
    for (size_t c = 0; c < NDEF; c++) {
        unsigned b = def[c].bit;
        cr_expect((b & (b - 1)) == 0 && (b & ~(unsigned)CF_LENIENT_ALL) == 0,
                  "%s: lenient bit 0x%x is not one CF_LENIENT_* bit", def[c].name, b);
        used |= b;
    }
    cr_expect_eq(used, (unsigned)CF_LENIENT_ALL, "bits used by no code: 0x%x",
                 (unsigned)CF_LENIENT_ALL & ~used);
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
        cr_expect(str_eq(cf_lenient_section(bits[i].bit), bits[i].section));
        cr_expect(str_eq(cf_lenient_repair(bits[i].bit), bits[i].repair));
    }
    cr_expect_null(cf_lenient_name(0));
    cr_expect_null(cf_lenient_name(CF_LENIENT_BARE_CR | CF_LENIENT_BARE_LF));
    cr_expect_null(cf_lenient_name(1u << NBITS));
    cr_expect_null(cf_lenient_section(1u << NBITS));
    cr_expect_null(cf_lenient_repair(0));
}

Test(violations, lenient_names_round_trip)
{
    unsigned all = 0;
    for (size_t i = 0; i < NBITS; i++) {
        const char *n = cf_lenient_name(bits[i].bit);
        cr_expect(str_eq(n, bits[i].name), "cf_lenient_name(0x%x) = %s, want %s", bits[i].bit,
                  n ? n : "(null)", bits[i].name);
        cr_expect_eq(cf_lenient_from_name(bits[i].name, strlen(bits[i].name)), bits[i].bit,
                     "cf_lenient_from_name(%s)", bits[i].name);
        all |= bits[i].bit;
    }
    cr_expect_eq(all, (unsigned)CF_LENIENT_ALL);
}

Test(violations, lenient_from_name_rejects_unknown_names)
{
    static const char *const bad[] = {"", "bare", "bare-c", "bare-crx", "BARE-CR ", "all", "-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(cf_lenient_from_name(bad[i], strlen(bad[i])), 0u, "\"%s\" is no bit", bad[i]);
    /* The length bounds the name: the bytes after it are not part of it. */
    cr_expect_eq(cf_lenient_from_name("bare-crx", 7), (unsigned)CF_LENIENT_BARE_CR);
    cr_expect_eq(cf_lenient_from_name("obs-folded", 8), (unsigned)CF_LENIENT_OBS_FOLD);
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
    unsigned bit = cf_code_lenient_bit((cf_code)c);
    const char *bn = bit ? cf_lenient_name(bit) : "-";
    snprintf(r->cell[0], sizeof r->cell[0], "%s", cf_code_name((cf_code)c));
    snprintf(r->cell[1], sizeof r->cell[1], "%s", cf_code_section((cf_code)c));
    snprintf(r->cell[2], sizeof r->cell[2], "%s", bn ? bn : "(null)");
    if (cf_code_status((cf_code)c))
        snprintf(r->cell[3], sizeof r->cell[3], "%d", cf_code_status((cf_code)c));
    else
        snprintf(r->cell[3], sizeof r->cell[3], "-");
    snprintf(r->cell[4], sizeof r->cell[4], "%s", cf_code_message((cf_code)c));
}

static size_t code_by_name(const char *name)
{
    for (size_t c = 0; c < NDEF; c++)
        if (str_eq(cf_code_name((cf_code)c), name)) return c;
    return SIZE_MAX;
}

Test(violations, doc_lists_every_code_as_the_parser_does)
{
    static const char *const col[] = {"code", "section", "lenient", "status", "message"};
    char *doc = read_doc();
    size_t seen[CF_V__COUNT] = {0};
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
    for (size_t c = 0; c < NDEF; c++)
        if (seen[c] != 1) {
            cr_expect_fail("docs/violations.md lists %s %zu times", def[c].name, seen[c]);
            bad = 1;
        }
    if (!bad) return;
    /* Print the rows the doc should have, ready to paste (Markdown escapes left to the editor). */
    for (size_t c = 0; c < NDEF; c++) {
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
    expected_row(CF_V_OBS_FOLD, &want);
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

/* Compares the "| `CF_LENIENT_" rows of doc with bits[], in order; returns the differences. */
static int lenient_doc_differences(const char *doc, int report)
{
    static const char *const col[] = {"bit", "name", "section", "repair"};
    size_t i = 0;
    int bad = 0;
    for (const char *line = doc; *line;) {
        size_t len = strcspn(line, "\n");
        doc_row r = {{{0}}};
        if (strncmp(line, "| `CF_LENIENT_", 14) == 0 && split_row(line, len, &r) == 4) {
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
                            cr_expect_fail("docs/parser.md row %zu: %s is \"%s\", cf_lenient.def "
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
