/* Budgets for loading specs (docs/limits.md, "Spec loading"): each hostile file is generated here,
 * loaded by the real `conform check` under `ulimit -v`, and must be refused with exit 2, the
 * budget's message at its file:line:col, and a small peak RSS (every one of these took seconds
 * to minutes and hundreds of megabytes to gigabytes before the budgets). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf_conform_cmd.h"

#define ADDRESS_SPACE_KIB (2u * 1024 * 1024) /* ulimit -v for conform: 2 GiB */
#define PEAK_RSS_KIB      (400u * 1024)      /* what conform may use on any of these files */

static const char head[] = "spec: 1\ntitle: t\nrfc: 9112\ncases:\n";
static const char case_head[] = "  - id: c%d\n    title: t\n    section: '1'\n    level: MUST\n"
                                "    requirement: r\n    steps:\n";

/* path (64 bytes) := a fresh temporary directory + "/" + name. */
static void temp_path(char *path, const char *name)
{
    char dir[] = "/tmp/cf_spec_budget_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, 64, "%s/%s", dir, name);
}

/* Writes s n times. */
static void put_n(FILE *f, const char *s, int n)
{
    for (int i = 0; i < n; i++)
        fputs(s, f);
}

/* A new file in a fresh temporary directory, its path in path (64 bytes), started with head. */
static FILE *hostile_file(char *path, const char *name)
{
    temp_path(path, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(head, f);
    return f;
}

/* A file of one case whose one step is before + line written n times + after. */
static void one_step_file(char *path, const char *name, const char *before, const char *line, int n,
                          const char *after)
{
    FILE *f = hostile_file(path, name);
    fprintf(f, case_head, 0);
    fputs(before, f);
    put_n(f, line, n);
    fputs(after, f);
    fclose(f);
}

static void remove_file(const char *path)
{
    unlink(path);
    char dir[64];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = 0;
    rmdir(dir);
}

/* Case k with one step expecting n distinct heavy patterns. */
static void put_patterns(FILE *f, int k, int n)
{
    fprintf(f, case_head, k);
    fputs("      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n        expect:\n          headers:\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "            - {name: x, matches: '(?:ab|cd){1000}%d'}\n", i);
}

/* Runs `conform check what` under the cap; asserts exit 2 and text in the output. */
static void check_says(const char *what, const char *text)
{
    static char out[1 << 16];
    char args[128];
    snprintf(args, sizeof args, "check '%s'", what);
    cr_expect_eq(cf_run_conform_capped(ADDRESS_SPACE_KIB, args, out, sizeof out), 2, "%s", out);
    cr_expect(strstr(out, text) != NULL, "want '%s' in:\n%.2000s", text, out);
}

/* Runs `conform check path` under the address-space cap; asserts exit 2, the message, and the
 * peak RSS of the child (each test is its own process: RUSAGE_CHILDREN is this conform). */
static void expect_refused(const char *path, const char *where, const char *message)
{
    char want[512];
    snprintf(want, sizeof want, "%s:%s: error: %s", path, where, message);
    check_says(path, want);
    struct rusage ru;
    cr_assert_eq(getrusage(RUSAGE_CHILDREN, &ru), 0);
#if !defined(__SANITIZE_ADDRESS__)
    cr_expect_lt((unsigned long)ru.ru_maxrss, PEAK_RSS_KIB, "peak RSS %ld KiB", ru.ru_maxrss);
#endif
    remove_file(path);
}

/* 100,000 levels of '[': libyaml's scanner is quadratic in them (17 s); refused before it, at
 * the first level past 64 (5 levels of file, case and step, then the 60th '[', column 73). */
Test(spec_budgets, deep_nesting_refused_before_libyaml, .timeout = 60)
{
    char path[64];
    one_step_file(path, "deep.yaml", "      - raw: ", "[", 100000, "\n");
    expect_refused(path, "11:73", "nested too deeply: at most 64 levels of lists and mappings");
}

/* 2,000 pieces each repeating nothing 16,777,216 times: copies are counted, not bytes. */
Test(spec_budgets, empty_repeats_count_as_work, .timeout = 60)
{
    char path[64];
    one_step_file(path, "repeat.yaml", "      - raw:\n",
                  "          - {repeat: \"\", count: 16777216}\n", 2000,
                  "        expect: {status: 200}\n");
    /* the fifth piece passes 64 Mi copies */
    expect_refused(path, "16:13", "'repeat' pieces make more than 67108864 copies in this file");
}

/* One expectation of 500 backtracking-heavy patterns, aliased by 20,000 cases (2 MB): once took
 * 18.4 GB. The pattern is compiled once and the alias expansion stops at 1,000,000 nodes. */
Test(spec_budgets, aliased_regex_bomb_compiles_once, .timeout = 60)
{
    char path[64];
    FILE *f = hostile_file(path, "regex.yaml");
    fprintf(f, case_head, 0);
    fputs("      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n        expect: &e\n          headers:\n",
          f);
    put_n(f, "            - {name: x, matches: '(?:ab|cd){1000}'}\n", 500);
    for (int c = 1; c < 20000; c++) {
        fprintf(f, case_head, c);
        fputs("      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n        expect: *e\n", f);
    }
    fclose(f);
    expect_refused(path, "14:13",
                   "the file expands to more than 1000000 nodes (through aliases); stopping");
}

/* 5,000 distinct heavy patterns: the compiled-regex budget stops the compiling. */
Test(spec_budgets, distinct_regexes_capped_by_compiled_size, .timeout = 120)
{
    char path[64];
    FILE *f = hostile_file(path, "regexes.yaml");
    put_patterns(f, 0, 5000);
    fclose(f);
    check_says(path, "error: the file's compiled regular expressions take more than 64 MiB; "
                     "stopping");
    remove_file(path);
}

/* Six files of 3,000 distinct heavy patterns each (about 54 MiB compiled, under the budget of
 * one file): the set's budget stops at the file that passes 256 MiB together. */
Test(spec_budgets, compiled_regexes_capped_across_files, .timeout = 120)
{
    char dir[64], path[6][96];
    temp_path(dir, "");
    for (int k = 0; k < 6; k++) {
        snprintf(path[k], sizeof path[k], "%sf%d.yaml", dir, k);
        FILE *f = fopen(path[k], "w");
        cr_assert_not_null(f);
        fputs(head, f);
        put_patterns(f, k, 3000);
        fclose(f);
    }
    check_says(dir, "f4.yaml: error: the compiled regular expressions of the spec files "
                    "together take more than 256 MiB");
    for (int k = 0; k < 6; k++)
        unlink(path[k]);
    rmdir(dir);
}

/* A 4,000,000-entry 'split' list (8 MB) took 682 MB as a libyaml document: the node budget
 * refuses it while streaming, and a list under it is still capped by 'split''s own limit. */
Test(spec_budgets, huge_split_lists_refused, .timeout = 60)
{
    for (int big = 0; big < 2; big++) {
        char path[64];
        one_step_file(path, "split.yaml",
                      "      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n        split: [1", ",1",
                      big ? 3999999 : 69999, "]\n        expect: {status: 200}\n");
        if (big)
            expect_refused(path, "12:1999963", "too many YAML nodes: at most 1000000 in one file");
        else
            expect_refused(path, "12:16", "'split' has 70000 piece sizes, at most 65536");
    }
}

/* 200,000 distinct tags (1.6 MB): finding duplicates is quadratic (over a minute); capped. */
Test(spec_budgets, long_tag_lists_refused, .timeout = 60)
{
    char path[64];
    FILE *f = hostile_file(path, "tags.yaml");
    fprintf(f, case_head, 0);
    fputs("      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n        expect: {status: 200}\n"
          "    tags: [t0",
          f);
    for (int i = 1; i < 200000; i++)
        fprintf(f, ",t%d", i);
    fputs("]\n", f);
    fclose(f);
    expect_refused(path, "13:11", "'tags' has 200000 tags, at most 32");
}

/* A FIFO named like a spec in a directory would block check, run and fuzz forever. */
Test(spec_budgets, fifo_refused_by_every_command, .timeout = 30)
{
    char fifo[64];
    temp_path(fifo, "x.yaml");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    char dir[64];
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(fifo, '/') - fifo), fifo);
    static const char *const cmds[] = {"check %s", "run --target 127.0.0.1:9 %s",
                                       "fuzz --target 127.0.0.1:9 --specs %s"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        char args[160], out[4096];
        snprintf(args, sizeof args, cmds[i], dir);
        cr_expect_eq(cf_run_conform_capped(ADDRESS_SPACE_KIB, args, out, sizeof out), 2, "%s: %s",
                     args, out);
        cr_expect(strstr(out, "x.yaml: error: cannot read: not a regular file") != NULL, "%s: %s",
                  args, out);
    }
    remove_file(fifo);
}
