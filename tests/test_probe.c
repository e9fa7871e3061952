/* conform profile's probes (lib/probe): against the built-in server they find every resource
 * of its own profile and write a file cf_profile_load reads back the same; against servers
 * that answer anything, garbage or nothing they find nothing they should not. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "misbehave.h"
#include "probe.h"
#include "serve.h"
#include "spec_profile.h"

static const cf_probe_opts opts = {.connect_timeout_ms = 2000, .time_limit_ms = 2000};

static void target_at(int port, cf_run_target *t)
{
    char text[32], err[256];
    snprintf(text, sizeof text, "127.0.0.1:%d", port);
    cr_assert_eq(cf_run_target_parse(text, t, err, sizeof err), 0, "%s", err);
}

/* Writes r as the profile file and loads it back into *p. */
static void write_and_load(const cf_probe_result *r, cf_profile *p)
{
    char path[] = "/tmp/cf-probe-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    cr_assert_eq(cf_probe_write(r, "test", f), 0);
    fclose(f);
    cf_spec_errors e;
    cf_spec_errors_init(&e);
    int rc = cf_profile_load(path, p, &e);
    cr_assert_eq(rc, 0, "%s", e.count ? e.items[0].message : "");
    cf_spec_errors_free(&e);
    unlink(path);
}

/* Starts the built-in server and points *t at it. */
static cf_server *start_builtin(cf_run_target *t)
{
    cf_serve_options so;
    cf_server *srv;
    char err[512];
    cf_serve_options_default(&so);
    cr_assert_eq(cf_serve_start(&so, &srv, err, sizeof err), 0, "%s", err);
    target_at(cf_server_port(srv), t);
    return srv;
}

Test(probe, builtin_server_has_every_resource)
{
    cf_run_target t;
    cf_server *srv = start_builtin(&t);
    char err[512];
    cf_probe_result r;
    cr_assert_eq(cf_probe_run(&t, &opts, &r, err, sizeof err), CF_PROBE_OK, "%s", err);
    cf_serve_stop(srv);

    cf_profile want, got;
    cr_assert_eq(cf_profile_builtin(&want), 0);
    write_and_load(&r, &got);
    for (int i = 0; i < CF_RES__COUNT; i++) {
        const char *name = cf_resource_name((cf_resource)i);
        cr_assert_not_null(r.path[i], "%s not found: %s", name, r.evidence[i]);
        cr_assert_not_null(r.evidence[i], "%s", name);
        cr_expect_str_eq(got.path[i], r.path[i], "%s: the file says what was found", name);
        if (i != CF_RES_MISSING) cr_expect_str_eq(r.path[i], want.path[i], "%s", name);
    }
    cr_expect(!strncmp(r.path[CF_RES_MISSING], "/conform-missing-", 17));
    cr_expect(strstr(r.evidence[CF_RES_VALIDATED], "ETag"), "%s", r.evidence[CF_RES_VALIDATED]);
    cr_expect(strstr(r.evidence[CF_RES_BODY], "POST /echo → 200"), "%s", r.evidence[CF_RES_BODY]);
    cr_expect_null(strstr(r.evidence[CF_RES_BODY], "POST / "),
                   "a resource found says what found it, not what was tried first: %s",
                   r.evidence[CF_RES_BODY]);
    cr_expect_gt(r.exchanges, 10);
    cf_profile_free(&want);
    cf_profile_free(&got);
    cf_probe_result_free(&r);
}

/* A server that answers 200 "ok" to whatever it reads, a request's content not told apart from
 * the next request. */
Test(probe, a_server_answering_anything_plays_no_role_it_only_seems_to)
{
    cf_mb *m = cf_mb_start(CF_MB_CORRECT);
    cr_assert_not_null(m);
    cf_run_target t;
    target_at(cf_mb_port(m), &t);
    cf_probe_opts o = opts;
    o.time_limit_ms = 300; /* the server keeps connections: the body probe waits this long */
    cf_probe_result r;
    char err[512];
    cr_assert_eq(cf_probe_run(&t, &o, &r, err, sizeof err), CF_PROBE_OK, "%s", err);
    cf_mb_stop(m);

    cr_expect_str_eq(r.path[CF_RES_PAGE], "/");
    cr_expect_null(r.path[CF_RES_MISSING], "a 200 for a random path is no 404");
    cr_expect(strstr(r.evidence[CF_RES_MISSING], "→ 200 OK"), "%s", r.evidence[CF_RES_MISSING]);
    cr_expect_null(r.path[CF_RES_BODY], "%s", r.evidence[CF_RES_BODY]);
    cr_expect(strstr(r.evidence[CF_RES_BODY], "POST / → 200 OK, then on the same connection GET /"),
              "the 2xx to the POST alone is no evidence: %s", r.evidence[CF_RES_BODY]);
    cr_expect_null(r.path[CF_RES_ECHO]);
    cr_expect(strstr(r.evidence[CF_RES_ECHO], "not conform serve's JSON"), "%s",
              r.evidence[CF_RES_ECHO]);
    cr_expect_null(r.path[CF_RES_STATUS], "200 for /status/204 is not the code");
    cr_expect_null(r.path[CF_RES_REDIRECT]);
    cr_expect_null(r.path[CF_RES_VALIDATED], "no ETag, no Last-Modified");
    cr_expect_null(r.path[CF_RES_PROTECTED]);

    cf_profile p;
    write_and_load(&r, &p);
    cr_expect_str_eq(p.path[CF_RES_PAGE], "/");
    cr_expect_null(p.path[CF_RES_MISSING], "written as null, so the default does not apply");
    for (int i = CF_RES_BODY; i < CF_RES__COUNT; i++)
        cr_expect_null(p.path[i], "%s", cf_resource_name((cf_resource)i));
    cf_profile_free(&p);
    cf_probe_result_free(&r);
}

/* A target that is not an HTTP server: nothing to probe, one line saying what came back. */
Test(probe, not_http_or_no_answer_is_unreachable)
{
    static const struct {
        cf_mb_mode mode;
        const char *says;
    } cases[] = {
        {CF_MB_GARBAGE, "does not speak HTTP: it sent \"SSH-2.0-OpenSSH_9.2p1 Debian\\r\\n\" (30 "
                        "bytes) to GET /"},
        {CF_MB_CLOSE, "does not speak HTTP: it closed the connection without a response to GET /"},
        {CF_MB_RESET, "does not speak HTTP: it reset the connection"},
        {CF_MB_SILENT, "does not speak HTTP: it sent nothing in 200ms to GET /"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cf_mb *m = cf_mb_start(cases[i].mode);
        cr_assert_not_null(m);
        cf_run_target t;
        target_at(cf_mb_port(m), &t);
        cf_probe_opts o = opts;
        o.time_limit_ms = 200;
        cf_probe_result r;
        char err[512] = "";
        cr_expect_eq(cf_probe_run(&t, &o, &r, err, sizeof err), CF_PROBE_UNREACHABLE, "%s", err);
        cr_expect(strstr(err, cases[i].says), "mode %d: %s", (int)cases[i].mode, err);
        cr_expect_null(strchr(err, '\n'), "one line: %s", err);
        cr_expect_eq(r.exchanges, 1, "nothing sent after GET /");
        cf_mb_stop(m);
        cf_probe_result_free(&r);
    }
}

Test(probe, refused_connection_is_unreachable)
{
    cf_run_target t;
    cf_serve_stop(start_builtin(&t)); /* the port it had is closed now */
    char err[512];
    cf_probe_result r;
    cr_expect_eq(cf_probe_run(&t, &opts, &r, err, sizeof err), CF_PROBE_UNREACHABLE);
    cr_expect(strstr(err, "cannot connect to 127.0.0.1:"), "%s", err);
    cr_expect(strstr(err, "refused"), "%s", err);
    cf_probe_result_free(&r);
}

/* A server that answers each request head (up to CRLF CRLF) with 200 "ok" and never reads
 * content: a POST's content that is itself a request gets an answer of its own. It closes after
 * a head with "Connection: close". One connection at a time, until the listener is shut down. */
static void *heads_only(void *arg)
{
    int lfd = *(int *)arg;
    for (int fd; (fd = accept(lfd, NULL, NULL)) >= 0; close(fd)) {
        char buf[8192];
        size_t len = 0;
        for (bool open = true; open;) {
            ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
            if (n <= 0) break;
            len += (size_t)n;
            buf[len] = 0;
            for (char *end; open && (end = strstr(buf, "\r\n\r\n"));) {
                static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                open = !memmem(buf, (size_t)(end - buf), "Connection: close", 17);
                cr_assert_eq(send(fd, ok, sizeof ok - 1, MSG_NOSIGNAL), (ssize_t)sizeof ok - 1);
                len -= (size_t)(end + 4 - buf);
                memmove(buf, end + 4, len + 1);
            }
        }
    }
    return NULL;
}

Test(probe, content_answered_as_a_request_is_not_read)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    cr_assert_eq(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    cr_assert_eq(listen(lfd, 8), 0);
    cr_assert_eq(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, heads_only, &lfd), 0);
    cf_run_target t;
    target_at(ntohs(sa.sin_port), &t);
    cf_probe_result r;
    char err[512];
    cr_assert_eq(cf_probe_run(&t, &opts, &r, err, sizeof err), CF_PROBE_OK, "%s", err);
    shutdown(lfd, SHUT_RDWR);
    pthread_join(th, NULL);
    close(lfd);
    cr_expect_str_eq(r.path[CF_RES_PAGE], "/");
    cr_expect_null(r.path[CF_RES_BODY], "%s", r.evidence[CF_RES_BODY]);
    cr_expect(strstr(r.evidence[CF_RES_BODY],
                     "POST / → 200 OK, then on the same connection GET / → 200 OK, then 1 more: "
                     "the content was read as a request"),
              "%s", r.evidence[CF_RES_BODY]);
    cf_probe_result_free(&r);
}
