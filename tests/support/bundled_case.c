/* One bundled case against a misbehaving test server (bundled_case.h). */
#include "bundled_case.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

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
    const cf_case *c = NULL;
    for (size_t i = 0; i < f->ncases && !c; i++)
        if (!strcmp(f->cases[i].id, id)) c = &f->cases[i];
    cr_assert_not_null(c, "no case %s in %s", id, file);

    cf_mb *m = cf_mb_start(mode);
    cr_assert_not_null(m);
    cf_run_config cfg;
    cf_run_config_default(&cfg);
    char port[8], err[256];
    snprintf(port, sizeof port, "%d", cf_mb_port(m));
    cr_assert_eq(cf_run_target_parse("127.0.0.1:1", &cfg.target, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_set(&cfg.target, "127.0.0.1", port), 0);
    cr_assert_eq(cf_run_target_resolve(&cfg.target, &cfg.addr, 1, err, sizeof err), 1);
    cf_profile prof;
    cr_assert_eq(cf_profile_builtin(&prof), 0);
    cf_profile_apply(&prof, &cfg.target.vars);

    cf_case_result out;
    cr_assert_eq(cf_run_case(c, &cfg, &out), 0);
    cf_verdict v = out.verdict;
    cf_case_result_free(&out);
    cf_mb_stop(m);
    cf_profile_free(&prof);
    cf_spec_file_free(f);
    return v;
}
