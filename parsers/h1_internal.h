/* Functions shared between the parser's files; not part of the public contract. */
#ifndef H1_INTERNAL_H
#define H1_INTERNAL_H

#include <string.h>

#include "h1_parser.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* memset(p, 0, n) as 16-byte stores, 64 bytes a step. For a constant n of a few hundred bytes,
 * gcc's memset is rep stosq, whose start-up costs far more than the stores: zeroing the 384
 * bytes of a parser took 14 ns that way and 3 ns this way on the benchmark machine
 * (docs/parser.md, "Setting up a parser"). */
static inline void h1_zero(void *p, size_t n)
{
    char *c = p;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i z = _mm_setzero_si128();
    for (; i + 64 <= n; i += 64) {
        _mm_storeu_si128((__m128i *)(void *)(c + i), z);
        _mm_storeu_si128((__m128i *)(void *)(c + i + 16), z);
        _mm_storeu_si128((__m128i *)(void *)(c + i + 32), z);
        _mm_storeu_si128((__m128i *)(void *)(c + i + 48), z);
        __asm__ volatile("" ::: "memory"); /* or the compiler makes the loop a memset again */
    }
    for (; i + 16 <= n; i += 16)
        _mm_storeu_si128((__m128i *)(void *)(c + i), z);
#endif
    memset(c + i, 0, n - i);
}

/* For the checks a well-formed message never fails: gcc then lays out the usual path as one
 * straight run of code, the rest out of its way. */
#define H1_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Head states. */
enum { H1_HS_START = 0, H1_HS_FIELDS = 1, H1_HS_DONE = 2 };

/* Records code at off as a repair when its lenient bit is set (returns 1), otherwise makes it
 * p->error (returns 0). */
int h1_violate(h1_parser *p, h1_code code, size_t off);

/* Makes code at off p->error; returns H1_ERROR. */
h1_status h1_fail(h1_parser *p, h1_code code, size_t off);

/* Field-line section parser shared by headers and trailers: parses lines of buf from *pos up to
 * the empty line, storing into arr (cap entries, *n used; arr may be NULL to validate only).
 * bound_code is the error when the section reaches its bound.
 * base is the message offset of buf[0]. first_line tells whether no field line came yet (for
 * RFC 9112 §2.2 whitespace-led lines). */
typedef struct h1_fields_ctx {
    const char *buf;
    size_t len;   /* bytes available */
    size_t bound; /* offset in buf the section may not reach (its size limit) */
    size_t end;   /* min(len, bound) */
    h1_code bound_code;
    size_t base;
    h1_header *arr;
    size_t cap;
    size_t *n;
    size_t max_fields;
    int start_line_follows; /* 1 while no field line has been read after the start-line */
    h1_parser *marks;       /* header section: mark candidates for h1_head_analyze; else NULL */
} h1_fields_ctx;
h1_status h1_fields_parse(h1_parser *p, h1_fields_ctx *c, size_t *pos);

/* 1 when a field name may be one h1_head_analyze reads: Host, Expect, Upgrade, Connection,
 * Content-Length, Transfer-Encoding. Their lengths differ, so length and first letter (ASCII
 * case folded; names are tchar) tell them from other fields. */
static inline int h1_field_candidate(const char *name, size_t len)
{
    static const unsigned char first[18] = {
        [4] = 'h', [6] = 'e', [7] = 'u', [10] = 'c', [14] = 'c', [17] = 't'};
    return len < sizeof first && ((unsigned char)name[0] | 0x20) == first[len];
}

/* Notes headers[idx] as a field h1_head_analyze must read. */
static inline void h1_field_mark(h1_parser *p, size_t idx)
{
    if (idx < 64)
        p->field_marks |= (uint64_t)1 << idx;
    else
        p->field_marks_high = 1;
}

/* Derives framing, Host checks and flags from a complete header section in p->base[0..len) (RFC
 * 9112 §3.2, §6.3, §9.3): from the fields stored in p->msg.headers, or, without a header array,
 * from p->facts, which h1_field_meaning filled as the field lines were read. */
h1_status h1_head_analyze(h1_parser *p, size_t len);

/* h1_head_analyze for a head with its fields in p->msg.headers, with a shortcut for the usual
 * request whose only field that matters is a short reg-name Host (h1_head.c's fresh_head; the
 * general path keeps to h1_head_analyze, so tests/test_parser_fast_head.c compares the two). */
h1_status h1_head_analyze_usual(h1_parser *p, size_t len);

/* No header array: field line idx of the header section, h, has been read, its value inside the
 * readable bytes up to limit. Reads the meaning of the field line before it (no obs-fold line
 * can continue that one any more) into p->facts, and keeps h when it is a field that matters
 * there. An error in that meaning waits in p->facts.pending for the end of the head. */
void h1_field_meaning(h1_parser *p, const h1_header *h, size_t idx, const char *limit);

/* Body states. Chunk extension sub-states live in p->ext_state. */
enum {
    H1_BS_DONE,
    H1_BS_LENGTH,
    H1_BS_CLOSE,
    H1_BS_SIZE_START, /* first HEXDIG of chunk-size */
    H1_BS_SIZE,       /* more HEXDIG, or what follows chunk-size */
    H1_BS_EXT,        /* chunk-ext, see ext_state */
    H1_BS_SIZE_LF,    /* CR seen at the end of the chunk-size line */
    H1_BS_DATA,       /* chunk-data */
    H1_BS_DATA_CR,    /* CRLF after chunk-data */
    H1_BS_DATA_LF,
    H1_BS_TRAILERS, /* trailer-section, parsed once whole */
};

/* Sets up the body decoder (h1_body.c) for the framing the head chose. Inline: the head's last
 * step, a call would cost a minimal GET more than the switch. */
static inline void h1_body_start(h1_parser *p)
{
    p->body_received = 0;
    switch (p->msg.framing) {
    case H1_FRAMING_NONE: p->body_state = H1_BS_DONE; break;
    case H1_FRAMING_LENGTH:
        p->remaining = p->msg.content_length;
        p->body_state = p->remaining ? H1_BS_LENGTH : H1_BS_DONE;
        break;
    case H1_FRAMING_CLOSE: p->body_state = H1_BS_CLOSE; break;
    case H1_FRAMING_CHUNKED: p->body_state = H1_BS_SIZE_START; break;
    }
}

/* RFC 9112 §3.2: validates the request-target span at message offset off for method. */
h1_status h1_target_check(h1_parser *p, h1_span target, size_t off, unsigned uri_bits);

/* RFC 9110 §7.2 / RFC 3986 §3.2.2: 1 when s is uri-host [ ":" port ] (port required when
 * need_port). */
int h1_authority_valid(h1_span s, int need_port);

/* h1_authority_valid(v, 0) for a value inside the readable bytes [lo, hi) (RFC 9112 §3.2 Host). */
int h1_host_valid(h1_span v, const char *lo, const char *hi);

/* One SIMD level's build of the head parser (h1_simd_level.h), and its scanners for the tests
 * (tests/test_parser_simd.c compares them with the tables of h1_chars.c). */
typedef struct h1_simd_ops {
    int level; /* H1_SIMD_* of h1_simd_level.h */
    const char *name;
    h1_status (*parse_head)(h1_parser *p, const char *buf, size_t len);
    h1_status (*fields_parse)(h1_parser *p, h1_fields_ctx *c, size_t *pos);
    /* The scanners of h1_simd.h, one call each. */
    size_t (*scan_value)(const unsigned char *b, size_t pos, size_t end);
    size_t (*scan_tchar)(const unsigned char *b, size_t pos, size_t end);
    size_t (*scan_reg)(const unsigned char *b, size_t pos, size_t end);
    size_t (*scan_uri)(const unsigned char *b, size_t pos, size_t end, unsigned *acc);
    uint32_t (*ctl32)(const unsigned char *p);
    uint32_t (*nontchar32)(const unsigned char *p);
    uint32_t (*reg_miss32)(const unsigned char *p);
    void (*classify64)(const unsigned char *p, uint64_t *ctl, uint64_t *nontchar);
    void (*classify_line)(const char *s, uint64_t *ctl, uint64_t *nontchar);
    /* h1_parser_init's zeroing of p up to facts, in the level's widest stores. */
    void (*clear_parser)(h1_parser *p);
} h1_simd_ops;

/* The build of a level ("scalar", "sse2", "ssse3", "avx2"), or NULL when it is not compiled in
 * (not x86-64) or this CPU lacks its instructions. */
const h1_simd_ops *h1_simd_get(const char *name);

/* The build h1_parse_head uses: chosen at the first call, the best this CPU runs, or the one the
 * environment variable CONFORM_SIMD names (scalar, sse2, ssse3, avx2) when this CPU runs it. */
const h1_simd_ops *h1_simd_active(void);

/* Makes the build of level name the one every parser uses from now on (tests; not thread-safe
 * against parsing in other threads). Returns 0, or -1 when h1_simd_get(name) is NULL. */
int h1_simd_force(const char *name);

#endif
