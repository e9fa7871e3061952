/* conform run: the worker pool and the ordered hand-back of results (run_pool.h). */
#include "run_pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util_buf.h"

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const cf_case *const *cases;
    size_t n, next, finished;
    size_t shown;  /* results handed back so far */
    size_t window; /* a case starts only when fewer than window results wait to be handed back */
    bool *done;
    const cf_run_config *cfg;
    cf_case_result *results; /* case i's is results[i % nresults] */
    size_t nresults;
    bool owned; /* results is the pool's ring of window entries: freed after each hand-back */
} pool;

/* True once the run is stopped (cf_run_config.stop): no case starts any more. */
static bool stopped(const pool *p)
{
    return p->cfg->stop && *p->cfg->stop;
}

static cf_case_result *result_of(pool *p, size_t i)
{
    return &p->results[i % p->nresults];
}

/* Runs one case; a harness that ran out of memory still yields an ERROR result. */
static void run_one(pool *p, size_t i)
{
    const cf_run_config *cfg = p->cfg;
    cf_case_result *r = result_of(p, i);
    char err[2048];
    if (cfg->case_begin && cfg->case_begin(p->cases[i], cfg->case_ud, err, sizeof err) != 0) {
        memset(r, 0, sizeof *r);
        r->c = p->cases[i];
        r->verdict = CF_VERDICT_ERROR;
        r->failed_step = SIZE_MAX;
        r->error = cf_strfmt("%s", err);
        return;
    }
    if (cf_run_case(p->cases[i], cfg, r) < 0) {
        memset(r, 0, sizeof *r);
        r->c = p->cases[i];
        r->verdict = CF_VERDICT_ERROR;
        r->failed_step = SIZE_MAX;
    }
    if (cfg->case_end) cfg->case_end(p->cases[i], r, cfg->case_ud);
}

/* Hands the result of case i to done (not one abandoned when the run was stopped: it has no
 * verdict); the pool's own ring entry is freed for the next case. */
static void hand_back(pool *p, size_t i, cf_run_done_fn done, void *ud)
{
    cf_case_result *r = result_of(p, i);
    if (done && !r->interrupted) done(i, r, ud);
    if (p->owned) cf_case_result_free(r);
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
            progress(f, p->n, p->cases[p->shown]->id, ud);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        wait_workers(p);
    }
    pthread_mutex_unlock(&p->mu);
}

int cf_run_pool(const cf_case *const *cases, size_t n, unsigned jobs, const cf_run_config *cfg,
                cf_case_result *results, cf_run_done_fn done, cf_run_progress_fn progress, void *ud)
{
    if (n == 0) return 0;
    pool p = {.cases = cases, .n = n, .cfg = cfg, .results = results, .nresults = n};
    p.window = (size_t)(jobs ? jobs : 1) * CF_RUN_POOL_WINDOW_PER_JOB;
    if (!results) {
        p.owned = true;
        p.nresults = p.window < n ? p.window : n;
        p.results = calloc(p.nresults, sizeof *p.results);
    }
    p.done = calloc(n, sizeof *p.done);
    if (jobs == 0) jobs = 1;
    if (jobs > n) jobs = (unsigned)n;
    pthread_t *tids = calloc(jobs, sizeof *tids);
    if (!p.done || !tids || !p.results) {
        free(p.done);
        free(tids);
        if (p.owned) free(p.results);
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
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    free(tids);
    free(p.done);
    if (p.owned) free(p.results);
    return 0;
}
