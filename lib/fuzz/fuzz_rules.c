/* conform fuzz: the compliance rules an exchange broke (fuzz_rules.h). */
#include "fuzz_rules.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_send_internal.h"
#include "rules_step.h"

/* RFC 9112 §6.3: the framing of a response to HEAD or a 2xx to CONNECT depends on the request
 * method; true when one of the requests the record holds is either. */
static bool method_frames(const cf_step_result *res)
{
    for (size_t i = 0; i < res->nrequests; i++)
        if (cf_fuzz_head_or_connect(res->requests[i].method, res->requests[i].len)) return true;
    return false;
}

int cf_fuzz_rules_check(cf_step_result *res, cf_fuzz_rules *out)
{
    memset(out, 0, sizeof *out);
    int rc = res->paired ? 0 : cf_rules_pair(res, true, NULL);
    if (res->not_http && method_frames(res)) return rc;
    for (size_t i = 0; i < res->nanswers; i++)
        for (size_t k = 0; k < res->answers[i].nfindings; k++) {
            unsigned r = res->answers[i].findings[k].rule;
            if (r < CF_R__COUNT) out->bits[r / 64] |= UINT64_C(1) << (r % 64);
        }
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

const char *cf_fuzz_rule_broken(cf_step_result *res)
{
    cf_fuzz_rules s;
    if (cf_fuzz_rules_check(res, &s) < 0) return NULL;
    return cf_fuzz_rules_first(&s, NULL, NULL);
}
