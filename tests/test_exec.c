/* --exec: the supervisor (lib/exec) and conform run / conform fuzz starting a deliberately
 * crashing server (tests/servers/crashy_server.c): the crash blamed on the case (or fuzz input)
 * that caused it, with the log excerpt, the server restarted and the run finished; a server
 * that never listens or exits at once; the alert pattern; a server ignoring SIGTERM. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cf_conform_cmd.h"
#include "cf_dir.h"
#include "exec.h"
#include "util_clock.h"

#define FIX CF_SOURCE_DIR "/tests/data/exec/"

/* A port nothing listens on now (the server binds it with SO_REUSEADDR). */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    cr_assert(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    cr_assert(getsockname(s, (struct sockaddr *)&a, &len) == 0);
    close(s);
    return ntohs(a.sin_port);
}

/* A scratch directory for logs, reports and findings. */
static void scratch(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/cf-test-exec-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
}

static void exec_opts(cf_exec_opts *o, char *cmd, size_t cap, char *port, const char *mode,
                      char *log, const char *dir)
{
    cf_exec_opts_default(o);
    snprintf(port, 8, "%d", free_port());
    snprintf(cmd, cap, "%s %s %s", CF_CRASHY_BIN, port, mode);
    snprintf(log, 128, "%s/server.log", dir);
    o->command = cmd;
    o->host = "127.0.0.1";
    o->port = port;
    o->log_path = log;
}

/* GET path on a fresh connection; the response's first bytes into resp. */
static void get(const char *port, const char *path, char *resp, size_t cap)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)strtoul(port, 0, 10))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert(connect(s, (struct sockaddr *)&a, sizeof a) == 0);
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    cr_assert(write(s, req, (size_t)n) == n);
    ssize_t r = read(s, resp, cap - 1);
    resp[r > 0 ? r : 0] = 0;
    close(s);
}

Test(exec, never_listening_is_a_bounded_error)
{
    char dir[64], cmd[512], port[8], log[128], err[8192];
    scratch(dir, sizeof dir);
    cf_exec_opts o;
    exec_opts(&o, cmd, sizeof cmd, port, "never-listen", log, dir);
    o.wait_ms = 300;
    cf_exec *x = (cf_exec *)1;
    cr_assert_eq(cf_exec_start(&o, &x, err, sizeof err), -1);
    cr_expect_null(x);
    cr_expect(strstr(err, "did not accept a connection within --exec-wait (300 ms)") != NULL, "%s",
              err);
    cr_expect(strstr(err, "mode never-listen") != NULL, "the log's end: %s", err);
}

Test(exec, exiting_at_once_is_an_error_with_the_log)
{
    char dir[64], cmd[512], port[8], log[128], err[8192];
    scratch(dir, sizeof dir);
    cf_exec_opts o;
    exec_opts(&o, cmd, sizeof cmd, port, "exit", log, dir);
    cf_exec *x;
    cr_assert_eq(cf_exec_start(&o, &x, err, sizeof err), -1);
    cr_expect(strstr(err, "the server exited (status 3) before 127.0.0.1:") != NULL, "%s", err);
    cr_expect(strstr(err, "crashy_server: exiting at once") != NULL, "%s", err);
}

Test(exec, alert_lines_are_events_and_the_pattern_is_checked)
{
    char dir[64], cmd[512], port[8], log[128], err[8192], resp[256];
    scratch(dir, sizeof dir);
    cf_exec_opts o;
    exec_opts(&o, cmd, sizeof cmd, port, "serve", log, dir);
    cf_exec *x;
    cr_assert_eq(cf_exec_start(&o, &x, err, sizeof err), 0, "%s", err);
    char *excerpt;
    /* a quiet request: nothing to blame */
    cf_exec_mark m = cf_exec_mark_now(x);
    get(port, "/", resp, sizeof resp);
    cr_expect(strstr(resp, "200 OK") != NULL);
    cr_expect_null(cf_exec_blame(x, m, &excerpt));
    /* the [alert] line is written before the response: read once the response is in */
    m = cf_exec_mark_now(x);
    get(port, "/alert", resp, sizeof resp);
    char *why = cf_exec_blame(x, m, &excerpt);
    cr_assert_not_null(why);
    cr_expect(
        strstr(why, "logged a line matching --exec-alert: 2026/01/01 00:00:00 [alert] 42#0") !=
            NULL,
        "%s", why);
    cr_expect(strstr(excerpt, "[alert] 42#0: worker process exited on signal 11\n") != NULL, "%s",
              excerpt);
    cr_expect(strstr(excerpt, "(server log: ") != NULL, "%s", excerpt);
    free(why);
    free(excerpt);
    cr_expect(cf_exec_running(x));
    char *stop_why, *stop_ex;
    cr_expect_eq(cf_exec_stop(x, &stop_why, &stop_ex), 0, "%s", stop_why);
    cf_exec_free(x);
    /* the default pattern and a bad one */
    cr_expect_eq(cf_exec_alert_check(CF_EXEC_ALERT_DEFAULT, err, sizeof err), 0);
    cr_expect_eq(cf_exec_alert_check("([unclosed", err, sizeof err), -1);
    cr_expect(strstr(err, "at offset") != NULL, "%s", err);
}

Test(exec, sigterm_ignored_is_killed_after_the_grace)
{
    char dir[64], cmd[512], port[8], log[128], err[8192];
    scratch(dir, sizeof dir);
    cf_exec_opts o;
    exec_opts(&o, cmd, sizeof cmd, port, "ignore-term", log, dir);
    o.grace_ms = 200;
    cf_exec *x;
    cr_assert_eq(cf_exec_start(&o, &x, err, sizeof err), 0, "%s", err);
    char *why, *excerpt;
    cr_expect_eq(cf_exec_stop(x, &why, &excerpt), 1);
    cr_assert_not_null(why);
    cr_expect(strstr(why, "did not stop within --exec-grace (200 ms) of SIGTERM and was killed "
                          "(SIGKILL)") != NULL,
              "%s", why);
    free(why);
    free(excerpt);
    cf_exec_free(x);
    /* nothing of the group is left: the port is free again */
    cr_expect(cf_exec_start(&o, &x, err, sizeof err) == 0, "%s", err);
    cf_exec_free(x);
}

/* The case with id in the JSON report at path (the caller json_decref's root). */
static json_t *report_case(const char *path, const char *id, json_t **root)
{
    json_error_t je;
    *root = json_load_file(path, 0, &je);
    cr_assert_not_null(*root, "%s: %s", path, je.text);
    json_t *cases = json_object_get(json_array_get(json_object_get(*root, "targets"), 0), "cases");
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c)
    {
        if (!strcmp(json_string_value(json_object_get(c, "id")), id)) return c;
    }
    cr_assert_fail("no case %s in %s", id, path);
    return NULL;
}

static const char *verdict(json_t *c)
{
    return json_string_value(json_object_get(c, "verdict"));
}

/* The failed checks and the note of a case's last step, as one text. */
static void blamed(json_t *c, char *buf, size_t cap)
{
    json_t *steps = json_object_get(c, "steps");
    json_t *s = json_array_get(steps, json_array_size(steps) - 1);
    size_t i;
    json_t *f;
    size_t n = 0;
    buf[0] = 0;
    json_array_foreach(json_object_get(s, "failed"), i, f)
    {
        n += (size_t)snprintf(buf + n, cap - n, "%s\n", json_string_value(f));
        if (n >= cap) return;
    }
    const char *note = json_string_value(json_object_get(s, "note"));
    snprintf(buf + n, cap - n, "%s", note ? note : "");
}

Test(exec, run_blames_the_crash_on_its_case_and_goes_on)
{
    char dir[64], args[1024], out[65536], path[128], text[16384];
    scratch(dir, sizeof dir);
    int port = free_port();
    snprintf(args, sizeof args,
             "run " FIX "crashy.yaml --target 127.0.0.1:%d --exec '%s %d' --rules off -j 4 "
             "--report json:%s/r.json --report terminal",
             port, CF_CRASHY_BIN, port, dir);
    cr_assert_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    snprintf(path, sizeof path, "%s/r.json", dir);
    json_t *root;
    cr_expect_str_eq(verdict(report_case(path, "exec-1-before", &root)), "PASS");
    json_decref(root);
    json_t *c = report_case(path, "exec-2-crash", &root);
    cr_expect_str_eq(verdict(c), "FAIL");
    blamed(c, text, sizeof text);
    cr_expect(strstr(text, "while this ran, the server under test ") != NULL, "%s", text);
    cr_expect(strstr(text, "signal 6, SIGABRT)") != NULL, "%s", text);
    cr_expect(strstr(text, "server log excerpt:\n") != NULL, "%s", text);
    json_decref(root);
    /* restarted: the cases after it ran against a new server and passed */
    cr_expect_str_eq(verdict(report_case(path, "exec-3-after", &root)), "PASS");
    json_decref(root);
    c = report_case(path, "exec-4-alert", &root);
    cr_expect_str_eq(verdict(c), "FAIL");
    blamed(c, text, sizeof text);
    cr_expect(strstr(text, "logged a line matching --exec-alert: ") != NULL, "%s", text);
    json_decref(root);
    cr_expect_str_eq(verdict(report_case(path, "exec-5-last", &root)), "PASS");
    json_decref(root);
    cr_expect(strstr(out, "the server was restarted before exec-3-after") != NULL, "%s", out);
    cr_expect(strstr(out, "5 cases: 3 passed, 2 failed") != NULL, "%s", out);
    /* the log is beside the report */
    snprintf(path, sizeof path, "%s/conform-exec.log", dir);
    cr_expect_eq(access(path, R_OK), 0);
}

Test(exec, run_with_an_alert_pattern_of_its_own)
{
    char args[1024], out[65536];
    int port = free_port();
    /* the default pattern would blame exec-4-alert; this one blames nothing there */
    snprintf(args, sizeof args,
             "run " FIX "crashy.yaml --id exec-4 --target 127.0.0.1:%d --exec '%s %d' --rules off "
             "--exec-alert 'no such line'",
             port, CF_CRASHY_BIN, port);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "PASS  exec-4-alert") != NULL, "%s", out);
    snprintf(args, sizeof args,
             "run " FIX "crashy.yaml --target 127.0.0.1:%d --exec true --exec-alert '(['", port);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 2, "%s", out);
}

Test(exec, run_exit_4_when_the_server_does_not_start)
{
    char args[1024], out[65536];
    int port = free_port();
    snprintf(args, sizeof args,
             "run " FIX "crashy.yaml --target 127.0.0.1:%d --exec '%s %d never-listen' "
             "--exec-wait 300ms",
             port, CF_CRASHY_BIN, port);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 4, "%s", out);
    cr_expect(strstr(out, "did not accept a connection within --exec-wait (300 ms)") != NULL, "%s",
              out);
    snprintf(args, sizeof args, "run " FIX "crashy.yaml --target 127.0.0.1:%d --exec '%s %d exit'",
             port, CF_CRASHY_BIN, port);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 4, "%s", out);
    cr_expect(strstr(out, "the server exited (status 3) before") != NULL, "%s", out);
    /* usage: the built-in target, two targets */
    cr_expect_eq(
        cf_run_conform("run " FIX "crashy.yaml --target builtin --exec true", out, sizeof out), 2,
        "%s", out);
    cr_expect_eq(cf_run_conform("run " FIX "crashy.yaml --target 127.0.0.1:1 --target "
                                "127.0.0.1:2 --exec true",
                                out, sizeof out),
                 2, "%s", out);
}

Test(exec, run_fails_on_an_unclean_stop)
{
    char args[1024], out[65536];
    int port = free_port();
    snprintf(args, sizeof args,
             "run " FIX "crashy.yaml --id exec-1 --target 127.0.0.1:%d --exec '%s %d ignore-term' "
             "--exec-grace 200ms --rules off",
             port, CF_CRASHY_BIN, port);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "PASS  exec-1-before") != NULL, "%s", out);
    cr_expect(strstr(out, "did not stop within --exec-grace (200 ms) of SIGTERM and was killed") !=
                  NULL,
              "%s", out);
    cr_expect(strstr(out, "misbehaved outside the cases (above): the run fails") != NULL, "%s",
              out);
}

Test(exec, run_blames_a_sanitizer_report_with_its_excerpt)
{
    if (!CF_CRASHY_ASAN_BIN[0]) cr_skip_test("the compiler cannot build with -fsanitize=address");
    char dir[64], args[1024], out[65536], path[128], text[16384];
    scratch(dir, sizeof dir);
    int port = free_port();
    snprintf(args, sizeof args,
             "run " FIX "asan.yaml --target 127.0.0.1:%d --exec '%s %d' --rules off "
             "--report json:%s/r.json",
             port, CF_CRASHY_ASAN_BIN, port, dir);
    cr_assert_eq(cf_run_conform(args, out, sizeof out), 1);
    snprintf(path, sizeof path, "%s/r.json", dir);
    json_t *root;
    json_t *c = report_case(path, "exec-2-asan", &root);
    cr_expect_str_eq(verdict(c), "FAIL");
    blamed(c, text, sizeof text);
    /* no report text in the messages: a sanitizer build fails a test whose output has one */
    cr_expect(strstr(text, "logged a sanitizer report: ==") != NULL);
    cr_expect(strstr(text, "Sanitizer: heap-buffer-overflow") != NULL);
    cr_expect(strstr(text, "server log excerpt:\n") != NULL);
    cr_expect(strstr(text, " in overflow ") != NULL || strstr(text, "in overflow") != NULL);
    cr_expect(strlen(strstr(text, "server log excerpt:\n")) < CF_EXEC_EXCERPT + 256,
              "the excerpt is bounded");
    json_decref(root);
    cr_expect_str_eq(verdict(report_case(path, "exec-3-after", &root)), "PASS");
    json_decref(root);
}

/* The first crash-*.yaml in dir (path into out); false when none. */
static bool first_finding(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    struct dirent *e;
    bool found = false;
    while (!found && (e = readdir(d)))
        if (!strncmp(e->d_name, "crash-", 6)) {
            snprintf(out, cap, "%s/%s", dir, e->d_name);
            found = true;
        }
    closedir(d);
    return found;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

Test(exec, fuzz_saves_the_crash_restarts_and_goes_on)
{
    char dir[64], args[1024], out[65536], finding[512];
    scratch(dir, sizeof dir);
    int port = free_port();
    snprintf(args, sizeof args,
             "fuzz --specs " FIX "seed-crash.yaml --target 127.0.0.1:%d --exec '%s %d' "
             "--findings %s -n 12 -j 1 --seed 1 --no-progress",
             port, CF_CRASHY_BIN, port, dir);
    cr_assert_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    /* more than one crash: fuzzing went on after each restart */
    cr_expect(count(out, "--exec: while this ran, the server under test ") >= 2, "%s", out);
    cr_expect(strstr(out, "--exec: the server was restarted") != NULL, "%s", out);
    cr_assert(first_finding(dir, finding, sizeof finding), "%s", out);
    char *yaml = cf_dir_get(finding);
    cr_expect(strstr(yaml, "# Observed: crash: while this ran, the server under test ") != NULL,
              "%s", yaml);
    cr_expect(strstr(yaml, "signal 6, SIGABRT)") != NULL, "%s", yaml);
    cr_expect(strstr(yaml, "# Server log (--exec):\n#   ") != NULL, "%s", yaml);
    free(yaml);
    /* the saved case replays: conform run --exec blames the crash on it */
    snprintf(args, sizeof args, "run %s --target 127.0.0.1:%d --exec '%s %d' --rules off -q",
             finding, port, CF_CRASHY_BIN, port);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "FAIL  finding-crash-") != NULL, "%s", out);
    cr_expect(strstr(out, "- while this ran, the server under test ") != NULL, "%s", out);
}
