/* The §5.6 lexer of the parser library (parsers/include/h1_lex.h), rule by rule of RFC 9110 §5.6,
 * on tables of inputs with the answers written from the grammar. Each input is placed right before
 * a guard page, so a read past its end crashes. */
#include <criterion/criterion.h>
#include <string.h>

#include "cf_guard.h"
#include "h1_lex.h"

static cf_guard guard;

static void setup(void)
{
    cr_assert_eq(cf_guard_init(&guard, 4096), 0);
}

static void teardown(void)
{
    cf_guard_free(&guard);
}

TestSuite(lex, .init = setup, .fini = teardown);

static const char *at_end(const char *s)
{
    return cf_guard_place(&guard, s, strlen(s));
}

/* §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" /
 * "|" / "~" / DIGIT / ALPHA; every other byte is a delimiter or not allowed. */
Test(lex, tchar_is_exactly_the_grammar)
{
    static const char tchars[] = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz"
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int c = 0; c < 256; c++)
        cr_expect_eq(h1_lex_tchar((unsigned char)c), c != 0 && strchr(tchars, c) != NULL,
                     "byte 0x%02x", c);
}

Test(lex, tokens)
{
    static const struct {
        const char *in;
        size_t token;
        int whole;
    } rows[] = {
        {"chunked", 7, 1}, {"x-a.b~c", 7, 1}, {"gzip, chunked", 4, 0}, {"a;b", 1, 0}, {" a", 0, 0},
        {"", 0, 0},        {"\"q\"", 0, 0},   {"a\x80", 1, 0},         {"GET", 3, 1}, {"a b", 1, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *p = at_end(rows[i].in);
        size_t n = strlen(rows[i].in);
        cr_expect_eq(h1_lex_token(p, n), rows[i].token, "row %zu", i);
        cr_expect_eq(h1_lex_is_token(p, n), rows[i].whole, "row %zu", i);
    }
    cr_expect_eq(h1_lex_ows(at_end(" \t x"), 4), 3);
    cr_expect_eq(h1_lex_ows(at_end(" \t "), 3), 3);
}

/* §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; qdtext excludes DQUOTE, "\"
 * and CTLs but HTAB; quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ). */
Test(lex, quoted_strings)
{
    static const struct {
        const char *in;
        size_t len;
    } rows[] = {
        {"\"abc\"", 5},   {"\"a\\\"b\"x", 6}, {"\"\"", 2},        {"\"abc", 0},        {"abc\"", 0},
        {"\"a\tb\"", 5},  {"\"a\rb\"", 0},    {"\"a\\\x01\"", 0}, {"\"\x80\xff\"", 4}, {"\"a\\", 0},
        {"\"a\x7f\"", 0}, {"\"", 0},          {"\"a,b\", c", 5},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        cr_expect_eq(h1_lex_quoted(at_end(rows[i].in), strlen(rows[i].in)), rows[i].len, "row %zu",
                     i);
}

/* §5.6.6: parameters = *( OWS ";" OWS [ parameter ] ); parameter = parameter-name "="
 * parameter-value; parameter-value = ( token / quoted-string ). */
Test(lex, parameters)
{
    static const struct {
        const char *in;
        int ok;
    } rows[] = {
        {"", 1},        {"; a=b ;c=\"d;e\"", 1},
        {";a=b", 1},    {" ; ", 1},
        {";;a=b", 1},   {"; a", 0},
        {"; a=", 0},    {"a=b", 0},
        {"; a = b", 0}, {"; a=\"b", 0},
        {"; a=b c", 0}, {"; =b", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        cr_expect_eq(h1_lex_params(at_end(rows[i].in), strlen(rows[i].in)), rows[i].ok,
                     "row %zu: \"%s\"", i, rows[i].in);
}

/* §5.6.1: #element = [ element ] *( OWS "," OWS [ element ] ); a recipient ignores empty
 * elements (counted here); a comma inside a quoted-string does not split. */
Test(lex, lists)
{
    static const struct {
        const char *in;
        const char *items[4];
        size_t n, empty;
    } rows[] = {
        {"a, \"b,c\" ,, d", {"a", "\"b,c\"", "d"}, 3, 1},
        {"", {0}, 0, 0},
        {",", {0}, 0, 2},
        {" , ,", {0}, 0, 3},
        {"close", {"close"}, 1, 0},
        {"keep-alive , Upgrade", {"keep-alive", "Upgrade"}, 2, 0},
        {"a,", {"a"}, 1, 1},
        {"\"unterminated, x", {"\"unterminated", "x"}, 2, 0},
        {"gzip ; q=1 , br", {"gzip ; q=1", "br"}, 2, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t n = strlen(rows[i].in);
        h1_lex_list l;
        h1_lex_list_init(&l, (h1_span){at_end(rows[i].in), n});
        h1_span item;
        size_t k = 0;
        while (h1_lex_list_next(&l, &item)) {
            cr_assert_lt(k, rows[i].n, "row %zu: more items than %zu", i, rows[i].n);
            cr_expect(item.len == strlen(rows[i].items[k]) &&
                          !memcmp(item.ptr, rows[i].items[k], item.len),
                      "row %zu item %zu: \"%.*s\"", i, k, (int)item.len, item.ptr);
            k++;
        }
        cr_expect_eq(k, rows[i].n, "row %zu", i);
        cr_expect_eq(l.empty, rows[i].empty, "row %zu", i);
        cr_expect_eq(h1_lex_list_next(&l, &item), 0, "row %zu: ended walks stay ended", i);
    }
}
