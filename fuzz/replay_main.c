/* A plain main() for the fuzz targets: runs every file of the given corpus directories (or the
 * given files) through LLVMFuzzerTestOneInput, so the corpus and the saved crashes run as an
 * ordinary CTest test in every build, gcc included (the c-ares / expat pattern).
 *
 *   fuzz_replay_<target> DIR|FILE... [--optional DIR|FILE...]
 *
 * Paths after --optional may be missing. Prints how many files ran; exits 1 when a path cannot
 * be read or no file ran at all, 2 on bad usage. A broken invariant aborts (the test fails). */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads the whole file at path into a malloc'd buffer of exactly its size (so ASan sees reads
 * past the end); returns 0 or -1. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    *out = exact;
    *len = n;
    return 0;
}

static int run_file(const char *path)
{
    uint8_t *data = NULL;
    size_t len = 0;
    if (read_file(path, &data, &len) != 0) {
        fprintf(stderr, "fuzz replay: cannot read %s\n", path);
        return -1;
    }
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular, non-hidden file of dir in name order; returns the count or -1. */
static long run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    long ran = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) abort();
            names = nn;
        }
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(need);
        if (!names[n]) abort();
        snprintf(names[n], need, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (run_file(names[i]) != 0) ran = -1;
            if (ran >= 0) ran++;
        }
        free(names[i]);
    }
    free(names);
    return ran;
}

/* Replays every path given; see the top of this file. */
int main(int argc, char **argv)
{
    long total = 0;
    int optional = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--optional") == 0) {
            optional = 1;
            continue;
        }
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            if (optional) continue;
            fprintf(stderr, "fuzz replay: %s does not exist\n", argv[i]);
            bad = 1;
            continue;
        }
        long n = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : (run_file(argv[i]) == 0 ? 1 : -1);
        if (n < 0) {
            fprintf(stderr, "fuzz replay: cannot read %s\n", argv[i]);
            bad = 1;
            continue;
        }
        printf("fuzz replay: %ld files from %s\n", n, argv[i]);
        total += n;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE... [--optional DIR|FILE...]\n", argv[0]);
        return 2;
    }
    printf("fuzz replay: %ld files ran without a crash\n", total);
    if (total == 0) fprintf(stderr, "fuzz replay: no corpus file found\n");
    return bad || total == 0 ? 1 : 0;
}
