/* conform fuzz against targets that do not answer HTTP (tests/support/misbehave.h): refused by
 * the pre-flight at start (exit 3, one line saying what came back, nothing fuzzed), and, past
 * the pre-flight (--no-preflight, or a server that answers GET / but nothing after), stopped by
 * --max-dead with exit 3 instead of "no findings". A server that takes connections and resets
 * them is not a crash ("connections refused"). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_conform_cmd.h"
#include "misbehave.h"

/* Fuzzes the misbehave server m with extra options (findings in a fresh temporary directory,
 * seed 1, at most 20 s); its output into out. Returns the exit status. */
static int fuzz(const cf_mb *m, const char *extra, char *out, size_t cap)
{
    char dir[] = "/tmp/cf-fuzz-dead-XXXXXX", args[1024];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(args, sizeof args,
             "fuzz --target 127.0.0.1:%d --seed 1 -j 2 --duration 20s --timeout 500ms "
             "--no-progress --no-minimize --findings %s %s",
             cf_mb_port(m), dir, extra);
    int rc = cf_run_conform(args, out, cap);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", dir);
    if (system(rm) != 0) cr_log_warn("cannot remove %s", dir);
    return rc;
}

/* A server in mode is refused by the pre-flight: exit 3, the line "it SAYS" (PORT filled in),
 * nothing fuzzed, only the pre-flight's connection accepted. */
static void refused(cf_mb_mode mode, const char *says)
{
    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    char out[16384], want[256];
    cr_expect_eq(fuzz(m, "", out, sizeof out), 3, "%s", out);
    snprintf(want, sizeof want, "conform fuzz: 127.0.0.1:%d does not speak HTTP: it %s\n",
             cf_mb_port(m), says);
    cr_expect(strstr(out, want) != NULL, "want '%s' in: %s", want, out);
    cr_expect(strstr(out, "requests in") == NULL, "fuzzing began: %s", out);
    cr_expect_eq(cf_mb_accepted(m), 1, "%u connections", cf_mb_accepted(m));
    cf_mb_stop(m);
}

Test(fuzz_dead, preflight_refuses_a_banner)
{
    refused(CF_MB_GARBAGE, "sent \"SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n\" (30 bytes) to GET /");
}

Test(fuzz_dead, preflight_refuses_silence)
{
    refused(CF_MB_SILENT, "sent nothing in 500ms to GET /");
}

/* Past the pre-flight, a server in mode that never answers properly stops the run by
 * --max-dead 5 (exit 3, the line saying what the exchanges got: want), long before --duration;
 * no crash is claimed. */
static void stopped(cf_mb_mode mode, const char *extra, const char *want)
{
    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    char opts[256], line[256], out[16384];
    snprintf(opts, sizeof opts, "--max-dead 5 %s", extra);
    cr_expect_eq(fuzz(m, opts, out, sizeof out), 3, "%s", out);
    snprintf(line, sizeof line, "conform fuzz: 127.0.0.1:%d does not answer HTTP: ", cf_mb_port(m));
    cr_expect(strstr(out, line) != NULL, "want '%s' in: %s", line, out);
    cr_expect(strstr(out, "stopped (--max-dead 5)") != NULL, "%s", out);
    cr_expect(strstr(out, want) != NULL, "want '%s' in: %s", want, out);
    cr_expect(strstr(out, "crash") == NULL || strstr(out, "crash 0") != NULL, "%s", out);
    cr_expect(strstr(out, "stopped accepting connections") == NULL, "%s", out);
    /* A handful of exchanges (two workers may overshoot by one each), not 20 s of them. */
    cr_expect_leq(cf_mb_accepted(m), 40, "%u connections", cf_mb_accepted(m));
    cf_mb_stop(m);
}

Test(fuzz_dead, max_dead_stops_on_silence)
{
    stopped(CF_MB_SILENT, "--no-preflight", " closed, ");
}

Test(fuzz_dead, max_dead_stops_on_garbage)
{
    stopped(CF_MB_GARBAGE, "--no-preflight", " not HTTP); ");
}

Test(fuzz_dead, max_dead_stops_on_resets)
{
    stopped(CF_MB_RESET, "--no-preflight", " reset, ");
}

Test(fuzz_dead, max_dead_stops_on_cut_responses)
{
    /* Its answer to GET / is cut short but is HTTP: the pre-flight passes. */
    stopped(CF_MB_SHORT_BODY, "", " cut short, ");
}

Test(fuzz_dead, cut_responses_are_findings_before_the_stop)
{
    /* One worker, so the inputs come in the seed's order: among the first 40, valid ones whose
     * cut answers are findings (a reset when the close meets bytes the server did not read). */
    cf_mb *m = cf_mb_start(CF_MB_SHORT_BODY);
    cr_assert_not_null(m);
    char out[16384];
    cr_expect_eq(fuzz(m, "-j 1 --max-dead 40", out, sizeof out), 3, "%s", out);
    cr_expect(strstr(out, "stopped (--max-dead 40)") != NULL, "%s", out);
    cr_expect(strstr(out, "conform fuzz: cut-response finding saved as ") != NULL ||
                  strstr(out, "conform fuzz: reset finding saved as ") != NULL,
              "%s", out);
    cf_mb_stop(m);
}

Test(fuzz_dead, accept_then_reset_is_not_a_crash)
{
    stopped(CF_MB_ACCEPT_RESET, "--no-preflight", " reset, ");
}
