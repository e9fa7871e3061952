/* Target profiles: the file format with its errors at FILE:LINE:COLUMN, the defaults, the
 * built-in target's profile, and what a run makes of a case needing a resource a profile lacks. */
#include <criterion/criterion.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "cf_conform_cmd.h"
#include "cf_dir.h"
#include "misbehave.h"
#include "spec_profile.h"

static int load(const char *text, cf_profile *p, cf_spec_errors *e)
{
    cf_spec_errors_init(e);
    return cf_profile_load_text("p.yaml", text, strlen(text), p, e);
}

Test(spec_profile, file_sets_and_removes_resources)
{
    cf_profile p;
    cf_spec_errors e;
    cr_assert_eq(load("profile: 1\nresources:\n  page: /index.html\n  missing: null\n"
                      "  status: /s/{code}\n  body: /post?x=%41\n",
                      &p, &e),
                 0, "%s", e.count ? e.items[0].message : "");
    cr_expect_str_eq(p.path[CF_RES_PAGE], "/index.html");
    cr_expect_null(p.path[CF_RES_MISSING], "null: the target has no such resource");
    cr_expect_str_eq(p.path[CF_RES_STATUS], "/s/{code}");
    cr_expect_str_eq(p.path[CF_RES_BODY], "/post?x=%41");
    cr_expect_null(p.path[CF_RES_ECHO]);
    cr_expect_str_eq(p.file, "p.yaml");
    cf_profile_free(&p);
    cf_spec_errors_free(&e);
}

Test(spec_profile, errors_have_positions)
{
    static const struct {
        const char *text;
        unsigned line, col;
        const char *msg;
    } bad[] = {
        {"profile: 1\nresources:\n  pgae: /\n", 3, 3, "unknown key 'pgae' in 'resources'"},
        {"profile: 1\nresources:\n  page: index.html\n", 3, 9, "starting with '/'"},
        {"profile: 1\nresources:\n  page: \"/a b\"\n", 3, 9, "not a valid origin-form"},
        {"profile: 1\nresources:\n  status: /status/204\n", 3, 11, "holds {code} once"},
        {"profile: 2\nresources: {}\n", 1, 10, "'profile'"},
        {"resources: {}\n", 1, 1, "missing required key 'profile'"},
        {"profile: 1\nresources:\n  page: [/]\n", 3, 9, "page"},
        {"profile: 1\nresources: {}\n---\nprofile: 1\n", 3, 1, "a profile holds one YAML document"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cf_profile p;
        cf_spec_errors e;
        cr_expect_eq(load(bad[i].text, &p, &e), -1, "%s", bad[i].text);
        cr_assert_gt(e.count, 0, "%s", bad[i].text);
        cr_expect_eq(e.items[0].line, bad[i].line, "%s: %s", bad[i].text, e.items[0].message);
        cr_expect_eq(e.items[0].column, bad[i].col, "%s: %s", bad[i].text, e.items[0].message);
        cr_expect(strstr(e.items[0].message, bad[i].msg) != NULL, "%s", e.items[0].message);
        cr_expect_null(p.path[CF_RES_PAGE], "a failed load leaves the profile empty");
        cf_spec_errors_free(&e);
    }
}

Test(spec_profile, defaults_and_builtin)
{
    cf_profile a, b, s;
    cr_assert_eq(cf_profile_defaults(&a), 0);
    cr_assert_eq(cf_profile_defaults(&b), 0);
    cr_expect_str_eq(a.path[CF_RES_PAGE], "/");
    cr_expect(strncmp(a.path[CF_RES_MISSING], "/conform-missing-", 17) == 0);
    cr_expect_eq(strlen(a.path[CF_RES_MISSING]), 17 + 16);
    cr_expect_str_neq(a.path[CF_RES_MISSING], b.path[CF_RES_MISSING], "a random missing path");
    for (int r = 0; r < CF_RES__COUNT; r++)
        if (r != CF_RES_PAGE && r != CF_RES_MISSING) cr_expect_null(a.path[r]);
    cr_assert_eq(cf_profile_builtin(&s), 0);
    for (int r = 0; r < CF_RES__COUNT; r++)
        cr_expect_not_null(s.path[r], "the built-in target gives %s", cf_resource_name(r));
    cf_profile_free(&a);
    cf_profile_free(&b);
    cf_profile_free(&s);
}

/* A path of this test process's own (tests in other build trees run at the same time). */
static void own_path(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "/tmp/conform-test-%ld-%s", (long)getpid(), name);
}

/* Runs `conform run SPECS ARGS` (args: printf format with the profile path p for each %s). */
static int run_with(char *out, size_t cap, const char *args, const char *p)
{
    char cmd[1024], more[768];
    snprintf(more, sizeof more, args, p, p);
    snprintf(cmd, sizeof cmd, "run %s/specs %s", CF_SOURCE_DIR, more);
    return cf_run_conform(cmd, out, cap);
}

/* A case naming a resource the profile lacks is SKIP with the reason, and runs once it is given;
 * a bad profile is exit 2 before anything runs. */
Test(spec_profile, run_skips_what_the_profile_lacks)
{
    char out[16384], p[128], want[256];
    own_path(p, sizeof p, "profile.yaml");
    cf_dir_put(p, "profile: 1\nresources:\n  page: /\n");
    cr_expect_eq(run_with(out, sizeof out, "--id rfc9110-8.6-204 --target builtin --profile %s", p),
                 0, "%s", out);
    cr_expect(strstr(out, "SKIP  rfc9110-8.6-204-no-content-length") != NULL, "%s", out);
    cr_expect(strstr(out, "      skipped: needs resource `status` (answers with the status code "
                          "in its path; the path holds {code}): add it to the profile") != NULL,
              "%s", out);
    cf_dir_put(p, "profile: 1\nresources:\n  status: /status/{code}\n");
    cr_expect_eq(run_with(out, sizeof out, "--id rfc9110-8.6-204 --target builtin --profile %s", p),
                 0, "%s", out);
    cr_expect(strstr(out, "PASS  rfc9110-8.6-204-no-content-length") != NULL, "%s", out);
    cf_dir_put(p, "profile: 1\nresources:\n  status: /status/\n");
    cr_expect_eq(run_with(out, sizeof out, "--target builtin --profile %s", p), 2, "%s", out);
    snprintf(want, sizeof want, "%s:3:11: error: resource 'status'", p);
    cr_expect(strstr(out, want) != NULL, "%s", out);
    /* a profile is read like a spec file: regular files only, the same wording */
    cr_expect_eq(cf_run_conform("run " CF_SOURCE_DIR "/specs --target builtin --profile /tmp", out,
                                sizeof out),
                 2, "%s", out);
    cr_expect(strstr(out, "/tmp: error: cannot read: a directory, not a file") != NULL, "%s", out);
    remove(p);
}

/* --profile LABEL=FILE gives one labelled target its profile; the others keep theirs. A label no
 * --target has, or a second profile for every target, is a usage error. */
Test(spec_profile, labelled_profiles)
{
    char out[16384], p[128];
    own_path(p, sizeof p, "profile-a.yaml");
    cf_dir_put(p, "profile: 1\nresources:\n  page: /\n");
    cr_expect_eq(
        run_with(out, sizeof out,
                 "--id rfc9110-8.6-204 --target a=builtin --target b=builtin --profile a=%s", p),
        0, "%s", out);
    cr_expect(strstr(out, "Target a\nSKIP  rfc9110-8.6-204-no-content-length") != NULL, "%s", out);
    cr_expect(strstr(out, "Target b\nPASS  rfc9110-8.6-204-no-content-length") != NULL, "%s", out);
    cr_expect_eq(run_with(out, sizeof out, "--target builtin --profile x=%s", p), 2, "%s", out);
    cr_expect(strstr(out, "no --target is labelled x") != NULL, "%s", out);
    cr_expect_eq(run_with(out, sizeof out, "--target builtin --profile %s --profile %s", p), 2,
                 "%s", out);
    remove(p);
}

/* A server that answers a POST on its head alone and closes never read the chunked content:
 * every chunked case is SKIP there (premise, or the body resource its profile lacks), none PASS
 * or FAIL on an answer that proves nothing. */
Test(spec_profile, chunked_cases_skip_a_server_that_never_reads, .timeout = 60)
{
    char out[65536], cmd[512];
    cf_mb *m = cf_mb_start(CF_MB_HEAD_ONLY);
    cr_assert_not_null(m);
    snprintf(cmd, sizeof cmd, "run " CF_SOURCE_DIR "/specs --tag chunked --target 127.0.0.1:%d -q",
             cf_mb_port(m));
    cr_expect_eq(cf_run_conform(cmd, out, sizeof out), 0, "%s", out);
    /* 21 of chunked.yaml, 4 of incomplete.yaml, 19 of chunk-lines.yaml (their content goes to
     * the body and echo resources, which the default profile lacks) */
    cr_expect(strstr(out, "44 cases: 0 passed, 0 failed, 0 warnings, 0 info, 0 errors, 44 "
                          "skipped") != NULL,
              "%s", out);
    cr_expect(strstr(out, "skipped: not exercised: step 1 needs 2 responses, or status 400; the "
                          "server sent 200 OK") != NULL,
              "%s", out);
    cr_expect(strstr(out, "skipped: needs resource `body`") != NULL, "%s", out);
    cf_mb_stop(m);
}
