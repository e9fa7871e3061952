/* docs/rules.md and the compliance rules table (lib/rules/include/rules.def) agree, rule by rule:
 * every rule has one row with its section, level and text, and every row names a rule. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define MAX_ROWS 256

/* One table row of the doc: | `id` | section | level | text | */
typedef struct doc_row {
    char id[64], section[64], level[16], text[256];
} doc_row;

/* Copies the cell that starts at p (after "| ") up to the next " |" into out; returns the
 * position after the separator, or NULL. */
static const char *cell(const char *p, char *out, size_t cap)
{
    const char *end = strstr(p, " |");
    if (!end) return NULL;
    size_t n = (size_t)(end - p);
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = 0;
    return end + 2 + (end[2] == ' ');
}

static size_t read_doc(doc_row *rows, size_t max)
{
    FILE *f = fopen(CF_SOURCE_DIR "/docs/rules.md", "rb");
    cr_assert_not_null(f, "cannot open docs/rules.md");
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        if (strncmp(line, "| `", 3) != 0) continue;
        doc_row *r = &rows[n];
        const char *p = line + 3;
        const char *tick = strchr(p, '`');
        cr_assert_not_null(tick, "bad row: %s", line);
        size_t il = (size_t)(tick - p) < sizeof r->id ? (size_t)(tick - p) : sizeof r->id - 1;
        memcpy(r->id, p, il);
        r->id[il] = 0;
        p = strstr(tick, "| ");
        cr_assert_not_null(p, "bad row: %s", line);
        p += 2;
        p = p ? cell(p, r->section, sizeof r->section) : NULL;
        p = p ? cell(p, r->level, sizeof r->level) : NULL;
        p = p ? cell(p, r->text, sizeof r->text) : NULL;
        cr_assert_not_null(p, "bad row: %s", line);
        n++;
    }
    fclose(f);
    return n;
}

static void print_expected(void)
{
    fprintf(stderr, "expected rows of docs/rules.md:\n");
    for (size_t i = 0; i < cf_rules_count(); i++)
        fprintf(stderr, "| `%s` | %s | %s | %s |\n", cf_rule_id(i), cf_rule_section(i),
                cf_rule_level(i), cf_rule_text(i));
}

Test(rules_doc, doc_lists_every_rule_as_the_table_states_it)
{
    static doc_row rows[MAX_ROWS];
    size_t n = read_doc(rows, MAX_ROWS);
    size_t bad = 0;
    for (size_t i = 0; i < cf_rules_count(); i++) {
        size_t k = 0;
        for (size_t j = 0; j < n; j++) {
            if (strcmp(rows[j].id, cf_rule_id(i))) continue;
            k++;
            if (strcmp(rows[j].section, cf_rule_section(i)) ||
                strcmp(rows[j].level, cf_rule_level(i)) || strcmp(rows[j].text, cf_rule_text(i))) {
                cr_log_error("%s: doc says | %s | %s | %s |", rows[j].id, rows[j].section,
                             rows[j].level, rows[j].text);
                bad++;
            }
        }
        if (k != 1) {
            cr_log_error("%s: %zu rows in docs/rules.md", cf_rule_id(i), k);
            bad++;
        }
    }
    for (size_t j = 0; j < n; j++) {
        bool known = false;
        for (size_t i = 0; i < cf_rules_count(); i++)
            known |= strcmp(rows[j].id, cf_rule_id(i)) == 0;
        if (!known) {
            cr_log_error("docs/rules.md lists %s, which is no rule", rows[j].id);
            bad++;
        }
    }
    if (bad) print_expected();
    cr_assert_eq(bad, 0, "docs/rules.md and lib/rules/include/rules.def differ in %zu places", bad);
    cr_assert_eq(n, cf_rules_count());
}
