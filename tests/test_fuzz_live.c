/* conform fuzz against live servers, with the keep-alive fast path (the default): the built-in
 * target (no findings, exit 0, connections reused), and the deliberately broken servers of
 * tests/support/broken_server.h (the finding caught, saved as a case that `conform check`
 * accepts and `conform run` FAILs on the broken server and PASSes on the built-in one; a crash
 * found with two workers pinned on the input that caused it when the server restarts, and
 * marked a best guess when it does not). CF_FUZZ_LIVE_SECONDS sets each fuzz run's duration
 * (default 5; CI: 30). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Counts the files dir/glob holding the basic regex re; the first one's path into first. */
static int grep_files(const char *dir, const char *glob, const char *re, char *first, size_t cap)
{
    char cmd[1024], line[512];
    snprintf(cmd, sizeof cmd, "grep -l '%s' %s/%s", re, dir, glob);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    int n = 0;
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        if (n++ == 0) snprintf(first, cap, "%s", line);
    }
    pclose(p);
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

/* Fuzzes target for the live duration with seed 1 and jobs workers, saving findings under dir,
 * with extra options. --timeout 10s: a loaded CI machine is slow, not hung. */
static int fuzz_jobs(const char *log, const char *target, const char *dir, int jobs,
                     const char *extra)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s fuzz --target %s --specs %s --duration %ss --seed 1 -j %d --no-progress "
             "--timeout 10s --findings %s %s",
             CF_CONFORM_BIN, target, SPECS, seconds(), jobs, dir, extra);
    return run_cmd(log, cmd);
}

static int fuzz(const char *log, const char *target, const char *dir)
{
    return fuzz_jobs(log, target, dir, 2, "");
}

/* Reads the summary line "conform fuzz: N requests in ..., M connections opened, ..." of the
 * last run in log. 0, or -1 when there is none. */
static int summary_counts(const char *log, unsigned long long *requests,
                          unsigned long long *connections)
{
    FILE *f = fopen(log, "r");
    if (!f) return -1;
    char line[1024];
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        const char *c = strstr(line, " connections opened");
        unsigned long long r = 0;
        if (!c || sscanf(line, "conform fuzz: %llu requests in", &r) != 1) continue;
        while (c > line && c[-1] >= '0' && c[-1] <= '9')
            c--;
        *requests = r;
        *connections = strtoull(c, NULL, 10);
        found = 0;
    }
    fclose(f);
    return found;
}

Test(fuzz_live, builtin_no_findings, .timeout = 120)
{
    char dir[64], log[160];
    make_tmp(dir, sizeof dir, log, sizeof log);
    int rc = fuzz(log, "builtin", dir);
    int n = count_files(dir, "", NULL, 0);
    unsigned long long requests = 0, connections = 0;
    int sc = summary_counts(log, &requests, &connections);
    /* The built-in server keeps connections open after valid requests (RFC 9112 §9.3). */
    bool reused = sc == 0 && requests > 0 && connections < requests;
    if (rc != 0 || n != 0 || !reused) show_log(log);
    cr_expect_eq(rc, 0, "conform fuzz against the built-in target exited %d", rc);
    cr_expect_eq(n, 0, "%d findings saved against the built-in target", n);
    cr_expect(reused, "no connection reused: %llu connections for %llu requests", connections,
              requests);
}

/* The findings saved in dir load with conform check, and the one at path FAILs on target (the
 * broken server that showed it) and PASSes on the built-in server. True when all three hold. */
static bool finding_replays(const char *log, const char *dir, const char *path, const char *target)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s check %s", CF_CONFORM_BIN, dir);
    int check = run_cmd(log, cmd);
    cr_expect_eq(check, 0, "conform check rejects the findings in %s", dir);
    snprintf(cmd, sizeof cmd, "%s run %s --target %s | grep -q '^FAIL '", CF_CONFORM_BIN, path,
             target);
    int on_broken = run_cmd(log, cmd);
    cr_expect_eq(on_broken, 0, "%s does not FAIL on the broken server", path);
    snprintf(cmd, sizeof cmd, "%s run %s --target builtin", CF_CONFORM_BIN, path);
    int on_builtin = run_cmd(log, cmd);
    cr_expect_eq(on_builtin, 0, "%s does not PASS on the built-in server", path);
    return check == 0 && on_broken == 0 && on_builtin == 0;
}

Test(fuzz_live, broken_desync_caught_and_reproduced, .timeout = 180)
{
    cf_broken *b = cf_broken_start(CF_BROKEN_DESYNC, 0);
    cr_assert_not_null(b);
    char dir[64], log[160], target[64], first[512] = "";
    make_tmp(dir, sizeof dir, log, sizeof log);
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_broken_port(b));
    int rc = fuzz(log, target, dir);
    /* It answers TE with CL twice: conform's strict reading rejects such a request
     * (TE_WITH_CL), so the finding is a leniency at the level of RFC 9112 §6.1's MUST (the
     * server frames loosely: other rules read leniently make findings too). */
    int n = grep_files(dir, "lenient-*.yaml", "breaks TE_WITH_CL", first, sizeof first);
    bool ok = rc == 1 && n >= 1;
    cr_expect_eq(rc, 1, "conform fuzz should exit 1 (findings), got %d", rc);
    cr_expect_geq(n, 1, "no TE_WITH_CL lenient finding saved in %s", dir);
    if (n >= 1) {
        ok = finding_replays(log, dir, first, target) && ok;
    }
    if (!ok) show_log(log);
    cf_broken_stop(b);
}

Test(fuzz_live, broken_rule_caught_and_reproduced, .timeout = 180)
{
    cf_broken *b = cf_broken_start(CF_BROKEN_NO_DATE, 0);
    cr_assert_not_null(b);
    char dir[64], log[160], target[64], first[512] = "";
    make_tmp(dir, sizeof dir, log, sizeof log);
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_broken_port(b));
    int rc = fuzz(log, target, dir);
    /* One finding per rule per run, and the missing Date is one. (The server frames requests
     * loosely, so other findings may come too.) */
    int n = grep_files(dir, "rule-*.yaml", "complies: \\[date-missing\\]", first, sizeof first);
    bool ok = rc == 1 && n == 1;
    cr_expect_eq(rc, 1, "conform fuzz should exit 1 (findings), got %d", rc);
    cr_expect_eq(n, 1, "%d date-missing findings saved in %s (expected 1)", n, dir);
    if (n == 1) {
        /* date-missing is a MUST: the case FAILs on the broken server. */
        ok = finding_replays(log, dir, first, target) && ok;
    }
    if (!ok) show_log(log);
    cf_broken_stop(b);
}

/* Fuzzes a CF_BROKEN_CRASH server (restarting after restart_ms, or not at all) with two
 * workers; the one crash finding's path into first. True when exactly one was saved, exit 1. */
static bool crash_run(cf_broken *b, const char *extra, char *log, size_t logcap, char *first,
                      size_t cap)
{
    char dir[64], target[64];
    make_tmp(dir, sizeof dir, log, logcap);
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_broken_port(b));
    int rc = fuzz_jobs(log, target, dir, 2, extra);
    int n = count_files(dir, "crash-", first, cap);
    cr_expect(cf_broken_crashed(b), "the fuzzer never sent a Content-Length above 1000");
    cr_expect_eq(rc, 1, "conform fuzz should exit 1 (findings), got %d", rc);
    cr_expect_eq(n, 1, "%d crash findings saved in %s (expected 1)", n, dir);
    if (n == 1) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "%s check %s", CF_CONFORM_BIN, dir);
        int check = run_cmd(log, cmd);
        cr_expect_eq(check, 0, "conform check rejects the findings in %s", dir);
        return rc == 1 && check == 0 && cf_broken_crashed(b);
    }
    return false;
}

/* Runs cmd (about file) and tells whether it exited 0. */
static bool holds(const char *log, const char *fmt, const char *file)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, file);
    return run_cmd(log, cmd) == 0;
}

Test(fuzz_live, broken_crash_pinned_with_two_workers, .timeout = 180)
{
    /* The server restarts 1 s after a crash: after conform fuzz confirmed it (3 refused
     * connects 200 ms apart), so the inputs in flight can be replayed one by one. */
    cf_broken_opts o = {.mode = CF_BROKEN_CRASH, .crash_over = 1000, .restart_ms = 1000};
    cf_broken *b = cf_broken_start_opts(&o);
    cr_assert_not_null(b);
    char log[160], first[512] = "";
    bool ok = crash_run(b, "", log, sizeof log, first, sizeof first);
    if (ok) {
        /* Exact: the saved request is the one with the large Content-Length, replayed alone. */
        bool has_cl = holds(
            log, "grep -Eiq 'content-length: *[0-9]{4}|content-length: *[1-9][0-9]{4}' %s", first);
        cr_expect(has_cl, "%s does not hold the large Content-Length", first);
        bool replayed = holds(log, "grep -q 'replayed alone once the target was back' %s", first);
        cr_expect(replayed, "%s does not say the culprit was replayed", first);
        cr_expect_geq(cf_broken_crashes(b), 2, "the culprit was not replayed");
        /* Once the server restarted (1 s after the replay crashed it), the case crashes it
         * again and gets no answer: its SHOULD fails, which --strict makes a FAIL. */
        sleep(2);
        char cmd[600];
        snprintf(cmd, sizeof cmd, "%s run %%s --strict --target 127.0.0.1:%d", CF_CONFORM_BIN,
                 cf_broken_port(b));
        bool on_broken = holds(log, cmd, first);
        cr_expect_not(on_broken, "%s passes on the crashed server", first);
        ok = has_cl && replayed && !on_broken;
    }
    if (!ok) show_log(log);
    cf_broken_stop(b);
}

Test(fuzz_live, broken_crash_without_restart_is_a_best_guess, .timeout = 180)
{
    cf_broken *b = cf_broken_start(CF_BROKEN_CRASH, 1000);
    cr_assert_not_null(b);
    char log[160], first[512] = "";
    bool ok = crash_run(b, "--restart-wait 1s", log, sizeof log, first, sizeof first);
    if (ok) {
        bool guess = holds(log, "grep -q 'best guess among [0-9]* input' %s", first);
        cr_expect(guess, "%s does not say its culprit is a best guess", first);
        ok = guess;
    }
    if (!ok) show_log(log);
    cf_broken_stop(b);
}
