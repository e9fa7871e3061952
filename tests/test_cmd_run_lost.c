/* conform run loses nothing (docs/commands/run.md, "Signals and files"): a run stopped by
 * SIGINT writes whole reports marked interrupted and exits 130; a second SIGINT, or a run that
 * ends early (unreachable target), leaves the previous reports byte for byte; two outputs naming
 * one file are refused before anything runs. Against the misbehaving server that never answers,
 * so that a case is always in flight when the signal comes. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cf_conform_cmd.h"
#include "cf_dir.h"
#include "misbehave.h"
#include "report_json_read.h"

#define FIX CF_SOURCE_DIR "/tests/data/run/pass" /* 5 cases, each waiting for a response */

/* A running conform: its pid and the read end of its stderr. */
typedef struct child {
    pid_t pid;
    int err;
} child;

/* Starts conform with argv (NULL-terminated, argv[0] ignored), stdout to /dev/null. */
static child spawn(char **argv)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        argv[0] = (char *)CF_CONFORM_BIN;
        execv(CF_CONFORM_BIN, argv);
        _exit(127);
    }
    close(fds[1]);
    return (child){pid, fds[0]};
}

/* Waits (no time limit: the test runner's own bounds the test) until server m accepted n
 * connections: the probe, then one per case with -j 1. The runs give --no-preflight: the
 * silent server that keeps a case in flight would fail the pre-flight's GET. */
static void wait_accepted(const cf_mb *m, unsigned n)
{
    while (cf_mb_accepted(m) < n)
        usleep(10 * 1000);
}

/* Reads c's stderr until text appears in it (the handler's line: the signal was taken). */
static void wait_stderr(const child *c, const char *text)
{
    char buf[8192];
    size_t n = 0;
    while (n < sizeof buf - 1) {
        ssize_t r = read(c->err, buf + n, sizeof buf - 1 - n);
        cr_assert_gt(r, 0, "stderr ended before \"%s\": %.*s", text, (int)n, buf);
        n += (size_t)r;
        buf[n] = 0;
        if (strstr(buf, text)) return;
    }
    cr_assert_fail("\"%s\" never came on stderr", text);
}

/* The exit status of c (it must exit, not die of a signal). */
static int wait_exit(const child *c)
{
    int st;
    cr_assert_eq(waitpid(c->pid, &st, 0), c->pid);
    close(c->err);
    cr_assert(WIFEXITED(st), "conform died of signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return WEXITSTATUS(st);
}

Test(cmd_run_lost, sigint_midway_writes_whole_reports_marked_interrupted)
{
    cf_mb *m = cf_mb_start(CF_MB_SILENT);
    cr_assert_not_null(m);
    char dir[] = "/tmp/cf-lost-XXXXXX", target[64], json[96], tap[96], md[96], junit[96];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_mb_port(m));
    snprintf(json, sizeof json, "json:%s/r.json", dir);
    snprintf(tap, sizeof tap, "tap:%s/r.tap", dir);
    snprintf(md, sizeof md, "markdown:%s/r.md", dir);
    snprintf(junit, sizeof junit, "junit:%s/r.xml", dir);
    char *argv[] = {"",  "run",          FIX,  "--target", target, "-j",
                    "1", "--time-limit", "1s", "--report", json,   "--report",
                    tap, "--report",     md,   "--report", junit,  "--no-preflight",
                    NULL};
    child c = spawn(argv);
    wait_accepted(m, 3); /* the probe, case 1 (finished: the server took the next), case 2 */
    kill(c.pid, SIGINT);
    cr_expect_eq(wait_exit(&c), 130);
    cf_mb_stop(m);

    cf_report r;
    char err[512];
    cr_assert_eq(cf_report_json_read_file(json + 5, &r, err, sizeof err), 0, "%s", err);
    cr_expect(r.interrupted, "the JSON report says it was interrupted");
    cr_assert_eq(r.ntargets, 1);
    cr_expect_geq(r.targets[0].ncases, 1, "case 1 finished before the signal: it is reported");
    cr_expect_lt(r.targets[0].ncases, 5, "not every case ran");
    size_t ncases = r.targets[0].ncases;
    cf_report_free(&r);
    char *t = cf_dir_get(tap + 4), head[128];
    snprintf(head, sizeof head, "TAP version 14\n1..%zu\n# interrupted: ", ncases);
    cr_expect_eq(strncmp(t, head, strlen(head)), 0, "%s", t);
    free(t);
    char *mdt = cf_dir_get(md + 9);
    cr_expect(strstr(mdt, "- **interrupted**: ") != NULL, "%s", mdt);
    free(mdt);
    char *x = cf_dir_get(junit + 6);
    cr_expect(strstr(x, "\">\n<!-- interrupted: ") != NULL, "%s", x);
    cr_expect(strstr(x, "</testsuites>\n") != NULL, "whole: %s", x);
    free(x);
    cr_expect_eq(cf_dir_count(dir), 4, "four reports, no temporary file left");
}

Test(cmd_run_lost, second_sigint_quits_leaving_the_previous_report)
{
    cf_mb *m = cf_mb_start(CF_MB_SILENT);
    cr_assert_not_null(m);
    char dir[] = "/tmp/cf-lost-XXXXXX", target[64], path[96], json[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_mb_port(m));
    snprintf(path, sizeof path, "%s/r.json", dir);
    snprintf(json, sizeof json, "json:%s", path);
    cf_dir_put(path, "the previous report\n");
    /* a case waits 10 s: the second signal comes well within the first one's grace second */
    char *argv[] = {"",    "run",      FIX,  "--target",       target, "-j", "1", "--time-limit",
                    "10s", "--report", json, "--no-preflight", NULL};
    child c = spawn(argv);
    wait_accepted(m, 2);
    kill(c.pid, SIGINT);
    wait_stderr(&c, "conform run: interrupted");
    kill(c.pid, SIGINT);
    cr_expect_eq(wait_exit(&c), 130);
    cf_mb_stop(m);
    char *text = cf_dir_get(path);
    cr_expect_str_eq(text, "the previous report\n");
    free(text);
    cr_expect_eq(cf_dir_count(dir), 1, "the temporary file is removed");
}

Test(cmd_run_lost, an_unreachable_target_leaves_the_previous_report)
{
    cf_mb *m = cf_mb_start(CF_MB_CLOSE);
    cr_assert_not_null(m);
    int port = cf_mb_port(m);
    cf_mb_stop(m); /* nobody listens there now */
    char dir[] = "/tmp/cf-lost-XXXXXX", path[96], args[512], out[4096];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/run.json", dir);
    cf_dir_put(path, "{\"previous\": true}\n");
    snprintf(args, sizeof args,
             "run " FIX " --target 127.0.0.1:%d --report json:%s --report tap:%s/r.tap", port, path,
             dir);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 3, "%s", out);
    char *text = cf_dir_get(path);
    cr_expect_str_eq(text, "{\"previous\": true}\n");
    free(text);
    cr_expect_eq(cf_dir_count(dir), 1, "no report made, no temporary file left: %s", out);
}

Test(cmd_run_lost, two_outputs_naming_one_file_are_refused)
{
    char dir[] = "/tmp/cf-lost-XXXXXX", args[512], out[4096], want[512], path[96];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/b.json", dir);
    cf_dir_put(path, "{}");
    snprintf(args, sizeof args,
             "run " FIX " --target builtin --report json:%s/a.json --report tap:%s/./a.json", dir,
             dir);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    snprintf(want, sizeof want,
             "conform run: --report json:%s/a.json and --report tap:%s/./a.json name one file "
             "(%s/a.json); give each its own PATH\n",
             dir, dir, dir);
    cr_expect_str_eq(out, want);
    /* the report would overwrite the baseline the run is compared against */
    snprintf(args, sizeof args, "run " FIX " --target builtin --baseline %s --report json:%s", path,
             path);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    cr_expect(strstr(out, "--baseline") && strstr(out, "name one file") && !strstr(out, "PASS"),
              "%s", out);
    /* --update-baseline rewrites it: a --report of the same file still is one writer too many */
    snprintf(args, sizeof args,
             "run " FIX " --target builtin --baseline %s --update-baseline --report json:%s", path,
             path);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
    char *text = cf_dir_get(path);
    cr_expect_str_eq(text, "{}", "nothing ran: the baseline is as it was");
    free(text);
    cr_expect_eq(cf_dir_count(dir), 1);
    /* the same device twice is harmless */
    cr_expect_eq(cf_run_conform("run " FIX " --target builtin -q --report json:/dev/null "
                                "--report tap:/dev/null",
                                out, sizeof out),
                 0, "%s", out);
}

/* A partial run proves nothing about the cases it did not run: --update-baseline leaves FILE. */
Test(cmd_run_lost, an_interrupted_run_does_not_rewrite_the_baseline)
{
    cf_mb *m = cf_mb_start(CF_MB_SILENT);
    cr_assert_not_null(m);
    char dir[] = "/tmp/cf-lost-XXXXXX", target[64], path[96];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_mb_port(m));
    snprintf(path, sizeof path, "%s/known.yaml", dir);
    const char *known = "known:\n  - id: run-get-root\n    reason: kept by hand\n";
    cf_dir_put(path, known);
    char *argv[] = {"",     "run",
                    FIX,    "--target",
                    target, "-j",
                    "1",    "--time-limit",
                    "1s",   "--baseline",
                    path,   "--update-baseline",
                    "-q",   "--no-preflight",
                    NULL};
    child c = spawn(argv);
    wait_accepted(m, 2);
    kill(c.pid, SIGINT);
    wait_stderr(&c, "--update-baseline: ");
    cr_expect_eq(wait_exit(&c), 130);
    cf_mb_stop(m);
    char *text = cf_dir_get(path);
    cr_expect_str_eq(text, known);
    free(text);
    cr_expect_eq(cf_dir_count(dir), 1);
}
