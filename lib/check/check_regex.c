/* PCRE2 searches for header and body 'matches' checks: unanchored, over raw bytes. */
#include "check_internal.h"

int cf_regex_search(const pcre2_code *re, const uint8_t *subject, size_t len, bool partial)
{
    if (!re) return PCRE2_ERROR_NULL;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) return PCRE2_ERROR_NOMEMORY;
    /* On a prefix, PARTIAL_HARD turns a match that would look past the end (a $, \z, a
     * lookahead, a greedy run reaching the end) into PCRE2_ERROR_PARTIAL: only a match that
     * holds whatever follows counts. */
    uint32_t opts = partial ? PCRE2_PARTIAL_HARD : 0;
    int rc = pcre2_match(re, subject ? subject : (const uint8_t *)"", len, 0, opts, md, NULL);
    pcre2_match_data_free(md);
    if (rc >= 0) return 1;
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return 0;
    return rc;
}

void cf_regex_error(cf_buf *t, int code)
{
    PCRE2_UCHAR msg[160];
    if (pcre2_get_error_message(code, msg, sizeof msg) < 0) {
        cf_buf_fmt(t, "regex error %d", code);
        return;
    }
    cf_buf_fmt(t, "regex error: %s", (const char *)msg);
}
