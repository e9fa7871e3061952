/* conform fuzz against live servers: the built-in target (no findings, exit 0), and the
 * deliberately broken servers of tests/support/broken_server.h (the finding caught, saved as a
 * case that `conform check` accepts and `conform run` FAILs on the broken server and PASSes on
 * the built-in one). CF_FUZZ_LIVE_SECONDS sets each fuzz run's duration (default 5; CI: 30). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "broken_server.h"

#define SPECS CF_SOURCE_DIR "/specs"

static const char *seconds(void)
{
    const char *s = getenv("CF_FUZZ_LIVE_SECONDS");
    return s && *s ? s : "5";
}

/* Runs cmd with its output appended to log; returns the exit status (-1: did not exit). */
static int run_cmd(const char *log, const char *cmd)
{
    char full[4096];
    snprintf(full, sizeof full, "%s >>%s 2>&1", cmd, log);
    int st = system(full);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FILE *f = fopen(log, "a");
    if (f) {
        fprintf(f, "[exit %d] %s\n", rc, cmd);
        fclose(f);
    }
    return rc;
}

/* Counts the files in dir whose name starts with prefix; the first one's path into first. */
static int count_files(const char *dir, const char *prefix, char *first, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix))) continue;
        if (n++ == 0 && first) snprintf(first, cap, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    return n;
}

static void make_tmp(char *dir, size_t cap, char *log, size_t logcap)
{
    snprintf(dir, cap, "/tmp/cf-fuzz-live-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(log, logcap, "%s/../%s.log", dir, strrchr(dir, '/') + 1);
}

static void show_log(const char *log)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat %s >&2", log);
    if (system(cmd) != 0) cr_log_warn("cannot show %s", log);
}

/* Fuzzes target for the live duration with seed 1 and jobs workers, saving findings under dir.
 * --timeout 10s: a loaded CI machine is slow, not hung. */
static int fuzz_jobs(const char *log, const char *target, const char *dir, int jobs)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s fuzz --target %s --specs %s --duration %ss --seed 1 -j %d --no-progress "
             "--timeout 10s --findings %s",
             CF_CONFORM_BIN, target, SPECS, seconds(), jobs, dir);
    return run_cmd(log, cmd);
}

static int fuzz(const char *log, const char *target, const char *dir)
{
    return fuzz_jobs(log, target, dir, 2);
}

Test(fuzz_live, builtin_no_findings, .timeout = 120)
{
    char dir[64], log[160];
    make_tmp(dir, sizeof dir, log, sizeof log);
    int rc = fuzz(log, "builtin", dir);
    int n = count_files(dir, "", NULL, 0);
    if (rc != 0 || n != 0) show_log(log);
    cr_expect_eq(rc, 0, "conform fuzz against the built-in target exited %d", rc);
    cr_expect_eq(n, 0, "%d findings saved against the built-in target", n);
}

Test(fuzz_live, broken_desync_caught_and_reproduced, .timeout = 180)
{
    cf_broken *b = cf_broken_start(CF_BROKEN_DESYNC, 0);
    cr_assert_not_null(b);
    char dir[64], log[160], target[64], first[512] = "", cmd[1024];
    make_tmp(dir, sizeof dir, log, sizeof log);
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_broken_port(b));
    int rc = fuzz(log, target, dir);
    int n = count_files(dir, "desync-", first, sizeof first);
    bool ok = rc == 1 && n >= 1;
    cr_expect_eq(rc, 1, "conform fuzz should exit 1 (findings), got %d", rc);
    cr_expect_geq(n, 1, "no desync finding saved in %s", dir);
    if (n >= 1) {
        snprintf(cmd, sizeof cmd, "%s check %s", CF_CONFORM_BIN, dir);
        int check = run_cmd(log, cmd);
        cr_expect_eq(check, 0, "conform check rejects the findings in %s", dir);
        /* The saved case FAILs on the broken server and PASSes on a correct one. */
        snprintf(cmd, sizeof cmd, "%s run %s --target %s | grep -q '^FAIL '", CF_CONFORM_BIN, first,
                 target);
        int on_broken = run_cmd(log, cmd);
        cr_expect_eq(on_broken, 0, "%s does not FAIL on the broken server", first);
        snprintf(cmd, sizeof cmd, "%s run %s --target builtin", CF_CONFORM_BIN, first);
        int on_builtin = run_cmd(log, cmd);
        cr_expect_eq(on_builtin, 0, "%s does not PASS on the built-in server", first);
        ok = ok && check == 0 && on_broken == 0 && on_builtin == 0;
    }
    if (!ok) show_log(log);
    cf_broken_stop(b);
}

Test(fuzz_live, broken_crash_caught, .timeout = 180)
{
    cf_broken *b = cf_broken_start(CF_BROKEN_CRASH, 1000);
    cr_assert_not_null(b);
    char dir[64], log[160], target[64], first[512] = "", cmd[1024];
    make_tmp(dir, sizeof dir, log, sizeof log);
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_broken_port(b));
    /* One worker: with several, the worker that first sees the refused connection may be
     * another than the one whose request crashed the server (see docs/commands/fuzz.md). */
    int rc = fuzz_jobs(log, target, dir, 1);
    int n = count_files(dir, "crash-", first, sizeof first);
    bool ok = rc == 1 && n == 1 && cf_broken_crashed(b);
    cr_expect(cf_broken_crashed(b), "the fuzzer never sent a Content-Length above 1000");
    cr_expect_eq(rc, 1, "conform fuzz should exit 1 (findings), got %d", rc);
    cr_expect_eq(n, 1, "%d crash findings saved in %s (expected 1)", n, dir);
    if (n == 1) {
        snprintf(cmd, sizeof cmd, "%s check %s", CF_CONFORM_BIN, dir);
        int check = run_cmd(log, cmd);
        cr_expect_eq(check, 0, "conform check rejects the findings in %s", dir);
        /* The crashing request is in the case: its Content-Length is above the limit. */
        snprintf(cmd, sizeof cmd,
                 "grep -Eiq 'content-length: *[0-9]{4}|content-length: *[1-9][0-9]{4}' %s", first);
        int has_cl = run_cmd(log, cmd);
        cr_expect_eq(has_cl, 0, "%s does not hold the large Content-Length", first);
        snprintf(cmd, sizeof cmd, "%s run %s --target %s", CF_CONFORM_BIN, first, target);
        int on_broken = run_cmd(log, cmd);
        cr_expect_neq(on_broken, 0, "%s passes on the crashed server", first);
        ok = ok && check == 0 && has_cl == 0 && on_broken != 0;
    }
    if (!ok) show_log(log);
    cf_broken_stop(b);
}
