/* conform check: exit statuses and output on the fixtures (runs the real binary). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "cf_conform_cmd.h"

#define FIX CF_SOURCE_DIR "/tests/data/specs/"

Test(cmd_check, good_specs_exit_0_with_summary)
{
    char out[4096];
    cr_expect_eq(cf_run_conform("check " FIX "good", out, sizeof out), 0, "%s", out);
    cr_expect_str_eq(out, "2 files, 4 cases OK\n");
    cr_expect_eq(cf_run_conform("check " FIX "good/sub/small.yml", out, sizeof out), 0);
    cr_expect_str_eq(out, "1 file, 1 case OK\n");
    cr_expect_eq(cf_run_conform("check --quiet " FIX "good", out, sizeof out), 0);
    cr_expect_str_eq(out, "");
}

Test(cmd_check, bad_specs_exit_2_with_positions)
{
    char out[8192];
    cr_expect_eq(cf_run_conform("check " FIX "bad/unknown_key.yaml", out, sizeof out), 2);
    cr_expect(strstr(out, "tests/data/specs/bad/unknown_key.yaml:12:18: error: unknown key "
                          "'stauts' in 'expect' (did you mean 'status'?)\n") != NULL,
              "%s", out);
    cr_expect_eq(cf_run_conform("check " FIX "dup", out, sizeof out), 2);
    cr_expect(strstr(out, "dup/b.yaml:11:5: error: duplicate case id 'dup-one'") != NULL, "%s",
              out);
    /* one bad file among good ones fails the whole check */
    cr_expect_eq(cf_run_conform("check " FIX "good " FIX "bad/bad_regex.yaml", out, sizeof out), 2);
    cr_expect(strstr(out, "OK") == NULL, "%s", out);
    /* every fixture in bad/ is rejected, each error reported */
    cr_expect_eq(cf_run_conform("check " FIX "bad", out, sizeof out), 2);
    cr_expect(strstr(out, "bad_level.yaml:8:12: error:") != NULL, "%s", out);
    cr_expect(strstr(out, "yaml_syntax.yaml:11:1: error: invalid YAML") != NULL, "%s", out);
}

/* No PATH: the bundled suite, which for the build-tree binary is the source tree's specs/. */
Test(cmd_check, no_path_checks_the_bundled_suite)
{
    char out[4096], want[4096];
    cr_expect_eq(cf_run_conform("check " CF_SOURCE_DIR "/specs", want, sizeof want), 0, "%s", want);
    cr_expect_eq(cf_run_conform("check", out, sizeof out), 0, "%s", out);
    cr_expect_str_eq(out, want);
}

Test(cmd_check, usage_errors_exit_2)
{
    char out[4096];
    cr_expect_eq(cf_run_conform("check --bogus " FIX "good", out, sizeof out), 2);
    cr_expect_eq(cf_run_conform("check " FIX "does-not-exist", out, sizeof out), 2);
    cr_expect(strstr(out, "cannot open") != NULL, "%s", out);
    cr_expect_eq(cf_run_conform("check --help", out, sizeof out), 0);
    cr_expect(strstr(out, "Exit status") != NULL);
}
