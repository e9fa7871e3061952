/* conform run with `complies` on a rule that depends on the request: the real binary runs
 * tests/data/specs/complies/ (connection-close-not-echoed, RFC 9112 §9.6, expected by a request
 * with Connection: close and by one without) against the built-in server, which keeps the rule,
 * and against the broken server of tests/support/broken_server.h in mode
 * CF_BROKEN_NO_CLOSE_ECHO, which breaks it only for the request that asked for close. The cases
 * are SHOULDs: --strict makes a broken one FAIL, without it WARN. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "broken_server.h"
#include "cf_conform_cmd.h"

#define SPECS CF_SOURCE_DIR "/tests/data/specs/complies"

/* The failed-check line of a broken connection-close-not-echoed (docs/checks.md). */
#define RULE_BROKEN                                                                                \
    "        - rule connection-close-not-echoed (RFC 9112 §9.6, SHOULD): expected kept, broken "  \
    "by response 1 (200 OK): the request had Connection: close; the 200 response has no close "    \
    "option\n"

/* Runs the fixtures against target with extra options; the exit status, the output in out. */
static int run(const char *target, const char *extra, char *out, size_t cap)
{
    char args[1024];
    snprintf(args, sizeof args, "run %s --target %s --no-color %s", SPECS, target, extra);
    return cf_run_conform(args, out, cap);
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The output of the case id: from its verdict line to the next case's (or the summary). */
static void case_text(const char *out, const char *id, char *text, size_t cap)
{
    text[0] = 0;
    char key[128];
    snprintf(key, sizeof key, "  %s  ", id);
    const char *s = strstr(out, key);
    if (!s) return;
    while (s > out && s[-1] != '\n')
        s--;
    const char *e = strchr(s, '\n');
    /* The case's own lines are indented; the next unindented line ends it. */
    while (e && e[1] == ' ')
        e = strchr(e + 1, '\n');
    size_t n = e ? (size_t)(e - s) + 1 : strlen(s);
    snprintf(text, cap, "%.*s", (int)n, s);
}

Test(run_complies, builtin_keeps_the_rule_with_and_without_close, .timeout = 60)
{
    char out[16384];
    cr_expect_eq(run("builtin", "--strict", out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "PASS  complies-close-requested  ") != NULL, "%s", out);
    cr_expect(strstr(out, "PASS  complies-close-not-requested  ") != NULL, "%s", out);
    cr_expect(
        strstr(out, "\n2 cases: 2 passed, 0 failed, 0 warnings, 0 info, 0 errors, 0 skipped (") !=
            NULL,
        "%s", out);
}

Test(run_complies, no_close_echo_breaks_it_only_for_the_close_request, .timeout = 60)
{
    cf_broken *b = cf_broken_start(CF_BROKEN_NO_CLOSE_ECHO, 0);
    cr_assert_not_null(b);
    char target[64], out[16384], a[4096], nb[4096];
    snprintf(target, sizeof target, "127.0.0.1:%d", cf_broken_port(b));

    cr_expect_eq(run(target, "--strict", out, sizeof out), 1, "%s", out);
    case_text(out, "complies-close-requested", a, sizeof a);
    case_text(out, "complies-close-not-requested", nb, sizeof nb);
    /* (a) fails on the rule alone: the 200 arrived, so no other check is what failed. */
    cr_expect(starts_with(a, "FAIL  complies-close-requested  "), "%s", out);
    cr_expect(strstr(a, "      expected: status 200; complies with rule "
                        "connection-close-not-echoed\n") != NULL,
              "%s", a);
    cr_expect(strstr(a, RULE_BROKEN) != NULL, "%s", a);
    cr_expect(strstr(a, "        - status:") == NULL, "%s", a);
    /* (b) asked for no close: the same answer without close keeps the rule. */
    cr_expect(starts_with(nb, "PASS  complies-close-not-requested  "), "%s", out);
    cr_expect(strstr(nb, "connection-close-not-echoed (RFC") == NULL, "%s", nb);
    cr_expect(
        strstr(out, "\n2 cases: 1 passed, 1 failed, 0 warnings, 0 info, 0 errors, 0 skipped (") !=
            NULL,
        "%s", out);

    /* Without --strict the broken SHOULD only warns, and the run exits 0. */
    cr_expect_eq(run(target, "", out, sizeof out), 0, "%s", out);
    case_text(out, "complies-close-requested", a, sizeof a);
    cr_expect(starts_with(a, "WARN  complies-close-requested  "), "%s", out);
    cr_expect(strstr(a, RULE_BROKEN) != NULL, "%s", a);
    cr_expect(strstr(out, "PASS  complies-close-not-requested  ") != NULL, "%s", out);
    /* Both runs reached this server: two requests each, after the pre-flight's GET /. */
    cr_expect_eq(cf_broken_requests(b), 6, "%u requests answered", cf_broken_requests(b));
    cf_broken_stop(b);
}

/* The other modes echo close, as they did before CF_BROKEN_NO_CLOSE_ECHO existed (and rules
 * not listed, such as CF_BROKEN_NO_DATE's date-missing, do not change the cases' verdicts; with
 * --rules report they do not change the exit status either). */
Test(run_complies, other_broken_modes_echo_close, .timeout = 60)
{
    const cf_broken_mode modes[] = {CF_BROKEN_DESYNC, CF_BROKEN_CRASH, CF_BROKEN_LATE_EXTRA,
                                    CF_BROKEN_NO_DATE};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        cf_broken *b = cf_broken_start(modes[i], 1000000);
        cr_assert_not_null(b);
        char target[64], out[16384];
        snprintf(target, sizeof target, "127.0.0.1:%d", cf_broken_port(b));
        cr_expect_eq(run(target, "--strict --rules report", out, sizeof out), 0, "mode %zu: %s", i,
                     out);
        cr_expect(
            strstr(out,
                   "\n2 cases: 2 passed, 0 failed, 0 warnings, 0 info, 0 errors, 0 skipped (") !=
                NULL,
            "mode %zu: %s", i, out);
        /* the two cases' requests, and the pre-flight's GET / */
        cr_expect_eq(cf_broken_requests(b), 3, "mode %zu: %u requests answered", i,
                     cf_broken_requests(b));
        cf_broken_stop(b);
    }
}
