/* conform run: the worker pool and the ordered hand-back of results (run_pool.h). */
#include "run_pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util_buf.h"

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    cf_spec_index *ix;
    size_t n, next, finished;
    size_t shown;  /* results handed back so far */
    size_t window; /* a case starts only when fewer than window results wait to be handed back */
    bool *done;
    const cf_run_config *cfg;
    cf_case_result *results; /* case i's is results[i % nresults], a ring of window entries */
    size_t nresults;
    size_t *held;   /* per ring entry: the case it acquired from the index, or SIZE_MAX */
    bool broken;    /* a case's file could not be loaded again: no case starts any more */
    char why[2048]; /* why, for cf_run_pool's caller */
} pool;

/* True once the run is stopped (cf_run_config.stop) or broken: no case starts any more. */
static bool stopped(const pool *p)
{
    return p->broken || (p->cfg->stop && *p->cfg->stop);
}

static cf_case_result *result_of(pool *p, size_t i)
{
    return &p->results[i % p->nresults];
}

/* Runs one case; a harness that ran out of memory still yields an ERROR result. A case whose
 * file cannot be loaded again breaks the pool and is abandoned (no verdict). */
static void run_one(pool *p, size_t i)
{
    const cf_run_config *cfg = p->cfg;
    cf_case_result *r = result_of(p, i);
    char err[2048];
    const cf_case *c = cf_spec_index_acquire(p->ix, i, err, sizeof err);
    if (!c) {
        memset(r, 0, sizeof *r);
        r->interrupted = true;
        pthread_mutex_lock(&p->mu);
        if (!p->broken) snprintf(p->why, sizeof p->why, "%s", err);
        p->broken = true;
        pthread_mutex_unlock(&p->mu);
        return;
    }
    p->held[i % p->nresults] = i;
    if (cfg->case_begin && cfg->case_begin(c, cfg->case_ud, err, sizeof err) != 0) {
        memset(r, 0, sizeof *r);
        r->c = c;
        r->verdict = CF_VERDICT_ERROR;
        r->failed_step = SIZE_MAX;
        r->error = cf_strfmt("%s", err);
        return;
    }
    if (cf_run_case(c, i, cfg, r) < 0) {
        memset(r, 0, sizeof *r);
        r->c = c;
        r->verdict = CF_VERDICT_ERROR;
        r->failed_step = SIZE_MAX;
    }
    if (cfg->case_end) cfg->case_end(c, r, cfg->case_ud);
}

/* Gives case i back to the index once nothing reads it any more. */
static void release(pool *p, size_t i)
{
    size_t *h = &p->held[i % p->nresults];
    if (*h != SIZE_MAX) cf_spec_index_release(p->ix, *h);
    *h = SIZE_MAX;
}

/* Hands the result of case i to done (not one abandoned when the run was stopped: it has no
 * verdict); the ring entry is freed for a later case, and the case given back. */
static void hand_back(pool *p, size_t i, cf_run_done_fn done, void *ud)
{
    cf_case_result *r = result_of(p, i);
    if (done && !r->interrupted) done(i, r, ud);
    cf_case_result_free(r);
    release(p, i);
}

static void *worker(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->mu);
    while (p->next < p->n && !stopped(p)) {
        if (p->next - p->shown >= p->window) { /* back-pressure: the hand-back lags behind */
            pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        run_one(p, i);
        pthread_mutex_lock(&p->mu);
        p->done[i] = true;
        p->finished++;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Waits for a worker to move; a stoppable run wakes every 100 ms to see the stop. */
static void wait_workers(pool *p)
{
    if (!p->cfg->stop) {
        pthread_cond_wait(&p->cv, &p->mu);
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 100 * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&p->cv, &p->mu, &ts);
}

/* Hands back results in order as they become available. Once the run is stopped and no case
 * runs any more, the cases that finished are handed back, in order, and the others never. */
static void stream(pool *p, cf_run_done_fn done, cf_run_progress_fn progress, void *ud)
{
    size_t last_finished = (size_t)-1;
    pthread_mutex_lock(&p->mu);
    while (p->shown < p->n) {
        size_t shown = p->shown;
        if (!p->done[shown] && stopped(p) && p->finished == p->next) {
            p->shown++; /* never started, or started before the stop and not finished */
            pthread_cond_broadcast(&p->cv); /* a worker waiting for room sees the stop */
            continue;
        }
        if (p->done[shown]) {
            pthread_mutex_unlock(&p->mu);
            hand_back(p, shown, done, ud);
            pthread_mutex_lock(&p->mu);
            p->shown++;
            pthread_cond_broadcast(&p->cv); /* a worker may wait for room in the window */
            continue;
        }
        if (progress && p->finished != last_finished) {
            size_t f = p->finished;
            last_finished = f;
            pthread_mutex_unlock(&p->mu);
            progress(f, p->n, cf_spec_index_id(p->ix, shown), ud);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        wait_workers(p);
    }
    pthread_mutex_unlock(&p->mu);
}

int cf_run_pool(cf_spec_index *ix, unsigned jobs, const cf_run_config *cfg, cf_run_done_fn done,
                cf_run_progress_fn progress, void *ud, char *err, size_t errlen)
{
    size_t n = cf_spec_index_count(ix);
    if (n == 0) return 0;
    pool p = {.ix = ix, .n = n, .cfg = cfg};
    p.window = (size_t)(jobs ? jobs : 1) * CF_RUN_POOL_WINDOW_PER_JOB;
    p.nresults = p.window < n ? p.window : n;
    p.results = calloc(p.nresults, sizeof *p.results);
    p.held = malloc(p.nresults * sizeof *p.held);
    for (size_t i = 0; p.held && i < p.nresults; i++)
        p.held[i] = SIZE_MAX;
    p.done = calloc(n, sizeof *p.done);
    if (jobs == 0) jobs = 1;
    if (jobs > n) jobs = (unsigned)n;
    pthread_t *tids = calloc(jobs, sizeof *tids);
    if (!p.done || !tids || !p.results || !p.held) {
        free(p.done);
        free(tids);
        free(p.results);
        free(p.held);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    unsigned started = 0;
    for (; started < jobs; started++)
        if (pthread_create(&tids[started], NULL, worker, &p) != 0) break;
    if (started == 0) { /* no thread could start: run each case here, then hand it back */
        for (size_t i = 0; i < n && !stopped(&p); i++) {
            run_one(&p, i);
            hand_back(&p, i, done, ud);
        }
    } else {
        stream(&p, done, progress, ud);
    }
    for (unsigned i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    for (size_t i = 0; i < p.nresults; i++) { /* cases never handed back */
        cf_case_result_free(&p.results[i]);
        release(&p, i);
    }
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    free(tids);
    free(p.done);
    free(p.results);
    free(p.held);
    if (p.broken) snprintf(err, errlen, "%s", p.why);
    return p.broken ? -1 : 0;
}
