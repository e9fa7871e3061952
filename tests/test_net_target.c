/* conform run: parsing --target strings. */
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <string.h>

#include "net_target.h"

static const struct good {
    const char *text, *host, *port, *display;
    bool tls;
} goods[] = {
    {"127.0.0.1:8080", "127.0.0.1", "8080", "127.0.0.1:8080", false},
    {"localhost:80", "localhost", "80", "localhost:80", false},
    {"[::1]:8080", "::1", "8080", "[::1]:8080", false},
    {"http://example.test:8000", "example.test", "8000", "example.test:8000", false},
    {"http://example.test:8000/", "example.test", "8000", "example.test:8000", false},
    {"HTTP://[::1]:9", "::1", "9", "[::1]:9", false},
    {"http://h", "h", "80", "h:80", false},
    {"[fe80::1%lo]:65535", "fe80::1%lo", "65535", "[fe80::1%lo]:65535", false},
    {"https://example.test:8443", "example.test", "8443", "example.test:8443", true},
    {"HTTPS://h/", "h", "443", "h:443", true}, /* RFC 9110 §4.2.2: the default port 443 */
    {"tls://[::1]:9443", "::1", "9443", "[::1]:9443", true},
};

Test(run_target, good_targets)
{
    for (size_t i = 0; i < sizeof goods / sizeof goods[0]; i++) {
        cf_run_target t;
        char err[256] = "";
        cr_assert_eq(cf_run_target_parse(goods[i].text, &t, err, sizeof err), 0, "%s: %s",
                     goods[i].text, err);
        cr_expect(!t.builtin);
        cr_expect_str_eq(t.host, goods[i].host, "%s", goods[i].text);
        cr_expect_str_eq(t.port, goods[i].port, "%s", goods[i].text);
        cr_expect_str_eq(t.display, goods[i].display, "%s", goods[i].text);
        cr_expect_eq(t.tls.on, goods[i].tls, "%s", goods[i].text);
    }
}

Test(run_target, builtin)
{
    cf_run_target t;
    char err[256];
    cr_assert_eq(cf_run_target_parse("builtin", &t, err, sizeof err), 0);
    cr_expect(t.builtin);
    cr_assert_eq(cf_run_target_set(&t, "127.0.0.1", "4321"), 0);
    cr_expect_str_eq(t.display, "127.0.0.1:4321");
}

static const struct bad {
    const char *text, *why;
} bads[] = {
    {"", "no host"},
    {":8080", "no host"},
    {"host:", "port"},
    {"host:0", "port"},
    {"host:65536", "port"},
    {"host:8o", "port"},
    {"host:-1", "port"},
    {"::1:8080", "brackets"},
    {"[::1", "without ']'"},
    {"[::1]8080", "expected ':'"},
    {"[127.0.0.1]:80", "IPv6"},
    {"tls://host:443/x", "path"},
    {"ftp://host:21", "scheme"},
    {"http://host:80/api", "path"},
    {"host:80/", "http://"},
    {"http://user@host:80", "user"},
    {"ho st:80", "character"},
    {"[]:80", "brackets"},
};

Test(run_target, bad_targets_explain_why)
{
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        cf_run_target t;
        char err[256] = "";
        cr_expect_eq(cf_run_target_parse(bads[i].text, &t, err, sizeof err), -1, "'%s' accepted",
                     bads[i].text);
        cr_expect(strstr(err, bads[i].why) != NULL, "'%s': %s", bads[i].text, err);
    }
}

Test(run_target, resolves_loopback_v4_and_v6)
{
    cf_run_target t;
    char err[256] = "";
    cf_run_addr a[4];
    cr_assert_eq(cf_run_target_parse("127.0.0.1:8080", &t, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_resolve(&t, a, 4, err, sizeof err), 1, "%s", err);
    cr_expect_eq(a[0].ss.ss_family, AF_INET);
    cr_expect_eq(ntohs(((struct sockaddr_in *)&a[0].ss)->sin_port), 8080);
    cr_assert_eq(cf_run_target_parse("[::1]:8081", &t, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_resolve(&t, a, 4, err, sizeof err), 1, "%s", err);
    cr_expect_eq(a[0].ss.ss_family, AF_INET6);
    cr_assert_eq(cf_run_target_parse("no-such-host.invalid:80", &t, err, sizeof err), 0);
    cr_expect_eq(cf_run_target_resolve(&t, a, 4, err, sizeof err), -1);
    cr_expect(strstr(err, "cannot resolve no-such-host.invalid") != NULL, "%s", err);
}

Test(run_target, resolve_entry_pins_the_address)
{
    cf_target_opts o = {0};
    char err[256] = "";
    cr_assert_eq(cf_target_opts_add_resolve(&o, "example.test:8443:127.0.0.1", err, sizeof err), 0);
    cr_assert_eq(cf_target_opts_add_resolve(&o, "example.test:9443:[::1]", err, sizeof err), 0);
    cr_expect_eq(cf_target_opts_add_resolve(&o, "example.test:0:127.0.0.1", err, sizeof err), -1);
    cr_expect_eq(cf_target_opts_add_resolve(&o, "example.test:80", err, sizeof err), -1);
    cf_run_target t;
    cf_run_addr a[4];
    cr_assert_eq(cf_run_target_parse("https://example.test:8443", &t, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_apply(&t, &o, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cf_run_target_resolve(&t, a, 4, err, sizeof err), 1, "%s", err);
    cr_expect_eq(a[0].ss.ss_family, AF_INET);
    cr_expect(a[0].tls.on);
    cr_expect_str_eq(a[0].tls.name, "example.test"); /* SNI and verification: the target's host */
    cr_assert_eq(cf_run_target_parse("https://example.test:9443", &t, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_apply(&t, &o, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cf_run_target_resolve(&t, a, 4, err, sizeof err), 1, "%s", err);
    cr_expect_eq(a[0].ss.ss_family, AF_INET6);
    /* another port: no entry applies, the name is looked up (and does not exist) */
    cr_assert_eq(cf_run_target_parse("https://example.test:1", &t, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_apply(&t, &o, err, sizeof err), 0, "%s", err);
    cr_expect_eq(cf_run_target_resolve(&t, a, 4, err, sizeof err), -1);
}

Test(run_target, tls_options_need_a_tls_target)
{
    cf_target_opts o = {.insecure = true, .sni = "other.test"};
    cf_run_target t;
    char err[256] = "";
    cr_assert_eq(cf_run_target_parse("127.0.0.1:80", &t, err, sizeof err), 0);
    cr_expect_eq(cf_run_target_apply(&t, &o, err, sizeof err), -1);
    cr_expect(strstr(err, "TLS target") != NULL, "%s", err);
    o.several = true; /* beside a TLS target: the options are for that one */
    cr_expect_eq(cf_run_target_apply(&t, &o, err, sizeof err), 0, "%s", err);
    cr_expect(!t.tls.on);
    o.several = false;
    cr_assert_eq(cf_run_target_parse("tls://127.0.0.1:443", &t, err, sizeof err), 0);
    cr_assert_eq(cf_run_target_apply(&t, &o, err, sizeof err), 0, "%s", err);
    cf_run_addr a[1];
    cr_assert_eq(cf_run_target_resolve(&t, a, 1, err, sizeof err), 1, "%s", err);
    cr_expect_str_eq(a[0].tls.name, "other.test");
    cr_expect(a[0].tls.insecure);
    o.sni = "bad name";
    cr_expect_eq(cf_run_target_apply(&t, &o, err, sizeof err), -1);
}
