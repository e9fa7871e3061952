/* Running spec cases against the misbehaving test servers (mb_case.h). */
#include "mb_case.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

cf_spec_file *cf_mb_load(const char *path, const char *text)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    int rc = path ? cf_spec_load_file(path, &f, &errs)
                  : cf_spec_load_text("t.yaml", text, strlen(text), &f, &errs);
    cr_assert_eq(rc, 0, "%s", errs.count ? errs.items[0].message : "?");
    cf_spec_errors_free(&errs);
    return f;
}

cf_run_config cf_mb_config(const cf_mb *m)
{
    cf_run_config cfg;
    cf_run_config_default(&cfg);
    char port[8], err[256];
    snprintf(port, sizeof port, "%d", cf_mb_port(m));
    cr_assert_eq(cf_run_target_parse("127.0.0.1:1", &cfg.target, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_set(&cfg.target, "127.0.0.1", port), 0);
    cr_assert_eq(cf_run_target_resolve(&cfg.target, &cfg.addr, 1, err, sizeof err), 1);
    return cfg;
}

const cf_case *cf_mb_find(const cf_spec_file *f, const char *id)
{
    for (size_t i = 0; i < f->ncases; i++)
        if (!strcmp(f->cases[i].id, id)) return &f->cases[i];
    cr_assert_fail("no case %s in %s", id, f->path);
    return NULL;
}

cf_verdict cf_mb_run(const cf_spec_file *f, const char *id, const cf_run_config *cfg, char *text,
                     size_t n)
{
    cf_case_result r;
    cr_assert_eq(cf_run_case(cf_mb_find(f, id), 0, cfg, &r), 0);
    size_t k = (size_t)snprintf(text, n, "%s", r.skip ? r.skip : r.error ? r.error : "");
    for (size_t s = 0; s < r.nsteps && k < n; s++)
        for (size_t i = 0; i < r.steps[s].nfailed && k < n; i++)
            k += (size_t)snprintf(text + k, n - k, "\n%s", r.steps[s].failed[i]);
    cf_verdict v = r.verdict;
    cf_case_result_free(&r);
    return v;
}
