/* conform diff OLD.json NEW.json: the real binary on JSON results of the built-in server, and
 * copies with verdicts edited: regressions, fixes, other changes, formats and exit statuses. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cf_conform_cmd.h"

#define FIX  CF_SOURCE_DIR "/tests/data/run/"
#define GATE CF_SOURCE_DIR "/tests/data/gate/"

static char dir[64], a_json[128], b_json[128];

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char *buf = malloc(1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    buf[n] = 0;
    fclose(fp);
    return buf;
}

/* Sets the verdict of case id (the first one) in a JSON text. */
static void set_verdict(char *text, const char *id, const char *verdict)
{
    char key[128];
    snprintf(key, sizeof key, "\"id\":\"%s\"", id);
    char *c = strstr(text, key);
    cr_assert_not_null(c, "%s", id);
    char *v = strstr(c, "\"verdict\":\"");
    cr_assert_not_null(v);
    v += 11;
    size_t old = strcspn(v, "\""), n = strlen(verdict);
    memmove(v + n, v + old, strlen(v + old) + 1);
    memcpy(v, verdict, n);
}

/* Renames case id in a JSON text (same length). */
static void rename_case(char *text, const char *id, const char *to)
{
    char key[128];
    snprintf(key, sizeof key, "\"id\":\"%s\"", id);
    char *c = strstr(text, key);
    cr_assert_not_null(c);
    cr_assert_eq(strlen(id), strlen(to));
    memcpy(c + 6, to, strlen(to));
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
}

/* a.json: a real run of the fail fixture (PASS, FAIL, WARN, INFO). */
static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cf-diff-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(a_json, sizeof a_json, "%s/a.json", dir);
    snprintf(b_json, sizeof b_json, "%s/b.json", dir);
    char args[512], out[16384];
    snprintf(args, sizeof args, "run " FIX "fail --target builtin --report json:%s", a_json);
    cr_assert_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
}

static void teardown(void)
{
    unlink(a_json);
    unlink(b_json);
    rmdir(dir);
}

TestSuite(cmd_diff, .init = setup, .fini = teardown);

Test(cmd_diff, same_run_no_changes)
{
    char args[512], out[8192];
    snprintf(args, sizeof args, "diff %s %s", a_json, a_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect_str_eq(out, "0 regressions, 0 fixed, 0 other changes\n");
}

Test(cmd_diff, regressions_fixes_and_other_changes)
{
    char *b = slurp(a_json);
    set_verdict(b, "verdict-pass", "WARN");          /* worse */
    set_verdict(b, "verdict-must-fails", "PASS");    /* better */
    set_verdict(b, "verdict-should-warns", "ERROR"); /* worse */
    rename_case(b, "verdict-may-info", "verdict-may-gone");
    write_text(b_json, b);
    free(b);
    char args[512], out[8192];
    snprintf(args, sizeof args, "diff %s %s", a_json, b_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect_str_eq(out, "target builtin:\n"
                          "  regression  verdict-pass  PASS -> WARN\n"
                          "  fixed       verdict-must-fails  FAIL -> PASS\n"
                          "  regression  verdict-should-warns  WARN -> ERROR\n"
                          "  added       verdict-may-gone  - -> INFO\n"
                          "  removed     verdict-may-info  INFO -> -\n"
                          "2 regressions, 1 fixed, 2 other changes\n");
    /* the other way round: the fixes are regressions */
    snprintf(args, sizeof args, "diff %s %s", b_json, a_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "  regression  verdict-must-fails  PASS -> FAIL\n") != NULL, "%s", out);
    cr_expect(strstr(out, "1 regression, 2 fixed, 2 other changes\n") != NULL, "%s", out);
}

Test(cmd_diff, only_fixes_exit_0_and_formats)
{
    char *b = slurp(a_json);
    set_verdict(b, "verdict-must-fails", "PASS");
    set_verdict(b, "verdict-may-info", "PASS");
    write_text(b_json, b);
    free(b);
    char args[512], out[8192];
    snprintf(args, sizeof args, "diff --format json %s %s", a_json, b_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect_str_eq(out, "{\"counts\":{\"regression\":0,\"fixed\":2,\"added\":0,\"removed\":0,"
                          "\"changed\":0},\"changes\":[{\"target\":\"builtin\",\"id\":"
                          "\"verdict-must-fails\",\"change\":\"fixed\",\"old\":\"FAIL\",\"new\":"
                          "\"PASS\"},{\"target\":\"builtin\",\"id\":\"verdict-may-info\","
                          "\"change\":\"fixed\",\"old\":\"INFO\",\"new\":\"PASS\"}]}\n");
    snprintf(args, sizeof args, "diff --format=markdown %s %s", a_json, b_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "**0 regressions**, 2 fixed, 0 other changes\n") != NULL, "%s", out);
    cr_expect(strstr(out, "### builtin\n\n| change | case | before | after |\n") != NULL, "%s",
              out);
    cr_expect(strstr(out, "| fixed | `verdict-must-fails` | FAIL | PASS |\n") != NULL, "%s", out);
}

Test(cmd_diff, strict_mismatch_is_noted)
{
    char *b = slurp(a_json);
    char *s = strstr(b, "\"strict\":false");
    cr_assert_not_null(s);
    memcpy(s, "\"strict\":true ", 14);
    write_text(b_json, b);
    free(b);
    char args[512], out[8192];
    snprintf(args, sizeof args, "diff %s %s", a_json, b_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "only ") != NULL && strstr(out, "was run with --strict") != NULL, "%s",
              out);
}

Test(cmd_diff, usage_and_bad_files_exit_2)
{
    char args[512], out[8192];
    cr_expect_eq(cf_run_conform("diff", out, sizeof out), 2, "%s", out);
    cr_expect(strstr(out, "expected OLD.json and NEW.json") != NULL, "%s", out);
    snprintf(args, sizeof args, "diff %s", a_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    snprintf(args, sizeof args, "diff %s %s %s", a_json, a_json, a_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    snprintf(args, sizeof args, "diff --format html %s %s", a_json, a_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    cr_expect(strstr(out, "--format: 'html' is not a format") != NULL, "%s", out);
    snprintf(args, sizeof args, "diff --bogus %s %s", a_json, a_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    snprintf(args, sizeof args, "diff %s " GATE "bad-json.json", a_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    cr_expect(strstr(out, "bad-json.json:2:21:") != NULL, "%s", out);
    snprintf(args, sizeof args, "diff %s/missing.json %s", dir, a_json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    cr_expect_eq(cf_run_conform("diff --help", out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "usage: conform diff") != NULL, "%s", out);
}
