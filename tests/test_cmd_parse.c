/* End-to-end tests of `conform parse`: runs the built binary (CF_CONFORM_BIN) on inputs written
 * to temp files, through stdin, or trickled through a pipe, and checks exit status, stdout,
 * stderr, and the --json output with python3's json module. */
#include <criterion/criterion.h>
#include <fcntl.h>
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

/* Checks a Python expression over d, the JSON object r->out holds (strict JSON in UTF-8). */
static void json_expect(const struct run *r, const char *expr)
{
    static const char script[] =
        "import json,sys\n"
        "d=json.load(open(sys.argv[1], encoding='utf-8', errors='strict'))\n"
        "ok=eval(sys.argv[2])\n"
        "if not ok: print('json check failed:', sys.argv[2], json.dumps(d)[:3000],"
        " file=sys.stderr)\n"
        "sys.exit(0 if ok else 1)\n";
    char *path = write_temp(r->out, r->out_len);
    /* The system python3 directly: a version-manager shim on PATH can cost a second a call. */
    char *py_bin = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char *argv[] = {"/usr/bin/env", py_bin, "-c", (char *)script, path, (char *)expr, NULL};
    struct run py;
    run_argv(argv, -1, NULL, &py);
    unlink(path);
    free(path);
    cr_assert_eq(py.status, 0, "%s\noutput: %.2000s\npython: %s", expr, r->out, py.err);
    run_free(&py);
}

#define REQ_GET "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\n\r\n"

Test(cmd_parse, valid_request_json)
{
    struct run r = RUN(VIA_FILE, REQ_GET, "--json");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    json_expect(&r, "d['valid'] is True and d['complete'] is True and d['kind'] == 'request'");
    json_expect(&r, "d['method'] == 'GET' and d['target'] == '/a?b=c' and "
                    "d['version'] == 'HTTP/1.1' and d['target_form'] == 'origin'");
    json_expect(&r, "d['status'] is None and d['reason'] is None and d['request_method'] is None");
    json_expect(&r, "d['headers'] == [['Host', 'example.com'], ['X-A', '1']]");
    json_expect(&r, "d['trailers'] == [] and d['framing'] == 'none' and d['body'] == ''");
    json_expect(&r, "d['consumed'] == 50 and d['trailing_bytes'] == 0 and d['input_bytes'] == 50");
    json_expect(&r, "d['violations'] == [] and d['error'] is None and d['ended_in'] is None");
    json_expect(&r, "d['persistent'] is True and d['content_length'] is None");
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
        json_expect(&r, "d['body'] == 'hello world' and d['trailers'] == [['X-Sum', '42']]");
        json_expect(&r, "d['consumed'] == d['input_bytes'] and d['framing'] == 'chunked'");
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
    json_expect(&r, "d['framing'] == 'chunked' and d['body'] == 'abc' and d['body_length'] == 3");
    json_expect(&r, "d['trailers'] == [['X-One', '1'], ['X-Two', 'two']]");
    json_expect(&r, "d['headers'][1] == ['Transfer-Encoding', 'chunked']");
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
    json_expect(&r, "d['kind'] == 'response' and d['status'] == 200 and d['reason'] == 'OK'");
    json_expect(&r, "d['request_method'] == 'HEAD' and d['method'] is None");
    json_expect(&r, "d['framing'] == 'none' and d['body'] == '' and d['consumed'] == 38");
    run_free(&r);

    /* The same bytes answering GET wait for the 5 body bytes. */
    r = RUN(VIA_FILE, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "--response", "--json");
    cr_assert_eq(r.status, 3, "%s", r.err);
    json_expect(&r, "d['request_method'] == 'GET' and d['framing'] == 'length'");
    json_expect(&r, "d['content_length'] == 5 and d['ended_in'] == 'body' and not d['complete']");
    run_free(&r);
}

Test(cmd_parse, method_connect_and_close_delimited_framing)
{
    struct run r = RUN(VIA_FILE, "HTTP/1.1 200 Connection established\r\n\r\ntunnel bytes",
                       "--response", "--method=CONNECT", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_expect(&r, "d['framing'] == 'none' and d['body'] == '' and d['consumed'] == 39");
    json_expect(&r, "d['trailing_bytes'] == 12");
    run_free(&r);

    /* Answering GET, the body runs to the end of the input (RFC 9112 §6.3 rule 8). */
    r = RUN(VIA_FILE, "HTTP/1.1 200 OK\r\n\r\ntunnel bytes", "--response", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_expect(&r, "d['framing'] == 'close' and d['body'] == 'tunnel bytes'");
    json_expect(&r, "d['consumed'] == 31 and d['persistent'] is False");
    run_free(&r);
}

#define OBS_FOLD_REQ "GET / HTTP/1.1\r\nHost: a\r\nX-F: one\r\n two\r\n\r\n"

Test(cmd_parse, lenient_repair_records_violation)
{
    struct run r = RUN(VIA_FILE, OBS_FOLD_REQ, "--lenient=obs-fold", "--json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_expect(&r, "d['valid'] and d['headers'][1] == ['X-F', 'one two']");
    json_expect(&r, "len(d['violations']) == 1 and d['violations_total'] == 1");
    json_expect(&r, "d['violations'][0]['code'] == 'OBS_FOLD' and "
                    "d['violations'][0]['section'] == 'RFC 9112 §5.2' and "
                    "d['violations'][0]['lenient'] == 'obs-fold'");
    /* The fold is the CRLF SP at bytes 33..35. */
    json_expect(&r, "33 <= d['violations'][0]['offset'] <= 36");
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
    json_expect(&r, "d['error']['code'] == 'OBS_FOLD'");
    run_free(&r);
}

#define CTL_REQ                                                                                    \
    "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01"                                                        \
    "b\r\n\r\n"

Test(cmd_parse, error_shape_json_and_human)
{
    struct run r = RUN(VIA_FILE, CTL_REQ, "--json");
    cr_assert_eq(r.status, 1, "%s", r.err);
    json_expect(&r, "d['valid'] is False and d['complete'] is False");
    json_expect(&r, "d['error'] == {'code': 'FIELD_VALUE_CHAR', 'offset': 29, "
                    "'section': 'RFC 9110 §5.5', 'message': 'field value contains NUL, DEL or a "
                    "control character other than HTAB', 'lenient': 'field-value'}");
    json_expect(&r, "d['headers'] is None and d['method'] is None and d['consumed'] is None");
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
    json_expect(&r, "d['body'] == 'a\"b\\\\c\\x00\\x01\\x1f\\x7f\\x80\\xff\\n\\r\\t'");
    json_expect(&r, "d['headers'][1] == ['X-L', 'caf\\xe9 \"q\" \\\\']");
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
    json_expect(&r, "d['complete'] is False and d['valid'] is False and d['error'] is None");
    json_expect(&r, "d['ended_in'] == 'head' and d['input_bytes'] == 0 and d['body'] is None");
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
    json_expect(&r, "d['ended_in'] == 'body' and d['body'] == 'abc' and d['body_length'] == 3");
    json_expect(&r, "d['error'] is None and d['headers'][1] == ['Content-Length', '10']");
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
    json_expect(&r, "d['error']['code'] not in ('', 'NONE') and d['error']['offset'] < 4096");
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
    json_expect(&r, "d['body'] == 'hell' and d['body_truncated'] is True and "
                    "d['body_length'] == 11");
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
    json_expect(&r, "d['consumed'] == 50 and d['trailing_bytes'] == 20 and d['input_bytes'] == 70");
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
    json_expect(&r, "d['body_length'] == 100 * 1024 * 1024 and d['body_truncated'] is True");
    json_expect(&r, "len(d['body']) == 1024 * 1024 and d['consumed'] == d['input_bytes']");
    if (chunked) json_expect(&r, "d['trailers'] == [['X-Done', 'yes']]");
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
    json_expect(&r, "len(d['trailers']) == 100 and d['trailers'][57] == ['X-T057', '%0200d' % 57]"
                    " and d['body_length'] == 120000");
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
