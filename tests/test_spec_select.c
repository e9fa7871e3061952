/* Case selection: --id prefix/glob, --tag, --rfc section prefix, --level. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "spec_select.h"

static char *tags_a[] = {"header", "smuggling"};
static char *tags_b[] = {"body"};
static cf_case cases[] = {
    {.id = "rfc9112-5.1-space-before-colon",
     .rfc = 9112,
     .section = "5.1",
     .level = CF_LEVEL_MUST,
     .tags = tags_a,
     .ntags = 2},
    {.id = "rfc9112-6.1-te-and-cl",
     .rfc = 9112,
     .section = "6.1",
     .level = CF_LEVEL_MUST,
     .tags = tags_a,
     .ntags = 1},
    {.id = "rfc9112-60-made-up", .rfc = 9112, .section = "60", .level = CF_LEVEL_SHOULD},
    {.id = "rfc9110-9.3.1-get",
     .rfc = 9110,
     .section = "9.3.1",
     .level = CF_LEVEL_MAY,
     .tags = tags_b,
     .ntags = 1},
};
#define NCASES (sizeof cases / sizeof cases[0])

/* Bit i set when cases[i] matches. */
static unsigned matches(const cf_select *sel)
{
    unsigned bits = 0;
    for (size_t i = 0; i < NCASES; i++)
        if (cf_select_match(sel, &cases[i])) bits |= 1u << i;
    return bits;
}

Test(spec_select, empty_selects_all)
{
    cf_select s;
    cf_select_init(&s);
    cr_expect_eq(matches(&s), 0xF);
}

Test(spec_select, id_prefix_and_glob)
{
    cf_select s;
    cf_select_init(&s);
    cr_assert_eq(cf_select_add_id(&s, "rfc9112-"), 0);
    cr_expect_eq(matches(&s), 0x7);
    cf_select_free(&s);
    cr_assert_eq(cf_select_add_id(&s, "*-get,rfc9112-6.?-*"), 0);
    cr_expect_eq(matches(&s), 0xA);
    cf_select_free(&s);
    cr_assert_eq(cf_select_add_id(&s, "space"), 0); /* a prefix, not a substring */
    cr_expect_eq(matches(&s), 0);
    cf_select_free(&s);
    cr_expect_eq(cf_select_add_id(&s, ""), -1);
    cr_expect_eq(cf_select_add_id(&s, "a,,b"), -1);
    cf_select_free(&s);
}

Test(spec_select, tags)
{
    cf_select s;
    cf_select_init(&s);
    cr_assert_eq(cf_select_add_tag(&s, "smuggling"), 0);
    cr_expect_eq(matches(&s), 0x1);
    cr_assert_eq(cf_select_add_tag(&s, "body"), 0);
    cr_expect_eq(matches(&s), 0x9);
    cf_select_free(&s);
}

Test(spec_select, exclude_tags)
{
    cf_select s;
    cf_select_init(&s);
    cr_assert_eq(cf_select_add_exclude_tag(&s, "smuggling"), 0);
    /* cases[0] carries "smuggling"; cases[1] only "header"; cases[2] none; cases[3] "body" */
    cr_assert_eq(matches(&s), 0xeu);
    cr_assert_eq(cf_select_add_exclude_tag(&s, "body,header"), 0);
    cr_assert_eq(matches(&s), 0x4u);
    cr_assert_eq(cf_select_add_tag(&s, "body"), 0); /* --tag and --exclude-tag combine: none */
    cr_assert_eq(matches(&s), 0x0u);
    cr_assert_eq(cf_select_add_exclude_tag(&s, ""), -1);
    cf_select_free(&s);
}

Test(spec_select, rfc_sections)
{
    static const struct {
        const char *value;
        unsigned want;
    } t[] = {
        {"9112", 0x7},     {"RFC 9112", 0x7},    {"rfc9112", 0x7},  {"9112 §6", 0x2},
        {"9112§6.1", 0x2}, {"9112:5", 0x1},      {"9112/5.1", 0x1}, {"9112 6", 0x2},
        {"9112 §60", 0x4}, {"9112 §5.1.2", 0x0}, {"9110 §9", 0x8},  {"9112 §6,9110", 0xA},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        cf_select s;
        cf_select_init(&s);
        cr_assert_eq(cf_select_add_rfc(&s, t[i].value), 0, "%s", t[i].value);
        cr_expect_eq(matches(&s), t[i].want, "%s: %#x", t[i].value, matches(&s));
        cf_select_free(&s);
    }
    static const char *const bad[] = {"", "RFC", "9112x", "abc", "9112 §6;1", "123456"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cf_select s;
        cf_select_init(&s);
        cr_expect_eq(cf_select_add_rfc(&s, bad[i]), -1, "'%s' accepted", bad[i]);
        cf_select_free(&s);
    }
}

Test(spec_select, levels_and_combination)
{
    cf_select s;
    cf_select_init(&s);
    cr_assert_eq(cf_select_add_level(&s, "should,may"), 0);
    cr_expect_eq(matches(&s), 0xC);
    cr_expect_eq(cf_select_add_level(&s, "MUST NOT"), -1);
    cr_assert_eq(cf_select_add_rfc(&s, "9112"), 0); /* AND across kinds */
    cr_expect_eq(matches(&s), 0x4);
    cf_select_free(&s);

    cf_select_init(&s);
    cr_assert_eq(cf_select_add_level(&s, "MUST"), 0);
    cr_assert_eq(cf_select_add_tag(&s, "header"), 0);
    cr_assert_eq(cf_select_add_id(&s, "*te*"), 0);
    cr_expect_eq(matches(&s), 0x2);
    cf_select_free(&s);
}

Test(spec_select, collects_from_a_set_in_order)
{
    cf_spec_file f = {.cases = cases, .ncases = NCASES};
    cf_spec_file *files[] = {&f};
    cf_spec_set set = {.files = files, .nfiles = 1};
    cf_select s;
    cf_select_init(&s);
    cr_assert_eq(cf_select_add_level(&s, "MUST,MAY"), 0);
    const cf_case **out = NULL;
    size_t n = cf_select_cases(&s, &set, &out);
    cr_assert_eq(n, 3);
    cr_expect_eq(out[0], &cases[0]);
    cr_expect_eq(out[1], &cases[1]);
    cr_expect_eq(out[2], &cases[3]);
    free(out);
    cf_select_free(&s);
}

Test(spec_select, shard_forms)
{
    cf_select sel;
    cf_select_init(&sel);
    const char *bad[] = {"0/3", "4/3",  "1/0",  "1",       "1/", "/3",
                         "a/3", "1/3x", "-1/3", "1/10001", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(cf_select_set_shard(&sel, bad[i]), -1, "%s", bad[i]);
    cr_expect_eq(cf_select_set_shard(&sel, "3/3"), 0);
    cr_expect_eq(sel.shard, 3);
    cr_expect_eq(sel.nshards, 3);
    cf_select_free(&sel);
}

Test(spec_select, shards_split_every_case_once_by_id_hash)
{
    /* FNV-1a 32 of "a" is 0xe40c292c: the shard is a function of the id alone */
    cr_expect_eq(cf_select_shard_of("a", 1000), 0xe40c292cu % 1000);
    unsigned seen = 0;
    for (unsigned i = 1; i <= 3; i++) {
        cf_select sel;
        cf_select_init(&sel);
        char v[8];
        snprintf(v, sizeof v, "%u/3", i);
        cr_assert_eq(cf_select_set_shard(&sel, v), 0);
        unsigned m = matches(&sel);
        cr_expect_eq(m & seen, 0, "a case in two shards");
        seen |= m;
        for (size_t k = 0; k < NCASES; k++)
            cr_expect_eq((m >> k) & 1, cf_select_shard_of(cases[k].id, 3) == i - 1);
        cf_select_free(&sel);
    }
    cr_expect_eq(seen, (1u << NCASES) - 1, "every case in a shard");
}

Test(spec_select, only_ids_and_none)
{
    cf_select sel;
    cf_select_init(&sel);
    const char *ids[] = {"rfc9110-9.3.1-get", "rfc9112-5.1-space-before-colon", "not-loaded"};
    cr_assert_eq(cf_select_set_only(&sel, ids, 3), 0);
    cr_expect_eq(matches(&sel), 0x9u);
    cr_assert_eq(cf_select_add_level(&sel, "MUST"), 0); /* and the other filters */
    cr_expect_eq(matches(&sel), 0x1u);
    cr_assert_eq(cf_select_set_only(&sel, ids, 0), 0); /* nothing did not pass: no case */
    cr_expect_eq(matches(&sel), 0u);
    cf_select_free(&sel);
}
