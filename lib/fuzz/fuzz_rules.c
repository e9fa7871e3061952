/* conform fuzz: the compliance rules an exchange broke (fuzz_rules.h). */
#include "fuzz_rules.h"

#include <stdlib.h>
#include <string.h>

#include "rules_step.h"
#include "exchange_collect.h"

/* cf_rules_step's callback: adds every rule a response broke to the set. */
static bool add_findings(const cf_rules_seen *v, void *ud)
{
    cf_fuzz_rules *s = ud;
    for (size_t i = 0; i < v->nfindings; i++) {
        int k = cf_rule_find(v->findings[i].rule_id, strlen(v->findings[i].rule_id));
        if (k >= 0) s->bits[k / 64] |= UINT64_C(1) << (k % 64);
    }
    return true;
}

/* RFC 9112 §6.3: the framing of a response to HEAD or a 2xx to CONNECT depends on the request
 * method; true when one of reqs[0..n) is either. */
static bool method_frames(const cf_pending *reqs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((reqs[i].len == 4 && !memcmp(reqs[i].method, "HEAD", 4)) ||
            (reqs[i].len == 7 && !memcmp(reqs[i].method, "CONNECT", 7)))
            return true;
    return false;
}

int cf_fuzz_rules_check(const uint8_t *sent, size_t len, const cf_step_result *res,
                        cf_fuzz_rules *out)
{
    memset(out, 0, sizeof *out);
    /* One parse of the bytes in the common case (a few requests); a second when they hold more. */
    cf_pending few[8], *reqs = few;
    size_t n = cf_collect_methods(sent, len, few, 8);
    if (n > 8) {
        reqs = calloc(n, sizeof *reqs);
        if (!reqs) return -1;
        cf_collect_methods(sent, len, reqs, n);
    }
    int rc = 0;
    if (!(res->not_http && method_frames(reqs, n)))
        rc = cf_rules_step(reqs, n, res, true, add_findings, out, NULL);
    if (reqs != few) free(reqs);
    return rc;
}

bool cf_fuzz_rules_has(const cf_fuzz_rules *s, const char *id)
{
    int k = id ? cf_rule_find(id, strlen(id)) : -1;
    return k >= 0 && (s->bits[k / 64] >> (k % 64) & 1);
}

const char *cf_fuzz_rules_first(const cf_fuzz_rules *s, bool (*fresh)(const char *id, void *ud),
                                void *ud)
{
    for (size_t k = 0; k < CF_R__COUNT; k++) {
        if (!(s->bits[k / 64] >> (k % 64) & 1)) continue;
        const char *id = cf_rule_id(k);
        if (!fresh || fresh(id, ud)) return id;
    }
    return NULL;
}

const char *cf_fuzz_rule_broken(const uint8_t *sent, size_t len, const cf_step_result *res)
{
    cf_fuzz_rules s;
    if (cf_fuzz_rules_check(sent, len, res, &s) < 0) return NULL;
    return cf_fuzz_rules_first(&s, NULL, NULL);
}
