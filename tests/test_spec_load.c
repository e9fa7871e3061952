/* Spec loader: every error kind with its exact line:column, and good files with exact bytes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include <string.h>

#include "spec_load.h"
#include "cf_render.h"
#include "spec_render.h"

#define FIX(name) CF_SOURCE_DIR "/tests/data/specs/" name

/* Loads one fixture that must fail; returns its errors (caller frees). */
static cf_spec_errors load_bad(const char *path)
{
    cf_spec_errors errs;
    cf_spec_errors_init(&errs);
    cf_spec_file *f = (cf_spec_file *)1;
    cr_assert_eq(cf_spec_load_file(path, &f, &errs), -1, "%s should be rejected", path);
    cr_assert_null(f);
    cr_assert_gt(errs.count, 0);
    return errs;
}

/* Asserts error i sits at line:col and its message contains text. */
static void expect_error(const cf_spec_errors *e, size_t i, unsigned line, unsigned col,
                         const char *text)
{
    cr_assert_lt(i, e->count);
    const cf_spec_error *x = &e->items[i];
    cr_expect_eq(x->line, line, "line %u, want %u (%s)", x->line, line, x->message);
    cr_expect_eq(x->column, col, "column %u, want %u (%s)", x->column, col, x->message);
    cr_expect(strstr(x->message, text) != NULL, "message '%s' lacks '%s'", x->message, text);
}

static const struct {
    const char *file;
    unsigned line, col;
    const char *text;
} bad_cases[] = {
    {"bad/yaml_syntax.yaml", 11, 1, "invalid YAML: did not find expected ',' or ']'"},
    {"bad/bad_escape.yaml", 10, 24, "invalid YAML: found unknown escape character"},
    {"bad/unknown_key.yaml", 12, 18, "unknown key 'stauts' in 'expect' (did you mean 'status'?)"},
    {"bad/wrong_type.yaml", 12, 26, "expected a status for 'status'"},
    {"bad/missing_field.yaml", 5, 5, "missing required key 'title' in a case"},
    {"bad/bad_level.yaml", 8, 12, "expected one of MUST, SHOULD, MAY for 'level', got a string"},
    {"bad/empty_steps.yaml", 10, 12, "'steps' needs at least one step"},
    {"bad/codepoint.yaml", 10, 19, "character 6 is U+0100, above U+00FF"},
    {"bad/bad_regex.yaml", 12, 34,
     "bad regular expression for 'matches': missing closing "
     "parenthesis at offset 3"},
    {"bad/duplicate_id.yaml", 11, 5, "duplicate case id 'same' (first defined at "},
    {"bad/too_big.yaml", 10, 20, "too many bytes"},
    {"bad/bad_template.yaml", 10, 19, "unknown placeholder"},
    {"bad/no_expect.yaml", 10, 13, "the last step of a case needs 'expect'"},
    {"bad/alias_bomb.yaml", 12, 14, "more than 1000000 nodes (through aliases)"},
    {"bad/unknown_rule.yaml", 12, 43, "unknown rule 'date-mising' in 'complies'"},
    {"bad/premise_alone.yaml", 12, 18, "'premise' needs an 'expect' in the same step"},
    {"bad/premise_complies.yaml", 12, 32, "unknown key 'complies' in 'premise'"},
};

Test(spec_load, each_error_kind_has_its_position)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/tests/data/specs/%s", CF_SOURCE_DIR, bad_cases[i].file);
        cf_spec_errors e = load_bad(path);
        cr_expect_eq(e.count, 1, "%s: %zu errors, first: %s", bad_cases[i].file, e.count,
                     e.items[0].message);
        expect_error(&e, 0, bad_cases[i].line, bad_cases[i].col, bad_cases[i].text);
        cr_expect_str_eq(e.items[0].file, path);
        cf_spec_errors_free(&e);
    }
}

Test(spec_load, all_errors_of_a_file_are_collected)
{
    cf_spec_errors e = load_bad(FIX("bad/many_errors.yaml"));
    cr_assert_eq(e.count, 5);
    expect_error(&e, 0, 5, 9, "expected an id of lower-case letters");
    expect_error(&e, 1, 8, 12, "expected one of MUST, SHOULD, MAY for 'level'");
    expect_error(&e, 2, 12, 19, "expected an integer 0..60000 for 'delay_ms'");
    expect_error(&e, 3, 13, 26, "got a string '999'");
    expect_error(&e, 4, 13, 43, "expected one of closed, open for 'connection'");
    cf_spec_errors_free(&e);
}

Test(spec_load, error_cap_stops_a_file)
{
    /* 40 cases, each with a bad level: only the cap's worth plus one note are reported */
    char text[8192];
    size_t used = (size_t)snprintf(text, sizeof text, "spec: 1\ntitle: t\nrfc: 9112\ncases:\n");
    for (int i = 0; i < 40; i++)
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "  - {id: c%d, title: t, section: '1', level: NO, "
                                 "requirement: r, steps: [{raw: x, expect: {status: 200}}]}\n",
                                 i);
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cf_spec_file *f;
    cr_assert_eq(cf_spec_load_text("cap.yaml", text, strlen(text), &f, &e), -1);
    cr_expect_eq(e.count, 26);
    cr_expect(strstr(e.items[25].message, "too many errors") != NULL);
    cf_spec_errors_free(&e);
}

Test(spec_load, duplicate_id_across_files_names_both)
{
    const char *paths[] = {FIX("dup")};
    cf_spec_set set;
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cr_assert_eq(cf_spec_load_paths(paths, 1, &set, &e), -1);
    cr_assert_eq(set.nfiles, 0);
    cr_assert_eq(e.count, 1);
    expect_error(&e, 0, 11, 5, "duplicate case id 'dup-one' (first defined at ");
    cr_expect(strstr(e.items[0].file, "dup/b.yaml") != NULL);
    cr_expect(strstr(e.items[0].message, "dup/a.yaml:5:5)") != NULL, "%s", e.items[0].message);
    cf_spec_errors_free(&e);
}

Test(spec_load, text_errors)
{
    static const struct {
        const char *text;
        unsigned line, col;
        const char *msg;
    } t[] = {
        {"", 1, 1, "empty file"},
        {"- a\n", 1, 1, "expected a mapping for the file"},
        {"spec: 2\ntitle: t\ncases: []\n", 1, 7, "unsupported format version 2"},
        {"spec: 1\ntitle: t\ncases: []\n", 3, 8, "'cases' needs at least one case"},
        {"spec: 1\ntitle: t\ncases: []\n---\nspec: 1\n", 4, 1, "one YAML document"},
        {"spec: 1\ntitle: t\ntitel: u\ncases: []\n", 3, 1, "did you mean 'title'?"},
        {"spec: 1\ntitle: t\ntitle: u\n", 3, 1, "duplicate key 'title' in the file"},
        {"spec: 1\ntitle: t\nrfc: 9112\ncases:\n  - {id: a, title: t, section: '1', level: MUST,"
         " requirement: r, note: [x], steps: [{raw: x, expect: {status: 200}}]}\n",
         5, 72, "expected a string for 'note'"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        cf_spec_errors e;
        cf_spec_errors_init(&e);
        cf_spec_file *f;
        cr_assert_eq(cf_spec_load_text("x.yaml", t[i].text, strlen(t[i].text), &f, &e), -1);
        expect_error(&e, 0, t[i].line, t[i].col, t[i].msg);
        cf_spec_errors_free(&e);
    }
}

/* Loads a one-case file whose step is given, renders it, compares the bytes. */
static void step_bytes(const char *step, const char *want, size_t want_len)
{
    char text[2048];
    snprintf(text, sizeof text,
             "spec: 1\ntitle: t\nrfc: 9112\ncases:\n  - id: a\n    title: t\n    section: '1'\n"
             "    level: MUST\n    requirement: r\n    steps:\n      - %s\n"
             "        expect: {status: 200}\n",
             step);
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cf_spec_file *f = NULL;
    int rc = cf_spec_load_text("s.yaml", text, strlen(text), &f, &e);
    cr_assert_eq(rc, 0, "%s: %s", step, e.count ? e.items[0].message : "");
    cf_buf out;
    cr_assert_eq(cf_test_render(&f->cases[0].steps[0], "h", "8", &out), 0);
    cr_expect_eq(out.len, want_len, "%s: got %zu bytes '%s'", step, out.len, cf_buf_bytes(&out));
    cr_expect(out.len == want_len && !memcmp(cf_buf_bytes(&out), want, want_len), "%s: got '%s'",
              step, cf_buf_bytes(&out));
    cf_buf_free(&out);
    cf_spec_file_free(f);
}

#define STEP(step, lit) step_bytes(step, lit, sizeof lit - 1)

Test(spec_load, step_forms_give_exact_bytes)
{
    STEP("raw: \"a\\r\\n\\t\\0\\x7f\\x80\\xff\\u00e9\"", "a\r\n\t\0\x7f\x80\xff\xe9");
    STEP("raw: 'a\\r'", "a\\r"); /* single quotes keep the backslash */
    STEP("raw: \"é\"", "\xe9");  /* U+00E9 typed as UTF-8 is the one byte E9 */
    STEP("lines: [GET / HTTP/1.1, 'Host: {{authority}}', '']",
         "GET / HTTP/1.1\r\nHost: h:8\r\n\r\n");
    STEP("raw: [\"X: \", {repeat: \"ab\", count: 3}, {literal: \"{{host}}\"}, \"{{port}}\"]",
         "X: ababab{{host}}8");
    STEP("lines: [[\"A\", {repeat: [{lines: [\"\"]}], count: 2}], \"\"]", "A\r\n\r\n\r\n\r\n");
    STEP("request: {method: GET, target: /, headers: [{Host: '{{host}}'}, [X, '']]}",
         "GET / HTTP/1.1\r\nHost: h\r\nX: \r\n\r\n");
}

Test(spec_load, full_fixture_model)
{
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cf_spec_file *f = NULL;
    cr_assert_eq(cf_spec_load_file(FIX("good/full.yaml"), &f, &e), 0, "%s",
                 e.count ? e.items[0].message : "");
    cr_assert_eq(f->ncases, 3);
    cr_expect_str_eq(f->title, "Fixture: every field");
    cr_expect_eq(f->rfc, 9112);

    const cf_case *c = &f->cases[0];
    cr_expect_str_eq(c->id, "fx-raw-escapes");
    cr_expect_str_eq(c->section, "5.1");
    cr_expect_eq(c->rfc, 9112);
    cr_expect_eq(c->level, CF_LEVEL_MUST);
    cr_expect_eq(c->pos.line, 8);
    cr_expect_null(c->note); /* optional */
    cr_assert_eq(c->ntags, 3);
    cr_expect_str_eq(c->tags[2], "fixture");
    cr_expect_eq(c->steps[0].expect.nstatus, 1);
    cr_expect_eq(c->steps[0].expect.status[0].lo, 400);
    cr_expect_eq(c->steps[0].expect.connection, CF_CONN_CLOSED);
    cr_expect_eq(c->steps[0].expect.time_limit_ms, 2000);
    cf_buf out;
    cr_assert_eq(cf_test_render(&c->steps[0], "::1", "80", &out), 0);
    const char want0[] = "GET / HTTP/1.1\r\nHost: [::1]:80\r\nX: \t\0\xff\r\n\r\n";
    cr_expect_eq(out.len, sizeof want0 - 1);
    cr_expect(!memcmp(cf_buf_bytes(&out), want0, sizeof want0 - 1));
    cf_buf_free(&out);

    c = &f->cases[1];
    cr_expect_eq(c->rfc, 9110);
    cr_expect_str_eq(c->note, "Any 4xx is accepted; 431 is the preferred one.");
    cr_expect_eq(c->level, CF_LEVEL_SHOULD);
    const cf_step *s = &c->steps[0];
    cr_expect_eq(s->send.nsplit, 2);
    cr_expect_eq(s->send.split[1], 2);
    cr_expect_eq(s->send.split_every, 4);
    cr_expect_eq(s->send.delay_ms, 10);
    cr_expect(s->send.half_close);
    const cf_expect *x = &s->expect;
    cr_assert_eq(x->nstatus, 3);
    cr_expect(x->status[1].lo == 400 && x->status[1].hi == 499);
    cr_expect(x->status[2].lo == 500 && x->status[2].hi == 599);
    cr_assert_eq(x->nheaders, 5);
    cr_expect_eq(x->headers[0].op, CF_HDR_PRESENT);
    cr_expect_eq(x->headers[1].op, CF_HDR_MATCHES);
    cr_expect_not_null(x->headers[1].re);
    cr_expect_eq(x->headers[2].op, CF_HDR_ABSENT);
    cr_expect_eq(x->headers[3].op, CF_HDR_EQUALS);
    cr_expect_str_eq((const char *)x->headers[3].bytes, "close");
    cr_expect_eq(x->headers[4].op, CF_HDR_COUNT);
    cr_expect_eq(x->headers[4].count, 1);
    cr_assert_eq(x->nbody, 4);
    cr_expect_eq(x->body[0].op, CF_BODY_CONTAINS);
    cr_expect_eq(x->body[2].op, CF_BODY_MATCHES);
    cr_expect_eq(x->body[3].length, 11);
    cr_expect(x->has_responses && x->responses_min == 0 && x->responses_max == 1);
    /* the compiled regex is usable: (?i)bad finds "BAD" */
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(x->body[2].re, NULL);
    cr_expect_gt(pcre2_match(x->body[2].re, (PCRE2_SPTR) "a BAD one", 9, 0, 0, md, NULL), 0);
    pcre2_match_data_free(md);
    cr_assert_eq(cf_test_render(s, "example.com", "8080", &out), 0);
    const char want1[] = "GET / HTTP/1.1\r\nHost: example.com\r\nX-Big: ababab{{x}}\r\n\r\n";
    cr_expect_eq(out.len, sizeof want1 - 1);
    cr_expect(!memcmp(cf_buf_bytes(&out), want1, sizeof want1 - 1), "%s", cf_buf_bytes(&out));
    cf_buf_free(&out);

    c = &f->cases[2];
    cr_expect_eq(c->level, CF_LEVEL_MAY);
    s = &c->steps[0];
    cr_expect(s->pipelined);
    cr_assert_eq(s->nmessages, 3);
    cr_expect_eq(s->expect.nsequence, 2);
    cr_expect_eq(s->expect.sequence[1].body[0].op, CF_BODY_NONEMPTY);
    cr_expect_eq(s->expect.nany_of, 2);
    cr_expect_eq(s->expect.any_of[1].responses_max, 0);
    cr_assert_eq(cf_test_render(s, "10.0.0.1", "81", &out), 0);
    const char want2[] = "POST /echo HTTP/1.1\r\nHost: 10.0.0.1:81\r\nX-Empty: \r\n"
                         "Content-Length: 5\r\n\r\nhello"
                         "GET http://10.0.0.1:81/ HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc\xe9";
    cr_expect_eq(out.len, sizeof want2 - 1);
    cr_expect(!memcmp(cf_buf_bytes(&out), want2, sizeof want2 - 1), "%s", cf_buf_bytes(&out));
    cf_buf_free(&out);
    cf_spec_file_free(f);
}

Test(spec_load, directory_walk_is_recursive_and_sorted)
{
    const char *paths[] = {FIX("good")};
    cf_spec_set set;
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cr_assert_eq(cf_spec_load_paths(paths, 1, &set, &e), 0, "%s",
                 e.count ? e.items[0].message : "");
    cr_assert_eq(set.nfiles, 2);
    cr_expect(strstr(set.files[0]->path, "good/full.yaml") != NULL);
    cr_expect(strstr(set.files[1]->path, "good/sub/small.yml") != NULL);
    cr_expect_eq(cf_spec_set_ncases(&set), 4);
    const cf_case *c = cf_spec_set_find(&set, "fx-second");
    cr_assert_not_null(c);
    cr_expect_eq(c->nsteps, 2);
    cr_expect(!c->steps[0].has_expect);
    cr_expect_eq(c->file, set.files[1]);
    cr_expect_null(cf_spec_set_find(&set, "fx-none"));
    cf_spec_set_free(&set);
    cf_spec_errors_free(&e);
}

/* A FIFO named like a spec in a spec directory is refused, not read (reading it would block). */
Test(spec_load, fifo_in_a_spec_dir_is_refused, .timeout = 10)
{
    char dir[] = "/tmp/cf_spec_fifo_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char fifo[64];
    snprintf(fifo, sizeof fifo, "%s/x.yaml", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    const char *paths[] = {dir};
    cf_spec_set set;
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cr_expect_eq(cf_spec_load_paths(paths, 1, &set, &e), -1);
    cr_assert_geq(e.count, 1);
    cr_expect(strstr(e.items[0].message, "not a regular file") != NULL, "%s", e.items[0].message);
    cf_spec_errors_free(&e);
    unlink(fifo);
    rmdir(dir);
}

Test(spec_load, missing_path_and_empty_dir)
{
    const char *paths[] = {FIX("no-such-dir"), FIX("good/sub/ignored.txt")};
    cf_spec_set set;
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cr_assert_eq(cf_spec_load_paths(paths, 1, &set, &e), -1);
    cr_expect(strstr(e.items[0].message, "cannot open") != NULL);
    cf_spec_errors_free(&e);
    /* a file named explicitly is loaded whatever its extension (and this one is no spec) */
    cr_assert_eq(cf_spec_load_paths(paths + 1, 1, &set, &e), -1);
    expect_error(&e, 0, 1, 1, "expected a mapping for the file");
    cf_spec_errors_free(&e);
}

Test(spec_load, documented_complete_example_is_valid)
{
    /* docs/spec-format.md's "A complete file" block must load: the doc and the loader agree */
    FILE *fp = fopen(CF_SOURCE_DIR "/docs/spec-format.md", "rb");
    cr_assert_not_null(fp);
    static char doc[65536];
    size_t n = fread(doc, 1, sizeof doc - 1, fp);
    fclose(fp);
    doc[n] = 0;
    const char *sec = strstr(doc, "## A complete file");
    cr_assert_not_null(sec);
    const char *start = strstr(sec, "```yaml\n");
    cr_assert_not_null(start);
    start += 8;
    const char *end = strstr(start, "```");
    cr_assert_not_null(end);
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    cf_spec_file *f = NULL;
    int rc = cf_spec_load_text("doc.yaml", start, (size_t)(end - start), &f, &e);
    cr_assert_eq(rc, 0, "%u:%u %s", e.count ? e.items[0].line : 0, e.count ? e.items[0].column : 0,
                 e.count ? e.items[0].message : "");
    cr_expect_eq(f->ncases, 3);
    cr_expect_str_eq(f->cases[1].id, "rfc9112-6.1-te-and-cl");
    cf_spec_file_free(f);
}
