/* Merging the reports of a sharded run (report_merge.h). */
#include "report_merge.h"

#include "report_json_read.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The spec files of one target of one part, in the order its cases came (each file once: the
 * cases of a file are contiguous in load order). */
typedef struct file_seq {
    const char **v;
    size_t n, pos;
} file_seq;

/* One case to place: where it comes from and the rank of its file. */
typedef struct slot {
    cf_report_case *c;
    size_t rank, part, index;
} slot;

static const char *file_of(const cf_report_case *c)
{
    return c->file ? c->file : "";
}

/* True when name is in s past its head (another sequence must place it first). */
static bool later_in(const file_seq *s, const char *name)
{
    for (size_t i = s->pos + 1; i < s->n; i++)
        if (!strcmp(s->v[i], name)) return true;
    return false;
}

/* Merges the sequences into one order of files (out, at most the sum of their lengths): each
 * is a subsequence of the order the specs were loaded in, so a head that is nowhere else but at
 * a head comes next. Returns the number of files. */
static size_t merge_orders(file_seq *seqs, size_t nseqs, const char **out)
{
    size_t n = 0;
    for (;;) {
        const char *next = NULL, *first = NULL;
        for (size_t s = 0; s < nseqs && !next; s++) {
            if (seqs[s].pos >= seqs[s].n) continue;
            const char *h = seqs[s].v[seqs[s].pos];
            if (!first) first = h;
            bool ok = true;
            for (size_t k = 0; k < nseqs && ok; k++)
                ok = k == s || !later_in(&seqs[k], h);
            if (ok) next = h;
        }
        if (!first) return n;
        if (!next) next = first; /* orders that disagree: any head, rather than none */
        out[n++] = next;
        for (size_t s = 0; s < nseqs; s++)
            if (seqs[s].pos < seqs[s].n && !strcmp(seqs[s].v[seqs[s].pos], next)) seqs[s].pos++;
    }
}

static int cmp_slot(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    if (x->c->line != y->c->line) return x->c->line < y->c->line ? -1 : 1;
    if (x->part != y->part) return x->part < y->part ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_slot_id(const void *a, const void *b)
{
    return strcmp(((const slot *)a)->c->id, ((const slot *)b)->c->id);
}

/* The rank of file name in order[0..n). */
static size_t rank_of(const char **order, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(order[i], name)) return i;
    return n;
}

/* The files of every target of every part, in one order; NULL when memory ran out. */
static const char **file_order(const cf_report *parts, size_t n, size_t *nfiles)
{
    size_t nseqs = n * parts[0].ntargets, total = 0;
    file_seq *seqs = calloc(nseqs ? nseqs : 1, sizeof *seqs);
    for (size_t p = 0; p < n; p++)
        for (size_t t = 0; t < parts[p].ntargets; t++)
            total += parts[p].targets[t].ncases;
    const char **all = calloc(total ? total : 1, sizeof *all);
    const char **order = calloc(total ? total : 1, sizeof *order);
    if (!seqs || !all || !order) {
        free(seqs);
        free(all);
        free(order);
        return NULL;
    }
    size_t k = 0, s = 0;
    for (size_t p = 0; p < n; p++)
        for (size_t t = 0; t < parts[p].ntargets; t++, s++) {
            const cf_report_target *x = &parts[p].targets[t];
            seqs[s].v = all + k;
            for (size_t i = 0; i < x->ncases; i++)
                if (!seqs[s].n || strcmp(seqs[s].v[seqs[s].n - 1], file_of(&x->cases[i])))
                    seqs[s].v[seqs[s].n++] = file_of(&x->cases[i]);
            k += seqs[s].n;
        }
    *nfiles = merge_orders(seqs, nseqs, order);
    free(seqs);
    free(all);
    return order;
}

/* Checks that the parts are of one run. Returns 0, or -1 with a message. */
static int check_parts(const cf_report *parts, const char *const *names, size_t n, char *err,
                       size_t errlen)
{
    for (size_t p = 1; p < n; p++) {
        const cf_report *a = &parts[0], *b = &parts[p];
        const char *what = NULL;
        if (a->ntargets != b->ntargets)
            what = "their numbers of targets differ";
        else if (a->strict != b->strict)
            what = "one ran with --strict, the other not";
        else if (a->rules != b->rules)
            what = "their --rules differ";
        for (size_t t = 0; !what && t < a->ntargets; t++)
            if (strcmp(a->targets[t].name ? a->targets[t].name : "",
                       b->targets[t].name ? b->targets[t].name : ""))
                what = "their targets differ";
        if (what) {
            snprintf(err, errlen, "%s and %s are not shards of one run: %s", names[0], names[p],
                     what);
            return -1;
        }
    }
    return 0;
}

/* Gathers target t of every part into slots (in spec order); refuses an id in two parts.
 * Returns the slots (count in *ns), or NULL with a message (or for memory). */
static slot *gather(cf_report *parts, const char *const *names, size_t n, size_t t,
                    const char **order, size_t nfiles, size_t *ns, char *err, size_t errlen)
{
    size_t total = 0;
    for (size_t p = 0; p < n; p++)
        total += parts[p].targets[t].ncases;
    slot *v = calloc(total ? total : 1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    size_t k = 0;
    for (size_t p = 0; p < n; p++)
        for (size_t i = 0; i < parts[p].targets[t].ncases; i++) {
            cf_report_case *c = &parts[p].targets[t].cases[i];
            v[k++] = (slot){c, rank_of(order, nfiles, file_of(c)), p, i};
        }
    qsort(v, total, sizeof *v, cmp_slot_id);
    for (size_t i = 1; i < total; i++)
        if (!strcmp(v[i - 1].c->id, v[i].c->id)) {
            snprintf(err, errlen,
                     "case %s of target %s is in both %s and %s (merge each shard once)",
                     v[i].c->id, parts[0].targets[t].name, names[v[i - 1].part], names[v[i].part]);
            free(v);
            return NULL;
        }
    qsort(v, total, sizeof *v, cmp_slot);
    *ns = total;
    return v;
}

/* Moves target t of every part into out's target t. Returns 0, or -1 with a message. */
static int merge_target(cf_report *parts, const char *const *names, size_t n, size_t t,
                        const char **order, size_t nfiles, cf_report_target *out, char *err,
                        size_t errlen)
{
    size_t ns = 0;
    slot *v = gather(parts, names, n, t, order, nfiles, &ns, err, errlen);
    if (!v) return -1;
    cf_report_case *cases = calloc(ns ? ns : 1, sizeof *cases);
    if (!cases) {
        free(v);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memset(out->counts, 0, sizeof out->counts);
    for (size_t i = 0; i < ns; i++) {
        cases[i] = *v[i].c;
        memset(v[i].c, 0, sizeof *v[i].c); /* moved */
        if (cases[i].verdict < CF_RV__COUNT) out->counts[cases[i].verdict]++;
    }
    free(v);
    for (size_t p = 0; p < n; p++) {
        cf_report_target *x = &parts[p].targets[t];
        if (x->elapsed_ms > out->elapsed_ms) out->elapsed_ms = x->elapsed_ms;
        if (x == out) continue;
        free(x->cases); /* every case moved */
        x->cases = NULL;
        x->ncases = 0;
    }
    free(out->cases);
    out->cases = cases;
    out->ncases = ns;
    return 0;
}

int cf_report_merge(cf_report *parts, const char *const *names, size_t n, cf_report *out, char *err,
                    size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (n == 0) {
        snprintf(err, errlen, "no report to merge");
        return -1;
    }
    int rc = check_parts(parts, names, n, err, errlen);
    size_t nfiles = 0;
    const char **order = rc == 0 ? file_order(parts, n, &nfiles) : NULL;
    if (rc == 0 && !order) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    for (size_t t = 0; rc == 0 && t < parts[0].ntargets; t++) /* into the first part */
        rc = merge_target(parts, names, n, t, order, nfiles, &parts[0].targets[t], err, errlen);
    for (size_t p = 1; rc == 0 && p < n; p++) {
        if (parts[p].started_at && parts[0].started_at &&
            strcmp(parts[p].started_at, parts[0].started_at) < 0) {
            char *s = parts[p].started_at; /* the earliest start (RFC 3339, UTC) */
            parts[p].started_at = parts[0].started_at;
            parts[0].started_at = s;
        }
        parts[0].interrupted = parts[0].interrupted || parts[p].interrupted;
    }
    if (rc == 0) {
        *out = parts[0];
        memset(&parts[0], 0, sizeof parts[0]);
    }
    free(order);
    for (size_t p = 0; p < n; p++)
        cf_report_free(&parts[p]);
    return rc;
}

int cf_report_json_read_files(const char *const *paths, size_t n, cf_report *out, char *err,
                              size_t errlen)
{
    if (n == 1) return cf_report_json_read_file(paths[0], out, err, errlen);
    cf_report *parts = calloc(n ? n : 1, sizeof *parts);
    if (!parts) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t k = 0;
    for (; k < n; k++)
        if (cf_report_json_read_file(paths[k], &parts[k], err, errlen) < 0) break;
    int rc = -1;
    if (k == n)
        rc = cf_report_merge(parts, paths, n, out, err, errlen);
    else
        for (size_t i = 0; i < k; i++)
            cf_report_free(&parts[i]);
    free(parts);
    return rc;
}
