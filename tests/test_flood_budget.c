/* What a server sends cannot hold conform (docs/limits.md, "What a server sends"): conform fuzz
 * stops on SIGINT and SIGTERM in the middle of an exchange that would last 10 minutes, with its
 * summary, and conform run at -j 8 against servers flooding interim responses stays under the
 * per-case memory budget docs/commands/run.md states. conform runs under an address-space limit
 * (ulimit -v), so a regression fails the test instead of the machine. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cf_asan.h"
#include "cf_dir.h"
#include "misbehave.h"

/* The address-space limit conform runs under: far above the budget, far below the machine.
 * Not under AddressSanitizer, which reserves terabytes of address space for its shadow. */
#define AS_LIMIT (2000ull << 20)

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* Starts `conform ARGV...` (argv[0] is ignored) with stdout and stderr into the file out and
 * the address space capped at AS_LIMIT; returns its pid. */
static pid_t spawn(char *const argv[], const char *out)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_RDONLY);
        if (fd < 0 || null < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || dup2(null, 0) < 0)
            _exit(127);
#ifndef CF_ASAN
        struct rlimit rl = {AS_LIMIT, AS_LIMIT};
        if (setrlimit(RLIMIT_AS, &rl) < 0) _exit(127);
#endif
        execv(CF_CONFORM_BIN, argv);
        _exit(127);
    }
    return pid;
}

/* Waits up to limit_ms for pid; its wait status into *st and its peak RSS (KiB) into *rss_kb.
 * False when it is still running then (it is killed). */
static bool reap(pid_t pid, long limit_ms, int *st, long *rss_kb)
{
    struct rusage ru;
    for (long waited = 0; waited <= limit_ms; waited += 20) {
        pid_t r = wait4(pid, st, WNOHANG, &ru);
        if (r == pid) {
            *rss_kb = ru.ru_maxrss;
            return true;
        }
        sleep_ms(20);
    }
    kill(pid, SIGKILL);
    waitpid(pid, st, 0);
    return false;
}

/* A misbehaving server and a scratch directory with conform's output file in it. */
typedef struct flood {
    cf_mb *m;
    char dir[32], port[16], out[64];
} flood;

static void flood_start(flood *f, cf_mb_mode mode)
{
    f->m = cf_mb_start(mode);
    cr_assert_not_null(f->m);
    snprintf(f->dir, sizeof f->dir, "/tmp/cf-flood-XXXXXX");
    cr_assert_not_null(mkdtemp(f->dir));
    snprintf(f->port, sizeof f->port, "127.0.0.1:%d", cf_mb_port(f->m));
    snprintf(f->out, sizeof f->out, "%s/out", f->dir);
}

static void flood_stop(flood *f)
{
    char rm[64];
    snprintf(rm, sizeof rm, "rm -rf %s", f->dir);
    if (system(rm) != 0) cr_log_warn("cannot remove %s", f->dir);
    cf_mb_stop(f->m);
}

/* conform fuzz against a server in mode, with a 10-minute exchange timeout: once the server
 * has taken a connection and a moment passed (an exchange is in progress), sig stops it within
 * a few seconds (not 10 minutes; --max-dead does not end it first), exit 0 or 1 as
 * docs/commands/fuzz.md says, the summary printed. */
static void fuzz_stops_on(cf_mb_mode mode, int sig)
{
    flood f;
    flood_start(&f, mode);
    char findings[64];
    snprintf(findings, sizeof findings, "%s/findings", f.dir);
    char *argv[] = {"conform",
                    "fuzz",
                    "--target",
                    f.port,
                    "--seed",
                    "1",
                    "-j",
                    "2",
                    "--timeout",
                    "10m",
                    "--max-dead",
                    "1000000",
                    "--no-progress",
                    "--no-preflight",
                    "--findings",
                    findings,
                    NULL};
    pid_t pid = spawn(argv, f.out);
    for (int i = 0; i < 500 && cf_mb_accepted(f.m) == 0; i++)
        sleep_ms(20);
    cr_expect_gt(cf_mb_accepted(f.m), 0, "conform fuzz made no connection");
    sleep_ms(300); /* inside the exchange: the server is sending */
    kill(pid, sig);
    int st = 0;
    long rss = 0;
    bool done = reap(pid, 10000, &st, &rss);
    char *text = cf_dir_get(f.out);
    cr_expect(done, "conform fuzz still running 10 s after signal %d: %s", sig, text);
    cr_expect(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 1), "status %#x: %s", st,
              text);
    cr_expect(strstr(text, "conform fuzz: ") && strstr(text, " requests in "), "no summary: %s",
              text);
    cr_expect(strstr(text, "findings: ") != NULL, "no findings line: %s", text);
    /* a finding's time_limit_ms stays within the spec format's 10 minutes at --timeout 10m */
    cr_expect(strstr(text, "cannot save") == NULL, "%s", text);
    free(text);
    flood_stop(&f);
}

Test(flood_budget, fuzz_stops_on_sigint_during_an_endless_response)
{
    fuzz_stops_on(CF_MB_ENDLESS_CHUNKED, SIGINT);
}

Test(flood_budget, fuzz_stops_on_sigterm_during_an_endless_response)
{
    fuzz_stops_on(CF_MB_ENDLESS_CHUNKED, SIGTERM);
}

Test(flood_budget, fuzz_stops_on_sigint_during_an_interim_flood)
{
    fuzz_stops_on(CF_MB_INTERIM_FLOOD, SIGINT);
}

Test(flood_budget, fuzz_stops_on_sigterm_during_a_hints_flood)
{
    fuzz_stops_on(CF_MB_HINTS_FLOOD, SIGTERM);
}

/* Per case, conform run holds at most about --max-response (the responses kept) + --max-raw
 * + 2 x --max-head (the receive buffer: a head and a trailer section) + --max-body (the
 * response arriving) (docs/commands/run.md, "Bounded memory"); the run, -j times that over a
 * base. The caps the test gives (--max-response 1M, --max-raw, --max-head and --max-body 64K)
 * make the per-case budget 1.2 MiB. */
#define CAPS           "--max-response 1M --max-raw 64K --max-head 64K --max-body 64K"
#define CASE_BUDGET_KB (1024 + 64 + 2 * 64 + 64)
#define BASE_KB        (32 * 1024) /* the binary, libraries, specs and reports of a small run */

/* Writes a spec of n cases, each a GET expecting a 200 (and expect_more, e.g. ", connection:
 * closed"), into path. */
static void write_spec(const char *path, int n, const char *expect_more)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("spec: 1\ntitle: flood\nrfc: 9112\ncases:\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f,
                "  - id: flood-%d\n    title: a GET\n    section: \"9.3\"\n    level: MUST\n"
                "    requirement: \"x\"\n    steps:\n"
                "      - lines: [\"GET / HTTP/1.1\", \"Host: {{authority}}\", \"\"]\n"
                "        expect: {status: 200%s}\n",
                i, expect_more);
    cr_assert_eq(fclose(f), 0);
}

/* conform run -j 8 on ncases cases (expect_more: see write_spec) against a server in mode: every
 * case fails on the flood (exit 1, the cap named), and the peak RSS stays under 8 x the per-case
 * budget over the base. */
static void run_under_budget(cf_mb_mode mode, int ncases, const char *expect_more, const char *says)
{
    flood f;
    flood_start(&f, mode);
    char spec[64], summary[64];
    snprintf(spec, sizeof spec, "%s/flood.yaml", f.dir);
    snprintf(summary, sizeof summary, "%d cases: 0 passed, %d failed", ncases, ncases);
    write_spec(spec, ncases, expect_more);
    char *argv[] = {"conform",
                    "run",
                    spec,
                    "--target",
                    f.port,
                    "-j",
                    "8",
                    "--no-preflight",
                    "--max-response",
                    "1M",
                    "--max-raw",
                    "64K",
                    "--max-head",
                    "64K",
                    "--max-body",
                    "64K",
                    NULL};
    pid_t pid = spawn(argv, f.out);
    int st = 0;
    long rss = 0;
    bool done = reap(pid, 120000, &st, &rss);
    char *text = cf_dir_get(f.out);
    cr_expect(done, "conform run still running after 2 minutes: %s", text);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %#x: %s", st, text);
    cr_expect(strstr(text, summary) != NULL, "no summary '%s'", summary);
    cr_expect(strstr(text, says) != NULL, "want '%s' in the output", says);
#ifndef CF_ASAN
    long budget = BASE_KB + 8 * CASE_BUDGET_KB;
    cr_expect_lt(rss, budget, "peak RSS %ld KiB over the budget of %ld KiB", rss, budget);
#endif
    cr_log_info("%s: peak RSS %ld KiB", says, rss);
    free(text);
    flood_stop(&f);
}

Test(flood_budget, run_j8_interim_flood_within_the_per_case_budget)
{
    run_under_budget(CF_MB_INTERIM_FLOOD, 24, "", "interim response flood: 16 1xx responses");
}

Test(flood_budget, run_j8_hints_flood_within_the_per_case_budget)
{
    run_under_budget(CF_MB_HINTS_FLOOD, 24, "", "interim response flood: 16 1xx responses");
}

/* Tiny responses without end, read until the cap in 160 cases: each case's step stops at the
 * responses kept (about 5,800 per case at --max-response 1M), and what the report keeps of a
 * case until the run ends is at most 256 responses, so the run does not grow with the cases
 * (before the cap: about 100 bytes per response, 90 MB for these cases). */
Test(flood_budget, run_j8_tiny_response_flood_does_not_grow_with_the_cases)
{
    run_under_budget(CF_MB_TINY_FLOOD, 160, ", connection: closed",
                     "the responses kept reached conform's cap");
}
