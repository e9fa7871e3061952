/* picohttpparser under benchmark, as exported by Debian's libh2o (which ships no
 * picohttpparser.h): phr_parse_request / phr_parse_response on the whole message. It parses the
 * head only; it has no notion of body framing, so the body bytes are not touched. */
#include <stdio.h>

#include "backend.h"

#ifdef CF_BENCH_HAVE_PICO

/* Declarations exactly as in picohttpparser.h. */
struct phr_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len,
                      const char **path, size_t *path_len, int *minor_version,
                      struct phr_header *headers, size_t *num_headers, size_t last_len);
int phr_parse_response(const char *_buf, size_t len, int *minor_version, int *status,
                       const char **msg, size_t *msg_len, struct phr_header *headers,
                       size_t *num_headers, size_t last_len);

#define MAX_HEADERS 64

/* Parses m once; returns phr's result (head bytes, -1 error, -2 incomplete). */
static int parse_message(const cf_bench_msg *m, struct phr_header *hdrs, size_t *num_headers)
{
    int minor = 0;
    *num_headers = MAX_HEADERS;
    if (m->is_request) {
        const char *method, *path;
        size_t method_len, path_len;
        return phr_parse_request(m->text, m->len, &method, &method_len, &path, &path_len, &minor,
                                 hdrs, num_headers, 0);
    }
    int status = 0;
    const char *msg;
    size_t msg_len;
    return phr_parse_response(m->text, m->len, &minor, &status, &msg, &msg_len, hdrs, num_headers,
                              0);
}

static int check(const cf_bench_msg *m, char *err, size_t cap)
{
    struct phr_header hdrs[MAX_HEADERS];
    size_t n = 0;
    int r = parse_message(m, hdrs, &n);
    if (r < 0 || (size_t)r != m->head_len || n != m->num_headers) {
        snprintf(err, cap, "returned %d with %zu headers, expected %zu with %zu", r, n, m->head_len,
                 m->num_headers);
        return -1;
    }
    return 0;
}

static uint64_t loop(const cf_bench_msg *m, uint64_t iters)
{
    uint64_t sink = 0;
    struct phr_header hdrs[MAX_HEADERS];
    for (uint64_t i = 0; i < iters; i++) {
        size_t n;
        CF_BENCH_CLOBBER(m->text);
        int r = parse_message(m, hdrs, &n);
        sink += (uint64_t)r + n;
        CF_BENCH_CLOBBER(hdrs);
    }
    return sink;
}

const cf_bench_backend cf_bench_pico = {"picohttpparser", "libh2o, " CF_BENCH_PICO_VERSION, 1,
                                        check, loop};

#else

const cf_bench_backend cf_bench_pico = {"picohttpparser", "libh2o not found at configure time", 0,
                                        NULL, NULL};

#endif
