/* PCRE2 searches for header and body 'matches' checks: unanchored, over raw bytes, with the
 * match, depth and heap limits set explicitly (a spec comes from others, and a backtracking
 * pattern against a large body would otherwise run for minutes). */
#include "check_internal.h"

/* The limits of every search; JIT code (compiled by the spec loader) gets its own stack. */
static pcre2_match_context *limited_context(pcre2_jit_stack **stack)
{
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    if (!mc) return NULL;
    pcre2_set_match_limit(mc, CF_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(mc, CF_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(mc, CF_REGEX_HEAP_LIMIT_KIB);
    *stack = pcre2_jit_stack_create(32 * 1024, CF_REGEX_JIT_STACK, NULL);
    /* without a stack of our own, JIT uses its 32 KiB default: still bounded */
    if (*stack) pcre2_jit_stack_assign(mc, NULL, *stack);
    return mc;
}

int cf_regex_search(const pcre2_code *re, const uint8_t *subject, size_t len, bool partial)
{
    return cf_regex_find(re, subject, len, partial, NULL);
}

int cf_regex_find(const pcre2_code *re, const uint8_t *subject, size_t len, bool partial,
                  size_t span[2])
{
    if (!re) return PCRE2_ERROR_NULL;
    pcre2_jit_stack *stack = NULL;
    pcre2_match_context *mc = limited_context(&stack);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = PCRE2_ERROR_NOMEMORY;
    /* On a prefix, PARTIAL_HARD turns a match that would look past the end (a $, \z, a
     * lookahead, a greedy run reaching the end) into PCRE2_ERROR_PARTIAL: only a match that
     * holds whatever follows counts. */
    uint32_t opts = partial ? PCRE2_PARTIAL_HARD : 0;
    if (mc && md)
        rc = pcre2_match(re, subject ? subject : (const uint8_t *)"", len, 0, opts, md, mc);
    if (rc >= 0 && span) { /* group 1 when the pattern has one (and it took part), else 0 */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        int g = rc > 1 && ov[2] != PCRE2_UNSET ? 1 : 0;
        span[0] = ov[2 * g];
        span[1] = ov[2 * g + 1] >= ov[2 * g] ? ov[2 * g + 1] - ov[2 * g] : 0;
    }
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    pcre2_jit_stack_free(stack);
    if (rc >= 0) return 1;
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return 0;
    return rc;
}

void cf_regex_error(cf_buf *t, int code)
{
    if (code == PCRE2_ERROR_MATCHLIMIT || code == PCRE2_ERROR_DEPTHLIMIT ||
        code == PCRE2_ERROR_HEAPLIMIT || code == PCRE2_ERROR_JIT_STACKLIMIT) {
        cf_buf_str(t, "regular expression hit its match limit");
        return;
    }
    PCRE2_UCHAR msg[160];
    if (pcre2_get_error_message(code, msg, sizeof msg) < 0) {
        cf_buf_fmt(t, "regex error %d", code);
        return;
    }
    cf_buf_fmt(t, "regex error: %s", (const char *)msg);
}
