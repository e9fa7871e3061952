/* Guard-page buffers: data placed flush against a PROT_NONE page (see cf_guard.h). */
#include "cf_guard.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t page_size(void)
{
    long ps = sysconf(_SC_PAGESIZE);
    return ps > 0 ? (size_t)ps : 4096;
}

int cf_guard_init(cf_guard *g, size_t cap)
{
    size_t ps = page_size();
    size_t data_pages = (cap + ps - 1) / ps + 1; /* at least one full page before the fence */
    g->map_len = (data_pages + 1) * ps;
    void *m = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        g->map = NULL;
        return -1;
    }
    g->map = m;
    g->fence = g->map + data_pages * ps;
    if (mprotect(g->fence, ps, PROT_NONE) != 0) {
        cf_guard_free(g);
        return -1;
    }
    return 0;
}

char *cf_guard_place(cf_guard *g, const char *data, size_t len)
{
    char *start = g->fence - len;
    if (len > 0) memmove(start, data, len);
    return start;
}

size_t cf_guard_capacity(const cf_guard *g)
{
    return g->map ? (size_t)(g->fence - g->map) : 0;
}

void cf_guard_free(cf_guard *g)
{
    if (g->map) munmap(g->map, g->map_len);
    g->map = NULL;
    g->fence = NULL;
    g->map_len = 0;
}
