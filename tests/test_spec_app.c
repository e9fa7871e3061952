/* App-level specs: rfc, section, level and requirement are optional in a user's own spec (level
 * MUST), required again under 'strict: true' with an error naming the key at the case. */
#include <criterion/criterion.h>
#include <string.h>

#include "spec_load.h"
#include "spec_select.h"

static const char app[] = "spec: 1\ntitle: my app\n%scases:\n"
                          "  - id: home\n    title: home page\n    steps:\n"
                          "      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n"
                          "        expect: {status: 200}\n"
                          "  - id: cited\n    title: cited\n    rfc: 9110\n    section: \"9.1\"\n"
                          "    level: SHOULD\n    requirement: r\n    steps:\n"
                          "      - raw: \"GET / HTTP/1.1\\r\\n\\r\\n\"\n"
                          "        expect: {status: 200}\n";

static int load(const char *file_keys, cf_spec_file **f, cf_spec_errors *errs)
{
    char text[2048];
    snprintf(text, sizeof text, app, file_keys);
    cf_spec_errors_init(errs);
    return cf_spec_load_text("app.yaml", text, strlen(text), f, errs);
}

Test(spec_app, rfc_section_level_requirement_are_optional)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load("", &f, &errs), 0);
    const cf_case *c = &f->cases[0];
    cr_expect_eq(c->rfc, 0);
    cr_expect_null(c->section);
    cr_expect_null(c->requirement);
    cr_expect_eq(c->level, CF_LEVEL_MUST, "the level defaults to MUST");
    cr_expect_eq(f->cases[1].level, CF_LEVEL_SHOULD);
    cr_expect_str_eq(f->cases[1].section, "9.1");
    /* --rfc 9110:9 selects the cited case, not the one without a section */
    cf_select sel;
    cf_select_init(&sel);
    cr_assert_eq(cf_select_add_rfc(&sel, "9110:9"), 0);
    cr_expect_not(cf_select_match(&sel, &f->cases[0]));
    cr_expect(cf_select_match(&sel, &f->cases[1]));
    cf_select_free(&sel);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
}

Test(spec_app, strict_files_require_every_key)
{
    cf_spec_file *f = NULL;
    cf_spec_errors errs;
    cr_assert_eq(load("strict: true\n", &f, &errs), -1);
    cr_assert_eq(errs.count, 4, "one error per missing key");
    static const char *const want[] = {
        ("missing required key 'rfc' in a case (or give 'rfc' for the file; the file is strict: "
         "true)"),
        "missing required key 'section' in a case (the file is strict: true)",
        "missing required key 'level' in a case (the file is strict: true)",
        "missing required key 'requirement' in a case (the file is strict: true)"};
    for (size_t i = 0; i < 4; i++) {
        cr_expect_str_eq(errs.items[i].message, want[i]);
        cr_expect_eq(errs.items[i].line, 5, "at the case's mapping");
        cr_expect_eq(errs.items[i].column, 5);
    }
    cf_spec_errors_free(&errs);
    cr_assert_eq(load("strict: false\n", &f, &errs), 0);
    cf_spec_file_free(f);
    cf_spec_errors_free(&errs);
    cr_assert_eq(load("strict: yes please\n", &f, &errs), -1);
    cr_expect(strstr(errs.items[0].message, "'strict'") != NULL, "%s", errs.items[0].message);
    cf_spec_errors_free(&errs);
}
