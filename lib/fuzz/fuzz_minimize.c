/* conform fuzz: ddmin over lines, then bytes (fuzz_minimize.h). */
#include "fuzz_minimize.h"

#include <stdlib.h>
#include <string.h>

typedef struct minctx {
    cf_min_test test;
    void *ud;
    unsigned max_tries, tries;
    cf_buf cur, cand;
    size_t *cuts; /* unit i is cur[cuts[i]..cuts[i+1]) */
    size_t ncuts, cap;
} minctx;

/* Unit boundaries of cur: after each LF (lines) or every byte. Returns the unit count or -1. */
static long cut_units(minctx *m, bool lines)
{
    size_t need = m->cur.len + 2;
    if (need > m->cap) {
        size_t *p = realloc(m->cuts, need * sizeof *p);
        if (!p) return -1;
        m->cuts = p;
        m->cap = need;
    }
    m->ncuts = 0;
    m->cuts[m->ncuts++] = 0;
    for (size_t i = 0; i < m->cur.len; i++)
        if (!lines || cf_buf_bytes(&m->cur)[i] == '\n' || i + 1 == m->cur.len)
            m->cuts[m->ncuts++] = i + 1;
    if (m->cuts[m->ncuts - 1] != m->cur.len) m->cuts[m->ncuts++] = m->cur.len;
    return (long)m->ncuts - 1;
}

/* Tries cur without units [a, b); keeps it when the test passes. 1 kept, 0 not, -1 memory. */
static int try_without(minctx *m, size_t a, size_t b)
{
    size_t from = m->cuts[a], to = m->cuts[b];
    if (to - from == m->cur.len) return 0; /* never the empty input */
    m->cand.len = 0;
    if (cf_buf_add(&m->cand, cf_buf_bytes(&m->cur), from) < 0 ||
        cf_buf_add(&m->cand, cf_buf_bytes(&m->cur) + to, m->cur.len - to) < 0)
        return -1;
    m->tries++;
    if (!m->test(cf_buf_bytes(&m->cand), m->cand.len, m->ud)) return 0;
    cf_buf t = m->cur;
    m->cur = m->cand;
    m->cand = t;
    return 1;
}

/* One ddmin pass over lines or bytes. 0 or -1 (memory). */
static int ddmin(minctx *m, bool lines)
{
    size_t n = 2;
    for (;;) {
        long lu = cut_units(m, lines);
        if (lu < 0) return -1;
        size_t u = (size_t)lu;
        if (u < 2) return 0;
        if (n > u) n = u;
        size_t chunk = (u + n - 1) / n;
        int kept = 0;
        for (size_t i = 0; i * chunk < u && !kept; i++) {
            if (m->tries >= m->max_tries) return 0;
            size_t b = (i + 1) * chunk < u ? (i + 1) * chunk : u;
            kept = try_without(m, i * chunk, b);
            if (kept < 0) return -1;
        }
        if (kept) {
            n = n > 2 ? n - 1 : 2;
        } else {
            if (n >= u) return 0;
            n = 2 * n < u ? 2 * n : u;
        }
    }
}

int cf_minimize(const uint8_t *in, size_t len, cf_min_test test, void *ud, unsigned max_tries,
                cf_buf *out, unsigned *tries)
{
    minctx m = {.test = test, .ud = ud, .max_tries = max_tries};
    int rc = cf_buf_add(&m.cur, in, len);
    if (rc == 0) rc = ddmin(&m, true);
    if (rc == 0) rc = ddmin(&m, false);
    out->len = 0;
    if (rc == 0)
        rc = cf_buf_add(out, cf_buf_bytes(&m.cur) ? cf_buf_bytes(&m.cur) : (const uint8_t *)"",
                        m.cur.len);
    if (tries) *tries = m.tries;
    cf_buf_free(&m.cur);
    cf_buf_free(&m.cand);
    free(m.cuts);
    return rc;
}
