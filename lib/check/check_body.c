/* Body checks on the decoded content (RFC 9112 §6, §7.1): equals, contains, matches, length,
 * empty, non-empty. When only part of the body is at hand (the runner's cap truncated it, or the
 * response did not complete), a check passes only if the part proves it; otherwise it fails and
 * says why it cannot pass. */
#include "check_internal.h"

#include <string.h>

/* Whether the whole content is at hand. */
static bool whole(const cf_obs_response *r)
{
    return r->complete && !r->body_truncated && r->body_total <= r->body_len;
}

/* Why the content is not whole: "body truncated at 65536 of 100000 bytes" and the like. */
static void partial_note(cf_buf *t, const cf_obs_response *r)
{
    unsigned long long total = (unsigned long long)r->body_total;
    cf_buf_str(t, ", cannot pass: ");
    if (!r->complete) cf_buf_fmt(t, "response incomplete (%llu body bytes received)", total);
    if (!r->complete && r->body_len < r->body_total) cf_buf_str(t, ", ");
    if (r->body_len < r->body_total)
        cf_buf_fmt(t, "body truncated at %zu of %llu bytes", r->body_len, total);
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    if (m == 0) return true;
    for (size_t i = 0; i + m <= n; i++)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, m)) return true;
    return false;
}

void cf_describe_body(cf_buf *t, const cf_body_check *b)
{
    switch (b->op) {
    case CF_BODY_EQUALS:
        cf_buf_str(t, "body equals ");
        cf_text_quote(t, b->bytes, b->bytes_len, b->bytes_len);
        break;
    case CF_BODY_CONTAINS:
        cf_buf_str(t, "body contains ");
        cf_text_quote(t, b->bytes, b->bytes_len, b->bytes_len);
        break;
    case CF_BODY_MATCHES:
        cf_buf_str(t, "body matches ");
        cf_text_pattern(t, b->pattern);
        break;
    case CF_BODY_LENGTH: cf_buf_fmt(t, "body length %zu", b->length); break;
    case CF_BODY_EMPTY: cf_buf_str(t, "body empty"); break;
    case CF_BODY_NONEMPTY: cf_buf_str(t, "body non-empty"); break;
    }
}

static void expected_value(cf_buf *t, const cf_body_check *b)
{
    switch (b->op) {
    case CF_BODY_EQUALS: cf_text_quote(t, b->bytes, b->bytes_len, b->bytes_len); break;
    case CF_BODY_CONTAINS:
        cf_buf_str(t, "to contain ");
        cf_text_quote(t, b->bytes, b->bytes_len, b->bytes_len);
        break;
    case CF_BODY_MATCHES:
        cf_buf_str(t, "to match ");
        cf_text_pattern(t, b->pattern);
        break;
    case CF_BODY_LENGTH: cf_buf_fmt(t, "%zu byte%s", b->length, b->length == 1 ? "" : "s"); break;
    case CF_BODY_EMPTY: cf_buf_str(t, "empty"); break;
    case CF_BODY_NONEMPTY: cf_buf_str(t, "non-empty"); break;
    }
}

/* Verdicts of one body check. */
enum verdict { HOLDS, FAILS, UNDECIDED };

/* equals: a differing byte or a longer body decides even on a prefix. */
static enum verdict judge_equals(const cf_body_check *b, const cf_obs_response *r)
{
    size_t n = r->body_len < b->bytes_len ? r->body_len : b->bytes_len;
    if (r->body_total > b->bytes_len || (n && memcmp(r->body, b->bytes, n))) return FAILS;
    if (!whole(r)) return r->complete && r->body_total < b->bytes_len ? FAILS : UNDECIDED;
    return r->body_len == b->bytes_len ? HOLDS : FAILS;
}

static enum verdict judge(const cf_body_check *b, const cf_obs_response *r, int *rx)
{
    bool w = whole(r);
    switch (b->op) {
    case CF_BODY_EQUALS: return judge_equals(b, r);
    case CF_BODY_CONTAINS:
        if (contains(r->body, r->body_len, b->bytes, b->bytes_len)) return HOLDS;
        return w ? FAILS : UNDECIDED;
    case CF_BODY_MATCHES:
        *rx = cf_regex_search(b->re, r->body, r->body_len, !w);
        if (*rx == 1) return HOLDS;
        return w || *rx < 0 ? FAILS : UNDECIDED;
    case CF_BODY_LENGTH:
        /* body_total counts bytes past the cap, so a complete response knows its length. */
        if (r->body_total > b->length) return FAILS;
        return !r->complete ? UNDECIDED : r->body_total == b->length ? HOLDS : FAILS;
    case CF_BODY_EMPTY:
        if (r->body_total > 0) return FAILS;
        return r->complete ? HOLDS : UNDECIDED;
    case CF_BODY_NONEMPTY:
        if (r->body_total > 0) return HOLDS;
        return r->complete ? FAILS : UNDECIDED;
    }
    return FAILS;
}

/* ", found ..." for a failed check. */
static void found(cf_buf *t, const cf_body_check *b, const cf_obs_response *r, int rx)
{
    unsigned long long total = (unsigned long long)r->body_total;
    const char *more = r->complete ? "" : " so far";
    if (rx < 0) {
        cf_buf_str(t, ", ");
        cf_regex_error(t, rx);
    } else if (b->op == CF_BODY_LENGTH) {
        cf_buf_fmt(t, ", found %llu%s", total, more);
    } else if (r->body_total == 0) {
        cf_buf_fmt(t, ", found empty%s", more);
    } else if (b->op == CF_BODY_CONTAINS) {
        cf_buf_fmt(t, ", not found in %llu bytes", total);
    } else {
        cf_buf_str(t, ", found ");
        if (b->op == CF_BODY_EMPTY) cf_buf_fmt(t, "%llu bytes%s: ", total, more);
        cf_text_quote(t, r->body, r->body_len, r->body_total);
    }
}

bool cf_check_body(const cf_body_check *b, const cf_obs_response *resp, bool capped,
                   const char *prefix, cf_fail_list *fails)
{
    int rx = 0;
    enum verdict v = resp ? judge(b, resp, &rx) : FAILS;
    if (v == HOLDS) return true;
    cf_buf t = {0};
    cf_buf_str(&t, "body: expected ");
    expected_value(&t, b);
    /* The rest of the body was hidden by conform's own caps (--max-body keeps a prefix, or
     * reading stopped at a cap): not judged, neither pass nor fail. */
    if (v == UNDECIDED && (resp->complete || capped)) {
        cf_buf_str(&t, ", not judged: ");
        if (resp->body_len < resp->body_total)
            cf_buf_fmt(&t, "body kept to %zu of %llu bytes (--max-body)", resp->body_len,
                       (unsigned long long)resp->body_total);
        else
            cf_buf_str(&t, "the rest of the body was not read (reading stopped at the cap)");
        cf_skip_add(fails, prefix, &t);
        return true;
    }
    if (!resp)
        cf_buf_str(&t, ", no response");
    else if (v == UNDECIDED)
        partial_note(&t, resp);
    else
        found(&t, b, resp, rx);
    cf_fail_add(fails, prefix, &t);
    return false;
}
