/* conform fuzz: judging exchanges (fuzz_judge.h). */
#include "fuzz_judge.h"

#include <string.h>

bool cf_fuzz_judge_doubtful(const cf_fuzz_obs *o)
{
    /* A reset after every request got its answer changes nothing cf_fuzz_classify looks at; one
     * before may come from the previous input's leftovers. */
    if (o->stopped) return false; /* Ctrl-C: no re-run either */
    return o->not_http || o->timed_out || (o->reset && o->responses < o->requests) ||
           o->responses > o->requests || cf_fuzz_classify(o) != CF_FK_NONE;
}

/* Sends d[0..n) alone with the slow path and classifies what it shows into *v. */
static int rerun(const cf_fuzz_conf *c, const uint8_t *d, size_t n, cf_fuzz_verdict *v,
                 unsigned *count)
{
    v->rerun = true;
    (*count)++;
    if (cf_fuzz_exchange(c, d, n, &v->obs) < 0) return -1;
    v->kind = cf_fuzz_classify(&v->obs);
    return 0;
}

int cf_fuzz_judge(const cf_fuzz_conf *c, cf_fuzz_conn *k, const uint8_t *prev, size_t prev_len,
                  const uint8_t *cur, size_t cur_len, cf_fuzz_judged *j)
{
    memset(j, 0, sizeof *j);
    if (!k) {
        if (cf_fuzz_exchange(c, cur, cur_len, &j->first) < 0) return -1;
        j->path.delivered = !j->first.connect_err;
        j->path.connects = j->first.connect_err ? 0 : 1;
    } else if (cf_fuzz_conn_exchange(c, k, cur, cur_len, &j->first, &j->path) < 0) {
        return -1;
    }
    bool doubt = j->path.reused && !j->first.connect_err && cf_fuzz_judge_doubtful(&j->first);
    if ((j->path.stale || doubt) && prev && prev_len &&
        rerun(c, prev, prev_len, &j->prev, &j->reruns) < 0)
        return -1;
    if (doubt) return rerun(c, cur, cur_len, &j->cur, &j->reruns);
    j->cur.obs = j->first;
    j->cur.kind = cf_fuzz_classify(&j->first);
    return 0;
}
