/* conform fuzz: progress lines (fuzz_progress.h). */
#include "fuzz_progress.h"

void cf_progress_init(cf_progress *p, FILE *out, bool tty, uint64_t now_ms)
{
    p->out = out;
    p->tty = tty;
    p->interval_ms = tty ? 250 : 10000;
    p->start_ms = p->last_ms = now_ms;
    p->last_requests = 0;
    p->shown = false;
}

void cf_progress_duration(uint64_t ms, char *buf, size_t cap)
{
    uint64_t s = ms / 1000;
    if (s >= 3600)
        snprintf(buf, cap, "%lluh%02llum%02llus", (unsigned long long)(s / 3600),
                 (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60));
    else if (s >= 60)
        snprintf(buf, cap, "%llum%02llus", (unsigned long long)(s / 60),
                 (unsigned long long)(s % 60));
    else
        snprintf(buf, cap, "%llu.%llus", (unsigned long long)s,
                 (unsigned long long)(ms % 1000 / 100));
}

void cf_progress_tick(cf_progress *p, uint64_t now_ms, const cf_progress_counts *c, bool force)
{
    if (!force && now_ms - p->last_ms < p->interval_ms) return;
    uint64_t dt = now_ms - p->last_ms;
    double rate = dt ? (double)(c->requests - p->last_requests) * 1000.0 / (double)dt : 0;
    char el[32];
    cf_progress_duration(now_ms - p->start_ms, el, sizeof el);
    fprintf(p->out,
            "%sfuzz: %llu requests, %.0f req/s, %llu responses, %llu connections, %llu finding%s, "
            "%s%s",
            p->tty ? "\r" : "", (unsigned long long)c->requests, rate,
            (unsigned long long)c->responses, (unsigned long long)c->connections,
            (unsigned long long)c->findings, c->findings == 1 ? "" : "s", el,
            p->tty ? "\033[K" : "\n");
    fflush(p->out);
    p->last_ms = now_ms;
    p->last_requests = c->requests;
    p->shown = true;
}

void cf_progress_end(cf_progress *p)
{
    if (p->tty && p->shown) fputc('\n', p->out);
    p->shown = false;
}
