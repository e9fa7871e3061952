/* libFuzzer target: invariants between several parses of one message; aborts when one breaks.
 *  1. Split: parsing whole and fed in three pieces, cut once in the head and once in the body
 *     at points the input chooses, gives the same outcome (status, error code and offset, every
 *     span, framing, flags, decoded body, trailers, violations), through the parser's calls and
 *     through the message reader (h1_reader.h).
 *  2. Strict within lenient: a message strict mode accepts is accepted by the lenient mode the
 *     input chooses, identically and with no violation recorded.
 *  3. Round trip: a message strict mode accepts, re-encoded (fuzz_serialize.h) and parsed
 *     again, means the same (method, target, version, status, fields, body, trailers).
 * Input: 7 bytes of set-up, then the message:
 *   [0] bit 0 response; bits 1-3 method answered (responses); bit 4 re-encode chunked;
 *       bit 5 small limits
 *   [1..2] lenient bits, little-endian (masked with H1_LENIENT_ALL)
 *   [3..4] head cut, [5..6] body cut: 16-bit numbers taken modulo the room available. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_http.h"
#include "fuzz_outcome.h"
#include "fuzz_serialize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CF_DIFF_SETUP 7

static const char *const methods[8] = {"GET", "HEAD",    "CONNECT", "POST",
                                       "PUT", "OPTIONS", NULL,      "DELETE"};

static cf_fuzz_cfg config(const uint8_t *d, unsigned lenient)
{
    cf_fuzz_cfg c;
    c.kind = (d[0] & 1) ? H1_RESPONSE : H1_REQUEST;
    c.lenient = lenient;
    c.limits = h1_limits_default();
    if (d[0] & 0x20) {
        c.limits.max_start_line = 64;
        c.limits.max_head = 256;
        c.limits.max_fields = 8;
        c.limits.max_chunk_ext = 16;
        c.limits.max_trailer = 64;
        c.limits.max_empty_lines = 1;
    }
    c.method = c.kind == H1_RESPONSE ? methods[(d[0] >> 1) & 7] : NULL;
    c.max_headers = 128;
    c.max_trailers = 32;
    c.max_violations = 16;
    return c;
}

static size_t u16(const uint8_t *d)
{
    return (size_t)d[0] | (size_t)d[1] << 8;
}

/* 1. The same bytes cut in the head and in the body give the same outcome. */
static void check_split(const cf_fuzz_cfg *c, const uint8_t *d, const char *msg, size_t len,
                        const cf_fuzz_outcome *whole)
{
    size_t head = whole->head_done ? whole->head_len : len;
    size_t cuts[3], n = 0;
    size_t c1 = u16(d + 3) % (head + 1);
    size_t c2 = head + u16(d + 5) % (len - head + 1);
    if (c1 > 0) cuts[n++] = c1;
    if (c2 > c1 && c2 < len) cuts[n++] = c2;
    if (n == 0 || cuts[n - 1] != len) cuts[n++] = len;
    cf_fuzz_outcome split, read;
    cf_fuzz_parse_cuts(c, msg, len, cuts, n, &split);
    const char *why = cf_fuzz_outcome_diff(whole, &split, 1);
    if (why) cf_fuzz_fail("split at %zu and %zu: %s differs from the whole parse", c1, c2, why);
    cf_fuzz_outcome_free(&split);
    /* The message reader fed the same pieces reads the same message. */
    cf_fuzz_read_cuts(c, msg, len, cuts, n, &read);
    why = cf_fuzz_outcome_diff(whole, &read, 1);
    if (why)
        cf_fuzz_fail("reader, split at %zu and %zu: %s differs from the whole parse", c1, c2, why);
    cf_fuzz_outcome_free(&read);
}

/* 3. A strict accept re-encoded and parsed again means the same. */
static void check_round_trip(const cf_fuzz_cfg *strict, const char *msg, const cf_fuzz_outcome *o,
                             int chunked)
{
    size_t len = 0;
    char *again = cf_fuzz_serialize(o, msg, strict->kind, chunked, &len);
    cf_fuzz_cfg big = *strict;
    big.limits.max_start_line = big.limits.max_head = big.limits.max_trailer = (size_t)1 << 30;
    /* The parser bounds header and trailer lines both by max_fields (and by their arrays). */
    size_t most = o->num_headers > o->num_trailers ? o->num_headers : o->num_trailers;
    big.limits.max_fields = big.max_headers = big.max_trailers = most + 2;
    big.limits.max_empty_lines = 8;
    size_t cuts[1] = {len};
    cf_fuzz_outcome r;
    cf_fuzz_parse_cuts(&big, again, len, cuts, 1, &r);
    if (r.status != H1_DONE)
        cf_fuzz_fail("re-encoded message does not parse: status %d error %s at %zu", (int)r.status,
                     h1_code_name(r.error.code), r.error.offset);
    const char *why = cf_fuzz_meaning_diff(o, msg, &r, again, chunked && o->version == 11);
    if (why) cf_fuzz_fail("re-encoded (%s) message: %s differs", chunked ? "chunked" : "CL", why);
    cf_fuzz_outcome_free(&r);
    free(again);
}

/* libFuzzer entry point: checks the three invariants above on the message. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < CF_DIFF_SETUP) return 0;
    const char *msg = (const char *)data + CF_DIFF_SETUP;
    size_t len = size - CF_DIFF_SETUP, all[1] = {len};
    unsigned lenient = (unsigned)u16(data + 1) & H1_LENIENT_ALL;
    cf_fuzz_cfg lc = config(data, lenient), sc = config(data, 0);
    cf_fuzz_outcome lw, sw;
    cf_fuzz_parse_cuts(&lc, msg, len, all, 1, &lw);
    check_split(&lc, data, msg, len, &lw);
    cf_fuzz_parse_cuts(&sc, msg, len, all, 1, &sw);
    if (lenient && sw.status != H1_ERROR) {
        /* 2. RFC 9112 §2.2 and the lenient bits: a repair only applies to a violation. */
        const char *why = cf_fuzz_outcome_diff(&sw, &lw, 1);
        if (why)
            cf_fuzz_fail("strict %s, lenient 0x%x: %s differs",
                         sw.status == H1_DONE ? "accept" : "incomplete", lenient, why);
    }
    if (sw.status == H1_DONE) check_round_trip(&sc, msg, &sw, data[0] & 0x10);
    cf_fuzz_outcome_free(&lw);
    cf_fuzz_outcome_free(&sw);
    return 0;
}
