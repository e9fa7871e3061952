/* Spec bytes: Latin-1 reading of text, placeholders, repetition, caps. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_bytes.h"

static cf_bytes_status text(cf_tbytes *b, const char *s, bool templates, size_t *where)
{
    return cf_tbytes_append_text(b, s, strlen(s), templates, CF_SPEC_MAX_STEP_BYTES, where);
}

Test(spec_bytes, latin1_code_points_are_single_bytes)
{
    cf_tbytes b = {0};
    /* U+0000 (as \0 via the length), U+0080, U+00FF as UTF-8 */
    const char in[] = "a\0b\xc2\x80\xc3\xbf";
    cr_assert_eq(cf_tbytes_append_text(&b, in, sizeof in - 1, false, 100, NULL), CF_BYTES_OK);
    cr_assert_eq(b.len, 5);
    cr_expect(!memcmp(b.data, "a\0b\x80\xff", 5));
    cf_tbytes_free(&b);
}

Test(spec_bytes, code_point_above_ff_is_rejected_with_index)
{
    cf_tbytes b = {0};
    size_t where = 99;
    cr_assert_eq(text(&b, "ab", false, NULL), CF_BYTES_OK);
    cr_expect_eq(text(&b, "x\xc4\x80y", false, &where), CF_BYTES_CODEPOINT); /* U+0100 */
    cr_expect_eq(where, 1);
    cr_expect_eq(b.len, 2, "nothing appended on error");
    cr_expect_eq(text(&b, "\xe2\x82\xac", false, &where), CF_BYTES_CODEPOINT); /* U+20AC */
    cr_expect_eq(text(&b, "\xf0\x9f\x98\x80", false, &where), CF_BYTES_CODEPOINT);
    cr_expect_eq(text(&b, "\xc0\x80", false, &where), CF_BYTES_BAD_UTF8); /* overlong */
    cr_expect_eq(text(&b, "\xc3", false, &where), CF_BYTES_BAD_UTF8);     /* truncated */
    cr_expect_eq(text(&b, "\xff", false, &where), CF_BYTES_BAD_UTF8);
    cf_tbytes_free(&b);
}

Test(spec_bytes, placeholders)
{
    cf_tbytes b = {0};
    cr_assert_eq(text(&b, "H: {{authority}}/{{host}}:{{port}}", true, NULL), CF_BYTES_OK);
    cr_assert_eq(b.len, 5);
    cr_expect(!memcmp(b.data, "H: /:", 5));
    cr_assert_eq(b.nvars, 3);
    cr_expect(b.vars[0].offset == 3 && b.vars[0].var == CF_VAR_AUTHORITY);
    cr_expect(b.vars[1].offset == 4 && b.vars[1].var == CF_VAR_HOST);
    cr_expect(b.vars[2].offset == 5 && b.vars[2].var == CF_VAR_PORT);
    size_t where = 0;
    cr_expect_eq(text(&b, "ab{{hots}}", true, &where), CF_BYTES_BAD_TEMPLATE);
    cr_expect_eq(where, 2);
    cr_expect_eq(text(&b, "{{", true, &where), CF_BYTES_BAD_TEMPLATE);
    cr_expect_eq(b.nvars, 3, "failed appends leave no placeholder behind");
    /* without templates, braces are plain bytes; a single brace is always plain */
    cr_expect_eq(text(&b, "{{x}}", false, NULL), CF_BYTES_OK);
    cr_expect_eq(text(&b, "{a}", true, NULL), CF_BYTES_OK);
    cr_expect_eq(b.len, 13);
    cf_tbytes_free(&b);
}

Test(spec_bytes, repeat_and_caps)
{
    cf_tbytes unit = {0}, b = {0};
    cr_assert_eq(text(&unit, "ab{{port}}", true, NULL), CF_BYTES_OK);
    cr_assert_eq(cf_tbytes_repeat(&b, &unit, 3, 100), CF_BYTES_OK);
    cr_expect_eq(b.len, 6);
    cr_expect(!memcmp(b.data, "ababab", 6));
    cr_assert_eq(b.nvars, 3);
    cr_expect_eq(b.vars[2].offset, 6);
    cr_expect_eq(cf_tbytes_repeat(&b, &unit, 0, 100), CF_BYTES_OK);
    /* the cap is checked before allocating: a huge count fails at once */
    cr_expect_eq(cf_tbytes_repeat(&b, &unit, (size_t)1 << 40, CF_SPEC_MAX_STEP_BYTES),
                 CF_BYTES_TOO_BIG);
    cr_expect_eq(cf_tbytes_repeat(&b, &unit, 48, 100), CF_BYTES_TOO_BIG); /* 6 + 96 > 100 */
    cr_expect_eq(cf_tbytes_repeat(&b, &unit, 47, 100), CF_BYTES_OK);      /* 6 + 94 */
    cr_expect_eq(b.len, 100);
    cr_expect_eq(cf_tbytes_append_raw(&b, "x", 1, 100), CF_BYTES_TOO_BIG);
    cr_expect_eq(cf_tbytes_append_text(&b, "x", 1, false, 100, NULL), CF_BYTES_TOO_BIG);
    cf_tbytes_free(&b);
    cr_expect_eq(cf_tbytes_repeat(&b, &unit, CF_SPEC_MAX_VARS + 1, CF_SPEC_MAX_STEP_BYTES),
                 CF_BYTES_TOO_MANY_VARS);
    cf_tbytes_free(&b);
    cf_tbytes_free(&unit);
}

/* Renders b for 127.0.0.1:8080 into a malloc'd buffer (*n bytes). */
static uint8_t *rendered(const cf_tbytes *b, size_t *n)
{
    cf_spec_target t;
    cr_assert_eq(cf_spec_target_init(&t, "127.0.0.1", "8080"), 0);
    cf_buf out = {0};
    cr_assert_eq(cf_tbytes_render(b, &t, &out), 0);
    *n = out.len;
    return cf_buf_bytes(&out);
}

Test(spec_bytes, ten_thousand_byte_header)
{
    cf_tbytes a = {0}, b = {0};
    cr_assert_eq(text(&a, "a", false, NULL), CF_BYTES_OK);
    cr_assert_eq(cf_tbytes_repeat(&b, &a, 10000, CF_SPEC_MAX_STEP_BYTES), CF_BYTES_OK);
    cr_expect_eq(b.size, 10000);
    cr_expect_eq(b.len, 1, "a large repeat keeps its unit once");
    cr_assert_eq(b.nruns, 1);
    size_t n;
    uint8_t *p = rendered(&b, &n);
    cr_expect_eq(n, 10000);
    cr_expect(n == 10000 && p[0] == 'a' && p[9999] == 'a');
    free(p);
    cf_tbytes_free(&a);
    cf_tbytes_free(&b);
}

/* Runs render as their copies, with placeholders before, after and between them, nested in a
 * repeat that is expanded, and count against the caps by what they render. */
Test(spec_bytes, runs_render_as_copies)
{
    cf_tbytes unit = {0}, line = {0}, b = {0};
    cr_assert_eq(text(&unit, "b", false, NULL), CF_BYTES_OK);
    cr_assert_eq(text(&line, "X: ", false, NULL), CF_BYTES_OK);
    cr_assert_eq(cf_tbytes_repeat(&line, &unit, 300, CF_SPEC_MAX_STEP_BYTES), CF_BYTES_OK);
    cr_assert_eq(text(&line, "{{port}}\r\n", true, NULL), CF_BYTES_OK);
    cr_expect_eq(line.nruns, 1);
    cr_expect_eq(line.size, 3 + 300 + 2);
    cr_assert_eq(text(&b, "{{host}}", true, NULL), CF_BYTES_OK);
    cr_assert_eq(cf_tbytes_repeat(&b, &line, 3, CF_SPEC_MAX_STEP_BYTES), CF_BYTES_OK);
    cr_expect_eq(b.nruns, 3, "a unit with a run is expanded, its run copied");
    cr_expect_eq(b.size, 3 * 305);
    size_t n;
    uint8_t *p = rendered(&b, &n);
    char want[2048];
    size_t w = (size_t)snprintf(want, sizeof want, "127.0.0.1");
    for (int k = 0; k < 3; k++) {
        w += (size_t)snprintf(want + w, sizeof want - w, "X: ");
        memset(want + w, 'b', 300);
        w += 300;
        w += (size_t)snprintf(want + w, sizeof want - w, "8080\r\n");
    }
    cr_expect_eq(n, w);
    cr_expect(n == w && !memcmp(p, want, w));
    free(p);
    /* caps count rendered bytes: 915 rendered, so 86 more fit under 1001, 87 do not */
    cr_expect_eq(cf_tbytes_append_raw(&b, want, 87, 1001), CF_BYTES_TOO_BIG);
    cr_expect_eq(cf_tbytes_repeat(&b, &unit, 87, 1001), CF_BYTES_TOO_BIG);
    cr_expect_eq(cf_tbytes_append_text(&b, want, 86, false, 1001, NULL), CF_BYTES_OK);
    cr_expect_eq(b.size, 1001);
    cf_tbytes_free(&unit);
    cf_tbytes_free(&line);
    cf_tbytes_free(&b);
}

Test(spec_bytes, buffer_grows)
{
    cf_buf buf = {0};
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(cf_buf_add(&buf, "0123456789", 10), 0);
    cr_expect_eq(buf.len, 10000);
    cr_expect_eq(cf_buf_bytes(&buf)[buf.len], 0);
    cr_expect(!memcmp(cf_buf_bytes(&buf) + 9990, "0123456789", 10));
    cf_buf_free(&buf);
    cr_expect_null(cf_buf_bytes(&buf));
}

/* {{resource.NAME}} names a role of the target's profile; {{resource.status:CODE}} a status; a
 * name outside the catalogue, a status without a code or a code outside 100..599 is an error at
 * its "{{"; rendering uses the target's paths and refuses a resource it does not give. */
Test(spec_bytes, resource_placeholders)
{
    cf_tbytes b = {0};
    cr_assert_eq(text(&b, "GET {{resource.echo}} {{resource.status:204}}?", true, NULL),
                 CF_BYTES_OK);
    cr_assert_eq(b.nvars, 2);
    cr_expect(b.vars[0].var == CF_VAR_RESOURCE && b.vars[0].resource == CF_RES_ECHO);
    cr_expect(b.vars[1].resource == CF_RES_STATUS && b.vars[1].code == 204);
    cr_expect_eq(cf_tbytes_resources(&b), (1u << CF_RES_ECHO) | (1u << CF_RES_STATUS));
    static const char *const bad[] = {"x {{resource.nope}}",      "x {{resource.status}}",
                                      "x {{resource.status:99}}", "x {{resource.status:600}}",
                                      "x {{resource.page:200}}",  "x {{resource.Page}}",
                                      "x {{resource.page}",       "x {{resource.status:2044}}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t where = 99;
        cr_expect_eq(text(&b, bad[i], true, &where), CF_BYTES_BAD_RESOURCE, "%s", bad[i]);
        cr_expect_eq(where, 2, "%s", bad[i]);
    }
    cr_expect_eq(b.nvars, 2, "failed appends leave no placeholder behind");

    cf_spec_target t;
    cr_assert_eq(cf_spec_target_init(&t, "127.0.0.1", "8080"), 0);
    cf_buf out = {0};
    cr_expect_eq(cf_tbytes_render(&b, &t, &out), -1, "a resource the target does not give");
    cf_buf_free(&out);
    t.resource[CF_RES_ECHO] = "/e";
    t.resource[CF_RES_STATUS] = "/s/{code}/x";
    cr_assert_eq(cf_tbytes_render(&b, &t, &out), 0);
    cr_expect_eq(out.len, strlen("GET /e /s/204/x?"));
    cr_expect(!memcmp(cf_buf_bytes(&out), "GET /e /s/204/x?", out.len));
    cf_buf_free(&out);
    cf_tbytes_free(&b);
}
