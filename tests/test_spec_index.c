/* The case index of a run (spec_index.h) and the pool over it (run_pool.h): files checked once,
 * freed past the keep budget, loaded again when a case of theirs is acquired, refused when they
 * changed on disk; the pool hands back every case in order and stops on a changed file. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_pool.h"
#include "spec_index.h"

static char dir[64];
static char path_a[96], path_b[96];

/* A spec file of n cases marked skip (they run without a connection), ids PREFIX-1..n. */
static void write_spec(const char *path, const char *prefix, int n, const char *title)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "spec: 1\ntitle: \"%s\"\ncases:\n", title);
    for (int i = 1; i <= n; i++)
        fprintf(fp,
                "  - id: %s-%d\n    title: \"%s %d\"\n    skip: \"not run here\"\n    steps:\n"
                "      - raw: \"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n\"\n"
                "        expect: {status: 200}\n",
                prefix, i, title, i);
    fclose(fp);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cf_spec_index_%ld_XXXXXX", (long)getpid());
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path_a, sizeof path_a, "%s/a.yaml", dir);
    snprintf(path_b, sizeof path_b, "%s/b.yaml", dir);
    write_spec(path_a, "a", 3, "file a");
    write_spec(path_b, "b", 2, "file b");
}

static void teardown(void)
{
    unlink(path_a);
    unlink(path_b);
    rmdir(dir);
}

static cf_spec_index *build(const cf_select *sel, size_t keep)
{
    const char *paths[] = {dir};
    cf_spec_index *ix = NULL;
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    int rc = cf_spec_index_build(paths, 1, sel, keep, NULL, NULL, &ix, &e);
    if (rc < 0) cf_spec_errors_print(&e, stderr);
    cr_assert_eq(rc, 0);
    cf_spec_errors_free(&e);
    return ix;
}

TestSuite(spec_index, .init = setup, .fini = teardown);

Test(spec_index, unloaded_files_are_loaded_again_with_the_same_cases)
{
    cf_spec_index *ix = build(NULL, 0); /* nothing kept: every acquire loads */
    cr_assert_eq(cf_spec_index_count(ix), 5);
    cr_expect_str_eq(cf_spec_index_id(ix, 0), "a-1");
    cr_expect_str_eq(cf_spec_index_id(ix, 4), "b-2");
    char err[512] = "";
    for (size_t i = 0; i < 5; i++) {
        const cf_case *c = cf_spec_index_acquire(ix, i, err, sizeof err);
        cr_assert_not_null(c, "%s", err);
        cr_expect_str_eq(c->id, cf_spec_index_id(ix, i));
        cr_expect_not_null(strstr(c->title, i < 3 ? "file a" : "file b"));
        cf_spec_index_release(ix, i);
    }
    cf_spec_index_free(ix);
}

Test(spec_index, the_selection_is_applied_when_building)
{
    cf_select sel;
    cf_select_init(&sel);
    cr_assert_eq(cf_select_add_id(&sel, "b-"), 0);
    cf_spec_index *ix = build(&sel, 0);
    cr_assert_eq(cf_spec_index_count(ix), 2);
    cr_expect_str_eq(cf_spec_index_id(ix, 0), "b-1");
    cf_spec_index_free(ix);
    cf_select_free(&sel);
}

/* A file the run has left is freed: changing it afterwards is seen when it is loaded again,
 * while the file the run is in stays loaded. */
Test(spec_index, a_file_left_behind_is_freed_and_a_changed_file_is_refused)
{
    cf_spec_index *ix = build(NULL, 0);
    char err[512] = "";
    const cf_case *c = cf_spec_index_acquire(ix, 0, err, sizeof err);
    cr_assert_not_null(c, "%s", err);
    cf_spec_index_release(ix, 0);
    write_spec(path_a, "a", 3, "file a, edited");
    /* still the file the run is in: kept, the old cases served */
    c = cf_spec_index_acquire(ix, 1, err, sizeof err);
    cr_assert_not_null(c, "%s", err);
    cr_expect_str_eq(c->title, "file a 2");
    cf_spec_index_release(ix, 1);
    /* the run moves to b: a is freed */
    c = cf_spec_index_acquire(ix, 3, err, sizeof err);
    cr_assert_not_null(c, "%s", err);
    cf_spec_index_release(ix, 3);
    cr_expect_null(cf_spec_index_acquire(ix, 2, err, sizeof err));
    cr_expect_not_null(strstr(err, "a.yaml changed on disk"), "%s", err);
    cf_spec_index_free(ix);
}

/* Within the keep budget a file is loaded once: an edit after the build is not read. */
Test(spec_index, files_within_the_budget_stay_loaded)
{
    cf_spec_index *ix = build(NULL, SIZE_MAX);
    write_spec(path_b, "b", 2, "file b, edited");
    char err[512] = "";
    const cf_case *c = cf_spec_index_acquire(ix, 3, err, sizeof err);
    cr_assert_not_null(c, "%s", err);
    cr_expect_str_eq(c->title, "file b 1");
    cf_spec_index_release(ix, 3);
    cf_spec_index_free(ix);
}

/* A case in flight keeps its file loaded even when another worker moved the run on. */
Test(spec_index, an_acquired_case_keeps_its_file)
{
    cf_spec_index *ix = build(NULL, 0);
    char err[512] = "";
    const cf_case *a = cf_spec_index_acquire(ix, 0, err, sizeof err);
    cr_assert_not_null(a, "%s", err);
    const cf_case *b = cf_spec_index_acquire(ix, 3, err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    write_spec(path_a, "a", 3, "file a, edited");
    const cf_case *a2 = cf_spec_index_acquire(ix, 1, err, sizeof err); /* a still loaded */
    cr_assert_not_null(a2, "%s", err);
    cr_expect_str_eq(a->id, "a-1"); /* still readable */
    cf_spec_index_release(ix, 1);
    cf_spec_index_release(ix, 0);
    cf_spec_index_release(ix, 3);
    cf_spec_index_free(ix);
}

Test(spec_index, duplicate_ids_across_files_name_the_first)
{
    write_spec(path_b, "a", 1, "file b");
    const char *paths[] = {dir};
    cf_spec_index *ix = NULL;
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cr_assert_eq(cf_spec_index_build(paths, 1, NULL, 0, NULL, NULL, &ix, &e), -1);
    cr_assert_null(ix);
    cr_assert_eq(e.count, 1);
    cr_expect_str_eq(e.items[0].file, path_b);
    cr_expect_not_null(strstr(e.items[0].message, "duplicate case id 'a-1' (first defined at"));
    cr_expect_not_null(strstr(e.items[0].message, path_a));
    cf_spec_errors_free(&e);
}

/* What the pool handed back, in order. */
typedef struct handed {
    char ids[8][16];
    size_t n;
    cf_spec_index *ix;
} handed;

static void on_done(size_t index, cf_case_result *r, void *ud)
{
    handed *h = ud;
    cr_assert_eq(index, h->n);
    cr_expect_eq(r->verdict, CF_VERDICT_SKIP);
    snprintf(h->ids[h->n++], sizeof h->ids[0], "%s", r->c->id);
}

/* Edits b.yaml when case a-2 starts (on the worker, before it takes b's cases). */
static int edit_b_at_a2(const cf_case *c, void *ud, char *err, size_t errlen)
{
    (void)ud;
    (void)err;
    (void)errlen;
    if (!strcmp(c->id, "a-2")) write_spec(path_b, "b", 2, "file b, edited");
    return 0;
}

Test(spec_index, the_pool_hands_back_every_case_in_order)
{
    cf_spec_index *ix = build(NULL, 0);
    cf_run_config cfg;
    cf_run_config_default(&cfg);
    handed h = {.ix = ix};
    char err[512] = "";
    cr_assert_eq(cf_run_pool(ix, 2, &cfg, on_done, NULL, &h, err, sizeof err), 0, "%s", err);
    cr_assert_eq(h.n, 5);
    cr_expect_str_eq(h.ids[0], "a-1");
    cr_expect_str_eq(h.ids[4], "b-2");
    cf_spec_index_free(ix);
}

/* A spec file edited while the run ran stops it with the reason: its cases cannot be trusted to
 * be the ones checked at the start. */
Test(spec_index, the_pool_stops_at_a_file_changed_during_the_run)
{
    cf_spec_index *ix = build(NULL, 0);
    cf_run_config cfg;
    cf_run_config_default(&cfg);
    cfg.case_begin = edit_b_at_a2;
    handed h = {.ix = ix};
    char err[512] = "";
    /* one job: the cases start in order, so b.yaml is loaded again after the edit */
    cr_assert_eq(cf_run_pool(ix, 1, &cfg, on_done, NULL, &h, err, sizeof err), -1);
    cr_expect_not_null(strstr(err, "b.yaml changed on disk"), "%s", err);
    cr_expect_eq(h.n, 3); /* a's cases, handed back; none of b's */
    cr_expect_str_eq(h.ids[2], "a-3");
    cf_spec_index_free(ix);
}

/* Past the budget no file is kept, not even the first ones that fit: an edit of the first file
 * after the build is seen when it is loaded again. */
Test(spec_index, past_the_budget_no_file_is_kept)
{
    long a_len = 0;
    FILE *fp = fopen(path_a, "rb");
    cr_assert_not_null(fp);
    fseek(fp, 0, SEEK_END);
    a_len = ftell(fp);
    fclose(fp);
    cf_spec_index *ix = build(NULL, (size_t)a_len + 1); /* a fits, a and b do not */
    write_spec(path_a, "a", 3, "file a, edited");
    char err[512] = "";
    cr_expect_null(cf_spec_index_acquire(ix, 0, err, sizeof err));
    cr_expect_not_null(strstr(err, "a.yaml changed on disk"), "%s", err);
    cf_spec_index_free(ix);
}
