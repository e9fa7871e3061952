/* conform fuzz: the progress display: one line rewritten in place on a terminal, a plain line
 * every interval otherwise (requests, requests/s, responses, connections opened, findings,
 * elapsed). */
#ifndef CF_FUZZ_PROGRESS_H
#define CF_FUZZ_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Display state; not owned resources (out stays the caller's). */
typedef struct cf_progress {
    FILE *out;
    bool tty;             /* rewrite one line with \r */
    unsigned interval_ms; /* between two lines */
    uint64_t start_ms, last_ms, last_requests;
    bool shown;
} cf_progress;

/* Counts shown. */
typedef struct cf_progress_counts {
    uint64_t requests, responses, findings;
    uint64_t connections; /* opened to the target (keep-alive: far fewer than requests) */
} cf_progress_counts;

/* Starts the display at now_ms: on a tty every 250 ms, otherwise every 10 s. */
void cf_progress_init(cf_progress *p, FILE *out, bool tty, uint64_t now_ms);

/* Shows the counts when the interval passed since the last line (or always when force). */
void cf_progress_tick(cf_progress *p, uint64_t now_ms, const cf_progress_counts *c, bool force);

/* Ends the in-place line on a tty (a newline) so later output starts clean. */
void cf_progress_end(cf_progress *p);

/* Writes a duration of ms as "1h02m03s", "4m05s" or "6.7s" into buf. */
void cf_progress_duration(uint64_t ms, char *buf, size_t cap);

#endif
