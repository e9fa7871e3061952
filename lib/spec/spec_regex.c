/* The per-file regex cache (spec_regex.h): a hash table from pattern bytes to compiled code. */
#include "spec_regex.h"

#include <stdlib.h>
#include <string.h>

typedef struct cf_rx_slot {
    uint8_t *key; /* NULL: empty slot */
    size_t len;
    pcre2_code *re;
} cf_rx_slot;

/* FNV-1a: patterns come from one file, so a simple hash is enough. */
static size_t hash(const uint8_t *p, size_t len)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return (size_t)h;
}

static cf_rx_slot *find(const cf_rx_cache *c, const uint8_t *p, size_t len)
{
    size_t mask = c->cap - 1;
    for (size_t i = hash(p, len) & mask;; i = (i + 1) & mask) {
        cf_rx_slot *s = &c->slots[i];
        if (!s->key || (s->len == len && !memcmp(s->key, p, len))) return s;
    }
}

/* Keeps the table at most half full. */
static int grow(cf_rx_cache *c)
{
    if (c->cap && (c->n + 1) * 2 <= c->cap) return 0;
    cf_rx_cache bigger = {.cap = c->cap ? c->cap * 2 : 64, .n = c->n, .bytes = c->bytes};
    bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
    if (!bigger.slots) return -1;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].key) *find(&bigger, c->slots[i].key, c->slots[i].len) = c->slots[i];
    free(c->slots);
    *c = bigger;
    return 0;
}

/* Compiles p with JIT where PCRE2 has it (a failed JIT compile leaves the interpreter, which
 * is correct, only slower); *size is the memory the result holds. */
static pcre2_code *compile(const uint8_t *p, size_t len, int *err, size_t *off, size_t *size)
{
    PCRE2_SIZE o = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)p, len, 0, err, &o, NULL);
    *off = (size_t)o;
    if (!re) return NULL;
    /* check_regex.c matches whole bodies and, on prefixes, with PARTIAL_HARD */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
    size_t code = 0, jit = 0;
    pcre2_pattern_info(re, PCRE2_INFO_SIZE, &code);
    if (pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &jit) != 0) jit = 0;
    *size = code + jit;
    return re;
}

cf_rx_status cf_rx_get(cf_rx_cache *c, const uint8_t *p, size_t len, pcre2_code **re, int *err,
                       size_t *off)
{
    *re = NULL;
    if (grow(c)) return CF_RX_NOMEM;
    cf_rx_slot *s = find(c, p, len);
    if (s->key) {
        *re = s->re;
        return CF_RX_OK;
    }
    size_t size = 0;
    pcre2_code *code = compile(p, len, err, off, &size);
    if (!code) return CF_RX_BAD;
    if (size > CF_SPEC_MAX_REGEX_BYTES - c->bytes) {
        pcre2_code_free(code);
        return CF_RX_TOO_BIG;
    }
    uint8_t *key = malloc(len ? len : 1);
    if (!key) {
        pcre2_code_free(code);
        return CF_RX_NOMEM;
    }
    if (len) memcpy(key, p, len);
    *s = (cf_rx_slot){key, len, code};
    c->n++;
    c->bytes += size;
    *re = code;
    return CF_RX_OK;
}

void cf_rx_release(cf_rx_cache *c, pcre2_code ***codes, size_t *n)
{
    *codes = c->n ? malloc(c->n * sizeof **codes) : NULL;
    *n = 0;
    for (size_t i = 0; i < c->cap; i++) {
        cf_rx_slot *s = &c->slots[i];
        if (!s->key) continue;
        free(s->key);
        if (*codes)
            (*codes)[(*n)++] = s->re;
        else
            pcre2_code_free(s->re);
    }
    free(c->slots);
    *c = (cf_rx_cache){0};
}
