/* The case-by-target grid (lib/report/include/report_grid.h) on a hand-built report with three
 * targets: agreements, disagreements, cases one target lacks, an unreachable target; and the grid
 * as the terminal and Markdown formats print it. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"
#include "report_formats.h"
#include "report_grid.h"
#include "report_term.h"

static char *dup(const char *s)
{
    char *p = strdup(s);
    cr_assert_not_null(p);
    return p;
}

/* Adds case id with verdict to t; a non-PASS verdict gets one failed step (failed check
 * "how"), or the error "how" when error is set. */
static void add_case(cf_report_target *t, const char *id, cf_report_verdict verdict,
                     const char *how, bool error)
{
    t->cases = realloc(t->cases, (t->ncases + 1) * sizeof *t->cases);
    cr_assert_not_null(t->cases);
    cf_report_case *c = &t->cases[t->ncases++];
    memset(c, 0, sizeof *c);
    c->id = dup(id);
    c->title = dup("a title");
    c->rfc = 9112;
    c->section = dup("6.1");
    c->level = CF_RL_MUST;
    c->requirement = dup("A server MUST do the thing.");
    c->verdict = verdict;
    t->counts[verdict]++;
    if (!how) return;
    if (error) {
        c->error = dup(how);
        return;
    }
    c->steps = calloc(1, sizeof *c->steps);
    cr_assert_not_null(c->steps);
    c->nsteps = 1;
    c->steps[0].checked = true;
    c->steps[0].pass = false;
    c->steps[0].actual = dup("200 OK, connection kept open");
    c->steps[0].failed = calloc(1, sizeof(char *));
    cr_assert_not_null(c->steps[0].failed);
    c->steps[0].failed[0] = dup(how);
    c->steps[0].nfailed = 1;
}

/* A: a PASS, b PASS, c FAIL, d PASS. B: a PASS, b WARN (error), c PASS, e PASS. C: unreachable. */
static void three_targets(cf_report *r)
{
    memset(r, 0, sizeof *r);
    r->conform_version = dup("test");
    r->started_at = dup("2026-01-01T00:00:00Z");
    r->targets = calloc(3, sizeof *r->targets);
    cr_assert_not_null(r->targets);
    r->ntargets = 3;
    r->targets[0].name = dup("A");
    r->targets[1].name = dup("B");
    r->targets[2].name = dup("C");
    add_case(&r->targets[0], "a", CF_RV_PASS, NULL, false);
    add_case(&r->targets[0], "b", CF_RV_PASS, NULL, false);
    add_case(&r->targets[0], "c", CF_RV_FAIL, "status: expected 400, got 200", false);
    add_case(&r->targets[0], "d", CF_RV_PASS, NULL, false);
    add_case(&r->targets[1], "a", CF_RV_PASS, NULL, false);
    add_case(&r->targets[1], "b", CF_RV_WARN, "case timeout after 10000 ms", true);
    add_case(&r->targets[1], "c", CF_RV_PASS, NULL, false);
    add_case(&r->targets[1], "e", CF_RV_PASS, NULL, false);
}

Test(report_grid, rows_cells_and_disagreements)
{
    cf_report r;
    three_targets(&r);
    cf_report_grid g;
    cr_assert_eq(cf_report_grid_build(&r, &g), 0);
    cr_assert_eq(g.ntargets, 3);
    cr_expect(!g.unreachable[0] && !g.unreachable[1] && g.unreachable[2]);
    cr_expect_eq(g.nunreachable, 1);
    cr_assert_eq(g.nrows, 5, "rows: a b c d (A's order), then e (B's)");
    const char *order[] = {"a", "b", "c", "d", "e"};
    for (size_t i = 0; i < 5; i++)
        cr_expect_str_eq(g.rows[i].rcase->id, order[i]);
    cr_expect_eq(g.ndiffers, 4, "b, c, d and e differ; a does not");

    /* a: both reachable targets pass; the unreachable one takes no part */
    cr_expect(!g.rows[0].differs && g.rows[0].allpass);
    cr_expect_eq(g.rows[0].cells[0].kind, CF_GRID_VERDICT);
    cr_expect_eq(g.rows[0].cells[0].verdict, CF_RV_PASS);
    cr_expect_eq(g.rows[0].cells[2].kind, CF_GRID_UNREACHABLE);
    cr_expect_null(g.rows[0].cells[2].rcase);
    cr_expect_str_eq(cf_report_grid_cell_text(&g.rows[0].cells[2]), "unreachable");

    /* b: PASS against WARN; how = the error */
    cr_expect(g.rows[1].differs && !g.rows[1].allpass);
    cr_expect_eq(g.rows[1].cells[1].verdict, CF_RV_WARN);
    cr_expect_str_eq(cf_report_grid_cell_text(&g.rows[1].cells[1]), "WARN");
    cr_expect_eq(g.rows[1].cells[1].rcase, &r.targets[1].cases[1], "B's own case");
    cr_expect_str_eq(cf_report_grid_how(g.rows[1].cells[1].rcase), "case timeout after 10000 ms");

    /* c: FAIL against PASS; how = the first failed check */
    cr_expect(g.rows[2].differs);
    cr_expect_eq(g.rows[2].cells[0].verdict, CF_RV_FAIL);
    cr_expect_str_eq(cf_report_grid_how(g.rows[2].cells[0].rcase), "status: expected 400, got 200");
    cr_expect_null(cf_report_grid_how(g.rows[2].cells[1].rcase), "a PASS has no how");

    /* d and e: one reachable target lacks the case */
    cr_expect(g.rows[3].differs && !g.rows[3].allpass);
    cr_expect_eq(g.rows[3].cells[1].kind, CF_GRID_MISSING);
    cr_expect_eq(g.rows[3].cells[1].verdict, -1);
    cr_expect_str_eq(cf_report_grid_cell_text(&g.rows[3].cells[1]), "not run");
    cr_expect_eq(g.rows[4].cells[0].kind, CF_GRID_MISSING);
    cr_expect_eq(g.rows[4].cells[1].verdict, CF_RV_PASS);
    cr_expect_eq(g.rows[4].rcase, &r.targets[1].cases[3], "e as B has it");

    cf_report_grid_free(&g);
    cr_expect_null(g.rows);
    cf_report_free(&r);
}

Test(report_grid, identical_targets_agree)
{
    cf_report r;
    three_targets(&r);
    /* make C a copy of A: then only B differs from them */
    for (size_t i = 0; i < r.targets[0].ncases; i++) {
        const cf_report_case *c = &r.targets[0].cases[i];
        add_case(&r.targets[2], c->id, c->verdict, NULL, false);
    }
    cf_report_grid g;
    cr_assert_eq(cf_report_grid_build(&r, &g), 0);
    cr_expect_eq(g.nunreachable, 0);
    cr_expect_eq(g.ndiffers, 4);
    cr_expect_eq(g.rows[4].cells[2].kind, CF_GRID_MISSING, "C has no e");
    cf_report_grid_free(&g);

    /* only A and C: identical, no disagreement, c is not allpass */
    cf_report_target b = r.targets[1];
    r.targets[1] = r.targets[2];
    r.ntargets = 2;
    cr_assert_eq(cf_report_grid_build(&r, &g), 0);
    cr_expect_eq(g.nrows, 4);
    cr_expect_eq(g.ndiffers, 0);
    cr_expect(g.rows[0].allpass && !g.rows[2].allpass);
    cf_report_grid_free(&g);
    r.targets[2] = r.targets[1];
    r.targets[1] = b;
    r.ntargets = 3;
    cf_report_free(&r);
}

Test(report_grid, every_target_unreachable)
{
    cf_report r;
    three_targets(&r);
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < r.targets[t].ncases; i++)
            cf_report_case_free(&r.targets[t].cases[i]);
        r.targets[t].ncases = 0;
    }
    cf_report_grid g;
    cr_assert_eq(cf_report_grid_build(&r, &g), 0);
    cr_expect_eq(g.nunreachable, 3);
    cr_expect_eq(g.nrows, 0);
    cr_expect_eq(g.ndiffers, 0);
    cf_report_grid_free(&g);
    cf_report_free(&r);
}

/* Renders r with fn into a malloc'd string. */
static char *render(int (*fn)(const cf_report *, FILE *), const cf_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(fn(r, f), 0);
    fclose(f);
    return buf;
}

static int term_plain(const cf_report *r, FILE *out)
{
    return cf_report_term_write(r, out, false, false);
}

Test(report_grid, markdown_and_terminal_print_it)
{
    cf_report r;
    three_targets(&r);
    char *md = render(cf_report_markdown, &r);
    const char *grid = strstr(md, "## Cases by target\n\n5 cases, 4 where the targets disagree.\n\n"
                                  "| Case | Level | `A` | `B` | `C` |\n"
                                  "| --- | --- | --- | --- | --- |\n"
                                  "| `a` | MUST | PASS | PASS | unreachable |\n"
                                  "| `b` ≠ | MUST | PASS | **WARN** | **unreachable** |\n"
                                  "| `c` ≠ | MUST | **FAIL** | PASS | **unreachable** |\n"
                                  "| `d` ≠ | MUST | PASS | **not run** | **unreachable** |\n");
    cr_expect_not_null(grid, "%s", md);
    cr_expect(grid && strstr(md, "## Target `C`") < grid, "the grid comes after the targets");
    cr_expect_not_null(strstr(md, "## Where the targets disagree\n\n- `b` — **RFC 9112 §6.1 "
                                  "(MUST)**: A server MUST do the thing.\n"
                                  "  - `A`: PASS\n"
                                  "  - `B`: WARN — case timeout after 10000 ms\n"
                                  "  - `C`: unreachable\n"),
                       "%s", md);
    cr_expect_not_null(strstr(md, "  - `A`: FAIL — status: expected 400, got 200\n"), "%s", md);
    free(md);

    char *term = render(term_plain, &r);
    cr_expect_not_null(strstr(term, "Cases by target (5 cases, 4 where the targets disagree):\n"
                                    "  case  level   A            B            C\n"
                                    "  a     MUST    PASS         PASS         unreachable\n"
                                    "  b     MUST    PASS         WARN         unreachable  <- "
                                    "differs\n"),
                       "%s", term);
    cr_expect_not_null(strstr(term, "Where the targets disagree:\n"
                                    "  b  RFC 9112 §6.1 (MUST): A server MUST do the thing.\n"
                                    "    A  PASS\n"
                                    "    B  WARN     case timeout after 10000 ms\n"),
                       "%s", term);
    free(term);

    /* one target: no grid */
    r.ntargets = 1;
    md = render(cf_report_markdown, &r);
    cr_expect_null(strstr(md, "Cases by target"), "%s", md);
    free(md);
    r.ntargets = 3;
    cf_report_free(&r);
}

/* Streams r's cases into a Markdown stream, making each compact as conform run does, and
 * returns the document. */
static char *markdown_streamed(cf_report *r)
{
    cf_report_markdown_stream *s = cf_report_markdown_stream_new();
    cr_assert_not_null(s);
    for (size_t t = 0; t < r->ntargets; t++)
        for (size_t i = 0; i < r->targets[t].ncases; i++) {
            cr_assert_eq(cf_report_markdown_stream_case(s, t, &r->targets[t].cases[i]), 0);
            cf_report_case_compact(&r->targets[t].cases[i], r->ntargets > 1, &r->targets[t].pool);
        }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(cf_report_markdown_stream_finish(s, r, f), 0);
    fclose(f);
    cf_report_markdown_stream_free(s);
    return buf;
}

Test(report_grid, markdown_streamed_and_compact_writes_the_same_bytes)
{
    for (int k = 0; k < 2; k++) { /* the fixture (every verdict), then three targets */
        cf_report whole, streamed;
        if (k == 0) {
            cf_fixture_report(&whole);
            cf_fixture_report(&streamed);
        } else {
            three_targets(&whole);
            three_targets(&streamed);
        }
        char *want = render(cf_report_markdown, &whole);
        char *got = markdown_streamed(&streamed);
        cr_expect_str_eq(got, want);
        free(want);
        free(got);
        cf_report_free(&whole);
        cf_report_free(&streamed);
    }
}
