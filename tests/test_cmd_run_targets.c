/* conform run with several --target options: the real binary against two built-in servers,
 * against a built-in server and an unreachable one, and against unreachable ones only: the
 * case-by-target grid, the labels, the Markdown and JSON reports, the exit statuses. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cf_conform_cmd.h"

#define FIX CF_SOURCE_DIR "/tests/data/run/"

/* The whole of file path in a malloc'd string. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = malloc(1 << 20);
    cr_assert_not_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

Test(cmd_run_targets, two_builtins_agree)
{
    static char out[65536];
    cr_expect_eq(
        cf_run_conform("run " FIX "pass --target builtin --target second=builtin", out, sizeof out),
        0, "%s", out);
    cr_expect_eq(count(out, "\n5 cases: 5 passed, 0 failed"), 2, "%s", out);
    cr_expect(strncmp(out, "Target builtin\n", 15) == 0, "%s", out);
    cr_expect_not_null(strstr(out, "\nTarget second\n"), "%s", out);
    cr_expect_not_null(strstr(out, "Cases by target (5 cases, 0 where the targets disagree):\n"
                                   "  case                    level   builtin      second\n"
                                   "  run-get-root            MUST    PASS         PASS\n"),
                       "%s", out);
    cr_expect_not_null(strstr(out, "Where the targets disagree: nowhere\n"), "%s", out);
}

Test(cmd_run_targets, one_unreachable_fails_the_run)
{
    static char out[65536];
    char md[] = "/tmp/conform-grid-XXXXXX";
    int fd = mkstemp(md);
    cr_assert(fd >= 0);
    close(fd);
    char json[sizeof md + 8];
    snprintf(json, sizeof json, "%s.json", md);
    char args[512];
    snprintf(args, sizeof args,
             "run " FIX "fail --target builtin --target dead=127.0.0.1:1 --report terminal "
             "--report markdown:%s --report json:%s --connect-timeout 500ms",
             md, json);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect_not_null(strstr(out, "cannot connect to 127.0.0.1:1"), "%s", out);
    cr_expect_not_null(strstr(out, "1 of 2 targets unreachable"), "%s", out);
    cr_expect_not_null(strstr(out, "\nTarget dead\nunreachable\n"), "%s", out);
    cr_expect_not_null(strstr(out, "  verdict-must-fails    MUST    FAIL         unreachable\n"),
                       "%s", out);
    char *m = slurp(md);
    cr_expect_not_null(strstr(m, "| `builtin` | `dead` |"), "%s", m);
    cr_expect_not_null(strstr(m, "| `verdict-pass` | MUST | PASS | unreachable |"), "%s", m);
    cr_expect_not_null(strstr(m, "## Target `dead`\n\n**0 cases**"), "%s", m);
    free(m);
    char *j = slurp(json);
    cr_expect_not_null(strstr(j, "\"dead\""), "the unreachable target is in the JSON");
    free(j);
    unlink(md);
    unlink(json);

    /* the failing cases alone fail the run too; without them the unreachable target still does */
    cr_expect_eq(
        cf_run_conform("run " FIX "pass --target builtin --target 127.0.0.1:1", out, sizeof out), 1,
        "%s", out);
}

Test(cmd_run_targets, all_unreachable_exit_3)
{
    static char out[16384];
    cr_expect_eq(cf_run_conform("run " FIX "pass --target 127.0.0.1:1 --target x=127.0.0.1:1", out,
                                sizeof out),
                 3, "%s", out);
    cr_expect_eq(count(out, "cannot connect to 127.0.0.1:1"), 2, "%s", out);
    /* one target: as before, no grid, no "Target" heading */
    cr_expect_eq(cf_run_conform("run " FIX "pass --target builtin", out, sizeof out), 0, "%s", out);
    cr_expect_null(strstr(out, "Cases by target"), "%s", out);
    cr_expect_null(strstr(out, "Target builtin"), "%s", out);
}
