/* End-to-end tests of `conform parse`: runs the built binary (CF_CONFORM_BIN) on inputs written
 * to temp files, through stdin, or trickled through a pipe, and checks exit status, stdout,
 * stderr, and the --json output, parsed in-process by jansson (strict JSON in UTF-8). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum via { VIA_FILE, VIA_STDIN, VIA_DASH, VIA_TRICKLE };

struct run {
    int status; /* exit status, or 128 + signal */
    char *out, *err;
    size_t out_len;
    double secs;
    long maxrss_kb;
};

static char *temp_path(void)
{
    char *p = strdup("/tmp/cf_parse_XXXXXX");
    int fd = mkstemp(p);
    cr_assert(fd >= 0);
    close(fd);
    return p;
}

static char *write_temp(const char *data, size_t len)
{
    char *p = temp_path();
    FILE *f = fopen(p, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return p;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    size_t cap = 4096, n = 0, got;
    char *b = malloc(cap + 1);
    while ((got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) b = realloc(b, (cap *= 2) + 1);
    }
    fclose(f);
    b[n] = '\0';
    if (len) *len = n;
    return b;
}

/* Child for VIA_TRICKLE: writes data into fd a few bytes at a time. */
static void trickle(int fd, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i += 3) {
        size_t n = len - i < 3 ? len - i : 3;
        if (write(fd, data + i, n) != (ssize_t)n) _exit(1);
        usleep(200);
    }
    _exit(0);
}

/* Runs argv with stdin from in_fd (or /dev/null) and stdout to out_path (or a temp file). */
static void run_argv(char *const argv[], int in_fd, const char *out_path, struct run *r)
{
    char *op = out_path ? strdup(out_path) : temp_path(), *ep = temp_path();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int o = open(op, O_WRONLY | O_TRUNC), e = open(ep, O_WRONLY | O_TRUNC);
        if (in_fd < 0) in_fd = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || in_fd < 0) _exit(126);
        dup2(in_fd, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    struct rusage ru;
    cr_assert_eq(wait4(pid, &st, 0, &ru), pid);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    r->maxrss_kb = ru.ru_maxrss;
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->out = out_path ? strdup("") : slurp(op, &r->out_len);
    r->err = slurp(ep, NULL);
    if (!out_path) unlink(op);
    unlink(ep);
    free(op);
    free(ep);
}

/* Runs `conform parse ARGS... [FILE]` on input (NULL-terminated ARGS). */
static struct run conform(enum via via, const char *input, size_t len, ...)
{
    char *argv[32];
    int n = 0, in_fd = -1, pfd[2];
    pid_t writer = -1;
    char *path = write_temp(input, len);
    argv[n++] = CF_CONFORM_BIN;
    argv[n++] = "parse";
    va_list ap;
    va_start(ap, len);
    for (char *a; (a = va_arg(ap, char *)) != NULL && n < 28;)
        argv[n++] = a;
    va_end(ap);
    if (via == VIA_FILE) argv[n++] = path;
    if (via == VIA_DASH) argv[n++] = "-";
    argv[n] = NULL;
    if (via == VIA_STDIN || via == VIA_DASH) in_fd = open(path, O_RDONLY);
    if (via == VIA_TRICKLE) {
        cr_assert_eq(pipe(pfd), 0);
        writer = fork();
        cr_assert(writer >= 0);
        if (writer == 0) {
            close(pfd[0]);
            trickle(pfd[1], input, len);
        }
        close(pfd[1]);
        in_fd = pfd[0];
    }
    struct run r;
    run_argv(argv, in_fd, NULL, &r);
    if (in_fd >= 0) close(in_fd);
    if (writer > 0) waitpid(writer, NULL, 0);
    unlink(path);
    free(path);
    return r;
}

static void run_free(struct run *r)
{
    free(r->out);
    free(r->err);
}

#define RUN(via, lit, ...) conform(via, lit, sizeof(lit) - 1, __VA_ARGS__, (char *)NULL)

/* The JSON object r->out holds: strict JSON in UTF-8 with nothing after it (NUL escapes allowed,
 * duplicate keys not). Free with json_decref. */
static json_t *json_of(const struct run *r)
{
    json_error_t e;
    json_t *d = json_loadb(r->out, r->out_len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &e);
    cr_assert_not_null(d, "not JSON: %s at line %d column %d\noutput: %.2000s", e.text, e.line,
                       e.column, r->out);
    cr_assert(json_is_object(d), "not a JSON object: %.2000s", r->out);
    return d;
}

/* Compares the members of o with those of the object want: JSON with ' written for " (so no '
 * in its strings). Members of o that want does not name are not looked at; a member want names
 * must be in o with an equal value (json_equal: same type, so 1 is not 1.0 nor true). Returns
 * the number of members that differ and describes the first in why. */
static size_t json_diff(const json_t *o, const char *want, char *why, size_t cap)
{
    char text[2048];
    size_t n = strlen(want), bad = 0;
    cr_assert_lt(n, sizeof text);
    for (size_t i = 0; i <= n; i++)
        text[i] = want[i] == '\'' ? '"' : want[i];
    json_error_t e;
    json_t *w = json_loads(text, 0, &e);
    cr_assert(json_is_object(w), "bad expectation %s: %s", want, e.text);
    const char *key;
    json_t *wv;
    why[0] = '\0';
    json_object_foreach(w, key, wv)
    {
        json_t *got = json_object_get(o, key);
        if (got && json_equal(got, wv)) continue;
        if (bad++) continue;
        char *gs = got ? json_dumps(got, JSON_ENCODE_ANY) : NULL,
             *ws = json_dumps(wv, JSON_ENCODE_ANY);
        snprintf(why, cap, "\"%s\" is %s, want %s", key, gs ? gs : "missing", ws);
        free(gs);
        free(ws);
    }
    json_decref(w);
    return bad;
}

/* Fails the test unless every member of want (json_diff) has its value in d. */
static void expect_members(const json_t *d, const char *want)
{
    char why[1024];
    size_t bad = json_diff(d, want, why, sizeof why);
    char *all = bad ? json_dumps(d, JSON_COMPACT) : NULL;
    cr_expect_eq(bad, 0, "%zu members differ from %s; first: %s\nall: %.3000s", bad, want, why,
                 all ? all : "");
    free(all);
}

/* Member key of o; fails the test when it is missing. */
static json_t *member(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert_not_null(v, "no member \"%s\"", key);
    return v;
}

/* Integer member key of o; fails the test when it is missing or not an integer. */
static json_int_t int_member(const json_t *o, const char *key)
{
    json_t *v = member(o, key);
    cr_assert(json_is_integer(v), "\"%s\" is not an integer", key);
    return json_integer_value(v);
}

/* String v holds exactly the UTF-8 bytes want[0..n). */
static void expect_string_bytes(const json_t *v, const char *want, size_t n, const char *what)
{
    cr_assert(json_is_string(v), "%s is not a string", what);
    cr_expect_eq(json_string_length(v), n, "%s: %zu bytes, want %zu", what, json_string_length(v),
                 n);
    cr_expect(json_string_length(v) == n && memcmp(json_string_value(v), want, n) == 0,
              "%s: \"%s\"", what, json_string_value(v));
}

/* The JSON checks below can fail: a wrong value, a missing member, a number of another type and
 * a difference deep inside an array or object each count; members not named are not compared. */
Test(cmd_parse, json_checks_catch_differences)
{
    json_t *d = json_loads(
        "{\"a\": 1, \"b\": [[\"x\", \"y\"]], \"c\": null, \"e\": {\"k\": \"v\"}}", 0, NULL);
    cr_assert_not_null(d);
    char why[256];
    cr_expect_eq(json_diff(d, "{'a': 1, 'c': null, 'b': [['x', 'y']]}", why, sizeof why), 0, "%s",
                 why);
    cr_expect_eq(json_diff(d, "{'a': 2}", why, sizeof why), 1);
    cr_expect_str_eq(why, "\"a\" is 1, want 2");
    cr_expect_eq(json_diff(d, "{'z': null}", why, sizeof why), 1);
    cr_expect_str_eq(why, "\"z\" is missing, want null");
    cr_expect_eq(json_diff(d, "{'a': 1.0, 'c': false, 'b': [['x', 'Y']]}", why, sizeof why), 3);
    cr_expect_eq(json_diff(d, "{'e': {'k': 'v', 'l': 1}}", why, sizeof why), 1);
    cr_expect_eq(json_diff(d, "{'e': {}}", why, sizeof why), 1);
    json_decref(d);
}

#define REQ_GET "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\n\r\n"

Test(cmd_parse, valid_request_json)
{
    struct run r = RUN(VIA_FILE, REQ_GET, "--json");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    json_t *d = json_of(&r);
    expect_members(d, "{'valid': true, 'complete': true, 'kind': 'request'}");
    expect_members(d, "{'method': 'GET', 'target': '/a?b=c', 'version': 'HTTP/1.1', "
                      "'target_form': 'origin'}");
    expect_members(d, "{'status': null, 'reason': null, 'request_method': null}");
    expect_members(d, "{'headers': [['Host', 'example.com'], ['X-A', '1']]}");
    expect_members(d, "{'trailers': [], 'framing': 'none', 'body': ''}");
    expect_members(d, "{'consumed': 50, 'trailing_bytes': 0, 'input_bytes': 50}");
    expect_members(d, "{'violations': [], 'error': null, 'ended_in': null}");
    expect_members(d, "{'persistent': true, 'content_length': null}");
    json_decref(d);
    run_free(&r);
}

Test(cmd_parse, valid_request_human)
{
    struct run r = RUN(VIA_FILE, REQ_GET, NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "request: GET /a?b=c HTTP/1.1"), "%s", r.out);
    cr_assert(strstr(r.out, "  Host: example.com\n"), "%s", r.out);
    cr_assert(strstr(r.out, "framing: none"), "%s", r.out);
    cr_assert(strstr(r.out, "body: 0 bytes"), "%s", r.out);
    cr_assert(strstr(r.out, "result: valid request"), "%s", r.out);
    cr_assert_str_eq(r.err, "");
    run_free(&r);
}

Test(cmd_parse, stdin_dash_and_trickle_agree_with_file)
{
    static const char msg[] = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n";
    enum via vias[] = {VIA_STDIN, VIA_DASH, VIA_TRICKLE};
    for (size_t i = 0; i < 3; i++) {
        struct run r = conform(vias[i], msg, sizeof msg - 1, "--json", (char *)NULL);
        cr_assert_eq(r.status, 0, "via %zu: %s", i, r.err);
        json_t *d = json_of(&r);
        expect_members(d, "{'body': 'hello world', 'trailers': [['X-Sum', '42']]}");
        expect_members(d, "{'framing': 'chunked'}");
        cr_expect_eq(int_member(d, "consumed"), int_member(d, "input_bytes"), "via %zu", i);
        json_decref(d);
        run_free(&r);
    }
}

Test(cmd_parse, chunked_with_trailers)
{
    struct run r = RUN(VIA_FILE,
                       "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "3\r\nabc\r\n0\r\nX-One: 1\r\nX-Two: two\r\n\r\n",
                       "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *d = json_of(&r);
    expect_members(d, "{'framing': 'chunked', 'body': 'abc', 'body_length': 3}");
    expect_members(d, "{'trailers': [['X-One', '1'], ['X-Two', 'two']]}");
    expect_members(d, "{'headers': [['Host', 'h'], ['Transfer-Encoding', 'chunked']]}");
    json_decref(d);
    run_free(&r);

    r = RUN(VIA_FILE,
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            "3\r\nabc\r\n0\r\nX-One: 1\r\n\r\n",
            NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "trailers: 1\n  X-One: 1\n"), "%s", r.out);
    run_free(&r);
}

Test(cmd_parse, response_to_head_has_no_body)
{
    struct run r = RUN(VIA_FILE, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "--response",
                       "--method", "HEAD", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *d = json_of(&r);
    expect_members(d, "{'kind': 'response', 'status': 200, 'reason': 'OK'}");
    expect_members(d, "{'request_method': 'HEAD', 'method': null}");
    expect_members(d, "{'framing': 'none', 'body': '', 'consumed': 38}");
    json_decref(d);
    run_free(&r);

    /* The same bytes answering GET wait for the 5 body bytes. */
    r = RUN(VIA_FILE, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "--response", "--json");
    cr_assert_eq(r.status, 3, "%s", r.err);
    d = json_of(&r);
    expect_members(d, "{'request_method': 'GET', 'framing': 'length'}");
    expect_members(d, "{'content_length': 5, 'ended_in': 'body', 'complete': false}");
    json_decref(d);
    run_free(&r);
}

Test(cmd_parse, method_connect_and_close_delimited_framing)
{
    struct run r = RUN(VIA_FILE, "HTTP/1.1 200 Connection established\r\n\r\ntunnel bytes",
                       "--response", "--method=CONNECT", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *d = json_of(&r);
    expect_members(d, "{'framing': 'none', 'body': '', 'consumed': 39}");
    expect_members(d, "{'trailing_bytes': 12}");
    json_decref(d);
    run_free(&r);

    /* Answering GET, the body runs to the end of the input (RFC 9112 §6.3 rule 8). */
    r = RUN(VIA_FILE, "HTTP/1.1 200 OK\r\n\r\ntunnel bytes", "--response", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    d = json_of(&r);
    expect_members(d, "{'framing': 'close', 'body': 'tunnel bytes'}");
    expect_members(d, "{'consumed': 31, 'persistent': false}");
    json_decref(d);
    run_free(&r);
}

#define OBS_FOLD_REQ "GET / HTTP/1.1\r\nHost: a\r\nX-F: one\r\n two\r\n\r\n"

Test(cmd_parse, lenient_repair_records_violation)
{
    struct run r = RUN(VIA_FILE, OBS_FOLD_REQ, "--lenient=obs-fold", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *d = json_of(&r);
    expect_members(d, "{'valid': true, 'headers': [['Host', 'a'], ['X-F', 'one two']]}");
    expect_members(d, "{'violations_total': 1}");
    json_t *v = member(d, "violations");
    cr_assert(json_is_array(v) && json_array_size(v) == 1, "violations: %zu", json_array_size(v));
    v = json_array_get(v, 0);
    expect_members(v, "{'code': 'OBS_FOLD', 'section': 'RFC 9112 §5.2', 'lenient': 'obs-fold'}");
    /* The fold is the CRLF SP at bytes 33..35. */
    json_int_t off = int_member(v, "offset");
    cr_expect(off >= 33 && off <= 36, "offset %lld", (long long)off);
    json_decref(d);
    run_free(&r);

    r = RUN(VIA_FILE, OBS_FOLD_REQ, "--lenient");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "violations: 1"), "%s", r.out);
    cr_assert(strstr(r.out, "OBS_FOLD at byte"), "%s", r.out);
    cr_assert(strstr(r.out, "X-F: one two   [repaired]"), "%s", r.out);
    run_free(&r);

    /* Another bit does not cover it. */
    r = RUN(VIA_FILE, OBS_FOLD_REQ, "--lenient=bare-lf,bare-cr", "--json");
    cr_assert_eq(r.status, 1, "%s", r.err);
    d = json_of(&r);
    expect_members(member(d, "error"), "{'code': 'OBS_FOLD'}");
    json_decref(d);
    run_free(&r);
}

#define CTL_REQ                                                                                    \
    "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01"                                                        \
    "b\r\n\r\n"

Test(cmd_parse, error_shape_json_and_human)
{
    struct run r = RUN(VIA_FILE, CTL_REQ, "--json");
    cr_assert_eq(r.status, 1, "%s", r.err);
    json_t *d = json_of(&r);
    expect_members(d, "{'valid': false, 'complete': false}");
    /* The whole object: no other member. */
    expect_members(d, "{'error': {'code': 'FIELD_VALUE_CHAR', 'offset': 29, "
                      "'section': 'RFC 9110 §5.5', 'message': 'field value contains NUL, DEL or a "
                      "control character other than HTAB', 'lenient': 'field-value'}}");
    expect_members(d, "{'headers': null, 'method': null, 'consumed': null}");
    json_decref(d);
    run_free(&r);

    r = RUN(VIA_FILE, CTL_REQ, NULL);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "error: FIELD_VALUE_CHAR at byte 29 (RFC 9110 §5.5): field value "
                            "contains NUL"),
              "%s", r.err);
    cr_assert(strstr(r.err, "X: a\\x01b\\r\\n"), "context line: %s", r.err);
    cr_assert(strstr(r.err, "--lenient=field-value"), "hint: %s", r.err);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
}

Test(cmd_parse, json_escapes_controls_quotes_and_high_bytes)
{
    static const char msg[] = "POST / HTTP/1.1\r\nHost: a\r\nX-L: caf\xe9 \"q\" \\\r\n"
                              "Content-Length: 14\r\n\r\n"
                              "a\"b\\c\x00\x01\x1f\x7f\x80\xff\n\r\t";
    struct run r = conform(VIA_FILE, msg, sizeof msg - 1, "--json", (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* Each message byte is the code point of the same value (U+0000..U+00FF), which jansson
     * hands back in UTF-8: 0x80 is C2 80, 0xFF is C3 BF, 0xE9 is C3 A9. */
    json_t *d = json_of(&r);
    static const char body[] = "a\"b\\c\0\x01\x1f\x7f\xc2\x80\xc3\xbf\n\r\t";
    expect_string_bytes(member(d, "body"), body, sizeof body - 1, "body");
    json_t *want = json_pack("[[ss][ss][ss]]", "Host", "a", "X-L", "caf\xc3\xa9 \"q\" \\",
                             "Content-Length", "14");
    cr_assert_not_null(want);
    cr_expect(json_equal(member(d, "headers"), want), "headers: %.500s", r.out);
    json_decref(want);
    json_decref(d);
    cr_assert(strstr(r.out, "\"a\\\"b\\\\c\\u0000\\u0001\\u001f\\u007f\\u0080\\u00ff\\n\\r\\t\""),
              "%s", r.out);
    cr_assert(strstr(r.out, "[\"X-L\",\"caf\\u00e9 \\\"q\\\" \\\\\"]"), "%s", r.out);
    /* Message bytes are escaped, so the only raw bytes >= 0x80 are the "§" of RFC sections. */
    for (size_t i = 0; i < r.out_len; i++) {
        unsigned char c = (unsigned char)r.out[i];
        cr_assert(c >= 0x20 || i == r.out_len - 1, "raw control 0x%02x at %zu", c, i);
        if (c >= 0x80) cr_assert(!memcmp(r.out + i - (c == 0xa7), "\xc2\xa7", 2), "at %zu", i);
    }
    run_free(&r);
}

Test(cmd_parse, usage_errors_exit_2)
{
    struct run r = RUN(VIA_FILE, REQ_GET, "--lenient=obs-fold,nonsense");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "unknown lenient bit 'nonsense'"), "%s", r.err);
    cr_assert(strstr(r.err, "bare-cr") && strstr(r.err, "te-http10"), "%s", r.err);
    run_free(&r);

    const char *bad[][3] = {{"--bogus", NULL},
                            {"--method", "GET"},
                            {"--response", "--method"},
                            {"--max-body", "12x"},
                            {"--json=1", NULL},
                            {"--lenient=", NULL},
                            {"--response", "--method=G(T"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = conform(VIA_STDIN, REQ_GET, sizeof REQ_GET - 1, bad[i][0], bad[i][1], (char *)NULL);
        cr_assert_eq(r.status, 2, "%s %s: %s", bad[i][0], bad[i][1], r.err);
        cr_assert(strstr(r.err, "conform parse: "), "%s", r.err);
        cr_assert_str_eq(r.out, "");
        run_free(&r);
    }

    r = RUN(VIA_FILE, REQ_GET, "extra-file");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "only one FILE"), "%s", r.err);
    run_free(&r);
}

Test(cmd_parse, missing_and_unreadable_files_exit_2)
{
    char *argv[] = {CF_CONFORM_BIN, "parse", "/nonexistent/cf-no-such-file", NULL};
    struct run r;
    run_argv(argv, -1, NULL, &r);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "cannot open /nonexistent/cf-no-such-file: No such file"), "%s", r.err);
    run_free(&r);

    char *dir[] = {CF_CONFORM_BIN, "parse", "--json", "/tmp", NULL};
    run_argv(dir, -1, NULL, &r);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "cannot read /tmp: Is a directory"), "%s", r.err);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
}

Test(cmd_parse, write_failure_exits_2)
{
    char *path = write_temp(REQ_GET, sizeof REQ_GET - 1);
    char *argv[] = {CF_CONFORM_BIN, "parse", "--json", path, NULL};
    struct run r;
    run_argv(argv, -1, "/dev/full", &r);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "cannot write"), "%s", r.err);
    unlink(path);
    free(path);
    run_free(&r);
}

Test(cmd_parse, empty_input_exits_3)
{
    struct run r = conform(VIA_STDIN, "", 0, (char *)NULL);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "nothing arrived"), "%s", r.err);
    run_free(&r);

    r = conform(VIA_FILE, "", 0, "--json", (char *)NULL);
    cr_assert_eq(r.status, 3);
    json_t *d = json_of(&r);
    expect_members(d, "{'complete': false, 'valid': false, 'error': null}");
    expect_members(d, "{'ended_in': 'head', 'input_bytes': 0, 'body': null}");
    json_decref(d);
    run_free(&r);
}

Test(cmd_parse, truncated_head_and_body_exit_3)
{
    struct run r = RUN(VIA_FILE, "GET / HTTP/1.1\r\nHost: a\r\n", NULL);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "input ended before the message did (in the head, after 25 bytes"),
              "%s", r.err);
    run_free(&r);

    r = RUN(VIA_FILE, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", NULL);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "(in the body, 3 of 10 bytes)"), "%s", r.err);
    cr_assert(strstr(r.out, "framing: length (Content-Length: 10)"), "%s", r.out);
    run_free(&r);

    r = RUN(VIA_FILE, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", "--json");
    cr_assert_eq(r.status, 3);
    json_t *d = json_of(&r);
    expect_members(d, "{'ended_in': 'body', 'body': 'abc', 'body_length': 3}");
    expect_members(d, "{'error': null, 'headers': [['Host', 'a'], ['Content-Length', '10']]}");
    json_decref(d);
    run_free(&r);

    r = RUN(VIA_FILE, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab",
            NULL);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "in the chunked body, after 2 bytes"), "%s", r.err);
    run_free(&r);
}

Test(cmd_parse, binary_garbage_exits_1_with_a_code)
{
    char junk[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (char)(x >> 16);
    }
    junk[0] = '\x01';
    struct run r = conform(VIA_FILE, junk, sizeof junk, "--json", (char *)NULL);
    cr_assert_eq(r.status, 1, "%s", r.err);
    json_t *d = json_of(&r), *e = member(d, "error");
    const char *code = json_string_value(member(e, "code"));
    cr_assert_not_null(code, "error code is not a string");
    cr_expect(strcmp(code, "") != 0 && strcmp(code, "NONE") != 0, "code \"%s\"", code);
    json_int_t off = int_member(e, "offset");
    cr_expect(off >= 0 && off < 4096, "offset %lld", (long long)off);
    json_decref(d);
    run_free(&r);
    r = conform(VIA_FILE, junk, sizeof junk, "--response", (char *)NULL);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strncmp(r.err, "error: ", 7) == 0, "%s", r.err);
    run_free(&r);
}

Test(cmd_parse, max_body_truncates_output_only)
{
    struct run r =
        RUN(VIA_FILE, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
            "--max-body", "4", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *d = json_of(&r);
    expect_members(d, "{'body': 'hell', 'body_truncated': true, 'body_length': 11}");
    json_decref(d);
    run_free(&r);
    r = RUN(VIA_FILE, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
            "--max-body=4");
    cr_assert(strstr(r.out, "body: 11 bytes (only the first 4 kept"), "%s", r.out);
    run_free(&r);
}

Test(cmd_parse, trailing_input_is_noted_not_an_error)
{
    struct run r = RUN(VIA_FILE, REQ_GET "GET /next HTTP/1.1\r\n", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *d = json_of(&r);
    expect_members(d, "{'consumed': 50, 'trailing_bytes': 20, 'input_bytes': 70}");
    json_decref(d);
    run_free(&r);
    r = RUN(VIA_FILE, REQ_GET "GET /next HTTP/1.1\r\n", NULL);
    cr_assert(strstr(r.out, "message: 50 bytes of input; 20 more bytes follow it"), "%s", r.out);
    run_free(&r);
}

/* Writes a message with a body of size bytes (Content-Length, or chunked in 64 KiB chunks with
 * a trailer) to a temp file. */
static char *big_message(size_t size, int chunked)
{
    char *path = temp_path();
    FILE *f = fopen(path, "wb");
    static char block[65536];
    memset(block, 'x', sizeof block);
    if (chunked)
        fprintf(f, "POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
    else
        fprintf(f, "POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: %zu\r\n\r\n", size);
    for (size_t done = 0; done < size; done += sizeof block) {
        size_t n = size - done < sizeof block ? size - done : sizeof block;
        if (chunked) fprintf(f, "%zx\r\n", n);
        cr_assert_eq(fwrite(block, 1, n, f), n);
        if (chunked) fputs("\r\n", f);
    }
    if (chunked) fputs("0\r\nX-Done: yes\r\n\r\n", f);
    cr_assert_eq(fclose(f), 0);
    return path;
}

static void big_case(int chunked)
{
    size_t size = 100u * 1024u * 1024u;
    char *path = big_message(size, chunked);
    char *argv[] = {CF_CONFORM_BIN, "parse", "--json", path, NULL};
    struct run r;
    run_argv(argv, -1, NULL, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *d = json_of(&r), *body = member(d, "body");
    cr_expect_eq(int_member(d, "body_length"), 100 * 1024 * 1024);
    expect_members(d, "{'body_truncated': true}");
    /* The first MiB is kept, and it is the message's. */
    cr_assert(json_is_string(body));
    cr_expect_eq(json_string_length(body), 1024 * 1024);
    cr_expect_eq(strspn(json_string_value(body), "x"), json_string_length(body));
    cr_expect_eq(int_member(d, "consumed"), int_member(d, "input_bytes"));
    if (chunked) expect_members(d, "{'trailers': [['X-Done', 'yes']]}");
    json_decref(d);
    /* Bounded memory: far less than the 100 MiB input (ASan's own overhead included). */
    cr_assert_lt(r.maxrss_kb, 96 * 1024, "max RSS %ld KiB", r.maxrss_kb);
    cr_assert_lt(r.secs, 10.0, "took %.2f s", r.secs);
    cr_log_info("100 MiB %s: %.3f s, max RSS %ld KiB", chunked ? "chunked" : "Content-Length",
                r.secs, r.maxrss_kb);
    unlink(path);
    free(path);
    run_free(&r);
}

Test(cmd_parse, hundred_mib_content_length_is_fast_and_bounded, .timeout = 60)
{
    big_case(0);
}

Test(cmd_parse, hundred_mib_chunked_is_fast_and_bounded, .timeout = 60)
{
    big_case(1);
}

/* A trailer section that straddles the 64 KiB read blocks, read whole and intact. */
Test(cmd_parse, trailers_across_read_blocks)
{
    char *path = temp_path();
    FILE *f = fopen(path, "wb");
    static char block[120000]; /* trailers then span bytes ~120070..141300 */
    memset(block, 'y', sizeof block);
    fprintf(f, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n",
            sizeof block);
    fwrite(block, 1, sizeof block, f);
    fputs("\r\n0\r\n", f);
    for (int i = 0; i < 100; i++)
        fprintf(f, "X-T%03d: %0200d\r\n", i, i);
    fputs("\r\n", f);
    fclose(f);
    char *argv[] = {CF_CONFORM_BIN, "parse", "--json", path, NULL};
    struct run r;
    run_argv(argv, -1, NULL, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *d = json_of(&r), *trailers = member(d, "trailers");
    expect_members(d, "{'body_length': 120000}");
    cr_assert(json_is_array(trailers) && json_array_size(trailers) == 100, "%zu trailers",
              json_array_size(trailers));
    for (int i = 0; i < 100; i++) {
        char name[8], value[256];
        snprintf(name, sizeof name, "X-T%03d", i);
        snprintf(value, sizeof value, "%0200d", i);
        json_t *want = json_pack("[ss]", name, value);
        cr_expect(json_equal(json_array_get(trailers, (size_t)i), want), "trailer %d", i);
        json_decref(want);
    }
    json_decref(d);
    unlink(path);
    free(path);
    run_free(&r);
}

Test(cmd_parse, help_lists_every_option_and_docs_agree)
{
    struct run r = RUN(VIA_STDIN, "", "--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "exit status"), "%s", r.out);
    cr_assert(strstr(r.out, "obs-fold"), "%s", r.out);
    size_t doc_len;
    char *doc = slurp(CF_SOURCE_DIR "/docs/commands/parse.md", &doc_len);
    int options = 0;
    /* Every long-only "      --name" that starts a line of the option list is documented with a
     * heading (tests/test_cli_options.c checks every option of every command). */
    for (const char *p = r.out; (p = strstr(p, "\n      --")) != NULL; p++) {
        char name[32], heading[48];
        size_t n = strcspn(p + 7, " =[\n");
        cr_assert_lt(n, sizeof name);
        memcpy(name, p + 7, n);
        name[n] = '\0';
        snprintf(heading, sizeof heading, "### `%s", name);
        cr_assert(strstr(doc, heading), "docs/commands/parse.md lacks a heading for %s", name);
        options++;
    }
    cr_assert_geq(options, 5);
    for (int code = 0; code <= 3; code++) {
        char row[16];
        snprintf(row, sizeof row, "| %d |", code);
        cr_assert(strstr(doc, row), "docs/commands/parse.md lacks exit status %d", code);
    }
    free(doc);
    run_free(&r);
}
