/* One bundled case against a misbehaving test server (bundled_case.h). */
#include "bundled_case.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "mb_case.h"
#include "run_case.h"
#include "spec_load.h"
#include "spec_profile.h"

cf_verdict cf_run_bundled(const char *file, const char *id, cf_mb_mode mode)
{
    char path[512];
    snprintf(path, sizeof path, "%s/specs/%s", CF_SOURCE_DIR, file);
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cr_assert_eq(cf_spec_load_file(path, &f, &errs), 0, "%s does not load", path);
    cf_spec_errors_free(&errs);
    const cf_case *c = cf_mb_find(f, id);

    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    cf_run_config cfg = cf_mb_config(m);
    cf_profile prof;
    cr_assert_eq(cf_profile_builtin(&prof), 0);
    cf_profile_apply(&prof, &cfg.target.vars);

    cf_case_result out;
    cr_assert_eq(cf_run_case(c, 0, &cfg, &out), 0);
    cf_verdict v = out.verdict;
    cf_case_result_free(&out);
    cf_mb_stop(m);
    cf_profile_free(&prof);
    cf_spec_file_free(f);
    return v;
}
