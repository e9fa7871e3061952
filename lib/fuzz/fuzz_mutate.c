/* conform fuzz: mutation operators (fuzz_mutate.h). The first message's head is cut into
 * lines (each with its own LF or CRLF); an operator edits that list or the body and the bytes
 * are put together again. */
#include "fuzz_mutate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* One line of the head: bytes p[0..len), the line ending included. */
typedef struct span {
    const uint8_t *p;
    size_t len;
} span;

/* The first message of the input: its request-line, header lines, and everything after the
 * empty line (body and any further messages). */
typedef struct msg {
    span line[CF_MUT_MAX_LINES]; /* line[0] is the request-line */
    size_t nlines;
    span blank; /* the empty line ending the head (len 0 when the head has no end) */
    span rest;  /* after the head */
    bool crlf;  /* the request-line ends in CRLF (new lines use the same ending) */
} msg;

static const char *const op_names[CF_MUT_NOPS] = {
    "dup-header", "drop-header", "swap-headers", "length",   "case",
    "space",      "chunk",       "flip",         "pipeline",
};

const char *cf_mut_op_name(cf_mut_op op)
{
    return (unsigned)op < CF_MUT_NOPS ? op_names[op] : "?";
}

/* Cuts in[0..len) into lines up to the first empty line (RFC 9112 §2.1: the head ends with an
 * empty line; a bare LF is accepted as a line end here, as recipients may, §2.2). */
static void split_msg(const uint8_t *in, size_t len, msg *m)
{
    memset(m, 0, sizeof *m);
    size_t pos = 0;
    while (pos < len) {
        const uint8_t *nl = memchr(in + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - in) + 1 : len;
        span s = {in + pos, end - pos};
        bool empty = s.len == 1 || (s.len == 2 && s.p[0] == '\r');
        if (nl && empty && m->nlines > 0) {
            m->blank = s;
            pos = end;
            break;
        }
        if (m->nlines == CF_MUT_MAX_LINES) break;
        m->line[m->nlines++] = s;
        pos = end;
    }
    m->rest = (span){in + pos, len - pos};
    m->crlf = m->nlines > 0 && m->line[0].len >= 2 && m->line[0].p[m->line[0].len - 2] == '\r';
}

static int put(cf_buf *out, const void *p, size_t n)
{
    if (out->len >= CF_MUT_MAX_OUT) return 0;
    if (n > CF_MUT_MAX_OUT - out->len) n = CF_MUT_MAX_OUT - out->len;
    return n ? cf_buf_add(out, p, n) : 0;
}

static int put_str(cf_buf *out, const char *s)
{
    return put(out, s, strlen(s));
}

static int put_eol(cf_buf *out, const msg *m)
{
    return put_str(out, m->crlf ? "\r\n" : "\n");
}

/* Writes the message back: lines, the empty line, the rest. */
static int join(const msg *m, cf_buf *out)
{
    for (size_t i = 0; i < m->nlines; i++)
        if (put(out, m->line[i].p, m->line[i].len) < 0) return -1;
    if (put(out, m->blank.p, m->blank.len) < 0) return -1;
    return put(out, m->rest.p, m->rest.len);
}

/* Index of the header line named name (case-insensitive), or 0 when none. */
static size_t find_field(const msg *m, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 1; i < m->nlines; i++)
        if (m->line[i].len > n && m->line[i].p[n] == ':' &&
            !strncasecmp((const char *)m->line[i].p, name, n))
            return i;
    return 0;
}

/* Byte flips: 1..4 positions flipped, replaced by an interesting byte, inserted, or deleted. */
static int op_flip(cf_rng *r, const uint8_t *in, size_t len, cf_buf *out)
{
    static const uint8_t interesting[] = {0,    '\r', '\n', ' ', '\t', ':', ';', ',',  '"', 0x7f,
                                          0x80, 0xff, '0',  '9', 'a',  'f', '/', '\\', '%', '\v'};
    size_t start = out->len;
    if (put(out, in, len) < 0) return -1;
    size_t n = 1 + cf_rng_below(r, 4);
    for (size_t k = 0; k < n; k++) {
        size_t cur = out->len - start;
        size_t at = cf_rng_below(r, cur + 1);
        uint8_t b = interesting[cf_rng_below(r, sizeof interesting)];
        switch (cf_rng_below(r, 4)) {
        case 0: /* flip one bit */
            if (at < cur) cf_buf_bytes(out)[start + at] ^= (uint8_t)(1u << cf_rng_below(r, 8));
            break;
        case 1: /* replace */
            if (at < cur) cf_buf_bytes(out)[start + at] = b;
            break;
        case 2: /* insert */
            if (out->len >= CF_MUT_MAX_OUT || cf_buf_add(out, "", 1) < 0) break;
            memmove(cf_buf_bytes(out) + start + at + 1, cf_buf_bytes(out) + start + at, cur - at);
            cf_buf_bytes(out)[start + at] = b;
            break;
        default: /* delete */
            if (at < cur) {
                memmove(cf_buf_bytes(out) + start + at, cf_buf_bytes(out) + start + at + 1,
                        cur - at - 1);
                out->len--;
            }
            break;
        }
    }
    return 0;
}

static int op_dup(cf_rng *r, msg *m, cf_buf *out)
{
    if (m->nlines < 2 || m->nlines == CF_MUT_MAX_LINES) return 1;
    size_t from = 1 + cf_rng_below(r, m->nlines - 1);
    size_t to = 1 + cf_rng_below(r, m->nlines); /* insert before index to */
    span copy = m->line[from];
    memmove(&m->line[to + 1], &m->line[to], (m->nlines - to) * sizeof(span));
    m->line[to] = copy;
    m->nlines++;
    return join(m, out);
}

static int op_drop(cf_rng *r, msg *m, cf_buf *out)
{
    if (m->nlines < 2) return 1;
    size_t i = 1 + cf_rng_below(r, m->nlines - 1);
    memmove(&m->line[i], &m->line[i + 1], (m->nlines - i - 1) * sizeof(span));
    m->nlines--;
    return join(m, out);
}

static int op_swap(cf_rng *r, msg *m, cf_buf *out)
{
    if (m->nlines < 3) return 1;
    size_t a = 1 + cf_rng_below(r, m->nlines - 1);
    size_t b = 1 + cf_rng_below(r, m->nlines - 2);
    if (b >= a) b++;
    span t = m->line[a];
    m->line[a] = m->line[b];
    m->line[b] = t;
    return join(m, out);
}

/* Writes the head with one extra line text inserted before header index at (1..nlines), then
 * the rest; skip (if non-zero) names a line left out. */
static int join_with(const msg *m, size_t at, const char *text, size_t skip, cf_buf *out)
{
    for (size_t i = 0; i < m->nlines; i++) {
        if (i == at && (put_str(out, text) < 0 || put_eol(out, m) < 0)) return -1;
        if (i != skip || !skip)
            if (put(out, m->line[i].p, m->line[i].len) < 0) return -1;
    }
    if (at >= m->nlines && (put_str(out, text) < 0 || put_eol(out, m) < 0)) return -1;
    if (put(out, m->blank.len ? m->blank.p : (const uint8_t *)"\r\n",
            m->blank.len ? m->blank.len : 2) < 0)
        return -1;
    return put(out, m->rest.p, m->rest.len);
}

/* Content-Length / Transfer-Encoding games (RFC 9112 §6.1-§6.3: a message with both, several
 * differing Content-Length values or an unknown coding is ambiguous). */
static int op_length(cf_rng *r, msg *m, cf_buf *out)
{
    static const char *const te[] = {
        "chunked",
        "chunked, chunked",
        "identity",
        "xchunked",
        "chunked\t",
        "gzip, chunked",
        "CHUNKED",
        " chunked",
        "chunked, identity",
        "\"chunked\"",
        "chunked;q=1",
        "chunk",
        "",
    };
    char text[128];
    size_t body = m->rest.len;
    const char *name = "Content-Length";
    switch (cf_rng_below(r, 8)) {
    case 0: snprintf(text, sizeof text, "%zu", body + 1 + cf_rng_below(r, 64)); break;
    case 1: snprintf(text, sizeof text, "%zu", body ? body - 1 : 0); break;
    case 2: snprintf(text, sizeof text, "%zu, %zu", body, body + 1); break;
    case 3: snprintf(text, sizeof text, "%s", cf_rng_chance(r, 1, 2) ? "-1" : "+0"); break;
    case 4: snprintf(text, sizeof text, "%s", "99999999999999999999"); break;
    case 5: snprintf(text, sizeof text, "0%zu", body); break;
    default:
        name = "Transfer-Encoding";
        snprintf(text, sizeof text, "%s", te[cf_rng_below(r, sizeof te / sizeof te[0])]);
        break;
    }
    char line[192];
    snprintf(line, sizeof line, "%s: %s", name, text);
    size_t old = find_field(m, name);
    /* Replace an existing field half of the time, else add another one. */
    size_t skip = old && cf_rng_chance(r, 1, 2) ? old : 0;
    size_t at = m->nlines ? 1 + cf_rng_below(r, m->nlines) : 0;
    return join_with(m, at, line, skip, out);
}

static int op_case(cf_rng *r, msg *m, cf_buf *out)
{
    if (m->nlines == 0) return 1;
    size_t i = cf_rng_below(r, m->nlines);
    span s = m->line[i];
    const uint8_t *stop = memchr(s.p, i ? ':' : ' ', s.len);
    size_t n = stop ? (size_t)(stop - s.p) : s.len;
    unsigned how = (unsigned)cf_rng_below(r, 3);
    size_t start = out->len;
    if (join(m, out) < 0) return -1;
    size_t at = start + (size_t)(s.p - m->line[0].p);
    bool changed = false;
    for (size_t k = 0; k < n && at + k < out->len; k++) {
        uint8_t c = cf_buf_bytes(out)[at + k], d = c;
        if (how == 0 && c >= 'a' && c <= 'z') d = (uint8_t)(c - 32);
        if (how == 1 && c >= 'A' && c <= 'Z') d = (uint8_t)(c + 32);
        if (how == 2 && ((c | 32) >= 'a' && (c | 32) <= 'z') && cf_rng_chance(r, 1, 2))
            d = (uint8_t)(c ^ 32);
        cf_buf_bytes(out)[at + k] = d;
        changed |= d != c;
    }
    for (size_t k = 0; !changed && k < n && at + k < out->len; k++) /* force one change */
        if ((cf_buf_bytes(out)[at + k] | 32) >= 'a' && (cf_buf_bytes(out)[at + k] | 32) <= 'z') {
            cf_buf_bytes(out)[at + k] ^= 32;
            changed = true;
        }
    return 0;
}

/* Whitespace variants of one line (RFC 9112 §5.1 no whitespace before the colon, §5.2 obs-fold,
 * §2.2 bare LF, §3 single SP in the request-line). */
static int op_space(cf_rng *r, msg *m, cf_buf *out)
{
    if (m->nlines == 0) return 1;
    size_t i = cf_rng_below(r, m->nlines);
    span s = m->line[i];
    size_t body = s.len;
    while (body && (s.p[body - 1] == '\n' || s.p[body - 1] == '\r'))
        body--;
    const uint8_t *c = memchr(s.p, i ? ':' : ' ', body);
    size_t cut = c ? (size_t)(c - s.p) : body / 2;
    for (size_t k = 0; k < i; k++)
        if (put(out, m->line[k].p, m->line[k].len) < 0) return -1;
    static const char *const ins[] = {" ", "\t", "  ", "\r", "\v", "\f"};
    int rc = 0;
    switch (cf_rng_below(r, 6)) {
    case 0: /* whitespace before the colon (or a doubled SP) */
        rc = put(out, s.p, cut) | put_str(out, ins[cf_rng_below(r, 3)]) |
             put(out, s.p + cut, s.len - cut);
        break;
    case 1: /* whitespace at the start of the line: obs-fold of the previous line */
        rc = put_str(out, ins[cf_rng_below(r, 2)]) | put(out, s.p, s.len);
        break;
    case 2: /* trailing whitespace */
        rc = put(out, s.p, body) | put_str(out, ins[cf_rng_below(r, 6)]) |
             put(out, s.p + body, s.len - body);
        break;
    case 3: /* bare LF or bare CR line ending */
        rc = put(out, s.p, body) | put_str(out, cf_rng_chance(r, 3, 4) ? "\n" : "\r");
        break;
    case 4: /* obs-fold in the middle of the value */
        rc = put(out, s.p, (cut + body + 1) / 2) | put_str(out, "\r\n ") |
             put(out, s.p + (cut + body + 1) / 2, s.len - (cut + body + 1) / 2);
        break;
    default: /* no whitespace after the colon, or HTAB for it */
        if (c && cut + 1 < body && s.p[cut + 1] == ' ') {
            rc = put(out, s.p, cut + 1) | put_str(out, cf_rng_chance(r, 1, 2) ? "" : "\t") |
                 put(out, s.p + cut + 2, s.len - cut - 2);
        } else {
            rc = put(out, s.p, cut) | put_str(out, "\t") | put(out, s.p + cut, s.len - cut);
        }
        break;
    }
    if (rc < 0) return -1;
    for (size_t k = i + 1; k < m->nlines; k++)
        if (put(out, m->line[k].p, m->line[k].len) < 0) return -1;
    if (put(out, m->blank.p, m->blank.len) < 0) return -1;
    return put(out, m->rest.p, m->rest.len);
}

/* The body re-sent in chunked coding with tricky chunk-size lines (RFC 9112 §7.1: chunk-size is
 * 1*HEXDIG, extensions follow ';', the last chunk is size 0, then trailers and CRLF). */
static int op_chunk(cf_rng *r, msg *m, cf_buf *out)
{
    static const char *const fmt[] = {"%zx",     "%zX",   "000%zx", "%zx;ext=1",   "%zx ",
                                      "%zx\t;x", "0x%zx", "+%zx",   "%zx;a=\"b\"", "%zx;"};
    size_t old_cl = find_field(m, "Content-Length");
    size_t skip = old_cl && cf_rng_chance(r, 3, 4) ? old_cl : 0;
    size_t at = m->nlines ? 1 + cf_rng_below(r, m->nlines) : 0;
    /* join_with writes the rest; write the head here and the chunked body ourselves. */
    msg head = *m;
    head.rest = (span){NULL, 0};
    if (join_with(&head, at, "Transfer-Encoding: chunked", skip, out) < 0) return -1;
    const uint8_t *p = m->rest.p;
    size_t left = m->rest.len;
    const char *eol = cf_rng_chance(r, 1, 5) ? "\n" : "\r\n";
    char size[64];
    while (left) {
        size_t n = 1 + cf_rng_below(r, left < 16 ? left : 16);
        size_t claimed = cf_rng_chance(r, 1, 8) ? n + 1 + cf_rng_below(r, 8) : n;
        snprintf(size, sizeof size, fmt[cf_rng_below(r, sizeof fmt / sizeof fmt[0])], claimed);
        if (put_str(out, size) < 0 || put_str(out, eol) < 0 || put(out, p, n) < 0 ||
            put_str(out, eol) < 0)
            return -1;
        p += n;
        left -= n;
    }
    switch (cf_rng_below(r, 4)) {
    case 0: return 0; /* no last chunk */
    case 1: return put_str(out, "0\r\nX-Trailer: 1\r\n\r\n");
    case 2: return put_str(out, "00000000000000000000\r\n\r\n");
    default: return put_str(out, "0\r\n\r\n");
    }
}

/* A second request in the same bytes: the input again, or a small GET. */
static int op_pipeline(cf_rng *r, const uint8_t *in, size_t len, cf_buf *out)
{
    if (put(out, in, len) < 0) return -1;
    if (cf_rng_chance(r, 1, 2)) return put(out, in, len);
    return put_str(out, "GET /pipelined HTTP/1.1\r\nHost: localhost\r\n\r\n");
}

int cf_mut_apply(cf_mut_op op, cf_rng *r, const uint8_t *in, size_t len, cf_buf *out)
{
    if (len > CF_MUT_MAX_OUT) len = CF_MUT_MAX_OUT;
    static _Thread_local msg tm; /* large: one per thread, not on the stack */
    split_msg(in, len, &tm);
    size_t start = out->len;
    int rc = 1;
    switch (op) {
    case CF_MUT_DUP_HEADER: rc = op_dup(r, &tm, out); break;
    case CF_MUT_DROP_HEADER: rc = op_drop(r, &tm, out); break;
    case CF_MUT_SWAP_HEADERS: rc = op_swap(r, &tm, out); break;
    case CF_MUT_LENGTH: rc = tm.nlines ? op_length(r, &tm, out) : 1; break;
    case CF_MUT_CASE: rc = op_case(r, &tm, out); break;
    case CF_MUT_SPACE: rc = op_space(r, &tm, out); break;
    case CF_MUT_CHUNK: rc = tm.nlines ? op_chunk(r, &tm, out) : 1; break;
    case CF_MUT_PIPELINE: rc = op_pipeline(r, in, len, out); break;
    default: break;
    }
    if (rc < 0) return -1;
    if (rc == 0) return 0;
    out->len = start;
    return op_flip(r, in, len, out);
}

int cf_mutate(cf_rng *r, const uint8_t *in, size_t len, cf_buf *out, unsigned *ops)
{
    cf_buf a = {0}, b = {0};
    size_t n = 1 + (cf_rng_chance(r, 1, 2) ? 0 : cf_rng_below(r, 3));
    const uint8_t *cur = in;
    size_t cur_len = len;
    unsigned used = 0;
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        cf_buf *dst = (k % 2 == 0) ? &a : &b;
        dst->len = 0;
        cf_mut_op op = (cf_mut_op)cf_rng_below(r, CF_MUT_NOPS);
        used |= 1u << op;
        rc = cf_mut_apply(op, r, cur, cur_len, dst);
        cur = cf_buf_bytes(dst);
        cur_len = dst->len;
    }
    out->len = 0;
    if (rc == 0) rc = cf_buf_add(out, cur ? cur : (const uint8_t *)"", cur_len);
    cf_buf_free(&a);
    cf_buf_free(&b);
    if (ops) *ops = used;
    return rc;
}
