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

/* A supervisor's options for crashy_server in MODE on a free port, its log in a scratch
 * directory. */
typedef struct lib_fix {
    char dir[64], cmd[512], port[8], log[128], err[8192];
    cf_exec_opts o;
} lib_fix;

static void lib_setup(lib_fix *f, const char *mode)
{
    scratch(f->dir, sizeof f->dir);
    cf_exec_opts_default(&f->o);
    snprintf(f->port, sizeof f->port, "%d", free_port());
    snprintf(f->cmd, sizeof f->cmd, "%s %s %s", CF_CRASHY_BIN, f->port, mode);
    snprintf(f->log, sizeof f->log, "%s/server.log", f->dir);
    f->o.command = f->cmd;
    f->o.host = "127.0.0.1";
    f->o.port = f->port;
    f->o.log_path = f->log;
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
    lib_fix f;
    lib_setup(&f, "never-listen");
    f.o.wait_ms = 300;
    cf_exec *x = (cf_exec *)1;
    cr_assert_eq(cf_exec_start(&f.o, &x, f.err, sizeof f.err), -1);
    cr_expect_null(x);
    cr_expect(strstr(f.err, "did not accept a connection within --exec-wait (300 ms)") != NULL,
              "%s", f.err);
    cr_expect(strstr(f.err, "mode never-listen") != NULL, "the log's end: %s", f.err);
}

Test(exec, exiting_at_once_is_an_error_with_the_log)
{
    lib_fix f;
    lib_setup(&f, "exit");
    cf_exec *x;
    cr_assert_eq(cf_exec_start(&f.o, &x, f.err, sizeof f.err), -1);
    cr_expect(strstr(f.err, "the server exited (status 3) before 127.0.0.1:") != NULL, "%s", f.err);
    cr_expect(strstr(f.err, "crashy_server: exiting at once") != NULL, "%s", f.err);
}

Test(exec, alert_lines_are_events_and_the_pattern_is_checked)
{
    lib_fix f;
    lib_setup(&f, "serve");
    char resp[256];
    cf_exec *x;
    cr_assert_eq(cf_exec_start(&f.o, &x, f.err, sizeof f.err), 0, "%s", f.err);
    char *excerpt;
    /* a quiet request: nothing to blame */
    cf_exec_mark m = cf_exec_mark_now(x);
    get(f.port, "/", resp, sizeof resp);
    cr_expect(strstr(resp, "200 OK") != NULL);
    cr_expect_null(cf_exec_blame(x, m, "", &excerpt));
    /* the [alert] line is written before the response: read once the response is in */
    m = cf_exec_mark_now(x);
    get(f.port, "/alert", resp, sizeof resp);
    char *why = cf_exec_blame(x, m, "", &excerpt);
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
    /* UBSan's report line, the server going on */
    m = cf_exec_mark_now(x);
    get(f.port, "/ubsan", resp, sizeof resp);
    why = cf_exec_blame(x, m, "", &excerpt);
    cr_assert_not_null(why);
    cr_expect(strstr(why, "logged a sanitizer report: crashy_server.c:70:5: ") != NULL);
    free(why);
    free(excerpt);
    cr_expect(cf_exec_running(x));
    char *stop_why, *stop_ex;
    cr_expect_eq(cf_exec_stop(x, &stop_why, &stop_ex), 0, "%s", stop_why);
    cf_exec_free(x);
    /* the default pattern and a bad one */
    cr_expect_eq(cf_exec_alert_check(CF_EXEC_ALERT_DEFAULT, f.err, sizeof f.err), 0);
    cr_expect_eq(cf_exec_alert_check("([unclosed", f.err, sizeof f.err), -1);
    cr_expect(strstr(f.err, "at offset") != NULL, "%s", f.err);
}

Test(exec, sigterm_ignored_is_killed_after_the_grace)
{
    lib_fix f;
    lib_setup(&f, "ignore-term");
    f.o.grace_ms = 200;
    cf_exec *x;
    cr_assert_eq(cf_exec_start(&f.o, &x, f.err, sizeof f.err), 0, "%s", f.err);
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
    cr_expect(cf_exec_start(&f.o, &x, f.err, sizeof f.err) == 0, "%s", f.err);
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

/* Runs `conform HEAD --target 127.0.0.1:PORT --exec 'BIN PORT MODE' EXTRA` on a free port (into
 * *port when not NULL); its exit status, and its output in out. */
static int conform_exec(const char *head, const char *bin, const char *mode, const char *extra,
                        char *out, size_t cap, int *port)
{
    char args[1024];
    static char tmp[64];
    if (!tmp[0]) { /* the server logs of runs without a report file: here, not in /tmp */
        scratch(tmp, sizeof tmp);
        setenv("TMPDIR", tmp, 1);
    }
    int p = free_port();
    if (port) *port = p;
    snprintf(args, sizeof args, "%s --target 127.0.0.1:%d --exec '%s %d %s' %s", head, p, bin, p,
             mode, extra);
    return cf_run_conform(args, out, cap);
}

/* conform run FIX/SPEC under --exec of crashy_server in MODE. */
static int run_exec(const char *spec, const char *mode, const char *extra, char *out, size_t cap)
{
    char head[256];
    snprintf(head, sizeof head, "run " FIX "%s", spec);
    return conform_exec(head, CF_CRASHY_BIN, mode, extra, out, cap, NULL);
}

Test(exec, run_blames_the_crash_on_its_case_and_goes_on)
{
    char dir[64], extra[256], out[65536], path[128], text[16384];
    scratch(dir, sizeof dir);
    snprintf(extra, sizeof extra, "--rules off -j 4 --report json:%s/r.json --report terminal",
             dir);
    cr_assert_eq(run_exec("crashy.yaml", "serve", extra, out, sizeof out), 1, "%s", out);
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

/* conform run --exec: what each way of starting and stopping says, and its exit status. */
static const struct {
    const char *spec, *mode, *extra;
    int status;
    const char *says[3];
} runs[] = {
    /* the default pattern would blame exec-4-alert; this one blames nothing there */
    {"crashy.yaml --id exec-4",
     "serve",
     "--rules off --exec-alert 'no such line'",
     0,
     {"PASS  exec-4-alert"}},
    {"crashy.yaml", "serve", "--exec-alert '(['", 2, {"--exec-alert: '([' "}},
    {"crashy.yaml",
     "serve",
     "--target 127.0.0.1:2",
     2,
     {"--exec starts one server: give one --target"}},
    {"crashy.yaml",
     "never-listen",
     "--exec-wait 300ms",
     4,
     {"did not accept a connection within --exec-wait (300 ms)", "mode never-listen"}},
    {"crashy.yaml",
     "exit",
     "",
     4,
     {"the server exited (status 3) before", "crashy_server: exiting at once"}},
    {"crashy.yaml --id exec-1",
     "ignore-term",
     "--exec-grace 200ms --rules off",
     1,
     {"PASS  exec-1-before",
      "did not stop within --exec-grace (200 ms) of SIGTERM and was killed (SIGKILL)",
      "misbehaved outside the cases (above): the run fails"}},
};

Test(exec, run_starts_and_stops_with_a_status_for_each_way)
{
    char out[65536];
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        cr_expect_eq(run_exec(runs[i].spec, runs[i].mode, runs[i].extra, out, sizeof out),
                     runs[i].status, "%zu: %s", i, out);
        for (size_t k = 0; k < 3 && runs[i].says[k]; k++)
            cr_expect(strstr(out, runs[i].says[k]) != NULL, "%zu: no '%s' in %s", i,
                      runs[i].says[k], out);
    }
    cr_expect_eq(
        cf_run_conform("run " FIX "crashy.yaml --target builtin --exec true", out, sizeof out), 2,
        "%s", out);
}

Test(exec, run_errors_the_cases_left_when_a_restart_fails)
{
    char dir[64], args[1024], out[65536];
    scratch(dir, sizeof dir);
    int port = free_port();
    /* the first start leaves a mark; a restart finds it and exits 5 */
    snprintf(args, sizeof args,
             "run " FIX "crashy.yaml --target 127.0.0.1:%d --rules off --exec 'test -e %s/up && "
             "exit 5; touch %s/up; exec %s %d'",
             port, dir, dir, CF_CRASHY_BIN, port);
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "PASS  exec-1-before") != NULL, "%s", out);
    cr_expect(strstr(out, "FAIL  exec-2-crash") != NULL, "%s", out);
    cr_expect(strstr(out, "- while this ran, the server under test crashed (signal 6, SIGABRT)") !=
                  NULL,
              "exec in the command: the server's own signal; %s", out);
    cr_expect(strstr(out, "the server could not be restarted: the server exited (status 5) "
                          "before 127.0.0.1:") != NULL,
              "%s", out);
    cr_expect(strstr(out, "ERROR exec-5-last") != NULL, "%s", out);
    cr_expect(strstr(out, "not run: the server under test could not be restarted (--exec)") != NULL,
              "%s", out);
    cr_expect(strstr(out, "5 cases: 1 passed, 1 failed, 0 warnings, 0 info, 3 errors") != NULL,
              "%s", out);
}

Test(exec, run_blames_a_sanitizer_report_with_its_excerpt)
{
    if (!CF_CRASHY_ASAN_BIN[0]) cr_skip_test("the compiler cannot build with -fsanitize=address");
    char dir[64], extra[256], out[65536], path[128], text[16384];
    scratch(dir, sizeof dir);
    snprintf(extra, sizeof extra, "--rules off --report json:%s/r.json", dir);
    cr_assert_eq(conform_exec("run " FIX "asan.yaml", CF_CRASHY_ASAN_BIN, "serve", extra, out,
                              sizeof out, NULL),
                 1);
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
    char dir[64], extra[256], args[1024], out[65536], finding[512];
    scratch(dir, sizeof dir);
    snprintf(extra, sizeof extra, "--findings %s -n 12 -j 1 --seed 1 --no-progress", dir);
    int port;
    cr_assert_eq(conform_exec("fuzz --specs " FIX "seed-crash.yaml", CF_CRASHY_BIN, "serve", extra,
                              out, sizeof out, &port),
                 1, "%s", out);
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
             finding, port, CF_CRASHY_BIN, port); /* the port its {{authority}} was saved for */
    cr_expect_eq(cf_run_conform(args, out, sizeof out), 1, "%s", out);
    cr_expect(strstr(out, "FAIL  finding-crash-") != NULL, "%s", out);
    cr_expect(strstr(out, "- while this ran, the server under test ") != NULL, "%s", out);
}
